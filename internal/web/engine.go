package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"datalex/internal/search"
)

// queryError is a search request the engine refused (empty query, bad
// filter …): shown to the user, 400 in the API.
type queryError struct{ error }

// engineSearcher runs page requests on the search engine (internal/search).
// Pages show PerPage hits; an API client may ask for k hits instead
// (search.ParseRequest's k), and page then counts in pages of k.
//
// cache, when not nil, keeps the engine's results by the request as the
// engine receives it (the normalised query text, filters, advanced fields,
// sort, k and offset, encoded in one canonical string). It belongs to one
// library snapshot, so an import, edit or withdrawal — which builds a new
// snapshot — starts from an empty cache.
func engineSearcher(ix *search.Index, cache *boundedCache[string, *search.Results]) Searcher {
	return func(ctx context.Context, req SearchRequest) (*SearchResults, error) {
		vals := make(url.Values, len(req.Values)+2)
		for k, vs := range req.Values {
			vals[k] = vs
		}
		text := req.engineText()
		vals.Set("q", text)
		if vals.Get("k") == "" {
			vals.Set("k", strconv.Itoa(req.PerPage))
		}
		vals.Del("offset")
		vals.Del("page")
		if req.Sort == "date" {
			vals.Set("sort", search.SortDate)
		} else {
			vals.Del("sort")
		}
		where := req.Adv.where()
		if text == "" && where != nil {
			// Fields only (文号, 发布机关, dates): parse the rest of the
			// request around a placeholder word, then browse the
			// documents the fields admit, newest first.
			vals.Set("q", "文")
		}
		q, err := search.ParseRequest(vals)
		if err != nil {
			return nil, queryError{err}
		}
		if text == "" && where != nil {
			q.Raw, q.Text, q.Sort = "", "", search.SortDate
		}
		q.Where = where
		q.Offset = min((req.Page-1)*q.K, 10*search.MaxK)
		q.HitsOnly = req.Compact
		var key string
		if cache != nil {
			key = fmt.Sprintf("%s\x00%d\x00%t\x00%t", vals.Encode(), q.Offset, q.HitsOnly, text == "" && where != nil)
			if res, ok := cache.get(key); ok {
				return fromEngine(res, req), nil
			}
		}
		res, err := ix.Search(ctx, q)
		if err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			return nil, queryError{err}
		}
		if cache != nil {
			cache.put(key, res, resultCost(res))
		}
		return fromEngine(res, req), nil
	}
}

// resultCost estimates the memory held by a cached result set in bytes,
// for the cache's budget.
func resultCost(res *search.Results) int64 {
	n := 1024
	for _, h := range res.Hits {
		n += 400 + len(h.Document) + len(h.Citation) + len(h.Path) + len(h.Source)
		for _, s := range h.Snippet {
			n += 32 + len(s.Text)
		}
	}
	n += 300 * len(res.Documents)
	for _, f := range res.Facets {
		n += 64 + 48*len(f.Values)
	}
	return int64(n)
}

// fromEngine converts the engine's results to the page model.
func fromEngine(res *search.Results, req SearchRequest) *SearchResults {
	out := &SearchResults{Query: req.Query, Total: res.Total, Partial: res.Partial, TotalDocs: res.TotalDocs, Notice: strings.Join(res.Notices, "；")}
	if req.Values.Get("full") == "1" {
		out.JSON = res
	} else {
		out.JSON = res.Compact(req.Query)
	}
	if len(res.Hits) > 0 {
		out.Provisions = make([]ProvisionHit, 0, len(res.Hits))
	}
	for _, h := range res.Hits {
		hit := ProvisionHit{ProvisionID: h.ProvisionID, VersionID: h.VersionID, WorkID: h.WorkID, Document: h.Document, Label: h.Label, Path: h.Path,
			Citation: h.Citation, Status: h.Status, Level: h.Level, Snippet: segmentsHTML(h.Snippet), Score: h.Score,
			Partial: h.Partial, Cited: h.Cited}
		if h.Cited {
			out.Notice = joinNotice(out.Notice, "已识别条文引用："+h.Citation)
		}
		out.Provisions = append(out.Provisions, hit)
	}
	for i, d := range res.Documents {
		if i == 6 {
			break
		}
		out.Documents = append(out.Documents, DocumentHit{VersionID: d.VersionID, WorkID: d.WorkID, Title: d.Title, Status: d.Status,
			Level: d.Level, Region: d.Region, IssueDate: d.IssueDate, Hits: d.Matches,
			Snippet: template.HTML(template.HTMLEscapeString(d.Title))})
	}
	for _, f := range res.Facets {
		if f.Key == search.FacetKind || f.Key == search.FacetSource {
			continue // internal to the compilation, not useful to readers
		}
		pf := Facet{Key: f.Key, Name: f.Label, Values: make([]FacetValue, 0, len(f.Values))}
		for _, v := range f.Values {
			sel := false
			for _, w := range req.Values[f.Key] {
				sel = sel || w == v.Value
			}
			pf.Values = append(pf.Values, FacetValue{Value: v.Value, Count: v.Count, Selected: sel})
		}
		if f.Key == search.FacetRegion {
			sortFacetValues("region", pf.Values)
		}
		out.Facets = append(out.Facets, pf)
	}
	return out
}

func joinNotice(a, b string) string {
	if a == "" {
		return b
	}
	return a + "；" + b
}

// segmentsHTML escapes snippet segments and marks the highlighted ones.
func segmentsHTML(segs []search.Segment) template.HTML {
	n := 0
	for _, s := range segs {
		n += len(s.Text) + len("<mark></mark>")
	}
	var b strings.Builder
	b.Grow(n)
	for _, s := range segs {
		if s.Highlight {
			b.WriteString("<mark>")
			b.WriteString(template.HTMLEscapeString(s.Text))
			b.WriteString("</mark>")
		} else {
			b.WriteString(template.HTMLEscapeString(s.Text))
		}
	}
	return template.HTML(b.String())
}

func isQueryError(err error) bool {
	var q queryError
	return errors.As(err, &q)
}
