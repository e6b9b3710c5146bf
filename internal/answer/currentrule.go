package answer

import (
	"sort"

	"datalex/internal/library"
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
			if nc := byID[best.ID]; nc != nil {
				nc.final = max(nc.final, c.final*1.02)
				continue
			}
			nc := &candidate{Passage: np, rrf: c.rrf, coverage: c.coverage, covered: c.covered, best: c.best, named: c.named, final: c.final * 1.02}
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
	a := bigrams(squash(text))
	var best *library.Provision
	bestSim := 0.0
	for _, p := range v.Provisions {
		if p.ID == skip || p.Kind == library.ProvChapter || p.Kind == library.ProvPart || p.Kind == library.ProvSection {
			continue
		}
		s := dice(a, bigrams(squash(p.Text)))
		// Prefer the article over one of its items when they tie.
		if s > bestSim+1e-9 {
			best, bestSim = p, s
		}
	}
	return best, bestSim
}

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
