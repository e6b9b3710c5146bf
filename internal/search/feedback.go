package search

import (
	"context"
	"sort"
	"unicode/utf8"

	"datalex/internal/textseg"
)

// Pseudo-relevance feedback bridges the gap between how people ask and how
// statutes are worded without hand-written lists: the words that the best
// provisions of a first pass share (weighted by their score and rarity)
// join the query as optional expansion terms (RM3, Lavrenko & Croft; Abdul
// Jaleel et al.). They add score only; they never count as coverage of the
// user's words.
const (
	prfDocs  = 10 // provisions of the first pass that vote
	prfTerms = 10 // expansion words kept
)

func (ix *Index) addFeedback(ctx context.Context, a *analysed, q Query) {
	first := q
	first.noFeedback, first.HitsOnly, first.K, first.Offset = true, true, prfDocs, 0
	// The feedback pass is ordered by the installed ranker, also when the
	// outer search extracts features for fitting one: feedback drawn from
	// the ranker's top provisions is what helps (from the first stage's
	// it did not).
	first.wantFeatures = false
	first.Sort = SortRelevance
	res, err := ix.Search(ctx, first)
	if err != nil || len(res.Hits) == 0 {
		return
	}
	inQuery := make(map[string]bool, len(a.words))
	for _, w := range a.words {
		inQuery[w] = true
	}
	top := res.Hits[0].Score
	if top <= 0 {
		return
	}
	weight := make(map[string]float64)
	for i, u := range res.units {
		doc := float64(res.Hits[i].Score / top)
		words := contentWords(ix.units[u].text)
		if len(words) == 0 {
			continue
		}
		for _, w := range words {
			r, _ := utf8.DecodeRuneInString(w)
			if inQuery[w] || utf8.RuneCountInString(w) < 2 || !textseg.IsHan(r) {
				continue
			}
			weight[w] += doc / float64(len(words))
		}
	}
	type cand struct {
		w string
		s float64
	}
	var cs []cand
	for w, s := range weight {
		id := ix.body.term(w)
		if id < 0 {
			continue
		}
		cs = append(cs, cand{w, s * float64(ix.body.idf(id))})
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].s != cs[j].s {
			return cs[i].s > cs[j].s
		}
		return cs[i].w < cs[j].w
	})
	if len(cs) > prfTerms {
		cs = cs[:prfTerms]
	}
	for _, c := range cs {
		if len(a.groups) >= maxGroups {
			break
		}
		g := qgroup{word: c.w, terms: ix.termsFor(c.w), scale: ix.weights.PRF * float32(c.s/cs[0].s), expand: true, src: srcPRF}
		ix.groupWeight(&g)
		a.expMask |= 1 << len(a.groups)
		a.groups = append(a.groups, g)
	}
}
