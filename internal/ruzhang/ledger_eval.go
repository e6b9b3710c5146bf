package ruzhang

import "fmt"

// evaluateLedger runs a multi-period case: the single-period engine for
// the classification and the cost build-up (in the period the resource
// becomes available), then the roll-forward over every period.
func evaluateLedger(c Case) (*Result, error) {
	v := &validator{}
	validatePeriods(v, c.Periods)
	validateOrg(v, &c)
	if len(v.errs) > 0 {
		return nil, &ValidationError{Errors: v.errs}
	}
	// validateEvents normalises the events (amount → proceeds) on a copy.
	c.Events = append([]Event(nil), c.Events...)
	validateEvents(v, &c)
	base := c
	bp := 0
	if c.AvailableDate != "" {
		if a, err := parseDate(c.AvailableDate); err == nil {
			for i, p := range c.Periods {
				if e, err := parseDate(p.End); err == nil && !a.After(e) {
					if s, err := parseDate(p.Start); err == nil && !a.Before(s) {
						bp = i
					}
					break
				}
			}
		}
	}
	if (c.PeriodStart != "" || c.PeriodEnd != "") && !periodListed(c) {
		v.add("period_start", "多期间案例请在 periods 中列出各会计期间；period_start/period_end 如填写，须与其中一个期间一致")
	}
	base.PeriodStart, base.PeriodEnd = c.Periods[bp].Start, c.Periods[bp].End
	if len(v.errs) > 0 {
		return nil, &ValidationError{Errors: v.errs}
	}
	r, err := evaluateSingle(base)
	if err != nil {
		return nil, err
	}
	r.Case = c
	if !r.Complete {
		return r, nil
	}
	r.Periods = rollForward(&base, r.Determination.Outcome, r.Measurement)
	r.Checks = append(r.Checks, periodEndChecks(&c, bp, r.Periods)...)
	if c.OrgType == OrgGovernment {
		// The enterprise entries of the single-period engine do not apply:
		// show the ledger's 政府会计 entries of the acquisition period.
		r.Measurement.Entries = r.Periods[bp].journal
		r.Disclosure = nil
		r.Notes = r.Periods[bp].Disclosures
		r.Determination.Reasons = append(r.Determination.Reasons, govReasons()...)
	}
	r.Citations = citations(r)
	return r, nil
}

func periodListed(c Case) bool {
	for _, p := range c.Periods {
		if (c.PeriodStart == "" || c.PeriodStart == p.Start) && (c.PeriodEnd == "" || c.PeriodEnd == p.End) {
			return true
		}
	}
	return false
}

func validateOrg(v *validator, c *Case) {
	switch c.OrgType {
	case "", OrgEnterprise:
		if c.GovUnit != "" {
			v.add("gov_unit", "只有行政事业单位（org_type=government）才填写单位类型")
		}
	case OrgGovernment:
		if c.GovUnit != "" && c.GovUnit != GovAdministrative && c.GovUnit != GovInstitution {
			v.add("gov_unit", "单位类型应为 administrative（行政单位）或 institution（事业单位）")
		}
		if has(c.Purposes, PurposeSale) {
			v.add("purposes", "行政事业单位的数据资产不以出售为目的持有（不确认为存货）；对外授权有偿使用按资产管理权限审批")
		}
	default:
		v.add("org_type", "组织类型应为 enterprise（企业，执行企业会计准则）或 government（行政事业单位，执行政府会计准则制度）")
	}
	if c.Source != "" && c.Source != SourceFreePublic {
		v.add("source", "数据来源应为空或 free_public（无偿取得的公共数据）")
	}
}

func govReasons() []Reason {
	return []Reason{
		{Text: "本单位为行政事业单位：数据资产是在依法履职或提供公共服务过程中持有或控制的、预期能够产生管理服务潜力或带来经济利益流入的数据资源，执行政府会计准则制度，财务会计与预算会计平行记账，不使用企业利润表科目。", Ref: refGovDefinition},
		{Text: "应加强数据资产登记，在预算管理一体化系统中建立并完善资产信息卡；暂不具备确认登记条件的可先纳入资产备查簿。", Ref: refGovRegistration},
		{Text: "不得利用数据资产进行担保；处置收入按照政府非税收入和国库集中收缴制度的有关规定管理。", Ref: refGovUse},
	}
}

// OutcomeContract is the outcome of a data service contract.
const OutcomeContract = "service_contract"

func init() {
	outcomeLabels[OutcomeContract] = "数据服务合同（不确认为数据资源资产）"
}

// evaluateContract runs a data service contract through the ledger.
func evaluateContract(c Case) (*Result, error) {
	v := &validator{}
	k := c.Contract
	if k.Role != ContractCustomer && k.Role != ContractProvider {
		v.add("contract.role", "合同角色应为 customer（购买数据服务）或 provider（提供数据服务）")
	}
	s, ok1 := v.date("contract.start", k.Start)
	e, ok2 := v.date("contract.end", k.End)
	if k.Start == "" || k.End == "" {
		v.add("contract", "请填写服务期起止日期")
	}
	if ok1 && ok2 && e.Before(s) {
		v.add("contract.end", "服务期截止日期早于起始日期")
	}
	if k.PaidDate != "" {
		v.date("contract.paid_date", k.PaidDate)
	}
	v.money("contract.amount", k.Amount, true)
	if len(c.Costs) > 0 || c.Development != nil || c.Intangible != nil || c.Inventory != nil {
		v.add("contract", "数据服务合同不形成数据资源资产，不应填写支出明细、研发、无形资产或存货信息：这些支出不是研究开发支出")
	}
	if len(c.Periods) == 0 && c.PeriodStart != "" && c.PeriodEnd != "" {
		c.Periods = []Period{{Start: c.PeriodStart, End: c.PeriodEnd}}
	}
	if len(c.Periods) == 0 {
		v.add("periods", "请填写会计期间")
	}
	validatePeriods(v, c.Periods)
	validateOrg(v, &c)
	for i := range c.Events {
		v.add(fmt.Sprintf("events[%d]", i), "数据服务合同没有可减值、变更寿命或处置的数据资源资产")
	}
	if len(v.errs) > 0 {
		return nil, &ValidationError{Errors: v.errs}
	}
	paid := k.PaidDate
	if paid == "" {
		paid = k.Start
	}
	if pt := mustDate(paid); pt.Before(mustDate(c.Periods[0].Start)) || pt.After(mustDate(c.Periods[len(c.Periods)-1].End)) {
		return nil, &ValidationError{Errors: []FieldError{{Field: "contract.paid_date", Message: "付款（成本发生）日期应在所列会计期间内"}}}
	}
	d := Determination{Outcome: OutcomeContract, Label: outcomeLabels[OutcomeContract]}
	if k.Role == ContractCustomer {
		d.Reasons = []Reason{
			{Text: "通过数据服务合同取得的是在服务期内使用数据服务的权利，企业不控制相关数据资源，不符合无形资产定义；支出也不属于企业内部数据资源研究开发项目的支出。", Ref: refCAS6Definition},
			{Text: "外购数据服务的支出，不符合无形资产定义和确认条件的，应当根据用途计入当期损益；预付的订阅费先作为预付账款，在服务期内按月分摊计入费用。", Ref: refIntangibleCost},
		}
	} else {
		d.Reasons = []Reason{
			{Text: "利用未确认为无形资产的数据资源对客户提供服务的，按收入准则确认收入，符合有关条件的履约成本确认为合同履约成本，在确认收入时结转营业成本；不作为研究开发支出。", Ref: refService},
		}
	}
	r := &Result{Case: c, Complete: true, Determination: d}
	cc := c
	cc.PeriodStart, cc.PeriodEnd = c.Periods[0].Start, c.Periods[0].End
	r.Periods = rollForward(&cc, OutcomeContract, &Measurement{})
	r.Checks = []Check{}
	if k.Source == "" {
		r.Checks = append(r.Checks, newCheck(CheckWarning, "cost_without_source", "contract.source", "合同金额未注明来源（合同编号、发票号）", refCAS6Recognition))
	}
	r.Citations = citations(r)
	return r, nil
}

// periodEndChecks warns about balance-sheet dates without the test the
// standards require there: the net realisable value of inventory held
// (存货准则 第十九条) and the impairment test of an intangible with an
// indefinite useful life (无形资产准则 第二十条, 第二十一条). The period the
// resource became available in is covered by the case's own inputs.
func periodEndChecks(c *Case, availP int, ps []PeriodResult) []Check {
	var out []Check
	indefinite := c.Intangible != nil && c.Intangible.IndefiniteLife != nil && *c.Intangible.IndefiniteLife
	for i, p := range ps {
		if i == availP {
			continue
		}
		tested := false
		for _, e := range c.Events {
			if e.Type == EvImpairment && e.Date >= p.Start && e.Date <= p.End {
				tested = true
			}
		}
		if tested {
			continue
		}
		switch {
		case p.Closing.InventoryCost > 0:
			out = append(out, newCheck(CheckWarning, "nrv_not_tested", fmt.Sprintf("periods[%d]", i),
				"资产负债表日 "+p.End+" 仍持有数据资源存货，但本期没有可变现净值测试（请添加 impairment 事项，recoverable_amount 填可变现净值）", refCAS1Reversal))
		case indefinite && p.Closing.Cost > 0:
			out = append(out, newCheck(CheckWarning, "indefinite_not_tested", fmt.Sprintf("periods[%d]", i),
				"使用寿命不确定的数据资源无形资产不摊销，每个会计期间应复核其使用寿命并进行减值测试；"+p.End+" 没有减值测试事项", refCAS6Review))
		}
	}
	return out
}
