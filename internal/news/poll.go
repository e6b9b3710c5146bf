package news

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"datalex/internal/news/markup"
)

// Source is an RSS/Atom feed an editor registered.
type Source struct {
	ID           int64
	Name         string
	URL          string
	Category     string // category its items are filed under
	Enabled      bool
	ETag         string
	LastModified string
	LastChecked  time.Time
	LastSuccess  time.Time
	LastError    string // "" when the last poll succeeded
	Failures     int    // consecutive failures
	NextPollAt   time.Time
	ItemsAdded   int
	CreatedBy    string
	CreatedAt    time.Time
}

// AddSource registers a feed.
func AddSource(ctx context.Context, db *sql.DB, s *Source) (int64, error) {
	s.Name = strings.TrimSpace(s.Name)
	s.URL = strings.TrimSpace(s.URL)
	switch {
	case s.Name == "":
		return 0, invalid("name", "来源名称不能为空")
	case utf8.RuneCountInString(s.Name) > MaxSource:
		return 0, invalid("name", "来源名称不能超过 %d 个字", MaxSource)
	case !contains(Categories, s.Category):
		return 0, invalid("category", "栏目无效：%q", s.Category)
	}
	if err := checkHTTPURL(s.URL); err != nil {
		return 0, invalid("url", "订阅地址%s", err.Error())
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM feed_sources WHERE url = ?`, s.URL).Scan(&n); err != nil {
		return 0, err
	}
	if n > 0 {
		return 0, invalid("url", "该订阅地址已登记")
	}
	err := db.QueryRowContext(ctx, `INSERT INTO feed_sources (name, url, category, enabled, created_by, created_at)
		VALUES (?, ?, ?, 1, ?, ?) RETURNING id`, s.Name, s.URL, s.Category, s.CreatedBy, ts(now())).Scan(&s.ID)
	s.Enabled = true
	return s.ID, err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

const sourceCols = `id, name, url, category, enabled, etag, last_modified, last_checked, last_success, last_error,
	failures, next_poll_at, items_added, created_by, created_at`

func scanSource(sc interface{ Scan(...any) error }) (*Source, error) {
	var s Source
	var enabled int
	var checked, success, next, created string
	if err := sc.Scan(&s.ID, &s.Name, &s.URL, &s.Category, &enabled, &s.ETag, &s.LastModified, &checked, &success,
		&s.LastError, &s.Failures, &next, &s.ItemsAdded, &s.CreatedBy, &created); err != nil {
		return nil, err
	}
	s.Enabled = enabled != 0
	s.LastChecked, s.LastSuccess, s.NextPollAt, s.CreatedAt = parseTS(checked), parseTS(success), parseTS(next), parseTS(created)
	return &s, nil
}

// Sources lists the registered feeds with their status.
func Sources(ctx context.Context, db *sql.DB) ([]*Source, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+sourceCols+` FROM feed_sources ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Source
	for rows.Next() {
		s, err := scanSource(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// GetSource returns one feed source.
func GetSource(ctx context.Context, db *sql.DB, id int64) (*Source, error) {
	s, err := scanSource(db.QueryRowContext(ctx, `SELECT `+sourceCols+` FROM feed_sources WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return s, err
}

// SetSourceEnabled pauses or resumes polling a source; resuming clears the
// backoff so the next poll happens at once.
func SetSourceEnabled(ctx context.Context, db *sql.DB, id int64, enabled bool) error {
	v := 0
	if enabled {
		v = 1
	}
	res, err := db.ExecContext(ctx, `UPDATE feed_sources SET enabled = ?, failures = 0, next_poll_at = '' WHERE id = ?`, v, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// DeleteSource removes a source (its items stay).
func DeleteSource(ctx context.Context, db *sql.DB, id int64) error {
	res, err := db.ExecContext(ctx, `DELETE FROM feed_sources WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Poller fetches feeds with bounded resources. The zero value is not
// usable; start from NewPoller.
type Poller struct {
	Client       *http.Client
	Interval     time.Duration // between successful polls of a source
	MaxBackoff   time.Duration // cap of the failure backoff
	Timeout      time.Duration // per request, including reading the body
	MaxBytes     int64         // response size cap
	MaxItems     int           // entries taken per poll
	MaxItemBytes int           // entries with more content than this are skipped
	Workers      int           // sources polled at once (default 4)
	// AllowPrivate lets sources resolve to loopback, private and
	// link-local addresses. Off in production so a registered "feed" cannot
	// make the server probe its own network (SSRF); tests turn it on.
	AllowPrivate bool
	Log          *slog.Logger
}

// NewPoller returns a poller with production limits: 5 MB per response, 100
// entries per poll, 256 KB per entry, 20 s per request.
func NewPoller(interval time.Duration) *Poller {
	p := &Poller{
		Interval:     interval,
		MaxBackoff:   24 * time.Hour,
		Timeout:      20 * time.Second,
		MaxBytes:     5 << 20,
		MaxItems:     100,
		MaxItemBytes: 256 << 10,
		Log:          slog.Default(),
	}
	// The address check runs on the IP actually dialled, after DNS and on
	// every redirect, so rebinding a name does not get around it.
	dialer := &net.Dialer{Timeout: 10 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		if p.AllowPrivate {
			return nil
		}
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		ip, err := netip.ParseAddr(host)
		if err != nil {
			return err
		}
		ip = ip.Unmap()
		if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsUnspecified() || ip.IsMulticast() ||
			ip.IsInterfaceLocalMulticast() || cgnat.Contains(ip) {
			return fmt.Errorf("订阅地址指向内部网络地址 %s，已拒绝", ip)
		}
		return nil
	}}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = dialer.DialContext
	tr.Proxy = nil
	p.Client = &http.Client{Transport: tr, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return errors.New("重定向次数过多")
		}
		return nil
	}}
	return p
}

// cgnat is the shared address space (RFC 6598), internal like RFC 1918.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// PollResult tells what one poll of a source did.
type PollResult struct {
	NotModified bool
	Added       int
	Duplicates  int
	Skipped     int // entries refused (too large, no title)
}

// RunPoller polls due sources every interval until ctx is cancelled. Each
// source is polled in isolation: one failing or hostile feed only affects
// its own status.
func RunPoller(ctx context.Context, db *sql.DB, interval time.Duration) error {
	return NewPoller(interval).Run(ctx, db)
}

// Run is RunPoller with this poller's limits.
func (p *Poller) Run(ctx context.Context, db *sql.DB) error {
	tick := time.NewTicker(p.Interval)
	defer tick.Stop()
	for {
		p.PollDue(ctx, db)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// PollDue polls every enabled source whose next poll time has come, a few
// at a time (so one slow source does not delay the others by its timeout),
// and returns how many it polled.
func (p *Poller) PollDue(ctx context.Context, db *sql.DB) int {
	srcs, err := Sources(ctx, db)
	if err != nil {
		p.logger().Error("读取订阅源失败", "err", err)
		return 0
	}
	workers := p.Workers
	if workers <= 0 {
		workers = 4
	}
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	n := 0
	for _, s := range srcs {
		if ctx.Err() != nil {
			break
		}
		if !s.Enabled || now().Before(s.NextPollAt) {
			continue
		}
		n++
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if _, err := p.PollSource(ctx, db, s); err != nil {
				p.logger().Warn("订阅源抓取失败", "source", s.URL, "err", err)
			}
		}()
	}
	wg.Wait()
	return n
}

func (p *Poller) logger() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	return slog.Default()
}

// PollSource fetches one source, stores its new entries and records the
// outcome (success, 304 or the error) on the source.
func (p *Poller) PollSource(ctx context.Context, db *sql.DB, s *Source) (res PollResult, err error) {
	defer func() {
		// A parser bug triggered by hostile input must not take the
		// poller (and every other source) down with it.
		if r := recover(); r != nil {
			err = fmt.Errorf("解析订阅源时出错: %v", r)
		}
		if serr := p.recordStatus(ctx, db, s, res, err); serr != nil && err == nil {
			err = serr
		}
	}()
	body, etag, lastMod, notModified, err := p.fetch(ctx, s)
	if err != nil {
		return res, err
	}
	if notModified {
		res.NotModified = true
		return res, nil
	}
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return res, fmt.Errorf("无法解析订阅内容（不是有效的 RSS/Atom）: %s", firstLine(err.Error()))
	}
	res, err = p.store(ctx, db, s, feed)
	if err != nil {
		return res, err
	}
	s.ETag, s.LastModified = etag, lastMod
	return res, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200])
	}
	return s
}

// fetch performs a conditional GET with the size and time limits.
func (p *Poller) fetch(ctx context.Context, s *Source) (body []byte, etag, lastMod string, notModified bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, p.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL, nil)
	if err != nil {
		return nil, "", "", false, fmt.Errorf("订阅地址无效: %w", err)
	}
	req.Header.Set("User-Agent", "DataLex-FeedPoller/1.0")
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1")
	if s.ETag != "" {
		req.Header.Set("If-None-Match", s.ETag)
	}
	if s.LastModified != "" {
		req.Header.Set("If-Modified-Since", s.LastModified)
	}
	resp, err := p.Client.Do(req)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, "", "", false, fmt.Errorf("请求超时（%s）", p.Timeout)
		}
		return nil, "", "", false, fmt.Errorf("请求失败: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified {
		return nil, "", "", true, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, "", "", false, fmt.Errorf("服务器返回 HTTP %d", resp.StatusCode)
	}
	if resp.ContentLength > p.MaxBytes {
		return nil, "", "", false, fmt.Errorf("订阅内容过大（%d 字节，上限 %d）", resp.ContentLength, p.MaxBytes)
	}
	body, err = io.ReadAll(io.LimitReader(resp.Body, p.MaxBytes+1))
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, "", "", false, fmt.Errorf("读取超时（%s）", p.Timeout)
		}
		return nil, "", "", false, fmt.Errorf("读取失败: %w", err)
	}
	if int64(len(body)) > p.MaxBytes {
		return nil, "", "", false, fmt.Errorf("订阅内容超过上限 %d 字节", p.MaxBytes)
	}
	return body, resp.Header.Get("ETag"), resp.Header.Get("Last-Modified"), false, nil
}

// store inserts the feed's new entries in one transaction.
func (p *Poller) store(ctx context.Context, db *sql.DB, s *Source, feed *gofeed.Feed) (PollResult, error) {
	var res PollResult
	writeMu.Lock()
	defer writeMu.Unlock()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return res, err
	}
	defer tx.Rollback()
	entries := feed.Items
	if len(entries) > p.MaxItems {
		res.Skipped += len(entries) - p.MaxItems
		entries = entries[:p.MaxItems]
	}
	for _, e := range entries {
		if e == nil {
			continue
		}
		it, keys, ok := p.entryItem(s, e)
		if !ok {
			res.Skipped++
			continue
		}
		dup, err := seen(ctx, tx, s.ID, keys)
		if err != nil {
			return res, err
		}
		if dup {
			res.Duplicates++
			continue
		}
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, `INSERT INTO feed_seen (source_id, key) VALUES (?, ?)`, s.ID, k); err != nil {
				return res, err
			}
		}
		id, err := insertItem(ctx, tx, it, fmt.Sprintf("feed:%d:%s", s.ID, keys[0]))
		if err != nil {
			return res, err
		}
		if id != 0 {
			res.Added++
		}
	}
	if res.Added > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE feed_sources SET items_added = items_added + ? WHERE id = ?`, res.Added, s.ID); err != nil {
			return res, err
		}
	}
	return res, tx.Commit()
}

// entryItem turns a feed entry into a news item and its de-duplication keys
// (guid, link, title hash); ok is false for entries that are refused.
func (p *Poller) entryItem(s *Source, e *gofeed.Item) (*Item, []string, bool) {
	content := e.Content
	if content == "" {
		content = e.Description
	}
	if len(content)+len(e.Description)+len(e.Title) > p.MaxItemBytes {
		return nil, nil, false
	}
	title := markup.HTMLText(e.Title)
	title = strings.Join(strings.Fields(title), " ")
	if title == "" {
		return nil, nil, false
	}
	if r := []rune(title); len(r) > MaxTitle {
		title = string(r[:MaxTitle-1]) + "…"
	}
	html := markup.Sanitize(content)
	text := markup.HTMLText(html)
	summary := text
	if r := []rune(summary); len(r) > 300 {
		summary = string(r[:299]) + "…"
	}
	link := strings.TrimSpace(e.Link)
	if checkHTTPURL(link) != nil {
		link = ""
	}
	it := &Item{
		Category:     s.Category,
		Title:        title,
		Summary:      summary,
		Body:         text,
		BodyHTML:     html,
		SourceName:   s.Name,
		SourceURL:    link,
		Tags:         entryTags(e.Categories),
		Origin:       OriginFeed,
		FeedSourceID: s.ID,
		Provenance:   s.URL,
	}
	if len(it.Body) > MaxBodyBytes {
		return nil, nil, false
	}
	switch {
	case e.PublishedParsed != nil:
		it.PublishedDate = e.PublishedParsed.Format("2006-01-02")
	case e.UpdatedParsed != nil:
		it.PublishedDate = e.UpdatedParsed.Format("2006-01-02")
	}
	it.normalize()
	if it.Validate() != nil {
		return nil, nil, false
	}
	var keys []string
	if g := strings.TrimSpace(e.GUID); g != "" {
		keys = append(keys, "guid:"+hash(g))
	}
	if link != "" {
		keys = append(keys, "link:"+hash(link))
	}
	keys = append(keys, "title:"+hash(strings.ToLower(title)))
	return it, keys, true
}

func entryTags(cats []string) []string {
	var out []string
	for _, c := range NormalizeTags(cats) {
		if utf8.RuneCountInString(c) <= MaxTagLen && len(out) < MaxTags {
			out = append(out, c)
		}
	}
	return out
}

func hash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:12])
}

func seen(ctx context.Context, tx *sql.Tx, sourceID int64, keys []string) (bool, error) {
	for _, k := range keys {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM feed_seen WHERE source_id = ? AND key = ?`, sourceID, k).Scan(&n); err != nil {
			return false, err
		}
		if n > 0 {
			return true, nil
		}
	}
	return false, nil
}

// recordStatus writes the poll outcome; failures back off exponentially
// (interval × 2^failures, capped).
func (p *Poller) recordStatus(ctx context.Context, db *sql.DB, s *Source, res PollResult, pollErr error) error {
	t := now()
	s.LastChecked = t
	if pollErr == nil {
		s.LastSuccess, s.LastError, s.Failures = t, "", 0
		s.NextPollAt = t.Add(p.Interval)
	} else {
		s.Failures++
		s.LastError = firstLine(pollErr.Error())
		s.NextPollAt = t.Add(p.backoff(s.Failures))
	}
	// A cancelled poll context must not prevent recording the outcome.
	ctx = context.WithoutCancel(ctx)
	writeMu.Lock()
	defer writeMu.Unlock()
	_, err := db.ExecContext(ctx, `UPDATE feed_sources SET etag = ?, last_modified = ?, last_checked = ?, last_success = ?,
		last_error = ?, failures = ?, next_poll_at = ? WHERE id = ?`,
		s.ETag, s.LastModified, ts(t), tsOrEmpty(s.LastSuccess), s.LastError, s.Failures, ts(s.NextPollAt), s.ID)
	return err
}

func tsOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return ts(t)
}

func (p *Poller) backoff(failures int) time.Duration {
	d := p.Interval
	for i := 1; i < failures && d < p.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, p.MaxBackoff)
}
