package library

import "testing"

func TestTitleKey(t *testing.T) {
	same := [][2]string{
		{"中华人民共和国数据安全法", "数据安全法"},
		{"工业和信息化领域数据安全管理办法（试行）", "工业和信息化领域数据安全管理办法"},
		{"北京市公共数据专区授权运营管理办法（征求意见稿）", "北京市公共数据专区授权运营管理办法(试行)"},
		{"“数据要素×”三年行动计划（2024—2026年）（征求意见稿）", "“数据要素”三年行动计划(20242026 年)"},
		{"中共中央 国务院关于构建数据基础制度更好发挥数据要素作用的意见", "关于构建数据基础制度更好发挥数据要素作用的意见"},
		{"《企业数据资源相关会计处理暂行规定》", "企业数据资源相关会计处理暂行规定"},
	}
	for _, c := range same {
		if a, b := TitleKey(c[0]), TitleKey(c[1]); a != b {
			t.Errorf("TitleKey(%q)=%q, TitleKey(%q)=%q: want equal", c[0], a, c[1], b)
		}
	}
	different := [][2]string{
		{"2024年河南省数字经济发展工作方案", "2023年河南省数字经济发展工作方案"},
		{"湖州市公共数据授权运营管理实施细则", "温州市公共数据授权运营管理实施细则"},
		{"数据安全法", "网络安全法"},
	}
	for _, c := range different {
		if TitleKey(c[0]) == TitleKey(c[1]) {
			t.Errorf("TitleKey(%q) == TitleKey(%q): want different", c[0], c[1])
		}
	}
}

func TestParseChineseNumber(t *testing.T) {
	cases := map[string]int{"一": 1, "十": 10, "十二": 12, "二十一": 21, "一百": 100, "一百零三": 103, "两": 2, "38": 38, "": 0, "x": 0, "三十八": 38, "六十七": 67}
	for in, want := range cases {
		if got := ParseChineseNumber(in); got != want {
			t.Errorf("ParseChineseNumber(%q) = %d, want %d", in, got, want)
		}
	}
	if got := ArticleNumber("第二十一条"); got != 21 {
		t.Errorf("ArticleNumber = %d", got)
	}
}

func TestParseChineseNumberPositional(t *testing.T) {
	for in, want := range map[string]int{"一〇三": 103, "二〇二三": 2023, "十": 10, "二十": 20, "一百零三": 103} {
		if got := ParseChineseNumber(in); got != want {
			t.Errorf("ParseChineseNumber(%q) = %d, want %d", in, got, want)
		}
	}
}
