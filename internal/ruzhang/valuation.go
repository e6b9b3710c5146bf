package ruzhang

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Valuation methods (《数据资产评估指导意见》 第十九条).
const (
	ValCost   = "cost"
	ValIncome = "income"
	ValMarket = "market"
)

// Income forecasting variants (第二十一条（三）; models in 附3 一、).
const (
	IncomeDirect      = "direct"      // 直接收益预测 Ft=Rt
	IncomeShare       = "share"       // 分成收益预测 Ft=Rt×kt
	IncomeExcess      = "excess"      // 超额收益预测 Ft=Rt−Σcti
	IncomeIncremental = "incremental" // 增量收益预测 Ft=RYt−RNt
)

// ValuationInputs holds the inputs of the approaches the user chose.
type ValuationInputs struct {
	BaseDate string          `json:"base_date,omitempty"` // 评估基准日
	Cost     *CostApproach   `json:"cost,omitempty"`
	Income   *IncomeApproach `json:"income,omitempty"`
	Market   *MarketApproach `json:"market,omitempty"`
}

// CostApproach: P = C × δ (附3 二、). C is the replacement cost made of the
// five components the guidance lists; δ is given directly or derived from a
// quality coefficient (实际质量/期望质量) and a remaining-life coefficient
// (剩余经济寿命/经济寿命), the two bases 第二十二条（三） names.
type CostApproach struct {
	Preliminary Money `json:"preliminary"` // 前期费用
	Direct      Money `json:"direct"`      // 直接成本
	Indirect    Money `json:"indirect"`    // 间接成本
	Opportunity Money `json:"opportunity"` // 机会成本
	Taxes       Money `json:"taxes"`       // 相关税费

	Delta           *float64 `json:"delta,omitempty"`
	ActualQuality   *float64 `json:"actual_quality,omitempty"`
	ExpectedQuality *float64 `json:"expected_quality,omitempty"`
	RemainingLife   *float64 `json:"remaining_life,omitempty"` // years
	TotalLife       *float64 `json:"total_life,omitempty"`     // years
}

// IncomeApproach: the present value of the forecast income of the data
// asset over its income period, discounted at the end of each period.
type IncomeApproach struct {
	Variant      string         `json:"variant"`
	ShareBasis   string         `json:"share_basis,omitempty"` // revenue (kt1) | profit (kt2)
	DiscountRate float64        `json:"discount_rate"`         // decimal: 0.12 = 12%
	Periods      []IncomePeriod `json:"periods"`
}

// IncomePeriod is the forecast for period t (t = index+1).
type IncomePeriod struct {
	R  Money   `json:"r,omitempty"`  // Rt: EBIT (direct), revenue/profit (share), overall income (excess)
	K  float64 `json:"k,omitempty"`  // kt: share rate
	C  []Money `json:"c,omitempty"`  // cti: contributions of other assets (excess)
	RY Money   `json:"ry,omitempty"` // RYt: EBIT with the data asset
	RN Money   `json:"rn,omitempty"` // RNt: EBIT without it
}

// MarketApproach: P = Σ (Qi × xi1 × xi2 × xi3 × xi4 × xi5) over the n data
// sets the asset is split into (附3 三、).
//
// Comparables is the other use of the market approach: several comparable
// transactions for the same asset. Each comparable's price is adjusted by
// its own coefficients, and the adjusted prices are then weighted (equal
// weights unless given) — never added up (指导意见 第二十三条: 对可比案例
// 与被评估数据资产的差异进行调整).
type MarketApproach struct {
	Datasets    []MarketDataset    `json:"datasets,omitempty"`
	Comparables []MarketComparable `json:"comparables,omitempty"`
}

// MarketComparable is one comparable transaction for the whole asset.
type MarketComparable struct {
	Name         string   `json:"name"`
	Price        Money    `json:"price"`
	Quality      *float64 `json:"quality,omitempty"`
	SupplyDemand *float64 `json:"supply_demand,omitempty"`
	Date         *float64 `json:"date,omitempty"`
	Volume       *float64 `json:"volume,omitempty"`
	Other        *float64 `json:"other,omitempty"`
	Weight       *float64 `json:"weight,omitempty"`
}

func (d MarketComparable) factors() []float64 {
	return []float64{factor(d.Quality), factor(d.SupplyDemand), factor(d.Date), factor(d.Volume), factor(d.Other)}
}

// MarketDataset is one data set with its reference (comparable) data set.
// Omitted coefficients are 1 (no adjustment).
type MarketDataset struct {
	Name         string   `json:"name"`
	Reference    string   `json:"reference,omitempty"` // 参照数据集 / 可比案例
	Q            Money    `json:"q"`                   // 参照数据集的价值
	Quality      *float64 `json:"quality,omitempty"`   // xi1 质量调整系数
	SupplyDemand *float64 `json:"supply_demand,omitempty"`
	Date         *float64 `json:"date,omitempty"`
	Volume       *float64 `json:"volume,omitempty"`
	Other        *float64 `json:"other,omitempty"`
}

// Step is one line of a calculation, shown with its substituted numbers.
type Step struct {
	Label       string  `json:"label"`
	Formula     string  `json:"formula"`
	Substituted string  `json:"substituted"`
	Result      string  `json:"result"`
	Value       float64 `json:"value"`
}

// ApproachResult is the value under one approach with its trace.
type ApproachResult struct {
	Method      string       `json:"method"`
	Label       string       `json:"label"`
	Value       Money        `json:"value"`
	Steps       []Step       `json:"steps"`
	Sensitivity *Sensitivity `json:"sensitivity,omitempty"`
	Refs        []Ref        `json:"refs"`
	Notes       []string     `json:"notes,omitempty"`
}

// Sensitivity shows the value when one input moves by each change.
type Sensitivity struct {
	Changes []float64        `json:"changes"` // relative: -0.2 … +0.2
	Rows    []SensitivityRow `json:"rows"`
}

// SensitivityRow is one input's row.
type SensitivityRow struct {
	Input  string  `json:"input"`
	Values []Money `json:"values"`
}

// ValuationResult gathers the approaches applied.
type ValuationResult struct {
	BaseDate   string           `json:"base_date,omitempty"`
	Approaches []ApproachResult `json:"approaches"`
	Notes      []Reason         `json:"notes,omitempty"`
}

var sensitivityChanges = []float64{-0.2, -0.1, 0, 0.1, 0.2}

// Value applies every approach present in in. Inputs must have passed
// validation.
func Value(in *ValuationInputs) *ValuationResult {
	if in == nil {
		return nil
	}
	res := &ValuationResult{BaseDate: in.BaseDate}
	if in.Cost != nil {
		res.Approaches = append(res.Approaches, costApproach(in.Cost))
	}
	if in.Income != nil {
		res.Approaches = append(res.Approaches, incomeApproach(in.Income))
	}
	if in.Market != nil {
		res.Approaches = append(res.Approaches, marketApproach(in.Market))
	}
	res.Notes = append(res.Notes, Reason{
		Text: "评估方法包括收益法、成本法和市场法三种基本方法及其衍生方法，应根据评估目的、评估对象、价值类型、资料收集等情况分析适用性后选择。",
		Ref:  refValMethods,
	})
	if len(res.Approaches) > 1 {
		res.Notes = append(res.Notes, Reason{
			Text: "对同一数据资产采用多种评估方法时，应当分析各测算结果的差异及其原因，并说明最终确定评估结论的理由；本引擎不自动取舍。",
			Ref:  refValMultiple,
		})
	}
	return res
}

// costDelta returns δ and the steps that derive it.
func costDelta(in *CostApproach) (float64, []Step) {
	if in.Delta != nil {
		d := *in.Delta
		return d, []Step{{Label: "价值调整系数", Formula: "δ（直接给定）", Substituted: "δ = " + coef(d), Result: coef(d), Value: d}}
	}
	var steps []Step
	d := 1.0
	var parts, nums []string
	if in.ActualQuality != nil && in.ExpectedQuality != nil {
		q := *in.ActualQuality / *in.ExpectedQuality
		steps = append(steps, Step{Label: "质量调整系数", Formula: "δq = 实际质量 ÷ 期望质量",
			Substituted: "δq = " + coef(*in.ActualQuality) + " ÷ " + coef(*in.ExpectedQuality), Result: coef(q), Value: q})
		d *= q
		parts, nums = append(parts, "δq"), append(nums, coef(q))
	}
	if in.RemainingLife != nil && in.TotalLife != nil {
		l := *in.RemainingLife / *in.TotalLife
		steps = append(steps, Step{Label: "剩余经济寿命调整系数", Formula: "δl = 剩余经济寿命 ÷ 经济寿命",
			Substituted: "δl = " + coef(*in.RemainingLife) + " ÷ " + coef(*in.TotalLife), Result: coef(l), Value: l})
		d *= l
		parts, nums = append(parts, "δl"), append(nums, coef(l))
	}
	if len(parts) > 1 {
		steps = append(steps, Step{Label: "价值调整系数", Formula: "δ = " + strings.Join(parts, " × "),
			Substituted: "δ = " + strings.Join(nums, " × "), Result: coef(d), Value: d})
	}
	return d, steps
}

func (in *CostApproach) replacementCost() Money {
	return in.Preliminary + in.Direct + in.Indirect + in.Opportunity + in.Taxes
}

func costApproach(in *CostApproach) ApproachResult {
	c := in.replacementCost()
	steps := []Step{{
		Label:   "重置成本",
		Formula: "C = 前期费用 + 直接成本 + 间接成本 + 机会成本 + 相关税费",
		Substituted: "C = " + strings.Join([]string{in.Preliminary.String(), in.Direct.String(),
			in.Indirect.String(), in.Opportunity.String(), in.Taxes.String()}, " + "),
		Result: c.String(), Value: c.Float(),
	}}
	d, dsteps := costDelta(in)
	steps = append(steps, dsteps...)
	p := Yuan(c.Float() * d)
	steps = append(steps, Step{Label: "评估值", Formula: "P = C × δ",
		Substituted: "P = " + c.String() + " × " + coef(d), Result: p.String(), Value: p.Float()})
	sens := &Sensitivity{Changes: sensitivityChanges}
	sens.Rows = append(sens.Rows,
		sensRow("重置成本 C", func(f float64) Money { return Yuan(c.Float() * (1 + f) * d) }),
		sensRow("价值调整系数 δ", func(f float64) Money { return Yuan(c.Float() * d * (1 + f)) }))
	return ApproachResult{Method: ValCost, Label: "成本法", Value: p, Steps: steps, Sensitivity: sens,
		Refs:  []Ref{refValCost, refModelCost},
		Notes: []string{"δ 由质量调整系数与剩余经济寿命调整系数相乘得出，是本引擎对第二十二条第（三）项两种依据的组合方式；也可直接填写 δ。"}}
}

// periodIncome returns Ft with its step for one period under the variant.
func periodIncome(in *IncomeApproach, t int, p IncomePeriod) (float64, Step) {
	ts := strconv.Itoa(t)
	switch in.Variant {
	case IncomeShare:
		k, name := "k"+ts+"1", "收入提成率"
		if in.ShareBasis == "profit" {
			k, name = "k"+ts+"2", "利润分成率"
		}
		f := p.R.Float() * p.K
		return f, Step{Label: "第" + ts + "期分成收益（" + name + "）", Formula: "F" + ts + " = R" + ts + " × " + k,
			Substituted: "F" + ts + " = " + p.R.String() + " × " + coef(p.K), Result: Yuan(f).String(), Value: f}
	case IncomeExcess:
		f := p.R.Float()
		var cs []string
		for _, c := range p.C {
			f -= c.Float()
			cs = append(cs, c.String())
		}
		sub := "F" + ts + " = " + p.R.String()
		if len(cs) > 0 {
			sub += " − (" + strings.Join(cs, " + ") + ")"
		}
		return f, Step{Label: "第" + ts + "期超额收益", Formula: "F" + ts + " = R" + ts + " − Σc" + ts + "i（i = 1…" + strconv.Itoa(len(p.C)) + "）",
			Substituted: sub, Result: Yuan(f).String(), Value: f}
	case IncomeIncremental:
		f := p.RY.Float() - p.RN.Float()
		return f, Step{Label: "第" + ts + "期增量收益", Formula: "F" + ts + " = RY" + ts + " − RN" + ts,
			Substituted: "F" + ts + " = " + p.RY.String() + " − " + p.RN.String(), Result: Yuan(f).String(), Value: f}
	default:
		f := p.R.Float()
		return f, Step{Label: "第" + ts + "期直接收益", Formula: "F" + ts + " = R" + ts,
			Substituted: "F" + ts + " = " + p.R.String(), Result: Yuan(f).String(), Value: f}
	}
}

var incomeModelRefs = map[string]Ref{
	IncomeDirect: refModelDirect, IncomeShare: refModelShare,
	IncomeExcess: refModelExcess, IncomeIncremental: refModelIncremental,
}

var incomeLabels = map[string]string{
	IncomeDirect: "直接收益预测", IncomeShare: "分成收益预测",
	IncomeExcess: "超额收益预测", IncomeIncremental: "增量收益预测",
}

// presentValue discounts the income stream scaled by incomeScale at rate r.
func presentValue(fs []float64, r, incomeScale float64) float64 {
	pv := 0.0
	for i, f := range fs {
		pv += f * incomeScale / math.Pow(1+r, float64(i+1))
	}
	return pv
}

func incomeApproach(in *IncomeApproach) ApproachResult {
	var steps []Step
	fs := make([]float64, len(in.Periods))
	for i, p := range in.Periods {
		f, s := periodIncome(in, i+1, p)
		fs[i] = f
		steps = append(steps, s)
	}
	r := in.DiscountRate
	var terms, nums []string
	total := 0.0
	for i, f := range fs {
		t := strconv.Itoa(i + 1)
		pv := f / math.Pow(1+r, float64(i+1))
		total += pv
		steps = append(steps, Step{Label: "第" + t + "期收益现值", Formula: "PV" + t + " = F" + t + " ÷ (1 + r)^" + t,
			Substituted: "PV" + t + " = " + Yuan(f).String() + " ÷ (1 + " + coef(r) + ")^" + t, Result: Yuan(pv).String(), Value: pv})
		terms = append(terms, "PV"+t)
		nums = append(nums, Yuan(pv).String())
	}
	p := Yuan(total)
	steps = append(steps, Step{Label: "评估值", Formula: "P = Σ Ft ÷ (1 + r)^t = " + strings.Join(terms, " + "),
		Substituted: "P = " + strings.Join(nums, " + "), Result: p.String(), Value: p.Float()})
	sens := &Sensitivity{Changes: sensitivityChanges}
	sens.Rows = append(sens.Rows,
		sensRow("折现率 r", func(f float64) Money { return Yuan(presentValue(fs, r*(1+f), 1)) }),
		sensRow("预期收益 Ft", func(f float64) Money { return Yuan(presentValue(fs, r, 1+f)) }))
	return ApproachResult{Method: ValIncome, Label: "收益法（" + incomeLabels[in.Variant] + "）", Value: p, Steps: steps,
		Sensitivity: sens, Refs: []Ref{refValIncome, incomeModelRefs[in.Variant]},
		Notes: []string{
			"按期末折现，收益期限即预测期，不计永续价值（数据资产应合理确定经济寿命或收益期限）。",
			"折现率应结合管理风险、流通风险、数据安全风险、监管风险等确定，并与预期收益口径一致。",
		}}
}

func factor(p *float64) float64 {
	if p == nil {
		return 1
	}
	return *p
}

func marketApproach(in *MarketApproach) ApproachResult {
	if len(in.Comparables) > 0 {
		return marketComparables(in.Comparables)
	}
	var steps []Step
	var terms, nums []string
	total := 0.0
	for i, d := range in.Datasets {
		n := strconv.Itoa(i + 1)
		xs := []float64{factor(d.Quality), factor(d.SupplyDemand), factor(d.Date), factor(d.Volume), factor(d.Other)}
		v := d.Q.Float()
		sub := []string{d.Q.String()}
		for _, x := range xs {
			v *= x
			sub = append(sub, coef(x))
		}
		total += v
		label := "数据集 " + n
		if d.Name != "" {
			label += "（" + d.Name + "）"
		}
		steps = append(steps, Step{Label: label + "调整后价值",
			Formula:     "P" + n + " = Q" + n + " × x" + n + "1 × x" + n + "2 × x" + n + "3 × x" + n + "4 × x" + n + "5",
			Substituted: "P" + n + " = " + strings.Join(sub, " × "), Result: Yuan(v).String(), Value: v})
		terms = append(terms, "P"+n)
		nums = append(nums, Yuan(v).String())
	}
	p := Yuan(total)
	steps = append(steps, Step{Label: "评估值", Formula: "P = Σ(Qi × xi1 × xi2 × xi3 × xi4 × xi5) = " + strings.Join(terms, " + "),
		Substituted: "P = " + strings.Join(nums, " + "), Result: p.String(), Value: p.Float()})
	sens := &Sensitivity{Changes: sensitivityChanges}
	sens.Rows = append(sens.Rows,
		sensRow("参照数据集价值 Qi 或任一调整系数 xik（同比例变动）", func(f float64) Money { return Yuan(total * (1 + f)) }))
	return ApproachResult{Method: ValMarket, Label: "市场法", Value: p, Steps: steps, Sensitivity: sens,
		Refs:  []Ref{refValMarket, refModelMarket, refModelMarketCoef},
		Notes: []string{"xi1…xi5 依次为质量、供求、期日、容量、其他调整系数，未填写的系数取 1；n 为被评估数据资产所分解成的数据集个数。"}}
}

func sensRow(input string, value func(change float64) Money) SensitivityRow {
	row := SensitivityRow{Input: input}
	for _, f := range sensitivityChanges {
		row.Values = append(row.Values, value(f))
	}
	return row
}

// coef formats a coefficient or rate with up to four decimals.
func coef(x float64) string {
	s := strconv.FormatFloat(x, 'f', 4, 64)
	s = strings.TrimRight(s, "0")
	s = strings.TrimSuffix(s, ".")
	if s == "-0" {
		s = "0"
	}
	return s
}

// pct formats a relative change as a signed percentage.
func pct(f float64) string {
	if f == 0 {
		return "基准"
	}
	return fmt.Sprintf("%+.0f%%", f*100)
}

// marketComparables adjusts each comparable, then weights the adjusted
// prices: P = Σ wj × (Pj × xj1 × … × xj5) / Σ wj.
func marketComparables(cs []MarketComparable) ApproachResult {
	var steps []Step
	var wsum, total float64
	var terms, nums []string
	adjusted := make([]float64, len(cs))
	weights := make([]float64, len(cs))
	for i, d := range cs {
		n := strconv.Itoa(i + 1)
		v := d.Price.Float()
		sub := []string{d.Price.String()}
		for _, x := range d.factors() {
			v *= x
			sub = append(sub, coef(x))
		}
		w := 1.0
		if d.Weight != nil {
			w = *d.Weight
		}
		adjusted[i], weights[i] = v, w
		wsum += w
		total += w * v
		label := "可比案例 " + n
		if d.Name != "" {
			label += "（" + d.Name + "）"
		}
		steps = append(steps, Step{Label: label + "调整后价格",
			Formula:     "V" + n + " = P" + n + " × x" + n + "1 × x" + n + "2 × x" + n + "3 × x" + n + "4 × x" + n + "5",
			Substituted: "V" + n + " = " + strings.Join(sub, " × "), Result: Yuan(v).String(), Value: v})
		terms = append(terms, "w"+n+" × V"+n)
		nums = append(nums, coef(w)+" × "+Yuan(v).String())
	}
	p := Yuan(total / wsum)
	steps = append(steps, Step{Label: "评估值（加权）", Formula: "P = (" + strings.Join(terms, " + ") + ") ÷ Σw",
		Substituted: "P = (" + strings.Join(nums, " + ") + ") ÷ " + coef(wsum), Result: p.String(), Value: p.Float()})
	sens := &Sensitivity{Changes: sensitivityChanges}
	sens.Rows = append(sens.Rows,
		sensRow("各可比案例价格或调整系数（同比例变动）", func(f float64) Money { return Yuan(total / wsum * (1 + f)) }))
	return ApproachResult{Method: ValMarket, Label: "市场法（可比案例）", Value: p, Steps: steps, Sensitivity: sens,
		Refs:  []Ref{refValMarket, refModelMarketCoef},
		Notes: []string{"每个可比案例分别按质量、供求、期日、容量、其他因素调整后加权平均，不将各可比案例价格相加；未填写的系数取 1，未填写权重的按等权。"}}
}
