package answer

import (
	"context"
	"os"
	"testing"

	"datalex/internal/embed"
	"datalex/internal/embed/embedtest"
)

func TestDenseRetrieval(t *testing.T) {
	ctx := context.Background()
	srv := embedtest.New(t)
	e := embed.New(srv.BaseURL(), "bigram-64", "", nil)
	cat := fixture()
	dir := t.TempDir()
	n, err := embed.Build(ctx, e, cat, dir, 3)
	if err != nil || n != 9 {
		t.Fatalf("built %d vectors: %v", n, err)
	}
	if n, err := embed.Build(ctx, e, cat, dir, 3); err != nil || n != 0 {
		t.Fatalf("second build embedded %d again: %v", n, err)
	}
	if _, err := os.Stat(embed.Path(dir, "bigram-64")); err != nil {
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
	cs := fuse([][]Passage{a, b}, []float64{1, 1}, defaultFusionK)
	got := map[string]float64{}
	for _, c := range cs {
		got[c.ProvisionID] = c.rrf
	}
	if !(got["y"] > got["x"] && got["x"] > got["z"]) {
		t.Errorf("rrf %v", got)
	}
}
