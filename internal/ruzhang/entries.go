package ruzhang

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Entry is one journal entry (会计分录).
type Entry struct {
	Title string      `json:"title"`
	Date  string      `json:"date,omitempty"`
	Lines []EntryLine `json:"lines"`
	Ref   Ref         `json:"ref"`
}

// EntryLine is one debit (借) or credit (贷) line.
type EntryLine struct {
	Side    string `json:"side"` // 借 | 贷
	Account string `json:"account"`
	Amount  Money  `json:"amount"`
}

// Balanced reports whether debits equal credits.
func (e Entry) Balanced() bool {
	var d, c Money
	for _, l := range e.Lines {
		if l.Side == "借" {
			d += l.Amount
		} else {
			c += l.Amount
		}
	}
	return d == c
}

// Text renders the entry in the customary layout:
//
//	借：无形资产——数据资源          1,000,000.00
//	  贷：银行存款                  1,000,000.00
func (e Entry) Text() string {
	var b strings.Builder
	firstDebit, firstCredit := true, true
	for _, l := range e.Lines {
		var head string
		switch {
		case l.Side == "借" && firstDebit:
			head, firstDebit = "借："+l.Account, false
		case l.Side == "借":
			head = "    " + l.Account
		case firstCredit:
			head, firstCredit = "  贷："+l.Account, false
		default:
			head = "      " + l.Account
		}
		b.WriteString(head)
		pad := 44 - displayWidth(head)
		if pad < 2 {
			pad = 2
		}
		b.WriteString(strings.Repeat(" ", pad))
		amt := l.Amount.String()
		b.WriteString(strings.Repeat(" ", max(0, 16-len(amt))))
		b.WriteString(amt)
		b.WriteByte('\n')
	}
	return b.String()
}

// displayWidth counts CJK characters as two columns.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		if r < 0x80 {
			w++
		} else if utf8.RuneLen(r) > 1 {
			w += 2
		}
	}
	return w
}

// entryBuilder groups amounts by account, keeping first-seen order.
type entryBuilder struct {
	debits, credits []EntryLine
}

func (b *entryBuilder) add(lines *[]EntryLine, side, account string, amt Money) {
	if amt == 0 {
		return
	}
	for i := range *lines {
		if (*lines)[i].Account == account {
			(*lines)[i].Amount += amt
			return
		}
	}
	*lines = append(*lines, EntryLine{Side: side, Account: account, Amount: amt})
}

func (b *entryBuilder) debit(account string, amt Money)  { b.add(&b.debits, "借", account, amt) }
func (b *entryBuilder) credit(account string, amt Money) { b.add(&b.credits, "贷", account, amt) }

func (b *entryBuilder) entry(title, date string, ref Ref) (Entry, bool) {
	if len(b.debits) == 0 && len(b.credits) == 0 {
		return Entry{}, false
	}
	return Entry{Title: title, Date: date, Lines: append(b.debits, b.credits...), Ref: ref}, true
}

// buildEntries writes the journal entries for the measured case.
func buildEntries(c *Case, outcome string, m *Measurement) []Entry {
	var out []Entry
	push := func(e Entry, ok bool) {
		if ok {
			out = append(out, e)
		}
	}
	date := c.AvailableDate

	// Incurring the costs.
	var b entryBuilder
	for _, l := range m.CostLines {
		b.debit(l.Account, l.Amount)
		b.credit(l.Credit, l.Amount)
	}
	title, ref := "发生相关支出", refCAS6Expense
	switch {
	case outcome == OutcomeInventory:
		title, ref = "取得（加工）数据资源存货", refInventoryCost
	case c.rdProject():
		// R&D costs are incurred through the period, not on one day.
		title, ref, date = "本期归集数据资源研发支出", refIntangibleCost, ""
	case outcome == OutcomeIntangible:
		title, ref = "取得数据资源无形资产", refIntangibleCost
		if c.Acquisition == AcqOther {
			ref = refCAS6Contributed
		}
	}
	push(b.entry(title, date, ref))
	date = c.AvailableDate

	// R&D: expensed part to profit or loss; capitalised part on completion.
	if c.rdProject() {
		var exp Money
		for _, l := range m.CostLines {
			if l.Account == acctRDExpensed {
				exp += l.Amount
			}
		}
		var b entryBuilder
		b.debit(acctAdmin, exp)
		b.credit(acctRDExpensed, exp)
		push(b.entry("期末结转费用化研发支出", c.PeriodEnd, refIntangibleCost))
		if outcome == OutcomeIntangible {
			var b entryBuilder
			b.debit(acctIntangible, m.Capitalised)
			b.credit(acctRDCapital, m.Capitalised)
			push(b.entry("研发项目达到预定用途，资本化支出转入无形资产", date, refCAS6Developed))
		}
	}

	// Processed inventory: finished goods out of work in progress.
	if outcome == OutcomeInventory && c.Acquisition == AcqDeveloped {
		var b entryBuilder
		b.debit(acctInventory, m.Capitalised)
		b.credit(acctWIP, m.Capitalised)
		push(b.entry("数据加工完成，结转存货成本", date, refInventoryCost))
	}

	if a := m.Amortisation; a != nil && a.PeriodAmount > 0 {
		acct := acctAdmin
		if has(c.Purposes, PurposeService) {
			acct = acctCostOfSales // 二、3：利用数据资源对客户提供服务，摊销计入当期损益或相关资产成本
		}
		var b entryBuilder
		b.debit(acct, a.PeriodAmount)
		b.credit(acctAmort, a.PeriodAmount)
		r := refCAS6Amortise
		if acct == acctCostOfSales {
			r = refService
		}
		push(b.entry("计提本期摊销（"+c.PeriodStart+" 至 "+c.PeriodEnd+"）", c.PeriodEnd, r))
	}
	if im := m.Impairment; im != nil && im.Loss > 0 {
		var b entryBuilder
		b.debit(acctImpairLoss, im.Loss)
		b.credit(acctIntImpair, im.Loss)
		push(b.entry("计提数据资源无形资产减值准备", c.PeriodEnd, refCAS6Impairment))
	}
	if inv := m.Inventory; inv != nil && inv.WriteDown != 0 {
		var b entryBuilder
		if inv.WriteDown > 0 {
			b.debit(acctImpairLoss, inv.WriteDown)
			b.credit(acctInvAllowance, inv.WriteDown)
			push(b.entry("计提存货跌价准备", c.PeriodEnd, refCAS1NRV))
		} else {
			b.debit(acctInvAllowance, -inv.WriteDown)
			b.credit(acctImpairLoss, -inv.WriteDown)
			push(b.entry("转回存货跌价准备", c.PeriodEnd, refCAS1Reversal))
		}
	}
	return out
}

// EntriesText renders entries one after another with their titles.
func EntriesText(es []Entry) string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("（" + strconv.Itoa(i+1) + "）" + e.Title)
		if e.Date != "" {
			b.WriteString("  " + e.Date)
		}
		b.WriteByte('\n')
		b.WriteString(e.Text())
	}
	return b.String()
}
