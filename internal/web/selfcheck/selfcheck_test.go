package selfcheck

import (
	"datalex/internal/web/webtest"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func newSelfcheckEnv(t *testing.T) *webtest.Env {
	t.Helper()
	return webtest.NewRuzhangEnv(t, MountSelfcheck)
}

// TestSelfcheckCrossborderPage: the wizard decides from the typed facts,
// shows the governing provision, and shows bad input again with a message.
func TestSelfcheckCrossborderPage(t *testing.T) {
	env := newSelfcheckEnv(t)
	c := env.Client(t)
	tests := []struct {
		name, query, want, cite string
	}{
		{"3万人 免予申报 (第五条（四）)", "personal_info=3%E4%B8%87&sensitive_personal_info=0&scenario=none", `data-route="exempt"`, "第五条"},
		{"恰好10万人 标准合同 (第八条)", "personal_info=100000&scenario=none", `data-route="standard_contract_or_certification"`, "第八条"},
		{"关基 安全评估 (第七条（一）)", "cii_operator=1&personal_info=5&scenario=none", `data-route="security_assessment"`, "第七条"},
		{"负数 报错", "personal_info=-1&scenario=none", "请输入非负整数人数", ""},
		{"未知情形 报错", "personal_info=1&scenario=tourism", "scenario", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := c.Get("/selfcheck/crossborder?submitted=1&" + tt.query)
			if code != http.StatusOK {
				t.Fatalf("status %d", code)
			}
			if !strings.Contains(body, tt.want) {
				t.Errorf("page lacks %q", tt.want)
			}
			if tt.cite != "" && !strings.Contains(body, "《促进和规范数据跨境流动规定》"+tt.cite) {
				t.Errorf("page does not cite %s", tt.cite)
			}
		})
	}
	// User input is escaped, never rendered as markup.
	_, body := c.Get("/selfcheck/crossborder?submitted=1&personal_info=" + url.QueryEscape(`<script>x</script>`))
	if strings.Contains(body, "<script>x</script>") {
		t.Error("personal_info echoed unescaped")
	}
}

func TestSelfcheckCrossborderAPI(t *testing.T) {
	env := newSelfcheckEnv(t)
	c := env.Client(t)
	c.Get("/selfcheck") // obtain the CSRF nonce cookie
	send := func(body string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, env.TS.URL+"/api/v1/selfcheck/crossborder", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", c.CSRF())
		code, out, _ := c.Do(req)
		return code, out
	}
	code, out := send(`{"cii_operator":false,"important_data":false,"personal_info":1000000,"sensitive_personal_info":0,"scenario":"none","ftz_outside_negative_list":false}`)
	var res struct {
		Route     string `json:"route"`
		Citations []struct{ Document, Label, Quote string }
	}
	if code != http.StatusOK || json.Unmarshal([]byte(out), &res) != nil || res.Route != "security_assessment" || len(res.Citations) == 0 {
		t.Fatalf("%d %s", code, out)
	}
	if code, out := send(`{"cii_operator":false}`); code != http.StatusBadRequest || !strings.Contains(out, "important_data") {
		t.Errorf("missing field: %d %s", code, out)
	}
}

// TestBrowserSelfcheckCrossborder walks the wizard to its result page.
func TestBrowserSelfcheckCrossborder(t *testing.T) {
	env := newSelfcheckEnv(t)
	b := webtest.NewBrowser(t, env.TS.URL)
	b.Do("open wizard", chromedp.Navigate(env.TS.URL+"/selfcheck"))
	b.WaitFor("tool list", `document.querySelector('a[href="/selfcheck/crossborder"]') !== null`)
	b.Do("open crossborder", chromedp.Click(chromedp.CSS(`a[href="/selfcheck/crossborder"]`)))
	b.WaitFor("form", `document.querySelector("#pi") !== null`)
	b.Do("fill", chromedp.SetValue(chromedp.CSS("#pi"), "120000"), chromedp.SetValue(chromedp.CSS("#sens"), "0"))
	b.Shot("selfcheck-01-crossborder-form")
	b.Do("submit", chromedp.Click(chromedp.CSS("#sc-submit")))
	b.WaitFor("result", `document.querySelector("#sc-route") !== null && document.querySelector("#sc-route").dataset.route === "standard_contract_or_certification" && document.body.innerText.includes("第八条")`)
	b.Shot("selfcheck-02-crossborder-result")
}
