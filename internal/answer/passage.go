// Package answer answers questions about the library in plain Chinese with
// every claim cited to a provision. Retrieval is built for questions
// (citations, key terms, layperson wording, follow-ups, multi-part
// questions); two answerers share one interface: an embedded extractive
// composer that needs no service, and any OpenAI-compatible chat model. Every
// answer, from either, passes the same grounding checks before it is shown.
package answer

import (
	"context"

	"datalex/internal/library"
)

// Passage is one retrieved provision with what an answer needs to quote and
// cite it.
type Passage struct {
	ProvisionID string `json:"provision_id"`
	VersionID   string `json:"version_id"`
	WorkID      string `json:"work_id"`
	Document    string `json:"document"` // version title
	Label       string `json:"label"`    // 第二十一条, 二、（一）, 5.3.1
	Citation    string `json:"citation"` // 数据安全法 第二十一条
	Path        string `json:"path"`
	Text        string `json:"text"`
	Status      string `json:"status"` // version status as imported (library.Status*)
	// Validity is the version's 时效性 (library.Validity*), with the reason.
	Validity       string `json:"validity,omitempty"`
	ValidityReason string `json:"validity_reason,omitempty"`
	// SupersededBy is the citation of the provision that now governs the
	// same point, when a later document prevails over, repeals or amends
	// this one (set by the current-rule step).
	SupersededBy string   `json:"superseded_by,omitempty"`
	Kind         string   `json:"kind"` // version kind (library.Kind*)
	Flags        []string `json:"flags,omitempty"`
	Source       string   `json:"source"` // seed or uploaded file
	Line         int      `json:"line"`
	Offset       int      `json:"offset,omitempty"` // code-point offset on single-line sources
	Score        float64  `json:"score"`
}

// RetrieveFunc returns up to k passages for a query, best first. The search
// engine provides it; the answerer calls it once per sub-query.
type RetrieveFunc func(ctx context.Context, query string, k int) ([]Passage, error)

// PassageOf builds the passage of provision p in version v.
func PassageOf(v *library.Version, p *library.Provision, score float64) Passage {
	ps := Passage{
		ProvisionID:    p.ID,
		VersionID:      v.ID,
		WorkID:         v.WorkID,
		Document:       v.Title,
		Label:          p.Label,
		Citation:       p.Citation,
		Path:           p.Path,
		Text:           p.Text,
		Status:         v.Status,
		Validity:       v.Validity,
		ValidityReason: v.ValidityReason,
		Kind:           v.Kind,
		Flags:          v.Flags,
		Line:           p.Line,
		Offset:         p.Offset,
		Score:          score,
	}
	if ps.Citation == "" {
		ps.Citation = library.CitationFor(v.Title, p.Label)
	}
	ps.Source = v.SourceFile(p)
	return ps
}

// Warnings lists what a reader must know about the passage's standing:
// drafts, superseded texts, catalogue records, excerpts, non-authoritative
// items. Empty for an adopted text in force.
func (p Passage) Warnings() []string {
	var w []string
	switch p.Status {
	case library.StatusDraft:
		w = append(w, "征求意见稿，非正式生效文本")
	case library.StatusBill:
		w = append(w, "草案，非正式生效文本")
	case library.StatusSuperseded:
		w = append(w, "已被替代")
	case library.StatusRepealed:
		w = append(w, "已废止")
	case library.StatusTrial:
		w = append(w, "试行")
	case library.StatusInterim:
		w = append(w, "暂行")
	}
	switch p.Validity {
	case library.ValidityLapsed, library.ValidityRepealed, library.ValidityAmended:
		w = append(w, p.Validity+"（"+p.ValidityReason+"）")
	}
	if p.SupersededBy != "" {
		w = append(w, "与后来的规定不一致之处已由"+p.SupersededBy+"取代")
	}
	switch p.Kind {
	case library.KindCatalogue:
		w = append(w, "仅目录记录，全文未收录")
	case library.KindNews:
		w = append(w, "新闻资讯，非规范性文件")
	case library.KindNote:
		w = append(w, "解读评论，非规范性文件")
	}
	for _, f := range p.Flags {
		switch f {
		case library.FlagExcerpt:
			w = append(w, "节选文本")
		case library.FlagSummaryOnly:
			w = append(w, "仅有摘要")
		case library.FlagTruncated:
			w = append(w, "文本不完整")
		case library.FlagOCRDamaged:
			w = append(w, "文本有识别错误")
		}
	}
	return w
}
