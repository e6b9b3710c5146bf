package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

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

// samplesOf returns the ranker training samples of cases, skipping cases
// whose pool was empty (nothing to learn from).
func samplesOf(cases []rankCase) []search.RankSample {
	var out []search.RankSample
	for _, c := range cases {
		if c.sample.Rows != nil {
			out = append(out, c.sample)
		}
	}
	return out
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
// Each of configs (features left out) is cross-validated in turn; the
// first one's model goes to out, the others' to out.2, out.3 …
func evalLearnRank(ctx context.Context, w io.Writer, ix *search.Index, qs []eval.Question, file string, k, depth int, out string, configs [][]string, trans bool, prf float32, also []*rankAlso, transAlso bool) error {
	ix.SetRanker(nil)
	defer ix.SetTranslation(nil)
	k = max(k, 1)
	var transFrom []*rankAlso
	if trans && transAlso {
		transFrom = also
	}
	folds, err := rankFoldsWith(ctx, ix, qs, k, depth, trans, transFrom)
	if err != nil {
		return err
	}
	if prf > 0 {
		// Feedback from the ranker's top provisions: a second pass whose
		// feedback searches use out-of-fold rankers of the first.
		if folds, err = rankFoldsPRF(ctx, ix, qs, folds, depth, trans, configs[0], prf); err != nil {
			return err
		}
	}
	// Every question once, as its held-out fold saw it: the first stage's
	// figures, and the rows the shipped model is fitted on.
	idx := make([]int, len(qs))
	for i := range idx {
		idx[i] = i
	}
	imp := ix.LearnImportance(evalPairs(qs, idx))
	var cases []rankCase
	for _, f := range folds {
		cases = append(cases, f.test...)
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
	fmt.Fprintf(w, "第一阶段候选池 %d 条：召回上限 R@%d %.3f (翻译模型: %v)\n", depth, depth, ceiling/float64(max(len(first), 1)), trans)
	base, _, err := evalRun(ctx, qs, 100, ix.BM25)
	if err != nil {
		return err
	}
	evalPrint(w, evalReport{Engine: "datalex 第一阶段", Queries: file, Overall: fm, ByStyle: eval.ByStyle(first)})
	evalPrint(w, evalReport{Engine: "bm25", Queries: file, Overall: eval.Score(base), ByStyle: eval.ByStyle(base)})
	for ci, off := range configs {
		name := out
		if ci > 0 && out != "" {
			name = fmt.Sprintf("%s.%d", out, ci+1)
		}
		fmt.Fprintf(w, "\n== 排序模型 %d：不用特征 %v\n", ci+1, off)
		if err := evalRankConfig(w, folds, cases, file, depth, name, off, imp, also); err != nil {
			return err
		}
	}
	return nil
}

// rankFold is one fold's training and held-out pools.
type rankFold struct {
	train, test []rankCase
}

// rankFolds extracts the pools of every fold. The translation model and
// term importance are learned from gold, and a question's features must
// not see its own gold: each
// fold is searched with a model fitted on the other folds (out-of-fold,
// as in stacking), and fold f's ranker is fitted on the other folds' rows.
// Held-out rows never met their own gold; training rows' translation
// features may have met fold f's gold through a model, which reaches the
// held-out figures only through a few global weights. (Full nested
// cross-fitting costs k extraction passes instead of one.)
func rankFolds(ctx context.Context, ix *search.Index, qs []eval.Question, k, depth int, trans bool) ([]rankFold, error) {
	return rankFoldsWith(ctx, ix, qs, k, depth, trans, nil)
}

// rankFoldsWith is rankFolds where the translation model of fold f is also
// fitted on the training folds of the --rank-also sets (their questions
// i with i mod k ≠ f, gold resolved in ix, which must hold their
// documents), and each such set's pools are extracted again, fold by
// fold, with the model that did not see that fold: no question's
// features meet its own gold.
func rankFoldsWith(ctx context.Context, ix *search.Index, qs []eval.Question, k, depth int, trans bool, also []*rankAlso) ([]rankFold, error) {
	all := make([]rankCase, len(qs))
	alsoCases := make([][]rankCase, len(also))
	for j, a := range also {
		alsoCases[j] = make([]rankCase, len(a.qs))
	}
	for f := 0; f < k; f++ {
		var idx, fit []int
		for i := range qs {
			if i%k == f || k == 1 {
				idx = append(idx, i)
			} else {
				fit = append(fit, i)
			}
		}
		if k == 1 {
			fit = idx // no held-out fold: the shipped model's setting
		}
		var extra []search.TrainPair
		for _, a := range also {
			extra = append(extra, evalPairs(a.qs, foldFit(len(a.qs), k, f))...)
		}
		if err := collectFoldCasesWith(ctx, ix, qs, fit, idx, depth, trans, extra, all); err != nil {
			return nil, err
		}
		for j, a := range also {
			a.ix.SetTranslation(ix.Translation())
			held := foldHeld(len(a.qs), k, f)
			cs, err := rankCases(ctx, a.ix, evalSubset(a.qs, held), depth)
			if err != nil {
				return nil, err
			}
			for n, i := range held {
				alsoCases[j][i] = cs[n]
			}
		}
	}
	for j, a := range also {
		a.cases, a.folds = alsoCases[j], foldsOf(alsoCases[j], k)
		a.ix.SetTranslation(search.DefaultTranslation())
	}
	return foldsOf(all, k), nil
}

// foldFit returns the indices of n questions that fold f of k trains on
// (all of them when k is 1); foldHeld those it holds out.
func foldFit(n, k, f int) []int {
	var out []int
	for i := range n {
		if k == 1 || i%k != f {
			out = append(out, i)
		}
	}
	return out
}

func foldHeld(n, k, f int) []int {
	var out []int
	for i := range n {
		if k == 1 || i%k == f {
			out = append(out, i)
		}
	}
	return out
}

func evalRankConfig(w io.Writer, folds []rankFold, cases []rankCase, file string, depth int, out string, off []string, imp *search.Importance, also []*rankAlso) error {
	var held []eval.Result
	heldAlso := make([][]eval.Result, len(also))
	if len(folds) > 1 {
		fmt.Fprintf(w, "%d 折交叉验证排序模型 %s\n", len(folds), file)
		for f, fold := range folds {
			train := samplesOf(fold.train)
			for _, a := range also {
				train = append(train, a.samples(f)...)
			}
			r := search.LearnRanker(train, depth, rankEpochs, rankL2, off)
			var res []eval.Result
			for _, c := range fold.test {
				res = append(res, c.reranked(r))
			}
			m := eval.Score(res)
			fmt.Fprintf(w, "  折 %d: 留出 R@10 %.3f R@100 %.3f MRR@10 %.3f\n", f+1, m.Recall[10], m.Recall[100], m.MRR10)
			held = append(held, res...)
			for ai, a := range also {
				for _, c := range a.folds[f].test {
					heldAlso[ai] = append(heldAlso[ai], c.reranked(r))
				}
			}
		}
	}
	if held != nil {
		evalPrint(w, evalReport{Engine: "datalex + 排序模型，交叉验证留出折", Queries: file, Overall: eval.Score(held), ByStyle: eval.ByStyle(held)})
	}
	for ai, a := range also {
		if heldAlso[ai] != nil {
			a.report(w, heldAlso[ai])
		}
	}
	if out == "" {
		return nil
	}
	all := samplesOf(cases)
	n := len(all)
	source := file
	for _, a := range also {
		all = append(all, a.samples(-1)...)
		n += len(samplesOf(a.cases))
		source += fmt.Sprintf(" and %s on %s (weight %d)", a.file, filepath.Base(a.dir), a.weight)
	}
	r := search.LearnRanker(all, depth, rankEpochs, rankL2, off)
	r.Importance = imp
	r.Note = fmt.Sprintf("fitted on %d questions of %s by datalex eval --learn-rank (first-stage depth %d)", n, source, depth)
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

// parseRankConfigs reads --rank-off: configurations separated by ";", each
// a comma-separated list of features to leave out.
func parseRankConfigs(s string) [][]string {
	var out [][]string
	for _, c := range strings.Split(s, ";") {
		var off []string
		for _, f := range strings.Split(c, ",") {
			if f = strings.TrimSpace(f); f != "" {
				off = append(off, f)
			}
		}
		out = append(out, off)
	}
	return out
}

// collectFoldCases fits term importance (and translation when trans) on the
// questions fit, then ranks the held-out questions idx into all.
func collectFoldCases(ctx context.Context, ix *search.Index, qs []eval.Question, fit, idx []int, depth int, trans bool, all []rankCase) error {
	return collectFoldCasesWith(ctx, ix, qs, fit, idx, depth, trans, nil, all)
}

// collectFoldCasesWith is collectFoldCases with extra training pairs for
// the translation model (term importance stays fitted on qs alone).
func collectFoldCasesWith(ctx context.Context, ix *search.Index, qs []eval.Question, fit, idx []int, depth int, trans bool, extra []search.TrainPair, all []rankCase) error {
	ix.SetImportance(ix.LearnImportance(evalPairs(qs, fit)))
	ix.SetTranslation(nil)
	if trans {
		ix.SetTranslation(ix.LearnTranslation(append(evalPairs(qs, fit), extra...)))
	}
	cs, err := rankCases(ctx, ix, evalSubset(qs, idx), depth)
	if err != nil {
		return err
	}
	for j, i := range idx {
		all[i] = cs[j]
	}
	return nil
}

// foldsOf deals the cases round-robin into k folds: each fold tests its own
// cases and trains on every other fold's.
func foldsOf(all []rankCase, k int) []rankFold {
	folds := make([]rankFold, k)
	for i, c := range all {
		f := i % k
		folds[f].test = append(folds[f].test, c)
		for g := range folds {
			if g != f {
				folds[g].train = append(folds[g].train, c)
			}
		}
	}
	return folds
}
