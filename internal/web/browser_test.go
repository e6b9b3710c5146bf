package web

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("DATALEX_REQUIRE_BROWSER") == "1" {
		t.Fatal("DATALEX_REQUIRE_BROWSER=1 but chromium is not installed (apt-get install chromium)")
	}
	t.Skip("chromium not installed; set DATALEX_REQUIRE_BROWSER=1 to make this a failure")
	return ""
}

type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
	dir  string
}

func newBrowser(t *testing.T, base string) *browser {
	path := chromiumPath(t)
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	dir := os.Getenv("DATALEX_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	// Start the browser without a deadline (a timeout on the first Run
	// would bound the browser's whole life), then bound each step.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return &browser{t: t, ctx: ctx, base: base, dir: dir}
}

// do runs steps with a deadline.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.shot("failure-" + strings.ReplaceAll(what, " ", "-"))
		b.t.Fatalf("%s: %v", what, err)
	}
}

func (b *browser) eval(js string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.t.Fatalf("eval %s: %v", js, err)
	}
	return v
}

func (b *browser) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	return loc
}

func (b *browser) shot(name string) {
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(b.dir, name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s", path)
}

// waitFor polls a JavaScript condition.
func (b *browser) waitFor(what, cond string) {
	b.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		// Errors are expected while a page is loading; keep polling.
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string]("(() => { try { return String(!!("+cond+")) } catch (e) { return 'false' } })()"))
		cancel()
		if err == nil && v == "true" {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.shot("failure-" + strings.ReplaceAll(what, " ", "-"))
	b.t.Fatalf("timed out waiting for %s (%s) at %s", what, cond, b.location())
}

func browserEnv(t *testing.T) *testEnv {
	return newTestEnvWith(t, func(c *Config) {
		c.NewAnswerer = func(cat *library.Catalog, ix *search.Index) *answer.Answerer {
			return answer.New(answer.Config{Retrieve: answer.FromSearch(ix, cat), Catalog: cat, History: answer.NewHistory(c.Store.DB())})
		}
	})
}

func TestBrowserReadAndSearch(t *testing.T) {
	env := browserEnv(t)
	b := newBrowser(t, env.ts.URL)
	b.do("open home", chromedp.Navigate(b.base+"/"), chromedp.WaitVisible(chromedp.CSS("#q")))
	b.waitFor("module cards", `document.querySelectorAll(".module").length === 6 && document.body.innerText.includes("即将上线")`)
	b.shot("01-home")

	// Search 「数据出境 安全评估」 from the home page and open the first provision.
	b.do("search", chromedp.SetValue(chromedp.CSS("#q"), "数据出境 安全评估"), chromedp.Click(chromedp.CSS(".hero-search button")))
	b.waitFor("results", `document.querySelectorAll(".hit-title").length > 0`)
	if got := b.eval(`document.querySelector(".hit .snip mark") ? document.querySelector(".hit .snip mark").textContent : ""`); got == "" {
		t.Error("no highlighted term in the first snippet")
	}
	b.shot("02-search")
	first := b.eval(`document.querySelector(".hit-title").textContent`)
	b.do("open first provision", chromedp.Click(chromedp.CSS(".hit-title")))
	b.waitFor("provision page", `location.hash.startsWith("#p-") && document.querySelector(":target") !== null`)
	if target := b.eval(`document.querySelector(":target").querySelector(".cite").dataset.cite`); target != first {
		t.Errorf("opened %q, first hit was %q", target, first)
	}
	b.do("copy citation", chromedp.Click(chromedp.CSS(":target .cite")))
	b.waitFor("citation copied", `(document.body.dataset.lastCopied || "").includes(`+jsString(first)+`)`)
	b.shot("03-provision")

	// Filter by 地域.
	b.eval(`history.back(), ""`)
	b.waitFor("results again", `document.querySelectorAll(".hit-title").length > 0`)
	b.eval(`[...document.querySelectorAll('a[data-facet="region"]')].find(a => a.textContent === "广东").click(), ""`)
	b.waitFor("region filter applied", `location.search.includes("region=") && document.querySelector('.facet li.on a[data-facet="region"]') !== null`)
	if docs := b.eval(`[...document.querySelectorAll(".hit .path")].map(e => e.textContent).join("|")`); docs == "" || strings.Contains(docs, "中华人民共和国数据安全法") {
		t.Errorf("results after filtering by 广东: %q", docs)
	}
	b.shot("04-search-region")

	// Browse by 地域 in the library, then a long document with pages.
	b.do("library", chromedp.Navigate(b.base+"/library?region=北京"))
	b.waitFor("library filtered", `document.querySelectorAll(".doclist li a").length === 1 && document.body.innerText.includes("北京市公共数据专区授权运营管理办法（试行）")`)
	b.do("draft", chromedp.Navigate(b.base+"/documents/vbjd"))
	b.waitFor("draft banner", `document.querySelector(".banner.draft") !== null`)
	b.shot("05-draft")
	b.do("diff", chromedp.Click(chromedp.CSS(".diff-form button")))
	b.waitFor("diff table", `document.querySelectorAll("table.diff ins").length > 0`)
	b.shot("06-diff")
	b.do("long document", chromedp.Navigate(b.base+"/documents/vbig"))
	b.waitFor("paged", `document.querySelector(".pager") !== null && document.querySelectorAll(".prov").length < 400`)
	// A TOC entry on another page links across pages.
	b.eval(`[...document.querySelectorAll(".toc a")].find(a => a.textContent.startsWith("第900条")).click(), ""`)
	b.waitFor("article on a later page", `location.search.includes("page=") && location.hash.endsWith("a900") && document.querySelector(":target") !== null`)
	b.shot("07-long-document")
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

func TestBrowserAsk(t *testing.T) {
	env := browserEnv(t)
	b := newBrowser(t, env.ts.URL)
	b.do("open ask", chromedp.Navigate(b.base+"/ask"), chromedp.WaitVisible(chromedp.CSS("#question")))
	b.do("ask", chromedp.SetValue(chromedp.CSS("#question"), "关键信息基础设施的运营者的重要数据出境需要安全评估吗？"),
		chromedp.Click(chromedp.CSS("#ask-submit")))
	b.waitFor("answer with sources", `document.querySelector(".turn-a:not(.pending) .sources a") !== null`)
	if b.eval(`String(document.querySelectorAll(".turn-a .chip").length > 0)`) != "true" {
		t.Error("no citation chips in the answer")
	}
	b.shot("08-ask")
	b.do("open a cited source", chromedp.Click(chromedp.CSS(".turn-a .chip")))
	b.waitFor("cited provision", `location.pathname.startsWith("/documents/") && document.querySelector(":target") !== null`)

	// A member's conversations are kept in the account and can be reopened.
	if _, err := env.acc.Create(context.Background(), "member_qian", "member password", account.RoleMember); err != nil {
		t.Fatal(err)
	}
	b.do("member logs in", chromedp.Navigate(b.base+"/login?next=/ask"),
		chromedp.SetValue(chromedp.CSS("#username"), "member_qian"), chromedp.SetValue(chromedp.CSS("#password"), "member password"),
		chromedp.Click(chromedp.CSS("form.stack button")))
	b.waitFor("ask page", `location.pathname === "/ask" && document.querySelector("#question") !== null`)
	b.do("member asks", chromedp.SetValue(chromedp.CSS("#question"), "国家核心数据是什么？"), chromedp.Click(chromedp.CSS("#ask-submit")))
	b.waitFor("member answer", `document.querySelector(".turn-a:not(.pending)") !== null`)
	b.do("reload", chromedp.Navigate(b.base+"/ask"))
	b.waitFor("stored conversation listed", `document.querySelector('.history a[href^="/ask?c="]') !== null`)
	b.do("reopen", chromedp.Click(chromedp.CSS(`.history a[href^="/ask?c="]`)))
	b.waitFor("stored conversation shown", `document.querySelectorAll(".turn-q").length === 1 && document.querySelector(".turn-a .chip, .turn-a .sources") !== null`)
	b.shot("08b-ask-history")
}

func TestBrowserAccountsAndUpload(t *testing.T) {
	env := browserEnv(t)
	b := newBrowser(t, env.ts.URL)
	// Register, log out, log in.
	b.do("register", chromedp.Navigate(b.base+"/register"),
		chromedp.SetValue(chromedp.CSS("#username"), "王五_member"), chromedp.SetValue(chromedp.CSS("#password"), "a long password"),
		chromedp.SetValue(chromedp.CSS("#password2"), "a long password"), chromedp.Click(chromedp.CSS("form.stack button")))
	b.waitFor("registered", `location.pathname === "/account" && document.body.innerText.includes("注册成功")`)
	b.shot("09-registered")
	b.do("log out", chromedp.Click(chromedp.CSS(".who form button")))
	b.waitFor("logged out", `document.querySelector('.who a[href="/login"]') !== null`)
	b.do("log in", chromedp.Navigate(b.base+"/login"),
		chromedp.SetValue(chromedp.CSS("#username"), "王五_member"), chromedp.SetValue(chromedp.CSS("#password"), "a long password"),
		chromedp.Click(chromedp.CSS("form.stack button")))
	b.waitFor("logged in", `document.querySelector(".who").innerText.includes("王五_member")`)
	// A member has no back office.
	b.do("member at admin", chromedp.Navigate(b.base+"/admin"))
	b.waitFor("forbidden", `document.body.innerText.includes("没有权限")`)
	b.do("log out again", chromedp.Click(chromedp.CSS(".who form button")))
	b.waitFor("logged out again", `document.querySelector('.who a[href="/login"]') !== null`)

	// An editor uploads a .docx, checks the preview, commits, finds it in the library.
	if _, err := env.acc.Create(context.Background(), "editor_zhao", "editor password", account.RoleEditor); err != nil {
		t.Fatal(err)
	}
	docx := filepath.Join(t.TempDir(), "某某省公共数据授权运营管理办法.docx")
	if err := os.WriteFile(docx, makeDocx(t, docxSample...), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do("editor logs in", chromedp.Navigate(b.base+"/login?next=/admin/upload"),
		chromedp.SetValue(chromedp.CSS("#username"), "editor_zhao"), chromedp.SetValue(chromedp.CSS("#password"), "editor password"),
		chromedp.Click(chromedp.CSS("form.stack button")))
	b.waitFor("upload form", `location.pathname === "/admin/upload" && document.querySelector("#file") !== null`)
	b.do("upload", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{docx}), chromedp.Click(chromedp.CSS("form.stack button")))
	b.waitFor("preview", `document.body.innerText.includes("预览：某某省公共数据授权运营管理办法") && document.querySelectorAll(".tree li").length > 3`)
	b.shot("10-upload-preview")
	b.do("commit", chromedp.Click(chromedp.CSS("form.commit button")))
	b.waitFor("imported document", `location.pathname.startsWith("/documents/") && document.querySelector("h1").innerText.includes("某某省公共数据授权运营管理办法")`)
	b.shot("11-imported")
	b.do("library", chromedp.Navigate(b.base+"/library"))
	b.waitFor("in the library", `[...document.querySelectorAll(".doclist a")].some(a => a.textContent.includes("某某省公共数据授权运营管理办法"))`)
}

func TestBrowserMobileLayout(t *testing.T) {
	env := browserEnv(t)
	b := newBrowser(t, env.ts.URL)
	b.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)),
		chromedp.Navigate(b.base+"/documents/vdsl"))
	b.waitFor("text before metadata", `document.querySelector(".doc-body").getBoundingClientRect().top < document.querySelector(".doc-side").getBoundingClientRect().top`)
	if w := b.eval(`String(document.documentElement.scrollWidth <= window.innerWidth)`); w != "true" {
		t.Error("page scrolls horizontally on a phone")
	}
	b.shot("12-mobile-document")
	b.do("phone home", chromedp.Navigate(b.base+"/"))
	b.shot("13-mobile-home")
}

func TestBrowserPrint(t *testing.T) {
	env := browserEnv(t)
	b := newBrowser(t, env.ts.URL)
	b.do("document", chromedp.Navigate(b.base+"/documents/vdsl"))
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	// Printed: the text and its metadata; no navigation, TOC or buttons.
	for sel, want := range map[string]string{".top": "none", ".toc": "none", ".prov-tools": "none", ".doc-body": "block", ".meta-panel": "block"} {
		if got := b.eval(`getComputedStyle(document.querySelector("` + sel + `")).display`); got != want {
			t.Errorf("print: %s display = %s, want %s", sel, got, want)
		}
	}
	b.shot("14-print")
}
