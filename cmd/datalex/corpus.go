package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"datalex/internal/library"
)

func runCorpus(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("用法: datalex corpus stats|check|list|show [--json] [--data DIR] [ID]")
	}
	sub := args[0]
	fs := flag.NewFlagSet("corpus "+sub, flag.ContinueOnError)
	data := dataDirFlag(fs)
	asJSON := fs.Bool("json", false, "以 JSON 输出")
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return err
	}
	st, versions, err := openExistingLibrary(ctx, *data)
	if err != nil {
		return err
	}
	defer st.Close()
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
			fmt.Printf("%s  %s  %-8s %-6s %s  %s\n", v.ID, v.WorkID, v.Level, v.Region, v.Title, v.Status)
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
		fmt.Printf("%s\n%s  %s  %s\n\n", v.Title, v.DocNumber, v.IssueDate, v.Status)
		for _, p := range v.Provisions {
			fmt.Printf("[%s] %s\n%s\n\n", p.ID, p.Path, p.Text)
		}
	default:
		return fmt.Errorf("未知子命令 %q（stats|check|list|show）", sub)
	}
	return nil
}

// versionRow is the `corpus list --json` record.
type versionRow struct {
	WorkID        string           `json:"work_id"`
	VersionID     string           `json:"version_id"`
	Kind          string           `json:"kind"`
	Title         string           `json:"title"`
	Aliases       []string         `json:"aliases"`
	Sources       []library.Source `json:"sources"`
	Part          *string          `json:"part"`
	Subsection    *string          `json:"subsection"`
	Level         *string          `json:"level"`
	Region        *string          `json:"region"`
	Sector        *string          `json:"sector"`
	Status        *string          `json:"status"`
	DocNumber     *string          `json:"doc_number"`
	Issuers       []string         `json:"issuers"`
	IssueDate     *string          `json:"issue_date"`
	EffectiveDate *string          `json:"effective_date"`
	VersionLabel  string           `json:"version_label"`
	Provisions    int              `json:"provisions"`
	Flags         []string         `json:"flags"`
	Tags          []string         `json:"tags"`
}

// nullable turns "unknown" into JSON null rather than an empty string.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func listRow(v *library.Version) versionRow {
	return versionRow{
		WorkID: v.WorkID, VersionID: v.ID, Kind: v.Kind, Title: v.Title, Aliases: nonNil(v.Aliases),
		Sources: v.Sources, Part: nullable(v.Part), Subsection: nullable(v.Subsection), Level: nullable(v.Level),
		Region: nullable(v.Region), Sector: nullable(v.Sector), Status: nullable(v.Status),
		DocNumber: nullable(v.DocNumber), Issuers: nonNil(v.Issuers), IssueDate: nullable(v.IssueDate),
		EffectiveDate: nullable(v.EffectiveDate), VersionLabel: v.VersionLabel, Provisions: len(v.Provisions),
		Flags: nonNil(v.Flags), Tags: nonNil(v.Tags),
	}
}

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
