package answer

import (
	"context"

	"datalex/internal/library"
	"datalex/internal/search"
)

// FromSearch adapts the search index to a RetrieveFunc: the question goes
// in as free text (no query operators), and each hit is completed with its
// provision text from the catalog.
func FromSearch(ix *search.Index, cat *library.Catalog) RetrieveFunc {
	return func(ctx context.Context, query string, k int) ([]Passage, error) {
		res, err := ix.Search(ctx, search.Query{Raw: query, Text: query, K: k, Sort: search.SortRelevance})
		if err != nil {
			return nil, err
		}
		out := make([]Passage, 0, len(res.Hits))
		for _, h := range res.Hits {
			v, p := cat.Provision(h.ProvisionID)
			if v == nil || p == nil {
				continue
			}
			out = append(out, PassageOf(v, p, h.Score))
		}
		return out, nil
	}
}
