package web

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"datalex/internal/account"
)

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	static := http.FileServerFS(s.static)
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(static)))
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/static/favicon.svg", http.StatusMovedPermanently)
	})
	// Liveness says the process serves HTTP (restart it if not); readiness
	// says it can answer requests (database reachable, library loaded), so a
	// load balancer sends traffic only to ready nodes. /healthz is readiness,
	// kept for existing probes.
	mux.HandleFunc("GET /livez", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", s.healthz)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /metrics", s.publicMetrics)

	mux.HandleFunc("GET /{$}", s.require("", s.home))
	mux.HandleFunc("GET /library", s.require("", s.browse))
	mux.HandleFunc("GET /documents/{id}", s.require("", s.document))
	mux.HandleFunc("GET /documents/{id}/diff", s.require("", s.diffPage))
	mux.HandleFunc("GET /provisions/{id}", s.require("", s.provisionRedirect))
	mux.HandleFunc("GET /search", s.require("", s.gated(s.searchPage)))
	mux.HandleFunc("GET /ask", s.require("", s.askPage))
	mux.HandleFunc("GET /soon/{module}", s.require("", s.soon))
	s.researchRoutes(mux)

	mux.HandleFunc("GET /login", s.require("", s.loginPage))
	mux.HandleFunc("POST /login", s.require("", s.login))
	mux.HandleFunc("POST /logout", s.require("", s.logout))
	mux.HandleFunc("GET /register", s.require("", s.registerPage))
	mux.HandleFunc("POST /register", s.require("", s.register))
	mux.HandleFunc("GET /account", s.require(account.RoleMember, s.accountPage))
	mux.HandleFunc("POST /account/password", s.require(account.RoleMember, s.changePassword))

	mux.HandleFunc("GET /admin", s.require(account.RoleEditor, s.adminHome))
	mux.HandleFunc("GET /admin/upload", s.require(account.RoleEditor, s.uploadPage))
	mux.HandleFunc("POST /admin/upload", s.require(account.RoleEditor, s.uploadPreview))
	mux.HandleFunc("POST /admin/upload/commit", s.require(account.RoleEditor, s.uploadCommit))
	mux.HandleFunc("GET /admin/documents/{id}/edit", s.require(account.RoleEditor, s.editPage))
	mux.HandleFunc("POST /admin/documents/{id}/edit", s.require(account.RoleEditor, s.editSave))
	mux.HandleFunc("POST /admin/documents/{id}/withdraw", s.require(account.RoleEditor, s.withdraw))
	mux.HandleFunc("GET /admin/users", s.require(account.RoleAdmin, s.usersPage))
	mux.HandleFunc("POST /admin/users/{username}/role", s.require(account.RoleAdmin, s.setRole))
	mux.HandleFunc("GET /admin/audit", s.require(account.RoleAdmin, s.auditPage))

	mux.HandleFunc("GET /api/v1/search", s.gated(s.apiSearch))
	mux.HandleFunc("GET /api/v1/documents/{id}", s.apiDocument)
	mux.HandleFunc("GET /api/v1/documents/{id}/diff", s.apiDiff)
	mux.HandleFunc("POST /api/v1/ask", s.apiAsk)
	mux.HandleFunc("GET /api/openapi.json", s.openAPI)
	mux.Handle("/mcp", s.mcpHandler())

	mux.HandleFunc("/", s.require("", s.notFound))
	s.mux = mux
	return s.observe(s.limitQuery(s.limitBody(s.withUser(mux))))
}

// notFound answers what no route serves: 405 with the allowed methods
// when the path exists for another method (the catch-all pattern would
// otherwise hide that), 404 otherwise; both as Chinese pages.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 && r.Method != http.MethodHead {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		s.fail(w, r, http.StatusMethodNotAllowed, "该地址不支持 "+r.Method+" 请求（支持："+strings.Join(allow, "、")+"）。")
		return
	}
	s.fail(w, r, http.StatusNotFound, "页面不存在。")
}

// Query limits: no page or API needs a longer query, and checking here,
// before any handler runs, keeps a 100k-character query from costing
// segmentation and ranking work for an anonymous client.
const (
	maxQueryBytes = 32 << 10 // the whole query string (1,000 CJK runes escaped are ~9 KB)
	maxParamRunes = 1000     // any one parameter value (search terms, filters …)
)

func (s *Server) limitQuery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.URL.RawQuery) > maxQueryBytes {
			s.fail(w, r, http.StatusRequestURITooLong, fmt.Sprintf("查询过长（查询字符串最多 %d 字节）。", maxQueryBytes))
			return
		}
		for name, vals := range r.URL.Query() {
			for _, v := range vals {
				if utf8.RuneCountInString(v) > maxParamRunes {
					s.fail(w, r, http.StatusBadRequest, fmt.Sprintf("参数 %s 过长（最多 %d 个字）。", name, maxParamRunes))
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody caps request bodies: uploads may carry a document, everything
// else is a small form or JSON object.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(1 << 20)
		if r.URL.Path == "/admin/upload" || r.URL.Path == "/community/threads" || strings.HasSuffix(r.URL.Path, "/attachments") {
			limit = s.cfg.MaxUpload + 1<<20
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".css") || strings.HasSuffix(r.URL.Path, ".js") {
			w.Header().Set("Cache-Control", "public, max-age=3600")
		}
		h.ServeHTTP(w, r)
	})
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	snap := s.library()
	if snap == nil || snap.cat == nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "starting", "error": "资料库尚未加载"})
		return
	}
	if err := s.cfg.Store.DB().PingContext(r.Context()); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "error", "error": "数据库不可用"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "versions": len(snap.cat.Versions), "works": len(snap.cat.Works),
		"library_loaded_at": snap.builtAt.UTC().Format("2006-01-02T15:04:05Z")})
}

// MetricsHandler serves the Prometheus metrics without any check: mount it
// only on the operators' listen address (serve --ops-addr).
func (s *Server) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(s.cfg.Registry, promhttp.HandlerOpts{})
}

// publicMetrics serves /metrics on the public address only to a caller with
// the ops token (Authorization: Bearer …); without a configured token it
// does not exist there. Metrics reveal traffic and internals.
func (s *Server) publicMetrics(w http.ResponseWriter, r *http.Request) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if s.cfg.OpsToken == "" || !ok || subtle.ConstantTimeCompare([]byte(tok), []byte(s.cfg.OpsToken)) != 1 {
		s.fail(w, r, http.StatusNotFound, "页面不存在。")
		return
	}
	s.MetricsHandler().ServeHTTP(w, r)
}
