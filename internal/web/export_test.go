package web

import "datalex/internal/library"

// Internals the external tests (package web_test) check directly.
var (
	CleanFileName = cleanFileName
	SafeNext      = safeNext
	DiffVersions  = diffVersions
	CharDiff      = charDiff
	OpenAPIDoc    = openAPIDoc
)

const SessionCookie = sessionCookie

// SetOpsToken changes the ops token of a running test server.
func (s *Server) SetOpsToken(tok string) { s.cfg.OpsToken = tok }

// MaxDocID is the id of the longest document (benchmarks).
func (s *Server) MaxDocID() string { return s.library().maxDoc.ID }

// ClearFragments empties the snapshot's fragment cache (cold benchmarks).
func (s *Server) ClearFragments() { s.library().fragments.Clear() }

// LibraryVersion is the live snapshot's version with this id, for tests that
// adjust one document's metadata after the library was loaded.
func (s *Server) LibraryVersion(id string) *library.Version { return s.library().cat.Version(id) }

// VersionCount is the number of versions in the live snapshot.
func (s *Server) VersionCount() int { return len(s.library().cat.Versions) }
