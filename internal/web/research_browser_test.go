package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"datalex/internal/library"
	"datalex/internal/web/webtest"
)

// TestResearchFlowBrowser: search → advanced filter → narrow within the
// results → open a provision → copy its link → print view → find in a
// document, at phone and desktop widths, with a screenshot of each page.
func TestResearchFlowBrowser(t *testing.T) {
	env := newResearchEnv(t, nil)
	b := webtest.NewBrowser(t, env.TS.URL)
	noOverflow := `document.documentElement.scrollWidth <= window.innerWidth + 1`
	for _, width := range []int64{390, 1280} {
		name := func(s string) string { return fmt.Sprintf("research-%d-%s", width, s) }
		viewport := chromedp.EmulateViewport(width, 900)
		if width < 500 {
			viewport = chromedp.EmulateViewport(width, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2))
		}
		b.Do("viewport", viewport, chromedp.Navigate(b.Base+"/search?q="+url.QueryEscape("数据分类分级")))
		b.WaitFor("results", `document.querySelectorAll("li.hit").length > 0`)

		// Advanced search: open the form, choose 效力级别 = 法律, submit.
		b.Do("open advanced", chromedp.Click(chromedp.CSS("details.adv-search summary")))
		b.Do("choose level", chromedp.SetValue(chromedp.CSS(`.adv-form select[name="level"]`), library.LevelLaw),
			chromedp.Click(chromedp.CSS(".adv-form button[type=submit]")))
		b.WaitFor("filtered", `location.search.includes("level=") && document.querySelectorAll("li.hit").length > 0`)
		if got := b.Eval(`[...document.querySelectorAll("li.hit .hit-title")].map(a => a.textContent).join("|")`); got == "" || !containsAll(got, "数据安全法") {
			t.Errorf("filtered results: %q", got)
		}
		b.WaitFor("no horizontal scroll on results", noOverflow)
		b.Shot(name("search"))

		// Search within the results.
		b.Do("within", chromedp.SetValue(chromedp.CSS("#within"), "核心数据"), chromedp.Submit(chromedp.CSS("#within")))
		b.WaitFor("narrowed", `location.search.includes("within=") && document.querySelectorAll("li.hit").length > 0`)
		if got := b.Eval(`[...document.querySelectorAll("li.hit .snip")].every(p => p.textContent.includes("核心数据")) ? "ok" : "no"`); got != "ok" {
			t.Error("a narrowed hit lacks the within-results words")
		}

		// Open the provision page and copy its link.
		b.Do("open provision", chromedp.Click(chromedp.CSS(`li.hit .hit-tools a[href^="/p/"]`)))
		b.WaitFor("provision page", `document.querySelector(".provision-page h1") !== null`)
		b.WaitFor("no horizontal scroll on provision", noOverflow)
		b.Do("copy link", chromedp.Click(chromedp.CSS(`.share button[data-copy]`)))
		b.WaitFor("link copied", `(document.body.dataset.lastCopied || "").includes("/p/vdsl.")`)
		if href := b.Eval(`document.querySelector('a[href^="/export/provisions/export.docx"]') ? "ok" : ""`); href != "ok" {
			t.Error("no Word export link on the provision page")
		}
		b.Shot(name("provision"))

		// The print view the PDF is made from.
		b.Do("print view", chromedp.Click(chromedp.CSS(`a[href^="/export/provisions/print"]`)))
		b.WaitFor("print view", `document.querySelector("section.p .cite") !== null`)
		b.Shot(name("print"))

		// Find within a document.
		b.Do("find", chromedp.Navigate(b.Base+"/documents/vdsl"), chromedp.SetValue(chromedp.CSS("#find"), "数据出境"),
			chromedp.Submit(chromedp.CSS("#find")))
		b.WaitFor("find hits", `document.querySelectorAll(".find-hits li").length === 1 && document.querySelectorAll(".doc-body mark").length >= 2`)
		b.WaitFor("no horizontal scroll on document", noOverflow)
		b.Shot(name("find"))
	}
}

func containsAll(s string, words ...string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}
