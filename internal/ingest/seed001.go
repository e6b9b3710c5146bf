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
	reS1DateLine     = regexp.MustCompile(`^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$`)
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

	// Header metadata: the first lines of the body.
	head := cl
	if len(head) > 15 {
		head = head[:15]
	}
	if dn := ExtractDocNumber(title); strings.Contains(dn, "令") {
		v.DocNumber = dn // 通信网络安全防护管理办法（工业和信息化部令第11号）
		prov("doc_number", d.titleLine, "from the title")
	}
	if compilerDate == "" {
		for _, l := range cl[:min(len(cl), 4)] {
			if loc := reS1CompilerDate.FindStringIndex(l.Text); loc != nil {
				compilerDate, formalIdx = ParseChineseDate(l.Text[loc[0]:]), l.No-1
				break
			}
		}
	}
	if compilerDate != "" {
		v.IssueDate = compilerDate
		prov("issue_date", formalIdx, "compiler's date after the formal title")
	}
	for k, l := range head {
		t := strings.TrimSpace(l.Text)
		if v.IssueDate == "" && k < 10 && reS1PromNote.MatchString(t) {
			if dt := ParseChineseDate(t); dt != "" {
				v.IssueDate = dt
				prov("issue_date", l.No-1, "promulgation note")
			}
		}
		if v.DocNumber == "" && utf8.RuneCountInString(t) <= 40 {
			if dn := ExtractDocNumber(t); dn != "" && s1OwnLine(t, dn) {
				v.DocNumber = dn
				prov("doc_number", l.No-1, "")
			}
		}
		// （2022年1月31日山东省人民政府令第344号公布 自…起施行）
		if v.DocNumber == "" && k < 10 && reS1PromNote.MatchString(t) && strings.Contains(t, "公布") {
			if dn := ExtractDocNumber(t); strings.Contains(dn, "令") {
				v.DocNumber = dn
				prov("doc_number", l.No-1, "promulgation note")
			}
		}
	}
	if v.IssueDate == "" {
		for _, l := range s1HeadTail(cl, 15, 6) {
			if t := strings.TrimSpace(l.Text); reS1DateLine.MatchString(strings.ReplaceAll(t, " ", "")) {
				if dt := ParseChineseDate(t); dt != "" {
					v.IssueDate = dt
					prov("issue_date", l.No-1, "date line of the signature")
					break
				}
			}
		}
	}
	var issuerLines []string
	issuerAt := -1
	for _, l := range s1HeadTail(cl, 10, 6) {
		issuerLines = append(issuerLines, l.Text)
	}
	if d.start < d.body && d.num == 0 {
		issuerLines = append([]string{lines[d.start]}, issuerLines...)
	}
	v.Issuers = ExtractIssuers(title, append([]string{formal}, issuerLines...))
	if v.Issuers == nil {
		v.Issuers = []string{}
	} else {
		issuerAt = formalIdx
		if issuerAt < 0 {
			issuerAt = d.titleLine
		}
		prov("issuers", issuerAt, "title, header or signature")
	}

	// Effective date: the document's own clause (本办法自…起施行), else a
	// clause near the end.
	for pass, ls := range [][]Line{cl, s1HeadTail(cl, 0, 10)} {
		for _, l := range ls {
			if !strings.Contains(l.Text, "起") || pass == 0 && !strings.Contains(l.Text, "本") {
				continue
			}
			if ed := ExtractEffectiveDate(l.Text, v.IssueDate); ed != "" {
				v.EffectiveDate = ed
				prov("effective_date", l.No-1, "")
				break
			}
		}
		if v.EffectiveDate != "" {
			break
		}
	}

	if st := DetectStatus(title + " " + strings.Join(v.Aliases, " ")); st != "" {
		v.Status = st
		prov("status", d.titleLine, "from the title")
	} else {
		// A status note on a line of its own under the formal title, as in
		// “数据要素×”三年行动计划 whose 「（征）」 stands alone.
		for _, l := range cl[:min(len(cl), 3)] {
			t := strings.TrimSpace(l.Text)
			if utf8.RuneCountInString(t) <= 8 && (strings.HasPrefix(t, "（") || strings.HasPrefix(t, "(")) {
				if st := DetectStatus(t); st != "" {
					v.Status = st
					prov("status", l.No, "status line under the title")
					break
				}
			}
		}
	}

	// Level: standards by their code or sub-section, the rest by name.
	// Only the title and the header lines: codes further down are normative
	// references to other standards.
	stdCode := reS1StdCode.FindString(title)
	for _, l := range cl[:min(len(cl), 3)] {
		if stdCode != "" || partNo != 5 {
			break
		}
		stdCode = reS1StdCode.FindString(l.Text)
	}
	switch {
	case partNo == 3 && strings.Contains(subName, "标准"):
		v.Level = library.LevelNationalStd
		prov("level", d.subLine, "sub-section 国家重要标准")
	case stdCode != "":
		v.Level = DetectLevel(stdCode, nil, "")
		prov("level", d.titleLine, "standard code "+stdCode)
	case LevelFromDocNumber(v.DocNumber) != "":
		v.Level = LevelFromDocNumber(v.DocNumber)
		prov("level", v.Provenance["doc_number"].Line-1, "order number "+v.DocNumber)
	default:
		region := v.Region
		if partNo == 5 && region == "" {
			region = "全国" // sector documents are national unless the title names a place
		}
		v.Level = DetectLevel(title, v.Issuers, region)
		if v.Level != "" {
			prov("level", d.titleLine, "inferred from title and issuers")
		}
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
