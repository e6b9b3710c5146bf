package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"datalex/internal/answer"
	"datalex/internal/eval"
	"datalex/internal/search"
)

func runEval(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	dataDir := dataDirFlag(fs)
	queries := fs.String("queries", "", "评测问题文件 (JSONL，格式见 ../shared/eval/README.md)")
	k := fs.Int("k", 100, "每个问题取前 k 条 (Recall@k 的最大 k)")
	asJSON := fs.Bool("json", false, "输出 JSON")
	verbose := fs.Bool("v", false, "逐题列出金标准条文的名次和前 3 条结果")
	qa := fs.String("qa", "", "问答评测文件 (JSONL，同 --queries 格式)：事实召回、引用准确率、句子支持率、域外拒答率")
	outOfScope := fs.String("out-of-scope", "", "域外问题文件 (每行一个问题；默认使用内置列表)")
	useModel := fs.Bool("model", false, "问答评测使用已配置的大模型端点 (DATALEX_LLM_*)")
	folds := fs.Int("folds", 0, "k 折交叉验证：在训练折上拟合字段权重，在留出折上评分 (0 = 不做)")
	learn := fs.String("learn-translation", "", "在 --queries 的全部问题上拟合翻译模型并写入该文件 (如 internal/search/translation.json)")
	learnRank := fs.String("learn-rank", "", "拟合排序模型：配合 --folds 报告交叉验证留出结果，并在全部问题上拟合写入该文件 (如 internal/search/rank.json；\"-\" 只评测不写)")
	rankDepth := fs.Int("rank-depth", search.DefaultRankDepth, "排序模型重排的第一阶段候选数")
	rankerFile := fs.String("ranker", "", "使用该文件中的排序模型 (\"off\" 为不用排序模型；默认内置模型)")
	rankOff := fs.String("rank-off", "", "排序模型不用的特征 (逗号分隔；以分号分隔多组配置逐一交叉验证)")
	rankTrans := fs.Bool("rank-translation", false, "拟合排序模型时第一阶段使用翻译模型 (按折交叉拟合)")
	noTrans := fs.Bool("no-translation", false, "不使用翻译模型 (消融)")
	embedRank := addEmbedRankFlags(fs)
	transFile := fs.String("translation", "", "使用该文件中的翻译模型 (默认内置模型)")
	transAlso := fs.String("translation-also", "", "配合 --folds：翻译模型在该文件全部问题 + 本文件其余折上拟合，报告本文件留出折 (与只用该文件对比)")
	var rankAlsoSpecs []string
	fs.Func("rank-also", "配合 --learn-rank：同时在另一组问题 (问题文件[,问题文件…]@数据目录，在该资料库上检索) 上拟合排序模型，各组都报告交叉验证留出折；可重复", func(s string) error {
		rankAlsoSpecs = append(rankAlsoSpecs, s)
		return nil
	})
	rankAlsoWeight := fs.Int("rank-also-weight", 1, "--rank-also 问题的样本权重 (每个样本计入的次数)")
	rankTransAlso := fs.Bool("rank-translation-also", false, "配合 --rank-translation 与 --rank-also：翻译模型也在 --rank-also 问题的训练折上拟合 (其金标准条文须在 --data 的资料库中)，各组留出折的特征都来自没见过它的翻译模型")
	learnAlso := fs.String("learn-translation-also", "", "配合 --learn-translation：同时在这些问题文件 (逗号分隔；金标准条文须在 --data 的资料库中) 上拟合")
	rankPRF := fs.Float64("rank-prf", 0, "伪相关反馈的权重：拟合排序模型时反馈取自按折交叉拟合的排序模型的前 10 条；不拟合时检索也用它")
	defW := fs.Float64("def", -1, "定义条款扩展的权重 (0 为关闭，消融；默认内置权重)")
	assocW := fs.Float64("assoc", -1, "语料共现 (PMI) 扩展的权重 (0 为关闭，消融；默认内置权重)")
	anchor := addAnchorFlags(fs)
	rank := fs.String("rank", "both", "检索评测的排序：engine（本引擎）、bm25（朴素 BM25 基线）或 both（同场对比）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *qa != "" {
		return runQAEval(ctx, *dataDir, *qa, *outOfScope, *useModel, *asJSON)
	}
	if *queries == "" {
		return errors.New("用法: datalex eval --queries FILE [--k N] [--json] [--v] | datalex eval --qa FILE [--model] [--json]")
	}
	if *k <= 0 {
		return search.ErrBadK
	}
	qs, err := loadQuestions(*queries)
	if err != nil {
		return err
	}
	// Ablation of the mined vocabulary bridges: the default weights are
	// changed before the index is built, so every path below (folds, rank
	// fitting, plain runs) uses them.
	if *defW >= 0 {
		search.DefaultWeights.Def = float32(*defW)
	}
	if *assocW >= 0 {
		search.DefaultWeights.Assoc = float32(*assocW)
	}
	anchor.apply()
	if *rankPRF > 0 && *learnRank == "" {
		// Judging a model fitted with feedback: searches use it too.
		search.DefaultWeights.PRF = float32(*rankPRF)
	}
	ix, err := searchOpenIndex(ctx, *dataDir)
	if err != nil {
		return err
	}
	if s := ix.VocabStats(); *verbose {
		if s.AnchorUnits > 0 {
			evalAnchorCoverage(os.Stdout, ix, qs)
		}
		fmt.Printf("索引 %v：定义条款 %d 条 (%d 个术语)，共现目标词 %d 个 (%d 个倒排项)，有引用语境的条文 %d 条 (引用句 %d 处，来自 %d 条引用条文；建立 %v)\n", ix.BuildTime.Round(time.Millisecond), s.Definitions, s.DefinedTerms, s.AssocTargets, s.AssocPostings, s.AnchorUnits, s.AnchorWindows, s.AnchorCiting, s.AnchorBuild.Round(time.Millisecond))
	}
	if *learn != "" {
		idx := make([]int, len(qs))
		for i := range idx {
			idx[i] = i
		}
		pairs := evalPairs(qs, idx)
		for _, name := range strings.Split(*learnAlso, ",") {
			if name == "" {
				continue
			}
			more, err := loadQuestions(name)
			if err != nil {
				return err
			}
			pairs = append(pairs, evalPairs(more, foldFit(len(more), 1, 0))...)
		}
		data, err := ix.LearnTranslation(pairs).WriteJSON()
		if err != nil {
			return err
		}
		if err := os.WriteFile(*learn, append(data, '\n'), 0o644); err != nil {
			return err
		}
		fmt.Printf("翻译模型已写入 %s (%d 字节，%d 个问题)\n", *learn, len(data), len(pairs))
		return nil
	}
	if *transFile != "" {
		data, err := os.ReadFile(*transFile)
		if err != nil {
			return err
		}
		var t search.Translation
		if err := json.Unmarshal(data, &t); err != nil {
			return fmt.Errorf("%s: %w", *transFile, err)
		}
		ix.SetTranslation(t)
	}
	if *noTrans {
		ix.SetTranslation(nil)
	}
	if err := embedRank.install(ix, *dataDir, nil); err != nil {
		return err
	}
	switch *rankerFile {
	case "":
	case "off":
		ix.SetRanker(nil)
	default:
		data, err := os.ReadFile(*rankerFile)
		if err != nil {
			return err
		}
		r, err := search.ParseRanker(data)
		if err != nil {
			return fmt.Errorf("%s: %w", *rankerFile, err)
		}
		ix.SetRanker(r)
	}
	if *learnRank != "" {
		// The shipped translation model was fitted on these questions:
		// the ranking model is fitted and judged without it.
		ix.SetTranslation(nil)
		out := *learnRank
		if out == "-" {
			out = ""
		}
		if *anchor.grid != "" {
			grid, err := parseWeights(*anchor.grid)
			if err != nil {
				return err
			}
			return evalAnchorGrid(ctx, os.Stdout, ix, qs, *queries, *folds, *rankDepth, out, parseRankConfigs(*rankOff)[0], *rankTrans, grid)
		}
		var also []*rankAlso
		for _, spec := range rankAlsoSpecs {
			a, err := loadRankAlso(ctx, spec, *folds, *rankDepth, *rankAlsoWeight)
			if err != nil {
				return err
			}
			also = append(also, a)
		}
		return evalLearnRank(ctx, os.Stdout, ix, qs, *queries, *folds, *rankDepth, out, parseRankConfigs(*rankOff), *rankTrans, float32(*rankPRF), also, *rankTransAlso)
	}
	if *transAlso != "" {
		return evalTransAlso(ctx, os.Stdout, ix, qs, *queries, *transAlso, *folds, *k)
	}
	if *folds > 1 {
		ix.SetTranslation(nil) // fitted per fold, never the shipped one
		ix.SetRanker(nil)

		return evalFolds(ctx, os.Stdout, ix, qs, *queries, *folds, *k)
	}
	engines := map[string]evalSearch{
		"datalex": func(ctx context.Context, text string, k int) ([]search.Hit, error) {
			q, err := search.ParseQuery(text)
			if err != nil {
				return nil, err
			}
			if err := q.SetK(k); err != nil {
				return nil, err
			}
			res, err := ix.Search(ctx, q)
			if err != nil {
				return nil, err
			}
			return res.Hits, nil
		},
		"bm25": ix.BM25,
	}
	var order []string
	switch *rank {
	case "both":
		order = []string{"datalex", "bm25"}
	case "engine":
		order = []string{"datalex"}
	case "bm25":
		order = []string{"bm25"}
	default:
		return fmt.Errorf("--rank 只能是 engine、bm25 或 both")
	}
	var reports []evalReport
	for _, name := range order {
		results, lines, err := evalRun(ctx, qs, *k, engines[name])
		if err != nil {
			return err
		}
		report := evalReport{Engine: name, Queries: *queries, Overall: eval.Score(results), ByStyle: eval.ByStyle(results)}
		if *asJSON {
			report.Results = results
			reports = append(reports, report)
			continue
		}
		if *verbose {
			for _, l := range lines {
				fmt.Println(l)
			}
			fmt.Println()
		}
		evalPrint(os.Stdout, report)
		fmt.Println()
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if len(reports) == 1 {
			return enc.Encode(reports[0])
		}
		return enc.Encode(reports)
	}
	return nil
}

// evalSearch runs one question through an engine.
type evalSearch func(ctx context.Context, text string, k int) ([]search.Hit, error)

// evalRun searches every question and judges the hits; lines describe each
// question for --v.
func evalRun(ctx context.Context, qs []eval.Question, k int, run evalSearch) ([]eval.Result, []string, error) {
	var results []eval.Result
	var lines []string
	for _, q := range qs {
		hits, err := run(ctx, q.Question, k)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", q.ID, err)
		}
		eh := make([]eval.Hit, len(hits))
		for i, h := range hits {
			eh[i] = eval.Hit{Document: h.Document, Label: h.Label, Source: h.Source, Line: h.Line, Offset: h.Offset}
		}
		r := eval.Result{ID: q.ID, Style: q.Style, Ranks: eval.Ranks(q, eh)}
		results = append(results, r)
		var top []string
		for i, h := range hits[:min(3, len(hits))] {
			top = append(top, fmt.Sprintf("%d.%s", i+1, h.Citation))
		}
		var gold []string
		for _, g := range q.Gold {
			gold = append(gold, g.Doc+" "+g.Article)
		}
		lines = append(lines, fmt.Sprintf("%s %-12s 名次 %v  金标准: %s  前三: %s", q.ID, q.Style, r.Ranks, strings.Join(gold, "；"), strings.Join(top, " ")))
	}
	return results, lines, nil
}

type evalReport struct {
	Engine  string                  `json:"engine"`
	Queries string                  `json:"queries"`
	Overall eval.Metrics            `json:"overall"`
	ByStyle map[string]eval.Metrics `json:"by_style"`
	Results []eval.Result           `json:"results,omitempty"`
}

func evalPrint(w io.Writer, r evalReport) {
	fmt.Fprintf(w, "评测 %s (%s)\n", r.Queries, r.Engine)
	fmt.Fprintf(w, "%-14s %4s %8s %8s %8s %8s %7s %7s %7s %7s %8s %8s\n", "", "N",
		"R@1", "R@3", "R@10", "R@100", "hit@1", "hit@3", "hit@10", "hit@100", "MRR@10", "nDCG@10")
	row := func(name string, m eval.Metrics) {
		fmt.Fprintf(w, "%-14s %4d %8.3f %8.3f %8.3f %8.3f %7.3f %7.3f %7.3f %7.3f %8.3f %8.3f\n", name, m.N,
			m.Recall[1], m.Recall[3], m.Recall[10], m.Recall[100], m.Hit[1], m.Hit[3], m.Hit[10], m.Hit[100], m.MRR10, m.NDCG10)
	}
	row("全部", r.Overall)
	var styles []string
	for s := range r.ByStyle {
		styles = append(styles, s)
	}
	sort.Strings(styles)
	for _, s := range styles {
		row(s, r.ByStyle[s])
	}
}

// runQAEval measures the answerer on questions with answer facts and on
// out-of-scope questions it should refuse.
func runQAEval(ctx context.Context, dataDir, file, outOfScopeFile string, useModel, asJSON bool) error {
	items, err := answer.LoadQA(file)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	oos := answer.OutOfScope()
	if outOfScopeFile != "" {
		if oos, err = answer.LoadLines(outOfScopeFile); err != nil {
			return err
		}
	}
	env, err := openQA(ctx, dataDir, useModel)
	if err != nil {
		return err
	}
	defer env.st.Close()
	if useModel && !env.ans.HasModel() {
		return errors.New("未配置大模型端点：请设置 DATALEX_LLM_BASE_URL 与 DATALEX_LLM_MODEL")
	}
	rep := answer.EvaluateQA(ctx, env.ans, items, oos)
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if asJSON {
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	fmt.Printf("问答评测 (%s)：%d 个问题，%d 个域外问题\n", rep.Answerer, rep.Questions, rep.OutOfScope)
	fmt.Printf("  事实召回率        %.3f\n", rep.FactRecall)
	fmt.Printf("  引用准确率        %.3f\n", rep.CitationPrecision)
	fmt.Printf("  句子支持率        %.3f\n", rep.SupportedRate)
	fmt.Printf("  域外拒答率        %.3f\n", rep.OutOfScopeRefusal)
	fmt.Printf("  域内误拒          %d\n", rep.InScopeRefusals)
	fmt.Printf("  延迟 p50 / p95    %.1f / %.1f ms\n", rep.LatencyP50Millis, rep.LatencyP95Millis)
	for _, q := range rep.OutOfScopeMissed {
		fmt.Printf("  未拒答的域外问题: %s\n", q)
	}
	return nil
}

// evalGrid is the field-weight grid the cross-validation chooses from.
var evalGrid = func() []search.Weights {
	var out []search.Weights
	for _, t := range []float32{0, 0.15} {
		for _, h := range []float32{0.4, 0.8} {
			for _, c := range []float32{0.25, 0.6, 1} {
				for _, f := range []float32{0, 0.3, 0.6} {
					out = append(out, search.Weights{Title: t, Head: h, Coord: c, PRF: f})
				}
			}
		}
	}
	return out
}()

// evalFolds is k-fold cross-validation: every question is searched once per
// grid point (the index is built once), then for each fold the weights with
// the best MRR@10 on the other folds are scored on the held-out fold. Folds
// are assigned by question order (i mod k), so runs are reproducible.
func evalFolds(ctx context.Context, w io.Writer, ix *search.Index, qs []eval.Question, file string, k, depth int) error {
	defer ix.SetWeights(search.DefaultWeights)
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
	grid := make([][]eval.Result, len(evalGrid))
	for gi, wt := range evalGrid {
		ix.SetWeights(wt)
		res, _, err := evalRun(ctx, qs, depth, engine)
		if err != nil {
			return err
		}
		grid[gi] = res
	}
	base, _, err := evalRun(ctx, qs, depth, ix.BM25)
	if err != nil {
		return err
	}
	pick := func(rs []eval.Result, in func(i int) bool) []eval.Result {
		var out []eval.Result
		for i, r := range rs {
			if in(i) {
				out = append(out, r)
			}
		}
		return out
	}
	fmt.Fprintf(w, "每组权重在全部 %d 题上的结果 (仅供消融对比，不是留出结果)\n", len(qs))
	for gi, wt := range evalGrid {
		m := eval.Score(grid[gi])
		fmt.Fprintf(w, "  %+v  R@10 %.3f R@100 %.3f MRR@10 %.3f\n", wt, m.Recall[10], m.Recall[100], m.MRR10)
	}
	var held, heldTrans []eval.Result
	defer ix.SetTranslation(nil)
	fmt.Fprintf(w, "%d 折交叉验证 %s：每折在训练折上按 MRR@10 选字段权重\n", k, file)
	for f := 0; f < k; f++ {
		train := func(i int) bool { return i%k != f }
		best, bestMRR := 0, -1.0
		for gi := range grid {
			if m := eval.Score(pick(grid[gi], train)).MRR10; m > bestMRR {
				best, bestMRR = gi, m
			}
		}
		test := pick(grid[best], func(i int) bool { return i%k == f })
		m := eval.Score(test)
		fmt.Fprintf(w, "  折 %d: 权重 %+v (训练 MRR@10 %.3f)  留出 R@10 %.3f R@100 %.3f MRR@10 %.3f\n",
			f+1, evalGrid[best], bestMRR, m.Recall[10], m.Recall[100], m.MRR10)
		held = append(held, test...)

		// The translation model: fitted on the training folds only; its
		// weight chosen on an inner split of the training folds (model
		// from three of them, scored on the fourth).
		var trainIdx, innerFit, innerVal, testIdx []int
		for i := range qs {
			switch {
			case i%k == f:
				testIdx = append(testIdx, i)
			default:
				trainIdx = append(trainIdx, i)
				if (i/k)%4 == 0 {
					innerVal = append(innerVal, i)
				} else {
					innerFit = append(innerFit, i)
				}
			}
		}
		wt := evalGrid[best]
		ix.SetTranslation(ix.LearnTranslation(evalPairs(qs, innerFit)))
		bestL, bestLM := float32(0), -1.0
		for _, l := range evalTransGrid {
			wt.Trans = l
			ix.SetWeights(wt)
			res, _, err := evalRun(ctx, evalSubset(qs, innerVal), depth, engine)
			if err != nil {
				return err
			}
			if m := eval.Score(res).MRR10; m > bestLM {
				bestL, bestLM = l, m
			}
		}
		ix.SetTranslation(ix.LearnTranslation(evalPairs(qs, trainIdx)))
		wt.Trans = bestL
		ix.SetWeights(wt)
		res, _, err := evalRun(ctx, evalSubset(qs, testIdx), depth, engine)
		if err != nil {
			return err
		}
		m = eval.Score(res)
		fmt.Fprintf(w, "      + 翻译模型 (权重 %.2f，内部验证 MRR@10 %.3f)  留出 R@10 %.3f R@100 %.3f MRR@10 %.3f\n", bestL, bestLM, m.Recall[10], m.Recall[100], m.MRR10)
		heldTrans = append(heldTrans, res...)
		ix.SetTranslation(nil)
	}
	evalPrint(w, evalReport{Engine: "datalex + 翻译模型，交叉验证留出折", Queries: file, Overall: eval.Score(heldTrans), ByStyle: eval.ByStyle(heldTrans)})
	evalPrint(w, evalReport{Engine: "datalex，交叉验证留出折", Queries: file, Overall: eval.Score(held), ByStyle: eval.ByStyle(held)})
	evalPrint(w, evalReport{Engine: "bm25", Queries: file, Overall: eval.Score(base), ByStyle: eval.ByStyle(base)})
	def := 0
	for gi, wt := range evalGrid {
		if wt == search.DefaultWeights {
			def = gi
		}
	}
	evalPrint(w, evalReport{Engine: "datalex，默认权重 (在全部题上选定，非留出)", Queries: file, Overall: eval.Score(grid[def]), ByStyle: eval.ByStyle(grid[def])})
	return nil
}

// evalTransGrid is the translation-model weights an inner split picks from.
var evalTransGrid = []float32{0, 0.2, 0.4, 0.7}

func evalSubset(qs []eval.Question, idx []int) []eval.Question {
	out := make([]eval.Question, len(idx))
	for i, j := range idx {
		out[i] = qs[j]
	}
	return out
}

// evalPairs are the training pairs of the questions at idx.
func evalPairs(qs []eval.Question, idx []int) []search.TrainPair {
	var out []search.TrainPair
	for _, i := range idx {
		p := search.TrainPair{Question: qs[i].Question}
		for _, g := range qs[i].Gold {
			p.Gold = append(p.Gold, [2]string{g.Doc, g.Article})
		}
		out = append(out, p)
	}
	return out
}

// loadQuestions reads a question file.
func loadQuestions(name string) ([]eval.Question, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	qs, err := eval.Load(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return qs, nil
}
