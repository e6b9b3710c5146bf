package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"datalex/internal/account"
	"datalex/internal/community"
	"datalex/internal/events"
	"datalex/internal/news"
	"datalex/internal/web"
	ruzhangweb "datalex/internal/web/ruzhang"
	selfcheckweb "datalex/internal/web/selfcheck"
	"datalex/internal/web/webtest"
	workspaceweb "datalex/internal/web/workspace"
)

// TestBrowserLayoutWidths loads every main page as an administrator (the
// longest header) at phone, tablet and desktop widths. No page may scroll
// sideways; on a phone the navigation is a menu (<details>, no JavaScript
// needed) that opens and shows every link; on a desktop the header stays
// one row. A screenshot of each page at each width is saved (paths in the
// test log; DATALEX_SCREENSHOTS chooses the folder).
func TestBrowserLayoutWidths(t *testing.T) {
	var com *community.Service
	env := webtest.NewEnv(t, append(webtest.Versions(), webtest.RuzhangVersions()...), nil, func(srv *web.Server) error {
		var err error
		if com, err = webtest.MountContent(srv); err != nil {
			return err
		}
		if err := ruzhangweb.MountRuzhang(srv, ruzhangweb.RuzhangDeps{}); err != nil {
			return err
		}
		if err := ruzhangweb.MountLedger(srv, ruzhangweb.LedgerDeps{}); err != nil {
			return err
		}
		if _, err := workspaceweb.MountWorkspace(srv, workspaceweb.Deps{}); err != nil {
			return err
		}
		return selfcheckweb.MountSelfcheck(srv)
	})
	ctx := context.Background()
	admin, err := env.Acc.Create(ctx, "admin_wang", "admin password 1", account.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := news.Create(ctx, env.St.DB(), &news.Item{Category: news.CategoryRegulation, Title: "关于数据资产入表的一则长标题资讯：企业数据资源相关会计处理暂行规定施行",
		Summary: "摘要", Body: "正文。", PublishedDate: "2024-01-01"}); err != nil {
		t.Fatal(err)
	}
	if _, err := events.Create(ctx, env.St.DB(), &events.Event{Title: "数据资产大会", StartDate: "2030-05-20", City: "北京", Organiser: "主办单位"}); err != nil {
		t.Fatal(err)
	}
	th, err := com.CreateThread(ctx, community.NewThread{Kind: community.KindQuestion, Title: "数据出境安全评估的申报材料有哪些？",
		Body: "请教 [[数据安全法第三十一条]] 的适用。", AuthorID: admin.ID})
	if err != nil {
		t.Fatal(err)
	}

	pages := []struct{ name, path string }{
		{"home", "/"},
		{"library", "/library"},
		{"search", "/search?q=" + url.QueryEscape("数据 安全")},
		{"document", "/documents/vdsl"},
		{"ask", "/ask"},
		{"ruzhang", "/ruzhang"},
		{"ledger", "/ruzhang/ledger"},
		{"selfcheck", "/selfcheck"},
		{"crossborder", "/selfcheck/crossborder"},
		{"news", "/news"},
		{"events", "/events"},
		{"community", "/community"},
		{"thread", th.Path()},
		{"me", "/me"},
		{"favorites", "/me/favorites"},
		{"history", "/me/history"},
		{"searches", "/me/searches"},
		{"admin", "/admin"},
		{"users", "/admin/users"},
		{"notfound", "/no/such/page"},
	}
	b := webtest.NewBrowser(t, env.TS.URL)
	b.LoginAs("admin_wang", "admin password 1", "/")
	for _, width := range []int64{390, 768, 1280} {
		for _, p := range pages {
			b.Do(fmt.Sprintf("%s at %d", p.name, width), chromedp.EmulateViewport(width, 900), chromedp.Navigate(b.Base+p.path))
			b.WaitFor(p.name, `document.readyState === "complete"`)
			if got := b.Eval(`String(document.scrollingElement.scrollWidth <= window.innerWidth)`); got != "true" {
				wide := b.Eval(`(() => { const w = window.innerWidth; return [...document.querySelectorAll("body *")]
					.filter(e => e.getBoundingClientRect().right > w + 1).slice(0, 5)
					.map(e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ")[0] : "")).join(" ") })()`)
				t.Errorf("%s at %d px scrolls sideways (scrollWidth %s); too wide: %s", p.name, width, b.Eval(`String(document.scrollingElement.scrollWidth)`), wide)
			}
			if p.name == "notfound" {
				if title := b.Eval(`document.title`); !strings.HasPrefix(title, "页面不存在") {
					t.Errorf("404 page title %q", title)
				}
			}
			b.Shot(fmt.Sprintf("layout-%d-%s", width, p.name))
		}
		b.Do(fmt.Sprint("library at ", width), chromedp.Navigate(b.Base+"/library"))
		b.WaitFor("library", `document.readyState === "complete"`)
		if width <= 768 {
			// The links are in the closed menu; opening it shows them all.
			if vis := b.Eval(`String(document.querySelector(".nav a[href='/news']").getClientRects().length > 0)`); vis != "false" {
				t.Errorf("%d px: the navigation is not folded into the menu", width)
			}
			b.Do("open the menu", chromedp.Click(chromedp.CSS("details.menu summary")))
			shown := b.Eval(`String([...document.querySelectorAll(".menu .nav a")].every(a => a.getClientRects().length > 0 && a.getBoundingClientRect().right <= window.innerWidth))`)
			if shown != "true" {
				t.Errorf("%d px: the open menu does not show every link inside the page", width)
			}
			b.Shot(fmt.Sprintf("layout-%d-menu-open", width))
			continue
		}
		oneRow := b.Eval(`(() => { const top = e => e.getBoundingClientRect().top;
			const as = [...document.querySelectorAll(".nav-wide a")];
			return String(as.length >= 9 && as.every(a => Math.abs(top(a) - top(as[0])) < 2) && Math.abs(top(document.querySelector(".who")) - top(document.querySelector(".nav-wide"))) < 30) })()`)
		if oneRow != "true" {
			t.Errorf("%d px: the administrator's header wraps", width)
		}
	}
}
