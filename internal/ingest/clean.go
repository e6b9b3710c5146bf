package ingest

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CleanLines turns the physical lines of a PDF text extraction into cleaned
// lines: one paragraph or one table row each. raw[0] is source line
// firstLineNo (1-based); every output line keeps the number of the physical
// line it starts on, so output numbers never decrease.
//
// Steps, in order (see the seed-001 notes §5):
//  1. per physical line: drop blank lines, page numbers (a short number after
//     three or more blank lines), URL-only lines; strip the page-break leading
//     space; NormalizePunct, RepairLetterSpacing, CollapseDoubled;
//  2. MarkTableRuns: runs of at least 8 short lines become table rows;
//  3. join hard wraps (JoinsWrap) outside tables;
//  4. SplitGlued: articles and chapter headings glued mid-line start a new line;
//  5. NormalizeDateSpacing.
//
// Cleaning only deletes characters, maps a few (see NormalizePunct) and
// inserts a space between joined ASCII words; it never invents text.
func CleanLines(raw []string, firstLineNo int) []Line {
	phys := make([]Line, 0, len(raw)/2+1)
	blanks := 0
	for i, r := range raw {
		t := strings.TrimSpace(clValidUTF8(r))
		if t == "" {
			blanks++
			continue
		}
		if blanks >= 3 && IsPageNumber(t) {
			blanks = 0
			continue
		}
		blanks = 0
		if IsURLOnly(t) {
			continue
		}
		t = CollapseDoubled(RepairLetterSpacing(NormalizePunct(t)))
		phys = append(phys, Line{Text: t, No: firstLineNo + i})
	}
	MarkTableRuns(phys, 8)

	out := make([]Line, 0, len(phys))
	var para strings.Builder
	var breaks []clBreak // where each physical line starts inside para
	var paraTable bool
	flush := func() {
		if para.Len() == 0 {
			return
		}
		text := para.String()
		if paraTable {
			out = append(out, Line{Text: NormalizeDateSpacing(text), No: breaks[0].no, Table: true})
		} else {
			for _, seg := range clSplitAt(text, SplitGlued(text)) {
				out = append(out, Line{Text: NormalizeDateSpacing(seg.text), No: clLineAt(breaks, seg.off)})
			}
		}
		para.Reset()
		breaks = breaks[:0]
	}
	for i, l := range phys {
		if i > 0 && para.Len() > 0 && !l.Table && !phys[i-1].Table && JoinsWrap(phys[i-1].Text, l.Text) {
			if clNeedsSpace(para.String(), l.Text) {
				para.WriteByte(' ')
			}
			breaks = append(breaks, clBreak{para.Len(), l.No})
			para.WriteString(l.Text)
			continue
		}
		flush()
		paraTable = l.Table
		breaks = append(breaks, clBreak{0, l.No})
		para.WriteString(l.Text)
	}
	flush()
	return out
}

// clValidUTF8 replaces invalid bytes by U+FFFD so that deleting spaces can
// never fuse stray bytes into a character. Decoded input is valid already.
func clValidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// clBreak records that the physical line no starts at byte off of a paragraph.
type clBreak struct{ off, no int }

func clLineAt(breaks []clBreak, off int) int {
	no := breaks[0].no
	for _, b := range breaks {
		if b.off > off {
			break
		}
		no = b.no
	}
	return no
}

type clSeg struct {
	text string
	off  int
}

// clSplitAt cuts text at the given byte offsets (ascending).
func clSplitAt(text string, cuts []int) []clSeg {
	var segs []clSeg
	start := 0
	for _, c := range cuts {
		if c <= start || c >= len(text) {
			continue
		}
		if s := strings.TrimSpace(text[start:c]); s != "" {
			segs = append(segs, clSeg{s, start})
		}
		start = c
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		segs = append(segs, clSeg{s, start})
	}
	return segs
}

var (
	reClPageNumber = regexp.MustCompile(`^(\d{1,4}|\d{1,2} \d{2,4})$`)
	reClURLOnly    = regexp.MustCompile(`^(https?|file):/+\S*$`)
)

// IsPageNumber reports whether a line (already trimmed) looks like a printed
// page number: 41, or a number with a fused table cell, 8 2793. Callers must
// also check the blank lines before it: integer cells of tables look the same.
func IsPageNumber(t string) bool { return reClPageNumber.MatchString(t) }

// IsURLOnly reports whether a line is nothing but a link (hyperlink artefacts
// such as baike.baidu.com or file:///P:/… lines).
func IsURLOnly(t string) bool { return reClURLOnly.MatchString(t) }

var clPunctReplacer = strings.NewReplacer("«", "《", "»", "》", "臵", "置", "\t", " ", "\u00a0", " ")

// NormalizePunct applies the safe character repairs: «» → 《》, the
// mis-encoded 臵 → 置, tabs and no-break spaces → space.
func NormalizePunct(s string) string {
	if !strings.ContainsAny(s, "«»臵\t\u00a0") {
		return s
	}
	return clPunctReplacer.Replace(s)
}

func clIsHan(r rune) bool {
	if r >= 0x4E00 && r <= 0x9FFF {
		return true
	}
	return r >= 0x3400 && unicode.Is(unicode.Han, r)
}

// RepairLetterSpacing joins runs of at least three single Han characters
// separated by single spaces (内 容 准 确 → 内容准确, 财 政 部 → 财政部).
// Two-character runs (总 则) are left alone here: they are ambiguous in prose.
func RepairLetterSpacing(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(rs); {
		// a run starts at a Han char not preceded by a Han char
		if clIsHan(rs[i]) && (i == 0 || !clIsHan(rs[i-1])) {
			j, n := i, 1
			for j+2 < len(rs) && rs[j+1] == ' ' && clIsHan(rs[j+2]) && (j+3 >= len(rs) || !clIsHan(rs[j+3])) {
				j += 2
				n++
			}
			if n >= 3 && (i+1 >= len(rs) || rs[i+1] == ' ') {
				for k := i; k <= j; k += 2 {
					b.WriteRune(rs[k])
				}
				i = j + 1
				continue
			}
		}
		b.WriteRune(rs[i])
		i++
	}
	return b.String()
}

// CollapseDoubled removes a run of five or more Han characters repeated
// immediately (国家发展改革委国家发展改革委 → 国家发展改革委), an extraction
// artefact of fake-bold text.
func CollapseDoubled(s string) string {
	rs := []rune(s)
	if len(rs) < 10 {
		return s
	}
	changed := false
	for i := 0; i+10 <= len(rs); i++ {
		if !clIsHan(rs[i]) {
			continue
		}
		// doubled runs are headings and names: cap the length so that long
		// lines stay linear
		for n := min((len(rs)-i)/2, 64); n >= 5; n-- {
			if clHanRepeat(rs, i, n) {
				rs = append(rs[:i+n], rs[i+2*n:]...)
				changed = true
				break
			}
		}
	}
	if !changed {
		return s
	}
	return string(rs)
}

func clHanRepeat(rs []rune, i, n int) bool {
	for k := 0; k < n; k++ {
		if rs[i+k] != rs[i+n+k] || !clIsHan(rs[i+k]) {
			return false
		}
	}
	return true
}

var (
	reClDateSpaceBefore = regexp.MustCompile(`(\d)\s+(年|月|日|号|万)`)
	reClDateSpaceAfter  = regexp.MustCompile(`(\d(?:年|月)|第)\s+(\d)`)
)

// NormalizeDateSpacing removes the spaces PDF extraction puts around numbers
// in dates and counts: 2024 年 1 月 1 日 → 2024年1月1日, 141 号 → 141号,
// 第 6 号 → 第6号, 100 万人 → 100万人.
func NormalizeDateSpacing(s string) string {
	if !clHasDateSpace(s) {
		return s
	}
	s = reClDateSpaceBefore.ReplaceAllString(s, "$1$2")
	// twice: adjacent matches (年 1月 1) overlap
	s = reClDateSpaceAfter.ReplaceAllString(s, "$1$2")
	s = reClDateSpaceAfter.ReplaceAllString(s, "$1$2")
	return s
}

// clHasDateSpace is a cheap filter for NormalizeDateSpacing: a space next to
// 年/月/日/号/万.
func clHasDateSpace(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' {
			continue
		}
		next, _ := utf8.DecodeRuneInString(s[i+1:])
		prev, _ := utf8.DecodeLastRuneInString(s[:i])
		if strings.ContainsRune("年月日号万", next) || prev == '年' || prev == '月' || prev == '第' {
			return true
		}
	}
	return false
}

// clShortCell reports whether a line can be a cell of a flattened table:
// short, not a sentence end, and not a heading that structures the text.
func clShortCell(t string) bool {
	if utf8.RuneCountInString(t) > 16 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(t)
	if strings.ContainsRune("。；：！？;:", r) {
		return false
	}
	if reStTOC.MatchString(t) || reClTitleLine.MatchString(t) {
		return false
	}
	switch stClassify(t).kind {
	case stArticle, stChapter, stSection, stPart, stAnnex:
		return false
	}
	return true
}

var reClTitleLine = regexp.MustCompile(`^\d+、《`)

// MarkTableRuns marks runs of at least minRun consecutive short lines as
// table rows: flattened PDF tables put one cell per line, and such lines must
// neither be joined nor read as headings.
func MarkTableRuns(lines []Line, minRun int) {
	for i := 0; i < len(lines); {
		if !clShortCell(lines[i].Text) {
			i++
			continue
		}
		j := i
		for j < len(lines) && clShortCell(lines[j].Text) && !clClauseHeadingPair(lines, j) {
			j++
		}
		if j-i >= minRun {
			for k := i; k < j; k++ {
				lines[k].Table = true
			}
		}
		if j == i {
			j++ // a heading pair: its lines are headings, not cells
		}
		i = j
	}
}

var (
	reClTopClause  = regexp.MustCompile(`^(\d{1,2})\s*\p{Han}[\p{Han}、和与及]{1,24}$`)
	reClFirstChild = regexp.MustCompile(`^(\d{1,2})[.．]1\s*\p{Han}`)
)

// clClauseHeadingPair reports whether lines[k] is a standard's top clause
// heading followed by its first sub-clause ("8数据分级" then "8.1 数据分级原
// 则"): a flattened table that ends just before a clause must not swallow
// the clause's headings (证券期货业数据分类分级指引 lost its clauses 8 and 9
// that way).
func clClauseHeadingPair(lines []Line, k int) bool {
	if k+1 >= len(lines) {
		return false
	}
	m := reClTopClause.FindStringSubmatch(strings.TrimSpace(lines[k].Text))
	if m == nil {
		return false
	}
	n := reClFirstChild.FindStringSubmatch(strings.TrimSpace(lines[k+1].Text))
	return n != nil && n[1] == m[1]
}

var (
	reClNextMarker = regexp.MustCompile(`^(——|\d+、《|\d+[.．、]|[（(]\d+[）)]|\d+[）)]|[a-z][)）]|附件|附录|图\s*\d|表\s*\d|\d+(\.\d+)+)`)
	reClDocNoLine  = regexp.MustCompile(`^[（(]?\p{Han}{1,14}\s*[〔﹝\[【［(（]\s*\d{4}\s*[〕﹞\]】］)）]\s*(第\s*)?\d+\s*号\s*[）)]?$`)
	reClDateLine   = regexp.MustCompile(`^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$`)
	reClEndsDate   = regexp.MustCompile(`[（(]\s*\d{4}\s*[-－]\s*\d{1,2}\s*[-－]\s*\d{1,2}\s*[）)]$`) // a title's date
	reClCodeSpace  = regexp.MustCompile(`^[A-Za-z0-9_./-]*[A-Za-z][A-Za-z0-9_./-]*\s`)
)

// JoinsWrap reports whether line b continues line a after a hard wrap: a is
// full width (at least 28 characters), does not end a sentence and is not a
// whole bracketed line, and b does not start a structural marker or look like
// a table row or code.
func JoinsWrap(a, b string) bool {
	if utf8.RuneCountInString(a) < 28 {
		return false
	}
	if clEndsClause(a) || clWholeBracket(a) || reClEndsDate.MatchString(a) {
		return false
	}
	if m := stClassify(b); reClNextMarker.MatchString(b) || m.kind != stNone && !m.weak {
		return false
	}
	// header and signature lines stand alone: 财资〔2023〕141 号, 2023年12月31日
	if reClDocNoLine.MatchString(b) || reClDateLine.MatchString(b) {
		return false
	}
	// Table rows and code start with ASCII; prose that wraps before an
	// English word (APP 应用…) has Han text right after it.
	if r, _ := utf8.DecodeRuneInString(b); r < utf8.RuneSelf && (unicode.IsLetter(r) || r == '@' || r == '<') || reClCodeSpace.MatchString(b) {
		last, _ := utf8.DecodeLastRuneInString(a)
		return clHanSoon(b, 12) || unicode.IsLower(r) && (unicode.IsLetter(last) && last < utf8.RuneSelf || last == ',')
	}
	return true
}

// clEndsClause: the line ends a sentence or clause (。！？；：…), possibly
// followed by closing quotes or brackets.
func clEndsClause(a string) bool {
	a = strings.TrimRight(a, "”’」』）)】")
	r, _ := utf8.DecodeLastRuneInString(a)
	return strings.ContainsRune("。！？；：…!?;:", r)
}

// clWholeBracket: the line is one bracketed note such as （2021年…通过）.
func clWholeBracket(a string) bool {
	if !(strings.HasPrefix(a, "（") || strings.HasPrefix(a, "(")) || !(strings.HasSuffix(a, "）") || strings.HasSuffix(a, ")")) {
		return false
	}
	inner := strings.TrimRight(strings.TrimLeft(a, "（("), "）)")
	return !strings.ContainsAny(inner, "（()）")
}

// clHanSoon reports whether a Han character occurs in the first n runes of s.
func clHanSoon(s string, n int) bool {
	for _, r := range s {
		if n == 0 {
			return false
		}
		if clIsHan(r) {
			return true
		}
		n--
	}
	return false
}

// clNeedsSpace: ASCII words joined across a wrap keep a space between them;
// CJK text is joined directly.
func clNeedsSpace(a, b string) bool {
	x, _ := utf8.DecodeLastRuneInString(a)
	y, _ := utf8.DecodeRuneInString(b)
	return x < utf8.RuneSelf && y < utf8.RuneSelf && (unicode.IsLetter(x) || unicode.IsDigit(x)) && (unicode.IsLetter(y) || unicode.IsDigit(y))
}

var reClGlued = regexp.MustCompile(`[。；：！？]\s*(第[` + cnDigits + `]+[条章节])`)
var reClGluedArticle = regexp.MustCompile(`^第[` + cnDigits + `]+[章节][^。，；第]{0,24}?(第[` + cnDigits + `]+条)`)

// SplitGlued returns the byte offsets in text where an article or chapter
// heading that was glued to the previous sentence starts (…共享机制。第六十七条
// …, …法律责任。第三章利用专业报告), and where an article glued to its chapter
// heading starts (第五章开发和应用第二十六条…). Cross-references (第二十七条规定)
// are not split.
func SplitGlued(text string) []int {
	var cuts []int
	add := func(start int) {
		seg := text[start:]
		if !clGlueOK(seg) {
			return
		}
		cuts = append(cuts, start)
		if m := reClGluedArticle.FindStringSubmatchIndex(seg); m != nil && clGlueOK(seg[m[2]:]) {
			cuts = append(cuts, start+m[2])
		}
	}
	if strings.HasPrefix(text, "第") {
		if m := reClGluedArticle.FindStringSubmatchIndex(text); m != nil && clGlueOK(text[m[2]:]) {
			cuts = append(cuts, m[2])
		}
	}
	if !strings.Contains(text, "第") {
		return cuts
	}
	for _, m := range reClGlued.FindAllStringSubmatchIndex(text, -1) {
		add(m[2])
	}
	return cuts
}

// clGlueOK checks that seg starts a real article or heading, not a reference.
func clGlueOK(seg string) bool {
	// Only the start matters; capping keeps SplitGlued linear on long
	// paragraphs full of glued articles.
	if len(seg) > 300 {
		cut := 300
		for cut > 0 && !utf8.RuneStart(seg[cut]) {
			cut--
		}
		seg = seg[:cut] + "…。"
	}
	m := stClassify(seg)
	switch m.kind {
	case stArticle:
		return !m.weak
	case stChapter, stSection:
		return true
	}
	// A chapter heading glued before its article: 第五章开发和应用第二十六条…
	if loc := reClGluedArticle.FindStringSubmatchIndex(seg); loc != nil {
		return stClassify(seg[loc[2]:]).kind == stArticle
	}
	return false
}
