// Package news is 数据资产头条: news items in categories (法规动态, 行业资讯,
// 数安热点 …) with tags and links to the works they concern, seeded from the
// library, written by editors, generated when documents are imported and
// ingested from RSS/Atom sources; plus per-category RSS and Atom feeds.
//
// Everything here is plain functions over a *sql.DB (store.Store.DB()); the
// web layer adds handlers and templates.
package news

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"datalex/internal/news/markup"
)

// Categories.
const (
	CategoryRegulation = "法规动态"
	CategoryIndustry   = "行业资讯"
	CategoryHot        = "数安热点"
	CategoryPolicy     = "政策解读"
	CategoryPractice   = "实务案例"
)

// Categories lists the categories in display order.
var Categories = []string{CategoryRegulation, CategoryIndustry, CategoryHot, CategoryPolicy, CategoryPractice}

// Origins of an item.
const (
	OriginEditor = "editor"
	OriginSeed   = "seed"
	OriginImport = "import"
	OriginFeed   = "feed"
)

// Date precisions: how much of PublishedDate the source states.
const (
	PrecisionDay   = "day"   // 2024-11-01
	PrecisionMonth = "month" // 2024-11
	PrecisionYear  = "year"  // 2024
)

// Size limits (runes unless noted).
const (
	MaxTitle     = 200
	MaxSummary   = 1000
	MaxBodyBytes = 200 << 10
	MaxTags      = 12
	MaxTagLen    = 32
	MaxURL       = 2048
	MaxSource    = 100
	MaxWorks     = 50
)

// ErrNotFound is returned for a missing item or source.
var ErrNotFound = errors.New("未找到该条目")

// ValidationError says which field is wrong and why (in Chinese, for forms).
type ValidationError struct {
	Field string
	Msg   string
}

func (e *ValidationError) Error() string { return e.Msg }

func invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// Item is one news item.
type Item struct {
	ID       int64
	Category string
	Title    string
	Summary  string
	Body     string // Markdown as written (plain text for feed items)
	BodyHTML string // sanitised HTML, safe to embed
	Tags     []string
	// Source of the news (publisher and link), empty when unknown.
	SourceName string
	SourceURL  string
	// PublishedDate is "", YYYY, YYYY-MM or YYYY-MM-DD as the source states
	// it; DatePrecision says which. Never filled in by guessing.
	PublishedDate string
	DatePrecision string
	RelatedWorks  []string
	Origin        string
	FeedSourceID  int64
	Provenance    string
	CreatedBy     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Path is the item's page path.
func (it *Item) Path() string { return ItemPath(it.ID) }

// ItemPath is the page path of item id.
func ItemPath(id int64) string { return "/news/" + itoa(id) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// DisplayDate renders the published date in Chinese at its precision
// (2024年11月 for a month-precision date); "" when unknown.
func (it *Item) DisplayDate() string {
	p := strings.Split(it.PublishedDate, "-")
	switch {
	case it.PublishedDate == "":
		return ""
	case len(p) == 1:
		return p[0] + "年"
	case len(p) == 2:
		return p[0] + "年" + strings.TrimPrefix(p[1], "0") + "月"
	}
	return p[0] + "年" + strings.TrimPrefix(p[1], "0") + "月" + strings.TrimPrefix(p[2], "0") + "日"
}

// writeMu serialises this package's write transactions. They read before
// they write (idempotency keys, seen feed entries) and SQLite refuses with
// SQLITE_BUSY, instead of waiting, such a transaction that races another
// writer. Feed fetches still run in parallel; only the writes queue.
var writeMu sync.Mutex

// now is the clock; tests replace it.
var now = func() time.Time { return time.Now().UTC() }

const tsLayout = "2006-01-02T15:04:05.000000Z07:00"

func ts(t time.Time) string { return t.UTC().Format(tsLayout) }

func parseTS(s string) time.Time {
	t, _ := time.Parse(tsLayout, s)
	return t
}

var dateRe = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)

// precisionOf validates a partial date and returns its precision.
func precisionOf(d string) (string, bool) {
	if d == "" {
		return "", true
	}
	if !dateRe.MatchString(d) {
		return "", false
	}
	switch len(d) {
	case 4:
		return PrecisionYear, true
	case 7:
		_, err := time.Parse("2006-01", d)
		return PrecisionMonth, err == nil
	}
	_, err := time.Parse("2006-01-02", d)
	return PrecisionDay, err == nil
}

// normalize trims fields, drops duplicate tags and fills derived fields
// (precision, HTML) before validation.
func (it *Item) normalize() {
	it.Category = strings.TrimSpace(it.Category)
	it.Title = strings.Join(strings.Fields(it.Title), " ")
	it.Summary = strings.TrimSpace(it.Summary)
	it.SourceName = strings.TrimSpace(it.SourceName)
	it.SourceURL = strings.TrimSpace(it.SourceURL)
	it.PublishedDate = strings.TrimSpace(it.PublishedDate)
	it.Tags = NormalizeTags(it.Tags)
	var works []string
	for _, w := range it.RelatedWorks {
		if w = strings.TrimSpace(w); w != "" && !slices.Contains(works, w) {
			works = append(works, w)
		}
	}
	it.RelatedWorks = works
	if it.Origin == "" {
		it.Origin = OriginEditor
	}
}

// NormalizeTags trims tags, strips a leading #, and drops empty and
// duplicate ones (order kept).
func NormalizeTags(tags []string) []string {
	var out []string
	for _, t := range tags {
		t = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(t), "#＃"))
		t = strings.Join(strings.Fields(t), " ")
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// SplitTags splits a form field such as "数据出境, 个人信息，安全评估".
func SplitTags(s string) []string {
	return NormalizeTags(strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(",，、;；\n", r) }))
}

// Validate checks an item as an editor would submit it.
func (it *Item) Validate() error {
	switch {
	case !slices.Contains(Categories, it.Category):
		return invalid("category", "栏目无效：%q", it.Category)
	case it.Title == "":
		return invalid("title", "标题不能为空")
	case utf8.RuneCountInString(it.Title) > MaxTitle:
		return invalid("title", "标题不能超过 %d 个字", MaxTitle)
	case utf8.RuneCountInString(it.Summary) > MaxSummary:
		return invalid("summary", "摘要不能超过 %d 个字", MaxSummary)
	case len(it.Body) > MaxBodyBytes:
		return invalid("body", "正文不能超过 %d KB", MaxBodyBytes>>10)
	case len(it.Tags) > MaxTags:
		return invalid("tags", "标签不能超过 %d 个", MaxTags)
	case utf8.RuneCountInString(it.SourceName) > MaxSource:
		return invalid("source_name", "来源名称不能超过 %d 个字", MaxSource)
	case len(it.RelatedWorks) > MaxWorks:
		return invalid("related_works", "关联文件不能超过 %d 个", MaxWorks)
	}
	for _, t := range it.Tags {
		if utf8.RuneCountInString(t) > MaxTagLen {
			return invalid("tags", "标签「%s」过长（最多 %d 个字）", t, MaxTagLen)
		}
	}
	if it.SourceURL != "" {
		if err := checkHTTPURL(it.SourceURL); err != nil {
			return invalid("source_url", "来源链接%s", err.Error())
		}
	}
	if _, ok := precisionOf(it.PublishedDate); !ok {
		return invalid("published_date", "发布日期格式应为 YYYY-MM-DD、YYYY-MM 或 YYYY")
	}
	return nil
}

// checkHTTPURL accepts absolute http(s) URLs of sane length only, so that a
// stored link can never be javascript: or a relative path.
func checkHTTPURL(s string) error {
	if len(s) > MaxURL {
		return errors.New("过长")
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("必须是 http 或 https 网址")
	}
	return nil
}

// Create validates and stores a new item and returns its id.
func Create(ctx context.Context, db *sql.DB, it *Item) (int64, error) {
	it.normalize()
	if err := it.Validate(); err != nil {
		return 0, err
	}
	writeMu.Lock()
	defer writeMu.Unlock()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	id, err := insertItem(ctx, tx, it, "")
	if err != nil {
		return 0, err
	}
	return id, tx.Commit()
}

// insertItem writes a normalised, validated item. A non-empty originKey
// makes the insert idempotent: it returns 0 when the key already exists.
func insertItem(ctx context.Context, tx *sql.Tx, it *Item, originKey string) (int64, error) {
	prec, _ := precisionOf(it.PublishedDate)
	it.DatePrecision = prec
	if it.Origin != OriginFeed || it.BodyHTML == "" {
		it.BodyHTML = markup.Render(it.Body)
	}
	t := now()
	it.CreatedAt, it.UpdatedAt = t, t
	var key any
	if originKey != "" {
		key = originKey
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM news_items WHERE origin_key = ?`, originKey).Scan(&n); err != nil {
			return 0, err
		}
		if n > 0 {
			return 0, nil
		}
	}
	var feedID any
	if it.FeedSourceID != 0 {
		feedID = it.FeedSourceID
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO news_items
		(category, title, summary, body_md, body_html, source_name, source_url, published_date, date_precision,
		 origin, origin_key, feed_source_id, provenance, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		it.Category, it.Title, it.Summary, it.Body, it.BodyHTML, it.SourceName, it.SourceURL, nullable(it.PublishedDate), prec,
		it.Origin, key, feedID, it.Provenance, it.CreatedBy, ts(t), ts(t)).Scan(&it.ID)
	if err != nil {
		return 0, fmt.Errorf("保存新闻: %w", err)
	}
	if err := writeLinks(ctx, tx, it); err != nil {
		return 0, err
	}
	return it.ID, nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func writeLinks(ctx context.Context, tx *sql.Tx, it *Item) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM news_tags WHERE item_id = ?`, it.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM news_works WHERE item_id = ?`, it.ID); err != nil {
		return err
	}
	for _, t := range it.Tags {
		if _, err := tx.ExecContext(ctx, `INSERT INTO news_tags (item_id, tag) VALUES (?, ?)`, it.ID, t); err != nil {
			return err
		}
	}
	for _, w := range it.RelatedWorks {
		if _, err := tx.ExecContext(ctx, `INSERT INTO news_works (item_id, work_id) VALUES (?, ?)`, it.ID, w); err != nil {
			return err
		}
	}
	return nil
}

// Update replaces an item's editable fields.
func Update(ctx context.Context, db *sql.DB, it *Item) error {
	it.normalize()
	if err := it.Validate(); err != nil {
		return err
	}
	prec, _ := precisionOf(it.PublishedDate)
	it.DatePrecision = prec
	it.BodyHTML = markup.Render(it.Body)
	it.UpdatedAt = now()
	writeMu.Lock()
	defer writeMu.Unlock()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE news_items SET category = ?, title = ?, summary = ?, body_md = ?, body_html = ?,
		source_name = ?, source_url = ?, published_date = ?, date_precision = ?, updated_at = ? WHERE id = ?`,
		it.Category, it.Title, it.Summary, it.Body, it.BodyHTML, it.SourceName, it.SourceURL, nullable(it.PublishedDate), prec,
		ts(it.UpdatedAt), it.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	if err := writeLinks(ctx, tx, it); err != nil {
		return err
	}
	return tx.Commit()
}

// Delete removes an item.
func Delete(ctx context.Context, db *sql.DB, id int64) error {
	res, err := db.ExecContext(ctx, `DELETE FROM news_items WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

const itemCols = `id, category, title, summary, body_md, body_html, source_name, source_url, COALESCE(published_date, ''),
	date_precision, origin, COALESCE(feed_source_id, 0), provenance, created_by, created_at, updated_at`

func scanItem(sc interface{ Scan(...any) error }) (*Item, error) {
	var it Item
	var created, updated string
	err := sc.Scan(&it.ID, &it.Category, &it.Title, &it.Summary, &it.Body, &it.BodyHTML, &it.SourceName, &it.SourceURL,
		&it.PublishedDate, &it.DatePrecision, &it.Origin, &it.FeedSourceID, &it.Provenance, &it.CreatedBy, &created, &updated)
	if err != nil {
		return nil, err
	}
	it.CreatedAt, it.UpdatedAt = parseTS(created), parseTS(updated)
	return &it, nil
}

// Get returns one item with its tags and related works.
func Get(ctx context.Context, db *sql.DB, id int64) (*Item, error) {
	it, err := scanItem(db.QueryRowContext(ctx, `SELECT `+itemCols+` FROM news_items WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if err := loadLinks(ctx, db, []*Item{it}); err != nil {
		return nil, err
	}
	return it, nil
}

// Query selects items for List. Zero values mean "any".
type Query struct {
	Category string
	Tag      string
	WorkID   string    // items related to this work
	Since    time.Time // created at or after
	Limit    int       // default 20, at most 200
	Offset   int
	NoTotal  bool // skip counting the matches (List returns -1): for callers that show no count
}

// List returns items newest first (by published date where known, then by
// creation), with the total number matching.
func List(ctx context.Context, db Querier, q Query) ([]*Item, int, error) {
	where, args := []string{"1=1"}, []any{}
	if q.Category != "" {
		where, args = append(where, "category = ?"), append(args, q.Category)
	}
	if q.Tag != "" {
		where, args = append(where, "id IN (SELECT item_id FROM news_tags WHERE tag = ?)"), append(args, q.Tag)
	}
	if q.WorkID != "" {
		where, args = append(where, "id IN (SELECT item_id FROM news_works WHERE work_id = ?)"), append(args, q.WorkID)
	}
	if !q.Since.IsZero() {
		where, args = append(where, "created_at >= ?"), append(args, ts(q.Since))
	}
	cond := strings.Join(where, " AND ")
	total := -1
	if !q.NoTotal {
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM news_items WHERE `+cond, args...).Scan(&total); err != nil {
			return nil, 0, err
		}
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, 200)
	rows, err := db.QueryContext(ctx, `SELECT `+itemCols+` FROM news_items WHERE `+cond+`
		ORDER BY COALESCE(published_date, substr(created_at, 1, 10)) DESC, id DESC LIMIT ? OFFSET ?`,
		append(args, limit, max(q.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	items, err := scanItems(rows)
	if err != nil {
		return nil, 0, err
	}
	return items, total, loadLinks(ctx, db, items)
}

func scanItems(rows *sql.Rows) ([]*Item, error) {
	defer rows.Close()
	var items []*Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	return items, rows.Err()
}

// Querier is what List reads through: a *sql.DB, or a statement cache
// (store.Stmts) for the queries every page view runs.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// loadLinks fills Tags and RelatedWorks.
func loadLinks(ctx context.Context, db Querier, items []*Item) error {
	if len(items) == 0 {
		return nil
	}
	byID := map[int64]*Item{}
	ph := make([]string, 0, len(items))
	args := make([]any, 0, len(items))
	for _, it := range items {
		byID[it.ID] = it
		ph = append(ph, "?")
		args = append(args, it.ID)
	}
	in := "(" + strings.Join(ph, ",") + ")"
	rows, err := db.QueryContext(ctx, `SELECT item_id, tag FROM news_tags WHERE item_id IN `+in+` ORDER BY 2`, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var t string
		if err := rows.Scan(&id, &t); err != nil {
			rows.Close()
			return err
		}
		byID[id].Tags = append(byID[id].Tags, t)
	}
	rows.Close()
	rows, err = db.QueryContext(ctx, `SELECT item_id, work_id FROM news_works WHERE item_id IN `+in+` ORDER BY 2`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var w string
		if err := rows.Scan(&id, &w); err != nil {
			return err
		}
		byID[id].RelatedWorks = append(byID[id].RelatedWorks, w)
	}
	return rows.Err()
}

// ForWork lists the news concerning a work (for its document page).
func ForWork(ctx context.Context, db Querier, workID string, limit int) ([]*Item, error) {
	// Every document page asks: no count, one query fewer.
	items, _, err := List(ctx, db, Query{WorkID: workID, Limit: limit, NoTotal: true})
	return items, err
}
