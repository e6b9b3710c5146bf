package answer

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"datalex/internal/library"
)

// Extractive composition limits.
const (
	maxPassages      = 2   // provisions quoted for a simple question
	maxPassagesMulti = 4   // … for a multi-part question
	wholeRunes       = 360 // a provision this short is quoted whole
	wholeGoverning   = 700 // … and the governing one up to this length
	maxQuoteRunes    = 500 // longest quote taken from one provision
)

// extractive composes an answer from the provisions' own sentences: the
// ones that answer the question, grouped by document, quoted verbatim and
// cited [n].
func (a *Answerer) extractive(r *retrieval) *Answer {
	chosen, missing := a.pick(r)
	if allPartsMissing(r.q.Parts, missing) {
		// No part of a multi-part question is answered: what would be
		// quoted answers none of them, so this is a refusal, not a
		// partial answer.
		return a.refusal(r)
	}
	var governing *candidate
	if len(chosen) > 0 {
		governing = chosen[0]
	}
	picked := groupByDocument(chosen)
	ans := &Answer{Answerer: Extractive}
	byN := map[int]Passage{}
	var b strings.Builder
	n := 0
	// First the citations and their sentences, then the conclusion drawn
	// from them, then each citation's entry quoting what the conclusion
	// did not.
	type entry struct {
		doc, label string
		sents      []string
		n          int
	}
	var entries []entry
	citedIDs := map[string]bool{}
	for i, c := range picked {
		whole := wholeRunes
		if i == 0 || c == governing {
			// The governing provision is quoted whole when it is of
			// moderate length: its figures, conditions and exceptions are
			// the answer, and a reader should not have to look them up.
			whole = wholeGoverning
		}
		p := c.Passage
		if part, ok := a.narrowToPart(c, r.q); ok {
			p = part
		}
		if citedIDs[p.ProvisionID] {
			continue // a heading narrowed to a part already cited
		}
		sents := selectSentences(p, r.q, whole)
		if len(sents) == 0 {
			continue
		}
		citedIDs[p.ProvisionID] = true
		n++
		byN[n] = p
		ans.Cites = append(ans.Cites, answerCitation(n, p, strings.Join(sents, "……"), r.q, c.named))
		label := p.Label
		if label == "" {
			label = "相关内容"
		}
		entries = append(entries, entry{c.Document, label, sents, n})
	}
	if n == 0 {
		return a.refusal(r)
	}
	// The conclusion quotes the key sentences; an entry below quotes only
	// the rest of its provision, so no text is quoted twice.
	var head, plain string
	quoted := map[int][]string{}
	if parts := a.partConclusions(r.q, ans.Cites); parts != nil {
		lines := []string{"结论："}
		var plains []string
		for _, pc := range parts {
			lines = append(lines, pc.line)
			plains = append(plains, pc.plain)
			quoted[pc.n] = append(quoted[pc.n], pc.quoted)
		}
		head, plain = strings.Join(lines, "\n"), strings.Join(plains, "；")
	} else if line, pl, cn := singleConclusion(r.q, r.q, ans.Cites); line != "" {
		head, plain = line, pl
		quoted[cn] = []string{quotedIn(line)}
	}
	byDoc := map[string][]string{}
	var docs []string
	for _, e := range entries {
		shown := e.sents
		for _, qt := range quoted[e.n] {
			shown = withoutQuoted(shown, qt)
		}
		var q strings.Builder
		if len(shown) == 0 {
			q.WriteString("原文见结论")
		} else if len(shown) != len(e.sents) || shown[0] != e.sents[0] {
			q.WriteString("（结论所引之外）")
		}
		for i, s := range shown {
			if i > 0 {
				q.WriteString("……")
			}
			q.WriteString("「" + s + "」")
		}
		if _, ok := byDoc[e.doc]; !ok {
			docs = append(docs, e.doc)
		}
		byDoc[e.doc] = append(byDoc[e.doc], fmt.Sprintf("- %s：%s[%d]", e.label, q.String(), e.n))
	}
	// Conclusion first: the rule, then the supporting quotes.
	if head != "" {
		b.WriteString(head + "\n")
	}
	b.WriteString("\n根据库内条文：\n")
	for _, d := range docs {
		b.WriteString("\n《" + strings.Trim(d, "《》") + "》\n")
		for _, l := range byDoc[d] {
			b.WriteString(l + "\n")
		}
	}
	var notes []string
	if note := noteCurrentRule(ans, r); note != "" {
		notes = append(notes, note)
	}
	for _, c := range ans.Cites {
		if len(c.Warnings) > 0 {
			notes = append(notes, fmt.Sprintf(noteMark+" [%d] %s：%s。", c.N, c.Citation, strings.Join(c.Warnings, "、")))
		}
	}
	if len(notes) > 0 {
		b.WriteString("\n注意：\n" + strings.Join(notes, "\n") + "\n")
	}
	ans.Text = strings.TrimRight(b.String(), "\n")
	verify(ans, byN, r.q.Text)
	if len(missing) > 0 && !ans.Refused {
		// Written after the grounding check: it states what the library
		// lacks, not a claim a provision could support.
		ans.Missing = missing
		ans.Text += "\n\n" + missingNote(missing)
	}
	if head != "" && strings.HasPrefix(ans.Text, "结论：") {
		ans.Conclusion = plain
	}
	return ans
}

// groupByDocument orders candidates so that those of one document are
// adjacent (in order of each document's best candidate): citations are
// then numbered in reading order.
func groupByDocument(cs []*candidate) []*candidate {
	var docs []string
	by := map[string][]*candidate{}
	for _, c := range cs {
		if _, ok := by[c.Document]; !ok {
			docs = append(docs, c.Document)
		}
		by[c.Document] = append(by[c.Document], c)
	}
	out := make([]*candidate, 0, len(cs))
	for _, d := range docs {
		out = append(out, by[d]...)
	}
	return out
}

// pick chooses the provisions to quote as the citation model decides
// (citeModel.choose): the governing provision, then those judged correct
// citations; copies of the same text are quoted once. Each part of a
// multi-part question, and each document a comparison names, must then be
// answered by a quoted provision: the best leading candidate for it is
// added, and a part no candidate answers is returned as missing.
func (a *Answerer) pick(r *retrieval) ([]*candidate, []string) {
	cands := r.candidates
	if len(cands) == 0 {
		return nil, nil
	}
	var out []*candidate
	seen := map[string]bool{}
	var taken []string
	take := func(c *candidate) bool {
		if !c.named && fieldTable(c.Text) {
			return false // a data dictionary's field table answers no question in words
		}
		key := squash(c.Text)
		if seen[key] || seen[c.ProvisionID] {
			return false
		}
		for _, t := range taken {
			if strings.Contains(t, key) {
				return false // a part of a provision already quoted
			}
		}
		taken = append(taken, key)
		seen[key], seen[c.ProvisionID] = true, true
		out = append(out, c)
		return true
	}
	limit := maxPassages
	if len(r.q.Parts) > 1 {
		limit = maxPassagesMulti
	}
	xs := a.citeFeatures(r)
	for _, i := range a.cite.choose(r, xs, a.cite.probs(xs), limit) {
		if len(out) == 0 {
			if ante := a.antecedent(r.q, cands[i]); ante != nil {
				take(ante)
			}
		}
		take(cands[i])
	}
	if c := a.typeEvidenceProvision(r, out); c != nil {
		take(c)
	}
	missing := a.partsUncovered(r, seen, func(c *candidate, limited bool) bool {
		if limited && len(out) >= maxPassagesMulti {
			return false
		}
		take(c) // a copy of a quoted text is answered by that quote
		return true
	})
	return out, missing
}

// reAnaphora opens a reference back to what precedes: 上述三种基本方法,
// 前述情形, 前条规定的.
var reAnaphora = regexp.MustCompile(`上述|前述|前条`)

// reAsksWhich asks for the things themselves: 哪几种方法, 包括哪些, 有什么.
var reAsksWhich = regexp.MustCompile(`哪几|哪些|几种|哪种|什么|包括`)

// antecedent returns the article a leading provision's first sentence
// refers back to (第二十条 …分析上述三种基本方法的适用性 → 第十九条, which names
// them), when the question asks for what is referred to and that article
// speaks of the question's points: the reference alone answers nothing.
func (a *Answerer) antecedent(q *Question, c *candidate) *candidate {
	if !reAsksWhich.MatchString(q.Text) {
		return nil
	}
	sents := splitSentences(c.Text)
	if len(sents) == 0 || !reAnaphora.MatchString(sents[0]) {
		return nil // no reference, or one back to the article's own text
	}
	v, p := a.lib.cat.Provision(c.ProvisionID)
	if v == nil || p == nil || p.Kind != library.ProvArticle {
		return nil
	}
	n := library.ArticleNumber(p.Label)
	if n <= 1 {
		return nil
	}
	for _, prev := range v.Provisions {
		if prev.Kind != library.ProvArticle || library.ArticleNumber(prev.Label) != n-1 {
			continue
		}
		ps := PassageOf(v, prev, c.Score)
		ps.Text = a.lib.fullText(prev.ID, prev.Text)
		if coverage(squash(ps.Text), q.Groups) == 0 {
			return nil
		}
		return &candidate{Passage: ps, rrf: c.rrf, named: c.named}
	}
	return nil
}

// typeEvidenceProvision returns the leading candidate that carries what a
// penalty question asks for (a fine) when no chosen provision does: the
// duty's article governs what must be done, the penalty article what a
// breach costs, and a question asking the cost is answered by both.
func (a *Answerer) typeEvidenceProvision(r *retrieval, chosen []*candidate) *candidate {
	q := r.q
	if q.Type&TypePenalty == 0 || len(chosen) == 0 {
		return nil
	}
	for _, c := range chosen {
		if typeEvidence(TypePenalty, c.Text) {
			return nil
		}
	}
	need := partCoverage * a.minCoverage
	for _, c := range r.candidates[:min(len(r.candidates), typeEvidenceLead)] {
		if sanctions(c.Text) && c.typed >= need && (c.named || placeNamed(q.Text, c.Passage)) {
			return c
		}
	}
	return nil
}

// typeEvidenceLead is how many leading candidates typeEvidenceProvision
// reads: the penalty article must be among the closest, not any article
// that fines something.
const typeEvidenceLead = 5

// partsUncovered returns the parts of a multi-part question (and the
// documents a comparison names) that no provision in seen (by provision
// ID) answers. When add is not nil, the best leading candidate for an
// uncovered part is offered to it first (limited: a part's provision,
// which counts against the quote limit); the part is missing only when add
// refuses it or no candidate answers the part.
func (a *Answerer) partsUncovered(r *retrieval, seen map[string]bool, add func(c *candidate, limited bool) bool) []string {
	cands := r.candidates
	var missing []string
	lead := cands[:min(len(cands), partLead)]
	// A local rule of a place the question does not name (national texts
	// and named documents always count as named).
	unnamedPlace := func(c *candidate) bool { return !c.named && !placeNamed(r.q.Text, c.Passage) }
	// When the question names a place (a leading local rule is of a place
	// it names), another place's rule answers none of its parts.
	otherPlace := func(*candidate) bool { return false }
	for _, c := range lead {
		if reg := strings.TrimSpace(c.Region); reg != "" && reg != "全国" && placeNamed(r.q.Text, c.Passage) {
			otherPlace = unnamedPlace
			break
		}
	}
	for pi, part := range r.q.Parts {
		pq := analyze(part, a.lx, nil, nil)
		a.lib.weigh(pq.Groups)
		if len(pq.Groups) == 0 {
			// A part that names no point of its own (要在多长时间内提出来,
			// 罚多少) asks for its type's evidence about the question's
			// points: it is answered when a quoted provision carries it.
			if pq.Type == 0 || pq.Type == TypeObligation {
				continue // nothing to check the part by
			}
			answered := false
			var best *candidate
			for _, c := range lead {
				if !typeEvidence(pq.Type, c.Text) {
					continue
				}
				if seen[c.ProvisionID] {
					answered = true
					break
				}
				if best == nil && c.coverage >= a.minCoverage*partCoverage {
					best = c
				}
			}
			if !answered && !(add != nil && best != nil && add(best, true)) {
				missing = append(missing, part)
			}
			continue
		}
		if carried := r.q.carriedPart(pi); carried != part {
			// Scored with the points it leaves to the part before it, as
			// it was searched (不履行的话怎么处罚 is about the 审核义务 just
			// asked, not whatever punishes a failure to act).
			cq := analyze(carried, a.lx, nil, nil)
			a.lib.weigh(cq.Groups)
			cq.Type = pq.Type
			pq = cq
		}
		partScore := func(c *candidate) float64 {
			s := coverage(squash(c.Document+c.Text), pq.Groups) * standing(c.Passage)
			if !typeEvidence(pq.Type, c.Text) {
				s /= 2 // shares the part's words but not what it asks for
			}
			if pq.Type&TypePenalty == 0 && sanctions(c.Text) {
				// A penalty provision restates who is bound and names the
				// duty's article, not the duty itself: a part asking what
				// must be done is answered by the duty's provision.
				s /= 2
			}
			if !c.named && isNational(c.Passage) && !sectorNamed(r.q, c.Passage) {
				// A national sector's rule (电力行业…) answers a part only
				// as far as the question is about that sector. (Local
				// rules are weighed by place above; their titles' sector
				// words are mostly the place's own.)
				s *= sectorWeight
			}
			return s
		}
		var best *candidate
		bestScore, takenScore, takenFull := 0.0, 0.0, 0.0
		for _, c := range lead {
			if otherPlace(c) {
				continue
			}
			s := partScore(c)
			if seen[c.ProvisionID] {
				takenScore = math.Max(takenScore, s)
				if standing(c.Passage) >= sameStanding {
					takenFull = math.Max(takenFull, s/standing(c.Passage))
				}
			} else if s > bestScore {
				best, bestScore = c, s
			}
		}
		need := partCoverage * a.minCoverage
		// The part's own search knows which provision answers it better than
		// word overlap does: its first hit, when it covers the part well
		// enough, is the part's provision — unless the part was searched
		// with the points of the part before it (see queries), whose search
		// then answers that part more than this one, or the hit is a local
		// rule of a place the question does not name (the part's search
		// knows nothing of places; the rerank does).
		if pi < len(r.partTops) && (pi == 0 || len(pointsIn(part, r.q.Groups)) >= carryBelow) {
			for _, c := range lead {
				if c.ProvisionID != r.partTops[pi] || seen[c.ProvisionID] || unnamedPlace(c) {
					continue
				}
				if s := partScore(c); s >= need {
					best, bestScore = c, math.Max(s, bestScore)
				}
			}
		}
		switch {
		case takenScore >= need && takenScore >= bestScore:
		case takenScore >= need && best != nil && (takenFull >= bestScore/standing(best.Passage) || standing(best.Passage) < sameStanding):
			// A quoted provision covers the part as fully as the best
			// other one, which only stands higher (a 试行 rule against a
			// law), or covers it well enough while the other is a draft,
			// a lapsed text or news: the part is answered, and the other
			// provision would add nothing but noise.
		case add != nil && best != nil && bestScore >= need && add(best, true):
		case takenScore < need:
			missing = append(missing, part)
		}
	}
	if r.q.Type&TypeComparison != 0 {
		for _, v := range a.lib.versionsNamed(r.q.Documents) {
			var best *candidate
			has := false
			for _, c := range cands {
				if c.WorkID != v.WorkID {
					continue
				}
				if seen[c.ProvisionID] {
					has = true
					break
				}
				if best == nil || c.coverage > best.coverage {
					best = c
				}
			}
			switch {
			case has:
			case add != nil && best != nil && best.coverage > 0 && add(best, false):
			default:
				missing = append(missing, "《"+strings.Trim(v.Title, "《》")+"》中的相关规定")
			}
		}
	}
	return missing
}

// isNational reports a national text (or one of unknown region).
func isNational(p Passage) bool {
	r := strings.TrimSpace(p.Region)
	return r == "" || r == "全国"
}

// sameStanding is the least standing (see standing) of a quoted provision
// that answers a part it covers as fully as a higher-standing one: trial
// and interim rules and excerpts, not drafts, lapsed texts or news.
const sameStanding = 0.9

// Part coverage: how many leading candidates are searched for a part's
// provision, and the share of the answer threshold (minCoverage) of the
// part's points it must cover.
const (
	partLead     = 15
	partCoverage = 0.8
)

// allPartsMissing reports whether every part of a question of several
// parts is among the missing ones.
func allPartsMissing(parts, missing []string) bool {
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if !slices.Contains(missing, p) {
			return false
		}
	}
	return true
}

// missingNote names the parts of the question the library does not answer.
func missingNote(missing []string) string {
	return "库内未找到以下部分的依据：" + strings.Join(missing, "；") + "。以上回答只涉及库内有依据的部分。"
}

// addsPoint reports whether c covers a weighty group none of the taken
// candidates covers.
func addsPoint(c *candidate, taken []*candidate, groups []Group) bool {
	text := squash(c.Document + c.Text)
	for _, g := range groups {
		if g.Weight < 1 || !groupIn(text, g) {
			continue
		}
		covered := false
		for _, t := range taken {
			if groupIn(squash(t.Document+t.Text), g) {
				covered = true
				break
			}
		}
		if !covered {
			return true
		}
	}
	return false
}

func groupIn(text string, g Group) bool {
	for _, w := range g.Words {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// selectSentences picks the sentences of a provision that answer the
// question: all of a short provision; otherwise those covering the
// question's points, with numbers and conditions favoured when the
// question asks for them, and the items of a list when it asks 哪些.
func selectSentences(p Passage, q *Question, whole int) []string {
	sents := splitSentences(p.Text)
	if len(sents) == 0 {
		return nil
	}
	sents[0] = stripLabel(sents[0], p.Label)
	if sents[0] == "" {
		sents = sents[1:]
	}
	total := 0
	for _, s := range sents {
		total += runeLen(s)
	}
	if total <= whole {
		return joinRuns(sents, allIdx(len(sents)))
	}
	scores := make([]float64, len(sents))
	best := 0.0
	for i, s := range sents {
		scores[i] = sentenceScore(s, q)
		if scores[i] > best {
			best = scores[i]
		}
	}
	if best == 0 {
		return joinRuns(sents, []int{0})
	}
	keep := map[int]bool{}
	for i, s := range scores {
		if s >= 0.6*best {
			keep[i] = true
		}
	}
	// A lead-in ending with ： introduces a list: keep it with its items.
	if q.Intent&IntentList != 0 {
		for i, s := range sents {
			if keep[i] && strings.HasSuffix(s, "：") {
				for j := i + 1; j < len(sents) && startsItem(sents[j]); j++ {
					keep[j] = true
				}
			}
		}
	}
	for i := range sents {
		if keep[i] && i > 0 && startsItem(sents[i]) && strings.HasSuffix(sents[i-1], "：") {
			keep[i-1] = true // an item needs its lead-in to be understood
		}
	}
	var idx []int
	used := 0
	quoted := map[string]bool{}
	for i := range sents {
		if !keep[i] {
			continue
		}
		if k := squash(sents[i]); quoted[k] {
			continue // a sentence the text repeats (具体披露格式如下：) is quoted once
		} else {
			quoted[k] = true
		}
		if used+runeLen(sents[i]) > maxQuoteRunes && len(idx) > 0 {
			break
		}
		idx = append(idx, i)
		used += runeLen(sents[i])
	}
	return joinRuns(sents, idx)
}

// sentenceScore is a sentence's weighted coverage plus a bonus for what the
// question's intent asks for.
func sentenceScore(s string, q *Question) float64 {
	v := coverage(squash(s), q.Groups)
	if q.Intent&IntentList != 0 && (strings.HasSuffix(s, "：") || strings.HasSuffix(s, ":")) {
		v += 0.3 // a lead-in to the list the question asks for
	}
	if q.Intent&(IntentAmount|IntentTime) != 0 && hasQuantity(s) {
		v += 0.3
	}
	if q.Type&(TypePenalty|TypePeriod|TypeThreshold) != 0 && typeEvidence(q.Type, s) {
		v += 0.2 // the fine, period or count the question asks for
	}
	if unitFit(q.unit, s) > 0 {
		v += 0.3 // a figure in the unit asked for (几级: 不可低于5级)
	}
	if q.Type&TypePenalty != 0 && (refersTo(s, q.Articles) || refersTo(s, q.duties)) {
		// The item of a penalty article naming the duty asked about, by
		// number or as the closest duty provision.
		v += 0.5
	}
	if q.Term != "" && q.defines(s) {
		v++ // the clause defining the term the question asks the meaning of
	}
	if q.Intent&IntentYesNo != 0 && containsAny(s, "不得", "应当", "可以", "禁止", "必须", "无需", "不需要") {
		v += 0.15
	}
	return v
}

// joinRuns joins adjacent selected sentences into one quote; gaps split
// quotes (each stays a verbatim substring).
func joinRuns(sents []string, idx []int) []string {
	var out []string
	prev := -2
	for _, i := range idx {
		if i == prev+1 && len(out) > 0 {
			out[len(out)-1] += sents[i]
		} else {
			out = append(out, sents[i])
		}
		prev = i
	}
	return out
}

func allIdx(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// stripLabel removes the provision's own label (第七条, 二、) from its first
// sentence: the answer prints the label separately.
func stripLabel(s, label string) string {
	if label != "" && strings.HasPrefix(s, label) {
		s = strings.TrimLeft(strings.TrimPrefix(s, label), " \u3000　:：、.")
	}
	return strings.TrimSpace(s)
}

// bestSentence is the sentence of text covering most of groups.
func bestSentence(text string, groups []Group) string {
	best, bestScore := "", -1.0
	for _, s := range splitSentences(text) {
		if v := coverage(squash(s), groups); v > bestScore {
			best, bestScore = s, v
		}
	}
	return clip(best, 160)
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// quotedIn returns the text inside the first 「」 of line.
func quotedIn(line string) string {
	_, rest, ok := strings.Cut(line, "「")
	if !ok {
		return ""
	}
	q, _, _ := strings.Cut(rest, "」")
	return q
}

// withoutQuoted returns sents with the text already quoted removed: a
// sentence equal to it is dropped, and a sentence holding it as a clause
// keeps its other clauses.
func withoutQuoted(sents []string, quoted string) []string {
	if quoted == "" {
		return sents
	}
	var out []string
	for _, s := range sents {
		if s == quoted {
			continue
		}
		if before, after, ok := strings.Cut(s, quoted); ok {
			for _, rest := range []string{before, after} {
				if rest = strings.Trim(rest, "；，。 "); hanCount(rest) >= 6 {
					out = append(out, rest)
				}
			}
			continue
		}
		out = append(out, s)
	}
	return out
}
