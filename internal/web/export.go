package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"datalex/internal/export"
	"datalex/internal/library"
)

// Exports: a document, a selection of provisions (?id=… repeated) or the
// current search's results, each as a print view (the browser prints it),
// .docx and .pdf. The print view is the page Chromium prints, so what a
// user sees is what the PDF holds.

// maxSelection bounds ?id= in a provision selection; maxExportHits the
// result list exported from a search.
const (
	maxSelection  = 500
	maxExportHits = 100
	// pdfPerMinute bounds PDF exports per client address: each starts a
	// browser, so an anonymous client must not be able to keep the
	// server printing.
	pdfPerMinute = 6
)

// researchRoutes mounts the research screens added around search and
// documents: exports, the provision page and its share link.
func (s *Server) researchRoutes(mux *http.ServeMux) {
	for _, f := range []string{"print", "export.docx", "export.pdf"} {
		mux.HandleFunc("GET /documents/{id}/"+f, s.require("", s.exportDocument))
		mux.HandleFunc("GET /export/provisions/"+f, s.require("", s.exportSelection))
		mux.HandleFunc("GET /search/"+f, s.require("", s.exportSearch))
	}
	mux.HandleFunc("GET /p/{id}", s.require("", s.provisionPage))
	mux.HandleFunc("GET /api/v1/provisions/{id}", s.apiProvision)
}

// exportFormat is the last path element: print, export.docx or export.pdf.
func exportFormat(r *http.Request) string {
	p := r.URL.Path
	return p[strings.LastIndexByte(p, '/')+1:]
}

// absURL makes a link absolute for files that leave the site (.docx, PDF).
func absURL(r *http.Request, path string) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}

func (s *Server) exportDocument(w http.ResponseWriter, r *http.Request) {
	snap := s.library()
	v := snap.cat.Resolve(r.PathValue("id"))
	if v == nil {
		s.fail(w, r, http.StatusNotFound, "未找到该文档，它可能已被撤下。")
		return
	}
	d := export.ForVersion(v, func(p *library.Provision) string { return absURL(r, "/p/"+url.PathEscape(p.ID)) }, time.Now())
	base := "/documents/" + url.PathEscape(v.ID) + "/"
	s.writeExport(w, r, d, v.Title, base, "")
}

func (s *Server) exportSelection(w http.ResponseWriter, r *http.Request) {
	snap := s.library()
	ids := r.URL.Query()["id"]
	if len(ids) == 0 {
		s.fail(w, r, http.StatusBadRequest, "请先勾选要导出的条文。")
		return
	}
	if len(ids) > maxSelection {
		s.fail(w, r, http.StatusBadRequest, fmt.Sprintf("一次最多导出 %d 条条文。", maxSelection))
		return
	}
	d := &export.Doc{Title: "条文选辑", Generated: time.Now()}
	seen := map[string]bool{}
	docs := map[string]bool{}
	for _, id := range ids {
		v, p := snap.cat.Provision(id)
		if p == nil {
			s.fail(w, r, http.StatusNotFound, "未找到条文 "+id+"，它可能已被撤下。")
			return
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		docs[v.ID] = true
		d.Items = append(d.Items, itemWithText(v, p, absURL(r, "/p/"+url.PathEscape(p.ID))))
	}
	if len(docs) == 1 {
		d.Subtitle = "摘自《" + d.Items[0].Document + "》"
	}
	q := url.Values{"id": ids}.Encode()
	s.writeExport(w, r, d, "条文选辑", "/export/provisions/", q)
}

// itemWithText is the export item of p; a 款 or 项 chosen alone carries
// its own text, an article its paragraphs.
func itemWithText(v *library.Version, p *library.Provision, link string) export.Item {
	it := export.ItemFor(v, p, link)
	it.Heading = false // chosen on purpose: print it as a provision with its citation
	return it
}

func (s *Server) exportSearch(w http.ResponseWriter, r *http.Request) {
	snap := s.library()
	vals := r.URL.Query()
	vals.Del("page")
	vals.Set("k", fmt.Sprint(maxExportHits))
	req := ParseSearchRequest(vals)
	req.PerPage = maxExportHits
	if !req.hasCriteria() {
		s.fail(w, r, http.StatusBadRequest, "请先输入检索词或检索条件。")
		return
	}
	res, err := s.runSearch(r, snap, req)
	if err != nil {
		if isQueryError(err) {
			s.fail(w, r, http.StatusBadRequest, err.Error())
			return
		}
		s.log.Error("检索失败", "q", req.Query, "err", err)
		s.fail(w, r, http.StatusInternalServerError, "检索失败，请稍后再试。")
		return
	}
	d := &export.Doc{Title: "检索结果", Subtitle: req.Describe(), Generated: time.Now()}
	d.Meta = append(d.Meta, export.Field{Label: "结果", Value: resultCountText(res)})
	if res.Total+res.Partial > len(res.Provisions) {
		d.Notes = append(d.Notes, fmt.Sprintf("按相关度导出前 %d 条。", len(res.Provisions)))
	}
	for _, h := range res.Provisions {
		if v, p := snap.cat.Provision(h.ProvisionID); p != nil {
			d.Items = append(d.Items, itemWithText(v, p, absURL(r, "/p/"+url.PathEscape(p.ID))))
		}
	}
	r.URL.RawQuery = stripParams(r.URL.Query(), "page", "k").Encode()
	s.writeExport(w, r, d, "检索结果", "/search/", r.URL.RawQuery)
}

func stripParams(v url.Values, names ...string) url.Values {
	for _, n := range names {
		v.Del(n)
	}
	return v
}

// WriteExport sends d as a print view, .docx or PDF, chosen by the last
// element of the request path (print, export.docx, export.pdf), with the
// same errors, limits and headers as the library's own exports; base +
// format + "?" + query are the sibling formats' URLs. For module packages
// (e.g. a favourites folder exported as a list).
func (s *Server) WriteExport(w http.ResponseWriter, r *http.Request, d *export.Doc, name, base, query string) {
	s.writeExport(w, r, d, name, base, query)
}

// writeExport sends d in the requested format; base + format + ?query
// are the sibling formats' URLs.
func (s *Server) writeExport(w http.ResponseWriter, r *http.Request, d *export.Doc, name, base, query string) {
	link := func(f string) string {
		if query != "" {
			return base + f + "?" + query
		}
		return base + f
	}
	w.Header().Set("Cache-Control", "private, no-store")
	switch exportFormat(r) {
	case "print":
		acts := []export.Action{{Label: "下载 Word", URL: link("export.docx")}, {Label: "下载 PDF", URL: link("export.pdf")}}
		var b bytes.Buffer
		if err := export.WriteHTML(&b, d, acts); err != nil {
			s.log.Error("打印视图失败", "err", err)
			s.fail(w, r, http.StatusInternalServerError, "生成打印视图失败。")
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(b.Bytes())
	case "export.docx":
		var b bytes.Buffer
		if err := export.WriteDOCX(&b, d); err != nil {
			s.log.Error("导出 Word 失败", "err", err)
			s.fail(w, r, http.StatusInternalServerError, "导出 Word 失败。")
			return
		}
		attach(w, name+".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
		w.Write(b.Bytes())
	case "export.pdf":
		ok, err := s.pdfRate.Allow(r.Context(), clientIP(r))
		if err != nil {
			s.log.Error("PDF 导出限流检查失败", "err", err)
			s.fail(w, r, http.StatusServiceUnavailable, "PDF 导出暂时不可用，请改用打印视图（"+link("print")+"）。")
			return
		}
		if !ok {
			w.Header().Set("Retry-After", "60")
			s.fail(w, r, http.StatusTooManyRequests, fmt.Sprintf("PDF 导出过于频繁（每分钟最多 %d 次），请稍后再试，或改用打印视图（%s）。", pdfPerMinute, link("print")))
			return
		}
		var html bytes.Buffer
		if err := export.WriteHTML(&html, d, nil); err != nil {
			s.fail(w, r, http.StatusInternalServerError, "生成打印视图失败。")
			return
		}
		pdf, err := s.cfg.Printer.PDF(r.Context(), html.Bytes())
		switch {
		case errors.Is(err, export.ErrNoBrowser):
			s.fail(w, r, http.StatusServiceUnavailable, err.Error()+"。请改用打印视图（"+link("print")+"），在浏览器中选择“打印 → 另存为 PDF”。")
			return
		case errors.Is(err, export.ErrBusy):
			w.Header().Set("Retry-After", "10")
			s.fail(w, r, http.StatusServiceUnavailable, err.Error()+"。")
			return
		case err != nil:
			s.log.Error("导出 PDF 失败", "err", err)
			s.fail(w, r, http.StatusInternalServerError, "导出 PDF 失败，请改用打印视图。")
			return
		}
		attach(w, name+".pdf", "application/pdf")
		w.Write(pdf)
	default:
		s.fail(w, r, http.StatusNotFound, "页面不存在。")
	}
}

// attach sets a download's headers; the UTF-8 file name uses RFC 5987 so
// Chinese titles survive, with an ASCII fallback.
func attach(w http.ResponseWriter, name, ctype string) {
	ext := name[strings.LastIndexByte(name, '.'):]
	ascii := "datalex" + ext
	name = trimTitle(strings.TrimSuffix(name, ext), 60) + ext
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, url.PathEscape(name)))
	w.Header().Set("X-Content-Type-Options", "nosniff")
}
