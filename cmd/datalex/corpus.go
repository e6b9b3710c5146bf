package main

import (
	"context"
	"datalex/internal/validity"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"datalex/internal/ingest"
	"datalex/internal/library"
)

func runCorpus(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("用法: datalex corpus stats|check|list|show|diff [--json] [--data DIR] [ID…]")
	}
	sub := args[0]
	fs := flag.NewFlagSet("corpus "+sub, flag.ContinueOnError)
	data := dataDirFlag(fs)
	asJSON := fs.Bool("json", false, "以 JSON 输出")
	asOf := fs.String("as-of", "", "时效性的判断日期 YYYY-MM-DD（默认今天）")
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return err
	}
	st, versions, err := openExistingLibrary(ctx, *data)
	if err != nil {
		return err
	}
	defer st.Close()
	if *asOf != "" {
		day, err := time.Parse("2006-01-02", *asOf)
		if err != nil {
			return fmt.Errorf("--as-of 应为 YYYY-MM-DD：%q", *asOf)
		}
		validity.Annotate(versions, day)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)

	switch sub {
	case "stats":
		s := library.ComputeStats(versions)
		if *asJSON {
			return enc.Encode(s)
		}
		fmt.Print(s.Format())
	case "check":
		defects := library.Check(versions)
		errs := 0
		kinds := map[string]int{}
		for _, d := range defects {
			if d.Severity == "error" {
				errs++
			}
			kinds[d.Severity+" "+d.Kind]++
			if *asJSON {
				if err := enc.Encode(d); err != nil {
					return err
				}
			}
		}
		if !*asJSON {
			for _, d := range defects {
				fmt.Printf("[%s] %s %s《%s》 %s\n", d.Severity, d.Kind, d.VersionID, d.Title, d.Detail)
			}
			fmt.Println("\n汇总:")
			for k, n := range kinds {
				fmt.Printf("  %-40s %d\n", k, n)
			}
		}
		if errs > 0 {
			return fmt.Errorf("%d 个错误", errs)
		}
	case "list":
		for _, v := range versions {
			row := listRow(v)
			if *asJSON {
				if err := enc.Encode(row); err != nil {
					return err
				}
				continue
			}
			fmt.Printf("%s  %s  %-8s %-6s %s  %s\n", v.ID, v.WorkID, v.Level, v.Region, v.Title, v.Validity)
		}
	case "show":
		if len(pos) != 1 {
			return fmt.Errorf("用法: datalex corpus show [--json] 作品或版本ID")
		}
		v := library.NewCatalog(versions).Resolve(pos[0])
		if v == nil {
			return fmt.Errorf("找不到 %s", pos[0])
		}
		if *asJSON {
			return enc.Encode(showDoc(v))
		}
		fmt.Print(formatMeta(v))
		for _, p := range v.Provisions {
			fmt.Printf("[%s] %s\n%s\n\n", p.ID, p.Path, p.Text)
		}
	case "diff":
		return corpusDiff(versions, pos, *asJSON, enc)
	default:
		return fmt.Errorf("未知子命令 %q（stats|check|list|show|diff）", sub)
	}
	return nil
}

// versionRow is the `corpus list --json` record, shared with the API and
// MCP.
type versionRow = validity.Record

func listRow(v *library.Version) versionRow { return validity.NewRecord(v) }

type shownProvision struct {
	ID       string            `json:"id"`
	Kind     string            `json:"kind"`
	Label    string            `json:"label"`
	Heading  string            `json:"heading,omitempty"`
	Path     string            `json:"path"`
	Citation string            `json:"citation"`
	Text     string            `json:"text"`
	Line     int               `json:"line"`
	LineEnd  int               `json:"line_end"`
	Offset   int               `json:"offset,omitempty"`
	Children []*shownProvision `json:"children,omitempty"`
}

type shownDoc struct {
	versionRow
	Provenance map[string]library.Provenance `json:"provenance"`
	Citations  []library.Citation            `json:"citations"`
	Provisions []*shownProvision             `json:"provisions"`
}

func showDoc(v *library.Version) shownDoc {
	nodes := map[string]*shownProvision{}
	var roots []*shownProvision
	for _, p := range v.Provisions {
		n := &shownProvision{ID: p.ID, Kind: p.Kind, Label: p.Label, Heading: p.Heading, Path: p.Path,
			Citation: p.Citation, Text: p.Text, Line: p.Line, LineEnd: p.LineEnd, Offset: p.Offset}
		nodes[p.ID] = n
		if parent := nodes[p.ParentID]; parent != nil {
			parent.Children = append(parent.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	return shownDoc{versionRow: listRow(v), Provenance: v.Provenance, Citations: v.Citations, Provisions: roots}
}

// formatMeta is the header `corpus show` prints: every metadata field, the
// status with its reason, and the relations.
func formatMeta(v *library.Version) string {
	var b strings.Builder
	dash := func(s string) string {
		if s == "" {
			return "—"
		}
		return s
	}
	fmt.Fprintf(&b, "%s\n", v.Title)
	fmt.Fprintf(&b, "  时效性: %s（%s）\n", dash(v.Validity), dash(v.ValidityReason))
	fmt.Fprintf(&b, "  文本性质: %s   效力级别: %s   地域: %s   行业: %s\n", dash(v.Nature), dash(v.Level), dash(v.Region), dash(v.Sector))
	fmt.Fprintf(&b, "  文号: %s   标准编号: %s   发布机关: %s\n", dash(v.DocNumber), dash(v.StandardCode), dash(strings.Join(v.Issuers, "、")))
	fmt.Fprintf(&b, "  发布: %s   施行: %s   有效期至: %s\n", dash(v.IssueDate), dash(v.EffectiveDate), dash(v.ExpiryDate))
	fmt.Fprintf(&b, "  来源: %s\n", dash(ingest.DescribeSource(v)))
	for _, r := range v.Relations {
		fmt.Fprintf(&b, "  关系: %s 《%s》 %s\n", relationLabel(r.Type), r.Target, r.Provision)
	}
	b.WriteString("\n")
	return b.String()
}

func relationLabel(t string) string {
	return map[string]string{library.RelBasis: "依据", library.RelRepeals: "废止", library.RelAmends: "修改",
		library.RelReplaces: "替代", library.RelPrevails: "冲突时优先于", library.RelDraftOf: "草案→正式文本",
		library.RelVersionOf: "后续版本"}[t]
}
