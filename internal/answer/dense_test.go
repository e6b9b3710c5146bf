package answer

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"datalex/internal/textseg"
)

// embedServer is a local OpenAI-compatible /v1/embeddings endpoint whose
// vectors are hashed character bigrams: texts sharing bigrams are close.
func embedServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Input []string `json:"input"`
			Model string   `json:"model"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || r.URL.Path != "/v1/embeddings" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		type item struct {
			Object    string    `json:"object"`
			Index     int       `json:"index"`
			Embedding []float64 `json:"embedding"`
		}
		var data []item
		for i, in := range req.Input {
			v := make([]float64, 64)
			for _, b := range textseg.Bigrams(squash(in)) {
				h := fnv.New32a()
				h.Write([]byte(b))
				v[h.Sum32()%64]++
			}
			data = append(data, item{"embedding", i, v})
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data, "model": req.Model,
			"usage": map[string]int{"prompt_tokens": 1, "total_tokens": 1}})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestDenseRetrieval(t *testing.T) {
	ctx := context.Background()
	srv := embedServer(t)
	e := NewEmbedder(srv.URL+"/v1", "bigram-64", "", nil)
	cat := fixture()
	dir := t.TempDir()
	n, err := BuildVectors(ctx, e, cat, dir, 3)
	if err != nil || n != 9 {
		t.Fatalf("built %d vectors: %v", n, err)
	}
	if n, err := BuildVectors(ctx, e, cat, dir, 3); err != nil || n != 0 {
		t.Fatalf("second build embedded %d again: %v", n, err)
	}
	if _, err := os.Stat(VectorPath(dir, "bigram-64")); err != nil {
		t.Fatal(err)
	}
	d, err := LoadDense(dir, e)
	if err != nil {
		t.Fatal(err)
	}
	// Lexical retrieval finds nothing here; dense retrieval alone must
	// bring the article in through fusion.
	none := func(context.Context, string, int) ([]Passage, error) { return nil, nil }
	a := New(Config{Catalog: cat, Retrieve: none, Dense: d})
	ans, err := a.Ask(ctx, Request{Question: "处理不满十四周岁未成年人个人信息要取得谁的同意？"})
	if err != nil {
		t.Fatal(err)
	}
	if ans.Refused || len(ans.Cites) == 0 || ans.Cites[0].Label != "第三十一条" {
		t.Errorf("dense-only answer:\n%s\n%+v", ans.Text, ans.Cites)
	}
	// A dead embeddings service degrades to lexical retrieval, not an error.
	srv.Close()
	a = New(Config{Catalog: cat, Retrieve: bigramRetriever(cat), Dense: d})
	if ans, err := a.Ask(ctx, Request{Question: q010}); err != nil || ans.Refused {
		t.Errorf("with embeddings down: %v %+v", err, ans)
	}
}

func TestFuseRRF(t *testing.T) {
	a := []Passage{{ProvisionID: "x"}, {ProvisionID: "y"}}
	b := []Passage{{ProvisionID: "y"}, {ProvisionID: "z"}}
	cs := fuse([][]Passage{a, b}, []float64{1, 1})
	got := map[string]float64{}
	for _, c := range cs {
		got[c.ProvisionID] = c.rrf
	}
	if !(got["y"] > got["x"] && got["x"] > got["z"]) {
		t.Errorf("rrf %v", got)
	}
}
