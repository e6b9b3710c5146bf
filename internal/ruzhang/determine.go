package ruzhang

// Outcomes of the determination.
const (
	OutcomeIntangible   = "intangible"              // 无形资产
	OutcomeInventory    = "inventory"               // 存货
	OutcomeDevelopment  = "development_expenditure" // 开发支出（研发支出——资本化支出，尚未达到预定用途）
	OutcomeExpense      = "expense"                 // 当期费用（不确认为资产）
	OutcomeUndetermined = "undetermined"            // 尚不能确定
)

var outcomeLabels = map[string]string{
	OutcomeIntangible:   "无形资产",
	OutcomeInventory:    "存货",
	OutcomeDevelopment:  "开发支出",
	OutcomeExpense:      "当期费用",
	OutcomeUndetermined: "尚不能确定",
}

// OutcomeLabel is the Chinese name of an outcome.
func OutcomeLabel(o string) string { return outcomeLabels[o] }

// Reason is one step of the argument, with the provision it rests on.
type Reason struct {
	Text string `json:"text"`
	Ref  Ref    `json:"ref"`
}

// FieldError points at one field of the case. Field is a JSON path such as
// "costs[2].amount" or "intangible.life_months".
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e FieldError) Error() string { return e.Field + ": " + e.Message }

// Determination is the classification of the resource and why.
type Determination struct {
	Outcome string       `json:"outcome"`
	Label   string       `json:"label"`
	Reasons []Reason     `json:"reasons"`
	Missing []FieldError `json:"missing,omitempty"` // when Outcome is undetermined
}

// Determine classifies the resource from the answers given so far. It does
// not validate amounts (see Validate); with answers missing it returns
// OutcomeUndetermined and what is still needed.
func Determine(c Case) Determination {
	d := Determination{}
	if missing := missingForDetermination(&c); len(missing) > 0 {
		d.Outcome, d.Label, d.Missing = OutcomeUndetermined, outcomeLabels[OutcomeUndetermined], missing
		d.Reasons = []Reason{{Text: "尚有影响分类的问题未回答，暂不能确定会计处理。", Ref: refStandards}}
		return d
	}
	d.Reasons = append(d.Reasons, Reason{
		Text: "应当根据数据资源的持有目的、形成方式、业务模式以及经济利益的预期消耗方式等，按企业会计准则进行确认、计量和报告。",
		Ref:  refStandards,
	})
	set := func(o string) Determination {
		d.Outcome, d.Label = o, outcomeLabels[o]
		return d
	}
	if c.heldForSale() {
		d.Reasons = append(d.Reasons, Reason{Text: "数据资源在日常活动中持有、最终目的用于出售，应按存货准则判断是否确认为存货。", Ref: refInventory},
			Reason{Text: "存货是指企业在日常活动中持有以备出售的产成品或商品等。", Ref: refCAS1Definition})
		if !recognised(&c, &d, false) {
			return set(OutcomeExpense)
		}
		d.Reasons = append(d.Reasons, Reason{Text: "符合存货的定义和确认条件，应当确认为存货；按存货准则进行初始计量和后续计量。", Ref: refInventory},
			Reason{Text: "出售时按存货准则将其成本结转为当期损益，同时按收入准则确认收入。", Ref: refInventorySale})
		return set(OutcomeInventory)
	}

	d.Reasons = append(d.Reasons, Reason{Text: "企业使用的数据资源，符合无形资产准则规定的定义和确认条件的，应当确认为无形资产。", Ref: refIntangible})
	if has(c.Purposes, PurposeService) {
		d.Reasons = append(d.Reasons, Reason{Text: "利用确认为无形资产的数据资源对客户提供服务的，摊销金额计入当期损益或相关资产成本，并按收入准则确认收入；未确认为无形资产的，按收入准则确认收入，符合条件的确认合同履约成本。", Ref: refService})
	}
	if !recognised(&c, &d, true) {
		return set(OutcomeExpense)
	}
	if c.Source == SourceFreePublic && capitalisableCost(&c) == 0 {
		d.Reasons = append(d.Reasons, Reason{Text: "原始数据系无偿取得的公共数据，未支付价款，企业也没有发生可直接归属的加工等支出：无形资产按成本计量，成本为零，不确认为资产，也不作银行付款分录；可在备查簿登记并按规定自愿披露。", Ref: refIntangibleCost},
			Reason{Text: "企业合法拥有或控制、预期会带来经济利益但未确认为资产的数据资源，同样适用本规定，可以按规定自愿披露。", Ref: refScope})
		return set(OutcomeExpense)
	}
	if c.Source == SourceFreePublic {
		d.Reasons = append(d.Reasons, Reason{Text: "原始数据系无偿取得的公共数据，没有购买价款、不作银行付款；成本仅包括企业为使其达到预定用途而发生的清洗、整合等直接归属的加工支出。", Ref: refIntangibleCost})
	}
	if !c.rdProject() {
		if c.Acquisition == AcqOther {
			d.Reasons = append(d.Reasons, Reason{Text: "以外购、自行开发以外的方式取得（如投资者投入），按投资合同或协议约定的价值等确定成本（约定价值不公允的除外）。", Ref: refCAS6Contributed})
		}
		d.Reasons = append(d.Reasons, Reason{Text: "确认为无形资产，按无形资产准则及其应用指南进行初始计量、后续计量、处置和报废等会计处理；外购的，成本包括购买价款、相关税费及直接归属于使其达到预定用途的数据脱敏、清洗、标注、整合、分析、可视化等支出和数据权属鉴证、质量评估、登记结算、安全管理等费用。", Ref: refIntangibleCost})
		return set(OutcomeIntangible)
	}

	// Internal research and development project.
	d.Reasons = append(d.Reasons, Reason{Text: "企业内部数据资源研究开发项目的支出，应当区分研究阶段支出与开发阶段支出；研究阶段的支出于发生时计入当期损益。", Ref: refIntangibleCost},
		Reason{Text: "研究阶段支出于发生时计入当期损益。", Ref: refCAS6Research})
	dev := c.Development
	if !allConditions(dev) {
		d.Reasons = append(d.Reasons, Reason{Text: "开发阶段支出未同时满足无形资产准则第九条的五项条件（" + unmetConditions(dev) + "未满足），不能资本化，全部计入当期损益。", Ref: refCAS6Development})
		return set(OutcomeExpense)
	}
	d.Reasons = append(d.Reasons, Reason{Text: "开发阶段支出同时满足无形资产准则第九条的五项条件，满足条件后发生的开发支出予以资本化。", Ref: refCAS6Development})
	if capitalisedDev(&c) == 0 {
		d.Reasons = append(d.Reasons, Reason{Text: "但没有满足资本化条件后发生的开发阶段支出，全部支出计入当期损益。", Ref: refCAS6Developed})
		return set(OutcomeExpense)
	}
	if !*dev.Completed {
		d.Reasons = append(d.Reasons, Reason{Text: "项目尚未达到预定用途，已资本化的开发支出在资产负债表“开发支出”项目下的“其中：数据资源”列示。", Ref: refBalanceSheet})
		return set(OutcomeDevelopment)
	}
	d.Reasons = append(d.Reasons, Reason{Text: "项目已达到预定用途，自满足条件后至达到预定用途前发生的开发支出总额转入无形资产成本。", Ref: refCAS6Developed})
	return set(OutcomeIntangible)
}

// recognised checks the asset definition and the two recognition criteria,
// appending the reasons. intangible adds the identifiability test.
func recognised(c *Case, d *Determination, intangible bool) bool {
	def, rec := refCAS1Definition, refCAS1Recognition
	if intangible {
		def, rec = refCAS6Definition, refCAS6Recognition
	}
	if !*c.Controlled {
		d.Reasons = append(d.Reasons, Reason{Text: "企业并不合法拥有或控制该数据资源，不符合资产定义，相关支出计入当期损益。", Ref: def})
		return false
	}
	if intangible && !*c.Identifiable {
		d.Reasons = append(d.Reasons, Reason{Text: "数据资源不能从企业中分离或划分出来，也不源自合同性或其他法定权利，不满足无形资产定义中的可辨认性标准。", Ref: refCAS6Definition},
			Reason{Text: "不符合确认条件的无形项目支出，应于发生时计入当期损益。", Ref: refCAS6Expense})
		return false
	}
	if !*c.ProbableBenefit || !*c.CostReliable {
		why := "与该数据资源有关的经济利益并非很可能流入企业"
		if *c.ProbableBenefit {
			why = "该数据资源的成本不能可靠地计量"
		}
		d.Reasons = append(d.Reasons, Reason{Text: why + "，不满足资产确认条件，相关支出计入当期损益。", Ref: rec})
		if intangible {
			d.Reasons = append(d.Reasons, Reason{Text: "不符合确认条件的无形项目支出，应于发生时计入当期损益。", Ref: refCAS6Expense})
		}
		d.Reasons = append(d.Reasons, Reason{Text: "企业合法拥有或控制、预期会带来经济利益但未确认为资产的数据资源，同样适用本规定，可以按规定自愿披露。", Ref: refScope})
		return false
	}
	if intangible {
		d.Reasons = append(d.Reasons, Reason{Text: "企业合法拥有或控制该数据资源，且其可辨认，符合无形资产的定义。", Ref: refCAS6Definition},
			Reason{Text: "与该数据资源有关的经济利益很可能流入企业，且成本能够可靠地计量，满足确认条件。", Ref: refCAS6Recognition})
	} else {
		d.Reasons = append(d.Reasons, Reason{Text: "与该数据资源有关的经济利益很可能流入企业，且成本能够可靠地计量，满足存货确认条件。", Ref: refCAS1Recognition})
	}
	return true
}

var conditionNames = []string{"（一）技术可行性", "（二）完成并使用或出售的意图", "（三）产生经济利益的方式", "（四）足够的资源支持", "（五）支出能够可靠计量"}

func (dv *Development) conditions() []*bool {
	return []*bool{dv.TechFeasible, dv.Intention, dv.BenefitWay, dv.Resources, dv.ReliableMeasure}
}

func allConditions(dv *Development) bool {
	for _, b := range dv.conditions() {
		if b == nil || !*b {
			return false
		}
	}
	return true
}

func unmetConditions(dv *Development) string {
	var s string
	for i, b := range dv.conditions() {
		if b != nil && !*b {
			if s != "" {
				s += "、"
			}
			s += conditionNames[i]
		}
	}
	return s
}

// capitalisedDev sums the development-phase costs that may be capitalised.
func capitalisedDev(c *Case) Money {
	var sum Money
	for _, it := range c.Costs {
		if it.Phase == PhaseDevelopment && !it.BeforeConditions && costCategories[it.Category].capitalisable() {
			sum += it.Amount
		}
	}
	return sum
}

// capitalisableCost sums the costs that could enter an intangible's cost.
func capitalisableCost(c *Case) Money {
	var sum Money
	for _, it := range c.Costs {
		if costCategories[it.Category].capitalisable() {
			sum += it.Amount
		}
	}
	return sum
}
