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
	qa := fs.Bool("qa", false, "评测问答 (由问答模块提供)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *qa {
		return errors.New("问答评测尚未接入本命令")
	}
	if *queries == "" {
		return errors.New("用法: datalex eval --queries FILE [--k N] [--json] [--v]")
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
	results, lines, err := evalRun(ctx, qs, *k, func(ctx context.Context, text string, k int) ([]search.Hit, error) {
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
	})
	if err != nil {
		return err
	}
	report := evalReport{Engine: "datalex", Queries: *queries, Overall: eval.Score(results), ByStyle: eval.ByStyle(results)}
	if *asJSON {
		report.Results = results
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	}
	if *verbose {
		for _, l := range lines {
			fmt.Println(l)
		}
		fmt.Println()
	}
	evalPrint(os.Stdout, report)
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
