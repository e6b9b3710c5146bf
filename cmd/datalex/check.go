package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"datalex/internal/selfcheck/crossborder"
	"datalex/internal/selfcheck/incident"
	"datalex/internal/selfcheck/pia"
)

// runCheck dispatches the 合规自查 decision tools. They need no database:
// their rules and quotes are embedded and verified against the bundled
// library by their tests.
func runCheck(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(os.Stderr, "用法: datalex check <工具> --case FILE.json [--json]\n\n工具:\n  crossborder  数据出境路径判定（安全评估 / 标准合同或认证 / 免予申报）\n  pia          个人信息保护影响评估：是否必须评估、评估内容、记录保存期限\n  incident     数据/网络安全事件：向谁报告、何时、报告什么")
		if len(args) == 0 {
			return errors.New("缺少工具名")
		}
		return flag.ErrHelp
	}
	switch args[0] {
	case "crossborder":
		return runCheckCrossborder(ctx, args[1:])
	case "pia":
		return runCheckJSON("pia", args[1:], func(data []byte) (any, error) {
			f, err := pia.ParseFacts(data)
			if err != nil {
				return nil, err
			}
			return pia.Decide(f, time.Now()), nil
		})
	case "incident":
		return runCheckJSON("incident", args[1:], func(data []byte) (any, error) {
			f, err := incident.ParseFacts(data)
			if err != nil {
				return nil, err
			}
			return incident.Decide(f), nil
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

func runCheckCrossborder(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("check crossborder", flag.ContinueOnError)
	casePath := fs.String("case", "", "案例 JSON 文件；- 表示标准输入")
	asJSON := fs.Bool("json", false, "输出 JSON")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `用法: datalex check crossborder --case FILE.json [--json]
案例字段（全部必填）: cii_operator (bool), important_data (bool), personal_info (当年1月1日起累计的非敏感个人信息人数),
sensitive_personal_info (敏感个人信息人数), scenario (contract_with_individual | hr_management | emergency |
trade_no_personal_info | foreign_collected | none), ftz_outside_negative_list (bool)`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *casePath == "" {
		fs.Usage()
		return errors.New("缺少 --case")
	}
	data, err := readCase(*casePath)
	if err != nil {
		return err
	}
	f, err := crossborder.ParseFacts(data)
	if err != nil {
		return fmt.Errorf("%s: %w", *casePath, err)
	}
	r := crossborder.Decide(f)
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "结论：%s\n路径：%s（%s）\n\n判断依据：\n", r.Conclusion, r.RouteLabel, r.Route)
	for i, s := range r.Steps {
		fmt.Fprintf(&b, "  %d. %s —— %s\n", i+1, s.Finding, s.Citation.String())
	}
	if len(r.Obligations) > 0 {
		b.WriteString("\n仍须履行的义务：\n")
		for _, o := range r.Obligations {
			fmt.Fprintf(&b, "  - %s\n", o)
		}
	}
	if len(r.Documents) > 0 {
		fmt.Fprintf(&b, "\n需准备的材料：%s\n", strings.Join(r.Documents, "；"))
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "\n注意：%s\n", n)
	}
	b.WriteString("\n引用条文：\n")
	for _, c := range r.Citations {
		fmt.Fprintf(&b, "  %s：“%s”\n", c.String(), c.Quote)
	}
	_, err = io.WriteString(os.Stdout, b.String())
	return err
}

// runCheckJSON runs a tool whose output is its JSON result.
func runCheckJSON(name string, args []string, decide func([]byte) (any, error)) error {
	fs := flag.NewFlagSet("check "+name, flag.ContinueOnError)
	casePath := fs.String("case", "", "案例 JSON 文件；- 表示标准输入")
	fs.Bool("json", true, "输出 JSON（此工具总是输出 JSON）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *casePath == "" {
		fs.Usage()
		return errors.New("缺少 --case")
	}
	data, err := readCase(*casePath)
	if err != nil {
		return err
	}
	res, err := decide(data)
	if err != nil {
		return fmt.Errorf("%s: %w", *casePath, err)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}
