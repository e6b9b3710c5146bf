package main

import (
	"context"

	"datalex/internal/eval"
	"datalex/internal/search"
)

// rankFoldsPRF re-extracts the pools with pseudo-relevance feedback drawn
// from a ranker's top provisions (weight prf). A question's feedback pass
// must not use a ranker that saw its gold: fold f is searched with the
// ranker fitted on the other folds' first-pass rows (features off as in
// off), its translation model and term importance likewise out-of-fold.
// The returned folds replace the first-pass ones.
func rankFoldsPRF(ctx context.Context, ix *search.Index, qs []eval.Question, first []rankFold, depth int, trans bool, off []string, prf float32) ([]rankFold, error) {
	k := len(first)
	w := search.DefaultWeights
	w.PRF = prf
	ix.SetWeights(w)
	defer func() {
		ix.SetWeights(search.DefaultWeights)
		ix.SetRanker(nil)
	}()
	all := make([]rankCase, len(qs))
	for f := 0; f < k; f++ {
		var idx, fit []int
		for i := range qs {
			if i%k == f || k == 1 {
				idx = append(idx, i)
			} else {
				fit = append(fit, i)
			}
		}
		if k == 1 {
			fit = idx
		}
		train := samplesOf(first[f].train)
		if k == 1 {
			train = append(train, samplesOf(first[f].test)...)
		}
		ix.SetRanker(search.LearnRanker(train, depth, rankEpochs, rankL2, off))
		if err := collectFoldCases(ctx, ix, qs, fit, idx, depth, trans, all); err != nil {
			return nil, err
		}
	}
	return foldsOf(all, k), nil
}
