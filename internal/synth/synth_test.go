package synth

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"datalex/internal/ingest"
	"datalex/internal/library"
)

func seedSentences(t testing.TB) []string {
	t.Helper()
	s, err := SentencesFromDir("../../corpus/seeds")
	if err != nil {
		t.Fatal(err)
	}
	if len(s) < 1000 {
		t.Fatalf("only %d sentences from the seeds", len(s))
	}
	return s
}

func TestSentencesFromTexts(t *testing.T) {
	got := SentencesFromTexts("第一条 为了规范数据处理活动，保障\n数据安全，制定本法。\n短句。\n（一）数据处理者应当建立健全全流程数据安全管理制度；http://x.y/abcdefg 不要这个链接的句子。")
	want := []string{"为了规范数据处理活动，保障数据安全，制定本法。", "数据处理者应当建立健全全流程数据安全管理制度；"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestNumeral(t *testing.T) {
	for n := 1; n <= 1200; n++ {
		if got := ingest.ChineseNumber(Numeral(n)); got != n {
			t.Fatalf("Numeral(%d) = %q reads back as %d", n, Numeral(n), got)
		}
	}
}

func treeHash(t *testing.T, dir string) (string, int) {
	t.Helper()
	h := sha256.New()
	var files []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	for _, f := range files {
		b, _ := os.ReadFile(f)
		rel, _ := filepath.Rel(dir, f)
		fmt.Fprintf(h, "%s\x00%x\x00", rel, sha256.Sum256(b))
	}
	return fmt.Sprintf("%x", h.Sum(nil)), len(files)
}

func TestGenerateDeterministicAndImportable(t *testing.T) {
	sentences := seedSentences(t)
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	const want = 2000
	for _, d := range []string{a, b} {
		if err := Generate(d, want, 42, sentences); err != nil {
			t.Fatal(err)
		}
	}
	if err := Generate(c, want, 43, sentences); err != nil {
		t.Fatal(err)
	}
	ha, n := treeHash(t, a)
	hb, _ := treeHash(t, b)
	hc, _ := treeHash(t, c)
	if ha != hb || ha == hc {
		t.Errorf("determinism: same seed equal=%v, other seed differs=%v", ha == hb, ha != hc)
	}

	p, err := ingest.ParseLawRefBook(os.DirFS(a), ".")
	if err != nil {
		t.Fatal(err)
	}
	articles, superseded := 0, 0
	for _, v := range p.Versions {
		for _, pr := range v.Provisions {
			if pr.Kind == library.ProvArticle {
				articles++
			}
		}
		if v.Status == library.StatusSuperseded {
			superseded++
		}
		if v.Level == "" || v.Region == "" || v.EffectiveDate == "" {
			t.Fatalf("metadata missing: %+v", v)
		}
	}
	t.Logf("%d files, %d versions, %d articles, %d superseded, warnings %d", n, len(p.Versions), articles, superseded, len(p.Warnings))
	if articles < want || articles > want*11/10 {
		t.Errorf("articles = %d, want about %d", articles, want)
	}
	if superseded == 0 {
		t.Errorf("no older versions generated")
	}
}

func TestGenerateRefuses(t *testing.T) {
	if err := Generate(t.TempDir(), 0, 1, make([]string, 100)); err == nil {
		t.Error("zero provisions accepted")
	}
	if err := Generate(t.TempDir(), 10, 1, []string{"太少。"}); err == nil {
		t.Error("too few sentences accepted")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "old.md"), []byte("x"), 0o644)
	if err := Generate(dir, 10, 1, make([]string, 100)); err == nil {
		t.Error("non-empty directory accepted")
	}
}

// BenchmarkGenerate60k measures writing the 60,000-article benchmark corpus.
func BenchmarkGenerate60k(b *testing.B) {
	sentences := seedSentences(b)
	for b.Loop() {
		if err := Generate(b.TempDir(), 60000, 1, sentences); err != nil {
			b.Fatal(err)
		}
	}
}

// TestWriteBenchCorpus writes the 60,000-article benchmark corpus to
// $DATALEX_SYNTH_OUT and parses it back, reporting sizes and timings:
//
//	DATALEX_SYNTH_OUT=/tmp/synth go test ./internal/synth -run TestWriteBenchCorpus -v
func TestWriteBenchCorpus(t *testing.T) {
	out := os.Getenv("DATALEX_SYNTH_OUT")
	if out == "" {
		t.Skip("set DATALEX_SYNTH_OUT to write the benchmark corpus")
	}
	t0 := time.Now()
	sentences := seedSentences(t)
	t.Logf("%d sentences in %s", len(sentences), time.Since(t0))
	t1 := time.Now()
	if err := Generate(out, 60000, 1, sentences); err != nil {
		t.Fatal(err)
	}
	t.Logf("generated in %s", time.Since(t1))
	t2 := time.Now()
	p, err := ingest.ParseLawRefBook(os.DirFS(out), ".")
	if err != nil {
		t.Fatal(err)
	}
	provisions, articles := 0, 0
	for _, v := range p.Versions {
		provisions += len(v.Provisions)
		for _, pr := range v.Provisions {
			if pr.Kind == library.ProvArticle {
				articles++
			}
		}
	}
	t.Logf("parsed in %s: %d versions, %d provisions, %d articles, %d warnings", time.Since(t2), len(p.Versions), provisions, articles, len(p.Warnings))
}
