package ingest

import (
	"errors"
	"regexp"
	"strings"
	"unicode/utf8"

	"datalex/internal/library"
)

// Seed 001 is 《数据资产新赛道全国法规政策汇编 2024版》: 334 documents in five
// parts (一、国家纲领性文件 … 五、重点行业性文件), parts 三–五 split into 43
// sub-sections by topic, province or sector. A document starts at a title
// line N、《short title》, usually followed by its formal title; two documents
// have no title line and start at a compiler subtitle "Title（YYYY-MM-DD）".
// See /work/shared/notes/seed-001-compilation.md.
//
// Choices made here:
//   - Title is the printed title (without N、《》) unless the formal title
//     extends it (a cut-off title, or a missing （试行）); typos the notes list
//     are repaired. The printed form, the formal title and the short name
//     stay as Aliases, so the title as printed always finds the version.
//   - The preface and platform introduction (lines 1–92) are not documents.
//   - Region: parts 一–三 are 全国, part 四 the sub-section's province (City
//     from the title), part 五 only what the title names. Sector: part 五's
//     sub-section without 行业.
//   - IssueDate: the compiler's date after the formal title, else a
//     promulgation note, else a date line of the signature. DocNumber only
//     from a line that is nothing but the number, a promulgation note with a
//     令 number, or the title; numbers cited in running text are ignored.
//   - Tables stay tables: Structure makes each run of table lines a
//     ProvTable node whose Text is the rows joined by "\n", one flattened PDF
//     cell per row as printed (columns are not rebuilt); articles include
//     their tables in their own Text.
//   - Provision LineEnd is the last text line of the provision in the file
//     (trailing blank and page-number lines trimmed).

var (
	reS1Part       = regexp.MustCompile(`^([一二三四五])、(\S{2,10}性文件)$`)
	reS1Subsection = regexp.MustCompile(`^（([一二三四五六七八九十]+)）(.{1,12})$`)
	reS1Title      = regexp.MustCompile(`^(\d{1,3})、《(.*)$`)
	// the compiler's date after a formal title: …管理办法(试行)（2022-12-23）
	reS1CompilerDate = regexp.MustCompile(`[（(]\s*(\d{4})\s*[-－]\s*(\d{1,2})\s*[-－]\s*(\d{1,2})\s*[）)]\s*$`)
	reS1DateAnywhere = regexp.MustCompile(`[（(]\s*\d{4}\s*[-－]\s*\d{1,2}\s*[-－]\s*\d{1,2}\s*[）)]`)
	reS1PromNote     = regexp.MustCompile(`^\s*[（(]\s*\d{4}\s*年`)
	reS1StdCode      = regexp.MustCompile(`\b(GB|JR|YD|DL|CJJ|CJ|GA|WS|JT|SJ)\s*/?\s*[TZ]?\s*\d+(\.\d+)?\s*[-—–]\s*\d{4}`)
)

// s1Doc is one document found in the compilation; indices are 0-based into
// the file's lines.
type s1Doc struct {
	start      int // first line (the N、《 title line, or the subtitle)
	body       int // first line after the title line(s)
	end        int // last line (inclusive)
	printed    string
	titleLine  int
	num        int // N of N、《, 0 for unnumbered documents
	part       string
	partLine   int
	subsection string
	subLine    int
}

// s1TitleFixes repairs the title typos listed in the seed notes; the printed
// title is kept as an alias and the version flagged.
var s1TitleFixes = []struct{ bad, good string }{
	{"德阳市数据要秦", "德阳市数据要素"},
	{"数宇强省", "数字强省"},
	{"信息平合", "信息平台"},
	{"遥感彩像", "遥感影像"},
	{"中国银保会", "中国银保监会"},
	{"济南市公共数据授权运营数据（征）", "济南市公共数据授权运营办法（征）"},
}

// s1FormulaFixes repairs the formulas of 数据资产评估指导意见 whose Σ signs
// and minus signs were lost in extraction (notes §5.7), by exact line.
var s1FormulaFixes = map[string]string{
	"Ft=Rt− 1cti":                  "Ft=Rt−Σ(i=1..n)cti",
	"Ft=Ryt 一 RNt":                 "Ft=Ryt−RNt",
	"P= 1(Qi×xi1×xi2×xi3×xi4×xi5)": "P=Σ(i=1..n)(Qi×xi1×xi2×xi3×xi4×xi5)",
}

// ParseSeed001 parses the national compilation (seed 001) into one version
// per document, in document order.
func ParseSeed001(name string, data []byte) (*Parsed, error) {
	if len(data) == 0 {
		return nil, errors.New("seed 001: 文件为空")
	}
	if !utf8.Valid(data) {
		return nil, errors.New("seed 001: 不是有效的 UTF-8 文本")
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	lines := strings.Split(text, "\n")
	docs := s1FindDocs(lines)
	if len(docs) == 0 {
		return nil, errors.New("seed 001: 未找到任何文档标题（N、《…》）")
	}
	p := &Parsed{File: name}
	for i, d := range docs {
		v := s1Version(name, lines, d)
		v.Seq = i
		p.Versions = append(p.Versions, v)
	}
	return p, nil
}

// s1NextText returns the index of the next non-blank line after i, skipping
// one page-number line; -1 at the end.
func s1NextText(lines []string, i int) int {
	skipped := false
	for j := i + 1; j < len(lines); j++ {
		t := strings.TrimSpace(lines[j])
		if t == "" {
			continue
		}
		if !skipped && IsPageNumber(t) {
			skipped = true
			continue
		}
		return j
	}
	return -1
}

// s1FindDocs locates parts, sub-sections and documents.
func s1FindDocs(lines []string) []s1Doc {
	var docs []s1Doc
	var part, sub string
	partLine, subLine := -1, -1
	partNo, lastNum := 0, 0
	cur := -1      // index into docs of the open document
	textSince := 0 // text lines since the open document started
	closeDoc := func(at int) {
		if cur >= 0 && docs[cur].end < 0 {
			docs[cur].end = s1LastText(lines, docs[cur].start, at-1)
		}
	}
	for i := 0; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if t == "" {
			continue
		}
		textSince++
		if m := reS1Part.FindStringSubmatch(t); m != nil && ChineseNumber(m[1]) == partNo+1 {
			closeDoc(i)
			partNo++
			part, partLine = t, i
			sub, subLine = "", -1
			lastNum = 0
			continue
		}
		if partNo == 0 {
			continue // preface and platform introduction
		}
		if m := reS1Subsection.FindStringSubmatch(t); m != nil {
			if n := s1NextText(lines, i); n >= 0 && strings.HasPrefix(strings.TrimSpace(lines[n]), "1、《") {
				closeDoc(i)
				sub, subLine = t, i
				lastNum = 0
				continue
			}
		}
		if m := reS1Title.FindStringSubmatch(t); m != nil {
			n := s1Atoi(m[1])
			if n == lastNum+1 || n == lastNum+2 && lastNum > 0 {
				closeDoc(i)
				d := s1Doc{start: i, titleLine: i, num: n, part: part, partLine: partLine, subsection: sub, subLine: subLine, end: -1}
				title := m[2]
				body := i + 1
				if strings.Count(title, "《") >= strings.Count(title, "》") {
					// wrapped title: the next line closes it
					// (two titles are cut off without 》; the formal title
					// line repairs them later)
					if j := s1NextText(lines, i); j >= 0 && strings.Contains(lines[j], "》") && utf8.RuneCountInString(strings.TrimSpace(lines[j])) < 40 {
						title += strings.TrimSpace(lines[j])
						body = j + 1
					}
				}
				if k := strings.LastIndex(title, "》"); k >= 0 {
					title = title[:k]
				}
				d.printed = strings.TrimSpace(title)
				d.body = body
				docs = append(docs, d)
				cur = len(docs) - 1
				lastNum = n
				textSince = 0
				continue
			}
		}
		// A compiler subtitle far from any title starts an unnumbered document.
		if cur >= 0 && textSince > 4 {
			if loc := reS1CompilerDate.FindStringIndex(t); loc != nil {
				head := strings.TrimSpace(t[:loc[0]])
				if n := utf8.RuneCountInString(head); n >= 4 && n <= 60 && !strings.ContainsAny(head, "。，；") {
					start := i
					// an issuer line naming the document just before it belongs to it
					if j := s1PrevText(lines, i); j > docs[cur].body && strings.Contains(lines[j], "《"+head) {
						start = j
					}
					closeDoc(start)
					docs = append(docs, s1Doc{start: start, titleLine: i, body: start, printed: head, part: part, partLine: partLine, subsection: sub, subLine: subLine, end: -1})
					cur = len(docs) - 1
					textSince = 0
				}
			}
		}
	}
	closeDoc(len(lines))
	return docs
}

func s1Atoi(s string) int {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0
		}
		n = n*10 + int(r-'0')
	}
	return n
}

func s1PrevText(lines []string, i int) int {
	for j := i - 1; j >= 0; j-- {
		if strings.TrimSpace(lines[j]) != "" {
			return j
		}
	}
	return -1
}

// s1LastText is the last non-blank, non-page-number line in [from, to].
func s1LastText(lines []string, from, to int) int {
	for j := to; j > from; j-- {
		t := strings.TrimSpace(lines[j])
		if t != "" && !IsPageNumber(t) {
			return j
		}
	}
	return from
}

// s1TitleKey normalises a title for comparisons.
func s1TitleKey(t string) string {
	t = strings.Trim(t, "《》 ")
	t = strings.Join(strings.Fields(t), "")
	return strings.NewReplacer("(", "（", ")", "）", "—", "", "-", "", "－", "").Replace(t)
}

// s1CleanTitle removes the extraction's spaces between digits and Han
// characters (第 6 号 → 第6号, 2024 年 → 2024年) and around full-width
// brackets; spaces between words (信息安全技术 个人信息安全规范) stay.
func s1CleanTitle(t string) string {
	t = NormalizePunct(strings.TrimSpace(t))
	if !strings.Contains(t, " ") {
		return t
	}
	rs := []rune(t)
	var b strings.Builder
	for i, r := range rs {
		if r == ' ' && i > 0 && i+1 < len(rs) {
			p, n := rs[i-1], rs[i+1]
			digitHan := (p >= '0' && p <= '9') && (clIsHan(n) || strings.ContainsRune("）】》—", n)) ||
				(n >= '0' && n <= '9') && (clIsHan(p) || strings.ContainsRune("（【《—", p))
			bracket := strings.ContainsRune("（）《》【】、，", p) || strings.ContainsRune("（）《》【】、，", n)
			if digitHan || bracket || p == ' ' {
				continue
			}
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

// s1Version builds the version of one document.
func s1Version(file string, lines []string, d s1Doc) *library.Version {
	v := &library.Version{
		Kind:       library.KindRegulation,
		Part:       d.part,
		Subsection: d.subsection,
		Provenance: map[string]library.Provenance{},
		Sources:    []library.Source{{File: file, FirstLine: d.start + 1, LastLine: d.end + 1}},
		Aliases:    []string{},
		Issuers:    []string{},
		Tags:       []string{},
		Flags:      []string{},
	}
	prov := func(field string, idx int, note string) {
		v.Provenance[field] = library.Provenance{File: file, Line: idx + 1, Note: note}
	}
	prov("part", d.partLine, "")
	if d.subLine >= 0 {
		prov("subsection", d.subLine, "")
	}

	// Raw body lines, with the formula repairs applied by exact match.
	raw := append([]string(nil), lines[d.body:d.end+1]...)
	formula := false
	for i, l := range raw {
		if fix, ok := s1FormulaFixes[strings.TrimSpace(l)]; ok {
			raw[i] = fix
			formula = true
		}
	}
	cl := CleanLines(raw, d.body+1)

	// Title: the printed one unless the formal title shows it is cut off.
	printed := s1CleanTitle(d.printed)
	title := printed
	formal, formalIdx, compilerDate := s1FormalTitle(cl, printed, d)
	if d.num == 0 {
		formalIdx = d.titleLine
	}
	if fk, pk := s1TitleKey(formal), s1TitleKey(printed); formal != "" && fk != pk {
		if extra := strings.TrimPrefix(fk, pk); extra != fk {
			// the formal title extends the printed one: the printed title
			// is cut off (…支持贵阳大数据交易》), or lacks a suffix (（试行）)
			title = formal
			if strings.HasPrefix(extra, "（") && strings.HasSuffix(extra, "）") {
				prov("title", formalIdx, "formal title")
			} else {
				v.AddFlag(library.FlagTitleTrunc)
				prov("title", formalIdx, "formal title; the printed title is cut off")
			}
		} else {
			v.Aliases = append(v.Aliases, formal)
		}
	}
	// 山西 #1 is printed as the announcement that promulgates it
	// (《山西省人民代表大会常务委员会公告》); the law's name is the next line.
	if strings.HasSuffix(printed, "公告") && len(cl) > 0 {
		if t := s1Compact(cl[0].Text); utf8.RuneCountInString(t) <= 40 && (strings.HasSuffix(t, "条例") || strings.HasSuffix(t, "办法") || strings.HasSuffix(t, "规定")) {
			title = t
			prov("title", cl[0].No-1, "the printed title names the promulgating 公告; the document's name is the next line")
		}
	}
	for _, f := range s1TitleFixes {
		if strings.Contains(title, f.bad) {
			title = strings.Replace(title, f.bad, f.good, 1)
			v.AddFlag(library.FlagTitleTypo)
			prov("title", d.titleLine, "typo in the source title repaired: "+f.bad+" → "+f.good)
		}
	}
	if _, ok := v.Provenance["title"]; !ok {
		prov("title", d.titleLine, "")
	}
	v.Title = title
	for _, a := range []string{printed, strings.TrimSpace(d.printed)} {
		if a != title && !s1Has(v.Aliases, a) {
			v.Aliases = append(v.Aliases, a)
		}
	}
	if sn := library.ShortName(title); sn != title && !s1Has(v.Aliases, sn) {
		v.Aliases = append(v.Aliases, sn)
	}

	// Region and sector from where the compiler filed the document.
	partNo := 0
	if m := reS1Part.FindStringSubmatch(d.part); m != nil {
		partNo = ChineseNumber(m[1])
	}
	subName := ""
	if m := reS1Subsection.FindStringSubmatch(d.subsection); m != nil {
		subName = m[2]
	}
	switch partNo {
	case 1, 2, 3:
		v.Region = "全国"
		prov("region", d.partLine, "inferred from the part")
	case 4:
		if r := NormalizeRegion(subName); r != "" {
			v.Region = r
			prov("region", d.subLine, "inferred from the sub-section")
		}
		if r, c := RegionFromTitle(title); c != "" && r == v.Region {
			v.City = c
			prov("city", d.titleLine, "from the title")
		}
	case 5:
		v.Sector = strings.TrimSuffix(subName, "行业")
		prov("sector", d.subLine, "sub-section")
		if r, c := RegionFromTitle(title); r != "" {
			v.Region, v.City = r, c
			prov("region", d.titleLine, "from the title")
		}
	}

	// Header and signature metadata; each value keeps the line it was read
	// from, and the document's own statements win over the compiler's.
	m := s1ReadMeta(cl, title, formal, formalIdx, d, lines)
	m.compilerDate, m.compilerIdx = compilerDate, formalIdx
	if m.compilerDate == "" {
		for _, l := range cl[:min(len(cl), 4)] {
			if loc := reS1CompilerDate.FindStringIndex(l.Text); loc != nil {
				m.compilerDate, m.compilerIdx = ParseChineseDate(l.Text[loc[0]:]), l.No-1
				break
			}
		}
	}
	if dn := ExtractDocNumber(title); strings.Contains(dn, "令") {
		v.DocNumber = dn // 通信网络安全防护管理办法（工业和信息化部令第11号）
		prov("doc_number", d.titleLine, "from the title")
	} else if m.docNo.val != "" {
		v.DocNumber = m.docNo.val
		prov("doc_number", m.docNo.line, m.docNo.note)
	} else if tm := reS1TitleNo.FindStringSubmatch(s1Compact(d.printed)); tm != nil {
		v.DocNumber = tm[1] // 辽宁省大数据发展条例（〔十三届〕第九十七号）
		prov("doc_number", d.titleLine, "number printed in the title")
	}
	if f := m.issueDate(); f.val != "" {
		v.IssueDate = f.val
		prov("issue_date", f.line, f.note)
	}
	v.Issuers = []string{}
	if f := s1PickIssuers(m, d, v); len(f.vals) > 0 {
		v.Issuers = f.vals
		prov("issuers", f.line, f.note)
	}
	if f := s1Effective(cl, v.IssueDate, v.Provenance["issue_date"].Note); f.val != "" {
		v.EffectiveDate = f.val
		prov("effective_date", f.line, f.note)
	}

	if st := DetectStatus(title + " " + strings.Join(v.Aliases, " ")); st != "" {
		v.Status = st
		prov("status", d.titleLine, "from the title")
	} else {
		// A formal title that differs from the printed one only by its
		// status word: 哈尔滨市公共数据开放管理暂行办法.
		pk := s1StripStatus(s1TitleKey(printed))
		for _, l := range cl[:min(len(cl), 2)] {
			t := s1TitleKey(l.Text)
			if st := DetectStatus(t); st != "" && s1StripStatus(t) == pk {
				v.Status = st
				prov("status", l.No-1, "formal title")
				if !s1Has(v.Aliases, s1CleanTitle(l.Text)) {
					v.Aliases = append(v.Aliases, s1CleanTitle(l.Text))
				}
				break
			}
		}
		// A status note on a line of its own under the formal title, as in
		// “数据要素×”三年行动计划 whose 「（征）」 stands alone.
		for _, l := range cl[:min(len(cl), 3)] {
			if v.Status != "" {
				break
			}
			t := strings.TrimSpace(l.Text)
			if utf8.RuneCountInString(t) <= 8 && (strings.HasPrefix(t, "（") || strings.HasPrefix(t, "(")) {
				if st := DetectStatus(t); st != "" {
					v.Status = st
					prov("status", l.No-1, "status line under the title")
					break
				}
			}
		}
	}

	// The cleaner joins wrapped lines into paragraphs numbered by their first
	// line; point date provenance at the physical line that holds the date.
	for _, f := range []string{"issue_date", "effective_date"} {
		if p, ok := v.Provenance[f]; ok {
			val := v.IssueDate
			if f == "effective_date" {
				val = v.EffectiveDate
			}
			p.Line = s1DateLine(lines, cl, p.Line-1, val) + 1
			v.Provenance[f] = p
		}
	}

	if f := s1Level(v, cl, title, d, partNo, subName, m); f.val != "" {
		v.Level = f.val
		prov("level", f.line, f.note)
	}

	// Topic tags from the title and the opening text.
	var opening strings.Builder
	for _, l := range cl {
		if opening.Len() > 3000 {
			break
		}
		opening.WriteString(l.Text)
	}
	if tags, why := TopicTags(title, opening.String()); len(tags) > 0 {
		v.Tags = tags
		prov("tags", d.titleLine, "keyword table: "+strings.Join(why, "，"))
	}
	// Quality flags.
	if strings.Contains(title, "个人金融信息保护技术规范") {
		v.AddFlag(library.FlagOCRDamaged)
		// OCR garbage yields fragments such as 理委员会: keep nothing
		v.Issuers = []string{}
		delete(v.Provenance, "issuers")
	}
	if partNo == 3 && strings.Contains(subName, "标准") {
		v.AddFlag(library.FlagSummaryOnly)
	}
	if formula {
		v.AddFlag(library.FlagFormula)
	}

	v.Provisions = Structure(title, cl, StyleAuto)
	if len(cl) > 0 {
		// the last cleaned line runs to the end of the document
		lastNo := cl[len(cl)-1].No
		for _, pr := range v.Provisions {
			if pr.LineEnd == lastNo {
				pr.LineEnd = d.end + 1
			}
		}
	}
	TrimLineEnds(v.Provisions, lines)
	if s1ArticlesSkip(v.Provisions) {
		v.AddFlag(library.FlagMissingArts)
	}
	v.Citations = ExtractCitations(v.Provisions, append([]string{title}, v.Aliases...)...)
	if v.Status != "" {
		v.VersionLabel = v.Status
		if v.IssueDate != "" {
			v.VersionLabel += " " + v.IssueDate
		}
	}
	return v
}

func s1Has(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// s1OwnLine: the document number is (nearly) all the line says — a 文号
// line, not a citation in running text.
func s1OwnLine(t, dn string) bool {
	compact := strings.Trim(strings.ReplaceAll(t, " ", ""), "（）()")
	compact = strings.NewReplacer("﹝", "〔", "﹞", "〕", "［", "〔", "］", "〕", "[", "〔", "]", "〕", "(", "〔", ")", "〕", "（", "〔", "）", "〕").Replace(compact)
	return utf8.RuneCountInString(compact) <= utf8.RuneCountInString(dn)+2
}

// s1HeadTail returns the first h and last t lines of ls.
func s1HeadTail(ls []Line, h, t int) []Line {
	if len(ls) <= h+t {
		return ls
	}
	out := append([]Line(nil), ls[:h]...)
	return append(out, ls[len(ls)-t:]...)
}

// s1FormalTitle finds the repeated formal title in the first lines of the
// body: one or two lines whose text (without the compiler's date) contains
// the printed title or extends it. It returns the title, its source line
// index (0-based) and the compiler's date if present.
func s1FormalTitle(cl []Line, printed string, d s1Doc) (string, int, string) {
	pk := s1TitleKey(printed)
	if d.num == 0 && len(cl) > 0 { // unnumbered: the subtitle is the formal title
		for _, l := range cl[:min(len(cl), 3)] {
			if loc := reS1CompilerDate.FindStringIndex(l.Text); loc != nil {
				return s1CleanTitle(l.Text[:loc[0]]), l.No - 1, ParseChineseDate(l.Text[loc[0]:])
			}
		}
	}
	partial, partIdx, partDate := "", -1, ""
	for k := 0; k < len(cl) && k < 3; k++ {
		t := cl[k].Text
		for _, n := range []int{1, 2} {
			if n == 2 {
				if k+1 >= len(cl) {
					break
				}
				t = cl[k].Text + cl[k+1].Text
			}
			date := ""
			// the compiler's date ends the title, even when the cleaner
			// joined the next paragraph to it
			if loc := reS1DateAnywhere.FindStringIndex(t); loc != nil {
				date = ParseChineseDate(t[loc[0]:loc[1]])
				t = t[:loc[0]]
			}
			tk := s1TitleKey(t)
			if tk == "" || utf8.RuneCountInString(tk) > utf8.RuneCountInString(pk)+40 || strings.ContainsAny(t, "。；：:") {
				continue
			}
			if strings.Contains(tk, pk) {
				return s1CleanTitle(t), cl[k].No - 1, date
			}
			// a first line of a wrapped formal title: keep it unless the
			// two lines together contain the printed title
			if strings.HasPrefix(pk, tk) && utf8.RuneCountInString(tk) >= 8 && partIdx < 0 {
				partial, partIdx, partDate = s1CleanTitle(t), cl[k].No-1, date
			}
		}
	}
	return partial, partIdx, partDate
}

// s1ArticlesSkip reports whether the article numbers of the main text skip
// (outside annexes, restarts allowed).
func s1ArticlesSkip(ps []*library.Provision) bool {
	last := 0
	for _, p := range ps {
		if p.Kind != library.ProvArticle || strings.HasPrefix(p.Path, "附") {
			continue
		}
		n := ChineseNumber(strings.TrimSuffix(strings.TrimPrefix(p.Label, "第"), "条"))
		if n > last+1 && last > 0 {
			return true
		}
		last = n
	}
	return false
}

// s1Found is one metadata value and the 0-based line it was read from.
type s1Found struct {
	val  string
	vals []string
	line int
	note string
}

// s1Meta collects what a document's header, signature and closing clauses
// say about it, source by source; s1PickIssuers and issueDate choose.
type s1Meta struct {
	titleIss       s1Found // 工业和信息化部等十六部门关于… (note 等十六部门)
	titlePrefixIss s1Found // 中国人民银行…办法
	orderIss       s1Found // the bodies of a 令: 国家互联网信息办公室令第11号
	noteIss        s1Found // a promulgation note: …人民代表大会常务委员会…通过
	signIss        s1Found // a signature block of names
	fieldIss       s1Found // 发布单位：…
	interpIss      s1Found // 本办法由…负责解释
	docNo          s1Found
	noteDate       s1Found // promulgation note
	orderDate      s1Found // date under the signers of a 令
	adoptDate      s1Found // …会议审议通过，现予公布 in a 令 or 公告
	headDate       s1Found // a date line in the header
	tailDate       s1Found // a date line of the closing signature
	fieldDate      s1Found // 颁布时间：…
	compilerDate   string
	compilerIdx    int
	equalsEtc      bool // the title names a lead body and 等N部门
}

var (
	reS1DateOnly    = regexp.MustCompile(`^(\d{4}年\d{1,2}月\d{1,2}日|[〇零○Ｏ一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)$`)
	reS1DateAtEnd   = regexp.MustCompile(`(\d{4}年\d{1,2}月\d{1,2}日|[〇零○Ｏ一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)$`)
	reS1DateClosing = regexp.MustCompile(`[（(]((?:\d{4}年\d{1,2}月\d{1,2}日))[）)]$`)
	reS1IssuedOn    = regexp.MustCompile(`(?:印发|发布|公布)之日[（(](\d{4}年\d{1,2}月\d{1,2}日)[）)]`)
	reS1OrderNo     = regexp.MustCompile(`^第(\d{1,4})号$`)
	reS1Announce    = regexp.MustCompile(`^(\p{Han}{4,40})公告[（(]?((?:〔[^〕]{1,8}〕)?第[\d` + cnDigits + `]{1,6}号)[）)]?$`)
	reS1TitleNo     = regexp.MustCompile(`[（(](〔[^〕]{1,8}〕第[\d` + cnDigits + `]{1,6}号)[）)]$`)
	reS1InterpKind  = regexp.MustCompile(`本(\p{Han}{1,6}?)(?:由|自)`)
	reS1IssuerHead  = regexp.MustCompile(`^(.{2,80}?)(等\s*([\d一二三四五六七八九十]*)\s*个?部门)?(?:关于|联合印发|联合发布|联合编制|印发)`)
	reS1Interpret   = regexp.MustCompile(`由([^，。；、：]{2,40}?)(?:会同[^，。；]{2,30}?)?负责解释`)
	reS1FieldIssuer = regexp.MustCompile(`^(?:发布单位|发文机关|发布机关|制定机关)[：:]\s*(.+)$`)
	reS1FieldDate   = regexp.MustCompile(`^(?:颁布时间|发布时间|发布日期|印发日期|成文日期)[：:]\s*(.+)$`)
	reS1Normative   = regexp.MustCompile(`^[（(](\p{Han}{2,30})规范性文件[）)]$`)
)

// s1Compact removes every kind of space (the extraction letter-spaces
// signature lines: 财 政 部).
func s1Compact(t string) string {
	return strings.Join(strings.FieldsFunc(t, func(r rune) bool { return r == ' ' || r == '\u3000' || r == '\t' }), "")
}

// s1ReadMeta reads the header (first lines), the 令 block and the closing
// lines of a document.
func s1ReadMeta(cl []Line, title, formal string, formalIdx int, d s1Doc, lines []string) *s1Meta {
	m := &s1Meta{}
	// Issuers named before 关于/印发 in the title, the formal title, or
	// the formal title wrapped over the first lines.
	heads := []s1Found{{val: title, line: d.titleLine}, {val: formal, line: formalIdx}}
	for _, l := range cl[:min(len(cl), 4)] {
		heads = append(heads, s1Found{val: l.Text, line: l.No - 1})
	}
	for k, l := range cl[:min(len(cl), 4)] {
		if k+1 < len(cl) { // a formal title wrapped over two or three lines
			joined := s1Compact(l.Text) + s1Compact(cl[k+1].Text)
			if k+2 < len(cl) {
				joined += s1Compact(cl[k+2].Text)
			}
			heads = append(heads, s1Found{val: joined, line: l.No - 1})
		}
	}
	if d.num == 0 && d.start < d.titleLine {
		heads = append(heads, s1Found{val: lines[d.start], line: d.start})
	}
	for _, h := range heads {
		if names, etc := s1IssuersBefore(h.val); len(names) > 0 {
			m.titleIss = s1Found{vals: names, line: h.line, note: "named before 关于/印发 in the title"}
			if etc != "" {
				m.titleIss.note += "; " + etc
				m.equalsEtc = true
			}
			if h.line != d.titleLine {
				m.titleIss.note = strings.Replace(m.titleIss.note, "the title", "the formal title", 1)
			}
			break
		}
	}
	if m.titleIss.vals == nil {
		// 中国人民银行金融消费者权益保护实施办法: a national body's name
		// opens the title without 关于
		t := strings.Trim(title, "《》")
		for _, b := range metaNationalBodies {
			if strings.HasPrefix(t, b) && !strings.HasPrefix(t, b+"办公厅") {
				m.titlePrefixIss = s1Found{vals: []string{NormalizeIssuer(b)}, line: d.titleLine, note: "the title opens with the body's name"}
				break
			}
		}
	}

	head := cl[:min(len(cl), 15)]
	for k, l := range head {
		t := strings.TrimSpace(l.Text)
		c := s1Compact(t)
		idx := l.No - 1
		// promulgation note （2021年6月10日第十三届全国人民代表大会常务委员会…通过）
		if k < 10 && reS1PromNote.MatchString(t) {
			note := c
			if k+1 < len(head) && !strings.HasSuffix(note, "）") && !strings.HasSuffix(note, ")") {
				note += s1Compact(head[k+1].Text) // wrapped: …第二十九次会议 / 通过）
			}
			if m.noteDate.val == "" {
				if dt := ParseChineseDate(note); dt != "" {
					m.noteDate = s1Found{val: dt, line: idx, note: "promulgation note"}
				}
			}
			if m.noteIss.vals == nil {
				if iss := ExtractIssuers("", []string{note}); len(iss) > 0 {
					if names := SplitIssuers(strings.Join(iss, "、")); len(names) > 0 {
						m.noteIss = s1Found{vals: names, line: idx, note: "promulgation note"}
					}
				}
			}
			if m.docNo.val == "" && strings.Contains(note, "公布") {
				if dn := ExtractDocNumber(note); strings.Contains(dn, "令") {
					m.docNo = s1Found{val: s1NormOrderNo(dn), line: idx, note: "promulgation note"}
				}
			}
			continue
		}
		// 文号 or 令号 on a line of its own
		if m.docNo.val == "" && utf8.RuneCountInString(t) <= 40 {
			if dn := ExtractDocNumber(t); dn != "" && s1OwnLine(t, dn) {
				m.docNo = s1Found{val: s1NormOrderNo(dn), line: idx, note: "文号 line in the header"}
				if i := strings.Index(dn, "令"); i > 0 && m.orderIss.vals == nil {
					if names := SplitIssuers(dn[:i]); len(names) > 0 {
						m.orderIss = s1Found{vals: names, line: idx, note: "order number"}
						m.orderDate = s1OrderDate(head[k+1:], cl[min(len(cl), 15):min(len(cl), 22)])
					}
				}
			}
		}
		// a 令 or 公告 header whose number is on the next line:
		// 中华人民共和国工业和信息化部令 / 第 11 号, or the names on the
		// lines above: 国家互联网信息办公室 / … / 令 / 第 12 号
		if k+1 < len(head) && (strings.HasSuffix(c, "令") || strings.HasSuffix(c, "公告")) && utf8.RuneCountInString(c) <= 40 {
			if nm := reS1OrderNo.FindStringSubmatch(s1Compact(head[k+1].Text)); nm != nil {
				kind := "令"
				if strings.HasSuffix(c, "公告") {
					kind = "公告"
				}
				name := strings.TrimSuffix(c, kind)
				var names []string
				at := idx
				if name != "" {
					names = SplitIssuers(name)
				} else {
					for j := k - 1; j >= 0; j-- {
						ns := SplitIssuers(s1Compact(head[j].Text))
						if ns == nil {
							break
						}
						names, at = append(ns, names...), head[j].No-1
						name = s1Compact(head[j].Text) + name
					}
				}
				if len(names) > 0 {
					m.orderIss = s1Found{vals: names, line: at, note: kind + " header"}
					if m.docNo.val == "" {
						no := strings.Join(names, "、") + kind + "第" + nm[1] + "号"
						if kind == "公告" {
							no = name + kind + "第" + nm[1] + "号" // as printed: the term stays
						}
						m.docNo = s1Found{val: no, line: idx, note: kind + " header"}
					}
					m.orderDate = s1OrderDate(head[k+2:], cl[min(len(cl), 15):min(len(cl), 24)])
				}
			}
		}
		// 山西省人民代表大会常务委员会公告（第四十三号）
		if am := reS1Announce.FindStringSubmatch(c); am != nil && m.docNo.val == "" {
			if names := SplitIssuers(am[1]); len(names) > 0 {
				m.docNo = s1Found{val: am[1] + "公告" + am[2], line: idx, note: "公告 line in the header"}
				m.orderIss = s1Found{vals: names, line: idx, note: "公告 line in the header"}
			}
		}
		// the document's own date closing the formal title (the cleaner
		// joins 中共中央国务院关于…意见 / （2022 年 12 月 2 日）)
		if k < 3 && m.noteDate.val == "" {
			if dm := reS1DateClosing.FindStringSubmatch(c); dm != nil {
				m.noteDate = s1Found{val: ParseChineseDate(dm[1]), line: idx, note: "date after the formal title"}
			}
		}
		// a 令 or 公告 stating the adoption: …会议于 2020 年 5 月 15 日通过，现予公布
		if m.adoptDate.val == "" && strings.Contains(c, "通过") && strings.Contains(c, "现予公布") {
			if dt := ParseChineseDate(c); dt != "" {
				m.adoptDate = s1Found{val: dt, line: idx, note: "adoption date stated with 现予公布"}
			}
		}
		// 本实施办法自印发之日(2023 年 3 月 2 日)起施行
		if dm := reS1IssuedOn.FindStringSubmatch(c); dm != nil && m.fieldDate.val == "" {
			m.fieldDate = s1Found{val: ParseChineseDate(dm[1]), line: idx, note: "印发之日 stated in the text"}
		}
		if m.headDate.val == "" && reS1DateOnly.MatchString(c) {
			m.headDate = s1Found{val: ParseChineseDate(c), line: idx, note: "date line in the header"}
		}
	}
	// signature blocks: runs of lines that are nothing but names, in the
	// header (a letterhead) or just before the closing date
	if f := s1NameRun(cl[:min(len(cl), 8)], false); f.vals != nil {
		m.signIss = f
		m.signIss.note = "issuer line in the header"
	}
	tail := cl[max(0, len(cl)-25):]
	if len(cl) > 8 {
		if f := s1NameRun(tail, true); f.vals != nil {
			m.signIss = f
			m.signIss.note = "signature at the end"
		}
	}
	for _, l := range cl[max(0, len(cl)-8):] {
		c := s1Compact(l.Text)
		if reS1DateOnly.MatchString(c) && len(cl) > 15 {
			m.tailDate = s1Found{val: ParseChineseDate(c), line: l.No - 1, note: "date line of the signature at the end"}
		}
		// 工业和信息化部 2023 年 2 月 6 日: the signature on one line
		if dm := reS1DateAtEnd.FindString(c); dm != "" && len(cl) > 15 {
			if names := SplitIssuers(strings.TrimSuffix(c, dm)); len(names) > 0 {
				m.tailDate = s1Found{val: ParseChineseDate(dm), line: l.No - 1, note: "date of the signature at the end"}
				if m.signIss.vals == nil {
					m.signIss = s1Found{vals: names, line: l.No - 1, note: "signature at the end"}
				}
			}
		}
	}
	for _, l := range append(append([]Line(nil), cl[:min(len(cl), 10)]...), tail...) {
		t := strings.TrimSpace(l.Text)
		if m.fieldDate.val == "" && strings.Contains(t, "之日") {
			if dm := reS1IssuedOn.FindStringSubmatch(s1Compact(t)); dm != nil {
				m.fieldDate = s1Found{val: ParseChineseDate(dm[1]), line: l.No - 1, note: "印发之日 stated in the text"}
			}
		}
		if !strings.ContainsAny(t, "：:") {
			continue
		}
		if fm := reS1FieldIssuer.FindStringSubmatch(t); fm != nil && m.fieldIss.vals == nil {
			if names := SplitIssuers(fm[1]); len(names) > 0 {
				m.fieldIss = s1Found{vals: names, line: l.No - 1, note: "发布单位 field"}
			}
		}
		if fm := reS1FieldDate.FindStringSubmatch(t); fm != nil && m.fieldDate.val == "" {
			if dt := ParseChineseDate(fm[1]); dt != "" {
				m.fieldDate = s1Found{val: dt, line: l.No - 1, note: "颁布时间 field"}
			}
		}
	}
	// 本办法由…负责解释 (the interpreting body is usually, not always, the issuer)
	for i := len(cl) - 1; i >= max(0, len(cl)-30); i-- {
		t := s1Compact(cl[i].Text)
		if i+1 < len(cl) {
			t += s1Compact(cl[i+1].Text)
		}
		if !strings.Contains(t, "负责解释") {
			continue
		}
		if im := reS1Interpret.FindStringSubmatch(t); im != nil {
			// 本实施细则由… in a document titled …若干措施 is the clause of
			// another text bound into it
			if km := reS1InterpKind.FindStringSubmatch(t); km == nil || !strings.HasSuffix(metaStripBrackets(title), km[1]) {
				break
			}
			if names := SplitIssuers(im[1]); len(names) > 0 {
				m.interpIss = s1Found{vals: names, line: cl[i].No - 1, note: "from interpretation clause (本…由…负责解释)"}
			}
			break
		}
	}
	return m
}

// s1IssuersBefore reads the bodies named before 关于/印发 in a title:
// 工业和信息化部等十六部门关于… gives 工业和信息化部 and "等十六部门".
func s1IssuersBefore(t string) ([]string, string) {
	t = s1Compact(strings.Trim(strings.TrimSpace(t), "《》"))
	t = strings.TrimPrefix(t, "《")
	mm := reS1IssuerHead.FindStringSubmatch(t)
	if mm == nil {
		return nil, ""
	}
	names := SplitIssuers(mm[1])
	etc := ""
	if mm[2] != "" {
		etc = "等" + mm[3] + "部门"
	}
	return names, etc
}

// s1NormOrderNo normalises the body of a 令 number: 中华人民共和国工业和信息化部令
// → 工业和信息化部令.
func s1NormOrderNo(dn string) string {
	i := strings.Index(dn, "令")
	if i <= 0 {
		return dn
	}
	return NormalizeIssuer(dn[:i]) + dn[i:]
}

// s1OrderDate finds the date under the signers of a 令: a date line, or a
// signer line ending with the date (公安部部长王小洪 2022 年 11 月 25 日).
func s1OrderDate(ls ...[]Line) s1Found {
	for _, part := range ls {
		for _, l := range part {
			c := s1Compact(l.Text)
			if strings.ContainsAny(c, "，。；,") {
				continue
			}
			if dm := reS1DateAtEnd.FindString(c); dm != "" {
				return s1Found{val: ParseChineseDate(dm), line: l.No - 1, note: "date of the order (令)"}
			}
		}
	}
	return s1Found{}
}

// s1NameRun finds a run of lines that are nothing but issuer names. At the
// end of a document the run must be followed by a date line or end it.
func s1NameRun(ls []Line, closing bool) s1Found {
	var best s1Found
	for i := 0; i < len(ls); i++ {
		var names []string
		j := i
		for ; j < len(ls); j++ {
			c := s1Compact(ls[j].Text)
			ns := SplitIssuers(c)
			if ns == nil || utf8.RuneCountInString(c) > 60 {
				break
			}
			for _, n := range ns {
				if !slicesContains(names, n) {
					names = append(names, n)
				}
			}
		}
		if j == i {
			continue
		}
		if closing {
			if j < len(ls) && !reS1DateOnly.MatchString(s1Compact(ls[j].Text)) {
				i = j
				continue
			}
		}
		best = s1Found{vals: names, line: ls[i].No - 1}
		if !closing {
			return best
		}
		i = j
	}
	return best
}

// issueDate prefers what the document itself says (promulgation note, the
// date of a 令, a signature date) over the compiler's date, and notes which
// was used and whether the compiler agrees.
func (m *s1Meta) issueDate() s1Found {
	for _, f := range []s1Found{m.noteDate, m.orderDate, m.headDate, m.tailDate, m.fieldDate, m.adoptDate} {
		if f.val == "" {
			continue
		}
		switch {
		case m.compilerDate == f.val:
			f.note += "; the compiler's date agrees"
		case m.compilerDate != "":
			f.note += "; the compiler's date is " + m.compilerDate
		}
		return f
	}
	if m.compilerDate != "" {
		return s1Found{val: m.compilerDate, line: m.compilerIdx, note: "compiler's date after the formal title"}
	}
	return s1Found{}
}

// s1PickIssuers chooses the issuers from the strongest source: the title,
// a 令, a promulgation note, a signature block, a 发布单位 field, and last an
// interpretation clause. A title naming a lead body 等N部门 gives way to a
// signature block that lists that body among all the others.
func s1PickIssuers(m *s1Meta, d s1Doc, v *library.Version) s1Found {
	if m.equalsEtc && len(m.signIss.vals) > len(m.titleIss.vals) && slicesContains(m.signIss.vals, m.titleIss.vals[0]) {
		f := m.signIss
		f.note += " (the title names " + m.titleIss.vals[0] + m.titleIss.note[strings.LastIndex(m.titleIss.note, "; ")+2:] + ")"
		return f
	}
	for _, f := range []s1Found{m.titleIss, m.orderIss, m.noteIss, m.signIss, m.fieldIss, m.titlePrefixIss, m.interpIss} {
		if len(f.vals) == 0 {
			continue
		}
		// 省大数据管理局 in a 贵州 document is 贵州省大数据管理局
		vals := make([]string, 0, len(f.vals))
		for _, n := range f.vals {
			q, ok := s1Qualify(n, v)
			if !ok {
				vals = nil
				break
			}
			if q != n {
				f.note += "; " + n + " qualified with the document's region"
			}
			vals = append(vals, q)
		}
		if vals != nil {
			f.vals = vals
			return f
		}
	}
	return s1Found{}
}

// s1Qualify completes a body named relative to the document's place
// (省…, 市…, 自治区…); names that already carry a place pass unchanged.
func s1Qualify(n string, v *library.Version) (string, bool) {
	var full string
	for _, p := range metaProvinces {
		if p.short == v.Region {
			full = p.full
		}
	}
	switch {
	case strings.HasPrefix(n, "省") && strings.HasSuffix(full, "省"):
		return full + strings.TrimPrefix(n, "省"), true
	case strings.HasPrefix(n, "自治区") && strings.HasSuffix(full, "自治区"):
		return full + strings.TrimPrefix(n, "自治区"), true
	case strings.HasPrefix(n, "市") && strings.HasSuffix(full, "市") && v.City == "":
		return full + strings.TrimPrefix(n, "市"), true
	case strings.HasPrefix(n, "市") && v.City != "":
		return v.City + n, true
	case strings.HasPrefix(n, "省"), strings.HasPrefix(n, "市"), strings.HasPrefix(n, "区"), strings.HasPrefix(n, "县"), strings.HasPrefix(n, "州"), strings.HasPrefix(n, "自治区"):
		return "", false
	}
	return n, true
}

// s1Effective reads the effective-date clause: the document's own
// (本办法自…起施行) anywhere, else a clause in the header (a 令's 现予公布，
// 自…起施行) or the closing lines. 自发布之日起 gives the issue date.
func s1Effective(cl []Line, issueDate, issueNote string) s1Found {
	try := func(ls []Line, needOwn bool) s1Found {
		for k, l := range ls {
			t := l.Text
			joined := false
			if k+1 < len(ls) && strings.Contains(t, "自") {
				t += strings.TrimSpace(ls[k+1].Text) // 自 2010 年 3 月 1 日 / 起施行
				joined = true
			}
			if !strings.Contains(t, "起") {
				continue
			}
			loc := reMetaEffective.FindStringIndex(t)
			if loc == nil || loc[0] >= len(l.Text) {
				continue // the clause starts on the next line: read it there
			}
			// the document's own clause: 本办法自…, 本条例自…
			if needOwn && !strings.Contains(t[max(0, loc[0]-30):loc[0]], "本") {
				continue
			}
			ed := ExtractEffectiveDate(t[loc[0]:], issueDate)
			if ed == "" {
				continue
			}
			note := ""
			if em := reMetaEffective.FindStringSubmatch(t); em != nil && ParseChineseDate(em[1]) == "" {
				note = "自发布/印发之日起: the issue date (" + issueNote + ")"
			} else if joined && !strings.Contains(l.Text, "起") {
				note = "clause wrapped onto the next line"
			}
			return s1Found{val: ed, line: l.No - 1, note: note}
		}
		return s1Found{}
	}
	if f := try(cl, true); f.val != "" {
		return f
	}
	return try(s1HeadTail(cl, 20, 10), false)
}

// s1Level decides the 效力级别, conservatively: standards by their code or
// sub-section, a statement in the text (（…规范性文件）), a 令 (部门规章 /
// 地方政府规章 only then), a 文号 (规范性文件), and the naming rules of
// DetectLevel for the rest.
func s1Level(v *library.Version, cl []Line, title string, d s1Doc, partNo int, subName string, m *s1Meta) s1Found {
	stdCode := reS1StdCode.FindString(title)
	for _, l := range cl[:min(len(cl), 3)] {
		if stdCode != "" || partNo != 5 {
			break
		}
		// "本文件按照 GB/T1.1-2020《…》的规定起草" names the drafting
		// rules every standard follows, not this standard's code.
		if !strings.Contains(l.Text, "起草") {
			stdCode = reS1StdCode.FindString(l.Text)
		}
	}
	if partNo == 3 && strings.Contains(subName, "标准") {
		return s1Found{val: library.LevelNationalStd, line: d.subLine, note: "sub-section 国家重要标准"}
	}
	if stdCode != "" {
		return s1Found{val: DetectLevel(stdCode, nil, ""), line: d.titleLine, note: "standard code " + stdCode}
	}
	// A standard without its code on the page still names the committee it
	// belongs to in its 前言: "本文件由全国金融标准化技术委员会(SAC/TC180)归口".
	if partNo == 5 {
		for i, l := range cl[:min(len(cl), 12)] {
			if strings.Contains(l.Text, "归口") && strings.Contains(l.Text, "标准化技术委员会") {
				return s1Found{val: library.LevelSectorStd, line: cl[i].No - 1, note: "前言所述归口的标准化技术委员会"}
			}
		}
	}
	for _, l := range s1HeadTail(cl, 5, 5) {
		if nm := reS1Normative.FindStringSubmatch(s1Compact(l.Text)); nm != nil {
			return s1Found{val: library.LevelNormative, line: l.No - 1, note: "the text says " + s1Compact(l.Text)}
		}
	}
	if lv := LevelFromDocNumber(v.DocNumber); lv != "" {
		return s1Found{val: lv, line: v.Provenance["doc_number"].Line - 1, note: "order number " + v.DocNumber}
	}
	region := v.Region
	if partNo == 5 && region == "" {
		region = "全国" // sector documents are national unless the title names a place
	}
	lv := DetectLevel(title, v.Issuers, region)
	isOrder := strings.Contains(v.DocNumber, "令")
	if region == "全国" && len(v.Issuers) > 0 && s1AllOffices(v.Issuers) {
		// the 办公厅/秘书局 of a ministry cannot issue rules (规章)
		return s1Found{val: library.LevelNormative, line: v.Provenance["issuers"].Line - 1, note: "issued by general offices (办公厅/秘书局): a normative document"}
	}
	if v.DocNumber != "" && !isOrder && !strings.Contains(v.DocNumber, "公告") {
		switch lv {
		case "", library.LevelDeptRules, library.LevelLocalRules, library.LevelNormative:
			return s1Found{val: library.LevelNormative, line: v.Provenance["doc_number"].Line - 1, note: "文号 " + v.DocNumber + ": a normative document"}
		}
	}
	if (lv == library.LevelDeptRules || lv == library.LevelLocalRules) && !isOrder {
		// rules (规章) are promulgated by a 令; without one in the text the
		// document may as well be a normative document: leave it unknown
		return s1Found{}
	}
	if lv == "" && len(v.Issuers) > 0 && v.Provenance["issuers"].Note != "" && !strings.Contains(v.Provenance["issuers"].Note, "interpretation") {
		// a 指南/指引/预案 that a government body issues under its own name
		base := metaStripBrackets(title)
		for _, suf := range []string{"指南", "指引", "预案"} {
			if strings.HasSuffix(base, suf) {
				return s1Found{val: library.LevelNormative, line: v.Provenance["issuers"].Line - 1, note: "a " + suf + " issued by " + v.Issuers[0] + ": a normative document"}
			}
		}
	}
	if lv == "" {
		return s1Found{}
	}
	note := "inferred from the title"
	if len(v.Issuers) > 0 {
		note = "inferred from the title and issuers"
	}
	return s1Found{val: lv, line: v.Provenance["title"].Line - 1, note: note}
}

// s1AllOffices: every issuer is a ministry's general office or secretariat.
func s1AllOffices(issuers []string) bool {
	for _, s := range issuers {
		if !strings.HasSuffix(s, "办公厅") && !strings.HasSuffix(s, "秘书局") && !strings.HasSuffix(s, "办公室") || strings.HasPrefix(s, "国家互联网信息办公室") && !strings.HasSuffix(s, "秘书局") {
			return false
		}
	}
	return true
}

// s1StripStatus removes the status words from a title key, to compare a
// formal title with the printed one.
func s1StripStatus(k string) string {
	return strings.NewReplacer("（征求意见稿）", "", "（征）", "", "（草案）", "", "（试行）", "", "（暂行）", "", "暂行", "", "试行", "").Replace(k)
}

// s1DateLine returns the physical line, within the cleaned paragraph that
// starts at idx, that carries date (YYYY-MM-DD) as 2020 年 7 月 1 日; idx when
// no line does (the date is split over two lines, or stated as 自发布之日).
func s1DateLine(lines []string, cl []Line, idx int, date string) int {
	if len(date) != 10 || idx < 0 || idx >= len(lines) {
		return idx
	}
	want := strings.TrimLeft(date[5:7], "0") + "月" + strings.TrimLeft(date[8:10], "0") + "日"
	end := idx + 1
	for k, l := range cl {
		if l.No-1 == idx {
			end = len(lines)
			if k+1 < len(cl) {
				end = cl[k+1].No - 1
			}
			break
		}
	}
	for j := idx; j < end && j < len(lines); j++ {
		c := s1Compact(lines[j])
		if strings.Contains(c, date[:4]+"年"+want) {
			return j
		}
	}
	return idx
}
