package ruzhang

// 数据资产台账: organisations' multi-period data-asset ledgers over
// internal/ruzhang (LedgerStore): assets with rights evidence, cost
// build-up and events, the period roll-forward, the 变动表 and disclosures,
// .xlsx working papers, a printable report and the audit trail. Members
// own their ledgers; every write is CSRF-checked and audited.

import (
	"bytes"
	"datalex/internal/web"
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"

	"datalex/internal/account"
	"datalex/internal/ruzhang"
)

// maxLedgerCase bounds an uploaded asset case (JSON).
const maxLedgerCase = 1 << 20

type ledgerModule struct {
	s     *web.Server
	store *ruzhang.LedgerStore
	tmpl  *template.Template
}

// LedgerDeps is what the ledger module needs besides the server.
type LedgerDeps struct {
	// Store keeps the ledgers; nil uses the server's database.
	Store *ruzhang.LedgerStore
}

// MountLedger serves the ledger pages under /ruzhang/ledger and the JSON
// API under /api/v1/ledger. Call it once after New, before serving.
func MountLedger(srv *web.Server, deps LedgerDeps) error {
	m := &ledgerModule{s: srv, store: deps.Store}
	if m.store == nil {
		m.store = ruzhang.NewLedgerStore(srv.DB())
	}
	t, err := template.New("ledger").Funcs(web.Funcs()).ParseFS(templateFS, "templates/ledger*.html")
	if err != nil {
		return err
	}
	m.tmpl = t
	member := account.RoleMember
	srv.Handle("GET /ruzhang/ledger", member, m.orgsPage)
	srv.Handle("POST /ruzhang/ledger", member, m.createOrg)
	srv.Handle("GET /ruzhang/ledger/{org}", member, m.orgPage)
	srv.Handle("POST /ruzhang/ledger/{org}/assets", member, m.putAssetForm)
	srv.Handle("POST /ruzhang/ledger/{org}/assets/{id}/delete", member, m.deleteAssetForm)
	srv.Handle("GET /ruzhang/ledger/{org}/assets/{id}", member, m.assetPage)
	srv.Handle("GET /ruzhang/ledger/{org}/export.xlsx", member, m.exportXLSX)
	srv.Handle("GET /ruzhang/ledger/{org}/report", member, m.report)

	srv.Handle("GET /api/v1/ledger/orgs", member, m.apiOrgs)
	srv.Handle("POST /api/v1/ledger/orgs", member, m.apiCreateOrg)
	srv.Handle("GET /api/v1/ledger/orgs/{org}", member, m.apiOrg)
	srv.Handle("POST /api/v1/ledger/orgs/{org}/assets", member, m.apiPutAsset)
	srv.Handle("POST /api/v1/ledger/orgs/{org}/assets/{id}", member, m.apiPutAsset)
	srv.Handle("DELETE /api/v1/ledger/orgs/{org}/assets/{id}", member, m.apiDeleteAsset)
	srv.Handle("GET /api/v1/ledger/orgs/{org}/audit", member, m.apiAudit)
	return nil
}

func (m *ledgerModule) render(w http.ResponseWriter, r *http.Request, code int, title, name string, data any) {
	m.s.RenderFragment(w, r, code, title, "ruzhang", m.tmpl, name, data)
}

// ---- pages ----

type ledgerOrgsView struct {
	CSRF  string
	Orgs  []ruzhang.Org
	Error string
}

func (m *ledgerModule) orgsPage(w http.ResponseWriter, r *http.Request) {
	m.showOrgs(w, r, http.StatusOK, "")
}

func (m *ledgerModule) showOrgs(w http.ResponseWriter, r *http.Request, code int, msg string) {
	orgs, err := m.store.Orgs(r.Context(), web.CurrentUser(r).ID)
	if err != nil {
		m.s.Fail(w, r, http.StatusInternalServerError, "读取台账失败。")
		return
	}
	m.render(w, r, code, "数据资产台账", "ledger-orgs", ledgerOrgsView{CSRF: m.s.CSRFToken(r), Orgs: orgs, Error: msg})
}

func (m *ledgerModule) createOrg(w http.ResponseWriter, r *http.Request) {
	u := web.CurrentUser(r)
	o, err := m.store.CreateOrg(r.Context(), u.ID, u.Username, r.PostFormValue("name"), r.PostFormValue("org_type"))
	if err != nil {
		m.showOrgs(w, r, http.StatusUnprocessableEntity, err.Error())
		return
	}
	http.Redirect(w, r, "/ruzhang/ledger/"+o.ID, http.StatusSeeOther)
}

type ledgerAssetRow struct {
	ruzhang.Asset
	Result *ruzhang.Result
	Error  string
	Last   *ruzhang.PeriodResult
}

type ledgerOrgView struct {
	CSRF   string
	Org    *ruzhang.Org
	Assets []ledgerAssetRow
	Audit  []ruzhang.AuditRecord
	Errors []string
	Draft  string
}

func (m *ledgerModule) orgPage(w http.ResponseWriter, r *http.Request) {
	m.showOrg(w, r, http.StatusOK, nil, "")
}

func (m *ledgerModule) showOrg(w http.ResponseWriter, r *http.Request, code int, errs []string, draft string) {
	ctx := r.Context()
	u := web.CurrentUser(r)
	org, err := m.store.Org(ctx, u.ID, r.PathValue("org"))
	if err != nil {
		m.s.Fail(w, r, http.StatusNotFound, "台账不存在。")
		return
	}
	assets, err := m.store.Assets(ctx, u.ID, org.ID)
	if err != nil {
		m.s.Fail(w, r, http.StatusInternalServerError, "读取资产失败。")
		return
	}
	v := ledgerOrgView{CSRF: m.s.CSRFToken(r), Org: org, Errors: errs, Draft: draft}
	for _, a := range assets {
		row := ledgerAssetRow{Asset: a}
		if res, err := ruzhang.Evaluate(a.Case); err != nil {
			row.Error = err.Error()
		} else {
			row.Result = res
			if n := len(res.Periods); n > 0 {
				row.Last = &res.Periods[n-1]
			}
		}
		v.Assets = append(v.Assets, row)
	}
	v.Audit, _ = m.store.Audit(ctx, u.ID, org.ID)
	m.render(w, r, code, org.Name+" · 数据资产台账", "ledger-org", v)
}

// putAssetForm adds (or, with asset_id, replaces) an asset from a JSON
// case pasted into the form or uploaded as a file.
func (m *ledgerModule) putAssetForm(w http.ResponseWriter, r *http.Request) {
	data := []byte(r.PostFormValue("case"))
	if f, hdr, err := r.FormFile("file"); err == nil {
		defer f.Close()
		if !strings.HasSuffix(strings.ToLower(hdr.Filename), ".json") {
			m.showOrg(w, r, http.StatusUnprocessableEntity, []string{"只接受 .json 案例文件"}, "")
			return
		}
		data, err = io.ReadAll(io.LimitReader(f, maxLedgerCase+1))
		if err != nil || len(data) > maxLedgerCase {
			m.showOrg(w, r, http.StatusRequestEntityTooLarge, []string{"案例文件过大（最多 1 MB）"}, "")
			return
		}
	}
	c, err := parseOneCase(data)
	if err != nil {
		m.showOrg(w, r, http.StatusUnprocessableEntity, []string{err.Error()}, string(data))
		return
	}
	u := web.CurrentUser(r)
	a, err := m.store.PutAsset(r.Context(), u.ID, u.Username, r.PathValue("org"), r.PostFormValue("asset_id"), c)
	if err != nil {
		m.showOrg(w, r, http.StatusUnprocessableEntity, errorLines(err), string(data))
		return
	}
	http.Redirect(w, r, "/ruzhang/ledger/"+a.OrgID+"/assets/"+a.ID, http.StatusSeeOther)
}

func parseOneCase(data []byte) (ruzhang.Case, error) {
	if len(data) > maxLedgerCase {
		return ruzhang.Case{}, errors.New("案例过大（最多 1 MB）")
	}
	cs, err := ruzhang.ParseCases(data)
	if err != nil {
		return ruzhang.Case{}, err
	}
	if len(cs) != 1 {
		return ruzhang.Case{}, errors.New("一次只能保存一个资产（一个 JSON 对象）")
	}
	return cs[0], nil
}

func errorLines(err error) []string {
	var verr *ruzhang.ValidationError
	if errors.As(err, &verr) {
		var out []string
		for _, e := range verr.Errors {
			out = append(out, e.Error())
		}
		return out
	}
	if errors.Is(err, ruzhang.ErrLedgerNotFound) {
		return []string{"台账或资产不存在"}
	}
	return []string{err.Error()}
}

func (m *ledgerModule) deleteAssetForm(w http.ResponseWriter, r *http.Request) {
	u := web.CurrentUser(r)
	if err := m.store.DeleteAsset(r.Context(), u.ID, u.Username, r.PathValue("org"), r.PathValue("id")); err != nil {
		m.s.Fail(w, r, http.StatusNotFound, "资产不存在。")
		return
	}
	http.Redirect(w, r, "/ruzhang/ledger/"+r.PathValue("org"), http.StatusSeeOther)
}

type ledgerAssetView struct {
	CSRF   string
	Org    *ruzhang.Org
	Asset  *ruzhang.Asset
	Result *ruzhang.Result
	JSON   string
	Error  string
}

func (m *ledgerModule) findAsset(r *http.Request) (*ruzhang.Org, *ruzhang.Asset, bool) {
	u := web.CurrentUser(r)
	org, err := m.store.Org(r.Context(), u.ID, r.PathValue("org"))
	if err != nil {
		return nil, nil, false
	}
	assets, err := m.store.Assets(r.Context(), u.ID, org.ID)
	if err != nil {
		return nil, nil, false
	}
	for i := range assets {
		if assets[i].ID == r.PathValue("id") {
			return org, &assets[i], true
		}
	}
	return nil, nil, false
}

func (m *ledgerModule) assetPage(w http.ResponseWriter, r *http.Request) {
	org, a, ok := m.findAsset(r)
	if !ok {
		m.s.Fail(w, r, http.StatusNotFound, "资产不存在。")
		return
	}
	v := ledgerAssetView{CSRF: m.s.CSRFToken(r), Org: org, Asset: a}
	b, _ := json.MarshalIndent(a.Case, "", "  ")
	v.JSON = string(b)
	if res, err := ruzhang.Evaluate(a.Case); err != nil {
		v.Error = err.Error()
	} else {
		v.Result = res
	}
	m.render(w, r, http.StatusOK, a.Name+" · 数据资产台账", "ledger-asset", v)
}

func (m *ledgerModule) ledgerData(w http.ResponseWriter, r *http.Request) (*ruzhang.Org, []*ruzhang.Result, []ruzhang.AuditRecord, bool) {
	u := web.CurrentUser(r)
	org, err := m.store.Org(r.Context(), u.ID, r.PathValue("org"))
	if err != nil {
		m.s.Fail(w, r, http.StatusNotFound, "台账不存在。")
		return nil, nil, nil, false
	}
	rs, _, err := m.store.Evaluate(r.Context(), u.ID, org.ID)
	if err != nil {
		m.s.Fail(w, r, http.StatusUnprocessableEntity, err.Error())
		return nil, nil, nil, false
	}
	trail, _ := m.store.Audit(r.Context(), u.ID, org.ID)
	return org, rs, trail, true
}

func (m *ledgerModule) exportXLSX(w http.ResponseWriter, r *http.Request) {
	org, rs, trail, ok := m.ledgerData(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := ruzhang.WriteXLSX(&buf, org.Name+" 数据资产台账", rs, trail); err != nil {
		m.s.Fail(w, r, http.StatusInternalServerError, "导出失败。")
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="ledger.xlsx"; filename*=UTF-8''`+url.PathEscape(org.Name)+".xlsx")
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(buf.Bytes())
}

func (m *ledgerModule) report(w http.ResponseWriter, r *http.Request) {
	org, rs, trail, ok := m.ledgerData(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := ruzhang.WriteLedgerHTML(&buf, org.Name+" 数据资产台账", rs, trail); err != nil {
		m.s.Fail(w, r, http.StatusInternalServerError, "报告生成失败。")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(buf.Bytes())
}

// ---- JSON API ----

func apiErr(w http.ResponseWriter, code int, err error) {
	var verr *ruzhang.ValidationError
	if errors.As(err, &verr) {
		web.WriteJSON(w, http.StatusUnprocessableEntity, verr)
		return
	}
	if errors.Is(err, ruzhang.ErrLedgerNotFound) {
		code = http.StatusNotFound
	}
	web.WriteJSON(w, code, map[string]string{"error": err.Error()})
}

func (m *ledgerModule) apiOrgs(w http.ResponseWriter, r *http.Request) {
	orgs, err := m.store.Orgs(r.Context(), web.CurrentUser(r).ID)
	if err != nil {
		apiErr(w, http.StatusInternalServerError, err)
		return
	}
	if orgs == nil {
		orgs = []ruzhang.Org{}
	}
	web.WriteJSON(w, http.StatusOK, orgs)
}

func (m *ledgerModule) apiCreateOrg(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name    string `json:"name"`
		OrgType string `json:"org_type"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&in); err != nil {
		apiErr(w, http.StatusBadRequest, errors.New("请求体应为 JSON：{\"name\",\"org_type\"}"))
		return
	}
	u := web.CurrentUser(r)
	o, err := m.store.CreateOrg(r.Context(), u.ID, u.Username, in.Name, in.OrgType)
	if err != nil {
		apiErr(w, http.StatusUnprocessableEntity, err)
		return
	}
	web.WriteJSON(w, http.StatusCreated, o)
}

type ledgerAPIAsset struct {
	ruzhang.Asset
	Result *ruzhang.Result `json:"result,omitempty"`
	Error  string          `json:"error,omitempty"`
}

func (m *ledgerModule) apiOrg(w http.ResponseWriter, r *http.Request) {
	u := web.CurrentUser(r)
	org, err := m.store.Org(r.Context(), u.ID, r.PathValue("org"))
	if err != nil {
		apiErr(w, http.StatusNotFound, err)
		return
	}
	assets, err := m.store.Assets(r.Context(), u.ID, org.ID)
	if err != nil {
		apiErr(w, http.StatusInternalServerError, err)
		return
	}
	out := struct {
		*ruzhang.Org
		Assets []ledgerAPIAsset `json:"assets"`
	}{Org: org, Assets: []ledgerAPIAsset{}}
	for _, a := range assets {
		x := ledgerAPIAsset{Asset: a}
		if res, err := ruzhang.Evaluate(a.Case); err != nil {
			x.Error = err.Error()
		} else {
			x.Result = res
		}
		out.Assets = append(out.Assets, x)
	}
	w.Header().Set("Cache-Control", "private, no-store")
	web.WriteJSON(w, http.StatusOK, out)
}

func (m *ledgerModule) apiPutAsset(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxLedgerCase+1))
	if err != nil {
		apiErr(w, http.StatusBadRequest, err)
		return
	}
	c, err := parseOneCase(data)
	if err != nil {
		apiErr(w, http.StatusBadRequest, err)
		return
	}
	u := web.CurrentUser(r)
	a, err := m.store.PutAsset(r.Context(), u.ID, u.Username, r.PathValue("org"), r.PathValue("id"), c)
	if err != nil {
		apiErr(w, http.StatusUnprocessableEntity, err)
		return
	}
	res, _ := ruzhang.Evaluate(a.Case)
	code := http.StatusOK
	if r.PathValue("id") == "" {
		code = http.StatusCreated
	}
	web.WriteJSON(w, code, ledgerAPIAsset{Asset: *a, Result: res})
}

func (m *ledgerModule) apiDeleteAsset(w http.ResponseWriter, r *http.Request) {
	u := web.CurrentUser(r)
	if err := m.store.DeleteAsset(r.Context(), u.ID, u.Username, r.PathValue("org"), r.PathValue("id")); err != nil {
		apiErr(w, http.StatusNotFound, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (m *ledgerModule) apiAudit(w http.ResponseWriter, r *http.Request) {
	trail, err := m.store.Audit(r.Context(), web.CurrentUser(r).ID, r.PathValue("org"))
	if err != nil {
		apiErr(w, http.StatusNotFound, err)
		return
	}
	if trail == nil {
		trail = []ruzhang.AuditRecord{}
	}
	web.WriteJSON(w, http.StatusOK, trail)
}
