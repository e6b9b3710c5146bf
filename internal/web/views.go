package web

import (
	"net/http"

	"datalex/internal/library"
	"datalex/internal/search"
)

// What the workspace module (internal/web/workspace) needs from the core:
// a hook when a member opens a document or a provision (reading history),
// the current search index (saved searches' alerts) and links to library
// items.

// OnView registers fn, called after a signed-in user opened a document
// page (itemID is its version id) or followed a provision link (the
// provision id). Call it before serving.
func (s *Server) OnView(fn func(r *http.Request, userID, itemID string)) { s.onView = fn }

// viewed calls the OnView hook for a signed-in user.
func (s *Server) viewed(r *http.Request, itemID string) {
	if s.onView == nil {
		return
	}
	if u := currentUser(r); u != nil {
		s.onView(r, u.ID, itemID)
	}
}

// Index is the current library snapshot's search index.
func (s *Server) Index() *search.Index { return s.library().index }

// ItemLink resolves a library item id — a version (document) or a
// provision — to the version, the provision (nil for a document) and the
// URL of its page; ok is false when the item is not in the library.
func (s *Server) ItemLink(id string) (v *library.Version, p *library.Provision, u string, ok bool) {
	snap := s.library()
	cat := snap.cat
	if v, p := cat.Provision(id); p != nil {
		return v, p, snap.provisionURL(v, p), true
	}
	if v := cat.Resolve(id); v != nil {
		return v, nil, "/documents/" + v.ID, true
	}
	return nil, nil, "", false
}
