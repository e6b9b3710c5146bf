package web

import (
	"context"
	"database/sql"
	"html/template"
	"log/slog"
	"net/http"

	"datalex/internal/account"
	"datalex/internal/library"
)

// The platform's other modules (入表指南, 头条, 盛会, 对话) are served by
// their own packages; these few methods let them live inside this site:
// same sessions, CSRF protection, role checks, metrics and layout.

// Handle mounts a module's handler. role is "" for everyone or the least
// account role (account.RoleMember …); state-changing methods must carry
// the CSRF token (CSRFToken) in the "csrf" form field or the X-CSRF-Token
// header. Call it before serving.
func (s *Server) Handle(pattern, role string, h http.HandlerFunc) {
	s.mux.HandleFunc(pattern, s.require(role, h))
}

// RenderPage writes body (HTML the module built and escaped, e.g. with
// html/template) inside the site layout; active is the nav key.
func (s *Server) RenderPage(w http.ResponseWriter, r *http.Request, code int, title, active string, body template.HTML) {
	s.render(w, r, code, "page", &view{Title: title, Active: active, D: body})
}

// CurrentUser returns the logged-in user of a request, or nil.
func CurrentUser(r *http.Request) *account.User { return currentUser(r) }

// CSRFToken is the token a module's forms must send back.
func (s *Server) CSRFToken(r *http.Request) string { return s.csrfToken(r) }

// The methods below are the rest of the small API the module packages
// under internal/web/ (ruzhang, …) build on, so that each owns its
// handlers and templates while sharing the layout, sessions, CSRF and the
// library snapshot kept here.

// HandleAPI mounts a JSON endpoint open to cookie-less clients; it must
// check CSRF itself (ValidCSRF) when the request carries a session.
func (s *Server) HandleAPI(pattern string, h http.HandlerFunc) { s.mux.HandleFunc(pattern, h) }

// Fail writes the site's error page with a Chinese message.
func (s *Server) Fail(w http.ResponseWriter, r *http.Request, code int, msg string) {
	s.fail(w, r, code, msg)
}

// ValidCSRF reports whether a state-changing request carries the token.
func (s *Server) ValidCSRF(r *http.Request) bool { return s.validCSRF(r) }

// Logger is the server's structured logger.
func (s *Server) Logger() *slog.Logger { return s.log }

// DB is the server's database.
func (s *Server) DB() *sql.DB { return s.cfg.Store.DB() }

// Catalog is the current library snapshot's catalog; it changes (a new
// pointer) whenever the library is reloaded.
func (s *Server) Catalog() *library.Catalog { return s.library().cat }

// Ask answers a question with the current answerer (or the search-only
// fallback), streaming events as POST /api/v1/ask does; the question is
// not stored in any user's history.
func (s *Server) Ask(ctx context.Context, question string, emit func(event string, data any) error) error {
	snap := s.library()
	ask := s.fallbackAsk
	if snap.answer != nil {
		ask = answererAsk(snap.answer)
	}
	return ask(ctx, AskRequest{Question: question}, "", emit)
}

// MaxQuestion is the longest question (in runes) the answerer accepts.
const MaxQuestion = maxQuestion

// Funcs are the template functions the site's templates use.
func Funcs() template.FuncMap { return funcs }

// WriteJSON writes v as a JSON response.
func WriteJSON(w http.ResponseWriter, code int, v any) { writeJSON(w, code, v) }

// Accounts is the server's account service (tests and the composition
// root create users through it).
func (s *Server) Accounts() *account.Service { return s.acc }
