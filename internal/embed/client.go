// Package embed is the optional embeddings path: a client for any
// OpenAI-compatible /v1/embeddings endpoint (Ollama, vLLM, a hosted API),
// the per-model file of provision vectors kept in the data directory, and
// cosine similarity. Search (the hybrid re-ranker) and answers (dense
// retrieval) both use it; nothing here knows about either.
package embed

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"os"
	"strings"

	"github.com/openai/openai-go"
	"github.com/openai/openai-go/option"
)

// Environment variables that configure the endpoint.
const (
	EnvBaseURL = "DATALEX_EMBED_BASE_URL"
	EnvModel   = "DATALEX_EMBED_MODEL"
	EnvAPIKey  = "DATALEX_EMBED_API_KEY"
)

// Client calls an OpenAI-compatible /v1/embeddings endpoint.
type Client struct {
	client openai.Client
	model  string
}

// New returns a client for model at baseURL (…/v1); hc may be nil.
func New(baseURL, model, apiKey string, hc *http.Client) *Client {
	if apiKey == "" {
		apiKey = "none" // local servers ignore it; the client insists on one
	}
	opts := []option.RequestOption{
		option.WithBaseURL(strings.TrimRight(baseURL, "/") + "/"),
		option.WithAPIKey(apiKey),
		option.WithMaxRetries(1),
	}
	if hc != nil {
		opts = append(opts, option.WithHTTPClient(hc))
	}
	return &Client{client: openai.NewClient(opts...), model: model}
}

// FromEnv returns the client the environment configures, or nil.
func FromEnv() *Client {
	base, model := os.Getenv(EnvBaseURL), os.Getenv(EnvModel)
	if base == "" || model == "" {
		return nil
	}
	return New(base, model, os.Getenv(EnvAPIKey), nil)
}

// Model is the embedding model name.
func (c *Client) Model() string { return c.model }

// Embed returns one unit-length vector per text, in order.
func (c *Client) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	return c.embed(ctx, texts)
}

// EmbedOnce is Embed without the client's retry: for callers on a latency
// budget (a search waiting for its re-ranking) a failure is final.
func (c *Client) EmbedOnce(ctx context.Context, texts []string) ([][]float32, error) {
	return c.embed(ctx, texts, option.WithMaxRetries(0))
}

func (c *Client) embed(ctx context.Context, texts []string, opts ...option.RequestOption) ([][]float32, error) {
	if len(texts) == 0 {
		return nil, nil
	}
	res, err := c.client.Embeddings.New(ctx, openai.EmbeddingNewParams{
		Model: openai.EmbeddingModel(c.model),
		Input: openai.EmbeddingNewParamsInputUnion{OfArrayOfStrings: texts},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("向量服务: %w", err)
	}
	if len(res.Data) != len(texts) {
		return nil, fmt.Errorf("向量服务返回 %d 个向量，期望 %d 个", len(res.Data), len(texts))
	}
	out := make([][]float32, len(texts))
	dim := -1
	for _, d := range res.Data {
		if d.Index < 0 || int(d.Index) >= len(out) || out[d.Index] != nil {
			return nil, errors.New("向量服务返回的序号越界或重复")
		}
		if len(d.Embedding) == 0 || dim >= 0 && len(d.Embedding) != dim {
			return nil, errors.New("向量服务返回的向量维数不一致")
		}
		dim = len(d.Embedding)
		out[d.Index] = Unit(d.Embedding)
	}
	return out, nil
}

// Unit scales v to length 1 (a zero vector stays zero), so that cosine
// similarity is a dot product.
func Unit(v []float64) []float32 {
	var n float64
	for _, x := range v {
		n += x * x
	}
	n = math.Sqrt(n)
	out := make([]float32, len(v))
	if n == 0 || math.IsNaN(n) || math.IsInf(n, 0) {
		return out
	}
	for i, x := range v {
		out[i] = float32(x / n)
	}
	return out
}

// Cosine is the cosine similarity of two unit vectors; vectors of
// different length (another model) are unrelated: 0.
func Cosine(a, b []float32) float32 {
	if len(a) != len(b) {
		return 0
	}
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}
