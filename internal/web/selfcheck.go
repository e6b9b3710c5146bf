package web

// 合规自查: wizards over internal/selfcheck (数据出境路径判定, 个人信息保护影响评估,
// 安全事件报告义务). Open to visitors; nothing is stored yet, the result page
// is the record the user prints or saves as JSON. Every form carries the
// CSRF token, checked by the server's middleware.

import (
	"bytes"
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"mime"
	"net/http"
	"strconv"
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

// SelfcheckDeps is what the 合规自查 module needs besides the server.
type SelfcheckDeps struct {
	// Library overrides where provisions are looked up; nil uses the
	// server's current library.
	Library func() *selfcheck.Library
}

type selfcheckModule struct {
	s       *Server
	tmpl    *template.Template
	lib     func() *selfcheck.Library
	records *selfcheck.Records

	mu      sync.Mutex
	libSnap *snapshot
	libHave *selfcheck.Library
}

// MountSelfcheck serves the 合规自查 wizards under /selfcheck.
func MountSelfcheck(srv *Server, deps SelfcheckDeps) error {
	m := &selfcheckModule{s: srv, lib: deps.Library, records: selfcheck.NewRecords(srv.cfg.Store.DB())}
	t, err := template.New("selfcheck").Funcs(funcs).ParseFS(templateFS, "templates/selfcheck*.html")
	if err != nil {
		return err
	}
	m.tmpl = t
	if m.lib == nil {
		m.lib = m.snapshotLibrary
	}
	srv.Handle("GET /selfcheck", "", m.landing)
	srv.Handle("GET /selfcheck/crossborder", "", m.crossborderForm)
	srv.Handle("POST /selfcheck/crossborder", "", m.crossborderResult)
	srv.Handle("GET /selfcheck/pia", "", m.piaForm)
	srv.Handle("POST /selfcheck/pia", "", m.piaResult)
	srv.Handle("GET /selfcheck/classify", "", m.classifyForm)
	srv.Handle("GET /selfcheck/classify/template.csv", "", m.classifyTemplate)
	srv.Handle("POST /selfcheck/classify", "", m.classifyResult)
	srv.Handle("POST /selfcheck/classify/export", "", m.classifyExport)
	// Stateless JSON API: open to cookie-less clients, CSRF-checked for
	// logged-in browsers (as POST /api/v1/ruzhang/evaluate).
	srv.mux.HandleFunc("POST /api/v1/selfcheck/{tool}", m.api)
	srv.Handle("POST /selfcheck/records", account.RoleMember, m.saveRecord)
	srv.Handle("GET /selfcheck/records", account.RoleMember, m.recordsPage)
	srv.Handle("GET /selfcheck/incident", "", m.incidentForm)
	srv.Handle("POST /selfcheck/incident", "", m.incidentResult)
	return nil
}

// snapshotLibrary indexes the server's current library, once per snapshot.
func (m *selfcheckModule) snapshotLibrary() *selfcheck.Library {
	snap := m.s.library()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.libSnap != snap {
		m.libSnap, m.libHave = snap, selfcheck.NewLibrary(snap.cat.Versions)
	}
	return m.libHave
}

type scOption struct{ Value, Label string }

type scPage struct {
	CSRF      string
	Error     string
	Form      map[string]string
	Checked   map[string]bool
	Scenarios []scOption
	Triggers  []pia.Trigger
	Sections  []pia.Section
	Grades    []string
	Cross     *crossborder.Result
	PIA       *pia.Result
	Incident  *incident.Result
	Classify  *classify.Result
	Criteria  any
	// Tool and Input let a member file the check (the server recomputes
	// the result from Input; it never stores a result sent by the client).
	Tool    string
	Input   string
	Member  bool
	Records []*selfcheck.Record
	JSON    string
}

func (m *selfcheckModule) page(r *http.Request) *scPage {
	p := &scPage{CSRF: m.s.csrfToken(r), Member: CurrentUser(r).Can(account.RoleMember), Form: map[string]string{}, Checked: map[string]bool{},
		Triggers: pia.Triggers, Sections: pia.Sections, Grades: incident.Grades(), Criteria: classify.IndustrialCriteria}
	for _, k := range []string{crossborder.ScenarioNone, crossborder.ScenarioContract, crossborder.ScenarioHR,
		crossborder.ScenarioEmergency, crossborder.ScenarioTrade, crossborder.ScenarioForeign} {
		p.Scenarios = append(p.Scenarios, scOption{k, crossborder.ScenarioNames[k]})
	}
	return p
}

func (m *selfcheckModule) render(w http.ResponseWriter, r *http.Request, code int, title, name string, p *scPage) {
	var buf bytes.Buffer
	if err := m.tmpl.ExecuteTemplate(&buf, name, p); err != nil {
		m.s.log.Error("渲染合规自查页面失败", "template", name, "err", err)
		m.s.fail(w, r, http.StatusInternalServerError, "页面渲染失败。")
		return
	}
	m.s.RenderPage(w, r, code, title, "selfcheck", template.HTML(buf.String()))
}

func asJSON(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

func (m *selfcheckModule) landing(w http.ResponseWriter, r *http.Request) {
	m.render(w, r, http.StatusOK, "合规自查", "sc-landing", m.page(r))
}

func (m *selfcheckModule) crossborderForm(w http.ResponseWriter, r *http.Request) {
	p := m.page(r)
	p.Form["scenario"] = crossborder.ScenarioNone
	p.Form["personal_info"], p.Form["sensitive_personal_info"] = "0", "0"
	m.render(w, r, http.StatusOK, "数据出境路径判定", "sc-crossborder", p)
}

// formCount reads a non-negative count; an empty field is 0.
func formCount(r *http.Request, name, label string) (int64, string) {
	v := strings.TrimSpace(r.PostFormValue(name))
	v = strings.ReplaceAll(v, ",", "")
	if v == "" {
		return 0, ""
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, label + "应为不小于 0 的整数。"
	}
	return n, ""
}

func (m *selfcheckModule) crossborderResult(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	p := m.page(r)
	if err := r.ParseForm(); err != nil {
		m.s.fail(w, r, http.StatusBadRequest, "表单无法读取。")
		return
	}
	for _, k := range []string{"personal_info", "sensitive_personal_info", "scenario"} {
		p.Form[k] = r.PostFormValue(k)
	}
	c := crossborder.Case{
		CIIOperator:     r.PostFormValue("cii_operator") == "on",
		ImportantData:   r.PostFormValue("important_data") == "on",
		FTZOutsideNList: r.PostFormValue("ftz_outside_negative_list") == "on",
		Scenario:        r.PostFormValue("scenario"),
	}
	p.Checked["cii_operator"], p.Checked["important_data"], p.Checked["ftz_outside_negative_list"] = c.CIIOperator, c.ImportantData, c.FTZOutsideNList
	var msg string
	if c.PersonalInfo, msg = formCount(r, "personal_info", "个人信息人数"); msg == "" {
		c.SensitiveInfo, msg = formCount(r, "sensitive_personal_info", "敏感个人信息人数")
	}
	if msg == "" {
		if err := c.Validate(); err != nil {
			msg = "请选择列出的出境情形之一。"
		}
	}
	if msg != "" {
		p.Error = msg
		m.render(w, r, http.StatusUnprocessableEntity, "数据出境路径判定", "sc-crossborder", p)
		return
	}
	res := crossborder.Decide(c, m.lib())
	p.Cross, p.JSON = &res, asJSON(map[string]any{"case": c, "result": res})
	p.Tool, p.Input = "crossborder", asJSON(c)
	m.render(w, r, http.StatusOK, "数据出境路径判定结果", "sc-crossborder-result", p)
}

func (m *selfcheckModule) piaForm(w http.ResponseWriter, r *http.Request) {
	m.render(w, r, http.StatusOK, "个人信息保护影响评估", "sc-pia", m.page(r))
}

func (m *selfcheckModule) piaResult(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
	p := m.page(r)
	if err := r.ParseForm(); err != nil {
		m.s.fail(w, r, http.StatusBadRequest, "表单无法读取（内容过长？）。")
		return
	}
	c := pia.Case{Activity: r.PostFormValue("activity"), Triggers: r.PostForm["trigger"], Answers: map[string]string{}}
	for _, s := range pia.Sections {
		if v := strings.TrimSpace(r.PostFormValue("answer_" + s.Key)); v != "" {
			c.Answers[s.Key] = v
		}
		p.Form["answer_"+s.Key] = r.PostFormValue("answer_" + s.Key)
	}
	p.Form["activity"] = c.Activity
	for _, k := range c.Triggers {
		p.Checked[k] = true
	}
	if err := c.Validate(); err != nil {
		p.Error = "请填写处理活动，并只勾选列出的情形。"
		m.render(w, r, http.StatusUnprocessableEntity, "个人信息保护影响评估", "sc-pia", p)
		return
	}
	res := pia.Assess(c, m.lib(), time.Now())
	p.PIA, p.JSON = &res, asJSON(map[string]any{"case": c, "result": res})
	p.Tool, p.Input = "pia", asJSON(c)
	m.render(w, r, http.StatusOK, "个人信息保护影响评估记录", "sc-pia-result", p)
}

func (m *selfcheckModule) incidentForm(w http.ResponseWriter, r *http.Request) {
	p := m.page(r)
	p.Form["sector"] = incident.SectorOther
	m.render(w, r, http.StatusOK, "安全事件报告义务", "sc-incident", p)
}

func (m *selfcheckModule) incidentResult(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	p := m.page(r)
	if err := r.ParseForm(); err != nil {
		m.s.fail(w, r, http.StatusBadRequest, "表单无法读取。")
		return
	}
	c := incident.Case{Sector: r.PostFormValue("sector"), Grade: r.PostFormValue("grade"),
		PersonalInfo: r.PostFormValue("personal_info") == "on", CrossBorder: r.PostFormValue("cross_border") == "on",
		NetworkOperator: r.PostFormValue("network_operator") == "on"}
	p.Form["sector"], p.Form["grade"] = c.Sector, c.Grade
	p.Checked["personal_info"], p.Checked["cross_border"], p.Checked["network_operator"] = c.PersonalInfo, c.CrossBorder, c.NetworkOperator
	if err := c.Validate(); err != nil {
		p.Error = "请选择列出的领域和事件级别。"
		m.render(w, r, http.StatusUnprocessableEntity, "安全事件报告义务", "sc-incident", p)
		return
	}
	res := incident.Decide(c, m.lib())
	p.Incident, p.JSON = &res, asJSON(map[string]any{"case": c, "result": res})
	p.Tool, p.Input = "incident", asJSON(c)
	m.render(w, r, http.StatusOK, "安全事件报告义务", "sc-incident-result", p)
}

func (m *selfcheckModule) classifyForm(w http.ResponseWriter, r *http.Request) {
	m.render(w, r, http.StatusOK, "数据分类分级", "sc-classify", m.page(r))
}

func (m *selfcheckModule) classifyTemplate(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="catalogue-template.csv"`)
	w.Write([]byte("\xef\xbb\xbf" + classify.Template()))
}

// classifyResult reads an uploaded catalogue (size- and type-checked by
// classify.Read) and shows the classification.
func (m *selfcheckModule) classifyResult(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, classify.MaxUploadBytes+64<<10)
	p := m.page(r)
	fail := func(msg string) {
		p.Error = msg
		m.render(w, r, http.StatusUnprocessableEntity, "数据分类分级", "sc-classify", p)
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		fail("上传失败：文件须为不超过 4 MB 的 .csv 或 .xlsx。")
		return
	}
	defer r.MultipartForm.RemoveAll()
	f, hdr, err := r.FormFile("file")
	if err != nil {
		fail("请选择要上传的 .csv 或 .xlsx 文件。")
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
func (m *selfcheckModule) classifyExport(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, classify.MaxUploadBytes*2)
	if err := r.ParseForm(); err != nil {
		m.s.fail(w, r, http.StatusBadRequest, "表单无法读取。")
		return
	}
	var items []classify.Item
	if err := json.Unmarshal([]byte(r.PostFormValue("items")), &items); err != nil || len(items) == 0 || len(items) > classify.MaxRows {
		m.s.fail(w, r, http.StatusBadRequest, "导出的数据项无效，请重新上传。")
		return
	}
	res := classify.Classify(items, m.lib())
	var buf bytes.Buffer
	switch r.PostFormValue("format") {
	case "xlsx":
		if err := classify.WriteXLSX(&buf, res); err != nil {
			m.s.fail(w, r, http.StatusInternalServerError, "导出失败。")
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

// rerun recomputes a tool's result from its input.
func (m *selfcheckModule) rerun(tool string, input []byte) (any, []selfcheck.Citation, error) {
	lib := m.lib()
	switch tool {
	case "crossborder":
		c, err := crossborder.Parse(input)
		if err != nil {
			return nil, nil, err
		}
		r := crossborder.Decide(c, lib)
		return r, r.Citations, nil
	case "pia":
		c, err := pia.Parse(input)
		if err != nil {
			return nil, nil, err
		}
		r := pia.Assess(c, lib, time.Now())
		return r, r.Citations, nil
	case "incident":
		c, err := incident.Parse(input)
		if err != nil {
			return nil, nil, err
		}
		r := incident.Decide(c, lib)
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

func (m *selfcheckModule) saveRecord(w http.ResponseWriter, r *http.Request) {
	u := CurrentUser(r)
	tool, input, org := r.PostFormValue("tool"), r.PostFormValue("input"), strings.TrimSpace(r.PostFormValue("org"))
	if org == "" {
		m.s.fail(w, r, http.StatusUnprocessableEntity, "请填写组织名称。")
		return
	}
	res, cited, err := m.rerun(tool, []byte(input))
	if err != nil {
		m.s.fail(w, r, http.StatusUnprocessableEntity, "无法保存：输入无效（"+err.Error()+"）。")
		return
	}
	if _, err := m.records.Save(r.Context(), u.ID, org, tool, json.RawMessage(input), res, cited); err != nil {
		m.s.fail(w, r, http.StatusUnprocessableEntity, "无法保存："+err.Error())
		return
	}
	http.Redirect(w, r, "/selfcheck/records", http.StatusSeeOther)
}

func (m *selfcheckModule) recordsPage(w http.ResponseWriter, r *http.Request) {
	p := m.page(r)
	recs, err := m.records.List(r.Context(), CurrentUser(r).ID, r.URL.Query().Get("org"))
	if err != nil {
		m.s.log.Error("读取自查记录失败", "err", err)
		m.s.fail(w, r, http.StatusInternalServerError, "读取记录失败。")
		return
	}
	lib := m.lib()
	for _, rec := range recs {
		selfcheck.Review(rec, lib)
	}
	p.Records = recs
	m.render(w, r, http.StatusOK, "自查记录", "sc-records", p)
}

// api runs one tool on a JSON body: the case object of crossborder, pia or
// incident, or the item array of classify.
func (m *selfcheckModule) api(w http.ResponseWriter, r *http.Request) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeJSON(w, http.StatusUnsupportedMediaType, map[string]string{"error": "请求体须为 JSON（Content-Type: application/json）"})
		return
	}
	if CurrentUser(r) != nil && !m.s.validCSRF(r) {
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "CSRF 校验失败，请刷新页面后重试。"})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, classify.MaxUploadBytes))
	if err != nil {
		writeJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"error": "请求体过大"})
		return
	}
	tool := r.PathValue("tool")
	res, _, err := m.rerun(tool, body)
	if err != nil {
		code := http.StatusBadRequest
		if err.Error() == "未知的自查工具" {
			code = http.StatusNotFound
		}
		writeJSON(w, code, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, res)
}
