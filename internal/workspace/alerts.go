package workspace

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"

	"datalex/internal/library"
	"datalex/internal/search"
)

// Matcher returns the documents a saved query matches in the current
// library.
type Matcher func(ctx context.Context, vals url.Values) ([]Match, error)

// IndexMatcher matches over a search index: the documents of the top
// search.MaxK provisions, so a new document is reported once it ranks
// among them. cat gives today's 时效性 (nil: the index's status).
func IndexMatcher(ix *search.Index, cat *library.Catalog) Matcher {
	return func(ctx context.Context, vals url.Values) ([]Match, error) {
		q, err := search.ParseRequest(vals)
		if err != nil {
			return nil, err
		}
		if err := q.SetK(search.MaxK); err != nil {
			return nil, err
		}
		q.Offset, q.HitsOnly = 0, true
		res, err := ix.Search(ctx, q)
		if err != nil {
			return nil, err
		}
		var out []Match
		seen := map[string]bool{}
		for _, h := range res.Hits {
			if seen[h.VersionID] {
				continue
			}
			seen[h.VersionID] = true
			m := Match{VersionID: h.VersionID, Title: h.Document, Status: h.Status}
			if cat != nil {
				if v := cat.Resolve(h.VersionID); v != nil {
					m.Title, m.Status = v.Title, v.ValidityOrStatus()
				}
			}
			if m.Status == "" {
				m.Status = "未知"
			}
			out = append(out, m)
		}
		return out, nil
	}
}

// Alerts checks saved searches against the library and tells their
// owners what is new: an in-app notification written in the same
// transaction as the record of what was reported (so nothing is reported
// twice or lost), then an e-mail when the search has an address and Mail
// is set.
type Alerts struct {
	WS *Service
	// Notify writes one in-app notification inside tx.
	Notify func(ctx context.Context, tx *sql.Tx, userID, message, url string) error
	// Mail sends one message (nil: no e-mail).
	Mail    func(to, subject, body string) error
	BaseURL string // absolute site root for links in e-mails
	Log     *slog.Logger

	mu sync.Mutex // one check at a time, so two never report the same find
}

// Change is a matched document whose 时效性 changed.
type Change struct {
	Match
	OldStatus string
}

// Alert is what one check found for one saved search.
type Alert struct {
	Search  *SavedSearch
	UserID  string
	New     []Match
	Changed []Change
	Emailed bool
}

// Empty reports whether there was nothing to tell.
func (a *Alert) Empty() bool { return len(a.New) == 0 && len(a.Changed) == 0 }

// Run checks every saved search and returns the alerts sent.
func (a *Alerts) Run(ctx context.Context, match Matcher) ([]*Alert, error) {
	rows, err := a.WS.db.QueryContext(ctx, `SELECT user_id, `+searchCols+` FROM ws_searches s ORDER BY created_at`)
	if err != nil {
		return nil, err
	}
	type owned struct {
		user string
		ss   *SavedSearch
	}
	var all []owned
	for rows.Next() {
		var o owned
		var ss SavedSearch
		var created, checked string
		if err := rows.Scan(&o.user, &ss.ID, &ss.Name, &ss.Query, &ss.Email, &created, &checked, &ss.Reported); err != nil {
			rows.Close()
			return nil, err
		}
		ss.CreatedAt, ss.CheckedAt = parseTime(created), parseTime(checked)
		o.ss = &ss
		all = append(all, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []*Alert
	for _, o := range all {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		al, err := a.check(ctx, match, o.user, o.ss)
		if err != nil {
			// One broken search (a filter the engine no longer reads)
			// must not stop the others.
			a.log().Warn("检索订阅检查失败", "search", o.ss.ID, "err", err)
			continue
		}
		if !al.Empty() {
			out = append(out, al)
		}
	}
	a.mail(out)
	return out, nil
}

// RunOne checks one of the user's saved searches now.
func (a *Alerts) RunOne(ctx context.Context, match Matcher, userID, id string) (*Alert, error) {
	ss, err := a.WS.Search(ctx, userID, id)
	if err != nil {
		return nil, err
	}
	al, err := a.check(ctx, match, userID, ss)
	if err == nil {
		a.mail([]*Alert{al})
	}
	return al, err
}

func (a *Alerts) log() *slog.Logger {
	if a.Log != nil {
		return a.Log
	}
	return slog.Default()
}

func (a *Alerts) check(ctx context.Context, match Matcher, userID string, ss *SavedSearch) (*Alert, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	matches, err := match(ctx, ss.Values())
	if err != nil {
		return nil, err
	}
	al := &Alert{Search: ss, UserID: userID}
	now := fmtTime(a.WS.now())
	err = a.WS.inTx(ctx, func(tx *sql.Tx) error {
		known := map[string]string{}
		rows, err := tx.QueryContext(ctx, `SELECT version_id, status FROM ws_search_seen WHERE search_id = ?`, ss.ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, st string
			if err := rows.Scan(&id, &st); err != nil {
				rows.Close()
				return err
			}
			known[id] = st
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, m := range matches {
			old, ok := known[m.VersionID]
			switch {
			case !ok:
				al.New = append(al.New, m)
				_, err = tx.ExecContext(ctx, `INSERT INTO ws_search_seen (search_id, version_id, title, status, baseline, found_at)
					VALUES (?, ?, ?, ?, 0, ?)`, ss.ID, m.VersionID, m.Title, m.Status, now)
			case old != m.Status:
				al.Changed = append(al.Changed, Change{Match: m, OldStatus: old})
				_, err = tx.ExecContext(ctx, `UPDATE ws_search_seen SET status = ?, old_status = ?, changed_at = ?, title = ?
					WHERE search_id = ? AND version_id = ?`, m.Status, old, now, m.Title, ss.ID, m.VersionID)
			}
			if err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ws_searches SET checked_at = ? WHERE id = ?`, now, ss.ID); err != nil {
			return err
		}
		if al.Empty() || a.Notify == nil {
			return nil
		}
		return a.Notify(ctx, tx, userID, al.Message(), SearchPath(ss.ID))
	})
	if err != nil {
		return nil, err
	}
	return al, nil
}

// mail sends one message per address for alerts (a digest when several
// searches of one address have news) and marks them Emailed. E-mail is
// best effort: a failure is logged; the in-app notifications stand.
func (a *Alerts) mail(alerts []*Alert) {
	if a.Mail == nil {
		return
	}
	var order []string
	byAddr := map[string][]*Alert{}
	for _, al := range alerts {
		if al.Empty() || al.Search.Email == "" {
			continue
		}
		if byAddr[al.Search.Email] == nil {
			order = append(order, al.Search.Email)
		}
		byAddr[al.Search.Email] = append(byAddr[al.Search.Email], al)
	}
	for _, addr := range order {
		group := byAddr[addr]
		subject, body := Digest(group, a.BaseURL)
		if err := a.Mail(addr, subject, body); err != nil {
			a.log().Warn("检索订阅邮件发送失败", "searches", len(group), "err", err)
			continue
		}
		for _, al := range group {
			al.Emailed = true
		}
	}
}

// Digest is the e-mail for one address: the alert itself, or every alert
// one after another under one subject.
func Digest(alerts []*Alert, base string) (subject, body string) {
	if len(alerts) == 1 {
		return alerts[0].Subject(), alerts[0].Body(base)
	}
	var b strings.Builder
	for i, al := range alerts {
		if i > 0 {
			b.WriteString("\n----\n\n")
		}
		b.WriteString(al.Body(base))
	}
	return fmt.Sprintf("DataLex 检索订阅提醒：%d 个订阅有更新", len(alerts)), b.String()
}

// SearchPath is the page of a saved search and its alerts.
func SearchPath(id string) string { return "/me/searches/" + url.PathEscape(id) }

// Message is the in-app notification text.
func (al *Alert) Message() string {
	var parts []string
	if n := len(al.New); n > 0 {
		parts = append(parts, fmt.Sprintf("%d 件新文件", n))
	}
	if n := len(al.Changed); n > 0 {
		parts = append(parts, fmt.Sprintf("%d 件文件时效性变化", n))
	}
	return "检索订阅「" + al.Search.Name + "」：" + strings.Join(parts, "，")
}

// Subject is the e-mail subject.
func (al *Alert) Subject() string { return "DataLex 检索订阅提醒：" + al.Search.Name }

// Body is the plain-text e-mail with a link to every document.
func (al *Alert) Body(base string) string {
	base = strings.TrimRight(base, "/")
	var b strings.Builder
	fmt.Fprintf(&b, "你订阅的检索「%s」有更新。\n\n", al.Search.Name)
	if len(al.New) > 0 {
		b.WriteString("新命中的文件：\n")
		for _, m := range al.New {
			fmt.Fprintf(&b, "- %s（%s）\n  %s/documents/%s\n", m.Title, m.Status, base, url.PathEscape(m.VersionID))
		}
		b.WriteString("\n")
	}
	if len(al.Changed) > 0 {
		b.WriteString("时效性变化：\n")
		for _, c := range al.Changed {
			fmt.Fprintf(&b, "- %s：%s → %s\n  %s/documents/%s\n", c.Title, c.OldStatus, c.Status, base, url.PathEscape(c.VersionID))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "查看订阅：%s%s\n\n（DataLex 自动通知。退订：在上面的页面删除该订阅。）\n", base, SearchPath(al.Search.ID))
	return b.String()
}
