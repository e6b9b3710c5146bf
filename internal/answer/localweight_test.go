package answer

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestFitLocalWeight fits the weight of local rules for questions that
// name no place (defaultLocalWeight) by 5-fold cross-validation: on each
// fold the weight with the best F (citation precision with fact recall)
// on the other four folds is chosen and scored on the held-out fold.
//
//	DATALEX_QA_DATA=/path/to/data DATALEX_QA_FILES=../../../shared/eval/dev.jsonl,testdata/probe.jsonl,testdata/probe3.jsonl go test ./internal/answer -run TestFitLocalWeight -v
func TestFitLocalWeight(t *testing.T) {
	items := qaFilesFromEnv(t)
	cat, retrieve := openEvalLibrary(t)
	grid := []float64{0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 1}
	results := make([][]QAResult, len(grid)) // per weight, per question
	rr := make([][]float64, len(grid))       // per weight, per question: 1/rank of the first gold candidate
	for gi, w := range grid {
		a := New(Config{Catalog: cat, Retrieve: retrieve})
		a.localWeight = w
		results[gi] = EvaluateQA(context.Background(), a, items, nil).Results
		for _, it := range items {
			q := analyze(it.Question, a.lx, a.lib.names, nil)
			a.lib.weigh(q.Groups)
			r, err := a.retrieve(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			v := 0.0
			for i, c := range r.candidates[:min(len(r.candidates), 20)] {
				if a.isGold(citationOf(1, c.Passage, ""), it) {
					v = 1 / float64(i+1)
					break
				}
			}
			rr[gi] = append(rr[gi], v)
		}
	}
	mrr := func(gi int, keep func(i int) bool) float64 {
		sum, n := 0.0, 0
		for i, v := range rr[gi] {
			if keep(i) {
				sum += v
				n++
			}
		}
		return sum / float64(max(n, 1))
	}
	const k = 5
	fold := func(i int) int { return i % k }
	// measure is the citation precision, mean fact recall and their F
	// over the questions keep selects.
	measure := func(rs []QAResult, keep func(i int) bool) (prec, recall, f float64) {
		cited, good, n := 0, 0, 0
		for i, r := range rs {
			if !keep(i) {
				continue
			}
			n++
			cited += r.Cited
			good += r.CitedGood
			recall += r.FactRecall
		}
		if cited > 0 {
			prec = float64(good) / float64(cited)
		}
		if n > 0 {
			recall /= float64(n)
		}
		if prec+recall > 0 {
			f = 2 * prec * recall / (prec + recall)
		}
		return prec, recall, f
	}
	for gi, w := range grid {
		p, r, f := measure(results[gi], func(int) bool { return true })
		fmt.Printf("  weight %.2f on all %d questions: gold MRR@20 %.3f; answers: precision %.3f, facts %.3f (F %.3f)\n", w, len(items), mrr(gi, func(int) bool { return true }), p, r, f)
	}
	// Held-out: each question is answered with the weight chosen without
	// it, by the gold provision's rank (the reranker's own job; the answer
	// F is too coarse on 110 questions to choose by).
	held := make([]QAResult, len(items))
	heldRR := 0.0
	var chosen []string
	for fo := 0; fo < k; fo++ {
		best, bestV := 0, -1.0
		for gi := range grid {
			if v := mrr(gi, func(i int) bool { return fold(i) != fo }); v > bestV+1e-9 {
				best, bestV = gi, v
			}
		}
		chosen = append(chosen, fmt.Sprintf("%.2f", grid[best]))
		for i := range items {
			if fold(i) == fo {
				held[i] = results[best][i]
				heldRR += rr[best][i]
			}
		}
	}
	p, r, f := measure(held, func(int) bool { return true })
	fmt.Printf("%d-fold held-out (weights chosen per fold %s): gold MRR@20 %.3f; answers: precision %.3f, facts %.3f (F %.3f)\n", k, strings.Join(chosen, " "), heldRR/float64(len(items)), p, r, f)
	for gi, w := range grid {
		if w == defaultLocalWeight {
			p, r, f := measure(results[gi], func(int) bool { return true })
			fmt.Printf("shipped weight %.2f on the same questions: gold MRR@20 %.3f; answers: precision %.3f, facts %.3f (F %.3f)\n", w, mrr(gi, func(int) bool { return true }), p, r, f)
		}
	}
}
