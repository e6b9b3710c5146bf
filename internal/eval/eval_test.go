package eval

import (
	"math"
	"strings"
	"testing"
)

func intp(n int) *int { return &n }

func TestGoldMatches(t *testing.T) {
	pipl := Gold{Doc: "中华人民共和国个人信息保护法", Article: "第三十八条", Seed: "001.txt", Line: 100, LineEnd: 110}
	s3 := Gold{Doc: "促进和规范数据跨境流动规定", Article: "第七条", Seed: "003.txt", Line: 4, CharOffset: intp(500), CharEnd: intp(700)}
	outline := Gold{Doc: "企业数据资源相关会计处理暂行规定", Article: "二、（一）"}
	tests := []struct {
		name string
		g    Gold
		h    Hit
		want bool
	}{
		{"title and label", pipl, Hit{Document: "个人信息保护法", Label: "第三十八条"}, true},
		{"quotes and spaces", pipl, Hit{Document: "《中华人民共和国 个人信息保护法》", Label: "第三十八条"}, true},
		{"other article", pipl, Hit{Document: "个人信息保护法", Label: "第三十九条"}, false},
		{"line inside range", pipl, Hit{Document: "x", Label: "y", Source: "001.txt", Line: 105}, true},
		{"line outside range", pipl, Hit{Document: "x", Label: "y", Source: "001.txt", Line: 111}, false},
		{"other file", pipl, Hit{Document: "x", Label: "y", Source: "002.txt", Line: 105}, false},
		{"offset inside", s3, Hit{Source: "003.txt", Line: 4, Offset: intp(500)}, true},
		{"offset at end", s3, Hit{Source: "003.txt", Line: 4, Offset: intp(700)}, false},
		{"single line without offset", s3, Hit{Source: "003.txt", Line: 4}, false},
		{"full-width label", outline, Hit{Document: "企业数据资源相关会计处理暂行规定", Label: "二（一）"}, true},
	}
	for _, tt := range tests {
		if got := tt.g.Matches(tt.h); got != tt.want {
			t.Errorf("%s: Matches = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestRanksAndScore(t *testing.T) {
	q := Question{ID: "Q1", Style: "professional",
		Gold:    []Gold{{Doc: "数据安全法", Article: "第二十一条"}, {Doc: "数据安全法", Article: "第四十五条"}},
		GoldAlt: []Gold{{Doc: "网络数据安全管理条例", Article: "第十条", AltFor: 1}},
	}
	hits := []Hit{
		{Document: "其他", Label: "第一条"},
		{Document: "中华人民共和国数据安全法", Label: "第二十一条"},
		{Document: "中华人民共和国数据安全法", Label: "第二十一条"}, // duplicate: credited once
		{Document: "网络数据安全管理条例", Label: "第十条"},     // alternative for the second gold
	}
	ranks := Ranks(q, hits)
	if len(ranks) != 2 || ranks[0] != 2 || ranks[1] != 4 {
		t.Fatalf("Ranks = %v, want [2 4]", ranks)
	}
	m := Score([]Result{{ID: "Q1", Style: "professional", Ranks: ranks}, {ID: "Q2", Style: "layperson", Ranks: []int{0}}})
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	if !near(m.Recall[1], 0) || !near(m.Recall[3], 0.25) || !near(m.Recall[10], 0.5) {
		t.Errorf("Recall = %v", m.Recall)
	}
	if !near(m.Hit[3], 0.5) || !near(m.Hit[1], 0) {
		t.Errorf("Hit = %v", m.Hit)
	}
	if !near(m.MRR10, 0.25) {
		t.Errorf("MRR@10 = %v, want 0.25", m.MRR10)
	}
	idcg := 1 + 1/math.Log2(3)
	dcg := 1/math.Log2(3) + 1/math.Log2(5)
	if !near(m.NDCG10, dcg/idcg/2) {
		t.Errorf("nDCG@10 = %v, want %v", m.NDCG10, dcg/idcg/2)
	}
	if bs := ByStyle([]Result{{Style: "a", Ranks: []int{1}}, {Style: "b", Ranks: []int{0}}}); bs["a"].MRR10 != 1 || bs["b"].MRR10 != 0 {
		t.Errorf("ByStyle = %+v", bs)
	}
}

func TestLoad(t *testing.T) {
	in := `{"id":"Q1","question":"问","style":"layperson","gold":[{"doc":"甲","article":"第一条","seed":"003.txt","line":4,"char_offset":5,"char_end":9}]}

{"id":"Q2","question":"问二","gold":[{"doc":"乙","article":"一、"}],"gold_alt":[{"doc":"丙","article":"二、","alt_for":0}]}
`
	qs, err := Load(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 2 || *qs[0].Gold[0].CharOffset != 5 || qs[1].GoldAlt[0].Doc != "丙" {
		t.Errorf("Load = %+v", qs)
	}
	if _, err := Load(strings.NewReader(`{"id":"Q3","question":""}`)); err == nil {
		t.Error("question without gold accepted")
	}
	if _, err := Load(strings.NewReader(`{not json`)); err == nil {
		t.Error("bad JSON accepted")
	}
}

func TestLoadSTARDFormat(t *testing.T) {
	qs, err := Load(strings.NewReader(`{"qid": 7, "query": "谁可以成为个体工商户？", "gold": [{"law": "中华人民共和国民法典", "article": "第五十四条"}]}` + "\n"))
	if err != nil || len(qs) != 1 {
		t.Fatalf("%v %d", err, len(qs))
	}
	q := qs[0]
	if q.ID != "7" || q.Question != "谁可以成为个体工商户？" || len(q.Gold) != 1 || q.Gold[0].Doc != "中华人民共和国民法典" || q.Gold[0].Article != "第五十四条" {
		t.Errorf("%+v", q)
	}
}
