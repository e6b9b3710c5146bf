package incident

import (
	"strings"
	"testing"

	"datalex/internal/selfcheck/checktest"
)

func whoms(r Result) string {
	var s []string
	for _, d := range r.Duties {
		s = append(s, d.Whom)
	}
	return strings.Join(s, "|")
}

// TestDecide: one row per rule; the want strings are the notified parties
// each provision names.
func TestDecide(t *testing.T) {
	tests := []struct {
		name string
		f    Facts
		want []string // parties that must be notified
		not  []string // parties that must not appear
	}{
		{"数据安全法第二十九条 数据安全事件", Facts{DataIncident: true, Grade: GradeUnknown}, []string{"用户；有关主管部门"}, []string{"个人"}},
		{"网络安全法第二十五条 网络安全事件", Facts{NetworkIncident: true, Grade: GradeUnknown}, []string{"有关主管部门"}, nil},
		{"个人信息保护法第五十七条 泄露 通知部门和个人", Facts{PersonalInfo: true, Grade: GradeUnknown}, []string{"履行个人信息保护职责的部门", "受影响的个人"}, nil},
		{"个人信息保护法第五十七条第二款 有效避免危害 可不通知个人", Facts{PersonalInfo: true, HarmAvoided: true, Grade: GradeUnknown}, []string{"履行个人信息保护职责的部门"}, []string{"受影响的个人"}},
		{"促进和规范数据跨境流动规定第十一条 出境数据", Facts{DataIncident: true, CrossBorder: true, Grade: GradeUnknown}, []string{"省级以上网信部门"}, nil},
		{"预案4.2 较大 立即报告地方行业监管部门", Facts{DataIncident: true, MIITSector: true, Grade: GradeLarge}, []string{"地方行业监管部门"}, nil},
		{"预案4.2 一般 不要求立即报告", Facts{DataIncident: true, MIITSector: true, Grade: GradeGeneral}, nil, []string{"地方行业监管部门"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Decide(tt.f)
			got := whoms(r)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("duties %q lack %q", got, w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(got, w) {
					t.Errorf("duties %q should not include %q", got, w)
				}
			}
		})
	}
	// 预案5.1: major incidents need the summary report within 5 working days.
	r := Decide(Facts{DataIncident: true, MIITSector: true, Grade: GradeMajor})
	found := false
	for _, d := range r.Duties {
		found = found || strings.Contains(d.When, "5个工作日")
	}
	if !found {
		t.Error("重大: 5.1 summary report missing")
	}
	// Unknown grade in the MIIT sector: the tool says the criteria are not held.
	r = Decide(Facts{DataIncident: true, MIITSector: true, Grade: GradeUnknown})
	if !strings.Contains(strings.Join(r.Notes, ""), "附件1") {
		t.Error("unknown grade: no note on the missing grading criteria")
	}
}

func TestParseFacts(t *testing.T) {
	if _, err := ParseFacts([]byte(`{"grade":"严重"}`)); err == nil || !strings.Contains(err.Error(), "grade") {
		t.Errorf("bad grade: %v", err)
	}
	if _, err := ParseFacts([]byte(`{"data_security_incident":true,"foo":1}`)); err == nil {
		t.Error("unknown field accepted")
	}
}

func TestCitationsInLibrary(t *testing.T) { checktest.VerifyAll(t, AllCitations()) }
