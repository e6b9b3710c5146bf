package main

import (
	"bufio"
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

// runCheck runs one of the 合规自查 decision tools on a case file.
func runCheck(ctx context.Context, args []string) error {
	usage := "用法: datalex check crossborder|pia|incident --case FILE.json [--json] [--save --user 用户名 --org 组织]\n      datalex check classify --file 目录.csv|.xlsx [--csv 结果.csv] [--xlsx 结果.xlsx]\n      datalex check records --user 用户名 [--org 组织] [--json]"
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
		return runCheckSimple(ctx, "pia", args[1:], func(data []byte, lib *selfcheck.Library) (any, []selfcheck.Citation, error) {
			c, err := pia.Parse(data)
			if err != nil {
				return nil, nil, err
			}
			r := pia.Assess(c, lib, time.Now())
			return r, r.Citations, nil
		})
	case "incident":
		return runCheckSimple(ctx, "incident", args[1:], func(data []byte, lib *selfcheck.Library) (any, []selfcheck.Citation, error) {
			c, err := incident.Parse(data)
			if err != nil {
				return nil, nil, err
			}
			r := incident.Decide(c, lib)
			return r, r.Citations, nil
		})
	case "records":
		return runCheckRecords(ctx, args[1:])
	case "classify":
		return runCheckClassify(ctx, args[1:])
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
	casePath := fs.String("case", "", "案例文件（JSON 对象）；- 表示标准输入")
	asJSON := fs.Bool("json", false, "输出 JSON")
	sv := saveFlags(fs)
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
	if err := sv.save(ctx, "crossborder", c, r, r.Citations); err != nil {
		return err
	}
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
func runCheckSimple(ctx context.Context, name string, args []string, run func([]byte, *selfcheck.Library) (any, []selfcheck.Citation, error)) error {
	fs := flag.NewFlagSet("check "+name, flag.ContinueOnError)
	casePath := fs.String("case", "", "案例文件（JSON 对象）；- 表示标准输入")
	fs.Bool("json", true, "输出 JSON（默认）")
	sv := saveFlags(fs)
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
	r, cited, err := run(data, lib)
	if err != nil {
		return fmt.Errorf("%s: %w", *casePath, err)
	}
	if err := sv.save(ctx, name, json.RawMessage(data), r, cited); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
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

func (sv *checkSave) save(ctx context.Context, tool string, input, result any, cited []selfcheck.Citation) error {
	if !*sv.on {
		return nil
	}
	if *sv.user == "" || *sv.org == "" {
		return errors.New("--save 需要 --user 与 --org")
	}
	st, _, err := openLibrary(ctx, *sv.dataDir)
	if err != nil {
		return err
	}
	defer st.Close()
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
	st, versions, err := openLibrary(ctx, *dataDir)
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
