package ruzhang

import (
	"fmt"
	"time"
)

// Data service contracts. A subscription to a data service (API access,
// data feeds the enterprise does not control) is not a data resource of
// the enterprise: the prepayment is 预付账款 and is expensed evenly over the
// service months. Costs of fulfilling a service contract with a customer
// are 合同履约成本 (暂行规定 二、3 second paragraph), carried to 营业成本 as
// the service is provided. Neither is research and development.

// contractMonths returns the first month and the number of service months
// (calendar months touched by the service period).
func contractMonths(k *ServiceContract) (int, int) {
	s, e := monthIndex(mustDate(k.Start)), monthIndex(mustDate(k.End))
	return s, e - s + 1
}

func (b *book) initContract() {
	k := b.c.Contract
	m0, n := contractMonths(k)
	b.contractMonth0 = m0
	b.contractSched = make([]Money, n)
	spread(b.contractSched, k.Amount)
	paid := k.PaidDate
	if paid == "" {
		paid = k.Start
	}
	t := mustDate(paid)
	p := b.periodOf(t)
	credit := k.Credit
	if credit == "" {
		credit = b.c.paymentAccount()
	}
	if k.Role == ContractProvider {
		b.contractCost += k.Amount
		b.post(p, entryOf("归集数据服务合同履约成本", paid, refService, dr(acctContractCost, k.Amount), cr(credit, k.Amount)))
	} else {
		b.prepaid += k.Amount
		b.post(p, entryOf("预付数据服务费（订阅）", paid, refService, dr(acctPrepaid, k.Amount), cr(credit, k.Amount)))
	}
	if p >= 0 && p < len(b.periods) {
		b.periods[p].Additions += k.Amount
	}
}

// contractMonth expenses one service month.
func (b *book) contractMonth(mo, p int) {
	k := b.c.Contract
	if k == nil {
		return
	}
	i := mo - b.contractMonth0
	if i < 0 || i >= len(b.contractSched) {
		return
	}
	amt := b.contractSched[i]
	if p >= 0 && p < len(b.periods) {
		b.periods[p].Amortization += amt
	}
	if k.Role == ContractProvider {
		b.contractCost -= amt
	} else {
		b.prepaid -= amt
	}
	// One entry per period: post when the period ends or the service ends.
	last := i == len(b.contractSched)-1
	endOfPeriod := p >= 0 && p < len(b.periods) && mo == monthIndex(b.ends[p])
	if !last && !endOfPeriod {
		return
	}
	var sum Money
	from := mo
	for j := i; j >= 0; j-- {
		m := b.contractMonth0 + j
		if b.periodOfMonth(m) != p {
			break
		}
		sum += b.contractSched[j]
		from = m
	}
	end := time.Date(mo/12, time.Month(mo%12+1), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, -1).Format(time.DateOnly)
	span := fmt.Sprintf("（%s 至 %s）", monthLabel(from), monthLabel(mo))
	if k.Role == ContractProvider {
		b.post(p, entryOf("结转数据服务合同履约成本"+span, end, refService, dr(acctCostOfSales, sum), cr(acctContractCost, sum)))
	} else {
		b.post(p, entryOf("数据服务费用分摊"+span, end, refService, dr(acctAdmin, sum), cr(acctPrepaid, sum)))
	}
}
