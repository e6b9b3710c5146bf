package answer

import (
	"strings"
	"testing"
)

func TestVerify(t *testing.T) {
	byN := map[int]Passage{
		1: {Document: "中华人民共和国个人信息保护法", Label: "第六十六条", Text: "有前款规定的违法行为，情节严重的，由省级以上履行个人信息保护职责的\n部门责令改正，没收违法所得，并处五千万元以下或者上一年度营业额百分之五\n以下罚款。"},
		2: {Document: "促进和规范数据跨境流动规定", Label: "第七条", Text: "自当年1月1日起累计向境外提供100 万人以上个人信息（不含敏感个人信息）或者1 万人以上敏感个人信息。"},
		3: {Document: "企业数据资源相关会计处理暂行规定", Label: "三、（一）", Text: "（一）在“存货”项目下增设“其中：数据资源”项目。反映确认为存货的数据资源。在”存货“项目下增设。反映确认为存货的数据资源。"},
	}
	tests := []struct {
		name string
		text string
		keep bool
		want func(g Grounding) bool
	}{
		{"quote across a line wrap", "情节严重的，「并处五千万元以下或者上一年度营业额百分之五以下罚款」[1]。", true, nil},
		{"marker before the full stop", "情节严重的可处五千万元以下罚款[1]。", true, nil},
		{"marker after the full stop", "情节严重的可处五千万元以下罚款。[1]", true, nil},
		{"arabic figures with spaces in the source", "累计向境外提供100万人以上个人信息的需要申报[2]。", true, nil},
		{"figure from the question", "贵公司每年向境外提供5万人个人信息的情况适用本条[2]。", true, nil},
		{"invented arabic figure", "累计向境外提供50万人以上个人信息的需要申报[2]。", false, func(g Grounding) bool { return g.BadNumbers == 1 }},
		{"invented chinese amount", "情节严重的可处一亿元以下罚款[1]。", false, func(g Grounding) bool { return g.BadNumbers == 1 }},
		{"quote not in the cited provision", "条文规定「情节严重的可以免予处罚」[1]。", false, func(g Grounding) bool { return g.BadQuotes == 1 }},
		{"quote from another provision", "条文规定「上一年度营业额百分之五」[2]。", false, func(g Grounding) bool { return g.BadQuotes == 1 }},
		{"unknown marker", "情节严重的可处五千万元以下罚款[7]。", false, func(g Grounding) bool { return g.BadMarkers == 1 && g.Uncited == 1 }},
		{"uncited claim", "情节严重的可处五千万元以下罚款。", false, func(g Grounding) bool { return g.Uncited == 1 }},
		{"invented law", "依据《数据罚款条例》，可处五千万元以下罚款[1]。", false, func(g Grounding) bool { return g.BadTitles == 1 }},
		{"cited law by title", "依据《个人信息保护法》，可处五千万元以下罚款[1]。", true, nil},
		{"nested curly quotes with a full stop inside", "- 三、（一）：「在“存货”项目下增设“其中：数据资源”项目。反映确认为存货的数据资源。」[3]", true, func(g Grounding) bool { return g.Sentences == 1 }},
		{"unbalanced curly quote inside a quote", "- 三、（一）：「在”存货“项目下增设。反映确认为存货的数据资源。」[3]", true, func(g Grounding) bool { return g.Sentences == 1 }},
		{"heading is not a claim", "根据库内条文：", true, func(g Grounding) bool { return g.Sentences == 0 }},
	}
	for _, tt := range tests {
		ans := &Answer{Text: tt.text, Cites: []Citation{{N: 1}, {N: 2}, {N: 3}}}
		verify(ans, byN, "我们公司每年向境外提供5万人的个人信息")
		kept := strings.Contains(ans.Text, strings.TrimSpace(strings.Split(tt.text, "[")[0])[:9])
		if kept != tt.keep {
			t.Errorf("%s: kept=%v want %v; text %q grounding %+v", tt.name, kept, tt.keep, ans.Text, ans.Grounding)
		}
		if tt.want != nil && !tt.want(ans.Grounding) {
			t.Errorf("%s: grounding %+v", tt.name, ans.Grounding)
		}
		if !tt.keep && ans.Grounding.Supported == 0 && !ans.Refused {
			t.Errorf("%s: nothing verifiable but not refused", tt.name)
		}
	}
}

func TestVerifyPrunesCitations(t *testing.T) {
	byN := map[int]Passage{1: {Text: "应当取得个人的单独同意。"}, 2: {Text: "应当在境内存储。"}}
	ans := &Answer{Text: "向境外提供个人信息应当取得个人的单独同意[1]。", Cites: []Citation{{N: 1}, {N: 2}}}
	verify(ans, byN, "")
	if len(ans.Cites) != 1 || ans.Cites[0].N != 1 {
		t.Errorf("cites %+v", ans.Cites)
	}
}

func FuzzVerify(f *testing.F) {
	for _, s := range []string{"「」[1]。", "[01]0", "“未闭合[1]", "[999999999999]", "《》[1]", "。。。[1][2]", "「「」」", "- ：[1]", "※ [1]"} {
		f.Add(s)
	}
	byN := map[int]Passage{1: {Text: "应当取得个人的单独同意。", Document: "个人信息保护法"}}
	f.Fuzz(func(t *testing.T, s string) {
		ans := &Answer{Text: s, Cites: []Citation{{N: 1}}}
		verify(ans, byN, "")
		if ans.Grounding.Supported > 0 && ans.Refused {
			t.Fatalf("supported yet refused")
		}
		for _, m := range reMarker.FindAllStringSubmatch(ans.Text, -1) {
			if m[1] != "1" {
				t.Fatalf("marker [%s] kept in %q", m[1], ans.Text)
			}
		}
	})
}
