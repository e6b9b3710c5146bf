package web

import (
	"context"
	"html/template"
	"net/url"
	"sort"
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

// fallbackSearch is a plain substring search used until a real engine is
// configured (Config.Index): every whitespace-separated term must occur in
// the provision text or the document title.
type fallbackSearch struct{ cat *library.Catalog }

func newFallbackSearch(cat *library.Catalog) Searcher {
	f := &fallbackSearch{cat: cat}
	return f.search
}

func queryTerms(q string) []string {
	var terms []string
	for _, t := range strings.Fields(q) {
		t = strings.Trim(t, `"“”'`)
		if t != "" && !strings.HasPrefix(t, "-") && len(terms) < 10 {
			terms = append(terms, t)
		}
	}
	return terms
}

func (f *fallbackSearch) search(ctx context.Context, req SearchRequest) (*SearchResults, error) {
	res := &SearchResults{Query: req.Query}
	terms := queryTerms(req.Query)
	if len(terms) == 0 {
		return res, nil
	}
	type scored struct {
		v     *library.Version
		p     *library.Provision
		score float64
	}
	var hits []scored
	var matchedVersions []*library.Version
	docHits := map[string]int{}
	for _, v := range f.cat.Versions {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if v.Kind == library.KindNews || v.Kind == library.KindNote {
			continue
		}
		titleHas := 0
		for _, t := range terms {
			if strings.Contains(v.Title, t) {
				titleHas++
			}
		}
		n := 0
		byID := provisionIndex(v)
		for _, p := range v.Provisions {
			if insideArticle(p, byID) {
				continue // the article itself is the hit
			}
			score := 0.0
			ok := true
			for _, t := range terms {
				c := strings.Count(p.Text, t)
				if c == 0 && !strings.Contains(v.Title, t) {
					ok = false
					break
				}
				score += float64(min(c, 5))
			}
			if ok && score > 0 {
				score += float64(titleHas)
				if p.Kind == library.ProvArticle || p.Kind == library.ProvOutline || p.Kind == library.ProvClause {
					score += 0.5
				}
				hits = append(hits, scored{v, p, score})
				n++
			}
		}
		if n > 0 || titleHas == len(terms) {
			matchedVersions = append(matchedVersions, v)
			docHits[v.ID] = n
		}
	}
	res.Facets = countFacets(matchedVersions, req.Filters)
	var kept []scored
	for _, h := range hits {
		if matchesFilters(h.v, req.Filters, "") {
			kept = append(kept, h)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool {
		if req.Sort == "date" && kept[i].v.IssueDate != kept[j].v.IssueDate {
			return kept[i].v.IssueDate > kept[j].v.IssueDate
		}
		return kept[i].score > kept[j].score
	})
	res.Total = len(kept)
	start := (req.Page - 1) * req.PerPage
	for i := start; i < len(kept) && i < start+req.PerPage; i++ {
		h := kept[i]
		res.Provisions = append(res.Provisions, ProvisionHit{
			ProvisionID: h.p.ID, VersionID: h.v.ID, Document: h.v.Title, Label: h.p.Label, Path: h.p.Path,
			Citation: h.p.Citation, Status: h.v.Status, Level: h.v.Level, Snippet: Highlight(h.p.Text, terms, 90), Score: h.score,
		})
	}
	var docs []*library.Version
	for _, v := range matchedVersions {
		if matchesFilters(v, req.Filters, "") {
			docs = append(docs, v)
		}
	}
	sort.SliceStable(docs, func(i, j int) bool {
		ti, tj := containsAll(docs[i].Title, terms), containsAll(docs[j].Title, terms)
		if ti != tj {
			return ti
		}
		return docHits[docs[i].ID] > docHits[docs[j].ID]
	})
	for i, v := range docs {
		if i == 10 {
			break
		}
		res.Documents = append(res.Documents, DocumentHit{VersionID: v.ID, WorkID: v.WorkID, Title: v.Title, Status: v.Status,
			Level: v.Level, Region: v.Region, IssueDate: v.IssueDate, Hits: docHits[v.ID], Snippet: Highlight(v.Title, terms, 60)})
	}
	return res, nil
}

func containsAll(s string, terms []string) bool {
	for _, t := range terms {
		if !strings.Contains(s, t) {
			return false
		}
	}
	return true
}

// Highlight returns an escaped excerpt of text of about width runes around
// the first match, with every occurrence of terms wrapped in <mark>. It is
// the only place search snippets become HTML.
func Highlight(text string, terms []string, width int) template.HTML {
	rs := []rune(text)
	first := -1
	for _, t := range terms {
		if t == "" {
			continue
		}
		if i := strings.Index(text, t); i >= 0 {
			ri := utf8.RuneCountInString(text[:i])
			if first < 0 || ri < first {
				first = ri
			}
		}
	}
	start := 0
	if first > width/3 {
		start = first - width/3
	}
	end := min(len(rs), start+width)
	excerpt := string(rs[start:end])
	// Mark matches on the raw excerpt, escaping the pieces between them.
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	for len(excerpt) > 0 {
		at, tl := -1, 0
		for _, t := range terms {
			if t == "" {
				continue
			}
			if i := strings.Index(excerpt, t); i >= 0 && (at < 0 || i < at || i == at && len(t) > tl) {
				at, tl = i, len(t)
			}
		}
		if at < 0 {
			b.WriteString(template.HTMLEscapeString(excerpt))
			break
		}
		b.WriteString(template.HTMLEscapeString(excerpt[:at]))
		b.WriteString("<mark>")
		b.WriteString(template.HTMLEscapeString(excerpt[at : at+tl]))
		b.WriteString("</mark>")
		excerpt = excerpt[at+tl:]
	}
	if end < len(rs) {
		b.WriteString("…")
	}
	return template.HTML(b.String())
}
