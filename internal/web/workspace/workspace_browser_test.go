package workspace

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"datalex/internal/account"
	"datalex/internal/web"
	"datalex/internal/web/webtest"
	"datalex/internal/workspace"
)

// TestBrowserResearchFlow is the lawyer's research flow at phone and
// desktop widths: search → filter by 效力级别 → open a provision → its
// print view (export) → favourite it into a folder → save the search →
// a matching document is imported and the checker runs → the alert is
// seen in 我的 › 通知 and on the saved search's page. Every page is
// screenshotted into the test's artifact directory (go test -artifacts
// -outputdir DIR keeps them) or DATALEX_SCREENSHOTS/workspace-<width>.
func TestBrowserResearchFlow(t *testing.T) {
	for _, width := range []int64{390, 1280} {
		t.Run(fmt.Sprint(width), func(t *testing.T) { researchFlow(t, width) })
	}
}

func researchFlow(t *testing.T, width int64) {
	var alerts *workspace.Alerts
	var srv *web.Server
	env := webtest.NewEnv(t, fixture(), nil, func(s *web.Server) error {
		if _, err := webtest.MountContent(s); err != nil {
			return err
		}
		var err error
		alerts, err = MountWorkspace(s, Deps{})
		srv = s
		return err
	})
	b := webtest.NewBrowser(t, env.TS.URL)
	if d := os.Getenv("DATALEX_SCREENSHOTS"); d != "" {
		b.Dir = filepath.Join(d, fmt.Sprintf("workspace-%d", width))
	} else {
		b.Dir = t.ArtifactDir()
	}
	if err := os.MkdirAll(b.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots: %s", b.Dir)
	opts := []chromedp.EmulateViewportOption{}
	height := int64(900)
	if width < 600 {
		opts, height = append(opts, chromedp.EmulateMobile, chromedp.EmulateScale(2)), 844
	}
	noSideScroll := func(page string) {
		t.Helper()
		if ok := b.Eval(`String(document.documentElement.scrollWidth <= window.innerWidth)`); ok != "true" {
			t.Errorf("%s scrolls sideways at %d px: %s", page, width, b.Eval(`document.documentElement.scrollWidth + " > " + window.innerWidth`))
		}
	}
	shot := func(name, page string) {
		t.Helper()
		noSideScroll(page)
		b.Shot(name)
	}

	user := fmt.Sprintf("lawyer%d", width)
	if _, err := env.Acc.Create(context.Background(), user, "member password", account.RoleMember); err != nil {
		t.Fatal(err)
	}
	b.Do("log in", chromedp.EmulateViewport(width, height, opts...), chromedp.Navigate(b.Base+"/login?next=/search"),
		chromedp.SetValue(chromedp.CSS("#username"), user), chromedp.SetValue(chromedp.CSS("#password"), "member password"),
		chromedp.Click(chromedp.CSS("form.stack button")))
	b.WaitFor("search page", `location.pathname === "/search" && document.querySelector("#q") !== null`)

	// 1. Search.
	b.Do("search", chromedp.SetValue(chromedp.CSS("#q"), "数据出境"), chromedp.Submit(chromedp.CSS("#q")))
	b.WaitFor("results", `document.querySelectorAll(".hit").length > 0 && document.querySelector("#save-search") !== null`)
	shot("01-search", "search results")

	// 2. Filter by a facet: 效力级别 = 部门规章.
	b.Eval(`(() => { const a = [...document.querySelectorAll("a[data-facet=level]")].find(a => a.textContent.trim() === "部门规章"); a.click(); return "" })()`)
	b.WaitFor("filtered", `location.search.includes("level=") && document.querySelectorAll(".hit").length > 0`)
	if got := b.Eval(`String([...document.querySelectorAll(".hit .path")].every(p => p.textContent.includes("数据出境安全评估办法")))`); got != "true" {
		t.Error("the level filter left other documents in the results")
	}
	shot("02-filtered", "filtered results")
	filtered := b.Location()

	// 3. Open a provision.
	b.Eval(`(() => { document.querySelector(".hit .hit-title").click(); return "" })()`)
	b.WaitFor("document", `location.pathname.startsWith("/documents/") && location.hash.startsWith("#p-")`)
	prov := b.Eval(`location.hash.slice(3)`)
	shot("03-provision", "document page")

	// 4. Export: the print view of the document (what 打印 / 存为 PDF gives).
	if _, err := chromedp.Call(b.Ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if got := b.Eval(`getComputedStyle(document.querySelector(".top")).display`); got != "none" {
		t.Errorf("print view shows the header (display %s)", got)
	}
	b.Shot("04-export-print")
	if _, err := chromedp.Call(b.Ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""}); err != nil {
		t.Fatal(err)
	}

	// 5. Favourite the provision into a new folder, with a note.
	b.Do("folder", chromedp.Navigate(b.Base+"/me/favorites"))
	b.WaitFor("favourites", `document.querySelector("#new-folder") !== null`)
	b.Do("create folder", chromedp.SetValue(chromedp.CSS("#new-folder"), "出境申报"), chromedp.Submit(chromedp.CSS("#new-folder")))
	b.WaitFor("folder created", `location.search.includes("folder=") && document.body.innerText.includes("收藏夹已创建")`)
	b.Do("back to provision", chromedp.Navigate(b.Base+"/provisions/"+prov))
	b.WaitFor("provision again", `location.hash === "#p-`+prov+`"`)
	b.Eval(`(() => { document.getElementById("p-` + prov + `").querySelector(".prov-tools .star").click(); return "" })()`)
	b.WaitFor("add form", `document.querySelector("#fav-submit") !== null`)
	b.Eval(`(() => { const s = document.querySelector("select[name=folder]"); s.value = [...s.options].find(o => o.text === "出境申报").value; return "" })()`)
	b.Do("note", chromedp.SetValue(chromedp.CSS("textarea[name=note]"), "客户项目：确认是否须申报"))
	shot("05-favourite-form", "favourite form")
	b.Do("star", chromedp.Click(chromedp.CSS("#fav-submit")))
	b.WaitFor("starred", `location.pathname.startsWith("/documents/") && location.search.includes("done=added")`)
	b.Do("favourites", chromedp.Navigate(b.Base+"/me/favorites"))
	b.WaitFor("favourite listed", `document.getElementById("fav-`+prov+`") !== null && document.body.innerText.includes("客户项目：确认是否须申报")`)
	shot("06-favourites", "favourites")
	b.Eval(`(() => { document.querySelector("#print-list").click(); return "" })()`)
	b.WaitFor("printable list", `location.pathname === "/me/favorites/print" && document.querySelector(".ws-printlist li") !== null`)
	shot("07-favourites-export", "printable favourites")

	// 6. Save the filtered search.
	b.Do("filtered again", chromedp.Navigate(filtered))
	b.WaitFor("filtered results", `document.querySelector("#save-search") !== null`)
	b.Do("save search", chromedp.Click(chromedp.CSS("#save-search")))
	b.WaitFor("saved", `location.pathname.startsWith("/me/searches/") && document.body.innerText.includes("检索已保存")`)
	saved := b.Location()
	shot("08-saved-search", "saved search")

	// 7. A matching document is imported; the checker runs.
	importDocument(t, env, newDocument())
	found, err := alerts.Run(context.Background(), Matcher(srv))
	if err != nil || len(found) != 1 || len(found[0].New) != 1 || found[0].New[0].VersionID != "vflow" {
		t.Fatalf("checker: %+v, %v", found, err)
	}

	// 8. The alert: 我的 › 通知, then the saved search's page.
	b.Do("me", chromedp.Navigate(b.Base+"/me"))
	b.WaitFor("notification", `document.body.innerText.includes("1 件新文件")`)
	shot("09-notification", "notifications")
	b.Eval(`(() => { [...document.querySelectorAll("#notifications a")].find(a => a.textContent.includes("检索订阅")).click(); return "" })()`)
	b.WaitFor("alert page", `location.href === `+webtest.JSString(saved[:len(saved)-len("?done=saved")])+` && document.querySelector("#reports").innerText.includes("促进和规范数据跨境流动规定")`)
	shot("10-alert", "alert page")
	b.Do("history", chromedp.Navigate(b.Base+"/me/history"))
	b.WaitFor("history", `document.querySelectorAll(".ws-item").length >= 2`)
	shot("11-history", "history")
}
