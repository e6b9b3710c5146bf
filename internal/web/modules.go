package web

import (
	"html/template"
	"net/http"

	"datalex/internal/account"
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
