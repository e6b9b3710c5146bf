package events

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"datalex/internal/news/markup/xsstest"
	"datalex/internal/store/storetest"
)

var update = flag.Bool("update", false, "rewrite golden files")

func openDB(t *testing.T) *sql.DB {
	t.Helper()
	st := storetest.Open(t)
	return st.DB()
}

func fixClock(t *testing.T, at time.Time) {
	old := now
	now = func() time.Time { return at }
	t.Cleanup(func() { now = old })
}

func valid() Event {
	return Event{Title: "2024 数据资产大会", StartDate: "2024-11-20", EndDate: "2024-11-21", City: "上海", Organiser: "上海数据交易所"}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Event)
		field string
	}{
		{"ok", func(e *Event) {}, ""},
		{"one day, end empty", func(e *Event) { e.EndDate = "" }, ""},
		{"no title", func(e *Event) { e.Title = " " }, "title"},
		{"long title", func(e *Event) { e.Title = strings.Repeat("会", MaxTitle+1) }, "title"},
		{"no start", func(e *Event) { e.StartDate = "" }, "start_date"},
		{"bad start", func(e *Event) { e.StartDate = "2024/11/20" }, "start_date"},
		{"impossible date", func(e *Event) { e.StartDate = "2024-02-30" }, "start_date"},
		{"end before start", func(e *Event) { e.EndDate = "2024-11-19" }, "end_date"},
		{"too long", func(e *Event) { e.EndDate = "2026-01-01" }, "end_date"},
		{"no city", func(e *Event) { e.City = "" }, "city"},
		{"no organiser", func(e *Event) { e.Organiser = "" }, "organiser"},
		{"long venue", func(e *Event) { e.Venue = strings.Repeat("馆", MaxPlace+1) }, "venue"},
		{"huge agenda", func(e *Event) { e.Agenda = strings.Repeat("a", MaxAgendaBytes+1) }, "agenda"},
		{"js url", func(e *Event) { e.URL = "javascript:alert(1)" }, "url"},
		{"js report", func(e *Event) { e.Reports = []Link{{Title: "x", URL: "javascript:alert(1)"}} }, "reports"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := valid()
			tt.edit(&e)
			e.normalize()
			err := e.Validate()
			var ve *ValidationError
			if tt.field == "" && err != nil {
				t.Fatalf("unexpected %v", err)
			}
			if tt.field != "" && (!errors.As(err, &ve) || ve.Field != tt.field) {
				t.Fatalf("want error on %s, got %v", tt.field, err)
			}
		})
	}
}

func TestCRUDUpcomingPast(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	mk := func(title, start, end string) int64 {
		e := valid()
		e.Title, e.StartDate, e.EndDate = title, start, end
		e.RelatedWorks = []string{"w1"}
		id, err := Create(ctx, db, &e)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	mk("过去", "2024-01-01", "2024-01-02")
	running := mk("进行中", "2024-06-09", "2024-06-11")
	mk("将来", "2024-07-01", "")
	up, err := Upcoming(ctx, db, "2024-06-10", 0)
	if err != nil || len(up) != 2 || up[0].ID != running || up[1].Title != "将来" {
		t.Fatalf("upcoming: %v %v", titles(up), err)
	}
	past, _ := Past(ctx, db, "2024-06-10", 0, 0)
	if len(past) != 1 || past[0].Title != "过去" {
		t.Fatalf("past: %v", titles(past))
	}
	e, err := Get(ctx, db, running)
	if err != nil || e.UID == "" || strings.Join(e.RelatedWorks, ",") != "w1" {
		t.Fatalf("get: %+v %v", e, err)
	}
	uid := e.UID
	e.Title = "改名"
	e.Reports = []Link{{URL: "https://example.com/r"}}
	if err := Update(ctx, db, e); err != nil {
		t.Fatal(err)
	}
	e, _ = Get(ctx, db, running)
	if e.Title != "改名" || e.UID != uid || len(e.Reports) != 1 || e.Reports[0].Title != "https://example.com/r" {
		t.Fatalf("update: %+v", e)
	}
	if fw, _ := ForWork(ctx, db, "w1"); len(fw) != 3 {
		t.Fatalf("ForWork %d", len(fw))
	}
	if err := Delete(ctx, db, running); err != nil {
		t.Fatal(err)
	}
	if _, err := Get(ctx, db, running); !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}
}

func titles(es []*Event) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Title)
	}
	return out
}

func TestAgendaXSS(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	for _, p := range xsstest.Payloads {
		e := valid()
		e.Agenda = p + "\n\n- 09:00 开幕 https://example.com"
		id, err := Create(ctx, db, &e)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := Get(ctx, db, id)
		if err := xsstest.Inert(got.AgendaHTML); err != nil {
			t.Errorf("%q: %v", p, err)
		}
	}
}

// unfold undoes RFC 5545 line folding.
func unfold(b []byte) []string {
	s := strings.ReplaceAll(string(b), "\r\n ", "")
	s = strings.TrimSuffix(s, "\r\n")
	return strings.Split(s, "\r\n")
}

func unescapeText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n', 'N':
				b.WriteByte('\n')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// checkICS asserts the RFC 5545 rules a calendar client relies on.
func checkICS(t *testing.T, b []byte) {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Fatal("must end with CRLF")
	}
	for i, l := range bytes.Split(bytes.TrimSuffix(b, []byte("\r\n")), []byte("\r\n")) {
		if len(l) > 75 {
			t.Errorf("line %d is %d octets: %q", i+1, len(l), l)
		}
		if bytes.ContainsAny(l, "\r\n") {
			t.Errorf("line %d has a bare CR or LF", i+1)
		}
		if !utf8.Valid(l) {
			t.Errorf("line %d splits a UTF-8 sequence", i+1)
		}
	}
	lines := unfold(b)
	if lines[0] != "BEGIN:VCALENDAR" || lines[len(lines)-1] != "END:VCALENDAR" {
		t.Fatalf("calendar not wrapped: %q … %q", lines[0], lines[len(lines)-1])
	}
	var inEvent bool
	var have map[string]bool
	for _, l := range lines {
		switch {
		case l == "BEGIN:VEVENT":
			inEvent, have = true, map[string]bool{}
		case l == "END:VEVENT":
			for _, req := range []string{"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"} {
				if !have[req] {
					t.Errorf("VEVENT without %s", req)
				}
			}
			inEvent = false
		case inEvent:
			name := l[:strings.IndexAny(l, ":;")]
			if have[name] {
				t.Errorf("property %s twice", name)
			}
			have[name] = true
		}
	}
	for _, req := range []string{"VERSION:2.0", "PRODID:-//DataLex//Events//ZH"} {
		if !contains(lines, req) {
			t.Errorf("missing %s", req)
		}
	}
}

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}

func prop(lines []string, name string) string {
	for _, l := range lines {
		if strings.HasPrefix(l, name+":") || strings.HasPrefix(l, name+";") {
			return l[strings.IndexByte(l, ':')+1:]
		}
	}
	return ""
}

func TestICS(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	fixClock(t, time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC))
	nasty := `数据, 资产; 大会 \ 第二届` + "\n新行\r\n回车\x01控制"
	e := Event{UID: "fixed-uid-1@datalex", Title: nasty, StartDate: "2024-12-30", EndDate: "2024-12-31", City: "北京", Venue: "国家会议中心, A 厅",
		Organiser: "中国信通院；数据局", Agenda: "## 上午\n\n- 09:00 开幕式，致辞\n- 10:00 主题演讲：《数据资产入表》实务\n\n" + strings.Repeat("长议程文本", 30),
		URL: "https://example.com/expo?a=1,b=2;c", Reports: []Link{{Title: "会议综述", URL: "https://example.com/report"}}}
	if _, err := Create(ctx, db, &e); err != nil {
		t.Fatal(err)
	}
	one := valid()
	one.UID, one.EndDate = "fixed-uid-2@datalex", ""
	if _, err := Create(ctx, db, &one); err != nil {
		t.Fatal(err)
	}
	all, _ := All(ctx, db)
	cal := ICS(all, ICSOptions{BaseURL: "https://datalex.example/"})
	checkICS(t, cal)
	golden(t, "all.ics", cal)

	single := EventICS(all[1], ICSOptions{BaseURL: "https://datalex.example"})
	checkICS(t, single)
	lines := unfold(single)
	// Titles are single-line (whitespace collapsed); control characters go.
	if got := unescapeText(prop(lines, "SUMMARY")); got != "数据, 资产; 大会 \\ 第二届 新行 回车控制" {
		t.Errorf("SUMMARY round trip: %q", got)
	}
	if raw := prop(lines, "SUMMARY"); !strings.Contains(raw, `数据\, 资产\; 大会 \\ 第二届`) {
		t.Errorf("SUMMARY escaping: %q", raw)
	}
	if got := prop(lines, "DTSTART"); got != "20241230" {
		t.Errorf("DTSTART %q", got)
	}
	if got := prop(lines, "DTEND"); got != "20250101" {
		t.Errorf("DTEND must be exclusive across the year end: %q", got)
	}
	if got := prop(lines, "DTSTAMP"); got != "20261122T080000Z" {
		t.Errorf("DTSTAMP %q", got)
	}
	if got := prop(lines, "UID"); got != "fixed-uid-1@datalex" {
		t.Errorf("UID %q", got)
	}
	if got := unescapeText(prop(lines, "LOCATION")); got != "北京 国家会议中心, A 厅" {
		t.Errorf("LOCATION %q", got)
	}
	if got := prop(lines, "URL"); got != "https://example.com/expo?a=1,b=2;c" {
		t.Errorf("URL must not be TEXT-escaped: %q", got)
	}
	if raw := prop(lines, "DESCRIPTION"); !strings.Contains(raw, `主办单位：中国信通院；数据局\n议程：\n上午\n`) {
		t.Errorf("DESCRIPTION newline escaping: %q", raw)
	}
	desc := unescapeText(prop(lines, "DESCRIPTION"))
	for _, want := range []string{"主办单位：中国信通院；数据局", "09:00 开幕式，致辞", "报道：会议综述 https://example.com/report", "详情：https://datalex.example/events/"} {
		if !strings.Contains(desc, want) {
			t.Errorf("DESCRIPTION lacks %q: %q", want, desc)
		}
	}
}

func TestFoldBoundaries(t *testing.T) {
	// Every length around the fold points, with 1-, 2-, 3- and 4-byte runes.
	for _, unit := range []string{"a", "é", "数", "𠀀"} {
		for n := 60; n < 200; n++ {
			var w icsWriter
			s := "SUMMARY:" + strings.Repeat(unit, n)
			w.line(s)
			out := w.Bytes()
			for _, l := range bytes.Split(bytes.TrimSuffix(out, []byte("\r\n")), []byte("\r\n")) {
				if len(l) > 75 || !utf8.Valid(l) {
					t.Fatalf("unit %q n %d: bad line %q", unit, n, l)
				}
			}
			if got := unfold(out); len(got) != 1 || got[0] != s {
				t.Fatalf("unit %q n %d: unfold mismatch", unit, n)
			}
		}
	}
}

func FuzzEscapeFold(f *testing.F) {
	for _, s := range []string{"", "a,b;c\\d\ne", "\r\n\r", "数据资产;,\\", strings.Repeat("数", 100), "\x00\x7f\t", "\\n", "é\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		var w icsWriter
		w.line("SUMMARY:" + escapeText(s))
		out := w.Bytes()
		for _, l := range bytes.Split(bytes.TrimSuffix(out, []byte("\r\n")), []byte("\r\n")) {
			if len(l) > 75 || !utf8.Valid(l) || bytes.ContainsAny(l, "\r\n") {
				t.Fatalf("bad line %q", l)
			}
		}
		lines := unfold(out)
		if len(lines) != 1 {
			t.Fatalf("value broke into %d lines", len(lines))
		}
		want := strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
		want = strings.Map(func(r rune) rune {
			if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || r == utf8.RuneError {
				return -1
			}
			return r
		}, want)
		if got := unescapeText(strings.TrimPrefix(lines[0], "SUMMARY:")); got != want {
			t.Fatalf("round trip %q → %q", want, got)
		}
	})
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from golden:\n%s", name, got)
	}
}

func TestParseReportLines(t *testing.T) {
	links, bad := ParseReportLines("会议综述 https://a.example/1\nhttps://b.example/2\n\n媒体报道｜ https://c.example/3\n没有链接\njavascript:alert(1)")
	if len(links) != 3 || links[0].Title != "会议综述" || links[1].Title != "" || links[2].Title != "媒体报道" || links[2].URL != "https://c.example/3" {
		t.Fatalf("links %+v", links)
	}
	if len(bad) != 2 {
		t.Fatalf("bad %q", bad)
	}
}

// TestForWorkExact: the database prefilter never widens or narrows what
// ForWork returns — an id that is a prefix of another, one holding a LIKE
// wildcard, one that JSON escapes.
func TestForWorkExact(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	for i, related := range [][]string{{"w1"}, {"w10"}, {"w_1", "w2"}, {"wx1"}, {"w<1>"}, {"w1", "w<1>"}} {
		e := valid()
		e.Title = fmt.Sprintf("活动%d", i)
		e.RelatedWorks = related
		if _, err := Create(ctx, db, &e); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		work string
		want string
	}{
		{"w1", "活动0,活动5"},
		{"w10", "活动1"},
		{"w_1", "活动2"},
		{"w2", "活动2"},
		{"wx1", "活动3"},
		{"w<1>", "活动4,活动5"},
		{"w%", ""},
		{"w", ""},
	} {
		got, err := ForWork(ctx, db, tc.work)
		if err != nil {
			t.Fatal(err)
		}
		if s := strings.Join(titles(got), ","); s != tc.want {
			t.Errorf("ForWork(%q) = %q, want %q", tc.work, s, tc.want)
		}
	}
}
