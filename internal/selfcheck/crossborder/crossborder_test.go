package crossborder

import (
	"strings"
	"testing"

	"datalex/internal/selfcheck"
	"datalex/internal/selfcheck/checktest"
)

func facts(cii, important bool, pi, sens int64, scenario string, ftz bool) Facts {
	return Facts{CIIOperator: cii, ImportantData: important, PersonalInfo: pi, SensitivePersonalInfo: sens, Scenario: scenario, FTZOutsideNegativeList: ftz}
}

// TestDecide walks every branch and boundary of 促进和规范数据跨境流动规定
// 第三–八条. Each case names the provision that decides it.
func TestDecide(t *testing.T) {
	tests := []struct {
		name  string
		f     Facts
		route string
		cites []string // labels of 促进和规范数据跨境流动规定 (or other docs) the steps must cite
	}{
		// 第五条（四）: non-CII, 不满10万人 non-sensitive, no sensitive → exempt.
		{"第五条（四） 99999 人免予申报", facts(false, false, 99999, 0, ScenarioNone, false), RouteExempt, []string{"第五条"}},
		{"第五条（四） 3万人免予申报", facts(false, false, 30000, 0, ScenarioNone, false), RouteExempt, []string{"第五条"}},
		// 第八条: 10万人以上 (inclusive) → standard contract.
		{"第八条 恰好10万人 标准合同", facts(false, false, 100000, 0, ScenarioNone, false), RouteContract, []string{"第八条"}},
		{"第八条 999999 人 标准合同", facts(false, false, 999999, 0, ScenarioNone, false), RouteContract, []string{"第八条"}},
		// 第七条（二）: 100万人以上 (inclusive) → assessment.
		{"第七条（二） 恰好100万人 安全评估", facts(false, false, 1000000, 0, ScenarioNone, false), RouteAssessment, []string{"第七条", "第九条", "第十三条"}},
		// 第八条: 不满1万人敏感 → contract, even 1 person.
		{"第八条 1 人敏感 标准合同", facts(false, false, 0, 1, ScenarioNone, false), RouteContract, []string{"第八条"}},
		{"第八条 9999 人敏感 标准合同", facts(false, false, 5000, 9999, ScenarioNone, false), RouteContract, []string{"第八条"}},
		// 第七条（二）: 1万人以上敏感 (inclusive) → assessment.
		{"第七条（二） 恰好1万人敏感 安全评估", facts(false, false, 0, 10000, ScenarioNone, false), RouteAssessment, []string{"第七条"}},
		// 第七条（二）: important data → assessment whatever the volume.
		{"第七条（二） 重要数据 安全评估", facts(false, true, 0, 0, ScenarioNone, false), RouteAssessment, []string{"第七条", "第二条"}},
		// 第七条（一）: CII with any personal information → assessment, no threshold.
		{"第七条（一） 关基 1 人 安全评估", facts(true, false, 1, 0, ScenarioNone, false), RouteAssessment, []string{"第七条", "第四十条"}},
		{"第七条（一） 关基 重要数据 安全评估", facts(true, true, 0, 0, ScenarioNone, false), RouteAssessment, []string{"第七条"}},
		// 第五条（一）–（三): exempt whatever the volume, CII included (第七条第二款 从其规定).
		{"第五条（一） 合同履行 200万人 免予申报", facts(false, false, 2000000, 20000, ScenarioContract, false), RouteExempt, []string{"第五条"}},
		{"第五条（二） 人力资源 关基 免予申报", facts(true, false, 500000, 0, ScenarioHR, false), RouteExempt, []string{"第五条"}},
		{"第五条（三） 紧急情况 免予申报", facts(false, false, 3000000, 0, ScenarioEmergency, false), RouteExempt, []string{"第五条"}},
		// 第五条第二款: the exemption does not cover important data.
		{"第五条第二款 合同履行但含重要数据 安全评估", facts(false, true, 10, 0, ScenarioContract, false), RouteAssessment, []string{"第五条", "第七条"}},
		// 第三条: no personal information, no important data → exempt; otherwise general rules.
		{"第三条 贸易数据 免予申报", facts(false, false, 0, 0, ScenarioTrade, false), RouteExempt, []string{"第三条"}},
		{"第三条不适用 贸易数据含12万人个人信息 标准合同", facts(false, false, 120000, 0, ScenarioTrade, false), RouteContract, []string{"第八条"}},
		// 第四条: foreign-collected data passed through → exempt; with important data → general rules.
		{"第四条 境外收集 免予申报", facts(false, false, 2000000, 0, ScenarioForeign, false), RouteExempt, []string{"第四条"}},
		{"第四条不适用 含重要数据 安全评估", facts(false, true, 0, 0, ScenarioForeign, false), RouteAssessment, []string{"第七条"}},
		// 第六条: FTZ data outside the negative list → exempt, even at assessment volumes.
		{"第六条 自贸区负面清单外 免予申报", facts(false, false, 5000000, 50000, ScenarioNone, true), RouteExempt, []string{"第六条"}},
		// Nothing regulated leaves the country.
		{"无个人信息无重要数据 免予申报", facts(false, false, 0, 0, ScenarioNone, false), RouteExempt, nil},
		{"关基 无个人信息无重要数据 免予申报", facts(true, false, 0, 0, ScenarioNone, false), RouteExempt, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Decide(tt.f)
			if r.Route != tt.route {
				t.Fatalf("route = %s, want %s; steps %+v", r.Route, tt.route, r.Steps)
			}
			if r.Conclusion == "" || r.RouteLabel == "" {
				t.Error("conclusion or route label missing")
			}
			for _, label := range tt.cites {
				found := false
				for _, c := range r.Citations {
					if c.Label == label {
						found = true
					}
				}
				if !found {
					t.Errorf("no citation of %s in %+v", label, r.Citations)
				}
			}
			hasPI := tt.f.PersonalInfo > 0 || tt.f.SensitivePersonalInfo > 0
			consent := strings.Contains(strings.Join(r.Obligations, "\n"), "单独同意")
			if consent != hasPI {
				t.Errorf("单独同意 obligation = %v, want %v (personal information involved)", consent, hasPI)
			}
			if (r.Validity != nil) != (r.Route == RouteAssessment) {
				t.Errorf("assessment validity present = %v for route %s", r.Validity != nil, r.Route)
			}
		})
	}
}

// TestAssessmentValidityIsCurrentRule: 第九条 (3 years) prevails over the
// older 数据出境安全评估办法 第十四条 (2 years) by 第十三条.
func TestAssessmentValidityIsCurrentRule(t *testing.T) {
	r := Decide(facts(false, true, 0, 0, ScenarioNone, false))
	if r.Validity.Years != 3 || r.Validity.RenewalWorkingDays != 60 {
		t.Fatalf("validity = %+v", r.Validity)
	}
	if !strings.Contains(r.Validity.Superseded, "数据出境安全评估办法") || !strings.Contains(r.Conclusion, "3年") {
		t.Errorf("superseded rule not named: %+v / %s", r.Validity, r.Conclusion)
	}
}

func TestParseFacts(t *testing.T) {
	good := `{"cii_operator":false,"important_data":false,"personal_info":30000,"sensitive_personal_info":0,"scenario":"none","ftz_outside_negative_list":false}`
	if f, err := ParseFacts([]byte(good)); err != nil || f.PersonalInfo != 30000 {
		t.Fatalf("good case: %v %+v", err, f)
	}
	bad := []struct{ in, field string }{
		{`{"cii_operator":false,"important_data":false,"personal_info":-1,"sensitive_personal_info":0,"scenario":"none","ftz_outside_negative_list":false}`, "personal_info"},
		{`{"cii_operator":false,"important_data":false,"personal_info":1,"sensitive_personal_info":-5,"scenario":"none","ftz_outside_negative_list":false}`, "sensitive_personal_info"},
		{`{"cii_operator":false,"important_data":false,"personal_info":1,"sensitive_personal_info":0,"scenario":"tourism","ftz_outside_negative_list":false}`, "scenario"},
		{`{"important_data":false,"personal_info":1,"sensitive_personal_info":0,"scenario":"none","ftz_outside_negative_list":false}`, "cii_operator"},
		{`{"cii_operator":false,"important_data":false,"personal_info":1.5,"sensitive_personal_info":0,"scenario":"none","ftz_outside_negative_list":false}`, "personal_info"},
		{`{"cii_operator":"yes","important_data":false,"personal_info":1,"sensitive_personal_info":0,"scenario":"none","ftz_outside_negative_list":false}`, "cii_operator"},
		{`{"cii_operator":false,"important_data":false,"personal_info":1,"sensitive_personal_info":0,"scenario":"none","ftz_outside_negative_list":false,"extra":1}`, "extra"},
		{`[1,2]`, "JSON"},
		{`null`, "JSON"},
	}
	for _, b := range bad {
		_, err := ParseFacts([]byte(b.in))
		if err == nil || !strings.Contains(err.Error(), b.field) {
			t.Errorf("%s: error %v should name %s", b.in, err, b.field)
		}
	}
}

// TestCitationsInLibrary checks every provision the tool can cite against
// the library assembled from the bundled corpus: the document, the label and
// the quoted words must all be there.
func TestCitationsInLibrary(t *testing.T) {
	checktest.VerifyAll(t, AllCitations())
	// The check can fail.
	if selfcheck.Verify(checktest.BundledVersions(t), selfcheck.Citation{Document: "促进和规范数据跨境流动规定", Label: "第九条", Quote: "有效期为2年"}) == nil {
		t.Error("a quote not in the provision was accepted")
	}
}

func FuzzParseFacts(f *testing.F) {
	f.Add([]byte(`{"cii_operator":false,"important_data":false,"personal_info":30000,"sensitive_personal_info":0,"scenario":"none","ftz_outside_negative_list":false}`))
	f.Add([]byte(`{"personal_info":1e30}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fs, err := ParseFacts(data)
		if err != nil {
			return
		}
		r := Decide(fs)
		if r.Route == "" || len(r.Citations) == 0 && r.Route != RouteExempt {
			t.Fatalf("empty decision for %+v", fs)
		}
	})
}

// 规定 第七条第（一）项 applies to a CII operator only when it provides
// personal information or important data: with neither, the route is exempt,
// the step says why, and steps is an empty list, never null.
func TestCIIWithoutPersonalInfoOrImportantData(t *testing.T) {
	r := Decide(Facts{CIIOperator: true, Scenario: ScenarioNone})
	if r.Route != RouteExempt || len(r.Steps) != 1 || r.Steps[0].Citation.Label != "第七条" {
		t.Fatalf("%+v", r)
	}
	if r := Decide(Facts{Scenario: ScenarioNone}); r.Steps == nil {
		t.Error("steps is nil")
	}
}
