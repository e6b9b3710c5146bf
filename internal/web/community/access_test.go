package community_test

import (
	"context"
	"datalex/internal/web/webtest"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"datalex/internal/account"
	"datalex/internal/community"
	"datalex/internal/events"
	"datalex/internal/news"
)

func TestNCAuthorisationMatrix(t *testing.T) {
	env := webtest.NewContentEnv(t)
	ctx := context.Background()
	th, err := env.Com.CreateThread(ctx, community.NewThread{Kind: community.KindQuestion, Title: "矩阵测试", Body: "正文", AuthorID: "nobody"})
	if err != nil {
		t.Fatal(err)
	}
	itemID, err := news.Create(ctx, env.St.DB(), &news.Item{Category: news.CategoryIndustry, Title: "矩阵资讯"})
	if err != nil {
		t.Fatal(err)
	}
	evID, err := events.Create(ctx, env.St.DB(), &events.Event{Title: "矩阵会议", StartDate: "2030-01-02", City: "北京", Organiser: "某协会"})
	if err != nil {
		t.Fatal(err)
	}
	tp := th.Path()
	clients := map[string]*webtest.Client{"anon": env.Client(t), "member": env.Client(t), "editor": env.Client(t), "admin": env.Client(t)}
	clients["member"].Login("m_member", account.RoleMember)
	clients["editor"].Login("m_editor", account.RoleEditor)
	clients["admin"].Login("m_admin", account.RoleAdmin)

	// Expected status for anonymous, member, editor, admin. 303 for an
	// anonymous GET is the redirect to the login page.
	type want [4]int
	ok, seeOther := http.StatusOK, http.StatusSeeOther
	public := want{ok, ok, ok, ok}
	memberPage := want{seeOther, ok, ok, ok}
	editorPage := want{seeOther, 403, ok, ok}
	gets := map[string]want{
		"/news": public, fmt.Sprintf("/news/%d", itemID): public, "/news/feed.rss": public, "/news/feed.atom": public,
		"/events": public, fmt.Sprintf("/events/%d", evID): public, "/events.ics": public, fmt.Sprintf("/events/%d.ics", evID): public,
		"/community": public, tp: public, "/search/community?q=数据": public, "/api/v1/search/news?q=数据": public,
		"/api/v1/search/community?q=数据": public,
		"/community/new":                memberPage, "/me": memberPage, tp + "/edit": {seeOther, 403, 403, 403}, // only its author
		"/news/new": editorPage, fmt.Sprintf("/news/%d/edit", itemID): editorPage, "/admin/feeds": editorPage,
		"/events/new": editorPage, fmt.Sprintf("/events/%d/edit", evID): editorPage, "/community/reports": editorPage,
	}
	roles := []string{"anon", "member", "editor", "admin"}
	for path, w := range gets {
		for i, role := range roles {
			if code, _ := clients[role].Get(path); code != w[i] {
				t.Errorf("GET %s as %s: %d, want %d", path, role, code, w[i])
			}
		}
	}
	// POSTs: anonymous 401, members 403 on editor routes. Success codes
	// vary (303 on success, 422 for an empty form), so only refusals are
	// checked here and success in the flow tests.
	editorPosts := []string{"/news", fmt.Sprintf("/news/%d/edit", itemID), "/admin/feeds", "/admin/feeds/1/enabled",
		"/events", fmt.Sprintf("/events/%d/edit", evID), tp + "/moderate"}
	memberPosts := []string{"/community/threads", tp + "/edit", tp + "/replies", tp + "/accept", tp + "/vote", tp + "/report", "/follow",
		"/me/notifications/read", "/me/feed-token"}
	for _, p := range append(editorPosts, memberPosts...) {
		if code, _, _ := clients["anon"].PostCSRF(p, nil); code != http.StatusUnauthorized {
			t.Errorf("POST %s anonymous: %d", p, code)
		}
	}
	for _, p := range editorPosts {
		if code, _, _ := clients["member"].PostCSRF(p, nil); code != http.StatusForbidden {
			t.Errorf("POST %s as member: %d", p, code)
		}
		if code, _, _ := clients["editor"].PostCSRF(p, nil); code == http.StatusForbidden || code == http.StatusUnauthorized {
			t.Errorf("POST %s as editor refused: %d", p, code)
		}
	}
	for _, p := range memberPosts {
		if code, _, _ := clients["member"].PostCSRF(p, nil); code == http.StatusForbidden && p != tp+"/accept" && p != tp+"/vote" && p != tp+"/edit" {
			t.Errorf("POST %s as member refused: %d", p, code)
		}
	}
	// Deletes last (they remove the fixtures).
	for _, p := range []string{fmt.Sprintf("/news/%d/delete", itemID), fmt.Sprintf("/events/%d/delete", evID), "/admin/feeds/1/delete"} {
		if code, _, _ := clients["anon"].PostCSRF(p, nil); code != http.StatusUnauthorized {
			t.Errorf("POST %s anonymous: %d", p, code)
		}
		if code, _, _ := clients["member"].PostCSRF(p, nil); code != http.StatusForbidden {
			t.Errorf("POST %s as member: %d", p, code)
		}
		if code, _, _ := clients["editor"].PostCSRF(p, nil); code != http.StatusSeeOther {
			t.Errorf("POST %s as editor: %d", p, code)
		}
	}
}

// Every form of the module is refused without a valid CSRF token.
func TestNCCSRFRequired(t *testing.T) {
	env := webtest.NewContentEnv(t)
	ad := env.Client(t)
	ad.Login("csrf_admin", account.RoleAdmin)
	th, err := env.Com.CreateThread(context.Background(), community.NewThread{Kind: community.KindQuestion, Title: "CSRF", Body: "正文", AuthorID: env.UserID(t, "csrf_admin")})
	if err != nil {
		t.Fatal(err)
	}
	tp := th.Path()
	form := url.Values{"title": {"x"}, "kind": {"提问"}, "body": {"正文"}, "category": {"行业资讯"}, "start_date": {"2030-01-01"},
		"city": {"北京"}, "organiser": {"甲"}, "target": {"thread"}, "target_id": {fmt.Sprint(th.ID)}, "value": {"1"}, "reason": {"r"},
		"action": {"lock"}, "name": {"源"}, "url": {"https://example.com/feed"}}
	for _, p := range []string{"/news", "/news/1/edit", "/news/1/delete", "/admin/feeds", "/admin/feeds/1/enabled", "/admin/feeds/1/delete",
		"/admin/feeds/1/poll", "/events", "/events/1/edit", "/events/1/delete", "/community/threads", tp + "/edit", tp + "/replies", tp + "/accept",
		tp + "/vote", tp + "/attachments", tp + "/report", tp + "/moderate", "/follow", "/me/notifications/read", "/me/feed-token"} {
		for name, f := range map[string]url.Values{"missing": form, "forged": webtest.WithField(form, "csrf", "AAAA.BBBB")} {
			code, body, _ := ad.Post(p, f)
			if code != http.StatusForbidden || !strings.Contains(body, "CSRF") {
				t.Errorf("POST %s with %s token: %d", p, name, code)
			}
		}
	}
	// Nothing was written.
	if ths, _, _ := env.Com.ThreadList(context.Background(), community.ThreadQuery{}); len(ths) != 1 {
		t.Errorf("%d threads after forged posts", len(ths))
	}
}

func TestNCXSSInert(t *testing.T) {
	env := webtest.NewContentEnv(t)
	ed := env.Client(t)
	ed.Login("xss_editor", account.RoleEditor)
	mem := env.Client(t)
	mem.Login("xss_member", account.RoleMember)
	// A hostile username (account rules forbid it today; the pages must
	// not rely on that).
	if _, err := env.St.DB().Exec(`UPDATE users SET username = ? WHERE username = 'xss_member'`, `<script>alert("u")</script>`); err != nil {
		t.Fatal(err)
	}
	code, body, resp := ed.PostCSRF("/news", url.Values{"category": {"行业资讯"}, "title": {webtest.XSSTitle}, "summary": {`<img src=x onerror=alert(1)>摘要`},
		"body": {"正文 <script>alert(1)</script> [链接](javascript:alert(2)) <b onmouseover=alert(3)>粗</b>"}, "tags": {`<script>alert("tag")</script>,数据`},
		"source_name": {`"><script>alert(5)</script>`}, "published_date": {"2024-11-01"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create news: %d %s", code, body)
	}
	item := resp.Header.Get("Location")
	tp := mem.PostThread("提问", webtest.XSSTitle, "问题 <script>alert(1)</script> <img src=x onerror=alert(1)> [[<script>alert(9)</script>]]", `<b onmouseover=alert(3)>`)
	mem.PostCSRF(tp+"/replies", url.Values{"body": {`回复 "><script>alert(7)</script>`}})
	code, body, _ = ed.PostCSRF("/events", url.Values{"title": {webtest.XSSTitle}, "start_date": {"2031-05-01"}, "city": {`<img src=x onerror=alert(1)>`},
		"organiser": {`"><script>alert(1)</script>`}, "agenda": {"<script>alert(1)</script>议程"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create event: %d %s", code, body)
	}
	pages := []string{"/news", item, "/news?tag=" + url.QueryEscape(`<script>alert("tag")</script>`), "/community", tp, "/events", "/events/1",
		"/search/community?q=" + url.QueryEscape(`<script>alert(1)</script>数据`), "/search/community?q=" + url.QueryEscape("通知"),
		"/community?tag=" + url.QueryEscape(`<b onmouseover=alert(3)>`), "/me", "/api/v1/search/community?q=问题", "/api/v1/search/news?q=通知"}
	for _, c := range []*webtest.Client{ed, mem, env.Client(t)} {
		for _, p := range pages {
			_, body := c.Get(p)
			webtest.AssertInert(t, p, body)
		}
	}
	if _, b := ed.Get(tp); !strings.Contains(b, "&lt;script&gt;alert(&#34;u&#34;)&lt;/script&gt;") {
		t.Error("hostile username not shown escaped on the thread page")
	}
	_, feed := ed.Get("/news/feed.rss")
	if strings.Contains(feed, "<script>") {
		t.Error("raw script in the RSS feed")
	}
	if _, ics := ed.Get("/events.ics"); strings.Contains(ics, "\r\nX-INJECT") {
		t.Error("iCalendar injection")
	}
}
