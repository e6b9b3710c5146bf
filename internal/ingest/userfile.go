package ingest

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"datalex/internal/library"
)

// ufFormat is how an uploaded file is read.
type ufFormat int

const (
	ufText ufFormat = iota
	ufMarkdown
	ufDocx
	ufPDF
)

var (
	ufMagicPDF = []byte("%PDF-")
	ufMagicZip = []byte("PK\x03\x04")
	ufMagicOLE = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// ParseFile parses one uploaded file (.txt, .md, .docx or .pdf) into a single
// document version: title, metadata found in the text, sources with the line
// numbers of the decoded text, a provision tree and 《…》 citations.
// Line numbers are those of the decoded text for .txt/.md, of pdftotext's
// output for .pdf, and the paragraph/table-row index for .docx. A file
// without recognisable structure is one preamble provision plus a Warning;
// a file without text is an error. name is recorded by its base name.
//
// The extension decides the format, but the content must agree: a .pdf that
// is not a PDF or a .docx that is not a Word archive is refused with
// ErrMislabelled rather than imported as garbage. Errors wrap the Err* values
// of this package (errors.Is works) and read as Chinese messages.
func ParseFile(name string, data []byte) (*Parsed, error) {
	return ParseFileContext(context.Background(), name, data)
}

// ParseFileContext is ParseFile with a context that bounds PDF extraction.
func ParseFileContext(ctx context.Context, name string, data []byte) (*Parsed, error) {
	p, err := parseUserFile(ctx, name, data)
	if err != nil {
		return nil, fmt.Errorf("%s：%w", filepath.Base(name), err)
	}
	return p, nil
}

func parseUserFile(ctx context.Context, name string, data []byte) (*Parsed, error) {
	if len(data) > MaxFileSize {
		return nil, ErrTooLarge
	}
	if len(data) == 0 {
		return nil, ErrEmpty
	}
	format, err := ufDetectFormat(name, data)
	if err != nil {
		return nil, err
	}
	var (
		lines    []Line
		title    string
		warnings []string
	)
	switch format {
	case ufText, ufMarkdown:
		s, enc, err := ufDecodeText(data)
		if err != nil {
			return nil, err
		}
		if enc != "" {
			warnings = append(warnings, "文件按 "+enc+" 编码读取")
		}
		if format == ufMarkdown {
			lines, title = ufMarkdownLines(s)
		} else {
			lines = ufJoinWrapped(ufTextLines(s))
		}
	case ufDocx:
		d, err := extractDocx(data)
		if err != nil {
			return nil, err
		}
		title = d.Title
		for i, dl := range d.Lines {
			if t := ufCleanLine(dl.Text); t != "" {
				lines = append(lines, Line{Text: t, No: i + 1, Table: dl.Table})
			}
		}
	case ufPDF:
		s, err := pdfToText(ctx, data)
		if err != nil {
			return nil, err
		}
		lines = ufPDFLines(s)
	}
	if !ufHasLetters(lines) {
		return nil, fmt.Errorf("%w：文件中只有标点、数字或符号", ErrEmpty)
	}
	v, w := buildUserVersion(filepath.Base(name), title, lines)
	return &Parsed{
		File:     filepath.Base(name),
		Versions: []*library.Version{v},
		Warnings: append(warnings, w...),
	}, nil
}

// ufDetectFormat checks the extension against the file's first bytes.
func ufDetectFormat(name string, data []byte) (ufFormat, error) {
	head := data[:min(len(data), 1024)]
	isPDF := bytes.Contains(head, ufMagicPDF)
	isZip := bytes.HasPrefix(data, ufMagicZip)
	isOLE := bytes.HasPrefix(data, ufMagicOLE)
	ext := strings.ToLower(filepath.Ext(name))
	switch ext {
	case ".pdf":
		if !isPDF {
			return 0, fmt.Errorf("%w：扩展名是 .pdf，但内容不是 PDF 文件", ErrMislabelled)
		}
		return ufPDF, nil
	case ".docx":
		if isOLE {
			return 0, fmt.Errorf("%w：这是旧版 .doc 或加密的 Office 文档，请在 Word 中另存为未加密的 .docx", ErrUnsupported)
		}
		if !isZip {
			return 0, fmt.Errorf("%w：扩展名是 .docx，但内容不是 Word 文档（不是 zip 压缩包）", ErrMislabelled)
		}
		return ufDocx, nil
	case ".txt", ".text", ".md", ".markdown", "":
		switch {
		case isPDF && ext == "":
			return ufPDF, nil
		case isZip && ext == "":
			return ufDocx, nil
		case isPDF:
			return 0, fmt.Errorf("%w：扩展名是 %s，但内容是 PDF，请改用 .pdf 扩展名", ErrMislabelled, ext)
		case isZip:
			return 0, fmt.Errorf("%w：扩展名是 %s，但内容是 zip 压缩包（可能是 .docx）", ErrMislabelled, ext)
		case isOLE:
			return 0, fmt.Errorf("%w：扩展名是 %s，但内容是旧版 Office 文档", ErrMislabelled, ext)
		}
		if ext == ".md" || ext == ".markdown" {
			return ufMarkdown, nil
		}
		return ufText, nil
	case ".doc", ".wps":
		return 0, fmt.Errorf("%w：%s 是旧版二进制格式，请另存为 .docx 后再导入", ErrUnsupported, ext)
	}
	return 0, fmt.Errorf("%w（收到 %s）", ErrUnsupported, ext)
}

// ufDecodeText is DecodeText that also names a non-UTF-8 encoding it used.
func ufDecodeText(data []byte) (string, string, error) {
	s, err := DecodeText(data)
	if err != nil {
		return "", "", err
	}
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}), bytes.IndexByte(data, 0) >= 0:
		return s, "UTF-16", nil
	case !utf8.Valid(data):
		return s, "GB18030", nil
	}
	return s, "", nil
}

// ufTextLines splits decoded text into cleaned, non-blank lines numbered as in
// the decoded text. Form feeds (pdftotext page breaks), page numbers and
// URL-only lines are dropped.
func ufTextLines(s string) []Line {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var out []Line
	for i, raw := range strings.Split(s, "\n") {
		raw = strings.ReplaceAll(raw, "\f", "")
		t := ufCleanLine(raw)
		if t == "" || ufIsPageNumber(t) || ufIsURLOnly(t) {
			continue
		}
		out = append(out, Line{Text: t, No: i + 1})
	}
	return out
}

// ufPDFLines cleans pdftotext output with the shared PDF cleaner
// (CleanLines: wraps, glued articles, fake bold, tables) after blanking page
// breaks and page-number lines, which -layout puts at page ends.
func ufPDFLines(s string) []Line {
	raw := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, r := range raw {
		r = strings.ReplaceAll(r, "\f", "")
		if t := ufCleanLine(r); ufIsPageNumber(t) || ufIsURLOnly(t) {
			r = ""
		}
		raw[i] = r
	}
	lines := CleanLines(raw, 1)
	out := lines[:0]
	for _, l := range lines {
		if l.Table {
			// -layout separates columns by runs of spaces.
			l.Text = ufColumnGap.ReplaceAllString(strings.TrimSpace(l.Text), " | ")
		}
		if l.Text = ufCleanLine(l.Text); l.Text != "" {
			out = append(out, l)
		}
	}
	return out
}

var ufColumnGap = regexp.MustCompile(`[ \x{3000}]{2,}`)

var (
	ufSpaceRun   = regexp.MustCompile(`[\s\p{Zs}\x{200B}\x{FEFF}]+`)
	ufPageNumber = regexp.MustCompile(`^(?:[-－—–]\s*\d{1,4}\s*[-－—–]|\d{1,4}|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$`)
	ufURLOnly    = regexp.MustCompile(`^(?:https?://|www\.)\S+$`)
)

// ufCleanLine trims a line, collapses runs of blanks and repairs letter-spaced
// Chinese words (总 则 → 总则).
func ufCleanLine(s string) string {
	s = strings.TrimFunc(s, encIsBlank)
	if strings.IndexFunc(s, encIsBlank) < 0 {
		return s
	}
	s = ufSpaceRun.ReplaceAllString(s, " ")
	return ufJoinSpacedHan(s)
}

// ufJoinSpacedHan removes the spaces of runs of at least two single Han
// characters separated by single spaces ("内 容 准 确"), which is how
// letter-spaced headings come out of PDFs and Word files.
func ufJoinSpacedHan(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	tokens := strings.Split(s, " ")
	var b strings.Builder
	for i := 0; i < len(tokens); {
		j := i
		for j < len(tokens) && ufIsSingleHan(tokens[j]) {
			j++
		}
		if j-i >= 2 {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(strings.Join(tokens[i:j], ""))
			i = j
			continue
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(tokens[i])
		i++
	}
	return b.String()
}

func ufIsSingleHan(t string) bool {
	r, n := utf8.DecodeRuneInString(t)
	return n == len(t) && n > 0 && unicode.Is(unicode.Han, r)
}

func ufIsPageNumber(t string) bool { return ufPageNumber.MatchString(t) }
func ufIsURLOnly(t string) bool    { return ufURLOnly.MatchString(t) }

// ufStructuralStart matches lines that open a new unit and so must never be
// glued to the previous line.
var ufStructuralStart = regexp.MustCompile(`^(?:第[零〇一二三四五六七八九十百千\d]+[编章节条款]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+(?:\.\d+)*[.、．\s]|附件|附录|附表|[A-Z]\.\d)`)

// ufJoinWrapped undoes hard line wraps (text exported from PDFs or copied from
// fixed-width layouts): a line is glued to the previous one when the previous
// physical line is nearly as wide as the widest lines of the document, does
// not end a sentence and the line does not open a structural unit. Short
// lines (titles, headings, signatures) are therefore never joined.
func ufJoinWrapped(lines []Line) []Line {
	if len(lines) < 3 {
		return lines
	}
	width := ufTypicalWidth(lines)
	if width < 20 {
		return lines
	}
	out := make([]Line, 0, len(lines))
	var lastText string // last physical line glued into out[len(out)-1]
	lastNo := 0
	for _, l := range lines {
		if n := len(out); n > 0 && l.No == lastNo+1 && !out[n-1].Table && !l.Table && ufWrapsInto(lastText, l.Text, width) {
			out[n-1].Text = ufGlue(out[n-1].Text, l.Text)
			lastText, lastNo = l.Text, l.No
			continue
		}
		out = append(out, l)
		lastText, lastNo = l.Text, l.No
	}
	return out
}

// ufGlue joins two wrapped pieces: no space between CJK text, one space
// between Latin words.
func ufGlue(a, b string) string {
	ra, _ := utf8.DecodeLastRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	if ra < 0x80 && rb < 0x80 && (unicode.IsLetter(ra) || unicode.IsDigit(ra) || ra == ',') && (unicode.IsLetter(rb) || unicode.IsDigit(rb)) {
		return a + " " + b
	}
	return a + b
}

func ufWrapsInto(prev, next string, width int) bool {
	if utf8.RuneCountInString(prev)*10 < width*8 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(prev)
	if strings.ContainsRune("。；：！？」』”》）)!?;:", r) {
		return false
	}
	return !ufStructuralStart.MatchString(next)
}

// ufTypicalWidth is the 90th percentile of line widths in runes.
func ufTypicalWidth(lines []Line) int {
	ws := make([]int, 0, len(lines))
	for _, l := range lines {
		ws = append(ws, utf8.RuneCountInString(l.Text))
	}
	// Insertion sort would be quadratic on 10 MB inputs; count instead.
	maxW := 0
	for _, w := range ws {
		maxW = max(maxW, w)
	}
	if maxW > 400 {
		maxW = 400
	}
	counts := make([]int, maxW+1)
	for _, w := range ws {
		counts[min(w, maxW)]++
	}
	target := len(ws) * 9 / 10
	seen := 0
	for w, c := range counts {
		seen += c
		if seen >= target {
			return w
		}
	}
	return maxW
}

func ufHasLetters(lines []Line) bool {
	for _, l := range lines {
		for _, r := range l.Text {
			if unicode.IsLetter(r) {
				return true
			}
		}
	}
	return false
}

var (
	ufMdHeading   = regexp.MustCompile(`^#{1,6}\s+`)
	ufMdImage     = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	ufMdLink      = regexp.MustCompile(`\[([^\]]+)\]\([^)]*\)`)
	ufMdAutoLink  = regexp.MustCompile(`<(?:https?://|mailto:)[^>]*>`)
	ufMdEmphasis  = regexp.MustCompile(`(\*\*\*|\*\*|__|~~)(\S(?:.*?\S)?)(\*\*\*|\*\*|__|~~)`)
	ufMdStar      = regexp.MustCompile(`\*(\S(?:[^*]*?\S)?)\*`)
	ufMdCode      = regexp.MustCompile("`([^`]*)`")
	ufMdHTMLTag   = regexp.MustCompile(`</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>`)
	ufMdComment   = regexp.MustCompile(`<!--.*?-->`)
	ufMdListMark  = regexp.MustCompile(`^(?:[-*+]\s+)+`)
	ufMdQuote     = regexp.MustCompile(`^(?:>\s?)+`)
	ufMdRule      = regexp.MustCompile(`^(?:[-*_]\s*){3,}$`)
	ufMdTableSep  = regexp.MustCompile(`^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$`)
	ufMdFrontKey  = regexp.MustCompile(`^title:\s*["']?(.*?)["']?\s*$`)
	ufMdEscapedCh = regexp.MustCompile(`\\([\\*_#\[\]()<>|~` + "`" + `-])`)
)

// ufMarkdownLines turns Markdown into plain lines: headings keep their text
// (they are the 章/节 lines of a regulation), emphasis, links, images, code
// marks and HTML are stripped, pipe tables become Table lines and YAML front
// matter and fenced-code fences are dropped. The title is the first "# "
// heading or a front-matter title.
func ufMarkdownLines(s string) (lines []Line, title string) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	raw := strings.Split(s, "\n")
	inFront, inComment := false, false
	for i, r := range raw {
		no := i + 1
		t := strings.TrimFunc(r, encIsBlank)
		if i == 0 && t == "---" {
			inFront = true
			continue
		}
		if inFront {
			if t == "---" || t == "..." {
				inFront = false
			} else if m := ufMdFrontKey.FindStringSubmatch(t); m != nil && title == "" {
				title = ufCleanLine(m[1])
			}
			continue
		}
		if inComment {
			if j := strings.Index(t, "-->"); j >= 0 {
				inComment = false
				t = t[j+3:]
			} else {
				continue
			}
		}
		t = ufMdComment.ReplaceAllString(t, "")
		if j := strings.Index(t, "<!--"); j >= 0 {
			inComment = true
			t = t[:j]
		}
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") || ufMdRule.MatchString(t) {
			continue
		}
		table := false
		if strings.HasPrefix(t, "|") {
			if ufMdTableSep.MatchString(t) {
				continue
			}
			table = true
			t = strings.Trim(t, "|")
			cells := strings.Split(t, "|")
			for k := range cells {
				cells[k] = ufMarkdownInline(strings.TrimSpace(cells[k]))
			}
			t = strings.Join(cells, " | ")
		} else {
			heading := ufMdHeading.FindString(t)
			t = strings.TrimPrefix(t, heading)
			t = strings.TrimRight(t, "# ")
			t = ufMdQuote.ReplaceAllString(t, "")
			t = ufMdListMark.ReplaceAllString(t, "")
			t = ufMarkdownInline(t)
			if heading != "" && strings.TrimSpace(heading) == "#" && title == "" {
				title = ufCleanLine(t)
			}
		}
		t = ufCleanLine(t)
		if t == "" || ufIsURLOnly(t) {
			continue
		}
		lines = append(lines, Line{Text: t, No: no, Table: table})
	}
	return lines, title
}

// ufMarkdownInline strips inline Markdown markup, keeping the visible text.
func ufMarkdownInline(t string) string {
	if !strings.ContainsAny(t, "*_[]<`~\\") {
		return t // most lines of a regulation carry no markup; skip the regexps
	}
	t = ufMdImage.ReplaceAllString(t, "$1")
	t = ufMdLink.ReplaceAllString(t, "$1")
	t = ufMdAutoLink.ReplaceAllString(t, "")
	t = ufMdCode.ReplaceAllString(t, "$1")
	for range 3 { // nested ***bold italic*** needs more than one pass
		t = ufMdEmphasis.ReplaceAllString(t, "$2")
	}
	t = ufMdStar.ReplaceAllString(t, "$1")
	t = ufMdHTMLTag.ReplaceAllString(t, "")
	t = ufMdEscapedCh.ReplaceAllString(t, "$1")
	return t
}

// ufTitleSuffix matches the line after a title that belongs to it:
// （试行）, （征求意见稿）, （2023年修订）…
var ufTitleSuffix = regexp.MustCompile(`^[（(][^（）()]{1,16}[）)]$`)

// ufPickTitle chooses the title line: the first line that has letters, is
// not a page header such as a document number or a date, and is short enough
// to be a title. It returns the title and how many leading lines it used
// (0 when the title did not come from the text).
func ufPickTitle(lines []Line) (string, int) {
	for i, l := range lines {
		if i >= 8 {
			break
		}
		t := l.Text
		if len(t) > 4*60 {
			return "", 0 // far too long for a title; also keeps regexps off huge lines
		}
		if l.Table || !ufHasLetters([]Line{l}) || ufDocNumber(t) != "" && utf8.RuneCountInString(t) < 30 ||
			ufDateRe.MatchString(t) && utf8.RuneCountInString(t) < 16 || t == "附件" || strings.HasPrefix(t, "附件") && utf8.RuneCountInString(t) < 6 {
			continue
		}
		n := utf8.RuneCountInString(t)
		if n > 60 || strings.HasSuffix(t, "。") || ufStructuralStart.MatchString(t) {
			return "", 0
		}
		used := i + 1
		if i+1 < len(lines) && ufTitleSuffix.MatchString(lines[i+1].Text) {
			t += lines[i+1].Text
			used++
		}
		return t, used
	}
	return "", 0
}

// buildUserVersion assembles the version of an uploaded file.
func buildUserVersion(file, title string, lines []Line) (*library.Version, []string) {
	var warnings []string
	body := lines
	prov := map[string]library.Provenance{}
	if title == "" {
		t, used := ufPickTitle(lines)
		if t != "" {
			title = t
			body = lines[used:]
			prov["title"] = library.Provenance{File: file, Line: lines[used-1].No}
		}
	} else {
		// A title from docx properties or a "# " heading: drop the line that
		// repeats it so it does not become the preamble.
		if len(lines) > 0 && ufCleanLine(lines[0].Text) == title {
			prov["title"] = library.Provenance{File: file, Line: lines[0].No}
			body = lines[1:]
		} else {
			prov["title"] = library.Provenance{File: file, Note: "文件属性"}
		}
	}
	if title == "" {
		title = strings.TrimSuffix(file, filepath.Ext(file))
		prov["title"] = library.Provenance{File: file, Note: "由文件名推断"}
		warnings = append(warnings, "未找到标题行，以文件名作为标题")
	}
	if len(body) == 0 {
		body = lines
	}
	v := &library.Version{
		Kind:       library.KindRegulation,
		Title:      title,
		Sources:    []library.Source{{File: file, FirstLine: lines[0].No, LastLine: lines[len(lines)-1].No}},
		Provenance: prov,
	}
	if short := library.ShortName(title); short != title {
		v.Aliases = []string{short}
	}
	ufFillMeta(v, file, lines)
	v.Provisions = Structure(title, body, StyleAuto)
	if !ufHasStructure(v.Provisions) {
		warnings = append(warnings, "未识别出章、条或条目编号等结构，全文作为一个整体导入")
	}
	v.Citations = ufCitations(title, v.Provisions)
	return v, warnings
}

// ufHasStructure reports whether the splitter found anything beyond a
// preamble.
func ufHasStructure(ps []*library.Provision) bool {
	for _, p := range ps {
		if p.Kind != library.ProvPreamble {
			return true
		}
	}
	return false
}

// ufCitations lists the 《…》 mentions of each provision (ExtractCitedTitles),
// once per provision and title, with the 第X条 that follows the title if any.
// Items and paragraphs are skipped: their article's text already covers them.
func ufCitations(ownTitle string, ps []*library.Provision) []library.Citation {
	kinds := make(map[string]string, len(ps))
	for _, p := range ps {
		kinds[p.ID] = p.Kind
	}
	own := []string{ownTitle, library.ShortName(ownTitle)}
	var out []library.Citation
	for _, p := range ps {
		if kinds[p.ParentID] == library.ProvArticle || !strings.Contains(p.Text, "《") {
			continue
		}
		for _, t := range ExtractCitedTitles(p.Text, own...) {
			out = append(out, library.Citation{ProvisionID: p.ID, CitedTitle: t, Article: ufArticleAfter(p.Text, t)})
		}
	}
	return out
}

var ufArticleRe = regexp.MustCompile(`^\s*(第[零〇一二三四五六七八九十百千\d]+条)`)

// ufArticleAfter returns the 第X条 written right after 《title》 in text.
func ufArticleAfter(text, title string) string {
	i := strings.Index(text, "《"+title+"》")
	if i < 0 {
		return ""
	}
	if m := ufArticleRe.FindStringSubmatch(text[i+len("《"+title+"》"):]); m != nil {
		return m[1]
	}
	return ""
}

// Metadata of an uploaded file, read with the shared extractors of meta.go
// from the places a regulation states it: document number and issuers in the
// head, issue date alone on a line in the head or the signature block, the
// effective-date clause anywhere.
var ufDateRe = regexp.MustCompile(`\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇零○一二三四五六七八九]{4}\s*年\s*[一二三四五六七八九十]{1,3}\s*月\s*[一二三四五六七八九十]{1,3}\s*日`)

// ufStripDates blanks dates: ExtractDocNumber and ExtractIssuers read
// "2024年9月24日国务院令第790号" as 日国务院令第790号 otherwise.
func ufStripDates(s string) string { return ufDateRe.ReplaceAllString(s, " ") }

var ufFieldLabel = regexp.MustCompile(`^(?:发布机关|发文机关|制定机关|颁布机关|发文单位|发布单位|印发机关)\s*[:：]\s*`)

// ufStripLabel drops a "发布机关：" style label so the value reads as an
// issuer line.
func ufStripLabel(s string) string { return ufFieldLabel.ReplaceAllString(s, "") }

// ufDocNumber is ExtractDocNumber on s without its dates.
func ufDocNumber(s string) string { return ExtractDocNumber(ufStripDates(s)) }

// ufMaxMetaLine keeps a pathological single-line file from costing seconds
// of regexp time: metadata sits in short lines.
const ufMaxMetaLine = 2000

func ufFillMeta(v *library.Version, file string, lines []Line) {
	at := func(field string, l Line) { v.Provenance[field] = library.Provenance{File: file, Line: l.No} }
	head := lines[:min(len(lines), 12)]
	tail := lines[max(0, len(lines)-8):]
	for _, l := range head {
		if len(l.Text) > ufMaxMetaLine {
			continue
		}
		if dn := ufDocNumber(l.Text); dn != "" {
			v.DocNumber = dn
			at("doc_number", l)
			break
		}
	}
	// The issue date is a date standing alone (or nearly) in the head or in
	// the signature block at the end.
	for _, group := range [][]Line{head, tail} {
		for _, l := range group {
			if v.IssueDate != "" || utf8.RuneCountInString(l.Text) > 24 {
				continue
			}
			if m := ufDateRe.FindString(l.Text); m != "" && utf8.RuneCountInString(strings.Replace(l.Text, m, "", 1)) <= 6 {
				if d := ParseChineseDate(m); d != "" {
					v.IssueDate = d
					at("issue_date", l)
				}
			}
		}
	}
	for _, l := range lines {
		if len(l.Text) > ufMaxMetaLine || !strings.Contains(l.Text, "起") {
			continue
		}
		if d := ExtractEffectiveDate(l.Text, v.IssueDate); d != "" {
			v.EffectiveDate = d
			at("effective_date", l)
			break
		}
	}
	for _, group := range [][]Line{head, tail} {
		var texts []string
		for _, l := range group {
			if len(l.Text) <= 120 && !l.Table && !ufStructuralStart.MatchString(l.Text) {
				texts = append(texts, ufStripDates(ufStripLabel(l.Text)))
			}
		}
		if iss := ExtractIssuers(v.Title, texts); len(iss) > 0 {
			v.Issuers = iss
			v.Provenance["issuers"] = library.Provenance{File: file, Line: group[0].No, Note: "文首或落款"}
			break
		}
	}
	inferred := library.Provenance{File: file, Note: "由标题推断"}
	if s := DetectStatus(v.Title); s != "" {
		v.Status = s
		v.Provenance["status"] = inferred
	}
	if region, city := RegionFromTitle(v.Title); region != "" {
		v.Region, v.City = region, city
		v.Provenance["region"] = inferred
	} else if r := NormalizeRegion(v.Title); r == "全国" || strings.HasPrefix(v.Title, "中华人民共和国") || strings.HasPrefix(v.Title, "国家") {
		v.Region = "全国"
		v.Provenance["region"] = inferred
	}
	if lv := DetectLevel(v.Title, v.Issuers, v.Region); lv != "" {
		v.Level = lv
		v.Provenance["level"] = library.Provenance{File: file, Note: "由标题、发布机关推断"}
	}
}
