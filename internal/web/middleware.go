package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"datalex/internal/account"
)

type metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "datalex_http_requests_total", Help: "HTTP requests by route, method and status code.",
		}, []string{"route", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "datalex_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 10},
		}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.latency)
	return m
}

// statusWriter records the status code for logs and metrics. It keeps
// http.Flusher working for Server-Sent Events.
type statusWriter struct {
	http.ResponseWriter
	code  int
	bytes int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// contentSecurityPolicy forbids inline script and style: all JavaScript and
// CSS come from /static.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// observe wraps the mux with panic recovery, security headers, logs and
// metrics.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.cfg.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		defer func() {
			if rec := recover(); rec != nil {
				if rec == http.ErrAbortHandler {
					panic(rec)
				}
				s.log.Error("处理请求时发生 panic", "path", r.URL.Path, "panic", rec)
				if sw.code == 0 {
					s.fail(sw, r, http.StatusInternalServerError, "服务器内部错误，请稍后再试。")
				}
			}
			// The mux records the pattern on its own copy of the request;
			// ask it again for a bounded label set.
			_, route := s.mux.Handler(r)
			if route == "" {
				route = "unmatched"
			}
			code := sw.code
			if code == 0 {
				code = http.StatusOK
			}
			d := time.Since(start)
			s.metrics.requests.WithLabelValues(route, r.Method, strconv.Itoa(code)).Inc()
			s.metrics.latency.WithLabelValues(route).Observe(d.Seconds())
			level := s.log.Debug
			if code >= 500 {
				level = s.log.Error
			} else if r.URL.Path != "/healthz" && r.URL.Path != "/metrics" {
				level = s.log.Info
			}
			level("http", "method", r.Method, "path", r.URL.Path, "route", route, "status", code,
				"bytes", sw.bytes, "duration_ms", float64(d.Microseconds())/1000)
		}()
		next.ServeHTTP(sw, r)
	})
}

const (
	sessionCookie = "dl_session"
	csrfCookie    = "dl_csrf"
)

type ctxKey int

const (
	userKey ctxKey = iota
	csrfNonceKey
)

// withUser loads the session's user into the request context and makes
// sure every browser has a CSRF nonce cookie.
func (s *Server) withUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if c, err := r.Cookie(sessionCookie); err == nil && s.acc != nil {
			u, err := s.acc.SessionUser(ctx, c.Value)
			if err != nil {
				s.log.Error("读取会话失败", "err", err)
			}
			if u != nil {
				ctx = context.WithValue(ctx, userKey, u)
			} else {
				s.clearCookie(w, sessionCookie)
			}
		}
		nonce := ""
		if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) == 43 {
			nonce = c.Value
		} else {
			nonce = randomToken()
			s.setCookie(w, csrfCookie, nonce, 0)
		}
		ctx = context.WithValue(ctx, csrfNonceKey, nonce)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *Server) setCookie(w http.ResponseWriter, name, value string, maxAge time.Duration) {
	c := &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode}
	if maxAge > 0 {
		c.MaxAge = int(maxAge.Seconds())
	}
	http.SetCookie(w, c)
}

func (s *Server) clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
}

func currentUser(r *http.Request) *account.User {
	u, _ := r.Context().Value(userKey).(*account.User)
	return u
}

// csrfToken is the token forms and JavaScript send back: the browser's
// nonce cookie and an HMAC binding it to the session. A forged request
// lacks the nonce (cookies are not readable cross-site) and a planted nonce
// cookie lacks the HMAC.
func (s *Server) csrfToken(r *http.Request) string {
	nonce, _ := r.Context().Value(csrfNonceKey).(string)
	return nonce + "." + s.csrfMAC(nonce, sessionOf(r))
}

func sessionOf(r *http.Request) string {
	if currentUser(r) == nil {
		return ""
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

func (s *Server) csrfMAC(nonce, session string) string {
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte(nonce + "|" + session))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// validCSRF checks the token in the X-CSRF-Token header or the csrf form
// field.
func (s *Server) validCSRF(r *http.Request) bool {
	tok := r.Header.Get("X-CSRF-Token")
	if tok == "" {
		tok = r.PostFormValue("csrf")
	}
	nonce, mac, ok := strings.Cut(tok, ".")
	c, err := r.Cookie(csrfCookie)
	if !ok || err != nil || subtle.ConstantTimeCompare([]byte(nonce), []byte(c.Value)) != 1 {
		return false
	}
	return hmac.Equal([]byte(mac), []byte(s.csrfMAC(nonce, sessionOf(r))))
}

// require wraps a handler with an authorisation check: role "" lets
// anyone in; otherwise anonymous users are sent to the login page (401 for
// the API) and users without the role get 403. State-changing methods must
// carry a valid CSRF token.
func (s *Server) require(role string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u := currentUser(r)
		if role != "" && !u.Can(role) {
			if u == nil && r.Method == http.MethodGet && !strings.HasPrefix(r.URL.Path, "/api/") {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			code := http.StatusForbidden
			if u == nil {
				code = http.StatusUnauthorized
			}
			s.fail(w, r, code, "没有权限访问此页面。"+roleHint(role))
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if err := parseForm(r); err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					s.fail(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("提交的内容过大（上限 %d MB）。", mbe.Limit>>20))
					return
				}
				s.fail(w, r, http.StatusBadRequest, "无法读取提交的表单。")
				return
			}
			if !s.validCSRF(r) {
				s.fail(w, r, http.StatusForbidden, "表单已失效或来源不可信（CSRF 校验失败），请刷新页面后重试。")
				return
			}
		}
		h(w, r)
	}
}

// parseForm reads a urlencoded or multipart body (within the limit set by
// limitBody) so that a body that is too large is told apart from a
// missing CSRF token.
func parseForm(r *http.Request) error {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return r.ParseMultipartForm(8 << 20)
	}
	return r.ParseForm()
}

func roleHint(role string) string {
	if role == "" {
		return ""
	}
	return "需要" + account.RoleName(role) + "权限。"
}
