package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"datalex/internal/ruzhang"
)

// runRuzhang evaluates one or more 入表 cases from a JSON file (an object,
// an array of objects, or JSON Lines) and prints the results.
func runRuzhang(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("ruzhang", flag.ContinueOnError)
	casePath := fs.String("case", "", "案例文件：JSON 对象、JSON 数组或 JSONL；- 表示标准输入")
	asJSON := fs.Bool("json", false, "输出完整的 JSON 结果")
	asMarkdown := fs.Bool("markdown", false, "输出 Markdown 报告（多个案例时附汇总披露表）")
	asHTML := fs.Bool("html", false, "输出可打印的 HTML 报告")
	strict := fs.Bool("strict", false, "案例尚有未回答的问题时视为错误")
	dataDirFlag(fs) // accepted for uniformity; the engine needs no database
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "用法: datalex ruzhang --case FILE.json [--json | --markdown | --html] [--strict]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *casePath == "" {
		fs.Usage()
		return errors.New("缺少 --case")
	}
	var data []byte
	var err error
	if *casePath == "-" {
		data, err = io.ReadAll(os.Stdin)
	} else {
		data, err = os.ReadFile(*casePath)
	}
	if err != nil {
		return err
	}
	cases, err := ruzhang.ParseCases(data)
	if err != nil {
		return fmt.Errorf("%s: %w", *casePath, err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	items, failed := ruzhang.EvaluateBatch(cases, *strict)

	w := bufio.NewWriter(os.Stdout)
	switch {
	case *asJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if len(items) == 1 && items[0].Errors == nil {
			err = enc.Encode(items[0].Result)
		} else {
			err = enc.Encode(items)
		}
	case *asHTML:
		err = ruzhang.WriteHTML(w, okResults(items))
	default:
		writeRuzhangText(w, items, *asMarkdown)
	}
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d 个案例未通过（共 %d 个）", failed, len(cases))
	}
	return nil
}

func okResults(items []ruzhang.BatchItem) []*ruzhang.Result {
	var rs []*ruzhang.Result
	for _, it := range items {
		if it.Result != nil && it.Errors == nil {
			rs = append(rs, it.Result)
		}
	}
	return rs
}

func writeRuzhangText(w io.Writer, items []ruzhang.BatchItem, markdown bool) {
	for i, it := range items {
		if i > 0 {
			fmt.Fprintln(w, "\n---")
		}
		if len(it.Errors) > 0 {
			fmt.Fprintf(w, "案例 %d（%s）未通过：\n", it.Index, it.ID)
			for _, e := range it.Errors {
				fmt.Fprintf(w, "  - %s：%s\n", e.Field, e.Message)
			}
			continue
		}
		if markdown {
			fmt.Fprint(w, ruzhang.Markdown(it.Result))
		} else {
			fmt.Fprint(w, ruzhang.Summary(it.Result))
		}
	}
	rs := okResults(items)
	if !markdown || len(rs) < 2 {
		return
	}
	var ms []ruzhang.Movements
	for _, r := range rs {
		if r.Movements != nil {
			ms = append(ms, *r.Movements)
		}
	}
	if tables := ruzhang.DisclosureTables(ms); len(tables) > 0 {
		fmt.Fprintf(w, "\n---\n\n# 汇总披露（%d 个案例）\n", len(ms))
		fmt.Fprint(w, ruzhang.TablesMarkdown(tables))
	}
}
