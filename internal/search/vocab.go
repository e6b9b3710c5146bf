package search

import "time"

// buildVocab mines the library's own vocabulary bridges once the body
// postings exist: definition clauses and the forward index of corpus
// associations (both counted in BuildTime). Each is built only when its
// weight is on at build time: neither helped in cross-validation (see
// docs/ARCHITECTURE.md), so by default neither costs build time or memory.
func (ix *Index) buildVocab() {
	if ix.weights.Def > 0 {
		ix.defs = mineDefinitions(func(yield func(string)) {
			for i := range ix.units {
				yield(ix.units[i].text)
			}
		})
	}
	if ix.weights.Assoc > 0 {
		ix.assoc = buildAssoc(ix.body)
	}
}

// VocabStats describes the mined vocabulary bridges.
type VocabStats struct {
	Definitions, DefinedTerms, AssocTargets, AssocPostings int
	// AnchorUnits provisions have anchor text: AnchorWindows citing
	// windows from AnchorCiting citing provisions.
	AnchorUnits, AnchorWindows, AnchorCiting int
	AnchorBuild                              time.Duration
}

// VocabStats reports the sizes of the mined bridges.
func (ix *Index) VocabStats() VocabStats {
	var s VocabStats
	if ix.defs != nil {
		s.Definitions, s.DefinedTerms = len(ix.defs.defs), len(ix.defs.byTerm)
	}
	if ix.assoc != nil {
		s.AssocTargets, s.AssocPostings = ix.assoc.nTarg, len(ix.assoc.ids)
	}
	if ix.anchor != nil {
		s.AnchorUnits, s.AnchorWindows, s.AnchorCiting = len(ix.anchor.unit), ix.anchor.windows, ix.anchor.citing
		s.AnchorBuild = ix.anchor.build
	}
	return s
}
