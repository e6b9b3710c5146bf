package web_test

import (
	"bytes"
	"context"
	"datalex/internal/web"
	"datalex/internal/web/webtest"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"datalex/internal/account"
)

// TestAuthorizationMatrix checks every protected route for every role:
// visitors are sent to the login page (GET) or refused with 401, users
// without the role get 403, and users with it get the route's own answer.
func TestAuthorizationMatrix(t *testing.T) {
	env := webtest.NewEnv(t, webtest.Versions(), nil, nil)
	clients := map[string]*webtest.Client{"": env.Client(t)}
	for _, role := range account.Roles {
		c := env.Client(t)
		c.Login("user_"+role, role)
		clients[role] = c
	}
	routes := []struct {
		method, path string
		need         string // least role
		ok           int    // status for a user with the role
		form         url.Values
	}{
		{"GET", "/account", account.RoleMember, 200, nil},
		{"POST", "/account/password", account.RoleMember, 400, url.Values{"current": {"wrong password!"}}},
		{"GET", "/admin", account.RoleEditor, 200, nil},
		{"GET", "/admin/upload", account.RoleEditor, 200, nil},
		{"POST", "/admin/upload", account.RoleEditor, 400, url.Values{}},
		{"POST", "/admin/upload/commit", account.RoleEditor, 400, url.Values{"token": {"none"}}},
		{"GET", "/admin/documents/vdsl/edit", account.RoleEditor, 200, nil},
		{"POST", "/admin/documents/vnone/edit", account.RoleEditor, 404, url.Values{}},
		{"POST", "/admin/documents/vnone/withdraw", account.RoleEditor, 404, url.Values{}},
		{"GET", "/admin/users", account.RoleAdmin, 200, nil},
		{"POST", "/admin/users/nobody/role", account.RoleAdmin, 404, url.Values{"role": {"editor"}}},
		{"GET", "/admin/audit", account.RoleAdmin, 200, nil},
	}
	rank := map[string]int{"": 0, account.RoleMember: 1, account.RoleEditor: 2, account.RoleAdmin: 3}
	for _, rt := range routes {
		for _, role := range []string{"", account.RoleMember, account.RoleEditor, account.RoleAdmin} {
			c := clients[role]
			var code int
			if rt.method == "GET" {
				code, _ = c.Get(rt.path)
			} else {
				form := url.Values{}
				for k, v := range rt.form {
					form[k] = v
				}
				code, _, _ = c.PostCSRF(rt.path, form)
			}
			want := rt.ok
			switch {
			case rank[role] >= rank[rt.need]:
			case role == "" && rt.method == "GET":
				want = http.StatusSeeOther
			case role == "":
				want = http.StatusUnauthorized
			default:
				want = http.StatusForbidden
			}
			if code != want {
				t.Errorf("%s %s as %q: status %d, want %d", rt.method, rt.path, account.RoleName(role), code, want)
			}
		}
	}
}

func TestCSRFRejected(t *testing.T) {
	env := webtest.NewEnv(t, webtest.Versions(), nil, nil)
	editor := env.Client(t)
	anonToken := editor.CSRF() // issued before login
	editor.Login("editor1", account.RoleEditor)
	other := env.Client(t)
	other.Login("editor2", account.RoleEditor)
	otherToken := other.CSRF()

	for name, tok := range map[string]string{"missing": "", "forged": "abc.def", "other session": otherToken, "pre-login": anonToken} {
		code, _, _ := editor.Post("/admin/documents/vgd/withdraw", url.Values{"csrf": {tok}, "reason": {"x"}})
		if code != http.StatusForbidden {
			t.Errorf("%s token: status %d, want 403", name, code)
		}
	}
	if code, _ := editor.Get("/documents/vgd"); code != 200 {
		t.Fatalf("document was withdrawn by a forged request (status %d)", code)
	}
	// Anonymous forms are protected too (login CSRF).
	anon := env.Client(t)
	if code, _, _ := anon.Post("/login", url.Values{"username": {"editor1"}, "password": {"correct horse battery"}}); code != http.StatusForbidden {
		t.Errorf("login without token: status %d, want 403", code)
	}
	// JSON from the UI: a logged-in browser must send the header.
	req, _ := http.NewRequest("POST", env.TS.URL+"/api/v1/ask", strings.NewReader(`{"question":"数据出境安全评估"}`))
	req.Header.Set("Content-Type", "application/json")
	if code, _, _ := editor.Do(req); code != http.StatusForbidden {
		t.Errorf("ask with session and no CSRF header: status %d, want 403", code)
	}
	req, _ = http.NewRequest("POST", env.TS.URL+"/api/v1/ask", strings.NewReader(`{"question":"数据出境安全评估"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", editor.CSRF())
	if code, body, _ := editor.Do(req); code != http.StatusOK {
		t.Errorf("ask with CSRF header: status %d %s", code, body)
	}
	// A cross-site form post cannot send JSON.
	req, _ = http.NewRequest("POST", env.TS.URL+"/api/v1/ask", strings.NewReader(`question=x`))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if code, _, _ := anon.Do(req); code != http.StatusUnsupportedMediaType {
		t.Errorf("form-encoded ask: status %d, want 415", code)
	}
}

func TestXSSRenderedInert(t *testing.T) {
	env := webtest.NewEnv(t, webtest.Versions(), nil, nil)
	c := env.Client(t)
	for _, p := range []string{"/", "/library", "/documents/vxss", "/search?q=数据", "/search?q=" + url.QueryEscape(`<script>alert(1)</script>`),
		"/search?q=" + url.QueryEscape(`"><script>alert(1)</script>`), "/api/v1/documents/vxss", "/api/v1/search?q=" + url.QueryEscape("<b onmouseover=alert(3)>数据"),
		"/login?next=" + url.QueryEscape(`"><script>alert(1)</script>`), "/library?region=" + url.QueryEscape(`<img src=x onerror=alert(1)>`)} {
		code, body := c.Get(p)
		if code >= 500 {
			t.Errorf("GET %s: %d", p, code)
		}
		webtest.AssertInert(t, p, body)
	}
	if _, body := c.Get("/documents/vxss"); !strings.Contains(body, "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;") {
		t.Errorf("hostile title not shown as text")
	}
	// Usernames: hostile names are refused and echoed escaped.
	code, body, _ := c.PostCSRF("/register", url.Values{"username": {`<script>alert(1)</script>`}, "password": {"long enough password"}, "password2": {"long enough password"}})
	if code != http.StatusBadRequest {
		t.Errorf("hostile username accepted: %d", code)
	}
	webtest.AssertInert(t, "register", body)
	// Audit details typed by an editor.
	admin := env.Client(t)
	admin.Login("admin1", account.RoleAdmin)
	if code, _, _ := admin.PostCSRF("/admin/documents/vocr/withdraw", url.Values{"reason": {`<script>alert(1)</script>`}}); code != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", code)
	}
	_, body = admin.Get("/admin/audit")
	webtest.AssertInert(t, "audit", body)
	if !strings.Contains(body, "&lt;script&gt;") {
		t.Error("audit entry missing")
	}
	// Uploaded document text.
	doc := "<script>alert(1)</script>数据管理办法\n第一条 <img src=x onerror=alert(1)> 为了规范数据处理活动，制定本办法。\n第二条 本办法自发布之日起施行。\n"
	code, body = admin.PostFile("/admin/upload", nil, "evil.txt", []byte(doc))
	if code != 200 {
		t.Fatalf("upload: %d %s", code, body)
	}
	webtest.AssertInert(t, "upload preview", body)
}

// upload posts a multipart upload with a valid CSRF token.
func upload(t *testing.T, c *webtest.Client, name string, data []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.CSRF())
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.Env.TS.URL+"/admin/upload", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	code, body, _ := c.Do(req)
	return code, body
}

func TestUploadValidation(t *testing.T) {
	env := webtest.NewEnv(t, webtest.Versions(), func(c *web.Config) { c.MaxUpload = 64 << 10 }, nil)
	ed := env.Client(t)
	ed.Login("editor1", account.RoleEditor)
	text := []byte("数据资源登记管理办法\n第一条 为了规范数据资源登记，制定本办法。\n第二条 本办法自发布之日起施行。\n")
	for _, tc := range []struct {
		name string
		data []byte
		code int
		want string
	}{
		{"ok.txt", text, 200, "确认导入"},
		{"big.txt", bytes.Repeat([]byte("数据"), 40<<10), 413, "上限"},
		{"huge.txt", bytes.Repeat([]byte("数据"), 400<<10), 413, "过大"},
		{"fake.pdf", text, 415, "不是 PDF"},
		{"fake.docx", text, 415, "不是 Word"},
		{"zip.txt", []byte("PK\x03\x04\x14\x00\x00\x00word/document.xml"), 415, "不是纯文本"},
		{"prog.exe", []byte("MZ\x90\x00"), 415, "只接受"},
		{"binary.md", []byte{0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x00, 0x9f, 0x92, 0x96}, 422, "无法解析"},
		{"gif.txt", []byte("GIF89a\x01\x00\x01\x00"), 415, "不是纯文本"},
		{"empty.txt", nil, 400, "文件为空"},
		{"../../../etc/passwd.txt", text, 200, "文件 passwd.txt"},
		{`..\..\windows\evil.md`, text, 200, "文件 evil.md"},
	} {
		code, body := ed.PostFile("/admin/upload", nil, tc.name, tc.data)
		if code != tc.code || !strings.Contains(body, tc.want) {
			t.Errorf("upload %q: status %d, want %d containing %q", tc.name, code, tc.code, tc.want)
		}
	}
}

func TestCleanFileName(t *testing.T) {
	for in, want := range map[string]string{
		"../../etc/passwd":       "passwd",
		`C:\Users\a\办法.docx`:     "办法.docx",
		"..":                     "upload.txt",
		".hidden.txt":            "hidden.txt",
		"a\x00b\nc.txt":          "abc.txt",
		"/":                      "upload.txt",
		"ok 文件（2024）.md":         "ok 文件（2024）.md",
		strings.Repeat("长", 300): strings.Repeat("长", 120),
	} {
		if got := web.CleanFileName(in); got != want {
			t.Errorf("web.CleanFileName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSessionFixation(t *testing.T) {
	env := webtest.NewEnv(t, webtest.Versions(), nil, nil)
	c := env.Client(t)
	u, _ := url.Parse(env.TS.URL)
	planted := &http.Cookie{Name: web.SessionCookie, Value: "attacker-chosen-session-id", Path: "/"}
	c.HTTP.Jar.SetCookies(u, []*http.Cookie{planted})
	c.Login("member1", account.RoleMember)
	var got string
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == web.SessionCookie {
			got = ck.Value
		}
	}
	if got == "" || got == planted.Value {
		t.Fatalf("session id not rotated at login: %q", got)
	}
	// The planted id grants nothing.
	attacker := env.Client(t)
	attacker.HTTP.Jar.SetCookies(u, []*http.Cookie{planted})
	if code, _ := attacker.Get("/account"); code != http.StatusSeeOther {
		t.Errorf("planted session id is logged in: %d", code)
	}
	// A second login issues yet another id and ends the first.
	c.Login("member1", account.RoleMember)
	if usr, _ := env.Acc.SessionUser(context.Background(), got); usr != nil {
		t.Error("previous session still valid after re-login")
	}
	// Logout ends the session server-side.
	var cur string
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == web.SessionCookie {
			cur = ck.Value
		}
	}
	c.PostCSRF("/logout", nil)
	if usr, _ := env.Acc.SessionUser(context.Background(), cur); usr != nil {
		t.Error("session still valid after logout")
	}
	// Cookie attributes.
	c2 := env.Client(t)
	c2.Login("member2", account.RoleMember)
	req, _ := http.NewRequest("POST", env.TS.URL+"/login", strings.NewReader(url.Values{"csrf": {c2.CSRF()}, "username": {"member2"}, "password": {"correct horse battery"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	_, _, resp := c2.Do(req)
	var sc *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == web.SessionCookie {
			sc = ck
		}
	}
	if sc == nil || !sc.HttpOnly || sc.SameSite != http.SameSiteLaxMode {
		t.Errorf("session cookie attributes: %+v", sc)
	}
}

// clientFrom is a test client whose connections come from another loopback
// address, so per-address throttling can be tested.
func clientFrom(e *webtest.Env, t *testing.T, ip string) *webtest.Client {
	c := e.Client(t)
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	c.HTTP.Transport = &http.Transport{DialContext: d.DialContext}
	return c
}

// TestLoginThrottleNoEnumerationNoLockout: after repeated failures a real
// name and an unknown one get the same reply; the pair (name, address) is
// throttled, the owner at another address is not; the address rate limit
// still applies.
func TestLoginThrottleNoEnumerationNoLockout(t *testing.T) {
	env := webtest.NewEnv(t, webtest.Versions(), nil, nil)
	if _, err := env.Acc.Create(context.Background(), "victim", "correct horse battery", account.RoleMember); err != nil {
		t.Fatal(err)
	}
	attacker := clientFrom(env, t, "127.0.0.2")
	reply := func(name string) (int, string) {
		code, body, _ := attacker.PostCSRF("/login", url.Values{"username": {name}, "password": {"wrong password"}})
		if i := strings.Index(body, `role="alert"`); i >= 0 {
			body = body[i : i+min(200, len(body)-i)]
		}
		return code, body
	}
	for i := 0; i < account.MaxFailedLogins; i++ {
		reply("victim")
		reply("no_such_user")
	}
	codeReal, bodyReal := reply("victim")
	codeFake, bodyFake := reply("no_such_user")
	if codeReal != codeFake || bodyReal != bodyFake {
		t.Errorf("replies differ: real %d %q, unknown %d %q", codeReal, bodyReal, codeFake, bodyFake)
	}
	if codeReal != http.StatusTooManyRequests {
		t.Errorf("pair not throttled: %d", codeReal)
	}
	owner := clientFrom(env, t, "127.0.0.3")
	if code, body, _ := owner.PostCSRF("/login", url.Values{"username": {"victim"}, "password": {"correct horse battery"}}); code != http.StatusSeeOther {
		t.Errorf("owner locked out by a stranger's failures: %d %s", code, body)
	}
	// 10 attempts per minute per address.
	limited := false
	for i := 0; i < 12; i++ {
		if code, _, _ := owner.PostCSRF("/login", url.Values{"username": {"nobody"}, "password": {"x"}}); code == http.StatusTooManyRequests {
			limited = true
		}
	}
	if !limited {
		t.Error("login attempts not rate limited")
	}
}

func TestSecurityHeaders(t *testing.T) {
	env := webtest.NewEnv(t, webtest.Versions(), nil, nil)
	resp, err := http.Get(env.TS.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for h, want := range map[string]string{
		"Content-Security-Policy": "script-src 'self'",
		"X-Frame-Options":         "DENY",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "strict-origin-when-cross-origin",
	} {
		if !strings.Contains(resp.Header.Get(h), want) {
			t.Errorf("%s = %q, want %q", h, resp.Header.Get(h), want)
		}
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{"/library": "/library", "//evil.com": "/", "https://evil.com": "/", "/\\evil.com": "/", "": "/"} {
		if got := web.SafeNext(in); got != want {
			t.Errorf("web.SafeNext(%q) = %q", in, got)
		}
	}
}

func FuzzCleanFileName(f *testing.F) {
	for _, s := range []string{"../../etc/passwd", `..\..\a.docx`, "", ".", "..", "/", "a/b/c.txt", "\x00.txt", "....//x.md", "文件.pdf",
		"a." + strings.Repeat("x", 120), "." + strings.Repeat("z", 200)} { // regression: a 120-character extension crashed the cleaner
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got := web.CleanFileName(name)
		if got == "" || strings.ContainsAny(got, "/\\\x00") || strings.HasPrefix(got, ".") || got == ".." {
			t.Fatalf("web.CleanFileName(%q) = %q", name, got)
		}
	})
}

// TestQueryLengthLimit: an over-long query is refused before any handler
// runs, on pages and the API alike.
func TestQueryLengthLimit(t *testing.T) {
	env := webtest.NewEnv(t, webtest.Versions(), nil, nil)
	c := env.Client(t)
	long := strings.Repeat("数据", 600) // 1,200 runes, within the byte limit
	tests := []struct {
		path string
		code int
	}{
		{"/search?q=" + url.QueryEscape(long), http.StatusBadRequest},
		{"/api/v1/search?q=" + url.QueryEscape(long), http.StatusBadRequest},
		{"/library?q=" + url.QueryEscape(strings.Repeat("a", 100_000)), http.StatusRequestURITooLong},
		{"/search?q=" + url.QueryEscape(strings.Repeat("数据", 400)), http.StatusOK},
	}
	for _, tt := range tests {
		code, body := c.Get(tt.path)
		if code != tt.code {
			t.Errorf("%.40s…: %d, want %d", tt.path, code, tt.code)
		}
		if tt.code != http.StatusOK && !strings.Contains(body, "过长") {
			t.Errorf("%.40s…: no clear message", tt.path)
		}
	}
}
