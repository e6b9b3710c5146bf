package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"datalex/internal/eval"
	"datalex/internal/search"
)

// rankCase is one question's first-stage pool with features and gold flags.
type rankCase struct {
	q      eval.Question
	hits   []search.Hit
	sample search.RankSample
}

func evalHits(hits []search.Hit) []eval.Hit {
	eh := make([]eval.Hit, len(hits))
	for i, h := range hits {
		eh[i] = eval.Hit{Document: h.Document, Label: h.Label, Source: h.Source, Line: h.Line, Offset: h.Offset}
	}
	return eh
}

// isGold reports whether a hit matches any gold provision of q.
func isGold(q eval.Question, h eval.Hit) bool {
	for i, g := range q.Gold {
		if g.Matches(h) {
			return true
		}
		for _, alt := range q.GoldAlt {
			if alt.AltFor == i && alt.Matches(h) {
				return true
			}
		}
	}
	return false
}

// rankCases extracts the first-stage pools of the questions.
func rankCases(ctx context.Context, ix *search.Index, qs []eval.Question, depth int) ([]rankCase, error) {
	out := make([]rankCase, 0, len(qs))
	for _, q := range qs {
		hits, rows, err := ix.Candidates(ctx, q.Question, depth)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", q.ID, err)
		}
		c := rankCase{q: q, hits: hits}
		if rows != nil {
			c.sample.Rows = rows
			for _, h := range evalHits(hits) {
				c.sample.Gold = append(c.sample.Gold, isGold(q, h))
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// reranked judges a case after ordering its pool with r (nil: first stage).
func (c rankCase) reranked(r *search.Ranker) eval.Result {
	hits := c.hits
	if r != nil && c.sample.Rows != nil {
		order := r.Rerank(c.sample.Rows)
		hits = make([]search.Hit, len(order))
		for i, j := range order {
			hits[i] = c.hits[j]
		}
	}
	return eval.Result{ID: c.q.ID, Style: c.q.Style, Ranks: eval.Ranks(c.q, evalHits(hits))}
}

// Ranker training settings.
const (
	rankEpochs = 300
	rankL2     = 1e-3
)

// evalLearnRank cross-validates the ranking model over k folds (i mod k),
// prints the held-out figures beside the first stage and BM25, and fits
// the model on all questions into out (when out is not empty).
func evalLearnRank(ctx context.Context, w io.Writer, ix *search.Index, qs []eval.Question, file string, k, depth int, out string) error {
	ix.SetRanker(nil)
	cases, err := rankCases(ctx, ix, qs, depth)
	if err != nil {
		return err
	}
	var first []eval.Result
	for _, c := range cases {
		first = append(first, c.reranked(nil))
	}
	fm := eval.Score(first)
	var ceiling float64
	for _, r := range first {
		n := 0
		for _, rank := range r.Ranks {
			if rank > 0 {
				n++
			}
		}
		ceiling += float64(n) / float64(len(r.Ranks))
	}
	fmt.Fprintf(w, "第一阶段候选池 %d 条：召回上限 R@%d %.3f\n", depth, depth, ceiling/float64(max(len(first), 1)))
	var held []eval.Result
	if k > 1 {
		fmt.Fprintf(w, "%d 折交叉验证排序模型 %s\n", k, file)
		for f := 0; f < k; f++ {
			var train []search.RankSample
			var test []rankCase
			for i, c := range cases {
				if i%k == f {
					test = append(test, c)
				} else if c.sample.Rows != nil {
					train = append(train, c.sample)
				}
			}
			r := search.LearnRanker(train, depth, rankEpochs, rankL2)
			var res []eval.Result
			for _, c := range test {
				res = append(res, c.reranked(r))
			}
			m := eval.Score(res)
			fmt.Fprintf(w, "  折 %d: 留出 R@10 %.3f R@100 %.3f MRR@10 %.3f\n", f+1, m.Recall[10], m.Recall[100], m.MRR10)
			held = append(held, res...)
		}
	}
	base, _, err := evalRun(ctx, qs, 100, ix.BM25)
	if err != nil {
		return err
	}
	if held != nil {
		evalPrint(w, evalReport{Engine: "datalex + 排序模型，交叉验证留出折", Queries: file, Overall: eval.Score(held), ByStyle: eval.ByStyle(held)})
	}
	evalPrint(w, evalReport{Engine: "datalex 第一阶段", Queries: file, Overall: fm, ByStyle: eval.ByStyle(first)})
	evalPrint(w, evalReport{Engine: "bm25", Queries: file, Overall: eval.Score(base), ByStyle: eval.ByStyle(base)})
	if out == "" {
		return nil
	}
	var all []search.RankSample
	for _, c := range cases {
		if c.sample.Rows != nil {
			all = append(all, c.sample)
		}
	}
	r := search.LearnRanker(all, depth, rankEpochs, rankL2)
	r.Note = fmt.Sprintf("fitted on %d questions of %s by datalex eval --learn-rank", len(all), file)
	data, err := r.WriteJSON()
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, append(data, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(w, "排序模型已写入 %s\n", out)
	for i, name := range r.Features {
		fmt.Fprintf(w, "  %-14s %+.3f\n", name, r.W[i])
	}
	return nil
}
