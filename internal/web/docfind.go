package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"datalex/internal/library"
	"datalex/internal/textseg"
)

// docResearch is what the document page adds for research: search within
// the document (?find=) and the work's amendment history.
type docResearch struct {
	Find    string
	Words   []string
	Matches []findMatch
	More    int           // matches beyond the listed ones
	Body    template.HTML // this page with the words marked ("" without find)
	History []historyRow
}

type findMatch struct {
	Citation string
	URL      string
	Snippet  template.HTML
}

// historyRow is one version of the work in the amendment history.
type historyRow struct {
	V       *library.Version
	Current bool
	Date    string // issue date, else effective date
	Diff    string // 新旧对照 with the previous version
	Events  []string
}

const maxFindMatches = 200

func researchFor(r *http.Request, snap *snapshot, v *library.Version, pages []docPage, page int, byID map[string]*library.Provision) docResearch {
	var d docResearch
	d.History = amendmentHistory(snap.cat, v)
	d.Find = strings.TrimSpace(r.URL.Query().Get("find"))
	if utf8.RuneCountInString(d.Find) > 50 {
		d.Find = string([]rune(d.Find)[:50])
	}
	if d.Find == "" {
		return d
	}
	d.Words = strings.Fields(d.Find)
	folded := make([]string, len(d.Words))
	for i, w := range d.Words {
		folded[i] = textseg.Fold(w)
	}
	for i, pg := range pages {
		for _, p := range pg.Provisions {
			if insideArticle(p, byID) || p.Text == "" {
				continue
			}
			text := textseg.Fold(p.Text)
			all := true
			for _, w := range folded {
				all = all && strings.Contains(text, w)
			}
			if !all {
				continue
			}
			if len(d.Matches) == maxFindMatches {
				d.More++
				continue
			}
			u := "?find=" + url.QueryEscape(d.Find) + "#p-" + p.ID
			if i+1 != page || len(pages) > 1 {
				u = "?page=" + strconv.Itoa(i+1) + "&find=" + url.QueryEscape(d.Find) + "#p-" + p.ID
			}
			label := p.Citation
			if label == "" {
				label = library.CitationFor(v.Title, p.Label)
			}
			d.Matches = append(d.Matches, findMatch{Citation: label, URL: u,
				Snippet: template.HTML(markWords(findWindow(p.Text, d.Words[0]), d.Words))})
		}
	}
	if page >= 1 && page <= len(pages) {
		d.Body = renderBlocks(buildBlocks(pages[page-1].Provisions, byID, articleChildren(v, byID)), d.Words...)
	}
	return d
}

// findWindow is about 60 characters of text around the first occurrence
// of w.
func findWindow(text, w string) string {
	text = strings.Join(strings.Fields(text), " ")
	i := strings.Index(text, w)
	if i < 0 {
		return trimTitle(text, 60)
	}
	rs := []rune(text)
	at := utf8.RuneCountInString(text[:i])
	lo, hi := max(0, at-20), min(len(rs), at+40)
	s := string(rs[lo:hi])
	if lo > 0 {
		s = "…" + s
	}
	if hi < len(rs) {
		s += "…"
	}
	return s
}

// amendmentHistory lists the work's versions oldest first with their
// dates, 时效性 and what the library knows happened to them (修改, 废止 …),
// each with a 新旧对照 link against the version before it.
func amendmentHistory(cat *library.Catalog, v *library.Version) []historyRow {
	w := cat.Work(v.WorkID)
	if w == nil || len(w.Versions) < 2 {
		return nil
	}
	var rows []historyRow
	var prev *library.Version
	for _, x := range w.Versions {
		row := historyRow{V: x, Current: x.ID == v.ID, Date: x.IssueDate}
		if row.Date == "" {
			row.Date = x.EffectiveDate
		}
		if prev != nil {
			row.Diff = "/documents/" + url.PathEscape(x.ID) + "/diff?a=" + url.QueryEscape(prev.ID) + "&b=" + url.QueryEscape(x.ID)
		}
		for _, rel := range x.Relations {
			if rel.Type != library.RelAmends && rel.Type != library.RelRepeals && rel.Type != library.RelReplaces {
				continue
			}
			if rel.TargetVersion != "" && cat.Version(rel.TargetVersion) != nil && cat.Version(rel.TargetVersion).WorkID == x.WorkID {
				continue // within the work: the list itself says it
			}
			row.Events = append(row.Events, funcs["relationName"].(func(string) string)(rel.Type)+"《"+rel.Target+"》")
		}
		rows = append(rows, row)
		prev = x
	}
	return rows
}
