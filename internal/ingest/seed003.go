package ingest

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"datalex/internal/library"
)

// Seed 003 is a document-sharing site's scrape of 《数据资产政策宝典(2024版)》:
// three advert lines, then the whole compilation on line 4 (≈101k code
// points) without a single line break. Scraper chunk markers ("N、" every
// 300 characters) and PDF page footers are glued into the text, 《》〔〕— and
// full-width (),;: were lost, and headings are doubled by fake-bold printing.
//
// The parser works on an offset-tracking rune text (s3Text) so that every
// output line, provision and source keeps 0-based code-point offsets into
// the ORIGINAL line 4, whatever was removed or inserted on the way.

// s3Line is the 1-based line of seed 003 that holds the compilation.
const s3Line = 4

// s3Text is text in which every rune remembers its code-point offset in the
// original line. Inserted runes borrow the offset of a neighbour, so offsets
// never decrease.
type s3Text struct {
	r   []rune
	off []int
}

func newS3Text(s string) s3Text {
	r := []rune(s)
	off := make([]int, len(r))
	for i := range off {
		off[i] = i
	}
	return s3Text{r: r, off: off}
}

func (t s3Text) len() int { return len(t.r) }

func (t s3Text) slice(a, b int) s3Text { return s3Text{r: t.r[a:b], off: t.off[a:b]} }

func (t s3Text) String() string { return string(t.r) }

// span returns the original [start, end) offsets covered by t.
func (t s3Text) span() (int, int) {
	if len(t.r) == 0 {
		return 0, 0
	}
	return t.off[0], t.off[len(t.off)-1] + 1
}

// hasAt reports whether t contains s at rune index i.
func (t s3Text) hasAt(i int, s string) bool {
	for _, c := range s {
		if i >= len(t.r) || t.r[i] != c {
			return false
		}
		i++
	}
	return true
}

// index returns the first rune index >= from where s occurs, or -1.
func (t s3Text) index(s string, from int) int {
	if s == "" {
		return -1
	}
	first := []rune(s)[0]
	for i := max(from, 0); i < len(t.r); i++ {
		if t.r[i] == first && t.hasAt(i, s) {
			return i
		}
	}
	return -1
}

// s3Builder accumulates runes with their offsets.
type s3Builder struct{ t s3Text }

func (b *s3Builder) add(r rune, off int) {
	b.t.r = append(b.t.r, r)
	b.t.off = append(b.t.off, off)
}

func (b *s3Builder) addText(t s3Text) {
	b.t.r = append(b.t.r, t.r...)
	b.t.off = append(b.t.off, t.off...)
}

// insert adds a rune that is not in the source, anchored at offset off.
func (b *s3Builder) insert(r rune, off int) { b.add(r, off) }

func s3IsDigit(r rune) bool { return r >= '0' && r <= '9' }

func s3IsHan(r rune) bool { return unicode.Is(unicode.Han, r) }

func s3IsCNNum(r rune) bool {
	return strings.ContainsRune("一二三四五六七八九十百零〇", r)
}

// removeChunkMarkers deletes the scraper's chunk markers "1、" … "N、" in
// sequence: for the expected number n it takes the next "、" whose preceding
// digits end with n and deletes only that suffix and the "、", so digits that
// belong to the text (a page footer, "2023" in "(2023、4-05-14)") stay. A
// plain \d+、 regex would also delete genuine enumerations such as "798/751、".
// Chunks hold 300 characters; a candidate closer than minGap characters to
// the previous marker is skipped as genuine text.
func removeChunkMarkers(t s3Text) (s3Text, int) {
	const minGap = 250
	var b s3Builder
	pos, n, lastLen := 0, 1, -1
	for {
		ns := strconv.Itoa(n)
		found := -1
		for i := pos + len(ns); i < t.len(); i++ {
			if t.r[i] != '、' || !t.hasAt(i-len(ns), ns) {
				continue
			}
			if lastLen >= 0 && b.t.len()+(i-len(ns)-pos)-lastLen < minGap {
				continue
			}
			found = i
			break
		}
		if found < 0 {
			break
		}
		b.addText(t.slice(pos, found-len(ns)))
		lastLen = b.t.len()
		pos = found + 1
		n++
	}
	b.addText(t.slice(pos, t.len()))
	return b.t, n - 1
}

// s3FooterUnits are characters that follow genuine numbers ("3 年", "50万")
// and therefore rule out a page footer.
const s3FooterUnits = "万年月日%亿元号岁倍 "

// removePageFooters deletes the PDF page numbers first…last that are glued
// into the running text ("收益分配3机制", "9112.探索" = page 91 + item 12.).
// Pages hold ~700–1000 characters, so the next footer is searched at least
// minGap characters after the previous one, except next to a section banner
// (divider pages are nearly empty). It returns the text and the number of
// footers removed.
func removePageFooters(t s3Text, first, last int) (s3Text, int) {
	const minGap = 400
	var b s3Builder
	pos, prev, removed := 0, 0, 0
	for n := first; n <= last; n++ {
		ns := strconv.Itoa(n)
		found := -1
		for i := pos; i+len(ns) <= t.len(); i++ {
			if !t.hasAt(i, ns) || !s3FooterCandidate(t, i, len(ns)) {
				continue
			}
			if n > first && i-prev < minGap && !s3NearBanner(t, i, len(ns)) {
				continue
			}
			found = i
			break
		}
		if found < 0 {
			break
		}
		b.addText(t.slice(pos, found))
		pos, prev = found+len(ns), found
		removed++
	}
	b.addText(t.slice(pos, t.len()))
	return b.t, removed
}

// s3FooterCandidate reports whether the digits t[i:i+n] can be a footer: they
// start a digit run, and are either the whole run or followed by a list
// number ("12." / "12、").
func s3FooterCandidate(t s3Text, i, n int) bool {
	if i > 0 && (s3IsDigit(t.r[i-1]) || t.r[i-1] == ' ' || t.r[i-1] == '.') {
		return false
	}
	j := i + n
	if j >= t.len() {
		return true
	}
	if s3IsDigit(t.r[j]) {
		k := j
		for k < t.len() && s3IsDigit(t.r[k]) {
			k++
		}
		return k < t.len() && (t.r[k] == '.' || t.r[k] == '、') && k+1 < t.len() && !s3IsDigit(t.r[k+1])
	}
	return !strings.ContainsRune(s3FooterUnits, t.r[j])
}

// s3NearBanner reports whether a footer candidate touches a section banner
// (B.法律法规篇, 一、国家篇, (一)北京市).
func s3NearBanner(t s3Text, i, n int) bool {
	if i > 0 && (t.r[i-1] == '篇' || t.r[i-1] == '市') {
		return true
	}
	j := i + n
	if j+1 < t.len() && t.r[j] >= 'A' && t.r[j] <= 'Z' && t.r[j+1] == '.' {
		return true
	}
	k := j
	for k < t.len() && s3IsCNNum(t.r[k]) {
		k++
	}
	if k > j && k < t.len() && t.r[k] == '、' {
		return true
	}
	if j < t.len() && t.r[j] == '(' {
		k = j + 1
		for k < t.len() && s3IsCNNum(t.r[k]) {
			k++
		}
		return k > j+1 && k < t.len() && t.r[k] == ')'
	}
	return false
}

// s3TOCEntry is one numbered line of the compilation's 目录.
type s3TOCEntry struct {
	Seq        int    // 1-based position in the TOC
	Item       int    // number printed before the title
	RawTitle   string // as printed (ASCII brackets, lost × and —)
	Date       string // YYYY-MM-DD: the issue/publication date
	Page       int    // PDF page; 0 when it could not be read
	Part       string // A.核心篇 / B.法律法规篇
	Section    string // 一、国家篇 / 二、地方篇 / 三、准则 (may be "")
	Subsection string // 一、国家篇 / （一）北京市 / 三、准则 …
	Region     string // 全国, a province, or "" for the 准则 section
	Span       [2]int // original offsets of "N.标题(日期)" in line 4
}

// s3Header is a section banner in the TOC.
type s3Header struct {
	name string
	kind int // 0 part (A.…篇), 1 一、…, 2 (一)…
}

// parseS3TOC reads the run-on 目录 that starts after "目录" in t (chunk
// markers already removed). Entries look like N.标题(YYYY-MM-DD)页码 with page
// numbers, TOC page footers (2–7), item numbers and banners glued together:
// "(2024-01-22)9726.朝阳区…" is page 97, footer 2, item 6. Digit runs are
// split under the constraints that pages do not decrease, item numbers run
// in sequence (with small gaps: 湖北 is numbered 1, 4, 5) and footers come in
// order. It returns the entries and the rune index where the body begins
// (the second "A.核心篇").
func parseS3TOC(t s3Text) ([]s3TOCEntry, int, []string, error) {
	p := t.index("目录", 0)
	if p < 0 {
		return nil, 0, nil, errors.New("seed 003: 未找到“目录”")
	}
	p += 2
	var (
		entries  []s3TOCEntry
		warnings []string
		footer   = 2
		part     string
		section  string
		sub      string
		region   string
		nextItem = 1
		prevPage = 0
		seen     = map[string]bool{}
	)
	setPending := func(page int) {
		if len(entries) > 0 && entries[len(entries)-1].Page == 0 {
			entries[len(entries)-1].Page = page
			prevPage = page
		}
	}
	for p < t.len() {
		d0, np := s3ReadDigits(t, p)
		p = np
		var hdrs []s3Header
		var hdrDigits []string
		end := false
		for {
			h, np, ok := s3ReadHeader(t, p)
			if !ok {
				break
			}
			if h.kind == 0 && s3SeenPrefix(seen, h.name) {
				// The body repeats the first banner (doubled: "A.核心篇A.核心篇").
				end = true
				break
			}
			seen[h.name] = true
			ds, np2 := s3ReadDigits(t, np)
			hdrs = append(hdrs, h)
			hdrDigits = append(hdrDigits, ds)
			p = np2
		}
		if end || len(hdrs) == 0 && d0 != "" && !t.hasAt(p, ".") {
			// The TOC is over: d0 is the last entry's page (plus noise).
			if pg, _, ok := s3SplitDigits(d0, nil, prevPage, &footer); ok {
				setPending(pg)
			} else if pg := s3PagePrefix(d0, prevPage); pg > 0 {
				setPending(pg)
			}
			return entries, p, warnings, nil
		}
		// Work out the item number from the last digit run.
		itemDigits := d0
		if len(hdrs) > 0 {
			if d0 != "" {
				if pg, _, ok := s3SplitDigits(d0, nil, prevPage, &footer); ok {
					setPending(pg)
				}
			}
			for i, h := range hdrs {
				switch h.kind {
				case 0:
					part, section, sub, region = h.name, "", "", ""
					if strings.Contains(h.name, "核心") {
						region = "全国"
					}
				case 1:
					section, sub = h.name, h.name
					region = ""
					if strings.Contains(h.name, "国家") {
						region = "全国"
					}
				case 2:
					sub = s3FullWidthBrackets(h.name)
					region = s3RegionOf(h.name)
				}
				nextItem = 1
				if i < len(hdrs)-1 {
					if pg, _, ok := s3SplitDigits(hdrDigits[i], nil, prevPage, &footer); ok {
						prevPage = pg
					}
				}
			}
			itemDigits = hdrDigits[len(hdrs)-1]
		}
		if !t.hasAt(p, ".") {
			return entries, p, warnings, fmt.Errorf("seed 003: 目录第 %d 条之后无法解析", len(entries))
		}
		want := []int{nextItem, nextItem + 1, nextItem + 2, nextItem + 3}
		pg, item, ok := s3SplitDigits(itemDigits, want, prevPage, &footer)
		if !ok {
			return entries, p, warnings, fmt.Errorf("seed 003: 目录条目序号无法识别（%q）", itemDigits)
		}
		if len(hdrs) > 0 {
			prevPage = pg // the section's own page
		} else {
			setPending(pg)
		}
		if item != nextItem {
			warnings = append(warnings, fmt.Sprintf("seed 003 目录：%s 序号从 %d 跳到 %d（原文缺失）", sub, nextItem, item))
		}
		nextItem = item + 1
		ds, de := s3FindTOCDate(t, p+1)
		if ds < 0 {
			return entries, p, warnings, fmt.Errorf("seed 003: 目录条目 %d 缺少日期", len(entries)+1)
		}
		itemStart := p - len(strconv.Itoa(item))
		entries = append(entries, s3TOCEntry{
			Span:       [2]int{t.off[max(itemStart, 0)], t.off[de-1] + 1},
			Seq:        len(entries) + 1,
			Item:       item,
			RawTitle:   strings.TrimSpace(t.slice(p+1, ds).String()),
			Date:       t.slice(ds+1, de-1).String(),
			Part:       part,
			Section:    section,
			Subsection: sub,
			Region:     region,
		})
		p = de
	}
	return entries, p, warnings, errors.New("seed 003: 目录没有结束")
}

func s3SeenPrefix(seen map[string]bool, name string) bool {
	for s := range seen {
		if strings.HasPrefix(name, s) {
			return true
		}
	}
	return false
}

func s3ReadDigits(t s3Text, p int) (string, int) {
	q := p
	for q < t.len() && s3IsDigit(t.r[q]) {
		q++
	}
	return string(t.r[p:q]), q
}

// s3ReadHeader reads a TOC banner at p ("A.核心篇", "一、国家篇",
// "(二十八)新疆维吾尔自治区 ") up to the next digit.
func s3ReadHeader(t s3Text, p int) (s3Header, int, bool) {
	if p+1 >= t.len() {
		return s3Header{}, p, false
	}
	kind := -1
	switch r := t.r[p]; {
	case r >= 'A' && r <= 'Z' && t.r[p+1] == '.':
		kind = 0
	case s3IsCNNum(r):
		q := p
		for q < t.len() && s3IsCNNum(t.r[q]) {
			q++
		}
		if q < t.len() && t.r[q] == '、' {
			kind = 1
		}
	case r == '(':
		q := p + 1
		for q < t.len() && s3IsCNNum(t.r[q]) {
			q++
		}
		if q > p+1 && q < t.len() && t.r[q] == ')' {
			kind = 2
		}
	}
	if kind < 0 {
		return s3Header{}, p, false
	}
	q := p
	for q < t.len() && !s3IsDigit(t.r[q]) && q-p < 40 {
		q++
	}
	if q >= t.len() || !s3IsDigit(t.r[q]) {
		return s3Header{}, p, false
	}
	return s3Header{name: strings.TrimSpace(string(t.r[p:q])), kind: kind}, q, true
}

// s3SplitDigits splits a glued digit run into page [+ footer] [+ item]. With
// want == nil the run holds no item number. The page must lie in
// [minPage, 1100]; a run ending in the expected footer prefers the reading
// with the footer (page 97 + footer 2 rather than page 972).
func s3SplitDigits(ds string, want []int, minPage int, footer *int) (page, item int, ok bool) {
	valid := func(s string) (int, bool) {
		if s == "" || s[0] == '0' || len(s) > 4 {
			return 0, false
		}
		n, err := strconv.Atoi(s)
		return n, err == nil && n >= minPage && n <= 1100
	}
	try := func(rest string) (int, bool) {
		fs := strconv.Itoa(*footer)
		if strings.HasSuffix(rest, fs) {
			if pg, ok := valid(strings.TrimSuffix(rest, fs)); ok {
				*footer++
				return pg, true
			}
		}
		return valid(rest)
	}
	if want == nil {
		pg, ok := try(ds)
		return pg, 0, ok
	}
	for _, w := range want {
		ws := strconv.Itoa(w)
		if !strings.HasSuffix(ds, ws) {
			continue
		}
		if pg, ok := try(strings.TrimSuffix(ds, ws)); ok {
			return pg, w, true
		}
	}
	return 0, 0, false
}

// s3PagePrefix returns the longest prefix of ds that is a plausible page.
func s3PagePrefix(ds string, minPage int) int {
	for n := min(len(ds), 4); n > 0; n-- {
		if v, err := strconv.Atoi(ds[:n]); err == nil && v >= minPage && v <= 1100 {
			return v
		}
	}
	return 0
}

// s3FindTOCDate finds the next "(YYYY-MM-DD)" at or after p and returns its
// rune span.
func s3FindTOCDate(t s3Text, p int) (int, int) {
	for i := p; i+12 <= t.len(); i++ {
		if t.r[i] == '(' && s3IsDateAt(t, i+1) && t.r[i+11] == ')' {
			return i, i + 12
		}
	}
	return -1, -1
}

func s3IsDateAt(t s3Text, i int) bool {
	if i+10 > t.len() {
		return false
	}
	for k := 0; k < 10; k++ {
		r := t.r[i+k]
		if k == 4 || k == 7 {
			if r != '-' {
				return false
			}
		} else if !s3IsDigit(r) {
			return false
		}
	}
	return true
}

// s3RegionOf maps a 地方篇 banner such as "(二十八)新疆维吾尔自治区" to the
// region name used by the library (新疆).
func s3RegionOf(banner string) string {
	name := banner
	if i := strings.Index(name, ")"); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(name)
	for _, suf := range []string{"维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市"} {
		if strings.HasSuffix(name, suf) {
			return strings.TrimSuffix(name, suf)
		}
	}
	return name
}

// s3FullWidthBrackets turns ASCII brackets into full-width ones.
func s3FullWidthBrackets(s string) string {
	return strings.NewReplacer("(", "（", ")", "）").Replace(s)
}

// s3Doc is a document of seed 003 that has body text.
type s3Doc struct {
	entry    s3TOCEntry
	heading  [2]int // original offsets of the doubled heading
	body     s3Text // raw body (markers and footers removed), heading excluded
	shingles map[string]bool
	list     []string // shingles in text order
}

// locateS3Docs finds, in TOC order, the body heading of each entry: the item
// number and title followed by "(date)". The headings are doubled or
// interleaved by fake-bold printing ("1.关于…意见(关于…意见(2023-12-31)"), so
// only the item number, the first title characters and the date are used.
// The body stops at page 119: the first entry whose heading is missing ends
// the search.
func locateS3Docs(body s3Text, entries []s3TOCEntry, banners []string) []s3Doc {
	type hit struct{ start, end int }
	var hits []hit
	var found []s3TOCEntry
	seenTitle := map[string]bool{}
	cursor := 0
	for _, e := range entries {
		if seenTitle[e.RawTitle] {
			continue
		}
		seenTitle[e.RawTitle] = true
		di := body.index("("+e.Date+")", cursor)
		if di < 0 {
			break
		}
		prefix := strconv.Itoa(e.Item) + "." + string([]rune(e.RawTitle)[:min(2, len([]rune(e.RawTitle)))])
		window := 3*len([]rune(e.RawTitle)) + 40
		hs := -1
		for i := di - len([]rune(prefix)); i >= max(cursor, di-window); i-- {
			if body.hasAt(i, prefix) {
				hs = i
				break
			}
		}
		if hs < 0 {
			break
		}
		hits = append(hits, hit{hs, di + 12})
		found = append(found, e)
		cursor = di + 12
	}
	docs := make([]s3Doc, len(hits))
	for i, h := range hits {
		end := body.len()
		if i+1 < len(hits) {
			end = hits[i+1].start
		}
		b := s3TrimBanners(body.slice(h.end, end), banners)
		docs[i] = s3Doc{entry: found[i], body: b}
		docs[i].heading[0], docs[i].heading[1] = body.off[h.start], body.off[h.end-1]+1
	}
	return docs
}

// s3TrimBanners removes trailing section banners (doubled, like
// "B.法律法规篇B.法律法规篇一、国家篇一、国家篇") from the end of a document.
func s3TrimBanners(t s3Text, banners []string) s3Text {
	for changed := true; changed; {
		changed = false
		for t.len() > 0 && t.r[t.len()-1] == ' ' {
			t = t.slice(0, t.len()-1)
		}
		for _, b := range banners {
			br := []rune(b)
			if n := len(br); n > 0 && t.len() >= n && t.hasAt(t.len()-n, b) {
				t = t.slice(0, t.len()-n)
				changed = true
			}
		}
	}
	return t
}

// cleanS3Text repairs what the extraction lost inside a document body:
// 〔〕 around years in document numbers, — in year ranges, spaces between
// CJK and digits, letter-spaced words, and ASCII punctuation.
func cleanS3Text(t s3Text) s3Text {
	t = s3RestoreBrackets(t)
	t = s3DropSpaces(t)
	return s3FullWidthPunct(t)
}

// s3RestoreBrackets turns "财资2023141 号" into "财资〔2023〕141 号" and
// "20242026 年" into "2024—2026 年".
func s3RestoreBrackets(t s3Text) s3Text {
	var b s3Builder
	for i := 0; i < t.len(); {
		if !s3IsDigit(t.r[i]) || (i > 0 && s3IsDigit(t.r[i-1])) {
			b.add(t.r[i], t.off[i])
			i++
			continue
		}
		j := i
		for j < t.len() && s3IsDigit(t.r[j]) {
			j++
		}
		run := string(t.r[i:j])
		k := j
		if k < t.len() && t.r[k] == ' ' {
			k++
		}
		switch {
		case len(run) == 8 && run[:2] == "20" && run[4:6] == "20":
			b.addText(t.slice(i, i+4))
			b.insert('—', t.off[i+4])
			b.addText(t.slice(i+4, j))
		case len(run) >= 5 && len(run) <= 8 && run[:2] == "20" && i > 0 && s3IsHan(t.r[i-1]) &&
			k < t.len() && t.r[k] == '号':
			b.insert('〔', t.off[i])
			b.addText(t.slice(i, i+4))
			b.insert('〕', t.off[i+3])
			b.addText(t.slice(i+4, j))
		default:
			b.addText(t.slice(i, j))
		}
		i = j
	}
	return b.t
}

// s3DropSpaces deletes spaces between CJK characters and digits ("2024 年
// 10 月") and inside letter-spaced runs ("登 记 平 台").
func s3DropSpaces(t s3Text) s3Text {
	drop := make([]bool, t.len())
	for i := 1; i+1 < t.len(); i++ {
		if t.r[i] != ' ' {
			continue
		}
		a, c := t.r[i-1], t.r[i+1]
		if (s3IsHan(a) && s3IsDigit(c)) || (s3IsDigit(a) && s3IsHan(c)) {
			drop[i] = true
		}
	}
	// Letter spacing: at least 4 Han characters separated by single spaces.
	for i := 0; i < t.len(); {
		if !s3IsHan(t.r[i]) {
			i++
			continue
		}
		j := i
		for j+2 < t.len() && t.r[j+1] == ' ' && s3IsHan(t.r[j+2]) {
			j += 2
		}
		if (j-i)/2 >= 3 {
			for k := i + 1; k < j; k += 2 {
				drop[k] = true
			}
		}
		i = j + 1
	}
	var b s3Builder
	for i := range t.r {
		if !drop[i] {
			b.add(t.r[i], t.off[i])
		}
	}
	return b.t
}

// s3FullWidthPunct converts ASCII (),;:!? to full width, except between
// digits ("10:30", "1,000") and in URLs.
func s3FullWidthPunct(t s3Text) s3Text {
	out := s3Text{r: append([]rune(nil), t.r...), off: t.off}
	for i, r := range out.r {
		prevDigit := i > 0 && s3IsDigit(t.r[i-1])
		nextDigit := i+1 < t.len() && s3IsDigit(t.r[i+1])
		switch r {
		case '(':
			out.r[i] = '（'
		case ')':
			out.r[i] = '）'
		case ',':
			if !(prevDigit && nextDigit) {
				out.r[i] = '，'
			}
		case ';':
			out.r[i] = '；'
		case ':':
			if !(prevDigit && nextDigit) && !(i+1 < t.len() && t.r[i+1] == '/') {
				out.r[i] = '：'
			}
		case '!':
			out.r[i] = '！'
		case '?':
			out.r[i] = '？'
		}
	}
	return out
}

// splitS3Lines inserts the line breaks the extraction lost: before 第X章/节 at a sentence
// end, before 第X条 only at a sentence end or right after a chapter title (a
// cross-reference such as 本规定第三条 stays inline), and before 一、 /
// （一） / 1. / （1） at a sentence end.
func splitS3Lines(t s3Text) []s3Text {
	breaks := make([]bool, t.len())
	lastBreak := 0
	for i := 1; i < t.len(); i++ {
		n := s3MarkerAt(t, i)
		if n == 0 {
			continue
		}
		prev := t.r[i-1]
		sentenceEnd := strings.ContainsRune("。；：！？", prev) || s3AfterNote(t, i)
		// A heading line without punctuation (第一章 总则 / 一、总体要求)
		// followed closely by the next marker.
		afterHeading := i-lastBreak <= 30 && s3HeadingMarker(t, lastBreak) &&
			!s3HasPunct(t.slice(lastBreak+s3MarkerAt(t, lastBreak), i))
		if sentenceEnd || afterHeading {
			breaks[i] = true
			lastBreak = i
		}
	}
	var lines []s3Text
	start := 0
	for i := 1; i <= t.len(); i++ {
		if i == t.len() || breaks[i] {
			l := s3TrimSpaces(t.slice(start, i))
			if l.len() > 0 {
				lines = append(lines, l)
			}
			start = i
		}
	}
	return s3SplitListTail(lines)
}

// s3SplitListTail starts a new paragraph after the last item of a list of
// one-sentence items: in "（二）…；（三）…提供审计服务的。会计师事务所从事…"
// the text after the first 。 of （三） is the article's next paragraph (款),
// glued on because the extraction lost the line break.
func s3SplitListTail(lines []s3Text) []s3Text {
	var out []s3Text
	for i, l := range lines {
		isItem := func(x s3Text) bool { return x.len() > 0 && x.r[0] == '（' && s3MarkerAt(x, 0) > 0 }
		if i == 0 || !isItem(l) || !isItem(lines[i-1]) || lines[i-1].r[lines[i-1].len()-1] != '；' ||
			(i+1 < len(lines) && isItem(lines[i+1])) {
			out = append(out, l)
			continue
		}
		cut := -1
		for k, r := range l.r {
			if r == '。' {
				cut = k + 1
				break
			}
		}
		if cut < 0 || l.len()-cut < 10 {
			out = append(out, l)
			continue
		}
		out = append(out, l.slice(0, cut), l.slice(cut, l.len()))
	}
	return out
}

// s3AfterNote reports whether i follows a bracketed note closing a sentence,
// as in "…难关。（市人才工作局）（二）支持…".
func s3AfterNote(t s3Text, i int) bool {
	if t.r[i-1] != '）' {
		return false
	}
	for j := i - 2; j > 0 && j >= i-60; j-- {
		switch t.r[j] {
		case '（':
			return strings.ContainsRune("。；", t.r[j-1])
		case '）', '。':
			return false
		}
	}
	return false
}

// s3HeadingMarker reports whether a line starting at i opens with a marker
// that is followed by a short title (第一章 总则, 一、总体要求, （一）…), as
// opposed to an article, whose text runs on.
func s3HeadingMarker(t s3Text, i int) bool {
	n := s3MarkerAt(t, i)
	return n > 0 && !(t.r[i] == '第' && t.r[i+n-1] == '条')
}

func s3HasPunct(t s3Text) bool {
	for _, r := range t.r {
		if strings.ContainsRune("。；：！？，、", r) {
			return true
		}
	}
	return false
}

func s3TrimSpaces(t s3Text) s3Text {
	a, b := 0, t.len()
	for a < b && unicode.IsSpace(t.r[a]) {
		a++
	}
	for b > a && unicode.IsSpace(t.r[b-1]) {
		b--
	}
	return t.slice(a, b)
}

// s3MarkerAt returns the length of a structural marker starting at i
// (第X章 / 第X节 / 第X条 / 一、 / （一） / 1. / （1）), or 0.
func s3MarkerAt(t s3Text, i int) int {
	r := t.r[i]
	switch {
	case r == '第':
		j := i + 1
		for j < t.len() && s3IsCNNum(t.r[j]) {
			j++
		}
		if j > i+1 && j < t.len() && strings.ContainsRune("章节条", t.r[j]) {
			// "第三条、第四条" / "第五条规定" are references, not headings.
			if t.r[j] == '条' && j+1 < t.len() && strings.ContainsRune("规、至和或第的中之及款", t.r[j+1]) {
				return 0
			}
			return j + 1 - i
		}
	case s3IsCNNum(r):
		if i > 0 && s3IsCNNum(t.r[i-1]) {
			return 0
		}
		j := i
		for j < t.len() && s3IsCNNum(t.r[j]) {
			j++
		}
		if j < t.len() && t.r[j] == '、' && j-i <= 3 {
			return j + 1 - i
		}
	case r == '（':
		j := i + 1
		for j < t.len() && (s3IsCNNum(t.r[j]) || s3IsDigit(t.r[j])) {
			j++
		}
		if j > i+1 && j-i <= 4 && j < t.len() && t.r[j] == '）' {
			return j + 1 - i
		}
	case s3IsDigit(r):
		if i > 0 && s3IsDigit(t.r[i-1]) {
			return 0
		}
		j := i
		for j < t.len() && s3IsDigit(t.r[j]) {
			j++
		}
		if j-i <= 2 && j+1 < t.len() && t.r[j] == '.' && !s3IsDigit(t.r[j+1]) {
			return j + 1 - i
		}
	}
	return 0
}

// ParseSeed003 parses seed 003 (数据资产政策宝典(2024版) scraped onto one
// line). Every distinct TOC entry becomes one version: the 20 documents whose
// text is present get provisions; the others are catalogue records (Kind
// catalogue, flag no_text) whose source offsets point at their TOC line.
// Every line and provision carries code-point offsets into the original
// line 4. The 《》 of the original were deleted by the scrape, so no
// citations are extracted.
//
// The compilation's own bookkeeping goes into Tags, not invented fields:
// "宝典目录:B.法律法规篇 › （一）北京市 4." for each listing (two for the three
// documents listed twice), "宝典页码:p.86" for each listing's PDF page, and
// "主送:…" for an addressee line. IssueDate is the TOC date.
func ParseSeed003(name string, data []byte) (*Parsed, error) {
	lines := strings.Split(string(data), "\n")
	if len(lines) < s3Line {
		return nil, fmt.Errorf("%s: 不是数据资产政策宝典（少于 %d 行）", name, s3Line)
	}
	raw := strings.TrimRight(lines[s3Line-1], "\r")
	t, markers := removeChunkMarkers(newS3Text(raw))
	entries, bodyStart, warnings, err := parseS3TOC(t)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	res := &Parsed{File: name, Warnings: warnings}
	res.Warnings = append(res.Warnings, fmt.Sprintf("seed 003：删除抓取分块标记 %d 个", markers))
	body, footers := removePageFooters(t.slice(bodyStart, t.len()), 2, 119)
	res.Warnings = append(res.Warnings, fmt.Sprintf("seed 003：删除页脚 %d 个（2–%d）", footers, footers+1))

	var banners []string
	for _, e := range entries {
		for _, b := range []string{e.Part, e.Section, e.Subsection} {
			if b != "" {
				banners = append(banners, strings.NewReplacer("（", "(", "）", ")").Replace(b))
			}
		}
	}
	docs := locateS3Docs(body, entries, banners)
	byTitle := map[string]*s3Doc{}
	for i := range docs {
		byTitle[docs[i].entry.RawTitle] = &docs[i]
	}

	versions := map[string]*library.Version{}
	for _, e := range entries {
		if v, dup := versions[e.RawTitle]; dup {
			// Listed twice (national document repeated under a province).
			v.Tags = append(v.Tags, s3ListingTag(e), fmt.Sprintf("宝典页码:p.%d", e.Page))
			continue
		}
		v := s3Version(name, e, byTitle[e.RawTitle], docs)
		versions[e.RawTitle] = v
		res.Versions = append(res.Versions, v)
	}
	return res, nil
}

// s3ListingTag records where a document is listed in the compilation.
func s3ListingTag(e s3TOCEntry) string {
	parts := []string{e.Part}
	if e.Subsection != "" {
		parts = append(parts, e.Subsection)
	}
	return fmt.Sprintf("宝典目录:%s %d.", strings.Join(parts, " › "), e.Item)
}

// s3Version builds the version for one distinct TOC entry; doc is nil for
// entries without text.
func s3Version(file string, e s3TOCEntry, doc *s3Doc, all []s3Doc) *library.Version {
	title := s3NormTitle(e.RawTitle)
	v := &library.Version{
		Kind:       library.KindCatalogue,
		Title:      title,
		Aliases:    []string{},
		Issuers:    []string{},
		IssueDate:  e.Date,
		Region:     e.Region,
		Part:       e.Part,
		Subsection: e.Subsection,
		Tags:       []string{s3ListingTag(e)},
		Flags:      []string{},
		Seq:        e.Seq,
		Provenance: map[string]library.Provenance{},
	}
	if e.Page > 0 {
		v.Tags = append(v.Tags, fmt.Sprintf("宝典页码:p.%d", e.Page))
	}
	tocProv := library.Provenance{File: file, Line: s3Line, Note: "目录"}
	v.Provenance["title"] = tocProv
	v.Provenance["issue_date"] = library.Provenance{File: file, Line: s3Line, Note: "目录日期（发布/印发日期）"}
	v.Provenance["part"] = tocProv
	v.Provenance["subsection"] = tocProv
	if v.Region == "" {
		v.Region = s3RegionFromTitle(title)
		if v.Region != "" {
			v.Provenance["region"] = library.Provenance{File: file, Line: s3Line, Note: "由标题推断"}
		}
	} else {
		v.Provenance["region"] = library.Provenance{File: file, Line: s3Line, Note: "由目录分区推断"}
	}
	if st := s3StatusFromTitle(title); st != "" {
		v.Status = st
		v.Provenance["status"] = library.Provenance{File: file, Line: s3Line, Note: "由标题推断"}
	}
	if lv := s3LevelFromTitle(title, v.Region); lv != "" {
		v.Level = lv
		v.Provenance["level"] = library.Provenance{File: file, Line: s3Line, Note: "由标题和地区推断"}
	}
	if iss := s3IssuerFromTitle(title); iss != "" {
		v.Issuers = []string{iss}
		v.Provenance["issuers"] = library.Provenance{File: file, Line: s3Line, Note: "由标题推断"}
		// A department's or a local government office's notice or opinion
		// is a 规范性文件 (the rule used for seeds 000 and 002 as well).
		if v.Level == library.LevelPolicy {
			v.Level = library.LevelNormative
		}
	}
	if doc == nil {
		v.Flags = append(v.Flags, library.FlagNoText)
		// The only place the entry is found is its TOC line.
		v.Sources = []library.Source{{File: file, FirstLine: s3Line, LastLine: s3Line, Offset: e.Span[0], OffsetEnd: e.Span[1]}}
		return v
	}
	v.Kind = library.KindRegulation
	text := cleanS3Text(doc.body)
	lines := splitS3Lines(text)
	out := make([]Line, len(lines))
	style := StyleOutline
	for i, l := range lines {
		a, b := l.span()
		out[i] = Line{Text: l.String(), No: s3Line, Offset: a, OffsetEnd: b}
		if s3MarkerAt(l, 0) > 0 && l.r[0] == '第' && strings.ContainsRune(string(l.r[:min(l.len(), 6)]), '条') {
			style = StyleLegal
		}
	}
	_, end := doc.body.span()
	v.Sources = []library.Source{{File: file, FirstLine: s3Line, LastLine: s3Line, Offset: doc.heading[0], OffsetEnd: end}}
	if len(out) > 0 {
		if m := s3AddresseeRe.FindStringSubmatch(out[0].Text); m != nil {
			v.Tags = append(v.Tags, "主送:"+m[1])
		}
	}
	v.Provisions = Structure(title, out, style)
	s3TextMeta(file, v, text)
	if doc == &all[len(all)-1] {
		v.AddFlag(library.FlagTruncated)
	}
	if dup := s3ContainedIn(doc, all); dup != "" {
		// No library flag says "wrong text"; the tag keeps the defect visible.
		v.Tags = append(v.Tags, "正文疑为《"+dup+"》的文本，本文件正文缺失")
	}
	return v
}

// s3NormTitle repairs a TOC title: lost — in year ranges, lost × in
// “数据要素×”, spaces next to digits, ASCII brackets.
func s3NormTitle(raw string) string {
	t := s3RestoreBrackets(newS3Text(raw))
	t = s3DropSpaces(t)
	s := s3FullWidthBrackets(t.String())
	s = strings.ReplaceAll(s, "“数据要素”", "“数据要素×”")
	return s3YearDashRe.ReplaceAllString(s, "$1—$2")
}

// s3StatusFromTitle reads the validity status from a bracketed title flag.
func s3StatusFromTitle(title string) string {
	switch {
	case strings.Contains(title, "征求意见稿"):
		return library.StatusDraft
	case strings.Contains(title, "（草案）"):
		return library.StatusBill
	case strings.Contains(title, "（试行）"):
		return library.StatusTrial
	case strings.Contains(title, "暂行"):
		return library.StatusInterim
	}
	return ""
}

// s3LevelFromTitle infers 效力级别 only where the title's form makes it
// clear: 条例 (local or administrative regulation), policy documents
// (方案/计划/意见/…) and a 政策解读. 办法/细则/规定/指南 stay unknown: they
// may be rules, normative documents or standards.
func s3LevelFromTitle(title, region string) string {
	base := title
	for strings.HasSuffix(base, "）") {
		i := strings.LastIndex(base, "（")
		if i < 0 {
			break
		}
		if strings.Contains(base[i:], "解读") {
			return library.LevelCommentary
		}
		base = base[:i]
	}
	switch {
	case strings.HasSuffix(base, "条例"):
		if region == "全国" {
			return library.LevelAdminRegs
		}
		if region != "" {
			return library.LevelLocalRegs
		}
	case strings.HasSuffix(base, "规划"):
		return library.LevelPlanningGuide
	}
	for _, suf := range []string{"方案", "计划", "意见", "要点", "措施", "通知", "政策", "宣言", "清单", "发展"} {
		if strings.HasSuffix(base, suf) {
			return library.LevelPolicy
		}
	}
	return ""
}

// s3IssuerFromTitle returns an issuing body named before 关于 in the title
// ("北京市财政局关于…"), if the prefix names an organ.
func s3IssuerFromTitle(title string) string {
	i := strings.Index(title, "关于")
	if i <= 0 {
		return ""
	}
	p := title[:i]
	for _, suf := range []string{"局", "厅", "委员会", "委", "办公室", "部", "院", "人民政府", "政府"} {
		if strings.HasSuffix(p, suf) {
			return p
		}
	}
	return ""
}

// s3Provinces are the region names that may open a 准则 title.
var s3Provinces = []string{"北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
	"福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海",
	"内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门", "台湾"}

// s3RegionFromTitle infers the region of a 准则 entry from its title
// (浙江省…, 中国（天津）自由贸易试验区…); other standards are national.
func s3RegionFromTitle(title string) string {
	t := strings.TrimPrefix(title, "中国（")
	for _, p := range s3Provinces {
		if strings.HasPrefix(t, p) {
			return p
		}
	}
	return "全国"
}

// s3TextMeta reads metadata stated in the body: the effective date and the
// bodies named in the interpretation clause (本办法由…负责解释).
func s3TextMeta(file string, v *library.Version, text s3Text) {
	s := text.String()
	rs := []rune(s)
	prov := func(byteIdx int, note string) library.Provenance {
		ri := len([]rune(s[:byteIdx]))
		return library.Provenance{File: file, Line: s3Line, Note: fmt.Sprintf("偏移 %d：%s", text.off[min(ri, len(rs)-1)], note)}
	}
	if m := s3EffectiveRe.FindStringSubmatchIndex(s); m != nil {
		clause := s[m[0]:m[1]]
		switch {
		case m[2] >= 0:
			if d := s3Date(s[m[2]:m[3]], s[m[4]:m[5]], s[m[6]:m[7]]); d != "" {
				v.EffectiveDate = d
				v.Provenance["effective_date"] = prov(m[0], clause)
			}
		case v.IssueDate != "":
			v.EffectiveDate = v.IssueDate
			v.Provenance["effective_date"] = prov(m[0], clause+"（取目录日期）")
		}
	}
	if len(v.Issuers) == 0 {
		if m := s3InterpretRe.FindStringSubmatchIndex(s); m != nil {
			var iss []string
			for _, x := range strings.Split(s[m[2]:m[3]], "、") {
				x = strings.TrimSpace(x)
				if len([]rune(x)) < 3 || strings.HasPrefix(x, "市") || strings.HasPrefix(x, "省") {
					iss = nil
					break
				}
				iss = append(iss, x)
			}
			if len(iss) > 0 {
				v.Issuers = iss
				v.Provenance["issuers"] = prov(m[0], "解释条款")
			}
		}
	}
}

var (
	// An addressee list opening a notice: "各有关单位、各区财政局：现将…".
	s3AddresseeRe = regexp.MustCompile(`^((?:各|党中央)[^。：]{2,200}?)：`)
	s3YearDashRe  = regexp.MustCompile(`(20\d\d)\s*[-－–]\s*(20\d\d)`)
	s3EffectiveRe = regexp.MustCompile(`自(?:(\d{4})年(\d{1,2})月(\d{1,2})日|(?:印发|公布|发布)之日)起(?:施行|试行|实施)`)
	s3InterpretRe = regexp.MustCompile(`本 ?(?:办法|规定|细则|指引|意见|方案|通知)由([^。，；]{2,60}?)负责解释`)
)

func s3Date(y, m, d string) string {
	mi, err1 := strconv.Atoi(m)
	di, err2 := strconv.Atoi(d)
	if err1 != nil || err2 != nil || mi < 1 || mi > 12 || di < 1 || di > 31 {
		return ""
	}
	return fmt.Sprintf("%s-%02d-%02d", y, mi, di)
}

// s3ContainedIn returns the title of another document whose text is nearly
// identical to doc's (≥90% of doc's 15-character shingles occur in it), and
// whose title doc's text names less well: the compilation printed 朝阳区 #5's
// text under #4's heading, so #4's own text is missing. The overlap is
// estimated on every 8th shingle, which is plenty for a 90% threshold.
func s3ContainedIn(doc *s3Doc, all []s3Doc) string {
	var mine []string
	for i := range all {
		o := &all[i]
		// A text printed twice starts the same way; comparing openings
		// first keeps the shingle sets from being built for every pair.
		if o == doc || s3Opening(o.body) != s3Opening(doc.body) {
			continue
		}
		if mine == nil {
			mine = doc.shingleList()
		}
		if len(mine) == 0 || float64(len(o.shingleList())) < 0.9*float64(len(mine)) {
			continue
		}
		theirs := o.shingleSet()
		shared, sampled := 0, 0
		for k := 0; k < len(mine); k += 8 {
			sampled++
			if theirs[mine[k]] {
				shared++
			}
		}
		if float64(shared) < 0.9*float64(sampled) {
			continue
		}
		// Both texts are the same: the one whose title's core is named in
		// the text keeps it.
		if !s3NamesOwnTitle(doc) && s3NamesOwnTitle(o) {
			return s3NormTitle(o.entry.RawTitle)
		}
	}
	return ""
}

// s3Opening returns the first 30 non-space characters of t.
func s3Opening(t s3Text) string {
	var b []rune
	for _, r := range t.r {
		if len(b) == 30 {
			break
		}
		if !unicode.IsSpace(r) {
			b = append(b, r)
		}
	}
	return string(b)
}

// shingleList returns the document's distinct shingles in text order.
func (d *s3Doc) shingleList() []string {
	if d.shingles == nil {
		d.shingles = map[string]bool{}
		const n = 15
		var rs []rune
		for _, r := range d.body.r {
			if !unicode.IsSpace(r) {
				rs = append(rs, r)
			}
		}
		for i := 0; i+n <= len(rs); i++ {
			k := string(rs[i : i+n])
			if !d.shingles[k] {
				d.shingles[k] = true
				d.list = append(d.list, k)
			}
		}
	}
	return d.list
}

// shingleSet returns the document's shingles as a set.
func (d *s3Doc) shingleSet() map[string]bool {
	d.shingleList()
	return d.shingles
}

// s3NamesOwnTitle reports whether the document's text uses the last four
// characters of its title (ignoring bracketed flags), e.g. 若干措施.
func s3NamesOwnTitle(d *s3Doc) bool {
	title := d.entry.RawTitle
	for strings.HasSuffix(title, ")") {
		i := strings.LastIndex(title, "(")
		if i < 0 {
			break
		}
		title = title[:i]
	}
	r := []rune(title)
	if len(r) < 4 {
		return true
	}
	return strings.Contains(d.body.String(), string(r[len(r)-4:]))
}
