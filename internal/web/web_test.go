package web_test

import (
	"datalex/internal/web"
	"datalex/internal/web/webtest"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"datalex/internal/account"
)

func TestPagesRender(t *testing.T) {
	env := webtest.NewEnv(t, webtest.Versions(), nil, nil)
	c := env.Client(t)
	for _, tc := range []struct {
		path string
		code int
		want []string
	}{
		{"/", 200, []string{"数据资产法规与政策", "合规查询", "智能问答", "入表指南", "即将上线", "中华人民共和国数据安全法"}},
		{"/library", 200, []string{"效力级别", "地域", "时效性", "广东"}},
		{"/library?region=广东", 200, []string{"广东省数据出境安全评估工作指引", "共 1 部文件"}},
		{"/documents/vdsl", 200, []string{"主席令第八十四号", "id=\"p-vdsl.c1.a21\"", "复制引用", "001_test.txt 第 10–120 行", "被以下文件引用", "广东省数据出境安全评估工作指引"}},
		{"/documents/wdsl", 200, []string{"中华人民共和国数据安全法"}},
		{"/documents/vbjd", 200, []string{"征求意见稿</strong>", "正式文本见", "新旧对照"}},
		{"/documents/vcat", 200, []string{"全文未收录</strong>"}},
		{"/documents/vocr", 200, []string{"文本质量提示", "OCR"}},
		{"/documents/vbjf/diff?a=vbjd&b=vbjf", 200, []string{"<del>", "<ins>", "op-same", "op-changed"}},
		{"/search?q=数据出境+安全评估", 200, []string{"<mark>数据出境</mark>", "数据安全法 第三十一条", "地域"}},
		{"/search?q=数据出境&region=广东", 200, []string{"广东省数据出境安全评估工作指引"}},
		{"/ask", 200, []string{"智能问答", "ask-form"}},
		{"/soon/news", 200, []string{"即将上线"}},
		{"/documents/nope", 404, []string{"未找到"}},
		{"/nope", 404, []string{"页面不存在"}},
		{"/healthz", 200, []string{`"status":"ok"`}},
		{"/api/openapi.json", 200, []string{`"openapi": "3.1.0"`}},
		{"/api/v1/documents/vdsl", 200, []string{`"provisions"`, `"第二十一条"`, `"cited_by"`}},
		{"/api/v1/search?q=数据出境", 200, []string{`{"query":"数据出境","hits":[{"provision_id":`, `"label":"第三十一条"`}},
		{"/api/v1/search?q=数据出境&full=1&region=广东", 200, []string{`"facets"`, `"documents"`, `广东省数据出境安全评估工作指引`}},
		{"/api/v1/search?q=" + url.QueryEscape("，。！"), 400, []string{`"error"`}},
		{"/search?q=" + url.QueryEscape("数据安全法第二十一条"), 200, []string{"数据安全法 第二十一条"}},
		{"/api/v1/search", 400, []string{"缺少查询参数"}},
	} {
		code, body := c.Get(tc.path)
		if code != tc.code {
			t.Errorf("GET %s: status %d, want %d", tc.path, code, tc.code)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s: body lacks %q", tc.path, w)
			}
		}
	}
}

func TestDiffVersions(t *testing.T) {
	vs := webtest.Versions()
	rows, st := web.DiffVersions(vs[2], vs[3])
	// 第三条 was rewritten from scratch: pairing is by content, so the old
	// one is removed and the new one added rather than "changed".
	if st.Same != 1 || st.Changed != 1 || st.Added != 1 || st.Removed != 1 || rows[2].Op != "removed" || rows[3].Op != "added" {
		t.Fatalf("stats = %+v, rows = %+v", st, rows)
	}
	// 第二条 changed from 本市 to 北京市: only the differing characters are marked.
	if got := string(rows[1].Old); !strings.Contains(got, "<del>本</del>") {
		t.Errorf("old side = %s", got)
	}
	if got := string(rows[1].New); !strings.Contains(got, "<ins>北京</ins>") {
		t.Errorf("new side = %s", got)
	}
	o, n := web.CharDiff(`<a>x`, `<a>y`)
	if strings.Contains(string(o)+string(n), "<a>") {
		t.Errorf("charDiff does not escape: %s %s", o, n)
	}
}

// TestOpenAPIDescribesAPI checks that the hand-written OpenAPI document
// parses, resolves its references and lists every JSON route.
func TestOpenAPIDescribesAPI(t *testing.T) {
	var doc struct {
		OpenAPI    string                    `json:"openapi"`
		Paths      map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(web.OpenAPIDoc, &doc); err != nil {
		t.Fatal(err)
	}
	for path, method := range map[string]string{"/api/v1/search": "get", "/api/v1/documents/{id}": "get", "/api/v1/ask": "post", "/healthz": "get"} {
		if doc.Paths[path][method] == nil {
			t.Errorf("%s %s not described", method, path)
		}
	}
	for _, m := range regexp.MustCompile(`#/components/schemas/(\w+)`).FindAllStringSubmatch(string(web.OpenAPIDoc), -1) {
		if doc.Components.Schemas[m[1]] == nil {
			t.Errorf("unresolved reference %s", m[0])
		}
	}
}

func TestModuleMount(t *testing.T) {
	env := webtest.NewEnv(t, webtest.Versions(), nil, nil)
	env.Srv.Handle("GET /community", "", func(w http.ResponseWriter, r *http.Request) {
		env.Srv.RenderPage(w, r, http.StatusOK, "对话", "community", template.HTML("<h1>对话</h1>"))
	})
	env.Srv.Handle("POST /community/posts", account.RoleMember, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("posted by " + web.CurrentUser(r).Username))
	})
	c := env.Client(t)
	if code, body := c.Get("/community"); code != 200 || !strings.Contains(body, "<h1>对话</h1>") || !strings.Contains(body, "DataLex") {
		t.Errorf("module page: %d", code)
	}
	if code, _, _ := c.PostCSRF("/community/posts", nil); code != http.StatusUnauthorized {
		t.Errorf("visitor post: %d", code)
	}
	c.Login("member1", account.RoleMember)
	if code, _, _ := c.Post("/community/posts", nil); code != http.StatusForbidden {
		t.Errorf("post without CSRF: %d", code)
	}
	if code, body, _ := c.PostCSRF("/community/posts", nil); code != 200 || body != "posted by member1" {
		t.Errorf("member post: %d %s", code, body)
	}
}

// TestErrorPagesChinese: unknown pages, wrong methods and handler panics
// get the site's error page with a Chinese title (JSON under /api/).
func TestErrorPagesChinese(t *testing.T) {
	env := webtest.NewEnv(t, webtest.Versions(), nil, func(srv *web.Server) error {
		srv.Handle("GET /test/panic", "", func(http.ResponseWriter, *http.Request) { panic("test panic") })
		return nil
	})
	c := env.Client(t)
	for _, tc := range []struct {
		method, path string
		code         int
		want, allow  string
	}{
		{"GET", "/no/such/page", 404, "<title>页面不存在 · ", ""},
		{"GET", "/admin/upload/commit", 405, "<title>请求方法不被允许 · ", "POST"},
		{"GET", "/logout", 405, "该地址不支持 GET 请求", "POST"},
		{"GET", "/test/panic", 500, "<title>服务器错误 · ", ""},
		{"GET", "/api/v1/nothing", 404, `{"error":"页面不存在。"}`, ""},
	} {
		req, _ := http.NewRequest(tc.method, env.TS.URL+tc.path, nil)
		code, body, resp := c.Do(req)
		if code != tc.code || !strings.Contains(body, tc.want) {
			t.Errorf("%s %s: %d, want %d with %q\n%.300s", tc.method, tc.path, code, tc.code, tc.want, body)
		}
		if got := resp.Header.Get("Allow"); !strings.Contains(got, tc.allow) || (tc.allow == "" && got != "") {
			t.Errorf("%s %s: Allow %q, want %q", tc.method, tc.path, got, tc.allow)
		}
	}
}
