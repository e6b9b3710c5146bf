package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"

	"datalex/internal/account"
	"datalex/internal/library"
)

// View is the data every page template gets (module packages fill it
// for Render); view is its short name inside this package.
type View struct {
	Title   string
	Active  string // nav item
	User    *account.User
	CSRF    string
	Q       string // search box value
	Flash   string
	Error   string
	NoIndex bool
	D       any // page-specific data
}

type view = View

var funcs = template.FuncMap{
	"roleName":    account.RoleName,
	"join":        strings.Join,
	"add":         func(a, b int) int { return a + b },
	"sub":         func(a, b int) int { return a - b },
	"statusClass": statusClass,
	"orDash": func(s string) string {
		if s == "" {
			return "—"
		}
		return s
	},
	"flagName": flagName,
	"relationName": func(t string) string {
		return map[string]string{library.RelBasis: "依据", library.RelRepeals: "废止", library.RelAmends: "修改",
			library.RelReplaces: "替代", library.RelPrevails: "与之不一致时优先适用本文件，优先于", library.RelDraftOf: "本稿的正式文本：",
			library.RelVersionOf: "后续版本："}[t]
	},
	"relationNameReverse": func(t string) string {
		return map[string]string{library.RelBasis: "被作为制定依据：", library.RelRepeals: "本文件已被废止，见", library.RelAmends: "本文件被修改，见",
			library.RelReplaces: "本文件被替代，见", library.RelPrevails: "不一致时以后者为准：", library.RelDraftOf: "征求意见稿：",
			library.RelVersionOf: "此前版本："}[t]
	},
	"toJSON": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
	"metaJoin": func(parts ...string) string {
		var kept []string
		for _, p := range parts {
			if p != "" {
				kept = append(kept, p)
			}
		}
		return strings.Join(kept, " · ")
	},
	"kindName": kindName,
	"paras":    paragraphs,
	"cells": func(row string) []string {
		if strings.Contains(row, " | ") {
			return strings.Split(row, " | ")
		}
		return []string{row}
	},
	"facetURL": facetURL,
	"pageURL":  pageURL,
	"trimText": func(s string) string { return trimTitle(strings.ReplaceAll(s, "\n", " "), 80) },
	"depthClass": func(d int) string {
		return fmt.Sprintf("d%d", min(d, 5))
	},
}

// statusClass is the CSS class of a 时效性 or status label.
func statusClass(status string) string {
	switch status {
	case library.StatusDraft, library.StatusBill:
		return "st-draft"
	case library.StatusRepealed, library.StatusSuperseded, library.ValidityLapsed, library.ValidityAmended:
		return "st-old"
	case library.ValidityNotYet:
		return "st-draft"
	case library.StatusTrial, library.StatusInterim:
		return "st-trial"
	case "", library.ValidityUnknown:
		return "st-unknown"
	}
	return "st-ok"
}

// flagName is the reader-facing description of a quality flag.
func flagName(f string) string {
	switch f {
	case library.FlagOCRDamaged:
		return "文本含无法修复的识别错误（OCR）"
	case library.FlagTruncated:
		return "文本不完整（在文件中被截断）"
	case library.FlagTitleTrunc:
		return "标题不完整"
	case library.FlagSummaryOnly:
		return "仅收录摘要（如标准简介），非全文"
	case library.FlagExcerpt:
		return "节选或摘编文本，非完整官方文本"
	case library.FlagNoText:
		return "全文未收录，仅有目录信息"
	case library.FlagTableDamaged:
		return "表格已被压平，可能难以阅读"
	case library.FlagFormula:
		return "公式经过修复"
	case library.FlagTitleTypo:
		return "来源中的标题有错别字"
	case library.FlagMissingArts:
		return "条文编号有缺漏"
	}
	return f
}

// kindName is the Chinese name of a provision kind.
func kindName(kind string) string {
	switch kind {
	case library.ProvPreamble:
		return "序言"
	case library.ProvPart:
		return "编"
	case library.ProvChapter:
		return "章"
	case library.ProvSection:
		return "节"
	case library.ProvArticle:
		return "条"
	case library.ProvParagraph:
		return "款"
	case library.ProvItem:
		return "项"
	case library.ProvOutline:
		return "条目"
	case library.ProvClause:
		return "条款"
	case library.ProvAnnex:
		return "附件"
	case library.ProvTable:
		return "表格"
	}
	return kind
}

// paragraphs splits a provision's text into its lines.
func paragraphs(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// facetURL toggles value of facet key in the query string base.
func facetURL(base url.Values, key, value string) string {
	q := url.Values{}
	for k, vs := range base {
		if k == "page" {
			continue
		}
		q[k] = append([]string(nil), vs...)
	}
	var kept []string
	found := false
	for _, v := range q[key] {
		if v == value {
			found = true
			continue
		}
		kept = append(kept, v)
	}
	if !found {
		kept = append(kept, value)
	}
	q[key] = kept
	if len(kept) == 0 {
		delete(q, key)
	}
	return "?" + q.Encode()
}

// pageURL sets page in the query string base.
func pageURL(base url.Values, page int) string {
	q := url.Values{}
	for k, vs := range base {
		q[k] = vs
	}
	q.Set("page", fmt.Sprint(page))
	return "?" + q.Encode()
}

func parseTemplates() (map[string]*template.Template, error) {
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		base := path.Base(n)
		if base == "layout.html" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, err
		}
		pages[strings.TrimSuffix(base, ".html")] = t
	}
	return pages, nil
}

// render executes a page into a buffer first so that a template error
// becomes a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, page string, v *view) {
	t := s.pages[page]
	if t == nil {
		panic("web: no template " + page)
	}
	s.renderTemplate(w, r, code, page, t, v)
}

// renderTemplate executes t, a page parsed with the layout.
func (s *Server) renderTemplate(w http.ResponseWriter, r *http.Request, code int, page string, t *template.Template, v *view) {
	v.User = currentUser(r)
	v.CSRF = s.csrfToken(r)
	buf := getBuffer()
	defer putBuffer(buf)
	if err := t.ExecuteTemplate(buf, "layout.html", v); err != nil {
		s.log.Error("渲染页面失败", "page", page, "err", err)
		http.Error(w, "页面渲染失败", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if v.User != nil {
		w.Header().Set("Cache-Control", "private, no-store")
	}
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

// Page buffers are reused: a search page is 50 KB, and growing a fresh
// buffer to that size for every request was most of its allocation.
var bufferPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuffer() *bytes.Buffer { return bufferPool.Get().(*bytes.Buffer) }

// putBuffer returns b to the pool unless it grew past 1 MB (a rare huge
// page should not pin its memory for the process's life).
func putBuffer(b *bytes.Buffer) {
	if b.Cap() > 1<<20 {
		return
	}
	b.Reset()
	bufferPool.Put(b)
}

// fail reports an error as JSON for the API and as a page otherwise.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, code int, msg string) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, code, map[string]string{"error": msg})
		return
	}
	s.render(w, r, code, "error", &view{Title: statusTitle(code), Error: msg, D: code})
}

// statusTitle is the page title of an error page, in Chinese.
func statusTitle(code int) string {
	switch code {
	case http.StatusBadRequest:
		return "请求有误"
	case http.StatusUnauthorized:
		return "需要登录"
	case http.StatusForbidden:
		return "没有权限"
	case http.StatusNotFound:
		return "页面不存在"
	case http.StatusMethodNotAllowed:
		return "请求方法不被允许"
	case http.StatusRequestEntityTooLarge:
		return "内容过大"
	case http.StatusRequestURITooLong:
		return "查询过长"
	case http.StatusTooManyRequests:
		return "请求过于频繁"
	case http.StatusServiceUnavailable:
		return "服务暂不可用"
	}
	if code >= 500 {
		return "服务器错误"
	}
	return "出错了"
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}
