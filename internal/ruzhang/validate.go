package ruzhang

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// ValidationError carries every field error of a case.
type ValidationError struct {
	Errors []FieldError `json:"errors"`
}

func (e *ValidationError) Error() string {
	var parts []string
	for _, f := range e.Errors {
		parts = append(parts, f.Error())
	}
	return "案例数据有误：" + strings.Join(parts, "；")
}

// Limits on answers: beyond them the input is a typo, not a data resource.
const (
	maxLifeMonths = 600 // 50 年
	maxPeriods    = 50
	maxFactor     = 5.0
)

type validator struct{ errs []FieldError }

func (v *validator) add(field, format string, args ...any) {
	v.errs = append(v.errs, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// money checks an amount that must be ≥ 0 (or > 0 when positive is set).
func (v *validator) money(field string, m Money, positive bool) {
	switch {
	case m < 0:
		v.add(field, "金额不能为负数（%s 元）", m)
	case positive && m == 0:
		v.add(field, "金额应大于零")
	case m > maxMoney:
		v.add(field, "金额 %s 元超出合理范围（单项不超过 10 万亿元），请检查单位是否为元", m)
	}
}

func (v *validator) date(field, s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	t, err := parseDate(s)
	if err != nil {
		v.add(field, "日期格式应为 YYYY-MM-DD，例如 2024-12-31")
		return t, false
	}
	if t.Year() < 1990 || t.Year() > 2100 {
		v.add(field, "日期 %s 不在合理范围内（1990—2100 年）", s)
		return t, false
	}
	return t, true
}

func (v *validator) factor(field, name string, x float64, hi float64) {
	if math.IsNaN(x) || math.IsInf(x, 0) || x <= 0 || x > hi {
		v.add(field, "%s应大于 0 且不超过 %s", name, coef(hi))
	}
}

// Validate checks the case for impossible, absurd or contradictory answers.
// Unanswered questions are not errors here: Determine and NextQuestions
// report them. All errors are returned at once.
func Validate(c Case) []FieldError {
	v := &validator{}
	if c.Acquisition != "" && c.Acquisition != AcqPurchase && c.Acquisition != AcqDeveloped && c.Acquisition != AcqOther {
		v.add("acquisition", "取得方式无效：应为 purchase（外购）、developed（自行加工或研发）或 other（其他方式）")
	}
	seen := map[string]bool{}
	for i, p := range c.Purposes {
		f := fmt.Sprintf("purposes[%d]", i)
		switch {
		case p != PurposeInternal && p != PurposeSale && p != PurposeService:
			v.add(f, "持有目的无效：应为 internal_use（企业内部使用）、held_for_sale（日常活动中持有以出售）或 service（对外提供服务）")
		case seen[p]:
			v.add(f, "持有目的重复")
		}
		seen[p] = true
	}
	if seen[PurposeSale] && (seen[PurposeInternal] || seen[PurposeService]) {
		v.add("purposes", "持有目的相互矛盾：同一数据资源不能既“日常活动中持有以出售”（存货）又供内部使用或对外提供服务（无形资产）；请按用途拆分为两个案例")
	}
	if c.Development != nil && c.Acquisition != "" && len(c.Purposes) > 0 && !c.rdProject() {
		v.add("development", "只有自行研发且不以出售为目的的数据资源才需回答研究开发阶段的问题；外购、其他方式取得或持有以出售的，请删除这些回答")
	}
	validateCosts(v, &c)

	start, okStart := v.date("period_start", c.PeriodStart)
	end, okEnd := v.date("period_end", c.PeriodEnd)
	avail, okAvail := v.date("available_date", c.AvailableDate)
	if okStart && okEnd {
		switch {
		case end.Before(start):
			v.add("period_end", "报告期截止日期早于起始日期")
		case end.After(start.AddDate(1, 0, 0)):
			v.add("period_end", "报告期不应超过一年")
		}
	}
	if okAvail && okEnd && avail.After(end) {
		v.add("available_date", "可供使用（取得）日期 %s 晚于资产负债表日 %s，本期尚不应确认为资产", c.AvailableDate, c.PeriodEnd)
	}
	if c.Schedule != "" && c.Schedule != "month" && c.Schedule != "year" {
		v.add("schedule", "摊销表粒度应为 month（按月）或 year（按年）")
	}
	if c.Intangible != nil {
		validateIntangible(v, &c)
	}
	if c.Inventory != nil {
		in := c.Inventory
		for _, f := range []struct {
			name string
			m    *Money
		}{{"estimated_price", in.EstimatedPrice}, {"cost_to_complete", in.CostToComplete}, {"selling_costs", in.SellingCosts}, {"selling_taxes", in.SellingTaxes}} {
			if f.m != nil {
				v.money("inventory."+f.name, *f.m, false)
			}
		}
		v.money("inventory.prior_allowance", in.PriorAllowance, false)
	}
	if c.Valuation != nil {
		validateValuation(v, c.Valuation)
	}
	return v.errs
}

func validateCosts(v *validator, c *Case) {
	var total Money
	for i, it := range c.Costs {
		f := fmt.Sprintf("costs[%d]", i)
		if _, ok := costCategories[it.Category]; !ok {
			v.add(f+".category", "未知的支出类别 %q", it.Category)
		}
		v.money(f+".amount", it.Amount, true)
		if it.Amount > 0 && it.Amount <= maxMoney {
			total += it.Amount
		}
		switch {
		case it.Phase != "" && it.Phase != PhaseResearch && it.Phase != PhaseDevelopment:
			v.add(f+".phase", "阶段应为 research（研究阶段）或 development（开发阶段）")
		case c.rdProject() && it.Phase == "" && it.Category != "deductible_vat":
			v.add(f+".phase", "自行研发项目的每项支出须标明研究阶段或开发阶段")
		case !c.rdProject() && it.Phase != "" && c.Acquisition != "" && len(c.Purposes) > 0:
			v.add(f+".phase", "非自行研发项目的支出不区分研究阶段与开发阶段，请删除阶段")
		}
		if it.Category == "agreed_value" && c.Acquisition != "" && c.Acquisition != AcqOther {
			v.add(f+".category", "“投资合同或协议约定价值”只适用于以其他方式（如投资者投入）取得的数据资源")
		}
		if it.BeforeConditions && it.Phase != PhaseDevelopment {
			v.add(f+".before_conditions", "“满足资本化条件之前”只适用于开发阶段支出")
		}
	}
	if total > maxMoney {
		v.add("costs", "支出合计 %s 元超出合理范围", total)
	}
}

func validateIntangible(v *validator, c *Case) {
	in := c.Intangible
	if in.LifeMonths != nil {
		n := *in.LifeMonths
		switch {
		case n <= 0:
			v.add("intangible.life_months", "使用寿命必须大于 0；无法预见经济利益期限的，请选择“使用寿命不确定”")
		case n > maxLifeMonths:
			v.add("intangible.life_months", "使用寿命 %d 个月（约 %d 年）不合理：数据资源受更新频率和时效性、技术迭代等影响，使用寿命不应超过 50 年", n, n/12)
		}
		if in.IndefiniteLife != nil && *in.IndefiniteLife {
			v.add("intangible.life_months", "已选择“使用寿命不确定”，不应再填写使用寿命")
		}
	}
	if in.Method != "" && in.Method != MethodStraightLine && in.Method != MethodUnits {
		v.add("intangible.method", "摊销方法应为 straight_line（直线法）或 units（产量法）")
	}
	if in.Residual != nil {
		v.money("intangible.residual", *in.Residual, false)
		var total Money
		for _, it := range c.Costs {
			total += it.Amount
		}
		if *in.Residual > 0 && *in.Residual >= total {
			v.add("intangible.residual", "残值不应大于或等于数据资源的成本")
		}
	}
	if in.Method == MethodUnits {
		var sum float64
		for i, u := range in.ExpectedUnits {
			if math.IsNaN(u) || math.IsInf(u, 0) || u < 0 {
				v.add(fmt.Sprintf("intangible.expected_units[%d]", i), "预期消耗量不能为负数")
			} else {
				sum += u
			}
		}
		if len(in.ExpectedUnits) > 0 && sum <= 0 {
			v.add("intangible.expected_units", "预期消耗量合计必须大于 0")
		}
		if in.LifeMonths != nil && *in.LifeMonths > 0 && len(in.ExpectedUnits) > 0 {
			if years := (*in.LifeMonths + 11) / 12; len(in.ExpectedUnits) != years {
				v.add("intangible.expected_units", "预期消耗量应按摊销年度逐年填写，共 %d 年（使用寿命 %d 个月）", years, *in.LifeMonths)
			}
		}
	}
	if in.RecoverableAmount != nil {
		v.money("intangible.recoverable_amount", *in.RecoverableAmount, false)
	}
}

func validateValuation(v *validator, in *ValuationInputs) {
	v.date("valuation.base_date", in.BaseDate)
	if in.Cost == nil && in.Income == nil && in.Market == nil {
		v.add("valuation", "请至少选择一种评估方法（成本法、收益法或市场法）")
	}
	if c := in.Cost; c != nil {
		for _, f := range []struct {
			n string
			m Money
		}{{"preliminary", c.Preliminary}, {"direct", c.Direct}, {"indirect", c.Indirect}, {"opportunity", c.Opportunity}, {"taxes", c.Taxes}} {
			v.money("valuation.cost."+f.n, f.m, false)
		}
		if c.replacementCost() <= 0 {
			v.add("valuation.cost", "重置成本合计必须大于零")
		}
		quality := c.ActualQuality != nil || c.ExpectedQuality != nil
		life := c.RemainingLife != nil || c.TotalLife != nil
		switch {
		case c.Delta != nil && (quality || life):
			v.add("valuation.cost.delta", "已直接填写价值调整系数 δ，不应同时填写质量或剩余寿命调整依据")
		case c.Delta != nil:
			v.factor("valuation.cost.delta", "价值调整系数 δ", *c.Delta, 2)
		case !quality && !life:
			v.add("valuation.cost.delta", "请填写价值调整系数 δ，或填写实际/期望质量、剩余/总经济寿命以计算 δ")
		}
		if quality {
			if c.ActualQuality == nil || c.ExpectedQuality == nil {
				v.add("valuation.cost.expected_quality", "实际质量与期望质量须同时填写")
			} else {
				v.factor("valuation.cost.actual_quality", "实际质量评分", *c.ActualQuality, 1000)
				v.factor("valuation.cost.expected_quality", "期望质量评分", *c.ExpectedQuality, 1000)
			}
		}
		if life {
			switch {
			case c.RemainingLife == nil || c.TotalLife == nil:
				v.add("valuation.cost.total_life", "剩余经济寿命与经济寿命须同时填写")
			case *c.TotalLife <= 0 || *c.TotalLife > 50:
				v.add("valuation.cost.total_life", "经济寿命应大于 0 且不超过 50 年")
			case *c.RemainingLife < 0 || *c.RemainingLife > *c.TotalLife:
				v.add("valuation.cost.remaining_life", "剩余经济寿命应在 0 与经济寿命之间")
			}
		}
	}
	if inc := in.Income; inc != nil {
		validateIncome(v, inc)
	}
	if m := in.Market; m != nil {
		switch {
		case len(m.Datasets) == 0 && len(m.Comparables) == 0:
			v.add("valuation.market.datasets", "市场法至少需要一个数据集及其参照数据集，或至少一个可比案例")
		case len(m.Datasets) > 0 && len(m.Comparables) > 0:
			v.add("valuation.market.comparables", "数据集分解（各部分相加）与可比案例（逐一调整后加权）是两种用法，请只填写一种")
		}
		var wsum float64
		for i, d := range m.Comparables {
			f := fmt.Sprintf("valuation.market.comparables[%d]", i)
			v.money(f+".price", d.Price, true)
			for _, x := range []struct {
				n, label string
				p        *float64
			}{{"quality", "质量调整系数", d.Quality}, {"supply_demand", "供求调整系数", d.SupplyDemand}, {"date", "期日调整系数", d.Date}, {"volume", "容量调整系数", d.Volume}, {"other", "其他调整系数", d.Other}} {
				if x.p != nil {
					v.factor(f+"."+x.n, x.label, *x.p, maxFactor)
				}
			}
			w := 1.0
			if d.Weight != nil {
				w = *d.Weight
				if math.IsNaN(w) || w < 0 || w > 1000 {
					v.add(f+".weight", "权重应为 0 至 1000 之间的数")
					w = 0
				}
			}
			wsum += w
		}
		if len(m.Comparables) > 0 && wsum <= 0 {
			v.add("valuation.market.comparables", "可比案例的权重合计必须大于 0")
		}
		for i, d := range m.Datasets {
			f := fmt.Sprintf("valuation.market.datasets[%d]", i)
			v.money(f+".q", d.Q, true)
			for _, x := range []struct {
				n, label string
				p        *float64
			}{{"quality", "质量调整系数", d.Quality}, {"supply_demand", "供求调整系数", d.SupplyDemand}, {"date", "期日调整系数", d.Date}, {"volume", "容量调整系数", d.Volume}, {"other", "其他调整系数", d.Other}} {
				if x.p != nil {
					v.factor(f+"."+x.n, x.label, *x.p, maxFactor)
				}
			}
		}
	}
}

func validateIncome(v *validator, in *IncomeApproach) {
	switch in.Variant {
	case IncomeDirect, IncomeShare, IncomeExcess, IncomeIncremental:
	default:
		v.add("valuation.income.variant", "收益预测方式应为 direct（直接收益）、share（分成收益）、excess（超额收益）或 incremental（增量收益）")
	}
	if in.ShareBasis != "" && in.ShareBasis != "revenue" && in.ShareBasis != "profit" {
		v.add("valuation.income.share_basis", "分成基础应为 revenue（收入提成率）或 profit（利润分成率）")
	}
	r := in.DiscountRate
	if math.IsNaN(r) || r <= 0 || r >= 1 {
		v.add("valuation.income.discount_rate", "折现率应以小数表示并在 0 与 1 之间，例如 12%% 填 0.12")
	}
	if len(in.Periods) == 0 || len(in.Periods) > maxPeriods {
		v.add("valuation.income.periods", "收益预测期应为 1 至 %d 期", maxPeriods)
	}
	for i, p := range in.Periods {
		f := fmt.Sprintf("valuation.income.periods[%d]", i)
		switch in.Variant {
		case IncomeDirect:
			v.money(f+".r", p.R, false)
		case IncomeShare:
			v.money(f+".r", p.R, false)
			if math.IsNaN(p.K) || p.K <= 0 || p.K > 1 {
				v.add(f+".k", "分成率应以小数表示并大于 0、不超过 1，例如 25%% 填 0.25")
			}
		case IncomeExcess:
			v.money(f+".r", p.R, false)
			var sum Money
			for j, c := range p.C {
				v.money(fmt.Sprintf("%s.c[%d]", f, j), c, false)
				sum += c
			}
			if len(p.C) == 0 {
				v.add(f+".c", "超额收益法须列出其他相关贡献资产的贡献额")
			} else if sum > p.R {
				v.add(f+".c", "其他贡献资产的贡献合计超过整体收益，超额收益为负，超额收益预测不适用")
			}
		case IncomeIncremental:
			v.money(f+".ry", p.RY, false)
			v.money(f+".rn", p.RN, false)
			if p.RY < p.RN {
				v.add(f+".ry", "采用数据资产的息税前利润低于未采用时，增量收益为负，增量收益预测不适用")
			}
		}
	}
}
