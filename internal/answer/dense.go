package answer

import (
	"context"

	"datalex/internal/embed"
	"datalex/internal/library"
)

// Dense is embedding retrieval over stored provision vectors (built by
// `datalex ask --build-vectors`, kept by internal/embed).
type Dense struct {
	client *embed.Client
	vecs   *embed.Vectors
}

// LoadDense reads the stored vectors of c's model from dataDir.
func LoadDense(dataDir string, c *embed.Client) (*Dense, error) {
	vs, err := embed.Load(dataDir, c.Model())
	if err != nil {
		return nil, err
	}
	return &Dense{client: c, vecs: vs}, nil
}

// retrieve embeds the query and returns the k nearest provisions.
func (d *Dense) retrieve(ctx context.Context, cat *library.Catalog, query string, k int) ([]Passage, error) {
	if cat == nil || d.vecs.Len() == 0 {
		return nil, nil
	}
	qv, err := d.client.Embed(ctx, []string{query})
	if err != nil {
		return nil, err
	}
	var out []Passage
	// Ask for a few more than k: vectors of withdrawn provisions stay in
	// the file until it is rebuilt.
	for _, h := range d.vecs.Nearest(qv[0], 2*k) {
		if len(out) == k {
			break
		}
		v, p := cat.Provision(h.ID)
		if v == nil || p == nil {
			continue
		}
		out = append(out, PassageOf(v, p, float64(h.Score)))
	}
	return out, nil
}
