package library

import (
	"fmt"
	"strings"
)

// Defect is one problem `datalex corpus check` reports.
type Defect struct {
	Severity  string `json:"severity"` // "error" breaks an invariant; "warn" is a known gap
	Kind      string `json:"kind"`
	VersionID string `json:"version_id,omitempty"`
	Title     string `json:"title,omitempty"`
	Detail    string `json:"detail"`
}

// Check verifies the library's invariants (unique ids, a consistent tree,
// provisions inside their sources) and lists known gaps (documents without
// text, skipped article numbers, flagged text).
func Check(versions []*Version) []Defect {
	var out []Defect
	add := func(sev, kind string, v *Version, format string, args ...any) {
		d := Defect{Severity: sev, Kind: kind, Detail: fmt.Sprintf(format, args...)}
		if v != nil {
			d.VersionID, d.Title = v.ID, v.Title
		}
		out = append(out, d)
	}
	seen := map[string]string{}
	for _, v := range versions {
		if v.Title == "" {
			add("error", "empty_title", v, "版本没有标题")
		}
		if len(v.Sources) == 0 {
			add("error", "no_source", v, "版本没有来源")
		}
		if v.Kind == KindRegulation && len(v.Provisions) == 0 {
			add("error", "no_provisions", v, "法规版本没有任何条文")
		}
		ids := map[string]bool{}
		for _, p := range v.Provisions {
			if other, dup := seen[p.ID]; dup {
				add("error", "duplicate_id", v, "条文 id %s 重复（另见版本 %s）", p.ID, other)
			}
			seen[p.ID] = v.ID
			ids[p.ID] = true
		}
		for _, p := range v.Provisions {
			if p.ParentID != "" && !ids[p.ParentID] {
				add("error", "orphan", v, "条文 %s 的上级 %s 不存在", p.ID, p.ParentID)
			}
			if p.Text == "" && p.Heading == "" && p.Label == "" {
				add("warn", "empty_provision", v, "条文 %s 没有内容", p.ID)
			}
			if !insideSources(v, p) {
				add("error", "outside_source", v, "条文 %s（第 %d–%d 行）不在来源范围内", p.ID, p.Line, p.LineEnd)
			}
		}
		if gaps := articleGaps(v); gaps != "" {
			add("warn", "article_gap", v, "条号不连续: %s", gaps)
		}
		for _, f := range v.Flags {
			add("warn", "flag:"+f, v, "质量标记 %s", f)
		}
		unresolved := 0
		for _, c := range v.Citations {
			if c.WorkID == "" {
				unresolved++
			}
		}
		if unresolved > 0 {
			add("warn", "unresolved_citations", v, "%d 处引用的文件不在库内", unresolved)
		}
	}
	return out
}

func insideSources(v *Version, p *Provision) bool {
	if p.Line == 0 {
		return true
	}
	for _, s := range v.Sources {
		if p.File != "" && s.File != p.File {
			continue
		}
		if p.Line >= s.FirstLine && p.LineEnd <= s.LastLine {
			if s.OffsetEnd == 0 || (p.Offset >= s.Offset && p.OffsetEnd <= s.OffsetEnd) {
				return true
			}
		}
	}
	return false
}

// articleGaps lists places where 第N条 numbering jumps.
func articleGaps(v *Version) string {
	var gaps []string
	prev := 0
	for _, p := range v.Provisions {
		if p.Kind != ProvArticle {
			continue
		}
		n := ArticleNumber(p.Label)
		if n == 0 {
			continue
		}
		if prev > 0 && n > prev+1 {
			gaps = append(gaps, fmt.Sprintf("%d→%d", prev, n))
		}
		if n < prev {
			prev = n // numbering restarts (e.g. an annex with its own articles)
			continue
		}
		prev = n
	}
	return strings.Join(gaps, ", ")
}

// ArticleNumber reads 第二十一条 (or 第21条) as 21; 0 if label is not an article.
func ArticleNumber(label string) int {
	if !strings.HasPrefix(label, "第") {
		return 0
	}
	s := strings.TrimPrefix(label, "第")
	i := strings.Index(s, "条")
	if i < 0 {
		return 0
	}
	return ParseChineseNumber(s[:i])
}

// ParseChineseNumber parses 二十一, 一百零三, 两, positional 一〇三 or Arabic
// digits; 0 when s is not a number.
func ParseChineseNumber(s string) int {
	if s == "" {
		return 0
	}
	digits := map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
		'0': 0, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7, '8': 8, '9': 9}
	units := map[rune]int{'十': 10, '百': 100, '千': 1000}
	if !strings.ContainsAny(s, "十百千") { // positional: 38, 一〇三
		n := 0
		for _, r := range s {
			d, ok := digits[r]
			if !ok {
				return 0
			}
			n = n*10 + d
		}
		return n
	}
	total, cur := 0, -1
	for _, r := range s {
		if d, ok := digits[r]; ok {
			cur = d
			continue
		}
		u, ok := units[r]
		if !ok {
			return 0
		}
		if cur < 0 {
			cur = 1 // 十二 = 12
		}
		total += cur * u
		cur = -1
	}
	if cur > 0 {
		total += cur
	}
	return total
}
