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
	f, err := os.Open(*queries)
	if err != nil {
		return err
	}
	qs, err := eval.Load(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", *queries, err)
	}
	ix, err := searchOpenIndex(ctx, *dataDir)
	if err != nil {
		return err
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
