package events_test

import (
	"context"
	"datalex/internal/web/webtest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"datalex/internal/account"
	"datalex/internal/news"
)

func TestBrowserEditorAddsEvent(t *testing.T) {
	env := webtest.NewContentEnv(t)
	b := webtest.NewBrowser(t, env.TS.URL)
	ctx := context.Background()
	if _, err := env.Acc.Create(ctx, "editor_sun", "editor password", account.RoleEditor); err != nil {
		t.Fatal(err)
	}
	for _, it := range []*news.Item{
		{Category: news.CategoryHot, Title: "某平台因违规处理个人信息被罚", Summary: "监管部门通报典型案例。", Tags: []string{"个人信息"}, PublishedDate: "2024-11"},
		{Category: news.CategoryRegulation, Title: "数据安全法配套制度持续完善", Summary: "分类分级保护制度相关规定陆续出台。", RelatedWorks: []string{"wdsl"}, PublishedDate: "2024-10-12"},
		{Category: news.CategoryIndustry, Title: "多地数据交易所上线数据资产登记服务", Tags: []string{"数据资产", "入表"}, PublishedDate: "2024-09-01", SourceName: "行业媒体"},
	} {
		if _, err := news.Create(ctx, env.St.DB(), it); err != nil {
			t.Fatal(err)
		}
	}
	b.Do("news", chromedp.Navigate(b.Base+"/news"))
	b.WaitFor("news list", `document.querySelectorAll(".nc-item").length === 3`)
	b.Shot("nc-07-news")

	b.Do("news item", chromedp.Click(chromedp.CSS(`.nc-item:nth-child(2) .nc-title`)))
	b.WaitFor("item page", `document.querySelector('.nc-side a[href="/documents/wdsl"]') !== null`)
	b.Shot("nc-07b-news-item")

	b.LoginAs("editor_sun", "editor password", "/admin/feeds")
	b.Do("add a feed source", chromedp.SetValue(chromedp.CSS("#name"), "某协会动态"), chromedp.SetValue(chromedp.CSS("#url"), "ftp://example.com/feed"),
		chromedp.Click(chromedp.CSS("form.nc-form button")))
	b.WaitFor("source url refused", `document.querySelector("#url + .nc-err") !== null`)
	b.Shot("nc-07c-feed-sources")
	b.Do("event form", chromedp.Navigate(b.Base+"/events/new"))
	b.WaitFor("event form", `document.querySelector("#start_date") !== null && document.querySelector("#start_date").value !== ""`)
	// A missing organiser is reported next to the field.
	b.Do("incomplete event", chromedp.SetValue(chromedp.CSS("#title"), "2031 数据要素发展大会"),
		chromedp.SetValue(chromedp.CSS("#start_date"), "2031-05-20"), chromedp.SetValue(chromedp.CSS("#end_date"), "2031-05-21"),
		chromedp.SetValue(chromedp.CSS("#city"), "杭州"), chromedp.Click(chromedp.CSS("form.nc-form button")))
	b.WaitFor("field error", `document.querySelector("#organiser + .nc-err") !== null && document.querySelector("#title").value.includes("数据要素")`)
	b.Shot("nc-08-event-error")
	b.Do("complete event", chromedp.SetValue(chromedp.CSS("#organiser"), "某数据要素产业联盟"),
		chromedp.SetValue(chromedp.CSS("#venue"), "国际博览中心"),
		chromedp.SetValue(chromedp.CSS("#agenda"), "- 上午：主论坛\n- 下午：数据资产入表专题"),
		chromedp.SetValue(chromedp.CSS("#related_works"), "wdsl"),
		chromedp.Click(chromedp.CSS("form.nc-form button")))
	b.WaitFor("event page", `location.pathname.startsWith("/events/") && document.querySelector("h1").innerText.includes("数据要素发展大会")`)
	b.Shot("nc-09-event")
	b.Do("events list", chromedp.Navigate(b.Base+"/events"))
	b.WaitFor("in upcoming", `[...document.querySelectorAll(".nc-events:not(.past) .nc-title")].some(a => a.innerText.includes("数据要素发展大会"))`)
	b.Shot("nc-10-events")
	// The .ics download: fetched as the browser would, checked as a calendar.
	got := b.EvalAsync(`fetch(document.querySelector(".nc-ics").href).then(r => r.text().then(t => r.headers.get("content-type") + "|" + r.headers.get("content-disposition") + "|" + t))`)
	if !strings.HasPrefix(got, "text/calendar") || !strings.Contains(got, "attachment") || !strings.Contains(got, "BEGIN:VEVENT") || !strings.Contains(got, "DTSTART;VALUE=DATE:20310520") {
		t.Errorf("ics download: %.300s", got)
	}
}
