package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"datalex/internal/eval"
	"datalex/internal/search"
)

// rankAlso is a second question set, on its own library, that the ranking
// model is fitted on together with --queries: the shipped ranker serves
// every library, and a collection of national laws (STARD on LawRefBook)
// cannot teach what a library of national, local and sector texts needs
// (which level of text governs a question that names no place).
type rankAlso struct {
	file   string
	dir    string
	ix     *search.Index // the set's library, searched for its pools
	qs     []eval.Question
	fileOf map[string]string // question id → its file (for per-file figures)
	folds  []rankFold
	cases  []rankCase
	weight int // each of its samples counts this many times in the fit
}

// loadRankAlso reads "QUERIES[,QUERIES…]@DATA", opens DATA's library and extracts the
// first-stage pools of its questions. Its index keeps the shipped
// translation and term-importance models, as the product searches it:
// those were fitted on the primary questions, never on these, so none of
// these questions' features saw their own gold.
func loadRankAlso(ctx context.Context, spec string, k, depth, weight int) (*rankAlso, error) {
	file, dir, ok := strings.Cut(spec, "@")
	if !ok || file == "" || dir == "" {
		return nil, fmt.Errorf("--rank-also 的格式为 问题文件[,问题文件…]@数据目录，而不是 %q", spec)
	}
	var qs []eval.Question
	fileOf := map[string]string{}
	for fi, name := range strings.Split(file, ",") {
		more, err := loadQuestions(name)
		if err != nil {
			return nil, err
		}
		for i := range more {
			// Files number their questions alike (probe and probe4 both
			// have P06): the file's index keeps them apart.
			more[i].ID = fmt.Sprintf("%d:%s", fi+1, more[i].ID)
			fileOf[more[i].ID] = name
		}
		qs = append(qs, more...)
	}
	ix, err := searchOpenIndex(ctx, dir)
	if err != nil {
		return nil, err
	}
	ix.SetRanker(nil)
	cases, err := rankCases(ctx, ix, qs, depth)
	if err != nil {
		return nil, err
	}
	return &rankAlso{file: file, dir: dir, ix: ix, qs: qs, fileOf: fileOf, folds: foldsOf(cases, max(k, 1)), cases: cases, weight: max(weight, 1)}, nil
}

// samples returns fold f's training samples (every sample when f < 0),
// each repeated weight times.
func (a *rankAlso) samples(f int) []search.RankSample {
	cases := a.cases
	if f >= 0 {
		cases = a.folds[f].train
	}
	var out []search.RankSample
	for range a.weight {
		out = append(out, samplesOf(cases)...)
	}
	return out
}

// byFile splits results by the file their question came from, in the
// order the files were named.
func (a *rankAlso) byFile(rs []eval.Result) ([]string, map[string][]eval.Result) {
	var names []string
	out := map[string][]eval.Result{}
	for _, name := range strings.Split(a.file, ",") {
		names = append(names, name)
	}
	for _, r := range rs {
		out[a.fileOf[r.ID]] = append(out[a.fileOf[r.ID]], r)
	}
	return names, out
}

// report prints the held-out figures of the set beside its first stage,
// overall and per file.
func (a *rankAlso) report(w io.Writer, held []eval.Result) {
	var first []eval.Result
	for _, c := range a.cases {
		first = append(first, c.reranked(nil))
	}
	name := a.file + "@" + a.dir
	evalPrint(w, evalReport{Engine: "datalex 第一阶段 (同时拟合的问题)", Queries: name, Overall: eval.Score(first), ByStyle: eval.ByStyle(first)})
	evalPrint(w, evalReport{Engine: fmt.Sprintf("datalex + 排序模型 (同时拟合，样本权重 %d)，交叉验证留出折", a.weight), Queries: name, Overall: eval.Score(held), ByStyle: eval.ByStyle(held)})
	names, byFile := a.byFile(held)
	_, firstByFile := a.byFile(first)
	for _, n := range names {
		if rs := byFile[n]; len(rs) > 0 {
			fm, m := eval.Score(firstByFile[n]), eval.Score(rs)
			fmt.Fprintf(w, "  %s (%d 题)：第一阶段 R@10 %.3f R@100 %.3f MRR@10 %.3f；+ 排序模型 (留出折) R@10 %.3f R@100 %.3f MRR@10 %.3f\n",
				n, len(rs), fm.Recall[10], fm.Recall[100], fm.MRR10, m.Recall[10], m.Recall[100], m.MRR10)
		}
	}
}
