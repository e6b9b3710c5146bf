package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"datalex/internal/answer"
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
	// Adv are the advanced-search fields (标题, 文号, 发布机关, 日期范围)
	// and the narrowing query of "search within results".
	Adv AdvancedQuery
	// Err is a malformed advanced field (a date that is no date), shown
	// to the user instead of results.
	Err string
}

// SearchResults is what the search pages render.
type SearchResults struct {
	Query      string         `json:"query"`
	Total      int            `json:"total"`      // provisions matching (most of) the query, before paging
	Partial    int            `json:"partial"`    // provisions holding only part of it, ranked after Total
	TotalDocs  int            `json:"total_docs"` // documents with matching provisions
	Provisions []ProvisionHit `json:"provisions"`
	Documents  []DocumentHit  `json:"documents"`
	Facets     []Facet        `json:"facets"`
	Notice     string         `json:"notice,omitempty"` // e.g. a recognised citation
	// Term and Definitions are the 术语定义 of a query asking what a term
	// means (set for the JSON API; the page renders its own panel).
	Term        string            `json:"term,omitempty"`
	Definitions []answer.Citation `json:"definitions,omitempty"`
	// JSON, when set, is what /api/v1/search returns instead of this
	// struct (the search engine's own object, as `datalex search --json`).
	JSON any `json:"-"`
}

// ProvisionHit is one provision in the results.
type ProvisionHit struct {
	ProvisionID string        `json:"provision_id"`
	VersionID   string        `json:"version_id"`
	WorkID      string        `json:"work_id"`
	Document    string        `json:"document"`
	Label       string        `json:"label"`
	Path        string        `json:"path"`
	Citation    string        `json:"citation"`
	Status      string        `json:"status"`
	Level       string        `json:"level"`
	Snippet     template.HTML `json:"snippet"` // escaped text with <mark> around matches
	Score       float64       `json:"score"`
	Partial     bool          `json:"partial,omitempty"` // holds only part of the query
	Cited       bool          `json:"cited,omitempty"`   // the provision the query cites
	// Text is the whole provision for a cited one (a citation lookup
	// shows the article, not a window of it).
	Text string `json:"text,omitempty"`
	// Same are other versions of the same work whose provision has the
	// same text, folded into this hit on the page.
	Same []ProvisionHit `json:"-"`
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
	req.Adv, req.Err = parseAdvanced(vals)
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

type searchData struct {
	Res   *SearchResults
	Req   SearchRequest
	Query url.Values
	Pages int
	Links map[string]string // provision id → URL with the right page
	// Community is the non-authoritative news and community section.
	Community template.HTML
	// Levels and Statuses are the advanced form's choices.
	Levels, Statuses []string
	// Folded counts hits folded into an earlier hit with the same text.
	Folded int
	// ExportQuery is the query string of the export links.
	ExportQuery string
	// FacetList is the rendered facet boxes (renderFacets).
	FacetList template.HTML
	// HitList and DocList are the rendered items of the provision and
	// document lists (renderHits, renderDocHits).
	HitList, DocList template.HTML
	// Term and Definitions are the term the query asks the meaning of and
	// the provisions defining it (术语定义), on the first page.
	Term        string
	Definitions []definitionLink
}

// definitionLink is a provision defining the queried term, as listed above
// the hits.
type definitionLink struct {
	answer.Citation
	URL string
}

// maxDefinitions bounds the 术语定义 panel.
const maxDefinitions = 4

// maxPages bounds paging (the engine ranks at most 10×MaxK hits).
const maxPages = 50

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	snap := s.library()
	req := ParseSearchRequest(r.URL.Query())
	d := searchData{Req: req, Query: r.URL.Query(), Links: map[string]string{}, Levels: snap.levels(),
		Statuses: []string{library.ValidityInForce, library.ValidityNotYet, library.ValidityAmended, library.ValidityRepealed,
			library.ValidityLapsed, library.ValidityUnknown}}
	if req.hasCriteria() {
		res, err := s.runSearch(r, snap, req)
		if isQueryError(err) {
			res, err = &SearchResults{Query: req.Query, Notice: err.Error()}, nil
		}
		if err != nil {
			s.log.Error("检索失败", "q", req.Query, "err", err)
			s.fail(w, r, http.StatusInternalServerError, "检索失败，请稍后再试。")
			return
		}
		d.Folded = foldSameText(res, snap.cat)
		setFacetURLs(d.Query, res.Facets)
		d.FacetList = renderFacets(res.Facets)
		d.Res = res
		d.Pages = min((res.Total+res.Partial+req.PerPage-1)/req.PerPage, maxPages)
		for _, h := range res.Provisions {
			if v, p := snap.cat.Provision(h.ProvisionID); p != nil {
				d.Links[h.ProvisionID] = snap.provisionURL(v, p)
			}
		}
		d.ExportQuery = stripParams(r.URL.Query(), "page").Encode()
		hl := hitList{Links: d.Links}
		if currentUser(r) != nil {
			hl.Member, hl.CSRF, hl.Query = true, s.csrfToken(r), d.Query.Encode()
		}
		d.HitList = renderHits(res.Provisions, hl)
		d.DocList = renderDocHits(res.Documents)
		if snap.answer != nil && req.Page <= 1 && req.Query != "" {
			term, defs := snap.answer.Definitions(req.Query, maxDefinitions)
			for _, c := range defs {
				if v, p := snap.cat.Provision(c.ProvisionID); p != nil {
					d.Definitions = append(d.Definitions, definitionLink{Citation: c, URL: snap.provisionURL(v, p)})
				}
			}
			if len(d.Definitions) > 0 {
				d.Term = term
			}
		}
	}
	d.Community = s.NonAuthoritativeSection(r, req.Query)
	title := "合规查询"
	if req.Query != "" {
		title = req.Query + " · 合规查询"
	}
	s.render(w, r, http.StatusOK, "search", &view{Title: title, Active: "search", Q: req.Query, D: d})
}

// runSearch runs req on the snapshot and completes the hits from the
// catalog: 时效性 as computed now, and the whole text of a cited
// provision.
func (s *Server) runSearch(r *http.Request, snap *snapshot, req SearchRequest) (*SearchResults, error) {
	if req.Err != "" {
		return nil, queryError{errors.New(req.Err)}
	}
	res, err := snap.search(r.Context(), req)
	if err != nil {
		return nil, err
	}
	for i := range res.Provisions {
		h := &res.Provisions[i]
		v, p := snap.cat.Provision(h.ProvisionID)
		if p == nil {
			continue
		}
		h.Status = v.ValidityOrStatus()
		if h.Cited {
			h.Text = strings.TrimSpace(p.Text)
		}
	}
	return res, nil
}

// foldSameText folds a hit into an earlier hit of the same work with the
// same text (a law's article unchanged between two versions, or a text
// compiled twice), so the page does not repeat it; returns how many.
func foldSameText(res *SearchResults, cat *library.Catalog) int {
	// Texts are compared without white space. The map is keyed by a hash
	// of the text so that no copy of each hit's text is built per page
	// view; hits whose hashes meet are compared in full.
	type key struct {
		work string
		sum  uint64
	}
	first := map[key][]int{}
	texts := map[int]string{} // index in out → its provision text
	out := res.Provisions[:0]
	folded := 0
next:
	for _, h := range res.Provisions {
		_, p := cat.Provision(h.ProvisionID)
		if p == nil || h.Cited {
			out = append(out, h)
			continue
		}
		k := key{h.WorkID, spacelessHash(p.Text)}
		for _, i := range first[k] {
			if h.VersionID != out[i].VersionID && spacelessEqual(texts[i], p.Text) {
				out[i].Same = append(out[i].Same, h)
				folded++
				continue next
			}
		}
		first[k] = append(first[k], len(out))
		texts[len(out)] = p.Text
		out = append(out, h)
	}
	res.Provisions = out
	return folded
}

// spacelessHash is the FNV-1a hash of s without its white space.
func spacelessHash(s string) uint64 {
	h := uint64(14695981039346656037)
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		for r > 0 { // the rune's value, byte by byte (not its UTF-8 form: equal runes give equal bytes either way)
			h ^= uint64(r & 0xff)
			h *= 1099511628211
			r >>= 8
		}
		h ^= 0xff // rune separator
		h *= 1099511628211
	}
	return h
}

// spacelessEqual reports whether a and b are equal once white space is
// removed from both (byte for byte, as strings.Fields would leave them).
func spacelessEqual(a, b string) bool {
	for {
		ca, ia := nextNonSpace(a)
		cb, ib := nextNonSpace(b)
		if ca != cb {
			return false
		}
		if ca == "" {
			return true
		}
		a, b = a[ia:], b[ib:]
	}
}

// nextNonSpace returns the bytes of the first non-space rune of s (""
// at the end) and the offset just past it.
func nextNonSpace(s string) (string, int) {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			return s[i : i+n], i + n
		}
		i += n
	}
	return "", len(s)
}

// resultCountText says how many provisions and documents matched.
func resultCountText(res *SearchResults) string {
	t := fmt.Sprintf("%d 条条文匹配", res.Total)
	if res.Partial > 0 {
		t += fmt.Sprintf("；另有 %d 条只含部分检索词", res.Partial)
	}
	t += fmt.Sprintf("；相关文件 %d 个", res.TotalDocs)
	return t
}

// levels lists the 效力级别 present in the library for the advanced form
// (computed once per snapshot: every search page shows the list).
func (s *snapshot) levels() []string {
	if s.levelNames == nil {
		return workLevels(s.works)
	}
	return s.levelNames
}

// workLevels lists the distinct non-empty levels of works, sorted.
func workLevels(works []*library.Version) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, v := range works {
		if v.Level != "" && !seen[v.Level] {
			seen[v.Level] = true
			out = append(out, v.Level)
		}
	}
	sort.Strings(out)
	return out
}
