package ruzhang

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func goldenLedgerResults(t *testing.T) []*Result {
	t.Helper()
	var rs []*Result
	for _, f := range []struct {
		file string
		n    int
	}{{"purchased_three_years.json", 1}, {"developed_rd_and_copy.json", 2}, {"government.json", 1}, {"service_contract.json", 1}, {"free_public_data.json", 1}} {
		for i := 0; i < f.n; i++ {
			rs = append(rs, ledgerResult(t, f.file, i))
		}
	}
	return rs
}

// summaryRows is what the summary sheet must hold: one row per asset and
// period with the JSON's figures.
func summaryRows(rs []*Result) [][]string {
	var out [][]string
	for _, r := range rs {
		for _, p := range r.Periods {
			out = append(out, []string{r.Case.Name, p.Start, p.End,
				yuanText(p.OpeningCarrying), yuanText(p.Additions), yuanText(p.Amortization), yuanText(p.Impairment), yuanText(p.Disposals), yuanText(p.ClosingCarrying)})
		}
	}
	return out
}

func yuanText(m Money) string { return strings.ReplaceAll(m.String(), ",", "") }

func TestXLSXReadBack(t *testing.T) {
	rs := goldenLedgerResults(t)
	var buf bytes.Buffer
	audit := []AuditRecord{{At: time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC), User: "auditor", Action: "创建资产", Asset: "区域消费者画像数据集"}}
	if err := WriteXLSX(&buf, "测试台账", rs, audit); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(SheetSummary, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	compareSummary(t, "excelize", rows, summaryRows(rs))
	for _, s := range []string{SheetEntries, SheetCosts, SheetMovements, SheetDisclosures, SheetChecks, SheetAudit} {
		if idx, _ := f.GetSheetIndex(s); idx < 0 {
			t.Errorf("sheet %s missing", s)
		}
	}
	// Debits equal credits over the journal sheet.
	ers, _ := f.GetRows(SheetEntries, excelize.Options{RawCellValue: true})
	var dr, cr float64
	for _, row := range ers[1:] {
		d, _ := strconv.ParseFloat(cell(row, 7), 64)
		c, _ := strconv.ParseFloat(cell(row, 8), 64)
		dr, cr = dr+d, cr+c
	}
	if dr == 0 || int64(dr*100+0.5) != int64(cr*100+0.5) {
		t.Errorf("journal sheet debits %.2f credits %.2f", dr, cr)
	}
}

// TestXLSXInLibreOffice converts the workbook with LibreOffice and checks
// the figures against the JSON. Skipped without soffice unless
// DATALEX_REQUIRE_OFFICE=1 (CI installs Debian's libreoffice-calc).
func TestXLSXInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("DATALEX_REQUIRE_OFFICE") == "1" {
			t.Fatal("soffice not found but DATALEX_REQUIRE_OFFICE=1")
		}
		t.Skip("soffice (Debian libreoffice-calc) not installed; set DATALEX_REQUIRE_OFFICE=1 to require it")
	}
	rs := goldenLedgerResults(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "ledger.xlsx")
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, "测试台账", rs, nil); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	// A private profile so a running office or a parallel test cannot interfere.
	cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", dir, path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "ledger.csv"))
	if err != nil {
		t.Fatalf("no CSV from soffice: %v\n%s", err, out)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		// Rows have different lengths (the title row); read leniently.
		r := csv.NewReader(bytes.NewReader(data))
		r.FieldsPerRecord = -1
		rows, err = r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
	}
	compareSummary(t, "LibreOffice", rows, summaryRows(rs))
}

func cell(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}

// compareSummary matches the data rows (after the title and header) with
// the JSON figures; numbers are compared after removing thousands commas.
func compareSummary(t *testing.T, via string, rows [][]string, want [][]string) {
	t.Helper()
	if len(rows) < 2 {
		t.Fatalf("%s: summary has %d rows", via, len(rows))
	}
	data := rows[2:]
	if len(data) != len(want) {
		t.Fatalf("%s: %d summary rows, want %d", via, len(data), len(want))
	}
	for i, w := range want {
		row := data[i]
		got := []string{cell(row, 0), cell(row, 2), cell(row, 3)}
		for _, col := range []int{4, 5, 6, 7, 8, 9} {
			v := strings.ReplaceAll(cell(row, col), ",", "")
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				v = strconv.FormatFloat(f, 'f', 2, 64)
			}
			got = append(got, v)
		}
		if strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("%s row %d:\n got  %v\n want %v", via, i+1, got, w)
		}
	}
}
