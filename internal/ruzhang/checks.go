package ruzhang

import (
	"fmt"
	"time"
)

// Check levels: an error stops the case (nothing is computed or saved), a
// warning is reported with the result.
const (
	CheckError   = "error"
	CheckWarning = "warning"
)

// Check is one finding of the plausibility checks, with the provision it
// rests on. Citation is set for a provision outside the bundled library.
type Check struct {
	Level    string `json:"level"`
	Code     string `json:"code"`
	Field    string `json:"field"`
	Message  string `json:"message"`
	Ref      Ref    `json:"ref"`
	Citation string `json:"citation"`
}

func newCheck(level, code, field, msg string, ref Ref) Check {
	return Check{Level: level, Code: code, Field: field, Message: msg, Ref: ref, Citation: ref.Citation()}
}

// Checks runs the checks that stop a user from filing nonsense: useful life
// against the licence term, evidence of control, the source of each
// capitalised cost, the 行政事业单位 rules and valuation inputs out of the
// usual range. outcome is the determined outcome ("" when unknown).
func Checks(c *Case, outcome string) []Check {
	var out []Check
	add := func(ch Check) { out = append(out, ch) }
	recognised := outcome == OutcomeIntangible || outcome == OutcomeInventory || outcome == OutcomeDevelopment
	gov := c.OrgType == OrgGovernment

	// Useful life against the licence or authorisation term.
	if r := c.Rights; r != nil && r.LicenseEnd != "" && c.AvailableDate != "" {
		lic, err1 := parseDate(r.LicenseEnd)
		avail, err2 := parseDate(c.AvailableDate)
		if err1 == nil && err2 == nil {
			level := CheckError
			if r.RenewalExpected {
				level = CheckWarning
			}
			licMonth := monthIndex(lic)
			if !firstOfMonthEnd(lic) {
				licMonth-- // a licence ending mid-month does not cover that month's use in full
			}
			if in := c.Intangible; in != nil && in.LifeMonths != nil && (in.IndefiniteLife == nil || !*in.IndefiniteLife) {
				if end := monthIndex(avail) + *in.LifeMonths - 1; end > licMonth {
					add(newCheck(level, "life_exceeds_licence", "intangible.life_months",
						fmt.Sprintf("使用寿命 %d 个月（摊销至 %s）超过授权（许可）期限（至 %s）：使用寿命的估计应当重点关注权利限制；除非有证据表明授权到期可以续约且无重大成本，摊销期不应超过授权期限", *in.LifeMonths, monthLabel(end), r.LicenseEnd), refIntangibleCost))
				}
			}
			if in := c.Intangible; in != nil && in.IndefiniteLife != nil && *in.IndefiniteLife {
				add(newCheck(level, "indefinite_with_licence", "intangible.indefinite_life",
					"数据资源的授权（许可）有明确期限（至 "+r.LicenseEnd+"），使用寿命不应视为不确定", refCAS6Life))
			}
			for i, e := range c.Events {
				if e.Type != EvLifeChange || e.remainingMonths() <= 0 {
					continue
				}
				d, err := parseDate(e.Date)
				if err != nil {
					continue
				}
				if end := effectiveMonth(d) + e.remainingMonths() - 1; end > licMonth {
					add(newCheck(level, "life_exceeds_licence", fmt.Sprintf("events[%d].remaining_years", i),
						fmt.Sprintf("变更后的剩余使用寿命（摊销至 %s）超过授权（许可）期限（至 %s）", monthLabel(end), r.LicenseEnd), refIntangibleCost))
				}
			}
		}
	}

	// Evidence of control.
	if recognised && c.Controlled != nil && *c.Controlled && (c.Rights == nil || len(c.Rights.Evidence) == 0) {
		ref := refCAS6Definition
		if outcome == OutcomeInventory {
			ref = refCAS1Definition
		}
		add(newCheck(CheckWarning, "control_evidence_missing", "rights.evidence",
			"已回答“企业合法拥有或控制”，但未列出权属证明（数据资产登记证书、授权协议、采购合同、数据来源合规审查意见等）；审计时须有控制的证据", ref))
	}

	// Capitalised costs need a source document.
	if recognised {
		for i, it := range c.Costs {
			k, ok := costCategories[it.Category]
			if !ok || it.Source != "" {
				continue
			}
			capital := k.Intangible == capitalise
			if outcome == OutcomeInventory {
				capital = k.Inventory == capitalise
			}
			if it.Phase == PhaseResearch || it.BeforeConditions {
				capital = false
			}
			if !capital {
				continue
			}
			ref := refCAS6Recognition
			if outcome == OutcomeInventory {
				ref = refCAS1Recognition
			}
			add(newCheck(CheckWarning, "cost_without_source", fmt.Sprintf("costs[%d].source", i),
				fmt.Sprintf("资本化支出“%s”%s 元未注明来源（发票、合同、工时分配表等）：成本应当能够可靠地计量", k.Label, it.Amount), ref))
		}
	}

	// Costs after the resource is ready for use (or finished) are not cost:
	// only spending that brings it to its intended use is capitalised.
	if recognised && c.AvailableDate != "" {
		for i, it := range c.Costs {
			k, ok := costCategories[it.Category]
			if !ok || it.Date == "" || it.Date <= c.AvailableDate || it.Phase == PhaseResearch || it.BeforeConditions {
				continue
			}
			capital := k.Intangible == capitalise
			ref := refIntangibleCost
			if outcome == OutcomeInventory {
				capital, ref = k.Inventory == capitalise, refInventoryCost
			}
			if capital {
				add(newCheck(CheckError, "cost_after_available", fmt.Sprintf("costs[%d].date", i),
					fmt.Sprintf("“%s”发生于 %s，晚于可供使用（完工）日期 %s：达到预定用途后发生的支出不计入成本，应计入当期损益（请改用费用类别，如 admin）", k.Label, it.Date, c.AvailableDate), ref))
			}
		}
	}

	// Free public data: nothing was paid for the data itself.
	if c.Source == SourceFreePublic {
		for i, it := range c.Costs {
			if it.Category == "purchase_price" || it.Category == "agreed_value" {
				add(newCheck(CheckError, "free_data_paid", fmt.Sprintf("costs[%d].category", i),
					"无偿取得的公共数据没有购买价款，不应记作银行付款；成本只包括企业自行发生的、直接归属的加工等支出", refIntangibleCost))
			}
		}
	}

	// 行政事业单位.
	if gov {
		for i, e := range c.Events {
			switch e.Type {
			case EvPledge:
				add(newCheck(CheckError, "gov_pledge", fmt.Sprintf("events[%d].type", i),
					"行政事业单位不得利用数据资产进行担保", refGovUse))
			case EvImpairment:
				ch := newCheck(CheckError, "gov_impairment", fmt.Sprintf("events[%d].type", i),
					"执行政府会计准则制度的单位对无形资产不计提减值准备（政府会计准则第4号——无形资产无减值规定）；数据资产不再能提供服务潜力的，按处置（报废、核销）处理", Ref{})
				ch.Citation = "《政府会计准则第4号——无形资产》（资料库未收录）"
				add(ch)
			}
		}
		if c.Acquisition == AcqOther {
			for i, it := range c.Costs {
				if it.Category == "agreed_value" {
					add(newCheck(CheckError, "gov_agreed_value", fmt.Sprintf("costs[%d].category", i),
						"行政事业单位通过自主采集、生产加工、购置等方式配置数据资产，不适用投资者投入的约定价值", refGovUse))
				}
			}
		}
	}

	// Events that do not fit the classification.
	for i, e := range c.Events {
		if e.Type == EvLifeChange && outcome == OutcomeInventory {
			add(newCheck(CheckError, "inventory_life", fmt.Sprintf("events[%d].type", i), "确认为存货的数据资源不摊销，没有使用寿命可变更", refInventoryCost))
		}
	}

	// Valuation inputs outside the usual range.
	if v := c.Valuation; v != nil {
		if in := v.Income; in != nil && in.DiscountRate > 0 && in.DiscountRate < 1 && (in.DiscountRate < 0.05 || in.DiscountRate > 0.30) {
			add(newCheck(CheckWarning, "discount_rate_range", "valuation.income.discount_rate",
				fmt.Sprintf("折现率 %s 超出通常范围（5%%—30%%）：折现率应综合考虑数据资产的管理风险、流通风险、数据安全风险、监管风险等，并与预期收益口径一致", pctAbs(in.DiscountRate)), refValIncome))
		}
		if m := v.Market; m != nil {
			for i, d := range m.Datasets {
				for name, x := range map[string]*float64{"quality": d.Quality, "supply_demand": d.SupplyDemand, "date": d.Date, "volume": d.Volume, "other": d.Other} {
					if x != nil && (*x < 0.5 || *x > 2) {
						add(newCheck(CheckWarning, "market_factor_range", fmt.Sprintf("valuation.market.datasets[%d].%s", i, name),
							fmt.Sprintf("调整系数 %s 偏离 1 超过一倍：参照数据集与被评估数据集差异过大时应另选可比案例", coef(*x)), refModelMarketCoef))
					}
				}
			}
			if len(m.Datasets) > 1 {
				same := true
				for _, d := range m.Datasets[1:] {
					if d.Name != m.Datasets[0].Name {
						same = false
					}
				}
				if same {
					add(newCheck(CheckWarning, "market_sum_of_comparables", "valuation.market.datasets",
						"各数据集名称相同（或均未命名），看起来是同一数据资产的多个可比案例：可比案例应逐一调整后加权平均（comparables），不应相加；相加只适用于把被评估数据资产分解成的不同数据集", refValMarket))
				}
			}
			for i, cp := range m.Comparables {
				for _, x := range cp.factors() {
					if x < 0.5 || x > 2 {
						add(newCheck(CheckWarning, "market_factor_range", fmt.Sprintf("valuation.market.comparables[%d]", i),
							fmt.Sprintf("可比案例“%s”的调整系数 %s 偏离 1 超过一倍：差异过大时应另选可比案例", cp.Name, coef(x)), refModelMarketCoef))
						break
					}
				}
			}
		}
	}
	sortChecks(out)
	return out
}

// firstOfMonthEnd reports whether t is the last day of its month.
func firstOfMonthEnd(t time.Time) bool { return t.AddDate(0, 0, 1).Day() == 1 }

func pctAbs(f float64) string { return fmt.Sprintf("%.1f%%", f*100) }

// sortChecks puts errors first, then orders by field so that the output is
// stable (one loop above ranges over a map).
func sortChecks(cs []Check) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && less(cs[j], cs[j-1]); j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

func less(a, b Check) bool {
	if a.Level != b.Level {
		return a.Level == CheckError
	}
	return a.Field < b.Field
}

// checkErrors turns error-level checks into field errors citing the provision.
func checkErrors(cs []Check) []FieldError {
	var out []FieldError
	for _, c := range cs {
		if c.Level == CheckError {
			out = append(out, FieldError{Field: c.Field, Message: c.Message + "（依据：" + c.Citation + "）"})
		}
	}
	return out
}
