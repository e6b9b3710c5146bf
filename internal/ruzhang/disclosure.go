package ruzhang

import "strconv"

// BalanceSheetLine is one 「其中：数据资源」 line under 存货 / 无形资产 / 开发支出.
type BalanceSheetLine struct {
	Item   string `json:"item"`   // 存货 | 无形资产 | 开发支出
	Line   string `json:"line"`   // 其中：数据资源
	Amount Money  `json:"amount"` // period-end carrying amount
}

// Presentation is the balance-sheet presentation at period end.
type Presentation struct {
	Date  string             `json:"date"`
	Lines []BalanceSheetLine `json:"lines"`
	Ref   Ref                `json:"ref"`
}

// IntangibleMovement is one case's contribution to the 数据资源无形资产
// disclosure table (暂行规定 三、（二）1（1）). Column: 0 外购, 1 自行开发, 2 其他.
type IntangibleMovement struct {
	Column           int   `json:"column"`
	CostOpening      Money `json:"cost_opening"`
	AddPurchase      Money `json:"add_purchase"`
	AddInternal      Money `json:"add_internal"`
	AddOther         Money `json:"add_other"`
	DecDisposal      Money `json:"dec_disposal"`
	DecExpired       Money `json:"dec_expired"`
	DecOther         Money `json:"dec_other"`
	AmortOpening     Money `json:"amort_opening"`
	AmortAdd         Money `json:"amort_add"`
	AmortDec         Money `json:"amort_dec"`
	AmortDecDisposal Money `json:"amort_dec_disposal"`
	AmortDecExpired  Money `json:"amort_dec_expired"`
	AmortDecOther    Money `json:"amort_dec_other"`
	ImpairOpening    Money `json:"impair_opening"`
	ImpairAdd        Money `json:"impair_add"`
	ImpairDec        Money `json:"impair_dec"`
}

// InventoryMovement is one case's contribution to the 数据资源存货 table
// (三、（二）2（1）). Column: 0 外购, 1 自行加工, 2 其他.
type InventoryMovement struct {
	Column        int   `json:"column"`
	CostOpening   Money `json:"cost_opening"`
	AddPurchase   Money `json:"add_purchase"`
	AddProcessed  Money `json:"add_processed"`
	AddOther      Money `json:"add_other"`
	DecSale       Money `json:"dec_sale"`
	DecExpired    Money `json:"dec_expired"`
	DecOther      Money `json:"dec_other"`
	AllowOpening  Money `json:"allow_opening"`
	AllowAdd      Money `json:"allow_add"`
	AllowReversal Money `json:"allow_reversal"`
	AllowWriteOff Money `json:"allow_write_off"`
}

// Movements carries what the disclosure tables aggregate across cases.
type Movements struct {
	Intangible *IntangibleMovement `json:"intangible,omitempty"`
	Inventory  *InventoryMovement  `json:"inventory,omitempty"`
}

// Table is a disclosure table. Rows with Header set carry no values.
type Table struct {
	Title   string     `json:"title"`
	Columns []string   `json:"columns"` // value columns, after the 项目 column
	Rows    []TableRow `json:"rows"`
	Ref     Ref        `json:"ref"`
}

// TableRow is one row; Values has one entry per column.
type TableRow struct {
	Label  string  `json:"label"`
	Indent int     `json:"indent,omitempty"`
	Header bool    `json:"header,omitempty"`
	Values []Money `json:"values,omitempty"`
}

// DisclosureNote is a narrative disclosure the 暂行规定 requires.
type DisclosureNote struct {
	Topic string `json:"topic"`
	Text  string `json:"text"`
	Ref   Ref    `json:"ref"`
}

func acqColumn(c *Case) int {
	switch c.Acquisition {
	case AcqPurchase:
		return 0
	case AcqDeveloped:
		return 1
	}
	return 2
}

// rowSpec maps a table row to the figure it shows for one movement.
type rowSpec[M any] struct {
	label  string
	indent int
	value  func(m *M) Money // nil: header row
}

func buildTable[M any](title string, cols []string, ref Ref, specs []rowSpec[M], ms []*M, column func(*M) int) Table {
	t := Table{Title: title, Columns: append(cols, "合计"), Ref: ref}
	for _, s := range specs {
		row := TableRow{Label: s.label, Indent: s.indent}
		if s.value == nil {
			row.Header = true
			t.Rows = append(t.Rows, row)
			continue
		}
		row.Values = make([]Money, len(cols)+1)
		for _, m := range ms {
			v := s.value(m)
			row.Values[column(m)] += v
			row.Values[len(cols)] += v
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func (m *IntangibleMovement) costClosing() Money {
	return m.CostOpening + m.AddPurchase + m.AddInternal + m.AddOther - m.DecDisposal - m.DecExpired - m.DecOther
}
func (m *IntangibleMovement) amortClosing() Money { return m.AmortOpening + m.AmortAdd - m.AmortDec }
func (m *IntangibleMovement) impairClosing() Money {
	return m.ImpairOpening + m.ImpairAdd - m.ImpairDec
}

var intangibleRows = []rowSpec[IntangibleMovement]{
	{"一、账面原值", 0, nil},
	{"1.期初余额", 1, func(m *IntangibleMovement) Money { return m.CostOpening }},
	{"2.本期增加金额", 1, func(m *IntangibleMovement) Money { return m.AddPurchase + m.AddInternal + m.AddOther }},
	{"其中：购入", 2, func(m *IntangibleMovement) Money { return m.AddPurchase }},
	{"内部研发", 2, func(m *IntangibleMovement) Money { return m.AddInternal }},
	{"其他增加", 2, func(m *IntangibleMovement) Money { return m.AddOther }},
	{"3.本期减少金额", 1, func(m *IntangibleMovement) Money { return m.DecDisposal + m.DecExpired + m.DecOther }},
	{"其中：处置", 2, func(m *IntangibleMovement) Money { return m.DecDisposal }},
	{"失效且终止确认", 2, func(m *IntangibleMovement) Money { return m.DecExpired }},
	{"其他减少", 2, func(m *IntangibleMovement) Money { return m.DecOther }},
	{"4.期末余额", 1, (*IntangibleMovement).costClosing},
	{"二、累计摊销", 0, nil},
	{"1.期初余额", 1, func(m *IntangibleMovement) Money { return m.AmortOpening }},
	{"2.本期增加金额", 1, func(m *IntangibleMovement) Money { return m.AmortAdd }},
	{"3.本期减少金额", 1, func(m *IntangibleMovement) Money { return m.AmortDec }},
	{"其中：处置", 2, func(m *IntangibleMovement) Money { return m.AmortDecDisposal }},
	{"失效且终止确认", 2, func(m *IntangibleMovement) Money { return m.AmortDecExpired }},
	{"其他减少", 2, func(m *IntangibleMovement) Money { return m.AmortDecOther }},
	{"4.期末余额", 1, (*IntangibleMovement).amortClosing},
	{"三、减值准备", 0, nil},
	{"1.期初余额", 1, func(m *IntangibleMovement) Money { return m.ImpairOpening }},
	{"2.本期增加金额", 1, func(m *IntangibleMovement) Money { return m.ImpairAdd }},
	{"3.本期减少金额", 1, func(m *IntangibleMovement) Money { return m.ImpairDec }},
	{"4.期末余额", 1, (*IntangibleMovement).impairClosing},
	{"四、账面价值", 0, nil},
	{"1.期末账面价值", 1, func(m *IntangibleMovement) Money { return m.costClosing() - m.amortClosing() - m.impairClosing() }},
	{"2.期初账面价值", 1, func(m *IntangibleMovement) Money { return m.CostOpening - m.AmortOpening - m.ImpairOpening }},
}

func (m *InventoryMovement) costClosing() Money {
	return m.CostOpening + m.AddPurchase + m.AddProcessed + m.AddOther - m.DecSale - m.DecExpired - m.DecOther
}
func (m *InventoryMovement) allowClosing() Money {
	return m.AllowOpening + m.AllowAdd - m.AllowReversal - m.AllowWriteOff
}

var inventoryRows = []rowSpec[InventoryMovement]{
	{"一、账面原值", 0, nil},
	{"1.期初余额", 1, func(m *InventoryMovement) Money { return m.CostOpening }},
	{"2.本期增加金额", 1, func(m *InventoryMovement) Money { return m.AddPurchase + m.AddProcessed + m.AddOther }},
	{"其中：购入", 2, func(m *InventoryMovement) Money { return m.AddPurchase }},
	{"采集加工", 2, func(m *InventoryMovement) Money { return m.AddProcessed }},
	{"其他增加", 2, func(m *InventoryMovement) Money { return m.AddOther }},
	{"3.本期减少金额", 1, func(m *InventoryMovement) Money { return m.DecSale + m.DecExpired + m.DecOther }},
	{"其中：出售", 2, func(m *InventoryMovement) Money { return m.DecSale }},
	{"失效且终止确认", 2, func(m *InventoryMovement) Money { return m.DecExpired }},
	{"其他减少", 2, func(m *InventoryMovement) Money { return m.DecOther }},
	{"4.期末余额", 1, (*InventoryMovement).costClosing},
	{"二、存货跌价准备", 0, nil},
	{"1.期初余额", 1, func(m *InventoryMovement) Money { return m.AllowOpening }},
	{"2.本期增加金额", 1, func(m *InventoryMovement) Money { return m.AllowAdd }},
	{"3.本期减少金额", 1, func(m *InventoryMovement) Money { return m.AllowReversal + m.AllowWriteOff }},
	{"其中：转回", 2, func(m *InventoryMovement) Money { return m.AllowReversal }},
	{"转销", 2, func(m *InventoryMovement) Money { return m.AllowWriteOff }},
	{"4.期末余额", 1, (*InventoryMovement).allowClosing},
	{"三、账面价值", 0, nil},
	{"1.期末账面价值", 1, func(m *InventoryMovement) Money { return m.costClosing() - m.allowClosing() }},
	{"2.期初账面价值", 1, func(m *InventoryMovement) Money { return m.CostOpening - m.AllowOpening }},
}

// DisclosureTables builds the 暂行规定 disclosure tables from the movements
// of one or more cases; a table appears only when some case contributes.
func DisclosureTables(ms []Movements) []Table {
	var ints []*IntangibleMovement
	var invs []*InventoryMovement
	for _, m := range ms {
		if m.Intangible != nil {
			ints = append(ints, m.Intangible)
		}
		if m.Inventory != nil {
			invs = append(invs, m.Inventory)
		}
	}
	var out []Table
	if len(ints) > 0 {
		out = append(out, buildTable("确认为无形资产的数据资源", []string{"外购的数据资源无形资产", "自行开发的数据资源无形资产", "其他方式取得的数据资源无形资产"},
			refDiscIntTable, intangibleRows, ints, func(m *IntangibleMovement) int { return m.Column }))
	}
	if len(invs) > 0 {
		out = append(out, buildTable("确认为存货的数据资源", []string{"外购的数据资源存货", "自行加工的数据资源存货", "其他方式取得的数据资源存货"},
			refDiscInvTable, inventoryRows, invs, func(m *InventoryMovement) int { return m.Column }))
	}
	return out
}

// movements derives the case's disclosure movements for the period. A
// resource available before the period start is in the opening balance;
// one available within the period is an addition. Disposals and sales are
// not modelled.
func movements(c *Case, outcome string, m *Measurement) Movements {
	before := mustDate(c.AvailableDate).Before(mustDate(c.PeriodStart))
	switch outcome {
	case OutcomeIntangible:
		mv := &IntangibleMovement{Column: acqColumn(c)}
		cost := m.Capitalised
		if before {
			mv.CostOpening = cost
		} else {
			switch c.Acquisition {
			case AcqPurchase:
				mv.AddPurchase = cost
			case AcqDeveloped:
				mv.AddInternal = cost
			default:
				mv.AddOther = cost
			}
		}
		if a := m.Amortisation; a != nil {
			mv.AmortOpening, mv.AmortAdd = a.AccumulatedOpening, a.PeriodAmount
		}
		if im := m.Impairment; im != nil {
			mv.ImpairAdd = im.Loss
		}
		return Movements{Intangible: mv}
	case OutcomeInventory:
		mv := &InventoryMovement{Column: acqColumn(c)}
		cost := m.Capitalised
		if before {
			mv.CostOpening = cost
		} else {
			switch c.Acquisition {
			case AcqPurchase:
				mv.AddPurchase = cost
			case AcqDeveloped:
				mv.AddProcessed = cost
			default:
				mv.AddOther = cost
			}
		}
		inv := m.Inventory
		mv.AllowOpening = inv.PriorAllowance
		if inv.WriteDown > 0 {
			mv.AllowAdd = inv.WriteDown
		} else {
			mv.AllowReversal = -inv.WriteDown
		}
		return Movements{Inventory: mv}
	}
	return Movements{}
}

// present builds the balance-sheet lines at period end.
func present(c *Case, outcome string, m *Measurement) Presentation {
	p := Presentation{Date: c.PeriodEnd, Ref: refBalanceSheet}
	var inv, intang, dev Money
	switch outcome {
	case OutcomeInventory:
		inv = m.Inventory.Carrying
	case OutcomeIntangible:
		intang = m.Capitalised
		if m.Amortisation != nil {
			intang -= m.Amortisation.AccumulatedClosing
		}
		if m.Impairment != nil {
			intang -= m.Impairment.Loss
		}
	case OutcomeDevelopment:
		dev = m.Capitalised
	}
	p.Lines = []BalanceSheetLine{
		{Item: "存货", Line: "其中：数据资源", Amount: inv},
		{Item: "无形资产", Line: "其中：数据资源", Amount: intang},
		{Item: "开发支出", Line: "其中：数据资源", Amount: dev},
	}
	return p
}

// disclosureNotes lists the narrative disclosures the case triggers.
func disclosureNotes(c *Case, outcome string, m *Measurement) []DisclosureNote {
	var out []DisclosureNote
	add := func(topic, text string, ref Ref) { out = append(out, DisclosureNote{topic, text, ref}) }
	switch outcome {
	case OutcomeIntangible:
		if m.IndefiniteLife {
			add("使用寿命", "使用寿命不确定，不予摊销；应披露其账面价值及使用寿命不确定的判断依据。", refDiscIntLife)
		} else if a := m.Amortisation; a != nil {
			basis := c.Intangible.LifeBasis
			if basis == "" {
				basis = "（请补充使用寿命的估计依据）"
			}
			add("使用寿命与摊销方法", "使用寿命 "+monthsText(a.LifeMonths)+"，采用"+a.MethodLabel+"摊销，残值 "+a.Residual.String()+" 元；估计依据："+basis, refDiscIntLife)
		}
	case OutcomeInventory:
		method := c.Inventory.CostFlowMethod
		if method == "" {
			method = "（请说明：先进先出法、加权平均法或个别计价法）"
		}
		add("发出存货成本的计量方法", method, refDiscInvMethod)
		basis := c.Inventory.NRVBasis
		if basis == "" {
			basis = "估计售价减去至完工时估计将要发生的成本、估计的销售费用以及相关税费"
		}
		add("可变现净值的确定依据与跌价准备", "可变现净值确定依据："+basis+"；本期计提 "+max(m.Inventory.WriteDown, 0).String()+" 元，转回 "+max(-m.Inventory.WriteDown, 0).String()+" 元。", refDiscInvNRV)
	}
	if m.Impairment != nil && m.Impairment.Loss > 0 {
		add("减值", "本期计提数据资源无形资产减值准备 "+m.Impairment.Loss.String()+" 元，应按资产减值准则披露相关信息。", refDiscIntImpair)
	}
	if c.rdProject() {
		var rdExpensed Money
		for _, l := range m.CostLines {
			if l.Account == acctRDExpensed {
				rdExpensed += l.Amount
			}
		}
		add("数据资源研究开发支出", "计入当期损益的研究开发支出 "+rdExpensed.String()+" 元，确认为无形资产（或开发支出）的 "+m.Capitalised.String()+" 元。", refDiscIntRD)
	}
	if outcome == OutcomeExpense {
		add("未确认为资产的数据资源", "企业可以根据实际情况自愿披露未确认为资产的数据资源的应用场景、原始数据、加工维护、应用情况等信息。", refDiscOther)
	}
	if c.Valuation != nil {
		add("数据资源评估", "评估结果对财务报表具有重要影响的，应当披露评估依据的信息来源、假设前提和限制条件、评估方法的选择及各重要参数的来源与测算过程。", refDiscOther)
	}
	return out
}

func monthsText(n int) string {
	if n%12 == 0 {
		return strconv.Itoa(n/12) + " 年"
	}
	return strconv.Itoa(n) + " 个月"
}
