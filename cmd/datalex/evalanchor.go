package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"datalex/internal/eval"
	"datalex/internal/search"
)

// anchorFlags are the switches of the anchor field (citing sentences of
// other documents, internal/search/anchor.go), shared by eval and bench.
type anchorFlags struct {
	weight *float64
	cap    *int
	same   *bool
	grid   *string
}

func addAnchorFlags(fs *flag.FlagSet) anchorFlags {
	return anchorFlags{
		weight: fs.Float64("anchor", -1, "引用语境字段 (其他文件引用该条时的原句) 在第一阶段的权重；≥ 0 时建立该字段并提供排序特征 anchor (0 为只作特征)；默认内置设置"),
		cap:    fs.Int("anchor-cap", 0, "每条条文的引用语境最多字数 (0 为默认)"),
		grid:   fs.String("anchor-grid", "", "配合 --learn-rank 与 --folds：逐个试这些第一阶段引用语境权重 (逗号分隔，如 0,0.3,0.6,1)，每折按训练折上的 MRR@10 选权重，报告留出折"),
		same:   fs.Bool("anchor-same", false, "引用语境也收同一文件内其他条文的引用 (违反本法第X条规定的……)"),
	}
}

// apply changes the defaults before the index is built.
func (f anchorFlags) apply() {
	if *f.weight >= 0 {
		search.DefaultAnchors.On = true
		search.DefaultWeights.Anchor = float32(*f.weight)
	}
	if *f.grid != "" {
		search.DefaultAnchors.On = true
	}
	if *f.same {
		search.DefaultAnchors.SameDoc = true
	}
	if *f.cap > 0 {
		search.DefaultAnchors.MaxRunes = *f.cap
	}
}

// evalAnchorCoverage prints how many gold provisions of the questions have
// anchor text (diagnostics for --anchor with -v), with a few examples.
func evalAnchorCoverage(w io.Writer, ix *search.Index, qs []eval.Question) {
	seen := map[string]bool{}
	var n, resolved, with int
	var examples []string
	for _, q := range qs {
		for _, g := range q.Gold {
			c := g.Doc + g.Article
			if seen[c] {
				continue
			}
			seen[c] = true
			n++
			text, ok := ix.AnchorOf(c)
			if !ok {
				continue
			}
			resolved++
			if text != "" {
				with++
				if len(examples) < 5 {
					examples = append(examples, c+" ← "+strings.ReplaceAll(text, "\n", " | "))
				}
			}
		}
	}
	fmt.Fprintf(w, "金标准条文 %d 条 (可解析 %d 条)，其中有引用语境 %d 条\n", n, resolved, with)
	for _, e := range examples {
		fmt.Fprintln(w, "  ", e)
	}
}

// parseWeights reads a comma-separated list of weights.
func parseWeights(s string) ([]float32, error) {
	var out []float32
	for _, f := range strings.Split(s, ",") {
		w, err := strconv.ParseFloat(strings.TrimSpace(f), 32)
		if err != nil || w < 0 {
			return nil, fmt.Errorf("--anchor-grid: bad weight %q", f)
		}
		out = append(out, float32(w))
	}
	return out, nil
}

// evalAnchorGrid fits the first-stage anchor weight by cross-validation
// together with the ranker: for every weight of the grid the pools of every
// fold are extracted (translation and importance out-of-fold, as in
// evalLearnRank) and each fold's ranker is fitted on its training folds;
// fold f then takes the weight whose ranker has the best MRR@10 on fold f's
// training questions, and is scored on its held-out questions. Every grid
// point's held-out figures are printed too (ablation; choosing among them
// by those figures would not be held-out). With out set, the model for the
// weight most folds chose is fitted on all questions and written.
func evalAnchorGrid(ctx context.Context, w io.Writer, ix *search.Index, qs []eval.Question, file string, k, depth int, out string, off []string, trans bool, grid []float32) error {
	if k < 2 {
		return errors.New("--anchor-grid 需要 --folds ≥ 2")
	}
	ix.SetRanker(nil)
	defer ix.SetTranslation(nil)
	defer ix.SetWeights(search.DefaultWeights)
	base, _, err := evalRun(ctx, qs, 100, ix.BM25)
	if err != nil {
		return err
	}
	type point struct {
		trainMRR []float64        // per fold: the fold's ranker on its training questions
		held     [][]eval.Result  // per fold: held-out results
		first    []eval.Result    // first stage, every question as its fold saw it
		cases    []rankCase       // every question's pool (for the final fit)
		rankers  []*search.Ranker // per fold
	}
	pts := make([]point, len(grid))
	for gi, aw := range grid {
		wt := search.DefaultWeights
		wt.Anchor = aw
		ix.SetWeights(wt)
		folds, err := rankFolds(ctx, ix, qs, k, depth, trans)
		if err != nil {
			return err
		}
		p := &pts[gi]
		for _, fold := range folds {
			r := search.LearnRanker(samplesOf(fold.train), depth, rankEpochs, rankL2, off)
			var tr, res []eval.Result
			for _, c := range fold.train {
				tr = append(tr, c.reranked(r))
			}
			for _, c := range fold.test {
				res = append(res, c.reranked(r))
				p.first = append(p.first, c.reranked(nil))
				p.cases = append(p.cases, c)
			}
			p.trainMRR = append(p.trainMRR, eval.Score(tr).MRR10)
			p.held = append(p.held, res)
		}
		var all []eval.Result
		for _, res := range p.held {
			all = append(all, res...)
		}
		if aw == 0 {
			// The engine without anchor text: same pools, ranker without
			// the anchor feature.
			var plain []eval.Result
			for _, fold := range folds {
				r := search.LearnRanker(samplesOf(fold.train), depth, rankEpochs, rankL2, append(slices.Clone(off), "anchor"))
				for _, c := range fold.test {
					plain = append(plain, c.reranked(r))
				}
			}
			evalPrint(w, evalReport{Engine: "datalex 无引用语境 + 排序模型，交叉验证留出折", Queries: file, Overall: eval.Score(plain), ByStyle: eval.ByStyle(plain)})
		}
		fm, m := eval.Score(p.first), eval.Score(all)
		fmt.Fprintf(w, "引用语境权重 %.2f：第一阶段 R@10 %.3f R@100 %.3f MRR@10 %.3f；+ 排序模型 (留出折) R@10 %.3f R@100 %.3f MRR@10 %.3f\n",
			aw, fm.Recall[10], fm.Recall[100], fm.MRR10, m.Recall[10], m.Recall[100], m.MRR10)
	}
	var held []eval.Result
	votes := make([]int, len(grid))
	fmt.Fprintf(w, "%d 折交叉验证 %s：每折按训练折上排序模型的 MRR@10 选引用语境权重\n", k, file)
	for f := 0; f < k; f++ {
		best := 0
		for gi := range grid {
			if pts[gi].trainMRR[f] > pts[best].trainMRR[f] {
				best = gi
			}
		}
		votes[best]++
		m := eval.Score(pts[best].held[f])
		fmt.Fprintf(w, "  折 %d: 权重 %.2f (训练 MRR@10 %.3f)  留出 R@10 %.3f R@100 %.3f MRR@10 %.3f\n", f+1, grid[best], pts[best].trainMRR[f], m.Recall[10], m.Recall[100], m.MRR10)
		held = append(held, pts[best].held[f]...)
	}
	evalPrint(w, evalReport{Engine: "datalex + 引用语境 (权重按折选定) + 排序模型，交叉验证留出折", Queries: file, Overall: eval.Score(held), ByStyle: eval.ByStyle(held)})
	evalPrint(w, evalReport{Engine: "bm25", Queries: file, Overall: eval.Score(base), ByStyle: eval.ByStyle(base)})
	if out == "" {
		return nil
	}
	chosen := 0
	for gi := range grid {
		if votes[gi] > votes[chosen] {
			chosen = gi
		}
	}
	samples := samplesOf(pts[chosen].cases)
	r := search.LearnRanker(samples, depth, rankEpochs, rankL2, off)
	idx := make([]int, len(qs))
	for i := range idx {
		idx[i] = i
	}
	r.Importance = ix.LearnImportance(evalPairs(qs, idx))
	r.Note = fmt.Sprintf("fitted on %d questions of %s by datalex eval --learn-rank --anchor-grid (first-stage depth %d, anchor weight %.2f)", len(samples), file, depth, grid[chosen])
	data, err := r.WriteJSON()
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, append(data, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(w, "排序模型已写入 %s (引用语境权重 %.2f，%d 折选中)\n", out, grid[chosen], votes[chosen])
	return nil
}
