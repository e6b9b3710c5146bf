package web

import (
	"fmt"
	"html"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"datalex/internal/library"
)

// A provision's Text is its own text, except that an article's text
// already contains its 款 and 项 (which are also provisions, for precise
// citation). The page therefore renders articles whole and gives their
// paragraphs anchors inside them, instead of printing those twice.

// block is one rendered provision.
type block struct {
	P     *library.Provision
	Lines []blockLine
}

// blockLine is one paragraph of a block; ID is set when the line starts a
// 款 or 项 that can be linked to.
type blockLine struct {
	ID    string
	Label string // the provision label at the start of the first line, shown bold
	Text  string
	Head  bool // a heading line (1.1 编制目的), not body text
}

// insideArticle reports whether p is a 款/项 whose text its article holds.
func insideArticle(p *library.Provision, byID map[string]*library.Provision) bool {
	parent := byID[p.ParentID]
	return parent != nil && parent.Kind == library.ProvArticle
}

func provisionIndex(v *library.Version) map[string]*library.Provision {
	m := make(map[string]*library.Provision, len(v.Provisions))
	for _, p := range v.Provisions {
		m[p.ID] = p
	}
	return m
}

// buildBlocks turns one page of provisions into blocks.
func buildBlocks(ps []*library.Provision, byID map[string]*library.Provision, children map[string][]*library.Provision) []block {
	out := make([]block, 0, len(ps))
	for _, p := range ps {
		if insideArticle(p, byID) {
			continue
		}
		b := block{P: p}
		lines := paragraphs(p.Text)
		kids := children[p.ID]
		k := 0
		for i, l := range lines {
			bl := blockLine{Text: l}
			if i == 0 && p.Label != "" && strings.HasPrefix(l, p.Label) {
				bl.Label, bl.Text = p.Label, strings.TrimPrefix(l, p.Label)
				if p.Heading != "" && len([]rune(l)) <= 40 && p.Kind != library.ProvArticle {
					bl.Head = true
				}
			}
			// Anchor the line where the next 款/项 begins.
			for j := k; j < len(kids) && j < k+3; j++ {
				first := kids[j].Text
				if n := strings.IndexByte(first, '\n'); n >= 0 {
					first = first[:n]
				}
				if first = strings.TrimSpace(first); first != "" && strings.HasPrefix(l, first) {
					bl.ID = kids[j].ID
					k = j + 1
					break
				}
			}
			b.Lines = append(b.Lines, bl)
		}
		out = append(out, b)
	}
	return out
}

// articleChildren maps an article id to its 款/项 in document order.
func articleChildren(v *library.Version, byID map[string]*library.Provision) map[string][]*library.Provision {
	m := map[string][]*library.Provision{}
	for _, p := range v.Provisions {
		if insideArticle(p, byID) {
			m[p.ParentID] = append(m[p.ParentID], p)
		}
	}
	return m
}

// The provision text of a long document is rendered in Go rather than by
// html/template: a 170,000-character page has thousands of actions, and
// the template engine's reflection made it the slowest part of the page.
// Every piece of text goes through html.EscapeString.

func isHeadingKind(kind string) bool {
	switch kind {
	case library.ProvPart, library.ProvChapter, library.ProvSection, library.ProvAnnex:
		return true
	}
	return false
}

// renderBlocks writes the provisions of one page as HTML; words, when
// given (search within the document), are marked in the text.
func renderBlocks(blocks []block, words ...string) template.HTML {
	var b strings.Builder
	b.Grow(64 * 1024)
	esc := html.EscapeString
	text := esc
	if len(words) > 0 {
		text = func(s string) string { return markWords(s, words) }
	}
	for _, bl := range blocks {
		p := bl.P
		fmt.Fprintf(&b, `<section class="prov k-%s d%d" id="p-%s">`, esc(p.Kind), min(p.Depth, 5), esc(p.ID))
		switch {
		case isHeadingKind(p.Kind):
			b.WriteString(`<h2 class="prov-h">`)
			for _, l := range bl.Lines {
				b.WriteString("<span>" + text(l.Label+l.Text) + "</span>")
			}
			b.WriteString("</h2>")
		case p.Kind == library.ProvTable:
			renderTable(&b, p.Label, p.Text)
		default:
			for _, l := range bl.Lines {
				b.WriteString("<p")
				if l.ID != "" {
					b.WriteString(` id="p-` + esc(l.ID) + `"`)
				}
				if l.Head {
					b.WriteString(` class="ph"`)
				}
				b.WriteString(">")
				if l.Label != "" {
					b.WriteString(`<b class="pl">` + esc(l.Label) + "</b>")
				}
				b.WriteString(text(l.Text) + "</p>")
			}
		}
		if p.Kind != library.ProvPreamble {
			// The checkbox belongs to the selection form (form="sel"), so
			// choosing provisions to export needs no script.
			fmt.Fprintf(&b, `<div class="prov-tools"><a class="anchor" href="#p-%s" aria-label="链接到 %s">¶</a>`+
				`<a class="share" href="/p/%s" title="本条的固定链接与法条联想">本条</a>`+
				`<button type="button" class="cite" data-cite="%s" data-anchor="p-%s" data-share="/p/%s">复制引用</button>`+
				`<label class="pick"><input type="checkbox" name="id" value="%s" form="sel" aria-label="选择 %s 以导出"> 选择</label>`,
				esc(p.ID), esc(p.Citation), url.PathEscape(p.ID), esc(p.Citation), esc(p.ID), url.PathEscape(p.ID), esc(p.ID), esc(p.Citation))
			// The page is cached for every visitor, so this is a link to
			// the workspace's form (login first), not a per-user button.
			fmt.Fprintf(&b, `<a class="star" href="/me/favorites/add?item=%s" aria-label="收藏 %s">☆ 收藏</a></div>`,
				esc(url.QueryEscape(p.ID)), esc(p.Citation))
		}
		b.WriteString("</section>\n")
	}
	return template.HTML(b.String())
}

// renderTOC writes the table of contents; entries on other pages link
// there.
func renderTOC(toc []tocEntry, page int) template.HTML {
	var b strings.Builder
	esc := html.EscapeString
	for _, e := range toc {
		href := "#p-" + e.P.ID
		if e.Page != page {
			href = "?page=" + strconv.Itoa(e.Page) + href
		}
		text := e.P.Label
		switch {
		case e.P.Heading != "":
			text += " " + e.P.Heading
		case e.P.Kind != library.ProvArticle:
			// 一、 alone says nothing: show the start of its text.
			first := strings.TrimSpace(strings.TrimPrefix(strings.SplitN(e.P.Text, "\n", 2)[0], e.P.Label))
			text += " " + trimTitle(first, 16)
		}
		fmt.Fprintf(&b, `<li class="d%d"><a href="%s">%s</a></li>`, min(e.P.Depth, 5), esc(href), esc(text))
	}
	return template.HTML(b.String())
}

// markWords escapes s and marks every occurrence of the words
// (overlapping or touching occurrences become one mark).
func markWords(s string, words []string) string {
	type span struct{ lo, hi int }
	var spans []span
	for _, w := range words {
		if w == "" {
			continue
		}
		for from := 0; ; {
			i := strings.Index(s[from:], w)
			if i < 0 {
				break
			}
			spans = append(spans, span{from + i, from + i + len(w)})
			from += i + len(w)
		}
	}
	if len(spans) == 0 {
		return html.EscapeString(s)
	}
	slices.SortFunc(spans, func(a, b span) int { return a.lo - b.lo })
	merged := spans[:1]
	for _, sp := range spans[1:] {
		if last := &merged[len(merged)-1]; sp.lo <= last.hi {
			last.hi = max(last.hi, sp.hi)
		} else {
			merged = append(merged, sp)
		}
	}
	var b strings.Builder
	at := 0
	for _, sp := range merged {
		b.WriteString(html.EscapeString(s[at:sp.lo]))
		b.WriteString("<mark>" + html.EscapeString(s[sp.lo:sp.hi]) + "</mark>")
		at = sp.hi
	}
	b.WriteString(html.EscapeString(s[at:]))
	return b.String()
}
