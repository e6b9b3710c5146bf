package web

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
