// Package workspace serves the lawyer's workspace (工作台) over
// internal/workspace: favourites in folders with notes and a printable
// list, the reading history, and saved searches with their alerts.
// Every page is the signed-in member's own; forms are CSRF-checked by
// the core middleware (web.Server.Handle) and work without JavaScript.
package workspace

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"datalex/internal/account"
	"datalex/internal/community"
	"datalex/internal/library"
	"datalex/internal/web"
	"datalex/internal/workspace"
)

//go:embed templates/*.html
var templateFS embed.FS

// Deps are what the composition root may supply; zero values get the
// defaults (the server's database, in-app alerts through community
// notifications, no e-mail).
type Deps struct {
	WS     *workspace.Service
	Alerts *workspace.Alerts
}

type module struct {
	s      *web.Server
	ws     *workspace.Service
	alerts *workspace.Alerts
	tmpl   *template.Template
}

// MountWorkspace registers the workspace pages and the reading-history
// hook, and returns the alert checker the server should run periodically
// (see Run).
func MountWorkspace(srv *web.Server, deps Deps) (*workspace.Alerts, error) {
	m := &module{s: srv, ws: deps.WS, alerts: deps.Alerts}
	if m.ws == nil {
		m.ws = workspace.New(srv.DB())
	}
	if m.alerts == nil {
		m.alerts = &workspace.Alerts{WS: m.ws, Notify: InAppNotify(community.New(srv.DB())), Log: srv.Logger()}
	}
	t, err := template.New("workspace").Funcs(web.Funcs()).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	m.tmpl = t
	member := account.RoleMember
	srv.Handle("GET /me/favorites", member, m.favorites)
	srv.Handle("GET /me/favorites/add", member, m.addForm)
	srv.Handle("POST /me/favorites/add", member, m.add)
	srv.Handle("POST /me/favorites/update", member, m.update)
	srv.Handle("POST /me/favorites/remove", member, m.remove)
	srv.Handle("GET /me/favorites/print", member, m.print)
	srv.Handle("POST /me/folders", member, m.createFolder)
	srv.Handle("POST /me/folders/{id}/rename", member, m.renameFolder)
	srv.Handle("POST /me/folders/{id}/delete", member, m.deleteFolder)
	srv.Handle("GET /me/history", member, m.history)
	srv.Handle("POST /me/history/clear", member, m.clearHistory)
	srv.Handle("GET /me/searches", member, m.searches)
	srv.Handle("POST /me/searches", member, m.saveSearch)
	srv.Handle("GET /me/searches/{id}", member, m.searchPage)
	srv.Handle("POST /me/searches/{id}/edit", member, m.editSearch)
	srv.Handle("POST /me/searches/{id}/check", member, m.checkSearch)
	srv.Handle("POST /me/searches/{id}/delete", member, m.deleteSearch)
	// The earlier single list of saved items lives on as favourites.
	srv.Handle("GET /saved", member, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/me/favorites", http.StatusSeeOther)
	})
	srv.Handle("POST /saved", member, m.legacySave)
	srv.OnView(func(r *http.Request, userID, itemID string) {
		if err := m.ws.RecordView(r.Context(), userID, itemID); err != nil {
			srv.Logger().Warn("记录阅读历史失败", "err", err)
		}
	})
	return m.alerts, nil
}

// InAppNotify writes alerts as community notifications (shown under
// 我的 › 通知).
func InAppNotify(c *community.Service) func(ctx context.Context, tx *sql.Tx, userID, message, url string) error {
	return func(ctx context.Context, tx *sql.Tx, userID, message, url string) error {
		return c.AddNotification(ctx, tx, userID, community.NotifyAlert, message, url)
	}
}

// Matcher matches saved searches against the server's current library.
func Matcher(srv *web.Server) workspace.Matcher {
	return func(ctx context.Context, vals url.Values) ([]workspace.Match, error) {
		return workspace.IndexMatcher(srv.Index(), srv.Catalog())(ctx, vals)
	}
}

// page is what every workspace template gets.
type page struct {
	CSRF  string
	Tab   string
	Flash string
	Error string
	D     any
}

var flashes = map[string]string{
	"added":    "已收藏（未分类）。可以在下面选择收藏夹、写备注。",
	"updated":  "已保存。",
	"removed":  "已移出收藏。",
	"folder":   "收藏夹已创建。",
	"renamed":  "收藏夹已重命名。",
	"deleted":  "收藏夹已删除，其中的条目移到“未分类”。",
	"cleared":  "阅读历史已清空。",
	"saved":    "检索已保存。资料库导入新文件或文件时效性变化后，会在“我的 › 通知”中提醒你。",
	"edited":   "订阅已更新。",
	"checked":  "已检查，没有新结果。",
	"found":    "已检查，发现新结果，见下方列表。",
	"unsubbed": "订阅已删除。",
}

func (m *module) render(w http.ResponseWriter, r *http.Request, code int, name, title, tab string, d any) {
	p := page{CSRF: m.s.CSRFToken(r), Tab: tab, Flash: flashes[r.URL.Query().Get("done")], D: d}
	var buf bytes.Buffer
	if err := m.tmpl.ExecuteTemplate(&buf, name, p); err != nil {
		m.s.Logger().Error("渲染工作台页面失败", "page", name, "err", err)
		m.s.Fail(w, r, http.StatusInternalServerError, "页面渲染失败。")
		return
	}
	m.s.RenderPage(w, r, code, title, "workspace", template.HTML(buf.String()))
}

// userErrors are shown as they are, with 400; ErrNotFound is a 404.
var userErrors = []error{
	workspace.ErrFolderQuota, workspace.ErrFavoriteQuota, workspace.ErrSearchQuota, workspace.ErrFolderName,
	workspace.ErrFolderExists, workspace.ErrNoteTooLong, workspace.ErrSearchName, workspace.ErrEmptySearch,
	workspace.ErrSearchTooLong, workspace.ErrBadEmail, workspace.ErrItemIDInvalid,
}

func (m *module) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, workspace.ErrNotFound) {
		m.s.Fail(w, r, http.StatusNotFound, err.Error()+"。")
		return
	}
	for _, e := range userErrors {
		if errors.Is(err, e) {
			m.s.Fail(w, r, http.StatusBadRequest, err.Error()+"。")
			return
		}
	}
	m.s.Logger().Error("工作台操作失败", "path", r.URL.Path, "err", err)
	m.s.Fail(w, r, http.StatusInternalServerError, "操作失败，请稍后再试。")
}

func uid(r *http.Request) string { return web.CurrentUser(r).ID }

// localPath accepts a same-site path to go back to after a form, never
// another site ("//host", "/\host") or a scheme.
func localPath(s, def string) string {
	if s == "" || len(s) > 2000 || !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/\\") ||
		strings.ContainsAny(s, "\r\n") {
		return def
	}
	if u, err := url.Parse(s); err != nil || u.Scheme != "" || u.Host != "" {
		return def
	}
	return s
}

// withDone adds the flash key to a path (before any #fragment).
func withDone(p, done string) string {
	frag := ""
	if i := strings.IndexByte(p, '#'); i >= 0 {
		p, frag = p[:i], p[i:]
	}
	sep := "?"
	if strings.Contains(p, "?") {
		sep = "&"
	}
	return p + sep + "done=" + done + frag
}

// item is a library item as the lists show it.
type item struct {
	ID       string
	Kind     string // 条文 or 文件
	Title    string // the citation for a provision
	Document string
	URL      string
	Status   string
	Missing  bool // no longer in the library
	V        *library.Version
	P        *library.Provision
}

func (m *module) item(id string) item {
	v, p, u, ok := m.s.ItemLink(id)
	if !ok {
		return item{ID: id, Kind: "已移除", Title: id + "（已不在资料库中）", Missing: true}
	}
	it := item{ID: id, Kind: "文件", Title: v.Title, Document: v.Title, URL: u, Status: v.ValidityOrStatus(), V: v, P: p}
	if p != nil {
		it.Kind, it.Title = "条文", p.Citation
		if it.Title == "" {
			it.Title = v.Title + " " + p.Label
		}
	}
	return it
}
