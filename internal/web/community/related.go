package community

import (
	"context"
	"datalex/internal/community"
	"datalex/internal/events"
	"datalex/internal/library"
	"datalex/internal/news"
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The document page's related box in one statement, so one round trip.
//
// Every document view used to ask the database several times: the news
// of the work (and their tags and works, which the box does not show),
// its events, the citations of its provisions and then each citing
// thread (with its tags and citations, three queries a thread). On
// PostgreSQL each of those is a network round trip with its own wait for a
// pooled connection, which made the document page the slowest page there
// (p99 ≈ 100 ms at 16 connections). Here the four reads are branches of
// one UNION ALL, each selecting only the columns the box shows, in one
// shared row shape:
//
//	kind  id      s1            s2        s3                s4                      n
//	'n'   item    title         category  published date    date sort key           0
//	'e'   event   title         start     related (JSON)    ''                      0
//	't'   thread  provision id  title     kind              last activity           replies
//	'f'   0       ''            ''        ''                ''                      follows
//
// The order of a UNION ALL's rows is not defined, so each list is sorted
// here by the key its own query used to sort by. Portable SQL: the same
// text runs on SQLite and PostgreSQL (through store.Stmts, so it is
// prepared once per number of the work's versions).

// relatedNewsLimit is how many news items the box lists.
const relatedNewsLimit = 5

// relatedBoxSQL is the statement for nv versions of the work, with the
// follows branch when member is true. Arguments: workID (news), the
// events LIKE pattern, the nv version ids, then user id and work id when
// member.
func relatedBoxSQL(nv int, member bool) string {
	var b strings.Builder
	b.WriteString(`SELECT 'n', id, title, category, COALESCE(published_date, ''), COALESCE(published_date, substr(created_at, 1, 10)), 0
	FROM (SELECT id, title, category, published_date, created_at FROM news_items
		WHERE id IN (SELECT item_id FROM news_works WHERE work_id = ?)
		ORDER BY COALESCE(published_date, substr(created_at, 1, 10)) DESC, id DESC LIMIT `)
	b.WriteString(strconv.Itoa(relatedNewsLimit))
	b.WriteString(`) n
UNION ALL
SELECT 'e', id, title, start_date, related, '', 0 FROM events WHERE (related || '') LIKE ('%' || ? || '%')`)
	if nv > 0 {
		b.WriteString(`
UNION ALL
SELECT 't', c.thread_id, c.provision_id, t.title, t.kind, t.last_activity_at, t.reply_count
	FROM post_citations c
	JOIN provisions p ON p.id = c.provision_id
	JOIN threads t ON t.id = c.thread_id
	LEFT JOIN replies r ON r.id = c.reply_id
	WHERE p.version_id IN (`)
		b.WriteString(strings.TrimSuffix(strings.Repeat("?,", nv), ","))
		b.WriteString(`) AND (c.reply_id = 0 OR r.hidden = 0) AND t.hidden = 0`)
	}
	if member {
		b.WriteString(`
UNION ALL
SELECT 'f', 0, '', '', '', '', COUNT(*) FROM follows WHERE user_id = ? AND kind = ? AND value = ?`)
	}
	return b.String()
}

// relatedRows is the box's data as read by relatedBoxSQL, before sorting.
type relatedRows struct {
	news      []relatedNewsRow
	events    []relatedEvent
	eventIDs  []int64
	threads   map[int64]*relatedThreadRow
	order     []int64 // thread ids in first-seen order
	following bool
}

type relatedNewsRow struct {
	item *news.Item
	key  string
}

type relatedThreadRow struct {
	t    relatedThread
	last time.Time
}

// loadRelated runs the box's one statement for version v of its work
// (every version of the work when the catalog knows it); userID is the
// signed-in user ("" for none).
func (m *Module) loadRelated(ctx context.Context, v *library.Version, userID string) (*relatedRelated, error) {
	labels := map[string]string{}
	versions := []*library.Version{v}
	if w := m.s.Catalog().Work(v.WorkID); w != nil {
		versions = w.Versions
	}
	args := []any{v.WorkID, eventsPattern(v.WorkID)}
	for _, ver := range versions {
		args = append(args, ver.ID)
		for _, p := range ver.Provisions {
			labels[p.ID] = p.Label
		}
	}
	member := userID != ""
	if member {
		args = append(args, userID, community.FollowWork, v.WorkID)
	}
	rows, err := m.stmts.QueryContext(ctx, relatedBoxSQL(len(versions), member), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	rr := &relatedRows{threads: map[int64]*relatedThreadRow{}}
	for rows.Next() {
		var kind, s1, s2, s3, s4 string
		var id, n int64
		if err := rows.Scan(&kind, &id, &s1, &s2, &s3, &s4, &n); err != nil {
			return nil, err
		}
		switch kind {
		case "n":
			rr.news = append(rr.news, relatedNewsRow{item: &news.Item{ID: id, Title: s1, Category: s2, PublishedDate: s3}, key: s4})
		case "e":
			var related []string
			_ = json.Unmarshal([]byte(s3), &related)
			if slices.Contains(related, v.WorkID) { // the LIKE is only a prefilter
				rr.events = append(rr.events, relatedEvent{Title: s1, URL: events.EventPath(id), Date: s2})
				rr.eventIDs = append(rr.eventIDs, id)
			}
		case "t":
			l, ok := labels[s1]
			if !ok {
				continue // not in this snapshot's versions
			}
			row := rr.threads[id]
			if row == nil {
				last, _ := time.Parse(threadTSLayout, s4)
				row = &relatedThreadRow{t: relatedThread{Title: s2, URL: community.ThreadPath(id), Kind: s3, Replies: int(n)}, last: last}
				rr.threads[id] = row
				rr.order = append(rr.order, id)
			}
			if l != "" && !slices.Contains(row.t.Provisions, l) {
				row.t.Provisions = append(row.t.Provisions, l)
			}
		case "f":
			rr.following = n > 0
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return rr.sorted(), nil
}

// relatedRelated is the box's lists in display order.
type relatedRelated struct {
	News      []*news.Item
	Events    []relatedEvent
	Threads   []relatedThread
	Following bool
}

// sorted orders each list as its own query did: news by date (published,
// else created) then id, newest first; events by start date then id;
// threads by latest activity (ties in first-seen order), at most 10.
func (rr *relatedRows) sorted() *relatedRelated {
	out := &relatedRelated{Following: rr.following}
	sort.SliceStable(rr.news, func(i, j int) bool {
		a, b := rr.news[i], rr.news[j]
		if a.key != b.key {
			return a.key > b.key
		}
		return a.item.ID > b.item.ID
	})
	for _, n := range rr.news[:min(len(rr.news), relatedNewsLimit)] {
		out.News = append(out.News, n.item)
	}
	idx := make([]int, len(rr.events))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool {
		a, b := rr.events[idx[i]], rr.events[idx[j]]
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		return rr.eventIDs[idx[i]] < rr.eventIDs[idx[j]]
	})
	for _, i := range idx {
		out.Events = append(out.Events, rr.events[i])
	}
	ths := make([]*relatedThreadRow, 0, len(rr.order))
	for _, id := range rr.order {
		ths = append(ths, rr.threads[id])
	}
	sort.SliceStable(ths, func(i, j int) bool { return ths[i].last.After(ths[j].last) })
	for _, th := range ths[:min(len(ths), 10)] {
		t := th.t
		if t.Provisions == nil {
			t.Provisions = []string{}
		}
		out.Threads = append(out.Threads, t)
	}
	return out
}

// eventsPattern is the inside of the LIKE prefilter for events relating to
// workID: its JSON string inside the related list, or "" (every event) when
// the id's JSON form escapes characters (then only the exact check after
// decoding decides), as events.ForWork does. The statement wraps it in
// '%' || ? || '%': a whole pattern bound on the right of LIKE makes SQLite
// re-prepare the compound statement at every execution (concatenating an
// empty string to the column stops it for a lone statement, not here), about half
// of the box's CPU in a server profile.
func eventsPattern(workID string) string {
	b, _ := json.Marshal(workID)
	if string(b) != `"`+workID+`"` {
		return ""
	}
	return string(b)
}

// threadTSLayout is how the community service stores times.
const threadTSLayout = "2006-01-02T15:04:05.000000Z07:00"
