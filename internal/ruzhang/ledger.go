package ruzhang

// The multi-period roll-forward. A case with Periods is run month by month
// from its earliest cost to the end of its last period; each period opens
// with the previous period's closing balances.
//
// Month convention (stated in every result, see amortisationConvention):
//   - amortisation is monthly and straight-line unless the case says
//     otherwise; it starts in the month the asset becomes available for use
//     (无形资产准则 第十七条 自可供使用时起; a whole month is charged for that
//     month, 当月增加当月摊销);
//   - an event dated D (impairment test, useful-life change, sale,
//     disposal) is applied after the amortisation of every month that begins
//     before D: an event on 2025-12-31 sees December 2025 amortised, one on
//     2026-01-01 does not see January 2026 amortised. A changed estimate
//     therefore applies from the first month beginning on or after D
//     (prospectively, never to months already amortised), and a resource
//     derecognised on D is amortised through the month before the first
//     month beginning on or after D;
//   - after an impairment loss or a change of useful life, the carrying
//     amount less residual value is spread evenly over the remaining months
//     (无形资产准则 第十八条: the amortisable amount excludes the impairment
//     allowance), the last month taking the rounding remainder.

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

const amortisationConvention = "按月摊销：自可供使用当月起计提整月摊销（当月增加当月摊销）；日期为 D 的事项（减值测试、使用寿命变更、出售、处置）在 D 之前开始的各月摊销之后处理，变更后的估计自 D 当日或之后开始的第一个月起未来适用，不追溯调整已摊销月份；减值或变更后按（账面价值 − 残值）在剩余月份平均摊销，尾差计入最后一个月。"

// Accounts used only by the ledger.
const (
	acctBank          = "银行存款"
	acctPrepaid       = "预付账款——数据服务"
	acctContractCost  = "合同履约成本——数据服务"
	acctRevenue       = "主营业务收入"
	acctDisposalGain  = "资产处置损益"
	acctNonOpExpense  = "营业外支出"
	acctGovExpense    = "业务活动费用"
	acctGovAmort      = "无形资产累计摊销"
	acctGovDisposal   = "资产处置费用"
	acctGovPayable    = "应缴财政款"
	acctZeroBalance   = "零余额账户用款额度"
	acctFiscalRevenue = "财政拨款收入"
)

// PeriodResult is one period of the ledger.
type PeriodResult struct {
	Start          string `json:"start"`
	End            string `json:"end"`
	Classification string `json:"classification"` // label of what is held at the end of the period
	// The roll: closing = opening + additions − amortization − impairment − disposals.
	OpeningCarrying Money `json:"opening_carrying_amount"`
	Additions       Money `json:"additions"`
	Amortization    Money `json:"amortization"`
	Impairment      Money `json:"impairment"` // loss recognised; negative = 存货跌价准备转回
	Disposals       Money `json:"disposals"`  // carrying amount derecognised (sale, disposal)
	ClosingCarrying Money `json:"closing_carrying_amount"`
	// Other figures of the period.
	Expensed     Money              `json:"expensed"` // other costs charged to profit or loss (research, non-capitalisable, services)
	CostOfSales  Money              `json:"cost_of_sales"`
	Proceeds     Money              `json:"proceeds"`
	DisposalGain Money              `json:"disposal_gain"` // proceeds − carrying amount (negative = loss)
	Closing      Balances           `json:"closing_balances"`
	BalanceSheet []BalanceSheetLine `json:"balance_sheet"`
	Entries      []LedgerLine       `json:"entries"`
	Events       []EventOutcome     `json:"events,omitempty"`
	Tables       []Table            `json:"tables,omitempty"`
	Disclosures  []DisclosureNote   `json:"disclosures"`

	movement Movements
	journal  []Entry
}

// Balances are the ledger account balances at a date.
type Balances struct {
	Cost                    Money `json:"cost"`
	AccumulatedAmortization Money `json:"accumulated_amortization"`
	ImpairmentAllowance     Money `json:"impairment_allowance"`
	Development             Money `json:"development_expenditure"`
	InventoryCost           Money `json:"inventory_cost"`
	InventoryAllowance      Money `json:"inventory_allowance"`
	Prepaid                 Money `json:"prepaid"`
	ContractCost            Money `json:"contract_cost"`
}

// LedgerLine is one line of a journal entry: Entry numbers the entries of
// the period, Book is 财务会计 or 预算会计 (government units keep both).
type LedgerLine struct {
	Entry   int    `json:"entry"`
	Date    string `json:"date,omitempty"`
	Title   string `json:"title"`
	Book    string `json:"book,omitempty"`
	Account string `json:"account"`
	Debit   Money  `json:"debit"`
	Credit  Money  `json:"credit"`
	Ref     Ref    `json:"ref"`
}

// EventOutcome is what an event did, in words and amount.
type EventOutcome struct {
	Date   string `json:"date"`
	Type   string `json:"type"`
	Label  string `json:"label"`
	Text   string `json:"text"`
	Amount Money  `json:"amount"`
	Ref    Ref    `json:"ref"`
}

// item is one dated thing on the ledger's timeline.
type item struct {
	date  time.Time
	month int // apply before amortising this month
	order int // tie-break: costs, completion, then events
	cost  int // index into CostLines, or -1
	kind  string
	ev    *Event
}

// book is the running state of the roll-forward.
type book struct {
	c       *Case
	outcome string
	gov     bool
	m       *Measurement
	periods []*PeriodResult
	ends    []time.Time
	starts  []time.Time

	// Intangible.
	recognisedInt bool
	cost, acc     Money
	imp, residual Money
	sched         []Money
	pos           int
	// Development expenditure (capitalised, not yet available).
	dev Money
	// Inventory.
	invCost, allow Money
	// Service contract.
	prepaid, contractCost Money
	contractSched         []Money
	contractMonth0        int

	derecognised bool
	pledged      bool
	pledgee      string
	restricted   bool
	restriction  string
	pledgedAmort Money // amortisation of the period while pledged/restricted

	unposted       Money // amortisation not yet journalised, current period
	unpostedFrom   int   // first month of the unposted amortisation
	lastAmortMonth int
	notes          map[int][]DisclosureNote
	expensedRD     []Money // per period
	capitalRD      []Money // per period
	nrvDone        bool
	tested         map[int]bool // periods with an impairment event
	lifeChanges    []string     // changes of useful life so far, for the 1（2） note
}

// periodOf returns the period index containing t, -1 before the first
// period and len(periods) after the last.
func (b *book) periodOf(t time.Time) int {
	if t.Before(b.starts[0]) {
		return -1
	}
	for i := range b.periods {
		if !t.After(b.ends[i]) {
			return i
		}
	}
	return len(b.periods)
}

func (b *book) periodOfMonth(m int) int {
	return b.periodOf(time.Date(m/12, time.Month(m%12+1), 1, 0, 0, 0, 0, time.UTC))
}

func (b *book) carrying() Money {
	return b.cost - b.acc - b.imp + b.dev + b.invCost - b.allow + b.prepaid + b.contractCost
}

func (b *book) balances() Balances {
	return Balances{Cost: b.cost, AccumulatedAmortization: b.acc, ImpairmentAllowance: b.imp, Development: b.dev,
		InventoryCost: b.invCost, InventoryAllowance: b.allow, Prepaid: b.prepaid, ContractCost: b.contractCost}
}

// post journalises an entry in period p (dropped before the first period:
// those amounts are already in the opening balances).
func (b *book) post(p int, e Entry) {
	if p < 0 || p >= len(b.periods) || len(e.Lines) == 0 {
		return
	}
	if b.gov {
		e = govEntry(b.c, e)
	}
	b.periods[p].journal = append(b.periods[p].journal, e)
	if b.gov {
		if be, ok := govBudget(b.c, e); ok {
			b.periods[p].journal = append(b.periods[p].journal, be)
		}
	}
}

func (b *book) note(p int, topic, text string, ref Ref) {
	if p < 0 || p >= len(b.periods) {
		return
	}
	b.notes[p] = append(b.notes[p], DisclosureNote{Topic: topic, Text: text, Ref: ref})
}

func (b *book) event(p int, e *Event, text string, amt Money, ref Ref) {
	if p < 0 || p >= len(b.periods) {
		return
	}
	if e.Description != "" {
		text += "（" + e.Description + "）"
	}
	b.periods[p].Events = append(b.periods[p].Events, EventOutcome{Date: e.Date, Type: e.Type, Label: eventLabels[e.Type], Text: text, Amount: amt, Ref: ref})
}

func entryOf(title string, date string, ref Ref, lines ...EntryLine) Entry {
	var out []EntryLine
	for _, l := range lines {
		if l.Amount != 0 {
			out = append(out, l)
		}
	}
	return Entry{Title: title, Date: date, Lines: out, Ref: ref}
}

func dr(acct string, amt Money) EntryLine { return EntryLine{Side: "借", Account: acct, Amount: amt} }
func cr(acct string, amt Money) EntryLine { return EntryLine{Side: "贷", Account: acct, Amount: amt} }

// rollForward runs the ledger for a complete case whose single-period
// evaluation (for the period containing the available date) is base.
func rollForward(c *Case, outcome string, m *Measurement) []PeriodResult {
	b := &book{c: c, outcome: outcome, gov: c.OrgType == OrgGovernment, m: m, notes: map[int][]DisclosureNote{}, tested: map[int]bool{}}
	for _, p := range c.Periods {
		b.periods = append(b.periods, &PeriodResult{Start: p.Start, End: p.End})
		b.starts = append(b.starts, mustDate(p.Start))
		b.ends = append(b.ends, mustDate(p.End))
	}
	b.expensedRD = make([]Money, len(b.periods))
	b.capitalRD = make([]Money, len(b.periods))

	// Timeline: costs, completion, events.
	var items []item
	defaultDate := c.PeriodStart
	if c.AvailableDate != "" {
		defaultDate = c.AvailableDate
	}
	for i := range m.CostLines {
		d := defaultDate
		if i < len(c.Costs) && c.Costs[i].Date != "" {
			d = c.Costs[i].Date
		}
		t := mustDate(d)
		items = append(items, item{date: t, month: monthIndex(t), order: 0, cost: i, kind: "cost"})
	}
	if c.AvailableDate != "" && (outcome == OutcomeIntangible || outcome == OutcomeInventory) {
		t := mustDate(c.AvailableDate)
		items = append(items, item{date: t, month: monthIndex(t), order: 1, cost: -1, kind: "available"})
	}
	for _, i := range sortedEvents(c.Events) {
		e := &c.Events[i]
		t := mustDate(e.Date)
		items = append(items, item{date: t, month: effectiveMonth(t), order: 2, cost: -1, kind: "event", ev: e})
	}
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].month != items[j].month {
			return items[i].month < items[j].month
		}
		if !items[i].date.Equal(items[j].date) {
			return items[i].date.Before(items[j].date)
		}
		return items[i].order < items[j].order
	})

	first := monthIndex(b.starts[0])
	for _, it := range items {
		first = min(first, monthIndex(it.date))
	}
	if k := c.Contract; k != nil {
		first = min(first, monthIndex(mustDate(k.Start)))
	}
	last := monthIndex(b.ends[len(b.ends)-1])
	if k := c.Contract; k != nil {
		paid := k.PaidDate
		if paid == "" {
			paid = k.Start
		}
		t := mustDate(paid)
		items = append(items, item{date: t, month: monthIndex(t), cost: -1, kind: "contract"})
		sort.SliceStable(items, func(i, j int) bool { return items[i].month < items[j].month })
	}

	next := 0
	apply := func(limit func(it item) bool) {
		for next < len(items) && limit(items[next]) {
			b.apply(items[next])
			next++
		}
	}
	for mo := first; mo <= last; mo++ {
		p := b.periodOfMonth(mo)
		if p >= 0 && p < len(b.periods) && mo == monthIndex(b.starts[p]) {
			b.open(p)
		}
		apply(func(it item) bool { return it.month <= mo })
		b.amortiseMonth(mo, p)
		b.contractMonth(mo, p)
		if p >= 0 && p < len(b.periods) && mo == monthIndex(b.ends[p]) {
			// Events on the last days of the period belong to it.
			apply(func(it item) bool { return !it.date.After(b.ends[p]) })
			b.close(p)
		} else if p < 0 && mo+1 == monthIndex(b.starts[0]) {
			b.flushAmortisation(-1, b.starts[0].AddDate(0, 0, -1))
		}
	}
	out := make([]PeriodResult, len(b.periods))
	for i, pr := range b.periods {
		out[i] = *pr
	}
	return out
}

// open records the opening balances of period p.
func (b *book) open(p int) {
	pr := b.periods[p]
	pr.OpeningCarrying = b.carrying()
	switch b.outcome {
	case OutcomeIntangible, OutcomeDevelopment:
		pr.movement.Intangible = &IntangibleMovement{Column: acqColumn(b.c), CostOpening: b.cost, AmortOpening: b.acc, ImpairOpening: b.imp}
	case OutcomeInventory:
		pr.movement.Inventory = &InventoryMovement{Column: acqColumn(b.c), CostOpening: b.invCost, AllowOpening: b.allow}
	}
	b.pledgedAmort = 0
}

// apply executes one timeline item.
func (b *book) apply(it item) {
	p := b.periodOf(it.date)
	date := it.date.Format(time.DateOnly)
	switch it.kind {
	case "cost":
		b.applyCost(p, date, b.m.CostLines[it.cost])
	case "available":
		b.applyAvailable(p, date)
	case "contract":
		b.initContract()
	case "event":
		b.flushAmortisation(p, it.date)
		b.applyEvent(p, it.ev)
	}
}

func (b *book) applyCost(p int, date string, l CostLine) {
	title := "发生数据资源相关支出：" + l.Label
	ref := l.Ref
	b.post(p, entryOf(title, date, ref, dr(l.Account, l.Amount), cr(l.Credit, l.Amount)))
	if p >= 0 && p < len(b.periods) {
		pr := b.periods[p]
		switch {
		case l.Treatment == TreatExpense && l.Account == acctRDExpensed:
			b.expensedRD[p] += l.Amount
			pr.Expensed += l.Amount
		case l.Treatment == TreatExpense:
			pr.Expensed += l.Amount
		case l.Treatment == TreatCapitalise:
			pr.Additions += l.Amount
			if l.Account == acctRDCapital {
				b.capitalRD[p] += l.Amount
			}
			if mv := pr.movement.Intangible; mv != nil && l.Account == acctIntangible {
				switch b.c.Acquisition {
				case AcqPurchase:
					mv.AddPurchase += l.Amount
				default:
					mv.AddOther += l.Amount
				}
			}
			if mv := pr.movement.Inventory; mv != nil {
				switch b.c.Acquisition {
				case AcqPurchase:
					mv.AddPurchase += l.Amount
				case AcqDeveloped:
					mv.AddProcessed += l.Amount
				default:
					mv.AddOther += l.Amount
				}
			}
		}
	}
	if l.Treatment != TreatCapitalise {
		return
	}
	switch l.Account {
	case acctIntangible:
		b.cost += l.Amount
	case acctRDCapital:
		b.dev += l.Amount
	case acctInventory, acctWIP:
		b.invCost += l.Amount
	}
}

// applyAvailable: the R&D project is completed (开发支出 → 无形资产), the
// processed inventory is finished, and amortisation starts.
func (b *book) applyAvailable(p int, date string) {
	c := b.c
	if b.outcome == OutcomeInventory {
		if c.Acquisition == AcqDeveloped {
			b.post(p, entryOf("数据加工完成，结转存货成本", date, refInventoryCost, dr(acctInventory, b.invCost), cr(acctWIP, b.invCost)))
		}
		return
	}
	if b.dev > 0 {
		b.post(p, entryOf("研发项目达到预定用途，资本化支出转入无形资产", date, refCAS6Developed, dr(acctIntangible, b.dev), cr(acctRDCapital, b.dev)))
		if p >= 0 && p < len(b.periods) {
			if mv := b.periods[p].movement.Intangible; mv != nil {
				mv.AddInternal += b.dev
			}
		}
		b.cost += b.dev
		b.dev = 0
	}
	b.recognisedInt = true
	if in := c.Intangible; in != nil && !*in.IndefiniteLife {
		cc := *c
		a := amortise(&cc, b.cost)
		b.residual = a.Residual
		b.sched = a.monthly
		b.pos = 0
	}
}

// amortiseMonth charges month mo.
func (b *book) amortiseMonth(mo, p int) {
	if !b.recognisedInt || b.derecognised || b.pos >= len(b.sched) {
		return
	}
	if c := b.c; c.AvailableDate == "" || mo < monthIndex(mustDate(c.AvailableDate)) {
		return
	}
	amt := b.sched[b.pos]
	b.pos++
	b.acc += amt
	if b.unposted == 0 {
		b.unpostedFrom = mo
	}
	b.unposted += amt
	b.lastAmortMonth = mo
	if p >= 0 && p < len(b.periods) {
		b.periods[p].Amortization += amt
		if mv := b.periods[p].movement.Intangible; mv != nil {
			mv.AmortAdd += amt
		}
		if b.pledged || b.restricted {
			b.pledgedAmort += amt
		}
	}
}

// flushAmortisation journalises the amortisation charged but not yet
// posted, up to date (the day before an event, or the period end).
func (b *book) flushAmortisation(p int, upTo time.Time) {
	if b.unposted == 0 {
		return
	}
	amt := b.unposted
	b.unposted = 0
	from, to := monthLabel(b.unpostedFrom), monthLabel(b.lastAmortMonth)
	acct, ref := acctAdmin, refCAS6Amortise
	if has(b.c.Purposes, PurposeService) {
		acct, ref = acctCostOfSales, refService
	}
	date := upTo.Format(time.DateOnly)
	b.post(p, entryOf("计提摊销（"+from+" 至 "+to+"）", date, ref, dr(acct, amt), cr(acctAmort, amt)))
}

// close finishes period p: period-end entries, tests given with the case,
// the balance sheet, the 变动表 and the disclosures.
func (b *book) close(p int) {
	c := b.c
	pr := b.periods[p]
	end := b.ends[p]
	endS := pr.End
	b.flushAmortisation(p, end)

	if exp := b.expensedRD[p]; exp > 0 {
		b.post(p, entryOf("期末结转费用化研发支出", endS, refIntangibleCost, dr(acctAdmin, exp), cr(acctRDExpensed, exp)))
	}
	// The single-period inputs (intangible.recoverable_amount, inventory
	// NRV) are the tests at the end of the period the resource became
	// available in, unless an impairment event of that period replaces
	// them; later tests are impairment events.
	availP := -2
	if c.AvailableDate != "" {
		availP = b.periodOf(mustDate(c.AvailableDate))
	}
	if (p == availP || (availP == -1 && p == 0)) && !b.tested[p] {
		if in := c.Intangible; in != nil && in.RecoverableAmount != nil && b.recognisedInt && !b.derecognised {
			b.impairIntangible(p, endS, *in.RecoverableAmount, nil)
		}
		if in := c.Inventory; in != nil && b.outcome == OutcomeInventory && !b.nrvDone && !b.derecognised {
			b.nrvDone = true
			nrv := *in.EstimatedPrice - *in.CostToComplete - *in.SellingCosts - *in.SellingTaxes
			b.nrvTest(p, endS, nrv, nil)
		}
	}

	pr.ClosingCarrying = b.carrying()
	pr.Closing = b.balances()
	pr.Classification = b.classification()
	pr.BalanceSheet = []BalanceSheetLine{
		{Item: "存货", Line: "其中：数据资源", Amount: b.invCost - b.allow},
		{Item: "无形资产", Line: "其中：数据资源", Amount: b.cost - b.acc - b.imp},
		{Item: "开发支出", Line: "其中：数据资源", Amount: b.dev},
	}
	if b.prepaid != 0 {
		pr.BalanceSheet = append(pr.BalanceSheet, BalanceSheetLine{Item: "预付款项", Line: "数据服务", Amount: b.prepaid})
	}
	if b.contractCost != 0 {
		pr.BalanceSheet = append(pr.BalanceSheet, BalanceSheetLine{Item: "存货", Line: "合同履约成本（数据服务）", Amount: b.contractCost})
	}
	if !b.gov && (pr.movement.Intangible != nil || pr.movement.Inventory != nil) {
		pr.Tables = DisclosureTables([]Movements{pr.movement})
	}
	b.disclose(p)
	pr.Disclosures = append(pr.Disclosures, b.notes[p]...)
	n := 0
	for _, e := range pr.journal {
		n++
		book := ""
		if b.gov {
			book = "财务会计"
			if strings.HasPrefix(e.Title, "（预算会计）") {
				book = "预算会计"
			}
		}
		for _, l := range e.Lines {
			ll := LedgerLine{Entry: n, Date: e.Date, Title: e.Title, Book: book, Account: l.Account, Ref: e.Ref}
			if l.Side == "借" {
				ll.Debit = l.Amount
			} else {
				ll.Credit = l.Amount
			}
			pr.Entries = append(pr.Entries, ll)
		}
	}
	if pr.Entries == nil {
		pr.Entries = []LedgerLine{}
	}
}

func (b *book) classification() string {
	switch {
	case b.c.Contract != nil:
		if b.c.Contract.Role == ContractProvider {
			return "合同履约成本（不确认为数据资源资产）"
		}
		return "预付账款／当期费用（不确认为数据资源资产）"
	case b.derecognised && b.outcome == OutcomeInventory:
		return "存货（已全部出售或处置）"
	case b.derecognised:
		return "已终止确认"
	case b.dev > 0:
		return outcomeLabels[OutcomeDevelopment]
	case b.recognisedInt:
		return outcomeLabels[OutcomeIntangible]
	case b.outcome == OutcomeInventory && b.invCost > 0:
		return outcomeLabels[OutcomeInventory]
	case b.outcome == OutcomeExpense:
		return "未确认为资产（支出计入当期损益）"
	}
	return outcomeLabels[b.outcome]
}

// applyEvent applies one user event in period p.
func (b *book) applyEvent(p int, e *Event) {
	switch e.Type {
	case EvImpairment:
		b.tested[p] = true
		switch {
		case b.outcome == OutcomeInventory:
			b.nrvTest(p, e.Date, *e.RecoverableAmount, e)
		case b.recognisedInt && !b.derecognised:
			b.impairIntangible(p, e.Date, *e.RecoverableAmount, e)
		}
	case EvLifeChange:
		b.changeLife(p, e)
	case EvSale, EvDisposal:
		b.derecognise(p, e)
	case EvPledge:
		b.pledged, b.pledgee = true, e.Pledgee
		b.event(p, e, "数据资源用于质押担保"+ifText(e.Pledgee != "", "（质权人："+e.Pledgee+"）")+"，不作会计分录，应在附注披露其账面价值及当期摊销额。", b.carrying(), refDiscIntPledged)
	case EvRestrict:
		b.restricted, b.restriction = true, e.Reason
		b.event(p, e, "数据资源所有权或使用权受到限制"+ifText(e.Reason != "", "："+e.Reason)+"，应在附注披露其账面价值及当期摊销额。", b.carrying(), refDiscIntPledged)
	case EvTransfer:
		b.transfer(p, e)
	case EvRelease:
		b.pledged, b.restricted = false, false
		b.event(p, e, "解除质押或权利限制。", b.carrying(), refDiscIntPledged)
	}
}

func ifText(ok bool, s string) string {
	if ok {
		return s
	}
	return ""
}

// impairIntangible tests an intangible: a loss when the recoverable amount
// is below the carrying amount; a recovery is never written back.
func (b *book) impairIntangible(p int, date string, recoverable Money, e *Event) {
	carrying := b.cost - b.acc - b.imp
	ev := e
	if ev == nil {
		ev = &Event{Date: date, Type: EvImpairment, RecoverableAmount: &recoverable}
	}
	if recoverable >= carrying {
		text := fmt.Sprintf("可收回金额 %s 元不低于账面价值 %s 元，未发生减值。", recoverable, carrying)
		if b.imp > 0 {
			text += fmt.Sprintf("以前期间已计提的减值准备 %s 元不得转回（无形资产减值按《企业会计准则第8号——资产减值》处理，资产减值损失一经确认，在以后会计期间不得转回）。", b.imp)
		}
		b.event(p, ev, text, 0, refCAS6Impairment)
		b.note(p, "减值测试", date+" "+text, refDiscIntImpair)
		return
	}
	loss := carrying - recoverable
	b.imp += loss
	if p >= 0 && p < len(b.periods) {
		b.periods[p].Impairment += loss
		if mv := b.periods[p].movement.Intangible; mv != nil {
			mv.ImpairAdd += loss
		}
	}
	b.post(p, entryOf("计提数据资源无形资产减值准备", date, refCAS6Impairment, dr(acctImpairLoss, loss), cr(acctIntImpair, loss)))
	remaining := len(b.sched) - b.pos
	text := fmt.Sprintf("账面价值 %s 元，可收回金额 %s 元，确认减值损失 %s 元；", carrying, recoverable, loss)
	if remaining > 0 {
		b.reschedule(remaining)
		text += fmt.Sprintf("减值后按（账面价值 %s 元 − 残值 %s 元）在剩余 %d 个月内摊销，月摊销额约 %s 元。", recoverable, b.residual, remaining, b.sched[b.pos])
	}
	text += "减值损失一经确认，以后期间不得转回。"
	b.event(p, ev, text, loss, refCAS6Impairment)
	b.note(p, "减值", date+" "+text, refDiscIntImpair)
}

// reschedule spreads the carrying amount less residual over n months from
// the current position.
func (b *book) reschedule(n int) {
	base := b.cost - b.acc - b.imp - b.residual
	if base < 0 {
		base = 0
	}
	s := make([]Money, n)
	spread(s, base)
	b.sched = append(b.sched[:b.pos:b.pos], s...)
}

// changeLife applies a new remaining useful life prospectively (a change
// in accounting estimate).
func (b *book) changeLife(p int, e *Event) {
	if !b.recognisedInt || b.derecognised || b.c.Intangible == nil || *b.c.Intangible.IndefiniteLife {
		b.event(p, e, "该数据资源不是使用寿命有限的无形资产，使用寿命变更不适用。", 0, refCAS6Review)
		return
	}
	n := e.remainingMonths()
	if n == 0 { // only the residual value changes
		n = len(b.sched) - b.pos
	}
	if n == 0 {
		b.event(p, e, "该数据资源已摊销完毕，估计变更不影响摊销。", 0, refCAS6Review)
		return
	}
	oldResidual := b.residual
	if e.Residual != nil {
		b.residual = *e.Residual
	}
	oldRemaining := b.sched[b.pos:]
	oldMonthly := Money(0)
	if len(oldRemaining) > 0 {
		oldMonthly = oldRemaining[0]
	}
	oldN := len(oldRemaining)
	old := append([]Money(nil), oldRemaining...)
	b.reschedule(n)
	em := effectiveMonth(mustDate(e.Date))
	// Effect on the current period: months from em to the period end.
	var cur Money
	if p >= 0 && p < len(b.periods) {
		k := monthIndex(b.ends[p]) - em + 1
		for i := 0; i < k; i++ {
			var nw, od Money
			if i < n {
				nw = b.sched[b.pos+i]
			}
			if i < len(old) {
				od = old[i]
			}
			cur += nw - od
		}
	}
	var newTotal, oldTotal Money
	for _, x := range b.sched[b.pos:] {
		newTotal += x
	}
	for _, x := range old {
		oldTotal += x
	}
	fut := newTotal - oldTotal - cur
	text := fmt.Sprintf("自 %s 起剩余使用寿命由 %d 个月变更为 %d 个月，按会计估计变更采用未来适用法：以变更时账面价值 %s 元（扣除残值 %s 元）在新的剩余期限内摊销，月摊销额由 %s 元变为 %s 元；以前期间已计提的摊销不作调整。对本期摊销的影响 %s 元，对以后期间的影响 %s 元。",
		monthLabel(em), oldN, n, b.cost-b.acc-b.imp, b.residual, oldMonthly, b.sched[b.pos], signed(cur), signed(fut))
	if b.residual != oldResidual {
		text += fmt.Sprintf("残值由 %s 元变更为 %s 元。", oldResidual, b.residual)
	}
	b.lifeChanges = append(b.lifeChanges, fmt.Sprintf("自 %s 起剩余使用寿命变更为 %s（直线法）", monthLabel(em), monthsText(n)))
	b.event(p, e, text, cur, refCAS6Review)
	b.note(p, "摊销期变更", e.Date+" "+text+ifText(e.Reason != "", "变更原因："+e.Reason), refDiscIntChange)
}

func signed(m Money) string {
	if m > 0 {
		return "+" + m.String()
	}
	return m.String()
}

// nrvTest sets the inventory allowance to max(0, cost − NRV): a write-down
// or a reversal within the allowance made (存货准则 第十五条、第十九条).
func (b *book) nrvTest(p int, date string, nrv Money, e *Event) {
	required := max(0, b.invCost-nrv)
	change := required - b.allow
	ev := e
	if ev == nil {
		ev = &Event{Date: date, Type: EvImpairment, RecoverableAmount: &nrv}
	}
	if p >= 0 && p < len(b.periods) {
		b.periods[p].Impairment += change
		if mv := b.periods[p].movement.Inventory; mv != nil {
			if change > 0 {
				mv.AllowAdd += change
			} else {
				mv.AllowReversal += -change
			}
		}
	}
	b.allow = required
	text := fmt.Sprintf("存货成本 %s 元，可变现净值 %s 元，存货跌价准备应有余额 %s 元，", b.invCost, nrv, required)
	switch {
	case change > 0:
		b.post(p, entryOf("计提存货跌价准备", date, refCAS1NRV, dr(acctImpairLoss, change), cr(acctInvAllowance, change)))
		text += "本期计提 " + change.String() + " 元。"
		b.event(p, ev, text, change, refCAS1NRV)
	case change < 0:
		b.post(p, entryOf("转回存货跌价准备", date, refCAS1Reversal, dr(acctInvAllowance, -change), cr(acctImpairLoss, -change)))
		text += "以前减记存货价值的影响因素已经消失，在原已计提的金额内转回 " + (-change).String() + " 元。"
		b.event(p, ev, text, change, refCAS1Reversal)
	default:
		text += "无需调整。"
		b.event(p, ev, text, 0, refCAS1NRV)
	}
	b.note(p, "可变现净值与存货跌价准备", date+" "+text, refDiscInvNRV)
}

// derecognise handles sale and disposal.
func (b *book) derecognise(p int, e *Event) {
	var proceeds Money
	if e.Proceeds != nil {
		proceeds = *e.Proceeds
	}
	pr := (*PeriodResult)(nil)
	if p >= 0 && p < len(b.periods) {
		pr = b.periods[p]
	}
	switch {
	case b.outcome == OutcomeInventory && b.invCost > 0:
		share := 1.0
		if e.Proportion != nil {
			share = *e.Proportion
		}
		costOut, allowOut := b.invCost, b.allow
		if share < 1 {
			costOut, allowOut = Yuan(b.invCost.Float()*share), Yuan(b.allow.Float()*share)
		}
		carrying := costOut - allowOut
		b.invCost -= costOut
		b.allow -= allowOut
		if b.invCost == 0 {
			b.derecognised = true
		}
		if pr != nil {
			pr.Disposals += carrying
			pr.Proceeds += proceeds
			if mv := pr.movement.Inventory; mv != nil {
				if e.Type == EvSale {
					mv.DecSale += costOut
				} else {
					mv.DecExpired += costOut
				}
				mv.AllowWriteOff += allowOut
			}
		}
		if e.Type == EvSale {
			if pr != nil {
				pr.CostOfSales += carrying
			}
			b.post(p, entryOf("确认数据资源销售收入", e.Date, refInventorySale, dr(b.c.paymentAccount(), proceeds), cr(acctRevenue, proceeds)))
			b.post(p, entryOf("结转已售数据资源存货成本（存货 → 营业成本）", e.Date, refInventorySale,
				dr(acctCostOfSales, carrying), dr(acctInvAllowance, allowOut), cr(acctInventory, costOut)))
			b.event(p, e, fmt.Sprintf("出售数据资源存货（比例 %s），结转成本 %s 元、存货跌价准备 %s 元，营业成本 %s 元；收入 %s 元按收入准则确认。", coef(share), costOut, allowOut, carrying, proceeds), carrying, refInventorySale)
			b.note(p, "数据资源存货的出售", fmt.Sprintf("%s 出售数据资源存货，结转营业成本 %s 元，确认收入 %s 元；发出存货成本采用%s。", e.Date, carrying, proceeds, costFlow(b.c)), refDiscInvMethod)
		} else {
			b.post(p, entryOf("数据资源存货失效报废", e.Date, refCAS1Damage,
				dr(b.c.paymentAccount(), proceeds), dr(acctNonOpExpense, carrying-proceeds), dr(acctInvAllowance, allowOut), cr(acctInventory, costOut)))
			b.event(p, e, fmt.Sprintf("数据资源存货失效且终止确认，账面价值 %s 元扣除处置收入 %s 元后的净损失 %s 元计入当期损益。", carrying, proceeds, carrying-proceeds), carrying, refCAS1Damage)
		}
	case b.recognisedInt && !b.derecognised:
		carrying := b.cost - b.acc - b.imp
		gain := proceeds - carrying
		if pr != nil {
			pr.Disposals += carrying
			pr.Proceeds += proceeds
			pr.DisposalGain += gain
			if mv := pr.movement.Intangible; mv != nil {
				if e.Type == EvSale {
					mv.DecDisposal += b.cost
					mv.AmortDecDisposal += b.acc
				} else {
					mv.DecExpired += b.cost
					mv.AmortDecExpired += b.acc
				}
				mv.AmortDec += b.acc
				mv.ImpairDec += b.imp
			}
		}
		ref, title := refCAS6Sale, "出售数据资源无形资产"
		gainAcct := acctDisposalGain
		if e.Type == EvDisposal {
			ref, title, gainAcct = refCAS6WriteOff, "数据资源无形资产报废、终止确认", acctNonOpExpense
		}
		lines := []EntryLine{dr(b.c.paymentAccount(), proceeds), dr(acctAmort, b.acc), dr(acctIntImpair, b.imp)}
		if gain < 0 {
			lines = append(lines, dr(gainAcct, -gain))
		}
		lines = append(lines, cr(acctIntangible, b.cost))
		if gain > 0 {
			lines = append(lines, cr(acctDisposalGain, gain))
		}
		b.post(p, entryOf(title, e.Date, ref, lines...))
		text := fmt.Sprintf("%s：原值 %s 元，累计摊销 %s 元，减值准备 %s 元，账面价值 %s 元；价款 %s 元，差额 %s 元计入当期损益。", eventLabels[e.Type], b.cost, b.acc, b.imp, carrying, proceeds, signed(gain))
		if b.gov {
			text = fmt.Sprintf("%s：原值 %s 元，累计摊销 %s 元，账面价值 %s 元转入资产处置费用；处置收入 %s 元按政府非税收入和国库集中收缴制度管理（应缴财政款），不计入本单位收入。", eventLabels[e.Type], b.cost, b.acc, carrying, proceeds)
			ref = refGovIncome
		}
		b.event(p, e, text, carrying, ref)
		b.note(p, "数据资源无形资产的处置", e.Date+" "+text, ref)
		b.cost, b.acc, b.imp = 0, 0, 0
		b.derecognised = true
	default:
		b.event(p, e, "没有可出售或处置的数据资源资产（未确认为资产，或已终止确认）；出售未确认为资产的数据资源，按收入准则确认收入。", 0, refSaleNotAsset)
		if proceeds > 0 && e.Type == EvSale {
			b.post(p, entryOf("出售未确认为资产的数据资源，确认收入", e.Date, refSaleNotAsset, dr(b.c.paymentAccount(), proceeds), cr(acctRevenue, proceeds)))
			if pr != nil {
				pr.Proceeds += proceeds
			}
		}
	}
}

func costFlow(c *Case) string {
	if c.Inventory != nil && c.Inventory.CostFlowMethod != "" {
		return c.Inventory.CostFlowMethod
	}
	return "个别计价法"
}

// disclose adds the period-end disclosures of 暂行规定 三、（二）.
func (b *book) disclose(p int) {
	c := b.c
	pr := b.periods[p]
	add := func(topic, text string, ref Ref) {
		pr.Disclosures = append(pr.Disclosures, DisclosureNote{Topic: topic, Text: text, Ref: ref})
	}
	if b.gov {
		if in := c.Intangible; in != nil && b.recognisedInt && !b.derecognised && !*in.IndefiniteLife {
			changed := ""
			if len(b.lifeChanges) > 0 {
				changed = "；" + strings.Join(b.lifeChanges, "；")
			}
			add("资产信息卡：使用年限与摊销", fmt.Sprintf("使用年限 %s%s，年限平均法按月摊销；期末账面价值 %s 元，剩余摊销期限 %d 个月。", monthsText(*in.LifeMonths), changed, b.cost-b.acc-b.imp, len(b.sched)-b.pos), refGovRegistration)
		}
		if b.outcome == OutcomeExpense {
			add("资产备查簿", "该数据资源暂不具备确认登记条件，可先纳入资产备查簿。", refGuideCompliance)
		}
		add("资产登记", "数据资产应结合数据资源目录清查盘点，按《固定资产等资产基础分类与代码》等国家标准登记，在预算管理一体化系统中建立并完善资产信息卡；本期末账面价值 "+b.carrying().String()+" 元。", refGovRegistration)
		add("数据资产卡片", "配置数据资产卡片，载明基本信息、权利信息、使用信息、管理信息；对外授权时在资产卡片中登记标识。", refGuideCard)
		add("资产报告", "数据资产管理情况逐步纳入行政事业性国有资产管理情况报告。", refGovReport)
		add("会计处理依据", "执行政府会计准则制度：财务会计与预算会计平行记账，摊销计入业务活动费用，不编制企业利润表项目、不计提资产减值损失；《企业数据资源相关会计处理暂行规定》的披露格式不适用。", refGovDefinition)
		return
	}
	switch {
	case c.Contract != nil:
		add("数据服务合同", "数据服务合同不形成企业控制的数据资源：购买方的预付款在服务期内分期计入费用，提供方符合条件的履约成本确认为合同履约成本并在服务提供时结转营业成本；均不属于研究开发支出。", refService)
		return
	case b.recognisedInt || b.dev > 0 || (b.outcome == OutcomeIntangible && b.derecognised):
		if in := c.Intangible; in != nil && !b.derecognised {
			if *in.IndefiniteLife {
				add("使用寿命", fmt.Sprintf("使用寿命不确定，不予摊销；期末账面价值 %s 元；判断依据：%s", b.cost-b.acc-b.imp, orPlease(in.LifeBasis, "使用寿命不确定的判断依据")), refDiscIntLife)
			} else if b.recognisedInt {
				method := "直线法"
				if in.Method == MethodUnits {
					method = "产量法（按预期消耗量）"
				}
				changed := ""
				if len(b.lifeChanges) > 0 {
					changed = "；" + strings.Join(b.lifeChanges, "；") + "（会计估计变更，未来适用）"
				}
				add("使用寿命与摊销方法", fmt.Sprintf("初始估计使用寿命 %s，采用%s摊销，残值 %s 元%s；估计依据：%s。%s", monthsText(*in.LifeMonths), method, b.residual, changed, orPlease(in.LifeBasis, "使用寿命的估计依据"), amortisationConvention), refDiscIntLife)
			}
		}
		if b.recognisedInt && !b.derecognised {
			rem := len(b.sched) - b.pos
			add("重要的单项数据资源无形资产", fmt.Sprintf("%s：期末账面价值 %s 元，剩余摊销期限 %d 个月（对财务报表具有重要影响时单独披露）。", c.Name, b.cost-b.acc-b.imp, rem), refDiscIntSingle)
		}
		if b.pledged || b.restricted {
			what := "用于担保（质押）"
			if b.pledged && b.pledgee != "" {
				what += "，质权人：" + b.pledgee
			}
			if b.restricted {
				what = "所有权或使用权受到限制" + ifText(b.restriction != "", "（"+b.restriction+"）")
			}
			add("权利受限或用于担保的数据资源", fmt.Sprintf("%s：期末账面价值 %s 元，本期受限期间摊销额 %s 元。", what, b.carrying(), b.pledgedAmort), refDiscIntPledged)
		}
		if c.rdProject() {
			add("数据资源研究开发支出", fmt.Sprintf("本期计入当期损益的研究开发支出 %s 元，本期资本化（开发支出）%s 元。", b.expensedRD[p], b.capitalRD[p]), refDiscIntRD)
		}
		if c.Rights != nil && c.Rights.LicenseEnd != "" {
			add("权利限制与授权期限", "数据资源的授权（许可）期限至 "+c.Rights.LicenseEnd+"，使用寿命的估计已考虑权利限制。", refIntangibleCost)
		}
	case b.outcome == OutcomeInventory:
		add("发出存货成本的计量方法", costFlow(c), refDiscInvMethod)
		if b.invCost > 0 {
			add("重要的单项数据资源存货", fmt.Sprintf("%s：期末账面价值 %s 元（对财务报表具有重要影响时单独披露其内容、账面价值和可变现净值）。", c.Name, b.invCost-b.allow), refDiscInvSingle)
		}
		if b.pledged || b.restricted {
			add("权利受限或用于担保的数据资源", fmt.Sprintf("期末账面价值 %s 元。", b.carrying()), refDiscOther)
		}
	case b.outcome == OutcomeExpense:
		add("未确认为资产的数据资源", "企业可以根据实际情况自愿披露未确认为资产的数据资源的应用场景、原始数据、加工维护、应用情况等信息。", refDiscOther)
	}
	if c.Source == SourceFreePublic {
		add("无偿取得的公共数据", "原始数据无偿取得，未支付价款，不作银行付款分录；其成本仅为企业自行发生的、可直接归属的加工等支出。", refIntangibleCost)
	}
}

func orPlease(s, what string) string {
	if s == "" {
		return "（请补充" + what + "）"
	}
	return s
}

// govEntry maps an enterprise entry to the 政府会计 financial accounting
// accounts and adds the parallel 预算会计 lines for cash paid.
func govEntry(c *Case, e Entry) Entry {
	// The enterprise provisions do not govern a 行政事业单位's books.
	switch e.Ref {
	case refCAS6Amortise, refService:
		e.Title += "（政府会计准则第4号——无形资产，资料库未收录）"
		e.Ref = refGovDefinition
	case refIntangibleCost, refCAS6Expense, refCAS6Purchased, refCAS6Developed, refCAS6Contributed:
		e.Ref = refGovConfig
	}
	for i, l := range e.Lines {
		switch l.Account {
		case acctAdmin, acctCostOfSales, acctSelling:
			e.Lines[i].Account = acctGovExpense
		case acctAmort:
			e.Lines[i].Account = acctGovAmort
		case acctDisposalGain, acctNonOpExpense:
			e.Lines[i].Account = acctGovDisposal
		}
	}
	if e.Title == "出售数据资源无形资产" || e.Title == "数据资源无形资产报废、终止确认" {
		// Proceeds are payable to the treasury, not income of the unit.
		var lines []EntryLine
		var proceeds, carrying Money
		for _, l := range e.Lines {
			switch {
			case l.Side == "借" && l.Account == c.paymentAccount():
				proceeds = l.Amount
			case l.Side == "借" && l.Account == acctGovDisposal:
			case l.Side == "贷" && l.Account == acctGovDisposal:
			default:
				lines = append(lines, l)
			}
		}
		var cost, amort Money
		for _, l := range lines {
			if l.Account == acctIntangible {
				cost = l.Amount
			}
			if l.Account == acctGovAmort {
				amort = l.Amount
			}
		}
		carrying = cost - amort
		lines = append([]EntryLine{dr(acctGovDisposal, carrying)}, lines...)
		e.Lines = lines
		e.Ref = refGovDisposal
		if proceeds > 0 {
			e.Lines = append(e.Lines, dr(c.paymentAccount(), proceeds), cr(acctGovPayable, proceeds))
		}
		return e
	}
	return e
}

// govBudget returns the 预算会计 entry paralleling cash paid in e.
func govBudget(c *Case, e Entry) (Entry, bool) {
	var paid Money
	var credit string
	for _, l := range e.Lines {
		if l.Side != "贷" {
			continue
		}
		switch l.Account {
		case acctZeroBalance:
			paid, credit = paid+l.Amount, "资金结存——零余额账户用款额度"
		case acctBank:
			paid, credit = paid+l.Amount, "资金结存——货币资金"
		case acctFiscalRevenue:
			paid, credit = paid+l.Amount, "财政拨款预算收入"
		}
	}
	if paid == 0 {
		return Entry{}, false
	}
	exp := "事业支出"
	if c.GovUnit == GovAdministrative {
		exp = "行政支出"
	}
	return entryOf("（预算会计）"+e.Title, e.Date, refGovDefinition, dr(exp, paid), cr(credit, paid)), true
}

// transfer moves an intangible to inventory at its carrying amount when
// the resource comes to be held for sale in the ordinary course (the
// classification follows the holding purpose, 暂行规定 二、 and 二、4).
// The carrying amount is unchanged: the transfer is neither an addition
// nor a disposal of the period.
func (b *book) transfer(p int, e *Event) {
	if !b.recognisedInt || b.derecognised {
		b.event(p, e, "没有可转换分类的数据资源无形资产。", 0, refStandards)
		return
	}
	carrying := b.cost - b.acc - b.imp
	b.post(p, entryOf("持有目的改变，数据资源无形资产转为存货", e.Date, refInventory,
		dr(acctInventory, carrying), dr(acctAmort, b.acc), dr(acctIntImpair, b.imp), cr(acctIntangible, b.cost)))
	if p >= 0 && p < len(b.periods) {
		pr := b.periods[p]
		if mv := pr.movement.Intangible; mv != nil {
			mv.DecOther += b.cost
			mv.AmortDec += b.acc
			mv.AmortDecOther += b.acc
			mv.ImpairDec += b.imp
		}
		if pr.movement.Inventory == nil {
			pr.movement.Inventory = &InventoryMovement{Column: acqColumn(b.c)}
		}
		pr.movement.Inventory.AddOther += carrying
	}
	b.event(p, e, fmt.Sprintf("持有目的改变为日常活动中持有、最终目的用于出售：按账面价值 %s 元（原值 %s 元，累计摊销 %s 元，减值准备 %s 元）转为存货，此后不再摊销，期末按成本与可变现净值孰低计量。", carrying, b.cost, b.acc, b.imp), carrying, refInventory)
	b.note(p, "数据资源的分类转换", e.Date+" 数据资源由无形资产转为存货，转换时账面价值 "+carrying.String()+" 元。", refDiscOther)
	b.invCost = carrying
	b.cost, b.acc, b.imp = 0, 0, 0
	b.recognisedInt = false
	b.outcome = OutcomeInventory
}
