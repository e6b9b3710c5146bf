package search

// CompactHit is the batch-mode form of a hit (datalex search --batch):
// the fields other tools rely on, nothing else.
type CompactHit struct {
	ProvisionID string  `json:"provision_id"`
	Document    string  `json:"document"`
	Label       string  `json:"label"`
	Citation    string  `json:"citation"`
	Source      string  `json:"source"`
	Line        int     `json:"line"`
	Offset      *int    `json:"offset,omitempty"`
	Score       float64 `json:"score"`
}

// CompactResult is one output line of batch mode.
type CompactResult struct {
	Query string       `json:"query"`
	Hits  []CompactHit `json:"hits"`
	Error string       `json:"error,omitempty"`
}

// Compact returns the batch-mode form of r for the raw query text.
func (r *Results) Compact(query string) CompactResult {
	out := CompactResult{Query: query, Hits: make([]CompactHit, 0, len(r.Hits))}
	for _, h := range r.Hits {
		out.Hits = append(out.Hits, CompactHit{
			ProvisionID: h.ProvisionID, Document: h.Document, Label: h.Label, Citation: h.Citation,
			Source: h.Source, Line: h.Line, Offset: h.Offset, Score: round3(h.Score),
		})
	}
	return out
}

func round3(x float64) float64 {
	return float64(int64(x*1000+0.5)) / 1000
}

// UnitCount is the number of indexed provisions.
func (ix *Index) UnitCount() int { return len(ix.units) }

// Unit returns the document title and text of indexed provision i, for
// building a reference index (the Bleve comparison) over the same units.
func (ix *Index) Unit(i int) (title, text string) {
	u := &ix.units[i]
	return ix.versions[u.ver].Title, u.orig
}

// UnitHit describes indexed provision i as a hit with the given score.
func (ix *Index) UnitHit(i int, score float64) Hit {
	return ix.hit(int32(i), float32(score), nil)
}
