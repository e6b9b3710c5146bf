package web

import (
	"html/template"
	"strconv"
	"strings"
)

// hitList is what renderHits needs besides the hits: the link of every
// provision id (on the right document page), and the signed-in user's
// CSRF token and the page's query string for the 收藏 forms.
type hitList struct {
	Links  map[string]string
	Member bool   // a user is signed in: each hit gets a 收藏 form
	CSRF   string // that user's token
	Query  string // the page's query string, encoded once (url.Values.Encode)
}

// renderHits renders the items of the search page's <ol class="hits">.
// They were written in the page template, but html/template escapes every
// field of each of the 20 hits through reflection (about a dozen calls
// per hit, plus a sorted url.Values.Encode per hit for the 收藏 form): the
// list was most of the template's time, and the template 61 % of the
// search page's CPU under load. Every value is escaped here exactly as
// html/template escaped it in that place (text, attribute, URL or URL
// part); TestRenderHitsMatchesTemplate holds the output to the template's
// on hostile input. Snippets are template.HTML already (escaped text with
// <mark>), as the template wrote them.
func renderHits(hits []ProvisionHit, l hitList) template.HTML {
	if len(hits) == 0 {
		return `<li class="empty">没有找到包含这些词的条文。可以减少关键词、换用同义词，或取消筛选与高级检索条件。</li>`
	}
	var b strings.Builder
	n := 0
	for i := range hits {
		n += len(hits[i].Snippet) + len(hits[i].Text) + 1200
	}
	b.Grow(n)
	back := htmlEsc("/search?" + l.Query)
	csrf := htmlEsc(l.CSRF)
	for i := range hits {
		h := &hits[i]
		b.WriteString(`<li class="hit`)
		if h.Partial {
			b.WriteString(` partial`)
		}
		b.WriteString("\">\n<a class=\"hit-title\" href=\"")
		b.WriteString(urlAttr(l.Links[h.ProvisionID]))
		b.WriteString(`">`)
		htmlEscTo(&b, h.Citation)
		b.WriteString(`</a>`)
		if h.Partial {
			b.WriteString(` <span class="tag" title="只含部分检索词">部分匹配</span>`)
		}
		b.WriteString("\n<p class=\"path\">")
		htmlEscTo(&b, h.Document)
		if h.Path != "" {
			b.WriteString(` › `)
			htmlEscTo(&b, h.Path)
		}
		if h.Status != "" {
			b.WriteString(` · <span class="status `)
			htmlEscTo(&b, statusClass(h.Status))
			b.WriteString(`">`)
			htmlEscTo(&b, h.Status)
			b.WriteString(`</span>`)
		}
		b.WriteString("</p>\n")
		if h.Text != "" {
			b.WriteString(`<div class="snip full">`)
			for _, line := range paragraphs(h.Text) {
				b.WriteString(`<p>`)
				htmlEscTo(&b, line)
				b.WriteString(`</p>`)
			}
			b.WriteString(`</div>`)
		} else {
			b.WriteString(`<p class="snip">`)
			b.WriteString(string(h.Snippet))
			b.WriteString(`</p>`)
		}
		if len(h.Same) > 0 {
			b.WriteString("\n<p class=\"same muted\">相同条文另见：")
			for j := range h.Same {
				x := &h.Same[j]
				if j > 0 {
					b.WriteString(`；`)
				}
				b.WriteString(`<a href="`)
				b.WriteString(urlAttr(l.Links[x.ProvisionID]))
				b.WriteString(`">`)
				htmlEscTo(&b, x.Document)
				b.WriteString(`</a>`)
				if x.Status != "" {
					b.WriteString(`（`)
					htmlEscTo(&b, x.Status)
					b.WriteString(`）`)
				}
			}
			b.WriteString(`</p>`)
		}
		b.WriteString("\n<p class=\"hit-tools\"><a href=\"/p/")
		b.WriteString(urlPartEsc(h.ProvisionID))
		b.WriteString(`">本条 · 法条联想</a> <label class="pick"><input type="checkbox" name="id" value="`)
		htmlEscTo(&b, h.ProvisionID)
		b.WriteString(`" form="sel" aria-label="选择 `)
		htmlEscTo(&b, h.Citation)
		b.WriteString(` 以导出"> 选择</label></p>`)
		if l.Member {
			b.WriteString("\n" + `<form class="ws-star" action="/me/favorites/add" method="post"><input type="hidden" name="csrf" value="`)
			b.WriteString(csrf)
			b.WriteString(`"><input type="hidden" name="item" value="`)
			htmlEscTo(&b, h.ProvisionID)
			b.WriteString(`"><input type="hidden" name="back" value="`)
			b.WriteString(back)
			b.WriteString(`"><button class="linkish" type="submit" aria-label="收藏 `)
			htmlEscTo(&b, h.Citation)
			b.WriteString(`">☆ 收藏</button></form>`)
		}
		b.WriteString("\n</li>\n")
	}
	return template.HTML(b.String())
}

// renderDocHits renders the items of the search page's 相关文件 list, for
// the same reason and with the same care as renderHits
// (TestRenderDocHitsMatchesTemplate).
func renderDocHits(docs []DocumentHit) template.HTML {
	var b strings.Builder
	n := 0
	for i := range docs {
		n += len(docs[i].Snippet) + 200
	}
	b.Grow(n)
	for i := range docs {
		h := &docs[i]
		b.WriteString(`<li><a href="/documents/`)
		b.WriteString(urlPartEsc(h.VersionID))
		b.WriteString(`">`)
		b.WriteString(string(h.Snippet))
		b.WriteString(`</a> <span class="meta">`)
		m := 0 // metaJoin of date, level and region
		for _, part := range [...]string{h.IssueDate, h.Level, h.Region} {
			if part == "" {
				continue
			}
			if m > 0 {
				b.WriteString(" · ")
			}
			htmlEscTo(&b, part)
			m++
		}
		if m > 0 && h.Status != "" {
			b.WriteString(" · ")
		}
		if h.Status != "" {
			b.WriteString(`<span class="status `)
			htmlEscTo(&b, statusClass(h.Status))
			b.WriteString(`">`)
			htmlEscTo(&b, h.Status)
			b.WriteString(`</span>`)
		}
		if h.Hits != 0 {
			if m > 0 || h.Status != "" {
				b.WriteString(" · ")
			}
			b.WriteString(strconv.Itoa(h.Hits))
			b.WriteString(` 处条文命中`)
		}
		b.WriteString("</span></li>")
	}
	return template.HTML(b.String())
}

// htmlEscTo writes s escaped as html/template escapes a string in text and
// in a quoted attribute value: the five characters of HTMLEscapeString,
// '+' (html/template writes &#43; for it) and NUL.
func htmlEscTo(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case 0:
			r = "\uFFFD"
		case '"':
			r = "&#34;"
		case '&':
			r = "&amp;"
		case '\'':
			r = "&#39;"
		case '+':
			r = "&#43;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(r)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// htmlEsc is htmlEscTo into a new string.
func htmlEsc(s string) string {
	var b strings.Builder
	htmlEscTo(&b, s)
	return b.String()
}

// urlAttr is what html/template writes for a whole URL at the start of an
// href value: a URL whose scheme is not http, https or mailto becomes
// "#ZgotmplZ", the rest is normalised (bytes outside RFC 3986 are
// percent-encoded, valid escapes kept) and then attribute-escaped.
func urlAttr(u string) string {
	if i := strings.IndexByte(u, ':'); i >= 0 && !strings.Contains(u[:i], "/") {
		switch strings.ToLower(u[:i]) {
		case "http", "https", "mailto":
		default:
			return "#ZgotmplZ"
		}
	}
	return htmlEsc(processURL(u, true))
}

// urlPartEsc is what html/template writes for a value in a URL's path
// after a constant prefix: the value normalised (no scheme filter: the
// prefix fixes the scheme) and attribute-escaped.
func urlPartEsc(s string) string { return htmlEsc(processURL(s, true)) }

// processURL is html/template's URL normaliser (norm) and escaper
// (processURLOnto in Go's html/template/url.go): with norm, reserved
// characters and valid %-escapes are kept.
func processURL(s string, norm bool) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '!', '#', '$', '&', '*', '+', ',', '/', ':', ';', '=', '?', '@', '[', ']':
			if norm {
				continue
			}
		case '-', '.', '_', '~':
			continue
		case '%':
			if norm && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]) {
				continue
			}
		default:
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				continue
			}
		}
		if written == 0 {
			b.Grow(len(s) + 16)
		}
		b.WriteString(s[written:i])
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
		written = i + 1
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
