package main

import (
	"context"
	"slices"
	"strings"
	"testing"

	"datalex/internal/eval"
	"datalex/internal/library"
	"datalex/internal/search"
)

func TestParseRankConfigs(t *testing.T) {
	tests := []struct {
		in   string
		want [][]string
	}{
		{"", [][]string{nil}},
		{"a,b", [][]string{{"a", "b"}}},
		{";a, b ;", [][]string{nil, {"a", "b"}, nil}},
	}
	for _, tt := range tests {
		got := parseRankConfigs(tt.in)
		if !slices.EqualFunc(got, tt.want, func(a, b []string) bool { return slices.Equal(a, b) }) {
			t.Errorf("parseRankConfigs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Every question is held out exactly once, and never trains its own fold.
func TestRankFoldsHoldOutEachQuestionOnce(t *testing.T) {
	v := &library.Version{ID: "v", WorkID: "w", Kind: library.KindRegulation, Title: "数据安全法", Status: library.StatusInForce}
	for i, text := range []string{"数据处理者应当履行数据安全保护义务。", "国家建立数据分类分级保护制度。", "重要数据的处理者应当明确数据安全负责人。"} {
		label := []string{"第一条", "第二条", "第三条"}[i]
		v.Provisions = append(v.Provisions, &library.Provision{ID: label, Kind: library.ProvArticle, Label: label, Text: label + " " + text})
	}
	ix := search.NewIndex([]*library.Version{v})
	var qs []eval.Question
	for i, q := range []string{"数据安全保护义务", "分类分级", "数据安全负责人", "重要数据", "保护制度"} {
		qs = append(qs, eval.Question{ID: string(rune('a' + i)), Question: q, Gold: []eval.Gold{{Doc: "数据安全法", Article: "第二条"}}})
	}
	for _, trans := range []bool{false, true} {
		folds, err := rankFolds(context.Background(), ix, qs, 3, 10, trans)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for f, fold := range folds {
			for _, c := range fold.test {
				seen[c.q.ID]++
				for _, tr := range fold.train {
					if tr.q.ID == c.q.ID {
						t.Fatalf("trans=%v fold %d: question %s both trains and is held out", trans, f, c.q.ID)
					}
				}
			}
			if len(fold.test)+len(fold.train) != len(qs) {
				t.Fatalf("trans=%v fold %d: %d held out + %d training, want %d", trans, f, len(fold.test), len(fold.train), len(qs))
			}
		}
		for _, q := range qs {
			if seen[q.ID] != 1 {
				t.Fatalf("trans=%v: question %s held out %d times", trans, q.ID, seen[q.ID])
			}
		}
		for _, f := range folds {
			for _, c := range f.test {
				if c.sample.Rows != nil && len(c.sample.Rows) != len(c.sample.Gold) {
					t.Fatalf("question %s: %d rows, %d gold flags", c.q.ID, len(c.sample.Rows), len(c.sample.Gold))
				}
				if c.q.ID == "b" && !slices.Contains(c.sample.Gold, true) {
					t.Fatalf("question b (分类分级) has no gold row in its pool")
				}
			}
		}
	}
}

func TestLoadRankAlsoSpec(t *testing.T) {
	for _, spec := range []string{"questions.jsonl", "@data", "questions.jsonl@"} {
		if _, err := loadRankAlso(context.Background(), spec, 5, 100, 1); err == nil || !strings.Contains(err.Error(), "问题文件") {
			t.Errorf("%q: err %v, want a format error", spec, err)
		}
	}
	if _, err := loadRankAlso(context.Background(), "/nonexistent/q.jsonl@"+t.TempDir(), 5, 100, 1); err == nil {
		t.Error("a missing question file must fail")
	}
}

// The folds of a --rank-also set partition it: each question is held out
// by exactly one fold and trained on by every other (foldFit/foldHeld
// decide which of its questions a fold's translation model may see).
func TestFoldFitHeld(t *testing.T) {
	for _, tc := range []struct{ n, k int }{{10, 5}, {7, 3}, {3, 5}, {4, 1}} {
		held := make([]int, tc.n)
		for f := 0; f < tc.k; f++ {
			fit := map[int]bool{}
			for _, i := range foldFit(tc.n, tc.k, f) {
				fit[i] = true
			}
			for _, i := range foldHeld(tc.n, tc.k, f) {
				held[i]++
				if fit[i] && tc.k > 1 {
					t.Errorf("n=%d k=%d fold %d: question %d is both fitted and held out", tc.n, tc.k, f, i)
				}
			}
			if tc.k > 1 && len(fit)+len(foldHeld(tc.n, tc.k, f)) != tc.n {
				t.Errorf("n=%d k=%d fold %d: %d fitted + %d held != %d", tc.n, tc.k, f, len(fit), len(foldHeld(tc.n, tc.k, f)), tc.n)
			}
		}
		for i, h := range held {
			if h != 1 {
				t.Errorf("n=%d k=%d: question %d held out %d times", tc.n, tc.k, i, h)
			}
		}
	}
}
