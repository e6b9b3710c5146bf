package selfcheck

// 合规自查, continued: 数据分类分级 of an uploaded catalogue (with CSV/XLSX
// export) and members' per-organisation records of completed checks, which
// are flagged for review when a provision they relied on changes. Forms are
// POSTs and carry the CSRF token (checked by the server's middleware).

import (
	"bytes"
	"datalex/internal/library"
	"datalex/internal/web"
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"

	"datalex/internal/account"
	"datalex/internal/selfcheck"
	"datalex/internal/selfcheck/classify"
	"datalex/internal/selfcheck/crossborder"
	"datalex/internal/selfcheck/incident"
	"datalex/internal/selfcheck/pia"
)

type selfcheckRecords struct {
	s       *web.Server
	tmpl    *template.Template
	records *selfcheck.Records
	// lib overrides the library citations are resolved in (tests); nil
	// uses the server's current library.
	lib func() *selfcheck.Library

	mu      sync.Mutex
	libCat  *library.Catalog
	libHave *selfcheck.Library
}

// selfcheckLibraryOverride lets tests resolve records against a library of
// their choosing; nil in production.
var selfcheckLibraryOverride func() *selfcheck.Library

func mountSelfcheckRecords(srv *web.Server, t *template.Template) {
	m := &selfcheckRecords{s: srv, tmpl: t, records: selfcheck.NewRecords(srv.DB()), lib: selfcheckLibraryOverride}
	if m.lib == nil {
		m.lib = m.snapshotLibrary
	}
	srv.Handle("GET /selfcheck/classify", "", m.classifyForm)
	srv.Handle("GET /selfcheck/classify/template.csv", "", m.classifyTemplate)
	srv.Handle("POST /selfcheck/classify", "", m.classifyResult)
	srv.Handle("POST /selfcheck/classify/export", "", m.classifyExport)
	// Stateless JSON API for pia, incident and classify (crossborder has its
	// own, more specific route): open to cookie-less clients, CSRF-checked
	// for logged-in browsers.
	srv.HandleAPI("POST /api/v1/selfcheck/{tool}", m.api)
	srv.Handle("GET /selfcheck/pia", "", m.piaForm)
	srv.Handle("POST /selfcheck/pia", "", m.piaResult)
	srv.Handle("GET /selfcheck/incident", "", m.incidentForm)
	srv.Handle("POST /selfcheck/incident", "", m.incidentResult)
	srv.Handle("POST /selfcheck/records", account.RoleMember, m.saveRecord)
	srv.Handle("GET /selfcheck/records", account.RoleMember, m.recordsPage)
}

// snapshotLibrary indexes the server's current library, once per snapshot.
func (m *selfcheckRecords) snapshotLibrary() *selfcheck.Library {
	cat := m.s.Catalog()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.libCat != cat {
		m.libCat, m.libHave = cat, selfcheck.NewLibrary(cat.Versions)
	}
	return m.libHave
}

// scSave is the "file under an organisation" form of a result page.
type scSave struct{ CSRF, Tool, Input string }

type scPage struct {
	CSRF     string
	Error    string
	Member   bool
	Criteria any
	Classify *classify.Result
	JSON     string
	Tool     string
	Input    string
	Records  []*selfcheck.Record
}

func (m *selfcheckRecords) page(r *http.Request) *scPage {
	return &scPage{CSRF: m.s.CSRFToken(r), Member: web.CurrentUser(r).Can(account.RoleMember), Criteria: classify.IndustrialCriteria}
}

func (m *selfcheckRecords) render(w http.ResponseWriter, r *http.Request, code int, title, name string, p *scPage) {
	m.renderAny(w, r, code, title, name, p)
}

func (m *selfcheckRecords) renderAny(w http.ResponseWriter, r *http.Request, code int, title, name string, p any) {
	m.s.RenderFragment(w, r, code, title, "selfcheck", m.tmpl, name, p)
}

func asJSON(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

func (m *selfcheckRecords) classifyForm(w http.ResponseWriter, r *http.Request) {
	m.render(w, r, http.StatusOK, "数据分类分级", "sc-classify", m.page(r))
}

func (m *selfcheckRecords) classifyTemplate(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="catalogue-template.csv"`)
	w.Write([]byte("\xef\xbb\xbf" + classify.Template()))
}

// classifyResult reads an uploaded catalogue (size- and type-checked by
// classify.Read) and shows the classification.
func (m *selfcheckRecords) classifyResult(w http.ResponseWriter, r *http.Request) {
	p := m.page(r)
	fail := func(msg string) {
		p.Error = msg
		m.render(w, r, http.StatusUnprocessableEntity, "数据分类分级", "sc-classify", p)
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		fail("请选择要上传的 .csv 或 .xlsx 文件（不超过 4 MB）。")
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, classify.MaxUploadBytes+1))
	if err != nil {
		fail("文件读取失败。")
		return
	}
	items, err := classify.Read(hdr.Filename, data)
	if err != nil {
		fail(err.Error())
		return
	}
	res := classify.Classify(items, m.lib())
	p.Classify, p.JSON = &res, asJSON(items)
	p.Tool, p.Input = "classify", p.JSON
	m.render(w, r, http.StatusOK, "数据分类分级结果", "sc-classify-result", p)
}

// classifyExport re-classifies the items the result page carried (the
// export is recomputed, never trusted from the client) and sends CSV/XLSX.
func (m *selfcheckRecords) classifyExport(w http.ResponseWriter, r *http.Request) {
	var items []classify.Item
	if err := json.Unmarshal([]byte(r.PostFormValue("items")), &items); err != nil || len(items) == 0 || len(items) > classify.MaxRows {
		m.s.Fail(w, r, http.StatusBadRequest, "导出的数据项无效，请重新上传。")
		return
	}
	res := classify.Classify(items, m.lib())
	var buf bytes.Buffer
	switch r.PostFormValue("format") {
	case "xlsx":
		if err := classify.WriteXLSX(&buf, res); err != nil {
			m.s.Fail(w, r, http.StatusInternalServerError, "导出失败。")
			return
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="classification.xlsx"`)
	default:
		classify.WriteCSV(&buf, res)
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="classification.csv"`)
	}
	w.Write(buf.Bytes())
}

// rerun recomputes a tool's result from its input; a record never stores a
// result sent by the client.
func rerunSelfcheck(tool string, input []byte, lib *selfcheck.Library) (any, []selfcheck.Citation, error) {
	switch tool {
	case "crossborder":
		f, err := crossborder.ParseFacts(input)
		if err != nil {
			return nil, nil, err
		}
		r := crossborder.Decide(f)
		return r, r.Citations, nil
	case "pia":
		f, err := pia.ParseFacts(input)
		if err != nil {
			return nil, nil, err
		}
		r := pia.Decide(f, time.Now())
		return r, r.Citations, nil
	case "incident":
		f, err := incident.ParseFacts(input)
		if err != nil {
			return nil, nil, err
		}
		r := incident.Decide(f)
		return r, r.Citations, nil
	case "classify":
		var items []classify.Item
		if err := json.Unmarshal(input, &items); err != nil || len(items) == 0 || len(items) > classify.MaxRows {
			return nil, nil, errors.New("数据项无效")
		}
		r := classify.Classify(items, lib)
		return r, r.Citations, nil
	}
	return nil, nil, errors.New("未知的自查工具")
}

// saveRecord files a check (crossborder, pia, incident: their case JSON;
// classify: the items) under an organisation.
func (m *selfcheckRecords) saveRecord(w http.ResponseWriter, r *http.Request) {
	u := web.CurrentUser(r)
	tool, input, org := r.PostFormValue("tool"), r.PostFormValue("input"), strings.TrimSpace(r.PostFormValue("org"))
	if org == "" {
		m.s.Fail(w, r, http.StatusUnprocessableEntity, "请填写组织名称。")
		return
	}
	lib := m.lib()
	res, cites, err := rerunSelfcheck(tool, []byte(input), lib)
	if err != nil {
		m.s.Fail(w, r, http.StatusUnprocessableEntity, "无法保存：输入无效（"+err.Error()+"）。")
		return
	}
	if _, err := m.records.Save(r.Context(), u.ID, org, tool, json.RawMessage(input), res, lib.CiteAll(cites)); err != nil {
		m.s.Fail(w, r, http.StatusUnprocessableEntity, "无法保存："+err.Error())
		return
	}
	http.Redirect(w, r, "/selfcheck/records", http.StatusSeeOther)
}

func (m *selfcheckRecords) recordsPage(w http.ResponseWriter, r *http.Request) {
	p := m.page(r)
	recs, err := m.records.List(r.Context(), web.CurrentUser(r).ID, r.URL.Query().Get("org"))
	if err != nil {
		m.s.Logger().Error("读取自查记录失败", "err", err)
		m.s.Fail(w, r, http.StatusInternalServerError, "读取记录失败。")
		return
	}
	lib := m.lib()
	for _, rec := range recs {
		selfcheck.Review(rec, lib)
	}
	p.Records = recs
	m.render(w, r, http.StatusOK, "自查记录", "sc-records", p)
}

func (m *selfcheckRecords) api(w http.ResponseWriter, r *http.Request) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		web.WriteJSON(w, http.StatusUnsupportedMediaType, map[string]string{"error": "请求体须为 JSON（Content-Type: application/json）"})
		return
	}
	if web.CurrentUser(r) != nil && !m.s.ValidCSRF(r) {
		web.WriteJSON(w, http.StatusForbidden, map[string]string{"error": "CSRF 校验失败，请刷新页面后重试。"})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, classify.MaxUploadBytes))
	if err != nil {
		web.WriteJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"error": "请求体过大"})
		return
	}
	res, _, err := rerunSelfcheck(r.PathValue("tool"), body, m.lib())
	if err != nil {
		code := http.StatusBadRequest
		if err.Error() == "未知的自查工具" {
			code = http.StatusNotFound
		}
		web.WriteJSON(w, code, map[string]string{"error": err.Error()})
		return
	}
	web.WriteJSON(w, http.StatusOK, res)
}
