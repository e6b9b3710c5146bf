package web_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"datalex/internal/export"
	"datalex/internal/library"
	"datalex/internal/web"
	"datalex/internal/web/webtest"
)

// Limits of the export handlers (export.go), restated: the tests check them.
const (
	maxSelection = 500
	pdfPerMinute = 6
)

// provRef is the JSON of a 法条联想 entry.
type provRef struct {
	Citation string `json:"citation"`
	URL      string `json:"url"`
	Status   string `json:"status"`
}

// researchVersions adds to the shared fixtures a document citing 数据安全法
// 第二十一条 and a statute referring to its own articles (本法第X条).
func researchVersions() []*library.Version {
	vs := webtest.Versions()
	notice := &library.Version{ID: "vnt", WorkID: "wnt", Kind: library.KindRegulation, Title: "关于做好数据分类分级工作的通知",
		DocNumber: "国办发〔2024〕7号", Issuers: []string{"国务院办公厅"}, IssueDate: "2024-05-01", Status: library.StatusInForce,
		Level: library.LevelNormative, Region: "全国", Seq: 9, Sources: []library.Source{{File: "001_test.txt", FirstLine: 300, LastLine: 320}}}
	p := &library.Provision{ID: "vnt.o1", Kind: library.ProvOutline, Label: "一、", Citation: "《关于做好数据分类分级工作的通知》 一、",
		Text: "一、各地区应当依照《中华人民共和国数据安全法》第21条，建立数据分类分级保护制度，制定重要数据目录。", Line: 301, LineEnd: 301}
	notice.Provisions = []*library.Provision{p}
	notice.Citations = []library.Citation{{ProvisionID: "vnt.o1", CitedTitle: "中华人民共和国数据安全法", WorkID: "wdsl", Article: "第21条"}} // Arabic numerals name the same article
	for _, v := range vs {
		if v.ID == "vdsl" {
			a := &library.Provision{ID: "vdsl.c1.a45", ParentID: "vdsl.c1", Kind: library.ProvArticle, Label: "第四十五条",
				Citation: "数据安全法 第四十五条", Text: "第四十五条 违反本法第二十一条规定，未履行数据分类分级保护义务的，由有关主管部门责令改正。",
				Depth: 1, Ord: len(v.Provisions)}
			v.Provisions = append(v.Provisions, a)
		}
	}
	return append(vs, notice)
}

func newResearchEnv(t *testing.T, configure func(*web.Config)) *webtest.Env {
	t.Helper()
	return webtest.NewEnv(t, researchVersions(), configure, nil)
}

var (
	reCount    = regexp.MustCompile(`data-total="(\d+)" data-partial="(\d+)"`)
	reHitTitle = regexp.MustCompile(`<a class="hit-title" href="[^"]*">([^<]*)</a>`)
)

// hits returns the citations listed on a search page and the counts shown.
func hits(t *testing.T, body string) (list []string, total, partial int) {
	t.Helper()
	for _, m := range reHitTitle.FindAllStringSubmatch(body, -1) {
		list = append(list, htmlUnescape(m[1]))
	}
	if m := reCount.FindStringSubmatch(body); m != nil {
		total, _ = strconv.Atoi(m[1])
		partial, _ = strconv.Atoi(m[2])
	}
	return list, total, partial
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&amp;", "&").Replace(s)
}

func TestSearchCountAndListAgree(t *testing.T) {
	env := newResearchEnv(t, nil)
	c := env.Client(t)
	tests := []struct {
		q           string
		wantPartial bool // some listed hits hold only part of the query
	}{
		{"数据", false},
		{"数据出境 安全评估", false},
		{"数据 出境 评估 境外 核心 运营者", true},
		{"公共数据专区 授权运营", true}, // the filler text of 大型测试条例 holds 数据 alone
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			code, body := c.Get("/search?q=" + url.QueryEscape(tt.q))
			if code != 200 {
				t.Fatalf("status %d", code)
			}
			list, total, partial := hits(t, body)
			if len(list) == 0 {
				t.Fatal("no hits listed")
			}
			// Every listed hit is counted: full matches in total, the rest
			// in partial (and marked), possibly folded into a same-text hit.
			nPartial := strings.Count(body, `class="hit partial"`)
			if len(list)-nPartial > total {
				t.Errorf("%d full hits listed but the count says %d", len(list)-nPartial, total)
			}
			if nPartial > partial {
				t.Errorf("%d partial hits listed but the count says %d", nPartial, partial)
			}
			if (nPartial > 0) != tt.wantPartial {
				t.Errorf("partial hits listed: %d, want some: %v", nPartial, tt.wantPartial)
			}
			if strings.Contains(body, "没有找到包含这些词的条文") {
				t.Error("empty-result hint shown with hits")
			}
		})
	}
}

func TestSearchCitationShowsWholeArticle(t *testing.T) {
	env := newResearchEnv(t, nil)
	_, body := env.Client(t).Get("/search?q=" + url.QueryEscape("数据安全法第二十一条"))
	i := strings.Index(body, `class="snip full"`)
	if i < 0 {
		t.Fatal("cited provision not shown whole")
	}
	if !strings.Contains(body[i:], "第二十一条 国家建立数据分类分级保护制度。关系国家安全的数据属于国家核心数据。") {
		t.Errorf("whole article text missing after the cited hit")
	}
}

func TestSearchFoldsSameTextAcrossVersions(t *testing.T) {
	env := newResearchEnv(t, nil)
	_, body := env.Client(t).Get("/search?q=" + url.QueryEscape("规范公共数据专区授权运营"))
	list, _, _ := hits(t, body)
	n := 0
	for _, h := range list {
		if strings.Contains(h, "第一条") && strings.Contains(h, "北京市公共数据专区") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("第一条 of the two versions listed %d times, want once: %v", n, list)
	}
	if !strings.Contains(body, "相同条文另见") || !strings.Contains(body, "已合并显示") {
		t.Error("folded hit not explained")
	}
}

func TestAdvancedSearch(t *testing.T) {
	env := newResearchEnv(t, nil)
	c := env.Client(t)
	tests := []struct {
		name   string
		params url.Values
		want   []string // citations that must be listed
		not    []string // citations that must not
		err    string
	}{
		{"文号 only", url.Values{"docno": {"国办发[2024]7号"}}, []string{"《关于做好数据分类分级工作的通知》 一、"}, []string{"数据安全法 第二十一条"}, ""},
		{"发布机关 contains", url.Values{"q": {"数据分类分级"}, "org": {"全国人民代表大会"}}, []string{"数据安全法 第二十一条"},
			[]string{"《关于做好数据分类分级工作的通知》 一、"}, ""},
		{"date range", url.Values{"q": {"数据分类分级"}, "from": {"2024"}, "to": {"2024-12"}}, []string{"《关于做好数据分类分级工作的通知》 一、"},
			[]string{"数据安全法 第二十一条"}, ""},
		{"标题", url.Values{"q": {"数据"}, "title": {"数据安全法"}}, []string{"数据安全法 第二十一条"}, []string{"《关于做好数据分类分级工作的通知》 一、"}, ""},
		{"效力级别", url.Values{"q": {"数据分类分级"}, "level": {library.LevelLaw}}, []string{"数据安全法 第二十一条"},
			[]string{"《关于做好数据分类分级工作的通知》 一、"}, ""},
		{"within results", url.Values{"q": {"数据"}, "within": {"重要数据目录"}}, []string{"《关于做好数据分类分级工作的通知》 一、"},
			[]string{"数据安全法 第二十一条", "数据安全法 第一条"}, ""},
		{"bad date", url.Values{"q": {"数据"}, "from": {"2024-13"}}, nil, nil, "起始日期“2024-13”不是日期"},
		{"reversed range", url.Values{"q": {"数据"}, "from": {"2024"}, "to": {"2020"}}, nil, nil, "起始日期晚于截止日期"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := c.Get("/search?" + tt.params.Encode())
			if code != 200 {
				t.Fatalf("status %d", code)
			}
			list, _, _ := hits(t, body)
			joined := strings.Join(list, "\n")
			for _, w := range tt.want {
				if !strings.Contains(joined, w) {
					t.Errorf("missing %q in %v", w, list)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(joined, w) {
					t.Errorf("unexpected %q in %v", w, list)
				}
			}
			if tt.err != "" && !strings.Contains(body, tt.err) {
				t.Errorf("error %q not shown", tt.err)
			}
			// The API takes the same parameters.
			code, api := c.Get("/api/v1/search?" + tt.params.Encode())
			if tt.err != "" {
				if code != http.StatusBadRequest {
					t.Errorf("API status %d for a bad field, want 400", code)
				}
				return
			}
			var res struct {
				Hits []struct {
					Citation string `json:"citation"`
				} `json:"hits"`
			}
			if err := json.Unmarshal([]byte(api), &res); err != nil {
				t.Fatalf("API: %v: %s", err, api)
			}
			var cites []string
			for _, h := range res.Hits {
				cites = append(cites, h.Citation)
			}
			for _, w := range tt.want {
				if !strings.Contains(strings.Join(cites, "\n"), w) {
					t.Errorf("API misses %q: %v", w, cites)
				}
			}
		})
	}
}

func TestProvisionPage(t *testing.T) {
	env := newResearchEnv(t, nil)
	c := env.Client(t)
	code, body := c.Get("/p/vdsl.c1.a21")
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	for _, w := range []string{
		"<h1>数据安全法 第二十一条</h1>",
		env.TS.URL + "/p/vdsl.c1.a21", // absolute share link
		"数据安全法 第二十一条：国家建立数据分类分级保护制度。", // citation text, label not repeated
		`href="/p/vnt.o1"`,      // cited by another document (《…》第二十一条)
		`href="/p/vdsl.c1.a45"`, // cited within its own document (本法第二十一条)
		`href="/p/vdsl.c1.a1"`,  // previous article
		"/export/provisions/export.docx?id=vdsl.c1.a21",
	} {
		if !strings.Contains(body, w) {
			t.Errorf("provision page lacks %q", w)
		}
	}
	// The article it cites (本法第二十一条) from the other side.
	_, body = c.Get("/p/vdsl.c1.a45")
	if !strings.Contains(body, `href="/p/vdsl.c1.a21"`) {
		t.Error("第四十五条 does not link the article it cites")
	}
	// Related provisions come from other works only.
	_, body = c.Get("/p/vgd.o1")
	i := strings.Index(body, `id="lx-related"`)
	if i < 0 || !strings.Contains(body[i:], `href="/p/v`) {
		t.Error("related provisions list nothing")
	}
	if strings.Contains(body[i:], `href="/p/vgd.`) {
		t.Error("related provisions list the provision's own document")
	}
	if code, _ := c.Get("/p/nope"); code != http.StatusNotFound {
		t.Errorf("unknown provision: %d", code)
	}
}

func TestDocumentFindAndHistory(t *testing.T) {
	env := newResearchEnv(t, nil)
	c := env.Client(t)
	_, body := c.Get("/documents/vdsl?find=" + url.QueryEscape("数据出境"))
	if !strings.Contains(body, "文中 1 处条文包含“数据出境”") {
		t.Error("find count missing")
	}
	if !strings.Contains(body, `href="?find=%E6%95%B0%E6%8D%AE%E5%87%BA%E5%A2%83#p-vdsl.c1.a31"`) {
		t.Error("jump link to 第三十一条 missing")
	}
	if n := strings.Count(body, "<mark>数据出境</mark>"); n < 3 { // jump list + two in the text
		t.Errorf("%d marks, want ≥ 3", n)
	}
	// A long document: the match on page 2 links there.
	_, body = c.Get("/documents/vbig?find=" + url.QueryEscape("第900条"))
	if !regexp.MustCompile(`href="\?page=\d+&amp;find=[^"]*#p-vbig\.c9\.a900"`).MatchString(body) {
		t.Error("jump link to another page missing")
	}
	_, body = c.Get("/documents/vdsl")
	for _, w := range []string{`href="/documents/vdsl/export.docx"`, `href="/documents/vdsl/export.pdf"`, `href="/documents/vdsl/print"`,
		`<form id="sel"`, `name="id" value="vdsl.c1.a21" form="sel"`, `href="/p/vdsl.c1.a21"`} {
		if !strings.Contains(body, w) {
			t.Errorf("document page lacks %q", w)
		}
	}
	_, body = c.Get("/documents/vbjf")
	for _, w := range []string{"修订沿革", "征求意见稿 2023-07-05", "试行 2023-12-05", "/documents/vbjf/diff?a=vbjd&amp;b=vbjf", "与上一版本对照"} {
		if !strings.Contains(body, w) {
			t.Errorf("history lacks %q", w)
		}
	}
}

// docxDocument returns word/document.xml of a .docx.
func docxDocument(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a .docx: %v", err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			x, _ := io.ReadAll(rc)
			rc.Close()
			return string(x)
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}

func TestExports(t *testing.T) {
	t.Setenv("DATALEX_CHROMIUM", "/nonexistent/chromium")
	env := newResearchEnv(t, func(c *web.Config) { c.Printer = export.NewPrinter() })
	c := env.Client(t)
	type exportCase struct {
		path  string
		code  int // 0: any (requests that only use up the PDF rate)
		ctype string
		want  []string
	}
	tests := []exportCase{
		{"/documents/vdsl/export.docx", 200, "wordprocessingml", []string{"数据安全法 第二十一条", "时效性", "来源：001_test.txt", "国家建立数据分类分级保护制度"}},
		{"/documents/vdsl/print", 200, "text/html", []string{"数据安全法 第二十一条", "时效性：", "下载 Word"}},
		{"/export/provisions/export.docx?id=vdsl.c1.a21&id=vnt.o1", 200, "wordprocessingml", []string{"数据安全法 第二十一条", "《关于做好数据分类分级工作的通知》 一、", "重要数据目录"}},
		{"/search/export.docx?q=" + url.QueryEscape("数据分类分级"), 200, "wordprocessingml", []string{"检索结果", "检索词：数据分类分级", "数据安全法 第二十一条"}},
		{"/search/print?q=" + url.QueryEscape("数据分类分级") + "&level=" + url.QueryEscape(library.LevelLaw), 200, "text/html", []string{"效力级别：法律", "数据安全法 第二十一条"}},
		{"/documents/vdsl/export.pdf", 503, "text/html", []string{"服务器未安装 Chromium", "/documents/vdsl/print"}},
		{"/documents/nope/export.docx", 404, "text/html", nil},
		{"/export/provisions/export.docx", 400, "text/html", []string{"请先勾选要导出的条文"}},
		{"/export/provisions/export.docx?id=nope", 404, "text/html", nil},
		{"/export/provisions/export.docx?" + strings.Repeat("id=vdsl.c1.a1&", maxSelection+1), 400, "text/html", []string{"一次最多导出"}},
		{"/search/export.docx", 400, "text/html", []string{"请先输入检索词"}},
	}
	// PDF exports per address are bounded (the first ones above count).
	for i := 0; i < pdfPerMinute; i++ {
		tests = append(tests, exportCase{"/export/provisions/export.pdf?id=vdsl.c1.a1", 0, "text/html", nil})
	}
	tests = append(tests, exportCase{"/search/export.pdf?q=x", http.StatusTooManyRequests, "text/html", []string{"PDF 导出过于频繁", "/search/print?q=x"}})
	for _, tt := range tests {
		t.Run(tt.path[:min(len(tt.path), 60)], func(t *testing.T) {
			req, _ := http.NewRequest("GET", env.TS.URL+tt.path, nil)
			code, body, resp := c.Do(req)
			if tt.code == 0 {
				return
			}
			if code != tt.code {
				t.Fatalf("status %d, want %d: %.300s", code, tt.code, body)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, tt.ctype) {
				t.Errorf("content type %q, want %q", ct, tt.ctype)
			}
			text := body
			if strings.Contains(tt.ctype, "wordprocessingml") {
				text = docxDocument(t, []byte(body))
				if !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
					t.Error("docx not sent as an attachment")
				}
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("export lacks %q", w)
				}
			}
		})
	}
}

func TestExportPDFWithChromium(t *testing.T) {
	p := export.NewPrinter()
	if !p.Available() || testing.Short() {
		t.Skip("chromium not installed or -short (the export package tests the printer itself)")
	}
	env := newResearchEnv(t, nil)
	req, _ := http.NewRequest("GET", env.TS.URL+"/export/provisions/export.pdf?id=vdsl.c1.a21", nil)
	code, body, resp := env.Client(t).Do(req)
	if code != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF") {
		t.Fatalf("status %d, type %q, start %q", code, resp.Header.Get("Content-Type"), body[:min(len(body), 20)])
	}
}

func TestAPIProvision(t *testing.T) {
	env := newResearchEnv(t, nil)
	c := env.Client(t)
	code, body := c.Get("/api/v1/provisions/vdsl.c1.a21")
	if code != 200 {
		t.Fatalf("status %d: %s", code, body)
	}
	var got struct {
		Citation string    `json:"citation"`
		Status   string    `json:"status"`
		URL      string    `json:"url"`
		CitedBy  []provRef `json:"cited_by"`
		Related  []provRef `json:"related"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if got.Citation != "数据安全法 第二十一条" || got.Status == "" || !strings.HasSuffix(got.URL, "/p/vdsl.c1.a21") || len(got.CitedBy) != 2 {
		t.Errorf("unexpected %+v", got)
	}
	if code, body := c.Get("/api/v1/provisions/nope"); code != 404 || !strings.Contains(body, `"error"`) {
		t.Errorf("unknown provision: %d %s", code, body)
	}
}
