package community

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"datalex/internal/library"
	"datalex/internal/news/markup/xsstest"
)

func refs(ms []Marker) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Ref)
	}
	return out
}

func TestParseCitationMarkers(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"见[[数据安全法第二十一条]]。", []string{"数据安全法第二十一条"}},
		{"[[ 数据安全法 第二十一条 ]]", []string{"数据安全法 第二十一条"}},
		{"[[a]][[b]]", []string{"a", "b"}},
		{"[[[数据安全法第二十一条]]]", []string{"数据安全法第二十一条"}},
		{"[[]]", nil},
		{"[[   ]]", nil},
		{"[[未闭合", nil},
		{"[[跨\n行]]", nil},
		{"[[a]b]]", nil},
		{"[[a[b]]", []string{}}, // inner '[' is refused, then "[b]]" is no marker
		{`\[[转义]]`, nil},
		{"`[[代码]]` 与 [[正文]]", []string{"正文"}},
		{"``[[双` 反引号]]`` [[后]]", []string{"后"}},
		{"```\n[[围栏内]]\n```\n[[围栏外]]", []string{"围栏外"}},
		{"~~~go\n[[波浪围栏]]\n~~~", nil},
		{"```\n[[未闭合围栏]]", nil},
		{"[[" + strings.Repeat("长", MaxRefRunes) + "]]", []string{strings.Repeat("长", MaxRefRunes)}},
		{"[[" + strings.Repeat("长", MaxRefRunes+1) + "]]", nil},
		{"[[控制\x01字符]]", nil},
		{"[[\xff\xfe]]", nil},
		{"[[<script>alert(1)</script>]]", []string{"<script>alert(1)</script>"}},
		{"[[数据安全法第二十一条]](javascript:alert(1))", []string{"数据安全法第二十一条"}},
		{"]][[x", nil},
		{"[[x]", nil},
	}
	for _, tt := range tests {
		got := ParseCitationMarkers(tt.in)
		if strings.Join(refs(got), "|") != strings.Join(tt.want, "|") {
			t.Errorf("%q: got %q, want %q", tt.in, refs(got), tt.want)
		}
		for _, m := range got {
			if !strings.HasPrefix(tt.in[m.Start:m.End], "[[") || !strings.HasSuffix(tt.in[m.Start:m.End], "]]") {
				t.Errorf("%q: offsets %d-%d wrong", tt.in, m.Start, m.End)
			}
		}
	}
}

func FuzzParseCitationMarkers(f *testing.F) {
	for _, s := range []string{
		"[[数据安全法第二十一条]]", "[[[[]]]]", "```\n[[x]]\n```", "`[[x]]`", `\[[x]]`, "[[\n]]", "[[a]]]]", "[[" + strings.Repeat("[", 100),
		"[[\xff]]", "~~~\n[[a]]", "[[x]](javascript:alert(1))", "<script>[[x]]</script>", "[[个人信息保护法 第三十八条]]",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		prevEnd := 0
		for _, m := range ParseCitationMarkers(s) {
			if m.Start < prevEnd || m.End > len(s) || m.Start >= m.End {
				t.Fatalf("bad offsets %d-%d (prev %d, len %d)", m.Start, m.End, prevEnd, len(s))
			}
			raw := s[m.Start:m.End]
			if !strings.HasPrefix(raw, "[[") || !strings.HasSuffix(raw, "]]") {
				t.Fatalf("marker %q not bracketed", raw)
			}
			if strings.TrimSpace(raw[2:len(raw)-2]) != m.Ref || m.Ref == "" || !utf8.ValidString(m.Ref) ||
				strings.ContainsAny(m.Ref, "[]\n") || utf8.RuneCountInString(m.Ref) > MaxRefRunes {
				t.Fatalf("bad ref %q in %q", m.Ref, raw)
			}
			prevEnd = m.End
		}
		md, _ := LinkCitations(s, testResolver)
		if s != "" && md == "" {
			t.Fatal("linking lost the text")
		}
	})
}

func TestLinkCitationsAndProvisionPage(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	body := "依据 [[数据安全法第二十一条]] 和 [[ 数据安全法 第二十一条 ]]，以及 [[不存在的法第一条]]。\n\n`[[个人信息保护法第三十八条]]` 在代码里不算。"
	th := mustThread(t, s, KindQuestion, alice, "分类分级", body)
	if len(th.Citations) != 1 || th.Citations[0].ProvisionID != "vdsl.c3.a21" {
		t.Fatalf("citations %+v", th.Citations)
	}
	if strings.Count(th.BodyHTML, `<a href="/provisions/vdsl.c3.a21">数据安全法 第二十一条</a>`) != 2 {
		t.Fatalf("citation links not rendered: %s", th.BodyHTML)
	}
	if strings.Contains(th.BodyHTML, `/provisions/vdsl.c3.a21" rel`) {
		t.Errorf("internal citation link must stay followable: %s", th.BodyHTML)
	}
	if !strings.Contains(th.BodyHTML, "[[不存在的法第一条]]") || !strings.Contains(th.BodyHTML, "<code>[[个人信息保护法第三十八条]]</code>") {
		t.Errorf("unresolved and code markers must stay text: %s", th.BodyHTML)
	}
	other := mustThread(t, s, KindExperience, bob, "无引用", "正文")
	r, err := s.AddReply(ctx, other.ID, carol, "回复中引用 [[数据安全法第二十一条]] 与 [[个人信息保护法第三十八条]]")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Citations) != 2 {
		t.Fatalf("reply citations %+v", r.Citations)
	}
	citing, _ := s.ThreadsCiting(ctx, "vdsl.c3.a21", 0)
	if len(citing) != 2 {
		t.Fatalf("threads citing 21: %d", len(citing))
	}
	// Hiding the reply removes its thread from the provision page; editing
	// the thread body removes the citation there.
	if err := s.SetHidden(ctx, mod, TargetReply, r.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.ThreadsCiting(ctx, "vpipl.c3.a38", 0); len(c) != 0 {
		t.Fatalf("hidden reply still cited: %d", len(c))
	}
	if _, err := s.EditThread(ctx, alice, th.ID, "分类分级", "不再引用", nil); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.ThreadsCiting(ctx, "vdsl.c3.a21", 0); len(c) != 0 {
		t.Fatalf("after edit and hide: %d citing", len(c))
	}
	got, _ := s.Thread(ctx, th.ID)
	if len(got.Citations) != 0 {
		t.Fatalf("stale citations: %+v", got.Citations)
	}
}

// A resolver returning hostile text or ids must not inject markup.
func TestHostileResolver(t *testing.T) {
	evil := func(ref string) (string, string, bool) {
		return `x" onclick="alert(1)`, `](javascript:alert(1)) <script>alert(1)</script>`, true
	}
	md, cites := LinkCitations("见 [[任何]]", evil)
	if len(cites) != 1 {
		t.Fatal("no citation")
	}
	s, _ := newService(t)
	s.Resolve = evil
	th := mustThread(t, s, KindExperience, alice, "t", "见 [[任何]]")
	if err := xsstest.Inert(th.BodyHTML); err != nil {
		t.Fatalf("%v: md %q html %s", err, md, th.BodyHTML)
	}
}

func TestCatalogResolver(t *testing.T) {
	dsl := &library.Version{ID: "vdsl", WorkID: "wdsl", Kind: library.KindRegulation, Title: "中华人民共和国数据安全法", Provisions: []*library.Provision{
		{ID: "vdsl.c1", Kind: library.ProvChapter, Label: "第一章"},
		{ID: "vdsl.a21", Kind: library.ProvArticle, Label: "第二十一条"},
		{ID: "vdsl.a2", Kind: library.ProvArticle, Label: "第二条"},
	}}
	std := &library.Version{ID: "vstd", WorkID: "wstd", Kind: library.KindRegulation, Title: "企业数据资源相关会计处理暂行规定", Aliases: []string{"暂行规定"},
		Provisions: []*library.Provision{{ID: "vstd.a3", Kind: library.ProvArticle, Label: "第三条"}}}
	resolve := CatalogResolver(library.NewCatalog([]*library.Version{dsl, std}))
	tests := []struct {
		ref, id, cite string
	}{
		{"数据安全法第二十一条", "vdsl.a21", "数据安全法 第二十一条"},
		{"中华人民共和国数据安全法第二十一条", "vdsl.a21", "数据安全法 第二十一条"},
		{"《数据安全法》第二条", "vdsl.a2", "数据安全法 第二条"},
		{"数据安全法 第21条", "vdsl.a21", "数据安全法 第二十一条"},
		{"暂行规定第三条", "vstd.a3", "《企业数据资源相关会计处理暂行规定》 第三条"},
		{"数据安全法第九十九条", "", ""},
		{"数据安全法", "", ""},
		{"网络安全法第二十一条", "", ""},
		{"第二十一条", "", ""},
	}
	for _, tt := range tests {
		id, cite, ok := resolve(tt.ref)
		if id != tt.id || cite != tt.cite || ok != (tt.id != "") {
			t.Errorf("%q: got %q %q %v", tt.ref, id, cite, ok)
		}
	}
}

func TestProvisionPathEscapes(t *testing.T) {
	if got := ProvisionPath("v1.c2/../a3 x"); got != "/provisions/v1.c2%2F..%2Fa3%20x" {
		t.Fatalf("%q", got)
	}
	_ = context.Background()
}
