// Package export turns library texts — a whole document, a selection of
// provisions or a result list — into files a lawyer can file or send: Word
// (.docx, written in Go) and PDF (printed by Chromium from the same
// server-rendered print view people see in the browser). Every provision
// carries its citation, its 时效性 and where its text comes from, so an
// exported page can be checked without going back to the platform.
package export

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"datalex/internal/library"
)

// Doc is one export: a title, document-level facts and the provisions.
type Doc struct {
	Title    string
	Subtitle string  // e.g. 检索式, or the version label
	Meta     []Field // 文号, 发布机关, 日期 … (document exports)
	Items    []Item
	// Generated is when the export was made; printed in the footer with
	// the 时效性 date so a reader knows how old the statement is.
	Generated time.Time
	// Notes are printed before the provisions (e.g. 本文件已废止).
	Notes []string
}

// Field is one label/value line.
type Field struct{ Label, Value string }

// Item is one provision or heading.
type Item struct {
	Heading  bool   // a 编/章/节 heading: printed as a heading, no citation block
	Citation string // 数据安全法 第二十一条
	Document string // the document's title (for selections and result lists)
	Text     string
	Status   string // 时效性 of its document
	Source   string // where the text comes from, in words
	URL      string // a link back to the provision
}

// MaxItems bounds one export: a whole 民法典 is 1,260 articles, a result
// list or selection much less.
const MaxItems = 3000

// SourceText says where a version's text comes from in words: the
// compilation part and section it was read from, else the file names.
func SourceText(v *library.Version) string {
	if v.Part != "" {
		if v.Subsection != "" {
			return v.Part + " › " + v.Subsection
		}
		return v.Part
	}
	var files []string
	for _, s := range v.Sources {
		files = append(files, s.File)
	}
	return strings.Join(files, "；")
}

// StatusText is the 时效性 line of a version: the status and, when known,
// its reason.
func StatusText(v *library.Version) string {
	s := v.ValidityOrStatus()
	if s == "" {
		s = "未知"
	}
	return s
}

// Citation is the human citation of p in v.
func Citation(v *library.Version, p *library.Provision) string {
	if p.Citation != "" {
		return p.Citation
	}
	return library.CitationFor(v.Title, p.Label)
}

// IsHeading reports whether a provision kind is a structural heading.
func IsHeading(kind string) bool {
	switch kind {
	case library.ProvPart, library.ProvChapter, library.ProvSection, library.ProvAnnex:
		return true
	}
	return false
}

// ItemFor builds the export item of one provision.
func ItemFor(v *library.Version, p *library.Provision, url string) Item {
	return Item{Heading: IsHeading(p.Kind), Citation: Citation(v, p), Document: v.Title, Text: strings.TrimSpace(p.Text),
		Status: StatusText(v), Source: SourceText(v), URL: url}
}

// insideArticle reports whether p is a 款/项 whose text its article holds
// (an article's Text already contains its paragraphs and items).
func insideArticle(p *library.Provision, byID map[string]*library.Provision) bool {
	parent := byID[p.ParentID]
	return parent != nil && parent.Kind == library.ProvArticle
}

// ForVersion builds the export of a whole version; link gives each
// provision's URL.
func ForVersion(v *library.Version, link func(*library.Provision) string, now time.Time) *Doc {
	d := &Doc{Title: v.Title, Subtitle: v.VersionLabel, Generated: now}
	add := func(label, value string) {
		if value != "" {
			d.Meta = append(d.Meta, Field{label, value})
		}
	}
	add("文号", v.DocNumber)
	add("发布机关", strings.Join(v.Issuers, "、"))
	add("发布日期", v.IssueDate)
	add("施行日期", v.EffectiveDate)
	st := StatusText(v)
	if v.ValidityReason != "" {
		st += "（" + v.ValidityReason + "）"
	}
	add("时效性", st)
	add("效力级别", v.Level)
	add("来源", SourceText(v))
	if len(v.Provisions) == 0 {
		d.Notes = append(d.Notes, "资料库仅有本文件的目录信息，没有正文。")
	}
	byID := make(map[string]*library.Provision, len(v.Provisions))
	for _, p := range v.Provisions {
		byID[p.ID] = p
	}
	for _, p := range v.Provisions {
		if insideArticle(p, byID) || strings.TrimSpace(p.Text) == "" {
			continue
		}
		if len(d.Items) == MaxItems {
			d.Notes = append(d.Notes, fmt.Sprintf("条文超过 %d 条，其余未导出。", MaxItems))
			break
		}
		d.Items = append(d.Items, ItemFor(v, p, link(p)))
	}
	return d
}

// Footer is the line printed at the end of every export.
func (d *Doc) Footer() string {
	return "导出自 DataLex 数据资产法规库，" + d.Generated.Format("2006-01-02 15:04") +
		"。时效性为导出时的判断，引用前请以发布机关的正式文本为准。"
}

// clean drops characters XML 1.0 cannot carry (a .docx with them does not
// open) and other control characters except line breaks and tabs.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == unicode.ReplacementChar, unicode.IsControl(r), r >= 0xFFFE && r <= 0xFFFF, r >= 0xD800 && r <= 0xDFFF:
			return -1
		}
		return r
	}, s)
}
