package ruzhang

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"datalex/internal/account"
	"datalex/internal/answer"
	"datalex/internal/ruzhang"
	"datalex/internal/web"
	"datalex/internal/web/webtest"
)

// newRuzhangEnv is a server with the 入表 provisions, the extractive
// answerer and the mounted module.
func newRuzhangEnv(t testing.TB) *webtest.Env {
	t.Helper()
	return webtest.NewRuzhangEnv(t, func(srv *web.Server) error { return MountRuzhang(srv, RuzhangDeps{}) })
}

// rzPurchasedCase is the worked example: a dataset bought for internal use,
// amortised straight-line over 36 months from 2024-03.
//
//	capitalised = 360,000 (price) + 24,000 (cleaning) = 384,000.00
//	training 5,000 is expensed; VAT 21,600 is recoverable
//	monthly amortisation = 384,000 / 36 = 10,666.67
const rzPurchasedCase = `{"name":"外购消费者画像数据集","acquisition":"purchase","purposes":["internal_use"],
 "controlled":true,"identifiable":true,"probable_benefit":true,"cost_reliable":true,
 "costs":[{"category":"purchase_price","amount":360000},{"category":"cleaning","amount":24000},
  {"category":"training","amount":5000},{"category":"deductible_vat","amount":21600}],
 "available_date":"2024-03-01","intangible":{"indefinite_life":false,"life_months":36,"method":"straight_line","residual":0},
 "period_start":"2024-01-01","period_end":"2024-12-31"}`

func TestRuzhangEvaluateAPI(t *testing.T) {
	env := newRuzhangEnv(t)
	c := env.Client(t)

	code, body := c.SendJSON("POST", "/api/v1/ruzhang/evaluate", rzPurchasedCase, "")
	if code != http.StatusOK {
		t.Fatalf("evaluate: %d %s", code, body)
	}
	var res ruzhang.Result
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		t.Fatal(err)
	}
	if res.Determination.Outcome != ruzhang.OutcomeIntangible || !res.Complete {
		t.Errorf("outcome %q complete %v", res.Determination.Outcome, res.Complete)
	}
	if res.Measurement == nil || res.Measurement.Capitalised != ruzhang.Yuan(384000) || res.Measurement.Amortisation.Monthly != ruzhang.Yuan(10666.67) {
		t.Errorf("measurement: %+v", res.Measurement)
	}
	for _, ci := range res.Citations {
		if ci.ProvisionID == "" {
			t.Errorf("citation %s not linked to a provision", ci.Citation)
		}
	}

	// Bad input: every error names its field; nothing else is returned.
	bad := strings.NewReplacer(`"life_months":36`, `"life_months":0`, `"amount":360000`, `"amount":-5`,
		`["internal_use"]`, `["internal_use","held_for_sale"]`).Replace(rzPurchasedCase)
	code, body = c.SendJSON("POST", "/api/v1/ruzhang/evaluate", bad, "")
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("bad case: %d %s", code, body)
	}
	var verr struct {
		Error  string               `json:"error"`
		Errors []ruzhang.FieldError `json:"errors"`
	}
	json.Unmarshal([]byte(body), &verr)
	fields := map[string]bool{}
	for _, e := range verr.Errors {
		fields[e.Field] = true
	}
	for _, f := range []string{"intangible.life_months", "costs[0].amount", "purposes"} {
		if !fields[f] {
			t.Errorf("no error for %s in %s", f, body)
		}
	}

	for _, tc := range []struct {
		name, ctype, body string
		want              int
	}{
		{"not JSON", "text/plain", rzPurchasedCase, http.StatusUnsupportedMediaType},
		{"broken JSON", "application/json", `{"name":`, http.StatusBadRequest},
		{"unknown field", "application/json", `{"nmae":"x"}`, http.StatusBadRequest},
		{"money with 3 decimals", "application/json", `{"costs":[{"category":"purchase_price","amount":1.005}]}`, http.StatusBadRequest},
	} {
		req, _ := http.NewRequest("POST", env.TS.URL+"/api/v1/ruzhang/evaluate", strings.NewReader(tc.body))
		req.Header.Set("Content-Type", tc.ctype)
		if code, b, _ := c.Do(req); code != tc.want {
			t.Errorf("%s: %d %s", tc.name, code, b)
		}
	}

	// A logged-in browser must send the CSRF token, as for POST /api/v1/ask.
	c.Login("zhang_api", account.RoleMember)
	if code, _ := c.SendJSON("POST", "/api/v1/ruzhang/evaluate", rzPurchasedCase, ""); code != http.StatusForbidden {
		t.Errorf("logged in without CSRF: %d", code)
	}
	if code, _ := c.SendJSON("POST", "/api/v1/ruzhang/evaluate", rzPurchasedCase, c.CSRF()); code != http.StatusOK {
		t.Errorf("logged in with CSRF: %d", code)
	}
}

func TestRuzhangQuestionsAPI(t *testing.T) {
	env := newRuzhangEnv(t)
	c := env.Client(t)
	for _, tc := range []struct {
		body, first string
	}{
		{`{}`, "name"},
		{`{"name":"x","acquisition":"developed","purposes":["internal_use"],"controlled":true,"identifiable":true,"probable_benefit":true,"cost_reliable":true}`, "dev_tech_feasible"},
		{`{"name":"x","acquisition":"purchase","purposes":["held_for_sale"],"controlled":true,"probable_benefit":true,"cost_reliable":true,"costs":[{"category":"purchase_price","amount":10}]}`, "available_date"},
	} {
		code, body := c.SendJSON("POST", "/api/v1/ruzhang/questions", tc.body, "")
		if code != http.StatusOK {
			t.Fatalf("questions: %d %s", code, body)
		}
		var out struct {
			Questions []rzApiQuestion `json:"questions"`
		}
		json.Unmarshal([]byte(body), &out)
		if len(out.Questions) == 0 || out.Questions[0].ID != tc.first || out.Questions[0].ProvisionID == "" {
			t.Errorf("%s: first question %+v", tc.body, out.Questions)
		}
	}
	if code, _ := c.SendJSON("POST", "/api/v1/ruzhang/questions", `{"acquisition":"bought"}`, ""); code != http.StatusUnprocessableEntity {
		t.Errorf("invalid acquisition: %d", code)
	}
}

var (
	rzQField     = regexp.MustCompile(`name="q" value="([^"]+)"`)
	rzStateField = regexp.MustCompile(`name="state" value="([^"]*)"`)
)

// answersFor is how a user answers each question for the purchased dataset.
var rzPurchasedAnswers = map[string]url.Values{
	"name":             {"v": {"外购消费者画像数据集"}},
	"acquisition":      {"v": {"purchase"}},
	"purposes":         {"v": {"internal_use"}},
	"controlled":       {"v": {"yes"}},
	"identifiable":     {"v": {"yes"}},
	"probable_benefit": {"v": {"yes"}},
	"cost_reliable":    {"v": {"yes"}},
	"costs": {"cost_category": {"purchase_price", "cleaning", "training", "deductible_vat", ""},
		"cost_description": {"数据集采购合同", "清洗外包", "员工培训", "进项税额", ""},
		"cost_amount":      {"360,000", "24000", "5000.00", "21600", ""}},
	"available_date":  {"v": {"2024-03-01"}},
	"indefinite_life": {"v": {"yes"}}, // 能预见期限 → 使用寿命有限
	"life_months":     {"v": {"36"}},
	"method":          {"v": {"straight_line"}},
	"residual":        {"v": {"0"}},
	"period_start":    {"v": {"2024-01-01"}},
	"period_end":      {"v": {"2024-12-31"}},
}

// rzWalk answers questions until none is left; post sends one answer and
// returns the page shown next.
func rzWalk(t *testing.T, page string, post func(q string, form url.Values) (int, string)) string {
	return rzWalkWith(t, rzPurchasedAnswers, page, post)
}

func rzWalkWith(t *testing.T, answers map[string]url.Values, page string, post func(q string, form url.Values) (int, string)) string {
	t.Helper()
	for i := 0; i < 30; i++ {
		m := rzQField.FindStringSubmatch(page)
		if m == nil {
			return page
		}
		form := url.Values{"q": {m[1]}}
		ans, ok := answers[m[1]]
		if !ok {
			t.Fatalf("unexpected question %s", m[1])
		}
		for k, v := range ans {
			form[k] = v
		}
		code, next := post(m[1], form)
		if code != http.StatusOK {
			t.Fatalf("answer %s: %d\n%s", m[1], code, next)
		}
		page = next
	}
	t.Fatal("workflow does not end")
	return ""
}

// rzCheckResult checks the finished case page.
func rzCheckResult(t *testing.T, page string) {
	t.Helper()
	for _, want := range []string{
		"会计处理判断：<strong class=\"rz-label\">无形资产</strong>",
		`<a class="rz-cite" href="/provisions/`,
		"384,000.00", "10,666.67", "摊销表",
		"借：无形资产——数据资源", "贷：银行存款", "其中：数据资源", "问一问",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("result page lacks %q", want)
		}
	}
}

func TestRuzhangMemberWorkflow(t *testing.T) {
	env := newRuzhangEnv(t)
	c := env.Client(t)
	c.Login("li_member", account.RoleMember)
	code, body, resp := c.PostCSRF("/ruzhang/cases", url.Values{"title": {"外购消费者画像数据集"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create: %d %s", code, body)
	}
	caseURL := resp.Header.Get("Location")
	_, page := c.Get(caseURL)
	if m := rzQField.FindStringSubmatch(page); m == nil || m[1] != "acquisition" {
		t.Fatalf("the title answers the name question; first asked: %v", m)
	}

	// A bad answer is shown at its field and not saved.
	post := func(q string, form url.Values) (int, string) {
		code, body, resp := c.PostCSRF(caseURL+"/answer", form)
		if code == http.StatusSeeOther {
			_, body = c.Get(resp.Header.Get("Location"))
			return http.StatusOK, body
		}
		return code, body
	}
	page = rzWalk(t, page, func(q string, form url.Values) (int, string) {
		if q == "life_months" {
			for _, bad := range []string{"0", "12000", "三年"} {
				code, body := post(q, url.Values{"q": {q}, "v": {bad}})
				if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="rz-err"`) || !strings.Contains(body, `aria-invalid="true"`) {
					t.Errorf("life %s: %d, error not at the field", bad, code)
				}
				_, again := c.Get(caseURL)
				if m := rzQField.FindStringSubmatch(again); m == nil || m[1] != "life_months" {
					t.Errorf("after rejected answer the case moved on: %v", m)
				}
			}
		}
		return post(q, form)
	})
	rzCheckResult(t, page)

	// The stored case is the engine's case.
	id := strings.TrimPrefix(caseURL, "/ruzhang/cases/")
	u, _ := env.Acc.ByUsername(context.Background(), "li_member")
	sc, err := ruzhang.NewCaseStore(env.St.DB()).Get(context.Background(), u.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := ruzhang.Evaluate(sc.Case); err != nil || !res.Complete || res.Measurement.Capitalised != ruzhang.Yuan(384000) {
		t.Fatalf("stored case: %v %+v", err, sc.Case)
	}

	// Edit an answer: the question is shown filled in.
	_, page = c.Get(caseURL + "?q=life_months")
	if !strings.Contains(page, `value="36"`) {
		t.Error("editing does not show the current answer")
	}

	// Valuation: the cost approach with its formula and sensitivity; a bad
	// rate is refused at its field.
	code, body, resp = c.PostCSRF(caseURL+"/valuation", url.Values{"use": {"cost"}, "valuation.cost.direct": {"300000"},
		"valuation.cost.indirect": {"50000"}, "valuation.cost.delta": {"0.8"}})
	if code != http.StatusSeeOther {
		t.Fatalf("valuation: %d %s", code, body)
	}
	_, page = c.Get(caseURL)
	for _, want := range []string{"成本法", "C = 前期费用 + 直接成本 + 间接成本 + 机会成本 + 相关税费", "280,000.00", "敏感性分析"} {
		if !strings.Contains(html.UnescapeString(page), want) {
			t.Errorf("valuation lacks %q", want)
		}
	}
	code, body, _ = c.PostCSRF(caseURL+"/valuation", url.Values{"use": {"income"}, "valuation.income.variant": {"direct"},
		"valuation.income.discount_rate": {"12"}, "valuation.income.periods[0].r": {"100000"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "折现率应以小数表示") {
		t.Errorf("bad discount rate: %d", code)
	}

	// Report and downloads.
	code, page = c.Get(caseURL + "/report")
	if code != http.StatusOK || !strings.Contains(page, "数据资产入表报告：外购消费者画像数据集") || !strings.Contains(page, "引用条文") {
		t.Errorf("report: %d", code)
	}
	req, _ := http.NewRequest("GET", env.TS.URL+caseURL+"/report.md", nil)
	code, md, resp := c.Do(req)
	if code != http.StatusOK || !strings.HasPrefix(md, "# 数据资产入表报告：外购消费者画像数据集") ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") {
		t.Errorf("markdown: %d %q %q", code, resp.Header.Get("Content-Disposition"), md[:min(len(md), 80)])
	}
	code, js := c.Get(caseURL + "/case.json")
	if _, err := ruzhang.ParseCases([]byte(js)); code != http.StatusOK || err != nil {
		t.Errorf("case.json: %d %v", code, err)
	}

	// Listed, then deleted.
	if _, page = c.Get("/ruzhang"); !strings.Contains(page, caseURL) || !strings.Contains(page, "已完成") {
		t.Error("case not listed under 我的案例")
	}
	if code, _, _ := c.PostCSRF(caseURL+"/delete", nil); code != http.StatusSeeOther {
		t.Errorf("delete: %d", code)
	}
	if code, _ := c.Get(caseURL); code != http.StatusNotFound {
		t.Errorf("after delete: %d", code)
	}
}

func TestRuzhangVisitorWorkflow(t *testing.T) {
	env := newRuzhangEnv(t)
	c := env.Client(t)
	code, page := c.Get("/ruzhang/try")
	if code != http.StatusOK {
		t.Fatal(code)
	}
	state := func(p string) string {
		m := rzStateField.FindStringSubmatch(p)
		if m == nil {
			t.Fatal("no state field")
		}
		return html.UnescapeString(m[1])
	}
	page = rzWalk(t, page, func(q string, form url.Values) (int, string) {
		form.Set("state", state(page))
		code, body, _ := c.PostCSRF("/ruzhang/try/answer", form)
		page = body
		return code, body
	})
	rzCheckResult(t, page)
	st := state(page)
	code, rep, _ := c.PostCSRF("/ruzhang/try/report", url.Values{"state": {st}})
	if code != http.StatusOK || !strings.Contains(rep, "数据资产入表报告") {
		t.Errorf("visitor report: %d", code)
	}
	code, md, resp := c.PostCSRF("/ruzhang/try/report.md", url.Values{"state": {st}})
	if code != http.StatusOK || !strings.Contains(md, "## 五、会计分录") || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("visitor markdown: %d", code)
	}
	// 修改: the answered question comes back filled in, as an edit.
	code, edit, _ := c.PostCSRF("/ruzhang/try/answer", url.Values{"state": {st}, "edit": {"life_months"}})
	if code != http.StatusOK || !strings.Contains(edit, `value="36"`) || !strings.Contains(edit, "保存修改") || state(edit) != st {
		t.Errorf("visitor edit: %d", code)
	}
	// A tampered state is refused, not half-applied.
	if code, _, _ := c.PostCSRF("/ruzhang/try/answer", url.Values{"state": {`{"nmae":1}`}, "q": {"name"}, "v": {"x"}}); code != http.StatusBadRequest {
		t.Errorf("tampered state: %d", code)
	}
}

// TestRuzhangAuthorization: visitors use the guide but cannot save;
// members see only their own cases; writes need the CSRF token.
func TestRuzhangAuthorization(t *testing.T) {
	env := newRuzhangEnv(t)
	visitor := env.Client(t)
	for path, want := range map[string]int{"/ruzhang": 200, "/ruzhang/try": 200, "/ruzhang/cases/x": http.StatusSeeOther, "/api/v1/ruzhang/cases": http.StatusUnauthorized} {
		if code, _ := visitor.Get(path); code != want {
			t.Errorf("visitor GET %s: %d, want %d", path, code, want)
		}
	}
	if code, _, _ := visitor.PostCSRF("/ruzhang/cases", url.Values{"title": {"x"}}); code != http.StatusUnauthorized {
		t.Errorf("visitor saves a case: %d", code)
	}
	if code, _ := visitor.SendJSON("POST", "/api/v1/ruzhang/cases", `{"title":"x","case":{}}`, visitor.CSRF()); code != http.StatusUnauthorized {
		t.Errorf("visitor saves through the API: %d", code)
	}

	a, b := env.Client(t), env.Client(t)
	a.Login("owner_a", account.RoleMember)
	b.Login("other_b", account.RoleMember)
	// CSRF required on every write.
	if code, _, _ := a.Post("/ruzhang/cases", url.Values{"title": {"x"}}); code != http.StatusForbidden {
		t.Errorf("form create without CSRF: %d", code)
	}
	if code, _ := a.SendJSON("POST", "/api/v1/ruzhang/cases", `{"title":"x","case":{}}`, ""); code != http.StatusForbidden {
		t.Errorf("API create without CSRF: %d", code)
	}
	code, body := a.SendJSON("POST", "/api/v1/ruzhang/cases", `{"title":"A 的案例","case":`+rzPurchasedCase+`}`, a.CSRF())
	if code != http.StatusCreated {
		t.Fatalf("API create: %d %s", code, body)
	}
	var created rzApiCase
	json.Unmarshal([]byte(body), &created)
	if created.SavedCase == nil || created.Result == nil || created.Result.Determination.Outcome != ruzhang.OutcomeIntangible {
		t.Fatalf("created: %s", body)
	}
	id := created.ID
	if code, _ := a.SendJSON("DELETE", "/api/v1/ruzhang/cases/"+id, "", ""); code != http.StatusForbidden {
		t.Errorf("API delete without CSRF: %d", code)
	}
	if code, _ := a.SendJSON("POST", "/api/v1/ruzhang/cases", `{"title":"坏","case":{"intangible":{"life_months":-1}}}`, a.CSRF()); code != http.StatusUnprocessableEntity {
		t.Errorf("API create invalid: %d", code)
	}

	// B sees nothing of A's.
	for _, p := range []string{"/ruzhang/cases/" + id, "/ruzhang/cases/" + id + "/report", "/ruzhang/cases/" + id + "/report.md", "/ruzhang/cases/" + id + "/case.json", "/api/v1/ruzhang/cases/" + id} {
		if code, body := b.Get(p); code != http.StatusNotFound || strings.Contains(body, "外购消费者画像数据集") {
			t.Errorf("other member GET %s: %d", p, code)
		}
	}
	if _, body := b.Get("/api/v1/ruzhang/cases"); strings.Contains(body, id) {
		t.Error("other member lists A's case")
	}
	if _, body := b.Get("/ruzhang"); strings.Contains(body, id) {
		t.Error("other member's page lists A's case")
	}
	if code, _ := b.SendJSON("POST", "/api/v1/ruzhang/cases/"+id, `{"case":{}}`, b.CSRF()); code != http.StatusNotFound {
		t.Errorf("other member updates: %d", code)
	}
	if code, _ := b.SendJSON("DELETE", "/api/v1/ruzhang/cases/"+id, "", b.CSRF()); code != http.StatusNotFound {
		t.Errorf("other member deletes: %d", code)
	}
	if code, _, _ := b.PostCSRF("/ruzhang/cases/"+id+"/answer", url.Values{"q": {"name"}, "v": {"偷改"}}); code != http.StatusNotFound {
		t.Errorf("other member answers: %d", code)
	}
	// A still has it, unchanged.
	code, body = a.Get("/api/v1/ruzhang/cases/" + id)
	if code != http.StatusOK || !strings.Contains(body, "外购消费者画像数据集") || strings.Contains(body, "偷改") {
		t.Errorf("owner GET: %d", code)
	}
	if code, _ := a.SendJSON("DELETE", "/api/v1/ruzhang/cases/"+id, "", a.CSRF()); code != http.StatusNoContent {
		t.Errorf("owner delete: %d", code)
	}
}

// TestRuzhangXSS: hostile titles, names and cost notes are shown as text.
func TestRuzhangXSS(t *testing.T) {
	env := newRuzhangEnv(t)
	c := env.Client(t)
	c.Login("xss_member", account.RoleMember)
	const payload = `<script>alert(1)</script><img src=x onerror=alert(2)>`
	kase := strings.NewReplacer(`"外购消费者画像数据集"`, `"数据`+strings.ReplaceAll(payload, `"`, `\"`)+`"`,
		`{"category":"cleaning","amount":24000}`, `{"category":"cleaning","amount":24000,"description":"\"><svg onload=alert(3)>"}`).Replace(rzPurchasedCase)
	code, body := c.SendJSON("POST", "/api/v1/ruzhang/cases", `{"title":"`+strings.ReplaceAll(payload, `"`, `\"`)+`","case":`+kase+`}`, c.CSRF())
	if code != http.StatusCreated {
		t.Fatalf("create: %d %s", code, body)
	}
	var created rzApiCase
	json.Unmarshal([]byte(body), &created)
	for _, p := range []string{"/ruzhang", "/ruzhang/cases/" + created.ID, "/ruzhang/cases/" + created.ID + "/report"} {
		_, page := c.Get(p)
		for _, raw := range []string{"<script>alert(1)", "<img src=x", "<svg onload"} {
			if strings.Contains(page, raw) {
				t.Errorf("%s renders %q as markup", p, raw)
			}
		}
		if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s does not show the title as text", p)
		}
	}
	// Visitors' state is echoed back escaped too.
	_, page, _ := c.PostCSRF("/ruzhang/try/answer", url.Values{"state": {kase}})
	if strings.Contains(page, "<script>alert(1)") {
		t.Error("visitor state rendered as markup")
	}
}

// TestRuzhangAsk: 问一问 sends the question with the case and returns an
// answer whose citations are library provisions.
func TestRuzhangAsk(t *testing.T) {
	env := newRuzhangEnv(t)
	c := env.Client(t)
	code, body := c.SendJSON("POST", "/api/v1/ruzhang/ask", `{"question":"数据资源确认为无形资产后如何摊销？","case":`+rzPurchasedCase+`}`, "")
	if code != http.StatusOK {
		t.Fatalf("ask: %d %s", code, body)
	}
	var out struct {
		Answer  answer.Answer `json:"answer"`
		Context string        `json:"context"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.Context, "无形资产") || strings.Contains(out.Context, "〔") {
		t.Errorf("context %q", out.Context)
	}
	cites := append(out.Answer.Cites, out.Answer.Closest...)
	if len(cites) == 0 {
		t.Fatalf("no citations: %s", body)
	}
	for _, ci := range cites {
		if v, p := env.Srv.Catalog().Provision(ci.ProvisionID); p == nil || v == nil {
			t.Errorf("citation %+v is not a library provision", ci)
		}
	}
	if code, _ := c.SendJSON("POST", "/api/v1/ruzhang/ask", `{"question":"  "}`, ""); code != http.StatusBadRequest {
		t.Errorf("empty question: %d", code)
	}
}

// TestRuzhangOtherPaths walks an internal R&D project (phases, the five
// conditions) and a dataset held for sale with an NRV write-down through
// the visitor pages, checking what each path must show.
func TestRuzhangOtherPaths(t *testing.T) {
	env := newRuzhangEnv(t)
	yes := url.Values{"v": {"yes"}}
	common := func(extra map[string]url.Values) map[string]url.Values {
		m := map[string]url.Values{"name": {"v": {"测试数据资源"}}, "controlled": yes, "identifiable": yes, "probable_benefit": yes, "cost_reliable": yes,
			"period_start": {"v": {"2024-01-01"}}, "period_end": {"v": {"2024-12-31"}}, "available_date": {"v": {"2024-07-01"}}}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	for _, tc := range []struct {
		name    string
		answers map[string]url.Values
		want    []string
	}{
		{"R&D", common(map[string]url.Values{"acquisition": {"v": {"developed"}}, "purposes": {"v": {"internal_use"}},
			"dev_tech_feasible": yes, "dev_intention": yes, "dev_benefit_way": yes, "dev_resources": yes, "dev_reliable_measure": yes, "dev_completed": yes,
			// research 100,000 expensed; development 300,000 capitalised, of which 50,000 before the conditions were met stays expensed.
			"costs": {"cost_category": {"labor", "labor", "labor", ""}, "cost_description": {"需求调研", "开发", "条件满足前开发", ""},
				"cost_amount": {"100000", "300000", "50000", ""}, "cost_phase": {"research", "development", "development", ""}, "cost_before": {"2"}},
			"indefinite_life": yes, "life_months": {"v": {"60"}}, "method": {"v": {"straight_line"}}, "residual": {"v": {"0"}}}),
			[]string{"研发支出——费用化支出", "研发支出——资本化支出", "300,000.00", "150,000.00"}},
		{"held for sale", common(map[string]url.Values{"acquisition": {"v": {"purchase"}}, "purposes": {"v": {"held_for_sale"}},
			// cost 200,000; NRV = 180,000 − 5,000 − 3,000 − 2,000 = 170,000 → write-down 30,000.
			"costs":           {"cost_category": {"purchase_price", ""}, "cost_amount": {"200000", ""}, "cost_description": {"", ""}},
			"estimated_price": {"v": {"180000"}}, "cost_to_complete": {"v": {"5000"}}, "selling_costs": {"v": {"3000"}}, "selling_taxes": {"v": {"2000"}}}),
			[]string{"会计处理判断：<strong class=\"rz-label\">存货</strong>", "170,000.00", "30,000.00", "存货跌价准备——数据资源"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := env.Client(t)
			_, page := c.Get("/ruzhang/try")
			page = rzWalkWith(t, tc.answers, page, func(q string, form url.Values) (int, string) {
				m := rzStateField.FindStringSubmatch(page)
				form.Set("state", html.UnescapeString(m[1]))
				code, body, _ := c.PostCSRF("/ruzhang/try/answer", form)
				page = body
				return code, body
			})
			for _, w := range tc.want {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
		})
	}
}

// FuzzRuzhangForms feeds arbitrary form values to every question and to
// the valuation form: the parsers must not panic, and whatever they accept
// must go through the engine without panicking.
func FuzzRuzhangForms(f *testing.F) {
	for _, s := range []string{"", "0", "-1", "1e309", "NaN", "360,000.005", "１２", "yes", "2024-02-30", "9999999999999999999",
		"<script>", "1, 2, ,3", "purchase", "%", "0.12%", "\x00", strings.Repeat("数", 600)} {
		f.Add(s, s)
	}
	base, err := ruzhang.ParseCases([]byte(rzPurchasedCase))
	if err != nil {
		f.Fatal(err)
	}
	qs := ruzhang.AllQuestions()
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, q := range qs {
			form := url.Values{"v": {a, b}, "cost_category": {a, "cleaning"}, "cost_amount": {b, a}, "cost_phase": {a}, "cost_before": {b}}
			c, errs := rzApplyAnswer(base[0], q, form)
			if errs == nil {
				ruzhang.Evaluate(c)
			}
		}
		form := url.Values{"use": {"cost", "income", "market"}, "valuation.cost.direct": {a}, "valuation.cost.delta": {b},
			"valuation.income.variant": {a}, "valuation.income.discount_rate": {b}, "valuation.income.periods[0].r": {a},
			"valuation.income.periods[0].c": {b}, "valuation.income.periods[2].k": {a},
			"valuation.market.datasets[0].q": {a}, "valuation.market.datasets[0].quality": {b}}
		in, vf := rzParseValuation(form)
		if len(vf.Errs) == 0 {
			c := base[0]
			c.Valuation = in
			ruzhang.Evaluate(c)
		}
	})
}
