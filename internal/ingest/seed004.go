package ingest

import (
	"fmt"
	"regexp"
	"strings"

	"datalex/internal/library"
)

// Seed 004 holds four central policy documents in plain text with
// full-width punctuation. Titles stand alone on a line; the first one
// separates its two issuers with U+2002 EN SPACE, which RE2's \s does not
// match, so the title pattern uses [\s\p{Zs}], never a literal space.
// Documents 2 and 3 have no blank line after the title and document 3 has
// no blank lines at all.

var (
	s4TitleRe     = regexp.MustCompile(`^(中共中央办公厅[\s\p{Zs}]国务院办公厅关于|中共中央[\s\p{Zs}]国务院关于|国务院关于|关于).{4,60}(意见|方案)$`)
	s4AddresseeRe = regexp.MustCompile(`^各[^。]{2,80}：$`)
)

// s4Aliases are the names a document is commonly cited by.
var s4Aliases = map[string][]string{
	"中共中央 国务院关于构建数据基础制度更好发挥数据要素作用的意见": {"数据二十条"},
}

// ParseSeed004 parses seed 004 into its four documents.
func ParseSeed004(name string, data []byte) (*Parsed, error) {
	raw := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	var starts []int
	for i, l := range raw {
		if s4TitleRe.MatchString(strings.TrimSpace(l)) {
			starts = append(starts, i)
		}
	}
	if len(starts) == 0 {
		return nil, fmt.Errorf("%s: 未识别出任何文件标题", name)
	}
	res := &Parsed{File: name}
	for k, s := range starts {
		end := len(raw)
		if k+1 < len(starts) {
			end = starts[k+1]
		}
		v := seed004Version(name, raw, s, end, k+1)
		res.Versions = append(res.Versions, v)
		if v.HasFlag(library.FlagExcerpt) {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s L%d：《%s》只有“总体要求”“主要任务”两部分，按节选处理", name, s+1, v.Title))
		}
	}
	return res, nil
}

// seed004Version builds the version whose title is on raw[start] (0-based)
// and whose text runs to raw[end-1].
func seed004Version(file string, raw []string, start, end, seq int) *library.Version {
	titleLine := start + 1
	title := strings.Join(strings.Fields(raw[start]), " ") // U+2002 → space
	v := &library.Version{
		Kind:       library.KindRegulation,
		Title:      title,
		Aliases:    append([]string{}, s4Aliases[title]...),
		Issuers:    []string{},
		Tags:       []string{},
		Flags:      []string{},
		Level:      library.LevelPolicy,
		Region:     "全国",
		Seq:        seq,
		Provenance: map[string]library.Provenance{"title": {File: file, Line: titleLine}},
	}
	v.Provenance["level"] = library.Provenance{File: file, Line: titleLine, Note: "中央政策文件（意见/方案），统一归为政策文件"}
	v.Provenance["region"] = library.Provenance{File: file, Line: titleLine, Note: "中央文件"}
	if len(v.Aliases) > 0 {
		v.Provenance["aliases"] = library.Provenance{File: file, Line: titleLine, Note: "通称"}
	}
	if i := strings.Index(title, "关于"); i > 0 {
		if iss := sdSplitIssuers(title[:i]); len(iss) > 0 {
			v.Issuers = iss
			v.Provenance["issuers"] = library.Provenance{File: file, Line: titleLine, Note: "标题中的发文机关"}
		}
	}
	var lines []Line
	last := titleLine
	for i := start + 1; i < end; i++ {
		t := strings.TrimSpace(raw[i])
		if t == "" {
			continue
		}
		if s4AddresseeRe.MatchString(t) {
			v.Tags = append(v.Tags, "主送:"+strings.TrimSuffix(t, "："))
		}
		lines = append(lines, Line{Text: sdDropSpaces(t, false), No: i + 1})
		last = i + 1
	}
	v.Sources = []library.Source{{File: file, FirstLine: titleLine, LastLine: last}}
	v.Provisions = Structure(title, lines, StyleOutline)
	v.Citations = sdCitations(lines, v.Provisions, title)
	if seed004Excerpt(v.Provisions) {
		v.AddFlag(library.FlagExcerpt)
	}
	return v
}

// seed004Excerpt reports a document cut short: a central opinion or plan
// ends with a 保障/组织实施 section, which document 3 lacks (it stops after
// 二、主要任务).
func seed004Excerpt(provs []*library.Provision) bool {
	var top []string
	for _, p := range provs {
		if p.Depth == 0 && p.Kind == library.ProvOutline {
			top = append(top, p.Text)
		}
	}
	if len(top) == 0 {
		return false
	}
	lastHead := strings.SplitN(top[len(top)-1], "\n", 2)[0]
	for _, w := range []string{"保障", "组织实施", "领导", "组织"} {
		if strings.Contains(string([]rune(lastHead)[:min(20, len([]rune(lastHead)))]), w) {
			return false
		}
	}
	return true
}
