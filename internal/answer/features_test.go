package answer

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestDumpScopeFeatures prints the retrieval features the scope decision
// reads, for in-scope questions (DATALEX_QA_FILES, comma-separated) and
// out-of-scope ones (built-in list plus DATALEX_QA_OOS):
//
//	DATALEX_QA_DATA=/path DATALEX_QA_FILES=a.jsonl,b.jsonl go test ./internal/answer -run TestDumpScopeFeatures -v
func TestDumpScopeFeatures(t *testing.T) {
	if os.Getenv("DATALEX_QA_FILES") == "" {
		t.Skip("DATALEX_QA_FILES not set")
	}
	cat, retrieve := openEvalLibrary(t)
	a := New(Config{Catalog: cat, Retrieve: retrieve})
	type row struct{ label, id, q string }
	var rows []row
	for _, f := range strings.Split(os.Getenv("DATALEX_QA_FILES"), ",") {
		items, err := LoadQA(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			rows = append(rows, row{"in", it.ID, it.Question})
		}
	}
	oos := OutOfScope()
	if f := os.Getenv("DATALEX_QA_OOS"); f != "" {
		more, err := LoadLines(f)
		if err != nil {
			t.Fatal(err)
		}
		oos = append(oos, more...)
	}
	for _, q := range oos {
		rows = append(rows, row{"out", "-", q})
	}
	for _, r := range rows {
		q := analyze(r.q, a.lx, a.lib.names, nil)
		a.lib.weigh(q.Groups)
		ret, err := a.retrieve(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		f := scopeFeaturesOf(ret, a.lib)
		fmt.Printf("FEAT\t%s\t%s\t%.3f\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%v\t%v\t%s\n", r.label, r.id, f.coverage, f.covered, f.groups, f.best, f.unseen, f.missed, f.typed, f.anyTyped, q.InDomain, a.weak(ret), r.q)
	}
}

// TestDumpRanks prints, per question, the rank of the first candidate that
// counts as a correct citation and the leading candidates' scores:
//
//	DATALEX_QA_DATA=/path DATALEX_QA_FILES=a.jsonl go test ./internal/answer -run TestDumpRanks -v
func TestDumpRanks(t *testing.T) {
	if os.Getenv("DATALEX_QA_FILES") == "" {
		t.Skip("DATALEX_QA_FILES not set")
	}
	cat, retrieve := openEvalLibrary(t)
	a := New(Config{Catalog: cat, Retrieve: retrieve})
	for _, f := range strings.Split(os.Getenv("DATALEX_QA_FILES"), ",") {
		items, err := LoadQA(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			q := analyze(it.Question, a.lx, a.lib.names, nil)
			a.lib.weigh(q.Groups)
			ret, err := a.retrieve(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			rank := -1
			for i, c := range ret.candidates {
				if a.isGold(citationOf(1, c.Passage, ""), it) {
					rank = i
					break
				}
			}
			fmt.Printf("RANK\t%s\t%d\ttype=%b\t%s\n", it.ID, rank, q.Type, it.Question)
			for i, c := range ret.candidates {
				if i == 4 && rank > 4 {
					c = ret.candidates[rank]
					i = rank
				} else if i >= 4 {
					break
				}
				g := " "
				if a.isGold(citationOf(1, c.Passage, ""), it) {
					g = "*"
				}
				fmt.Printf("  %s%d fin=%.3f cov=%.2f best=%.2f typed=%.2f rrf=%.4f %s\n", g, i, c.final, c.coverage, c.best, c.typed, c.rrf, c.Citation)
			}
		}
	}
}

// TestFitScope fits the scope model on in-scope questions
// (DATALEX_QA_FILES) and out-of-scope ones (the built-in list plus
// DATALEX_QA_OOS), reports k-fold cross-validated accuracy, and prints the
// coefficients to ship as defaultScope:
//
//	DATALEX_QA_DATA=/path DATALEX_QA_FILES=a.jsonl,b.jsonl DATALEX_QA_OOS=oos.txt go test ./internal/answer -run TestFitScope -v
func TestFitScope(t *testing.T) {
	if os.Getenv("DATALEX_QA_FILES") == "" {
		t.Skip("DATALEX_QA_FILES not set")
	}
	cat, retrieve := openEvalLibrary(t)
	a := New(Config{Catalog: cat, Retrieve: retrieve})
	var qs []string
	var ys []bool
	for _, f := range strings.Split(os.Getenv("DATALEX_QA_FILES"), ",") {
		items, err := LoadQA(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			qs, ys = append(qs, it.Question), append(ys, true)
		}
	}
	oos := OutOfScope()
	if f := os.Getenv("DATALEX_QA_OOS"); f != "" {
		more, err := LoadLines(f)
		if err != nil {
			t.Fatal(err)
		}
		oos = append(oos, more...)
	}
	for _, q := range oos {
		qs, ys = append(qs, q), append(ys, false)
	}
	xs := make([][]float64, len(qs))
	for i, text := range qs {
		q := analyze(text, a.lx, a.lib.names, nil)
		a.lib.weigh(q.Groups)
		ret, err := a.retrieve(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		xs[i] = scopeFeaturesOf(ret, a.lib).vector()
	}
	const k = 5
	probs := make([]float64, len(xs))
	inOK, inN, outOK, outN := 0, 0, 0, 0
	for fold := 0; fold < k; fold++ {
		var tx [][]float64
		var ty []bool
		for i := range xs {
			if i%k != fold {
				tx, ty = append(tx, xs[i]), append(ty, ys[i])
			}
		}
		m := fitScope(tx, ty, scopeL2)
		for i := range xs {
			if i%k != fold {
				continue
			}
			probs[i] = m.prob(xs[i])
			got := m.prob(xs[i]) >= 0.5
			if got != ys[i] {
				fmt.Printf("  miss in=%v p=%.2f x=%.2f %s\n", ys[i], m.prob(xs[i]), xs[i], qs[i])
			}
			if ys[i] {
				inN++
				if got {
					inOK++
				}
			} else {
				outN++
				if !got {
					outOK++
				}
			}
		}
	}
	fmt.Printf("cross-validated (%d folds): in-scope answered %d/%d, out-of-scope refused %d/%d\n", k, inOK, inN, outOK, outN)
	for _, th := range []float64{0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5} {
		a, r := 0, 0
		for i, p := range probs {
			if ys[i] && p >= th {
				a++
			}
			if !ys[i] && p < th {
				r++
			}
		}
		fmt.Printf("  threshold %.2f: in-scope answered %d/%d, out-of-scope refused %d/%d\n", th, a, inN, r, outN)
	}
	m := fitScope(xs, ys, scopeL2)
	fmt.Printf("fitted on all %d: w=%#v b=%v\n", len(xs), m.W, m.B)
}
