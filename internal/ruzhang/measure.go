package ruzhang

import (
	"fmt"
	"time"
)

// Accounts used in the entries (企业会计准则应用指南 会计科目).
const (
	acctIntangible   = "无形资产——数据资源"
	acctRDExpensed   = "研发支出——费用化支出"
	acctRDCapital    = "研发支出——资本化支出"
	acctInventory    = "库存商品——数据资源"
	acctWIP          = "生产成本——数据资源"
	acctAdmin        = "管理费用"
	acctSelling      = "销售费用"
	acctCostOfSales  = "主营业务成本"
	acctVAT          = "应交税费——应交增值税（进项税额）"
	acctAmort        = "累计摊销"
	acctImpairLoss   = "资产减值损失"
	acctIntImpair    = "无形资产减值准备"
	acctInvAllowance = "存货跌价准备——数据资源"
)

// CostLine is one line of the cost build-up with its treatment.
type CostLine struct {
	Category    string `json:"category"`
	Label       string `json:"label"`
	Description string `json:"description,omitempty"`
	Phase       string `json:"phase,omitempty"`
	Amount      Money  `json:"amount"`
	Treatment   string `json:"treatment"` // 资本化 | 费用化 | 进项税额
	Account     string `json:"account"`   // debited account
	Credit      string `json:"credit"`    // credited account
	Reason      string `json:"reason"`
	Ref         Ref    `json:"ref"`
}

// Treatment labels.
const (
	TreatCapitalise = "资本化"
	TreatExpense    = "费用化"
	TreatTax        = "进项税额"
)

// AmortRow is one row of the amortisation schedule.
type AmortRow struct {
	Period      string `json:"period"` // 2024-03, 2024, or 第1年
	Amount      Money  `json:"amount"`
	Accumulated Money  `json:"accumulated"`
	Carrying    Money  `json:"carrying"` // cost − accumulated amortisation
}

// Amortisation is the schedule of a finite-life intangible.
type Amortisation struct {
	Method      string     `json:"method"`
	MethodLabel string     `json:"method_label"`
	Cost        Money      `json:"cost"`
	Residual    Money      `json:"residual"`
	Amortisable Money      `json:"amortisable"`
	LifeMonths  int        `json:"life_months"`
	Start       string     `json:"start"` // first month amortised (YYYY-MM)
	Monthly     Money      `json:"monthly,omitempty"`
	Granularity string     `json:"granularity"` // month | year
	Rows        []AmortRow `json:"rows"`
	// Figures for the reporting period.
	AccumulatedOpening Money `json:"accumulated_opening"`
	PeriodAmount       Money `json:"period_amount"`
	AccumulatedClosing Money `json:"accumulated_closing"`
	Refs               []Ref `json:"refs"`

	monthly []Money // per month from Start
}

// InventoryMeasure is the lower of cost and net realisable value.
type InventoryMeasure struct {
	Cost              Money  `json:"cost"`
	EstimatedPrice    Money  `json:"estimated_price"`
	CostToComplete    Money  `json:"cost_to_complete"`
	SellingCosts      Money  `json:"selling_costs"`
	SellingTaxes      Money  `json:"selling_taxes"`
	NRV               Money  `json:"nrv"`
	RequiredAllowance Money  `json:"required_allowance"` // max(0, cost − NRV)
	PriorAllowance    Money  `json:"prior_allowance"`
	WriteDown         Money  `json:"write_down"` // > 0 计提, < 0 转回
	Carrying          Money  `json:"carrying"`
	Steps             []Step `json:"steps"`
	Refs              []Ref  `json:"refs"`
}

// Impairment of an intangible at period end.
type Impairment struct {
	Carrying    Money `json:"carrying"`
	Recoverable Money `json:"recoverable"`
	Loss        Money `json:"loss"`
	Ref         Ref   `json:"ref"`
}

// Measurement is everything computed about amounts.
type Measurement struct {
	CostLines      []CostLine        `json:"cost_lines"`
	Capitalised    Money             `json:"capitalised"`
	Expensed       Money             `json:"expensed"`
	DeductibleVAT  Money             `json:"deductible_vat"`
	IndefiniteLife bool              `json:"indefinite_life,omitempty"`
	Amortisation   *Amortisation     `json:"amortisation,omitempty"`
	Impairment     *Impairment       `json:"impairment,omitempty"`
	Inventory      *InventoryMeasure `json:"inventory,omitempty"`
	Entries        []Entry           `json:"entries"`
}

// classifyCosts builds the cost table for the determined outcome.
func classifyCosts(c *Case, outcome string) []CostLine {
	var lines []CostLine
	for _, it := range c.Costs {
		k := costCategories[it.Category]
		l := CostLine{Category: it.Category, Label: k.Label, Description: it.Description, Phase: it.Phase, Amount: it.Amount,
			Credit: it.Credit}
		if l.Credit == "" {
			l.Credit = k.Credit
		}
		if l.Credit == "" {
			l.Credit = c.paymentAccount()
		}
		if k.Intangible == recoverableTax {
			l.Treatment, l.Account, l.Ref = TreatTax, acctVAT, k.Ref
			if outcome == OutcomeInventory {
				l.Ref = k.InvRef
			}
			l.Reason = "可抵扣的增值税进项税额不计入数据资源成本。"
			lines = append(lines, l)
			continue
		}
		switch {
		case outcome == OutcomeInventory:
			classifyInventory(c, k, &l)
		case c.rdProject():
			classifyRD(c, outcome, k, it, &l)
		case outcome == OutcomeIntangible:
			if k.Intangible == capitalise {
				l.Treatment, l.Account, l.Ref = TreatCapitalise, acctIntangible, k.Ref
				l.Reason = "直接归属于使该数据资源达到预定用途的支出，计入无形资产成本。"
				if it.Category == "agreed_value" {
					l.Reason = "投资者投入的，按投资合同或协议约定的价值确定成本（约定价值不公允的除外）。"
				}
			} else {
				l.Treatment, l.Account, l.Ref = TreatExpense, expenseAccount(c, it.Category), k.Ref
				l.Reason = "不属于直接归属于使该数据资源达到预定用途的支出，计入当期损益。"
			}
		default: // not recognised
			l.Treatment, l.Account = TreatExpense, expenseAccount(c, it.Category)
			l.Reason, l.Ref = "数据资源不满足资产确认条件，相关支出计入当期损益。", refCAS6Expense
			if c.heldForSale() {
				l.Ref = refCAS1Recognition
			}
		}
		lines = append(lines, l)
	}
	return lines
}

func classifyInventory(c *Case, k costCategory, l *CostLine) {
	if k.Inventory != capitalise {
		l.Treatment, l.Account, l.Ref = TreatExpense, expenseAccount(c, l.Category), k.InvRef
		l.Reason = "不能归属于使存货达到目前场所和状态的支出（或仓储、非正常消耗），在发生时计入当期损益。"
		return
	}
	l.Treatment, l.Ref = TreatCapitalise, k.InvRef
	l.Account = acctInventory
	if c.Acquisition == AcqDeveloped {
		l.Account = acctWIP
	}
	switch {
	case k.InvRef == refCAS1ConvCost:
		l.Reason = "数据加工的直接人工及制造费用，计入存货加工成本。"
	case c.Acquisition == AcqDeveloped:
		l.Reason = "通过数据加工取得的存货，其成本包括采购成本、加工成本和使存货达到目前场所和状态的其他支出。"
	default:
		l.Reason = "外购存货的采购成本包括购买价款、相关税费、保险费及数据权属鉴证、质量评估、登记结算、安全管理等可归属于采购成本的费用。"
	}
}

func classifyRD(c *Case, outcome string, k costCategory, it CostItem, l *CostLine) {
	expenseRD := func(reason string, ref Ref) {
		l.Treatment, l.Account, l.Reason, l.Ref = TreatExpense, acctRDExpensed, reason, ref
	}
	switch {
	case outcome == OutcomeExpense && !recognitionAnsweredTrue(c):
		l.Treatment, l.Account = TreatExpense, acctRDExpensed
		l.Reason, l.Ref = "数据资源不满足资产确认条件，相关支出计入当期损益。", refCAS6Expense
	case k.Intangible != capitalise:
		l.Treatment, l.Account, l.Ref = TreatExpense, expenseAccount(c, it.Category), k.Ref
		l.Reason = "不属于研究开发活动的直接支出，计入当期损益。"
	case it.Phase == PhaseResearch:
		expenseRD("研究阶段的支出，应当于发生时计入当期损益。", refIntangibleCost)
	case !allConditions(c.Development):
		expenseRD("开发阶段支出未同时满足无形资产准则第九条规定的条件，计入当期损益。", refCAS6Development)
	case it.BeforeConditions:
		expenseRD("满足资本化条件之前发生的开发阶段支出，计入当期损益，以后不再调整。", refCAS6Developed)
	default:
		l.Treatment, l.Account, l.Ref = TreatCapitalise, acctRDCapital, refCAS6Development
		l.Reason = "开发阶段支出满足无形资产准则第九条规定的条件，予以资本化。"
	}
}

// expenseAccount picks the profit-or-loss account for an expensed cost.
func expenseAccount(c *Case, category string) string {
	switch {
	case category == "selling":
		return acctSelling
	case has(c.Purposes, PurposeService) && category == "purchased_service":
		return acctCostOfSales
	}
	return acctAdmin
}

func sumLines(lines []CostLine, treatment string) Money {
	var s Money
	for _, l := range lines {
		if l.Treatment == treatment {
			s += l.Amount
		}
	}
	return s
}

// monthIndex counts months since year 0 so schedules can do date math in ints.
func monthIndex(t time.Time) int { return t.Year()*12 + int(t.Month()) - 1 }

func monthLabel(i int) string { return fmt.Sprintf("%04d-%02d", i/12, i%12+1) }

func parseDate(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }

func mustDate(s string) time.Time {
	t, err := parseDate(s)
	if err != nil {
		panic("ruzhang: unvalidated date " + s)
	}
	return t
}

// amortise builds the schedule. Amortisation starts in the month the asset
// is available for use (当月增加当月摊销, a common practice consistent with
// 第十七条 自可供使用时起) and runs life months.
func amortise(c *Case, cost Money) *Amortisation {
	in := c.Intangible
	a := &Amortisation{Method: in.Method, Cost: cost, LifeMonths: *in.LifeMonths, Granularity: c.Schedule,
		Refs: []Ref{refCAS6Amortise, refCAS6Residual}}
	if a.Method == "" {
		a.Method = MethodStraightLine
	}
	if a.Granularity == "" {
		a.Granularity = "year"
	}
	if in.Residual != nil {
		a.Residual = *in.Residual
	}
	a.Amortisable = cost - a.Residual
	start := monthIndex(mustDate(c.AvailableDate))
	a.Start = monthLabel(start)
	n := a.LifeMonths
	a.monthly = make([]Money, n)
	switch a.Method {
	case MethodUnits:
		a.MethodLabel = "产量法（按预期消耗量）"
		spreadUnits(a, in.ExpectedUnits)
	default:
		a.MethodLabel = "直线法"
		a.Monthly = ratio(a.Amortisable, 1, int64(n))
		spread(a.monthly, a.Amortisable)
	}
	a.Rows = scheduleRows(a, start)
	ps, pe := monthIndex(mustDate(c.PeriodStart)), monthIndex(mustDate(c.PeriodEnd))
	a.AccumulatedOpening = a.accumulatedThrough(ps-1-start, n)
	a.AccumulatedClosing = a.accumulatedThrough(pe-start, n)
	a.PeriodAmount = a.AccumulatedClosing - a.AccumulatedOpening
	return a
}

// spread divides total evenly over the months, the last month taking the
// rounding remainder so the schedule sums to total exactly.
func spread(months []Money, total Money) {
	n := len(months)
	each := ratio(total, 1, int64(n))
	for i := range months {
		months[i] = each
	}
	months[n-1] = total - each*Money(n-1)
}

// spreadUnits allocates the amortisable amount to amortisation years in
// proportion to expected units, and evenly within each year.
func spreadUnits(a *Amortisation, units []float64) {
	var sum float64
	for _, u := range units {
		sum += u
	}
	var allocated Money
	for y := range units {
		from, to := y*12, min((y+1)*12, len(a.monthly))
		if from >= to {
			break
		}
		amt := Yuan(a.Amortisable.Float() * units[y] / sum)
		if y == len(units)-1 || to == len(a.monthly) {
			amt = a.Amortisable - allocated
		}
		allocated += amt
		spread(a.monthly[from:to], amt)
	}
}

// accumulatedThrough sums the monthly amounts for schedule months 0..k.
func (a *Amortisation) accumulatedThrough(k, n int) Money {
	var s Money
	for i := 0; i <= k && i < n; i++ {
		s += a.monthly[i]
	}
	return s
}

func scheduleRows(a *Amortisation, start int) []AmortRow {
	var rows []AmortRow
	var acc Money
	add := func(label string, amt Money) {
		acc += amt
		rows = append(rows, AmortRow{Period: label, Amount: amt, Accumulated: acc, Carrying: a.Cost - acc})
	}
	if a.Granularity == "month" {
		for i, m := range a.monthly {
			add(monthLabel(start+i), m)
		}
		return rows
	}
	// Calendar (fiscal) years: 中国企业会计年度为公历年度.
	var cur int
	var amt Money
	for i, m := range a.monthly {
		y := (start + i) / 12
		if i > 0 && y != cur {
			add(fmt.Sprintf("%d 年", cur), amt)
			amt = 0
		}
		cur = y
		amt += m
	}
	add(fmt.Sprintf("%d 年", cur), amt)
	return rows
}

// measureInventory applies the lower of cost and NRV (存货准则 第十五条).
func measureInventory(c *Case, cost Money) *InventoryMeasure {
	in := c.Inventory
	m := &InventoryMeasure{Cost: cost, EstimatedPrice: *in.EstimatedPrice, CostToComplete: *in.CostToComplete,
		SellingCosts: *in.SellingCosts, SellingTaxes: *in.SellingTaxes, PriorAllowance: in.PriorAllowance,
		Refs: []Ref{refCAS1NRV, refCAS1Reversal}}
	m.NRV = m.EstimatedPrice - m.CostToComplete - m.SellingCosts - m.SellingTaxes
	m.Steps = append(m.Steps, Step{Label: "可变现净值", Formula: "可变现净值 = 估计售价 − 至完工时估计将要发生的成本 − 估计的销售费用 − 相关税费",
		Substituted: fmt.Sprintf("可变现净值 = %s − %s − %s − %s", m.EstimatedPrice, m.CostToComplete, m.SellingCosts, m.SellingTaxes),
		Result:      m.NRV.String(), Value: m.NRV.Float()})
	if cost > m.NRV {
		m.RequiredAllowance = cost - m.NRV
	}
	m.Steps = append(m.Steps, Step{Label: "应有存货跌价准备余额", Formula: "max(0, 成本 − 可变现净值)",
		Substituted: fmt.Sprintf("max(0, %s − %s)", cost, m.NRV), Result: m.RequiredAllowance.String(), Value: m.RequiredAllowance.Float()})
	m.WriteDown = m.RequiredAllowance - m.PriorAllowance
	m.Steps = append(m.Steps, Step{Label: "本期计提（负数为转回）", Formula: "应有余额 − 期初已计提余额",
		Substituted: fmt.Sprintf("%s − %s", m.RequiredAllowance, m.PriorAllowance), Result: m.WriteDown.String(), Value: m.WriteDown.Float()})
	m.Carrying = cost - m.RequiredAllowance
	m.Steps = append(m.Steps, Step{Label: "期末账面价值", Formula: "成本 − 存货跌价准备", Substituted: fmt.Sprintf("%s − %s", cost, m.RequiredAllowance),
		Result: m.Carrying.String(), Value: m.Carrying.Float()})
	return m
}
