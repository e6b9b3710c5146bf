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
	casePath := fs.String("case", "", "案例文件 (JSON 对象、JSON 数组或 JSONL；- 表示标准输入)")
	asJSON := fs.Bool("json", false, "输出完整的 JSON 结果")
	asMarkdown := fs.Bool("markdown", false, "输出 Markdown 报告")
	asHTML := fs.Bool("html", false, "输出可打印的 HTML 报告")
	strict := fs.Bool("strict", false, "案例尚有未回答的问题时视为错误")
	dataDirFlag(fs)
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

	type outcome struct {
		Index  int                  `json:"index"`
		ID     string               `json:"id,omitempty"`
		Result *ruzhang.Result      `json:"result,omitempty"`
		Errors []ruzhang.FieldError `json:"errors,omitempty"`
	}
	var outs []outcome
	failed := 0
	var results []*ruzhang.Result
	for i, c := range cases {
		if err := ctx.Err(); err != nil {
			return err
		}
		o := outcome{Index: i + 1, ID: c.ID}
		res, err := ruzhang.Evaluate(c)
		var verr *ruzhang.ValidationError
		switch {
		case errors.As(err, &verr):
			o.Errors = verr.Errors
			failed++
		case err != nil:
			return err
		case *strict && !res.Complete:
			for _, q := range res.Questions {
				o.Errors = append(o.Errors, ruzhang.FieldError{Field: q.Field, Message: "请回答：" + q.Prompt})
			}
			o.Result = res
			failed++
		default:
			o.Result = res
			results = append(results, res)
		}
		outs = append(outs, o)
	}

	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	switch {
	case *asJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if len(outs) == 1 && outs[0].Errors == nil {
			err = enc.Encode(outs[0].Result)
		} else {
			err = enc.Encode(outs)
		}
		if err != nil {
			return err
		}
	case *asHTML:
		if err := ruzhang.WriteHTML(w, results); err != nil {
			return err
		}
	default:
		for i, o := range outs {
			if i > 0 {
				fmt.Fprintln(w, "\n---")
			}
			if len(o.Errors) > 0 {
				fmt.Fprintf(w, "案例 %d（%s）有误：\n", o.Index, o.ID)
				for _, e := range o.Errors {
					fmt.Fprintf(w, "  - %s：%s\n", e.Field, e.Message)
				}
				continue
			}
			if *asMarkdown {
				fmt.Fprint(w, ruzhang.Markdown(o.Result))
			} else {
				fmt.Fprint(w, ruzhang.Summary(o.Result))
			}
		}
	}
	if failed > 0 {
		w.Flush()
		return fmt.Errorf("%d 个案例未通过校验（共 %d 个）", failed, len(cases))
	}
	return nil
}
