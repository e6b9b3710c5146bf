package search

import (
	"context"
	"sort"

	"datalex/internal/textseg"
)

// BM25 is the plain baseline kept in the product so that every evaluation
// can print the engine beside it from one run: Okapi BM25 (k1 = 1.2, the
// body field's b) over the provision texts only, with the same folding,
// segmentation, stop words and index terms (characters, bigrams, words) as
// the engine — no titles, headings, aliases, priors, proximity or gates.
func (ix *Index) BM25(ctx context.Context, query string, k int) ([]Hit, error) {
	if k <= 0 {
		return nil, ErrBadK
	}
	qtf := map[int32]float32{}
	for _, w := range contentWords(textseg.Fold(query)) {
		textseg.IndexTerms(w, func(t string) {
			if id := ix.body.term(t); id >= 0 {
				qtf[id]++
			}
		})
	}
	if len(qtf) == 0 {
		return []Hit{}, nil
	}
	scores := make(map[uint32]float32)
	norms := ix.body.norms
	for id, qf := range qtf {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		w := qf * ix.body.idf(id)
		for _, p := range ix.body.post[id] {
			d, tf := p>>8, float32(p&0xff)
			scores[d] += w * tf * (bm25K1 + 1) / (tf + norms[d])
		}
	}
	type scored struct {
		u     uint32
		score float32
	}
	all := make([]scored, 0, len(scores))
	for u, s := range scores {
		all = append(all, scored{u, s})
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].score != all[j].score {
			return all[i].score > all[j].score
		}
		return all[i].u < all[j].u
	})
	if len(all) > k {
		all = all[:k]
	}
	hits := make([]Hit, len(all))
	for i, s := range all {
		hits[i] = ix.hit(int32(s.u), s.score, nil)
	}
	return hits, nil
}
