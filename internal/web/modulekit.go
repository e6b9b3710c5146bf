package web

import (
	"context"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"datalex/internal/library"
	"datalex/internal/store"
)

// The rest of the module API: what the content modules (头条, 盛会, 对话,
// 我的 under internal/web/…) share, so that each package holds only its
// own screens. Everything here is about the site (layout, redirects,
// paging, the library's names), never about one module's data.

// ParsePages parses a module's page templates: every file of fsys matching
// pattern becomes a page named after the file (news_item.html → news_item),
// parsed with the site layout, the site's template functions and extra.
// A page defines "content"; a file of fragments may define other names
// and be executed by name.
func ParsePages(fsys fs.FS, extra template.FuncMap, pattern string) (map[string]*template.Template, error) {
	layout, err := template.New("layout.html").Funcs(funcs).Funcs(extra).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(fsys, pattern)
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		t, err := template.Must(layout.Clone()).ParseFS(fsys, n)
		if err != nil {
			return nil, err
		}
		pages[strings.TrimSuffix(path.Base(n), ".html")] = t
	}
	return pages, nil
}

// Render writes page (from ParsePages) in the site layout; User and CSRF
// of v are filled in here.
func (s *Server) Render(w http.ResponseWriter, r *http.Request, code int, name string, page *template.Template, v *View) {
	s.renderTemplate(w, r, code, name, page, v)
}

// ServerError logs err and shows a Chinese error page ("what，请稍后再试").
func (s *Server) ServerError(w http.ResponseWriter, r *http.Request, what string, err error) {
	s.log.Error(what, "path", r.URL.Path, "err", err)
	s.fail(w, r, http.StatusInternalServerError, what+"，请稍后再试。")
}

// LoadByID reads the record named by the path's {id} with get. A malformed
// id or an error that is missing answers 404 with notFound; any other error
// answers 500 ("读取<what>失败"). ok is false when the response is written.
func LoadByID[T any](s *Server, w http.ResponseWriter, r *http.Request, missing error, what, notFound string,
	get func(ctx context.Context, id int64) (T, error)) (v T, ok bool) {
	id, valid := PathID(r)
	if !valid {
		s.Fail(w, r, http.StatusNotFound, notFound)
		return v, false
	}
	v, err := get(r.Context(), id)
	if errors.Is(err, missing) {
		s.Fail(w, r, http.StatusNotFound, notFound)
		return v, false
	}
	if err != nil {
		s.ServerError(w, r, "读取"+what+"失败", err)
		return v, false
	}
	return v, true
}

// Audit records an editor's action in the site's audit log.
func (s *Server) Audit(r *http.Request, action, target string) {
	u := CurrentUser(r)
	if u == nil || s.acc == nil {
		return
	}
	if err := s.acc.Audit(r.Context(), nil, u.Username, action, target, ""); err != nil {
		s.log.Error("写审计日志失败", "err", err)
	}
}

// Store is the server's store.
func (s *Server) Store() *store.Store { return s.cfg.Store }

// SetModule makes the home page's card for module key (news, events,
// community, ruzhang …) link to url instead of 即将上线. Call it before
// serving.
func (s *Server) SetModule(key, url string) {
	mods := map[string]string{}
	for k, v := range s.cfg.Modules {
		mods[k] = v
	}
	mods[key] = url
	s.cfg.Modules = mods
}

// WrapImport replaces the back office's import with wrap(import), e.g. to
// announce what an editor uploaded. Call it before serving.
func (s *Server) WrapImport(wrap func(ImportFunc) ImportFunc) {
	if s.cfg.Import != nil {
		s.cfg.Import = wrap(s.cfg.Import)
	}
}

// SetDocumentBox sets the box of related news, events and discussions
// that the document page shows (RelatedForDocument).
func (s *Server) SetDocumentBox(fn func(*http.Request, *library.Version) template.HTML) {
	s.documentBox = fn
}

// SetSearchSection sets the search page's section of non-authoritative
// results (NonAuthoritativeSection).
func (s *Server) SetSearchSection(fn func(r *http.Request, q string) template.HTML) {
	s.searchSection = fn
}

// RelatedForDocument is the document page's "相关资讯 / 会议 / 讨论" box
// for version v; empty when no module provides one.
func (s *Server) RelatedForDocument(r *http.Request, v *library.Version) template.HTML {
	if s.documentBox == nil || v == nil {
		return ""
	}
	return s.documentBox(r, v)
}

// NonAuthoritativeSection is the search page's section of news and
// community results for q; empty when no module provides one.
func (s *Server) NonAuthoritativeSection(r *http.Request, q string) template.HTML {
	if s.searchSection == nil || strings.TrimSpace(q) == "" {
		return ""
	}
	return s.searchSection(r, q)
}

// SiteURL is the absolute site root for feeds and calendars: base when
// configured, otherwise derived from the request.
func (s *Server) SiteURL(r *http.Request, base string) string {
	if base != "" {
		return strings.TrimRight(base, "/")
	}
	scheme := "http"
	if r.TLS != nil || s.cfg.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// Usernames maps user ids to usernames for display; unknown ids (deleted
// users) show as 已注销用户.
func (s *Server) Usernames(ctx context.Context, ids ...string) map[string]string {
	out := map[string]string{}
	for _, id := range ids {
		if _, ok := out[id]; ok || id == "" {
			continue
		}
		out[id] = "已注销用户"
		if s.acc != nil {
			if u, err := s.acc.ByID(ctx, id); err == nil && u != nil {
				out[id] = u.Username
			}
		}
	}
	return out
}

// WorkLink is a related document as shown on news and event pages.
type WorkLink struct {
	ID, Title string
}

// WorkLinks names related works from the current library; works no longer
// in the library are listed by id.
func (s *Server) WorkLinks(ids []string) []WorkLink {
	cat := s.library().cat
	var out []WorkLink
	for _, id := range ids {
		l := WorkLink{ID: id, Title: id}
		if v := cat.Preferred(id); v != nil {
			l.Title = v.Title
		}
		out = append(out, l)
	}
	return out
}

// ParseWorks reads a "related documents" textarea: one work per line, as a
// work id, a document URL (/documents/…) or an exact title. It returns the
// work ids found and a message naming the lines that were not.
func (s *Server) ParseWorks(text string) ([]string, string) {
	cat := s.library().cat
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

// WorksText is the textarea value of a list of related works.
func WorksText(ids []string) string { return strings.Join(ids, "\n") }

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

// FlashOf is the confirmation a redirect asked for (?done=), or "".
func FlashOf(r *http.Request) string { return flashes[r.URL.Query().Get("done")] }

// RedirectDone sends the browser to path with a confirmation (a key of
// the fixed flash texts: created, saved, deleted …).
func RedirectDone(w http.ResponseWriter, r *http.Request, path, done string) {
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

// LocalPath keeps a redirect target on this site.
func LocalPath(p, fallback string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, `/\`) || strings.ContainsAny(p, "\r\n") {
		return fallback
	}
	return p
}

// PathID reads a positive integer {id} path value.
func PathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// Pager is the page navigation of a list.
type Pager struct {
	Page, Pages int
	Query       url.Values
}

// PageOf is the requested page number (?page=, at least 1).
func PageOf(r *http.Request) int {
	p, _ := strconv.Atoi(r.URL.Query().Get("page"))
	return max(p, 1)
}

// NewPager pages total items, per to a page.
func NewPager(r *http.Request, page, total, per int) Pager {
	return Pager{Page: page, Pages: max((total+per-1)/per, 1), Query: r.URL.Query()}
}

// chinaTime is UTC+8, the time members read.
var chinaTime = time.FixedZone("CST", 8*3600)

// The content modules' template helpers join the site's before any
// template is parsed (New runs after package initialisation).
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
	funcs["ncSize"] = func(n int) string {
		if n < 1<<20 {
			return strconv.Itoa((n+1023)/1024) + " KB"
		}
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	}
	funcs["ncHas"] = slices.Contains[[]string]
}

// Regions are the regions a member may follow or an editor may assign.
func Regions() []string { return regionList() }

// FormID reads a positive integer form field (0 when absent or bad).
func FormID(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(r.PostFormValue(name), 10, 64)
	return n
}

// RandomToken is 32 random bytes, base64url-encoded (tokens sent to a
// member once; store only a hash).
func RandomToken() string { return randomToken() }

// RenderFragment executes the fragment template name of t with data and
// writes it in the site layout (RenderPage); a template error becomes the
// error page, logged, instead of half a page.
func (s *Server) RenderFragment(w http.ResponseWriter, r *http.Request, code int, title, active string, t *template.Template, name string, data any) {
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, name, data); err != nil {
		s.log.Error("渲染页面失败", "template", name, "err", err)
		s.fail(w, r, http.StatusInternalServerError, "页面渲染失败。")
		return
	}
	s.RenderPage(w, r, code, title, active, template.HTML(b.String()))
}
