package search

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"datalex/internal/textseg"
)

// Limits on queries. Longer queries are cut (with a notice), larger k is
// clamped: neither is worth an error.
const (
	MaxQueryRunes = 500
	DefaultK      = 10
	MaxK          = 1000
)

// Sort orders.
const (
	SortRelevance = "relevance"
	SortDate      = "date" // newest first
)

// Errors returned for bad input; their text is shown to users.
var (
	ErrEmptyQuery   = errors.New("请输入检索词")
	ErrNoSearchable = errors.New("检索词中没有可检索的文字")
	ErrBadK         = errors.New("返回条数 k 必须是正整数")
)

// Query is a parsed search request.
type Query struct {
	Raw     string              `json:"q"`
	Text    string              `json:"text"`              // free text left after operators are taken out
	Phrases []string            `json:"phrases,omitempty"` // "…": must occur verbatim (after folding)
	Exclude []string            `json:"exclude,omitempty"` // -词: must not occur
	Title   []string            `json:"title,omitempty"`   // title:…: must occur in the document title
	Filters map[string][]string `json:"filters,omitempty"` // facet key → accepted values (OR within a key, AND across keys)
	K       int                 `json:"k"`
	Offset  int                 `json:"offset,omitempty"`
	Sort    string              `json:"sort"`
	Notices []string            `json:"notices,omitempty"` // what was adjusted (truncated, quote closed …)
	// HitsOnly skips what only the full results show: snippets, the
	// document list and facets (TotalDocs then counts only documents with
	// matching provisions). For callers that print CompactResult.
	HitsOnly bool `json:"-"`

	noFeedback   bool // the first pass of pseudo-relevance feedback
	wantFeatures bool // return ranking features of the hits (Candidates)
}

// ParseQuery parses the query syntax: words, "phrase", -exclude, title:…,
// and facet filters written as key:value (效力级别:法律, year:2021). k and
// sort take their defaults.
func ParseQuery(s string) (Query, error) {
	q := Query{Raw: s, K: DefaultK, Sort: SortRelevance}
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	if strings.TrimSpace(s) == "" {
		return q, ErrEmptyQuery
	}
	if utf8.RuneCountInString(s) > MaxQueryRunes {
		s = string([]rune(s)[:MaxQueryRunes])
		q.Notices = append(q.Notices, fmt.Sprintf("检索词过长，只使用前 %d 个字", MaxQueryRunes))
	}
	// Straight double quotes (also full-width ＂) delimit phrases; Chinese
	// “” are ordinary text because questions use them for emphasis.
	s = strings.ReplaceAll(s, "＂", `"`)
	if strings.Count(s, `"`)%2 == 1 {
		s += `"`
		q.Notices = append(q.Notices, "引号不成对，已在末尾补齐")
	}
	var text []string
	parts := strings.Split(s, `"`)
	for i, part := range parts {
		if i%2 == 1 {
			if p := strings.TrimSpace(textseg.Fold(part)); p != "" {
				q.Phrases = append(q.Phrases, p)
				text = append(text, part)
			}
			continue
		}
		for _, tok := range strings.Fields(part) {
			if rest, ok := strings.CutPrefix(tok, "-"); ok && rest != "" {
				q.Exclude = append(q.Exclude, textseg.Fold(rest))
				continue
			}
			if key, val, ok := cutField(tok); ok {
				if key == "title" {
					q.Title = append(q.Title, textseg.Fold(val))
				} else {
					if q.Filters == nil {
						q.Filters = make(map[string][]string)
					}
					q.Filters[key] = append(q.Filters[key], val)
				}
				continue
			}
			text = append(text, tok)
		}
	}
	q.Text = strings.Join(text, " ")
	if !hasSearchable(q.Text) && len(q.Title) == 0 && len(q.Filters) == 0 {
		return q, ErrNoSearchable
	}
	return q, q.validateFilters()
}

// cutField splits key:value (also key：value) when key names a field.
func cutField(tok string) (key, val string, ok bool) {
	i := strings.IndexAny(tok, ":：")
	if i <= 0 {
		return "", "", false
	}
	k := tok[:i]
	_, size := utf8.DecodeRuneInString(tok[i:])
	v := strings.TrimSpace(tok[i+size:])
	if v == "" {
		return "", "", false
	}
	if k == "title" || k == "标题" {
		return "title", v, true
	}
	if key, ok := facetKey(k); ok {
		return key, v, true
	}
	return "", "", false
}

func hasSearchable(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// validateFilters checks keys and the values that have a fixed form.
func (q *Query) validateFilters() error {
	for k, vals := range q.Filters {
		if _, ok := facetKey(k); !ok {
			return fmt.Errorf("未知的筛选字段 %q（可用: %s）", k, facetKeyList())
		}
		for _, v := range vals {
			if k == FacetYear {
				if n, err := strconv.Atoi(v); err != nil || n < 1900 || n > 2100 {
					return fmt.Errorf("年份筛选值 %q 无效，应为四位年份，如 2021", v)
				}
			}
			if strings.TrimSpace(v) == "" {
				return fmt.Errorf("筛选字段 %s 的值为空", k)
			}
		}
	}
	return nil
}

// AddFilter adds a filter given as "key=value" (the --filter flag form).
func (q *Query) AddFilter(kv string) error {
	k, v, ok := strings.Cut(kv, "=")
	if !ok {
		return fmt.Errorf("筛选条件 %q 应写成 字段=值", kv)
	}
	key, known := facetKey(strings.TrimSpace(k))
	if !known {
		return fmt.Errorf("未知的筛选字段 %q（可用: %s）", k, facetKeyList())
	}
	if q.Filters == nil {
		q.Filters = make(map[string][]string)
	}
	for _, val := range strings.Split(v, ",") {
		if val = strings.TrimSpace(val); val != "" {
			q.Filters[key] = append(q.Filters[key], val)
		}
	}
	return q.validateFilters()
}

// SetK sets the number of hits: k < 0 is an error, 0 means the default,
// values above MaxK are clamped.
func (q *Query) SetK(k int) error {
	switch {
	case k < 0:
		return ErrBadK
	case k == 0:
		q.K = DefaultK
	case k > MaxK:
		q.K = MaxK
		q.Notices = append(q.Notices, fmt.Sprintf("返回条数超过上限，已改为 %d", MaxK))
	default:
		q.K = k
	}
	return nil
}

// ParseRequest builds a Query from HTTP query parameters, so that the
// /api/v1/search handler stays thin:
//
//	q       the query text (required)
//	k       hits per page (default 10, max 1000)
//	offset  hits to skip (paging)
//	sort    relevance | date
//	filter  repeated key=value (level=法律, region=北京, year=2021 …)
//	level, issuer, region, status, year, sector, tag, source, kind
//	        the same filters given directly, repeatable
func ParseRequest(v url.Values) (Query, error) {
	q, err := ParseQuery(v.Get("q"))
	if err != nil {
		return q, err
	}
	if s := v.Get("k"); s != "" {
		k, err := strconv.Atoi(s)
		if err != nil {
			return q, ErrBadK
		}
		if err := q.SetK(k); err != nil {
			return q, err
		}
	}
	if s := v.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return q, errors.New("offset 必须是非负整数")
		}
		q.Offset = min(n, 10*MaxK)
	}
	switch s := v.Get("sort"); s {
	case "", SortRelevance:
	case SortDate:
		q.Sort = SortDate
	default:
		return q, fmt.Errorf("排序方式 %q 无效，可用 relevance 或 date", s)
	}
	for _, f := range v["filter"] {
		if err := q.AddFilter(f); err != nil {
			return q, err
		}
	}
	for _, key := range FacetKeys {
		for _, val := range v[key] {
			if err := q.AddFilter(key + "=" + val); err != nil {
				return q, err
			}
		}
	}
	return q, nil
}
