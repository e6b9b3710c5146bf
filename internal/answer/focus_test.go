package answer

import (
	"testing"

	"datalex/internal/textseg"
)

func TestUnitFit(t *testing.T) {
	tests := []struct {
		unit textseg.Units
		text string
		want int
	}{
		{textseg.UnitYear, "通过数据出境安全评估的结果有效期为3年，自评估结果出具之日起计算。", 1},
		{textseg.UnitYear, "国家网信部门应当自受理之日起45个工作日内完成评估。", -1},
		// A date is not a period: 2022年9月1日 does not answer 几年.
		{textseg.UnitYear, "本办法自2022年9月1日起施行。", 0},
		{textseg.UnitYear, "本办法自2022年9月1日起施行，施行前的活动应当在6个月内完成整改。", -1},
		{textseg.UnitDay, "公示期为3个工作日。", 1},
		{textseg.UnitYuan, "处五十万元以上二百万元以下罚款。", 1},
		{textseg.UnitYuan, "处五日以下拘留。", 0},
		{0, "有效期为3年。", 0},
	}
	for _, tt := range tests {
		if got := unitFit(tt.unit, tt.text); got != tt.want {
			t.Errorf("unitFit(%b, %q) = %d, want %d", tt.unit, tt.text, got, tt.want)
		}
	}
}

func TestFocusHead(t *testing.T) {
	tests := []struct{ q, want string }{
		{"在上海申请数据产品知识产权登记，需要准备哪些材料？", "材料"},
		{"应用程序分发平台发现违规App时，应当采取哪些措施？", "措施"},
		{"给数据资产估值的时候，到底看哪些方面的因素？", "因素"},
		{"数据交易中介服务机构需要履行哪些审核义务？", "义务"},
		{"开发阶段支出资本化需要满足什么条件？", "条件"},
		{"我们公司要做些什么？", ""},
		{"注册社交账号为什么非要实名？", ""},
		{"什么样的数据属于国家核心数据？", "数据"},
	}
	for _, tt := range tests {
		if got := focusHead(tt.q); got != tt.want {
			t.Errorf("focusHead(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

func TestFocusFit(t *testing.T) {
	tests := []struct {
		head, text string
		want       int
	}{
		{"材料", "申请数据产品知识产权登记的，应当提出申请，并提交以下材料：\n（一）登记申请表；\n（二）证明材料。", 2},
		{"材料", "申请材料不齐全的，应当一次性告知需要补正的材料。", 1},
		{"材料", "开展数据交易的企业对质量瑕疵可以减轻责任。", 0},
		{"因素", "需要关注影响数据资产价值的成本因素、场景因素、市场因素和质量因素。成本因素包括前期费用、直接成本。", 2},
		{"因素", "供求调整系数是指综合考虑市场规模、稀缺性等因素对其价值影响的调整系数。", 1},
		{"", "提交以下材料：（一）申请表", 0},
	}
	for _, tt := range tests {
		if got := focusFit(tt.head, tt.text); got != tt.want {
			t.Errorf("focusFit(%q, %q) = %d, want %d", tt.head, tt.text, got, tt.want)
		}
	}
}

func TestFigureLead(t *testing.T) {
	tests := []struct{ q, s, want string }{
		{"数据出境安全评估批下来以后，能管几年？", "通过数据出境安全评估的结果有效期为3年，自评估结果出具之日起计算。", "3年"},
		{"网络日志要保存多久？", "采取监测、记录网络运行状态、网络安全事件的技术措施，并按照规定留存相关的网络日志不少于六个月；", "不少于六个月"},
		{"违法交易数据最多罚多少钱？", "由有关主管部门责令改正，处五十万元以上二百万元以下罚款。", "五十万元以上二百万元以下"},
		{"网信部门审查要多久？", "应当自受理之日起45个工作日内完成评估；情况复杂的可以延长。", "45个工作日内"},
		// Two periods: the quote speaks for itself.
		{"备案要多久？", "应当在10个工作日内备案，并在3个月内提交报告。", ""},
		// A date is not a period.
		{"从哪天开始执行？", "本规定自2024年1月1日起施行。", ""},
		// A remedy question is not answered by a validity period.
		{"评估结果我们不认可，要在多长时间内提出来？", "通过数据出境安全评估的结果有效期为 2年。", ""},
		// A question of two parts: the figure must be in the unit asked.
		{"确权证书有效期是多长？怎么延期？", "有效期届满需要延期的，应当在届满前一个月内提出申请。", ""},
		{"确权证书能用几年？怎么延期？", "确权证书有效期为3年，届满前一个月内可以申请延期。", "3年"},
		// 分别 asks for two figures.
		{"处理者和监管部门分别要在多长时间内形成总结报告？", "涉事数据处理者应当在5个工作日内形成总结报告。", ""},
		// A question that asks no figure gets none.
		{"需要做安全评估吗？", "累计向境外提供不满10万人个人信息的，免予申报。", ""},
		// The party's fine, not its persons in charge's — unless asked.
		{"拒不配合调取数据会被罚多少？", "给予警告，并处五万元以上五十万元以下罚款，对直接负责的主管人员和其他直接责任人员处一万元以上十万元以下罚款。", "五万元以上五十万元以下"},
		{"拒不配合调取数据，负责人会被罚多少？", "给予警告，并处五万元以上五十万元以下罚款，对直接负责的主管人员和其他直接责任人员处一万元以上十万元以下罚款。", ""},
		// A fine as a multiple of a sum is the fine.
		{"使用未经安全审查的产品怎么罚？", "责令停止使用，处采购金额一倍以上十倍以下罚款；对直接负责的主管人员处一万元以上十万元以下罚款。", "采购金额一倍以上十倍以下"},
		// Two fines (a multiple, or a sum when there is no gain): none.
		{"非法出售个人信息怎么罚？", "没收违法所得，并处违法所得一倍以上十倍以下罚款，没有违法所得的，处一百万元以下罚款。", ""},
		// One fine in two measures.
		{"情节严重的最多罚多少？", "并处五千万元以下或者上一年度营业额百分之五以下罚款。", "五千万元以下或者上一年度营业额百分之五以下"},
	}
	for _, tt := range tests {
		q := analyze(tt.q, defaultLexicon, nil, nil)
		if got := figureLead(q, tt.s); got != tt.want {
			t.Errorf("figureLead(%q, %q) = %q, want %q", tt.q, tt.s, got, tt.want)
		}
	}
}

// A sentence stating a figure in the unit the question asks for outranks
// one that only shares more of its words.
func TestSentenceScoreAskedUnit(t *testing.T) {
	q := analyze("重要数据最低能定到几级？", defaultLexicon, nil, nil)
	table := "数据定级要素 影响对象 影响程度 重要数据，通常主要用于金融业机构关键业务使用"
	rule := "重要数据的安全等级不可低于5级。"
	if st, sr := sentenceScore(table, q), sentenceScore(rule, q); sr <= st {
		t.Errorf("score of %q = %.2f, of %q = %.2f: the figure in 级 should lead", rule, sr, table, st)
	}
	other := "重要数据应当在3个工作日内报告。" // a figure, not in 级
	if so, sr := sentenceScore(other, q), sentenceScore(rule, q); sr <= so {
		t.Errorf("a figure in another unit scored %.2f against %.2f", so, sr)
	}
}
