package ruzhang

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func loadCase(t *testing.T, name string) Case {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "cases", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	cs, err := ParseCases(data)
	if err != nil || len(cs) != 1 {
		t.Fatalf("ParseCases(%s) = %d cases, %v", name, len(cs), err)
	}
	return cs[0]
}

func evaluate(t *testing.T, c Case) *Result {
	t.Helper()
	r, err := Evaluate(c)
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	return r
}

func wantMoney(t *testing.T, what string, got Money, yuan string) {
	t.Helper()
	if got.String() != yuan {
		t.Errorf("%s = %s, want %s", what, got, yuan)
	}
}

// entryLines flattens an entry to "借 科目 金额" strings for comparison.
func entryLines(e Entry) []string {
	var out []string
	for _, l := range e.Lines {
		out = append(out, l.Side+" "+l.Account+" "+l.Amount.String())
	}
	return out
}

func checkEntries(t *testing.T, got []Entry, want [][]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d entries, want %d:\n%s", len(got), len(want), EntriesText(got))
	}
	for i, e := range got {
		if !e.Balanced() {
			t.Errorf("entry %d (%s) does not balance", i+1, e.Title)
		}
		if g := strings.Join(entryLines(e), "\n"); g != strings.Join(want[i], "\n") {
			t.Errorf("entry %d (%s):\n%s\nwant:\n%s", i+1, e.Title, g, strings.Join(want[i], "\n"))
		}
	}
}

func bsLine(r *Result, item string) Money {
	for _, l := range r.Presentation.Lines {
		if l.Item == item {
			return l.Amount
		}
	}
	return -1
}

// tableValue returns the 合计 column of the n-th row labelled label.
func tableValue(t *testing.T, tb Table, label string, nth int) Money {
	t.Helper()
	for _, row := range tb.Rows {
		if row.Label == label {
			if nth == 0 {
				return row.Values[len(row.Values)-1]
			}
			nth--
		}
	}
	t.Fatalf("table %s has no row %q", tb.Title, label)
	return 0
}

// A purchased dataset for internal use, amortised straight-line.
//
//	capitalised = 购买价款 1,000,000 + 税费 6,000 + 清洗 50,000 + 标注 30,000
//	            + 权属鉴证 20,000 + 质量评估 10,000 = 1,116,000
//	expensed    = 培训 8,000 + 外购服务 12,000 = 20,000; 进项税额 60,000
//	bank        = 1,116,000 + 20,000 + 60,000 = 1,196,000
//	monthly     = 1,116,000 / 60 = 18,600; 2024-03…2024-12 = 10 months = 186,000
//	carrying    = 1,116,000 − 186,000 = 930,000
//	2025–2028 = 12 × 18,600 = 223,200 each; 2029-01…02 = 37,200
func TestPurchasedInternalStraightLine(t *testing.T) {
	r := evaluate(t, loadCase(t, "purchased_internal"))
	if r.Determination.Outcome != OutcomeIntangible || !r.Complete {
		t.Fatalf("outcome %s complete=%v, questions %v", r.Determination.Outcome, r.Complete, r.Questions)
	}
	m := r.Measurement
	wantMoney(t, "capitalised", m.Capitalised, "1,116,000.00")
	wantMoney(t, "expensed", m.Expensed, "20,000.00")
	wantMoney(t, "vat", m.DeductibleVAT, "60,000.00")
	a := m.Amortisation
	wantMoney(t, "monthly", a.Monthly, "18,600.00")
	wantMoney(t, "period amortisation", a.PeriodAmount, "186,000.00")
	var rows []string
	for _, row := range a.Rows {
		rows = append(rows, row.Period+" "+row.Amount.String())
	}
	want := "2024 年 186,000.00|2025 年 223,200.00|2026 年 223,200.00|2027 年 223,200.00|2028 年 223,200.00|2029 年 37,200.00"
	if got := strings.Join(rows, "|"); got != want {
		t.Errorf("schedule %s\nwant     %s", got, want)
	}
	wantMoney(t, "BS 无形资产", bsLine(r, "无形资产"), "930,000.00")
	checkEntries(t, m.Entries, [][]string{
		{"借 无形资产——数据资源 1,116,000.00", "借 应交税费——应交增值税（进项税额） 60,000.00", "借 管理费用 20,000.00", "贷 银行存款 1,196,000.00"},
		{"借 管理费用 186,000.00", "贷 累计摊销 186,000.00"},
	})
	tb := r.Disclosure[0]
	wantMoney(t, "table 购入", tableValue(t, tb, "其中：购入", 0), "1,116,000.00")
	wantMoney(t, "table 累计摊销期末", tableValue(t, tb, "4.期末余额", 1), "186,000.00")
	wantMoney(t, "table 期末账面价值", tableValue(t, tb, "1.期末账面价值", 0), "930,000.00")
	if tb.Rows[0].Header != true || tb.Columns[0] != "外购的数据资源无形资产" {
		t.Errorf("table layout: %+v", tb.Rows[0])
	}
}

// Monthly schedule of the same case: 60 rows of 18,600, first 2024-03.
func TestMonthlySchedule(t *testing.T) {
	c := loadCase(t, "purchased_internal")
	c.Schedule = "month"
	a := evaluate(t, c).Measurement.Amortisation
	if len(a.Rows) != 60 || a.Rows[0].Period != "2024-03" || a.Rows[59].Period != "2029-02" {
		t.Fatalf("rows %d first %s last %s", len(a.Rows), a.Rows[0].Period, a.Rows[len(a.Rows)-1].Period)
	}
	wantMoney(t, "last carrying", a.Rows[59].Carrying, "0.00")
}

// A dataset held for sale with an NRV write-down.
//
//	cost = 500,000 + 3,000 + 2,000 + 5,000 = 510,000 (storage 4,000 expensed)
//	NRV  = 480,000 − 10,000 − 15,000 − 5,000 = 450,000
//	write-down = 510,000 − 450,000 = 60,000; carrying 450,000
func TestHeldForSaleNRV(t *testing.T) {
	r := evaluate(t, loadCase(t, "held_for_sale_nrv"))
	if r.Determination.Outcome != OutcomeInventory {
		t.Fatalf("outcome %s", r.Determination.Outcome)
	}
	inv := r.Measurement.Inventory
	wantMoney(t, "cost", inv.Cost, "510,000.00")
	wantMoney(t, "NRV", inv.NRV, "450,000.00")
	wantMoney(t, "write-down", inv.WriteDown, "60,000.00")
	wantMoney(t, "BS 存货", bsLine(r, "存货"), "450,000.00")
	checkEntries(t, r.Measurement.Entries, [][]string{
		{"借 库存商品——数据资源 510,000.00", "借 管理费用 4,000.00", "借 应交税费——应交增值税（进项税额） 30,000.00", "贷 银行存款 544,000.00"},
		{"借 资产减值损失 60,000.00", "贷 存货跌价准备——数据资源 60,000.00"},
	})
	tb := r.Disclosure[0]
	wantMoney(t, "table 购入", tableValue(t, tb, "其中：购入", 0), "510,000.00")
	wantMoney(t, "table 跌价准备增加", tableValue(t, tb, "2.本期增加金额", 1), "60,000.00")
	wantMoney(t, "table 期末账面价值", tableValue(t, tb, "1.期末账面价值", 0), "450,000.00")
}

// NRV recovered: prior allowance 60,000, NRV now 500,000 → required 10,000,
// reverse 50,000 (存货准则 第十九条).
func TestInventoryReversal(t *testing.T) {
	c := loadCase(t, "held_for_sale_nrv")
	c.AvailableDate = "2023-11-01"
	c.Inventory.PriorAllowance = Yuan(60000)
	p := Yuan(530000)
	c.Inventory.EstimatedPrice = &p
	r := evaluate(t, c)
	wantMoney(t, "write-down", r.Measurement.Inventory.WriteDown, "-50,000.00")
	e := r.Measurement.Entries[len(r.Measurement.Entries)-1]
	if got := strings.Join(entryLines(e), "|"); got != "借 存货跌价准备——数据资源 50,000.00|贷 资产减值损失 50,000.00" {
		t.Errorf("reversal entry %s", got)
	}
	tb := r.Disclosure[0]
	wantMoney(t, "opening cost", tableValue(t, tb, "1.期初余额", 0), "510,000.00")
	wantMoney(t, "reversal", tableValue(t, tb, "其中：转回", 0), "50,000.00")
	wantMoney(t, "closing carrying", tableValue(t, tb, "1.期末账面价值", 0), "500,000.00")
	wantMoney(t, "opening carrying", tableValue(t, tb, "2.期初账面价值", 0), "450,000.00")
}

// An internal development project split into research and development.
//
//	research (expensed):            labour 200,000 + depreciation 30,000 = 230,000
//	development before conditions:  labour 50,000 (expensed, 第十三条)
//	development capitalised:        300,000 + 80,000 + 40,000 + 20,000 = 440,000
//	training 10,000 → 管理费用 directly
//	研发支出——费用化支出 = 280,000; expensed total = 290,000
//	credits: 应付职工薪酬 550,000, 累计折旧 50,000, 银行存款 130,000 (= 80,000+40,000+10,000)
//	amortisation 36 months from 2024-07: 440,000/36 = 12,222.22 (…22.22×35 = 427,777.70,
//	last month 12,222.30); 2024 = 6 × 12,222.22 = 73,333.32; carrying 366,666.68
func TestRDProject(t *testing.T) {
	r := evaluate(t, loadCase(t, "rd_project"))
	if r.Determination.Outcome != OutcomeIntangible {
		t.Fatalf("outcome %s", r.Determination.Outcome)
	}
	m := r.Measurement
	wantMoney(t, "capitalised", m.Capitalised, "440,000.00")
	wantMoney(t, "expensed", m.Expensed, "290,000.00")
	wantMoney(t, "2024 amortisation", m.Amortisation.PeriodAmount, "73,333.32")
	last := m.Amortisation.Rows[len(m.Amortisation.Rows)-1]
	if last.Period != "2027 年" || last.Amount.String() != "73,333.40" || last.Carrying != 0 {
		t.Errorf("last row %+v", last)
	}
	wantMoney(t, "BS 无形资产", bsLine(r, "无形资产"), "366,666.68")
	checkEntries(t, m.Entries, [][]string{
		{"借 研发支出——费用化支出 280,000.00", "借 研发支出——资本化支出 440,000.00", "借 管理费用 10,000.00",
			"贷 应付职工薪酬 550,000.00", "贷 累计折旧 50,000.00", "贷 银行存款 130,000.00"},
		{"借 管理费用 280,000.00", "贷 研发支出——费用化支出 280,000.00"},
		{"借 无形资产——数据资源 440,000.00", "贷 研发支出——资本化支出 440,000.00"},
		{"借 管理费用 73,333.32", "贷 累计摊销 73,333.32"},
	})
	wantMoney(t, "table 内部研发", tableValue(t, r.Disclosure[0], "内部研发", 0), "440,000.00")
	if r.Disclosure[0].Rows[4].Values[1] != Yuan(440000) {
		t.Errorf("内部研发 not in the 自行开发 column: %v", r.Disclosure[0].Rows[4].Values)
	}
}

// Not yet ready for use: the capitalised part stays in 开发支出.
func TestRDProjectInProgress(t *testing.T) {
	c := loadCase(t, "rd_project")
	c.Development.Completed = boolp(false)
	c.Intangible, c.AvailableDate = nil, ""
	r := evaluate(t, c)
	if r.Determination.Outcome != OutcomeDevelopment || !r.Complete {
		t.Fatalf("outcome %s complete %v questions %v", r.Determination.Outcome, r.Complete, r.Questions)
	}
	wantMoney(t, "BS 开发支出", bsLine(r, "开发支出"), "440,000.00")
	wantMoney(t, "BS 无形资产", bsLine(r, "无形资产"), "0.00")
	if len(r.Measurement.Entries) != 2 || r.Disclosure != nil {
		t.Errorf("entries %d, disclosure %v", len(r.Measurement.Entries), r.Disclosure)
	}
}

// A failed 第九条 condition expenses every cost: 230,000 + 50,000 + 440,000 + 10,000 = 730,000.
func TestRDProjectConditionFails(t *testing.T) {
	c := loadCase(t, "rd_project")
	c.Development = &Development{TechFeasible: boolp(true), Intention: boolp(true), BenefitWay: boolp(false)}
	c.Intangible, c.AvailableDate = nil, ""
	r := evaluate(t, c)
	if r.Determination.Outcome != OutcomeExpense || !r.Complete {
		t.Fatalf("outcome %s complete %v questions %v", r.Determination.Outcome, r.Complete, r.Questions)
	}
	wantMoney(t, "expensed", r.Measurement.Expensed, "730,000.00")
	wantMoney(t, "capitalised", r.Measurement.Capitalised, "0.00")
	found := false
	for _, x := range r.Determination.Reasons {
		found = found || (x.Ref == refCAS6Development && strings.Contains(x.Text, "（三）"))
	}
	if !found {
		t.Errorf("no reason naming the unmet condition: %+v", r.Determination.Reasons)
	}
}

// A case that fails recognition: benefits not probable → all expensed.
func TestFailsRecognition(t *testing.T) {
	r := evaluate(t, loadCase(t, "fails_recognition"))
	if r.Determination.Outcome != OutcomeExpense || !r.Complete {
		t.Fatalf("outcome %s complete %v questions %v", r.Determination.Outcome, r.Complete, r.Questions)
	}
	checkEntries(t, r.Measurement.Entries, [][]string{{"借 管理费用 100,000.00", "贷 银行存款 100,000.00"}})
	if r.Disclosure != nil {
		t.Errorf("disclosure tables for an unrecognised resource: %v", r.Disclosure)
	}
	var refs []Ref
	for _, x := range r.Determination.Reasons {
		refs = append(refs, x.Ref)
	}
	for _, want := range []Ref{refCAS6Recognition, refCAS6Expense, refScope} {
		if !hasRef(refs, want) {
			t.Errorf("reasons lack %s", want.Citation())
		}
	}
	for _, q := range NextQuestions(loadCase(t, "fails_recognition")) {
		t.Errorf("unexpected question %s", q.ID)
	}
}

func hasRef(refs []Ref, r Ref) bool {
	for _, x := range refs {
		if x == r {
			return true
		}
	}
	return false
}

// Units-of-production amortisation for a service resource: cost 660,000,
// units 400/300/200/100 → 264,000 / 198,000 / 132,000 / 66,000, charged to
// 主营业务成本 (暂行规定 二、3).
func TestUnitsMethodService(t *testing.T) {
	r := evaluate(t, loadCase(t, "valuation"))
	a := r.Measurement.Amortisation
	var got []string
	for _, row := range a.Rows {
		got = append(got, row.Amount.String())
	}
	if strings.Join(got, " ") != "264,000.00 198,000.00 132,000.00 66,000.00" {
		t.Errorf("units schedule %v", got)
	}
	e := r.Measurement.Entries[1]
	if e.Lines[0].Account != acctCostOfSales || e.Lines[0].Amount != Yuan(264000) || e.Ref != refService {
		t.Errorf("amortisation entry %+v", e)
	}
}

func TestImpairment(t *testing.T) {
	c := loadCase(t, "purchased_internal")
	rec := Yuan(900000)
	c.Intangible.RecoverableAmount = &rec
	r := evaluate(t, c)
	// carrying 930,000 − recoverable 900,000 = 30,000
	wantMoney(t, "loss", r.Measurement.Impairment.Loss, "30,000.00")
	wantMoney(t, "BS", bsLine(r, "无形资产"), "900,000.00")
	wantMoney(t, "table 减值", tableValue(t, r.Disclosure[0], "4.期末余额", 2), "30,000.00")
}

// Two cases aggregate into one disclosure table: the 外购 and 自行开发
// columns and the 合计.
func TestDisclosureAggregation(t *testing.T) {
	a := evaluate(t, loadCase(t, "purchased_internal"))
	b := evaluate(t, loadCase(t, "rd_project"))
	tbs := DisclosureTables([]Movements{*a.Movements, *b.Movements})
	if len(tbs) != 1 {
		t.Fatalf("%d tables", len(tbs))
	}
	row := tbs[0].Rows[2] // 2.本期增加金额
	if row.Label != "2.本期增加金额" || row.Values[0] != Yuan(1116000) || row.Values[1] != Yuan(440000) || row.Values[3] != Yuan(1556000) {
		t.Errorf("row %+v", row)
	}
}

func TestEveryCitationIsInAllRefs(t *testing.T) {
	all := AllRefs()
	files, _ := filepath.Glob("testdata/cases/*.json")
	for _, f := range files {
		r := evaluate(t, loadCase(t, strings.TrimSuffix(filepath.Base(f), ".json")))
		for _, ci := range r.Citations {
			if !hasRef(all, ci.Ref) {
				t.Errorf("%s cites %s, which AllRefs lacks", f, ci.Citation)
			}
		}
		// Every rule applied names its provision.
		var refs []Ref
		for _, x := range r.Determination.Reasons {
			refs = append(refs, x.Ref)
		}
		for _, l := range r.Measurement.CostLines {
			refs = append(refs, l.Ref)
		}
		for _, e := range r.Measurement.Entries {
			refs = append(refs, e.Ref)
		}
		for _, tb := range r.Disclosure {
			refs = append(refs, tb.Ref)
		}
		for _, n := range r.Notes {
			refs = append(refs, n.Ref)
		}
		if r.Valuation != nil {
			for _, a := range r.Valuation.Approaches {
				refs = append(refs, a.Refs...)
			}
		}
		for i, ref := range refs {
			if ref.Doc == "" || ref.Label == "" || !hasRef(all, ref) {
				t.Errorf("%s: rule %d has no valid provision: %+v", f, i, ref)
			}
		}
	}
	for _, q := range questions {
		if !hasRef(all, q.Ref) {
			t.Errorf("question %s cites %s, which AllRefs lacks", q.ID, q.Ref.Citation())
		}
	}
	for k, cat := range costCategories {
		if !hasRef(all, cat.Ref) || !hasRef(all, cat.InvRef) {
			t.Errorf("cost category %s cites a ref AllRefs lacks", k)
		}
	}
}

func readCaseFile(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join("testdata", "cases", name+".json"))
}

// Indefinite life, acquired by contribution before the period: no
// amortisation, cost 303,000 in the opening balance of the 其他 column, and
// the transition note of 暂行规定 四、 because it predates 2024-01-01.
func TestOtherAcquisitionIndefiniteLife(t *testing.T) {
	r := evaluate(t, loadCase(t, "other_contributed"))
	m := r.Measurement
	if !m.IndefiniteLife || m.Amortisation != nil {
		t.Fatalf("indefinite %v amortisation %v", m.IndefiniteLife, m.Amortisation)
	}
	wantMoney(t, "BS", bsLine(r, "无形资产"), "303,000.00")
	row := r.Disclosure[0].Rows[1] // 1.期初余额
	if row.Values[2] != Yuan(303000) || row.Values[0] != 0 {
		t.Errorf("opening row %+v", row)
	}
	checkEntries(t, m.Entries, [][]string{{"借 无形资产——数据资源 303,000.00", "贷 实收资本（或股本） 300,000.00", "贷 银行存款 3,000.00"}})
	var topics []string
	for _, n := range r.Notes {
		topics = append(topics, n.Topic)
	}
	if !slices.Contains(topics, "施行日期与衔接") || !slices.Contains(topics, "使用寿命") {
		t.Errorf("notes %v", topics)
	}
}

// The purchased dataset in its second year (2025): opening cost 1,116,000,
// opening amortisation 186,000, 2025 charge 12 × 18,600 = 223,200, closing
// 409,200, carrying 706,800. In 2030 it is fully amortised: no charge.
func TestSecondYearAndFullyAmortised(t *testing.T) {
	c := loadCase(t, "purchased_internal")
	c.PeriodStart, c.PeriodEnd = "2025-01-01", "2025-12-31"
	r := evaluate(t, c)
	tb := r.Disclosure[0]
	wantMoney(t, "opening cost", tableValue(t, tb, "1.期初余额", 0), "1,116,000.00")
	wantMoney(t, "opening amortisation", tableValue(t, tb, "1.期初余额", 1), "186,000.00")
	wantMoney(t, "charge", tableValue(t, tb, "2.本期增加金额", 1), "223,200.00")
	wantMoney(t, "closing carrying", tableValue(t, tb, "1.期末账面价值", 0), "706,800.00")
	wantMoney(t, "opening carrying", tableValue(t, tb, "2.期初账面价值", 0), "930,000.00")

	c.PeriodStart, c.PeriodEnd = "2030-01-01", "2030-12-31"
	r = evaluate(t, c)
	wantMoney(t, "BS 2030", bsLine(r, "无形资产"), "0.00")
	for _, e := range r.Measurement.Entries {
		if strings.Contains(e.Title, "摊销") {
			t.Errorf("amortisation entry after the end of life: %s", e.Title)
		}
	}
}

// Data processed in-house for sale is inventory at processing cost:
//
//	采集 100,000 + 清洗 50,000 + 人工 30,000 = 180,000 through 生产成本,
//	then to 库存商品; storage 5,000 expensed (存货准则 第九条).
//	NRV = 200,000 − 0 − 10,000 − 2,000 = 188,000 ≥ cost: no write-down.
func TestProcessedForSale(t *testing.T) {
	zero, price, sell, tax := Yuan(0), Yuan(200000), Yuan(10000), Yuan(2000)
	c := Case{Name: "加工数据产品", Acquisition: AcqDeveloped, Purposes: []string{PurposeSale},
		Controlled: boolp(true), ProbableBenefit: boolp(true), CostReliable: boolp(true),
		Costs: []CostItem{{Category: "acquisition", Amount: Yuan(100000)}, {Category: "cleaning", Amount: Yuan(50000)},
			{Category: "labor", Amount: Yuan(30000)}, {Category: "storage", Amount: Yuan(5000)}},
		AvailableDate: "2024-06-30", PeriodStart: "2024-01-01", PeriodEnd: "2024-12-31",
		Inventory: &InventoryInputs{EstimatedPrice: &price, CostToComplete: &zero, SellingCosts: &sell, SellingTaxes: &tax}}
	r := evaluate(t, c)
	if r.Determination.Outcome != OutcomeInventory || !r.Complete {
		t.Fatalf("outcome %s questions %v", r.Determination.Outcome, questionIDs(c))
	}
	checkEntries(t, r.Measurement.Entries, [][]string{
		{"借 生产成本——数据资源 180,000.00", "借 管理费用 5,000.00", "贷 银行存款 155,000.00", "贷 应付职工薪酬 30,000.00"},
		{"借 库存商品——数据资源 180,000.00", "贷 生产成本——数据资源 180,000.00"},
	})
	wantMoney(t, "BS 存货", bsLine(r, "存货"), "180,000.00")
	wantMoney(t, "采集加工", tableValue(t, r.Disclosure[0], "采集加工", 0), "180,000.00")
}

// 暂行规定 三、（二）1（6）: the R&D amounts exclude the training cost that
// was never an R&D expenditure: 280,000 expensed, 440,000 capitalised.
func TestRDDisclosureNote(t *testing.T) {
	r := evaluate(t, loadCase(t, "rd_project"))
	for _, n := range r.Notes {
		if n.Ref == refDiscIntRD {
			if !strings.Contains(n.Text, "280,000.00") || !strings.Contains(n.Text, "440,000.00") {
				t.Errorf("note %q", n.Text)
			}
			return
		}
	}
	t.Error("no R&D disclosure note")
}

func BenchmarkEvaluateAndReport(b *testing.B) {
	data, err := readCaseFile("valuation")
	if err != nil {
		b.Fatal(err)
	}
	cs, _ := ParseCases(data)
	for b.Loop() {
		r, err := Evaluate(cs[0])
		if err != nil {
			b.Fatal(err)
		}
		_ = Markdown(r)
	}
}
