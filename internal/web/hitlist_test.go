package web_test

import (
	"html/template"
	"net/url"
	"strings"
	"testing"

	"datalex/internal/library"
	"datalex/internal/web"
	"datalex/internal/web/webtest"
)

// hitsTemplate is the markup of the provision list as the search page's
// template wrote it before the list was rendered in Go; renderHits must
// produce the same HTML (whitespace between tags aside).
const hitsTemplate = `{{$d := .}}{{range .Hits}}
      <li class="hit{{if .Partial}} partial{{end}}">
        <a class="hit-title" href="{{index $d.Links .ProvisionID}}">{{.Citation}}</a>{{if .Partial}} <span class="tag" title="只含部分检索词">部分匹配</span>{{end}}
        <p class="path">{{.Document}}{{if .Path}} › {{.Path}}{{end}}{{if .Status}} · <span class="status {{statusClass .Status}}">{{.Status}}</span>{{end}}</p>
        {{if .Text}}<div class="snip full">{{range lines .Text}}<p>{{.}}</p>{{end}}</div>{{else}}<p class="snip">{{.Snippet}}</p>{{end}}
        {{if .Same}}<p class="same muted">相同条文另见：{{range $i, $x := .Same}}{{if $i}}；{{end}}<a href="{{index $d.Links $x.ProvisionID}}">{{$x.Document}}</a>{{if $x.Status}}（{{$x.Status}}）{{end}}{{end}}</p>{{end}}
        <p class="hit-tools"><a href="/p/{{.ProvisionID}}">本条 · 法条联想</a> <label class="pick"><input type="checkbox" name="id" value="{{.ProvisionID}}" form="sel" aria-label="选择 {{.Citation}} 以导出"> 选择</label></p>
        {{if $.User}}<form class="ws-star" action="/me/favorites/add" method="post"><input type="hidden" name="csrf" value="{{$.CSRF}}"><input type="hidden" name="item" value="{{.ProvisionID}}"><input type="hidden" name="back" value="/search?{{$d.Query.Encode}}"><button class="linkish" type="submit" aria-label="收藏 {{.Citation}}">☆ 收藏</button></form>{{end}}
      </li>
    {{else}}
      <li class="empty">没有找到包含这些词的条文。可以减少关键词、换用同义词，或取消筛选与高级检索条件。</li>
    {{end}}`

func TestRenderHitsMatchesTemplate(t *testing.T) {
	tpl := template.Must(template.New("hits").Funcs(web.TemplateFuncs).Parse(hitsTemplate))
	evil := `<script>alert("x")</script>`
	hits := []web.ProvisionHit{
		{ProvisionID: "vdsl.c1.a21", WorkID: "wdsl", Document: "中华人民共和国数据安全法", Label: "第二十一条", Path: "第一章 › 第二十一条",
			Citation: "《中华人民共和国数据安全法》第二十一条", Status: library.ValidityInForce,
			Snippet: template.HTML(`国家建立<mark>数据</mark>分类分级保护制度 &lt;script&gt;`)},
		{ProvisionID: `v"x'.a+1 <b>`, Document: evil, Path: "a&b 'c' \"d\" 1+1", Citation: evil + "第一条", Status: library.ValidityRepealed,
			Partial: true, Snippet: template.HTML(`<mark>&lt;b&gt;</mark>`),
			Same: []web.ProvisionHit{{ProvisionID: "same1", Document: "旧版 <i>", Status: library.StatusDraft}, {ProvisionID: "same2", Document: "无时效"}}},
		{ProvisionID: "cited", Document: "法", Citation: "法第二条", Status: "怪<状态>", Cited: true,
			Text: "第二条 第一款 <img src=x onerror=alert(1)>\n\n  第二款 a+b & 'q'  \n"},
		{ProvisionID: "data数据", Document: "无链接", Citation: "无链接第一条"},
		{ProvisionID: "nul", Document: "nul\x00byte", Citation: "c", Snippet: ""},
	}
	links := map[string]string{
		"vdsl.c1.a21":  "/documents/vdsl?page=2#p-vdsl.c1.a21",
		`v"x'.a+1 <b>`: `/documents/v"x'?a=1&b=<2>#p-数据 %zz %41`,
		"same1":        "javascript:alert(1)",
		"same2":        "JavaScript:alert(2)",
		"cited":        "https://example.org/x?y=1+2",
		"nul":          "/documents/a:b",
		"data数据":       "mailto:a@b.c",
	}
	query, _ := url.ParseQuery("q=" + url.QueryEscape(evil+` 数据+出境 "x"`) + "&level=法律&page=2")
	for _, tc := range []struct {
		name   string
		hits   []web.ProvisionHit
		member bool
	}{
		{"anonymous", hits, false},
		{"member", hits, true},
		{"empty", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			csrf := `nonce.mac+/="<x>`
			var want strings.Builder
			data := map[string]any{"Hits": tc.hits, "Links": links, "Query": query, "User": tc.member, "CSRF": csrf}
			if err := tpl.Execute(&want, data); err != nil {
				t.Fatal(err)
			}
			got := web.RenderHits(tc.hits, links, tc.member, csrf, query.Encode())
			if norm(got) != norm(want.String()) {
				t.Errorf("renderHits differs from the template:\n got %s\nwant %s", norm(got), norm(want.String()))
			}
			webtest.AssertInert(t, tc.name, got)
		})
	}
}

// TestSearchPageEscapesAndHighlights searches the test library for a
// query carrying a script and a term of a provision whose text carries
// markup: the page shows both as text, and still marks the term.
func TestSearchPageEscapesAndHighlights(t *testing.T) {
	env := webtest.NewEnv(t, webtest.Versions(), nil, nil)
	for _, who := range []string{"anonymous", "member"} {
		c := env.Client(t)
		if who == "member" {
			c.Login("member1", "member")
		}
		q := `<script>alert(1)</script> 出境 javascript`
		code, body := c.Get("/search?q=" + url.QueryEscape(q))
		if code != 200 {
			t.Fatalf("%s: status %d", who, code)
		}
		webtest.AssertInert(t, who, body)
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<b onmouseover") {
			t.Errorf("%s: markup of the query or of a provision reached the page unescaped", who)
		}
		i := strings.Index(body, `class="hit-title" href="/documents/vxss`)
		if i < 0 {
			t.Fatalf("%s: the provision with markup in its text is not among the hits", who)
		}
		li := body[i:]
		li = li[:strings.Index(li, "</li>")]
		if !strings.Contains(li, "&lt;b onmouseover=") || !strings.Contains(li, "<mark>出境</mark>") {
			t.Errorf("%s: hit not escaped or not highlighted: %s", who, li)
		}
		if who == "member" && !strings.Contains(li, `name="back" value="/search?q=%3Cscript%3E`) {
			t.Errorf("member: 收藏 form's back link missing or unescaped: %s", li)
		}
	}
}

// docHitsTemplate is the search page's 相关文件 items as its template
// wrote them; renderDocHits must produce the same HTML.
const docHitsTemplate = `{{range .}}<li><a href="/documents/{{.VersionID}}">{{.Snippet}}</a> <span class="meta">{{$m := metaJoin .IssueDate .Level .Region}}{{$m}}{{if and $m .Status}} · {{end}}{{if .Status}}<span class="status {{statusClass .Status}}">{{.Status}}</span>{{end}}{{if .Hits}}{{if or $m .Status}} · {{end}}{{.Hits}} 处条文命中{{end}}</span></li>{{end}}`

func TestRenderDocHitsMatchesTemplate(t *testing.T) {
	tpl := template.Must(template.New("docs").Funcs(web.TemplateFuncs).Parse(docHitsTemplate))
	docs := []web.DocumentHit{
		{VersionID: "vdsl", Snippet: "中华人民共和国<mark>数据</mark>安全法", IssueDate: "2021-06-10", Level: "法律", Region: "全国",
			Status: library.ValidityInForce, Hits: 3},
		{VersionID: `v"<x> 1+1&y=数据`, Snippet: "&lt;script&gt;", Level: `<b>"级别"</b>`, Status: "已废止"},
		{VersionID: "vnone", Snippet: "无元数据"},
		{VersionID: "vhits", Snippet: "只有命中", Hits: 1},
		{VersionID: "vstatus", Snippet: "只有时效", Status: "a+b'c"},
		{VersionID: "vregion", Snippet: "只有地域", Region: "广东", Hits: 12},
	}
	for _, tc := range []struct {
		name string
		docs []web.DocumentHit
	}{{"docs", docs}, {"none", nil}} {
		var want strings.Builder
		if err := tpl.Execute(&want, tc.docs); err != nil {
			t.Fatal(err)
		}
		if got := web.RenderDocHits(tc.docs); got != want.String() {
			t.Errorf("%s: renderDocHits differs from the template:\n got %s\nwant %s", tc.name, got, want.String())
		}
	}
}

// FuzzRenderHitsMatchesTemplate holds renderHits to html/template's output
// for arbitrary field values: the hand-written list is only as safe as the
// template it replaced if it escapes every context exactly as the template
// does, for any input, not only for the hostile values listed above.
func FuzzRenderHitsMatchesTemplate(f *testing.F) {
	tpl := template.Must(template.New("hits").Funcs(web.TemplateFuncs).Parse(hitsTemplate))
	f.Add("vdsl.c1.a21", "中华人民共和国数据安全法", "第一章 › 第二十一条", "《数据安全法》第二十一条", library.ValidityInForce,
		"/documents/vdsl?page=2#p-x", "", `nonce.mac+/="<x>`, "q=数据")
	f.Add(`v"x'.a+1 <b>`, `<script>alert("x")</script>`, "a&b 'c' \"d\" 1+1", "evil", "怪<状态>",
		"javascript:alert(1)", "第二条 <img src=x onerror=alert(1)>\n\n 第二款 a+b & 'q'", "", "q=%3Cscript%3E&page=2")
	f.Add("nul", "nul\x00byte", "", "c", "", "JavaScript:alert(2)", "\x00\n", "\ufffd", "")
	f.Fuzz(func(t *testing.T, id, doc, path, citation, status, link, text, csrf, query string) {
		hits := []web.ProvisionHit{
			{ProvisionID: id, Document: doc, Path: path, Citation: citation, Status: status, Text: text,
				Snippet: template.HTML(template.HTMLEscapeString(citation) + "<mark>数据</mark>"),
				Same:    []web.ProvisionHit{{ProvisionID: id + "s", Document: doc, Status: status}}},
			{ProvisionID: id + "2", Document: path, Citation: doc, Partial: true, Snippet: "<mark>x</mark>"},
		}
		links := map[string]string{id: link, id + "s": link + path}
		q, err := url.ParseQuery(query)
		if err != nil {
			return // the page only ever has a parsed query
		}
		for _, member := range []bool{false, true} {
			var want strings.Builder
			data := map[string]any{"Hits": hits, "Links": links, "Query": q, "User": member, "CSRF": csrf}
			if err := tpl.Execute(&want, data); err != nil {
				t.Skip(err) // the template refuses some invalid UTF-8; nothing to compare
			}
			got := web.RenderHits(hits, links, member, csrf, q.Encode())
			if norm(got) != norm(want.String()) {
				t.Fatalf("renderHits differs from the template (member %v):\n got %q\nwant %q", member, norm(got), norm(want.String()))
			}
		}
	})
}
