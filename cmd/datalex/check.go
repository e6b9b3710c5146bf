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
	"strings"
	"time"

	"datalex/internal/selfcheck"
	"datalex/internal/selfcheck/crossborder"
	"datalex/internal/selfcheck/incident"
	"datalex/internal/selfcheck/pia"
)

// runCheck runs one of the 合规自查 decision tools on a case file.
func runCheck(ctx context.Context, args []string) error {
	usage := "用法: datalex check crossborder|pia|incident --case FILE.json [--json]"
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(os.Stderr, usage)
		if len(args) == 0 {
			return errors.New("缺少工具名（crossborder、pia、incident）")
		}
		return nil
	}
	switch args[0] {
	case "crossborder":
		return runCheckCrossborder(ctx, args[1:])
	case "pia":
		return runCheckSimple(ctx, "pia", args[1:], func(data []byte, lib *selfcheck.Library) (any, error) {
			c, err := pia.Parse(data)
			if err != nil {
				return nil, err
			}
			return pia.Assess(c, lib, time.Now()), nil
		})
	case "incident":
		return runCheckSimple(ctx, "incident", args[1:], func(data []byte, lib *selfcheck.Library) (any, error) {
			c, err := incident.Parse(data)
			if err != nil {
				return nil, err
			}
			return incident.Decide(c, lib), nil
		})
	}
	return fmt.Errorf("未知的自查工具 %q（可用：crossborder、pia、incident）", args[0])
}

func readCase(path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(io.LimitReader(os.Stdin, 1<<20))
	}
	return os.ReadFile(path)
}

func runCheckCrossborder(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("check crossborder", flag.ContinueOnError)
	casePath := fs.String("case", "", "案例文件（JSON 对象）；- 表示标准输入")
	asJSON := fs.Bool("json", false, "输出 JSON")
	dataDirFlag(fs) // accepted for uniformity; citations come from the bundled library
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *casePath == "" {
		return errors.New("缺少 --case")
	}
	data, err := readCase(*casePath)
	if err != nil {
		return err
	}
	c, err := crossborder.Parse(data)
	if err != nil {
		return fmt.Errorf("%s: %w", *casePath, err)
	}
	lib, err := selfcheck.Bundled()
	if err != nil {
		return fmt.Errorf("载入内置资料库: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	r := crossborder.Decide(c, lib)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	if *asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(r)
	}
	fmt.Fprintf(w, "路径: %s (%s)\n", r.RouteName, r.Route)
	section := func(title string, xs []string) {
		if len(xs) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s:\n", title)
		for _, x := range xs {
			fmt.Fprintf(w, "  - %s\n", x)
		}
	}
	section("判定步骤", r.Steps)
	section("各路径均须履行的义务", r.Obligations)
	section("申报、备案与材料", r.Filings)
	if r.Validity != nil {
		section("评估结果有效期", []string{r.Validity.Text})
	}
	section("提示", r.Notes)
	fmt.Fprintln(w, "\n依据:")
	for _, ct := range r.Citations {
		fmt.Fprintf(w, "  %s：“%s”\n", ct.String(), strings.TrimSpace(ct.Quote))
	}
	return nil
}

// runCheckSimple runs a tool whose result is printed as JSON (the text form
// is the JSON as well: these records are meant to be filed).
func runCheckSimple(ctx context.Context, name string, args []string, run func([]byte, *selfcheck.Library) (any, error)) error {
	fs := flag.NewFlagSet("check "+name, flag.ContinueOnError)
	casePath := fs.String("case", "", "案例文件（JSON 对象）；- 表示标准输入")
	fs.Bool("json", true, "输出 JSON（默认）")
	dataDirFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *casePath == "" {
		return errors.New("缺少 --case")
	}
	data, err := readCase(*casePath)
	if err != nil {
		return err
	}
	lib, err := selfcheck.Bundled()
	if err != nil {
		return fmt.Errorf("载入内置资料库: %w", err)
	}
	r, err := run(data, lib)
	if err != nil {
		return fmt.Errorf("%s: %w", *casePath, err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
