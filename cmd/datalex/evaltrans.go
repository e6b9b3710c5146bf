package main

import (
	"context"
	"fmt"
	"io"

	"datalex/internal/eval"
	"datalex/internal/search"
)

// evalTransAlso judges a translation model fitted on more data: the
// questions of extraFile (all of them) plus the other folds of the
// evaluated file. Each fold of qs is searched with a model that never saw
// its own gold (leave-fold-out), beside a model fitted on extraFile alone,
// so the gain from adding the evaluated kind of question to the training
// data is a held-out figure. The installed ranker is kept. The library
// must hold the gold provisions of both files (e.g. LawRefBook + seeds).
func evalTransAlso(ctx context.Context, w io.Writer, ix *search.Index, qs []eval.Question, file, extraFile string, k, depth int) error {
	extra, err := loadQuestions(extraFile)
	if err != nil {
		return err
	}
	defer ix.SetTranslation(search.DefaultTranslation())
	all := make([]int, len(extra))
	for i := range all {
		all[i] = i
	}
	extraPairs := evalPairs(extra, all)
	engine := func(ctx context.Context, text string, n int) ([]search.Hit, error) {
		q, err := search.ParseQuery(text)
		if err != nil {
			return nil, err
		}
		if err := q.SetK(n); err != nil {
			return nil, err
		}
		q.HitsOnly = true
		res, err := ix.Search(ctx, q)
		if err != nil {
			return nil, err
		}
		return res.Hits, nil
	}
	k = max(k, 2)
	var only, more []eval.Result
	ix.SetTranslation(ix.LearnTranslation(extraPairs))
	only, _, err = evalRun(ctx, qs, depth, engine)
	if err != nil {
		return err
	}
	for fold := 0; fold < k; fold++ {
		var test, fit []int
		for i := range qs {
			if i%k == fold {
				test = append(test, i)
			} else {
				fit = append(fit, i)
			}
		}
		ix.SetTranslation(ix.LearnTranslation(append(evalPairs(qs, fit), extraPairs...)))
		res, _, err := evalRun(ctx, evalSubset(qs, test), depth, engine)
		if err != nil {
			return err
		}
		more = append(more, res...)
	}
	evalPrint(w, evalReport{Engine: "翻译模型只用 " + extraFile, Queries: file, Overall: eval.Score(only), ByStyle: eval.ByStyle(only)})
	fmt.Fprintln(w)
	evalPrint(w, evalReport{Engine: fmt.Sprintf("翻译模型用 %s + 本文件其余 %d 折 (留出折)", extraFile, k-1), Queries: file, Overall: eval.Score(more), ByStyle: eval.ByStyle(more)})
	return nil
}
