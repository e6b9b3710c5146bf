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
	"path/filepath"

	"datalex/internal/account"
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
	xlsxPath := fs.String("xlsx", "", "另将工作底稿与附注披露导出为 .xlsx 文件")
	dataDirFlag(fs) // accepted for uniformity; the engine needs no database
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "用法: datalex ruzhang --case FILE.json [--json | --markdown | --html] [--strict] [--xlsx 底稿.xlsx]\n      datalex ruzhang ledger …（组织台账，见 datalex ruzhang ledger help）")
		fs.PrintDefaults()
	}
	if len(args) > 0 && args[0] == "ledger" {
		return runLedger(ctx, args[1:])
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
	case *asHTML && hasPeriods(okResults(items)):
		err = ruzhang.WriteLedgerHTML(w, "数据资产台账报告", okResults(items), nil)
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
	if *xlsxPath != "" {
		if err := writeXLSXFile(*xlsxPath, "数据资产入表工作底稿", okResults(items), nil); err != nil {
			return err
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d 个案例未通过（共 %d 个）", failed, len(cases))
	}
	return nil
}

func hasPeriods(rs []*ruzhang.Result) bool {
	for _, r := range rs {
		if len(r.Periods) > 0 {
			return true
		}
	}
	return false
}

// writeXLSXFile writes the workbook next to its final name and renames it,
// so a failed export never leaves half a file.
func writeXLSXFile(path, title string, rs []*ruzhang.Result, audit []ruzhang.AuditRecord) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".datalex-*.xlsx")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := ruzhang.WriteXLSX(tmp, title, rs, audit); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
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

// runLedger is `datalex ruzhang ledger SUBCOMMAND`: organisations' data
// asset ledgers in the platform database, acting as a named user (the
// owner), with every change in the audit trail.
func runLedger(ctx context.Context, args []string) error {
	usage := "用法: datalex ruzhang ledger orgs|org-create|add|list|export|audit --user 用户名 [--org ID] [--name 名称 --type enterprise|government] [--case 案例.json [--asset ID]] [--xlsx 文件] [--html 文件]"
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" {
		fmt.Println(usage)
		return nil
	}
	sub := args[0]
	fs := flag.NewFlagSet("ruzhang ledger "+sub, flag.ContinueOnError)
	dataDir := dataDirFlag(fs)
	user := fs.String("user", "", "操作用户（台账所有者）的用户名")
	org := fs.String("org", "", "台账（组织）id")
	name := fs.String("name", "", "组织名称（org-create）")
	orgType := fs.String("type", ruzhang.OrgEnterprise, "组织类型：enterprise（企业）或 government（行政事业单位）")
	casePath := fs.String("case", "", "资产案例 JSON（add）")
	assetID := fs.String("asset", "", "要修改的资产 id（add）")
	xlsxPath := fs.String("xlsx", "", "导出 .xlsx 工作底稿（export）")
	htmlPath := fs.String("html", "", "导出可打印 HTML 报告（export）")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *user == "" {
		return errors.New("缺少 --user：台账按用户归属，所有修改记入审计轨迹\n" + usage)
	}
	st, err := openStore(ctx, *dataDir)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := account.New(st.DB()).ByUsername(ctx, *user)
	if err != nil {
		return fmt.Errorf("用户 %s：%w", *user, err)
	}
	ls := ruzhang.NewLedgerStore(st.DB())
	out := json.NewEncoder(os.Stdout)
	out.SetIndent("", "  ")
	out.SetEscapeHTML(false)
	needOrg := func() error {
		if *org == "" {
			return errors.New("缺少 --org")
		}
		return nil
	}
	switch sub {
	case "orgs":
		orgs, err := ls.Orgs(ctx, u.ID)
		if err != nil {
			return err
		}
		return out.Encode(orgs)
	case "org-create":
		o, err := ls.CreateOrg(ctx, u.ID, u.Username, *name, *orgType)
		if err != nil {
			return err
		}
		return out.Encode(o)
	case "add":
		if err := needOrg(); err != nil {
			return err
		}
		data, err := os.ReadFile(*casePath)
		if err != nil {
			return err
		}
		cs, err := ruzhang.ParseCases(data)
		if err != nil {
			return err
		}
		if len(cs) != 1 && *assetID != "" {
			return errors.New("--asset 只能与单个案例一起使用")
		}
		for _, c := range cs {
			a, err := ls.PutAsset(ctx, u.ID, u.Username, *org, *assetID, c)
			if err != nil {
				return err
			}
			fmt.Printf("%s\t%s\n", a.ID, a.Name)
		}
		return nil
	case "list":
		if err := needOrg(); err != nil {
			return err
		}
		rs, _, err := ls.Evaluate(ctx, u.ID, *org)
		if err != nil {
			return err
		}
		return out.Encode(rs)
	case "audit":
		if err := needOrg(); err != nil {
			return err
		}
		trail, err := ls.Audit(ctx, u.ID, *org)
		if err != nil {
			return err
		}
		return out.Encode(trail)
	case "export":
		if err := needOrg(); err != nil {
			return err
		}
		o, err := ls.Org(ctx, u.ID, *org)
		if err != nil {
			return err
		}
		rs, _, err := ls.Evaluate(ctx, u.ID, *org)
		if err != nil {
			return err
		}
		trail, err := ls.Audit(ctx, u.ID, *org)
		if err != nil {
			return err
		}
		title := o.Name + " 数据资产台账"
		if *xlsxPath != "" {
			if err := writeXLSXFile(*xlsxPath, title, rs, trail); err != nil {
				return err
			}
		}
		if *htmlPath != "" {
			var b bytes.Buffer
			if err := ruzhang.WriteLedgerHTML(&b, title, rs, trail); err != nil {
				return err
			}
			if err := os.WriteFile(*htmlPath, b.Bytes(), 0o644); err != nil {
				return err
			}
		}
		if *xlsxPath == "" && *htmlPath == "" {
			return errors.New("请指定 --xlsx 或 --html")
		}
		return nil
	}
	return errors.New("未知的子命令 " + sub + "\n" + usage)
}
