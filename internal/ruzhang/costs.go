package ruzhang

// costCategory says how one kind of expenditure is treated on each path.
type costCategory struct {
	Label string
	// Treatment when the resource is an intangible (purchased or other),
	// an inventory, or in the development phase of an R&D project.
	Intangible, Inventory treatment
	Ref                   Ref // provision for the intangible path
	InvRef                Ref // provision for the inventory path
	// Credit is the account credited when the cost is incurred; "" means
	// the case's payment account (银行存款 by default).
	Credit string
}

type treatment int

const (
	capitalise treatment = iota + 1
	expense
	recoverableTax // 可抵扣进项税额：既不入成本也不入费用
)

func (k costCategory) capitalisable() bool { return k.Intangible == capitalise }

// costCategories lists the expenditures the 暂行规定 names (二、2 for
// intangibles, 二、5 for inventories) and those the standards exclude.
var costCategories = map[string]costCategory{
	"purchase_price":      {Label: "购买价款", Intangible: capitalise, Inventory: capitalise, Ref: refIntangibleCost, InvRef: refInventoryCost},
	"taxes":               {Label: "相关税费（不含可抵扣进项税额）", Intangible: capitalise, Inventory: capitalise, Ref: refIntangibleCost, InvRef: refInventoryCost},
	"deductible_vat":      {Label: "可抵扣的增值税进项税额", Intangible: recoverableTax, Inventory: recoverableTax, Ref: refCAS6Purchased, InvRef: refCAS1PurchCost},
	"insurance":           {Label: "保险费", Intangible: capitalise, Inventory: capitalise, Ref: refCAS6Purchased, InvRef: refInventoryCost},
	"acquisition":         {Label: "数据采集", Intangible: capitalise, Inventory: capitalise, Ref: refIntangibleCost, InvRef: refInventoryCost},
	"desensitization":     {Label: "数据脱敏", Intangible: capitalise, Inventory: capitalise, Ref: refIntangibleCost, InvRef: refInventoryCost},
	"cleaning":            {Label: "数据清洗", Intangible: capitalise, Inventory: capitalise, Ref: refIntangibleCost, InvRef: refInventoryCost},
	"labeling":            {Label: "数据标注", Intangible: capitalise, Inventory: capitalise, Ref: refIntangibleCost, InvRef: refInventoryCost},
	"integration":         {Label: "数据整合", Intangible: capitalise, Inventory: capitalise, Ref: refIntangibleCost, InvRef: refInventoryCost},
	"analysis":            {Label: "数据分析", Intangible: capitalise, Inventory: capitalise, Ref: refIntangibleCost, InvRef: refInventoryCost},
	"visualization":       {Label: "数据可视化", Intangible: capitalise, Inventory: capitalise, Ref: refIntangibleCost, InvRef: refInventoryCost},
	"rights_verification": {Label: "数据权属鉴证", Intangible: capitalise, Inventory: capitalise, Ref: refIntangibleCost, InvRef: refInventoryCost},
	"quality_assessment":  {Label: "质量评估", Intangible: capitalise, Inventory: capitalise, Ref: refIntangibleCost, InvRef: refInventoryCost},
	"registration":        {Label: "登记结算", Intangible: capitalise, Inventory: capitalise, Ref: refIntangibleCost, InvRef: refInventoryCost},
	"security":            {Label: "安全管理", Intangible: capitalise, Inventory: capitalise, Ref: refIntangibleCost, InvRef: refInventoryCost},
	"labor":               {Label: "直接参与加工（研发）人员薪酬", Intangible: capitalise, Inventory: capitalise, Ref: refCAS6Developed, InvRef: refCAS1ConvCost, Credit: "应付职工薪酬"},
	"depreciation":        {Label: "直接用于加工（研发）的设备折旧与软件摊销", Intangible: capitalise, Inventory: capitalise, Ref: refCAS6Developed, InvRef: refCAS1ConvCost, Credit: "累计折旧"},
	"other_direct":        {Label: "其他直接归属支出", Intangible: capitalise, Inventory: capitalise, Ref: refCAS6Purchased, InvRef: refInventoryCost},
	"agreed_value":        {Label: "投资合同或协议约定价值（其他方式取得）", Intangible: capitalise, Inventory: capitalise, Ref: refCAS6Contributed, InvRef: refCAS1Contributed, Credit: "实收资本（或股本）"},
	"purchased_service":   {Label: "外购数据服务（不形成资产）", Intangible: expense, Inventory: expense, Ref: refIntangibleCost, InvRef: refIntangibleCost},
	"storage":             {Label: "仓储（存储）费用", Intangible: expense, Inventory: expense, Ref: refCAS6Expense, InvRef: refCAS1Excluded},
	"abnormal":            {Label: "非正常消耗", Intangible: expense, Inventory: expense, Ref: refCAS6Expense, InvRef: refCAS1Excluded},
	"training":            {Label: "人员培训", Intangible: expense, Inventory: expense, Ref: refCAS6Expense, InvRef: refCAS1Excluded},
	"admin":               {Label: "管理费用及其他间接费用", Intangible: expense, Inventory: expense, Ref: refCAS6Expense, InvRef: refCAS1Excluded},
	"selling":             {Label: "销售及推广费用", Intangible: expense, Inventory: expense, Ref: refCAS6Expense, InvRef: refCAS1Excluded},
}

// costCategoryOrder is the display order of categories.
var costCategoryOrder = []string{
	"purchase_price", "taxes", "insurance", "acquisition", "desensitization", "cleaning",
	"labeling", "integration", "analysis", "visualization", "rights_verification",
	"quality_assessment", "registration", "security", "labor", "depreciation", "other_direct", "agreed_value",
	"purchased_service", "storage", "abnormal", "training", "admin", "selling", "deductible_vat",
}
