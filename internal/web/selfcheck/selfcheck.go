package selfcheck

import (
	"datalex/internal/web"
	"embed"
	"encoding/json"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"

	"datalex/internal/account"
	"datalex/internal/selfcheck/crossborder"
)

//go:embed templates/*.html
var templateFS embed.FS

// selfcheckModule serves the 合规自查 wizards. A check only computes from
// the facts the user types, so the form is a GET: nothing is stored, the
// result URL can be bookmarked or shared, and no CSRF token is needed.
type selfcheckModule struct {
	s    *web.Server
	tmpl *template.Template
}

// MountSelfcheck serves /selfcheck (the list of tools), the 数据出境路径判定
// wizard at /selfcheck/crossborder and its JSON API.
func MountSelfcheck(srv *web.Server) error {
	t, err := template.New("selfcheck").Funcs(web.Funcs()).ParseFS(templateFS, "templates/selfcheck*.html")
	if err != nil {
		return err
	}
	m := &selfcheckModule{s: srv, tmpl: t}
	srv.Handle("GET /selfcheck", "", m.landing)
	srv.Handle("GET /selfcheck/crossborder", "", m.crossborderPage)
	srv.Handle("POST /api/v1/selfcheck/crossborder", "", m.crossborderAPI)
	mountSelfcheckRecords(srv, t)
	return nil
}

func (m *selfcheckModule) render(w http.ResponseWriter, r *http.Request, title, name string, data any) {
	m.s.RenderFragment(w, r, http.StatusOK, title, "selfcheck", m.tmpl, name, data)
}

func (m *selfcheckModule) landing(w http.ResponseWriter, r *http.Request) {
	m.render(w, r, "合规自查", "selfcheck-home", nil)
}

// crossborderForm is the wizard's state: the raw field values (so a form
// with an error is shown again as typed) and, once valid, the result.
type crossborderForm struct {
	CII, Important, FTZ  bool
	PersonalInfo         string
	SensitivePersonalInf string
	Scenario             string
	Submitted            bool
	Error                string
	Result               *crossborder.Result
	Save                 *scSave
}

// parseCount reads a head count typed by a person: digits with optional
// thousands separators or a 万 suffix ("3万", "12,000").
func parseCount(field, s string) (int64, string) {
	s = strings.TrimSpace(strings.NewReplacer(",", "", "，", "", " ", "", "人", "").Replace(s))
	if s == "" {
		return 0, ""
	}
	mul := int64(1)
	if strings.HasSuffix(s, "万") {
		mul, s = 10000, strings.TrimSuffix(s, "万")
	}
	if len(s) > 12 {
		return 0, field + "：数字过长"
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n < 0 || n*float64(mul) != float64(int64(n*float64(mul))) {
		return 0, field + "：请输入非负整数人数（可写作 3万）"
	}
	return int64(n * float64(mul)), ""
}

func (m *selfcheckModule) crossborderPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := crossborderForm{
		Submitted:            q.Get("submitted") == "1",
		CII:                  q.Get("cii_operator") == "1",
		Important:            q.Get("important_data") == "1",
		FTZ:                  q.Get("ftz_outside_negative_list") == "1",
		PersonalInfo:         q.Get("personal_info"),
		SensitivePersonalInf: q.Get("sensitive_personal_info"),
		Scenario:             q.Get("scenario"),
	}
	if f.Scenario == "" {
		f.Scenario = crossborder.ScenarioNone
	}
	if f.Submitted {
		pi, e1 := parseCount("非敏感个人信息人数", f.PersonalInfo)
		sens, e2 := parseCount("敏感个人信息人数", f.SensitivePersonalInf)
		facts := crossborder.Facts{CIIOperator: f.CII, ImportantData: f.Important, PersonalInfo: pi,
			SensitivePersonalInfo: sens, Scenario: f.Scenario, FTZOutsideNegativeList: f.FTZ}
		switch {
		case e1 != "":
			f.Error = e1
		case e2 != "":
			f.Error = e2
		default:
			if err := facts.Validate(); err != nil {
				f.Error = err.Error()
			} else {
				res := crossborder.Decide(facts)
				f.Result = &res
				// A member may file the check: the form posts the facts,
				// and the server recomputes the result (selfcheck_classify.go).
				if web.CurrentUser(r).Can(account.RoleMember) {
					in, _ := json.Marshal(facts)
					f.Save = &scSave{CSRF: m.s.CSRFToken(r), Tool: "crossborder", Input: string(in)}
				}
			}
		}
	}
	m.render(w, r, "数据出境路径判定", "selfcheck-crossborder", f)
}

func (m *selfcheckModule) crossborderAPI(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10+1))
	if err != nil || len(body) > 64<<10 {
		web.WriteJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"error": "请求体过大"})
		return
	}
	facts, err := crossborder.ParseFacts(body)
	if err != nil {
		web.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	web.WriteJSON(w, http.StatusOK, crossborder.Decide(facts))
}
