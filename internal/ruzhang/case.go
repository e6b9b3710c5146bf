// Package ruzhang is the 数据资产入表 engine: it walks one data resource
// through recognition under 《企业数据资源相关会计处理暂行规定》, measures it
// (cost build-up, amortisation, net realisable value, journal entries),
// presents and discloses it, and values it under 《数据资产评估指导意见》.
//
// Everything here is pure: a Case in, a Result out. Every rule the engine
// applies names the provision (Ref) it comes from.
//
// A web handler needs four calls: NextQuestions(case) for the next form,
// Evaluate(case) for the result (a *ValidationError lists field errors and
// no result is returned), Resolve(AllRefs(), versions) once at start-up and
// Result.Link to make citations clickable, and Markdown / WriteHTML /
// WriteHTMLFragment for reports. DisclosureTables aggregates the
// Movements of several results into the 暂行规定 tables.
package ruzhang

// How the resource was obtained (形成方式).
const (
	AcqPurchase  = "purchase"  // 外购
	AcqDeveloped = "developed" // 自行加工或研发
	AcqOther     = "other"     // 其他方式（投资者投入、非货币性资产交换等）
)

// What it is held for (持有目的).
const (
	PurposeInternal = "internal_use"  // 企业内部使用
	PurposeSale     = "held_for_sale" // 日常活动中持有、最终目的用于出售
	PurposeService  = "service"       // 利用数据资源对客户提供服务
)

// Amortisation methods.
const (
	MethodStraightLine = "straight_line" // 直线法
	MethodUnits        = "units"         // 产量法（按预期消耗方式）
)

// Cost phases for a development project.
const (
	PhaseResearch    = "research"    // 研究阶段
	PhaseDevelopment = "development" // 开发阶段
)

// Case is the facts about one data resource. Pointer fields are answers
// that may not have been given yet (nil = unanswered), so a half-filled case
// round-trips through JSON unchanged.
type Case struct {
	ID          string `json:"id,omitempty"`
	Name        string `json:"name"`
	Entity      string `json:"entity,omitempty"`
	Description string `json:"description,omitempty"`

	Acquisition string   `json:"acquisition"` // Acq*
	Purposes    []string `json:"purposes"`    // Purpose*; one or two (internal_use + service)

	// Asset definition and recognition.
	Controlled      *bool `json:"controlled"`       // 企业合法拥有或控制
	Identifiable    *bool `json:"identifiable"`     // 可辨认（无形资产定义）
	ProbableBenefit *bool `json:"probable_benefit"` // 相关经济利益很可能流入企业
	CostReliable    *bool `json:"cost_reliable"`    // 成本能够可靠地计量

	// Internal research and development (自行研发且非持有以出售).
	Development *Development `json:"development,omitempty"`

	// Other acquisition: the basis of cost and the credited account.
	OtherBasis string `json:"other_basis,omitempty"` // e.g. 投资合同约定价值
	// PaymentAccount is credited for costs; default 银行存款.
	PaymentAccount string `json:"payment_account,omitempty"`

	Costs []CostItem `json:"costs"`

	// AvailableDate is when the intangible is ready for use (可供使用), or
	// the inventory is acquired / completed. YYYY-MM-DD.
	AvailableDate string `json:"available_date,omitempty"`

	Intangible *IntangibleInputs `json:"intangible,omitempty"`
	Inventory  *InventoryInputs  `json:"inventory,omitempty"`

	// Reporting period (本期). YYYY-MM-DD.
	PeriodStart string `json:"period_start,omitempty"`
	PeriodEnd   string `json:"period_end,omitempty"`
	// Schedule granularity: "month" or "year" (default year).
	Schedule string `json:"schedule,omitempty"`

	Valuation *ValuationInputs `json:"valuation,omitempty"`

	// Ledger facts (ledger.go): who keeps the books, where the data came
	// from, the evidence of rights, and the periods and events after
	// initial recognition. A case without Periods is a single-period case.
	OrgType  string           `json:"org_type,omitempty"` // OrgEnterprise (default) | OrgGovernment
	GovUnit  string           `json:"gov_unit,omitempty"` // administrative (行政单位) | institution (事业单位)
	Source   string           `json:"source,omitempty"`   // "" | SourceFreePublic
	Rights   *Rights          `json:"rights,omitempty"`   // 权属证明与权利限制
	Contract *ServiceContract `json:"contract,omitempty"` // 数据服务合同（不形成数据资源资产）
	Periods  []Period         `json:"periods,omitempty"`  // 会计期间，逐期结转
	Events   []Event          `json:"events,omitempty"`   // 后续事项
}

// Development answers for an internal 研究开发 project. The five conditions
// are those of 无形资产准则 第九条, which 暂行规定 二、2 refers to.
type Development struct {
	TechFeasible    *bool  `json:"tech_feasible"`              // （一）技术上具有可行性
	Intention       *bool  `json:"intention"`                  // （二）具有完成并使用或出售的意图
	BenefitWay      *bool  `json:"benefit_way"`                // （三）能证明产生经济利益的方式
	Resources       *bool  `json:"resources"`                  // （四）有足够的技术、财务和其他资源
	ReliableMeasure *bool  `json:"reliable_measure"`           // （五）开发阶段支出能够可靠计量
	Completed       *bool  `json:"completed"`                  // 已达到预定用途
	CapitalisedFrom string `json:"capitalised_from,omitempty"` // 满足条件之日 (informative)
}

// CostItem is one expenditure on the resource.
type CostItem struct {
	Category    string `json:"category"` // see costCategories
	Description string `json:"description,omitempty"`
	Amount      Money  `json:"amount"`
	// Phase is research or development for an internal R&D project.
	Phase string `json:"phase,omitempty"`
	// BeforeConditions marks development spending incurred before all five
	// conditions were met; it stays expensed (无形资产准则 第十三条).
	BeforeConditions bool `json:"before_conditions,omitempty"`
	// Date the cost was incurred (YYYY-MM-DD); in a multi-period case it
	// puts the cost in its period. Default: the available date.
	Date string `json:"date,omitempty"`
	// Source is the document the amount comes from (发票号、合同编号、工时
	// 分配表…): a capitalised cost without one draws a check.
	Source string `json:"source,omitempty"`
	// Credit overrides the credited account (e.g. 应付账款 for an unpaid
	// invoice); default by category, else the case's payment account.
	Credit string `json:"credit,omitempty"`
}

// IntangibleInputs are the subsequent-measurement answers for 无形资产.
type IntangibleInputs struct {
	IndefiniteLife *bool  `json:"indefinite_life"`
	LifeMonths     *int   `json:"life_months"`
	Method         string `json:"method,omitempty"` // straight_line (default) | units
	Residual       *Money `json:"residual"`
	// ExpectedUnits: for the units method, expected consumption per
	// amortisation year (year 1 starts at AvailableDate).
	ExpectedUnits []float64 `json:"expected_units,omitempty"`
	LifeBasis     string    `json:"life_basis,omitempty"` // 使用寿命估计依据
	// RecoverableAmount at period end, if an impairment test was done.
	RecoverableAmount *Money `json:"recoverable_amount,omitempty"`
}

// InventoryInputs are the net realisable value answers for 存货
// (存货准则 第十五条: 估计售价 − 至完工估计成本 − 估计销售费用 − 相关税费).
type InventoryInputs struct {
	EstimatedPrice *Money `json:"estimated_price"`
	CostToComplete *Money `json:"cost_to_complete"`
	SellingCosts   *Money `json:"selling_costs"`
	SellingTaxes   *Money `json:"selling_taxes"`
	PriorAllowance Money  `json:"prior_allowance,omitempty"`  // 期初存货跌价准备
	CostFlowMethod string `json:"cost_flow_method,omitempty"` // 个别计价法 etc.
	NRVBasis       string `json:"nrv_basis,omitempty"`
}

func boolp(b bool) *bool { return &b }

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// heldForSale reports whether the resource is inventory-path.
func (c *Case) heldForSale() bool { return has(c.Purposes, PurposeSale) }

// rdProject reports whether the case is an internal R&D project under
// 暂行规定 二、2 (自行研发 and not held for sale).
func (c *Case) rdProject() bool {
	return c.Acquisition == AcqDeveloped && len(c.Purposes) > 0 && !c.heldForSale()
}

func (c *Case) paymentAccount() string {
	if c.PaymentAccount != "" {
		return c.PaymentAccount
	}
	if c.OrgType == OrgGovernment {
		return "零余额账户用款额度" // 国库集中支付（授权支付）
	}
	return "银行存款"
}
