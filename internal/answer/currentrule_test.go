package answer

import (
	"context"
	"strings"
	"testing"

	"datalex/internal/library"
)

func TestCurrentRuleNote(t *testing.T) {
	cand := func(doc, label, text string) *candidate {
		return &candidate{Passage: Passage{Document: doc, Label: label, Citation: doc + " " + label, Text: label + text}}
	}
	newer := cand("促进和规范数据跨境流动规定", "第九条", "通过数据出境安全评估的结果有效期为3年，自评估结果出具之日起计算。")
	older := cand("数据出境安全评估办法", "第十四条", "通过数据出境安全评估的结果有效期为 2年，自评估结果出具之日起计算。在有效期内出现以下情形之一的，数据处理者应当重新申报评估。")
	same := cand("数据出境安全评估办法", "第十二条", "国家网信部门应当自受理之日起 45个工作日内完成数据出境安全评估。")
	other := cand("促进和规范数据跨境流动规定", "第二条", "国家网信部门应当自受理之日起 45个工作日内完成数据出境安全评估。")
	thresholdNew := cand("促进和规范数据跨境流动规定", "第七条", "（二）关键信息基础设施运营者以外的数据处理者向境外提供重要数据，或者自当年1月1日起累计向境外提供100万人以上个人信息（不含敏感个人信息）或者1万人以上敏感个人信息。")
	thresholdOld := cand("数据出境安全评估办法", "第四条", "（三）处理100万人以上个人信息的数据处理者向境外提供个人信息；（四）自上年1月1日起累计向境外提供10万人个人信息或者1万人敏感个人信息的数据处理者向境外提供个人信息；")
	tests := []struct {
		name     string
		gov, old *candidate
		want     []string
	}{
		{"figures of the closest item", thresholdNew, thresholdOld, []string{"规定为「10万人、1万人」", "第七条为「100万人、1万人」"}},
		{"figures that do not pair are not set side by side", thresholdNew, cand("数据出境安全评估办法", "第四条", "（三）处理100万人以上个人信息的数据处理者向境外提供个人信息。"), []string{"已由《促进和规范数据跨境流动规定》第七条取代"}},
		{"differing figures are both stated", newer, older, []string{"原《数据出境安全评估办法》第十四条规定为「2年」", "现依《促进和规范数据跨境流动规定》第九条为「3年」"}},
		{"same figures: only which rule applies", other, same, []string{"已由《促进和规范数据跨境流动规定》第二条取代"}},
	}
	for _, tt := range tests {
		got := currentRuleNote(tt.gov, tt.old)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: note %q lacks %q", tt.name, got, w)
			}
		}
	}

	// replacedBy finds the old provision only when the current-rule step
	// marked it superseded by the governing one.
	older.SupersededBy = newer.Citation
	if got := replacedBy(newer, []*candidate{newer, same, older}); got != older {
		t.Errorf("replacedBy = %v, want the superseded provision", got)
	}
	if got := replacedBy(other, []*candidate{other, same, older}); got != nil {
		t.Errorf("replacedBy for a provision that replaced nothing = %v", got.Citation)
	}
}

func TestQuantities(t *testing.T) {
	tests := []struct {
		s    string
		want string
	}{
		{"有效期为 2年，自2022年9月1日起计算", "2年"},
		{"处五十万元以上二百万元以下罚款", "五十万元 二百万元"},
		{"本办法自2024年3月22日起施行。", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(quantities(tt.s), " "); got != tt.want {
			t.Errorf("quantities(%q) = %q, want %q", tt.s, got, tt.want)
		}
	}
}

// TestAnswerStatesTheCurrentRule runs the whole extractive path over two
// documents, the later one stating that it prevails: the answer cites the
// later provision, marks it as replacing the earlier one and says what the
// earlier rule was.
func TestAnswerStatesTheCurrentRule(t *testing.T) {
	mk := func(id, title, date string, arts ...[2]string) *library.Version {
		v := &library.Version{ID: id, WorkID: "w-" + id, Title: title, Kind: library.KindRegulation, Status: library.StatusInForce,
			IssueDate: date, EffectiveDate: date, Sources: []library.Source{{File: "001_test.txt", FirstLine: 1, LastLine: 1000}}}
		for i, a := range arts {
			v.Provisions = append(v.Provisions, &library.Provision{ID: id + "-" + a[0], Kind: library.ProvArticle, Label: a[0],
				Text: a[0] + " " + a[1], Citation: library.CitationFor(title, a[0]), Line: 10*i + 1})
		}
		return v
	}
	old := mk("old", "数据出境安全评估办法", "2022-09-01",
		[2]string{"第十四条", "通过数据出境安全评估的结果有效期为2年，自评估结果出具之日起计算。"},
		[2]string{"第十二条", "国家网信部门应当自受理之日起45个工作日内完成数据出境安全评估。"},
		[2]string{"第十八条", "违反本办法规定的，依据《中华人民共和国网络安全法》、《中华人民共和国数据安全法》、《中华人民共和国个人信息保护法》等法律法规处理。"})
	newer := mk("new", "促进和规范数据跨境流动规定", "2024-03-22",
		[2]string{"第一条", "为了保障数据安全，保护个人信息权益，促进数据依法有序自由流动，根据《中华人民共和国网络安全法》、《中华人民共和国数据安全法》、《中华人民共和国个人信息保护法》等法律法规，对数据出境安全评估、个人信息出境标准合同、个人信息保护认证等数据出境制度的施行，制定本规定。"},
		[2]string{"第九条", "通过数据出境安全评估的结果有效期为3年，自评估结果出具之日起计算。"},
		[2]string{"第十三条", "数据出境安全评估办法等相关规定与本规定不一致的，适用本规定。"})
	newer.Relations = []library.Relation{{Type: library.RelPrevails, Target: "数据出境安全评估办法", TargetWork: "w-old", Provision: "new-第十三条"}}
	cat := library.NewCatalog([]*library.Version{old, newer})
	a := New(Config{Catalog: cat, Retrieve: bigramRetriever(cat)})
	ans, err := a.Ask(context.Background(), Request{Question: "数据出境安全评估结果的有效期是几年？", Answerer: Extractive})
	if err != nil {
		t.Fatal(err)
	}
	if ans.Refused || len(ans.Cites) == 0 {
		t.Fatalf("refused or uncited: %+v", ans)
	}
	if c := ans.Cites[0]; c.Label != "第九条" || c.Supersedes != "数据出境安全评估办法 第十四条" {
		t.Errorf("governing citation %s %s supersedes %q, want 第九条 superseding 数据出境安全评估办法 第十四条", c.Document, c.Label, c.Supersedes)
	}
	for _, want := range []string{"结论：3年", "原《数据出境安全评估办法》第十四条规定为「2年」", "第九条为「3年」"} {
		if !strings.Contains(ans.Text, want) {
			t.Errorf("answer lacks %q:\n%s", want, ans.Text)
		}
	}

	// The current-rule step puts the later provision ahead of the earlier
	// one, unless the question names the earlier article.
	for _, cited := range []bool{false, true} {
		_, p := cat.Provision("old-第十四条")
		c := &candidate{Passage: PassageOf(old, p, 1), final: 2, cited: cited}
		cands := a.applyCurrentRule(a.understand("有效期是几年？", nil), []*candidate{c})
		if len(cands) != 2 || (cands[0] == c) != cited {
			t.Errorf("cited %v: order %s, %s", cited, cands[0].Citation, cands[len(cands)-1].Citation)
		}
	}

	// Asked by number, the earlier article is quoted, with the note that
	// the later one now governs; a provision sharing only the names of
	// the laws it cites has no successor.
	for _, tt := range []struct{ q, label, superseded string }{
		{"《数据出境安全评估办法》第十四条规定了什么？", "第十四条", "《促进和规范数据跨境流动规定》 第九条"},
		{"《数据出境安全评估办法》第十八条规定了什么？", "第十八条", ""},
	} {
		ans, err := a.Ask(context.Background(), Request{Question: tt.q, Answerer: Extractive})
		if err != nil {
			t.Fatal(err)
		}
		if ans.Refused || len(ans.Cites) == 0 {
			t.Fatalf("%s: refused or uncited", tt.q)
		}
		if c := ans.Cites[0]; c.Label != tt.label || c.SupersededBy != tt.superseded {
			t.Errorf("%s: first citation %s %s superseded by %q, want %s superseded by %q", tt.q, c.Document, c.Label, c.SupersededBy, tt.label, tt.superseded)
		}
	}
}
