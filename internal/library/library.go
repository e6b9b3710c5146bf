// Package library is the domain model of DataLex: works, their versions,
// the provision tree of each version, where each piece of text came from,
// and the citations between documents.
//
// A Work is "the same law" across drafts, final texts and the copies found in
// several seeds; a Version is one text of it (征求意见稿, 试行, final …); a
// Provision is one addressable unit of a version (章, 条, 款, 一、, （一）, 5.3.1,
// 附件 …). Everything the parsers produce is expressed in these types, and
// everything downstream (store, search, answers, UI) reads them.
package library

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Kind of a version: what sort of text it is.
const (
	KindRegulation = "regulation" // laws, regulations, policies, standards
	KindCatalogue  = "catalogue"  // a catalogue record without text (全文未收录)
	KindNews       = "news"       // a news item (数安热点)
	KindNote       = "note"       // study notes / commentary
)

// Validity status (时效性). Empty means unknown.
const (
	StatusInForce    = "现行有效"
	StatusTrial      = "试行"
	StatusInterim    = "暂行"
	StatusDraft      = "征求意见稿"
	StatusBill       = "草案"
	StatusRepealed   = "已废止"
	StatusSuperseded = "已被替代"
)

// Validity (时效性) as of a date, kept apart from a document's nature
// (试行/暂行/征求意见稿/草案). Computed by the importer/metadata layer and
// stored in Version.Validity with the reason in Version.ValidityReason.
// Older data uses Status for both ideas; Validity is authoritative when set.
const (
	ValidityInForce  = "现行有效"
	ValidityAmended  = "已修改"
	ValidityRepealed = "已废止"
	ValidityLapsed   = "失效"
	ValidityNotYet   = "尚未生效"
	ValidityUnknown  = "未知"
)

// Nature of a document's text (文本性质).
const (
	NatureFormal  = "正式"
	NatureTrial   = "试行"
	NatureInterim = "暂行"
	NatureComment = "征求意见稿"
	NatureBill    = "草案"
)

// Relation types between works and provisions, mined from the texts.
// A relation is stored on the version whose text states it; the reverse
// direction (废止 ← 被废止) is derived by Catalog lookups.
const (
	RelBasis     = "basis"      // 依据: "根据《…》，制定本办法"
	RelRepeals   = "repeals"    // 废止: "《…》同时废止"
	RelAmends    = "amends"     // 修改: "对《…》作如下修改"
	RelReplaces  = "replaces"   // 替代: a later version or text that takes the place of an earlier one
	RelPrevails  = "prevails"   // 冲突时以本规定为准: "《…》与本规定不一致的，按照本规定执行"
	RelDraftOf   = "draft_of"   // this draft became the target final text
	RelVersionOf = "version_of" // another dated version of the same work
)

// Relation is one stated link from this version (or one of its provisions)
// to another document. Target is the title as written in the text;
// TargetWork/TargetVersion are filled when it resolves inside the library.
type Relation struct {
	Type            string `json:"type"`
	Target          string `json:"target"`
	TargetWork      string `json:"target_work,omitempty"`
	TargetVersion   string `json:"target_version,omitempty"`
	Provision       string `json:"provision,omitempty"`        // provision id stating it
	TargetProvision string `json:"target_provision,omitempty"` // when a specific provision is named
	Evidence        string `json:"evidence,omitempty"`         // the sentence it was read from
}

// 效力级别. Empty means unknown.
const (
	LevelLaw           = "法律"
	LevelAdminRegs     = "行政法规"
	LevelDeptRules     = "部门规章"
	LevelNormative     = "规范性文件"
	LevelLocalRegs     = "地方性法规"
	LevelLocalRules    = "地方政府规章"
	LevelNationalStd   = "国家标准"
	LevelSectorStd     = "行业标准"
	LevelLocalStd      = "地方标准"
	LevelGroupStd      = "团体标准"
	LevelPolicy        = "政策文件"
	LevelPartyRegs     = "党内法规"
	LevelJudicial      = "司法解释"
	LevelCommentary    = "解读评论"
	LevelNewsItem      = "新闻资讯"
	LevelPlanningGuide = "规划纲要"
)

// Quality flags on a version.
const (
	FlagOCRDamaged   = "ocr_damaged" // text extracted with OCR errors that cannot be repaired
	FlagTruncated    = "truncated"   // text stops mid-document
	FlagTitleTrunc   = "title_truncated"
	FlagSummaryOnly  = "summary_only"  // only a summary (标准简介), not the full text
	FlagExcerpt      = "excerpt"       // abridged or condensed copy
	FlagNoText       = "no_text"       // catalogue record only (全文未收录)
	FlagTableDamaged = "table_damaged" // tables flattened beyond repair
	FlagFormula      = "formula_repaired"
	FlagTitleTypo    = "title_typo"
	FlagMissingArts  = "missing_articles" // article numbers skip
)

// Source is one place a version's text was found.
type Source struct {
	File      string `json:"file"`       // seed or uploaded file name
	FirstLine int    `json:"first_line"` // 1-based, inclusive
	LastLine  int    `json:"last_line"`  // 1-based, inclusive
	// For sources held on one physical line (seed 003): 0-based code-point
	// offsets into that line, end exclusive. Zero when not applicable.
	Offset    int `json:"offset,omitempty"`
	OffsetEnd int `json:"offset_end,omitempty"`
}

// Provenance records where one metadata field's value was read.
type Provenance struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Note string `json:"note,omitempty"` // e.g. "inferred from subsection"
}

// Work groups the versions of one document.
type Work struct {
	ID       string     `json:"work_id"`
	Title    string     `json:"title"` // canonical title (of the preferred version)
	Versions []*Version `json:"versions,omitempty"`
}

// Version is one text of a work, with its metadata and provision tree.
type Version struct {
	ID            string                `json:"version_id"`
	WorkID        string                `json:"work_id"`
	Kind          string                `json:"kind"`
	Title         string                `json:"title"`
	Aliases       []string              `json:"aliases"`
	DocNumber     string                `json:"doc_number"`
	Issuers       []string              `json:"issuers"`
	IssueDate     string                `json:"issue_date"`     // YYYY-MM-DD or ""
	EffectiveDate string                `json:"effective_date"` // YYYY-MM-DD or ""
	Status        string                `json:"status"`
	Level         string                `json:"level"`
	Region        string                `json:"region"` // 全国 or a province name (北京, 广东 …); "" unknown
	City          string                `json:"city,omitempty"`
	Sector        string                `json:"sector"`
	Part          string                `json:"part"`       // top section in the source compilation
	Subsection    string                `json:"subsection"` // sub-section (province / sector / （一）…)
	Tags          []string              `json:"tags"`
	Flags         []string              `json:"flags"`
	Sources       []Source              `json:"sources"`
	Provenance    map[string]Provenance `json:"provenance,omitempty"`
	Provisions    []*Provision          `json:"provisions,omitempty"` // document order; tree via ParentID
	Citations     []Citation            `json:"citations,omitempty"`
	// Validity is 时效性 (Validity* constants) as of the import/as-of date;
	// ValidityReason says how it was determined. Nature is the text's nature
	// (Nature* constants). ExpiryDate is YYYY-MM-DD when the text states its
	// own period of validity. StandardCode is "GB/T 43697-2024" and the like.
	Validity       string     `json:"validity,omitempty"`
	ValidityReason string     `json:"validity_reason,omitempty"`
	Nature         string     `json:"nature,omitempty"`
	ExpiryDate     string     `json:"expiry_date,omitempty"`
	StandardCode   string     `json:"standard_code,omitempty"`
	Relations      []Relation `json:"relations,omitempty"`
	// VersionLabel distinguishes versions of one work (e.g. "征求意见稿 2023-07-20").
	VersionLabel string `json:"version_label,omitempty"`
	// Seq is the position of the document in its source (for stable ordering).
	Seq int `json:"-"`
}

// Provision is one node of a version's structure.
type Provision struct {
	ID       string `json:"id"`
	ParentID string `json:"parent_id,omitempty"`
	Kind     string `json:"kind"`  // see Kind* constants below
	Label    string `json:"label"` // 第二十一条, 二、（一）, 5.3.1, 附件1
	Heading  string `json:"heading,omitempty"`
	Path     string `json:"path"` // 第四章 › 第二十一条
	Citation string `json:"citation"`
	Text     string `json:"text"` // the node's own text, including its heading line
	// File is the source file this provision's lines refer to when the
	// version was assembled from several files (民法典 split per 编);
	// empty means the version's first source.
	File    string `json:"file,omitempty"`
	Line    int    `json:"line"` // 1-based source line where it starts
	LineEnd int    `json:"line_end"`
	// Offsets for single-line sources (seed 003); see Source.
	Offset    int `json:"offset,omitempty"`
	OffsetEnd int `json:"offset_end,omitempty"`
	Depth     int `json:"depth"`
	Ord       int `json:"ord"`
}

// Provision kinds.
const (
	ProvPreamble  = "preamble"  // text before the first structural marker
	ProvPart      = "part"      // 编 / 篇
	ProvChapter   = "chapter"   // 章
	ProvSection   = "section"   // 节
	ProvArticle   = "article"   // 条
	ProvParagraph = "paragraph" // 款 (an unnumbered paragraph inside an article)
	ProvItem      = "item"      // 项 （一）inside an article, or 1. / （1）
	ProvOutline   = "outline"   // 一、 / （一） / 1. / （1） in policy documents
	ProvClause    = "clause"    // 1 / 1.1 / 1.1.1 in standards
	ProvAnnex     = "annex"     // 附件 / 附录
	ProvTable     = "table"
)

// Citation is a mention in a version of another document (《…》).
type Citation struct {
	ProvisionID string `json:"provision_id,omitempty"`
	CitedTitle  string `json:"cited_title"`
	WorkID      string `json:"work_id,omitempty"` // resolved target, "" if not in the library
	Article     string `json:"article,omitempty"` // 第X条 right after the title, if any
}

// SourceFile returns the file a provision's line numbers refer to.
func (v *Version) SourceFile(p *Provision) string {
	if p.File != "" {
		return p.File
	}
	if len(v.Sources) > 0 {
		return v.Sources[0].File
	}
	return ""
}

// ShortHash returns a short stable identifier derived from parts.
func ShortHash(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x1f")))
	return hex.EncodeToString(h[:])[:12]
}

// HasFlag reports whether v carries flag f.
func (v *Version) HasFlag(f string) bool {
	for _, x := range v.Flags {
		if x == f {
			return true
		}
	}
	return false
}

// AddFlag adds f once.
func (v *Version) AddFlag(f string) {
	if !v.HasFlag(f) {
		v.Flags = append(v.Flags, f)
	}
}

// Provision returns the provision with id, or nil.
func (v *Version) Provision(id string) *Provision {
	for _, p := range v.Provisions {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// ShortName is the name people cite a document by: the title without the
// 中华人民共和国 prefix and without 《》.
func ShortName(title string) string {
	t := strings.Trim(title, "《》 ")
	t = strings.TrimPrefix(t, "中华人民共和国")
	return t
}

// CitationFor builds the human citation of a provision: statutes are cited by
// their short name (数据安全法 第二十一条), other documents with book-title
// marks (《企业数据资源相关会计处理暂行规定》 二、（一）).
func CitationFor(title, label string) string {
	name := ShortName(title)
	if label == "" {
		return "《" + name + "》"
	}
	if strings.HasSuffix(name, "法") {
		return name + " " + label
	}
	return "《" + name + "》 " + label
}

// IsTopicTag reports whether a tag names a topic (主题). Tags of the form
// "key:value" (宝典页码:p.48, 主送:…, 期刊:2024年11月) record where a text came
// from rather than what it is about.
func IsTopicTag(tag string) bool {
	return tag != "" && !strings.ContainsAny(tag, ":：")
}

// TopicTags returns the version's topic tags.
func (v *Version) TopicTags() []string {
	var out []string
	for _, t := range v.Tags {
		if IsTopicTag(t) {
			out = append(out, t)
		}
	}
	return out
}

// EffectiveDateOr is the effective date, else the issue date, else "".
func (v *Version) EffectiveDateOr() string {
	if v.EffectiveDate != "" {
		return v.EffectiveDate
	}
	return v.IssueDate
}

// InForce reports whether the version's 时效性 allows it to be applied now:
// unknown validity counts as in force, repealed, lapsed and amended texts
// do not.
func (v *Version) InForce() bool {
	switch v.Validity {
	case ValidityRepealed, ValidityLapsed, ValidityAmended:
		return false
	}
	return true
}

// ValidityOrStatus is 时效性 when computed, else the legacy status.
func (v *Version) ValidityOrStatus() string {
	if v.Validity != "" {
		return v.Validity
	}
	return v.Status
}
