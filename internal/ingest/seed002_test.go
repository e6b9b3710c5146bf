package ingest

import (
	"strings"
	"testing"

	"datalex/internal/library"
)

func parseSeed002(t testing.TB) *Parsed {
	t.Helper()
	name, data := readSeed(t, "002")
	p, err := ParseSeed002(name, data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSeed002Counts(t *testing.T) {
	p := parseSeed002(t)
	if len(p.Versions) != 6 || len(p.News) != 6 {
		t.Fatalf("got %d regulations and %d news items, want 6 and 6", len(p.Versions), len(p.News))
	}
	want := []struct{ title, issue, effective, status string }{
		{"工业和信息化领域数据安全事件应急预案（试行）", "2024-10-29", "2024-11-01", library.StatusInForce},
		{"推动数字金融高质量发展行动方案", "2024-11-21", "2024-11-21", library.StatusInForce},
		{"关于开展“清朗·网络平台算法典型问题治理”专项行动的通知", "2024-11-12", "2024-11-12", library.StatusInForce},
		{"上海市数据产品知识产权登记存证暂行办法", "2024-11-08", "2024-12-08", library.StatusInForce},
		{"国家数据基础设施建设指引（征求意见稿）", "2024-11-22", "", library.StatusDraft},
		{"关键信息基础设施商用密码使用管理规定（征求意见稿）", "2024-11-15", "", library.StatusDraft},
	}
	for i, w := range want {
		v := p.Versions[i]
		if v.Title != w.title || v.IssueDate != w.issue || v.EffectiveDate != w.effective || v.Status != w.status {
			t.Errorf("reg %d: got %q %s/%s %s", i+1, v.Title, v.IssueDate, v.EffectiveDate, v.Status)
		}
		if v.Kind != library.KindRegulation || len(v.Issuers) == 0 || v.Provenance["issuers"].Line == 0 {
			t.Errorf("%s: kind %s issuers %v", v.Title, v.Kind, v.Issuers)
		}
	}
	if got := len(p.Versions[1].Issuers); got != 7 {
		t.Errorf("数字金融行动方案: %d issuers, want 7", got)
	}
	if r := p.Versions[3].Region; r != "上海" {
		t.Errorf("上海 办法 region %q", r)
	}
	for i, v := range p.News {
		if v.Kind != library.KindNews || v.IssueDate != "" || v.VersionLabel != "2024年11月" || !containsStr(v.Tags, "期刊:2024年11月") {
			t.Errorf("news %d %q: kind %s date %q label %q tags %v", i+1, v.Title, v.Kind, v.IssueDate, v.VersionLabel, v.Tags)
		}
	}
	if !strings.HasPrefix(p.News[3].Title, "快手公司") || !containsStr(p.News[3].Tags, "目录未列") {
		t.Errorf("news 4 = %q %v, want the 快手 item marked 目录未列", p.News[3].Title, p.News[3].Tags)
	}
}

func TestSeed002Cleaning(t *testing.T) {
	p := parseSeed002(t)
	if !containsStr(p.Warnings, p.File+"：合并跨页断句 26 处") {
		t.Errorf("warnings %v lack 26 page-break joins", p.Warnings)
	}
	all := append(append([]*library.Version{}, p.Versions...), p.News...)
	text := func(title string) string {
		for _, v := range all {
			if v.Title == title {
				var b strings.Builder
				for _, pr := range v.Provisions {
					b.WriteString(pr.Text + "\n")
				}
				return b.String()
			}
		}
		return ""
	}
	plan := text("工业和信息化领域数据安全事件应急预案（试行）")
	if strings.Contains(plan, "II 级") || strings.Contains(plan, "\n案。") || !strings.Contains(plan, "II级") {
		t.Errorf("incident plan: Roman-numeral spacing or the L80/82 page break not repaired")
	}
	infra := text("国家数据基础设施建设指引（征求意见稿）")
	if strings.Contains(infra, "基基础设施") || !strings.Contains(infra, "国家数据基础设施，进一步促进数据") {
		t.Errorf("doubled 基 across the page break not repaired")
	}
	// Item 2's table rows stay rows; item 5's —— bullets stay lines.
	var table *library.Provision
	for _, pr := range p.News[1].Provisions {
		if pr.Kind == library.ProvTable {
			table = pr
		}
	}
	if table == nil || strings.Count(table.Text, "\n") != 37 || !strings.HasPrefix(table.Text, "序号\t拟制修订的标准名称") {
		t.Errorf("news 2 table not kept as 38 rows: %+v", table)
	}
	bullets := 0
	for _, pr := range p.News[4].Provisions {
		for _, l := range strings.Split(pr.Text, "\n") {
			if strings.HasPrefix(l, "——") {
				bullets++
			}
		}
	}
	if bullets != 11 {
		t.Errorf("news 5 has %d —— bullet lines, want 11", bullets)
	}
}

func TestSeed002Golden(t *testing.T) {
	p := parseSeed002(t)
	checkGolden(t, "seed002", "incident_plan", p.Versions[:1])
	checkGolden(t, "seed002", "news", p.News)
}

func TestSeed002EvalGold(t *testing.T) {
	checkEvalGold(t, "seed002", parseSeed002(t).Versions)
}

func BenchmarkParseSeed002(b *testing.B) {
	name, data := readSeed(b, "002")
	for b.Loop() {
		if _, err := ParseSeed002(name, data); err != nil {
			b.Fatal(err)
		}
	}
}
