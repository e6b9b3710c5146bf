package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"datalex/internal/account"
	"datalex/internal/selfcheck"
	"datalex/internal/selfcheck/classify"
	"datalex/internal/selfcheck/crossborder"
	"datalex/internal/selfcheck/incident"
	"datalex/internal/selfcheck/pia"
)

// runCheck dispatches the 合规自查 decision tools. They need no database:
// their rules and quotes are embedded and verified against the bundled
// library by their tests.
func runCheck(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(os.Stderr, "用法: datalex check <工具> --case FILE.json [--json] [--save --user 用户名 --org 组织]\n\n工具:\n  crossborder  数据出境路径判定（安全评估 / 标准合同或认证 / 免予申报）\n  pia          个人信息保护影响评估：是否必须评估、评估内容、记录保存期限\n  incident     数据/网络安全事件：向谁报告、何时、报告什么\n  classify     数据分类分级与重要数据识别：--file 目录.csv|.xlsx [--csv 结果.csv] [--xlsx 结果.xlsx] [--save --user 用户名 --org 组织]\n  records      按组织保存的自查记录：--user 用户名 [--org 组织] [--json]；依据的条文已变化的标为需复核")
		if len(args) == 0 {
			return errors.New("缺少工具名")
		}
		return flag.ErrHelp
	}
	switch args[0] {
	case "crossborder":
		return runCheckCrossborder(ctx, args[1:])
	case "pia":
		return runCheckJSON(ctx, "pia", args[1:], func(data []byte) (any, []selfcheck.Citation, error) {
			f, err := pia.ParseFacts(data)
			if err != nil {
				return nil, nil, err
			}
			r := pia.Decide(f, time.Now())
			return r, r.Citations, nil
		})
	case "incident":
		return runCheckJSON(ctx, "incident", args[1:], func(data []byte) (any, []selfcheck.Citation, error) {
			f, err := incident.ParseFacts(data)
			if err != nil {
				return nil, nil, err
			}
			r := incident.Decide(f)
			return r, r.Citations, nil
		})
	case "classify":
		return runCheckClassify(ctx, args[1:])
	case "records":
		return runCheckRecords(ctx, args[1:])
	}
	return fmt.Errorf("未知的自查工具 %q（可用：crossborder、pia、incident、classify、records）", args[0])
}

func readCase(path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(io.LimitReader(os.Stdin, 1<<20))
	}
	return os.ReadFile(path)
}

func runCheckCrossborder(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("check crossborder", flag.ContinueOnError)
	casePath := fs.String("case", "", "案例 JSON 文件；- 表示标准输入")
	asJSON := fs.Bool("json", false, "输出 JSON")
	sv := saveFlags(fs)
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
	if err := sv.save(ctx, "crossborder", json.RawMessage(data), r, r.Citations); err != nil {
		return err
	}
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
func runCheckJSON(ctx context.Context, name string, args []string, decide func([]byte) (any, []selfcheck.Citation, error)) error {
	fs := flag.NewFlagSet("check "+name, flag.ContinueOnError)
	casePath := fs.String("case", "", "案例 JSON 文件；- 表示标准输入")
	fs.Bool("json", true, "输出 JSON（此工具总是输出 JSON）")
	sv := saveFlags(fs)
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
	res, cites, err := decide(data)
	if err != nil {
		return fmt.Errorf("%s: %w", *casePath, err)
	}
	if err := sv.save(ctx, name, json.RawMessage(data), res, cites); err != nil {
		return err
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}

// checkSave is the --save/--user/--org trio: file the completed check in
// the platform database under an organisation.
type checkSave struct {
	on      *bool
	user    *string
	org     *string
	dataDir *string
}

func saveFlags(fs *flag.FlagSet) *checkSave {
	return &checkSave{
		on:      fs.Bool("save", false, "把本次自查存入平台数据库（需 --user 与 --org）"),
		user:    fs.String("user", "", "记录所属用户的用户名"),
		org:     fs.String("org", "", "记录所属组织名称"),
		dataDir: dataDirFlag(fs),
	}
}

func (sv *checkSave) save(ctx context.Context, tool string, input, result any, cites []selfcheck.Citation) error {
	if !*sv.on {
		return nil
	}
	if *sv.user == "" || *sv.org == "" {
		return errors.New("--save 需要 --user 与 --org")
	}
	st, versions, err := openLibrary(ctx, *sv.dataDir)
	if err != nil {
		return err
	}
	defer st.Close()
	cited := selfcheck.NewLibrary(versions).CiteAll(cites)
	u, err := account.New(st.DB()).ByUsername(ctx, *sv.user)
	if err != nil {
		return fmt.Errorf("用户 %s：%w", *sv.user, err)
	}
	rec, err := selfcheck.NewRecords(st.DB()).Save(ctx, u.ID, *sv.org, tool, input, result, cited)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "已保存自查记录 %s（组织 %s，依据指纹 %s）\n", rec.ID, rec.Org, rec.Fingerprint)
	return nil
}

// runCheckRecords lists an owner's filed checks and flags those whose cited
// provisions have since changed status or text in the library.
func runCheckRecords(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("check records", flag.ContinueOnError)
	user := fs.String("user", "", "用户名")
	org := fs.String("org", "", "只列出该组织的记录")
	asJSON := fs.Bool("json", false, "输出 JSON")
	dataDir := dataDirFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *user == "" {
		return errors.New("缺少 --user")
	}
	st, versions, err := openExistingLibrary(ctx, *dataDir)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := account.New(st.DB()).ByUsername(ctx, *user)
	if err != nil {
		return fmt.Errorf("用户 %s：%w", *user, err)
	}
	recs, err := selfcheck.NewRecords(st.DB()).List(ctx, u.ID, *org)
	if err != nil {
		return err
	}
	lib := selfcheck.NewLibrary(versions)
	for _, r := range recs {
		selfcheck.Review(r, lib)
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if recs == nil {
			recs = []*selfcheck.Record{}
		}
		return enc.Encode(recs)
	}
	for _, r := range recs {
		flag := "依据未变"
		if len(r.Review) > 0 {
			flag = "需复核：" + strings.Join(r.Review, "；")
		}
		fmt.Printf("%s  %s  %-11s  %s  %s\n", r.ID, r.CreatedAt.Format("2006-01-02"), r.Tool, r.Org, flag)
	}
	return nil
}

// runCheckClassify classifies a data catalogue (CSV or XLSX) and prints the
// result as JSON, optionally exporting it.
func runCheckClassify(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("check classify", flag.ContinueOnError)
	file := fs.String("file", "", "数据目录 .csv 或 .xlsx")
	csvOut := fs.String("csv", "", "另导出结果为 .csv")
	xlsxOut := fs.String("xlsx", "", "另导出结果为 .xlsx")
	sv := saveFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *file == "" {
		return errors.New("缺少 --file")
	}
	st, err := os.Stat(*file)
	if err != nil {
		return err
	}
	if st.Size() > classify.MaxUploadBytes {
		return fmt.Errorf("%s 超过 %d MB", *file, classify.MaxUploadBytes>>20)
	}
	data, err := os.ReadFile(*file)
	if err != nil {
		return err
	}
	items, err := classify.Read(*file, data)
	if err != nil {
		return fmt.Errorf("%s: %w", *file, err)
	}
	lib, err := selfcheck.Bundled()
	if err != nil {
		return fmt.Errorf("载入内置资料库: %w", err)
	}
	r := classify.Classify(items, lib)
	if err := sv.save(ctx, "classify", items, r, r.Citations); err != nil {
		return err
	}
	for _, out := range []struct {
		path  string
		write func(io.Writer, classify.Result) error
	}{{*csvOut, classify.WriteCSV}, {*xlsxOut, classify.WriteXLSX}} {
		if out.path == "" {
			continue
		}
		var buf bytes.Buffer
		if err := out.write(&buf, r); err != nil {
			return err
		}
		if err := os.WriteFile(out.path, buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
