package community

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"datalex/internal/library"
	"datalex/internal/news/markup"
)

// CitationResolver resolves the text of a [[…]] marker (e.g.
// "数据安全法第二十一条") to a provision id and its human citation
// ("数据安全法 第二十一条"); ok is false when nothing matches.
type CitationResolver func(ref string) (provisionID, citation string, ok bool)

// Citation is a resolved marker in a post.
type Citation struct {
	Ref         string // the marker text as written
	ProvisionID string
	Text        string // the human citation
}

// Path is the page a citation links to.
func (c Citation) Path() string { return ProvisionPath(c.ProvisionID) }

// ProvisionPath is where a citation links: /provisions/{id}, a route that
// shows (or redirects to the anchor of) the provision on its document page.
// Provision ids are global (importer) so one path form serves every
// document.
func ProvisionPath(id string) string { return "/provisions/" + url.PathEscape(id) }

// MaxRefRunes bounds a marker's text; longer brackets are not citations.
const MaxRefRunes = 60

// Marker is one [[…]] found in Markdown: Ref is the trimmed text; Start and
// End are byte offsets of the whole marker including the brackets.
type Marker struct {
	Ref        string
	Start, End int
}

var fenceRe = regexp.MustCompile("^ {0,3}(```|~~~)")

// ParseCitationMarkers finds [[…]] markers in Markdown, skipping fenced code
// blocks, inline code spans and backslash-escaped brackets. A marker's text
// has no brackets or line breaks, is valid UTF-8 and is 1–MaxRefRunes runes
// after trimming.
func ParseCitationMarkers(s string) []Marker {
	var out []Marker
	inFence := ""
	lineStart := 0
	for lineStart <= len(s) {
		end := strings.IndexByte(s[lineStart:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += lineStart
		}
		line := s[lineStart:end]
		if m := fenceRe.FindStringSubmatch(line); m != nil {
			switch {
			case inFence == "":
				inFence = m[1]
			case inFence == m[1]:
				inFence = ""
			}
		} else if inFence == "" {
			out = append(out, lineMarkers(line, lineStart)...)
		}
		lineStart = end + 1
	}
	return out
}

// lineMarkers scans one line outside code blocks.
func lineMarkers(line string, base int) []Marker {
	var out []Marker
	for i := 0; i < len(line); {
		switch {
		case line[i] == '\\':
			i += 2 // an escaped character never opens a marker
		case line[i] == '`':
			// Skip the code span: the same run of backticks closes it.
			j := i
			for j < len(line) && line[j] == '`' {
				j++
			}
			ticks := line[i:j]
			if k := strings.Index(line[j:], ticks); k >= 0 {
				i = j + k + len(ticks)
			} else {
				i = j
			}
		case strings.HasPrefix(line[i:], "[["):
			k := strings.Index(line[i+2:], "]]")
			if k < 0 {
				return out
			}
			inner := line[i+2 : i+2+k]
			if ref, ok := validRef(inner); ok {
				out = append(out, Marker{Ref: ref, Start: base + i, End: base + i + 2 + k + 2})
				i += 2 + k + 2
				continue
			}
			i++
		default:
			i++
		}
	}
	return out
}

func validRef(inner string) (string, bool) {
	if strings.ContainsAny(inner, "[]\r\n`") || !utf8.ValidString(inner) {
		return "", false
	}
	ref := strings.TrimSpace(inner)
	n := utf8.RuneCountInString(ref)
	if n == 0 || n > MaxRefRunes {
		return "", false
	}
	for _, r := range ref {
		if r < 0x20 || r == 0x7f {
			return "", false
		}
	}
	return ref, true
}

// LinkCitations replaces resolvable markers in Markdown with links to their
// provisions and returns the rewritten Markdown and the distinct citations
// found. Unresolved markers stay as written.
func LinkCitations(md string, resolve CitationResolver) (string, []Citation) {
	if resolve == nil {
		return md, nil
	}
	markers := ParseCitationMarkers(md)
	if len(markers) == 0 {
		return md, nil
	}
	var b strings.Builder
	var cites []Citation
	seen := map[string]bool{}
	prev := 0
	for _, m := range markers {
		id, text, ok := resolve(m.Ref)
		if !ok || id == "" {
			continue
		}
		if text == "" {
			text = m.Ref
		}
		b.WriteString(md[prev:m.Start])
		b.WriteString("[" + markup.EscapeText(text) + "](" + ProvisionPath(id) + ")")
		prev = m.End
		if !seen[id] {
			seen[id] = true
			cites = append(cites, Citation{Ref: m.Ref, ProvisionID: id, Text: text})
		}
	}
	b.WriteString(md[prev:])
	return b.String(), cites
}

func writeCitations(ctx context.Context, q querier, threadID, replyID int64, cites []Citation) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM post_citations WHERE thread_id = ? AND reply_id = ?`, threadID, replyID); err != nil {
		return err
	}
	for _, c := range cites {
		if _, err := q.ExecContext(ctx, `INSERT INTO post_citations (thread_id, reply_id, provision_id, citation, ref) VALUES (?, ?, ?, ?, ?)`,
			threadID, replyID, c.ProvisionID, c.Text, c.Ref); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) citations(ctx context.Context, threadID, replyID int64) ([]Citation, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT ref, provision_id, citation FROM post_citations WHERE thread_id = ? AND reply_id = ? ORDER BY provision_id`,
		threadID, replyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Citation
	for rows.Next() {
		var c Citation
		if err := rows.Scan(&c.Ref, &c.ProvisionID, &c.Text); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ThreadsCiting lists the visible threads whose body or visible replies cite
// a provision, latest activity first ("discussions citing this provision").
func (s *Service) ThreadsCiting(ctx context.Context, provisionID string, limit int) ([]*Thread, error) {
	if limit <= 0 {
		limit = 20
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+threadCols+` FROM threads WHERE hidden = 0 AND id IN (
			SELECT c.thread_id FROM post_citations c LEFT JOIN replies r ON r.id = c.reply_id
			WHERE c.provision_id = ? AND (c.reply_id = 0 OR r.hidden = 0))
		ORDER BY last_activity_at DESC, id DESC LIMIT ?`, provisionID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Thread
	for rows.Next() {
		th, err := scanThread(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, th)
	}
	return out, rows.Err()
}

var articleRefRe = regexp.MustCompile(`^(.+?)\s*(第[零〇一二三四五六七八九十百千两\d]+条)$`)

// CatalogResolver is a simple resolver over the loaded library: "NAME第N条"
// where NAME is a work's title, its short name (without 中华人民共和国 and
// 《》) or an alias, resolved to that article of the work's preferred
// version. The search layer's citation lookup can replace it.
func CatalogResolver(cat *library.Catalog) CitationResolver {
	names := map[string]string{} // name → work id
	for _, w := range cat.Works {
		v := cat.Preferred(w.ID)
		if v == nil || v.Kind != library.KindRegulation {
			continue
		}
		for _, n := range append([]string{v.Title, library.ShortName(v.Title)}, v.Aliases...) {
			n = normName(n)
			if _, dup := names[n]; !dup && n != "" {
				names[n] = w.ID
			}
		}
	}
	return func(ref string) (string, string, bool) {
		m := articleRefRe.FindStringSubmatch(strings.TrimSpace(ref))
		if m == nil {
			return "", "", false
		}
		wid, ok := names[normName(m[1])]
		if !ok {
			return "", "", false
		}
		v := cat.Preferred(wid)
		want := library.ParseChineseNumber(strings.TrimSuffix(strings.TrimPrefix(m[2], "第"), "条"))
		for _, p := range v.Provisions {
			if p.Kind == library.ProvArticle && library.ArticleNumber(p.Label) == want && want > 0 {
				return p.ID, library.CitationFor(v.Title, p.Label), true
			}
		}
		return "", "", false
	}
}

func normName(s string) string {
	s = strings.Trim(strings.TrimSpace(s), "《》<>〈〉")
	s = strings.TrimPrefix(s, "中华人民共和国")
	return strings.Join(strings.Fields(s), "")
}
