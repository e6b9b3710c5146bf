package web

import (
	"context"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"datalex/internal/library"
)

// SearchRequest is a parsed search query string.
type SearchRequest struct {
	Query   string
	Filters map[string][]string // facet key → selected values
	Sort    string              // "" (relevance) or "date"
	Page    int                 // 1-based
	PerPage int
	Values  url.Values // the raw query string, for engines with more options
	// Compact asks for ranked hits only (no snippets, document groups or
	// facets): the JSON API's default form, which needs none of them.
	Compact bool
}

// SearchResults is what the search pages render.
type SearchResults struct {
	Query      string         `json:"query"`
	Total      int            `json:"total"` // provision hits before paging
	Provisions []ProvisionHit `json:"provisions"`
	Documents  []DocumentHit  `json:"documents"`
	Facets     []Facet        `json:"facets"`
	Notice     string         `json:"notice,omitempty"` // e.g. a recognised citation
	// JSON, when set, is what /api/v1/search returns instead of this
	// struct (the search engine's own object, as `datalex search --json`).
	JSON any `json:"-"`
}

// ProvisionHit is one provision in the results.
type ProvisionHit struct {
	ProvisionID string        `json:"provision_id"`
	VersionID   string        `json:"version_id"`
	Document    string        `json:"document"`
	Label       string        `json:"label"`
	Path        string        `json:"path"`
	Citation    string        `json:"citation"`
	Status      string        `json:"status"`
	Level       string        `json:"level"`
	Snippet     template.HTML `json:"snippet"` // escaped text with <mark> around matches
	Score       float64       `json:"score"`
}

// DocumentHit is one document in the results.
type DocumentHit struct {
	VersionID string        `json:"version_id"`
	WorkID    string        `json:"work_id"`
	Title     string        `json:"title"`
	Status    string        `json:"status"`
	Level     string        `json:"level"`
	Region    string        `json:"region"`
	IssueDate string        `json:"issue_date"`
	Hits      int           `json:"hits"`
	Snippet   template.HTML `json:"snippet,omitempty"`
}

// Searcher runs a search over one library snapshot.
type Searcher func(ctx context.Context, req SearchRequest) (*SearchResults, error)

// ParseSearchRequest reads q, facet filters, sort and page from a query
// string, clamping what is out of range.
func ParseSearchRequest(vals url.Values) SearchRequest {
	q := strings.TrimSpace(vals.Get("q"))
	if utf8.RuneCountInString(q) > 200 {
		q = string([]rune(q)[:200])
	}
	req := SearchRequest{Query: q, Filters: map[string][]string{}, Sort: vals.Get("sort"), Values: vals, PerPage: 20}
	if req.Sort != "date" {
		req.Sort = ""
	}
	for _, d := range facetDims {
		for _, v := range vals[d.Key] {
			if v = strings.TrimSpace(v); v != "" && len(req.Filters[d.Key]) < 20 {
				req.Filters[d.Key] = append(req.Filters[d.Key], v)
			}
		}
	}
	req.Page, _ = strconv.Atoi(vals.Get("page"))
	if req.Page < 1 {
		req.Page = 1
	}
	if req.Page > 50 {
		req.Page = 50
	}
	return req
}

// matchesFilters reports whether v passes every facet filter except skip.
func matchesFilters(v *library.Version, filters map[string][]string, skip string) bool {
	for _, d := range facetDims {
		want := filters[d.Key]
		if d.Key == skip || len(want) == 0 {
			continue
		}
		ok := false
		for _, have := range d.Values(v) {
			for _, w := range want {
				if have == w {
					ok = true
				}
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// countFacets counts facet values over versions, each dimension under the
// filters of the other dimensions (so a user can widen a selection).
func countFacets(versions []*library.Version, filters map[string][]string) []Facet {
	var out []Facet
	for _, d := range facetDims {
		counts := map[string]int{}
		for _, v := range versions {
			if !matchesFilters(v, filters, d.Key) {
				continue
			}
			for _, val := range d.Values(v) {
				counts[val]++
			}
		}
		f := Facet{Key: d.Key, Name: d.Name}
		for val, n := range counts {
			sel := false
			for _, w := range filters[d.Key] {
				sel = sel || w == val
			}
			f.Values = append(f.Values, FacetValue{Value: val, Count: n, Selected: sel})
		}
		sortFacetValues(d.Key, f.Values)
		out = append(out, f)
	}
	return out
}
