// Package markup renders the Markdown that members and editors write (news
// bodies, event agendas, community posts) into HTML that is safe to embed in
// a page, and into plain text for search.
//
// Rendering is two-step on purpose: goldmark turns Markdown into HTML with raw
// HTML disabled, and bluemonday's UGC policy then removes anything that is
// not plain formatting. Either step alone would be enough for today's inputs;
// both together keep a future renderer option from opening an XSS hole.
package markup

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

var (
	md = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify))

	policyOnce sync.Once
	policy     *bluemonday.Policy
)

func ugc() *bluemonday.Policy {
	policyOnce.Do(func() {
		p := bluemonday.UGCPolicy()
		// Only outbound links get rel; our own /provisions/… links stay
		// followable so citations keep their value.
		p.RequireNoFollowOnLinks(false)
		p.RequireNoFollowOnFullyQualifiedLinks(true)
		p.RequireNoReferrerOnFullyQualifiedLinks(false)
		p.AllowURLSchemes("http", "https", "mailto")
		policy = p
	})
	return policy
}

// Render converts Markdown to sanitised HTML. External links carry
// rel="nofollow ugc"; scripts, event handlers, javascript: URLs, iframes and
// raw HTML never survive.
func Render(src string) string {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		// goldmark only fails on writer errors; fall back to escaped text.
		return Sanitize("<p>" + html.EscapeString(src) + "</p>")
	}
	return Sanitize(buf.String())
}

// Sanitize cleans HTML from an untrusted source (e.g. a feed item's
// content) with the same policy as Render.
func Sanitize(h string) string {
	out := ugc().Sanitize(h)
	// bluemonday writes the rel attribute itself, so user text cannot produce
	// this exact attribute (quotes in text and attributes are escaped).
	return strings.ReplaceAll(out, `rel="nofollow"`, `rel="nofollow ugc"`)
}

var (
	spaceRe = regexp.MustCompile(`[ \t\r\f\v]+`)
	blankRe = regexp.MustCompile(`\n{3,}`)
	strict  = bluemonday.StrictPolicy()
)

// Text returns the visible text of Markdown (for search and summaries).
func Text(src string) string {
	h := Render(src)
	// Block ends become line breaks before the tags go.
	h = strings.NewReplacer("</p>", "\n", "<br>", "\n", "<br/>", "\n", "</li>", "\n", "</h1>", "\n", "</h2>", "\n",
		"</h3>", "\n", "</h4>", "\n", "</tr>", "\n", "</blockquote>", "\n", "</pre>", "\n").Replace(h)
	return HTMLText(h)
}

// HTMLText strips all tags from HTML and unescapes entities.
func HTMLText(h string) string {
	t := strict.Sanitize(h)
	t = html.UnescapeString(t)
	t = spaceRe.ReplaceAllString(t, " ")
	t = blankRe.ReplaceAllString(t, "\n\n")
	return strings.TrimSpace(t)
}

// EscapeText escapes s so Markdown shows it literally (used when inserting
// user-visible text such as a citation label into generated Markdown).
func EscapeText(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_{}[]()<>#+-.!|~&", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
