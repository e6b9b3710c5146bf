package answer

import (
	"regexp"
	"slices"
	"sort"
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

// reDefinesGenus is the genus-differentia form at a clause's start, X是…的Y
// with Y the head of X: 个人信息是以电子或者其他方式记录的…各种信息,
// 敏感个人信息是一旦泄露…的个人信息. The head check (genusOf) is what tells
// it from a statement about X (数据是国家基础性战略资源).
var reDefinesGenus = regexp.MustCompile(`(?:^(?:第[一二三四五六七八九十百零〇\d]+条)?|[。;；:：\n])\s*(?:[（(][一二三四五六七八九十\d]+[)）])?\s*[“"「]?(\p{Han}{2,12}?)[”"」]?是([^。;；\n]{4,160})`)

// reDefinesExtension is the enumerative form at a clause's start: X包括A、B、
// C等 (个人信息的处理包括个人信息的收集、存储、使用…), a list of at least
// three members.
var reDefinesExtension = regexp.MustCompile(`(?:^(?:第[一二三四五六七八九十百零〇\d]+条)?|[。;；:：\n])\s*[“"「]?(\p{Han}{2,12}?)[”"」]?包括([^。;；:：\n]{4,200})`)

// definedTerms returns the folded terms a provision's text defines.
func definedTerms(text string) []string {
	// Cheap test first: the index scans every provision of the library.
	if !strings.Contains(text, "所称") && !strings.Contains(text, "是") && !strings.Contains(text, "系指") {
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
	for _, m := range reDefinesGenus.FindAllStringSubmatch(f, -1) {
		if genusOf(m[1], m[2]) && !strings.Contains(m[1], "所称") {
			out = appendUniq(out, m[1])
		}
	}
	return out
}

// enumeratedTerms returns the folded terms a provision's text defines by
// enumeration (X包括A、B、C等): weaker than a definition proper, so they
// answer only for a term the library defines no other way.
func enumeratedTerms(text string) []string {
	if !strings.Contains(text, "包括") {
		return nil
	}
	f := textseg.Fold(text)
	var out []string
	for _, m := range reDefinesExtension.FindAllStringSubmatch(f, -1) {
		if strings.Count(m[2], "、") < 2 || strings.HasPrefix(m[1], "本") || strings.Contains(m[1], "所称") {
			continue
		}
		// 评估报告内容主要包括…: the adverb or modal before 包括 is no part
		// of the term.
		t := m[1]
		for changed := true; changed; {
			changed = false
			for _, adv := range extensionAdverbs {
				if strings.HasSuffix(t, adv) {
					t, changed = strings.TrimSuffix(t, adv), true
				}
			}
		}
		if hanCount(t) >= 2 {
			out = appendUniq(out, t)
		}
	}
	return out
}

// extensionAdverbs are the adverbs and modals that stand between a term and
// its 包括 (主要包括, 应当包括, 至少包括, 一般包括).
var extensionAdverbs = []string{"主要", "通常", "一般", "至少", "应当", "应", "可以", "具体", "还", "也", "均", "都", "等"}

// genusOf reports whether the differentia rest (after X是) closes its first
// clause, or the clause before 包括, with …的Y, Y a tail of at least two
// characters of term: the drafting form of a definition by genus.
func genusOf(term, rest string) bool {
	if strings.HasPrefix(rest, "指") {
		return false // X是指: reDefinesListed's
	}
	for _, cut := range []string{"，包括", ",包括", "，不包括", ",不包括"} {
		if i := strings.Index(rest, cut); i >= 0 {
			rest = rest[:i]
		}
	}
	rest = strings.TrimRight(rest, "，,")
	rs := []rune(term)
	for n := len(rs); n >= 2; n-- {
		if strings.HasSuffix(rest, "的"+string(rs[len(rs)-n:])) || n < len(rs) && strings.HasSuffix(rest, "的各种"+string(rs[len(rs)-n:])) {
			return true
		}
	}
	return false
}

// defines reports whether sentence s is a clause defining term (folded);
// with enumerated, a clause enumerating it counts too.
func defines(s, term string, enumerated bool) bool {
	if term == "" || !strings.Contains(textseg.Fold(s), term) {
		return false
	}
	terms := definedTerms(s)
	if enumerated {
		terms = append(terms, enumeratedTerms(s)...)
	}
	return slices.Contains(terms, term)
}

// defines reports whether s defines the term q asks the meaning of.
func (q *Question) defines(s string) bool { return defines(s, q.Term, q.termEnumerated) }

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
	ix.addDefinitionRefs(ix.defs, v, p, byID, definedTerms(p.Text))
	ix.addDefinitionRefs(ix.enumerated, v, p, byID, enumeratedTerms(p.Text))
}

// adoptEnumerations makes the enumerations of the terms the library
// defines no other way their definitions (after every provision's
// addDefinitions).
func (ix *libIndex) adoptEnumerations() {
	for t, refs := range ix.enumerated {
		if len(ix.defs[t]) == 0 {
			ix.defs[t] = refs
		} else {
			delete(ix.enumerated, t)
		}
	}
}

// addDefinitionRefs records in defs that p of v defines terms.
func (ix *libIndex) addDefinitionRefs(defs map[string][]definitionRef, v *library.Version, p *library.Provision, byID map[string]*library.Provision, terms []string) {
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
		refs := defs[t]
		dup := false
		for _, r := range refs {
			if r.p == at {
				dup = true
				break
			}
		}
		if !dup {
			defs[t] = append(refs, definitionRef{v, at})
		}
	}
}

// reAsksMeaning finds the term a question asks the meaning of: 什么是X,
// 何为X, 如何理解X (the term after the cue) …
var reAsksMeaning = regexp.MustCompile(`(?:什么是|什么叫|何为|何谓|如何理解|怎么理解|怎样理解)(?:所谓的?)?[“"「]?([^,，。?？!！;；“”"」]{2,24}?)[”"」]?(?:[,，。?？!！;；]|吗|呢|$)`)

// reMeaningAsked … and X是什么, X是指什么, X的定义, X的含义 (the term
// before the cue, from the clause's start).
var reMeaningAsked = regexp.MustCompile(`(?:^|[,，。?？!！;；])[“"「]?([^,，。?？!！;；“”"」]{2,24}?)[”"」]?(?:到底|究竟|具体)?(?:是指什么|指的是什么|是什么意思|什么意思|是什么|指什么|的定义|的含义|的概念|怎么定义|如何定义|怎么界定|如何界定|包括哪些|包括什么)`)

// reMemberAsked … and the category a question asks the members of: 哪些
// 数据属于重要数据, 什么样的信息算敏感个人信息 (the term after the cue; its
// definition says what belongs). A question naming the member (数据资源属于
// 无形资产吗) asks about that member, which the category's definition
// alone does not answer.
var reMemberAsked = regexp.MustCompile(`(?:哪些|哪类|哪种|什么样?的?|何种|怎样的)[^,，。?？!！;；]{0,8}?(?:属于|算是|算|被认定为|认定为)[“"「]?([^,，。?？!！;；“”"」]{2,24}?)[”"」]?(?:[,，。?？!！;；]|吗|呢|$)`)

// askedTerm returns the term a definition question asks about, as the
// library defines it: the longest tail of the asked words that some
// provision defines (数据安全法里的重要数据 → 重要数据), or "" when the
// question asks no meaning or the library defines no such term.
func (ix *libIndex) askedTerm(q *Question) string {
	if q.Type&TypeDefinition == 0 || len(ix.defs) == 0 {
		return ""
	}
	for _, re := range []*regexp.Regexp{reAsksMeaning, reMeaningAsked, reMemberAsked} {
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
		return q.defines(s)
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
	if q.Term == "" || !q.defines(text) {
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

// Definitions returns the term a search query asks the meaning of (什么是X,
// X是指什么, or the query is itself a term the library defines) and the
// provisions defining it, each quoted by its defining clause: in-force
// national texts first, then by level, local rules (a local example unless
// the query names the place) and drafts last. The search page shows them
// above its hits, as a legal database's 术语 panel does.
func (a *Answerer) Definitions(query string, limit int) (string, []Citation) {
	q := a.understand(query, nil)
	term := q.Term
	if term == "" {
		f := strings.Trim(q.Folded, " ?？。.!！")
		if len(a.lib.defs[f]) > 0 {
			term = f
			q.Term, q.termEnumerated = f, len(a.lib.enumerated[f]) > 0
		}
	}
	refs := a.lib.defs[term]
	if len(refs) == 0 {
		return "", nil
	}
	type ranked struct {
		p    Passage
		rank float64
	}
	var rs []ranked
	for _, r := range refs {
		p := PassageOf(r.v, r.p, 0)
		p.Text = a.lib.fullText(p.ProvisionID, p.Text)
		rank := standing(p) * levelRank(p.Level)
		if !placeNamed(q.Text, p) {
			rank *= a.localWeight
		}
		rs = append(rs, ranked{p, rank})
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].rank > rs[j].rank })
	var out []Citation
	for _, r := range rs {
		if len(out) == limit {
			break
		}
		quote := ""
		for _, s := range splitSentences(r.p.Text) {
			if q.defines(s) {
				quote = strings.TrimSpace(s)
				break
			}
		}
		if quote == "" {
			continue
		}
		out = append(out, answerCitation(len(out)+1, r.p, stripLabel(quote, r.p.Label), q, false))
	}
	return term, out
}

// levelRank orders 效力级别 for the definitions panel: a law's definition
// before a regulation's, before a rule's, before guidance and standards.
func levelRank(level string) float64 {
	switch level {
	case library.LevelLaw:
		return 1
	case library.LevelAdminRegs, library.LevelJudicial:
		return 0.95
	case library.LevelDeptRules, library.LevelLocalRegs:
		return 0.9
	case library.LevelLocalRules, library.LevelNormative:
		return 0.85
	}
	return 0.8
}
