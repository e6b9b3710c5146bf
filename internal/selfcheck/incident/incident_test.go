package incident

import (
	"strings"
	"testing"

	"datalex/internal/selfcheck"
)

func TestRefsInLibrary(t *testing.T) {
	l, err := selfcheck.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Refs() {
		if _, p := l.Find(r); p == nil {
			t.Errorf("%s %s: quote %q not in the library", r.Doc, r.Label, r.Quote)
		}
	}
}

func TestDecide(t *testing.T) {
	l, _ := selfcheck.Bundled()
	tests := []struct {
		name    string
		c       Case
		want    []string // labels that must be cited among duties
		notWant []string
	}{
		{"数据安全法 第二十九条 and 条例 第十一条 always", Case{Sector: SectorOther}, []string{"第二十九条", "第十一条"}, []string{"第五十七条第一款", "4.2"}},
		{"个人信息保护法 第五十七条: personal information → notify authority and individuals", Case{Sector: SectorOther, PersonalInfo: true}, []string{"第五十七条第一款", "第五十七条第二款"}, []string{"第四十二条"}},
		{"网络安全法 第二十五条/第四十二条 for a network operator", Case{Sector: SectorOther, PersonalInfo: true, NetworkOperator: true}, []string{"第二十五条", "第四十二条"}, nil},
		{"规定 第十一条 for a cross-border transfer", Case{Sector: SectorOther, CrossBorder: true}, []string{"第十一条"}, nil},
		{"预案 4.2: 一般 → no immediate report", Case{Sector: SectorMIIT, Grade: "一般"}, []string{"4.3"}, []string{"4.2"}},
		{"预案 4.2: exactly 较大 → report immediately", Case{Sector: SectorMIIT, Grade: "较大"}, []string{"4.2", "4.3"}, nil},
		{"预案 5.1: 较大 → no 5-day summary", Case{Sector: SectorMIIT, Grade: "较大"}, nil, nil},
		{"预案 5.1: 重大 → summary within 5 working days", Case{Sector: SectorMIIT, Grade: "重大"}, []string{"4.2", "5.1"}, nil},
		{"预案 5.1: 特别重大 → summary", Case{Sector: SectorMIIT, Grade: "特别重大"}, []string{"4.2", "5.1"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Decide(tt.c, l)
			got := map[string]bool{}
			for _, d := range r.Duties {
				if d.Citation.Missing {
					t.Errorf("%s missing", d.Citation.String())
				}
				got[d.Citation.Label] = true
			}
			for _, w := range tt.want {
				if !got[w] {
					t.Errorf("no duty under %s: %+v", w, r.Duties)
				}
			}
			for _, w := range tt.notWant {
				if got[w] {
					t.Errorf("unexpected duty under %s", w)
				}
			}
		})
	}
	// 较大 gets 4.2 but not the 5.1 5-day summary (重大及以上).
	r := Decide(Case{Sector: SectorMIIT, Grade: "较大"}, l)
	for _, d := range r.Duties {
		if strings.Contains(d.Deadline, "5个工作日") {
			t.Error("较大 given the 重大及以上 summary duty")
		}
	}
	// Ungraded: the conditional duties become notes.
	r = Decide(Case{Sector: SectorMIIT}, l)
	if !strings.Contains(strings.Join(r.Notes, ""), "较大及以上") {
		t.Errorf("ungraded incident should say what a higher grade adds: %v", r.Notes)
	}
}

func TestParse(t *testing.T) {
	for in, field := range map[string]string{
		`{"sector":"bank"}`:                    "sector",
		`{"sector":"miit","grade":"严重"}`:       "grade",
		`{"sector":"miit","colour":"red"}`:     "colour",
		`{"sector":"other","personal_info":1}`: "personal_info",
	} {
		if _, err := Parse([]byte(in)); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: %v", in, err)
		}
	}
}
