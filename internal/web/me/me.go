package me

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"datalex/internal/account"
	"datalex/internal/community"
	"datalex/internal/web"
	"embed"
	"encoding/hex"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

// MeDeps is what the 我的 module needs besides the server.
type MeDeps struct {
	// Community holds follows and notifications; nil builds one over the
	// server's store.
	Community *community.Service
	// BaseURL is the absolute site root used in the personal feed; empty
	// derives it from each request.
	BaseURL string
}

type meModule struct {
	s       *web.Server
	db      *sql.DB
	com     *community.Service
	baseURL string
	pages   map[string]*template.Template
}

// MountMe serves the personal page (/me), its Atom feed and the follow
// button every module's pages post to (/follow). Call it once, after
// web.New and before serving.
func MountMe(srv *web.Server, deps MeDeps) error {
	m := &meModule{s: srv, db: srv.DB(), com: deps.Community, baseURL: deps.BaseURL}
	if m.com == nil {
		m.com = community.New(m.db)
	}
	extra := template.FuncMap{"ncEntryName": func(kind string) string {
		return map[string]string{community.EntryDocument: "新文件", community.EntryVersion: "新版本", community.EntryNews: "资讯",
			community.EntryThread: "讨论", community.EntryReply: "回复"}[kind]
	}}
	var err error
	if m.pages, err = web.ParsePages(templateFS, extra, "templates/*.html"); err != nil {
		return err
	}
	const (
		anyone = ""
		member = account.RoleMember
	)
	h := srv.Handle
	h("POST /follow", member, m.follow)
	h("GET /me", member, m.mePage)
	h("POST /me/notifications/read", member, m.markRead)
	h("POST /me/feed-token", member, m.newFeedToken)
	h("GET /me/feed.atom", anyone, m.meFeed)
	return nil
}

// page renders one of this module's templates in the site layout.
func (m *meModule) page(w http.ResponseWriter, r *http.Request, code int, tmpl, title, active string, d any) {
	m.s.Render(w, r, code, tmpl, m.pages[tmpl], &web.View{Title: title, Active: active, D: d, Flash: web.FlashOf(r), NoIndex: r.URL.Query().Has("page")})
}

// follow subscribes the member to a topic (tag), region, document or
// thread, or ends the subscription (unfollow=1), and returns to next.
func (m *meModule) follow(w http.ResponseWriter, r *http.Request) {
	u := web.CurrentUser(r)
	kind, value := r.PostFormValue("kind"), r.PostFormValue("value")
	var err error
	done := "followed"
	if r.PostFormValue("unfollow") == "1" {
		err, done = m.com.Unfollow(r.Context(), u.ID, kind, value), "unfollow"
	} else {
		err = m.com.Follow(r.Context(), u.ID, kind, value)
	}
	if err != nil {
		var ve *community.ValidationError
		if errors.As(err, &ve) || errors.Is(err, community.ErrNotFound) {
			m.s.Fail(w, r, http.StatusUnprocessableEntity, "关注失败："+err.Error())
			return
		}
		m.s.ServerError(w, r, "关注失败", err)
		return
	}
	web.RedirectDone(w, r, web.LocalPath(r.PostFormValue("next"), "/me"), done)
}

// 我的: notifications, subscriptions and the feed of what changed, on a
// page and as a personal Atom feed readable with a per-member token.

// feedWindow is how far back the personal feed looks.
const feedWindow = 30 * 24 * time.Hour

type meData struct {
	Notifications []community.Notification
	Names         map[string]string // actors of the notifications
	Unread        int
	Follows       []followRow
	Feed          []community.FeedEntry
	Threads       []*community.Thread
	Regions       []string
	// FeedURL is shown once, right after the token is made: only its
	// hash is stored.
	FeedURL   string
	HasToken  bool
	TokenDate string
}

type followRow struct {
	community.Follow
	KindName string
	Label    string
	URL      string
}

var followKindNames = map[string]string{
	community.FollowTag:    "主题标签",
	community.FollowRegion: "地域",
	community.FollowWork:   "文件",
	community.FollowThread: "讨论",
}

func (m *meModule) mePage(w http.ResponseWriter, r *http.Request) {
	m.renderMe(w, r, "")
}

func (m *meModule) renderMe(w http.ResponseWriter, r *http.Request, feedURL string) {
	ctx := r.Context()
	u := web.CurrentUser(r)
	d := meData{Regions: web.Regions(), FeedURL: feedURL}
	var err error
	if d.Notifications, err = m.com.Notifications(ctx, u.ID, false, 50); err == nil {
		d.Unread, err = m.com.UnreadCount(ctx, u.ID)
	}
	var follows []community.Follow
	if err == nil {
		follows, err = m.com.Follows(ctx, u.ID)
	}
	if err == nil {
		d.Feed, err = m.com.Feed(ctx, u.ID, time.Now().Add(-feedWindow))
	}
	if err == nil {
		d.Threads, _, err = m.com.ThreadList(ctx, community.ThreadQuery{AuthorID: u.ID, Sort: community.SortNewest, Limit: 10})
	}
	if err != nil {
		m.s.ServerError(w, r, "读取个人页面失败", err)
		return
	}
	var actors []string
	for _, n := range d.Notifications {
		actors = append(actors, n.ActorID)
	}
	d.Names = m.s.Usernames(ctx, actors...)
	for _, f := range follows {
		d.Follows = append(d.Follows, m.followRow(ctx, f))
	}
	created, err := m.feedTokenDate(ctx, u.ID)
	if err != nil {
		m.s.ServerError(w, r, "读取订阅地址失败", err)
		return
	}
	d.HasToken, d.TokenDate = created != "", created
	m.page(w, r, http.StatusOK, "me", "我的", "me", d)
}

// followRow names a subscription and links it to its page.
func (m *meModule) followRow(ctx context.Context, f community.Follow) followRow {
	row := followRow{Follow: f, KindName: followKindNames[f.Kind], Label: f.Value}
	switch f.Kind {
	case community.FollowTag:
		row.URL = "/community?tag=" + url.QueryEscape(f.Value)
	case community.FollowRegion:
		row.URL = "/library?region=" + url.QueryEscape(f.Value)
	case community.FollowWork:
		row.URL = community.DocumentPath(f.Value)
		if v := m.s.Catalog().Preferred(f.Value); v != nil {
			row.Label = v.Title
		}
	case community.FollowThread:
		if id, err := strconv.ParseInt(f.Value, 10, 64); err == nil {
			row.URL = community.ThreadPath(id)
			if th, err := m.com.Thread(ctx, id); err == nil && !th.Hidden {
				row.Label = th.Title
			}
		}
	}
	return row
}

func (m *meModule) markRead(w http.ResponseWriter, r *http.Request) {
	u := web.CurrentUser(r)
	var ids []int64
	if id := web.FormID(r, "id"); id > 0 {
		ids = append(ids, id)
	} else {
		ns, err := m.com.Notifications(r.Context(), u.ID, true, 500)
		if err != nil {
			m.s.ServerError(w, r, "读取通知失败", err)
			return
		}
		for _, n := range ns {
			ids = append(ids, n.ID)
		}
	}
	if len(ids) > 0 {
		if err := m.com.MarkRead(r.Context(), u.ID, ids...); err != nil {
			m.s.ServerError(w, r, "标记通知失败", err)
			return
		}
	}
	if next := web.LocalPath(r.PostFormValue("next"), ""); next != "" {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	web.RedirectDone(w, r, "/me#notifications", "read")
}

// Feed tokens: feed readers cannot log in, so the personal feed accepts a
// random token in its URL. Only the token's SHA-256 is stored; making a
// new one revokes the old.

func hashFeedToken(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

func (m *meModule) newFeedToken(w http.ResponseWriter, r *http.Request) {
	u := web.CurrentUser(r)
	tok := web.RandomToken()
	_, err := m.db.ExecContext(r.Context(), `INSERT INTO feed_tokens (user_id, token_hash, created_at) VALUES (?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at`,
		u.ID, hashFeedToken(tok), time.Now().UTC().Format(time.RFC3339))
	if err != nil {
		m.s.ServerError(w, r, "生成订阅地址失败", err)
		return
	}
	// Rendered directly, not redirected: the token must not land in a
	// URL the browser keeps in its history.
	m.renderMe(w, r, m.s.SiteURL(r, m.baseURL)+"/me/feed.atom?token="+url.QueryEscape(tok))
}

func (m *meModule) feedTokenDate(ctx context.Context, userID string) (string, error) {
	var created string
	err := m.db.QueryRowContext(ctx, `SELECT created_at FROM feed_tokens WHERE user_id = ?`, userID).Scan(&created)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if t, e := time.Parse(time.RFC3339, created); e == nil {
		created = t.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04")
	}
	return created, err
}

// feedUser finds the member a feed token belongs to.
func (m *meModule) feedUser(ctx context.Context, tok string) (*account.User, error) {
	if tok == "" || len(tok) > 100 {
		return nil, nil
	}
	var id string
	err := m.db.QueryRowContext(ctx, `SELECT user_id FROM feed_tokens WHERE token_hash = ?`, hashFeedToken(tok)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return m.s.Accounts().ByID(ctx, id)
}

// meFeed serves the personal Atom feed to the logged-in member or to
// whoever holds the member's feed token.
func (m *meModule) meFeed(w http.ResponseWriter, r *http.Request) {
	tok := r.URL.Query().Get("token")
	u := web.CurrentUser(r)
	if tok != "" {
		var err error
		if u, err = m.feedUser(r.Context(), tok); err != nil {
			m.s.ServerError(w, r, "读取订阅失败", err)
			return
		}
	}
	if u == nil {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte("订阅地址无效或已失效：请登录后在“我的”页面重新生成。\n"))
		return
	}
	base := m.s.SiteURL(r, m.baseURL)
	self := base + "/me/feed.atom"
	if tok != "" {
		self += "?token=" + url.QueryEscape(tok)
	}
	body, err := m.com.PersonalAtom(r.Context(), u.ID, time.Now().Add(-feedWindow), base, self)
	if err != nil {
		m.s.ServerError(w, r, "生成订阅失败", err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/atom+xml; charset=utf-8")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Referrer-Policy", "no-referrer")
	w.Write(body)
}
