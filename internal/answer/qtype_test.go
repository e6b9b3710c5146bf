package answer

import (
	"slices"
	"strings"
	"testing"
)

func TestQuestionTypeAndEvidence(t *testing.T) {
	tests := []struct {
		q        string
		want     QType
		sentence string
		evidence bool
	}{
		{"违反个人信息保护法最多罚多少钱？", TypePenalty, "处五千万元以下或者上一年度营业额百分之五以下罚款", true},
		{"违反个人信息保护法最多罚多少钱？", TypePenalty, "个人信息处理者应当采取必要措施", false},
		{"安全评估结果有效期多久？", TypePeriod, "通过数据出境安全评估的结果有效期为3年", true},
		{"安全评估结果有效期多久？", TypePeriod, "有效期届满的，应当重新申报", false},
		{"累计向境外提供多少人的个人信息需要申报？", TypeThreshold, "向境外提供10万人以上个人信息", true},
		{"什么是敏感个人信息？", TypeDefinition, "敏感个人信息是指一旦泄露……的个人信息", true},
		{"数据资源卖出去了怎么记账？", TypeAccounting, "应当按照收入准则确认收入", true},
		// Contesting a decision: the objection procedure, not any period.
		{"对处理结果不服，多久内可以提出？", TypeRemedy, "对评估结果有异议的，可以在收到评估结果15个工作日内申请复评", true},
		{"对处理结果不服，多久内可以提出？", TypeRemedy, "评估结果有效期为3年，自评估结果出具之日起计算", false},
		{"对评估报告有意见可以怎么办？", TypeRemedy, "委托人对评估报告有异议的，可以要求评估机构解释", true},
		// Standards and guidelines state requirements with a bare 应 (GB/T
		// 1.1); 应 inside 应急, 相应, 应用 is no modal.
		{"三级数据能不能共享？", TypeObligation, "三级数据原则上不共享，确需共享的应严格控制知悉范围", true},
		{"三级数据能不能共享？", TypeObligation, "企业应根据事先制定的应急预案立即进行应急处置", true},
		{"三级数据能不能共享？", TypeObligation, "数据处理者按照应急预案开展相应的应急处置", false},
		{"三级数据能不能共享？", TypeObligation, "推动工业数据在应用程序中共享", false},
		{"三级数据能不能共享？", TypeObligation, "三级数据原则上不共享", true},
		// Reporting to an authority is a procedure's step, as 报送 is.
		{"关键信息基础设施发生较大变化时，运营者应当怎么做？", TypeProcedure, "运营者应当及时将相关情况报告保护工作部门", true},
		// How often a duty recurs: a frequency answers, a validity
		// period does not.
		{"重要数据处理者多久开展一次风险评估？", TypeFrequency, "重要数据处理者每年至少开展一次风险评估", true},
		{"重要数据处理者多久开展一次风险评估？", TypeFrequency, "评估结果有效期为一年", false},
		{"合规审计的频率有要求吗？", TypeFrequency, "个人信息处理者应当定期进行合规审计", true},
		{"一年要做几次应急演练？", TypeFrequency, "每半年开展一次应急演练", true},
		// 再点一次 is no frequency.
		{"要不要客户再点一次同意？", TypeObligation, "应当取得个人的单独同意", true},
	}
	for _, tt := range tests {
		got := questionType(tt.q)
		if got&tt.want == 0 {
			t.Errorf("questionType(%q) = %b, want bit %b", tt.q, got, tt.want)
		}
		if ev := typeEvidence(got, tt.sentence); ev != tt.evidence {
			t.Errorf("typeEvidence(%q, %q) = %v, want %v", tt.q, tt.sentence, ev, tt.evidence)
		}
	}
}

func TestNewerThanLibrary(t *testing.T) {
	a := newFixtureAnswerer(Config{})
	a.lib.latestYear = 2025
	tests := []struct {
		q    string
		want bool
	}{
		{"2030年新修订的数据安全法有哪些变化？", true},
		{"2029年出台的数据产权法规定了什么？", true},
		{"2024年施行的促进和规范数据跨境流动规定有什么变化？", false},
		{"公司2030年前要完成哪些数据合规工作？", false},
	}
	for _, tt := range tests {
		if got := a.newerThanLibrary(&Question{Text: tt.q}); got != tt.want {
			t.Errorf("newerThanLibrary(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}

func TestFitScopeSeparates(t *testing.T) {
	// Two features, classes separable: the fitted model must put each
	// side on its side of 0.5.
	xs := [][]float64{{0.9, 1}, {0.8, 1}, {0.7, 1}, {0.2, 0}, {0.1, 0}, {0.3, 0}}
	ys := []bool{true, true, true, false, false, false}
	m := fitScope(xs, ys, scopeL2)
	for i, x := range xs {
		if (m.prob(x) >= 0.5) != ys[i] {
			t.Errorf("x=%v p=%.2f want in-scope=%v", x, m.prob(x), ys[i])
		}
	}
	if p := defaultScope.prob(make([]float64, len(defaultScope.W))); p >= 0.5 {
		t.Errorf("a question nothing covers is in scope with p=%.2f", p)
	}
}

func TestBlankANotA(t *testing.T) {
	a := newFixtureAnswerer(Config{})
	tests := []struct {
		q      string
		absent []string // words that must not become points
		kept   []string // points that must stay
	}{
		{"监管部门会不会让我们做审计？", []string{"不会"}, []string{"审计"}},
		{"发生数据安全事件要不要报告？", []string{"不要"}, []string{"报告"}},
		{"需不需要取得个人同意？", []string{"需要", "不需"}, []string{"同意"}},
		{"有没有规定不得转委托？", []string{"没有"}, []string{"不得"}},
	}
	for _, tt := range tests {
		q := analyze(tt.q, a.lx, nil, nil)
		has := map[string]bool{}
		for _, g := range q.Groups {
			for _, w := range g.Words {
				has[w] = true
			}
		}
		for _, w := range tt.absent {
			if has[w] {
				t.Errorf("%q: %q is a point (groups %v)", tt.q, w, q.Groups)
			}
		}
		for _, w := range tt.kept {
			if !has[w] {
				t.Errorf("%q: %q is not a point (groups %v)", tt.q, w, q.Groups)
			}
		}
	}
	if got := blankANotA("不得不予共享"); got != "不得不予共享" {
		t.Errorf("blankANotA changed %q", got)
	}
}

func TestIsInterrogative(t *testing.T) {
	tests := []struct {
		w    string
		want bool
	}{
		{"需不需要", true}, {"要不要", true}, {"该不该", true}, {"用没用", true}, {"知道不知道", true},
		{"干什么", true}, {"怎么弄", true},
		{"报告", false}, {"不得", false}, {"不予共享", false}, {"个人信息", false}, {"不可抗力", false},
	}
	for _, tt := range tests {
		if got := isInterrogative(tt.w); got != tt.want {
			t.Errorf("isInterrogative(%q) = %v, want %v", tt.w, got, tt.want)
		}
	}
}

func TestFrequencyTypeOnlyWhenAsked(t *testing.T) {
	for _, q := range []string{"要不要客户再点一次同意？", "评估结果有效期多久？", "一次授权能管几年？"} {
		if questionType(q)&TypeFrequency != 0 {
			t.Errorf("%s: read as a frequency question", q)
		}
	}
}

func TestFrequencyLead(t *testing.T) {
	tests := []struct{ s, want string }{
		{"重要数据和核心数据处理者每年至少开展一次数据安全风险评估，评估结果有效期为一年。", "每年至少一次"},
		{"重要数据处理者应当每年对其数据处理活动至少开展一次风险评估。", "每年至少一次"},
		{"每三年至少开展一次审计。", "每三年至少一次"},
		{"个人信息处理者应当定期对其处理个人信息的情况进行合规审计。", "定期"},
		{"每季度报送一次运行情况。", "每季度一次"},
		// Two frequencies: the quote speaks for itself.
		{"每年至少开展一次移动应用风险评估，每三年至少开展一次审计。", ""},
		{"评估结果有效期为一年。", ""},
	}
	for _, tt := range tests {
		if got := frequencyLead(tt.s); got != tt.want {
			t.Errorf("frequencyLead(%q) = %q, want %q", tt.s, got, tt.want)
		}
	}
}

// A word the question negates (使用寿命不确定的) is a point only in its
// negated form: a provision on 使用寿命有限 that merely uses 确定 elsewhere
// does not cover it.
func TestNegatedPoint(t *testing.T) {
	q := analyze("使用寿命不确定的无形资产要摊销吗？", defaultLexicon, nil, nil)
	var neg *Group
	for i, g := range q.Groups {
		if strings.HasSuffix(g.Words[0], "确定") {
			neg = &q.Groups[i]
		}
	}
	if neg == nil || neg.Words[0] != "不确定" {
		t.Fatalf("groups %v: want the point 不确定", q.Groups)
	}
	if !groupIn("使用寿命不确定的无形资产不应摊销。", *neg) {
		t.Errorf("不确定 not found in the provision stating it")
	}
	if groupIn("无法可靠确定预期实现方式的，应当采用直线法摊销。", *neg) {
		t.Errorf("确定 alone met the negated point")
	}
	// A word used both plainly and negated is the plain point.
	if negated("确定了吗？不确定的呢", "确定") {
		t.Errorf("negated reported for a word also used plainly")
	}
	// A negated act is the yes/no the verdict reads.
	if negated("这种情况能不能不申报？", "申报") {
		t.Errorf("negated reported for an omitted act")
	}
}

// A question's prohibition (不能拿来交易) is met by the statutes'
// prohibitive modals, not by the words 不能 in another sense (不能复原).
func TestProhibitionPoint(t *testing.T) {
	q := analyze("哪些数据是不能拿来交易的？", defaultLexicon, nil, nil)
	var g *Group
	for i := range q.Groups {
		if slices.Contains(q.Groups[i].Words, "不得") {
			g = &q.Groups[i]
		}
	}
	if g == nil {
		t.Fatalf("groups %v: no prohibition point", q.Groups)
	}
	if !groupIn("下列数据不得进行交易", *g) || groupIn("经处理无法识别且不能复原的，可以交易", *g) {
		t.Errorf("prohibition point %v matched wrongly", g.Words)
	}
}

// 处罚 asks a penalty question's type, as 怎么罚 does: it is no point a
// provision must state, unless the question names the breached article.
func TestPenaltyWordIsNoPoint(t *testing.T) {
	has := func(q *Question, w string) bool {
		for _, g := range q.Groups {
			if slices.Contains(g.Words, w) {
				return true
			}
		}
		return false
	}
	q := analyze("国家核心数据违反管理制度怎么处罚？", defaultLexicon, nil, nil)
	if has(q, "处罚") || !has(q, "国家核心数据") {
		t.Errorf("groups %v: want the points without 处罚", q.Groups)
	}
	if q := analyze("违反数据安全法第二十七条会受到什么处罚？", defaultLexicon, nil, nil); !has(q, "处罚") {
		t.Errorf("groups %v: a question naming the article keeps its words", q.Groups)
	}
	if q := analyze("怎么处罚？", defaultLexicon, nil, nil); !has(q, "处罚") {
		t.Errorf("groups %v: a question with no other point keeps 处罚", q.Groups)
	}
}

// A compound the question writes solid (重要数据处理者) is found where a
// statute writes it with 的 (重要数据的处理者), and weighs as the word.
func TestCompoundWithDe(t *testing.T) {
	if got := withDe("数据处理者"); !slices.Contains(got, "数据的处理者") {
		t.Errorf("withDe(数据处理者) = %v", got)
	}
	q := analyze("数据处理者多久做一次风险评估？", defaultLexicon, nil, nil)
	for _, g := range q.Groups {
		if g.Words[0] == "数据处理者" && !groupIn("重要数据的处理者应当定期开展风险评估", g) {
			t.Errorf("group %v misses 数据的处理者", g.Words)
		}
	}
	ix := &libIndex{}
	gs := []Group{{Words: []string{"数据处理者", "数据的处理者"}}, {Words: []string{"数据处理者"}}}
	ix.weigh(gs)
	if gs[0].Weight != gs[1].Weight {
		t.Errorf("the 的 spelling changed the weight: %v vs %v", gs[0].Weight, gs[1].Weight)
	}
}
