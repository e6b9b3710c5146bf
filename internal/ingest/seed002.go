package ingest

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"datalex/internal/library"
)

// Seed 002 is a PDF-extracted newsletter of the 上海市律师协会 数据合规与网络
// 安全专业委员会 (2024 年 11 月): a masthead and 目录, then 一、法规速递 (six
// regulations, each with a 发文机关/发布日期/生效日期/时效性 block) and
// 二、数安热点 (six news items without dates of their own). Page breaks split
// 26 sentences into two paragraphs; they are joined here.

var (
	s2IssueRe    = regexp.MustCompile(`^[(（]\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*[)）]$`)
	s2TOCRe      = regexp.MustCompile(`^(\d+)\.\s*(.+?)\t+(\d+)$`)
	s2RegRe      = regexp.MustCompile(`^(\d+)\.\s*《(.+)》$`)
	s2NewsRe     = regexp.MustCompile(`^(\d+)\.\s+([^《\s].+)$`)
	s2MetaRe     = regexp.MustCompile(`^(发文机关|发布日期|生效日期|时效性)：\s*(.*)$`)
	s2DateRe     = regexp.MustCompile(`^(\d{4})\.(\d{1,2})\.(\d{1,2})$`)
	s2MarkerRe   = regexp.MustCompile(`^(?:\d+(?:\.\d+)*\.?\s|\d+\.|第[一二三四五六七八九十百]+条|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\(\d+\)|——|- |附件|附录|\*\*)`)
	s2RomanSpace = regexp.MustCompile(`\b(I{1,3}|IV)\s+级`)
	s2ClauseRe   = regexp.MustCompile(`^\d+\.\d+\s`)
	// s2ClausePrefix is a clause number with its space: "4.4.1 ".
	s2ClausePrefix = regexp.MustCompile(`^\d+(?:\.\d+)+\s+`)
	s2ArticleRe    = regexp.MustCompile(`^第[一二三四五六七八九十百]+条`)
)

// s2Section names the newsletter's two sections.
const (
	s2Regs = "一、法规速递"
	s2News = "二、数安热点"
)

// ParseSeed002 parses the lawyers' newsletter: the 法规速递 regulations go to
// Versions, the 数安热点 items to News (Kind news). News items carry no date
// of their own: IssueDate stays empty and VersionLabel holds the newsletter
// issue ("2024年11月"), also recorded as the tag "期刊:2024年11月".
func ParseSeed002(name string, data []byte) (*Parsed, error) {
	raw := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	res := &Parsed{File: name}
	issue, issueLine := "", 0
	regStart, newsStart := -1, -1
	pages := map[string]string{}
	for i, l := range raw {
		t := strings.TrimSpace(l)
		if m := s2IssueRe.FindStringSubmatch(t); m != nil && issue == "" {
			issue, issueLine = fmt.Sprintf("%s年%s月", m[1], strings.TrimLeft(m[2], "0")), i+1
		}
		if m := s2TOCRe.FindStringSubmatch(l); m != nil && regStart < 0 {
			pages[s2Key(m[2])] = m[3]
		}
		switch t {
		case s2Regs:
			regStart = i
		case s2News:
			newsStart = i
		}
	}
	if regStart < 0 || newsStart < regStart {
		return nil, fmt.Errorf("%s: 未找到“%s”和“%s”两部分", name, s2Regs, s2News)
	}

	joins := 0
	defer func() {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%s：合并跨页断句 %d 处", name, joins))
	}()

	// Regulations.
	var regTitles []int
	for i := regStart + 1; i < newsStart; i++ {
		if s2RegRe.MatchString(strings.TrimSpace(raw[i])) {
			regTitles = append(regTitles, i)
		}
	}
	for k, s := range regTitles {
		end := newsStart
		if k+1 < len(regTitles) {
			end = regTitles[k+1]
		}
		v, j := seed002Regulation(name, raw, s, end, k+1)
		joins += j
		if p := pages[s2Key(v.Title)]; p != "" {
			v.Tags = append(v.Tags, "期刊页码:p."+p)
		}
		res.Versions = append(res.Versions, v)
	}

	// News items.
	var newsTitles []int
	for i := newsStart + 1; i < len(raw); i++ {
		if s2NewsRe.MatchString(strings.TrimSpace(raw[i])) {
			newsTitles = append(newsTitles, i)
		}
	}
	for k, s := range newsTitles {
		end := len(raw)
		if k+1 < len(newsTitles) {
			end = newsTitles[k+1]
		}
		v, j := seed002News(name, raw, s, end, len(regTitles)+k+1, issue, issueLine)
		joins += j
		if p := pages[s2Key(s2NewsRe.FindStringSubmatch(strings.TrimSpace(raw[s]))[2])]; p != "" {
			v.Tags = append(v.Tags, "期刊页码:p."+p)
		} else {
			v.Tags = append(v.Tags, "目录未列")
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s L%d：数安热点《%s》未列入目录", name, s+1, v.Title))
		}
		res.News = append(res.News, v)
	}
	return res, nil
}

// s2Key matches a TOC title with a body title: no 《》, no spaces.
func s2Key(title string) string {
	return strings.Map(func(r rune) rune {
		if r == '《' || r == '》' || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, title)
}

// seed002Regulation builds one 法规速递 entry whose title is raw[start]; it
// also returns the number of page-break joins made in it.
func seed002Regulation(file string, raw []string, start, end, seq int) (*library.Version, int) {
	m := s2RegRe.FindStringSubmatch(strings.TrimSpace(raw[start]))
	title := m[2]
	v := &library.Version{
		Kind:       library.KindRegulation,
		Title:      title,
		Aliases:    []string{},
		Issuers:    []string{},
		Tags:       []string{},
		Flags:      []string{},
		Part:       s2Regs,
		Seq:        seq,
		Provenance: map[string]library.Provenance{"title": {File: file, Line: start + 1}, "part": {File: file, Line: start + 1}},
	}
	// The metadata block: one field per line, blank lines between.
	body := start + 1
	for ; body < end; body++ {
		t := strings.TrimSpace(raw[body])
		if t == "" {
			continue
		}
		mm := s2MetaRe.FindStringSubmatch(t)
		if mm == nil {
			break
		}
		seed002Meta(v, file, body+1, mm[1], strings.TrimSpace(mm[2]))
	}
	if v.Status == "" {
		if st := s3StatusFromTitle(title); st != "" {
			v.Status = st
			v.Provenance["status"] = library.Provenance{File: file, Line: start + 1, Note: "由标题推断"}
		}
	}
	v.Level, v.Region = seed002Level(title, v.Issuers)
	if v.Level != "" {
		v.Provenance["level"] = library.Provenance{File: file, Line: start + 1, Note: "由发文机关和文种推断"}
	}
	if v.Region != "" {
		v.Provenance["region"] = library.Provenance{File: file, Line: start + 1, Note: "由发文机关推断"}
	}
	lines, joins := seed002Lines(raw, body, end)
	style := seed002Style(lines)
	if style == StyleStandard {
		seed002TopClauses(lines)
	}
	v.Sources = []library.Source{{File: file, FirstLine: start + 1, LastLine: seed002LastLine(raw, start, end)}}
	v.Provisions = Structure(title, lines, style)
	v.Citations = sdCitations(lines, v.Provisions, title)
	return v, joins
}

var s2TopClauseRe = regexp.MustCompile(`^(\d{1,2})\.\s+(\p{Han}{2,12})$`)

// seed002TopClauses rewrites the plan's section headings "1. 总则" as
// "1 总则", the form the splitter reads as a top-level clause above 1.1;
// otherwise "2. 组织体系" would nest under 1.6. The 附件 list at the end
// ("2. 数据安全事件上报（模板）") is left alone.
func seed002TopClauses(lines []Line) {
	for i := range lines {
		if strings.HasPrefix(lines[i].Text, "附件") {
			return
		}
		lines[i].Text = s2TopClauseRe.ReplaceAllString(lines[i].Text, "$1 $2")
	}
}

// seed002Meta stores one field of a metadata block with its provenance.
func seed002Meta(v *library.Version, file string, line int, field, value string) {
	prov := library.Provenance{File: file, Line: line}
	switch field {
	case "发文机关":
		for _, s := range strings.FieldsFunc(value, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
			if s = strings.TrimSpace(s); s != "" {
				v.Issuers = append(v.Issuers, s)
			}
		}
		v.Provenance["issuers"] = prov
	case "发布日期", "生效日期":
		m := s2DateRe.FindStringSubmatch(value)
		if m == nil {
			return
		}
		d := sdDate(m[1], m[2], m[3])
		if field == "发布日期" {
			v.IssueDate = d
			v.Provenance["issue_date"] = prov
		} else {
			v.EffectiveDate = d
			v.Provenance["effective_date"] = prov
		}
	case "时效性":
		if st := seed002Status(value, v.Title); st != "" {
			v.Status = st
			prov.Note = "时效性：" + value
			v.Provenance["status"] = prov
		}
	}
}

// seed002Status maps the newsletter's 时效性 values onto library statuses.
// "草案/征求意见稿" is one value covering both kinds of draft; the title
// tells which.
func seed002Status(value, title string) string {
	switch {
	case value == "现行有效":
		return library.StatusInForce
	case strings.Contains(value, "征求意见稿") || strings.Contains(value, "草案"):
		if strings.Contains(title, "草案") && !strings.Contains(title, "征求意见稿") {
			return library.StatusBill
		}
		return library.StatusDraft
	case strings.Contains(value, "废止") || strings.Contains(value, "失效"):
		return library.StatusRepealed
	}
	return ""
}

// seed002Level infers 效力级别 from the issuers and the document type: a
// 规定 of a State Council department is a 部门规章 (draft), the other
// ministry and municipal texts (预案, 方案, 通知, 暂行办法, 指引) are
// 规范性文件. Shanghai bodies make the region 上海.
func seed002Level(title string, issuers []string) (level, region string) {
	if len(issuers) == 0 {
		return "", ""
	}
	region = "全国"
	local := true
	for _, s := range issuers {
		if !strings.HasPrefix(s, "上海市") {
			local = false
		}
	}
	if local {
		region = "上海"
	}
	base := strings.TrimSuffix(strings.TrimSuffix(title, "（征求意见稿）"), "（试行）")
	if strings.HasSuffix(base, "规定") && !local {
		return library.LevelDeptRules, region
	}
	return library.LevelNormative, region
}

// seed002News builds one 数安热点 item whose title is raw[start]; it also
// returns the number of page-break joins made in it.
func seed002News(file string, raw []string, start, end, seq int, issue string, issueLine int) (*library.Version, int) {
	m := s2NewsRe.FindStringSubmatch(strings.TrimSpace(raw[start]))
	title := sdDropSpaces(strings.TrimSpace(m[2]), false)
	v := &library.Version{
		Kind:         library.KindNews,
		Title:        title,
		Aliases:      []string{},
		Issuers:      []string{},
		Level:        library.LevelNewsItem,
		Part:         s2News,
		Tags:         []string{"数安热点"},
		Flags:        []string{},
		VersionLabel: issue,
		Seq:          seq,
		Provenance:   map[string]library.Provenance{"title": {File: file, Line: start + 1}, "part": {File: file, Line: start + 1}},
	}
	if issue != "" {
		v.Tags = append(v.Tags, "期刊:"+issue)
		v.Provenance["version_label"] = library.Provenance{File: file, Line: issueLine, Note: "期刊出版月份；条目本身无日期"}
	}
	lines, joins := seed002Lines(raw, start+1, end)
	v.Sources = []library.Source{{File: file, FirstLine: start + 1, LastLine: seed002LastLine(raw, start, end)}}
	v.Provisions = Structure(title, lines, StyleOutline)
	v.Citations = sdCitations(lines, v.Provisions, title)
	return v, joins
}

func seed002LastLine(raw []string, start, end int) int {
	last := start + 1
	for i := start; i < end; i++ {
		if strings.TrimSpace(raw[i]) != "" {
			last = i + 1
		}
	}
	return last
}

// seed002Style picks the splitter style from the markers present: 1.1
// clauses (the incident plan), 第X条 articles, or an outline.
func seed002Style(lines []Line) Style {
	clauses, articles := 0, 0
	for _, l := range lines {
		switch {
		case s2ClauseRe.MatchString(l.Text):
			clauses++
		case s2ArticleRe.MatchString(l.Text):
			articles++
		}
	}
	switch {
	case clauses >= 3:
		return StyleStandard
	case articles >= 3:
		return StyleLegal
	}
	return StyleOutline
}

// seed002Lines cleans raw[from:to] into lines: page-break splits joined,
// the bold two-line table caption joined, tab-separated rows marked as
// table rows, ASCII punctuation made full width.
func seed002Lines(raw []string, from, to int) ([]Line, int) {
	var out []Line
	joins := 0
	for i := from; i < to; i++ {
		t := strings.TrimSpace(raw[i])
		if t == "" {
			continue
		}
		no := i + 1
		if strings.Contains(raw[i], "\t") {
			out = append(out, Line{Text: strings.TrimSpace(sdFullWidth(raw[i])), No: no, Table: true})
			continue
		}
		if strings.HasPrefix(t, "**") {
			// "**caption line 1\ncaption line 2**": one caption line.
			for !strings.HasSuffix(t, "**") || t == "**" {
				if i+1 >= to {
					break
				}
				i++
				t += strings.TrimSpace(raw[i])
			}
			t = strings.Trim(t, "*")
		}
		for {
			j, ok := seed002PageBreak(raw, i, to)
			if !ok {
				break
			}
			next := strings.TrimSpace(raw[j])
			if a, _ := utf8.DecodeLastRuneInString(t); strings.HasPrefix(next, string(a)) && s3IsHan(a) {
				next = next[utf8.RuneLen(a):] // "国家数据基|基础设施": doubled across the break
			}
			t += next
			i = j
			joins++
		}
		// Keep the space after a clause number ("1.1 编制目的").
		prefix := s2ClausePrefix.FindString(t)
		t = prefix + sdDropSpaces(sdFullWidth(t[len(prefix):]), false)
		t = s2RomanSpace.ReplaceAllString(t, "${1}级")
		out = append(out, Line{Text: t, No: no})
	}
	return out, joins
}

// seed002PageBreak reports whether raw[i] is a sentence cut by a page break
// and returns the index of its continuation: raw[i] is a long line that
// does not end a sentence, is followed by blank lines, and the next text
// line starts with no structural marker.
func seed002PageBreak(raw []string, i, to int) (int, bool) {
	t := strings.TrimSpace(raw[i])
	if utf8.RuneCountInString(t) < 20 || strings.Contains(raw[i], "\t") {
		return 0, false
	}
	last, _ := utf8.DecodeLastRuneInString(t)
	if strings.ContainsRune("。；：！？…”）)》;*", last) {
		return 0, false
	}
	if s2MarkerRe.MatchString(t) && !strings.HasPrefix(t, "——") && !strings.Contains(t, "。") && utf8.RuneCountInString(t) < 30 {
		return 0, false // a heading
	}
	j := i + 1
	if j >= to || strings.TrimSpace(raw[j]) != "" {
		return 0, false
	}
	for j < to && strings.TrimSpace(raw[j]) == "" {
		j++
	}
	if j >= to || s2MarkerRe.MatchString(strings.TrimSpace(raw[j])) || strings.Contains(raw[j], "\t") {
		return 0, false
	}
	return j, true
}
