// Package embedtest is a local OpenAI-compatible /v1/embeddings endpoint
// for tests: no test reaches a real embeddings service.
package embedtest

import (
	"encoding/json"
	"hash/fnv"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"unicode"

	"datalex/internal/textseg"
)

// Server is a fake embeddings endpoint; Vector computes each input's
// vector (Bigrams by default).
type Server struct {
	*httptest.Server
	Vector   func(text string) []float64
	requests atomic.Int64
	inputs   atomic.Int64
}

// New starts a server that answers POST /v1/embeddings; it is closed when
// the test ends.
func New(t testing.TB) *Server {
	s := &Server{Vector: Bigrams}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// BaseURL is the …/v1 address a client is configured with.
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// Requests is how many embedding requests arrived.
func (s *Server) Requests() int { return int(s.requests.Load()) }

// Inputs is how many texts were embedded over all requests.
func (s *Server) Inputs() int { return int(s.inputs.Load()) }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	var req struct {
		Input []string `json:"input"`
		Model string   `json:"model"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || r.URL.Path != "/v1/embeddings" || r.Method != http.MethodPost {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	s.inputs.Add(int64(len(req.Input)))
	type item struct {
		Object    string    `json:"object"`
		Index     int       `json:"index"`
		Embedding []float64 `json:"embedding"`
	}
	data := []item{}
	for i, in := range req.Input {
		data = append(data, item{"embedding", i, s.Vector(in)})
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data, "model": req.Model,
		"usage": map[string]int{"prompt_tokens": 1, "total_tokens": 1}})
}

// Bigrams hashes a text's character bigrams into 64 dimensions: texts
// sharing bigrams are close, a crude but deterministic embedding.
func Bigrams(text string) []float64 {
	v := make([]float64, 64)
	squashed := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, textseg.Fold(text))
	for _, b := range textseg.Bigrams(squashed) {
		h := fnv.New32a()
		h.Write([]byte(b))
		v[h.Sum32()%64]++
	}
	return v
}
