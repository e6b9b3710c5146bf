package crossborder

import (
	"strings"
	"testing"

	"datalex/internal/selfcheck"
)

func lib(t *testing.T) *selfcheck.Library {
	t.Helper()
	l, err := selfcheck.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestRefsInLibrary: every provision the tool cites exists in the bundled
// library and its quote is a verbatim substring of the provision's text.
func TestRefsInLibrary(t *testing.T) {
	l := lib(t)
	for _, r := range Refs() {
		if _, p := l.Find(r); p == nil {
			t.Errorf("%s %s: quote %q not found in the library", r.Doc, r.Label, r.Quote)
		}
	}
	// The check can fail: a wrong quote is not found.
	if _, p := l.Find(selfcheck.Ref{Doc: "促进和规范数据跨境流动规定", Label: "第九条", Quote: "结果有效期为2年"}); p != nil {
		t.Error("a quote absent from 第九条 was found")
	}
}

func TestDecide(t *testing.T) {
	l := lib(t)
	base := Case{Scenario: ScenarioNone}
	with := func(f func(*Case)) Case { c := base; f(&c); return c }
	tests := []struct {
		name string
		c    Case
		want string
		cite string // label of 促进和规范数据跨境流动规定 (or other) that decides
	}{
		{"no personal info, no important data → exempt", base, RouteExempt, "第十三条"},
		{"第五条第（四）项 不满10万人: 99999 exempt", with(func(c *Case) { c.PersonalInfo = 99999 }), RouteExempt, "第五条第（四）项"},
		{"第八条 10万人以上: exactly 100000 → contract", with(func(c *Case) { c.PersonalInfo = 100000 }), RouteContract, "第八条"},
		{"第八条 不满100万人: 999999 → contract", with(func(c *Case) { c.PersonalInfo = 999999 }), RouteContract, "第八条"},
		{"第七条第（二）项 100万人以上: exactly 1000000 → assessment", with(func(c *Case) { c.PersonalInfo = 1000000 }), RouteAssessment, "第七条第（二）项"},
		{"第八条 不满1万人敏感个人信息: 1 sensitive → contract", with(func(c *Case) { c.SensitiveInfo = 1 }), RouteContract, "第八条"},
		{"第八条 不满1万人敏感个人信息: 9999 sensitive → contract", with(func(c *Case) { c.SensitiveInfo = 9999 }), RouteContract, "第八条"},
		{"第七条第（二）项 1万人以上敏感个人信息: exactly 10000 → assessment", with(func(c *Case) { c.SensitiveInfo = 10000 }), RouteAssessment, "第七条第（二）项"},
		{"第七条第（二）项 重要数据 → assessment", with(func(c *Case) { c.ImportantData = true }), RouteAssessment, "第七条第（二）项"},
		{"第七条第（一）项 CII with 1 individual → assessment", with(func(c *Case) { c.CIIOperator = true; c.PersonalInfo = 1 }), RouteAssessment, "第七条第（一）项"},
		{"第七条第（一）项 CII with sensitive → assessment", with(func(c *Case) { c.CIIOperator = true; c.SensitiveInfo = 5 }), RouteAssessment, "第七条第（一）项"},
		{"第七条第（一）项 CII with important data → assessment", with(func(c *Case) { c.CIIOperator = true; c.ImportantData = true }), RouteAssessment, "第七条第（一）项"},
		{"第七条第（一）项 CII without PI or important data → exempt", with(func(c *Case) { c.CIIOperator = true }), RouteExempt, "第七条第（一）项"},
		{"第五条第（一）项 contract scenario exempt regardless of volume", with(func(c *Case) { c.Scenario = ScenarioContract; c.PersonalInfo = 5000000; c.SensitiveInfo = 50000 }), RouteExempt, "第五条第（一）项"},
		{"第五条第（二）项 HR scenario exempt even for CII (第七条第二款)", with(func(c *Case) { c.Scenario = ScenarioHR; c.CIIOperator = true; c.PersonalInfo = 2000000 }), RouteExempt, "第五条第（二）项"},
		{"第五条第（三）项 emergency exempt", with(func(c *Case) { c.Scenario = ScenarioEmergency; c.SensitiveInfo = 20000 }), RouteExempt, "第五条第（三）项"},
		{"第五条第二款 scenario does not cover important data → assessment", with(func(c *Case) { c.Scenario = ScenarioContract; c.ImportantData = true }), RouteAssessment, "第五条第二款"},
		{"第三条 trade data without PI → exempt", with(func(c *Case) { c.Scenario = ScenarioTrade }), RouteExempt, "第三条"},
		{"第三条 trade scenario but 200000 PI → falls to 第八条", with(func(c *Case) { c.Scenario = ScenarioTrade; c.PersonalInfo = 200000 }), RouteContract, "第八条"},
		{"第四条 foreign-collected exempt regardless of volume", with(func(c *Case) { c.Scenario = ScenarioForeign; c.PersonalInfo = 3000000; c.CIIOperator = true }), RouteExempt, "第四条"},
		{"第四条 not when important data → assessment", with(func(c *Case) { c.Scenario = ScenarioForeign; c.ImportantData = true }), RouteAssessment, "第七条第（二）项"},
		{"第六条 FTZ outside negative list exempt", with(func(c *Case) { c.FTZOutsideNList = true; c.PersonalInfo = 2000000; c.CIIOperator = true }), RouteExempt, "第六条"},
		{"第七条第（二）项 sensitive 10000 with PI 50000 → assessment", with(func(c *Case) { c.PersonalInfo = 50000; c.SensitiveInfo = 10000 }), RouteAssessment, "第七条第（二）项"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Decide(tt.c, l)
			if r.Route != tt.want {
				t.Fatalf("route %s, want %s; steps %v", r.Route, tt.want, r.Steps)
			}
			found := false
			for _, c := range r.Citations {
				if c.Missing {
					t.Errorf("citation %s missing from the library", c.String())
				}
				if c.Label == tt.cite {
					found = true
				}
			}
			if !found {
				t.Errorf("no citation of %s in %v", tt.cite, r.Citations)
			}
		})
	}
}

// 规定 第九条 (3 years) applies over 数据出境安全评估办法 第十四条 (2 years), per 第十三条.
func TestValidity(t *testing.T) {
	r := Decide(Case{Scenario: ScenarioNone, ImportantData: true}, lib(t))
	if r.Validity == nil || r.Validity.Years != 3 || r.Validity.WindowWorkingDays != 60 || r.Validity.ExtensionYears != 3 {
		t.Fatalf("validity %+v", r.Validity)
	}
	if !strings.Contains(strings.Join(r.Notes, "\n"), "第十四条") {
		t.Errorf("the superseded 2-year rule is not explained: %v", r.Notes)
	}
	if r := Decide(Case{Scenario: ScenarioNone, PersonalInfo: 200000}, lib(t)); r.Validity != nil {
		t.Error("a standard contract has no assessment validity")
	}
}

// 规定 第十条: obligations remain in every route when personal information leaves.
func TestObligationsEveryRoute(t *testing.T) {
	for _, c := range []Case{
		{Scenario: ScenarioContract, PersonalInfo: 10},
		{Scenario: ScenarioNone, PersonalInfo: 10},
		{Scenario: ScenarioNone, PersonalInfo: 100000},
		{Scenario: ScenarioNone, PersonalInfo: 1000000},
	} {
		r := Decide(c, lib(t))
		all := strings.Join(r.Obligations, "\n")
		for _, want := range []string{"单独同意", "个人信息保护影响评估", "第十条", "第十一条"} {
			if !strings.Contains(all, want) {
				t.Errorf("%+v (%s): obligations lack %s", c, r.Route, want)
			}
		}
	}
}

func TestParse(t *testing.T) {
	ok := `{"cii_operator":false,"important_data":false,"personal_info":100000,"sensitive_personal_info":0,"scenario":"none","ftz_outside_negative_list":false}`
	if c, err := Parse([]byte(ok)); err != nil || c.PersonalInfo != 100000 {
		t.Fatalf("%+v %v", c, err)
	}
	bad := []struct{ in, field string }{
		{`{"cii_operator":false,"important_data":false,"personal_info":-1,"sensitive_personal_info":0,"scenario":"none","ftz_outside_negative_list":false}`, "personal_info"},
		{`{"cii_operator":false,"important_data":false,"personal_info":1,"sensitive_personal_info":-5,"scenario":"none","ftz_outside_negative_list":false}`, "sensitive_personal_info"},
		{`{"cii_operator":false,"important_data":false,"personal_info":1,"sensitive_personal_info":0,"scenario":"tourism","ftz_outside_negative_list":false}`, "scenario"},
		{`{"important_data":false,"personal_info":1,"sensitive_personal_info":0,"scenario":"none","ftz_outside_negative_list":false}`, "cii_operator"},
		{`{"cii_operator":false,"important_data":false,"personal_info":1,"sensitive_personal_info":0,"scenario":"none"}`, "ftz_outside_negative_list"},
		{`{"cii_operator":false,"important_data":false,"personal_info":1,"sensitive_personal_info":0,"scenario":"none","ftz_outside_negative_list":false,"volume":3}`, "volume"},
		{`{"cii_operator":"yes","important_data":false,"personal_info":1,"sensitive_personal_info":0,"scenario":"none","ftz_outside_negative_list":false}`, "cii_operator"},
		{`{"cii_operator":false,"important_data":false,"personal_info":1.5,"sensitive_personal_info":0,"scenario":"none","ftz_outside_negative_list":false}`, "personal_info"},
		{`{"cii_operator":false,"important_data":false,"personal_info":null,"sensitive_personal_info":0,"scenario":"none","ftz_outside_negative_list":false}`, "personal_info"},
		{`[]`, "JSON"},
		{`null`, "JSON"},
	}
	for _, b := range bad {
		_, err := Parse([]byte(b.in))
		if err == nil || !strings.Contains(err.Error(), b.field) {
			t.Errorf("%s: error %v should name %s", b.in, err, b.field)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"cii_operator":false,"important_data":false,"personal_info":100000,"sensitive_personal_info":0,"scenario":"none","ftz_outside_negative_list":false}`))
	f.Add([]byte(`{"personal_info":-1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err != nil {
			return
		}
		if c.PersonalInfo < 0 || c.SensitiveInfo < 0 {
			t.Fatalf("negative count accepted: %+v", c)
		}
		r := Decide(c, nil)
		if RouteNames[r.Route] == "" {
			t.Fatalf("unknown route %q", r.Route)
		}
	})
}
