package ingest

import (
	"reflect"
	"strings"
	"testing"
)

func TestCleanLines(t *testing.T) {
	long := "数据处理者应当按照国家有关规定建立健全全流程数据安全管理制度组织开展" // 34 runes, no end punctuation
	cases := []struct {
		name string
		raw  string
		want []Line
	}{
		{
			name: "blank padding and hard wrap (CJK joined directly)",
			raw:  long + "\n\n数据安全教育培训。\n\n第二条 下一条。",
			want: []Line{{Text: long + "数据安全教育培训。", No: 1}, {Text: "第二条 下一条。", No: 5}},
		},
		{
			name: "page number after three blank lines is dropped, table numbers kept",
			raw:  long + "\n\n\n\n41\n 继续的句子。\n\n7",
			want: []Line{{Text: long + "继续的句子。", No: 1}, {Text: "7", No: 8}},
		},
		{
			name: "fused page number",
			raw:  "第一条 内容。\n\n\n\n8 2793\n第二条 内容。",
			want: []Line{{Text: "第一条 内容。", No: 1}, {Text: "第二条 内容。", No: 6}},
		},
		{
			name: "url-only lines dropped",
			raw:  "第一条 内容。\nhttps://baike.baidu.com/item/x\nfile:///P:/100%20-%20LLM/6.4.1.1\n第二条 内容。",
			want: []Line{{Text: "第一条 内容。", No: 1}, {Text: "第二条 内容。", No: 4}},
		},
		{
			name: "no join before a marker",
			raw:  long + "\n（一）第一项；",
			want: []Line{{Text: long, No: 1}, {Text: "（一）第一项；", No: 2}},
		},
		{
			name: "document number and date lines stand alone",
			raw:  "工业和信息化部等十六部门关于促进数据安全产业发展的指导意见数据安全产业\n工信部联网安﹝2022﹞182 号\n" + long + "\n2023 年 1 月 3 日",
			want: []Line{{Text: "工业和信息化部等十六部门关于促进数据安全产业发展的指导意见数据安全产业", No: 1}, {Text: "工信部联网安﹝2022﹞182号", No: 2}, {Text: long, No: 3}, {Text: "2023年1月3日", No: 4}},
		},
		{
			name: "no join after a short line",
			raw:  "第一章 总则\n第一条 为了规范数据处理活动。",
			want: []Line{{Text: "第一章 总则", No: 1}, {Text: "第一条 为了规范数据处理活动。", No: 2}},
		},
		{
			name: "ASCII words joined with a space",
			raw:  "The quick brown fox jumps over the lazy dog and then\nruns away.",
			want: []Line{{Text: "The quick brown fox jumps over the lazy dog and then runs away.", No: 1}},
		},
		{
			name: "glued article split with its own line number",
			raw:  "第六十六条 建立健全数据共享协调工作机制和数据共享机制。第六十七条\n本条例自公布之日起施行。",
			want: []Line{{Text: "第六十六条 建立健全数据共享协调工作机制和数据共享机制。", No: 1}, {Text: "第六十七条本条例自公布之日起施行。", No: 1}},
		},
		{
			name: "glued chapter heading and article",
			raw:  "第二十五条 本市依法推动政务数据和电子文件的归档移交保存利用等。第五章开发和应用第二十六条开发原则政务部门应当。",
			want: []Line{{Text: "第二十五条 本市依法推动政务数据和电子文件的归档移交保存利用等。", No: 1}, {Text: "第五章开发和应用", No: 1}, {Text: "第二十六条开发原则政务部门应当。", No: 1}},
		},
		{
			name: "cross-reference is not split",
			raw:  "违反本法规定的，依照有关法律处罚。第二十七条规定的情形除外。",
			want: []Line{{Text: "违反本法规定的，依照有关法律处罚。第二十七条规定的情形除外。", No: 1}},
		},
		{
			name: "letter spacing, doubled text, punctuation and dates",
			raw:  "内 容 准 确\n国家发展改革委国家发展改革委负责\n依照«数据安全法»处臵\n自 2024 年 1 月 1 日起施行",
			want: []Line{{Text: "内容准确", No: 1}, {Text: "国家发展改革委负责", No: 2}, {Text: "依照《数据安全法》处置", No: 3}, {Text: "自 2024年1月1日起施行", No: 4}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := CleanLines(strings.Split(c.raw, "\n"), 1)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got\n%+v\nwant\n%+v", got, c.want)
			}
		})
	}
}

func TestMarkTableRuns(t *testing.T) {
	cells := strings.Split("项目\n外购的数据资\n源无形资产\n合计\n一、账面原值\n1.期初余额\n2.本期增加金额\n其中：购入\n内部研发", "\n")
	var lines []Line
	lines = append(lines, Line{Text: "（1）企业应当按照外购无形资产、自行开发无形资产等类别进行披露：", No: 1})
	for i, c := range cells {
		lines = append(lines, Line{Text: c, No: i + 2})
	}
	lines = append(lines, Line{Text: "（2）对于使用寿命有限的数据资源无形资产，企业应当披露。", No: 20})
	MarkTableRuns(lines, 8)
	for i, l := range lines {
		want := i > 0 && i < len(lines)-1
		if l.Table != want {
			t.Errorf("line %d %q: table=%v want %v", i, l.Text, l.Table, want)
		}
	}
	// a short run stays text, and a chapter list (目录) is never a table
	short := []Line{{Text: "一、总则"}, {Text: "二、要求"}, {Text: "三、附则"}}
	MarkTableRuns(short, 8)
	toc := []Line{{Text: "第一章总则"}, {Text: "第二章个人数据"}, {Text: "第三章公共数据"}, {Text: "第四章数据要素市场"}, {Text: "第五章数据安全"}, {Text: "第六章法律责任"}, {Text: "第七章附则"}, {Text: "第八章其他"}}
	MarkTableRuns(toc, 8)
	for _, l := range append(short, toc...) {
		if l.Table {
			t.Errorf("%q marked as table", l.Text)
		}
	}
}

func TestCleanPrimitives(t *testing.T) {
	cases := []struct {
		f        func(string) string
		in, want string
	}{
		{RepairLetterSpacing, "内 容 准 确", "内容准确"},
		{RepairLetterSpacing, "财 政 部", "财政部"},
		{RepairLetterSpacing, "总 则", "总 则"},
		{RepairLetterSpacing, "数据 安全 法", "数据 安全 法"},
		{RepairLetterSpacing, "AI 大模型 a b c", "AI 大模型 a b c"},
		{CollapseDoubled, "鼓励数据利用鼓励数据利用", "鼓励数据利用"},
		{CollapseDoubled, "数据数据", "数据数据"},
		{NormalizePunct, "«数据»处臵", "《数据》处置"},
		{NormalizeDateSpacing, "2024 年 11 月 8 日", "2024年11月8日"},
		{NormalizeDateSpacing, "财资〔2023〕141 号", "财资〔2023〕141号"},
		{NormalizeDateSpacing, "100 万人以上", "100万人以上"},
		{NormalizeDateSpacing, "《企业会计准则第 6 号——无形资产》", "《企业会计准则第6号——无形资产》"},
		{NormalizeDateSpacing, "GB/T 35273", "GB/T 35273"},
	}
	for _, c := range cases {
		if got := c.f(c.in); got != c.want {
			t.Errorf("%q → %q, want %q", c.in, got, c.want)
		}
	}
	for _, s := range []string{"1", "41", "3155", "8 2793"} {
		if !IsPageNumber(s) {
			t.Errorf("IsPageNumber(%q) = false", s)
		}
	}
	for _, s := range []string{"12345", "第1页", "1.5"} {
		if IsPageNumber(s) {
			t.Errorf("IsPageNumber(%q) = true", s)
		}
	}
}
