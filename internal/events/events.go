// Package events is 数据资产盛会集锦: conferences and forums with dates,
// place, organiser, agenda, report links and related documents, listed as
// upcoming or past and exported as iCalendar (RFC 5545).
//
// Events are all-day entries (dates without times): announcements rarely
// give reliable times, and an all-day entry never shifts across time zones.
package events

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"datalex/internal/news/markup"
)

// Size limits (runes unless noted).
const (
	MaxTitle       = 200
	MaxPlace       = 100 // city, venue, organiser
	MaxAgendaBytes = 64 << 10
	MaxURL         = 2048
	MaxReports     = 20
	MaxWorks       = 50
)

// ErrNotFound is returned for a missing event.
var ErrNotFound = errors.New("未找到该活动")

// ValidationError names the field at fault, with a Chinese message.
type ValidationError struct {
	Field string
	Msg   string
}

func (e *ValidationError) Error() string { return e.Msg }

func invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// Link is a report or article about an event.
type Link struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// Event is one conference or forum.
type Event struct {
	ID           int64
	UID          string // stable iCalendar UID
	Title        string
	StartDate    string // YYYY-MM-DD
	EndDate      string // YYYY-MM-DD, ≥ StartDate (same day for one-day events)
	City         string
	Venue        string
	Organiser    string
	Agenda       string // Markdown
	AgendaHTML   string // sanitised
	URL          string // official page
	Reports      []Link
	RelatedWorks []string
	CreatedBy    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Path is the event's page path.
func (e *Event) Path() string { return EventPath(e.ID) }

// EventPath is the page path of event id; its .ics is Path()+".ics".
func EventPath(id int64) string { return "/events/" + strconv.FormatInt(id, 10) }

// Upcoming reports whether the event has not ended on day today (YYYY-MM-DD).
func (e *Event) Upcoming(today string) bool { return e.EndDate >= today }

var now = func() time.Time { return time.Now().UTC() }

const tsLayout = "2006-01-02T15:04:05.000000Z07:00"

func ts(t time.Time) string { return t.UTC().Format(tsLayout) }

func parseTS(s string) time.Time {
	t, _ := time.Parse(tsLayout, s)
	return t
}

func (e *Event) normalize() {
	clean := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	e.Title, e.City, e.Venue, e.Organiser = clean(e.Title), clean(e.City), clean(e.Venue), clean(e.Organiser)
	e.StartDate, e.EndDate, e.URL = strings.TrimSpace(e.StartDate), strings.TrimSpace(e.EndDate), strings.TrimSpace(e.URL)
	if e.EndDate == "" {
		e.EndDate = e.StartDate
	}
	var reports []Link
	for _, l := range e.Reports {
		l.Title, l.URL = clean(l.Title), strings.TrimSpace(l.URL)
		if l.URL == "" && l.Title == "" {
			continue
		}
		if l.Title == "" {
			l.Title = l.URL
		}
		reports = append(reports, l)
	}
	e.Reports = reports
	var works []string
	for _, w := range e.RelatedWorks {
		if w = strings.TrimSpace(w); w != "" && !slices.Contains(works, w) {
			works = append(works, w)
		}
	}
	e.RelatedWorks = works
}

// Validate checks an event as an editor submits it.
func (e *Event) Validate() error {
	switch {
	case e.Title == "":
		return invalid("title", "活动名称不能为空")
	case utf8.RuneCountInString(e.Title) > MaxTitle:
		return invalid("title", "活动名称不能超过 %d 个字", MaxTitle)
	case e.StartDate == "":
		return invalid("start_date", "请填写开始日期")
	case !validDate(e.StartDate):
		return invalid("start_date", "开始日期格式应为 YYYY-MM-DD")
	case !validDate(e.EndDate):
		return invalid("end_date", "结束日期格式应为 YYYY-MM-DD")
	case e.EndDate < e.StartDate:
		return invalid("end_date", "结束日期不能早于开始日期")
	case daysBetween(e.StartDate, e.EndDate) > 366:
		return invalid("end_date", "活动时长不能超过一年")
	case e.City == "":
		return invalid("city", "请填写城市")
	case e.Organiser == "":
		return invalid("organiser", "请填写主办单位")
	case utf8.RuneCountInString(e.City) > MaxPlace || utf8.RuneCountInString(e.Venue) > MaxPlace || utf8.RuneCountInString(e.Organiser) > MaxPlace:
		return invalid("venue", "城市、地点和主办单位均不能超过 %d 个字", MaxPlace)
	case len(e.Agenda) > MaxAgendaBytes:
		return invalid("agenda", "议程不能超过 %d KB", MaxAgendaBytes>>10)
	case len(e.Reports) > MaxReports:
		return invalid("reports", "报道链接不能超过 %d 个", MaxReports)
	case len(e.RelatedWorks) > MaxWorks:
		return invalid("related_works", "关联文件不能超过 %d 个", MaxWorks)
	}
	if e.URL != "" && !httpURL(e.URL) {
		return invalid("url", "活动网址必须是 http 或 https 网址")
	}
	for _, l := range e.Reports {
		if !httpURL(l.URL) {
			return invalid("reports", "报道链接「%s」必须是 http 或 https 网址", l.Title)
		}
		if utf8.RuneCountInString(l.Title) > MaxTitle {
			return invalid("reports", "报道标题不能超过 %d 个字", MaxTitle)
		}
	}
	return nil
}

func validDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil && len(s) == 10
}

func daysBetween(a, b string) int {
	ta, _ := time.Parse("2006-01-02", a)
	tb, _ := time.Parse("2006-01-02", b)
	return int(tb.Sub(ta).Hours() / 24)
}

func httpURL(s string) bool {
	if len(s) > MaxURL {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func newUID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b) + "@datalex"
}

// Create validates and stores an event.
func Create(ctx context.Context, db *sql.DB, e *Event) (int64, error) {
	e.normalize()
	if err := e.Validate(); err != nil {
		return 0, err
	}
	e.AgendaHTML = markup.Render(e.Agenda)
	if e.UID == "" {
		e.UID = newUID()
	}
	t := now()
	e.CreatedAt, e.UpdatedAt = t, t
	reports, related := jsonOf(e.Reports), jsonOf(e.RelatedWorks)
	err := db.QueryRowContext(ctx, `INSERT INTO events (uid, title, start_date, end_date, city, venue, organiser, agenda_md,
		agenda_html, url, reports, related, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		e.UID, e.Title, e.StartDate, e.EndDate, e.City, e.Venue, e.Organiser, e.Agenda, e.AgendaHTML, e.URL,
		reports, related, e.CreatedBy, ts(t), ts(t)).Scan(&e.ID)
	if err != nil {
		return 0, fmt.Errorf("保存活动: %w", err)
	}
	return e.ID, nil
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	if string(b) == "null" {
		return "[]"
	}
	return string(b)
}

// Update replaces an event's editable fields (the UID stays, so calendar
// clients update their copy).
func Update(ctx context.Context, db *sql.DB, e *Event) error {
	e.normalize()
	if err := e.Validate(); err != nil {
		return err
	}
	e.AgendaHTML = markup.Render(e.Agenda)
	e.UpdatedAt = now()
	res, err := db.ExecContext(ctx, `UPDATE events SET title = ?, start_date = ?, end_date = ?, city = ?, venue = ?, organiser = ?,
		agenda_md = ?, agenda_html = ?, url = ?, reports = ?, related = ?, updated_at = ? WHERE id = ?`,
		e.Title, e.StartDate, e.EndDate, e.City, e.Venue, e.Organiser, e.Agenda, e.AgendaHTML, e.URL,
		jsonOf(e.Reports), jsonOf(e.RelatedWorks), ts(e.UpdatedAt), e.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Delete removes an event.
func Delete(ctx context.Context, db *sql.DB, id int64) error {
	res, err := db.ExecContext(ctx, `DELETE FROM events WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

const cols = `id, uid, title, start_date, end_date, city, venue, organiser, agenda_md, agenda_html, url, reports, related,
	created_by, created_at, updated_at`

func scan(sc interface{ Scan(...any) error }) (*Event, error) {
	var e Event
	var reports, related, created, updated string
	if err := sc.Scan(&e.ID, &e.UID, &e.Title, &e.StartDate, &e.EndDate, &e.City, &e.Venue, &e.Organiser, &e.Agenda,
		&e.AgendaHTML, &e.URL, &reports, &related, &e.CreatedBy, &created, &updated); err != nil {
		return nil, err
	}
	_ = json.Unmarshal([]byte(reports), &e.Reports)
	_ = json.Unmarshal([]byte(related), &e.RelatedWorks)
	e.CreatedAt, e.UpdatedAt = parseTS(created), parseTS(updated)
	return &e, nil
}

// Get returns one event.
func Get(ctx context.Context, db *sql.DB, id int64) (*Event, error) {
	e, err := scan(db.QueryRowContext(ctx, `SELECT `+cols+` FROM events WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return e, err
}

// Querier is what the reads run through: a *sql.DB, or a statement cache
// (store.Stmts) for the query every document page runs.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func query(ctx context.Context, db Querier, q string, args ...any) ([]*Event, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+cols+` FROM events `+q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Event
	for rows.Next() {
		e, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Today is the current date in China, the calendar the events are in.
func Today() string { return now().In(shanghai).Format("2006-01-02") }

var shanghai = func() *time.Location {
	if l, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return l
	}
	return time.FixedZone("CST", 8*3600)
}()

// Upcoming lists events that have not ended by today (YYYY-MM-DD; ""
// means Today()), soonest first. Running events count as upcoming.
func Upcoming(ctx context.Context, db *sql.DB, today string, limit int) ([]*Event, error) {
	if today == "" {
		today = Today()
	}
	return query(ctx, db, `WHERE end_date >= ? ORDER BY start_date, id LIMIT ?`, today, limitOf(limit))
}

// Past lists events that ended before today, most recent first.
func Past(ctx context.Context, db *sql.DB, today string, limit, offset int) ([]*Event, error) {
	if today == "" {
		today = Today()
	}
	return query(ctx, db, `WHERE end_date < ? ORDER BY start_date DESC, id DESC LIMIT ? OFFSET ?`, today, limitOf(limit), max(offset, 0))
}

// All lists every event by start date (for the calendar feed).
func All(ctx context.Context, db *sql.DB) ([]*Event, error) {
	return query(ctx, db, `ORDER BY start_date, id`)
}

// ForWork lists events related to a work (for its document page). Every
// document view asks, so the database narrows the events to those whose
// related list holds the id as a JSON string (a LIKE prefilter: portable,
// and the exact check below keeps a wildcard in an id from matching
// more) instead of every event being read and decoded.
func ForWork(ctx context.Context, db Querier, workID string) ([]*Event, error) {
	var all []*Event
	var err error
	if quoted := jsonOf(workID); quoted == `"`+workID+`"` {
		// (related || '') rather than the bare column: SQLite marks a
		// statement whose LIKE has a bound pattern on a column for
		// re-preparing at every new binding (the LIKE index optimisation
		// depends on the pattern), which undid the prepared statement of
		// every document page; an expression on the left turns that off.
		// Same result, and no index serves a leading-% pattern anyway.
		all, err = query(ctx, db, `WHERE (related || '') LIKE ? ORDER BY start_date, id`, "%"+quoted+"%")
	} else {
		all, err = query(ctx, db, `ORDER BY start_date, id`) // an id JSON escapes: match after decoding (All)
	}
	if err != nil {
		return nil, err
	}
	var out []*Event
	for _, e := range all {
		if slices.Contains(e.RelatedWorks, workID) {
			out = append(out, e)
		}
	}
	return out, nil
}

func limitOf(n int) int {
	if n <= 0 {
		return 50
	}
	return min(n, 500)
}

// ParseReportLines reads the report-links textarea of the event form: one
// link per line, "标题 https://…" or just the URL. Lines without an
// http(s) URL are returned in bad so the form can point at them.
func ParseReportLines(text string) (links []Link, bad []string) {
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		i := strings.LastIndexAny(line, " \t　")
		title, u := "", line
		if i >= 0 {
			title, u = strings.TrimSpace(line[:i]), strings.TrimSpace(line[i:])
		}
		title = strings.TrimSpace(strings.TrimRight(title, "|｜:："))
		if !httpURL(u) {
			bad = append(bad, line)
			continue
		}
		links = append(links, Link{Title: title, URL: u})
	}
	return links, bad
}
