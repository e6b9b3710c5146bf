package embed_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"datalex/internal/embed"
	"datalex/internal/embed/embedtest"
	"datalex/internal/library"
)

func TestEmbedUnitVectors(t *testing.T) {
	srv := embedtest.New(t)
	c := embed.New(srv.BaseURL(), "bigram-64", "", nil)
	vs, err := c.Embed(context.Background(), []string{"个人信息处理者", "数据出境安全评估"})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 {
		t.Fatalf("%d vectors", len(vs))
	}
	for i, v := range vs {
		if n := embed.Cosine(v, v); n < 0.999 || n > 1.001 {
			t.Errorf("vector %d has squared length %v", i, n)
		}
	}
	if s := embed.Cosine(vs[0], vs[1]); s >= 0.999 {
		t.Errorf("different texts, cosine %v", s)
	}
}

// TestEmbedBadResponses: every malformed answer is an error, never a
// wrong vector.
func TestEmbedBadResponses(t *testing.T) {
	tests := []struct {
		name string
		body string
		code int
	}{
		{"server error", `{"error":{"message":"boom"}}`, 500},
		{"not json", `<html>`, 200},
		{"too few", `{"object":"list","data":[{"index":0,"embedding":[1,0]}]}`, 200},
		{"index out of range", `{"object":"list","data":[{"index":0,"embedding":[1,0]},{"index":5,"embedding":[0,1]}]}`, 200},
		{"index twice", `{"object":"list","data":[{"index":0,"embedding":[1,0]},{"index":0,"embedding":[0,1]}]}`, 200},
		{"dimension differs", `{"object":"list","data":[{"index":0,"embedding":[1,0]},{"index":1,"embedding":[0,1,1]}]}`, 200},
		{"empty vector", `{"object":"list","data":[{"index":0,"embedding":[]},{"index":1,"embedding":[]}]}`, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.code)
				w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			c := embed.New(srv.URL+"/v1", "m", "", nil)
			if vs, err := c.EmbedOnce(context.Background(), []string{"甲", "乙"}); err == nil {
				t.Errorf("no error, vectors %v", vs)
			}
		})
	}
}

func TestUnitAndCosine(t *testing.T) {
	if v := embed.Unit([]float64{0, 0}); v[0] != 0 || v[1] != 0 {
		t.Errorf("zero vector became %v", v)
	}
	v := embed.Unit([]float64{3, 4})
	if v[0] != 0.6 || v[1] != 0.8 {
		t.Errorf("unit %v", v)
	}
	if s := embed.Cosine(v, []float32{1, 0, 0}); s != 0 {
		t.Errorf("vectors of another dimension: cosine %v", s)
	}
}

func TestCacheEvictsLeastRecent(t *testing.T) {
	c := embed.NewCache(2)
	c.Put("a", []float32{1})
	c.Put("b", []float32{2})
	c.Get("a") // b is now the least recent
	c.Put("c", []float32{3})
	if c.Len() != 2 || c.Get("b") != nil || c.Get("a") == nil || c.Get("c") == nil {
		t.Errorf("len %d, a %v b %v c %v", c.Len(), c.Get("a"), c.Get("b"), c.Get("c"))
	}
}

func TestProvisionText(t *testing.T) {
	got := embed.ProvisionText("数据安全法", "第一条", "为了规范数据处理活动，\n保障数据安全。\n（一）第一项")
	if want := "数据安全法 第一条 为了规范数据处理活动，保障数据安全。\n（一）第一项"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	long := embed.ProvisionText("法", "第一条", strings.Repeat("数", 3000))
	if n := utf8.RuneCountInString(long); n != 1001 || !strings.HasSuffix(long, "…") {
		t.Errorf("long text clipped to %d runes", n)
	}
}

func testCatalog() *library.Catalog {
	v := &library.Version{ID: "v1", WorkID: "w1", Title: "个人信息保护法", Provisions: []*library.Provision{
		{ID: "p1", Label: "第一条", Text: "为了保护个人信息权益，规范个人信息处理活动。"},
		{ID: "p2", Label: "第二条", Text: "自然人的个人信息受法律保护。"},
		{ID: "p3", Label: "第三条", Text: "  "},
	}}
	return library.NewCatalog([]*library.Version{v})
}

func TestBuildLoadNearest(t *testing.T) {
	ctx := context.Background()
	srv := embedtest.New(t)
	c := embed.New(srv.BaseURL(), "bigram/64", "", nil)
	dir := t.TempDir()
	n, err := embed.Build(ctx, c, testCatalog(), dir, 1)
	if err != nil || n != 2 {
		t.Fatalf("built %d: %v", n, err)
	}
	if !strings.HasSuffix(embed.Path(dir, "bigram/64"), "bigram_64.gob") {
		t.Errorf("path %s", embed.Path(dir, "bigram/64"))
	}
	if n, err := embed.Build(ctx, c, testCatalog(), dir, 1); err != nil || n != 0 {
		t.Fatalf("second build added %d: %v", n, err)
	}
	vs, err := embed.Load(dir, "bigram/64")
	if err != nil {
		t.Fatal(err)
	}
	if vs.Len() != 2 || vs.Get("p1") == nil || vs.Get("p3") != nil {
		t.Fatalf("loaded %d vectors", vs.Len())
	}
	q, err := c.Embed(ctx, []string{"自然人的个人信息受法律保护"})
	if err != nil {
		t.Fatal(err)
	}
	if near := vs.Nearest(q[0], 1); len(near) != 1 || near[0].ID != "p2" {
		t.Errorf("nearest %v", near)
	}
	// Another model's file is not this model's vectors; a damaged file
	// is an error, not an empty set.
	if _, err := embed.Load(dir, "other"); err == nil {
		t.Error("loaded vectors of a model never built")
	}
	if err := os.WriteFile(embed.Path(dir, "bigram/64"), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := embed.Load(dir, "bigram/64"); err == nil || !strings.Contains(err.Error(), "损坏") {
		t.Errorf("damaged file: %v", err)
	}
}

// TestBuildKeepsProgress: a service that fails midway keeps the vectors
// embedded before the failure, and the next run adds only the rest.
func TestBuildKeepsProgress(t *testing.T) {
	ctx := context.Background()
	srv := embedtest.New(t)
	calls := 0
	srv.Vector = func(text string) []float64 {
		calls++
		if calls > 1 {
			return nil // an empty vector: rejected by the client
		}
		return embedtest.Bigrams(text)
	}
	c := embed.New(srv.BaseURL(), "m", "", nil)
	dir := t.TempDir()
	if n, err := embed.Build(ctx, c, testCatalog(), dir, 1); err == nil || n != 1 {
		t.Fatalf("failing build added %d: %v", n, err)
	}
	srv.Vector = embedtest.Bigrams
	if n, err := embed.Build(ctx, c, testCatalog(), dir, 1); err != nil || n != 1 {
		t.Fatalf("resumed build added %d: %v", n, err)
	}
}
