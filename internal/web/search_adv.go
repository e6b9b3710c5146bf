package web

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"datalex/internal/library"
	"datalex/internal/textseg"
)

// AdvancedQuery is advanced search by field. 效力级别 and 时效性 are
// facet filters (level=, status=) and need nothing here; the rest are
// predicates no facet holds.
type AdvancedQuery struct {
	Title  string // 标题 contains (each word)
	DocNo  string // 文号 contains
	Issuer string // 发布机关 contains (param org: issuer= is the exact facet)
	From   string // issue date ≥ (YYYY, YYYY-MM or YYYY-MM-DD)
	To     string // issue date ≤
	Within string // search within results: each word must occur in the provision
}

// advParams are the URL parameters of AdvancedQuery, in form order.
var advParams = []string{"title", "docno", "org", "from", "to", "within"}

var reDate = regexp.MustCompile(`^\d{4}(-\d{1,2}(-\d{1,2})?)?$`)

// parseAdvanced reads the advanced fields; a bad date is an error message.
func parseAdvanced(vals url.Values) (AdvancedQuery, string) {
	get := func(k string) string {
		v := strings.TrimSpace(vals.Get(k))
		if utf8.RuneCountInString(v) > 100 {
			v = string([]rune(v)[:100])
		}
		return v
	}
	a := AdvancedQuery{Title: get("title"), DocNo: get("docno"), Issuer: get("org"), Within: get("within")}
	var errs []string
	for _, d := range []struct {
		name string
		in   string
		out  *string
		end  bool
	}{{"起始日期", get("from"), &a.From, false}, {"截止日期", get("to"), &a.To, true}} {
		if d.in == "" {
			continue
		}
		norm, ok := normDate(d.in, d.end)
		if !ok {
			errs = append(errs, fmt.Sprintf("%s“%s”不是日期，请写成 2021、2021-06 或 2021-06-10", d.name, d.in))
			continue
		}
		*d.out = norm
	}
	if a.From != "" && a.To != "" && a.From > a.To {
		errs = append(errs, "起始日期晚于截止日期")
	}
	return a, strings.Join(errs, "；")
}

// normDate turns 2021 / 2021-6 / 2021-06-10 (also 2021/6/10, 2021.6.10)
// into a comparable YYYY-MM-DD bound: the first day of the period, or the
// last when end is set.
func normDate(s string, end bool) (string, bool) {
	s = strings.NewReplacer("/", "-", ".", "-", "年", "-", "月", "-", "日", "").Replace(textseg.Fold(s))
	s = strings.Trim(s, "-")
	if !reDate.MatchString(s) {
		return "", false
	}
	parts := strings.Split(s, "-")
	pad := func(x string) string {
		if len(x) == 1 {
			return "0" + x
		}
		return x
	}
	switch len(parts) {
	case 1:
		if end {
			return parts[0] + "-12-31", true
		}
		return parts[0] + "-01-01", true
	case 2:
		m := pad(parts[1])
		if m < "01" || m > "12" {
			return "", false
		}
		if end {
			return parts[0] + "-" + m + "-31", true
		}
		return parts[0] + "-" + m + "-01", true
	}
	m, d := pad(parts[1]), pad(parts[2])
	if m < "01" || m > "12" || d < "01" || d > "31" {
		return "", false
	}
	return parts[0] + "-" + m + "-" + d, true
}

// Used reports whether any advanced field is set.
func (a AdvancedQuery) Used() bool { return a != AdvancedQuery{} }

// restrictsVersions reports whether the fields need a version predicate.
func (a AdvancedQuery) restrictsVersions() bool {
	return a.DocNo != "" || a.Issuer != "" || a.From != "" || a.To != ""
}

// where is the version predicate of 文号, 发布机关 and the date range.
func (a AdvancedQuery) where() func(*library.Version) bool {
	if !a.restrictsVersions() {
		return nil
	}
	docNo, issuer := looseKey(a.DocNo), looseKey(a.Issuer)
	return func(v *library.Version) bool {
		if docNo != "" && !strings.Contains(looseKey(v.DocNumber), docNo) {
			return false
		}
		if issuer != "" {
			ok := false
			for _, is := range v.Issuers {
				ok = ok || strings.Contains(looseKey(is), issuer)
			}
			if !ok {
				return false
			}
		}
		if a.From != "" || a.To != "" {
			d := v.IssueDate
			if d == "" {
				d = v.EffectiveDate
			}
			if d == "" || a.From != "" && d < a.From || a.To != "" && d > a.To {
				return false
			}
		}
		return true
	}
}

// looseKey folds width and case and drops spaces and brackets' variants,
// so 国办发〔2022〕1号, 国办发[2022]1号 and 国办发（2022）1号 compare equal.
func looseKey(s string) string {
	s = textseg.Fold(s)
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\u3000':
			return -1
		case '〔', '［', '[', '（', '(', '【':
			return '['
		case '〕', '］', ']', '）', ')', '】':
			return ']'
		}
		return r
	}, s)
}

// engineText is the query text the engine parses: the free text, the
// title words as title: operators and the within-results words as
// phrases that must occur.
func (req SearchRequest) engineText() string {
	parts := []string{req.Query}
	for _, w := range strings.Fields(req.Adv.Title) {
		parts = append(parts, "title:"+w)
	}
	for _, w := range strings.Fields(strings.ReplaceAll(req.Adv.Within, `"`, " ")) {
		parts = append(parts, `"`+w+`"`)
	}
	return strings.TrimSpace(strings.Join(parts, " "))
}

// hasCriteria reports whether the request asks for anything.
func (req SearchRequest) hasCriteria() bool {
	if req.Query != "" || req.Adv.Used() {
		return true
	}
	for _, vs := range req.Filters {
		if len(vs) > 0 {
			return true
		}
	}
	return false
}

// Describe says in words what was searched (export headers).
func (req SearchRequest) Describe() string {
	var parts []string
	add := func(label, v string) {
		if v != "" {
			parts = append(parts, label+"："+v)
		}
	}
	add("检索词", req.Query)
	add("标题", req.Adv.Title)
	add("文号", req.Adv.DocNo)
	add("发布机关", req.Adv.Issuer)
	if req.Adv.From != "" || req.Adv.To != "" {
		add("发布日期", req.Adv.From+" 至 "+req.Adv.To)
	}
	add("结果中检索", req.Adv.Within)
	for _, d := range facetDims {
		add(d.Name, strings.Join(req.Filters[d.Key], "、"))
	}
	return strings.Join(parts, "；")
}

// Template helpers of the research pages, added to the shared map here so
// the layout's file stays as it is.
func init() {
	funcs["hasValue"] = func(m map[string][]string, key, value string) bool {
		for _, v := range m[key] {
			if v == value {
				return true
			}
		}
		return false
	}
	funcs["lines"] = func(s string) []string {
		var out []string
		for _, l := range strings.Split(s, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
		return out
	}
}
