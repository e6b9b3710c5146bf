package answer

import (
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/openai/openai-go"
	"github.com/openai/openai-go/option"

	"datalex/internal/library"
)

// Environment variables for the optional embeddings endpoint.
const (
	EnvEmbedBaseURL = "DATALEX_EMBED_BASE_URL"
	EnvEmbedModel   = "DATALEX_EMBED_MODEL"
	EnvEmbedAPIKey  = "DATALEX_EMBED_API_KEY"
)

// Embedder calls an OpenAI-compatible /v1/embeddings endpoint.
type Embedder struct {
	client openai.Client
	model  string
}

// NewEmbedder returns an embedder for model at baseURL (…/v1).
func NewEmbedder(baseURL, model, apiKey string, hc *http.Client) *Embedder {
	if apiKey == "" {
		apiKey = "none"
	}
	opts := []option.RequestOption{
		option.WithBaseURL(strings.TrimRight(baseURL, "/") + "/"),
		option.WithAPIKey(apiKey),
		option.WithMaxRetries(1),
	}
	if hc != nil {
		opts = append(opts, option.WithHTTPClient(hc))
	}
	return &Embedder{client: openai.NewClient(opts...), model: model}
}

// EmbedderFromEnv returns the configured embedder, or nil.
func EmbedderFromEnv() *Embedder {
	base, model := os.Getenv(EnvEmbedBaseURL), os.Getenv(EnvEmbedModel)
	if base == "" || model == "" {
		return nil
	}
	return NewEmbedder(base, model, os.Getenv(EnvEmbedAPIKey), nil)
}

// Model is the embedding model name.
func (e *Embedder) Model() string { return e.model }

// Embed returns one unit-length vector per text.
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	res, err := e.client.Embeddings.New(ctx, openai.EmbeddingNewParams{
		Model: openai.EmbeddingModel(e.model),
		Input: openai.EmbeddingNewParamsInputUnion{OfArrayOfStrings: texts},
	})
	if err != nil {
		return nil, fmt.Errorf("向量服务: %w", err)
	}
	if len(res.Data) != len(texts) {
		return nil, fmt.Errorf("向量服务返回 %d 个向量，期望 %d 个", len(res.Data), len(texts))
	}
	out := make([][]float32, len(texts))
	for _, d := range res.Data {
		if d.Index < 0 || int(d.Index) >= len(out) {
			return nil, errors.New("向量服务返回的序号越界")
		}
		out[d.Index] = unit(d.Embedding)
	}
	return out, nil
}

func unit(v []float64) []float32 {
	var n float64
	for _, x := range v {
		n += x * x
	}
	n = math.Sqrt(n)
	out := make([]float32, len(v))
	for i, x := range v {
		if n > 0 {
			out[i] = float32(x / n)
		}
	}
	return out
}

// vectorFile is the on-disk form: vectors of one model keyed by provision id.
type vectorFile struct {
	Model string
	IDs   []string
	Vecs  [][]float32
}

// VectorPath is where vectors of model are kept in the data directory.
func VectorPath(dataDir, model string) string {
	safe := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' {
			return r
		}
		return '_'
	}, model)
	return filepath.Join(dataDir, "vectors", safe+".gob")
}

// Dense is embedding retrieval over stored provision vectors.
type Dense struct {
	emb  *Embedder
	ids  []string
	vecs [][]float32
}

// LoadDense reads the stored vectors of e's model from dataDir.
func LoadDense(dataDir string, e *Embedder) (*Dense, error) {
	vf, err := readVectors(VectorPath(dataDir, e.model))
	if err != nil {
		return nil, err
	}
	if vf.Model != e.model {
		return nil, fmt.Errorf("向量文件属于模型 %s，而非 %s", vf.Model, e.model)
	}
	return &Dense{emb: e, ids: vf.IDs, vecs: vf.Vecs}, nil
}

func readVectors(path string) (*vectorFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var vf vectorFile
	if err := gob.NewDecoder(f).Decode(&vf); err != nil {
		return nil, fmt.Errorf("向量文件 %s 损坏: %w", path, err)
	}
	if len(vf.IDs) != len(vf.Vecs) {
		return nil, fmt.Errorf("向量文件 %s 不完整", path)
	}
	return &vf, nil
}

// BuildVectors embeds every provision with text that has no stored vector
// for e's model yet, in batches, and saves the file; it returns how many
// were added. Interrupted runs keep what was saved.
func BuildVectors(ctx context.Context, e *Embedder, cat *library.Catalog, dataDir string, batch int) (int, error) {
	path := VectorPath(dataDir, e.model)
	vf := &vectorFile{Model: e.model}
	if old, err := readVectors(path); err == nil && old.Model == e.model {
		vf = old
	}
	have := map[string]bool{}
	for _, id := range vf.IDs {
		have[id] = true
	}
	var ids, texts []string
	for _, v := range cat.Versions {
		for _, p := range v.Provisions {
			if !have[p.ID] && strings.TrimSpace(p.Text) != "" {
				ids = append(ids, p.ID)
				texts = append(texts, clip(v.Title+" "+p.Label+" "+joinWraps(p.Text), 1000))
			}
		}
	}
	if batch <= 0 {
		batch = 64
	}
	added := 0
	for i := 0; i < len(ids); i += batch {
		j := min(i+batch, len(ids))
		vecs, err := e.Embed(ctx, texts[i:j])
		if err != nil {
			if added > 0 {
				_ = writeVectors(path, vf)
			}
			return added, err
		}
		vf.IDs = append(vf.IDs, ids[i:j]...)
		vf.Vecs = append(vf.Vecs, vecs...)
		added += j - i
	}
	return added, writeVectors(path, vf)
}

func writeVectors(path string, vf *vectorFile) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := gob.NewEncoder(f).Encode(vf); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// retrieve embeds the query and returns the k nearest provisions.
func (d *Dense) retrieve(ctx context.Context, cat *library.Catalog, query string, k int) ([]Passage, error) {
	if cat == nil || len(d.ids) == 0 {
		return nil, nil
	}
	qv, err := d.emb.Embed(ctx, []string{query})
	if err != nil {
		return nil, err
	}
	type hit struct {
		i int
		s float32
	}
	hits := make([]hit, 0, len(d.ids))
	for i, v := range d.vecs {
		if len(v) != len(qv[0]) {
			continue
		}
		var s float32
		for j := range v {
			s += v[j] * qv[0][j]
		}
		hits = append(hits, hit{i, s})
	}
	sort.Slice(hits, func(a, b int) bool { return hits[a].s > hits[b].s })
	var out []Passage
	for _, h := range hits {
		if len(out) == k {
			break
		}
		v, p := cat.Provision(d.ids[h.i])
		if v == nil || p == nil {
			continue
		}
		out = append(out, PassageOf(v, p, float64(h.s)))
	}
	return out, nil
}
