package ruzhang

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// AuditRecord is one line of the audit trail exported with a ledger.
type AuditRecord struct {
	At     time.Time `json:"at"`
	User   string    `json:"user"`
	Action string    `json:"action"`
	Asset  string    `json:"asset,omitempty"`
	Detail string    `json:"detail,omitempty"`
}

// XLSX sheet names. The summary comes first: a CSV conversion of the
// workbook (LibreOffice's default) shows it.
const (
	SheetSummary     = "期间汇总"
	SheetEntries     = "会计分录"
	SheetCosts       = "成本归集底稿"
	SheetMovements   = "变动表"
	SheetDisclosures = "附注披露"
	SheetChecks      = "检查结果"
	SheetAudit       = "审计轨迹"
)

// WriteXLSX writes the working papers and disclosure notes of the results
// (one per asset) as an .xlsx workbook: the period roll-forward, the
// journal, the cost-allocation working paper, the 变动表, the disclosures
// with their provisions, the checks and, when given, the audit trail.
// Amounts are numeric cells in yuan with two decimals.
func WriteXLSX(w io.Writer, title string, rs []*Result, audit []AuditRecord) error {
	f := excelize.NewFile()
	defer f.Close()
	num, err := f.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
	if err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"DDEBF7"}, Pattern: 1}})
	if err != nil {
		return err
	}
	sh := &sheetWriter{f: f, num: num, head: head}

	sh.start(SheetSummary, true)
	sh.row(title)
	sh.header("资产", "分类", "期间起", "期间止", "期初账面价值", "本期增加", "本期摊销", "本期减值", "本期处置", "期末账面价值", "计入当期损益的其他支出", "营业成本", "处置价款")
	for _, r := range rs {
		for _, p := range r.periodsOrSingle() {
			sh.row(r.Case.Name, p.Classification, p.Start, p.End, p.OpeningCarrying, p.Additions, p.Amortization, p.Impairment, p.Disposals, p.ClosingCarrying, p.Expensed, p.CostOfSales, p.Proceeds)
		}
	}

	sh.start(SheetEntries, false)
	sh.header("资产", "期间", "分录号", "日期", "摘要", "账套", "会计科目", "借方", "贷方", "依据")
	for _, r := range rs {
		for _, p := range r.periodsOrSingle() {
			for _, l := range p.Entries {
				sh.row(r.Case.Name, p.Start+"至"+p.End, l.Entry, l.Date, l.Title, l.Book, l.Account, l.Debit, l.Credit, l.Ref.Citation())
			}
		}
	}

	sh.start(SheetCosts, false)
	sh.header("资产", "支出类别", "说明", "阶段", "日期", "来源凭证", "金额", "处理", "借记科目", "贷记科目", "理由", "依据")
	for _, r := range rs {
		if r.Measurement == nil {
			continue
		}
		for i, l := range r.Measurement.CostLines {
			var date, src string
			if i < len(r.Case.Costs) {
				date, src = r.Case.Costs[i].Date, r.Case.Costs[i].Source
			}
			if date == "" {
				date = r.Case.AvailableDate
			}
			sh.row(r.Case.Name, l.Label, l.Description, phaseLabels[l.Phase], date, src, l.Amount, l.Treatment, l.Account, l.Credit, l.Reason, l.Ref.Citation())
		}
		sh.row(r.Case.Name, "资本化合计", "", "", "", "", r.Measurement.Capitalised)
		sh.row(r.Case.Name, "费用化合计", "", "", "", "", r.Measurement.Expensed)
	}

	sh.start(SheetMovements, false)
	for _, r := range rs {
		for _, p := range r.periodsOrSingle() {
			for _, t := range p.Tables {
				sh.row(r.Case.Name + " " + p.Start + "至" + p.End + " " + t.Title + "（" + t.Ref.Citation() + "）")
				cells := []any{"项目"}
				for _, c := range t.Columns {
					cells = append(cells, c)
				}
				sh.header(cells...)
				for _, row := range t.Rows {
					cells := []any{indent(row.Indent) + row.Label}
					for _, v := range row.Values {
						cells = append(cells, v)
					}
					sh.row(cells...)
				}
				sh.row()
			}
		}
	}

	sh.start(SheetDisclosures, false)
	sh.header("资产", "期间", "披露事项", "内容", "依据")
	for _, r := range rs {
		for _, p := range r.periodsOrSingle() {
			for _, d := range p.Disclosures {
				sh.row(r.Case.Name, p.Start+"至"+p.End, d.Topic, d.Text, d.Ref.Citation())
			}
		}
	}

	sh.start(SheetChecks, false)
	sh.header("资产", "级别", "检查", "字段", "说明", "依据")
	for _, r := range rs {
		for _, c := range r.Checks {
			level := "提示"
			if c.Level == CheckError {
				level = "错误"
			}
			sh.row(r.Case.Name, level, c.Code, c.Field, c.Message, c.Citation)
		}
	}

	if len(audit) > 0 {
		sh.start(SheetAudit, false)
		sh.header("时间（UTC）", "用户", "操作", "资产", "内容")
		for _, a := range audit {
			sh.row(a.At.UTC().Format(time.RFC3339), a.User, a.Action, a.Asset, a.Detail)
		}
	}
	if sh.err != nil {
		return sh.err
	}
	_, err = f.WriteTo(w)
	return err
}

// periodsOrSingle returns the ledger periods, or one period built from a
// single-period result so every result exports the same way.
func (r *Result) periodsOrSingle() []PeriodResult {
	if len(r.Periods) > 0 || r.Measurement == nil {
		return r.Periods
	}
	p := PeriodResult{Start: r.Case.PeriodStart, End: r.Case.PeriodEnd, Classification: r.Determination.Label, Disclosures: r.Notes, Tables: r.Disclosure}
	if r.Presentation != nil {
		for _, l := range r.Presentation.Lines {
			p.ClosingCarrying += l.Amount
		}
	}
	m := r.Measurement
	p.Additions = m.Capitalised
	if mv := r.Movements; mv != nil && mv.Intangible != nil && mv.Intangible.CostOpening > 0 {
		p.Additions = 0
	}
	if mv := r.Movements; mv != nil && mv.Inventory != nil && mv.Inventory.CostOpening > 0 {
		p.Additions = 0
	}
	p.Expensed = m.Expensed
	if a := m.Amortisation; a != nil {
		p.Amortization = a.PeriodAmount
	}
	if im := m.Impairment; im != nil {
		p.Impairment = im.Loss
	}
	if inv := m.Inventory; inv != nil {
		p.Impairment = inv.WriteDown
	}
	p.OpeningCarrying = p.ClosingCarrying - p.Additions + p.Amortization + p.Impairment
	for i, e := range m.Entries {
		for _, l := range e.Lines {
			ll := LedgerLine{Entry: i + 1, Date: e.Date, Title: e.Title, Account: l.Account, Ref: e.Ref}
			if l.Side == "借" {
				ll.Debit = l.Amount
			} else {
				ll.Credit = l.Amount
			}
			p.Entries = append(p.Entries, ll)
		}
	}
	return []PeriodResult{p}
}

func indent(n int) string {
	s := ""
	for range n {
		s += "  "
	}
	return s
}

type sheetWriter struct {
	f         *excelize.File
	num, head int
	name      string
	r         int
	err       error
}

func (s *sheetWriter) start(name string, first bool) {
	if s.err != nil {
		return
	}
	if first {
		s.err = s.f.SetSheetName("Sheet1", name)
	} else {
		_, s.err = s.f.NewSheet(name)
	}
	s.name, s.r = name, 0
	if s.err == nil {
		s.err = s.f.SetColWidth(name, "A", "M", 16)
	}
}

func (s *sheetWriter) header(cells ...any) {
	s.row(cells...)
	if s.err != nil || len(cells) == 0 {
		return
	}
	end, _ := excelize.CoordinatesToCellName(len(cells), s.r)
	s.err = s.f.SetCellStyle(s.name, fmt.Sprintf("A%d", s.r), end, s.head)
}

func (s *sheetWriter) row(cells ...any) {
	s.r++
	for i, c := range cells {
		if s.err != nil {
			return
		}
		cell, _ := excelize.CoordinatesToCellName(i+1, s.r)
		switch v := c.(type) {
		case Money:
			if s.err = s.f.SetCellFloat(s.name, cell, v.Float(), 2, 64); s.err == nil {
				s.err = s.f.SetCellStyle(s.name, cell, cell, s.num)
			}
		default:
			s.err = s.f.SetCellValue(s.name, cell, v)
		}
	}
}
