package answer

import (
	"regexp"
	"strings"

	"datalex/internal/library"
	"datalex/internal/textseg"
)

// Definition questions (什么是重要数据？ 关键信息基础设施是指什么？) are
// answered by the clause that defines the term — 本法所称数据，是指…,
// （一）个人信息，是指… — not by whichever provision uses the term most.
// The library's definition clauses are found once, by their drafting form,
// and a question asking what a term means is matched to them.

// reDefinesNamed is the statutes' definition clause, on folded text:
// 本法所称X，是指… / 本办法所称的“X”，指… / 所称X包括…
var reDefinesNamed = regexp.MustCompile(`所称的?[“"「]?([\p{Han}A-Za-z0-9]{2,16}?)[”"」]?,?(?:是指|系指|指的是|指|包括|包含)`)

// reDefinesListed is a definition in a list or at a clause's start:
// （一）个人信息，是指… / 数据处理者是指… . Only 是指 and 系指 mark it
// there: 包括 after a clause's subject is as often a list of duties.
var reDefinesListed = regexp.MustCompile(`(?:^|[。;；:：\n]|\([一二三四五六七八九十\d]+\)|\d+[.、])\s*[“"「]?([\p{Han}A-Za-z0-9]{2,16}?)[”"」]?,?(?:是指|系指)`)

// definedTerms returns the folded terms a provision's text defines.
func definedTerms(text string) []string {
	// Cheap test first: the index scans every provision of the library.
	if !strings.Contains(text, "所称") && !strings.Contains(text, "是指") && !strings.Contains(text, "系指") {
		return nil
	}
	f := textseg.Fold(text)
	var out []string
	for _, re := range []*regexp.Regexp{reDefinesNamed, reDefinesListed} {
		for _, m := range re.FindAllStringSubmatch(f, -1) {
			if !strings.Contains(m[1], "所称") { // 本法所称X at a clause's start: reDefinesNamed has X
				out = appendUniq(out, m[1])
			}
		}
	}
	return out
}

// defines reports whether sentence s is a clause defining term (folded).
func defines(s, term string) bool {
	if term == "" || !strings.Contains(textseg.Fold(s), term) {
		return false
	}
	for _, t := range definedTerms(s) {
		if t == term {
			return true
		}
	}
	return false
}

// definitionRef is a provision that defines a term, with its version.
type definitionRef struct {
	v *library.Version
	p *library.Provision
}

// addDefinitions records the terms provision p of v defines. A definition
// in a paragraph or item is recorded against its article, the unit the
// answer cites; byID holds the version's provisions seen so far (parents
// come before their children).
func (ix *libIndex) addDefinitions(v *library.Version, p *library.Provision, byID map[string]*library.Provision) {
	terms := definedTerms(p.Text)
	if len(terms) == 0 {
		return
	}
	at := p
	for at.Kind != library.ProvArticle && at.ParentID != "" && byID[at.ParentID] != nil {
		at = byID[at.ParentID]
	}
	if at.Kind != library.ProvArticle {
		at = p
	}
	for _, t := range terms {
		refs := ix.defs[t]
		dup := false
		for _, r := range refs {
			if r.p == at {
				dup = true
				break
			}
		}
		if !dup {
			ix.defs[t] = append(refs, definitionRef{v, at})
		}
	}
}

// reAsksMeaning finds the term a question asks the meaning of: 什么是X,
// 何为X, 如何理解X (the term after the cue) …
var reAsksMeaning = regexp.MustCompile(`(?:什么是|什么叫|何为|何谓|如何理解|怎么理解|怎样理解)(?:所谓的?)?[“"「]?([^,，。?？!！;；“”"」]{2,24}?)[”"」]?(?:[,，。?？!！;；]|吗|呢|$)`)

// reMeaningAsked … and X是什么, X是指什么, X的定义, X的含义 (the term
// before the cue, from the clause's start).
var reMeaningAsked = regexp.MustCompile(`(?:^|[,，。?？!！;；])[“"「]?([^,，。?？!！;；“”"」]{2,24}?)[”"」]?(?:到底|究竟|具体)?(?:是指什么|指的是什么|是什么意思|什么意思|是什么|指什么|的定义|的含义|的概念|怎么定义|如何定义|怎么界定|如何界定)`)

// askedTerm returns the term a definition question asks about, as the
// library defines it: the longest tail of the asked words that some
// provision defines (数据安全法里的重要数据 → 重要数据), or "" when the
// question asks no meaning or the library defines no such term.
func (ix *libIndex) askedTerm(q *Question) string {
	if q.Type&TypeDefinition == 0 || len(ix.defs) == 0 {
		return ""
	}
	for _, re := range []*regexp.Regexp{reAsksMeaning, reMeaningAsked} {
		m := re.FindStringSubmatch(q.Folded)
		if m == nil {
			continue
		}
		rs := []rune(m[1])
		for i := 0; i+2 <= len(rs); i++ {
			if t := string(rs[i:]); len(ix.defs[t]) > 0 {
				return t
			}
		}
	}
	return ""
}

// definers returns the provisions defining term, as passages.
func (ix *libIndex) definers(term string) []Passage {
	var out []Passage
	for _, r := range ix.defs[term] {
		out = append(out, PassageOf(r.v, r.p, 1))
	}
	return out
}

// evidence reports whether sentence s carries what q asks for: for a
// question asking what a term the library defines means, the clause
// defining that term; otherwise what q's type asks for (typeEvidence).
func (q *Question) evidence(s string) bool {
	if q.Term != "" && firstType(q.Type) == TypeDefinition {
		return defines(s, q.Term)
	}
	return typeEvidence(q.Type, s)
}

// firstType is the type whose evidence typeEvidence checks: the most
// specific of q's types.
func firstType(t QType) QType {
	for _, c := range typeChecks {
		if t&c.t != 0 {
			return c.t
		}
	}
	return 0
}

// definerWeight is the weight of the list of provisions defining the asked
// term in the rank fusion, beside 1 for each search list.
const definerWeight = 1.0

// definesAll reports whether text defines the term q asks the meaning of
// and q asks nothing beyond that term and the documents it names (什么是
// 重要数据, 数据安全法所称的数据是指什么): the question is then answered
// by the definition. 什么是欧盟的个人数据 is not, though the library
// defines 个人数据 (欧盟 is a point outside the term).
func definesAll(q *Question, text string) bool {
	if q.Term == "" || !defines(text, q.Term) {
		return false
	}
	within := q.Term + strings.Join(q.Documents, "")
	for _, g := range q.Groups {
		if !groupIn(within, g) {
			return false
		}
	}
	return true
}
