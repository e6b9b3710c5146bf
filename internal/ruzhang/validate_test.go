package ruzhang

import (
	"errors"
	"strings"
	"testing"
)

func intp(n int) *int { return &n }

func TestValidate(t *testing.T) {
	base := func() Case { return loadCase(t, "purchased_internal") }
	tests := []struct {
		name   string
		mutate func(c *Case)
		field  string
		msg    string
	}{
		{"negative amount", func(c *Case) { c.Costs[0].Amount = Yuan(-5) }, "costs[0].amount", "不能为负数"},
		{"zero amount", func(c *Case) { c.Costs[1].Amount = 0 }, "costs[1].amount", "应大于零"},
		{"absurd amount", func(c *Case) { c.Costs[0].Amount = Yuan(5e13) }, "costs[0].amount", "超出合理范围"},
		{"unknown category", func(c *Case) { c.Costs[2].Category = "lunch" }, "costs[2].category", "未知的支出类别"},
		{"held for sale and internal use", func(c *Case) { c.Purposes = []string{PurposeInternal, PurposeSale} }, "purposes", "相互矛盾"},
		{"duplicate purpose", func(c *Case) { c.Purposes = []string{PurposeInternal, PurposeInternal} }, "purposes[1]", "重复"},
		{"bad purpose", func(c *Case) { c.Purposes = []string{"hoarding"} }, "purposes[0]", "持有目的无效"},
		{"bad acquisition", func(c *Case) { c.Acquisition = "stolen" }, "acquisition", "取得方式无效"},
		{"life 0", func(c *Case) { c.Intangible.LifeMonths = intp(0) }, "intangible.life_months", "必须大于 0"},
		{"life 1000 years", func(c *Case) { c.Intangible.LifeMonths = intp(12000) }, "intangible.life_months", "不应超过 50 年"},
		{"indefinite and a life", func(c *Case) { c.Intangible.IndefiniteLife = boolp(true) }, "intangible.life_months", "不应再填写使用寿命"},
		{"bad method", func(c *Case) { c.Intangible.Method = "double_declining" }, "intangible.method", "摊销方法"},
		{"residual ≥ cost", func(c *Case) { r := Yuan(2e6); c.Intangible.Residual = &r }, "intangible.residual", "残值"},
		{"negative residual", func(c *Case) { r := Yuan(-1); c.Intangible.Residual = &r }, "intangible.residual", "不能为负数"},
		{"agreed value on a purchase", func(c *Case) { c.Costs[0].Category = "agreed_value" }, "costs[0].category", "只适用于以其他方式"},
		{"phase on a purchase", func(c *Case) { c.Costs[0].Phase = PhaseResearch }, "costs[0].phase", "不区分研究阶段"},
		{"R&D answers on a purchase", func(c *Case) { c.Development = &Development{TechFeasible: boolp(true)} }, "development", "只有自行研发"},
		{"bad date", func(c *Case) { c.PeriodEnd = "31/12/2024" }, "period_end", "YYYY-MM-DD"},
		{"period reversed", func(c *Case) { c.PeriodStart, c.PeriodEnd = "2024-12-31", "2024-01-01" }, "period_end", "早于起始日期"},
		{"period too long", func(c *Case) { c.PeriodEnd = "2026-12-31" }, "period_end", "不应超过一年"},
		{"available after period end", func(c *Case) { c.AvailableDate = "2025-02-01" }, "available_date", "晚于资产负债表日"},
		{"year 1066", func(c *Case) { c.AvailableDate = "1066-10-14" }, "available_date", "不在合理范围"},
		{"bad schedule", func(c *Case) { c.Schedule = "week" }, "schedule", "粒度"},
		{"discount rate as percent", func(c *Case) {
			c.Valuation = &ValuationInputs{Income: &IncomeApproach{Variant: IncomeDirect, DiscountRate: 12, Periods: []IncomePeriod{{R: Yuan(1)}}}}
		}, "valuation.income.discount_rate", "0.12"},
		{"share rate above 1", func(c *Case) {
			c.Valuation = &ValuationInputs{Income: &IncomeApproach{Variant: IncomeShare, DiscountRate: 0.1, Periods: []IncomePeriod{{R: Yuan(1), K: 1.5}}}}
		}, "valuation.income.periods[0].k", "分成率"},
		{"negative excess income", func(c *Case) {
			c.Valuation = &ValuationInputs{Income: &IncomeApproach{Variant: IncomeExcess, DiscountRate: 0.1, Periods: []IncomePeriod{{R: Yuan(100), C: []Money{Yuan(200)}}}}}
		}, "valuation.income.periods[0].c", "超额收益为负"},
		{"no periods", func(c *Case) {
			c.Valuation = &ValuationInputs{Income: &IncomeApproach{Variant: IncomeDirect, DiscountRate: 0.1}}
		}, "valuation.income.periods", "1 至 50 期"},
		{"market factor zero", func(c *Case) {
			c.Valuation = &ValuationInputs{Market: &MarketApproach{Datasets: []MarketDataset{{Q: Yuan(10), Quality: f64(0)}}}}
		}, "valuation.market.datasets[0].quality", "质量调整系数"},
		{"cost approach without δ", func(c *Case) {
			c.Valuation = &ValuationInputs{Cost: &CostApproach{Direct: Yuan(10)}}
		}, "valuation.cost.delta", "请填写价值调整系数"},
		{"δ and its bases together", func(c *Case) {
			c.Valuation = &ValuationInputs{Cost: &CostApproach{Direct: Yuan(10), Delta: f64(0.5), ActualQuality: f64(1), ExpectedQuality: f64(1)}}
		}, "valuation.cost.delta", "不应同时填写"},
		{"remaining life above total", func(c *Case) {
			c.Valuation = &ValuationInputs{Cost: &CostApproach{Direct: Yuan(10), RemainingLife: f64(6), TotalLife: f64(5)}}
		}, "valuation.cost.remaining_life", "剩余经济寿命"},
		{"no approach", func(c *Case) { c.Valuation = &ValuationInputs{} }, "valuation", "至少选择一种"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base()
			tt.mutate(&c)
			r, err := Evaluate(c)
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("Evaluate error = %v, want a ValidationError", err)
			}
			if r != nil {
				t.Errorf("a result came back with errors")
			}
			for _, e := range verr.Errors {
				if e.Field == tt.field && strings.Contains(e.Message, tt.msg) {
					return
				}
			}
			t.Errorf("no error on %s containing %q; got %v", tt.field, tt.msg, verr.Errors)
		})
	}
}

// Every error is reported at once.
func TestValidateReportsAll(t *testing.T) {
	c := loadCase(t, "purchased_internal")
	c.Costs[0].Amount = Yuan(-1)
	c.Intangible.LifeMonths = intp(0)
	c.Purposes = []string{PurposeSale, PurposeInternal}
	if errs := Validate(c); len(errs) < 3 {
		t.Errorf("got %d errors, want ≥ 3: %v", len(errs), errs)
	}
}

// Checks that need the cost classification run before any figure is made.
func TestValidateMeasured(t *testing.T) {
	c := loadCase(t, "purchased_internal")
	for i := range c.Costs {
		c.Costs[i].Category = "training"
	}
	_, err := Evaluate(c)
	if err == nil || !strings.Contains(err.Error(), "没有可计入无形资产成本的支出") {
		t.Errorf("err = %v", err)
	}
	c = loadCase(t, "held_for_sale_nrv")
	c.Inventory.PriorAllowance = Yuan(100)
	if _, err := Evaluate(c); err == nil || !strings.Contains(err.Error(), "本期新取得") {
		t.Errorf("err = %v", err)
	}
}

func TestExamplesValid(t *testing.T) {
	for _, name := range []string{"purchased_internal", "held_for_sale_nrv", "rd_project", "fails_recognition", "valuation"} {
		if errs := Validate(loadCase(t, name)); len(errs) > 0 {
			t.Errorf("%s: %v", name, errs)
		}
	}
}
