package answer

import (
	"datalex/internal/textseg"
)

// scopeFeatures are what the coverage decision reads from a retrieval: how
// much of the question the best provision covers, and how much of the
// question no retrieved provision (or no provision at all) speaks of.
type scopeFeatures struct {
	coverage float64 // weighted share of the question's points the best provision covers
	covered  int     // points the best provision covers
	groups   int     // points of the question
	best     float64 // best single sentence's coverage
	unseen   float64 // weighted share of points whose words the library never uses
	missed   float64 // weighted share of points no leading provision covers
}

// scopeLead is how many leading candidates count as "retrieved" when
// asking which points of the question the library speaks of.
const scopeLead = 10

func scopeFeaturesOf(r *retrieval, ix *libIndex) scopeFeatures {
	var f scopeFeatures
	f.groups = len(r.q.Groups)
	if len(r.candidates) > 0 {
		top := r.candidates[0]
		f.coverage, f.covered, f.best = top.coverage, top.covered, top.best
	}
	total, unseen, missed := 0.0, 0.0, 0.0
	for _, g := range r.q.Groups {
		w := g.Weight
		if w == 0 {
			w = 1
		}
		total += w
		if !ix.knows(g) {
			unseen += w
		}
		hit := false
		for i, c := range r.candidates {
			if i == scopeLead {
				break
			}
			if groupIn(squash(c.Document+c.Text), g) {
				hit = true
				break
			}
		}
		if !hit {
			missed += w
		}
	}
	if total > 0 {
		f.unseen, f.missed = unseen/total, missed/total
	}
	return f
}

// knows reports whether some word of g occurs in the library: every Han
// bigram of the word is used by some provision (words without Han
// bigrams — numbers, Latin abbreviations — count as known).
func (ix *libIndex) knows(g Group) bool {
	if ix.n == 0 {
		return true
	}
	for _, w := range g.Words {
		rs := []rune(w)
		ok := true
		for i := 0; i+1 < len(rs); i++ {
			if !textseg.IsHan(rs[i]) || !textseg.IsHan(rs[i+1]) {
				continue
			}
			if ix.df[uint64(rs[i])<<21|uint64(rs[i+1])] == 0 {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
