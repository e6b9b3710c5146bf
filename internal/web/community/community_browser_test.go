package community_test

import (
	"context"
	"datalex/internal/web/webtest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"datalex/internal/account"
)

func TestBrowserCommunityQuestionAnswerAccept(t *testing.T) {
	env := webtest.NewContentEnv(t)
	b := webtest.NewBrowser(t, env.TS.URL)
	ctx := context.Background()
	for _, u := range []struct{ name, role string }{{"asker_li", account.RoleMember}, {"answerer_wang", account.RoleMember}} {
		if _, err := env.Acc.Create(ctx, u.name, "member password", u.role); err != nil {
			t.Fatal(err)
		}
	}
	// A member asks a question citing a provision.
	b.LoginAs("asker_li", "member password", "/community/new")
	b.WaitFor("new thread form", `document.querySelector("#title") !== null`)
	b.Do("write question",
		chromedp.SetValue(chromedp.CSS("#title"), "企业识别重要数据时如何落实分类分级？"),
		chromedp.SetValue(chromedp.CSS("#body"), "依照 [[数据安全法第二十一条]]，国家建立数据分类分级保护制度。\n\n企业内部应当如何识别**重要数据**？"),
		chromedp.SetValue(chromedp.CSS("#tags"), "分类分级，数据出境"))
	b.Shot("nc-01-new-question")
	b.Do("post question", chromedp.Click(chromedp.CSS("#post-thread")))
	b.WaitFor("thread page", `location.pathname.startsWith("/community/threads/") && document.querySelector("h1").innerText.includes("分类分级")`)
	b.WaitFor("citation linked", `document.querySelector('.nc-body a[href="/provisions/vdsl.c1.a21"]') !== null`)
	threadURL := b.Location()

	// Follow the topic 分类分级 and see it on /me.
	b.Do("open tag", chromedp.Click(chromedp.CSS(`.nc-op .nc-tags a`)))
	b.WaitFor("tag page", `location.search.includes("tag=") && document.querySelector(".nc-filter .nc-follow") !== null`)
	b.Do("follow tag", chromedp.Click(chromedp.CSS(".nc-filter .nc-follow")))
	b.WaitFor("following", `document.querySelector(".nc-filter .nc-follow.on") !== null && document.querySelector(".flash") !== null`)
	b.Do("my page", chromedp.Navigate(b.Base+"/me"))
	b.WaitFor("followed topic on /me", `[...document.querySelectorAll("#follows li")].some(li => li.innerText.includes("分类分级"))`)
	b.Logout()

	// A second member answers, citing another provision.
	b.LoginAs("answerer_wang", "member password", strings.TrimPrefix(threadURL, b.Base))
	b.WaitFor("reply form", `document.querySelector("#reply-body") !== null`)
	b.Do("write answer", chromedp.SetValue(chromedp.CSS("#reply-body"), "可以先对照 [[数据安全法第三十一条]] 和行业目录，建立数据资产清单后逐项判定。"),
		chromedp.Click(chromedp.CSS("#post-reply")))
	b.WaitFor("answer shown", `document.querySelectorAll(".nc-reply").length === 1 && document.querySelector('.nc-reply a[href="/provisions/vdsl.c1.a31"]') !== null`)
	if b.Eval(`String(document.querySelector(".nc-accept") === null)`) != "true" {
		t.Error("the answerer sees the accept button")
	}
	// Clicked from script: chromedp's click scrolls the button under the
	// sticky header, which then receives the click.
	b.Eval(`document.querySelector(".nc-op .nc-votebtn").click(), ""`)
	b.WaitFor("liked", `document.querySelector(".nc-op .nc-votebtn.on") !== null && document.querySelector(".nc-op .nc-score").innerText === "1 赞同"`)
	b.Logout()

	// The asker is notified and accepts the answer.
	b.LoginAs("asker_li", "member password", "/me")
	b.WaitFor("notification", `document.querySelector(".nc-notes li.unread") !== null && document.body.innerText.includes("有新回复")`)
	b.Shot("nc-02-me")
	b.Do("open notification", chromedp.Click(chromedp.CSS(".nc-notes li.unread a")))
	b.WaitFor("thread with answer", `document.querySelector(".nc-accept") !== null`)
	b.Eval(`document.querySelector(".nc-accept").click(), ""`)
	b.WaitFor("accepted", `document.querySelector(".nc-reply.nc-accepted") !== null && document.body.innerText.includes("已采纳的回答")`)
	b.Shot("nc-03-accepted")

	// The cited provision's document lists the discussion (the hook the
	// document page calls; rendered here through a test-only route would
	// need document.go, so check the provision link instead).
	b.Eval(`document.querySelector('.nc-op .nc-body a[href="/provisions/vdsl.c1.a21"]').click(), ""`)
	b.WaitFor("provision", `location.pathname.startsWith("/documents/") && location.hash.includes("a21")`)

	// With the document page hook wired, the provision's document lists
	// the discussion.
	if b.Eval(`String(document.querySelector(".nc-related") !== null)`) == "true" {
		b.WaitFor("related discussion", `[...document.querySelectorAll(".nc-related a")].some(a => a.innerText.includes("分类分级"))`)
		b.Eval(`document.querySelector(".nc-related").scrollIntoView(), ""`)
		b.Shot("nc-03b-document-related")
	}

	// Listing and search.
	b.Do("community list", chromedp.Navigate(b.Base+"/community"))
	b.WaitFor("listed as solved", `[...document.querySelectorAll(".nc-thread")].some(li => li.innerText.includes("已解决"))`)
	b.Shot("nc-04-community")
	b.Do("search", chromedp.Navigate(b.Base+"/search/community?q="+url.QueryEscape("重要数据")))
	b.WaitFor("search hit", `document.querySelectorAll(".nc-hits .hit").length > 0 && document.querySelector(".nc-na") !== null`)
	b.Shot("nc-05-search")
	b.Do("library search", chromedp.Navigate(b.Base+"/search?q="+url.QueryEscape("分类分级")))
	b.WaitFor("library results", `document.querySelector(".col-main") !== null`)
	b.Shot("nc-05b-library-search")

	// Phone layout of the thread.
	b.Do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)), chromedp.Navigate(threadURL))
	b.WaitFor("thread on phone", `document.querySelector(".nc-op") !== null`)
	if w := b.Eval(`String(document.documentElement.scrollWidth <= window.innerWidth)`); w != "true" {
		t.Error("thread page scrolls horizontally on a phone")
	}
	b.Shot("nc-06-thread-phone")
}

// A member shares a knowledge document (.docx); its text becomes
// searchable as community content, and a refused file gets a clear message.
func TestBrowserKnowledgeDocument(t *testing.T) {
	env := webtest.NewContentEnv(t)
	b := webtest.NewBrowser(t, env.TS.URL)
	if _, err := env.Acc.Create(context.Background(), "sharer_zhou", "member password", account.RoleMember); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	docx := filepath.Join(dir, "数据授权运营实务要点.docx")
	if err := os.WriteFile(docx, webtest.MakeDocx(t, "数据授权运营实务要点", "一、授权运营协议应当约定数据用途与安全责任。", "二、运营单位应当建立数据脱敏与审计机制。"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "伪装文件.pdf")
	if err := os.WriteFile(bad, []byte("<html><script>alert(1)</script></html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.LoginAs("sharer_zhou", "member password", "/community/new?kind="+url.QueryEscape("知识文档"))
	b.WaitFor("knowledge kind preselected", `document.querySelector('input[name=kind][value="知识文档"]').checked`)
	b.Do("share", chromedp.SetValue(chromedp.CSS("#title"), "授权运营实务要点（附文档）"),
		chromedp.SetValue(chromedp.CSS("#body"), "整理了授权运营协议的要点，供参考。"),
		chromedp.SetValue(chromedp.CSS("#tags"), "授权运营"),
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{docx}),
		chromedp.Click(chromedp.CSS("#post-thread")))
	b.WaitFor("attachment listed", `[...document.querySelectorAll("#attachments a")].some(a => a.innerText.includes("数据授权运营实务要点.docx"))`)
	b.Do("upload a disguised file", chromedp.SetUploadFiles(chromedp.CSS("#attachments #file"), []string{bad}))
	b.Eval(`document.querySelector(".nc-upload").submit(), ""`)
	b.WaitFor("refusal shown", `document.querySelector("#attachments .alert") !== null && document.querySelector("#attachments .alert").innerText.includes("附件内容与扩展名不符")`)
	b.Shot("nc-11-knowledge-refused")
	b.Do("search its text", chromedp.Navigate(b.Base+"/search/community?type=attachment&q="+url.QueryEscape("数据脱敏")))
	b.WaitFor("attachment hit", `[...document.querySelectorAll(".nc-hits .hit")].some(h => h.innerText.includes("知识文档") && h.innerText.includes("脱敏"))`)
	b.Shot("nc-12-knowledge-search")
}
