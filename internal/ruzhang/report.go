package ruzhang

import (
	"fmt"
	"strings"
)

var acqLabels = map[string]string{AcqPurchase: "外购", AcqDeveloped: "自行加工或研发", AcqOther: "其他方式"}
var purposeLabels = map[string]string{PurposeInternal: "企业内部使用", PurposeSale: "日常活动中持有、最终目的用于出售", PurposeService: "对外提供服务"}
var phaseLabels = map[string]string{PhaseResearch: "研究阶段", PhaseDevelopment: "开发阶段"}

func yesNo(b *bool) string {
	switch {
	case b == nil:
		return "未回答"
	case *b:
		return "是"
	}
	return "否"
}

// Fact is one answered question, for reports.
type Fact struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Facts lists the case's answers in workflow order.
func Facts(c Case) []Fact {
	var fs []Fact
	add := func(l, v string) {
		if v != "" && v != "未回答" {
			fs = append(fs, Fact{l, v})
		}
	}
	add("数据资源", c.Name)
	add("企业", c.Entity)
	add("说明", c.Description)
	add("取得方式", acqLabels[c.Acquisition])
	var ps []string
	for _, p := range c.Purposes {
		ps = append(ps, purposeLabels[p])
	}
	add("持有目的", strings.Join(ps, "、"))
	add("企业合法拥有或控制", yesNo(c.Controlled))
	if !c.heldForSale() {
		add("可辨认", yesNo(c.Identifiable))
	}
	add("经济利益很可能流入", yesNo(c.ProbableBenefit))
	add("成本能够可靠计量", yesNo(c.CostReliable))
	if d := c.Development; d != nil {
		for i, b := range d.conditions() {
			add("开发阶段条件"+conditionNames[i], yesNo(b))
		}
		add("已达到预定用途", yesNo(d.Completed))
		add("满足资本化条件之日", d.CapitalisedFrom)
	}
	add("成本确定依据", c.OtherBasis)
	add("可供使用（取得）日期", c.AvailableDate)
	if in := c.Intangible; in != nil {
		if in.IndefiniteLife != nil && *in.IndefiniteLife {
			add("使用寿命", "不确定")
		} else if in.LifeMonths != nil {
			add("使用寿命", monthsText(*in.LifeMonths))
		}
		add("使用寿命估计依据", in.LifeBasis)
	}
	if c.PeriodStart != "" || c.PeriodEnd != "" {
		add("报告期", c.PeriodStart+" 至 "+c.PeriodEnd)
	}
	return fs
}

// mdCell escapes a Markdown table cell.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", "\\|")
	return strings.ReplaceAll(s, "\n", " ")
}

func mdRow(b *strings.Builder, cells ...string) {
	for i := range cells {
		cells[i] = mdCell(cells[i])
	}
	b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
}

func mdHeader(b *strings.Builder, cells ...string) {
	mdRow(b, cells...)
	seps := make([]string, len(cells))
	for i := range seps {
		seps[i] = "---"
	}
	b.WriteString("|" + strings.Join(seps, "|") + "|\n")
}

// Markdown renders the full case report.
func Markdown(r *Result) string {
	var b strings.Builder
	c := r.Case
	name := c.Name
	if name == "" {
		name = "未命名数据资源"
	}
	fmt.Fprintf(&b, "# 数据资产入表报告：%s\n\n", name)

	b.WriteString("## 一、基本情况\n\n")
	mdHeader(&b, "项目", "答复")
	for _, f := range Facts(c) {
		mdRow(&b, f.Label, f.Value)
	}

	d := r.Determination
	fmt.Fprintf(&b, "\n## 二、会计处理判断\n\n**结论：%s**\n\n", d.Label)
	for i, x := range d.Reasons {
		fmt.Fprintf(&b, "%d. %s（%s）\n", i+1, x.Text, x.Ref.Citation())
	}
	if !r.Complete {
		b.WriteString("\n**尚需回答的问题**（回答后才能计算金额、分录和披露）：\n\n")
		for _, q := range r.Questions {
			fmt.Fprintf(&b, "- %s（`%s`；%s）\n", q.Prompt, q.Field, q.Ref.Citation())
		}
	}

	if m := r.Measurement; m != nil {
		b.WriteString("\n## 三、成本构成\n\n")
		mdHeader(&b, "支出项目", "说明", "阶段", "金额（元）", "处理", "借方科目", "依据")
		for _, l := range m.CostLines {
			mdRow(&b, l.Label, l.Description, phaseLabels[l.Phase], l.Amount.String(), l.Treatment, l.Account, l.Ref.Citation())
		}
		fmt.Fprintf(&b, "\n资本化金额合计 **%s** 元；费用化金额合计 **%s** 元；可抵扣进项税额 %s 元。\n", m.Capitalised, m.Expensed, m.DeductibleVAT)

		b.WriteString("\n## 四、后续计量\n\n")
		writeMeasurementMD(&b, m)

		b.WriteString("\n## 五、会计分录\n\n")
		for i, e := range m.Entries {
			fmt.Fprintf(&b, "（%d）%s", i+1, e.Title)
			if e.Date != "" {
				fmt.Fprintf(&b, "，%s", e.Date)
			}
			fmt.Fprintf(&b, "——依据%s\n\n```text\n%s```\n\n", e.Ref.Citation(), e.Text())
		}
	}
	if p := r.Presentation; p != nil {
		fmt.Fprintf(&b, "## 六、列示与披露\n\n资产负债表（%s）相关项目（%s）：\n\n", p.Date, p.Ref.Citation())
		mdHeader(&b, "项目", "", "期末账面价值（元）")
		for _, l := range p.Lines {
			mdRow(&b, l.Item, l.Line, l.Amount.String())
		}
		for _, t := range r.Disclosure {
			writeTableMD(&b, t)
		}
		if len(r.Notes) > 0 {
			b.WriteString("\n其他披露事项：\n\n")
			for _, n := range r.Notes {
				fmt.Fprintf(&b, "- **%s**：%s（%s）\n", n.Topic, n.Text, n.Ref.Citation())
			}
		}
	}
	if v := r.Valuation; v != nil {
		b.WriteString("\n## 七、数据资产评估\n\n")
		if v.BaseDate != "" {
			fmt.Fprintf(&b, "评估基准日：%s\n\n", v.BaseDate)
		}
		for _, a := range v.Approaches {
			writeApproachMD(&b, a)
		}
		for _, n := range v.Notes {
			fmt.Fprintf(&b, "- %s（%s）\n", n.Text, n.Ref.Citation())
		}
	}
	if len(r.Periods) > 0 { // single-period reports stay as they were
		b.WriteString(ledgerMarkdown(r))
	}
	b.WriteString("\n## 引用条文\n\n")
	for _, ci := range r.Citations {
		fmt.Fprintf(&b, "- %s\n", ci.Citation)
	}
	return b.String()
}

func writeMeasurementMD(b *strings.Builder, m *Measurement) {
	if m.IndefiniteLife {
		fmt.Fprintf(b, "使用寿命不确定，不予摊销（%s），每个会计期间复核使用寿命并进行减值测试。\n", refCAS6Indefinite.Citation())
	}
	if a := m.Amortisation; a != nil {
		fmt.Fprintf(b, "摊销方法：%s；成本 %s 元，残值 %s 元，应摊销金额 %s 元；使用寿命 %s，自 %s 起摊销",
			a.MethodLabel, a.Cost, a.Residual, a.Amortisable, monthsText(a.LifeMonths), a.Start)
		if a.Monthly > 0 {
			fmt.Fprintf(b, "，月摊销额 %s 元（末月调整尾差）", a.Monthly)
		}
		fmt.Fprintf(b, "。本期摊销 %s 元，期末累计摊销 %s 元。\n\n", a.PeriodAmount, a.AccumulatedClosing)
		mdHeader(b, "期间", "摊销额（元）", "累计摊销（元）", "期末账面价值（元）")
		for _, row := range a.Rows {
			mdRow(b, row.Period, row.Amount.String(), row.Accumulated.String(), row.Carrying.String())
		}
	}
	if im := m.Impairment; im != nil {
		fmt.Fprintf(b, "\n减值测试：账面价值 %s 元，可收回金额 %s 元，计提减值 %s 元（%s）。\n", im.Carrying, im.Recoverable, im.Loss, im.Ref.Citation())
	}
	if inv := m.Inventory; inv != nil {
		fmt.Fprintf(b, "资产负债表日按成本与可变现净值孰低计量（%s）：\n\n", refCAS1NRV.Citation())
		writeStepsMD(b, inv.Steps)
	}
	if m.Amortisation == nil && !m.IndefiniteLife && m.Inventory == nil {
		b.WriteString("不涉及摊销或跌价。\n")
	}
}

func writeStepsMD(b *strings.Builder, steps []Step) {
	mdHeader(b, "步骤", "公式", "代入数值", "结果")
	for _, s := range steps {
		mdRow(b, s.Label, s.Formula, s.Substituted, s.Result)
	}
}

func writeTableMD(b *strings.Builder, t Table) {
	fmt.Fprintf(b, "\n**%s**（%s）\n\n", t.Title, t.Ref.Citation())
	mdHeader(b, append([]string{"项目"}, t.Columns...)...)
	for _, row := range t.Rows {
		cells := []string{strings.Repeat("　", row.Indent) + row.Label}
		for i := range t.Columns {
			if row.Header {
				cells = append(cells, "")
			} else {
				cells = append(cells, row.Values[i].String())
			}
		}
		mdRow(b, cells...)
	}
}

// TablesMarkdown renders disclosure tables, e.g. aggregated over cases.
func TablesMarkdown(ts []Table) string {
	var b strings.Builder
	for _, t := range ts {
		writeTableMD(&b, t)
	}
	return b.String()
}

func writeApproachMD(b *strings.Builder, a ApproachResult) {
	var cites []string
	for _, r := range a.Refs {
		cites = append(cites, r.Citation())
	}
	fmt.Fprintf(b, "### %s：%s 元\n\n依据：%s\n\n", a.Label, a.Value, strings.Join(cites, "；"))
	writeStepsMD(b, a.Steps)
	if s := a.Sensitivity; s != nil {
		b.WriteString("\n敏感性分析（单一输入变动，其他不变）：\n\n")
		head := []string{"输入"}
		for _, ch := range s.Changes {
			head = append(head, pct(ch))
		}
		mdHeader(b, head...)
		for _, row := range s.Rows {
			cells := []string{row.Input}
			for _, v := range row.Values {
				cells = append(cells, v.String())
			}
			mdRow(b, cells...)
		}
	}
	for _, n := range a.Notes {
		fmt.Fprintf(b, "\n> %s\n", n)
	}
	b.WriteString("\n")
}

// Summary is a short plain-text account of the result for the terminal.
func Summary(r *Result) string {
	var b strings.Builder
	name := r.Case.Name
	if name == "" {
		name = "未命名数据资源"
	}
	fmt.Fprintf(&b, "%s：%s\n", name, r.Determination.Label)
	for _, x := range r.Determination.Reasons {
		fmt.Fprintf(&b, "  · %s〔%s〕\n", x.Text, x.Ref.Citation())
	}
	if !r.Complete {
		b.WriteString("尚需回答：\n")
		for _, q := range r.Questions {
			fmt.Fprintf(&b, "  - %s（%s）\n", q.Prompt, q.Field)
		}
	}
	if m := r.Measurement; m != nil {
		fmt.Fprintf(&b, "资本化 %s 元，费用化 %s 元，进项税额 %s 元\n", m.Capitalised, m.Expensed, m.DeductibleVAT)
		if a := m.Amortisation; a != nil {
			fmt.Fprintf(&b, "本期摊销 %s 元，期末累计摊销 %s 元\n", a.PeriodAmount, a.AccumulatedClosing)
		}
		if inv := m.Inventory; inv != nil {
			fmt.Fprintf(&b, "可变现净值 %s 元，本期计提跌价准备 %s 元\n", inv.NRV, inv.WriteDown)
		}
		b.WriteString("会计分录：\n")
		b.WriteString(EntriesText(m.Entries))
	}
	if p := r.Presentation; p != nil {
		for _, l := range p.Lines {
			if l.Amount != 0 {
				fmt.Fprintf(&b, "资产负债表 %s %s：%s 元\n", l.Item, l.Line, l.Amount)
			}
		}
	}
	if v := r.Valuation; v != nil {
		for _, a := range v.Approaches {
			fmt.Fprintf(&b, "评估（%s）：%s 元\n", a.Label, a.Value)
		}
	}
	return b.String()
}
