//go:build devharness

package search

// Temporary harness while the seed parsers land: builds a crude library from
// seeds 001 (split at numbered titles) and 003 (real parser) and prints the
// dev-set figures. Run: go test -tags devharness -run TestDevHarness -v .

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"datalex/internal/eval"
	"datalex/internal/ingest"
	"datalex/internal/library"
	"datalex/internal/store"
)

func crudeLibrary(t *testing.T) []*library.Version {
	var out []*library.Version
	data, err := os.ReadFile("/work/shared/seeds/003_0c77de8fbd85633f.txt")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ingest.ParseSeed003("003_0c77de8fbd85633f.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, p.Versions...)
	data, err = os.ReadFile("/work/shared/seeds/001_7f2e25d6ce76f700.txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	re := regexp.MustCompile(`^ ?\d+、《(.+)》`)
	type doc struct {
		title string
		start int
	}
	var docs []doc
	for i, l := range lines {
		if m := re.FindStringSubmatch(l); m != nil {
			docs = append(docs, doc{m[1], i})
		}
	}
	for di, d := range docs {
		end := len(lines)
		if di+1 < len(docs) {
			end = docs[di+1].start
		}
		cl := ingest.CleanLines(lines[d.start+1:end], d.start+2)
		v := &library.Version{ID: fmt.Sprintf("v%d", di), WorkID: fmt.Sprintf("w%d", di), Kind: library.KindRegulation, Title: d.title,
			Sources: []library.Source{{File: "001_7f2e25d6ce76f700.txt", FirstLine: d.start + 1, LastLine: end}}}
		v.Provisions = ingest.Structure(d.title, cl, ingest.StyleAuto)
		out = append(out, v)
	}
	return out
}

func TestDevHarness(t *testing.T) {
	vs := crudeLibrary(t)
	ix := NewIndex(vs)
	t.Logf("index: %+v", ix.Stats())
	f, err := os.Open("/work/shared/eval/dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	qs, err := eval.Load(f)
	if err != nil {
		t.Fatal(err)
	}
	var results []eval.Result
	for _, q := range qs {
		pq, err := ParseQuery(q.Question)
		if err != nil {
			t.Fatal(err)
		}
		pq.K = 100
		res, err := ix.Search(context.Background(), pq)
		if err != nil {
			t.Fatal(err)
		}
		var hits []eval.Hit
		for _, h := range res.Hits {
			hits = append(hits, eval.Hit{Document: h.Document, Label: h.Label, Source: h.Source, Line: h.Line, Offset: h.Offset})
		}
		r := eval.Result{ID: q.ID, Style: q.Style, Ranks: eval.Ranks(q, hits)}
		results = append(results, r)
		if os.Getenv("V") != "" {
			top := ""
			for i, h := range res.Hits[:min(3, len(res.Hits))] {
				top += fmt.Sprintf(" [%d %s %s %.2f]", i+1, library.ShortName(h.Document), h.Label, h.Score)
			}
			t.Logf("%s %v gold=%s %s |%s", q.ID, r.Ranks, q.Gold[0].Doc, q.Gold[0].Article, top)
		}
	}
	m := eval.Score(results)
	t.Logf("N=%d R@1 %.3f R@3 %.3f R@10 %.3f R@100 %.3f hit@1 %.3f hit@10 %.3f MRR@10 %.3f nDCG@10 %.3f",
		m.N, m.Recall[1], m.Recall[3], m.Recall[10], m.Recall[100], m.Hit[1], m.Hit[10], m.MRR10, m.NDCG10)
}

func TestDevBuild(t *testing.T) {
	vs := crudeLibrary(t)
	ix := NewIndex(vs)
	t.Logf("index: %+v", ix.Stats())
}

func TestDevStore(t *testing.T) {
	vs := crudeLibrary(t)
	var works []*library.Work
	for i, v := range vs {
		if v.ID == "" {
			v.ID = fmt.Sprintf("s3v%d", i)
			v.WorkID = fmt.Sprintf("s3w%d", i)
		}
		for _, p := range v.Provisions {
			p.ID = v.ID + ":" + p.ID
			if p.ParentID != "" {
				p.ParentID = v.ID + ":" + p.ParentID
			}
		}
		works = append(works, &library.Work{ID: v.WorkID, Title: v.Title, Versions: []*library.Version{v}})
	}
	st, err := store.Open(context.Background(), "/tmp/dlx-data")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.SaveImport(context.Background(), nil, works); err != nil {
		t.Fatal(err)
	}
}
