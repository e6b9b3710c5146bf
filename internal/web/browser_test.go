package web_test

import (
	"context"
	"datalex/internal/web"
	"datalex/internal/web/webtest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"datalex/internal/account"
	"datalex/internal/answer"
	"datalex/internal/library"
	"datalex/internal/search"
)

// Browser tests drive Debian's chromium through chromedp, the way a person
// uses the platform. They skip when chromium is missing, unless
// DATALEX_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
// Screenshots go to DATALEX_SCREENSHOTS (or a temporary directory).

func browserEnv(t *testing.T) *webtest.Env {
	return webtest.NewEnv(t, webtest.Versions(), func(c *web.Config) {
		c.NewAnswerer = func(cat *library.Catalog, ix *search.Index) *answer.Answerer {
			return answer.New(answer.Config{Retrieve: answer.FromSearch(ix, cat), Catalog: cat, History: answer.NewHistory(c.Store.DB())})
		}
	}, nil)
}

func TestBrowserReadAndSearch(t *testing.T) {
	env := browserEnv(t)
	b := webtest.NewBrowser(t, env.TS.URL)
	b.Do("open home", chromedp.Navigate(b.Base+"/"), chromedp.WaitVisible(chromedp.CSS("#q")))
	b.WaitFor("module cards", `document.querySelectorAll(".module").length === 6 && document.body.innerText.includes("即将上线")`)
	b.Shot("01-home")

	// Search 「数据出境 安全评估」 from the home page and open the first provision.
	b.Do("search", chromedp.SetValue(chromedp.CSS("#q"), "数据出境 安全评估"), chromedp.Click(chromedp.CSS(".hero-search button")))
	b.WaitFor("results", `document.querySelectorAll(".hit-title").length > 0`)
	if got := b.Eval(`document.querySelector(".hit .snip mark") ? document.querySelector(".hit .snip mark").textContent : ""`); got == "" {
		t.Error("no highlighted term in the first snippet")
	}
	b.Shot("02-search")
	first := b.Eval(`document.querySelector(".hit-title").textContent`)
	b.Do("open first provision", chromedp.Click(chromedp.CSS(".hit-title")))
	b.WaitFor("provision page", `location.hash.startsWith("#p-") && document.querySelector(":target") !== null`)
	if target := b.Eval(`document.querySelector(":target").querySelector(".cite").dataset.cite`); target != first {
		t.Errorf("opened %q, first hit was %q", target, first)
	}
	b.Do("copy citation", chromedp.Click(chromedp.CSS(":target .cite")))
	b.WaitFor("citation copied", `(document.body.dataset.lastCopied || "").includes(`+webtest.JSString(first)+`)`)
	b.Shot("03-provision")

	// Filter by 地域.
	b.Eval(`history.back(), ""`)
	b.WaitFor("results again", `document.querySelectorAll(".hit-title").length > 0`)
	b.Eval(`[...document.querySelectorAll('a[data-facet="region"]')].find(a => a.textContent === "广东").click(), ""`)
	b.WaitFor("region filter applied", `location.search.includes("region=") && document.querySelector('.facet li.on a[data-facet="region"]') !== null`)
	if docs := b.Eval(`[...document.querySelectorAll(".hit .path")].map(e => e.textContent).join("|")`); docs == "" || strings.Contains(docs, "中华人民共和国数据安全法") {
		t.Errorf("results after filtering by 广东: %q", docs)
	}
	b.Shot("04-search-region")

	// Browse by 地域 in the library, then a long document with pages.
	b.Do("library", chromedp.Navigate(b.Base+"/library?region=北京"))
	b.WaitFor("library filtered", `document.querySelectorAll(".doclist li a").length === 1 && document.body.innerText.includes("北京市公共数据专区授权运营管理办法（试行）")`)
	b.Do("draft", chromedp.Navigate(b.Base+"/documents/vbjd"))
	b.WaitFor("draft banner", `document.querySelector(".banner.draft") !== null`)
	b.Shot("05-draft")
	b.Do("diff", chromedp.Click(chromedp.CSS(".diff-form button")))
	b.WaitFor("diff table", `document.querySelectorAll("table.diff ins").length > 0`)
	b.Shot("06-diff")
	b.Do("long document", chromedp.Navigate(b.Base+"/documents/vbig"))
	b.WaitFor("paged", `document.querySelector(".pager") !== null && document.querySelectorAll(".prov").length < 400`)
	// A TOC entry on another page links across pages.
	b.Eval(`[...document.querySelectorAll(".toc a")].find(a => a.textContent.startsWith("第900条")).click(), ""`)
	b.WaitFor("article on a later page", `location.search.includes("page=") && location.hash.endsWith("a900") && document.querySelector(":target") !== null`)
	b.Shot("07-long-document")
}

func TestBrowserAsk(t *testing.T) {
	env := browserEnv(t)
	b := webtest.NewBrowser(t, env.TS.URL)
	b.Do("open ask", chromedp.Navigate(b.Base+"/ask"), chromedp.WaitVisible(chromedp.CSS("#question")))
	b.Do("ask", chromedp.SetValue(chromedp.CSS("#question"), "关键信息基础设施的运营者的重要数据出境需要安全评估吗？"),
		chromedp.Click(chromedp.CSS("#ask-submit")))
	b.WaitFor("answer with sources", `document.querySelector(".turn-a:not(.pending) .sources a") !== null`)
	if b.Eval(`String(document.querySelectorAll(".turn-a .chip").length > 0)`) != "true" {
		t.Error("no citation chips in the answer")
	}
	b.Shot("08-ask")
	b.Do("open a cited source", chromedp.Click(chromedp.CSS(".turn-a .chip")))
	b.WaitFor("cited provision", `location.pathname.startsWith("/documents/") && document.querySelector(":target") !== null`)

	// A member's conversations are kept in the account and can be reopened.
	if _, err := env.Acc.Create(context.Background(), "member_qian", "member password", account.RoleMember); err != nil {
		t.Fatal(err)
	}
	b.Do("member logs in", chromedp.Navigate(b.Base+"/login?next=/ask"),
		chromedp.SetValue(chromedp.CSS("#username"), "member_qian"), chromedp.SetValue(chromedp.CSS("#password"), "member password"),
		chromedp.Click(chromedp.CSS("form.stack button")))
	b.WaitFor("ask page", `location.pathname === "/ask" && document.querySelector("#question") !== null`)
	b.Do("member asks", chromedp.SetValue(chromedp.CSS("#question"), "国家核心数据是什么？"), chromedp.Click(chromedp.CSS("#ask-submit")))
	b.WaitFor("member answer", `document.querySelector(".turn-a:not(.pending)") !== null`)
	b.Do("reload", chromedp.Navigate(b.Base+"/ask"))
	b.WaitFor("stored conversation listed", `document.querySelector('.history a[href^="/ask?c="]') !== null`)
	b.Do("reopen", chromedp.Click(chromedp.CSS(`.history a[href^="/ask?c="]`)))
	b.WaitFor("stored conversation shown", `document.querySelectorAll(".turn-q").length === 1 && document.querySelector(".turn-a .chip, .turn-a .sources") !== null`)
	b.Shot("08b-ask-history")
}

func TestBrowserAccountsAndUpload(t *testing.T) {
	env := browserEnv(t)
	b := webtest.NewBrowser(t, env.TS.URL)
	// Register, log out, log in.
	b.Do("register", chromedp.Navigate(b.Base+"/register"),
		chromedp.SetValue(chromedp.CSS("#username"), "王五_member"), chromedp.SetValue(chromedp.CSS("#password"), "a long password"),
		chromedp.SetValue(chromedp.CSS("#password2"), "a long password"), chromedp.Click(chromedp.CSS("form.stack button")))
	b.WaitFor("registered", `location.pathname === "/account" && document.body.innerText.includes("注册成功")`)
	b.Shot("09-registered")
	b.Do("log out", chromedp.Click(chromedp.CSS(".who form button")))
	b.WaitFor("logged out", `document.querySelector('.who a[href="/login"]') !== null`)
	b.Do("log in", chromedp.Navigate(b.Base+"/login"),
		chromedp.SetValue(chromedp.CSS("#username"), "王五_member"), chromedp.SetValue(chromedp.CSS("#password"), "a long password"),
		chromedp.Click(chromedp.CSS("form.stack button")))
	b.WaitFor("logged in", `document.querySelector(".who").innerText.includes("王五_member")`)
	// A member has no back office.
	b.Do("member at admin", chromedp.Navigate(b.Base+"/admin"))
	b.WaitFor("forbidden", `document.body.innerText.includes("没有权限")`)
	b.Do("log out again", chromedp.Click(chromedp.CSS(".who form button")))
	b.WaitFor("logged out again", `document.querySelector('.who a[href="/login"]') !== null`)

	// An editor uploads a .docx, checks the preview, commits, finds it in the library.
	if _, err := env.Acc.Create(context.Background(), "editor_zhao", "editor password", account.RoleEditor); err != nil {
		t.Fatal(err)
	}
	docx := filepath.Join(t.TempDir(), "某某省公共数据授权运营管理办法.docx")
	if err := os.WriteFile(docx, webtest.MakeDocx(t, webtest.DocxSample...), 0o644); err != nil {
		t.Fatal(err)
	}
	b.Do("editor logs in", chromedp.Navigate(b.Base+"/login?next=/admin/upload"),
		chromedp.SetValue(chromedp.CSS("#username"), "editor_zhao"), chromedp.SetValue(chromedp.CSS("#password"), "editor password"),
		chromedp.Click(chromedp.CSS("form.stack button")))
	b.WaitFor("upload form", `location.pathname === "/admin/upload" && document.querySelector("#file") !== null`)
	b.Do("upload", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{docx}), chromedp.Click(chromedp.CSS("form.stack button")))
	b.WaitFor("preview", `document.body.innerText.includes("预览：某某省公共数据授权运营管理办法") && document.querySelectorAll(".tree li").length > 3`)
	b.Shot("10-upload-preview")
	b.Do("commit", chromedp.Click(chromedp.CSS("form.commit button")))
	b.WaitFor("imported document", `location.pathname.startsWith("/documents/") && document.querySelector("h1").innerText.includes("某某省公共数据授权运营管理办法")`)
	b.Shot("11-imported")
	b.Do("library", chromedp.Navigate(b.Base+"/library"))
	b.WaitFor("in the library", `[...document.querySelectorAll(".doclist a")].some(a => a.textContent.includes("某某省公共数据授权运营管理办法"))`)
}

func TestBrowserMobileLayout(t *testing.T) {
	env := browserEnv(t)
	b := webtest.NewBrowser(t, env.TS.URL)
	b.Do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)),
		chromedp.Navigate(b.Base+"/documents/vdsl"))
	b.WaitFor("text before metadata", `document.querySelector(".doc-body").getBoundingClientRect().top < document.querySelector(".doc-side").getBoundingClientRect().top`)
	if w := b.Eval(`String(document.documentElement.scrollWidth <= window.innerWidth)`); w != "true" {
		t.Error("page scrolls horizontally on a phone")
	}
	b.Shot("12-mobile-document")
	b.Do("phone home", chromedp.Navigate(b.Base+"/"))
	b.Shot("13-mobile-home")
}

func TestBrowserPrint(t *testing.T) {
	env := browserEnv(t)
	b := webtest.NewBrowser(t, env.TS.URL)
	b.Do("document", chromedp.Navigate(b.Base+"/documents/vdsl"))
	if _, err := chromedp.Call(b.Ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	// Printed: the text and its metadata; no navigation, TOC or buttons.
	for sel, want := range map[string]string{".top": "none", ".toc": "none", ".prov-tools": "none", ".doc-body": "block", ".meta-panel": "block"} {
		if got := b.Eval(`getComputedStyle(document.querySelector("` + sel + `")).display`); got != want {
			t.Errorf("print: %s display = %s, want %s", sel, got, want)
		}
	}
	b.Shot("14-print")
}
