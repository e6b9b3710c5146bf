package web

import (
	"context"
	"net/url"

	"datalex/internal/library"
)

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
func (s *Server) ClearFragments() { s.library().fragments.clear() }

// LibraryVersion is the live snapshot's version with this id, for tests that
// adjust one document's metadata after the library was loaded.
func (s *Server) LibraryVersion(id string) *library.Version { return s.library().cat.Version(id) }

// VersionCount is the number of versions in the live snapshot.
func (s *Server) VersionCount() int { return len(s.library().cat.Versions) }

// FacetURL and SetFacetURLs expose the two ways facet links are built, so
// a test can hold the fast one to the simple one.
var FacetURL = facetURL

func SetFacetURLs(base url.Values, key string, values []string) []string {
	f := []Facet{{Key: key}}
	for _, v := range values {
		f[0].Values = append(f[0].Values, FacetValue{Value: v})
	}
	setFacetURLs(base, f)
	out := make([]string, len(values))
	for i, v := range f[0].Values {
		out[i] = v.URL
	}
	return out
}

// BoundedCache exposes the snapshot cache type with string keys.
type BoundedCache struct{ c *boundedCache[string, int] }

func NewBoundedCache(budget int64) BoundedCache {
	return BoundedCache{newBoundedCache[string, int](budget)}
}
func (b BoundedCache) Get(k string) (int, bool)  { return b.c.get(k) }
func (b BoundedCache) Put(k string, v, cost int) { b.c.put(k, v, int64(cost)) }
func (b BoundedCache) Size() (int, int64)        { return b.c.size() }

var (
	RenderFacets  = renderFacets
	SetFacetLinks = setFacetURLs
)

// SearchCacheLen is the number of result sets the current snapshot's
// search cache holds (-1: no cache).
func (s *Server) SearchCacheLen() int {
	c := s.library().results
	if c == nil {
		return -1
	}
	n, _ := c.size()
	return n
}

// AskGate exposes the question gate.
type AskGate struct{ g *askGate }

func NewAskGate(n int) AskGate                              { return AskGate{newAskGate(n)} }
func (a AskGate) Enter(ctx context.Context) (func(), error) { return a.g.enter(ctx) }

// RenderHits renders the search page's provision list as the page does.
func RenderHits(hits []ProvisionHit, links map[string]string, member bool, csrf, query string) string {
	return string(renderHits(hits, hitList{Links: links, Member: member, CSRF: csrf, Query: query}))
}

// TemplateFuncs is the page templates' function map.
var TemplateFuncs = funcs

// RenderDocHits renders the search page's document list as the page does.
func RenderDocHits(docs []DocumentHit) string { return string(renderDocHits(docs)) }
