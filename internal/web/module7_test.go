package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"datalex/internal/account"
	"datalex/internal/community"
	"datalex/internal/events"
	"datalex/internal/news"
	"datalex/internal/textseg"
)

// ncEnv is a test server with 头条, 盛会 and 对话 mounted.
type ncEnv struct {
	*testEnv
	com *community.Service
}

func newNCEnv(t testing.TB) *ncEnv {
	t.Helper()
	env := newTestEnv(t)
	com := community.New(env.st.DB())
	p := news.NewPoller(time.Hour)
	p.AllowPrivate = true // the tests' feeds are served on 127.0.0.1
	MountNewsEventsCommunity(env.srv, NewsEventsCommunityConfig{Community: com, Poller: p})
	return &ncEnv{testEnv: env, com: com}
}

// userID returns the id of a user created by client.login.
func (e *ncEnv) userID(t testing.TB, name string) string {
	t.Helper()
	u, err := e.acc.ByUsername(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

var threadLoc = regexp.MustCompile(`^/community/threads/(\d+)`)

// ncPostThread creates a thread through the form and returns its path.
func ncPostThread(t *testing.T, c *client, kind, title, body, tags string) string {
	t.Helper()
	code, page, resp := c.postCSRF("/community/threads", url.Values{"kind": {kind}, "title": {title}, "body": {body}, "tags": {tags}})
	loc := resp.Header.Get("Location")
	if code != http.StatusSeeOther || !threadLoc.MatchString(loc) {
		t.Fatalf("post thread: %d %s\n%s", code, loc, page)
	}
	return threadLoc.FindString(loc)
}

func TestNCAuthorisationMatrix(t *testing.T) {
	env := newNCEnv(t)
	ctx := context.Background()
	th, err := env.com.CreateThread(ctx, community.NewThread{Kind: community.KindQuestion, Title: "矩阵测试", Body: "正文", AuthorID: "nobody"})
	if err != nil {
		t.Fatal(err)
	}
	itemID, err := news.Create(ctx, env.st.DB(), &news.Item{Category: news.CategoryIndustry, Title: "矩阵资讯"})
	if err != nil {
		t.Fatal(err)
	}
	evID, err := events.Create(ctx, env.st.DB(), &events.Event{Title: "矩阵会议", StartDate: "2030-01-02", City: "北京", Organiser: "某协会"})
	if err != nil {
		t.Fatal(err)
	}
	tp := th.Path()
	clients := map[string]*client{"anon": env.client(t), "member": env.client(t), "editor": env.client(t), "admin": env.client(t)}
	clients["member"].login("m_member", account.RoleMember)
	clients["editor"].login("m_editor", account.RoleEditor)
	clients["admin"].login("m_admin", account.RoleAdmin)

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
			if code, _ := clients[role].get(path); code != w[i] {
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
		if code, _, _ := clients["anon"].postCSRF(p, nil); code != http.StatusUnauthorized {
			t.Errorf("POST %s anonymous: %d", p, code)
		}
	}
	for _, p := range editorPosts {
		if code, _, _ := clients["member"].postCSRF(p, nil); code != http.StatusForbidden {
			t.Errorf("POST %s as member: %d", p, code)
		}
		if code, _, _ := clients["editor"].postCSRF(p, nil); code == http.StatusForbidden || code == http.StatusUnauthorized {
			t.Errorf("POST %s as editor refused: %d", p, code)
		}
	}
	for _, p := range memberPosts {
		if code, _, _ := clients["member"].postCSRF(p, nil); code == http.StatusForbidden && p != tp+"/accept" && p != tp+"/vote" && p != tp+"/edit" {
			t.Errorf("POST %s as member refused: %d", p, code)
		}
	}
	// Deletes last (they remove the fixtures).
	for _, p := range []string{fmt.Sprintf("/news/%d/delete", itemID), fmt.Sprintf("/events/%d/delete", evID), "/admin/feeds/1/delete"} {
		if code, _, _ := clients["anon"].postCSRF(p, nil); code != http.StatusUnauthorized {
			t.Errorf("POST %s anonymous: %d", p, code)
		}
		if code, _, _ := clients["member"].postCSRF(p, nil); code != http.StatusForbidden {
			t.Errorf("POST %s as member: %d", p, code)
		}
		if code, _, _ := clients["editor"].postCSRF(p, nil); code != http.StatusSeeOther {
			t.Errorf("POST %s as editor: %d", p, code)
		}
	}
}

// Every form of the module is refused without a valid CSRF token.
func TestNCCSRFRequired(t *testing.T) {
	env := newNCEnv(t)
	ad := env.client(t)
	ad.login("csrf_admin", account.RoleAdmin)
	th, err := env.com.CreateThread(context.Background(), community.NewThread{Kind: community.KindQuestion, Title: "CSRF", Body: "正文", AuthorID: env.userID(t, "csrf_admin")})
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
		for name, f := range map[string]url.Values{"missing": form, "forged": ncWithField(form, "csrf", "AAAA.BBBB")} {
			code, body, _ := ad.post(p, f)
			if code != http.StatusForbidden || !strings.Contains(body, "CSRF") {
				t.Errorf("POST %s with %s token: %d", p, name, code)
			}
		}
	}
	// Nothing was written.
	if ths, _, _ := env.com.ThreadList(context.Background(), community.ThreadQuery{}); len(ths) != 1 {
		t.Errorf("%d threads after forged posts", len(ths))
	}
}

func ncWithField(v url.Values, k, val string) url.Values {
	out := url.Values{}
	for key, vs := range v {
		out[key] = vs
	}
	out.Set(k, val)
	return out
}

func TestNCXSSInert(t *testing.T) {
	env := newNCEnv(t)
	ed := env.client(t)
	ed.login("xss_editor", account.RoleEditor)
	mem := env.client(t)
	mem.login("xss_member", account.RoleMember)
	// A hostile username (account rules forbid it today; the pages must
	// not rely on that).
	if _, err := env.st.DB().Exec(`UPDATE users SET username = ? WHERE username = 'xss_member'`, `<script>alert("u")</script>`); err != nil {
		t.Fatal(err)
	}
	code, body, resp := ed.postCSRF("/news", url.Values{"category": {"行业资讯"}, "title": {xssTitle}, "summary": {`<img src=x onerror=alert(1)>摘要`},
		"body": {"正文 <script>alert(1)</script> [链接](javascript:alert(2)) <b onmouseover=alert(3)>粗</b>"}, "tags": {`<script>alert("tag")</script>,数据`},
		"source_name": {`"><script>alert(5)</script>`}, "published_date": {"2024-11-01"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create news: %d %s", code, body)
	}
	item := resp.Header.Get("Location")
	tp := ncPostThread(t, mem, "提问", xssTitle, "问题 <script>alert(1)</script> <img src=x onerror=alert(1)> [[<script>alert(9)</script>]]", `<b onmouseover=alert(3)>`)
	mem.postCSRF(tp+"/replies", url.Values{"body": {`回复 "><script>alert(7)</script>`}})
	code, body, _ = ed.postCSRF("/events", url.Values{"title": {xssTitle}, "start_date": {"2031-05-01"}, "city": {`<img src=x onerror=alert(1)>`},
		"organiser": {`"><script>alert(1)</script>`}, "agenda": {"<script>alert(1)</script>议程"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create event: %d %s", code, body)
	}
	pages := []string{"/news", item, "/news?tag=" + url.QueryEscape(`<script>alert("tag")</script>`), "/community", tp, "/events", "/events/1",
		"/search/community?q=" + url.QueryEscape(`<script>alert(1)</script>数据`), "/search/community?q=" + url.QueryEscape("通知"),
		"/community?tag=" + url.QueryEscape(`<b onmouseover=alert(3)>`), "/me", "/api/v1/search/community?q=问题", "/api/v1/search/news?q=通知"}
	for _, c := range []*client{ed, mem, env.client(t)} {
		for _, p := range pages {
			_, body := c.get(p)
			assertInert(t, p, body)
		}
	}
	if _, b := ed.get(tp); !strings.Contains(b, "&lt;script&gt;alert(&#34;u&#34;)&lt;/script&gt;") {
		t.Error("hostile username not shown escaped on the thread page")
	}
	_, feed := ed.get("/news/feed.rss")
	if strings.Contains(feed, "<script>") {
		t.Error("raw script in the RSS feed")
	}
	if _, ics := ed.get("/events.ics"); strings.Contains(ics, "\r\nX-INJECT") {
		t.Error("iCalendar injection")
	}
}

func TestNCNewsPagesAndFeeds(t *testing.T) {
	env := newNCEnv(t)
	ed := env.client(t)
	ed.login("news_editor", account.RoleEditor)
	// Validation errors stay next to their fields and keep the input.
	code, body, _ := ed.postCSRF("/news", url.Values{"category": {"法规动态"}, "title": {"来源错误"}, "source_url": {"javascript:alert(1)"}})
	if code != http.StatusUnprocessableEntity || !regexp.MustCompile(`id="source_url"[^>]*>\s*<p class="nc-err" role="alert">来源链接`).MatchString(body) ||
		!strings.Contains(body, `value="来源错误"`) {
		t.Errorf("bad source url: %d", code)
	}
	code, body, _ = ed.postCSRF("/news", url.Values{"category": {"法规动态"}, "title": {"未知文件"}, "related_works": {"不存在的文件"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "资料库中找不到：不存在的文件") {
		t.Errorf("unknown related work: %d", code)
	}
	code, _, resp := ed.postCSRF("/news", url.Values{"category": {"法规动态"}, "title": {"数据安全法配套规定发布"}, "body": {"**要点**：分类分级。"},
		"tags": {"数据安全，分类分级"}, "related_works": {"/documents/vdsl\n广东省数据出境安全评估工作指引"}, "published_date": {"2024-11"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create: %d", code)
	}
	item := strings.SplitN(resp.Header.Get("Location"), "?", 2)[0]
	_, body = ed.get(item)
	for _, want := range []string{"<strong>要点</strong>", `href="/documents/wdsl"`, "中华人民共和国数据安全法", `href="/documents/wgd"`, "2024年11月", `href="/news?tag=%e5%88%86%e7%b1%bb%e5%88%86%e7%ba%a7"`} {
		if !strings.Contains(body, want) {
			t.Errorf("item page lacks %q", want)
		}
	}
	news.Create(context.Background(), env.st.DB(), &news.Item{Category: news.CategoryHot, Title: "热点一则", Tags: []string{"数据出境"}})
	_, body = ed.get("/news?category=" + url.QueryEscape("数安热点"))
	if !strings.Contains(body, "热点一则") || strings.Contains(body, "数据安全法配套规定发布") {
		t.Error("category tab does not filter")
	}
	_, body = ed.get("/news?tag=" + url.QueryEscape("分类分级"))
	if !strings.Contains(body, "数据安全法配套规定发布") || strings.Contains(body, "热点一则") {
		t.Error("tag filter")
	}
	// Feeds per category, with their content types.
	for _, tc := range []struct{ path, ctype, has, hasnt string }{
		{"/news/feed.rss", "application/rss+xml", "数据安全法配套规定发布", ""},
		{"/news/feed.atom", "application/atom+xml", "热点一则", ""},
		{"/news/feed.rss?category=" + url.QueryEscape("数安热点"), "application/rss+xml", "热点一则", "数据安全法配套规定发布"},
		{"/news/feed.atom?category=" + url.QueryEscape("法规动态"), "application/atom+xml", "数据安全法配套规定发布", "热点一则"},
	} {
		req, _ := http.NewRequest("GET", env.ts.URL+tc.path, nil)
		code, body, resp := ed.do(req)
		if code != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.ctype) || !strings.Contains(body, tc.has) ||
			(tc.hasnt != "" && strings.Contains(body, tc.hasnt)) || !strings.Contains(body, env.ts.URL+"/news/") {
			t.Errorf("%s: %d %s", tc.path, code, resp.Header.Get("Content-Type"))
		}
	}
	if code, _ := ed.get("/news/feed.rss?category=nope"); code != 404 {
		t.Errorf("unknown category feed: %d", code)
	}
	// Edit and delete.
	if code, _, _ := ed.postCSRF(item+"/edit", url.Values{"category": {"政策解读"}, "title": {"改后的标题"}}); code != http.StatusSeeOther {
		t.Errorf("edit: %d", code)
	}
	if _, b := ed.get(item); !strings.Contains(b, "改后的标题") || !strings.Contains(b, "政策解读") {
		t.Error("edit not saved")
	}
	if code, _ := ed.get("/news/999999"); code != 404 {
		t.Errorf("missing item: %d", code)
	}
}

func TestNCFeedSources(t *testing.T) {
	env := newNCEnv(t)
	ed := env.client(t)
	ed.login("feed_editor", account.RoleEditor)
	good := `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>外部资讯一</title><link>https://example.com/a</link><guid>a</guid><description>内容 &lt;script&gt;alert(1)&lt;/script&gt;</description></item>
</channel></rss>`
	feeds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/bad" {
			w.Write([]byte("<rss><channel><item><title>未闭合"))
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(good))
	}))
	defer feeds.Close()
	code, body, _ := ed.postCSRF("/admin/feeds", url.Values{"name": {"坏源"}, "url": {"ftp://x"}, "category": {"行业资讯"}})
	if code != 422 || !strings.Contains(body, "订阅地址必须是 http 或 https 网址") {
		t.Errorf("bad url: %d", code)
	}
	for _, name := range []string{"good", "bad"} {
		if code, _, _ := ed.postCSRF("/admin/feeds", url.Values{"name": {name}, "url": {feeds.URL + "/" + name}, "category": {"行业资讯"}}); code != http.StatusSeeOther {
			t.Fatalf("add %s: %d", name, code)
		}
	}
	srcs, _ := news.Sources(context.Background(), env.st.DB())
	if len(srcs) != 2 {
		t.Fatalf("%d sources", len(srcs))
	}
	for _, s := range srcs {
		code, body, _ := ed.postCSRF(fmt.Sprintf("/admin/feeds/%d/poll", s.ID), nil)
		if code != 200 {
			t.Errorf("poll %s: %d", s.Name, code)
		}
		if s.Name == "good" && !strings.Contains(body, "新增 1 条") {
			t.Errorf("poll good: no result line")
		}
		if s.Name == "bad" && !strings.Contains(body, "抓取「bad」失败") {
			t.Errorf("poll bad: no error shown")
		}
	}
	_, body = ed.get("/admin/feeds")
	if !strings.Contains(body, "出错（连续 1 次）") || !strings.Contains(body, "正常") {
		t.Error("per-source status not shown")
	}
	assertInert(t, "feeds", body)
	if _, b := ed.get("/news"); !strings.Contains(b, "外部资讯一") {
		t.Error("polled item not listed")
	}
	if code, _, _ := ed.postCSRF(fmt.Sprintf("/admin/feeds/%d/enabled", srcs[1].ID), url.Values{"enabled": {"0"}}); code != http.StatusSeeOther {
		t.Errorf("disable: %d", code)
	}
	if _, b := ed.get("/admin/feeds"); !strings.Contains(b, "已停用") {
		t.Error("disabled source not shown as such")
	}
}

func TestNCEventsAndICS(t *testing.T) {
	env := newNCEnv(t)
	ed := env.client(t)
	ed.login("ev_editor", account.RoleEditor)
	_, form := ed.get("/events/new")
	if !regexp.MustCompile(`id="start_date" name="start_date" type="date" value="\d{4}-\d{2}-\d{2}"`).MatchString(form) {
		t.Error("no default start date")
	}
	code, body, _ := ed.postCSRF("/events", url.Values{"title": {"数据要素大会"}, "start_date": {"2031-03-02"}, "end_date": {"2031-03-01"},
		"city": {"上海"}, "organiser": {"某协会"}})
	if code != 422 || !regexp.MustCompile(`id="end_date"[^>]*>\s*<p class="nc-err" role="alert">结束日期不能早于开始日期`).MatchString(body) {
		t.Errorf("end before start: %d", code)
	}
	code, body, _ = ed.postCSRF("/events", url.Values{"title": {"数据要素大会"}, "start_date": {"2031-03-02"}, "organiser": {"某协会"},
		"reports": {"没有网址的一行"}})
	if code != 422 || !strings.Contains(body, "这些行没有 http(s) 网址：没有网址的一行") {
		t.Errorf("bad report line: %d", code)
	}
	code, _, resp := ed.postCSRF("/events", url.Values{"title": {"2031 数据要素大会"}, "start_date": {"2031-03-02"}, "end_date": {"2031-03-03"},
		"city": {"上海"}, "venue": {"国际会议中心"}, "organiser": {"某协会"}, "agenda": {"- 上午：开幕式\n- 下午：[[数据安全法第二十一条]]解读"},
		"reports": {"大会综述 https://example.com/report"}, "related_works": {"wdsl"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create event: %d", code)
	}
	page := strings.SplitN(resp.Header.Get("Location"), "?", 2)[0]
	_, body = ed.get(page)
	for _, want := range []string{"2031-03-02 至 03-03", "国际会议中心", "<li>上午：开幕式</li>", "大会综述", `href="/documents/wdsl"`, page + ".ics"} {
		if !strings.Contains(body, want) {
			t.Errorf("event page lacks %q", want)
		}
	}
	events.Create(context.Background(), env.st.DB(), &events.Event{Title: "往届论坛", StartDate: "2020-05-01", City: "杭州", Organiser: "某研究院"})
	_, body = ed.get("/events")
	up, past := strings.Index(body, "即将举行"), strings.Index(body, "往期回顾")
	if i := strings.Index(body, "2031 数据要素大会"); i < up || i > past {
		t.Error("upcoming event not under 即将举行")
	}
	if i := strings.Index(body, "往届论坛"); i < past {
		t.Error("past event not under 往期回顾")
	}
	req, _ := http.NewRequest("GET", env.ts.URL+page+".ics", nil)
	code, ics, resp := ed.do(req)
	if code != 200 || resp.Header.Get("Content-Type") != "text/calendar; charset=utf-8" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") ||
		!strings.Contains(ics, "BEGIN:VEVENT") || !strings.Contains(ics, "DTSTART;VALUE=DATE:20310302") || strings.Contains(ics, "往届论坛") {
		t.Errorf("event ics: %d %v\n%s", code, resp.Header, ics)
	}
	req, _ = http.NewRequest("GET", env.ts.URL+"/events.ics", nil)
	code, ics, resp = ed.do(req)
	if code != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") || strings.Count(ics, "BEGIN:VEVENT") != 2 {
		t.Errorf("calendar: %d %s", code, resp.Header.Get("Content-Type"))
	}
	for _, p := range []string{"/events/abc.ics", "/events/999.ics", "/events/999"} {
		if code, _ := ed.get(p); code != 404 {
			t.Errorf("%s: %d", p, code)
		}
	}
}

func TestNCQuestionAnswerAccept(t *testing.T) {
	env := newNCEnv(t)
	asker, answerer := env.client(t), env.client(t)
	asker.login("asker", account.RoleMember)
	answerer.login("answerer", account.RoleMember)
	tp := ncPostThread(t, asker, "提问", "重要数据出境要评估吗？", "见 [[数据安全法第三十一条]] 和 [[不存在的法第一条]]。", "数据出境")
	_, body := asker.get(tp)
	if !strings.Contains(body, `href="/provisions/vdsl.c1.a31"`) || !strings.Contains(body, "[[不存在的法第一条]]") {
		t.Errorf("citation not linked:\n%s", body)
	}
	code, _, resp := answerer.postCSRF(tp+"/replies", url.Values{"body": {"需要，依 [[数据安全法第二十一条]] 分类分级后申报。"}})
	if code != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "#reply-") {
		t.Fatalf("reply: %d", code)
	}
	// The asker is notified (they follow their own thread).
	_, me := asker.get("/me")
	if !strings.Contains(me, "1 条未读") || !strings.Contains(me, "answerer") {
		t.Errorf("asker not notified")
	}
	p, err := env.com.Page(context.Background(), ncThreadID(t, tp), "", false)
	if err != nil || len(p.Replies) != 1 {
		t.Fatal(err)
	}
	rid := fmt.Sprint(p.Replies[0].ID)
	// Only the asker may accept.
	code, body, _ = answerer.postCSRF(tp+"/accept", url.Values{"reply": {rid}})
	if code != http.StatusForbidden || !strings.Contains(body, "只有提问者可以采纳答案") {
		t.Errorf("answerer accepts: %d", code)
	}
	if _, b := answerer.get(tp); strings.Contains(b, "采纳为答案") {
		t.Error("accept button shown to the answerer")
	}
	if code, _, _ := asker.postCSRF(tp+"/accept", url.Values{"reply": {rid}}); code != http.StatusSeeOther {
		t.Errorf("asker accepts: %d", code)
	}
	_, body = env.client(t).get(tp)
	if !strings.Contains(body, "✓ 已采纳的回答") || !strings.Contains(body, "已解决") {
		t.Error("accepted answer not marked")
	}
	_, me = answerer.get("/me")
	if !strings.Contains(me, "采纳") {
		t.Error("answerer not notified of acceptance")
	}
	// Votes: not on one's own post; a like counts once.
	code, body, _ = asker.postCSRF(tp+"/vote", url.Values{"target": {"thread"}, "target_id": {fmt.Sprint(ncThreadID(t, tp))}, "value": {"1"}})
	if code != http.StatusForbidden || !strings.Contains(body, "不能给自己的内容投票") {
		t.Errorf("own vote: %d", code)
	}
	for i := 0; i < 2; i++ {
		if code, _, _ := answerer.postCSRF(tp+"/vote", url.Values{"target": {"thread"}, "target_id": {fmt.Sprint(ncThreadID(t, tp))}, "value": {"1"}}); code != http.StatusSeeOther {
			t.Errorf("vote: %d", code)
		}
	}
	if th, _ := env.com.Thread(context.Background(), ncThreadID(t, tp)); th.Score != 1 {
		t.Errorf("score %d after two likes by one member", th.Score)
	}
	// A vote aimed at another thread's reply through this thread is refused.
	other := ncPostThread(t, answerer, "经验分享", "另一个主题", "内容", "")
	if code, _, _ := asker.postCSRF(other+"/vote", url.Values{"target": {"reply"}, "target_id": {rid}, "value": {"1"}}); code != http.StatusNotFound {
		t.Errorf("cross-thread vote: %d", code)
	}
	// The document page's hook lists the discussion under the provision.
	req := httptest.NewRequest("GET", "/documents/vdsl", nil)
	rel := string(env.srv.RelatedForDocument(req, env.srv.library().cat.Version("vdsl")))
	if !strings.Contains(rel, "重要数据出境要评估吗？") || !strings.Contains(rel, "第三十一条") || !strings.Contains(rel, "第二十一条") {
		t.Errorf("related discussions:\n%s", rel)
	}
}

func ncThreadID(t *testing.T, path string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(threadLoc.FindStringSubmatch(path)[1], "%d", &id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestNCRateLimitAndValidation(t *testing.T) {
	env := newNCEnv(t)
	env.com.Limits.PostsPerWindow = 2
	c := env.client(t)
	c.login("fast_poster", account.RoleMember)
	code, body, _ := c.postCSRF("/community/threads", url.Values{"kind": {"提问"}, "title": {""}, "body": {"内容"}})
	if code != 422 || !strings.Contains(body, `class="nc-err"`) {
		t.Errorf("empty title: %d", code)
	}
	tp := ncPostThread(t, c, "提问", "第一个", "内容", "")
	c.postCSRF(tp+"/replies", url.Values{"body": {"补充"}})
	code, body, _ = c.postCSRF("/community/threads", url.Values{"kind": {"提问"}, "title": {"第三个"}, "body": {"内容保留"}})
	if code != http.StatusTooManyRequests || !strings.Contains(body, "发帖过于频繁，请稍后再试") || !strings.Contains(body, "内容保留") {
		t.Errorf("rate limit on thread: %d", code)
	}
	code, body, _ = c.postCSRF(tp+"/replies", url.Values{"body": {"又一条回复"}})
	if code != http.StatusTooManyRequests || !strings.Contains(body, `id="reply-error">发帖过于频繁`) || !strings.Contains(body, "又一条回复</textarea>") {
		t.Errorf("rate limit on reply: %d", code)
	}
}

// ncPostFile posts a multipart form with a file.
func ncPostFile(t *testing.T, c *client, path string, fields map[string]string, name string, data []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.csrf())
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.env.ts.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	code, body, _ := c.do(req)
	return code, body
}

func TestNCAttachments(t *testing.T) {
	env := newNCEnv(t)
	c := env.client(t)
	c.login("doc_author", account.RoleMember)
	code, body := ncPostFile(t, c, "/community/threads", map[string]string{"kind": "知识文档", "title": "数据分类分级实务笔记", "body": "附笔记。", "tags": "分类分级"},
		"笔记.md", []byte("# 数据分类分级实务\n\n核心数据、重要数据与一般数据的识别方法。\n"))
	if code != http.StatusSeeOther {
		t.Fatalf("thread with attachment: %d %s", code, body)
	}
	ths, _, _ := env.com.ThreadList(context.Background(), community.ThreadQuery{})
	tp := ths[0].Path()
	_, body = c.get(tp)
	m := regexp.MustCompile(`href="(/community/attachments/\d+/[^"]+)" download>笔记.md`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("attachment not listed:\n%s", body)
	}
	req, _ := http.NewRequest("GET", env.ts.URL+m[1], nil)
	code, data, resp := env.client(t).do(req)
	if code != 200 || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") || resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "text/markdown") || !strings.Contains(data, "核心数据") {
		t.Errorf("download: %d %v", code, resp.Header)
	}
	if code, _ := c.get(m[1] + "x"); code != 404 {
		t.Errorf("wrong stored name: %d", code)
	}
	// Refusals, each with its message.
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"run.exe", []byte("MZ\x90\x00"), "仅支持上传 .pdf、.docx、.txt、.md 格式的知识文档"},
		{"fake.pdf", []byte("<html><script>alert(1)</script></html>"), "附件内容与扩展名不符"},
		{"fake.docx", []byte("not a zip at all"), "附件未上传"},
		{"empty.txt", nil, "附件未上传"},
	} {
		code, body := ncPostFile(t, c, tp+"/attachments", nil, tc.name, tc.data)
		if code < 400 || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d, want message %q", tc.name, code, tc.want)
		}
	}
	// Too large: refused with a clear message, not a reset — by the
	// request limit (413) or by the attachment limit (422), whichever the
	// server configuration reaches first.
	env.com.Limits.MaxAttachBytes = 1 << 20
	code, body = ncPostFile(t, c, tp+"/attachments", nil, "big.txt", bytes.Repeat([]byte("数据"), 256<<10))
	if code < 400 || !strings.Contains(body, "提交的内容过大") && !strings.Contains(body, "附件过大（上限 1 MB）") {
		t.Errorf("oversized: %d", code)
	}
	// Only the author, and only on 知识文档 threads.
	other := env.client(t)
	other.login("not_author", account.RoleMember)
	if code, body := ncPostFile(t, other, tp+"/attachments", nil, "a.txt", []byte("文字")); code != 403 || !strings.Contains(body, "只能修改自己发布的内容") {
		t.Errorf("foreign attach: %d", code)
	}
	q := ncPostThread(t, c, "提问", "普通提问", "内容", "")
	if code, body := ncPostFile(t, c, q+"/attachments", nil, "a.txt", []byte("文字")); code != 422 || !strings.Contains(body, "只有“知识文档”类主题可以上传附件") {
		t.Errorf("attach to a question: %d", code)
	}
	// The document's text is searchable as community content.
	_, js := c.get("/api/v1/search/community?q=" + url.QueryEscape("重要数据"))
	if !strings.Contains(js, `"type":"attachment"`) || !strings.Contains(js, `"non_authoritative":true`) {
		t.Errorf("attachment not searchable: %s", js)
	}
}

func TestNCModeration(t *testing.T) {
	env := newNCEnv(t)
	author, reporter, mod := env.client(t), env.client(t), env.client(t)
	author.login("mod_author", account.RoleMember)
	reporter.login("mod_reporter", account.RoleMember)
	mod.login("mod_editor", account.RoleEditor)
	tp := ncPostThread(t, author, "经验分享", "可疑广告帖", "加微信", "")
	id := fmt.Sprint(ncThreadID(t, tp))
	code, body, _ := reporter.postCSRF(tp+"/report", url.Values{"target": {"thread"}, "target_id": {id}, "reason": {""}})
	if code != 422 || !strings.Contains(body, "请说明举报理由") {
		t.Errorf("empty report: %d", code)
	}
	if code, _, _ := reporter.postCSRF(tp+"/report", url.Values{"target": {"thread"}, "target_id": {id}, "reason": {"广告"}}); code != http.StatusSeeOther {
		t.Errorf("report: %d", code)
	}
	if _, b := mod.get("/community/reports"); !strings.Contains(b, "广告") || !strings.Contains(b, "mod_reporter") {
		t.Error("report not in the queue")
	}
	if code, _, _ := mod.postCSRF(tp+"/moderate", url.Values{"target": {"thread"}, "target_id": {id}, "action": {"hide"}, "reason": {"广告"}}); code != http.StatusSeeOther {
		t.Errorf("hide: %d", code)
	}
	if code, _ := env.client(t).get(tp); code != 404 {
		t.Errorf("hidden thread visible to guests: %d", code)
	}
	if _, b := env.client(t).get("/community"); strings.Contains(b, "可疑广告帖") {
		t.Error("hidden thread listed")
	}
	_, b := mod.get(tp)
	if !strings.Contains(b, "已隐藏（仅版主可见）") || !strings.Contains(b, "hide：广告") {
		t.Error("moderator view lacks state or audit trail")
	}
	mod.postCSRF(tp+"/moderate", url.Values{"target": {"thread"}, "target_id": {id}, "action": {"unhide"}})
	mod.postCSRF(tp+"/moderate", url.Values{"target": {"thread"}, "target_id": {id}, "action": {"lock"}, "reason": {"冷静"}})
	code, body, _ = reporter.postCSRF(tp+"/replies", url.Values{"body": {"还能回复吗"}})
	if code != http.StatusConflict || !strings.Contains(body, "该主题已锁定") {
		t.Errorf("reply to a locked thread: %d", code)
	}
	if code, _, _ := mod.postCSRF(tp+"/moderate", url.Values{"target": {"thread"}, "target_id": {id}, "action": {"explode"}}); code != 422 {
		t.Errorf("unknown action: %d", code)
	}
}

func TestNCFollowFeedAndToken(t *testing.T) {
	env := newNCEnv(t)
	reader, writer := env.client(t), env.client(t)
	reader.login("reader", account.RoleMember)
	writer.login("writer", account.RoleMember)
	code, _, resp := reader.postCSRF("/follow", url.Values{"kind": {"tag"}, "value": {"数据出境"}, "next": {"//evil.example/x"}})
	if code != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/me") {
		t.Errorf("follow: %d → %s", code, resp.Header.Get("Location"))
	}
	reader.postCSRF("/follow", url.Values{"kind": {"work"}, "value": {"wdsl"}})
	if code, _, _ := reader.postCSRF("/follow", url.Values{"kind": {"planet"}, "value": {"x"}}); code != 422 {
		t.Errorf("bad follow kind: %d", code)
	}
	ncPostThread(t, writer, "经验分享", "出境评估申报经验", "分享。", "数据出境")
	news.Create(context.Background(), env.st.DB(), &news.Item{Category: news.CategoryRegulation, Title: "数据安全法相关资讯", RelatedWorks: []string{"wdsl"}})
	_, me := reader.get("/me")
	for _, want := range []string{"主题标签", `href="/community?tag=` + url.QueryEscape("数据出境") + `"`, "中华人民共和国数据安全法", "出境评估申报经验", "关注的标签「数据出境」", "数据安全法相关资讯"} {
		if !strings.Contains(me, want) {
			t.Errorf("/me lacks %q", want)
		}
	}
	// The personal feed: session or token, never anyone else.
	anon := env.client(t)
	if code, _ := anon.get("/me/feed.atom"); code != 401 {
		t.Errorf("anonymous personal feed: %d", code)
	}
	code, page, _ := reader.postCSRF("/me/feed-token", nil)
	m := regexp.MustCompile(`value="(http[^"]+/me/feed\.atom\?token=([^"]+))"`).FindStringSubmatch(page)
	if code != 200 || m == nil {
		t.Fatalf("token: %d", code)
	}
	tok, _ := url.QueryUnescape(m[2])
	req, _ := http.NewRequest("GET", env.ts.URL+"/me/feed.atom?token="+url.QueryEscape(tok), nil)
	code, feed, resp := anon.do(req)
	if code != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/atom+xml") || !strings.Contains(feed, "出境评估申报经验") {
		t.Errorf("token feed: %d %s", code, resp.Header.Get("Content-Type"))
	}
	if code, _ := anon.get("/me/feed.atom?token=wrong"); code != 401 {
		t.Errorf("wrong token: %d", code)
	}
	// The token works only for the feed, not as a login.
	if code, _ := anon.get("/me?token=" + url.QueryEscape(tok)); code != http.StatusSeeOther {
		t.Errorf("token used as login: %d", code)
	}
	// A new token revokes the old one; the page no longer shows any.
	reader.postCSRF("/me/feed-token", nil)
	if code, _ := anon.get("/me/feed.atom?token=" + url.QueryEscape(tok)); code != 401 {
		t.Errorf("revoked token: %d", code)
	}
	if _, me := reader.get("/me"); strings.Contains(me, "token=") || !strings.Contains(me, "重新生成订阅地址") {
		t.Error("token shown again on /me")
	}
	var stored string
	env.st.DB().QueryRow(`SELECT token_hash FROM feed_tokens`).Scan(&stored)
	if stored == "" || strings.Contains(stored, tok) {
		t.Error("token stored in clear")
	}
	// Notifications are marked read.
	tp := ncPostThread(t, reader, "提问", "读者的问题", "问。", "")
	writer.postCSRF(tp+"/replies", url.Values{"body": {"答。"}})
	if _, me := reader.get("/me"); !strings.Contains(me, "1 条未读") {
		t.Error("no unread notification")
	}
	reader.postCSRF("/me/notifications/read", nil)
	if _, me := reader.get("/me"); strings.Contains(me, "条未读") {
		t.Error("notifications not marked read")
	}
}

func TestNCSearch(t *testing.T) {
	env := newNCEnv(t)
	c := env.client(t)
	c.login("searcher", account.RoleMember)
	ctx := context.Background()
	news.Create(ctx, env.st.DB(), &news.Item{Category: news.CategoryHot, Title: "数据出境新规解读", Summary: "安全评估申报要点"})
	ncPostThread(t, c, "提问", "跨境传输要做安全评估吗", "我们公司有数据出境业务。", "数据出境")
	var res ncResults
	_, js := c.get("/api/v1/search/news?q=" + url.QueryEscape("数据出境"))
	if err := json.Unmarshal([]byte(js), &res); err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Hits[0].Type != "news" || !res.Hits[0].NonAuthoritative || !strings.Contains(res.Label, "非权威") {
		t.Errorf("news search: %s", js)
	}
	_, js = c.get("/api/v1/search/community?q=" + url.QueryEscape("数据出境"))
	res = ncResults{}
	json.Unmarshal([]byte(js), &res)
	if res.Total != 1 || res.Hits[0].Type != "thread" || !strings.Contains(res.Hits[0].Snippet, "数据出境") {
		t.Errorf("community search: %s", js)
	}
	// Both words must match.
	_, js = c.get("/api/v1/search/community?q=" + url.QueryEscape("数据出境 区块链"))
	if !strings.Contains(js, `"total":0`) {
		t.Errorf("AND semantics: %s", js)
	}
	_, page := c.get("/search/community?q=" + url.QueryEscape("数据出境"))
	if !strings.Contains(page, "非权威") || !strings.Contains(page, "<mark>数据出境</mark>") || !strings.Contains(page, "跨境传输要做安全评估吗") {
		t.Error("search page")
	}
	_, page = c.get("/search/community?type=news&q=" + url.QueryEscape("数据出境"))
	if strings.Contains(page, "跨境传输要做安全评估吗") || !strings.Contains(page, "数据出境新规解读") {
		t.Error("type filter")
	}
	// The section for the main search page.
	sec := string(env.srv.NonAuthoritativeSection(httptest.NewRequest("GET", "/search", nil), "安全评估"))
	if !strings.Contains(sec, "非权威") || !strings.Contains(sec, "数据出境新规解读") || !strings.Contains(sec, "/search/community?q=") {
		t.Errorf("section:\n%s", sec)
	}
	if env.srv.NonAuthoritativeSection(httptest.NewRequest("GET", "/search", nil), "完全无关的词汇组合") != "" {
		t.Error("section shown without results")
	}
}

// An editor's upload is announced as a 法规动态 item and recorded as a
// library change.
func TestNCImportAnnounced(t *testing.T) {
	env := newNCEnv(t)
	ed := env.client(t)
	ed.login("imp_editor", account.RoleEditor)
	_, body := upload(t, ed, "某某省办法.docx", makeDocx(t, docxSample...))
	m := tokenRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no preview token")
	}
	if code, _, _ := ed.postCSRF("/admin/upload/commit", url.Values{"token": {m[1]}}); code != http.StatusSeeOther {
		t.Fatalf("commit: %d", code)
	}
	items, _, err := news.List(context.Background(), env.st.DB(), news.Query{Category: news.CategoryRegulation})
	if err != nil || len(items) != 1 || !strings.Contains(items[0].Title, "某某省公共数据授权运营管理办法") || len(items[0].RelatedWorks) != 1 {
		t.Fatalf("announcement: %v %+v", err, items)
	}
	if _, b := ed.get("/news"); !strings.Contains(b, "某某省公共数据授权运营管理办法") {
		t.Error("announcement not listed")
	}
}

// The snippet cutter works on rune offsets of folded text; hostile or odd
// input must neither panic nor produce markup other than <mark>.
func FuzzNCSnippet(f *testing.F) {
	for _, s := range []string{"数据出境安全评估", "ＡＢＣ全角<script>alert(1)</script>数据", "\x00\xff\xfe数据", "İstanbul 数据 K", strings.Repeat("数据", 500), ""} {
		f.Add(s, "数据")
	}
	f.Fuzz(func(t *testing.T, text, q string) {
		ix := buildNCIndex([]news.IndexRecord{{ID: "news:1", Type: "news", Title: "标题", Text: text}})
		for _, h := range ix.search(q) {
			html := strings.ReplaceAll(strings.ReplaceAll(string(h.Snip), "<mark>", ""), "</mark>", "")
			if strings.ContainsAny(html, "<>") {
				t.Fatalf("markup in snippet: %q", h.Snip)
			}
		}
		_, words := queryGroups(q)
		ncSnippet(text, textseg.Fold(text), words)
	})
}

// The document and search pages embed this module's sections once the lead
// has added RelatedForDocument and NonAuthoritativeSection to them; until
// then this test skips.
func TestNCSectionsOnLibraryPages(t *testing.T) {
	env := newNCEnv(t)
	c := env.client(t)
	c.login("hook_member", account.RoleMember)
	if _, b := c.get("/documents/vdsl"); !strings.Contains(b, "相关资讯、会议与讨论") {
		t.Skip("document page does not call RelatedForDocument yet")
	}
	ncPostThread(t, c, "经验分享", "分类分级制度落地笔记", "按 [[数据安全法第二十一条]] 梳理目录。", "分类分级")
	_, b := c.get("/documents/vdsl")
	if !strings.Contains(b, "分类分级制度落地笔记") || !strings.Contains(b, "引用第二十一条") || !strings.Contains(b, "关注本文件的更新") {
		t.Error("document page lacks the citing discussion or the follow button")
	}
	code, _, resp := c.postCSRF("/follow", url.Values{"kind": {"work"}, "value": {"wdsl"}, "next": {"/documents/vdsl"}})
	if code != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/documents/vdsl") {
		t.Errorf("follow from the document page: %d %s", code, resp.Header.Get("Location"))
	}
	if _, b := c.get("/documents/vdsl"); !strings.Contains(b, "已关注本文件") {
		t.Error("follow state not shown")
	}
	if _, b := c.get("/search?q=" + url.QueryEscape("分类分级")); !strings.Contains(b, "资讯与社区讨论") || !strings.Contains(b, "分类分级制度落地笔记") || !strings.Contains(b, "非权威") {
		t.Error("search page lacks the non-authoritative section")
	}
}

// The document page's related box for the largest document (1,100
// articles): batched citation lookups keep it within the page budget.
func BenchmarkNCRelatedForDocument(b *testing.B) {
	env := newNCEnv(b)
	ctx := context.Background()
	for i := 0; i < 20; i++ {
		env.com.Limits.PostsPerWindow = 1000
		if _, err := env.com.CreateThread(ctx, community.NewThread{Kind: community.KindExperience, Title: fmt.Sprintf("讨论%d", i),
			Body: fmt.Sprintf("见 [[大型测试条例第%d条]]。", i*50+1), AuthorID: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
	v := env.srv.library().cat.Version("vbig")
	req := httptest.NewRequest("GET", "/documents/vbig", nil)
	if out := env.srv.RelatedForDocument(req, v); !strings.Contains(string(out), "讨论19") {
		b.Fatalf("related box lacks the citing threads:\n%s", out)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		env.srv.RelatedForDocument(req, v)
	}
}

func TestNCEditThread(t *testing.T) {
	env := newNCEnv(t)
	author, other := env.client(t), env.client(t)
	author.login("edit_author", account.RoleMember)
	other.login("edit_other", account.RoleMember)
	tp := ncPostThread(t, author, "经验分享", "原标题", "原内容", "旧标签")
	if _, b := author.get(tp); !strings.Contains(b, `href="`+tp+`/edit"`) {
		t.Error("no edit link for the author")
	}
	if _, b := other.get(tp); strings.Contains(b, tp+"/edit") {
		t.Error("edit link shown to another member")
	}
	_, form := author.get(tp + "/edit")
	if !strings.Contains(form, `value="原标题"`) || !strings.Contains(form, "原内容</textarea>") || strings.Contains(form, `name="kind"`) {
		t.Error("edit form not prefilled")
	}
	code, body, _ := author.postCSRF(tp+"/edit", url.Values{"title": {""}, "body": {"x"}})
	if code != 422 || !strings.Contains(body, `class="nc-err"`) {
		t.Errorf("empty title: %d", code)
	}
	if code, _, _ := other.postCSRF(tp+"/edit", url.Values{"title": {"篡改"}, "body": {"x"}}); code != http.StatusForbidden {
		t.Errorf("foreign edit: %d", code)
	}
	if code, _, _ := author.postCSRF(tp+"/edit", url.Values{"title": {"新标题"}, "body": {"见 [[数据安全法第一条]]"}, "tags": {"新标签"}}); code != http.StatusSeeOther {
		t.Errorf("edit: %d", code)
	}
	_, b := other.get(tp)
	if !strings.Contains(b, "新标题") || !strings.Contains(b, `href="/provisions/vdsl.c1.a1"`) || !strings.Contains(b, "新标签") || strings.Contains(b, "旧标签") {
		t.Error("edit not shown")
	}
}

func TestNCSummaryRepeatsBody(t *testing.T) {
	for _, tc := range []struct {
		sum, body string
		want      bool
	}{
		{"近日，广东省通信管理局发布关于下架3款侵害用户权益 APP 的通报。全文如下：依据…", "近日，广东省通信管理局发布关于下架3款侵害用户权益 APP 的通报。全文如下:\n\n依据", true},
		{"分类分级保护制度相关规定陆续出台。", "", false},
		{"要点摘要", "正文另起一段，与摘要不同。", false},
		{"短", "短文", true},
		{"", "正文", false},
	} {
		if got := summaryRepeatsBody(tc.sum, tc.body); got != tc.want {
			t.Errorf("summaryRepeatsBody(%q, %q) = %v", tc.sum, tc.body, got)
		}
	}
}
