package workspace

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"datalex/internal/account"
	"datalex/internal/library"
	"datalex/internal/web"
	"datalex/internal/web/webtest"
	"datalex/internal/workspace"
)

// doc builds a small regulation whose articles carry the given texts.
func doc(id, title, level, date string, texts ...string) *library.Version {
	v := &library.Version{ID: id, WorkID: "w" + id, Kind: library.KindRegulation, Title: title,
		Status: library.StatusInForce, Level: level, Region: "全国", IssueDate: date, Seq: 100}
	for i, text := range texts {
		label := fmt.Sprintf("第%s条", []string{"一", "二", "三", "四"}[i])
		p := &library.Provision{ID: fmt.Sprintf("%s.a%d", id, i+1), Kind: library.ProvArticle, Label: label,
			Text: label + " " + text, Ord: i, Line: i + 1, LineEnd: i + 1, Path: label}
		p.Citation = library.CitationFor(title, label)
		v.Provisions = append(v.Provisions, p)
	}
	return v
}

func fixture() []*library.Version {
	return []*library.Version{
		doc("vsec", "数据出境安全评估办法", library.LevelDeptRules, "2022-07-07",
			"为了规范数据出境活动，保护个人信息权益，维护国家安全和社会公共利益，促进数据跨境安全、自由流动，制定本办法。",
			"数据处理者向境外提供在中华人民共和国境内运营中收集和产生的重要数据和个人信息的安全评估，适用本办法。",
			"数据处理者向境外提供数据，有下列情形之一的，应当通过所在地省级网信部门向国家网信部门申报数据出境安全评估。"),
		doc("vpipl", "个人信息保护法", library.LevelLaw, "2021-08-20",
			"为了保护个人信息权益，规范个人信息处理活动，促进个人信息合理利用，制定本法。",
			"个人信息处理者因业务等需要，确需向中华人民共和国境外提供个人信息的，应当通过国家网信部门组织的数据出境安全评估。"),
	}
}

// newEnv serves the fixture with 我的 (notifications) and the workspace.
func newEnv(t testing.TB) *webtest.Env {
	t.Helper()
	return webtest.NewEnv(t, fixture(), nil, func(srv *web.Server) error {
		if _, err := webtest.MountContent(srv); err != nil {
			return err
		}
		_, err := MountWorkspace(srv, Deps{})
		return err
	})
}

// newDocument is the matching document "imported" after a search is saved.
func newDocument() *library.Version {
	return doc("vflow", "促进和规范数据跨境流动规定", library.LevelDeptRules, "2024-03-22",
		"为了保障国家数据安全，保护个人信息权益，进一步规范和促进数据依法有序自由流动，制定本规定。",
		"数据处理者向境外提供数据，符合下列条件之一的，免予申报数据出境安全评估。")
}

// importDocument stores v and reloads the server's library, as an import does.
func importDocument(t testing.TB, env *webtest.Env, v *library.Version) {
	t.Helper()
	webtest.SaveVersions(t, env.St, []*library.Version{v})
	if err := env.Srv.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func location(t testing.TB, resp *http.Response) string {
	t.Helper()
	return resp.Header.Get("Location")
}

func TestFavoritesFoldersNotesAndPrint(t *testing.T) {
	env := newEnv(t)
	alice := env.Client(t)
	alice.Login("alice", account.RoleMember)

	back := "/search?q=" + url.QueryEscape("数据出境")
	// One click (no folder field) stars it and shows the confirmation
	// with a folder choice and the way back.
	code, _, resp := alice.PostCSRF("/me/favorites/add", url.Values{"item": {"vsec.a3"}, "back": {back}})
	confirm := "/me/favorites/add?" + url.Values{"item": {"vsec.a3"}, "back": {back}, "done": {"added"}}.Encode()
	if code != http.StatusSeeOther || location(t, resp) != confirm {
		t.Fatalf("star from search: %d → %q", code, location(t, resp))
	}
	if _, page := alice.Get(confirm); !strings.Contains(page, "已收藏（未分类）") || !strings.Contains(page, `id="fav-back"`) {
		t.Error("confirmation page lacks the flash or the way back")
	}
	// Documents are starred too; an off-site back link is ignored.
	code, _, resp = alice.PostCSRF("/me/favorites/add", url.Values{"item": {"vpipl"}, "folder": {""}, "back": {"//evil.example/x"}})
	if code != http.StatusSeeOther || location(t, resp) != "/me/favorites?done=added" {
		t.Errorf("off-site back: %d → %q", code, location(t, resp))
	}
	if code, _, _ := alice.PostCSRF("/me/favorites/add", url.Values{"item": {"nothing"}}); code != http.StatusNotFound {
		t.Errorf("starring a missing item: %d", code)
	}
	_, page := alice.Get("/me/favorites")
	for _, want := range []string{"数据出境安全评估办法 第三条", "个人信息保护法", "现行有效"} {
		if !strings.Contains(page, want) {
			t.Errorf("favourites page lacks %q", want)
		}
	}

	code, _, resp = alice.PostCSRF("/me/folders", url.Values{"name": {"跨境项目"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create folder: %d", code)
	}
	folder := regexp.MustCompile(`folder=([a-z0-9]+)`).FindStringSubmatch(location(t, resp))
	if folder == nil {
		t.Fatalf("no folder id in %q", location(t, resp))
	}
	fid := folder[1]
	code, body, _ := alice.PostCSRF("/me/folders", url.Values{"name": {"跨境项目"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "已有同名收藏夹") {
		t.Errorf("duplicate folder: %d", code)
	}
	note := `<script>alert(1)</script> 重点：申报条件`
	if code, _, _ := alice.PostCSRF("/me/favorites/update", url.Values{"item": {"vsec.a3"}, "folder": {fid}, "note": {note}}); code != http.StatusSeeOther {
		t.Fatalf("move + note: %d", code)
	}
	// A one-click star of an item already filed leaves it in its folder.
	code, _, resp = alice.PostCSRF("/me/favorites/add", url.Values{"item": {"vsec.a3"}, "back": {back}})
	if code != http.StatusSeeOther || strings.Contains(location(t, resp), "done=added") {
		t.Errorf("re-star: %d %q", code, location(t, resp))
	}
	_, page = alice.Get("/me/favorites?folder=" + fid)
	if !strings.Contains(page, "数据出境安全评估办法 第三条") || strings.Contains(page, "个人信息保护法 ") && strings.Contains(page, `id="fav-vpipl"`) {
		t.Error("folder page should list only the moved provision")
	}
	if strings.Contains(page, "<script>alert(1)") || !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt; 重点：申报条件") {
		t.Error("note not escaped or missing")
	}
	_, page = alice.Get("/me/favorites/print?folder=" + fid)
	for _, want := range []string{"跨境项目 · 收藏清单", "应当通过所在地省级网信部门", "时效性：现行有效", "备注：", "data-print"} {
		if !strings.Contains(page, want) {
			t.Errorf("print view lacks %q", want)
		}
	}

	// Another member sees none of it and can change none of it.
	bob := env.Client(t)
	bob.Login("bob", account.RoleMember)
	if code, _ := bob.Get("/me/favorites?folder=" + fid); code != http.StatusNotFound {
		t.Errorf("bob opens alice's folder: %d", code)
	}
	if code, _ := bob.Get("/me/favorites/print?folder=" + fid); code != http.StatusNotFound {
		t.Errorf("bob prints alice's folder: %d", code)
	}
	for _, p := range []string{"/me/folders/" + fid + "/rename", "/me/folders/" + fid + "/delete"} {
		if code, _, _ := bob.PostCSRF(p, url.Values{"name": {"x"}}); code != http.StatusNotFound {
			t.Errorf("bob posts %s: %d", p, code)
		}
	}
	if code, _, _ := bob.PostCSRF("/me/favorites/update", url.Values{"item": {"vsec.a3"}, "note": {"hijack"}}); code != http.StatusNotFound {
		t.Errorf("bob edits alice's note: %d", code)
	}
	if _, page := bob.Get("/me/favorites"); strings.Contains(page, "数据出境安全评估办法 第三条") {
		t.Error("bob sees alice's favourites")
	}
	// No CSRF token, no change; anonymous visitors are sent to log in.
	if code, _, _ := alice.Post("/me/folders", url.Values{"name": {"无令牌"}}); code != http.StatusForbidden {
		t.Errorf("folder without CSRF: %d", code)
	}
	if code, _ := env.Client(t).Get("/me/favorites"); code != http.StatusSeeOther {
		t.Errorf("anonymous favourites: %d", code)
	}

	if code, _, _ := alice.PostCSRF("/me/folders/"+fid+"/rename", url.Values{"name": {"出境申报"}}); code != http.StatusSeeOther {
		t.Errorf("rename: %d", code)
	}
	if code, _, _ := alice.PostCSRF("/me/folders/"+fid+"/delete", nil); code != http.StatusSeeOther {
		t.Errorf("delete: %d", code)
	}
	if _, page := alice.Get("/me/favorites?folder=unfiled"); !strings.Contains(page, "数据出境安全评估办法 第三条") {
		t.Error("items of a deleted folder must stay, unfiled")
	}
	if code, _, _ := alice.PostCSRF("/me/favorites/remove", url.Values{"item": {"vsec.a3"}}); code != http.StatusSeeOther {
		t.Errorf("remove: %d", code)
	}

	// The earlier POST /saved keeps working for scripts.
	req, _ := http.NewRequest("POST", env.TS.URL+"/saved", strings.NewReader("item=vsec.a1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", alice.CSRF())
	if code, body, _ := alice.Do(req); code != http.StatusOK || !strings.Contains(body, `"ok":true`) {
		t.Errorf("legacy /saved: %d %s", code, body)
	}
	if code, _ := alice.Get("/saved"); code != http.StatusSeeOther {
		t.Errorf("GET /saved: %d", code)
	}
}

func TestStarButtonsOnSearchAndDocumentPages(t *testing.T) {
	env := newEnv(t)
	c := env.Client(t)
	c.Login("carol", account.RoleMember)
	_, page := c.Get("/search?q=" + url.QueryEscape("数据出境") + "&level=" + url.QueryEscape("部门规章"))
	for _, want := range []string{`action="/me/searches"`, `name="level" value="部门规章"`, `action="/me/favorites/add"`, `name="item" value="vsec.a`} {
		if !strings.Contains(page, want) {
			t.Errorf("search page lacks %s", want)
		}
	}
	_, page = c.Get("/documents/vsec")
	if !strings.Contains(page, `id="star-doc"`) || !strings.Contains(page, `href="/me/favorites/add?item=vsec.a2"`) {
		t.Error("document page lacks the star buttons")
	}
	code, page := c.Get("/me/favorites/add?item=vsec.a2")
	if code != http.StatusOK || !strings.Contains(page, "数据出境安全评估办法 第二条") || !strings.Contains(page, `id="fav-submit"`) {
		t.Errorf("add form: %d", code)
	}
}

func TestReadingHistory(t *testing.T) {
	env := newEnv(t)
	c := env.Client(t)
	c.Login("dave", account.RoleMember)
	c.Get("/documents/vpipl")
	if code, _ := c.Get("/provisions/vsec.a2"); code != http.StatusSeeOther {
		t.Fatalf("provision link: %d", code)
	}
	env.Client(t).Get("/documents/vsec") // anonymous: not recorded anywhere
	_, page := c.Get("/me/history")
	i, j := strings.Index(page, "数据出境安全评估办法 第二条"), strings.Index(page, "个人信息保护法")
	if i < 0 || j < 0 || i > j {
		t.Errorf("history should list the provision, then the document (newest first): %d %d", i, j)
	}
	other := env.Client(t)
	other.Login("erin", account.RoleMember)
	if _, page := other.Get("/me/history"); strings.Contains(page, "个人信息保护法") {
		t.Error("another member sees dave's history")
	}
	if code, _, _ := c.PostCSRF("/me/history/clear", nil); code != http.StatusSeeOther {
		t.Fatal("clear")
	}
	if _, page := c.Get("/me/history"); strings.Contains(page, "个人信息保护法") {
		t.Error("history not cleared")
	}
}

func TestSavedSearchAlert(t *testing.T) {
	env := newEnv(t)
	c := env.Client(t)
	c.Login("frank", account.RoleMember)
	form := url.Values{"q": {"数据出境"}, "level": {"部门规章"}, "page": {"2"}}
	code, _, resp := c.PostCSRF("/me/searches", form)
	if code != http.StatusSeeOther || !strings.HasPrefix(location(t, resp), "/me/searches/s") {
		t.Fatalf("save search: %d %q", code, location(t, resp))
	}
	path := strings.TrimSuffix(location(t, resp), "?done=saved")
	if code, _, _ := c.PostCSRF("/me/searches", url.Values{"q": {"  "}}); code != http.StatusBadRequest {
		t.Errorf("empty search saved: %d", code)
	}

	// Nothing new yet.
	code, _, resp = c.PostCSRF(path+"/check", nil)
	if code != http.StatusSeeOther || !strings.HasSuffix(location(t, resp), "done=checked") {
		t.Fatalf("check: %d %q", code, location(t, resp))
	}
	// A matching document arrives.
	importDocument(t, env, newDocument())
	code, _, resp = c.PostCSRF(path+"/check", nil)
	if code != http.StatusSeeOther || !strings.HasSuffix(location(t, resp), "done=found") {
		t.Fatalf("check after import: %d %q", code, location(t, resp))
	}
	_, page := c.Get(path)
	if !strings.Contains(page, "促进和规范数据跨境流动规定") || !strings.Contains(page, "新文件") {
		t.Error("saved search page lacks the new document")
	}
	if strings.Contains(page, "个人信息保护法") {
		t.Error("a document outside the level filter was reported")
	}
	_, me := c.Get("/me")
	if !strings.Contains(me, "检索订阅「数据出境」：1 件新文件") || !strings.Contains(me, `href="`+path+`"`) {
		t.Error("in-app notification missing on /me")
	}
	if _, list := c.Get("/me/searches"); !strings.Contains(list, "已提醒 1 条") {
		t.Error("searches list lacks the count")
	}

	other := env.Client(t)
	other.Login("grace", account.RoleMember)
	for _, p := range []string{path, path + "/check", path + "/delete", path + "/edit"} {
		var code int
		if strings.HasSuffix(p, "/check") || strings.HasSuffix(p, "/delete") || strings.HasSuffix(p, "/edit") {
			code, _, _ = other.PostCSRF(p, url.Values{"name": {"x"}})
		} else {
			code, _ = other.Get(p)
		}
		if code != http.StatusNotFound {
			t.Errorf("another member on %s: %d", p, code)
		}
	}
	code, body, _ := c.PostCSRF(path+"/edit", url.Values{"name": {"出境"}, "email": {"not-an-address"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "邮件地址无效") {
		t.Errorf("bad e-mail: %d", code)
	}
	if code, _, _ := c.PostCSRF(path+"/edit", url.Values{"name": {"出境规则"}, "email": {"frank@example.com"}}); code != http.StatusSeeOther {
		t.Errorf("edit: %d", code)
	}
	if code, _, _ := c.PostCSRF(path+"/delete", nil); code != http.StatusSeeOther {
		t.Errorf("delete: %d", code)
	}
	if code, _ := c.Get(path); code != http.StatusNotFound {
		t.Errorf("deleted search still served: %d", code)
	}
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/search?q=x":      "/search?q=x",
		"":                 "/def",
		"//evil.example":   "/def",
		"/\\evil.example":  "/def",
		"https://evil.com": "/def",
		"/a\r\nSet-Cookie": "/def",
	} {
		if got := localPath(in, "/def"); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzLocalPath: the redirect after a form never leaves the site.
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/search?q=x", "//evil", "/\\evil", "https://x", "/a\nb", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := localPath(s, "/def")
		u, err := url.Parse(got)
		if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") ||
			strings.HasPrefix(got, "/\\") || strings.ContainsAny(got, "\r\n") {
			if got != "/def" {
				t.Fatalf("localPath(%q) = %q", s, got)
			}
		}
	})
}

// TestRunAlertsAfterReload: the serve loop reports a document once the
// library has been reloaded with it, and only then.
func TestRunAlertsAfterReload(t *testing.T) {
	var alerts *workspace.Alerts
	var srv *web.Server
	env := webtest.NewEnv(t, fixture(), nil, func(s *web.Server) error {
		var err error
		alerts, err = MountWorkspace(s, Deps{})
		srv = s
		return err
	})
	c := env.Client(t)
	c.Login("henry", account.RoleMember)
	if code, _, _ := c.PostCSRF("/me/searches", url.Values{"q": {"数据出境"}}); code != http.StatusSeeOther {
		t.Fatal("save search")
	}
	u, _ := env.Acc.ByUsername(context.Background(), "henry")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { RunAlerts(ctx, srv, alerts, 20*time.Millisecond); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	unread := func() int {
		var n int
		env.St.DB().QueryRow(`SELECT COUNT(*) FROM notifications WHERE user_id = ? AND kind = 'alert'`, u.ID).Scan(&n)
		return n
	}
	time.Sleep(100 * time.Millisecond)
	if n := unread(); n != 0 {
		t.Fatalf("%d alerts before any change", n)
	}
	importDocument(t, env, newDocument())
	deadline := time.Now().Add(5 * time.Second)
	for unread() == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // more ticks: still one alert
	if n := unread(); n != 1 {
		t.Errorf("alerts after the import: %d, want 1", n)
	}
}

// TestFavoritesPaged: a long list comes 100 to a page; the print view
// has them all.
func TestFavoritesPaged(t *testing.T) {
	env := newEnv(t)
	c := env.Client(t)
	c.Login("ivan", account.RoleMember)
	u, _ := env.Acc.ByUsername(context.Background(), "ivan")
	ws := workspace.New(env.St.DB())
	for i := range 150 {
		id := "vsec.a1"
		if i > 0 {
			id = fmt.Sprintf("gone%03d", i) // no longer in the library
		}
		if err := ws.AddFavorite(context.Background(), u.ID, id, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	items := regexp.MustCompile(`<li class="ws-item"`)
	_, page := c.Get("/me/favorites")
	if n := len(items.FindAllString(page, -1)); n != 100 || !strings.Contains(page, "第 1 / 2 页") || !strings.Contains(page, "150 条") {
		t.Errorf("page 1: %d items", n)
	}
	_, page = c.Get("/me/favorites?folder=&page=2")
	if n := len(items.FindAllString(page, -1)); n != 50 || !strings.Contains(page, "数据出境安全评估办法 第一条") {
		t.Errorf("page 2: %d items", n)
	}
	if !strings.Contains(page, "gone001（已不在资料库中）") {
		t.Error("an item no longer in the library is not marked")
	}
	_, page = c.Get("/me/favorites/print")
	if n := strings.Count(page, "<li>\n    <h2>"); n != 150 {
		t.Errorf("print view: %d items", n)
	}
}
