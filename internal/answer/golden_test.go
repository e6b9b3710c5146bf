package answer

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGoldenMarkdown pins the shape of exported answers (extractive text,
// grouping by document, citations, validity notes, refusals) on the
// fixture library. Run with -update after an intended change.
func TestGoldenMarkdown(t *testing.T) {
	a := newFixtureAnswerer(Config{})
	cases := map[string]string{
		"foreign_authority": q010,
		"two_parts":         "什么样的数据属于国家核心数据？违反国家核心数据管理制度最高会被罚多少？",
		"draft":             "向境外提供不满1万人个人信息，需要申报数据出境安全评估吗？",
		"refusal":           "红烧肉怎么做才好吃？",
	}
	for name, q := range cases {
		ans, err := a.Ask(context.Background(), Request{Question: q})
		if err != nil {
			t.Fatal(err)
		}
		got := ans.Markdown()
		path := filepath.Join("testdata", "golden", name+".md")
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update)", err)
		}
		if got != string(want) {
			t.Errorf("%s: answer changed:\n--- got\n%s\n--- want\n%s", name, got, want)
		}
	}
}
