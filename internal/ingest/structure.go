package ingest

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"datalex/internal/library"
)

// Structure splits the cleaned lines of one document into its provision tree.
// title is the document title (used for citations).
//
// The result is in document order; the tree is given by ParentID, Depth is 0
// for top-level nodes and Ord is the index in the returned slice. Local ids
// are ASCII and stable:
//
//	pre            text before the first marker (Label "")
//	toc            a 目录/目次 block (kept out of the chapter sequence)
//	p1             第一编/篇
//	c4             第四章 (Label 第四章)
//	c4.s2          第二节 of 第四章 (Label 第四章第二节)
//	a21            第二十一条 (Label 第二十一条), unique per document
//	a21.p2         第二款 of it (Label 第二十一条第二款), only when the article
//	               has two or more paragraphs
//	a21.i3         item （三） of it (Label 第二十一条第（三）项; 一、 inside an
//	               article gives 第二十一条第三项)
//	o2, o2.q3,     outlines 二、 / （三） / 4. / （1）; Label is the combined
//	o2.q3.n4       path label 二、（三）4, prefixed with the nearest
//	               non-outline ancestor's label (第三章 二、, 附3 二、, 5.3（1）);
//	               the annex prefix is dropped when the main text has no
//	               structure of its own (a policy carried as 附件). A list that
//	               restarts at 1. under a bare heading 1. nests: 一、1.2
//	x5.3.1         standard clause 5.3.1 (Label 5.3.1); annex clauses xA.1
//	ann1           附件1 / 附录A / 附 1 (Label 附件1, 附录A, 附1)
//	t1             a table run (Kind table): rows joined by "\n", each row one
//	               Table line as printed (cells of flattened PDF tables are
//	               one per row)
//
// A clashing id gets a "-2", "-3" … suffix in document order.
//
// Text is the node's own lines joined by "\n" (heading line included), except
// for articles, whose Text covers the whole article (款, 项 and tables) so an
// article is self-contained. Line/LineEnd span the node's whole subtree; as a
// Line records only where it starts, a line is taken to run up to the line
// before the next one (TrimLineEnds removes trailing blank lines when the raw
// text is at hand).
//
// Markers are believed in sequence: 第X条 and 第X章 numbers must go up (a
// restart at 1 or a gap only after a finished sentence), so a hard-wrapped
// cross-reference (第二十七条规定，…) is text, while 第五条中国公民… after 第四条
// is an article. StyleAuto reads 第X条 as articles when there are at least two,
// and "1 范围" as clauses when dotted clauses (5.3.1) dominate.
func Structure(title string, lines []Line, style Style) []*library.Provision {
	b := newStructBuilder(title, lines, style)
	for i := range lines {
		b.add(i)
	}
	return b.finish()
}

// Marker kinds, in the order of their rank (a node can only be the parent of
// a node with a higher rank).
type stKind int

const (
	stNone stKind = iota
	stAnnex
	stPart
	stChapter
	stSection
	stClause // rank grows with depth
	stArticle
	stOutline1 // 一、
	stOutline2 // （一）
	stOutline3 // 1.
	stOutline4 // （1）
	stParagraph
	stItem
	stPreamble
	stTOC
	stTable
)

func stRank(k stKind, depth int) int {
	switch k {
	case stAnnex:
		return 5
	case stPart:
		return 10
	case stChapter:
		return 20
	case stSection:
		return 30
	case stClause:
		return 40 + depth
	case stArticle:
		return 50
	case stOutline1:
		return 60
	case stOutline2:
		return 70
	case stOutline3:
		return 80
	case stOutline4:
		return 90
	case stParagraph, stItem:
		return 95
	}
	return 1000 // preamble, toc: popped by any marker
}

// stMarker is what a line's start says about structure.
type stMarker struct {
	kind    stKind
	num     int    // number of the marker (chapter 4, item 3 …)
	seg     string // the marker as printed, normalised: 第四章, 二、, （三）, 4, 5.3.1, 附件1
	heading string
	depth   int // clause depth (5.3.1 → 3)
	// weak: 第X条 followed by a character that usually starts a reference
	// (规、中 …); believed only as the next article after a finished sentence
	weak bool
	// captionOnly: 第X条 followed only by a short caption (第九条资金拨付)
	captionOnly bool
	sub         int // N of 第X条之N (0 for a plain article)
}

const cnDigits = "一二三四五六七八九十百千零〇两"

var (
	reStPart    = regexp.MustCompile(`^第([` + cnDigits + `]+)[编篇]\s*(.*)$`)
	reStChapter = regexp.MustCompile(`^第([` + cnDigits + `]+)章\s*(.*)$`)
	reStSection = regexp.MustCompile(`^第([` + cnDigits + `]+)节\s*(.*)$`)
	reStArticle = regexp.MustCompile(`^第([` + cnDigits + `]+)条\s*(.*)$`)
	// 第一百三十三条之一: an article inserted by an amendment after 第一百三十三条
	// keeps the old numbering and takes a 之N suffix.
	reStArticleSub = regexp.MustCompile(`^第([` + cnDigits + `]+)条之([一二三四五六七八九十]{1,3})\s*(.*)$`)
	reStOutline1   = regexp.MustCompile(`^([一二三四五六七八九十]{1,3})\s*、\s*(.*)$`)
	reStOutline2   = regexp.MustCompile(`^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*(.*)$`)
	reStOutline3   = regexp.MustCompile(`^(\d{1,2})\s*[.．、]\s*(.*)$`)
	reStOutline4   = regexp.MustCompile(`^[（(]\s*(\d{1,2})\s*[）)]\s*(.*)$`)
	reStClause     = regexp.MustCompile(`^(\d{1,2}(?:[.．]\d{1,3}){1,5}|[A-Z](?:[.．]\d{1,3}){1,5})(?:\s+(.*)|([\p{Han}（(“].*))?$`)
	reStTopCl      = regexp.MustCompile(`^(\d{1,2})\s*(\p{Han}[^。，；：,;:]{0,24})$`)
	reStAnnex      = regexp.MustCompile(`^附\s*([件录表])?\s*([0-9０-９A-Z]{1,3}|[一二三四五六七八九十]{1,3})?\s*([：:．.、])?\s*(.*)$`)
	reStTOC        = regexp.MustCompile(`^目\s*[录次]$`)
	reStCaption1   = regexp.MustCompile(`^【([^】]{1,30})】\s*`)
	reStCaption2   = regexp.MustCompile(`^[（(]([^）)]{1,24})[）)]\s*`)
)

// stRefFollow are the characters that, right after 第X条, show a
// cross-reference rather than a new article (第二十七条规定，…).
const stRefFollow = "规、至和或第的中之及款"

// reStCaptionOnly is an article line that is only a caption (第九条资金拨付):
// no cross-reference wraps that way.
var reStCaptionOnly = regexp.MustCompile(`^\p{Han}{2,12}$`)

// stRefFollows reports whether the text after 第X条 / 第X章 reads as a
// cross-reference (第二十七条规定，…; 第三章的规定). 规 counts only as 规定:
// 第二章规划和建设 and 第八条规划制定 are headings.
func stRefFollows(after string) bool {
	a, _ := utf8.DecodeRuneInString(after)
	if a == utf8.RuneError {
		return false
	}
	if a == '规' {
		return strings.HasPrefix(after, "规定")
	}
	return strings.ContainsRune(stRefFollow, a)
}

// stUnitFollow are characters that show a number, not a clause (1.5 亿元).
const stUnitFollow = "万亿元倍个年月日%‰％"

// stClassify reads the structural marker at the start of text, if any.
// It does not apply sequence checks; the builder does.
func stClassify(text string) stMarker {
	t := strings.TrimSpace(text)
	if t == "" {
		return stMarker{}
	}
	// Cheap filter: every marker starts with one of these.
	r0, _ := utf8.DecodeRuneInString(t)
	if !(r0 >= '0' && r0 <= '9' || r0 >= 'A' && r0 <= 'Z' || strings.ContainsRune("第附目（(一二三四五六七八九十", r0)) {
		return stMarker{}
	}
	if reStTOC.MatchString(t) {
		return stMarker{kind: stTOC, seg: "目录"}
	}
	if strings.HasPrefix(t, "第") {
		if m := reStArticleSub.FindStringSubmatch(t); m != nil {
			n, sub := ChineseNumber(m[1]), ChineseNumber(m[2])
			if n <= 0 || sub <= 0 {
				return stMarker{}
			}
			after := t[len("第")+len(m[1])+len("条之")+len(m[2]):]
			weak := stRefFollows(after)
			return stMarker{kind: stArticle, num: n, sub: sub, seg: "第" + m[1] + "条之" + m[2], heading: stArticleCaption(m[3]), weak: weak}
		}
		if m := reStArticle.FindStringSubmatch(t); m != nil {
			rest := m[2]
			after := t[len("第")+len(m[1])+len("条"):]
			n := ChineseNumber(m[1])
			if n <= 0 {
				return stMarker{}
			}
			// 第二十七条规定，… reads as a cross-reference; but 第五条中国公民…
			// is an article, which only the numbering can tell (weak).
			weak := stRefFollows(after)
			return stMarker{kind: stArticle, num: n, seg: "第" + m[1] + "条", heading: stArticleCaption(rest), weak: weak,
				captionOnly: !weak && reStCaptionOnly.MatchString(strings.TrimSpace(rest))}
		}
		for _, c := range []struct {
			re   *regexp.Regexp
			kind stKind
			unit string
		}{{reStChapter, stChapter, "章"}, {reStSection, stSection, "节"}, {reStPart, stPart, ""}} {
			m := c.re.FindStringSubmatch(t)
			if m == nil {
				continue
			}
			after := t[len("第")+len(m[1]):]
			unit, _ := utf8.DecodeRuneInString(after)
			rest := strings.TrimSpace(m[2])
			if stRefFollows(rest) {
				return stMarker{}
			}
			if utf8.RuneCountInString(rest) > 30 || strings.ContainsAny(rest, "。，；,;") {
				return stMarker{}
			}
			n := ChineseNumber(m[1])
			if n <= 0 {
				return stMarker{}
			}
			return stMarker{kind: c.kind, num: n, seg: "第" + m[1] + string(unit), heading: stSqueezeHanSpaces(rest)}
		}
		return stMarker{}
	}
	if strings.HasPrefix(t, "附") {
		if m, ok := stAnnexMarker(t); ok {
			return m
		}
	}
	if m := reStOutline1.FindStringSubmatch(t); m != nil {
		return stMarker{kind: stOutline1, num: ChineseNumber(m[1]), seg: m[1] + "、", heading: stOutlineHeading(m[2])}
	}
	if m := reStOutline2.FindStringSubmatch(t); m != nil {
		return stMarker{kind: stOutline2, num: ChineseNumber(m[1]), seg: "（" + m[1] + "）", heading: stOutlineHeading(m[2])}
	}
	if m := reStOutline4.FindStringSubmatch(t); m != nil {
		n, _ := strconv.Atoi(m[1])
		return stMarker{kind: stOutline4, num: n, seg: "（" + m[1] + "）", heading: stOutlineHeading(m[2])}
	}
	if m := reStClause.FindStringSubmatch(t); m != nil {
		rest := m[2] + m[3]
		if r, _ := utf8.DecodeRuneInString(rest); r == utf8.RuneError || !strings.ContainsRune(stUnitFollow, r) {
			num := strings.ReplaceAll(m[1], "．", ".")
			return stMarker{kind: stClause, seg: num, depth: strings.Count(num, ".") + 1, heading: stClauseHeading(rest)}
		}
	}
	if m := reStOutline3.FindStringSubmatch(t); m != nil {
		rest := m[2]
		r, _ := utf8.DecodeRuneInString(rest)
		if r == utf8.RuneError || !unicode.IsDigit(r) {
			n, _ := strconv.Atoi(m[1])
			return stMarker{kind: stOutline3, num: n, seg: m[1], heading: stOutlineHeading(rest)}
		}
	}
	return stMarker{}
}

// stTopClause reads a top-level standard clause (1 范围, 4总体要求); only
// used for documents that have dotted clauses, where such lines are headings.
func stTopClause(text string) (stMarker, bool) {
	t := strings.TrimSpace(text)
	m := reStTopCl.FindStringSubmatch(t)
	if m == nil {
		return stMarker{}, false
	}
	if r, _ := utf8.DecodeRuneInString(m[2]); strings.ContainsRune(stUnitFollow, r) {
		return stMarker{}, false
	}
	n, _ := strconv.Atoi(m[1])
	if n == 0 {
		return stMarker{}, false
	}
	return stMarker{kind: stClause, num: n, seg: m[1], depth: 1, heading: stSqueezeHanSpaces(m[2])}, true
}

func stAnnexMarker(t string) (stMarker, bool) {
	if utf8.RuneCountInString(t) > 50 {
		return stMarker{}, false
	}
	m := reStAnnex.FindStringSubmatch(t)
	if m == nil {
		return stMarker{}, false
	}
	word, num, sep, rest := m[1], m[2], m[3], strings.TrimSpace(m[4])
	if word == "表" {
		return stMarker{}, false // 附表 is a table caption, not an annex
	}
	// 附则, 附近 … are words: an annex needs 件/录, a number or a colon.
	if word == "" && num == "" && sep == "" {
		return stMarker{}, false
	}
	if word == "" && num == "" && (sep == "．" || sep == "." || sep == "、") {
		return stMarker{}, false
	}
	// 附件说明、附件材料 … run on without a number, separator or space: a
	// compound word (a table cell or list fragment), not an annex heading.
	// 证券期货业数据分类分级指引 has such cells in its 公文格式 tables.
	if word != "" && num == "" && sep == "" && rest != "" {
		after := strings.TrimPrefix(t, "附")
		after = strings.TrimLeft(after, " \t\u3000")
		after = strings.TrimPrefix(after, word)
		if r, _ := utf8.DecodeRuneInString(after); unicode.Is(unicode.Han, r) {
			return stMarker{}, false
		}
	}
	if strings.HasSuffix(rest, "。") && utf8.RuneCountInString(rest) > 20 {
		return stMarker{}, false
	}
	num = stASCIIDigits(num)
	seg := "附" + word + num
	n, err := strconv.Atoi(num)
	if err != nil {
		n = ChineseNumber(num)
	}
	return stMarker{kind: stAnnex, num: n, seg: seg, heading: rest}, true
}

func stArticleCaption(rest string) string {
	if m := reStCaption1.FindStringSubmatch(rest); m != nil {
		return m[1]
	}
	if m := reStCaption2.FindStringSubmatch(rest); m != nil {
		c := m[1]
		if strings.Trim(c, cnDigits+"0123456789 ") == "" || strings.ContainsAny(c, "，。；") {
			return ""
		}
		return c
	}
	return ""
}

// stOutlineHeading is the short title of an outline item: the whole rest when
// it is short and not a sentence, or the run-in heading before the first 。.
func stOutlineHeading(rest string) string {
	rest = strings.TrimSpace(rest)
	if rest == "" {
		return ""
	}
	if i := strings.Index(rest, "。"); i >= 0 {
		h := rest[:i]
		n := utf8.RuneCountInString(h)
		// a long single sentence is the item's text, not a run-in heading
		if n > 30 || strings.ContainsAny(h, "，；：") || n > 12 && strings.TrimSpace(rest[i+len("。"):]) == "" {
			return ""
		}
		return h
	}
	if utf8.RuneCountInString(rest) <= 30 && !strings.ContainsAny(rest, "，；") {
		return strings.TrimRight(rest, "：:")
	}
	return ""
}

func stClauseHeading(rest string) string {
	rest = strings.TrimSpace(rest)
	if rest == "" || utf8.RuneCountInString(rest) > 30 || strings.ContainsAny(rest, "。，；") {
		return ""
	}
	return stSqueezeHanSpaces(rest)
}

// stSqueezeHanSpaces removes spaces between Han characters (总 则 → 总则).
func stSqueezeHanSpaces(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if r == ' ' || r == '\u3000' {
			j := i + 1
			for j < len(rs) && (rs[j] == ' ' || rs[j] == '\u3000') {
				j++
			}
			if i > 0 && j < len(rs) && unicode.Is(unicode.Han, rs[i-1]) && unicode.Is(unicode.Han, rs[j]) {
				continue
			}
			if i > 0 && (rs[i-1] == ' ' || rs[i-1] == '\u3000') {
				continue
			}
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

func stASCIIDigits(s string) string {
	if s == "" {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return '0' + (r - '０')
		}
		return r
	}, s)
}

// ChineseNumber converts a Chinese numeral (二十一, 一百零三, 两, 一〇三) to an
// int; it returns 0 when s is not a numeral.
func ChineseNumber(s string) int {
	for _, r := range s {
		if r >= '0' && r <= '9' {
			return 0 // Arabic digits are not a Chinese numeral
		}
	}
	return library.ParseChineseNumber(s)
}

// ChineseNumeral writes n (1–9999) as a Chinese numeral: 21 → 二十一.
func ChineseNumeral(n int) string {
	if n <= 0 || n > 9999 {
		return strconv.Itoa(n)
	}
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	units := []string{"千", "百", "十", ""}
	vals := []int{1000, 100, 10, 1}
	var b strings.Builder
	zero := false
	started := false
	for i, v := range vals {
		d := n / v % 10
		if d == 0 {
			if started {
				zero = true
			}
			continue
		}
		if zero {
			b.WriteString("零")
			zero = false
		}
		if !(d == 1 && v == 10 && !started) { // 十一, not 一十一
			b.WriteString(digits[d])
		}
		b.WriteString(units[i])
		started = true
	}
	return b.String()
}

// stNode is a provision under construction.
type stNode struct {
	p       *library.Provision
	kind    stKind
	rank    int
	seg     string // path segment
	own     []int  // indices of lines held by this node itself
	first   int
	last    int
	parent  *stNode
	depth   int
	paras   int  // articles: paragraphs (款) seen
	endSent bool // articles: the last text line ended a sentence
	lastSec int  // chapters: last section number
	num     int  // outlines: the marker's number
	// outlines: the marker line is a bare heading (1.全面部署新一代通信网络
	// 基础设施), not a sentence
	headingOnly bool
}

type structBuilder struct {
	title string
	lines []Line
	style Style

	articles   bool // read 第X条 as articles
	topClauses bool // read "1 范围" as clauses

	marks   []stMarker // stClassify of each line
	nodes   []*stNode
	stack   []*stNode
	table   *stNode // table run in progress
	tables  int
	annexes int

	lastArticle, lastChapter, lastPart, lastTopClause int
	lastArticleSub                                    int  // N of the last 第X条之N, 0 after a plain article
	prevClean                                         bool // previous line ended a sentence or was a heading
	inTOC                                             *stNode
	tocFirst                                          string
}

func newStructBuilder(title string, lines []Line, style Style) *structBuilder {
	b := &structBuilder{title: title, lines: lines, style: style, prevClean: true}
	switch style {
	case StyleLegal:
		b.articles = true
	case StyleOutline:
	case StyleStandard:
		b.topClauses = true
	}
	b.marks = make([]stMarker, len(lines))
	for i, l := range lines {
		if !l.Table {
			b.marks[i] = stClassify(l.Text)
		}
	}
	if style == StyleAuto {
		arts, dotted := 0, 0
		for i, l := range lines {
			if l.Table {
				continue
			}
			switch b.marks[i].kind {
			case stArticle:
				if !b.marks[i].weak {
					arts++
				}
			case stClause:
				dotted++
			}
		}
		b.articles = arts >= 2
		b.topClauses = dotted >= 3 && dotted > arts
	}
	return b
}

func (b *structBuilder) top() *stNode {
	if len(b.stack) == 0 {
		return nil
	}
	return b.stack[len(b.stack)-1]
}

// nearest returns the innermost open node of kind k.
func (b *structBuilder) nearest(k stKind) *stNode {
	for i := len(b.stack) - 1; i >= 0; i-- {
		if b.stack[i].kind == k {
			return b.stack[i]
		}
	}
	return nil
}

func (b *structBuilder) add(i int) {
	l := b.lines[i]
	text := strings.TrimSpace(l.Text)
	if text == "" {
		return
	}
	if l.Table {
		b.addTableLine(i)
		return
	}
	b.table = nil
	if b.inTOC != nil {
		if b.tocLine(i, text) {
			return
		}
	}
	m := b.marks[i]
	if m.kind == stNone && b.topClauses {
		// top-level clauses only go up: a table row "5 公众权益" after clause 5
		// is not a new clause 5
		if tm, ok := stTopClause(text); ok && (tm.num == b.lastTopClause+1 || b.prevClean && tm.num > b.lastTopClause && tm.num <= b.lastTopClause+10) {
			m = tm
		}
	}
	if !b.accept(&m) {
		m = stMarker{}
	}
	if m.kind == stNone {
		b.addText(i, text)
		return
	}
	b.open(i, m)
}

// accept applies sequence checks: numbers must go up, restarts and gaps are
// believed only after a line that ended a sentence (a hard-wrapped
// cross-reference starts a line in mid-sentence).
func (b *structBuilder) accept(m *stMarker) bool {
	seq := func(n, last int) bool {
		if n == last+1 {
			return true
		}
		return b.prevClean && (n > last && n <= last+20 || n == 1)
	}
	switch m.kind {
	case stTOC:
		return len(b.nodes) == 0 || b.lastChapter == 0 && b.lastArticle == 0
	case stArticle:
		if !b.articles {
			return false
		}
		if m.sub > 0 {
			// 第X条之N follows 第X条 (or 第X条之N-1) directly.
			return m.num == b.lastArticle && m.sub == b.lastArticleSub+1 && (!m.weak || b.prevClean)
		}
		if m.weak {
			return m.num == b.lastArticle+1 && b.prevClean
		}
		// A caption-only line starts an article even after a line cut off
		// mid-sentence (a page lost from the source: 第五条 … 的， then
		// 第九条资金拨付).
		return seq(m.num, b.lastArticle) || m.captionOnly && m.num > b.lastArticle && m.num <= b.lastArticle+20
	case stChapter:
		return seq(m.num, b.lastChapter)
	case stPart:
		return seq(m.num, b.lastPart)
	case stSection:
		last := 0
		if c := b.nearest(stChapter); c != nil {
			last = c.lastSec
		}
		return seq(m.num, last)
	case stClause:
		if m.depth == 1 {
			return b.topClauses
		}
		t := b.top()
		return b.prevClean || t != nil && (t.kind == stClause || t.kind == stAnnex)
	case stOutline1, stOutline2, stOutline3, stOutline4:
		return true
	case stAnnex:
		return true
	}
	return true
}

func (b *structBuilder) tocLine(i int, text string) bool {
	key := strings.Join(strings.Fields(text), "")
	if b.tocFirst != "" && key == b.tocFirst {
		b.endTOC()
		return false
	}
	m := stClassify(text)
	short := utf8.RuneCountInString(text) <= 40 && !strings.ContainsAny(text, "。；，")
	if m.kind == stArticle || !short {
		b.endTOC()
		return false
	}
	if b.tocFirst == "" {
		b.tocFirst = key
	}
	b.appendLine(b.inTOC, i)
	return true
}

func (b *structBuilder) endTOC() {
	if b.top() == b.inTOC {
		b.stack = b.stack[:len(b.stack)-1]
	}
	b.inTOC = nil
}

func (b *structBuilder) addTableLine(i int) {
	if b.table == nil {
		b.tables++
		parent := b.top()
		n := b.newNode(stTable, parent, "表"+strconv.Itoa(b.tables), "t"+strconv.Itoa(b.tables), i)
		n.p.Label = "表" + strconv.Itoa(b.tables)
		if parent != nil && parent.p.Label != "" {
			n.p.Label = parent.p.Label + " 表" + strconv.Itoa(b.tables)
		}
		b.table = n
	}
	b.appendLine(b.table, i)
	b.prevClean = true
}

// appendLine gives line i to n and extends the spans of n and its ancestors.
func (b *structBuilder) appendLine(n *stNode, i int) {
	n.own = append(n.own, i)
	for x := n; x != nil; x = x.parent {
		if i > x.last {
			x.last = i
		}
	}
}

func (b *structBuilder) addText(i int, text string) {
	cur := b.top()
	if cur == nil {
		cur = b.openPreamble(i)
	}
	if art := b.openArticle(); art != nil {
		if art.endSent {
			b.newParagraph(art, i)
			cur = b.top()
		}
		art.endSent = stEndsSentence(text)
	}
	b.appendLine(cur, i)
	b.prevClean = stEndsSentence(text) || strings.HasSuffix(text, "：") || strings.HasSuffix(text, "；") ||
		strings.HasPrefix(text, "（") && strings.HasSuffix(text, "）")
}

// openArticle returns the article whose text is being read, if the innermost
// open node is that article or one of its 款/项.
func (b *structBuilder) openArticle() *stNode {
	t := b.top()
	if t == nil {
		return nil
	}
	if t.kind == stArticle {
		return t
	}
	if (t.kind == stParagraph || t.kind == stItem) && t.parent != nil && t.parent.kind == stArticle {
		return t.parent
	}
	return nil
}

func stEndsSentence(s string) bool {
	s = strings.TrimRight(s, " ”’」』）)】")
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune("。！？!?", r)
}

func (b *structBuilder) openPreamble(i int) *stNode {
	n := b.newNode(stPreamble, nil, "前言", "pre", i)
	b.stack = append(b.stack, n)
	return n
}

// newParagraph starts 款 number art.paras+1; the first 款 is created when the
// second one appears, from the article's own lines.
func (b *structBuilder) newParagraph(art *stNode, i int) {
	for b.top() != art {
		b.stack = b.stack[:len(b.stack)-1]
	}
	if art.paras == 0 {
		art.paras = 1
	}
	if art.paras == 1 && len(art.own) > 0 {
		p1 := b.makeNode(stParagraph, art, "第一款", art.p.ID+".p1", art.own[0])
		p1.p.Label = art.p.Label + "第一款"
		p1.own = append([]int(nil), art.own...)
		p1.last = art.own[len(art.own)-1]
		// insert right after the article
		idx := 0
		for k, n := range b.nodes {
			if n == art {
				idx = k + 1
				break
			}
		}
		b.nodes = append(b.nodes, nil)
		copy(b.nodes[idx+1:], b.nodes[idx:])
		b.nodes[idx] = p1
	}
	art.paras++
	num := ChineseNumeral(art.paras)
	p := b.newNode(stParagraph, art, "第"+num+"款", art.p.ID+".p"+strconv.Itoa(art.paras), i)
	p.p.Label = art.p.Label + "第" + num + "款"
	b.stack = append(b.stack, p)
}

func (b *structBuilder) open(i int, m stMarker) {
	// Inside an article, 一、 and （一） are its 项.
	if art := b.openArticle(); art != nil && (m.kind == stOutline1 || m.kind == stOutline2) {
		for b.top() != art {
			b.stack = b.stack[:len(b.stack)-1]
		}
		seg := "第" + m.seg + "项"
		if m.kind == stOutline1 {
			seg = "第" + strings.TrimSuffix(m.seg, "、") + "项"
		}
		n := b.newNode(stItem, art, seg, art.p.ID+".i"+strconv.Itoa(m.num), i)
		n.p.Label = art.p.Label + seg
		n.p.Heading = m.heading
		b.appendLine(n, i)
		b.stack = append(b.stack, n)
		art.endSent = stEndsSentence(strings.TrimSpace(b.lines[i].Text))
		b.prevClean = true
		return
	}
	rank := stRank(m.kind, m.depth)
	if m.kind == stOutline3 || m.kind == stOutline4 {
		rank = b.numberedRank(i, m, rank)
	}
	for len(b.stack) > 0 && b.top().rank >= rank {
		b.stack = b.stack[:len(b.stack)-1]
	}
	parent := b.top()
	var n *stNode
	switch m.kind {
	case stTOC:
		n = b.newNode(stTOC, nil, "目录", "toc", i)
		n.p.Label = "目录"
		b.inTOC = n
	case stAnnex:
		b.annexes++
		id := "ann" + strconv.Itoa(b.annexes)
		n = b.newNode(stAnnex, nil, m.seg, id, i)
		n.p.Label = m.seg
		b.lastArticle, b.lastChapter, b.lastPart, b.lastTopClause, b.lastArticleSub = 0, 0, 0, 0, 0
	case stPart:
		n = b.newNode(stPart, parent, m.seg, b.scoped(parent, "p"+strconv.Itoa(m.num)), i)
		n.p.Label = m.seg
		b.lastPart = m.num
	case stChapter:
		n = b.newNode(stChapter, parent, m.seg, b.scoped(parent, "c"+strconv.Itoa(m.num)), i)
		n.p.Label = m.seg
		b.lastChapter = m.num
	case stSection:
		n = b.newNode(stSection, parent, m.seg, b.scopedAlways(parent, "s"+strconv.Itoa(m.num)), i)
		n.p.Label = m.seg
		if c := b.nearest(stChapter); c != nil {
			n.p.Label = c.p.Label + m.seg
			c.lastSec = m.num
		}
	case stArticle:
		local := "a" + strconv.Itoa(m.num)
		if m.sub > 0 {
			local += "-" + strconv.Itoa(m.sub)
		}
		n = b.newNode(stArticle, parent, m.seg, local, i)
		n.p.Label = m.seg
		n.endSent = false
		b.lastArticle, b.lastArticleSub = m.num, m.sub
	case stClause:
		n = b.newNode(stClause, parent, m.seg, "x"+m.seg, i)
		n.p.Label = m.seg
		if m.depth == 1 {
			b.lastTopClause = m.num
		}
	default: // outlines
		letter := map[stKind]string{stOutline1: "o", stOutline2: "q", stOutline3: "n", stOutline4: "r"}[m.kind]
		n = b.newNode(m.kind, parent, m.seg, b.scopedAlways(parent, letter+strconv.Itoa(m.num)), i)
		n.p.Label = b.outlineLabel(parent, m.seg)
	}
	n.rank = rank
	n.num = m.num
	n.headingOnly = stHeadingOnly(b.lines[i].Text)
	if n.p.Heading == "" {
		n.p.Heading = m.heading
	}
	b.appendLine(n, i)
	b.stack = append(b.stack, n)
	if m.kind == stArticle {
		n.endSent = stEndsSentence(strings.TrimSpace(b.lines[i].Text))
	}
	b.prevClean = true
}

// numberedRank places a 1. or （1） marker whose numbering restarts inside a
// run of the same markers (lost Word list levels: 1.部署网络 / 1.加快 5G 覆盖 /
// 2.推广… / 2.统筹布局): a number continuing an open node's sequence makes a
// sibling of that node; a 1 under an open bare heading of the same kind
// starts a nested list under it (labelled 1.1). It returns the rank to pop to.
func (b *structBuilder) numberedRank(i int, m stMarker, rank int) int {
	for i := len(b.stack) - 1; i >= 0; i-- {
		x := b.stack[i]
		if x.rank < stRank(m.kind, 0) {
			break
		}
		if x.kind == m.kind && m.num == x.num+1 {
			return x.rank // sibling of x
		}
	}
	if m.num != 1 || stHeadingOnly(b.lines[i].Text) {
		return rank // a bare heading restarting at 1 is a new list, not a sub-list
	}
	// a restart nests under the nearest open heading of the same kind
	for i := len(b.stack) - 1; i >= 0; i-- {
		x := b.stack[i]
		if x.rank < stRank(m.kind, 0) {
			break
		}
		if x.kind == m.kind && x.headingOnly {
			return x.rank + 1
		}
	}
	return rank
}

// outlineLabel builds 二、（三）4: the outline ancestors' segments, prefixed
// by the nearest non-outline ancestor's label.
func (b *structBuilder) outlineLabel(parent *stNode, seg string) string {
	label := seg
	for x := parent; x != nil; x = x.parent {
		switch x.kind {
		case stOutline1, stOutline2, stOutline3, stOutline4:
			if stEndsDigit(x.seg) && label[0] >= '0' && label[0] <= '9' {
				label = x.seg + "." + label // nested numbering: 1.1
			} else {
				label = x.seg + label
			}
			continue
		case stPreamble, stTOC:
			return label
		}
		if x.p.Label != "" {
			return x.p.Label + " " + label
		}
		return label
	}
	return label
}

// stHeadingOnly: a marker line that is a bare heading, not a sentence.
func stHeadingOnly(line string) bool {
	line = strings.TrimSpace(line)
	return !stEndsSentence(line) && !strings.ContainsAny(line, "。；，") && utf8.RuneCountInString(line) <= 40
}

func stEndsDigit(s string) bool {
	return s != "" && s[len(s)-1] >= '0' && s[len(s)-1] <= '9'
}

// scoped prefixes id with the parent's id only for nodes under an annex, so
// that body ids stay short (c4, a21).
func (b *structBuilder) scoped(parent *stNode, id string) string {
	for x := parent; x != nil; x = x.parent {
		if x.kind == stAnnex {
			return x.p.ID + "." + id
		}
	}
	return id
}

func (b *structBuilder) scopedAlways(parent *stNode, id string) string {
	if parent == nil || parent.kind == stPreamble || parent.kind == stTOC {
		return id
	}
	return parent.p.ID + "." + id
}

// makeNode builds a node without registering it.
func (b *structBuilder) makeNode(k stKind, parent *stNode, seg, id string, i int) *stNode {
	if parent != nil && (parent.kind == stPreamble || parent.kind == stTOC) {
		parent = nil
	}
	n := &stNode{
		p:      &library.Provision{ID: id, Kind: stProvKind(k)},
		kind:   k,
		rank:   stRank(k, 0),
		seg:    seg,
		first:  i,
		last:   i,
		parent: parent,
	}
	if parent != nil {
		n.depth = parent.depth + 1
	}
	return n
}

func (b *structBuilder) newNode(k stKind, parent *stNode, seg, id string, i int) *stNode {
	n := b.makeNode(k, parent, seg, id, i)
	b.nodes = append(b.nodes, n)
	return n
}

func stProvKind(k stKind) string {
	switch k {
	case stAnnex:
		return library.ProvAnnex
	case stPart:
		return library.ProvPart
	case stChapter:
		return library.ProvChapter
	case stSection:
		return library.ProvSection
	case stClause:
		return library.ProvClause
	case stArticle:
		return library.ProvArticle
	case stOutline1, stOutline2, stOutline3, stOutline4:
		return library.ProvOutline
	case stParagraph:
		return library.ProvParagraph
	case stItem:
		return library.ProvItem
	case stTable:
		return library.ProvTable
	}
	return library.ProvPreamble
}

func (b *structBuilder) finish() []*library.Provision {
	if len(b.nodes) == 0 {
		return nil
	}
	b.bareAnnexOutlines()
	onlyPre := len(b.nodes) == 1 && b.nodes[0].kind == stPreamble
	seen := make(map[string]int, len(b.nodes))
	out := make([]*library.Provision, 0, len(b.nodes))
	for ord, n := range b.nodes {
		p := n.p
		if c := seen[p.ID]; c > 0 {
			seen[p.ID] = c + 1
			base := p.ID
			for {
				c++
				p.ID = base + "-" + strconv.Itoa(c)
				if seen[p.ID] == 0 {
					break
				}
			}
		}
		seen[p.ID]++
		switch {
		case n.kind == stPreamble && onlyPre:
			n.seg = "正文"
		}
		if n.parent != nil {
			p.ParentID = n.parent.p.ID
			p.Path = n.parent.p.Path + " › " + n.seg
		} else {
			p.Path = n.seg
		}
		p.Depth = n.depth
		p.Ord = ord
		p.Citation = library.CitationFor(b.title, p.Label)
		if n.kind == stArticle {
			p.Text = b.joinRange(n.first, n.last)
		} else {
			p.Text = b.joinIdx(n.own)
		}
		first, last := b.lines[n.first], b.lines[n.last]
		p.Line, p.LineEnd = first.No, b.lineEnd(n.last)
		p.Offset, p.OffsetEnd = first.Offset, last.OffsetEnd
		out = append(out, p)
	}
	return out
}

// lineEnd is the last source line of cleaned line i. A Line records only
// where it starts, so a joined paragraph is taken to run up to the line
// before the next one; callers holding the raw text can trim trailing blank
// lines (see TrimLineEnds).
func (b *structBuilder) lineEnd(i int) int {
	end := b.lines[i].No
	if i+1 < len(b.lines) && b.lines[i+1].No-1 > end {
		end = b.lines[i+1].No - 1
	}
	return end
}

// bareAnnexOutlines drops the annex prefix from the outline labels of an
// annex (附件 二、（十一） → 二、（十一）) when the main text has no structure
// of its own and no other annex has the same labels: notices often carry the
// whole policy as their annex.
func (b *structBuilder) bareAnnexOutlines() {
	annexOf := func(n *stNode) *stNode {
		for x := n.parent; x != nil; x = x.parent {
			if x.kind == stAnnex {
				return x
			}
		}
		return nil
	}
	isOutline := func(n *stNode) bool {
		return n.kind == stOutline1 || n.kind == stOutline2 || n.kind == stOutline3 || n.kind == stOutline4
	}
	for _, n := range b.nodes {
		switch n.kind {
		case stAnnex, stPreamble, stTOC, stTable, stParagraph, stItem:
			continue
		}
		if annexOf(n) == nil {
			return // the main text has its own structure: annexes are appendices
		}
	}
	for _, a := range b.nodes {
		if a.kind != stAnnex {
			continue
		}
		prefix := a.p.Label + " "
		bare := map[string]*stNode{}
		for _, n := range b.nodes {
			if isOutline(n) && annexOf(n) == a && strings.HasPrefix(n.p.Label, prefix) {
				bare[strings.TrimPrefix(n.p.Label, prefix)] = n
			}
		}
		if len(bare) == 0 {
			continue
		}
		clash := false
		for _, n := range b.nodes {
			if !isOutline(n) || annexOf(n) == a {
				continue
			}
			l := n.p.Label
			if o := annexOf(n); o != nil {
				l = strings.TrimPrefix(l, o.p.Label+" ")
			}
			if bare[l] != nil {
				clash = true
				break
			}
		}
		if clash {
			continue
		}
		for l, n := range bare {
			n.p.Label = l
		}
	}
	for _, n := range b.nodes {
		if n.kind == stTable && n.parent != nil && n.parent.p.Label != "" {
			n.p.Label = n.parent.p.Label + " " + n.seg
		}
	}
}

// TrimLineEnds moves each provision's LineEnd back over blank and
// page-number lines; raw holds the source file's lines (raw[0] is line 1).
func TrimLineEnds(ps []*library.Provision, raw []string) {
	for _, p := range ps {
		for p.LineEnd > p.Line && p.LineEnd-1 < len(raw) {
			t := strings.TrimSpace(raw[p.LineEnd-1])
			if t != "" && !IsPageNumber(t) && !IsURLOnly(t) {
				break
			}
			p.LineEnd--
		}
	}
}

func (b *structBuilder) joinRange(from, to int) string {
	var sb strings.Builder
	for i := from; i <= to; i++ {
		t := strings.TrimSpace(b.lines[i].Text)
		if t == "" {
			continue
		}
		if sb.Len() > 0 {
			sb.WriteByte('\n')
		}
		sb.WriteString(t)
	}
	return sb.String()
}

func (b *structBuilder) joinIdx(idx []int) string {
	var sb strings.Builder
	for k, i := range idx {
		if k > 0 {
			sb.WriteByte('\n')
		}
		sb.WriteString(strings.TrimSpace(b.lines[i].Text))
	}
	return sb.String()
}
