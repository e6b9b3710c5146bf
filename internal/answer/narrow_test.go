package answer

import (
	"strings"
	"testing"

	"datalex/internal/library"
)

func TestNarrowToPart(t *testing.T) {
	v := &library.Version{ID: "acct", WorkID: "w-acct", Title: "企业数据资源相关会计处理暂行规定", Kind: library.KindRegulation,
		Sources: []library.Source{{File: "001_test.txt", FirstLine: 1, LastLine: 1000}}}
	add := func(id, parent, kind, label, text string) {
		v.Provisions = append(v.Provisions, &library.Provision{ID: id, ParentID: parent, Kind: kind, Label: label, Text: text, Line: len(v.Provisions) + 1})
	}
	add("h2", "", library.ProvOutline, "三、（二）", "（二）披露要求")
	add("h2-1", "h2", library.ProvOutline, "三、（二）1", "1．确认为无形资产的数据资源相关披露，企业应当按照外购无形资产、自行开发无形资产等类别披露相关会计信息。")
	add("h2-3", "h2", library.ProvOutline, "三、（二）3", "3．其他披露要求。企业对数据资源进行评估且评估结果对企业财务报表具有重要影响的，应当披露评估依据的信息来源，评估方法的选择等信息。")
	add("art", "", library.ProvArticle, "第五条", "第五条 申请登记的，应当提交以下材料：")
	add("art-1", "art", library.ProvItem, "第五条（一）", "（一）数据产品知识产权登记申请表，载明申请人、数据产品名称和数据来源等事项；")
	cat := library.NewCatalog([]*library.Version{v})
	a := New(Config{Catalog: cat, Retrieve: bigramRetriever(cat)})
	cand := func(id string) *candidate {
		for _, p := range v.Provisions {
			if p.ID == id {
				ps := PassageOf(v, p, 1)
				ps.Text = a.lib.fullText(p.ID, p.Text)
				return &candidate{Passage: ps}
			}
		}
		t.Fatalf("no provision %s", id)
		return nil
	}
	tests := []struct {
		name, question, id string
		want               string // label cited; "" for not narrowed
	}{
		{"a heading moves to the part holding the answer", "数据资源评估结果对财务报表影响重大的，要披露哪些评估信息？", "h2", "三、（二）3"},
		{"an article keeps its label", "申请数据产品知识产权登记要提交哪些材料？申请表载明哪些事项？", "art", ""},
		{"a part without parts stays", "评估结果对财务报表有重要影响的要披露什么？", "h2-3", ""},
	}
	for _, tt := range tests {
		q := analyze(tt.question, a.lx, a.lib.names, nil)
		a.lib.weigh(q.Groups)
		got, ok := a.narrowToPart(cand(tt.id), q)
		if tt.want == "" {
			if ok {
				t.Errorf("%s: narrowed to %s", tt.name, got.Label)
			}
			continue
		}
		if !ok || got.Label != tt.want {
			t.Errorf("%s: narrowed=%v to %q, want %q", tt.name, ok, got.Label, tt.want)
		}
	}
}

func TestSelectSentencesQuotesARepeatOnce(t *testing.T) {
	// A long outline item whose sub-tables each open with the same
	// lead-in: the quote carries it once.
	long := "（1）企业应当按照外购无形资产、自行开发无形资产等类别，对确认为无形资产的数据资源相关会计信息进行披露。具体披露格式如下：\n" +
		"表一 略。（2）企业应当披露使用寿命有限的数据资源无形资产的使用寿命的估计情况及摊销方法；使用寿命不确定的，还应当披露其账面价值。" +
		"（3）企业应当披露对数据资源无形资产的摊销期、摊销方法或残值的变更内容、原因以及对当期和未来期间的影响数。" +
		"（1）企业应当按照外购存货、自行加工存货等类别，对确认为存货的数据资源相关会计信息进行披露。具体披露格式如下：\n" +
		"表二 略。（2）企业应当披露确定发出数据资源存货成本所采用的方法。（3）企业应当披露数据资源存货可变现净值的确定依据、存货跌价准备的计提方法。"
	q := analyze("数据资源无形资产和存货要披露什么信息？具体披露格式如下：", defaultLexicon, nil, nil)
	got := selectSentences(Passage{Text: long}, q, 80)
	n := 0
	for _, s := range got {
		n += strings.Count(s, "具体披露格式如下：")
	}
	if n != 1 {
		t.Errorf("the repeated lead-in is quoted %d times in %q", n, got)
	}
}

func TestRefusalSaysWhyNotAnswered(t *testing.T) {
	a := newFixtureAnswerer(Config{})
	tests := []struct {
		name     string
		coverage float64
		want     string
	}{
		{"nothing near: another subject", 0.1, "问题的主题不在本库收录的文件范围内"},
		{"near but short: the library's subject, not its answer", 0.4, "最接近的条文只涉及问题的部分要点"},
	}
	for _, tt := range tests {
		r := &retrieval{q: &Question{Text: "车企能把这些视频传到车外吗？"}, candidates: []*candidate{{Passage: Passage{Document: "汽车数据安全管理若干规定（试行）", Label: "第七条", Citation: "汽车数据安全管理若干规定（试行） 第七条", Text: "第七条 汽车数据处理者处理个人信息应当……"}, coverage: tt.coverage}}}
		if ans := a.refusal(r); !strings.Contains(ans.Text, tt.want) {
			t.Errorf("%s: refusal %q lacks %q", tt.name, ans.Text, tt.want)
		}
	}
}
