package ingest

import (
	"strings"
	"testing"
	"time"
	"unicode"
)

var fuzzSeeds = []string{
	"第一章 总 则\n\n第一条 为了规范数据处理活动，保障数据安全，促进数据开发利用，保护个人、组\n\n织的合法权益。\n\n\n\n41\n 第二条【适用范围】本法适用于。第三条\n内容。",
	"一、总体要求\n（一）指导思想。\n1．分类。\n（1）小项。\n附 3 模型\n二、成本法\nP=C×δ",
	"1 范围\n5.3.1 安全级别概述\n附录A\nA.1 示例\n1.5 亿元",
	"项目\n外购\n自行开发\n合计\n一、账面原值\n1.期初余额\n2.本期增加\n其中：购入\n内部研发\n（2）正文。",
	"目录\n第一章总则\n第二章附则\n第一章总则\n第一条 正文。",
	"内 容 准 确\n国家发展改革委国家发展改革委\n«法»处臵\nhttps://x.y\n第二十七条规定，不是条。\n第五章开发第二十六条原则。",
	"第\n条\n第十条第\n（\n附\n\xff\xfe第一条",
}

// fuzzNonSpace returns the non-space runes of s.
func fuzzNonSpace(s string) []rune {
	var out []rune
	for _, r := range s {
		if !unicode.IsSpace(r) {
			out = append(out, r)
		}
	}
	return out
}

// isSubsequence reports whether a's runes occur in b in order.
func isSubsequence(a, b []rune) bool {
	j := 0
	for _, r := range a {
		for j < len(b) && b[j] != r {
			j++
		}
		if j == len(b) {
			return false
		}
		j++
	}
	return true
}

func FuzzCleanLines(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		raw := strings.Split(data, "\n")
		out := CleanLines(raw, 1)
		prev := 0
		var got strings.Builder
		for _, l := range out {
			if l.No < prev || l.No < 1 || l.No > len(raw) {
				t.Fatalf("line number %d after %d (of %d)", l.No, prev, len(raw))
			}
			if strings.TrimSpace(l.Text) == "" {
				t.Fatalf("empty line %d", l.No)
			}
			prev = l.No
			got.WriteString(l.Text)
		}
		// Cleaning deletes and maps characters; it never invents any.
		var in strings.Builder
		for _, r := range raw {
			in.WriteString(NormalizePunct(clValidUTF8(r)))
		}
		if !isSubsequence(fuzzNonSpace(got.String()), fuzzNonSpace(in.String())) {
			t.Fatalf("output is not a subsequence of the input:\n%q\n%q", got.String(), in.String())
		}
	})
}

func FuzzStructure(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, data string, style uint8) {
		lines := CleanLines(strings.Split(data, "\n"), 1)
		// lines starting with | become table rows, to mix tables in
		for i := range lines {
			if strings.HasPrefix(lines[i].Text, "|") {
				lines[i].Table = true
			}
		}
		ps := Structure("测试法", lines, Style(style%4))
		stCheckInvariants(t, ps)
		if len(lines) > 0 && len(ps) == 0 {
			t.Fatal("lines but no provisions")
		}
		// no text is lost: every line is held by some provision
		for _, l := range lines {
			text := strings.TrimSpace(l.Text)
			if text == "" {
				continue
			}
			found := false
			for _, p := range ps {
				if strings.Contains(p.Text, text) {
					found = true
					break
				}
			}
			if !found {
				t.Fatalf("line %d %q is in no provision", l.No, text)
			}
		}
	})
}

// TestLongInputsStayLinear guards against quadratic behaviour found while
// fuzzing (a paragraph of thousands of glued articles took a minute).
func TestLongInputsStayLinear(t *testing.T) {
	inputs := map[string]string{
		"glued articles": strings.Repeat("内容。第一条", 20000),
		"doubled text":   strings.Repeat("鼓励数据利用", 30000),
		"paragraphs":     "第一条 内容。\n" + strings.Repeat("内容。\n", 20000),
		"items":          "第一条 内容：\n" + strings.Repeat("（一）内容；\n", 20000),
		"restarts":       strings.Repeat("1.标题\n1.内容。\n", 10000),
		"brackets":       strings.Repeat("《", 50000) + strings.Repeat("》", 50000),
	}
	for name, in := range inputs {
		start := time.Now()
		lines := CleanLines(strings.Split(in, "\n"), 1)
		ps := Structure("测试", lines, StyleAuto)
		ExtractCitedTitles(in)
		ExtractCitations(ps)
		// generous: the machine is shared; quadratic cases take minutes
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s took %v", name, d)
		}
	}
}
