package selfcheck

// 合规自查: the 个人信息保护影响评估 and 安全事件 wizards (POST forms with the
// CSRF token; nothing stored unless a member files the result).

import (
	"datalex/internal/web"
	"encoding/json"
	"net/http"
	"time"

	"datalex/internal/account"
	"datalex/internal/selfcheck/incident"
	"datalex/internal/selfcheck/pia"
)

type scFormPage struct {
	CSRF     string
	Error    string
	Form     map[string]string
	Checked  map[string]bool
	PIA      *pia.Result
	Incident *incident.Result
	Save     *scSave
}

var piaActs = []struct{ Key, Name string }{
	{pia.ActSensitive, "处理敏感个人信息"}, {pia.ActAutomated, "利用个人信息进行自动化决策"},
	{pia.ActEntrust, "委托处理、向其他个人信息处理者提供或者公开个人信息"}, {pia.ActCrossBorder, "向境外提供个人信息"},
	{pia.ActMajor, "其他对个人权益有重大影响的个人信息处理活动"},
}

func (m *selfcheckRecords) formPage(r *http.Request) *scFormPage {
	return &scFormPage{CSRF: m.s.CSRFToken(r), Form: map[string]string{}, Checked: map[string]bool{}}
}

func (m *selfcheckRecords) offerSave(r *http.Request, p *scFormPage, tool string, facts any) {
	if web.CurrentUser(r).Can(account.RoleMember) {
		in, _ := json.Marshal(facts)
		p.Save = &scSave{CSRF: p.CSRF, Tool: tool, Input: string(in)}
	}
}

func (m *selfcheckRecords) renderForm(w http.ResponseWriter, r *http.Request, code int, title, name string, p *scFormPage) {
	m.renderAny(w, r, code, title, name, map[string]any{"P": p, "Acts": piaActs, "Grades": []string{incident.GradeGeneral, incident.GradeLarge, incident.GradeMajor, incident.GradeExtraordinary}})
}

func (m *selfcheckRecords) piaForm(w http.ResponseWriter, r *http.Request) {
	m.renderForm(w, r, http.StatusOK, "个人信息保护影响评估", "sc-pia", m.formPage(r))
}

func (m *selfcheckRecords) piaResult(w http.ResponseWriter, r *http.Request) {
	p := m.formPage(r)
	f := pia.Facts{Activity: r.PostFormValue("activity"), Activities: r.PostForm["activity_code"],
		Purpose: r.PostFormValue("purpose_and_method"), Impact: r.PostFormValue("impact_and_risk"), Measures: r.PostFormValue("measures")}
	for _, k := range []string{"activity", "purpose_and_method", "impact_and_risk", "measures"} {
		p.Form[k] = r.PostFormValue(k)
	}
	for _, a := range f.Activities {
		p.Checked[a] = true
	}
	if err := f.Validate(); err != nil {
		p.Error = err.Error()
		m.renderForm(w, r, http.StatusUnprocessableEntity, "个人信息保护影响评估", "sc-pia", p)
		return
	}
	res := pia.Decide(f, time.Now())
	p.PIA = &res
	m.offerSave(r, p, "pia", f)
	m.renderForm(w, r, http.StatusOK, "个人信息保护影响评估记录", "sc-pia", p)
}

func (m *selfcheckRecords) incidentForm(w http.ResponseWriter, r *http.Request) {
	p := m.formPage(r)
	p.Form["grade"] = incident.GradeUnknown
	m.renderForm(w, r, http.StatusOK, "安全事件报告义务", "sc-incident", p)
}

func (m *selfcheckRecords) incidentResult(w http.ResponseWriter, r *http.Request) {
	p := m.formPage(r)
	on := func(k string) bool { p.Checked[k] = r.PostFormValue(k) == "on"; return p.Checked[k] }
	f := incident.Facts{DataIncident: on("data_security_incident"), NetworkIncident: on("network_security_incident"),
		PersonalInfo: on("personal_info_affected"), HarmAvoided: on("harm_effectively_avoided"), CrossBorder: on("cross_border_data"),
		MIITSector: on("miit_sector"), Grade: r.PostFormValue("grade")}
	p.Form["grade"] = f.Grade
	if err := f.Validate(); err != nil {
		p.Error = err.Error()
		m.renderForm(w, r, http.StatusUnprocessableEntity, "安全事件报告义务", "sc-incident", p)
		return
	}
	res := incident.Decide(f)
	p.Incident = &res
	m.offerSave(r, p, "incident", f)
	m.renderForm(w, r, http.StatusOK, "安全事件报告义务", "sc-incident", p)
}
