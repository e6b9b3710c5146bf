package ingest

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"datalex/internal/library"
)

var updateStructure = flag.Bool("update-structure", false, "rewrite testdata/structure and testdata/seed001 golden files")

// stLines turns fixture text into Lines numbered from 1; a leading "|" marks
// a table row.
func stLines(text string) []Line {
	var out []Line
	for i, t := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		l := Line{Text: t, No: i + 1}
		if strings.HasPrefix(t, "|") {
			l.Text, l.Table = t[1:], true
		}
		out = append(out, l)
	}
	return out
}

func TestStructureCases(t *testing.T) {
	type want struct{ id, label, path, parent string }
	cases := []struct {
		name  string
		title string
		style Style
		text  string
		want  []want
		not   []string // ids that must not exist
	}{
		{
			name: "articles with chapters, caption and cross-reference", title: "中华人民共和国测试法", style: StyleAuto,
			text: "第一章总则\n第一条 为了测试，制定本法。\n第二条【适用范围】本法适用于测试。\n第二十七条规定，不得测试。\n第二章 其他\n第三条本法自公布之日起施行。",
			want: []want{{"c1", "第一章", "第一章", ""}, {"a1", "第一条", "第一章 › 第一条", "c1"}, {"a2", "第二条", "第一章 › 第二条", "c1"}, {"c2", "第二章", "第二章", ""}, {"a3", "第三条", "第二章 › 第三条", "c2"}},
			not:  []string{"a27"},
		},
		{
			name: "an article starting like a reference is believed by its number", title: "计算机软件保护条例", style: StyleAuto,
			text: "第四条 受本条例保护的软件必须由开发者独立开发。\n第五条中国公民、法人或者其他组织对其所开发的软件享有著作权。\n第六条 本条例不延及开发软件所用的思想。\n第五条中规定的软件，依法保护。",
			want: []want{{"a5", "第五条", "第五条", ""}, {"a6", "第六条", "第六条", ""}},
			not:  []string{"a5-2"},
		},
		{
			name: "paragraphs and items", title: "测试条例", style: StyleLegal,
			text: "第四条 有下列情形之一的，予以处罚：\n（一）拒不改正的；\n（二）造成严重后果的。\n有前款第（一）项情形的，从重处罚。",
			want: []want{{"a4", "第四条", "第四条", ""}, {"a4.p1", "第四条第一款", "第四条 › 第一款", "a4"}, {"a4.i1", "第四条第（一）项", "第四条 › 第（一）项", "a4"}, {"a4.i2", "第四条第（二）项", "第四条 › 第（二）项", "a4"}, {"a4.p2", "第四条第二款", "第四条 › 第二款", "a4"}},
		},
		{
			name: "glued article without space and restart", title: "测试办法", style: StyleAuto,
			text: "第一条本办法。\n第二条本办法。\n附件\n第一条附件中的办法。\n第二条附件中的办法。",
			want: []want{{"a1", "第一条", "第一条", ""}, {"ann1", "附件", "附件", ""}, {"a1-2", "第一条", "附件 › 第一条", "ann1"}, {"a2-2", "第二条", "附件 › 第二条", "ann1"}},
		},
		{
			name: "outline combined labels", title: "关于测试的通知", style: StyleAuto,
			text: "各单位：\n一、总体要求\n（一）指导思想。坚持。\n1．分类。按类管理。\n（1）小项。\n二、任务\n4．直接在一级下。",
			want: []want{{"pre", "", "前言", ""}, {"o1", "一、", "一、", ""}, {"o1.q1", "一、（一）", "一、 › （一）", "o1"}, {"o1.q1.n1", "一、（一）1", "一、 › （一） › 1", "o1.q1"}, {"o1.q1.n1.r1", "一、（一）1（1）", "一、 › （一） › 1 › （1）", "o1.q1.n1"}, {"o2.n4", "二、4", "二、 › 4", "o2"}},
		},
		{
			name: "standard clauses", title: "测试规范", style: StyleAuto,
			text: "1 范围\n本标准规定了测试。\n5 要求\n5.3 定级规则\n5.3.1 安全级别概述\n正文。\n5.3.2 定级要素\n附录A\nA.1 示例",
			want: []want{{"x1", "1", "1", ""}, {"x5", "5", "5", ""}, {"x5.3", "5.3", "5 › 5.3", "x5"}, {"x5.3.1", "5.3.1", "5 › 5.3 › 5.3.1", "x5.3"}, {"x5.3.2", "5.3.2", "5 › 5.3 › 5.3.2", "x5.3"}, {"ann1", "附录A", "附录A", ""}, {"xA.1", "A.1", "附录A › A.1", "ann1"}},
		},
		{
			name: "toc does not duplicate chapters", title: "测试条例", style: StyleAuto,
			text: "目录\n第一章总则\n第二章附则\n第一章总则\n第一条 总则条文。\n第二章附则\n第二条 附则条文。",
			want: []want{{"toc", "目录", "目录", ""}, {"c1", "第一章", "第一章", ""}, {"a1", "第一条", "第一章 › 第一条", "c1"}, {"c2", "第二章", "第二章", ""}},
			not:  []string{"c1-2", "c2-2"},
		},
		{
			name: "annex outline labels keep the annex prefix after a structured main text", title: "数据资产评估指导意见", style: StyleAuto,
			text: "第一条 总则。\n第二条 其他。\n附 2 示例\n一、收益法\n附 3 评估方法相关模型示例\n二、成本法相关模型示例\nP=C×δ",
			want: []want{{"ann2", "附3", "附3", ""}, {"ann2.o2", "附3 二、", "附3 › 二、", "ann2"}, {"ann1.o1", "附2 一、", "附2 › 一、", "ann1"}},
		},
		{
			name: "a policy carried as the only annex keeps bare labels", title: "关于加强数据资产管理的指导意见", style: StyleAuto,
			text: "关于印发《关于加强数据资产管理的指导意见》的通知\n附件：\n一、总体要求\n（一）指导思想。\n二、主要任务\n（十一）规范数据资产销毁处置。",
			want: []want{{"ann1", "附件", "附件", ""}, {"ann1.o1", "一、", "附件 › 一、", "ann1"}, {"ann1.o2.q11", "二、（十一）", "附件 › 二、 › （十一）", "ann1.o2"}},
		},
		{
			name: "restarted numbering nests under the open item", title: "“十四五”信息通信行业发展规划", style: StyleAuto,
			text: "一、发展重点\n1.全面部署新一代通信网络基础设施\n1.加快 5G 网络覆盖。优先完成。\n2.推广 5G 行业虚拟专网建设。\n2.统筹布局绿色智能的数据与算力设施\n1.统筹数据中心区域布局。",
			want: []want{{"o1.n1", "一、1", "一、 › 1", "o1"}, {"o1.n1.n1", "一、1.1", "一、 › 1 › 1", "o1.n1"}, {"o1.n1.n2", "一、1.2", "一、 › 1 › 2", "o1.n1"}, {"o1.n2", "一、2", "一、 › 2", "o1"}, {"o1.n2.n1", "一、2.1", "一、 › 2 › 1", "o1.n2"}},
		},
		{
			name: "table rows are not markers", title: "测试规定", style: StyleAuto,
			text: "一、披露\n|项目\n|一、账面原值\n|1.期初余额\n二、其他",
			want: []want{{"o1", "一、", "一、", ""}, {"t1", "一、 表1", "一、 › 表1", "o1"}, {"o2", "二、", "二、", ""}},
			not:  []string{"o1.n1"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ps := Structure(c.title, stLines(c.text), c.style)
			byID := map[string]*library.Provision{}
			for _, p := range ps {
				byID[p.ID] = p
			}
			for _, w := range c.want {
				p := byID[w.id]
				if p == nil {
					t.Errorf("missing %s; got %s", w.id, stIDs(ps))
					continue
				}
				if p.Label != w.label || p.Path != w.path || p.ParentID != w.parent {
					t.Errorf("%s: got label %q path %q parent %q, want %q %q %q", w.id, p.Label, p.Path, p.ParentID, w.label, w.path, w.parent)
				}
			}
			for _, id := range c.not {
				if byID[id] != nil {
					t.Errorf("unexpected %s in %s", id, stIDs(ps))
				}
			}
			stCheckInvariants(t, ps)
		})
	}
}

func stIDs(ps []*library.Provision) string {
	var ids []string
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	return strings.Join(ids, " ")
}

// stCheckInvariants checks what must hold for any provision list: unique
// ASCII ids, parents before children, document order, sane spans.
func stCheckInvariants(t testing.TB, ps []*library.Provision) {
	t.Helper()
	seen := map[string]*library.Provision{}
	prevLine := 0
	for i, p := range ps {
		if p.ID == "" || seen[p.ID] != nil {
			t.Fatalf("empty or duplicate id %q", p.ID)
		}
		for _, r := range p.ID {
			if r > 127 {
				t.Fatalf("non-ASCII id %q", p.ID)
			}
		}
		if p.ParentID != "" {
			par := seen[p.ParentID]
			if par == nil {
				t.Fatalf("%s: parent %s not before it", p.ID, p.ParentID)
			}
			if p.Depth != par.Depth+1 || p.Line < par.Line || p.LineEnd > par.LineEnd {
				t.Fatalf("%s: depth/span %d %d-%d outside parent %s %d %d-%d", p.ID, p.Depth, p.Line, p.LineEnd, par.ID, par.Depth, par.Line, par.LineEnd)
			}
		} else if p.Depth != 0 {
			t.Fatalf("%s: top-level with depth %d", p.ID, p.Depth)
		}
		if p.Line > p.LineEnd || p.Line < prevLine || p.Ord != i {
			t.Fatalf("%s: bad order/span line %d-%d prev %d ord %d", p.ID, p.Line, p.LineEnd, prevLine, p.Ord)
		}
		prevLine = p.Line
		seen[p.ID] = p
	}
}

// stGolden is the compact form of a provision kept in golden files.
type stGolden struct {
	ID       string `json:"id"`
	Parent   string `json:"parent,omitempty"`
	Kind     string `json:"kind"`
	Label    string `json:"label"`
	Heading  string `json:"heading,omitempty"`
	Path     string `json:"path"`
	Citation string `json:"citation"`
	Text     string `json:"text"`
	Line     int    `json:"line"`
	LineEnd  int    `json:"line_end"`
}

func stGoldenOf(ps []*library.Provision) []stGolden {
	out := make([]stGolden, 0, len(ps))
	for _, p := range ps {
		txt := []rune(p.Text)
		if len(txt) > 80 {
			txt = txt[:80]
		}
		out = append(out, stGolden{p.ID, p.ParentID, p.Kind, p.Label, p.Heading, p.Path, p.Citation, string(txt), p.Line, p.LineEnd})
	}
	return out
}

// stCompareGolden compares v, as one JSON object per line, with file.
func stCompareGolden(t *testing.T, file string, v any) {
	t.Helper()
	var buf bytes.Buffer
	switch x := v.(type) {
	case []stGolden:
		buf.WriteString("[\n")
		for i, g := range x {
			b, _ := json.Marshal(g)
			buf.Write(b)
			if i < len(x)-1 {
				buf.WriteByte(',')
			}
			buf.WriteByte('\n')
		}
		buf.WriteString("]\n")
	default:
		b, _ := json.MarshalIndent(v, "", " ")
		buf.Write(b)
		buf.WriteByte('\n')
	}
	if *updateStructure {
		if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update-structure)", err)
	}
	if !bytes.Equal(want, buf.Bytes()) {
		wl, gl := strings.Split(string(want), "\n"), strings.Split(buf.String(), "\n")
		for i := 0; i < len(wl) || i < len(gl); i++ {
			var w, g string
			if i < len(wl) {
				w = wl[i]
			}
			if i < len(gl) {
				g = gl[i]
			}
			if w != g {
				t.Fatalf("%s differs at line %d:\nwant %s\ngot  %s", file, i+1, w, g)
			}
		}
	}
}

func TestStructureGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/structure/*.txt")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			lines := stLines(string(raw))
			ps := Structure(lines[0].Text, lines[1:], StyleAuto)
			stCheckInvariants(t, ps)
			stCompareGolden(t, strings.TrimSuffix(f, ".txt")+".golden.json", stGoldenOf(ps))
		})
	}
}

func TestChineseNumber(t *testing.T) {
	for s, n := range map[string]int{"一": 1, "十": 10, "十二": 12, "二十一": 21, "一百零三": 103, "一百一十": 110, "两": 2, "一〇三": 103, "九十九": 99, "abc": 0, "": 0} {
		if got := ChineseNumber(s); got != n {
			t.Errorf("ChineseNumber(%q) = %d, want %d", s, got, n)
		}
	}
	for n := 1; n <= 300; n++ {
		if got := ChineseNumber(ChineseNumeral(n)); got != n {
			t.Errorf("round trip %d → %s → %d", n, ChineseNumeral(n), got)
		}
	}
	if ChineseNumeral(21) != "二十一" || ChineseNumeral(103) != "一百零三" || ChineseNumeral(10) != "十" {
		t.Errorf("ChineseNumeral: %s %s %s", ChineseNumeral(21), ChineseNumeral(103), ChineseNumeral(10))
	}
}

// TestStRefFollows: 规 after 第X章/第X条 is a cross-reference only as 规定.
func TestStRefFollows(t *testing.T) {
	for _, tc := range []struct {
		line string
		kind stKind
		weak bool
	}{
		{"第二章规划和建设", stChapter, false},
		{"第二章规定的程序", stNone, false},
		{"第八条规划制定", stArticle, false},
		{"第八条规定，", stArticle, true},
		{"第九条资金拨付", stArticle, false},
		{"第九条中国公民", stArticle, true},
	} {
		m := stClassify(tc.line)
		if m.kind != tc.kind || m.weak != tc.weak {
			t.Errorf("%s: kind %v weak %v, want %v %v", tc.line, m.kind, m.weak, tc.kind, tc.weak)
		}
	}
	if m := stClassify("第九条资金拨付"); !m.captionOnly {
		t.Errorf("第九条资金拨付 not caption-only")
	}
	if m := stClassify("第九条规定的资金，按照"); m.captionOnly {
		t.Errorf("cross-reference read as caption-only")
	}
}

// TestClauseHeadingEndsTable: a standard's clause heading and its first
// sub-clause after a flattened table are not table cells.
func TestClauseHeadingEndsTable(t *testing.T) {
	var lines []Line
	for _, c := range []string{"其他", "业务管理 统计信息", "其他业务管理", "技术管理 规划类数据", "技术管理 运行管理", "配置信息数据", "信息资产管理", "数据字典类", "日志类数据", "8数据分级", "8.1 数据分级原则"} {
		lines = append(lines, Line{Text: c, No: len(lines) + 1})
	}
	MarkTableRuns(lines, 8)
	for i, l := range lines {
		if want := i < 9; l.Table != want {
			t.Errorf("%q: table %v, want %v", l.Text, l.Table, want)
		}
	}
}
