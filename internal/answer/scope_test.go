package answer

import (
	"strings"
	"testing"
)

func TestForeignLawAndOwnFigures(t *testing.T) {
	tests := []struct {
		q       string
		foreign bool
		own     bool
	}{
		{"欧盟GDPR违规最高罚多少？", true, false},
		{"日本个人信息保护法对跨境传输有什么要求？", true, false},
		{"美国加州的消费者隐私法案要求多少天内答复？", true, false},
		// A Chinese cross-border question that names a foreign place is not
		// about foreign law.
		{"我们把3万个客户手机号传给新加坡总部，需要做安全评估吗", false, false},
		{"向美国的母公司提供员工信息需要签标准合同吗？", false, false},
		{"我们公司去年的数据资产账面价值是多少？", false, true},
		{"某上市公司2023年年报里数据资源入表的金额是多少？", false, true},
		// Asking what the law says about amounts is in scope.
		{"公司违反个人信息保护法，罚款最多是多少？", false, false},
		{"企业数据资源入表后在资产负债表上怎么列示？", false, false},
	}
	lx := defaultLexicon
	for _, tt := range tests {
		q := analyze(tt.q, lx, nil, nil)
		if (q.ForeignLaw != "") != tt.foreign {
			t.Errorf("%s: ForeignLaw=%q, want foreign=%v", tt.q, q.ForeignLaw, tt.foreign)
		}
		if q.OwnFigures != tt.own {
			t.Errorf("%s: OwnFigures=%v, want %v", tt.q, q.OwnFigures, tt.own)
		}
	}
}

func TestPlaceNamed(t *testing.T) {
	tests := []struct {
		q      string
		region string
		title  string
		want   bool
	}{
		{"数据交易要提交哪些材料？", "全国", "数据安全法", true},
		{"数据交易要提交哪些材料？", "", "某办法", true},
		{"数据交易要提交哪些材料？", "广东", "深圳市数据交易管理暂行办法", false},
		{"深圳数据交易要提交哪些材料？", "广东", "深圳市数据交易管理暂行办法", true},
		{"在广东做数据资产登记要公示多久？", "广东省", "广东省数据资产合规登记规则（试行）", true},
		{"上海的公共数据怎么开放？", "北京", "北京市公共数据管理办法", false},
		// A city's rule filed under its province: the province is not the city.
		{"在浙江拿到公共数据授权运营，一次授权几年？", "浙江", "温州市公共数据授权运营管理实施细则（试行）", false},
		{"在温州拿到公共数据授权运营，一次授权几年？", "浙江", "温州市公共数据授权运营管理实施细则（试行）", true},
		{"在浙江拿到公共数据授权运营，一次授权几年？", "浙江", "浙江省公共数据授权运营管理办法（试行）", true},
		{"上海的数据资产怎么管？", "上海", "关于进一步加强本市数据资产管理的通知", true},
		{"上海的公共数据怎么运行？", "上海", "青浦区公共数据运行服务管理办法（试行）", false},
	}
	for _, tt := range tests {
		got := placeNamed(tt.q, Passage{Region: tt.region, Document: tt.title})
		if got != tt.want {
			t.Errorf("placeNamed(%q, %s/%s) = %v, want %v", tt.q, tt.region, tt.title, got, tt.want)
		}
	}
}

func TestLocalExample(t *testing.T) {
	lx := defaultLexicon
	tests := []struct {
		q, region, title string
		named            bool // the candidate is from a document the question names
		want             bool
		shown            string // the region the warning names
	}{
		{"发生数据安全事件要不要报告？", "上海", "上海市数据条例", false, true, "上海市"},
		{"发生数据安全事件要不要报告？", "浙江", "温州市公共数据授权运营管理实施细则（试行）", false, true, "温州市"},
		{"在上海发生数据安全事件要不要报告？", "上海", "上海市数据条例", false, false, ""},
		{"发生数据安全事件要不要报告？", "全国", "数据安全法", false, false, ""},
		{"发生数据安全事件要不要报告？", "", "某办法", false, false, ""},
		// Naming the document is naming where it applies.
		{"《公共数据授权运营管理办法》对授权期限怎么规定？", "北京", "公共数据授权运营管理办法", true, false, ""},
	}
	for _, tt := range tests {
		q := analyze(tt.q, lx, nil, nil)
		c := answerCitation(1, Passage{Region: tt.region, Document: tt.title, Label: "第一条"}, "……", q, tt.named)
		if c.LocalExample != tt.want {
			t.Errorf("%s / %s: local example %v, want %v", tt.q, tt.title, c.LocalExample, tt.want)
			continue
		}
		if !tt.want {
			continue
		}
		if c.Region != tt.shown || len(c.Warnings) == 0 || !strings.Contains(c.Warnings[len(c.Warnings)-1], tt.shown+"地方规定") {
			t.Errorf("%s / %s: region %q warnings %v, want the warning to name %s", tt.q, tt.title, c.Region, c.Warnings, tt.shown)
		}
		// The warning must survive the grounding check as one note
		// sentence: no sentence break inside it.
		if strings.ContainsAny(c.Warnings[len(c.Warnings)-1], "。；！？") {
			t.Errorf("warning %q holds a sentence break", c.Warnings[len(c.Warnings)-1])
		}
	}
}

func TestScopeFocus(t *testing.T) {
	// cands builds a retrieval whose leading candidates come from the
	// given documents, best first.
	cands := func(works ...string) *retrieval {
		r := &retrieval{q: &Question{}}
		for _, w := range works {
			r.candidates = append(r.candidates, &candidate{Passage: Passage{WorkID: w}})
		}
		return r
	}
	tests := []struct {
		name string
		r    *retrieval
		want float64
	}{
		{"no candidates", cands(), 0},
		{"one document throughout", cands("a", "a", "a", "a", "a", "a", "a", "a", "a", "a"), 1},
		{"scattered", cands("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"), 0.1},
		{"half from the best's document", cands("a", "b", "a", "c", "a", "d", "a", "e", "a", "f"), 0.5},
		// Only the leading scopeLead candidates count.
		{"beyond the lead", cands("a", "b", "b", "b", "b", "b", "b", "b", "b", "b", "a", "a"), 0.1},
		// Fewer than scopeLead candidates (a small library): the share of
		// those there are.
		{"short list", cands("a", "a", "b", "a"), 0.75},
	}
	for _, tt := range tests {
		got := scopeFeaturesOf(tt.r, &libIndex{}).focus
		if d := got - tt.want; d > 1e-9 || d < -1e-9 {
			t.Errorf("%s: focus=%.2f, want %.2f", tt.name, got, tt.want)
		}
	}
	// The model reads focus: more focus, more likely answered.
	lo, hi := scopeFeatures{coverage: 0.3, groups: 4, covered: 2, focus: 0.1}, scopeFeatures{coverage: 0.3, groups: 4, covered: 2, focus: 0.9}
	if defaultScope.prob(lo.vector()) >= defaultScope.prob(hi.vector()) {
		t.Errorf("focus does not raise the scope probability: %.2f vs %.2f", defaultScope.prob(lo.vector()), defaultScope.prob(hi.vector()))
	}
}

func TestSentenceStatingAllIsInScope(t *testing.T) {
	// Ten scattered candidates, the best covering every point of the
	// question in one sentence with the type's evidence (typed 1) or not
	// (typed 0.5): the first is answered whatever the model reads from the
	// rest, the second is left to the model, which refuses it.
	a := New(Config{Catalog: fixture()})
	q := &Question{Text: "核心数据要怎么管？", Type: TypeObligation, Groups: []Group{{Words: []string{"核心数据"}, Weight: 1}, {Words: []string{"管理"}, Weight: 1}}}
	for _, tt := range []struct {
		typed float64
		weak  bool
	}{{1, false}, {0.5, true}} {
		r := &retrieval{q: q}
		for i := 0; i < scopeLead; i++ {
			r.candidates = append(r.candidates, &candidate{Passage: Passage{WorkID: string(rune('a' + i))}})
		}
		r.candidates[0].coverage, r.candidates[0].covered, r.candidates[0].best, r.candidates[0].typed = 0.5, 1, tt.typed, tt.typed
		if got := a.weak(r); got != tt.weak {
			t.Errorf("typed %.1f: weak=%v, want %v", tt.typed, got, tt.weak)
		}
	}
}
