package web_test

import (
	"context"
	"datalex/internal/web/webtest"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"datalex/internal/account"
)

// TestBrowserHeaderOneLine checks an administrator's header (the longest:
// nine links, 管理后台 and the account links) at phone, tablet and
// desktop widths: the navigation stays on one line and the page never
// scrolls sideways.
func TestBrowserHeaderOneLine(t *testing.T) {
	env := browserEnv(t)
	b := webtest.NewBrowser(t, env.TS.URL)
	if _, err := env.Acc.Create(context.Background(), "admin_li", "admin password 1", account.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	b.LoginAs("admin_li", "admin password 1", "/library")
	for _, width := range []int64{390, 768, 1280} {
		b.Do(fmt.Sprint("viewport ", width), chromedp.EmulateViewport(width, 900), chromedp.Navigate(b.Base+"/library"))
		b.WaitFor("library", `document.readyState === "complete" && document.querySelector(".nav a[href='/admin']") !== null`)
		oneLine := b.Eval(`(() => { const as = [...document.querySelectorAll(".nav a")];
			return String(as.every(a => Math.abs(a.getBoundingClientRect().top - as[0].getBoundingClientRect().top) < 2)) })()`)
		if oneLine != "true" {
			t.Errorf("%d px: the navigation wraps", width)
		}
		if width >= 1280 {
			same := b.Eval(`String(Math.abs(document.querySelector(".who").getBoundingClientRect().top - document.querySelector(".nav").getBoundingClientRect().top) < 30)`)
			if same != "true" {
				t.Errorf("%d px: the account links wrap below the navigation", width)
			}
		}
		if w := b.Eval(`String(document.documentElement.scrollWidth <= window.innerWidth)`); w != "true" {
			t.Errorf("%d px: the page scrolls horizontally", width)
		}
		b.Shot(fmt.Sprintf("header-admin-%d", width))
	}
}
