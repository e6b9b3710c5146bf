package community

import (
	"context"
	"database/sql"
	"datalex/internal/account"
	"datalex/internal/community"
	"datalex/internal/library"
	"datalex/internal/news"
	"datalex/internal/store"
	"datalex/internal/textseg"
	"datalex/internal/web"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// 对话数据资产: threads, replies, accepted answers, votes, knowledge
// documents, citations of provisions and moderation; the search over news
// and community content; the document page's box of related news, events
// and discussions.

//go:embed templates/*.html
var templateFS embed.FS

// CommunityDeps is what the 对话 module needs besides the server.
type CommunityDeps struct {
	// Community is the 对话数据资产 service. Nil builds one over the
	// server's store; its [[…]] resolver is set to follow library reloads
	// when it has none.
	Community *community.Service
}

// Module is the mounted 对话 module.
type Module struct {
	s     *web.Server
	db    *sql.DB
	stmts *store.Stmts // the document page's related-box reads, prepared once
	com   *community.Service
	index ncIndexCache
	pages map[string]*template.Template

	resolveMu  sync.Mutex
	resolveCat *library.Catalog
	resolveFn  community.CitationResolver
}

// MountCommunity serves 对话数据资产 (/community), the non-authoritative
// search over news and community content (/search/community and its
// APIs), and gives the library's document and search pages their
// sections of related and non-authoritative content. Call it once, after
// web.New and before serving.
func MountCommunity(srv *web.Server, deps CommunityDeps) (*Module, error) {
	m := &Module{s: srv, db: srv.DB(), stmts: store.NewStmts(srv.DB()), com: deps.Community}
	if m.com == nil {
		m.com = community.New(m.db)
	}
	if m.com.Resolve == nil {
		m.com.Resolve = m.resolve
	}
	m.index.m = m
	extra := template.FuncMap{
		"ncUID": func(u *account.User) string {
			if u == nil {
				return ""
			}
			return u.ID
		},
		"ncThreadOf": func(u string) string {
			if i := strings.IndexByte(u, '#'); i >= 0 {
				return u[:i]
			}
			return u
		},
		"ncVoted": func(votes map[string]int, target string, id int64, v int) bool {
			return votes[target+":"+strconv.FormatInt(id, 10)] == v
		},
	}
	var err error
	if m.pages, err = web.ParsePages(templateFS, extra, "templates/*.html"); err != nil {
		return nil, err
	}
	srv.SetModule("community", "/community")
	srv.SetDocumentBox(m.relatedForDocument)
	srv.SetSearchSection(m.nonAuthoritativeSection)

	const (
		anyone = ""
		member = account.RoleMember
		editor = account.RoleEditor
	)
	h := srv.Handle
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
	return m, nil
}

// Invalidate makes the next search rebuild the news and community index
// (after news items change).
func (m *Module) Invalidate() { m.index.invalidate() }

// resolve turns [[…]] markers into provisions of the current library,
// rebuilding the name table only when the library snapshot changes.
func (m *Module) resolve(ref string) (string, string, bool) {
	cat := m.s.Catalog()
	m.resolveMu.Lock()
	if m.resolveCat != cat {
		m.resolveCat, m.resolveFn = cat, community.CatalogResolver(cat)
	}
	fn := m.resolveFn
	m.resolveMu.Unlock()
	return fn(ref)
}

// page renders one of this module's templates in the site layout.
func (m *Module) page(w http.ResponseWriter, r *http.Request, code int, tmpl, title, active string, d any) {
	m.s.Render(w, r, code, tmpl, m.pages[tmpl], &web.View{Title: title, Active: active, D: d, Flash: web.FlashOf(r), NoIndex: r.URL.Query().Has("page")})
}

// fieldErrors places a validation error next to its field; other errors
// go to the top of the form.
func fieldErrors(err error) (map[string]string, string) {
	var ve *community.ValidationError
	if errors.As(err, &ve) {
		return map[string]string{ve.Field: ve.Msg}, ""
	}
	return map[string]string{}, err.Error()
}

// 对话数据资产: threads, replies, accepted answers, votes, knowledge
// documents, citations of provisions and moderation.

func isModerator(r *http.Request) bool { return web.CurrentUser(r).Can(account.RoleEditor) }

type threadListData struct {
	Threads    []*community.Thread
	Names      map[string]string
	Kinds      []string
	Kind       string
	Tag        string
	Sort       string
	Unanswered bool
	Total      int
	Pager      web.Pager
	Following  bool
}

func (m *Module) threadList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := threadListData{Kinds: community.Kinds, Tag: strings.TrimSpace(q.Get("tag")), Unanswered: q.Get("unanswered") == "1"}
	if k := q.Get("kind"); slices.Contains(community.Kinds, k) {
		d.Kind = k
	}
	switch q.Get("sort") {
	case community.SortNewest, community.SortScore:
		d.Sort = q.Get("sort")
	}
	const per = 20
	page := web.PageOf(r)
	ths, total, err := m.com.ThreadList(r.Context(), community.ThreadQuery{Kind: d.Kind, Tag: d.Tag, Sort: d.Sort,
		Unanswered: d.Unanswered, IncludeHidden: isModerator(r), Limit: per, Offset: (page - 1) * per})
	if err != nil {
		m.s.ServerError(w, r, "读取讨论失败", err)
		return
	}
	d.Threads, d.Total, d.Pager = ths, total, web.NewPager(r, page, total, per)
	var ids []string
	for _, th := range ths {
		ids = append(ids, th.AuthorID)
	}
	d.Names = m.s.Usernames(r.Context(), ids...)
	if u := web.CurrentUser(r); u != nil && d.Tag != "" {
		d.Following, _ = m.com.IsFollowing(r.Context(), u.ID, community.FollowTag, d.Tag)
	}
	m.page(w, r, http.StatusOK, "community", "对话数据资产", "community", d)
}

type threadFormData struct {
	Action    string
	ID        int64 // set when editing
	Kinds     []string
	Kind      string
	Title     string
	Body      string
	Tags      string
	Errs      map[string]string
	Error     string
	MaxAttach int
}

func (m *Module) threadNew(w http.ResponseWriter, r *http.Request) {
	d := threadFormData{Action: "/community/threads", Kinds: community.Kinds, Kind: community.KindQuestion, Errs: map[string]string{}, MaxAttach: m.com.Limits.MaxAttachBytes >> 20}
	if k := r.URL.Query().Get("kind"); slices.Contains(community.Kinds, k) {
		d.Kind = k
	}
	d.Tags = r.URL.Query().Get("tag")
	m.page(w, r, http.StatusOK, "community_new", "发起讨论", "community", d)
}

// ncPostStatus is the HTTP status of a refused post.
func ncPostStatus(err error) int {
	switch {
	case errors.Is(err, community.ErrRateLimited):
		return http.StatusTooManyRequests
	case errors.Is(err, community.ErrLocked), errors.Is(err, community.ErrAlreadyTaken):
		return http.StatusConflict
	case errors.Is(err, community.ErrNotFound), errors.Is(err, community.ErrHidden):
		return http.StatusNotFound
	case errors.Is(err, community.ErrNotAuthor), errors.Is(err, community.ErrNotAsker), errors.Is(err, community.ErrOwnPost):
		return http.StatusForbidden
	}
	return http.StatusUnprocessableEntity
}

// ncKnownPostError reports whether err is a refusal to show to the member
// (as opposed to a server fault).
func ncKnownPostError(err error) bool {
	var ve *community.ValidationError
	if errors.As(err, &ve) {
		return true
	}
	for _, e := range []error{community.ErrNotFound, community.ErrLocked, community.ErrHidden, community.ErrNotAsker,
		community.ErrNotQuestion, community.ErrNotAuthor, community.ErrRateLimited, community.ErrOwnPost, community.ErrBadVote,
		community.ErrAlreadyTaken, community.ErrAttachType, community.ErrAttachTooLarge, community.ErrAttachContent,
		community.ErrZipBomb, community.ErrTooManyAttach, community.ErrUploadQuota} {
		if errors.Is(err, e) {
			return true
		}
	}
	return strings.HasPrefix(err.Error(), "无法读取附件")
}

func (m *Module) threadCreate(w http.ResponseWriter, r *http.Request) {
	u := web.CurrentUser(r)
	f := r.PostFormValue
	d := threadFormData{Action: "/community/threads", Kinds: community.Kinds, Kind: f("kind"), Title: f("title"), Body: f("body"), Tags: f("tags"),
		Errs: map[string]string{}, MaxAttach: m.com.Limits.MaxAttachBytes >> 20}
	th, err := m.com.CreateThread(r.Context(), community.NewThread{Kind: d.Kind, Title: d.Title, Body: d.Body, Tags: news.SplitTags(d.Tags), AuthorID: u.ID})
	if err != nil {
		if !ncKnownPostError(err) {
			m.s.ServerError(w, r, "发布失败", err)
			return
		}
		d.Errs, d.Error = fieldErrors(err)
		m.page(w, r, ncPostStatus(err), "community_new", "发起讨论", "community", d)
		return
	}
	m.index.invalidate()
	if name, data, ok, err := ncUploadedFile(r); ok || err != nil {
		if err == nil && th.Kind != community.KindKnowledge {
			err = errAttachKind
		}
		if err == nil {
			_, err = m.com.AddAttachment(r.Context(), u.ID, th.ID, name, data)
		}
		if err != nil {
			m.renderThread(w, r, th.ID, threadExtra{AttachError: attachMessage(err)}, http.StatusUnprocessableEntity)
			return
		}
	}
	web.RedirectDone(w, r, th.Path(), "created")
}

// threadEdit shows the author's edit form.
func (m *Module) threadEdit(w http.ResponseWriter, r *http.Request) {
	id, _ := web.PathID(r)
	th, err := m.com.Thread(r.Context(), id)
	if err != nil || th.Hidden {
		m.s.Fail(w, r, http.StatusNotFound, "未找到该讨论。")
		return
	}
	if th.AuthorID != web.CurrentUser(r).ID {
		m.s.Fail(w, r, http.StatusForbidden, community.ErrNotAuthor.Error())
		return
	}
	m.page(w, r, http.StatusOK, "community_new", "编辑讨论", "community", threadFormData{Action: th.Path() + "/edit", ID: th.ID,
		Kind: th.Kind, Title: th.Title, Body: th.Body, Tags: strings.Join(th.Tags, "，"), Errs: map[string]string{}})
}

func (m *Module) threadSave(w http.ResponseWriter, r *http.Request) {
	id, _ := web.PathID(r)
	f := r.PostFormValue
	d := threadFormData{Action: community.ThreadPath(id) + "/edit", ID: id, Title: f("title"), Body: f("body"), Tags: f("tags"), Errs: map[string]string{}}
	th, err := m.com.EditThread(r.Context(), web.CurrentUser(r).ID, id, d.Title, d.Body, news.SplitTags(d.Tags))
	if err != nil {
		if !ncKnownPostError(err) {
			m.s.ServerError(w, r, "保存失败", err)
			return
		}
		if cur, e := m.com.Thread(r.Context(), id); e == nil {
			d.Kind = cur.Kind
		}
		d.Errs, d.Error = fieldErrors(err)
		m.page(w, r, ncPostStatus(err), "community_new", "编辑讨论", "community", d)
		return
	}
	m.index.invalidate()
	web.RedirectDone(w, r, th.Path(), "saved")
}

// ncUploadedFile reads the optional "file" field of a multipart form.
func ncUploadedFile(r *http.Request) (string, []byte, bool, error) {
	if r.MultipartForm == nil {
		return "", nil, false, nil
	}
	f, hdr, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) {
		return "", nil, false, nil
	}
	if err != nil {
		return "", nil, false, err
	}
	defer f.Close()
	if hdr.Filename == "" && hdr.Size == 0 {
		return "", nil, false, nil
	}
	data, err := io.ReadAll(f)
	return hdr.Filename, data, true, err
}

// errAttachKind refuses files on threads other than 知识文档.
var errAttachKind = errors.New("只有“知识文档”类主题可以上传附件")

func attachMessage(err error) string {
	if ncKnownPostError(err) || errors.Is(err, errAttachKind) {
		return "附件未上传：" + err.Error()
	}
	return "附件未上传：无法读取上传的文件。"
}

// threadExtra carries form state back into a re-rendered thread page.
type threadExtra struct {
	ReplyError  string
	ReplyBody   string
	AttachError string
	ActionError string
}

type threadPageData struct {
	*community.ThreadPage
	threadExtra
	Names     map[string]string
	Viewer    *account.User
	Moderator bool
	Audit     []community.AuditEntry
	Kinds     []string
	MaxAttach int
	// Knowledge: the viewer may attach documents to this thread.
	Knowledge bool
}

func (m *Module) threadPage(w http.ResponseWriter, r *http.Request) {
	id, ok := web.PathID(r)
	if !ok {
		m.s.Fail(w, r, http.StatusNotFound, "未找到该讨论。")
		return
	}
	m.renderThread(w, r, id, threadExtra{}, http.StatusOK)
}

func (m *Module) renderThread(w http.ResponseWriter, r *http.Request, id int64, x threadExtra, code int) {
	u := web.CurrentUser(r)
	viewer := ""
	if u != nil {
		viewer = u.ID
	}
	mod := isModerator(r)
	p, err := m.com.Page(r.Context(), id, viewer, mod)
	if errors.Is(err, community.ErrNotFound) || errors.Is(err, community.ErrHidden) {
		m.s.Fail(w, r, http.StatusNotFound, "未找到该讨论，它可能已被隐藏或删除。")
		return
	}
	if err != nil {
		m.s.ServerError(w, r, "读取讨论失败", err)
		return
	}
	ids := []string{p.Thread.AuthorID}
	for _, rp := range p.Replies {
		ids = append(ids, rp.AuthorID)
	}
	d := threadPageData{ThreadPage: p, threadExtra: x, Names: m.s.Usernames(r.Context(), ids...), Viewer: u, Moderator: mod,
		Kinds: community.Kinds, MaxAttach: m.com.Limits.MaxAttachBytes >> 20}
	d.Knowledge = u != nil && p.Thread.AuthorID == u.ID && p.Thread.Kind == community.KindKnowledge && !p.Thread.Locked
	if mod {
		d.Audit, _ = m.com.AuditLog(r.Context(), community.TargetThread, id, 20)
	}
	m.page(w, r, code, "community_thread", p.Thread.Title, "community", d)
}

func (m *Module) replyCreate(w http.ResponseWriter, r *http.Request) {
	id, _ := web.PathID(r)
	body := r.PostFormValue("body")
	rp, err := m.com.AddReply(r.Context(), id, web.CurrentUser(r).ID, body)
	if err != nil {
		if !ncKnownPostError(err) {
			m.s.ServerError(w, r, "回复失败", err)
			return
		}
		m.renderThread(w, r, id, threadExtra{ReplyError: err.Error(), ReplyBody: body}, ncPostStatus(err))
		return
	}
	m.index.invalidate()
	web.RedirectDone(w, r, community.ReplyPath(id, rp.ID), "replied")
}

// threadAction runs a member action on a thread and shows its refusal on
// the thread page.
func (m *Module) threadAction(w http.ResponseWriter, r *http.Request, done, anchor string, act func(id int64) error) {
	id, _ := web.PathID(r)
	if err := act(id); err != nil {
		if !ncKnownPostError(err) {
			m.s.ServerError(w, r, "操作失败", err)
			return
		}
		m.renderThread(w, r, id, threadExtra{ActionError: err.Error()}, ncPostStatus(err))
		return
	}
	web.RedirectDone(w, r, community.ThreadPath(id)+anchor, done)
}

func (m *Module) accept(w http.ResponseWriter, r *http.Request) {
	reply := web.FormID(r, "reply")
	m.threadAction(w, r, "accepted", fmt.Sprintf("#reply-%d", reply), func(id int64) error {
		return m.com.Accept(r.Context(), web.CurrentUser(r).ID, id, reply)
	})
}

func (m *Module) vote(w http.ResponseWriter, r *http.Request) {
	target, tid := r.PostFormValue("target"), web.FormID(r, "target_id")
	value, err := strconv.Atoi(r.PostFormValue("value"))
	if err != nil {
		value = 99 // refused by Vote as ErrBadVote
	}
	anchor := ""
	if target == community.TargetReply {
		anchor = fmt.Sprintf("#reply-%d", tid)
	}
	m.threadAction(w, r, "voted", anchor, func(id int64) error {
		if err := m.belongs(r.Context(), id, target, tid); err != nil {
			return err
		}
		_, err := m.com.Vote(r.Context(), web.CurrentUser(r).ID, target, tid, value)
		return err
	})
}

// belongs checks that a vote, report or moderation target is the thread
// of the URL or one of its replies, so a form cannot act elsewhere.
func (m *Module) belongs(ctx context.Context, threadID int64, target string, targetID int64) error {
	switch target {
	case community.TargetThread:
		if targetID != threadID {
			return community.ErrNotFound
		}
		return nil
	case community.TargetReply:
		var n int
		if err := m.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM replies WHERE id = ? AND thread_id = ?`, targetID, threadID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return community.ErrNotFound
		}
		return nil
	}
	return community.ErrBadVote
}

func (m *Module) attach(w http.ResponseWriter, r *http.Request) {
	id, _ := web.PathID(r)
	u := web.CurrentUser(r)
	th, err := m.com.Thread(r.Context(), id)
	if err != nil {
		m.s.Fail(w, r, http.StatusNotFound, "未找到该讨论。")
		return
	}
	if th.Kind != community.KindKnowledge {
		m.renderThread(w, r, id, threadExtra{AttachError: attachMessage(errAttachKind)}, http.StatusUnprocessableEntity)
		return
	}
	name, data, ok, err := ncUploadedFile(r)
	if err == nil && !ok {
		err = errors.New("请选择要上传的文件")
	}
	if err == nil {
		_, err = m.com.AddAttachment(r.Context(), u.ID, id, name, data)
	}
	if err != nil {
		msg := attachMessage(err)
		if !ok && name == "" {
			msg = "附件未上传：请选择要上传的文件。"
		}
		m.renderThread(w, r, id, threadExtra{AttachError: msg}, ncPostStatus(err))
		return
	}
	m.index.invalidate()
	web.RedirectDone(w, r, th.Path()+"#attachments", "attached")
}

// download serves a knowledge document as a download, never rendered
// inline: a hostile file cannot run in the site's origin.
func (m *Module) download(w http.ResponseWriter, r *http.Request) {
	id, ok := web.PathID(r)
	if !ok {
		m.s.Fail(w, r, http.StatusNotFound, "未找到该附件。")
		return
	}
	a, data, err := m.com.AttachmentData(r.Context(), id, r.PathValue("name"))
	if errors.Is(err, community.ErrNotFound) || errors.Is(err, community.ErrHidden) {
		m.s.Fail(w, r, http.StatusNotFound, "未找到该附件。")
		return
	}
	if err != nil {
		m.s.ServerError(w, r, "读取附件失败", err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.MIME)
	h.Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(a.FileName))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}

func (m *Module) report(w http.ResponseWriter, r *http.Request) {
	target, tid := r.PostFormValue("target"), web.FormID(r, "target_id")
	m.threadAction(w, r, "reported", "", func(id int64) error {
		if err := m.belongs(r.Context(), id, target, tid); err != nil {
			return err
		}
		return m.com.ReportPost(r.Context(), web.CurrentUser(r).ID, target, tid, r.PostFormValue("reason"))
	})
}

func (m *Module) moderate(w http.ResponseWriter, r *http.Request) {
	target, tid, action, reason := r.PostFormValue("target"), web.FormID(r, "target_id"), r.PostFormValue("action"), r.PostFormValue("reason")
	uid := web.CurrentUser(r).ID
	m.threadAction(w, r, "moderated", "", func(id int64) error {
		if err := m.belongs(r.Context(), id, target, tid); err != nil {
			return err
		}
		defer m.index.invalidate()
		switch action {
		case community.ActionHide, community.ActionUnhide:
			return m.com.SetHidden(r.Context(), uid, target, tid, action == community.ActionHide, reason)
		case community.ActionLock, community.ActionUnlock:
			return m.com.SetLocked(r.Context(), uid, id, action == community.ActionLock, reason)
		case community.ActionResolve:
			return m.com.ResolveReports(r.Context(), uid, target, tid, reason)
		}
		return &community.ValidationError{Field: "action", Msg: "未知的处理方式"}
	})
}

type reportRow struct {
	community.Report
	URL      string
	Reporter string
}

func (m *Module) reports(w http.ResponseWriter, r *http.Request) {
	reps, err := m.com.OpenReports(r.Context(), 200)
	if err != nil {
		m.s.ServerError(w, r, "读取举报失败", err)
		return
	}
	var ids []string
	for _, rp := range reps {
		ids = append(ids, rp.ReporterID)
	}
	nm := m.s.Usernames(r.Context(), ids...)
	var rows []reportRow
	for _, rp := range reps {
		row := reportRow{Report: rp, Reporter: nm[rp.ReporterID], URL: community.ThreadPath(rp.TargetID)}
		if rp.TargetType == community.TargetReply {
			var tid int64
			if err := m.db.QueryRowContext(r.Context(), `SELECT thread_id FROM replies WHERE id = ?`, rp.TargetID).Scan(&tid); err == nil {
				row.URL = community.ReplyPath(tid, rp.TargetID)
			}
		}
		rows = append(rows, row)
	}
	m.page(w, r, http.StatusOK, "community_reports", "举报处理", "admin", rows)
}

// renderPart executes one of this module's fragments (community_parts.html)
// for embedding in another page.
func (m *Module) renderPart(name string, d any) template.HTML {
	var b strings.Builder
	if err := m.pages["community_parts"].ExecuteTemplate(&b, name, d); err != nil {
		m.s.Logger().Error("渲染片段失败", "part", name, "err", err)
		return ""
	}
	return template.HTML(b.String())
}

// Search over news and community content. It is kept apart from the
// library's index on purpose: these results are member and press content,
// never authoritative, and are always shown as such.

// ncHit is one news or community search result.
type ncHit struct {
	ID       string        `json:"id"`
	Type     string        `json:"type"` // news | thread | attachment
	TypeName string        `json:"type_name"`
	Category string        `json:"category,omitempty"`
	Title    string        `json:"title"`
	URL      string        `json:"url"`
	Date     string        `json:"date,omitempty"`
	Tags     []string      `json:"tags,omitempty"`
	Snippet  string        `json:"snippet"`
	Score    float64       `json:"score"`
	Snip     template.HTML `json:"-"`
	// NonAuthoritative is always true: kept in the JSON so that API
	// clients cannot mistake these for library results.
	NonAuthoritative bool `json:"non_authoritative"`
}

// ncResults is a page of results with type and category counts.
type ncResults struct {
	Query      string    `json:"query"`
	Label      string    `json:"label"`
	Total      int       `json:"total"`
	Hits       []ncHit   `json:"hits"`
	Types      []ncFacet `json:"types"`
	Categories []ncFacet `json:"categories"`
	Filters    ncFilter  `json:"filters"`
	Pager      web.Pager `json:"-"`
}

type ncFacet struct {
	Value string `json:"value"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

type ncFilter struct {
	Types    []string `json:"types,omitempty"`
	Category string   `json:"category,omitempty"`
}

const nonAuthoritativeLabel = "非权威内容：资讯与会员讨论仅供参考，不是法规正文，引用前请核对资料库中的正式文本。"

var ncTypeNames = map[string]string{"news": "资讯", "thread": "讨论", "attachment": "知识文档"}

func (m *Module) searchPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := ncFilter{Category: q.Get("category")}
	if t := q.Get("type"); ncTypeNames[t] != "" {
		f.Types = []string{t}
	}
	const per = 20
	page := web.PageOf(r)
	res, err := m.search(r.Context(), q.Get("q"), f, per, (page-1)*per)
	if err != nil {
		m.s.ServerError(w, r, "检索失败", err)
		return
	}
	res.Pager = web.NewPager(r, page, res.Total, per)
	title := "资讯与讨论检索"
	if res.Query != "" {
		title = res.Query + " · " + title
	}
	m.s.Render(w, r, http.StatusOK, "community_search", m.pages["community_search"], &web.View{Title: title, Active: "search", Q: res.Query, D: res})
}

// apiSearch serves /api/v1/search/news and /api/v1/search/community.
func (m *Module) apiSearch(scope string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		f := ncFilter{Types: []string{"news"}, Category: q.Get("category")}
		if scope == "community" {
			f.Types = []string{"thread", "attachment"}
			if t := q.Get("type"); t == "thread" || t == "attachment" {
				f.Types = []string{t}
			}
		}
		limit, _ := strconv.Atoi(q.Get("limit"))
		if limit <= 0 || limit > 100 {
			limit = 20
		}
		offset, _ := strconv.Atoi(q.Get("offset"))
		res, err := m.search(r.Context(), q.Get("q"), f, limit, max(offset, 0))
		if err != nil {
			m.s.Logger().Error("检索失败", "err", err)
			web.WriteJSON(w, http.StatusInternalServerError, map[string]string{"error": "检索失败"})
			return
		}
		web.WriteJSON(w, http.StatusOK, res)
	}
}

func (m *Module) search(ctx context.Context, query string, f ncFilter, limit, offset int) (*ncResults, error) {
	query = strings.TrimSpace(query)
	if len(query) > 200 {
		query = strings.ToValidUTF8(query[:200], "")
	}
	res := &ncResults{Query: query, Label: nonAuthoritativeLabel, Filters: f, Hits: []ncHit{}, Types: []ncFacet{}, Categories: []ncFacet{}}
	if query == "" {
		return res, nil
	}
	ix, err := m.index.get(ctx)
	if err != nil {
		return nil, err
	}
	all := ix.search(query)
	types, cats := map[string]int{}, map[string]int{}
	var kept []ncHit
	for _, h := range all {
		if len(f.Types) == 0 || slices.Contains(f.Types, h.Type) {
			cats[h.Category]++
		}
		if f.Category == "" || h.Category == f.Category {
			types[h.Type]++
		}
		if (len(f.Types) == 0 || slices.Contains(f.Types, h.Type)) && (f.Category == "" || h.Category == f.Category) {
			kept = append(kept, h)
		}
	}
	for _, t := range []string{"news", "thread", "attachment"} {
		if types[t] > 0 {
			res.Types = append(res.Types, ncFacet{Value: t, Name: ncTypeNames[t], Count: types[t]})
		}
	}
	for _, c := range append(append([]string{}, news.Categories...), community.Kinds...) {
		if cats[c] > 0 {
			res.Categories = append(res.Categories, ncFacet{Value: c, Name: c, Count: cats[c]})
		}
	}
	res.Total = len(kept)
	if offset < len(kept) {
		res.Hits = kept[offset:min(offset+limit, len(kept))]
	}
	return res, nil
}

// NonAuthoritativeSection is the search page's section of news and
// community results for q: the best few, labelled 非权威, with a link to
// the full list. Empty when nothing matches or the module is not mounted.
func (m *Module) nonAuthoritativeSection(r *http.Request, q string) template.HTML {
	s := m.s
	if strings.TrimSpace(q) == "" {
		return ""
	}
	res, err := m.search(r.Context(), q, ncFilter{}, 5, 0)
	if err != nil {
		s.Logger().Error("资讯与讨论检索失败", "err", err)
		return ""
	}
	if res.Total == 0 {
		return ""
	}
	return m.renderPart("nc-search-section", res)
}

// relatedData is the document page's box of news, events and discussions.
type relatedData struct {
	WorkID    string
	News      []*news.Item
	Events    []relatedEvent
	Threads   []relatedThread
	CSRF      string
	Member    bool
	Following bool
	Next      string
}

type relatedEvent struct {
	Title, URL, Date string
}

type relatedThread struct {
	Title, URL, Kind string
	Provisions       []string // labels of the cited provisions (第二十一条)
	Replies          int
}

// RelatedForDocument is the document page's "相关资讯 / 会议 / 讨论" box
// for version v: news and events linked to its work, and the community
// threads that cite any of the work's provisions with [[…]], plus a button
// to follow the document. Empty when the module is not mounted.
func (m *Module) relatedForDocument(r *http.Request, v *library.Version) template.HTML {
	s := m.s
	if v == nil {
		return ""
	}
	d := relatedData{WorkID: v.WorkID, CSRF: s.CSRFToken(r), Next: r.URL.RequestURI()}
	userID := ""
	if u := web.CurrentUser(r); u != nil {
		d.Member, userID = true, u.ID
	}
	rel, err := m.loadRelated(r.Context(), v, userID)
	if err != nil {
		s.Logger().Error("读取相关资讯、会议与讨论失败", "err", err)
	} else {
		d.News, d.Events, d.Threads, d.Following = rel.News, rel.Events, rel.Threads, rel.Following
	}
	return m.renderPart("nc-related", d)
}

// ncIndexCache holds the news and community index, rebuilt after this
// module's writes and at most ncIndexTTL after writes it does not see
// (the feed poller, other processes).
type ncIndexCache struct {
	m     *Module
	mu    sync.Mutex
	ix    *ncIndex
	built time.Time
	dirty bool
}

const ncIndexTTL = 2 * time.Minute

func (c *ncIndexCache) invalidate() {
	c.mu.Lock()
	c.dirty = true
	c.mu.Unlock()
}

func (c *ncIndexCache) get(ctx context.Context) (*ncIndex, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ix != nil && !c.dirty && time.Since(c.built) < ncIndexTTL {
		return c.ix, nil
	}
	recs, err := news.AllForIndex(ctx, c.m.db)
	if err != nil {
		return nil, err
	}
	com, err := c.m.com.AllForIndex(ctx)
	if err != nil {
		return nil, err
	}
	c.ix, c.built, c.dirty = buildNCIndex(append(recs, com...)), time.Now(), false
	return c.ix, nil
}

// ncIndex is a small in-memory inverted index using the library search's
// analysis (textseg): Han unigrams and bigrams plus segmenter words, so a
// query matches here as it does in the library.
type ncIndex struct {
	docs     []news.IndexRecord
	folded   []string // folded Text, rune-aligned with Text
	lens     []int
	avgLen   float64
	postings map[string]map[int32]float64 // term → doc → weighted tf
}

func buildNCIndex(recs []news.IndexRecord) *ncIndex {
	ix := &ncIndex{docs: recs, postings: map[string]map[int32]float64{}}
	total := 0
	for i, rec := range recs {
		doc := int32(i)
		n := 0
		add := func(weight float64) func(string) {
			return func(t string) {
				p := ix.postings[t]
				if p == nil {
					p = map[int32]float64{}
					ix.postings[t] = p
				}
				p[doc] += weight
				n++
			}
		}
		// Titles and tags weigh more than body text.
		textseg.IndexTerms(textseg.Fold(rec.Title+" "+strings.Join(rec.Tags, " ")), add(3))
		folded := textseg.Fold(rec.Text)
		textseg.IndexTerms(folded, add(1))
		ix.folded = append(ix.folded, folded)
		ix.lens = append(ix.lens, n)
		total += n
	}
	if len(recs) > 0 {
		ix.avgLen = float64(total) / float64(len(recs))
	}
	return ix
}

// queryGroups turns a query into groups of terms: every group must match
// (a Han word matches when all its bigrams do), so 「数据 出境」 finds
// documents with both words.
func queryGroups(q string) (groups [][]string, words []string) {
	for _, w := range textseg.Words(textseg.Fold(q)) {
		if w = strings.TrimSpace(w); w == "" {
			continue
		}
		words = append(words, w)
		rs := []rune(w)
		if len(rs) >= 2 && textseg.IsHan(rs[0]) {
			groups = append(groups, textseg.Bigrams(w))
		} else {
			groups = append(groups, []string{w})
		}
	}
	return groups, words
}

func (ix *ncIndex) search(q string) []ncHit {
	groups, words := queryGroups(q)
	if len(groups) == 0 {
		return nil
	}
	scores := map[int32]float64{}
	n := float64(len(ix.docs))
	for gi, g := range groups {
		matched := map[int32]float64{}
		for ti, t := range g {
			p := ix.postings[t]
			idf := math.Log(1 + (n-float64(len(p))+0.5)/(float64(len(p))+0.5))
			next := map[int32]float64{}
			for doc, tf := range p {
				if ti > 0 {
					if _, ok := matched[doc]; !ok {
						continue
					}
				}
				norm := tf * 2.2 / (tf + 1.2*(0.25+0.75*float64(ix.lens[doc])/max(ix.avgLen, 1)))
				next[doc] = matched[doc] + idf*norm
			}
			matched = next
		}
		if gi == 0 {
			scores = matched
			continue
		}
		for doc := range scores {
			if s, ok := matched[doc]; ok {
				scores[doc] += s
			} else {
				delete(scores, doc)
			}
		}
	}
	hits := make([]ncHit, 0, len(scores))
	for doc, sc := range scores {
		rec := ix.docs[doc]
		plain, snip := ncSnippet(rec.Text, ix.folded[doc], words)
		hits = append(hits, ncHit{ID: rec.ID, Type: rec.Type, TypeName: ncTypeNames[rec.Type], Category: rec.Category, Title: rec.Title,
			URL: rec.URL, Date: rec.Date, Tags: rec.Tags, Snippet: plain, Snip: snip, Score: math.Round(sc*1000) / 1000, NonAuthoritative: true})
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].ID < hits[j].ID
	})
	return hits
}

// snippet cuts about 120 characters of text around the first query word
// and marks the words in it. folded is textseg.Fold(text), which keeps
// rune positions.
func ncSnippet(text, folded string, words []string) (string, template.HTML) {
	rt, rf := []rune(text), []rune(folded)
	if len(rf) != len(rt) {
		rf = rt
	}
	first := -1
	for _, w := range words {
		if i := runeIndex(rf, []rune(w), 0); i >= 0 && (first < 0 || i < first) {
			first = i
		}
	}
	start := max(first-30, 0)
	end := min(start+120, len(rt))
	var plain, out strings.Builder
	if start > 0 {
		plain.WriteString("…")
		out.WriteString("…")
	}
	for i := start; i < end; {
		best := 0
		for _, w := range words {
			wr := []rune(w)
			if len(wr) > best && i+len(wr) <= end && runeIndex(rf[i:i+len(wr)], wr, 0) == 0 {
				best = len(wr)
			}
		}
		if best > 0 {
			s := string(rt[i : i+best])
			plain.WriteString(s)
			out.WriteString("<mark>" + template.HTMLEscapeString(s) + "</mark>")
			i += best
			continue
		}
		c := rt[i]
		if c == '\n' || c == '\r' || c == '\t' {
			c = ' '
		}
		plain.WriteRune(c)
		out.WriteString(template.HTMLEscapeString(string(c)))
		i++
	}
	if end < len(rt) {
		plain.WriteString("…")
		out.WriteString("…")
	}
	// Adjacent words (数据 + 脱敏) read as one highlight.
	return plain.String(), template.HTML(strings.ReplaceAll(out.String(), "</mark><mark>", ""))
}

func runeIndex(hay, needle []rune, from int) int {
	if len(needle) == 0 {
		return -1
	}
outer:
	for i := from; i+len(needle) <= len(hay); i++ {
		for j, r := range needle {
			if hay[i+j] != r {
				continue outer
			}
		}
		return i
	}
	return -1
}
