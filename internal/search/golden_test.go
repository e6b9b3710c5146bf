package search

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGoldenResults pins the batch-mode output and the snippets of a few
// queries over the fixture: ranking or analysis changes show up as a diff.
// Regenerate with: go test ./internal/search -run TestGoldenResults -update
func TestGoldenResults(t *testing.T) {
	queries := []string{
		"数据安全法第二十一条",
		"外国警方要数据能直接给吗",
		"个保法 个人信息出境 条件",
		"数据资源入表",
		`"国家核心数据"`,
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	for _, text := range queries {
		q, err := ParseQuery(text)
		if err != nil {
			t.Fatal(err)
		}
		q.K = 3
		res, err := testIndex().Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		type golden struct {
			CompactResult
			Snippets [][]Segment `json:"snippets"`
		}
		g := golden{CompactResult: res.Compact(text)}
		for _, h := range res.Hits {
			g.Snippets = append(g.Snippets, h.Snippet)
		}
		if err := enc.Encode(g); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join("testdata", "results.golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(want, buf.Bytes()) {
		t.Errorf("results differ from %s; run with -update if the change is intended\n got:\n%s", file, buf.String())
	}
}
