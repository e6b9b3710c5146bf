package answer

import (
	"context"
	"testing"

	"datalex/internal/library"
)

// An article whose first sentence refers back (分析上述三种基本方法的适用性)
// is quoted with the article it refers to when the question asks what is
// referred to; otherwise it stands alone.
func TestAntecedentOfAReference(t *testing.T) {
	v := &library.Version{ID: "pg", WorkID: "w-pg", Title: "数据资产评估指导意见", Status: library.StatusInForce, Kind: library.KindRegulation}
	for _, a := range [][2]string{
		{"第十八条", "执行数据资产评估业务，应当关注数据资产的质量。"},
		{"第十九条", "确定数据资产价值的评估方法包括收益法、成本法和市场法三种基本方法及其衍生方法。"},
		{"第二十条", "执行数据资产评估业务，资产评估专业人员应当分析上述三种基本方法的适用性，选择数据资产评估方法。"},
		{"第二十一条", "采用收益法评估数据资产时应当合理预测数据资产带来的预期收益。"},
	} {
		v.Provisions = append(v.Provisions, &library.Provision{ID: "pg-" + a[0], Kind: library.ProvArticle, Label: a[0], Text: a[0] + " " + a[1],
			Citation: library.CitationFor(v.Title, a[0])})
	}
	cat := library.NewCatalog([]*library.Version{v})
	a := New(Config{Catalog: cat, Retrieve: bigramRetriever(cat)})
	lead := func(label string) *candidate {
		for _, p := range v.Provisions {
			if p.Label == label {
				return &candidate{Passage: PassageOf(v, p, 1)}
			}
		}
		t.Fatalf("no %s", label)
		return nil
	}
	tests := []struct {
		q, label, want string
	}{
		{"数据资产评估方法选择时要分析哪几种基本方法的适用性？", "第二十条", "第十九条"},
		// Not asking what is referred to.
		{"数据资产评估方法选择时要分析适用性吗？", "第二十条", ""},
		// No reference back.
		{"采用收益法评估数据资产时要预测哪些收益？", "第二十一条", ""},
	}
	for _, tt := range tests {
		q := a.understand(tt.q, nil)
		got := ""
		if c := a.antecedent(q, lead(tt.label)); c != nil {
			got = c.Label
		}
		if got != tt.want {
			t.Errorf("%s: antecedent %q, want %q", tt.q, got, tt.want)
		}
	}
	ans, err := a.Ask(context.Background(), Request{Question: "数据资产评估方法选择时要分析哪几种基本方法的适用性？"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ans.Cites) == 0 || ans.Cites[0].Label != "第十九条" {
		t.Errorf("citations %+v: want 第十九条 first", ans.Cites)
	}
}
