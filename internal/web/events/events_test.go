package events_test

import (
	"context"
	"datalex/internal/web/webtest"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"datalex/internal/account"
	"datalex/internal/events"
)

func TestNCEventsAndICS(t *testing.T) {
	env := webtest.NewContentEnv(t)
	ed := env.Client(t)
	ed.Login("ev_editor", account.RoleEditor)
	_, form := ed.Get("/events/new")
	if !regexp.MustCompile(`id="start_date" name="start_date" type="date" value="\d{4}-\d{2}-\d{2}"`).MatchString(form) {
		t.Error("no default start date")
	}
	code, body, _ := ed.PostCSRF("/events", url.Values{"title": {"数据要素大会"}, "start_date": {"2031-03-02"}, "end_date": {"2031-03-01"},
		"city": {"上海"}, "organiser": {"某协会"}})
	if code != 422 || !regexp.MustCompile(`id="end_date"[^>]*>\s*<p class="nc-err" role="alert">结束日期不能早于开始日期`).MatchString(body) {
		t.Errorf("end before start: %d", code)
	}
	code, body, _ = ed.PostCSRF("/events", url.Values{"title": {"数据要素大会"}, "start_date": {"2031-03-02"}, "organiser": {"某协会"},
		"reports": {"没有网址的一行"}})
	if code != 422 || !strings.Contains(body, "这些行没有 http(s) 网址：没有网址的一行") {
		t.Errorf("bad report line: %d", code)
	}
	code, _, resp := ed.PostCSRF("/events", url.Values{"title": {"2031 数据要素大会"}, "start_date": {"2031-03-02"}, "end_date": {"2031-03-03"},
		"city": {"上海"}, "venue": {"国际会议中心"}, "organiser": {"某协会"}, "agenda": {"- 上午：开幕式\n- 下午：[[数据安全法第二十一条]]解读"},
		"reports": {"大会综述 https://example.com/report"}, "related_works": {"wdsl"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create event: %d", code)
	}
	page := strings.SplitN(resp.Header.Get("Location"), "?", 2)[0]
	_, body = ed.Get(page)
	for _, want := range []string{"2031-03-02 至 03-03", "国际会议中心", "<li>上午：开幕式</li>", "大会综述", `href="/documents/wdsl"`, page + ".ics"} {
		if !strings.Contains(body, want) {
			t.Errorf("event page lacks %q", want)
		}
	}
	events.Create(context.Background(), env.St.DB(), &events.Event{Title: "往届论坛", StartDate: "2020-05-01", City: "杭州", Organiser: "某研究院"})
	_, body = ed.Get("/events")
	up, past := strings.Index(body, "即将举行"), strings.Index(body, "往期回顾")
	if i := strings.Index(body, "2031 数据要素大会"); i < up || i > past {
		t.Error("upcoming event not under 即将举行")
	}
	if i := strings.Index(body, "往届论坛"); i < past {
		t.Error("past event not under 往期回顾")
	}
	req, _ := http.NewRequest("GET", env.TS.URL+page+".ics", nil)
	code, ics, resp := ed.Do(req)
	if code != 200 || resp.Header.Get("Content-Type") != "text/calendar; charset=utf-8" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") ||
		!strings.Contains(ics, "BEGIN:VEVENT") || !strings.Contains(ics, "DTSTART;VALUE=DATE:20310302") || strings.Contains(ics, "往届论坛") {
		t.Errorf("event ics: %d %v\n%s", code, resp.Header, ics)
	}
	req, _ = http.NewRequest("GET", env.TS.URL+"/events.ics", nil)
	code, ics, resp = ed.Do(req)
	if code != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") || strings.Count(ics, "BEGIN:VEVENT") != 2 {
		t.Errorf("calendar: %d %s", code, resp.Header.Get("Content-Type"))
	}
	for _, p := range []string{"/events/abc.ics", "/events/999.ics", "/events/999"} {
		if code, _ := ed.Get(p); code != 404 {
			t.Errorf("%s: %d", p, code)
		}
	}
}
