package events

import (
	"bytes"
	"strings"
	"time"
	"unicode/utf8"

	"datalex/internal/news/markup"
)

// ICSOptions describes a generated calendar.
type ICSOptions struct {
	BaseURL string // absolute site root; event pages are linked as BaseURL+Path()
	Name    string // calendar name; defaults to 数据资产盛会集锦
}

// ICS renders events as one iCalendar (RFC 5545) object: a subscription
// feed of all events.
func ICS(evs []*Event, o ICSOptions) []byte {
	var w icsWriter
	w.begin(o)
	for _, e := range evs {
		w.event(e, o)
	}
	w.line("END:VCALENDAR")
	return w.Bytes()
}

// EventICS renders a single event as a downloadable .ics file.
func EventICS(e *Event, o ICSOptions) []byte { return ICS([]*Event{e}, o) }

type icsWriter struct{ bytes.Buffer }

func (w *icsWriter) begin(o ICSOptions) {
	name := o.Name
	if name == "" {
		name = "数据资产盛会集锦"
	}
	w.line("BEGIN:VCALENDAR")
	w.line("VERSION:2.0")
	w.line("PRODID:-//DataLex//Events//ZH")
	w.line("CALSCALE:GREGORIAN")
	w.line("METHOD:PUBLISH")
	w.line("X-WR-CALNAME:" + escapeText(name))
	w.line("X-WR-TIMEZONE:Asia/Shanghai")
}

func (w *icsWriter) event(e *Event, o ICSOptions) {
	start, _ := time.Parse("2006-01-02", e.StartDate)
	end, _ := time.Parse("2006-01-02", e.EndDate)
	stamp := e.UpdatedAt
	if stamp.IsZero() {
		stamp = e.CreatedAt
	}
	page := strings.TrimRight(o.BaseURL, "/") + e.Path()
	w.line("BEGIN:VEVENT")
	w.line("UID:" + escapeText(e.UID))
	w.line("DTSTAMP:" + stamp.UTC().Format("20060102T150405Z"))
	if !e.CreatedAt.IsZero() {
		w.line("CREATED:" + e.CreatedAt.UTC().Format("20060102T150405Z"))
		w.line("LAST-MODIFIED:" + stamp.UTC().Format("20060102T150405Z"))
	}
	w.line("DTSTART;VALUE=DATE:" + start.Format("20060102"))
	// DTEND of an all-day event is exclusive: the day after the last day.
	w.line("DTEND;VALUE=DATE:" + end.AddDate(0, 0, 1).Format("20060102"))
	w.line("SUMMARY:" + escapeText(e.Title))
	if loc := strings.TrimSpace(e.City + " " + e.Venue); loc != "" {
		w.line("LOCATION:" + escapeText(loc))
	}
	w.line("DESCRIPTION:" + escapeText(description(e, page)))
	url := e.URL
	if url == "" {
		url = page
	}
	// URI values are not TEXT: no backslash escaping, but they must not
	// break the line (validated URLs contain no CR/LF).
	w.line("URL;VALUE=URI:" + stripControls(url))
	w.line("TRANSP:TRANSPARENT")
	w.line("END:VEVENT")
}

func description(e *Event, page string) string {
	var parts []string
	if e.Organiser != "" {
		parts = append(parts, "主办单位："+e.Organiser)
	}
	if a := markup.Text(e.Agenda); a != "" {
		parts = append(parts, "议程：\n"+a)
	}
	for _, r := range e.Reports {
		parts = append(parts, "报道："+r.Title+" "+r.URL)
	}
	parts = append(parts, "详情："+page)
	return strings.Join(parts, "\n")
}

// escapeText escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon,
// comma and newlines; other control characters are not allowed and are
// dropped.
func escapeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == ';':
			b.WriteString(`\;`)
		case r == ',':
			b.WriteString(`\,`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f || r == utf8.RuneError:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func stripControls(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// line writes one content line folded at 75 octets (RFC 5545 §3.1): each
// continuation starts with a space, and a UTF-8 sequence is never split.
func (w *icsWriter) line(s string) {
	const limit = 75
	first := true
	for len(s) > 0 {
		room := limit
		if !first {
			room = limit - 1 // the leading space counts
			w.WriteByte(' ')
		}
		if len(s) <= room {
			w.WriteString(s)
			break
		}
		cut := room
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.WriteString(s[:cut])
		w.WriteString("\r\n")
		s = s[cut:]
		first = false
	}
	w.WriteString("\r\n")
}
