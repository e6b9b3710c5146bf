package web_test

import (
	"context"
	"datalex/internal/web"
	"datalex/internal/web/webtest"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"datalex/internal/account"
	"datalex/internal/answer"
	"datalex/internal/library"
	"datalex/internal/search"
)

func TestUploadPreviewCommit(t *testing.T) {
	env := webtest.NewEnv(t, webtest.Versions(), nil, nil)
	ed := env.Client(t)
	ed.Login("editor1", account.RoleEditor)
	code, body := ed.PostFile("/admin/upload", nil, "某某省办法.docx", webtest.MakeDocx(t, webtest.DocxSample...))
	if code != 200 {
		t.Fatalf("preview: %d", code)
	}
	for _, want := range []string{"预览：某某省公共数据授权运营管理办法", "第一章", "第二条", "确认导入"} {
		if !strings.Contains(body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	// Nothing is written before the editor confirms.
	if _, b := ed.Get("/search?q=授权运营+政务数据"); strings.Contains(b, "某某省公共数据授权运营管理办法") {
		t.Fatal("document in the library before commit")
	}
	m := webtest.UploadTokenRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no commit token")
	}
	// Another editor cannot commit this preview.
	other := env.Client(t)
	other.Login("editor2", account.RoleEditor)
	if code, _, _ := other.PostCSRF("/admin/upload/commit", url.Values{"token": {m[1]}}); code != http.StatusBadRequest {
		t.Errorf("foreign commit: %d", code)
	}
	code, _, resp := ed.PostCSRF("/admin/upload/commit", url.Values{"token": {m[1]}})
	if code != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/documents/") {
		t.Fatalf("commit: %d → %s", code, resp.Header.Get("Location"))
	}
	code, body = ed.Get(resp.Header.Get("Location"))
	if code != 200 || !strings.Contains(body, "某某省公共数据授权运营管理办法") || !strings.Contains(body, "（一）政务数据") {
		t.Errorf("imported document page: %d", code)
	}
	// The snapshot was rebuilt: search and the library see it.
	if _, b := ed.Get("/search?q=授权运营+政务数据"); !strings.Contains(b, "某某省公共数据授权运营管理办法") {
		t.Error("search does not find the imported document")
	}
	// The token is single use.
	if code, _, _ := ed.PostCSRF("/admin/upload/commit", url.Values{"token": {m[1]}}); code != http.StatusBadRequest {
		t.Errorf("second commit: %d", code)
	}
	admin := env.Client(t)
	admin.Login("admin1", account.RoleAdmin)
	if _, b := admin.Get("/admin/audit"); !strings.Contains(b, "document.import") || !strings.Contains(b, "editor1") {
		t.Error("import not in the audit log")
	}
}

func TestEditWithdrawRestore(t *testing.T) {
	env := webtest.NewEnv(t, webtest.Versions(), nil, nil)
	ed := env.Client(t)
	ed.Login("editor1", account.RoleEditor)
	form := url.Values{"title": {"广东省数据出境安全评估工作指引（修订）"}, "issue_date": {"2023-03-02"}, "status": {"现行有效"},
		"level": {"规范性文件"}, "region": {"广东"}, "issuers": {"广东省委网信办、广东省政务服务数据管理局"}, "tags": {"数据出境"}}
	if code, b, _ := ed.PostCSRF("/admin/documents/vgd/edit", form); code != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", code, b)
	}
	_, body := ed.Get("/documents/vgd")
	for _, want := range []string{"广东省数据出境安全评估工作指引（修订）", "2023-03-02", "广东省委网信办、广东省政务服务数据管理局", "手工修改"} {
		if !strings.Contains(body, want) {
			t.Errorf("edited page lacks %q", want)
		}
	}
	bad := url.Values{"title": {"x"}, "issue_date": {"2023-13-45"}}
	if code, _, _ := ed.PostCSRF("/admin/documents/vgd/edit", bad); code != http.StatusBadRequest {
		t.Errorf("invalid date accepted: %d", code)
	}
	if code, _, _ := ed.PostCSRF("/admin/documents/vgd/withdraw", url.Values{"reason": {"重复"}}); code != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", code)
	}
	if code, _ := ed.Get("/documents/vgd"); code != http.StatusNotFound {
		t.Errorf("withdrawn document still served: %d", code)
	}
	if _, b := ed.Get("/search?q=数据出境"); strings.Contains(b, "广东省数据出境安全评估工作指引") {
		t.Error("withdrawn document still in search")
	}
	if _, b := ed.Get("/admin"); !strings.Contains(b, "已撤下的文档") {
		t.Error("withdrawn list missing")
	}
	if code, _, _ := ed.PostCSRF("/admin/documents/vgd/withdraw", url.Values{"restore": {"1"}}); code != http.StatusSeeOther {
		t.Fatalf("restore: %d", code)
	}
	if code, _ := ed.Get("/documents/vgd"); code != 200 {
		t.Errorf("restored document: %d", code)
	}
	entries, _ := env.Acc.AuditLog(context.Background(), 10)
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, ","); got != "document.restore,document.withdraw,document.edit" {
		t.Errorf("audit actions = %s", got)
	}
}

func TestRoleManagement(t *testing.T) {
	env := webtest.NewEnv(t, webtest.Versions(), nil, nil)
	admin := env.Client(t)
	admin.Login("admin1", account.RoleAdmin)
	m := env.Client(t)
	m.Login("member1", account.RoleMember)
	if code, _ := m.Get("/admin"); code != http.StatusForbidden {
		t.Fatalf("member at /admin: %d", code)
	}
	if code, _, _ := admin.PostCSRF("/admin/users/member1/role", url.Values{"role": {"editor"}}); code != http.StatusSeeOther {
		t.Fatalf("set role: %d", code)
	}
	if code, _ := m.Get("/admin"); code != 200 {
		t.Errorf("promoted member at /admin: %d", code)
	}
	if code, _, _ := admin.PostCSRF("/admin/users/admin1/role", url.Values{"role": {"member"}}); code != http.StatusBadRequest {
		t.Errorf("admin demoted themself: %d", code)
	}
	if code, _, _ := admin.PostCSRF("/admin/users/member1/role", url.Values{"role": {"root"}}); code != http.StatusBadRequest {
		t.Errorf("invalid role: %d", code)
	}
}

func TestRegisterSaveAndPassword(t *testing.T) {
	env := webtest.NewEnv(t, webtest.Versions(), nil, nil)
	c := env.Client(t)
	code, _, resp := c.PostCSRF("/register", url.Values{"username": {"张三丰"}, "password": {"a long password"}, "password2": {"a long password"}})
	if code != http.StatusSeeOther {
		t.Fatalf("register: %d", code)
	}
	if _, b := c.Get(resp.Header.Get("Location")); !strings.Contains(b, "张三丰") || !strings.Contains(b, "会员") {
		t.Error("not logged in after registering")
	}
	if code, _, _ := c.PostCSRF("/register", url.Values{"username": {"张三丰"}, "password": {"a long password"}, "password2": {"a long password"}}); code != http.StatusBadRequest {
		t.Errorf("duplicate username: %d", code)
	}
	// Favourites are the workspace module's (internal/web/workspace).
	if code, _, _ := c.PostCSRF("/account/password", url.Values{"current": {"a long password"}, "password": {"another long one"}, "password2": {"another long one"}}); code != http.StatusSeeOther {
		t.Fatalf("password change: %d", code)
	}
	if _, err := env.Acc.Authenticate(context.Background(), "张三丰", "another long one"); err != nil {
		t.Errorf("new password rejected: %v", err)
	}
	if code, _ := c.Get("/account"); code != 200 {
		t.Errorf("logged out by own password change: %d", code)
	}
}

func TestAskAPI(t *testing.T) {
	env := webtest.NewEnv(t, webtest.Versions(), nil, nil)
	post := func(body, accept string) (int, string) {
		req, _ := http.NewRequest("POST", env.TS.URL+"/api/v1/ask", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		code, b, _ := env.Client(t).Do(req)
		return code, b
	}
	// Built-in fallback: lists provisions, says the answerer is not enabled.
	code, body := post(`{"question":"向境外提供重要数据需要申报数据出境安全评估吗"}`, "")
	var ans struct {
		Answer    string `json:"answer"`
		Answerer  string `json:"answerer"`
		Citations []struct {
			ProvisionID string `json:"provision_id"`
		} `json:"citations"`
	}
	if code != 200 || json.Unmarshal([]byte(body), &ans) != nil || ans.Answerer != "search-only" || len(ans.Citations) == 0 {
		t.Fatalf("fallback ask: %d %s", code, body)
	}
	for _, bad := range []string{`{"question":""}`, `not json`, `{"question":"` + strings.Repeat("问", 1001) + `"}`} {
		if code, _ := post(bad, ""); code != http.StatusBadRequest {
			t.Errorf("ask %.20q: %d, want 400", bad, code)
		}
	}
}

func TestAskWithAnswerer(t *testing.T) {
	env := webtest.NewEnv(t, webtest.Versions(), func(c *web.Config) {
		c.NewAnswerer = func(cat *library.Catalog, ix *search.Index) *answer.Answerer {
			return answer.New(answer.Config{Retrieve: answer.FromSearch(ix, cat), Catalog: cat, History: answer.NewHistory(c.Store.DB())})
		}
	}, nil)
	c := env.Client(t)
	c.Login("member1", account.RoleMember)
	ask := func(body string) (int, string) {
		req, _ := http.NewRequest("POST", env.TS.URL+"/api/v1/ask", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "text/event-stream")
		req.Header.Set("X-CSRF-Token", c.CSRF())
		code, b, _ := c.Do(req)
		return code, b
	}
	code, body := ask(`{"question":"关键信息基础设施的运营者的重要数据出境需要安全评估吗？"}`)
	if code != 200 {
		t.Fatalf("ask: %d %s", code, body)
	}
	for _, want := range []string{"event: sources\n", "event: done\ndata: {", `"answerer":"extractive"`, `"conversation_id":"`} {
		if !strings.Contains(body, want) {
			t.Errorf("stream lacks %q:\n%s", want, body)
		}
	}
	if !strings.Contains(body, "vdsl.c1.a31") {
		t.Errorf("answer does not cite 数据安全法 第三十一条:\n%s", body)
	}
	// The conversation is kept for the member and listed on the page.
	if _, page := c.Get("/ask"); !strings.Contains(page, "关键信息基础设施的运营者") {
		t.Error("conversation not listed on the ask page")
	}
}

func TestMetricsAndHealth(t *testing.T) {
	env := webtest.NewEnv(t, webtest.Versions(), nil, nil)
	c := env.Client(t)
	for _, p := range []string{"/livez", "/readyz", "/healthz"} {
		if code, body := c.Get(p); code != http.StatusOK || !strings.Contains(body, `"ok"`) {
			t.Errorf("%s: %d %s", p, code, body)
		}
	}
	c.Get("/documents/vdsl")
	// Public /metrics: not there without the ops token (none configured
	// here), and the handler for the ops address serves them.
	if code, _ := c.Get("/metrics"); code != http.StatusNotFound {
		t.Errorf("public /metrics without token: %d, want 404", code)
	}
	rec := httptest.NewRecorder()
	env.Srv.MetricsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	code, body := rec.Code, rec.Body.String()
	if code != 200 || !strings.Contains(body, `datalex_http_requests_total{code="200",method="GET",route="GET /documents/{id}"} 1`) {
		t.Errorf("metrics: %d\n%s", code, body)
	}
	for _, m := range []string{"go_goroutines ", "go_memstats_heap_inuse_bytes ", "process_resident_memory_bytes "} {
		if !strings.Contains(body, "\n"+m) {
			t.Errorf("runtime metric %q missing", m)
		}
	}
	if !strings.Contains(body, "datalex_http_request_duration_seconds_bucket") {
		t.Error("latency histogram missing")
	}
	// With a token configured, the public address answers only the bearer.
	env.Srv.SetOpsToken("s3cret-ops-token")
	req, _ := http.NewRequest("GET", env.TS.URL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer wrong")
	if code, _, _ := c.Do(req); code != http.StatusNotFound {
		t.Errorf("wrong token: %d", code)
	}
	req.Header.Set("Authorization", "Bearer s3cret-ops-token")
	if code, body, _ := c.Do(req); code != 200 || !strings.Contains(body, "datalex_http_requests_total") {
		t.Errorf("right token: %d", code)
	}
	// Readiness follows the database; liveness does not.
	env.St.DB().Close()
	if code, _ := c.Get("/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the database closed: %d", code)
	}
	if code, _ := c.Get("/livez"); code != http.StatusOK {
		t.Errorf("/livez with the database closed: %d", code)
	}
}
