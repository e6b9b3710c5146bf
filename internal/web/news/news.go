package news

import (
	"context"
	"database/sql"
	"datalex/internal/account"
	"datalex/internal/community"
	"datalex/internal/library"
	"datalex/internal/news"
	"datalex/internal/news/markup"
	"datalex/internal/web"
	"embed"
	"errors"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// 数据资产头条: the news list, items, RSS/Atom feeds by category, the
// editors' form and feed sources, and the 法规动态 items announcing what
// editors upload to the library.

//go:embed templates/*.html
var templateFS embed.FS

// NewsDeps is what the 头条 module needs besides the server.
type NewsDeps struct {
	// Community answers whether a member follows a tag; nil builds one
	// over the server's store.
	Community *community.Service
	// BaseURL is the absolute site root used in feeds (https://datalex.example).
	// Empty derives it from each request.
	BaseURL string
	// Poller is used by the editors' "立即抓取" button; nil uses
	// news.NewPoller (which refuses private addresses).
	Poller *news.Poller
	// Changed is called after news items change (the 对话 module's search
	// index is rebuilt on its next use); nil does nothing.
	Changed func()
}

type newsModule struct {
	s       *web.Server
	db      *sql.DB
	com     *community.Service
	baseURL string
	poller  *news.Poller
	changed func()
	pages   map[string]*template.Template
}

// MountNews serves 数据资产头条 under /news and the feed sources under
// /admin/feeds. Call it once, after web.New and before serving. Editor
// uploads through the back office are announced as 法规动态 items
// (news.OnDocumentsImported).
func MountNews(srv *web.Server, deps NewsDeps) error {
	m := &newsModule{s: srv, db: srv.DB(), com: deps.Community, baseURL: deps.BaseURL, poller: deps.Poller, changed: deps.Changed}
	if m.com == nil {
		m.com = community.New(m.db)
	}
	if m.poller == nil {
		m.poller = news.NewPoller(30 * time.Minute)
	}
	if m.changed == nil {
		m.changed = func() {}
	}
	var err error
	if m.pages, err = web.ParsePages(templateFS, nil, "templates/*.html"); err != nil {
		return err
	}
	srv.SetModule("news", "/news")
	srv.WrapImport(m.announceImports)

	const (
		anyone = ""
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
	return nil
}

// announceImports wraps the server's import so that a document an editor
// uploads is recorded as a library change (for subscriptions) and
// announced as a 法规动态 item. The seed import at start-up does not pass
// through here.
func (m *newsModule) announceImports(imp web.ImportFunc) web.ImportFunc {
	return func(ctx context.Context, name string, data []byte) error {
		if err := imp(ctx, name, data); err != nil {
			return err
		}
		versions, err := m.s.Store().LoadLibrary(ctx)
		if err != nil {
			m.s.Logger().Error("读取新导入的文档失败", "file", name, "err", err)
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
			m.s.Logger().Error("生成法规动态失败", "file", name, "err", err)
		} else if n > 0 {
			m.changed()
		}
		return nil
	}
}

// page renders one of this module's templates in the site layout.
func (m *newsModule) page(w http.ResponseWriter, r *http.Request, code int, tmpl, title, active string, d any) {
	m.s.Render(w, r, code, tmpl, m.pages[tmpl], &web.View{Title: title, Active: active, D: d, Flash: web.FlashOf(r), NoIndex: r.URL.Query().Has("page")})
}

// fieldErrors places a validation error next to its field; other errors
// go to the top of the form.
func fieldErrors(err error) (map[string]string, string) {
	var ve *news.ValidationError
	if errors.As(err, &ve) {
		return map[string]string{ve.Field: ve.Msg}, ""
	}
	return map[string]string{}, err.Error()
}

// 数据资产头条.

type newsListData struct {
	Items      []*news.Item
	Categories []string
	Category   string
	Tag        string
	Total      int
	Pager      web.Pager
	Following  bool
}

func (m *newsModule) newsList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := newsListData{Categories: news.Categories, Tag: strings.TrimSpace(q.Get("tag"))}
	if c := q.Get("category"); slices.Contains(news.Categories, c) {
		d.Category = c
	}
	const per = 20
	page := web.PageOf(r)
	items, total, err := news.List(r.Context(), m.db, news.Query{Category: d.Category, Tag: d.Tag, Limit: per, Offset: (page - 1) * per})
	if err != nil {
		m.s.ServerError(w, r, "读取资讯失败", err)
		return
	}
	d.Items, d.Total, d.Pager = items, total, web.NewPager(r, page, total, per)
	if u := web.CurrentUser(r); u != nil && d.Tag != "" {
		d.Following, _ = m.com.IsFollowing(r.Context(), u.ID, community.FollowTag, d.Tag)
	}
	title := "数据资产头条"
	if d.Category != "" {
		title = d.Category + " · " + title
	}
	m.page(w, r, http.StatusOK, "news", title, "news", d)
}

type newsItemData struct {
	Item *news.Item
	// Lead: show the summary above the body (not when the summary is
	// just the body's first sentences, as for seeded items).
	Lead    bool
	Works   []web.WorkLink
	Body    template.HTML
	Related []*news.Item
}

func (m *newsModule) newsItem(w http.ResponseWriter, r *http.Request) {
	it := m.loadItemOr(w, r, "未找到该资讯，它可能已被删除。")
	if it == nil {
		return
	}
	// BodyHTML was sanitised by the news package when the item was stored.
	d := newsItemData{Item: it, Works: m.s.WorkLinks(it.RelatedWorks), Body: template.HTML(it.BodyHTML)}
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

func (m *newsModule) newsFeed(w http.ResponseWriter, r *http.Request) {
	cat := r.URL.Query().Get("category")
	if cat != "" && !slices.Contains(news.Categories, cat) {
		m.s.Fail(w, r, http.StatusNotFound, "没有这个栏目。")
		return
	}
	base := m.s.SiteURL(r, m.baseURL)
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
		m.s.ServerError(w, r, "生成订阅源失败", err)
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

func (m *newsModule) newsNew(w http.ResponseWriter, r *http.Request) {
	it := &news.Item{Category: news.CategoryIndustry, PublishedDate: time.Now().Format("2006-01-02")}
	if c := r.URL.Query().Get("category"); slices.Contains(news.Categories, c) {
		it.Category = c
	}
	m.page(w, r, http.StatusOK, "news_form", "发布资讯", "news",
		newsFormData{Item: it, Categories: news.Categories, Errs: map[string]string{}, Action: "/news"})
}

// newsFromForm reads the editor form.
func (m *newsModule) newsFromForm(r *http.Request, it *news.Item) (newsFormData, bool) {
	f := r.PostFormValue
	it.Category, it.Title, it.Summary, it.Body = f("category"), f("title"), f("summary"), f("body")
	it.SourceName, it.SourceURL, it.PublishedDate = f("source_name"), f("source_url"), f("published_date")
	it.Tags = news.SplitTags(f("tags"))
	d := newsFormData{Item: it, Categories: news.Categories, Tags: f("tags"), Works: f("related_works"), Errs: map[string]string{}}
	works, bad := m.s.ParseWorks(f("related_works"))
	it.RelatedWorks = works
	if bad != "" {
		d.Errs["related_works"] = bad
		return d, false
	}
	return d, true
}

func (m *newsModule) newsCreate(w http.ResponseWriter, r *http.Request) {
	it := &news.Item{Origin: news.OriginEditor, CreatedBy: web.CurrentUser(r).ID}
	d, ok := m.newsFromForm(r, it)
	d.Action = "/news"
	if ok {
		id, err := news.Create(r.Context(), m.db, it)
		if err == nil {
			m.s.Audit(r, "news.create", it.Title)
			m.changed()
			web.RedirectDone(w, r, news.ItemPath(id), "created")
			return
		}
		d.Errs, d.Error = fieldErrors(err)
	}
	m.page(w, r, http.StatusUnprocessableEntity, "news_form", "发布资讯", "news", d)
}

func (m *newsModule) loadItem(w http.ResponseWriter, r *http.Request) *news.Item {
	return m.loadItemOr(w, r, "未找到该资讯。")
}

func (m *newsModule) loadItemOr(w http.ResponseWriter, r *http.Request, notFound string) *news.Item {
	it, _ := web.LoadByID(m.s, w, r, news.ErrNotFound, "资讯", notFound,
		func(ctx context.Context, id int64) (*news.Item, error) { return news.Get(ctx, m.db, id) })
	return it
}

func (m *newsModule) newsEdit(w http.ResponseWriter, r *http.Request) {
	it := m.loadItem(w, r)
	if it == nil {
		return
	}
	m.page(w, r, http.StatusOK, "news_form", "编辑资讯", "news", newsFormData{Item: it, Categories: news.Categories,
		Tags: strings.Join(it.Tags, "，"), Works: web.WorksText(it.RelatedWorks), Errs: map[string]string{}, Action: it.Path() + "/edit"})
}

func (m *newsModule) newsSave(w http.ResponseWriter, r *http.Request) {
	it := m.loadItem(w, r)
	if it == nil {
		return
	}
	d, ok := m.newsFromForm(r, it)
	d.Action = it.Path() + "/edit"
	if ok {
		err := news.Update(r.Context(), m.db, it)
		if err == nil {
			m.s.Audit(r, "news.update", it.Title)
			m.changed()
			web.RedirectDone(w, r, it.Path(), "saved")
			return
		}
		d.Errs, d.Error = fieldErrors(err)
	}
	m.page(w, r, http.StatusUnprocessableEntity, "news_form", "编辑资讯", "news", d)
}

func (m *newsModule) newsDelete(w http.ResponseWriter, r *http.Request) {
	it := m.loadItem(w, r)
	if it == nil {
		return
	}
	if err := news.Delete(r.Context(), m.db, it.ID); err != nil {
		m.s.ServerError(w, r, "删除资讯失败", err)
		return
	}
	m.s.Audit(r, "news.delete", it.Title)
	m.changed()
	web.RedirectDone(w, r, "/news", "deleted")
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

func (m *newsModule) feedSources(w http.ResponseWriter, r *http.Request) {
	m.renderSources(w, r, http.StatusOK, feedSourcesData{New: news.Source{Category: news.CategoryIndustry}, Errs: map[string]string{}})
}

func (m *newsModule) renderSources(w http.ResponseWriter, r *http.Request, code int, d feedSourcesData) {
	var err error
	if d.Sources, err = news.Sources(r.Context(), m.db); err != nil {
		m.s.ServerError(w, r, "读取订阅源失败", err)
		return
	}
	d.Categories = news.Categories
	m.page(w, r, code, "news_feeds", "资讯订阅源", "admin", d)
}

func (m *newsModule) feedAdd(w http.ResponseWriter, r *http.Request) {
	src := news.Source{Name: r.PostFormValue("name"), URL: r.PostFormValue("url"), Category: r.PostFormValue("category"), CreatedBy: web.CurrentUser(r).ID}
	if _, err := news.AddSource(r.Context(), m.db, &src); err != nil {
		errs, msg := fieldErrors(err)
		m.renderSources(w, r, http.StatusUnprocessableEntity, feedSourcesData{New: src, Errs: errs, Error: msg})
		return
	}
	m.s.Audit(r, "news.feed_add", src.URL)
	web.RedirectDone(w, r, "/admin/feeds", "source")
}

func (m *newsModule) feedEnable(w http.ResponseWriter, r *http.Request) {
	id, _ := web.PathID(r)
	err := news.SetSourceEnabled(r.Context(), m.db, id, r.PostFormValue("enabled") == "1")
	if errors.Is(err, news.ErrNotFound) {
		m.s.Fail(w, r, http.StatusNotFound, "未找到该订阅源。")
		return
	}
	if err != nil {
		m.s.ServerError(w, r, "修改订阅源失败", err)
		return
	}
	web.RedirectDone(w, r, "/admin/feeds", "saved")
}

func (m *newsModule) feedDelete(w http.ResponseWriter, r *http.Request) {
	id, _ := web.PathID(r)
	if err := news.DeleteSource(r.Context(), m.db, id); err != nil && !errors.Is(err, news.ErrNotFound) {
		m.s.ServerError(w, r, "删除订阅源失败", err)
		return
	}
	m.s.Audit(r, "news.feed_delete", strconv.FormatInt(id, 10))
	web.RedirectDone(w, r, "/admin/feeds", "deleted")
}

// feedPoll polls one source now; its outcome (including a failure) is
// recorded on the source and shown in the list.
func (m *newsModule) feedPoll(w http.ResponseWriter, r *http.Request) {
	id, _ := web.PathID(r)
	src, err := news.GetSource(r.Context(), m.db, id)
	if err != nil {
		m.s.Fail(w, r, http.StatusNotFound, "未找到该订阅源。")
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
		m.changed()
	}
	m.renderSources(w, r, http.StatusOK, d)
}
