package web

import (
	"net/url"
	"regexp"
	"testing"

	"datalex/internal/library"
)

func TestNormDate(t *testing.T) {
	tests := []struct {
		in     string
		end    bool
		want   string
		wantOK bool
	}{
		{"2021", false, "2021-01-01", true},
		{"2021", true, "2021-12-31", true},
		{"2021-6", false, "2021-06-01", true},
		{"2021-06", true, "2021-06-31", true},
		{"2021/6/10", false, "2021-06-10", true},
		{"2021.06.10", true, "2021-06-10", true},
		{"2021年6月10日", false, "2021-06-10", true},
		{"２０２１", false, "2021-01-01", true}, // full-width digits
		{"2021-13", false, "", false},
		{"2021-02-32", false, "", false},
		{"21", false, "", false},
		{"昨天", false, "", false},
		{"", false, "", false},
	}
	for _, tt := range tests {
		got, ok := normDate(tt.in, tt.end)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("normDate(%q, %v) = %q, %v; want %q, %v", tt.in, tt.end, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestAdvancedWhere(t *testing.T) {
	v := &library.Version{DocNumber: "国办发〔2022〕1号", Issuers: []string{"国务院办公厅"}, IssueDate: "2022-01-05"}
	undated := &library.Version{DocNumber: "国办发〔2022〕1号"}
	tests := []struct {
		name string
		vals url.Values
		v    *library.Version
		want bool
	}{
		{"docno brackets", url.Values{"docno": {"国办发[2022]"}}, v, true},
		{"docno parens", url.Values{"docno": {"国办发（2022）1号"}}, v, true},
		{"docno other", url.Values{"docno": {"国发"}}, v, false},
		{"issuer part", url.Values{"org": {"国务院"}}, v, true},
		{"issuer other", url.Values{"org": {"网信办"}}, v, false},
		{"in range", url.Values{"from": {"2022"}, "to": {"2022-01"}}, v, true},
		{"before range", url.Values{"from": {"2022-02"}}, v, false},
		{"after range", url.Values{"to": {"2021"}}, v, false},
		{"undated excluded by a range", url.Values{"from": {"2000"}}, undated, false},
		{"undated kept without a range", url.Values{"docno": {"国办发"}}, undated, true},
	}
	for _, tt := range tests {
		a, msg := parseAdvanced(tt.vals)
		if msg != "" {
			t.Fatalf("%s: %s", tt.name, msg)
		}
		if got := a.where()(tt.v); got != tt.want {
			t.Errorf("%s: where = %v, want %v", tt.name, got, tt.want)
		}
	}
	if a, _ := parseAdvanced(url.Values{"title": {"数据"}, "within": {"出境"}}); a.where() != nil {
		t.Error("title and within need no version predicate")
	}
}

var reNormDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func FuzzParseAdvanced(f *testing.F) {
	for _, s := range []string{"2021", "2021-06-10", "2021年6月", "国办发〔2022〕", "", "-", "9999-99-99", "２０２１／１／１"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, from, to string) {
		a, msg := parseAdvanced(url.Values{"from": {from}, "to": {to}, "docno": {from}, "org": {to}, "title": {from}, "within": {to}})
		for _, d := range []string{a.From, a.To} {
			if d != "" && !reNormDate.MatchString(d) {
				t.Fatalf("normalised date %q", d)
			}
		}
		if msg == "" && a.From != "" && a.To != "" && a.From > a.To {
			t.Fatalf("reversed range accepted: %q > %q", a.From, a.To)
		}
		if w := a.where(); w != nil {
			w(&library.Version{DocNumber: from, Issuers: []string{to}, IssueDate: "2022-01-01"})
		}
		req := SearchRequest{Query: from, Adv: a}
		_ = req.engineText()
		_ = req.Describe()
	})
}

func TestMarkWords(t *testing.T) {
	tests := []struct {
		s     string
		words []string
		want  string
	}{
		{"数据出境安全评估", []string{"出境"}, "数据<mark>出境</mark>安全评估"},
		{"数据出境安全评估", []string{"数据出境", "出境安全"}, "<mark>数据出境安全</mark>评估"},
		{"<b>出境</b>", []string{"出境"}, "&lt;b&gt;<mark>出境</mark>&lt;/b&gt;"},
		{"a<b", []string{"<"}, "a<mark>&lt;</mark>b"},
		{"无匹配", []string{"出境"}, "无匹配"},
		{"出境出境", []string{"出境", ""}, "<mark>出境出境</mark>"},
	}
	for _, tt := range tests {
		if got := markWords(tt.s, tt.words); got != tt.want {
			t.Errorf("markWords(%q, %q) = %q, want %q", tt.s, tt.words, got, tt.want)
		}
	}
}
