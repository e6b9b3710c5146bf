package ruzhang

import (
	"strings"
	"testing"
)

func f64(x float64) *float64 { return &x }

// Cost approach (附3 二、):
//
//	C  = 50,000 + 300,000 + 100,000 + 30,000 + 20,000 = 500,000
//	δq = 80 / 100 = 0.8; δl = 3 / 5 = 0.6; δ = 0.48
//	P  = 500,000 × 0.48 = 240,000
//	sensitivity on δ: −20% → 500,000 × 0.384 = 192,000; +10% → 264,000
func TestCostApproach(t *testing.T) {
	a := costApproach(&CostApproach{Preliminary: Yuan(50000), Direct: Yuan(300000), Indirect: Yuan(100000),
		Opportunity: Yuan(30000), Taxes: Yuan(20000), ActualQuality: f64(80), ExpectedQuality: f64(100),
		RemainingLife: f64(3), TotalLife: f64(5)})
	wantMoney(t, "P", a.Value, "240,000.00")
	last := a.Steps[len(a.Steps)-1]
	if last.Substituted != "P = 500,000.00 × 0.48" || last.Formula != "P = C × δ" {
		t.Errorf("last step %+v", last)
	}
	d := a.Sensitivity.Rows[1]
	if d.Values[0] != Yuan(192000) || d.Values[2] != Yuan(240000) || d.Values[3] != Yuan(264000) {
		t.Errorf("δ sensitivity %v", d.Values)
	}
}

// Income approach, every variant, discounted at the end of each period.
func TestIncomeApproach(t *testing.T) {
	tests := []struct {
		name string
		in   IncomeApproach
		want string
		step string // substituted text of the first step
	}{
		{
			// 100,000 × (1/1.1 + 1/1.21 + 1/1.331) = 100,000 × 2.4868520 = 248,685.20
			name: "direct",
			in: IncomeApproach{Variant: IncomeDirect, DiscountRate: 0.10, Periods: []IncomePeriod{
				{R: Yuan(100000)}, {R: Yuan(100000)}, {R: Yuan(100000)}}},
			want: "248,685.20", step: "F1 = 100,000.00",
		},
		{
			// F = 200,000 / 240,000 / 280,000;
			// 181,818.18 + 198,347.11 + 210,368.14 = 590,533.43
			name: "share",
			in: IncomeApproach{Variant: IncomeShare, ShareBasis: "revenue", DiscountRate: 0.10, Periods: []IncomePeriod{
				{R: Yuan(1000000), K: 0.2}, {R: Yuan(1200000), K: 0.2}, {R: Yuan(1400000), K: 0.2}}},
			want: "590,533.43", step: "F1 = 1,000,000.00 × 0.2",
		},
		{
			// F1 = 500,000 − (100,000 + 150,000) = 250,000; P = 250,000 / 1.25 = 200,000
			name: "excess",
			in: IncomeApproach{Variant: IncomeExcess, DiscountRate: 0.25, Periods: []IncomePeriod{
				{R: Yuan(500000), C: []Money{Yuan(100000), Yuan(150000)}}}},
			want: "200,000.00", step: "F1 = 500,000.00 − (100,000.00 + 150,000.00)",
		},
		{
			// F = 200,000 each; 185,185.19 + 171,467.76 = 356,652.95
			name: "incremental",
			in: IncomeApproach{Variant: IncomeIncremental, DiscountRate: 0.08, Periods: []IncomePeriod{
				{RY: Yuan(800000), RN: Yuan(600000)}, {RY: Yuan(800000), RN: Yuan(600000)}}},
			want: "356,652.95", step: "F1 = 800,000.00 − 600,000.00",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if errs := Validate(Case{Valuation: &ValuationInputs{Income: &tt.in}}); len(errs) > 0 {
				t.Fatalf("invalid example: %v", errs)
			}
			a := incomeApproach(&tt.in)
			wantMoney(t, "P", a.Value, tt.want)
			if a.Steps[0].Substituted != tt.step {
				t.Errorf("first step %q, want %q", a.Steps[0].Substituted, tt.step)
			}
			// Sensitivity: a higher discount rate lowers the value; the base
			// column equals the value.
			r := a.Sensitivity.Rows[0]
			if r.Values[2] != a.Value || !(r.Values[0] > r.Values[2] && r.Values[2] > r.Values[4]) {
				t.Errorf("discount-rate sensitivity %v", r.Values)
			}
		})
	}
}

// Income sensitivity is linear: +10% income → +10% value.
// share example: 590,533.43 × 1.1 = 649,586.78
func TestIncomeSensitivity(t *testing.T) {
	a := incomeApproach(&IncomeApproach{Variant: IncomeShare, DiscountRate: 0.10, Periods: []IncomePeriod{
		{R: Yuan(1000000), K: 0.2}, {R: Yuan(1200000), K: 0.2}, {R: Yuan(1400000), K: 0.2}}})
	wantMoney(t, "+10% income", a.Sensitivity.Rows[1].Values[3], "649,586.78")
	// r × 1.2 = 12%: 200,000/1.12 + 240,000/1.2544 + 280,000/1.404928
	// = 178,571.43 + 191,326.53 + 199,298.47 = 569,196.43
	wantMoney(t, "r +20%", a.Sensitivity.Rows[0].Values[4], "569,196.43")
}

// Market approach (附3 三、): P = Σ Qi × xi1 × … × xi5
//
//	P1 = 100,000 × 1.1 × 0.9 × 1.02 × 1 × 1 = 100,980
//	P2 =  50,000 × 0.8 × 1.2 × 1 × 1.5 × 1   =  72,000 (date, other omitted → 1)
//	P  = 172,980
func TestMarketApproach(t *testing.T) {
	a := marketApproach(&MarketApproach{Datasets: []MarketDataset{
		{Name: "工商", Q: Yuan(100000), Quality: f64(1.1), SupplyDemand: f64(0.9), Date: f64(1.02), Volume: f64(1), Other: f64(1)},
		{Name: "司法", Q: Yuan(50000), Quality: f64(0.8), SupplyDemand: f64(1.2), Volume: f64(1.5)},
	}})
	wantMoney(t, "P", a.Value, "172,980.00")
	if got := a.Steps[1].Substituted; got != "P2 = 50,000.00 × 0.8 × 1.2 × 1 × 1.5 × 1" {
		t.Errorf("step 2 %q", got)
	}
	if !strings.HasPrefix(a.Steps[2].Formula, "P = Σ(Qi × xi1 × xi2 × xi3 × xi4 × xi5)") {
		t.Errorf("formula %q", a.Steps[2].Formula)
	}
}

func TestValueNotes(t *testing.T) {
	c := loadCase(t, "valuation")
	r := evaluate(t, c)
	v := r.Valuation
	if len(v.Approaches) != 3 {
		t.Fatalf("%d approaches", len(v.Approaches))
	}
	if !hasRef([]Ref{v.Notes[len(v.Notes)-1].Ref}, refValMultiple) {
		t.Errorf("several approaches without the 第二十四条 note: %+v", v.Notes)
	}
	wantMoney(t, "cost", v.Approaches[0].Value, "240,000.00")
	wantMoney(t, "income", v.Approaches[1].Value, "590,533.43")
	wantMoney(t, "market", v.Approaches[2].Value, "172,980.00")
}
