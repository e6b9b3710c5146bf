package pia

import (
	"testing"
	"time"

	"datalex/internal/selfcheck/checktest"
)

// TestDecide: each item of 个人信息保护法 第五十五条 requires an assessment;
// none of them does not. The record is kept three years (第五十六条).
func TestDecide(t *testing.T) {
	today := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		acts     []string
		required bool
	}{
		{"第五十五条（一） 敏感个人信息", []string{ActSensitive}, true},
		{"第五十五条（二） 自动化决策", []string{ActAutomated}, true},
		{"第五十五条（三） 委托处理/提供/公开", []string{ActEntrust}, true},
		{"第五十五条（四） 向境外提供", []string{ActCrossBorder}, true},
		{"第五十五条（五） 其他重大影响", []string{ActMajor}, true},
		{"第五十五条 多项", []string{ActSensitive, ActCrossBorder}, true},
		{"不属于第五十五条", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Decide(Facts{Activities: tt.acts, Purpose: "a", Impact: "b", Measures: "c"}, today)
			if r.Required != tt.required || len(r.Triggers) != len(tt.acts) {
				t.Fatalf("required=%v triggers=%v", r.Required, r.Triggers)
			}
			if r.KeepUntil != "2029-12-04" || !r.Complete || len(r.Items) != 3 {
				t.Errorf("record: %+v", r)
			}
		})
	}
	r := Decide(Facts{Activities: []string{ActSensitive}, Date: "2025-02-28"}, today)
	if r.Complete || r.KeepUntil != "2028-02-28" || len(r.Notes) == 0 {
		t.Errorf("incomplete record not flagged: %+v", r)
	}
}

func TestParseFacts(t *testing.T) {
	for _, bad := range []string{`{"activities":["tourism"]}`, `{"date":"2025/1/1"}`, `{"extra":1}`, `[`} {
		if _, err := ParseFacts([]byte(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if _, err := ParseFacts([]byte(`{"activities":["cross_border"],"date":"2025-01-01"}`)); err != nil {
		t.Error(err)
	}
}

func TestCitationsInLibrary(t *testing.T) { checktest.VerifyAll(t, AllCitations()) }
