package news_test

import (
	"context"
	"datalex/internal/web/webtest"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"datalex/internal/account"
	"datalex/internal/news"
)

func TestNCNewsPagesAndFeeds(t *testing.T) {
	env := webtest.NewContentEnv(t)
	ed := env.Client(t)
	ed.Login("news_editor", account.RoleEditor)
	// Validation errors stay next to their fields and keep the input.
	code, body, _ := ed.PostCSRF("/news", url.Values{"category": {"法规动态"}, "title": {"来源错误"}, "source_url": {"javascript:alert(1)"}})
	if code != http.StatusUnprocessableEntity || !regexp.MustCompile(`id="source_url"[^>]*>\s*<p class="nc-err" role="alert">来源链接`).MatchString(body) ||
		!strings.Contains(body, `value="来源错误"`) {
		t.Errorf("bad source url: %d", code)
	}
	code, body, _ = ed.PostCSRF("/news", url.Values{"category": {"法规动态"}, "title": {"未知文件"}, "related_works": {"不存在的文件"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "资料库中找不到：不存在的文件") {
		t.Errorf("unknown related work: %d", code)
	}
	code, _, resp := ed.PostCSRF("/news", url.Values{"category": {"法规动态"}, "title": {"数据安全法配套规定发布"}, "body": {"**要点**：分类分级。"},
		"tags": {"数据安全，分类分级"}, "related_works": {"/documents/vdsl\n广东省数据出境安全评估工作指引"}, "published_date": {"2024-11"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create: %d", code)
	}
	item := strings.SplitN(resp.Header.Get("Location"), "?", 2)[0]
	_, body = ed.Get(item)
	for _, want := range []string{"<strong>要点</strong>", `href="/documents/wdsl"`, "中华人民共和国数据安全法", `href="/documents/wgd"`, "2024年11月", `href="/news?tag=%e5%88%86%e7%b1%bb%e5%88%86%e7%ba%a7"`} {
		if !strings.Contains(body, want) {
			t.Errorf("item page lacks %q", want)
		}
	}
	news.Create(context.Background(), env.St.DB(), &news.Item{Category: news.CategoryHot, Title: "热点一则", Tags: []string{"数据出境"}})
	_, body = ed.Get("/news?category=" + url.QueryEscape("数安热点"))
	if !strings.Contains(body, "热点一则") || strings.Contains(body, "数据安全法配套规定发布") {
		t.Error("category tab does not filter")
	}
	_, body = ed.Get("/news?tag=" + url.QueryEscape("分类分级"))
	if !strings.Contains(body, "数据安全法配套规定发布") || strings.Contains(body, "热点一则") {
		t.Error("tag filter")
	}
	// Feeds per category, with their content types.
	for _, tc := range []struct{ path, ctype, has, hasnt string }{
		{"/news/feed.rss", "application/rss+xml", "数据安全法配套规定发布", ""},
		{"/news/feed.atom", "application/atom+xml", "热点一则", ""},
		{"/news/feed.rss?category=" + url.QueryEscape("数安热点"), "application/rss+xml", "热点一则", "数据安全法配套规定发布"},
		{"/news/feed.atom?category=" + url.QueryEscape("法规动态"), "application/atom+xml", "数据安全法配套规定发布", "热点一则"},
	} {
		req, _ := http.NewRequest("GET", env.TS.URL+tc.path, nil)
		code, body, resp := ed.Do(req)
		if code != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.ctype) || !strings.Contains(body, tc.has) ||
			(tc.hasnt != "" && strings.Contains(body, tc.hasnt)) || !strings.Contains(body, env.TS.URL+"/news/") {
			t.Errorf("%s: %d %s", tc.path, code, resp.Header.Get("Content-Type"))
		}
	}
	if code, _ := ed.Get("/news/feed.rss?category=nope"); code != 404 {
		t.Errorf("unknown category feed: %d", code)
	}
	// Edit and delete.
	if code, _, _ := ed.PostCSRF(item+"/edit", url.Values{"category": {"政策解读"}, "title": {"改后的标题"}}); code != http.StatusSeeOther {
		t.Errorf("edit: %d", code)
	}
	if _, b := ed.Get(item); !strings.Contains(b, "改后的标题") || !strings.Contains(b, "政策解读") {
		t.Error("edit not saved")
	}
	if code, _ := ed.Get("/news/999999"); code != 404 {
		t.Errorf("missing item: %d", code)
	}
}

func TestNCFeedSources(t *testing.T) {
	env := webtest.NewContentEnv(t)
	ed := env.Client(t)
	ed.Login("feed_editor", account.RoleEditor)
	good := `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>外部资讯一</title><link>https://example.com/a</link><guid>a</guid><description>内容 &lt;script&gt;alert(1)&lt;/script&gt;</description></item>
</channel></rss>`
	feeds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/bad" {
			w.Write([]byte("<rss><channel><item><title>未闭合"))
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(good))
	}))
	defer feeds.Close()
	code, body, _ := ed.PostCSRF("/admin/feeds", url.Values{"name": {"坏源"}, "url": {"ftp://x"}, "category": {"行业资讯"}})
	if code != 422 || !strings.Contains(body, "订阅地址必须是 http 或 https 网址") {
		t.Errorf("bad url: %d", code)
	}
	for _, name := range []string{"good", "bad"} {
		if code, _, _ := ed.PostCSRF("/admin/feeds", url.Values{"name": {name}, "url": {feeds.URL + "/" + name}, "category": {"行业资讯"}}); code != http.StatusSeeOther {
			t.Fatalf("add %s: %d", name, code)
		}
	}
	srcs, _ := news.Sources(context.Background(), env.St.DB())
	if len(srcs) != 2 {
		t.Fatalf("%d sources", len(srcs))
	}
	for _, s := range srcs {
		code, body, _ := ed.PostCSRF(fmt.Sprintf("/admin/feeds/%d/poll", s.ID), nil)
		if code != 200 {
			t.Errorf("poll %s: %d", s.Name, code)
		}
		if s.Name == "good" && !strings.Contains(body, "新增 1 条") {
			t.Errorf("poll good: no result line")
		}
		if s.Name == "bad" && !strings.Contains(body, "抓取「bad」失败") {
			t.Errorf("poll bad: no error shown")
		}
	}
	_, body = ed.Get("/admin/feeds")
	if !strings.Contains(body, "出错（连续 1 次）") || !strings.Contains(body, "正常") {
		t.Error("per-source status not shown")
	}
	webtest.AssertInert(t, "feeds", body)
	if _, b := ed.Get("/news"); !strings.Contains(b, "外部资讯一") {
		t.Error("polled item not listed")
	}
	if code, _, _ := ed.PostCSRF(fmt.Sprintf("/admin/feeds/%d/enabled", srcs[1].ID), url.Values{"enabled": {"0"}}); code != http.StatusSeeOther {
		t.Errorf("disable: %d", code)
	}
	if _, b := ed.Get("/admin/feeds"); !strings.Contains(b, "已停用") {
		t.Error("disabled source not shown as such")
	}
}

// An editor's upload is announced as a 法规动态 item and recorded as a
// library change.
func TestNCImportAnnounced(t *testing.T) {
	env := webtest.NewContentEnv(t)
	ed := env.Client(t)
	ed.Login("imp_editor", account.RoleEditor)
	_, body := ed.PostFile("/admin/upload", nil, "某某省办法.docx", webtest.MakeDocx(t, webtest.DocxSample...))
	m := webtest.UploadTokenRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no preview token")
	}
	if code, _, _ := ed.PostCSRF("/admin/upload/commit", url.Values{"token": {m[1]}}); code != http.StatusSeeOther {
		t.Fatalf("commit: %d", code)
	}
	items, _, err := news.List(context.Background(), env.St.DB(), news.Query{Category: news.CategoryRegulation})
	if err != nil || len(items) != 1 || !strings.Contains(items[0].Title, "某某省公共数据授权运营管理办法") || len(items[0].RelatedWorks) != 1 {
		t.Fatalf("announcement: %v %+v", err, items)
	}
	if _, b := ed.Get("/news"); !strings.Contains(b, "某某省公共数据授权运营管理办法") {
		t.Error("announcement not listed")
	}
}

// TestNewsPager: a list longer than a page links the next and previous
// pages (the layout's shared "pager" template).
func TestNewsPager(t *testing.T) {
	env := webtest.NewContentEnv(t)
	for i := range 21 {
		if _, err := news.Create(context.Background(), env.St.DB(), &news.Item{Category: news.CategoryIndustry, Title: fmt.Sprintf("分页资讯%02d", i),
			Body: "正文。", PublishedDate: fmt.Sprintf("2024-01-%02d", i+1)}); err != nil {
			t.Fatal(err)
		}
	}
	c := env.Client(t)
	if _, body := c.Get("/news"); !strings.Contains(body, "第 1 / 2 页") || !strings.Contains(body, "下一页") || strings.Contains(body, "上一页") {
		t.Errorf("page 1 navigation missing")
	}
	if _, body := c.Get("/news?page=2"); !strings.Contains(body, "第 2 / 2 页") || !strings.Contains(body, "上一页") || !strings.Contains(body, "分页资讯00") {
		t.Errorf("page 2 navigation or items missing")
	}
}
