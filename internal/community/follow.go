package community

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"datalex/internal/news"
	"datalex/internal/news/markup"
)

// What a member can follow.
const (
	FollowTag    = "tag"    // a topic: news, document and thread tags
	FollowRegion = "region" // 地域: 全国 or a province
	FollowWork   = "work"   // a document (work id)
	FollowThread = "thread" // a thread id
)

// MaxFollows bounds one member's subscriptions.
const MaxFollows = 200

// DocumentPath is the page of a work in the library; the web layer may
// replace it if its route differs.
var DocumentPath = func(workID string) string { return "/documents/" + url.PathEscape(workID) }

// Follow is one subscription.
type Follow struct {
	Kind      string
	Value     string
	CreatedAt time.Time
}

// Follow subscribes a member; following twice is not an error.
func (s *Service) Follow(ctx context.Context, userID string, kind, value string) error {
	if userID == "" {
		return invalid("user", "请先登录")
	}
	value = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(value), "#＃"))
	switch kind {
	case FollowTag, FollowRegion, FollowWork:
	case FollowThread:
		id, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			return invalid("value", "主题编号无效")
		}
		if _, err := s.Thread(ctx, id); err != nil {
			return err
		}
	default:
		return invalid("kind", "关注类型无效：%q", kind)
	}
	if value == "" || utf8.RuneCountInString(value) > 100 {
		return invalid("value", "关注内容为空或过长")
	}
	var n int
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM follows WHERE user_id = ?`, userID).Scan(&n); err != nil {
		return err
	}
	if n >= MaxFollows {
		return invalid("value", "关注数量已达上限 %d", MaxFollows)
	}
	_, err := s.DB.ExecContext(ctx, `INSERT INTO follows (user_id, kind, value, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		userID, kind, value, ts(s.now()))
	return err
}

// Unfollow removes a subscription.
func (s *Service) Unfollow(ctx context.Context, userID string, kind, value string) error {
	_, err := s.DB.ExecContext(ctx, `DELETE FROM follows WHERE user_id = ? AND kind = ? AND value = ?`, userID, kind, strings.TrimSpace(value))
	return err
}

// Follows lists a member's subscriptions.
func (s *Service) Follows(ctx context.Context, userID string) ([]Follow, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT kind, value, created_at FROM follows WHERE user_id = ? ORDER BY kind, value`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Follow
	for rows.Next() {
		var f Follow
		var c string
		if err := rows.Scan(&f.Kind, &f.Value, &c); err != nil {
			return nil, err
		}
		f.CreatedAt = parseTS(c)
		out = append(out, f)
	}
	return out, rows.Err()
}

// IsFollowing reports whether the member follows kind/value (for buttons).
func (s *Service) IsFollowing(ctx context.Context, userID string, kind, value string) (bool, error) {
	var n int
	err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM follows WHERE user_id = ? AND kind = ? AND value = ?`, userID, kind, value).Scan(&n)
	return n > 0, err
}

// Feed entry kinds.
const (
	EntryDocument = "document" // a new document in the library
	EntryVersion  = "version"  // a new version of a followed work
	EntryNews     = "news"
	EntryThread   = "thread" // a new thread on a followed topic
	EntryReply    = "reply"  // a reply in a followed thread
)

// FeedEntry is one change on a member's personal page.
type FeedEntry struct {
	Kind    string
	Title   string
	Summary string
	URL     string
	Reason  string // why it is shown: 关注标签「数据出境」…
	Time    time.Time
}

// MaxFeedEntries bounds Feed's result.
const MaxFeedEntries = 200

type followSet struct {
	tags, regions, works, threads map[string]bool
}

func (f followSet) empty() bool {
	return len(f.tags)+len(f.regions)+len(f.works)+len(f.threads) == 0
}

func (s *Service) followSet(ctx context.Context, userID string) (followSet, error) {
	fs := followSet{tags: map[string]bool{}, regions: map[string]bool{}, works: map[string]bool{}, threads: map[string]bool{}}
	list, err := s.Follows(ctx, userID)
	if err != nil {
		return fs, err
	}
	for _, f := range list {
		switch f.Kind {
		case FollowTag:
			fs.tags[f.Value] = true
		case FollowRegion:
			fs.regions[f.Value] = true
		case FollowWork:
			fs.works[f.Value] = true
		case FollowThread:
			fs.threads[f.Value] = true
		}
	}
	return fs, nil
}

// Feed returns what changed since t for what the member follows: new
// documents and versions (recorded by news.OnDocumentsImported), news
// items, new threads on followed tags and replies in followed threads
// (excluding the member's own posts and hidden content), newest first.
func (s *Service) Feed(ctx context.Context, userID string, since time.Time) ([]FeedEntry, error) {
	fs, err := s.followSet(ctx, userID)
	if err != nil || fs.empty() {
		return nil, err
	}
	var out []FeedEntry
	changes, err := news.Changes(ctx, s.DB, since, 1000)
	if err != nil {
		return nil, err
	}
	for _, c := range changes {
		reason := ""
		switch {
		case fs.works[c.WorkID]:
			reason = "关注的文件"
		case fs.regions[c.Region]:
			reason = "关注的地域「" + c.Region + "」"
		default:
			for _, t := range c.Tags {
				if fs.tags[t] {
					reason = "关注的标签「" + t + "」"
					break
				}
			}
		}
		if reason == "" {
			continue
		}
		kind, title := EntryDocument, "新文件：《"+c.Title+"》"
		if c.Kind == news.ChangeNewVersion {
			kind, title = EntryVersion, "新版本：《"+c.Title+"》"
		}
		out = append(out, FeedEntry{Kind: kind, Title: title, URL: DocumentPath(c.WorkID), Reason: reason, Time: c.CreatedAt})
	}
	items, _, err := news.List(ctx, s.DB, news.Query{Since: since, Limit: 200})
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		reason := ""
		for _, w := range it.RelatedWorks {
			if fs.works[w] {
				reason = "关注的文件"
			}
		}
		for _, t := range it.Tags {
			if reason == "" && fs.tags[t] {
				reason = "关注的标签「" + t + "」"
			}
			if reason == "" && fs.regions[t] {
				reason = "关注的地域「" + t + "」"
			}
		}
		if reason == "" {
			continue
		}
		out = append(out, FeedEntry{Kind: EntryNews, Title: it.Title, Summary: it.Summary, URL: it.Path(), Reason: "[" + it.Category + "] " + reason, Time: it.CreatedAt})
	}
	threadEntries, err := s.threadFeed(ctx, userID, fs, since)
	if err != nil {
		return nil, err
	}
	out = append(out, threadEntries...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.After(out[j].Time) })
	if len(out) > MaxFeedEntries {
		out = out[:MaxFeedEntries]
	}
	return out, nil
}

func (s *Service) threadFeed(ctx context.Context, userID string, fs followSet, since time.Time) ([]FeedEntry, error) {
	var out []FeedEntry
	if len(fs.tags) > 0 {
		tags := make([]string, 0, len(fs.tags))
		for t := range fs.tags {
			tags = append(tags, t)
		}
		slices.Sort(tags)
		ph := strings.TrimSuffix(strings.Repeat("?,", len(tags)), ",")
		args := []any{ts(since), userID}
		for _, t := range tags {
			args = append(args, t)
		}
		rows, err := s.DB.QueryContext(ctx, `SELECT DISTINCT t.id, t.kind, t.title, t.body_md, t.created_at, g.tag FROM threads t
			JOIN thread_tags g ON g.thread_id = t.id
			WHERE t.created_at >= ? AND t.hidden = 0 AND t.author_id <> ? AND g.tag IN (`+ph+`) ORDER BY t.id LIMIT 200`, args...)
		if err != nil {
			return nil, err
		}
		seen := map[int64]bool{}
		for rows.Next() {
			var id int64
			var kind, title, body, created, tag string
			if err := rows.Scan(&id, &kind, &title, &body, &created, &tag); err != nil {
				rows.Close()
				return nil, err
			}
			if seen[id] {
				continue
			}
			seen[id] = true
			out = append(out, FeedEntry{Kind: EntryThread, Title: "[" + kind + "] " + title, Summary: excerpt(markup.Text(body), 200),
				URL: ThreadPath(id), Reason: "关注的标签「" + tag + "」", Time: parseTS(created)})
		}
		rows.Close()
	}
	if len(fs.threads) > 0 {
		rows, err := s.DB.QueryContext(ctx, `SELECT r.id, r.thread_id, t.title, r.body_md, r.created_at FROM replies r
			JOIN threads t ON t.id = r.thread_id
			JOIN follows f ON f.kind = ? AND f.value = CAST(r.thread_id AS TEXT) AND f.user_id = ?
			WHERE r.created_at >= ? AND r.hidden = 0 AND t.hidden = 0 AND r.author_id <> ? ORDER BY r.id DESC LIMIT 200`,
			FollowThread, userID, ts(since), userID)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var id, threadID int64
			var title, body, created string
			if err := rows.Scan(&id, &threadID, &title, &body, &created); err != nil {
				return nil, err
			}
			out = append(out, FeedEntry{Kind: EntryReply, Title: "回复：" + title, Summary: excerpt(markup.Text(body), 200),
				URL: ReplyPath(threadID, id), Reason: "关注的主题", Time: parseTS(created)})
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// PersonalAtom renders Feed as an Atom feed. baseURL makes links absolute;
// selfURL is the feed's own address (it must carry whatever token the web
// layer uses to identify the member, since feed readers do not log in).
func (s *Service) PersonalAtom(ctx context.Context, userID string, since time.Time, baseURL, selfURL string) ([]byte, error) {
	entries, err := s.Feed(ctx, userID, since)
	if err != nil {
		return nil, err
	}
	base := strings.TrimRight(baseURL, "/")
	var out []news.AtomEntry
	for _, e := range entries {
		html := "<p>" + escapeHTML(e.Summary) + "</p><p>" + escapeHTML(e.Reason) + "</p>"
		out = append(out, news.AtomEntry{
			ID:         fmt.Sprintf("urn:datalex:%s:%d:%s", e.Kind, e.Time.UnixNano(), url.PathEscape(e.URL)),
			Title:      e.Title,
			URL:        base + e.URL,
			Summary:    e.Summary,
			HTML:       html,
			Updated:    e.Time,
			Categories: []string{e.Kind},
		})
	}
	return news.AtomFeed(fmt.Sprintf("%s/me/feed#user-%s", base, url.PathEscape(userID)), "DataLex · 我的关注", selfURL, out)
}

func escapeHTML(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}
