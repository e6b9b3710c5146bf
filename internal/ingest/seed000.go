package ingest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"datalex/internal/library"
)

// Seed 000 is a study digest ("数字经济-网络法规-金管局发布文件"): condensed
// Markdown notes on eight documents, with ASCII punctuation, bold spans,
// bullets, a <mark>, quiz markers "(多选)" and emoji decorations after some
// titles. One document (L18, 银行业保险业数字化转型指导意见) has no title
// line at all: it is recognised by its item numbering restarting at 一、.

// seed000UntitledTitle is the title of the untitled excerpt at L18. The
// digest only says 《指导意见》; its text matches 银保监办发〔2022〕2号
// (seed 001 L172407), whose title this is.
const seed000UntitledTitle = "关于银行业保险业数字化转型的指导意见"

var (
	// A document title: a line that is not a list item or numbered heading
	// and ends in a document-type word, optionally followed by an emoji
	// decoration such as "(→ → → → →)".
	s0TitleRe   = regexp.MustCompile(`^(.{4,160}?(?:通知》?|意见|条例》?|方案|规划|新篇章))\s*(\((?:[^\p{L}\p{N}\s]\s*)+\))?\s*$`)
	s0NotTitle  = regexp.MustCompile(`^(?:- |第|[一二三四五六七八九十]+、|\(|（|\d)`)
	s0Decor     = regexp.MustCompile(`\s*\((?:[^\p{L}\p{N}\s]\s*)+\)\s*$`)
	s0Outline1  = regexp.MustCompile(`^([一二三四五六七八九十]+)、`)
	s0QuizMark  = regexp.MustCompile(`\s*[(（]多选[)）]`)
	s0Bold      = regexp.MustCompile(`\*\*|</?mark>`)
	s0Bullet    = regexp.MustCompile(`^\s*-\s+`)
	s0Effective = regexp.MustCompile(`自\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*起(?:施行|实施)`)
)

// s0Doc is one document of the digest: its title line (0 when untitled)
// and its body lines (1-based, inclusive).
type s0Doc struct {
	title     string
	titleLine int
	first     int
	last      int
}

// firstLine is the document's first line: its title, or its first body
// line when it has no title.
func (d s0Doc) firstLine() int {
	if d.titleLine > 0 {
		return d.titleLine
	}
	return d.first
}

// ParseSeed000 parses the notes digest (seed 000) into its 8 documents. All
// are condensed, so every version carries library.FlagExcerpt; the
// commentary article is a library.KindNote.
func ParseSeed000(name string, data []byte) (*Parsed, error) {
	raw := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	docs := splitSeed000(raw)
	if len(docs) == 0 {
		return nil, fmt.Errorf("%s: 未识别出任何文件标题", name)
	}
	res := &Parsed{File: name}
	for i, d := range docs {
		v, warn := seed000Version(name, raw, d, i+1)
		res.Versions = append(res.Versions, v)
		res.Warnings = append(res.Warnings, warn...)
	}
	return res, nil
}

// splitSeed000 finds the document boundaries: title lines, plus an outline
// restarting at 一、 after a higher number (a new, untitled document).
func splitSeed000(raw []string) []s0Doc {
	var docs []s0Doc
	lastTop := 0
	for i, l := range raw {
		no := i + 1
		text := strings.TrimSpace(s0Bold.ReplaceAllString(l, ""))
		if no == 1 || text == "" {
			continue // line 1 is the digest's own heading
		}
		if !s0NotTitle.MatchString(text) && s0TitleRe.MatchString(text) {
			docs = append(docs, s0Doc{title: text, titleLine: no, first: no + 1})
			lastTop = 0
			continue
		}
		item := strings.TrimSpace(s0Bullet.ReplaceAllString(text, ""))
		if m := s0Outline1.FindStringSubmatch(item); m != nil && !strings.HasPrefix(l, " ") {
			n := ChineseNumber(m[1])
			if n == 1 && lastTop > 1 && len(docs) > 0 {
				docs = append(docs, s0Doc{first: no})
			}
			lastTop = n
		}
	}
	for i := range docs {
		docs[i].last = len(raw)
		if i+1 < len(docs) {
			next := docs[i+1].first
			if docs[i+1].titleLine > 0 {
				next = docs[i+1].titleLine
			}
			docs[i].last = next - 1
		}
		for docs[i].last > docs[i].first && strings.TrimSpace(raw[docs[i].last-1]) == "" {
			docs[i].last--
		}
	}
	return docs
}

// seed000Version builds one version.
func seed000Version(file string, raw []string, d s0Doc, seq int) (*library.Version, []string) {
	var warnings []string
	title, issuers := seed000Title(d.title)
	prov := library.Provenance{File: file, Line: d.titleLine}
	if d.titleLine == 0 {
		title = seed000UntitledTitle
		prov = library.Provenance{File: file, Line: d.first, Note: "原文无标题行；据“《指导意见》”及与 seed 001 L172407 全文比对确定"}
		warnings = append(warnings, fmt.Sprintf("%s L%d：无标题文件，定为《%s》", file, d.first, title))
	}
	v := &library.Version{
		Kind:       library.KindRegulation,
		Title:      title,
		Aliases:    []string{},
		Issuers:    issuers,
		Tags:       []string{},
		Flags:      []string{library.FlagExcerpt},
		Seq:        seq,
		Sources:    []library.Source{{File: file, FirstLine: d.firstLine(), LastLine: d.last}},
		Provenance: map[string]library.Provenance{"title": prov},
	}
	if len(issuers) > 0 {
		v.Provenance["issuers"] = library.Provenance{File: file, Line: d.titleLine, Note: "标题中的发文机关"}
	}
	if strings.HasSuffix(title, "新篇章") {
		v.Kind = library.KindNote
	}
	v.Level, v.Region = seed000Level(title, issuers, v.Kind)
	if v.Level != "" {
		v.Provenance["level"] = library.Provenance{File: file, Line: d.firstLine(), Note: "由发文机关和文种推断"}
	}
	if v.Region != "" {
		v.Provenance["region"] = library.Provenance{File: file, Line: d.firstLine(), Note: "中央文件"}
	}

	var lines []Line
	for no := d.first; no <= d.last; no++ {
		text := seed000CleanLine(raw[no-1])
		if text == "" {
			continue
		}
		if s0QuizMark.MatchString(text) {
			text = strings.TrimSpace(s0QuizMark.ReplaceAllString(text, ""))
		}
		lines = append(lines, Line{Text: text, No: no})
	}
	for _, l := range lines {
		if m := s0Effective.FindStringSubmatch(l.Text); m != nil && v.EffectiveDate == "" {
			if date := sdDate(m[1], m[2], m[3]); date != "" {
				v.EffectiveDate = date
				v.Provenance["effective_date"] = library.Provenance{File: file, Line: l.No, Note: m[0]}
			}
		}
		if strings.Contains(l.Text, "国务院第") && strings.Contains(l.Text, "常务会议通过") && len(v.Issuers) == 0 {
			v.Issuers = []string{"国务院"}
			v.Provenance["issuers"] = library.Provenance{File: file, Line: l.No, Note: "国务院常务会议通过"}
			if strings.HasSuffix(title, "条例") {
				v.Level = library.LevelAdminRegs
				v.Provenance["level"] = library.Provenance{File: file, Line: l.No, Note: "国务院条例"}
			}
		}
	}
	style := StyleOutline
	for _, l := range lines {
		if strings.HasPrefix(l.Text, "第") && strings.Contains(l.Text[:min(len(l.Text), 20)], "条") {
			style = StyleLegal
			break
		}
	}
	v.Provisions = Structure(title, lines, style)
	v.Citations = sdCitations(lines, v.Provisions, title)
	return v, warnings
}

// seed000Title returns the document title and the issuers named before it:
// "金融监管总局办公厅印发《关于…的通知》" → the title in 《》 and 金融监管总局办公厅;
// "国家金融监督管理总局 中国人民银行中国证券监督管理委员会 …关于…的通知" keeps
// its title, with the glued issuer names separated.
func seed000Title(line string) (string, []string) {
	t := s0Decor.ReplaceAllString(line, "")
	t = strings.TrimSpace(t)
	if i := strings.Index(t, "印发《"); i > 0 && strings.HasSuffix(t, "》") {
		return strings.TrimSuffix(t[i+len("印发《"):], "》"), []string{t[:i]}
	}
	t = strings.Trim(t, "《》")
	t = sdQuotes(t)
	i := strings.Index(t, "关于")
	if i <= 0 {
		return t, []string{}
	}
	issuers := sdSplitIssuers(t[:i])
	if len(issuers) == 0 {
		return t, []string{}
	}
	return strings.Join(issuers, " ") + t[i:], issuers
}

// sdOrganSuffixes end the names of issuing bodies; they are used to split
// runs of names printed without a separator.
var sdOrganSuffixes = []string{"办公厅", "委员会", "办公室", "管理总局", "总局", "管理局", "银行", "中央", "国务院", "部", "局", "院", "厅"}

// sdSplitIssuers splits "中共中央办公厅 国务院办公厅" or
// "中国人民银行中国证券监督管理委员会" into issuing bodies. It returns nil if
// a piece does not end like an organ name.
func sdSplitIssuers(prefix string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(prefix, func(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == '，' || r == '、' }) {
		for f != "" {
			cut := -1
			for _, suf := range sdOrganSuffixes {
				// the earliest end of an organ name that leaves a plausible rest
				if j := strings.Index(f, suf); j >= 0 {
					end := j + len(suf)
					if end == len(f) || len([]rune(f[end:])) >= 4 {
						if cut < 0 || end < cut {
							cut = end
						}
					}
				}
			}
			if cut < 0 || len([]rune(f[:cut])) < 2 {
				return nil
			}
			out = append(out, f[:cut])
			f = f[cut:]
		}
	}
	return out
}

// seed000Level assigns 效力级别 and region from the issuer and document type:
// central Party/State Council opinions and plans are 政策文件, ministry
// notices and opinions 规范性文件, the commentary 解读评论.
func seed000Level(title string, issuers []string, kind string) (string, string) {
	switch {
	case kind == library.KindNote:
		return library.LevelCommentary, ""
	case strings.HasSuffix(title, "规划"):
		return library.LevelPlanningGuide, "全国"
	case strings.HasSuffix(title, "条例"):
		return "", "全国" // decided from the text (国务院常务会议通过)
	case strings.HasPrefix(title, "国务院") || strings.HasSuffix(title, "方案"):
		return library.LevelPolicy, "全国"
	case len(issuers) > 0 || title == seed000UntitledTitle:
		return library.LevelNormative, "全国"
	}
	return "", ""
}

// seed000CleanLine strips the Markdown (bullets, bold, <mark>), the spaces
// the note-taker left inside sentences, and normalises ASCII punctuation.
func seed000CleanLine(l string) string {
	t := s0Bold.ReplaceAllString(l, "")
	t = s0Bullet.ReplaceAllString(t, "")
	t = strings.TrimSpace(s0Decor.ReplaceAllString(t, ""))
	t = sdFullWidth(t)
	return sdDropSpaces(t, true)
}

// sdFullWidth converts ASCII , ; : ( ) ? ! to full width and pairs ASCII
// double quotes into “”, leaving digits (10:30, 1,000), URLs and dotted
// numbers alone.
func sdFullWidth(s string) string {
	r := []rune(s)
	isD := func(i int) bool { return i >= 0 && i < len(r) && r[i] >= '0' && r[i] <= '9' }
	var b strings.Builder
	open := true
	quotes := strings.Count(s, `"`)
	for i, c := range r {
		switch c {
		case ',':
			if !(isD(i-1) && isD(i+1)) {
				c = '，'
			}
		case ';':
			c = '；'
		case ':':
			if !(isD(i-1) && isD(i+1)) && !(i+1 < len(r) && r[i+1] == '/') {
				c = '：'
			}
		case '(':
			c = '（'
		case ')':
			c = '）'
		case '?':
			c = '？'
		case '!':
			c = '！'
		case '"':
			if quotes%2 == 0 {
				if open {
					c = '“'
				} else {
					c = '”'
				}
				open = !open
			}
		}
		b.WriteRune(c)
	}
	return b.String()
}

// sdDropSpaces deletes single spaces between Han characters and digits and
// next to full-width punctuation ("自 2025年", "（一） 能够", "， 提升"), and
// with hanHan also between two Han characters ("业务 风险", "每 三年": the
// note-taker's stray spaces; PDF text keeps them, as in standard names like
// 网络安全技术 信息技术安全评估准则).
func sdDropSpaces(s string, hanHan bool) string {
	r := []rune(s)
	var b strings.Builder
	for i, c := range r {
		if c == ' ' && i > 0 && i+1 < len(r) {
			a, z := r[i-1], r[i+1]
			han := func(x rune) bool { return unicode.Is(unicode.Han, x) }
			dig := func(x rune) bool { return x >= '0' && x <= '9' }
			if (han(a) && dig(z)) || (dig(a) && han(z)) || (hanHan && han(a) && han(z)) {
				continue
			}
			if strings.ContainsRune("，。；：、（）“”", a) || strings.ContainsRune("，。；：、（）“”", z) {
				continue
			}
		}
		b.WriteRune(c)
	}
	return b.String()
}

// sdQuotes pairs ASCII double quotes into “”.
func sdQuotes(s string) string {
	if strings.Count(s, `"`)%2 != 0 {
		return s
	}
	var b strings.Builder
	open := true
	for _, c := range s {
		if c == '"' {
			if open {
				c = '“'
			} else {
				c = '”'
			}
			open = !open
		}
		b.WriteRune(c)
	}
	return b.String()
}

// sdDate formats a date, or returns "" when it is not a calendar date.
func sdDate(y, m, d string) string {
	yi, e0 := strconv.Atoi(y)
	mi, e1 := strconv.Atoi(m)
	di, e2 := strconv.Atoi(d)
	if e0 != nil || e1 != nil || e2 != nil || yi < 1949 || yi > 2100 || mi < 1 || mi > 12 || di < 1 || di > 31 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", yi, mi, di)
}

var sdCiteRe = regexp.MustCompile(`《([^《》]{2,80})》(第[一二三四五六七八九十百零]+条)?`)

// sdCitations lists the 《…》 mentions in lines, each attached to the
// deepest provision covering its line. Self-references are skipped.
func sdCitations(lines []Line, provs []*library.Provision, self string) []library.Citation {
	var out []library.Citation
	seen := map[string]bool{}
	for _, l := range lines {
		if l.Table {
			continue
		}
		for _, m := range sdCiteRe.FindAllStringSubmatch(l.Text, -1) {
			title := strings.TrimSpace(m[1])
			if title == self || title == "指导意见" {
				continue
			}
			id := ""
			for _, p := range provs {
				if p.Line <= l.No && l.No <= p.LineEnd {
					id = p.ID // later (deeper) nodes win
				}
			}
			key := id + "\x00" + title + "\x00" + m[2]
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, library.Citation{ProvisionID: id, CitedTitle: title, Article: m[2]})
		}
	}
	return out
}
