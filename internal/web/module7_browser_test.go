package web

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"datalex/internal/account"
	"datalex/internal/news"
)

// Browser tests of 头条, 盛会 and 对话 (see browser_test.go for the
// conventions: chromium required with DATALEX_REQUIRE_BROWSER=1,
// screenshots under DATALEX_SCREENSHOTS).

func (b *browser) loginAs(username, password, next string) {
	b.t.Helper()
	b.do("log in as "+username, chromedp.Navigate(b.base+"/login?next="+url.QueryEscape(next)),
		chromedp.SetValue(chromedp.CSS("#username"), username), chromedp.SetValue(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS("form.stack button")))
	b.waitFor("logged in as "+username, `document.querySelector(".who") && document.querySelector(".who").innerText.includes(`+jsString(username)+`)`)
}

func (b *browser) logout() {
	b.t.Helper()
	b.do("log out", chromedp.Click(chromedp.CSS(".who form button")))
	b.waitFor("logged out", `document.querySelector('.who a[href="/login"]') !== null`)
}

func TestBrowserCommunityQuestionAnswerAccept(t *testing.T) {
	env := newNCEnv(t)
	b := newBrowser(t, env.ts.URL)
	ctx := context.Background()
	for _, u := range []struct{ name, role string }{{"asker_li", account.RoleMember}, {"answerer_wang", account.RoleMember}} {
		if _, err := env.acc.Create(ctx, u.name, "member password", u.role); err != nil {
			t.Fatal(err)
		}
	}
	// A member asks a question citing a provision.
	b.loginAs("asker_li", "member password", "/community/new")
	b.waitFor("new thread form", `document.querySelector("#title") !== null`)
	b.do("write question",
		chromedp.SetValue(chromedp.CSS("#title"), "企业识别重要数据时如何落实分类分级？"),
		chromedp.SetValue(chromedp.CSS("#body"), "依照 [[数据安全法第二十一条]]，国家建立数据分类分级保护制度。\n\n企业内部应当如何识别**重要数据**？"),
		chromedp.SetValue(chromedp.CSS("#tags"), "分类分级，数据出境"))
	b.shot("nc-01-new-question")
	b.do("post question", chromedp.Click(chromedp.CSS("#post-thread")))
	b.waitFor("thread page", `location.pathname.startsWith("/community/threads/") && document.querySelector("h1").innerText.includes("分类分级")`)
	b.waitFor("citation linked", `document.querySelector('.nc-body a[href="/provisions/vdsl.c1.a21"]') !== null`)
	threadURL := b.location()

	// Follow the topic 分类分级 and see it on /me.
	b.do("open tag", chromedp.Click(chromedp.CSS(`.nc-op .nc-tags a`)))
	b.waitFor("tag page", `location.search.includes("tag=") && document.querySelector(".nc-filter .nc-follow") !== null`)
	b.do("follow tag", chromedp.Click(chromedp.CSS(".nc-filter .nc-follow")))
	b.waitFor("following", `document.querySelector(".nc-filter .nc-follow.on") !== null && document.querySelector(".flash") !== null`)
	b.do("my page", chromedp.Navigate(b.base+"/me"))
	b.waitFor("followed topic on /me", `[...document.querySelectorAll("#follows li")].some(li => li.innerText.includes("分类分级"))`)
	b.logout()

	// A second member answers, citing another provision.
	b.loginAs("answerer_wang", "member password", strings.TrimPrefix(threadURL, b.base))
	b.waitFor("reply form", `document.querySelector("#reply-body") !== null`)
	b.do("write answer", chromedp.SetValue(chromedp.CSS("#reply-body"), "可以先对照 [[数据安全法第三十一条]] 和行业目录，建立数据资产清单后逐项判定。"),
		chromedp.Click(chromedp.CSS("#post-reply")))
	b.waitFor("answer shown", `document.querySelectorAll(".nc-reply").length === 1 && document.querySelector('.nc-reply a[href="/provisions/vdsl.c1.a31"]') !== null`)
	if b.eval(`String(document.querySelector(".nc-accept") === null)`) != "true" {
		t.Error("the answerer sees the accept button")
	}
	// Clicked from script: chromedp's click scrolls the button under the
	// sticky header, which then receives the click.
	b.eval(`document.querySelector(".nc-op .nc-votebtn").click(), ""`)
	b.waitFor("liked", `document.querySelector(".nc-op .nc-votebtn.on") !== null && document.querySelector(".nc-op .nc-score").innerText === "1 赞同"`)
	b.logout()

	// The asker is notified and accepts the answer.
	b.loginAs("asker_li", "member password", "/me")
	b.waitFor("notification", `document.querySelector(".nc-notes li.unread") !== null && document.body.innerText.includes("有新回复")`)
	b.shot("nc-02-me")
	b.do("open notification", chromedp.Click(chromedp.CSS(".nc-notes li.unread a")))
	b.waitFor("thread with answer", `document.querySelector(".nc-accept") !== null`)
	b.eval(`document.querySelector(".nc-accept").click(), ""`)
	b.waitFor("accepted", `document.querySelector(".nc-reply.nc-accepted") !== null && document.body.innerText.includes("已采纳的回答")`)
	b.shot("nc-03-accepted")

	// The cited provision's document lists the discussion (the hook the
	// document page calls; rendered here through a test-only route would
	// need document.go, so check the provision link instead).
	b.eval(`document.querySelector('.nc-op .nc-body a[href="/provisions/vdsl.c1.a21"]').click(), ""`)
	b.waitFor("provision", `location.pathname.startsWith("/documents/") && location.hash.includes("a21")`)

	// With the document page hook wired, the provision's document lists
	// the discussion.
	if b.eval(`String(document.querySelector(".nc-related") !== null)`) == "true" {
		b.waitFor("related discussion", `[...document.querySelectorAll(".nc-related a")].some(a => a.innerText.includes("分类分级"))`)
		b.eval(`document.querySelector(".nc-related").scrollIntoView(), ""`)
		b.shot("nc-03b-document-related")
	}

	// Listing and search.
	b.do("community list", chromedp.Navigate(b.base+"/community"))
	b.waitFor("listed as solved", `[...document.querySelectorAll(".nc-thread")].some(li => li.innerText.includes("已解决"))`)
	b.shot("nc-04-community")
	b.do("search", chromedp.Navigate(b.base+"/search/community?q="+url.QueryEscape("重要数据")))
	b.waitFor("search hit", `document.querySelectorAll(".nc-hits .hit").length > 0 && document.querySelector(".nc-na") !== null`)
	b.shot("nc-05-search")
	b.do("library search", chromedp.Navigate(b.base+"/search?q="+url.QueryEscape("分类分级")))
	b.waitFor("library results", `document.querySelector(".col-main") !== null`)
	b.shot("nc-05b-library-search")

	// Phone layout of the thread.
	b.do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)), chromedp.Navigate(threadURL))
	b.waitFor("thread on phone", `document.querySelector(".nc-op") !== null`)
	if w := b.eval(`String(document.documentElement.scrollWidth <= window.innerWidth)`); w != "true" {
		t.Error("thread page scrolls horizontally on a phone")
	}
	b.shot("nc-06-thread-phone")
}

func TestBrowserEditorAddsEvent(t *testing.T) {
	env := newNCEnv(t)
	b := newBrowser(t, env.ts.URL)
	ctx := context.Background()
	if _, err := env.acc.Create(ctx, "editor_sun", "editor password", account.RoleEditor); err != nil {
		t.Fatal(err)
	}
	for _, it := range []*news.Item{
		{Category: news.CategoryHot, Title: "某平台因违规处理个人信息被罚", Summary: "监管部门通报典型案例。", Tags: []string{"个人信息"}, PublishedDate: "2024-11"},
		{Category: news.CategoryRegulation, Title: "数据安全法配套制度持续完善", Summary: "分类分级保护制度相关规定陆续出台。", RelatedWorks: []string{"wdsl"}, PublishedDate: "2024-10-12"},
		{Category: news.CategoryIndustry, Title: "多地数据交易所上线数据资产登记服务", Tags: []string{"数据资产", "入表"}, PublishedDate: "2024-09-01", SourceName: "行业媒体"},
	} {
		if _, err := news.Create(ctx, env.st.DB(), it); err != nil {
			t.Fatal(err)
		}
	}
	b.do("news", chromedp.Navigate(b.base+"/news"))
	b.waitFor("news list", `document.querySelectorAll(".nc-item").length === 3`)
	b.shot("nc-07-news")

	b.do("news item", chromedp.Click(chromedp.CSS(`.nc-item:nth-child(2) .nc-title`)))
	b.waitFor("item page", `document.querySelector('.nc-side a[href="/documents/wdsl"]') !== null`)
	b.shot("nc-07b-news-item")

	b.loginAs("editor_sun", "editor password", "/admin/feeds")
	b.do("add a feed source", chromedp.SetValue(chromedp.CSS("#name"), "某协会动态"), chromedp.SetValue(chromedp.CSS("#url"), "ftp://example.com/feed"),
		chromedp.Click(chromedp.CSS("form.nc-form button")))
	b.waitFor("source url refused", `document.querySelector("#url + .nc-err") !== null`)
	b.shot("nc-07c-feed-sources")
	b.do("event form", chromedp.Navigate(b.base+"/events/new"))
	b.waitFor("event form", `document.querySelector("#start_date") !== null && document.querySelector("#start_date").value !== ""`)
	// A missing organiser is reported next to the field.
	b.do("incomplete event", chromedp.SetValue(chromedp.CSS("#title"), "2031 数据要素发展大会"),
		chromedp.SetValue(chromedp.CSS("#start_date"), "2031-05-20"), chromedp.SetValue(chromedp.CSS("#end_date"), "2031-05-21"),
		chromedp.SetValue(chromedp.CSS("#city"), "杭州"), chromedp.Click(chromedp.CSS("form.nc-form button")))
	b.waitFor("field error", `document.querySelector("#organiser + .nc-err") !== null && document.querySelector("#title").value.includes("数据要素")`)
	b.shot("nc-08-event-error")
	b.do("complete event", chromedp.SetValue(chromedp.CSS("#organiser"), "某数据要素产业联盟"),
		chromedp.SetValue(chromedp.CSS("#venue"), "国际博览中心"),
		chromedp.SetValue(chromedp.CSS("#agenda"), "- 上午：主论坛\n- 下午：数据资产入表专题"),
		chromedp.SetValue(chromedp.CSS("#related_works"), "wdsl"),
		chromedp.Click(chromedp.CSS("form.nc-form button")))
	b.waitFor("event page", `location.pathname.startsWith("/events/") && document.querySelector("h1").innerText.includes("数据要素发展大会")`)
	b.shot("nc-09-event")
	b.do("events list", chromedp.Navigate(b.base+"/events"))
	b.waitFor("in upcoming", `[...document.querySelectorAll(".nc-events:not(.past) .nc-title")].some(a => a.innerText.includes("数据要素发展大会"))`)
	b.shot("nc-10-events")
	// The .ics download: fetched as the browser would, checked as a calendar.
	got := b.evalAsync(`fetch(document.querySelector(".nc-ics").href).then(r => r.text().then(t => r.headers.get("content-type") + "|" + r.headers.get("content-disposition") + "|" + t))`)
	if !strings.HasPrefix(got, "text/calendar") || !strings.Contains(got, "attachment") || !strings.Contains(got, "BEGIN:VEVENT") || !strings.Contains(got, "DTSTART;VALUE=DATE:20310520") {
		t.Errorf("ics download: %.300s", got)
	}
}

// evalAsync evaluates a promise-returning expression.
func (b *browser) evalAsync(js string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("eval %s: %v", js, err)
	}
	return v
}

// A member shares a knowledge document (.docx); its text becomes
// searchable as community content, and a refused file gets a clear message.
func TestBrowserKnowledgeDocument(t *testing.T) {
	env := newNCEnv(t)
	b := newBrowser(t, env.ts.URL)
	if _, err := env.acc.Create(context.Background(), "sharer_zhou", "member password", account.RoleMember); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	docx := filepath.Join(dir, "数据授权运营实务要点.docx")
	if err := os.WriteFile(docx, makeDocx(t, "数据授权运营实务要点", "一、授权运营协议应当约定数据用途与安全责任。", "二、运营单位应当建立数据脱敏与审计机制。"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "伪装文件.pdf")
	if err := os.WriteFile(bad, []byte("<html><script>alert(1)</script></html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.loginAs("sharer_zhou", "member password", "/community/new?kind="+url.QueryEscape("知识文档"))
	b.waitFor("knowledge kind preselected", `document.querySelector('input[name=kind][value="知识文档"]').checked`)
	b.do("share", chromedp.SetValue(chromedp.CSS("#title"), "授权运营实务要点（附文档）"),
		chromedp.SetValue(chromedp.CSS("#body"), "整理了授权运营协议的要点，供参考。"),
		chromedp.SetValue(chromedp.CSS("#tags"), "授权运营"),
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{docx}),
		chromedp.Click(chromedp.CSS("#post-thread")))
	b.waitFor("attachment listed", `[...document.querySelectorAll("#attachments a")].some(a => a.innerText.includes("数据授权运营实务要点.docx"))`)
	b.do("upload a disguised file", chromedp.SetUploadFiles(chromedp.CSS("#attachments #file"), []string{bad}))
	b.eval(`document.querySelector(".nc-upload").submit(), ""`)
	b.waitFor("refusal shown", `document.querySelector("#attachments .alert") !== null && document.querySelector("#attachments .alert").innerText.includes("附件内容与扩展名不符")`)
	b.shot("nc-11-knowledge-refused")
	b.do("search its text", chromedp.Navigate(b.base+"/search/community?type=attachment&q="+url.QueryEscape("数据脱敏")))
	b.waitFor("attachment hit", `[...document.querySelectorAll(".nc-hits .hit")].some(h => h.innerText.includes("知识文档") && h.innerText.includes("脱敏"))`)
	b.shot("nc-12-knowledge-search")
}
