package ingest

import (
	"strings"
	"testing"

	"datalex/internal/library"
)

func parseSeed000(t testing.TB) *Parsed {
	t.Helper()
	name, data := readSeed(t, "000")
	p, err := ParseSeed000(name, data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSeed000Documents(t *testing.T) {
	p := parseSeed000(t)
	want := []struct {
		title      string
		kind       string
		first      int
		issuers    string
		level      string
		provisions int // at least
	}{
		{"关于加强银行业保险业移动互联网应用程序管理的通知", library.KindRegulation, 3, "金融监管总局办公厅", library.LevelNormative, 10},
		{seed000UntitledTitle, library.KindRegulation, 18, "", library.LevelNormative, 30},
		{"国务院关于加强数字政府建设的指导意见", library.KindRegulation, 72, "国务院", library.LevelPolicy, 30},
		{"网络数据安全管理条例", library.KindRegulation, 202, "国务院", library.LevelAdminRegs, 11},
		{"奋力谱写数字经济高质量发展新篇章", library.KindNote, 236, "", library.LevelCommentary, 3},
		{"数字经济促进共同富裕实施方案", library.KindRegulation, 250, "", library.LevelPolicy, 17},
		{"“十四五”数字经济发展规划", library.KindRegulation, 271, "", library.LevelPlanningGuide, 30},
		{"国家金融监督管理总局 中国人民银行 中国证券监督管理委员会 国家互联网信息办公室 国家外汇管理局关于规范货币经纪公司数据服务有关事项的通知",
			library.KindRegulation, 310, "国家金融监督管理总局|中国人民银行|中国证券监督管理委员会|国家互联网信息办公室|国家外汇管理局", library.LevelNormative, 4},
	}
	if len(p.Versions) != len(want) {
		t.Fatalf("got %d documents, want %d", len(p.Versions), len(want))
	}
	for i, w := range want {
		v := p.Versions[i]
		if v.Title != w.title || v.Kind != w.kind || v.Sources[0].FirstLine != w.first ||
			strings.Join(v.Issuers, "|") != w.issuers || v.Level != w.level {
			t.Errorf("doc %d: got %q kind %s L%d issuers %v level %s", i+1, v.Title, v.Kind, v.Sources[0].FirstLine, v.Issuers, v.Level)
		}
		if !v.HasFlag(library.FlagExcerpt) {
			t.Errorf("%s: not flagged excerpt", v.Title)
		}
		if len(v.Provisions) < w.provisions {
			t.Errorf("%s: %d provisions, want at least %d", v.Title, len(v.Provisions), w.provisions)
		}
		for _, pr := range v.Provisions {
			if strings.ContainsAny(pr.Text, "*<>") || strings.Contains(pr.Text, "- ") || strings.Contains(pr.Text, "多选") {
				t.Errorf("%s %s: Markdown left in %q", v.Title, pr.Label, pr.Text)
			}
			if strings.ContainsAny(pr.Text, ",;()\"") {
				t.Errorf("%s %s: ASCII punctuation left in %q", v.Title, pr.Label, pr.Text)
			}
		}
	}
	if v := p.Versions[3]; v.EffectiveDate != "2025-01-01" {
		t.Errorf("网络数据安全管理条例 effective %q, want 2025-01-01", v.EffectiveDate)
	}
}

func TestSeed000Golden(t *testing.T) {
	checkGolden(t, "seed000", "all", parseSeed000(t).Versions)
}

func TestSeed000EvalGold(t *testing.T) {
	checkEvalGold(t, "seed000", parseSeed000(t).Versions)
}

func TestSeed000Cleaning(t *testing.T) {
	tests := []struct{ in, want string }{
		{`- 十三、按照"**谁管业务**"的原则,明确责任(含外包)。`, "十三、按照“谁管业务”的原则，明确责任（含外包）。"},
		{"十七、识别违规展业等业务 风险,每 三年至少开展一次审计", "十七、识别违规展业等业务风险，每三年至少开展一次审计"},
		{" - (一) 能够验证请求人的真实身份;", "（一）能够验证请求人的真实身份；"},
		{"- 三、战略规划与组织流程建设。(多选)", "三、战略规划与组织流程建设。（多选）"},
		{"五、构建开放共享的数据资源体系 (🚧 🧩 🔆)", "五、构建开放共享的数据资源体系"},
		{"建立<mark>管理评估和考核体系</mark>,10:30 与 1,000", "建立管理评估和考核体系，10:30与1,000"},
	}
	for _, tt := range tests {
		if got := seed000CleanLine(tt.in); got != tt.want {
			t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitIssuers(t *testing.T) {
	tests := []struct{ in, want string }{
		{"中共中央办公厅\u2002国务院办公厅", "中共中央办公厅|国务院办公厅"},
		{"中共中央 国务院", "中共中央|国务院"},
		{"国家金融监督管理总局 中国人民银行中国证券监督管理委员会", "国家金融监督管理总局|中国人民银行|中国证券监督管理委员会"},
		{"国务院", "国务院"},
		{"朝阳区", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(sdSplitIssuers(tt.in), "|"); got != tt.want {
			t.Errorf("sdSplitIssuers(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
