package pia

import (
	"strings"
	"testing"
	"time"

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

func TestAssess(t *testing.T) {
	l, _ := selfcheck.Bundled()
	full := map[string]string{"lawfulness": "合法", "impact": "低", "measures": "加密"}
	now := time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		c        Case
		required bool
		complete bool
		cite     string
	}{
		{"第五十五条第（一）项 处理敏感个人信息 → required", Case{Activity: "人脸识别", Triggers: []string{"sensitive"}, Answers: full}, true, true, "第五十五条第（一）项"},
		{"第五十五条第（二）项 自动化决策 → required", Case{Activity: "推荐", Triggers: []string{"automated_decision"}}, true, false, "第五十五条第（二）项"},
		{"第五十五条第（三）项 委托处理 → required", Case{Activity: "外包客服", Triggers: []string{"entrust_provide_publish"}}, true, false, "第五十五条第（三）项"},
		{"第五十五条第（四）项 向境外提供 → required", Case{Activity: "集团共享", Triggers: []string{"cross_border"}, Answers: full}, true, true, "第五十五条第（四）项"},
		{"第五十五条第（五）项 重大影响 → required", Case{Activity: "信用评分", Triggers: []string{"significant_impact"}}, true, false, "第五十五条第（五）项"},
		{"第五十五条 none of the items → not required", Case{Activity: "内部通讯录"}, false, false, "第五十五条"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Assess(tt.c, l, now)
			if r.Required != tt.required || r.Complete != tt.complete {
				t.Fatalf("required %v complete %v", r.Required, r.Complete)
			}
			found := false
			for _, c := range r.Citations {
				if c.Missing {
					t.Errorf("%s missing", c.String())
				}
				found = found || c.Label == tt.cite
			}
			if !found {
				t.Errorf("no citation of %s", tt.cite)
			}
			if len(r.Sections) != 3 {
				t.Errorf("第五十六条第一款 has three contents, got %d", len(r.Sections))
			}
		})
	}
	// 第五十六条第二款: kept at least three years (a 29 February start rolls to 1 March).
	if r := Assess(Case{Activity: "x", AssessedOn: "2024-02-29"}, l, now); r.KeepUntil != "2027-03-01" {
		t.Errorf("keep until %s", r.KeepUntil)
	}
	if r := Assess(Case{Activity: "x"}, l, now); r.KeepUntil != "2029-02-28" || !strings.Contains(strings.Join(r.Notes, ""), "2029-02-28") {
		t.Errorf("keep until %s", r.KeepUntil)
	}
}

func TestParse(t *testing.T) {
	for in, field := range map[string]string{
		`{"activity":""}`: "activity",
		`{"activity":"a","triggers":["marketing"]}`:   "triggers",
		`{"activity":"a","answers":{"cost":"x"}}`:     "answers",
		`{"activity":"a","assessed_on":"2024/01/01"}`: "assessed_on",
		`{"activity":"a","owner":"x"}`:                "owner",
	} {
		if _, err := Parse([]byte(in)); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: %v", in, err)
		}
	}
}
