package ruzhang

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// Organisation types: the books the organisation keeps.
const (
	OrgEnterprise = "enterprise" // 企业会计准则
	OrgGovernment = "government" // 行政事业单位，政府会计准则制度
)

// Government unit kinds (budget accounting expense account).
const (
	GovAdministrative = "administrative" // 行政单位 → 行政支出
	GovInstitution    = "institution"    // 事业单位 → 事业支出
)

// SourceFreePublic marks data obtained free of charge from a public data
// platform (公共数据开放、政府无偿提供): there is no purchase price and no
// payment to book.
const SourceFreePublic = "free_public"

// Event types after initial recognition.
const (
	EvImpairment = "impairment"         // 减值测试（存货：可变现净值）
	EvLifeChange = "useful_life_change" // 使用寿命（摊销方法）变更，未来适用
	EvSale       = "sale"               // 出售
	EvDisposal   = "disposal"           // 报废、失效且终止确认
	EvPledge     = "pledge"             // 质押（用于担保）
	EvRelease    = "release"            // 解除质押或权利限制
	EvRestrict   = "restriction"        // 所有权或使用权受到限制
	EvTransfer   = "transfer"           // 持有目的改变，转换分类（无形资产 → 存货）
)

var eventLabels = map[string]string{
	EvImpairment: "减值测试", EvLifeChange: "使用寿命变更", EvSale: "出售", EvDisposal: "处置（报废、终止确认）",
	EvPledge: "质押", EvRelease: "解除质押或限制", EvRestrict: "权利受限", EvTransfer: "转换分类",
}

// Period is one accounting period of a multi-period case.
type Period struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// Event is one thing that happened to the resource after recognition.
type Event struct {
	Date string `json:"date"`
	Type string `json:"type"`
	// impairment: the recoverable amount (无形资产) or the net realisable
	// value of what is held (存货) at Date.
	RecoverableAmount *Money `json:"recoverable_amount,omitempty"`
	// useful_life_change: the remaining useful life from the change
	// (years, may be fractional: 2.5 = 30 months; or months).
	RemainingYears  *float64 `json:"remaining_years,omitempty"`
	RemainingMonths *int     `json:"remaining_months,omitempty"`
	Method          string   `json:"method,omitempty"`   // new amortisation method (only straight_line is computed)
	Residual        *Money   `json:"residual,omitempty"` // new residual value (无形资产准则 第十八条), with or without a new life
	// sale / disposal: proceeds received (价款) and, for inventory, the
	// share of the carrying amount that leaves (default 1 = all).
	Proceeds   *Money   `json:"proceeds,omitempty"`
	Amount     *Money   `json:"amount,omitempty"` // same as proceeds (sale price)
	Proportion *float64 `json:"proportion,omitempty"`
	// pledge / restriction: the counterparty or the restriction.
	Pledgee string `json:"pledgee,omitempty"`
	// Description is free text for the working papers (董事会决议、评估报告编号…).
	Description string `json:"description,omitempty"`
	// transfer: the new classification ("inventory").
	To     string `json:"to,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// Rights is the evidence of control and what limits it.
type Rights struct {
	// Evidence lists documents proving control: 数据资产登记证书、授权协议、
	// 采购合同、数据来源合规审查意见…
	Evidence []string `json:"evidence,omitempty"`
	// RightType: 数据资源持有权 / 数据加工使用权 / 数据产品经营权.
	RightType string `json:"right_type,omitempty"`
	// LicenseEnd is when the licence or authorisation ends (YYYY-MM-DD).
	LicenseEnd string `json:"license_end,omitempty"`
	// RenewalExpected: renewal is expected at no significant cost; a useful
	// life beyond the licence is then a warning, not an error.
	RenewalExpected bool   `json:"renewal_expected,omitempty"`
	Restricted      bool   `json:"restricted,omitempty"`
	Restriction     string `json:"restriction,omitempty"`
}

// Contract roles.
const (
	ContractCustomer = "customer" // 购买数据服务（订阅），预付账款按服务期费用化
	ContractProvider = "provider" // 提供数据服务，履约成本确认为合同履约成本
)

// ServiceContract is a data service contract: data used through a service
// the enterprise does not control (customer), or costs of fulfilling a
// service contract (provider). Neither is a data resource asset, and
// neither is research and development.
type ServiceContract struct {
	Role         string `json:"role"`
	Counterparty string `json:"counterparty,omitempty"`
	Start        string `json:"start"` // service period
	End          string `json:"end"`
	Amount       Money  `json:"amount"` // contract price (customer) or fulfilment costs (provider)
	PaidDate     string `json:"paid_date,omitempty"`
	Source       string `json:"source,omitempty"` // 合同编号、发票号
	Credit       string `json:"credit,omitempty"` // credited account, default 银行存款
}

// firstOfMonth reports whether t is the first day of its month.
func firstOfMonth(t time.Time) bool { return t.Day() == 1 }

// effectiveMonth is the first month whose amortisation an event affects:
// the month of D when D is its first day, else the next month. Every month
// that begins before D is amortised before the event is applied.
func effectiveMonth(d time.Time) int {
	m := monthIndex(d)
	if !firstOfMonth(d) {
		m++
	}
	return m
}

// remainingMonths converts an event's remaining life to months.
func (e *Event) remainingMonths() int {
	if e.RemainingMonths != nil {
		return *e.RemainingMonths
	}
	if e.RemainingYears != nil {
		return int(math.Round(*e.RemainingYears * 12))
	}
	return 0
}

// validatePeriods checks the periods: whole months, in order, contiguous
// (each period opens where the last one closed), at most maxPeriods.
func validatePeriods(v *validator, ps []Period) {
	if len(ps) > maxPeriods {
		v.add("periods", "会计期间最多 %d 个", maxPeriods)
		return
	}
	var prevEnd time.Time
	for i, p := range ps {
		f := fmt.Sprintf("periods[%d]", i)
		s, ok1 := v.date(f+".start", p.Start)
		e, ok2 := v.date(f+".end", p.End)
		if p.Start == "" || p.End == "" {
			v.add(f, "会计期间须填写起止日期 start 与 end")
			continue
		}
		if !ok1 || !ok2 {
			continue
		}
		switch {
		case e.Before(s):
			v.add(f+".end", "期间截止日期早于起始日期")
		case s.Day() != 1 || e.AddDate(0, 0, 1).Day() != 1:
			v.add(f, "会计期间应以整月划分：起始日为月初 1 日，截止日为月末")
		case e.After(s.AddDate(1, 0, -1)):
			v.add(f+".end", "一个会计期间不应超过一年")
		}
		if i > 0 && !prevEnd.IsZero() && !s.Equal(prevEnd.AddDate(0, 0, 1)) {
			v.add(f+".start", "期间应首尾相接：本期起始日应为上期截止日（%s）的次日，期初余额即上期期末余额", prevEnd.Format(time.DateOnly))
		}
		prevEnd = e
	}
}

// validateEvents checks each event's type, date and amounts.
func validateEvents(v *validator, c *Case) {
	if len(c.Events) > 200 {
		v.add("events", "事项最多 200 个")
		return
	}
	var first, last time.Time
	if len(c.Periods) > 0 {
		first, _ = parseDate(c.Periods[0].Start)
		last, _ = parseDate(c.Periods[len(c.Periods)-1].End)
	}
	for i, e := range c.Events {
		f := fmt.Sprintf("events[%d]", i)
		if _, ok := eventLabels[e.Type]; !ok {
			v.add(f+".type", "事项类型无效：应为 impairment、useful_life_change、sale、disposal、pledge、release、restriction 或 transfer")
			continue
		}
		d, ok := v.date(f+".date", e.Date)
		if e.Date == "" {
			v.add(f+".date", "请填写事项日期")
		}
		if ok && !first.IsZero() && (d.Before(first) || d.After(last)) {
			v.add(f+".date", "事项日期 %s 不在所列会计期间内", e.Date)
		}
		if ok && c.AvailableDate != "" {
			if a, err := parseDate(c.AvailableDate); err == nil && d.Before(a) {
				v.add(f+".date", "事项日期 %s 早于可供使用（取得）日期 %s", e.Date, c.AvailableDate)
			}
		}
		switch e.Type {
		case EvImpairment:
			if e.RecoverableAmount == nil {
				v.add(f+".recoverable_amount", "减值测试须填写可收回金额（存货为可变现净值）")
			} else {
				v.money(f+".recoverable_amount", *e.RecoverableAmount, false)
			}
		case EvLifeChange:
			switch {
			case e.RemainingYears == nil && e.RemainingMonths == nil && e.Residual == nil:
				v.add(f+".remaining_years", "使用寿命变更须填写变更后的剩余使用寿命（remaining_years 或 remaining_months）或新的残值（residual）")
			case e.RemainingYears == nil && e.RemainingMonths == nil:
				v.money(f+".residual", *e.Residual, false)
			case e.RemainingYears != nil && (math.IsNaN(*e.RemainingYears) || *e.RemainingYears <= 0 || *e.RemainingYears > 50):
				v.add(f+".remaining_years", "剩余使用寿命应大于 0 且不超过 50 年")
			case e.RemainingMonths != nil && (*e.RemainingMonths <= 0 || *e.RemainingMonths > maxLifeMonths):
				v.add(f+".remaining_months", "剩余使用寿命应为 1 至 %d 个月", maxLifeMonths)
			case e.remainingMonths() <= 0:
				v.add(f+".remaining_years", "剩余使用寿命不足半个月，请改为处置或按月填写")
			}
			if e.Method != "" && e.Method != MethodStraightLine {
				v.add(f+".method", "变更后的摊销方法目前只支持 straight_line（直线法）；产量法请在案例中填写预期消耗量")
			}
		case EvTransfer:
			if e.To != OutcomeInventory {
				v.add(f+".to", "转换分类目前支持 to = inventory（无形资产因持有目的改变为日常活动中持有以出售而转为存货）")
			}
			if c.OrgType == OrgGovernment {
				v.add(f+".type", "行政事业单位的数据资产不转为存货（不以出售为目的持有）")
			}
		case EvSale, EvDisposal:
			if e.Proceeds != nil && e.Amount != nil && *e.Proceeds != *e.Amount {
				v.add(f+".amount", "amount 与 proceeds 都是出售价款，二者不一致")
			}
			if e.Proceeds == nil {
				c.Events[i].Proceeds = e.Amount
				e.Proceeds = e.Amount
			}
			if e.Proceeds != nil {
				v.money(f+".proceeds", *e.Proceeds, false)
			}
			if p := e.Proportion; p != nil && (math.IsNaN(*p) || *p <= 0 || *p > 1) {
				v.add(f+".proportion", "出售比例应大于 0 且不超过 1")
			}
		}
	}
}

// sortedEvents returns the events in date order (stable for equal dates),
// with their input index.
func sortedEvents(es []Event) []int {
	idx := make([]int, len(es))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return es[idx[a]].Date < es[idx[b]].Date })
	return idx
}
