package ruzhang

// Question kinds.
const (
	KindChoice = "choice" // one of Options
	KindMulti  = "multi"  // one or more of Options
	KindBool   = "bool"
	KindNumber = "number"
	KindMoney  = "money" // yuan, two decimals
	KindDate   = "date"  // YYYY-MM-DD
	KindText   = "text"
	KindCosts  = "costs" // the cost table (list of CostItem)
	KindList   = "list"  // a list of numbers
)

// Option is one answer of a choice question.
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// Question is one question of the guided workflow. Field is the JSON path
// of the case field the answer goes to.
type Question struct {
	ID      string   `json:"id"`
	Field   string   `json:"field"`
	Prompt  string   `json:"prompt"`
	Kind    string   `json:"kind"`
	Options []Option `json:"options,omitempty"`
	Help    string   `json:"help,omitempty"`
	Ref     Ref      `json:"ref"`
}

// question pairs a Question with when it applies and whether it is answered.
type question struct {
	Question
	relevant func(c *Case, d Determination) bool
	answered func(c *Case) bool
}

func always(*Case, Determination) bool { return true }

func notSale(c *Case, _ Determination) bool { return len(c.Purposes) > 0 && !c.heldForSale() }

func outcomeIn(os ...string) func(*Case, Determination) bool {
	return func(_ *Case, d Determination) bool { return has(os, d.Outcome) }
}

func devAsked(c *Case) bool { return c.Development != nil }

// devRelevant: the five conditions are asked for an internal R&D project
// that passed recognition, one at a time until one fails.
func devRelevant(i int) func(*Case, Determination) bool {
	return func(c *Case, _ Determination) bool {
		if !c.rdProject() || !recognitionAnsweredTrue(c) {
			return false
		}
		if !devAsked(c) {
			return true
		}
		for _, b := range c.Development.conditions()[:i] {
			if b != nil && !*b {
				return false
			}
		}
		return true
	}
}

func recognitionAnsweredTrue(c *Case) bool {
	t := func(b *bool) bool { return b != nil && *b }
	ok := t(c.Controlled) && t(c.ProbableBenefit) && t(c.CostReliable)
	if !c.heldForSale() {
		ok = ok && t(c.Identifiable)
	}
	return ok
}

func devCond(i int) func(*Case) bool {
	return func(c *Case) bool { return devAsked(c) && c.Development.conditions()[i] != nil }
}

func intangibleSet(c *Case) bool { return c.Intangible != nil }
func finiteLife(c *Case, d Determination) bool {
	return d.Outcome == OutcomeIntangible && intangibleSet(c) && c.Intangible.IndefiniteLife != nil && !*c.Intangible.IndefiniteLife
}

var questions = []question{
	{Question{ID: "name", Field: "name", Prompt: "数据资源的名称是什么？", Kind: KindText,
		Help: "例如：某区域消费者画像数据集、工业设备运行数据产品。", Ref: refScope},
		always, func(c *Case) bool { return c.Name != "" }},
	{Question{ID: "acquisition", Field: "acquisition", Prompt: "该数据资源是如何取得的？", Kind: KindChoice,
		Options: []Option{{AcqPurchase, "外购"}, {AcqDeveloped, "自行加工或研发"}, {AcqOther, "其他方式（如投资者投入）"}},
		Help:    "形成方式影响成本构成：外购看购买价款及直接归属支出；自行研发需区分研究阶段与开发阶段。", Ref: refStandards},
		always, func(c *Case) bool { return c.Acquisition != "" }},
	{Question{ID: "purposes", Field: "purposes", Prompt: "企业持有该数据资源的目的是什么？", Kind: KindMulti,
		Options: []Option{{PurposeInternal, "企业内部使用"}, {PurposeSale, "日常活动中持有、最终目的用于出售"}, {PurposeService, "利用数据资源对客户提供服务"}},
		Help:    "内部使用或提供服务的，按无形资产准则判断；日常活动中持有以出售的，按存货准则判断。“持有以出售”不能与其他目的同时选择。", Ref: refIntangible},
		always, func(c *Case) bool { return len(c.Purposes) > 0 }},
	{Question{ID: "controlled", Field: "controlled", Prompt: "企业是否合法拥有或控制该数据资源？", Kind: KindBool,
		Help: "例如：持有合法授权、数据资源持有权或加工使用权，能够排他地决定其使用并获取收益。", Ref: refCAS6Definition},
		always, func(c *Case) bool { return c.Controlled != nil }},
	{Question{ID: "identifiable", Field: "identifiable", Prompt: "该数据资源是否可辨认（能够单独出售、转移、授予许可，或源自合同性或其他法定权利）？", Kind: KindBool,
		Help: "无形资产定义中的可辨认性标准。", Ref: refCAS6Definition},
		func(c *Case, _ Determination) bool {
			return notSale(c, Determination{}) && (c.Controlled == nil || *c.Controlled)
		},
		func(c *Case) bool { return c.Identifiable != nil }},
	{Question{ID: "probable_benefit", Field: "probable_benefit", Prompt: "与该数据资源有关的经济利益是否很可能流入企业？", Kind: KindBool,
		Help: "应对预计使用寿命内的各种经济因素作出合理估计，并有明确证据支持。", Ref: refCAS6Recognition},
		func(c *Case, _ Determination) bool {
			return (c.Controlled == nil || *c.Controlled) && (c.heldForSale() || c.Identifiable == nil || *c.Identifiable)
		},
		func(c *Case) bool { return c.ProbableBenefit != nil }},
	{Question{ID: "cost_reliable", Field: "cost_reliable", Prompt: "该数据资源的成本是否能够可靠地计量？", Kind: KindBool,
		Help: "例如：有合同、发票、工时记录等可将支出归集到该数据资源。", Ref: refCAS6Recognition},
		func(c *Case, _ Determination) bool {
			return (c.Controlled == nil || *c.Controlled) && (c.heldForSale() || c.Identifiable == nil || *c.Identifiable) &&
				(c.ProbableBenefit == nil || *c.ProbableBenefit)
		},
		func(c *Case) bool { return c.CostReliable != nil }},
	{Question{ID: "dev_tech_feasible", Field: "development.tech_feasible", Prompt: "开发阶段：完成该数据资源以使其能够使用或出售在技术上是否具有可行性？", Kind: KindBool, Ref: refCAS6Development},
		devRelevant(0), devCond(0)},
	{Question{ID: "dev_intention", Field: "development.intention", Prompt: "开发阶段：企业是否具有完成该数据资源并使用或出售的意图？", Kind: KindBool, Ref: refCAS6Development},
		devRelevant(1), devCond(1)},
	{Question{ID: "dev_benefit_way", Field: "development.benefit_way", Prompt: "开发阶段：能否证明其产生经济利益的方式（产品存在市场或其自身存在市场；内部使用的，能证明其有用性）？", Kind: KindBool, Ref: refCAS6Development},
		devRelevant(2), devCond(2)},
	{Question{ID: "dev_resources", Field: "development.resources", Prompt: "开发阶段：是否有足够的技术、财务资源和其他资源支持完成开发，并有能力使用或出售？", Kind: KindBool, Ref: refCAS6Development},
		devRelevant(3), devCond(3)},
	{Question{ID: "dev_reliable_measure", Field: "development.reliable_measure", Prompt: "开发阶段：归属于该数据资源开发阶段的支出能否可靠地计量？", Kind: KindBool, Ref: refCAS6Development},
		devRelevant(4), devCond(4)},
	{Question{ID: "dev_completed", Field: "development.completed", Prompt: "研发项目是否已达到预定用途？", Kind: KindBool,
		Help: "已达到预定用途的，资本化支出转入无形资产；尚未达到的，在“开发支出”项目列示。", Ref: refBalanceSheet},
		func(c *Case, _ Determination) bool {
			return c.rdProject() && recognitionAnsweredTrue(c) && devAsked(c) && allConditions(c.Development)
		},
		func(c *Case) bool { return devAsked(c) && c.Development.Completed != nil }},
	{Question{ID: "costs", Field: "costs", Prompt: "请逐项录入与该数据资源相关的支出。", Kind: KindCosts,
		Options: costOptions(),
		Help:    "外购的：购买价款、相关税费及数据脱敏、清洗、标注、整合、分析、可视化等直接归属支出，以及数据权属鉴证、质量评估、登记结算、安全管理等费用；自行研发的：请标明研究阶段或开发阶段。", Ref: refIntangibleCost},
		always, func(c *Case) bool { return len(c.Costs) > 0 }},
	{Question{ID: "other_basis", Field: "other_basis", Prompt: "以其他方式取得的，成本的确定依据是什么（如投资合同约定价值）？", Kind: KindText, Ref: refCAS6Contributed},
		func(c *Case, d Determination) bool {
			return c.Acquisition == AcqOther && d.Outcome == OutcomeIntangible
		},
		func(c *Case) bool { return c.OtherBasis != "" }},
	{Question{ID: "available_date", Field: "available_date", Prompt: "数据资源可供使用（或取得、完工入库）的日期？", Kind: KindDate,
		Help: "无形资产自可供使用时起摊销。", Ref: refCAS6Amortise},
		outcomeIn(OutcomeIntangible, OutcomeInventory), func(c *Case) bool { return c.AvailableDate != "" }},
	{Question{ID: "indefinite_life", Field: "intangible.indefinite_life", Prompt: "能否预见该数据资源为企业带来经济利益的期限？（选“否”表示使用寿命不确定）", Kind: KindBool,
		Help: "答“是”表示使用寿命有限。估计使用寿命时应重点关注业务模式、权利限制、更新频率和时效性、产品或技术迭代、同类竞品等因素。", Ref: refCAS6Life},
		outcomeIn(OutcomeIntangible), func(c *Case) bool { return intangibleSet(c) && c.Intangible.IndefiniteLife != nil }},
	{Question{ID: "life_months", Field: "intangible.life_months", Prompt: "预计使用寿命是多少个月？", Kind: KindNumber,
		Help: "应考虑无形资产准则应用指南规定的因素，并重点关注数据资源相关业务模式、权利限制、更新频率和时效性、有关产品或技术迭代、同类竞品等因素。", Ref: refIntangibleCost},
		finiteLife, func(c *Case) bool { return intangibleSet(c) && c.Intangible.LifeMonths != nil }},
	{Question{ID: "method", Field: "intangible.method", Prompt: "摊销方法？", Kind: KindChoice,
		Options: []Option{{MethodStraightLine, "直线法"}, {MethodUnits, "按预期消耗量（产量法）"}},
		Help:    "摊销方法应当反映经济利益的预期实现方式；无法可靠确定的，采用直线法。", Ref: refCAS6Amortise},
		finiteLife, func(c *Case) bool { return intangibleSet(c) && c.Intangible.Method != "" }},
	{Question{ID: "expected_units", Field: "intangible.expected_units", Prompt: "按摊销年度列出预期消耗量（如调用次数）。", Kind: KindList, Ref: refCAS6Amortise},
		func(c *Case, d Determination) bool { return finiteLife(c, d) && c.Intangible.Method == MethodUnits },
		func(c *Case) bool { return intangibleSet(c) && len(c.Intangible.ExpectedUnits) > 0 }},
	{Question{ID: "residual", Field: "intangible.residual", Prompt: "预计残值是多少（元）？", Kind: KindMoney,
		Help: "残值一般为零，除非有第三方承诺在使用寿命结束时购买，或可根据活跃市场得到残值信息。", Ref: refCAS6Residual},
		finiteLife, func(c *Case) bool { return intangibleSet(c) && c.Intangible.Residual != nil }},
	{Question{ID: "estimated_price", Field: "inventory.estimated_price", Prompt: "资产负债表日，该数据资源的估计售价（元）？", Kind: KindMoney,
		Help: "有销售合同的，以合同价格为基础。", Ref: refCAS1NRV},
		outcomeIn(OutcomeInventory), func(c *Case) bool { return c.Inventory != nil && c.Inventory.EstimatedPrice != nil }},
	{Question{ID: "cost_to_complete", Field: "inventory.cost_to_complete", Prompt: "至完工时估计将要发生的成本（元）？", Kind: KindMoney, Ref: refCAS1NRV},
		outcomeIn(OutcomeInventory), func(c *Case) bool { return c.Inventory != nil && c.Inventory.CostToComplete != nil }},
	{Question{ID: "selling_costs", Field: "inventory.selling_costs", Prompt: "估计的销售费用（元）？", Kind: KindMoney, Ref: refCAS1NRV},
		outcomeIn(OutcomeInventory), func(c *Case) bool { return c.Inventory != nil && c.Inventory.SellingCosts != nil }},
	{Question{ID: "selling_taxes", Field: "inventory.selling_taxes", Prompt: "估计的相关税费（元）？", Kind: KindMoney, Ref: refCAS1NRV},
		outcomeIn(OutcomeInventory), func(c *Case) bool { return c.Inventory != nil && c.Inventory.SellingTaxes != nil }},
	{Question{ID: "period_start", Field: "period_start", Prompt: "本报告期的起始日期？", Kind: KindDate, Ref: refDisclosure},
		always, func(c *Case) bool { return c.PeriodStart != "" }},
	{Question{ID: "period_end", Field: "period_end", Prompt: "资产负债表日（本报告期的截止日期）？", Kind: KindDate, Ref: refBalanceSheet},
		always, func(c *Case) bool { return c.PeriodEnd != "" }},
}

func costOptions() []Option {
	var o []Option
	for _, k := range costCategoryOrder {
		o = append(o, Option{k, costCategories[k].Label})
	}
	return o
}

// determinationQuestions are those Determine needs; the rest serve measurement.
var determinationQuestions = map[string]bool{
	"acquisition": true, "purposes": true, "controlled": true, "identifiable": true,
	"probable_benefit": true, "cost_reliable": true, "dev_tech_feasible": true,
	"dev_intention": true, "dev_benefit_way": true, "dev_resources": true,
	"dev_reliable_measure": true, "dev_completed": true,
}

// NextQuestions returns the questions that are relevant given the answers so
// far and not yet answered, in workflow order.
func NextQuestions(c Case) []Question {
	d := Determine(c)
	var out []Question
	for _, q := range questions {
		if q.relevant(&c, d) && !q.answered(&c) {
			out = append(out, q.Question)
		}
	}
	return out
}

// missingForDetermination lists the unanswered questions the determination
// depends on. The costs are needed too for an R&D project that passed the
// five conditions, since capitalisation depends on them.
func missingForDetermination(c *Case) []FieldError {
	var out []FieldError
	for _, q := range questions {
		if !determinationQuestions[q.ID] {
			continue
		}
		if q.relevant(c, Determination{}) && !q.answered(c) {
			out = append(out, FieldError{Field: q.Field, Message: "请回答：" + q.Prompt})
		}
	}
	if len(out) == 0 && c.rdProject() && recognitionAnsweredTrue(c) && allConditions(c.Development) && len(c.Costs) == 0 {
		out = append(out, FieldError{Field: "costs", Message: "请录入研究阶段和开发阶段的支出，才能确定可资本化的金额。"})
	}
	return out
}

// AllQuestions returns the whole question catalogue in workflow order, for
// forms that show every field (NextQuestions gives only the relevant ones).
func AllQuestions() []Question {
	out := make([]Question, len(questions))
	for i, q := range questions {
		out[i] = q.Question
	}
	return out
}
