package ruzhang

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Golden multi-period cases in testdata/ledger. The expected figures are
// worked by hand below; the month convention is the one stated in
// ledger.go (whole months from the month available for use; an event on D
// comes after every month that begins before D).
//
// purchased_three_years.json — 外购、内部使用，2024-03-01 可供使用，寿命 60 个月：
//
//	cost = 1,000,000 价款 + 50,000 清洗 + 30,000 权属鉴证 = 1,080,000
//	(进项税 60,000 不入成本；培训 8,000 费用化) — 暂行规定 二、2，准则第6号 第十二条
//	monthly = 1,080,000 / 60 = 18,000
//	2024: 10 months (03–12) = 180,000; closing 900,000
//	2025: 12 × 18,000 = 216,000 → 684,000; 2025-12-31 recoverable 600,000
//	      → impairment 84,000, closing 600,000 (准则第6号 第二十条)
//	2026-01-01 remaining life 2 years (24 months), prospective (准则第6号 第二十一条,
//	      暂行规定 三、（二）1（3）): 600,000 / 24 = 25,000 a month
//	2026: 12 × 25,000 = 300,000; closing 300,000; 2026-12-31 recoverable
//	      500,000 > 300,000 → no reversal (impairment 0); pledged from
//	      2026-06-30: disclosed carrying 300,000 and amortisation while pledged
//	      (07–12) 150,000 (暂行规定 三、（二）1（5）).
//
// developed_rd_and_copy.json (a) 自行研发：research 200,000 (2024-05) expensed;
//
//	development 300,000 (2024-11) → 开发支出 300,000 at 2024-12-31;
//	2025: +120,000 (2025-02) → 420,000 to 无形资产 on 2025-04-01; 48 months:
//	8,750 a month × 9 (04–12) = 78,750; closing 341,250 (准则第6号 第八、九、十三条).
//
// (b) copy held for sale: 脱敏 40,000 + 人工 20,000 = 60,000 inventory
//
//	(暂行规定 二、5; 推广 5,000 expensed, 存货准则 第九条); NRV 150,000 − 5,000 −
//	9,000 = 136,000 ≥ cost; sold 2025-09-30 for 150,000: 营业成本 60,000,
//	closing 0 (暂行规定 二、6).
//
// government.json 事业单位：600,000 on 2024-07-01 via 零余额账户, 60 months:
//
//	10,000 a month; 2024: 6 months = 60,000 → 540,000; 2025: 120,000 →
//	420,000, disposed 2025-12-31 → 资产处置费用 420,000, closing 0. Entries use
//	业务活动费用 / 无形资产累计摊销 and a parallel 预算会计 entry 事业支出 /
//	资金结存 600,000 (关于加强行政事业单位数据资产管理的通知 一、（一）、二、（八）).
//
// service_contract.json: 120,000 prepaid 2025-04-01 for 2025-04 – 2026-03
//
//	(12 months, 10,000 a month): 2025: 90,000 expensed, 预付账款 30,000;
//	2026: 30,000 expensed, closing 0 (暂行规定 二、2 外购数据服务计入当期损益).
//
// free_public_data.json: no price paid; cleaning 24,000 + integration
//
//	12,000 = 36,000, 36 months from 2025-07: 1,000 a month; 2025: 6,000 →
//	30,000; 2026: 12,000 → 18,000. No 银行存款 line for the data itself.
type wantPeriod struct {
	open, add, amort, imp, disp, close string
}

func TestLedgerGolden(t *testing.T) {
	cases := []struct {
		file  string
		index int
		want  []wantPeriod
	}{
		{"purchased_three_years.json", 0, []wantPeriod{
			{"0.00", "1,080,000.00", "180,000.00", "0.00", "0.00", "900,000.00"},
			{"900,000.00", "0.00", "216,000.00", "84,000.00", "0.00", "600,000.00"},
			{"600,000.00", "0.00", "300,000.00", "0.00", "0.00", "300,000.00"},
		}},
		{"developed_rd_and_copy.json", 0, []wantPeriod{
			{"0.00", "300,000.00", "0.00", "0.00", "0.00", "300,000.00"},
			{"300,000.00", "120,000.00", "78,750.00", "0.00", "0.00", "341,250.00"},
		}},
		{"developed_rd_and_copy.json", 1, []wantPeriod{
			{"0.00", "60,000.00", "0.00", "0.00", "60,000.00", "0.00"},
		}},
		{"government.json", 0, []wantPeriod{
			{"0.00", "600,000.00", "60,000.00", "0.00", "0.00", "540,000.00"},
			{"540,000.00", "0.00", "120,000.00", "0.00", "420,000.00", "0.00"},
		}},
		{"service_contract.json", 0, []wantPeriod{
			{"0.00", "120,000.00", "90,000.00", "0.00", "0.00", "30,000.00"},
			{"30,000.00", "0.00", "30,000.00", "0.00", "0.00", "0.00"},
		}},
		{"free_public_data.json", 0, []wantPeriod{
			{"0.00", "36,000.00", "6,000.00", "0.00", "0.00", "30,000.00"},
			{"30,000.00", "0.00", "12,000.00", "0.00", "0.00", "18,000.00"},
		}},
	}
	for _, tc := range cases {
		r := ledgerResult(t, tc.file, tc.index)
		if len(r.Periods) != len(tc.want) {
			t.Fatalf("%s[%d]: %d periods, want %d", tc.file, tc.index, len(r.Periods), len(tc.want))
		}
		for i, w := range tc.want {
			p := r.Periods[i]
			got := wantPeriod{p.OpeningCarrying.String(), p.Additions.String(), p.Amortization.String(), p.Impairment.String(), p.Disposals.String(), p.ClosingCarrying.String()}
			if got != w {
				t.Errorf("%s[%d] period %s: got %+v, want %+v", tc.file, tc.index, p.Start, got, w)
			}
		}
		checkLedgerInvariants(t, tc.file, r)
	}
}

func ledgerResult(t *testing.T, file string, index int) *Result {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "ledger", file))
	if err != nil {
		t.Fatal(err)
	}
	cs, err := ParseCases(data)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	r, err := Evaluate(cs[index])
	if err != nil {
		t.Fatalf("%s[%d]: %v", file, index, err)
	}
	if !r.Complete {
		t.Fatalf("%s[%d]: incomplete: %v", file, index, r.Questions)
	}
	return r
}

// checkLedgerInvariants: each period opens at the last closing, the roll
// adds up, each entry balances, and every cited provision is known.
func checkLedgerInvariants(t *testing.T, name string, r *Result) {
	t.Helper()
	known := map[Ref]bool{}
	for _, ref := range AllRefs() {
		known[ref] = true
	}
	for i, p := range r.Periods {
		if i > 0 && p.OpeningCarrying != r.Periods[i-1].ClosingCarrying {
			t.Errorf("%s %s: opening %s ≠ last closing %s", name, p.Start, p.OpeningCarrying, r.Periods[i-1].ClosingCarrying)
		}
		if roll := p.OpeningCarrying + p.Additions - p.Amortization - p.Impairment - p.Disposals; roll != p.ClosingCarrying {
			t.Errorf("%s %s: roll %s ≠ closing %s", name, p.Start, roll, p.ClosingCarrying)
		}
		sums := map[int][2]Money{}
		for _, l := range p.Entries {
			s := sums[l.Entry]
			s[0] += l.Debit
			s[1] += l.Credit
			sums[l.Entry] = s
			if !known[l.Ref] {
				t.Errorf("%s: entry cites unknown provision %+v", name, l.Ref)
			}
		}
		for n, s := range sums {
			if s[0] != s[1] {
				t.Errorf("%s %s entry %d: debit %s ≠ credit %s", name, p.Start, n, s[0], s[1])
			}
		}
		if len(p.Disclosures) == 0 {
			t.Errorf("%s %s: no disclosures", name, p.Start)
		}
		for _, d := range p.Disclosures {
			if !known[d.Ref] {
				t.Errorf("%s: disclosure %q cites unknown provision %+v", name, d.Topic, d.Ref)
			}
		}
		if len(p.Tables) > 0 {
			// The 变动表s' closing carrying amounts add up to the period's.
			var sum Money
			for _, tb := range p.Tables {
				for _, row := range tb.Rows {
					if row.Label == "1.期末账面价值" {
						sum += row.Values[len(row.Values)-1]
					}
				}
			}
			if want := p.ClosingCarrying - p.Closing.Development - p.Closing.Prepaid - p.Closing.ContractCost; sum != want {
				t.Errorf("%s %s: tables closing %s ≠ %s", name, p.Start, sum, want)
			}
		}
	}
}

func TestLedgerDetails(t *testing.T) {
	r := ledgerResult(t, "purchased_three_years.json", 0)
	p3 := r.Periods[2]
	var pledged, change bool
	for _, d := range p3.Disclosures {
		if d.Ref == refDiscIntPledged && strings.Contains(d.Text, "300,000.00") && strings.Contains(d.Text, "150,000.00") {
			pledged = true
		}
		if d.Ref == refDiscIntChange && strings.Contains(d.Text, "25,000.00") {
			change = true
		}
	}
	if !pledged || !change {
		t.Errorf("2026 disclosures miss pledge (%v) or change in estimate (%v): %+v", pledged, change, p3.Disclosures)
	}
	// No bank line for the free data, none for the government's P&L.
	free := ledgerResult(t, "free_public_data.json", 0)
	for _, l := range free.Periods[0].Entries {
		if l.Account == acctBank && l.Credit > 36000*100 {
			t.Errorf("free data booked as a bank payment: %+v", l)
		}
	}
	gov := ledgerResult(t, "government.json", 0)
	budget := false
	for _, p := range gov.Periods {
		for _, l := range p.Entries {
			switch l.Account {
			case acctAdmin, acctCostOfSales, acctImpairLoss, acctAmort, acctDisposalGain, acctNonOpExpense:
				t.Errorf("government entry uses an enterprise account: %+v", l)
			case "事业支出":
				budget = l.Book == "预算会计" && l.Debit == 600000*100
			}
		}
	}
	if !budget {
		t.Error("no 预算会计 entry for the government purchase")
	}
	if len(gov.Measurement.Entries) == 0 || gov.Measurement.Entries[0].Lines[1].Account != acctZeroBalance {
		t.Errorf("government top-level entries not replaced: %+v", gov.Measurement.Entries)
	}
}

// TestLedgerEvents covers the held-out interface's event types on a small
// case: prospective change, impairment without reversal, disposal month.
func TestLedgerEvents(t *testing.T) {
	base := func() Case {
		c := loadCase(t, "purchased_internal")
		c.PeriodStart, c.PeriodEnd = "", ""
		c.Costs = []CostItem{{Category: "purchase_price", Amount: 1200000 * 100, Source: "发票"}}
		c.AvailableDate = "2024-01-15"
		c.Rights = &Rights{Evidence: []string{"合同"}}
		c.Periods = []Period{{"2024-01-01", "2024-12-31"}, {"2025-01-01", "2025-12-31"}}
		return c
	}
	money := func(y int64) *Money { m := Money(y * 100); return &m }
	years := func(y float64) *float64 { return &y }
	tests := []struct {
		name   string
		events []Event
		// amortisation 2024, 2025; impairment 2025; closing 2025
		want [4]Money
	}{
		// 1,200,000 / 60 = 20,000 a month, Jan 2024 counts in full.
		{"plain", nil, [4]Money{240000, 240000, 0, 720000}},
		// Change on 2025-07-01: 10,000×... carrying after June 2025 =
		// 1,200,000 − 18×20,000 = 840,000 over 12 months = 70,000.
		// 2025 = 6×20,000 + 6×70,000 = 540,000; closing 420,000.
		{"life change mid-year", []Event{{Date: "2025-07-01", Type: EvLifeChange, RemainingYears: years(1)}}, [4]Money{240000, 540000, 0, 420000}},
		// Dated 2025-06-15: June (begins before D) is under the old estimate; same as above.
		{"life change mid-month", []Event{{Date: "2025-06-15", Type: EvLifeChange, RemainingYears: years(1)}}, [4]Money{240000, 540000, 0, 420000}},
		// Impairment 2024-12-31 to 880,000 (carrying 960,000, loss 80,000):
		// 880,000 / 48 = 18,333.33 a month; 2025 = 219,999.96; closing 660,000.04.
		// A higher recoverable amount in 2025 is not written back.
		{"impairment then recovery", []Event{
			{Date: "2024-12-31", Type: EvImpairment, RecoverableAmount: money(880000)},
			{Date: "2025-12-31", Type: EvImpairment, RecoverableAmount: money(1000000)}},
			[4]Money{}}, // set below (fractional yuan)
		// Disposal on 2025-04-01: Jan–Mar amortised (60,000), carrying 900,000 out.
		{"disposal", []Event{{Date: "2025-04-01", Type: EvDisposal}}, [4]Money{240000, 60000, 0, 0}},
	}
	for _, tc := range tests {
		c := base()
		c.Events = tc.events
		r, err := Evaluate(c)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got := [4]Money{r.Periods[0].Amortization, r.Periods[1].Amortization, r.Periods[1].Impairment, r.Periods[1].ClosingCarrying}
		want := tc.want
		for i := range want {
			want[i] = Yuan(float64(want[i]))
		}
		if tc.name == "impairment then recovery" {
			want = [4]Money{Yuan(240000), Yuan(219999.96), 0, Yuan(660000.04)}
			if r.Periods[0].Impairment != Yuan(80000) {
				t.Errorf("2024 impairment %s, want 80,000.00", r.Periods[0].Impairment)
			}
		}
		if got != want {
			t.Errorf("%s: got %v, want %v", tc.name, got, want)
		}
		checkLedgerInvariants(t, tc.name, r)
	}
}

func TestInventoryAllowanceReverses(t *testing.T) {
	data, _ := os.ReadFile(filepath.Join("testdata", "ledger", "developed_rd_and_copy.json"))
	cs, _ := ParseCases(data)
	c := cs[1]
	m := func(y int64) *Money { v := Money(y * 100); return &v }
	c.Periods = append(c.Periods, Period{"2026-01-01", "2026-12-31"})
	// NRV 50,000 on 2025-08-31 (allowance 10,000), back to 70,000 on
	// 2025-12-31 (reverse 10,000 within the allowance), half sold in 2026.
	half := 0.5
	c.Events = []Event{{Date: "2025-08-31", Type: EvImpairment, RecoverableAmount: m(50000)},
		{Date: "2025-12-31", Type: EvImpairment, RecoverableAmount: m(70000)},
		{Date: "2026-03-31", Type: EvSale, Proceeds: m(80000), Proportion: &half}}
	r, err := Evaluate(c)
	if err != nil {
		t.Fatal(err)
	}
	p := r.Periods[0]
	if p.Impairment != 0 || p.ClosingCarrying != Yuan(60000) || len(p.Events) != 2 || p.Events[1].Amount != Yuan(-10000) {
		t.Errorf("2025: impairment %s closing %s events %+v", p.Impairment, p.ClosingCarrying, p.Events)
	}
	if p2 := r.Periods[1]; p2.Disposals != Yuan(30000) || p2.ClosingCarrying != Yuan(30000) {
		t.Errorf("2026: disposals %s closing %s", p2.Disposals, p2.ClosingCarrying)
	}
	// Inventory still held at 2026-12-31 without an NRV test: a warning.
	warned := false
	for _, ch := range r.Checks {
		warned = warned || (ch.Code == "nrv_not_tested" && ch.Field == "periods[1]")
	}
	if !warned {
		t.Errorf("no NRV warning for 2026: %+v", r.Checks)
	}
	checkLedgerInvariants(t, "inventory", r)
}

func TestLedgerChecksStopNonsense(t *testing.T) {
	data, _ := os.ReadFile(filepath.Join("testdata", "ledger", "purchased_three_years.json"))
	cs, _ := ParseCases(data)
	gdata, _ := os.ReadFile(filepath.Join("testdata", "ledger", "government.json"))
	gs, _ := ParseCases(gdata)
	fdata, _ := os.ReadFile(filepath.Join("testdata", "ledger", "free_public_data.json"))
	fs, _ := ParseCases(fdata)
	tests := []struct {
		name  string
		edit  func(c *Case)
		field string
		cite  string
	}{
		{"life beyond licence", func(c *Case) { c.Rights.LicenseEnd = "2027-12-31" }, "intangible.life_months", "二、2"},
		{"changed life beyond licence", func(c *Case) { c.Events[1].RemainingYears = ptrF(10) }, "events[1].remaining_years", "二、2"},
		{"free data with a price", func(c *Case) {
			*c = fs[0]
			c.Costs = append(c.Costs, CostItem{Category: "purchase_price", Amount: 100})
		}, "costs[2].category", "二、2"},
		{"government pledge", func(c *Case) { *c = gs[0]; c.Events = []Event{{Date: "2025-03-01", Type: EvPledge}} }, "events[0].type", "二、（四）"},
		{"government impairment", func(c *Case) {
			*c = gs[0]
			c.Events = []Event{{Date: "2025-03-01", Type: EvImpairment, RecoverableAmount: new(Money)}}
		}, "events[0].type", "政府会计准则第4号"},
		{"cost after available", func(c *Case) {
			c.Costs = append([]CostItem(nil), c.Costs...)
			c.Costs[2].Date = "2024-06-30"
		}, "costs[2].date", "二、2"},
		{"periods not contiguous", func(c *Case) { c.Periods[1].Start = "2025-02-01" }, "periods[1]", ""},
		{"event outside periods", func(c *Case) { c.Events[0].Date = "2030-01-01" }, "events[0].date", ""},
	}
	for _, tc := range tests {
		c := cs[0]
		c.Rights = &Rights{Evidence: c.Rights.Evidence, LicenseEnd: c.Rights.LicenseEnd}
		c.Events = append([]Event(nil), cs[0].Events...)
		c.Periods = append([]Period(nil), cs[0].Periods...)
		tc.edit(&c)
		_, err := Evaluate(c)
		var verr *ValidationError
		if !errors.As(err, &verr) {
			t.Errorf("%s: no validation error (%v)", tc.name, err)
			continue
		}
		found := false
		for _, e := range verr.Errors {
			if strings.HasPrefix(e.Field, tc.field) && strings.Contains(e.Message, tc.cite) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: want error on %s citing %q, got %v", tc.name, tc.field, tc.cite, verr.Errors)
		}
	}
	// Warnings: missing evidence of control and cost sources.
	c := cs[0]
	c.Rights = nil
	c.Costs = append([]CostItem(nil), c.Costs...)
	c.Costs[0].Source = ""
	r, err := Evaluate(c)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	for _, ch := range r.Checks {
		codes[ch.Code] = true
		if ch.Citation == "" {
			t.Errorf("check %s cites nothing", ch.Code)
		}
	}
	if !codes["control_evidence_missing"] || !codes["cost_without_source"] {
		t.Errorf("checks %v", r.Checks)
	}
}

func ptrF(f float64) *float64 { return &f }

func TestFreePublicDataWithoutCostsIsNotRecognised(t *testing.T) {
	data, _ := os.ReadFile(filepath.Join("testdata", "ledger", "free_public_data.json"))
	cs, _ := ParseCases(data)
	c := cs[0]
	c.Costs = nil
	c.Intangible = nil
	r, err := Evaluate(c)
	if err != nil {
		t.Fatal(err)
	}
	if r.Determination.Outcome != OutcomeExpense {
		t.Fatalf("outcome %s", r.Determination.Outcome)
	}
	for _, p := range r.Periods {
		if len(p.Entries) != 0 || p.ClosingCarrying != 0 {
			t.Errorf("free data with no costs booked: %+v", p.Entries)
		}
	}
}

func TestMarketComparablesAreWeightedNotSummed(t *testing.T) {
	q := func(f float64) *float64 { return &f }
	v := Value(&ValuationInputs{Market: &MarketApproach{Comparables: []MarketComparable{
		// 1,000,000 × 1.1 × 0.9 = 990,000; 1,200,000 × 0.8 = 960,000;
		// weights 2 and 1: (2 × 990,000 + 960,000) / 3 = 980,000.
		{Name: "A", Price: Yuan(1000000), Quality: q(1.1), Date: q(0.9), Weight: q(2)},
		{Name: "B", Price: Yuan(1200000), Volume: q(0.8), Weight: q(1)},
	}}})
	if got := v.Approaches[0].Value; got != Yuan(980000) {
		t.Errorf("market value %s, want 980,000.00", got)
	}
}

// TestTransferToInventory: 360,000 bought 2024-01, 36 months (10,000 a
// month). 2025-07-01 the purpose changes to sale: Jan–Jun 2025 amortised
// (60,000), carrying 180,000 moves to 存货 (no addition, no disposal). NRV
// 150,000 at year end → 跌价准备 30,000; half sold for 200,000: cost 90,000,
// allowance 15,000, 营业成本 75,000; closing 75,000.
func TestTransferToInventory(t *testing.T) {
	c := Case{Name: "转换", Acquisition: AcqPurchase, Purposes: []string{PurposeInternal},
		Controlled: boolp(true), Identifiable: boolp(true), ProbableBenefit: boolp(true), CostReliable: boolp(true),
		Rights:        &Rights{Evidence: []string{"合同"}},
		Costs:         []CostItem{{Category: "purchase_price", Amount: Yuan(360000), Source: "发票"}},
		AvailableDate: "2024-01-01",
		Intangible:    &IntangibleInputs{IndefiniteLife: boolp(false), LifeMonths: new(int), Residual: new(Money), Method: MethodStraightLine},
		Periods:       []Period{{"2024-01-01", "2024-12-31"}, {"2025-01-01", "2025-12-31"}}}
	*c.Intangible.LifeMonths = 36
	nrv, price, half := Yuan(150000), Yuan(200000), 0.5
	c.Events = []Event{{Date: "2025-07-01", Type: EvTransfer, To: OutcomeInventory},
		{Date: "2025-12-31", Type: EvImpairment, RecoverableAmount: &nrv},
		{Date: "2025-12-31", Type: EvSale, Proceeds: &price, Proportion: &half}}
	r, err := Evaluate(c)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Complete || len(r.Periods) != 2 {
		t.Fatalf("incomplete: %v", r.Questions)
	}
	p := r.Periods[1]
	got := []Money{p.OpeningCarrying, p.Additions, p.Amortization, p.Impairment, p.Disposals, p.CostOfSales, p.ClosingCarrying}
	want := []Money{Yuan(240000), 0, Yuan(60000), Yuan(30000), Yuan(75000), Yuan(75000), Yuan(75000)}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("2025 figures %v, want %v", got, want)
		}
	}
	if p.Classification != "存货" || len(p.Tables) != 2 {
		t.Errorf("classification %s, %d tables", p.Classification, len(p.Tables))
	}
	checkLedgerInvariants(t, "transfer", r)
}

// TestServiceContractProvider: fulfilment costs of 90,000 for a service
// from 2025-11 to 2026-01 (3 months, 30,000 a month) are 合同履约成本, carried
// to 营业成本 as the service is provided: 2025 60,000, 2026 30,000. A
// contract with a cost table (as if it were R&D) is refused.
func TestServiceContractProvider(t *testing.T) {
	c := Case{Name: "数据服务", Contract: &ServiceContract{Role: ContractProvider, Start: "2025-11-01", End: "2026-01-31", Amount: Yuan(90000), PaidDate: "2025-11-01", Source: "工时表"},
		Periods: []Period{{"2025-01-01", "2025-12-31"}, {"2026-01-01", "2026-12-31"}}}
	r, err := Evaluate(c)
	if err != nil {
		t.Fatal(err)
	}
	if r.Periods[0].Amortization != Yuan(60000) || r.Periods[0].ClosingCarrying != Yuan(30000) || r.Periods[1].Amortization != Yuan(30000) {
		t.Errorf("provider figures %+v", r.Periods)
	}
	var cos bool
	for _, l := range r.Periods[0].Entries {
		cos = cos || (l.Account == acctCostOfSales && l.Debit == Yuan(60000))
		if strings.Contains(l.Account, "研发") {
			t.Errorf("service contract booked as R&D: %+v", l)
		}
	}
	if !cos {
		t.Error("no 营业成本 for the service provided")
	}
	checkLedgerInvariants(t, "provider", r)
	c.Costs = []CostItem{{Category: "labor", Phase: PhaseDevelopment, Amount: Yuan(1)}}
	if _, err := Evaluate(c); err == nil {
		t.Error("contract with an R&D cost table accepted")
	}
}

// TestSinglePeriodWithEvents: period_start/period_end plus events is a
// one-period ledger, and amount is read as the sale price.
func TestSinglePeriodWithEvents(t *testing.T) {
	data, _ := os.ReadFile(filepath.Join("testdata", "ledger", "developed_rd_and_copy.json"))
	cs, _ := ParseCases(data)
	c := cs[1]
	c.Periods = nil
	c.PeriodStart, c.PeriodEnd = "2025-01-01", "2025-12-31"
	price := Yuan(150000)
	c.Events = []Event{{Date: "2025-09-30", Type: EvSale, Amount: &price}}
	r, err := Evaluate(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Periods) != 1 || r.Periods[0].Proceeds != price || r.Periods[0].CostOfSales != Yuan(60000) {
		t.Fatalf("periods %+v", r.Periods)
	}
}

// TestResidualChange: 1,200,000 over 60 months from 2024-01 (20,000 a
// month); on 2025-01-01 a third party commits to buy the data at the end of
// its life for 240,000: (960,000 − 240,000) / 48 = 15,000 a month in 2025.
func TestResidualChange(t *testing.T) {
	c := loadCase(t, "purchased_internal")
	c.PeriodStart, c.PeriodEnd = "", ""
	c.Costs = []CostItem{{Category: "purchase_price", Amount: Yuan(1200000), Source: "发票"}}
	c.AvailableDate = "2024-01-01"
	c.Rights = &Rights{Evidence: []string{"合同"}}
	c.Periods = []Period{{"2024-01-01", "2024-12-31"}, {"2025-01-01", "2025-12-31"}}
	res := Yuan(240000)
	c.Events = []Event{{Date: "2025-01-01", Type: EvLifeChange, Residual: &res}}
	r, err := Evaluate(c)
	if err != nil {
		t.Fatal(err)
	}
	if r.Periods[1].Amortization != Yuan(180000) || r.Periods[1].ClosingCarrying != Yuan(780000) {
		t.Errorf("2025 amortisation %s closing %s", r.Periods[1].Amortization, r.Periods[1].ClosingCarrying)
	}
}
