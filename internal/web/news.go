package web

import (
	"context"
	"database/sql"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"datalex/internal/account"
	"datalex/internal/community"
	"datalex/internal/library"
	"datalex/internal/news"
	"datalex/internal/news/markup"
)

// NewsEventsCommunityConfig is what the 头条, 盛会 and 对话 modules need
// besides the server itself.
type NewsEventsCommunityConfig struct {
	// Community is the 对话数据资产 service. Nil builds one over the
	// server's store whose [[…]] resolver follows library reloads.
	Community *community.Service
	// BaseURL is the absolute site root used in feeds and calendars
	// (https://datalex.example). Empty derives it from each request.
	BaseURL string
	// Poller is used by the editors' "立即抓取" button; nil uses
	// news.NewPoller (which refuses private addresses).
	Poller *news.Poller
}

// ncModule serves 头条, 盛会, 对话 and the personal page.
type ncModule struct {
	s       *Server
	db      *sql.DB
	com     *community.Service
	baseURL string
	poller  *news.Poller
	index   ncIndexCache

	resolveMu  sync.Mutex
	resolveCat *library.Catalog
	resolveFn  community.CitationResolver
}

// ncModules lets the document and search pages (Server methods) find the
// module mounted on a server without a field in Server.
var ncModules sync.Map // *Server → *ncModule

func ncOf(s *Server) *ncModule {
	m, _ := ncModules.Load(s)
	nc, _ := m.(*ncModule)
	return nc
}

// MountNewsEventsCommunity serves 数据资产头条 (/news), 数据资产盛会集锦
// (/events), 对话数据资产 (/community), the personal page (/me) and the
// non-authoritative search over news and community content. Call it once,
// after New and before serving. Editor uploads through the back office
// are announced as 法规动态 items (news.OnDocumentsImported).
func MountNewsEventsCommunity(srv *Server, cfg NewsEventsCommunityConfig) {
	db := srv.cfg.Store.DB()
	m := &ncModule{s: srv, db: db, com: cfg.Community, baseURL: strings.TrimRight(cfg.BaseURL, "/"), poller: cfg.Poller}
	if m.com == nil {
		m.com = community.New(db)
	}
	if m.com.Resolve == nil {
		m.com.Resolve = m.resolve
	}
	if m.poller == nil {
		m.poller = news.NewPoller(30 * time.Minute)
	}
	m.index.m = m
	ncModules.Store(srv, m)
	// The home page's module cards link here instead of 即将上线.
	mods := map[string]string{"news": "/news", "events": "/events", "community": "/community"}
	for k, v := range srv.cfg.Modules {
		mods[k] = v
	}
	srv.cfg.Modules = mods
	m.announceImports()

	const (
		anyone = ""
		member = account.RoleMember
		editor = account.RoleEditor
	)
	h := srv.Handle
	h("GET /news", anyone, m.newsList)
	h("GET /news/feed.rss", anyone, m.newsFeed)
	h("GET /news/feed.atom", anyone, m.newsFeed)
	h("GET /news/new", editor, m.newsNew)
	h("POST /news", editor, m.newsCreate)
	h("GET /news/{id}", anyone, m.newsItem)
	h("GET /news/{id}/edit", editor, m.newsEdit)
	h("POST /news/{id}/edit", editor, m.newsSave)
	h("POST /news/{id}/delete", editor, m.newsDelete)
	h("GET /admin/feeds", editor, m.feedSources)
	h("POST /admin/feeds", editor, m.feedAdd)
	h("POST /admin/feeds/{id}/enabled", editor, m.feedEnable)
	h("POST /admin/feeds/{id}/delete", editor, m.feedDelete)
	h("POST /admin/feeds/{id}/poll", editor, m.feedPoll)

	h("GET /events", anyone, m.eventList)
	h("GET /events.ics", anyone, m.eventsICS)
	h("GET /events/new", editor, m.eventNew)
	h("POST /events", editor, m.eventCreate)
	h("GET /events/{id}", anyone, m.eventPage) // also {id}.ics
	h("GET /events/{id}/edit", editor, m.eventEdit)
	h("POST /events/{id}/edit", editor, m.eventSave)
	h("POST /events/{id}/delete", editor, m.eventDelete)

	h("GET /community", anyone, m.threadList)
	h("GET /community/new", member, m.threadNew)
	h("POST /community/threads", member, m.threadCreate)
	h("GET /community/threads/{id}", anyone, m.threadPage)
	h("GET /community/threads/{id}/edit", member, m.threadEdit)
	h("POST /community/threads/{id}/edit", member, m.threadSave)
	h("POST /community/threads/{id}/replies", member, m.replyCreate)
	h("POST /community/threads/{id}/accept", member, m.accept)
	h("POST /community/threads/{id}/vote", member, m.vote)
	h("POST /community/threads/{id}/attachments", member, m.attach)
	h("POST /community/threads/{id}/report", member, m.report)
	h("POST /community/threads/{id}/moderate", editor, m.moderate)
	h("GET /community/attachments/{id}/{name}", anyone, m.download)
	h("GET /community/reports", editor, m.reports)
	h("GET /search/community", anyone, m.searchPage)
	h("GET /api/v1/search/community", anyone, m.apiSearch("community"))
	h("GET /api/v1/search/news", anyone, m.apiSearch("news"))

	h("POST /follow", member, m.follow)
	h("GET /me", member, m.mePage)
	h("POST /me/notifications/read", member, m.markRead)
	h("POST /me/feed-token", member, m.newFeedToken)
	h("GET /me/feed.atom", anyone, m.meFeed)
}

// resolve turns [[…]] markers into provisions of the current library,
// rebuilding the name table only when the library snapshot changes.
func (m *ncModule) resolve(ref string) (string, string, bool) {
	cat := m.s.library().cat
	m.resolveMu.Lock()
	if m.resolveCat != cat {
		m.resolveCat, m.resolveFn = cat, community.CatalogResolver(cat)
	}
	fn := m.resolveFn
	m.resolveMu.Unlock()
	return fn(ref)
}

// announceImports wraps the server's import so that a document an editor
// uploads is recorded as a library change (for subscriptions) and
// announced as a 法规动态 item. The seed import at start-up does not pass
// through here.
func (m *ncModule) announceImports() {
	imp := m.s.cfg.Import
	if imp == nil {
		return
	}
	m.s.cfg.Import = func(ctx context.Context, name string, data []byte) error {
		if err := imp(ctx, name, data); err != nil {
			return err
		}
		versions, err := m.s.cfg.Store.LoadLibrary(ctx)
		if err != nil {
			m.s.log.Error("读取新导入的文档失败", "file", name, "err", err)
			return nil
		}
		var fresh []*library.Version
		for _, v := range versions {
			for _, src := range v.Sources {
				if src.File == name {
					fresh = append(fresh, v)
					break
				}
			}
		}
		if n, err := news.OnDocumentsImported(ctx, m.db, fresh); err != nil {
			m.s.log.Error("生成法规动态失败", "file", name, "err", err)
		} else if n > 0 {
			m.index.invalidate()
		}
		return nil
	}
}

// page renders one of this module's templates in the site layout.
func (m *ncModule) page(w http.ResponseWriter, r *http.Request, code int, tmpl, title, active string, d any) {
	m.s.render(w, r, code, tmpl, &view{Title: title, Active: active, D: d, Flash: flashOf(r), NoIndex: r.URL.Query().Has("page")})
}

// flashes are the confirmations a redirect may ask for with ?done=; only
// these fixed texts are shown, never the parameter itself.
var flashes = map[string]string{
	"created":   "已发布。",
	"saved":     "已保存。",
	"deleted":   "已删除。",
	"replied":   "回复已发布。",
	"accepted":  "已采纳该回答。",
	"voted":     "已记录你的投票。",
	"attached":  "附件已上传，文字内容已可检索。",
	"reported":  "已举报，版主会尽快处理。",
	"moderated": "已处理。",
	"followed":  "已关注，相关更新会出现在“我的”页面。",
	"unfollow":  "已取消关注。",
	"read":      "通知已标记为已读。",
	"token":     "已生成新的订阅地址，旧地址已失效。",
	"source":    "订阅源已登记，将按计划抓取。",
	"polled":    "已抓取该订阅源。",
}

func flashOf(r *http.Request) string { return flashes[r.URL.Query().Get("done")] }

// ncRedirect sends the browser to path with a confirmation.
func ncRedirect(w http.ResponseWriter, r *http.Request, path, done string) {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	frag := ""
	if i := strings.Index(path, "#"); i >= 0 {
		path, frag = path[:i], path[i:]
	}
	http.Redirect(w, r, path+sep+"done="+done+frag, http.StatusSeeOther)
}

// siteURL is the absolute site root for feeds and calendars.
func (m *ncModule) siteURL(r *http.Request) string {
	if m.baseURL != "" {
		return m.baseURL
	}
	scheme := "http"
	if r.TLS != nil || m.s.cfg.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func ncPathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// ncFieldErrors places a package's validation error next to its field;
// other errors go to the top of the form.
func ncFieldErrors(err error) (map[string]string, string) {
	var ne *news.ValidationError
	var ce *community.ValidationError
	switch {
	case errors.As(err, &ne):
		return map[string]string{ne.Field: ne.Msg}, ""
	case errors.As(err, &ce):
		return map[string]string{ce.Field: ce.Msg}, ""
	}
	if ee := eventValidation(err); ee != nil {
		return ee, ""
	}
	return map[string]string{}, err.Error()
}

// pager is the page navigation of a list.
type ncPager struct {
	Page, Pages int
	Query       url.Values
}

func ncPageOf(r *http.Request) int {
	p, _ := strconv.Atoi(r.URL.Query().Get("page"))
	return max(p, 1)
}

func ncNewPager(r *http.Request, page, total, per int) ncPager {
	return ncPager{Page: page, Pages: max((total+per-1)/per, 1), Query: r.URL.Query()}
}

// ncWorkLink is a related document as shown on news and event pages.
type ncWorkLink struct {
	ID, Title string
}

// workLinks names related works from the current library; works no longer
// in the library are listed by id.
func (m *ncModule) workLinks(ids []string) []ncWorkLink {
	cat := m.s.library().cat
	var out []ncWorkLink
	for _, id := range ids {
		l := ncWorkLink{ID: id, Title: id}
		if v := cat.Preferred(id); v != nil {
			l.Title = v.Title
		}
		out = append(out, l)
	}
	return out
}

// parseWorks reads a "related documents" textarea: one work per line, as a
// work id, a document URL (/documents/…) or an exact title.
func (m *ncModule) parseWorks(text string) ([]string, string) {
	cat := m.s.library().cat
	var ids, bad []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if i := strings.Index(line, "/documents/"); i >= 0 {
			line = strings.Trim(line[i+len("/documents/"):], "/ ")
			if j := strings.IndexAny(line, "?#"); j >= 0 {
				line = line[:j]
			}
		}
		if v := cat.Resolve(line); v != nil {
			ids = append(ids, v.WorkID)
			continue
		}
		found := false
		for _, v := range cat.Versions {
			if v.Title == line || strings.Trim(line, "《》") == v.Title {
				ids, found = append(ids, v.WorkID), true
				break
			}
		}
		if !found {
			bad = append(bad, line)
		}
	}
	if len(bad) > 0 {
		return ids, "资料库中找不到：" + strings.Join(bad, "、")
	}
	return ids, ""
}

func worksText(ids []string) string { return strings.Join(ids, "\n") }

// 数据资产头条.

type newsListData struct {
	Items      []*news.Item
	Categories []string
	Category   string
	Tag        string
	Total      int
	Pager      ncPager
	Following  bool
}

func (m *ncModule) newsList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := newsListData{Categories: news.Categories, Tag: strings.TrimSpace(q.Get("tag"))}
	if c := q.Get("category"); ncContains(news.Categories, c) {
		d.Category = c
	}
	const per = 20
	page := ncPageOf(r)
	items, total, err := news.List(r.Context(), m.db, news.Query{Category: d.Category, Tag: d.Tag, Limit: per, Offset: (page - 1) * per})
	if err != nil {
		m.serverError(w, r, "读取资讯失败", err)
		return
	}
	d.Items, d.Total, d.Pager = items, total, ncNewPager(r, page, total, per)
	if u := CurrentUser(r); u != nil && d.Tag != "" {
		d.Following, _ = m.com.IsFollowing(r.Context(), u.ID, community.FollowTag, d.Tag)
	}
	title := "数据资产头条"
	if d.Category != "" {
		title = d.Category + " · " + title
	}
	m.page(w, r, http.StatusOK, "news", title, "news", d)
}

func ncContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (m *ncModule) serverError(w http.ResponseWriter, r *http.Request, what string, err error) {
	m.s.log.Error(what, "path", r.URL.Path, "err", err)
	m.s.fail(w, r, http.StatusInternalServerError, what+"，请稍后再试。")
}

type newsItemData struct {
	Item *news.Item
	// Lead: show the summary above the body (not when the summary is
	// just the body's first sentences, as for seeded items).
	Lead    bool
	Works   []ncWorkLink
	Body    template.HTML
	Related []*news.Item
}

func (m *ncModule) newsItem(w http.ResponseWriter, r *http.Request) {
	id, ok := ncPathID(r)
	if !ok {
		m.s.fail(w, r, http.StatusNotFound, "未找到该资讯。")
		return
	}
	it, err := news.Get(r.Context(), m.db, id)
	if errors.Is(err, news.ErrNotFound) {
		m.s.fail(w, r, http.StatusNotFound, "未找到该资讯，它可能已被删除。")
		return
	}
	if err != nil {
		m.serverError(w, r, "读取资讯失败", err)
		return
	}
	// BodyHTML was sanitised by the news package when the item was stored.
	d := newsItemData{Item: it, Works: m.workLinks(it.RelatedWorks), Body: template.HTML(it.BodyHTML)}
	d.Lead = it.Summary != "" && !summaryRepeatsBody(it.Summary, markup.HTMLText(it.BodyHTML))
	if items, _, err := news.List(r.Context(), m.db, news.Query{Category: it.Category, Limit: 6}); err == nil {
		for _, o := range items {
			if o.ID != it.ID && len(d.Related) < 5 {
				d.Related = append(d.Related, o)
			}
		}
	}
	m.page(w, r, http.StatusOK, "news_item", it.Title, "news", d)
}

// summaryRepeatsBody reports whether a summary is the opening of the body
// (whitespace and a trailing ellipsis aside).
func summaryRepeatsBody(summary, body string) bool {
	squash := func(s string) []rune {
		return []rune(strings.Join(strings.Fields(strings.TrimRight(s, "…. ")), ""))
	}
	sum, b := squash(summary), squash(body)
	n := min(len(sum), 30)
	return n > 0 && len(b) >= n && string(b[:n]) == string(sum[:n])
}

func (m *ncModule) newsFeed(w http.ResponseWriter, r *http.Request) {
	cat := r.URL.Query().Get("category")
	if cat != "" && !ncContains(news.Categories, cat) {
		m.s.fail(w, r, http.StatusNotFound, "没有这个栏目。")
		return
	}
	base := m.siteURL(r)
	o := news.FeedOptions{BaseURL: base, Category: cat, SelfURL: base + r.URL.RequestURI()}
	var body []byte
	var err error
	ctype := "application/rss+xml; charset=utf-8"
	if strings.HasSuffix(r.URL.Path, ".atom") {
		body, err = news.CategoryAtom(r.Context(), m.db, o)
		ctype = "application/atom+xml; charset=utf-8"
	} else {
		body, err = news.CategoryRSS(r.Context(), m.db, o)
	}
	if err != nil {
		m.serverError(w, r, "生成订阅源失败", err)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(body)
}

type newsFormData struct {
	Item       *news.Item
	Categories []string
	Tags       string
	Works      string
	Errs       map[string]string
	Error      string
	Action     string
}

func (m *ncModule) newsNew(w http.ResponseWriter, r *http.Request) {
	it := &news.Item{Category: news.CategoryIndustry, PublishedDate: time.Now().Format("2006-01-02")}
	if c := r.URL.Query().Get("category"); ncContains(news.Categories, c) {
		it.Category = c
	}
	m.page(w, r, http.StatusOK, "news_form", "发布资讯", "news",
		newsFormData{Item: it, Categories: news.Categories, Errs: map[string]string{}, Action: "/news"})
}

// newsFromForm reads the editor form.
func (m *ncModule) newsFromForm(r *http.Request, it *news.Item) (newsFormData, bool) {
	f := r.PostFormValue
	it.Category, it.Title, it.Summary, it.Body = f("category"), f("title"), f("summary"), f("body")
	it.SourceName, it.SourceURL, it.PublishedDate = f("source_name"), f("source_url"), f("published_date")
	it.Tags = news.SplitTags(f("tags"))
	d := newsFormData{Item: it, Categories: news.Categories, Tags: f("tags"), Works: f("related_works"), Errs: map[string]string{}}
	works, bad := m.parseWorks(f("related_works"))
	it.RelatedWorks = works
	if bad != "" {
		d.Errs["related_works"] = bad
		return d, false
	}
	return d, true
}

func (m *ncModule) newsCreate(w http.ResponseWriter, r *http.Request) {
	it := &news.Item{Origin: news.OriginEditor, CreatedBy: CurrentUser(r).ID}
	d, ok := m.newsFromForm(r, it)
	d.Action = "/news"
	if ok {
		id, err := news.Create(r.Context(), m.db, it)
		if err == nil {
			m.audit(r, "news.create", it.Title)
			m.index.invalidate()
			ncRedirect(w, r, news.ItemPath(id), "created")
			return
		}
		d.Errs, d.Error = ncFieldErrors(err)
	}
	m.page(w, r, http.StatusUnprocessableEntity, "news_form", "发布资讯", "news", d)
}

func (m *ncModule) loadItem(w http.ResponseWriter, r *http.Request) *news.Item {
	id, ok := ncPathID(r)
	var it *news.Item
	err := news.ErrNotFound
	if ok {
		it, err = news.Get(r.Context(), m.db, id)
	}
	if errors.Is(err, news.ErrNotFound) {
		m.s.fail(w, r, http.StatusNotFound, "未找到该资讯。")
		return nil
	}
	if err != nil {
		m.serverError(w, r, "读取资讯失败", err)
		return nil
	}
	return it
}

func (m *ncModule) newsEdit(w http.ResponseWriter, r *http.Request) {
	it := m.loadItem(w, r)
	if it == nil {
		return
	}
	m.page(w, r, http.StatusOK, "news_form", "编辑资讯", "news", newsFormData{Item: it, Categories: news.Categories,
		Tags: strings.Join(it.Tags, "，"), Works: worksText(it.RelatedWorks), Errs: map[string]string{}, Action: it.Path() + "/edit"})
}

func (m *ncModule) newsSave(w http.ResponseWriter, r *http.Request) {
	it := m.loadItem(w, r)
	if it == nil {
		return
	}
	d, ok := m.newsFromForm(r, it)
	d.Action = it.Path() + "/edit"
	if ok {
		err := news.Update(r.Context(), m.db, it)
		if err == nil {
			m.audit(r, "news.update", it.Title)
			m.index.invalidate()
			ncRedirect(w, r, it.Path(), "saved")
			return
		}
		d.Errs, d.Error = ncFieldErrors(err)
	}
	m.page(w, r, http.StatusUnprocessableEntity, "news_form", "编辑资讯", "news", d)
}

func (m *ncModule) newsDelete(w http.ResponseWriter, r *http.Request) {
	it := m.loadItem(w, r)
	if it == nil {
		return
	}
	if err := news.Delete(r.Context(), m.db, it.ID); err != nil {
		m.serverError(w, r, "删除资讯失败", err)
		return
	}
	m.audit(r, "news.delete", it.Title)
	m.index.invalidate()
	ncRedirect(w, r, "/news", "deleted")
}

// audit records an editor's action in the site's audit log.
func (m *ncModule) audit(r *http.Request, action, target string) {
	u := CurrentUser(r)
	if u == nil || m.s.acc == nil {
		return
	}
	if err := m.s.acc.Audit(r.Context(), nil, u.Username, action, target, ""); err != nil {
		m.s.log.Error("写审计日志失败", "err", err)
	}
}

// Feed sources (editors).

type feedSourcesData struct {
	Sources    []*news.Source
	Categories []string
	New        news.Source
	Errs       map[string]string
	Error      string
	Result     string
}

func (m *ncModule) feedSources(w http.ResponseWriter, r *http.Request) {
	m.renderSources(w, r, http.StatusOK, feedSourcesData{New: news.Source{Category: news.CategoryIndustry}, Errs: map[string]string{}})
}

func (m *ncModule) renderSources(w http.ResponseWriter, r *http.Request, code int, d feedSourcesData) {
	var err error
	if d.Sources, err = news.Sources(r.Context(), m.db); err != nil {
		m.serverError(w, r, "读取订阅源失败", err)
		return
	}
	d.Categories = news.Categories
	m.page(w, r, code, "news_feeds", "资讯订阅源", "admin", d)
}

func (m *ncModule) feedAdd(w http.ResponseWriter, r *http.Request) {
	src := news.Source{Name: r.PostFormValue("name"), URL: r.PostFormValue("url"), Category: r.PostFormValue("category"), CreatedBy: CurrentUser(r).ID}
	if _, err := news.AddSource(r.Context(), m.db, &src); err != nil {
		errs, msg := ncFieldErrors(err)
		m.renderSources(w, r, http.StatusUnprocessableEntity, feedSourcesData{New: src, Errs: errs, Error: msg})
		return
	}
	m.audit(r, "news.feed_add", src.URL)
	ncRedirect(w, r, "/admin/feeds", "source")
}

func (m *ncModule) feedEnable(w http.ResponseWriter, r *http.Request) {
	id, _ := ncPathID(r)
	err := news.SetSourceEnabled(r.Context(), m.db, id, r.PostFormValue("enabled") == "1")
	if errors.Is(err, news.ErrNotFound) {
		m.s.fail(w, r, http.StatusNotFound, "未找到该订阅源。")
		return
	}
	if err != nil {
		m.serverError(w, r, "修改订阅源失败", err)
		return
	}
	ncRedirect(w, r, "/admin/feeds", "saved")
}

func (m *ncModule) feedDelete(w http.ResponseWriter, r *http.Request) {
	id, _ := ncPathID(r)
	if err := news.DeleteSource(r.Context(), m.db, id); err != nil && !errors.Is(err, news.ErrNotFound) {
		m.serverError(w, r, "删除订阅源失败", err)
		return
	}
	m.audit(r, "news.feed_delete", strconv.FormatInt(id, 10))
	ncRedirect(w, r, "/admin/feeds", "deleted")
}

// feedPoll polls one source now; its outcome (including a failure) is
// recorded on the source and shown in the list.
func (m *ncModule) feedPoll(w http.ResponseWriter, r *http.Request) {
	id, _ := ncPathID(r)
	src, err := news.GetSource(r.Context(), m.db, id)
	if err != nil {
		m.s.fail(w, r, http.StatusNotFound, "未找到该订阅源。")
		return
	}
	res, err := m.poller.PollSource(r.Context(), m.db, src)
	d := feedSourcesData{New: news.Source{Category: news.CategoryIndustry}, Errs: map[string]string{}}
	switch {
	case err != nil:
		d.Error = "抓取「" + src.Name + "」失败：" + err.Error()
	case res.NotModified:
		d.Result = "「" + src.Name + "」没有更新（服务器返回 304）。"
	default:
		d.Result = "「" + src.Name + "」新增 " + strconv.Itoa(res.Added) + " 条，重复 " + strconv.Itoa(res.Duplicates) + " 条，跳过 " + strconv.Itoa(res.Skipped) + " 条。"
		m.index.invalidate()
	}
	m.renderSources(w, r, http.StatusOK, d)
}

// The module's template helpers join the site's before templates are
// parsed (New runs after package initialisation).
func init() {
	funcs["ncTime"] = func(t time.Time) string { return t.In(chinaTime).Format("2006-01-02 15:04") }
	funcs["ncDate"] = func(t time.Time) string { return t.In(chinaTime).Format("2006-01-02") }
	funcs["ncDays"] = func(start, end string) string {
		if end == "" || end == start {
			return start
		}
		if len(start) >= 5 && len(end) >= 5 && start[:5] == end[:5] {
			return start + " 至 " + end[5:]
		}
		return start + " 至 " + end
	}
	// ncHTML marks HTML the news, events and community packages sanitised
	// with bluemonday when it was stored (BodyHTML, AgendaHTML); nothing
	// else may go through it.
	funcs["ncHTML"] = func(s string) template.HTML { return template.HTML(s) }
	funcs["ncArgs"] = func(kv ...any) map[string]any {
		out := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			k, _ := kv[i].(string)
			out[k] = kv[i+1]
		}
		return out
	}
	funcs["ncUID"] = func(u *account.User) string {
		if u == nil {
			return ""
		}
		return u.ID
	}
	funcs["ncSize"] = func(n int) string {
		if n < 1<<20 {
			return strconv.Itoa((n+1023)/1024) + " KB"
		}
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	}
	funcs["ncThreadOf"] = func(u string) string {
		if i := strings.IndexByte(u, '#'); i >= 0 {
			return u[:i]
		}
		return u
	}
	funcs["ncHas"] = ncContains
	funcs["ncEntryName"] = func(kind string) string {
		return map[string]string{community.EntryDocument: "新文件", community.EntryVersion: "新版本", community.EntryNews: "资讯",
			community.EntryThread: "讨论", community.EntryReply: "回复"}[kind]
	}
	funcs["ncVoted"] = func(votes map[string]int, target string, id int64, v int) bool {
		return votes[target+":"+strconv.FormatInt(id, 10)] == v
	}
}

// chinaTime is UTC+8, the time members read.
var chinaTime = time.FixedZone("CST", 8*3600)
