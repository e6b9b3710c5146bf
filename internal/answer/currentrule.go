package answer

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"datalex/internal/library"
	"datalex/internal/textseg"
)

// Current-rule step. A provision retrieved for a question may have been
// changed by a later document that says so: "…等相关规定与本规定不一致的，
// 适用本规定" (library.RelPrevails), a repeal or an amendment. The library
// records these relations; here, for each leading candidate whose document
// is the target of one, the later document's provision on the same point
// (the most similar text) is put just ahead of it, and the old provision is
// marked as superseded so the answer can say "原……规定为…，现依……为…".

const (
	currentRuleDepth = 6    // leading candidates examined
	samePointDice    = 0.30 // bigram overlap above which two provisions treat the same point
)

func (p Passage) validityOrStatus() string {
	if p.Validity != "" {
		return p.Validity
	}
	return p.Status
}

func (a *Answerer) applyCurrentRule(q *Question, cands []*candidate) []*candidate {
	cat := a.lib.cat
	if cat == nil || len(cands) == 0 {
		return cands
	}
	byID := map[string]*candidate{}
	for _, c := range cands {
		byID[c.ProvisionID] = c
	}
	n := min(len(cands), currentRuleDepth)
	var added []*candidate
	for _, c := range cands[:n] {
		if c.Kind != library.KindRegulation {
			continue
		}
		for _, in := range cat.RelatedBy(c.WorkID) {
			switch in.Relation.Type {
			case library.RelPrevails, library.RelRepeals, library.RelAmends:
			default:
				continue
			}
			later := in.From
			if !later.InForce() || later.WorkID == c.WorkID || later.EffectiveDateOr() < c.effectiveDate(cat) {
				continue
			}
			best, sim := samePoint(c.Text, later, in.Relation.Provision)
			if best == nil || sim < samePointDice {
				continue
			}
			np := PassageOf(later, best, c.Score)
			c.SupersededBy = np.Citation
			// The later provision governs in the earlier one's place, just
			// above it — unless the question names the earlier article:
			// it asked what that article says, which the answer quotes
			// with the note that a later rule now governs.
			lift := 1.02
			if c.cited {
				lift = 0.98
			}
			if nc := byID[best.ID]; nc != nil {
				if !c.cited {
					nc.final = max(nc.final, c.final*lift)
				}
				continue
			}
			nc := &candidate{Passage: np, rrf: c.rrf, coverage: c.coverage, covered: c.covered, best: c.best, named: c.named, final: c.final * lift}
			byID[best.ID] = nc
			added = append(added, nc)
		}
	}
	if len(added) == 0 {
		// Re-sort anyway: an existing candidate may have been lifted.
		sort.SliceStable(cands, func(i, j int) bool { return cands[i].final > cands[j].final })
		return cands
	}
	for _, nc := range added {
		nc.Text = a.lib.fullText(nc.ProvisionID, nc.Text)
	}
	cands = append(cands, added...)
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].final > cands[j].final })
	return cands
}

func (c *candidate) effectiveDate(cat *library.Catalog) string {
	if v := cat.Version(c.VersionID); v != nil {
		return v.EffectiveDateOr()
	}
	return ""
}

// samePoint finds the provision of v closest in wording to text (character
// bigram Dice), skipping the provision that states the relation itself.
func samePoint(text string, v *library.Version, skip string) (*library.Provision, float64) {
	a := pointBigrams(text)
	var best *library.Provision
	bestSim := 0.0
	for _, p := range v.Provisions {
		if p.ID == skip || p.Kind == library.ProvChapter || p.Kind == library.ProvPart || p.Kind == library.ProvSection {
			continue
		}
		s := dice(a, pointBigrams(p.Text))
		// Prefer the article over one of its items when they tie.
		if s > bestSim+1e-9 {
			best, bestSim = p, s
		}
	}
	return best, bestSim
}

// pointBigrams are the bigrams of a provision's own wording: the names of
// the laws it cites (依据《中华人民共和国网络安全法》、《…数据安全法》…)
// are shared by provisions on unrelated points and are left out.
func pointBigrams(text string) map[string]bool {
	return bigrams(squash(reCitedLaw.ReplaceAllString(text, " ")))
}

// reCitedLaw is a cited law's name, in 《》 or bare (中华人民共和国网络安全法).
var reCitedLaw = regexp.MustCompile(`《[^》]{1,60}》|中华人民共和国\p{Han}{1,20}?法`)

func bigrams(s string) map[string]bool {
	rs := []rune(s)
	if len(rs) > 400 {
		rs = rs[:400]
	}
	out := make(map[string]bool, len(rs))
	for i := 0; i+1 < len(rs); i++ {
		out[string(rs[i:i+2])] = true
	}
	return out
}

func dice(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	n := 0
	for k := range a {
		if b[k] {
			n++
		}
	}
	return 2 * float64(n) / float64(len(a)+len(b))
}

// replacedBy finds, among the leading candidates, the earlier provision
// that gov replaced (one the current-rule step marked superseded by it).
func replacedBy(gov *candidate, cands []*candidate) *candidate {
	for i, c := range cands {
		if i == currentRuleDepth*2 {
			break
		}
		if c != gov && c.SupersededBy != "" && c.SupersededBy == gov.Citation {
			return c
		}
	}
	return nil
}

// currentRuleNote says what the earlier provision old provided on the
// point the governing provision gov now rules, so a reader relying on the
// old text sees the change: "原《数据出境安全评估办法》第十四条规定为「2年」，
// 现依《促进和规范数据跨境流动规定》第九条为「3年」". The figures are those
// of the old provision's sentence closest to a sentence of gov that
// states a quantity, where the two differ; without differing figures the
// note only says which provision now applies.
func currentRuleNote(gov, old *candidate) string {
	oldName := "《" + strings.Trim(old.Document, "《》") + "》" + old.Label
	newName := "《" + strings.Trim(gov.Document, "《》") + "》" + gov.Label
	oldSents := splitSentences(old.Text)
	for _, ns := range splitSentences(gov.Text) {
		nq := quantities(ns)
		if len(nq) == 0 {
			continue
		}
		var best string
		bestSim := 0.0
		nb := bigrams(squash(ns))
		for _, os := range oldSents {
			if sim := dice(nb, bigrams(squash(os))); sim > bestSim {
				best, bestSim = os, sim
			}
		}
		if bestSim < samePointDice {
			continue
		}
		oq := quantities(best)
		// Figures are set side by side only when the two sentences state
		// the same kinds of figure (2年 → 3年); otherwise the pairing is
		// too loose to say which figure became which.
		if len(oq) != len(nq) || unitsOf(oq) != unitsOf(nq) || strings.Join(oq, "") == strings.Join(nq, "") {
			continue
		}
		return "现行规定：原" + oldName + "规定为「" + strings.Join(oq, "、") + "」，现依" + newName + "为「" + strings.Join(nq, "、") + "」，不一致之处以现行规定为准。"
	}
	return "现行规定：" + oldName + "对同一事项的规定已由" + newName + "取代，以后者为准。"
}

// quantities are the figures with units a sentence states (dates left
// out), space-free, in order.
func quantities(s string) []string {
	s = reDate.ReplaceAllString(s, " ")
	var out []string
	for _, m := range reQuantity.FindAllString(s, -1) {
		out = append(out, strings.Join(strings.Fields(m), ""))
	}
	return out
}

// noteCurrentRule marks the answer's governing (first) citation with the
// earlier provision it replaced, when the retrieval met one, and returns
// the note that says so ("" when there is none).
func noteCurrentRule(ans *Answer, r *retrieval) string {
	if len(ans.Cites) == 0 {
		return ""
	}
	for _, c := range r.candidates {
		if c.ProvisionID != ans.Cites[0].ProvisionID {
			continue
		}
		old := replacedBy(c, r.candidates)
		if old == nil {
			return ""
		}
		ans.Cites[0].Supersedes = old.Citation
		return noteMark + " " + currentRuleNote(c, old)
	}
	return ""
}

// unitsOf is the sequence of units of figures (as quantities returns them).
func unitsOf(qs []string) string {
	var b strings.Builder
	for _, q := range qs {
		fmt.Fprintf(&b, "%d|", textseg.QuantityUnits(q))
	}
	return b.String()
}
