package web

import (
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// setFacetURLs fills the URL of every facet value: the current query
// string with that value toggled and without a page, as facetURL makes
// it. A search page lists a hundred or more values; building each link
// from a copied and re-sorted url.Values (and through a template call)
// was a fifth of the page's cost. Here the keys before and after a facet
// are encoded once per facet and each value only adds its own part.
func setFacetURLs(base url.Values, facets []Facet) {
	keys := make([]string, 0, len(base))
	for k := range base {
		if k != "page" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var b strings.Builder
	for fi := range facets {
		f := &facets[fi]
		i, _ := slices.BinarySearch(keys, f.Key)
		j := i
		if j < len(keys) && keys[j] == f.Key {
			j++
		}
		prefix := encodeKeys(base, keys[:i])
		suffix := encodeKeys(base, keys[j:])
		have := base[f.Key]
		ek := url.QueryEscape(f.Key)
		for vi := range f.Values {
			val := f.Values[vi].Value
			b.Reset()
			b.WriteByte('?')
			b.WriteString(prefix)
			found := false
			for _, v := range have {
				if v == val {
					found = true
					continue
				}
				writePair(&b, ek, v)
			}
			if !found {
				writePair(&b, ek, val)
			}
			if suffix != "" {
				if b.Len() > 1 {
					b.WriteByte('&')
				}
				b.WriteString(suffix)
			}
			f.Values[vi].URL = b.String()
		}
	}
}

// writePair appends k=v to a query string being built after "?".
func writePair(b *strings.Builder, escapedKey, v string) {
	if b.Len() > 1 {
		b.WriteByte('&')
	}
	b.WriteString(escapedKey)
	b.WriteByte('=')
	b.WriteString(url.QueryEscape(v))
}

// encodeKeys encodes the given keys of vals in url.Values.Encode's form.
func encodeKeys(vals url.Values, keys []string) string {
	var b strings.Builder
	for _, k := range keys {
		ek := url.QueryEscape(k)
		for _, v := range vals[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(ek)
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		}
	}
	return b.String()
}

// renderFacets renders the facet boxes of the search and library pages
// (values' URLs set by setFacetURLs). They are written here rather than in
// the page template because a page lists a hundred or more values and
// html/template escapes every field of each through reflection: the list
// was over a third of the search page's time. Every value is escaped
// here as html/template escaped it (htmlEscTo).
func renderFacets(facets []Facet) template.HTML {
	// Sized once: growing the builder by doubling through a page's 100+
	// values was half of the search page's allocation.
	n := 0
	for _, f := range facets {
		n += 96 + len(f.Name)
		for _, v := range f.Values {
			n += 112 + len(f.Key) + len(v.URL) + len(v.URL)/8 + len(v.Value)
		}
	}
	var b strings.Builder
	b.Grow(n)
	for _, f := range facets {
		if len(f.Values) == 0 {
			continue
		}
		b.WriteString(`<section class="facet-box"><h2>`)
		htmlEscTo(&b, f.Name)
		b.WriteString(`</h2><ul class="facet`)
		if len(f.Values) > 12 {
			b.WriteString(` long`)
		}
		b.WriteString(`">`)
		key := htmlEsc(f.Key)
		for _, v := range f.Values {
			b.WriteString("\n<li")
			if v.Selected {
				b.WriteString(` class="on"`)
			}
			b.WriteString(`><a href="`)
			htmlEscTo(&b, v.URL) // as html/template writes an attribute (the URL is already query-escaped)
			b.WriteString(`" data-facet="`)
			b.WriteString(key)
			b.WriteString(`"`)
			if v.Selected {
				b.WriteString(` aria-current="true"`)
			}
			b.WriteString(`>`)
			htmlEscTo(&b, v.Value)
			b.WriteString(`</a><span class="n">`)
			b.WriteString(strconv.Itoa(v.Count))
			b.WriteString(`</span></li>`)
		}
		b.WriteString("\n</ul></section>\n")
	}
	return template.HTML(b.String())
}
