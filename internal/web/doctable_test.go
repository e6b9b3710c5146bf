package web

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"datalex/internal/library"
	"datalex/internal/selfcheck/checktest"
)

var updateTables = flag.Bool("update-tables", false, "rewrite testdata/tables golden files")

// TestTablesOnRealSeeds renders table provisions of the bundled library:
// seed 002's tab-separated list of 37 standards becomes a two-column table
// with a header, and a seed 001 table that PDF extraction flattened says so.
func TestTablesOnRealSeeds(t *testing.T) {
	vs := checktest.BundledVersions(t)
	find := func(title, label string) *library.Provision {
		for _, v := range vs {
			if v.Title != title {
				continue
			}
			for _, p := range v.Provisions {
				if p.Kind == library.ProvTable && p.Label == label {
					return p
				}
			}
		}
		t.Fatalf("no table %s in %s", label, title)
		return nil
	}
	for _, tc := range []struct{ file, title, label string }{
		{"standards_list_002", "全国数据标准化技术委员会拟制修订37项重点标准", "表1"},
		{"flattened_001", "证券期货业数据分类分级指引", "7.2.2.6 表2"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			p := find(tc.title, tc.label)
			var b strings.Builder
			renderTable(&b, p.Label, p.Text)
			got := strings.ReplaceAll(b.String(), "</tr>", "</tr>\n")
			file := filepath.Join("testdata", "tables", tc.file+".golden.html")
			if *updateTables {
				os.MkdirAll(filepath.Dir(file), 0o755)
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("%s differs from %s:\n%s", tc.label, file, got)
			}
		})
	}
}

func TestTableCells(t *testing.T) {
	for _, tc := range []struct {
		text string
		rows int
		cols []int
	}{
		{"a | b\n1 | 2 | 3", 2, []int{2, 3}},
		{"序号\t名称\n1\t《数据 术语》", 2, []int{2, 2}},
		{"其他\n业务管理 统计信息", 2, []int{1, 1}},
		{"\n\n", 0, nil},
	} {
		rows := tableCells(tc.text)
		if len(rows) != tc.rows {
			t.Errorf("%q: %d rows", tc.text, len(rows))
			continue
		}
		for i, r := range rows {
			if len(r) != tc.cols[i] {
				t.Errorf("%q row %d: %d cells", tc.text, i, len(r))
			}
		}
	}
	var b strings.Builder
	renderTable(&b, "表", "<b> | x\n1")
	if strings.Contains(b.String(), "<b>") || !strings.Contains(b.String(), `colspan="2"`) {
		t.Errorf("escaping or span: %s", b.String())
	}
}
