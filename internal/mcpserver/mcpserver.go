// Package mcpserver exposes the library to AI assistants over the Model
// Context Protocol: search provisions, read provisions and documents, list
// documents, and ask grounded questions. The same server runs over stdio
// (`datalex mcp`) and streamable HTTP (mounted by the web server at /mcp).
package mcpserver

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"datalex/internal/answer"
	"datalex/internal/ingest"
	"datalex/internal/library"
	"datalex/internal/textseg"
	"datalex/internal/validity"
)

// Deps is what the tools read.
type Deps struct {
	Catalog  *library.Catalog
	Search   answer.RetrieveFunc
	Answerer *answer.Answerer
	Version  string // reported to clients; "dev" when empty
}

// Limits on what one call returns.
const (
	defaultLimit = 10
	maxLimit     = 50
	maxTextRunes = 20000
)

// New returns an MCP server with the DataLex tools.
func New(d Deps) *mcp.Server {
	v := d.Version
	if v == "" {
		v = "dev"
	}
	s := mcp.NewServer(&mcp.Implementation{Name: "datalex", Title: "DataLex 数据法规库", Version: v}, &mcp.ServerOptions{
		Instructions: "DataLex 收录中国数据要素、数据安全、个人信息保护与数据资产相关的法律、法规、政策与标准。" +
			"先用 search_provisions 找条文，用 get_provision / get_document 读原文；ask 给出逐句引用条文的回答。引用时请注明文件名与条号。",
	})
	t := &tools{d: d}
	mcp.AddTool(s, &mcp.Tool{Name: "search_provisions", Description: "按关键词或问题检索法规条文，返回最相关的条文及其出处与效力状态。"}, t.search)
	mcp.AddTool(s, &mcp.Tool{Name: "get_provision", Description: "按条文 id 读取一条条文的全文、所属文件、上级路径与下级条款。"}, t.getProvision)
	mcp.AddTool(s, &mcp.Tool{Name: "get_document", Description: "按文件 id（作品或版本 id）或标题读取文件的元数据与条文目录，可选全文。"}, t.getDocument)
	mcp.AddTool(s, &mcp.Tool{Name: "list_documents", Description: "列出库内文件，可按标题关键词、效力级别、地区、时效性筛选。"}, t.listDocuments)
	addSelfcheckTools(s, d)
	mcp.AddTool(s, &mcp.Tool{Name: "ask", Description: "就数据法规提问，返回只依据库内条文、逐句标注引用 [n] 的回答；库内没有依据时拒答并列出最接近的条文。"}, t.ask)
	mcp.AddTool(s, &mcp.Tool{Name: "define_term", Description: "查术语定义：给出库内定义该术语的条文（本法所称X，是指…），现行国家法律优先，地方规定标为地方示例。"}, t.defineTerm)
	return s
}

// RunStdio serves MCP over standard input and output until ctx ends or
// the client disconnects.
func RunStdio(ctx context.Context, d Deps) error {
	return New(d).Run(ctx, &mcp.StdioTransport{})
}

// HTTPHandler serves MCP over streamable HTTP; mount it at /mcp.
func HTTPHandler(d Deps) http.Handler {
	s := New(d)
	return mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s }, nil)
}

type tools struct{ d Deps }

// ProvisionHit is one search result.
type ProvisionHit struct {
	ProvisionID string   `json:"provision_id"`
	Document    string   `json:"document"`
	DocumentID  string   `json:"document_id"`
	Label       string   `json:"label"`
	Citation    string   `json:"citation"`
	Status      string   `json:"status,omitempty"` // 时效性
	Warnings    []string `json:"warnings,omitempty"`
	Text        string   `json:"text"`
	// DocumentMeta is the document's metadata as get_document gives it.
	DocumentMeta *DocSummary `json:"document_meta,omitempty"`
	Source       string      `json:"source"`
	Line         int         `json:"line"`
	Score        float64     `json:"score"`
}

type SearchIn struct {
	Query string `json:"query" jsonschema:"检索词或问题，如 数据出境安全评估 门槛"`
	Limit int    `json:"limit,omitempty" jsonschema:"返回条数，默认 10，最多 50"`
}

type SearchOut struct {
	Hits []ProvisionHit `json:"hits"`
}

func (t *tools) search(ctx context.Context, _ *mcp.CallToolRequest, in SearchIn) (*mcp.CallToolResult, SearchOut, error) {
	q := strings.TrimSpace(in.Query)
	if q == "" {
		return nil, SearchOut{}, errors.New("query 不能为空")
	}
	if t.d.Search == nil {
		return nil, SearchOut{}, errors.New("检索服务不可用")
	}
	ps, err := t.d.Search(ctx, q, clampLimit(in.Limit))
	if err != nil {
		return nil, SearchOut{}, err
	}
	out := SearchOut{Hits: []ProvisionHit{}}
	for _, p := range ps {
		h := ProvisionHit{
			ProvisionID: p.ProvisionID, Document: p.Document, DocumentID: p.VersionID, Label: p.Label,
			Citation: p.Citation, Status: p.Validity, Warnings: p.Warnings(), Text: clip(p.Text, 600),
			Source: p.Source, Line: p.Line, Score: p.Score,
		}
		if h.Status == "" {
			h.Status = p.Status
		}
		if v := t.d.Catalog.Version(p.VersionID); v != nil {
			m := summary(v)
			h.DocumentMeta = &m
		}
		out.Hits = append(out.Hits, h)
	}
	return nil, out, nil
}

type GetProvisionIn struct {
	ID string `json:"id" jsonschema:"条文 id（来自 search_provisions 或 get_document）"`
}

// ProvisionOut is one provision in full.
type ProvisionOut struct {
	ProvisionID string        `json:"provision_id"`
	Label       string        `json:"label"`
	Path        string        `json:"path"`
	Citation    string        `json:"citation"`
	Text        string        `json:"text"`
	Document    DocSummary    `json:"document"`
	Children    []OutlineItem `json:"children,omitempty"`
	Source      string        `json:"source"`
	Line        int           `json:"line"`
	LineEnd     int           `json:"line_end"`
}

func (t *tools) getProvision(ctx context.Context, _ *mcp.CallToolRequest, in GetProvisionIn) (*mcp.CallToolResult, ProvisionOut, error) {
	v, p := t.d.Catalog.Provision(strings.TrimSpace(in.ID))
	if v == nil || p == nil {
		return nil, ProvisionOut{}, fmt.Errorf("条文 %q 不存在", in.ID)
	}
	ps := answer.PassageOf(v, p, 0)
	out := ProvisionOut{
		ProvisionID: p.ID, Label: p.Label, Path: p.Path, Citation: ps.Citation, Text: p.Text,
		Document: summary(v), Source: ps.Source, Line: p.Line, LineEnd: p.LineEnd,
	}
	for _, c := range v.Children(p.ID) {
		out.Children = append(out.Children, outlineItem(c))
	}
	return nil, out, nil
}

// DocSummary describes a document version with the fields of `datalex
// corpus list --json` (validity.Record): status is the 时效性 with its
// reason; unknown fields are omitted.
type DocSummary struct {
	DocumentID    string             `json:"document_id"` // version id
	WorkID        string             `json:"work_id"`
	Title         string             `json:"title"`
	Kind          string             `json:"kind"`
	Status        string             `json:"status,omitempty" jsonschema:"时效性：现行有效、已修改、已废止、失效、尚未生效、未知"`
	StatusReason  string             `json:"status_reason,omitempty"`
	Nature        string             `json:"nature,omitempty" jsonschema:"文本性质：正式、试行、暂行、征求意见稿、草案"`
	Level         string             `json:"level,omitempty"`
	Issuers       []string           `json:"issuers,omitempty"`
	DocNumber     string             `json:"doc_number,omitempty"`
	IssueDate     string             `json:"issue_date,omitempty"`
	EffectiveDate string             `json:"effective_date,omitempty"`
	ExpiryDate    string             `json:"expiry_date,omitempty"`
	Region        string             `json:"region,omitempty"`
	Sector        string             `json:"sector,omitempty"`
	StandardCode  string             `json:"standard_code,omitempty"`
	Relations     []library.Relation `json:"relations,omitempty" jsonschema:"效力关系：basis 依据、repeals 废止、amends 修改、prevails 冲突时优先、draft_of 草案→正式、version_of 后续版本"`
	VersionLabel  string             `json:"version_label,omitempty"`
	Source        string             `json:"source,omitempty" jsonschema:"文本来源（汇编名、部分、页码或导入的文件名）"`
	Provisions    int                `json:"provisions"`
	Warnings      []string           `json:"warnings,omitempty"`
}

func summary(v *library.Version) DocSummary {
	p := answer.Passage{Status: v.Status, Kind: v.Kind, Flags: v.Flags, Validity: v.Validity, ValidityReason: v.ValidityReason}
	r := validity.NewRecord(v)
	str := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	return DocSummary{
		DocumentID: v.ID, WorkID: v.WorkID, Title: v.Title, Kind: v.Kind, Status: r.Status, StatusReason: r.StatusReason,
		Nature: str(r.Nature), Level: str(r.Level), Issuers: v.Issuers, DocNumber: v.DocNumber, IssueDate: v.IssueDate,
		EffectiveDate: v.EffectiveDate, ExpiryDate: v.ExpiryDate, Region: v.Region, Sector: v.Sector, StandardCode: v.StandardCode,
		Relations: v.Relations, VersionLabel: v.VersionLabel, Source: ingest.DescribeSource(v), Provisions: len(v.Provisions), Warnings: p.Warnings(),
	}
}

// OutlineItem is one entry of a document's table of provisions.
type OutlineItem struct {
	ProvisionID string `json:"provision_id"`
	Label       string `json:"label"`
	Heading     string `json:"heading,omitempty"`
	Depth       int    `json:"depth"`
}

func outlineItem(p *library.Provision) OutlineItem {
	return OutlineItem{ProvisionID: p.ID, Label: p.Label, Heading: p.Heading, Depth: p.Depth}
}

type GetDocumentIn struct {
	ID          string `json:"id,omitempty" jsonschema:"文件 id（作品 id 或版本 id）"`
	Title       string `json:"title,omitempty" jsonschema:"文件标题或简称，未给 id 时使用，如 数据安全法"`
	IncludeText bool   `json:"include_text,omitempty" jsonschema:"是否附带全文（过长时截断）"`
}

type DocumentOut struct {
	Document  DocSummary    `json:"document"`
	Versions  []DocSummary  `json:"versions,omitempty"` // other versions of the same work
	Outline   []OutlineItem `json:"outline"`
	Text      string        `json:"text,omitempty"`
	Truncated bool          `json:"truncated,omitempty"`
}

func (t *tools) getDocument(ctx context.Context, _ *mcp.CallToolRequest, in GetDocumentIn) (*mcp.CallToolResult, DocumentOut, error) {
	v := t.d.Catalog.Resolve(strings.TrimSpace(in.ID))
	if v == nil && strings.TrimSpace(in.Title) != "" {
		v = t.byTitle(in.Title)
	}
	if v == nil {
		return nil, DocumentOut{}, fmt.Errorf("未找到文件（id=%q, title=%q）", in.ID, in.Title)
	}
	out := DocumentOut{Document: summary(v), Outline: []OutlineItem{}}
	if w := t.d.Catalog.Work(v.WorkID); w != nil {
		for _, o := range w.Versions {
			if o.ID != v.ID {
				out.Versions = append(out.Versions, summary(o))
			}
		}
	}
	var b strings.Builder
	for _, p := range v.Provisions {
		if p.Label != "" || p.Heading != "" {
			out.Outline = append(out.Outline, outlineItem(p))
		}
		if in.IncludeText && !out.Truncated {
			if len([]rune(b.String()))+len([]rune(p.Text)) > maxTextRunes {
				out.Truncated = true
				continue
			}
			b.WriteString(p.Text + "\n")
		}
	}
	out.Text = b.String()
	return nil, out, nil
}

// byTitle finds the document whose title best matches: exact (without
// 中华人民共和国), then the shortest title containing the words.
func (t *tools) byTitle(title string) *library.Version {
	want := strings.TrimPrefix(squash(title), "中华人民共和国")
	var best *library.Version
	for _, w := range t.d.Catalog.Works {
		v := t.d.Catalog.Preferred(w.ID)
		if v == nil {
			continue
		}
		have := strings.TrimPrefix(squash(v.Title), "中华人民共和国")
		if have == want {
			return v
		}
		if strings.Contains(have, want) && (best == nil || len(v.Title) < len(best.Title)) {
			best = v
		}
	}
	return best
}

type ListDocumentsIn struct {
	Query  string `json:"query,omitempty" jsonschema:"标题关键词"`
	Level  string `json:"level,omitempty" jsonschema:"效力级别，如 法律、行政法规、部门规章、国家标准"`
	Region string `json:"region,omitempty" jsonschema:"地区，如 全国、北京、广东"`
	Status string `json:"status,omitempty" jsonschema:"时效性（现行有效、已修改、已废止、失效、尚未生效）或文本性质（试行、征求意见稿…）"`
	Limit  int    `json:"limit,omitempty" jsonschema:"返回条数，默认 10，最多 50"`
	Offset int    `json:"offset,omitempty"`
}

type ListDocumentsOut struct {
	Total     int          `json:"total"`
	Documents []DocSummary `json:"documents"`
}

func (t *tools) listDocuments(ctx context.Context, _ *mcp.CallToolRequest, in ListDocumentsIn) (*mcp.CallToolResult, ListDocumentsOut, error) {
	q := squash(in.Query)
	var all []*library.Version
	for _, w := range t.d.Catalog.Works {
		v := t.d.Catalog.Preferred(w.ID)
		if v == nil || v.Kind == library.KindNews {
			continue
		}
		if q != "" && !strings.Contains(squash(v.Title), q) {
			continue
		}
		if in.Level != "" && v.Level != in.Level || in.Region != "" && v.Region != in.Region ||
			in.Status != "" && v.Validity != in.Status && v.Status != in.Status && v.Nature != in.Status {
			continue
		}
		all = append(all, v)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].IssueDate > all[j].IssueDate })
	out := ListDocumentsOut{Total: len(all), Documents: []DocSummary{}}
	lim := clampLimit(in.Limit)
	for i := max(in.Offset, 0); i < len(all) && len(out.Documents) < lim; i++ {
		out.Documents = append(out.Documents, summary(all[i]))
	}
	return nil, out, nil
}

type AskIn struct {
	Question string          `json:"question" jsonschema:"用中文提出的问题"`
	Previous *answer.Context `json:"previous,omitempty" jsonschema:"上一轮 ask 返回的 context，用于追问"`
}

type AskOut struct {
	Conclusion string            `json:"conclusion"`
	Answer     string            `json:"answer"`
	Refused    bool              `json:"refused"`
	Answerer   string            `json:"answerer"`
	Citations  []answer.Citation `json:"citations"`
	Closest    []answer.Citation `json:"closest,omitempty"`
	Missing    []string          `json:"missing,omitempty"`
	Notice     string            `json:"notice,omitempty"`
	Context    answer.Context    `json:"context"`
}

func (t *tools) ask(ctx context.Context, _ *mcp.CallToolRequest, in AskIn) (*mcp.CallToolResult, AskOut, error) {
	if t.d.Answerer == nil {
		return nil, AskOut{}, errors.New("问答服务不可用")
	}
	ans, err := t.d.Answerer.Ask(ctx, answer.Request{Question: in.Question, Previous: in.Previous})
	if err != nil {
		return nil, AskOut{}, err
	}
	out := AskOut{Conclusion: ans.Conclusion, Answer: ans.Text, Refused: ans.Refused, Answerer: ans.Answerer, Citations: ans.Cites,
		Closest: ans.Closest, Missing: ans.Missing, Notice: ans.Notice, Context: ans.Context}
	// The text content is what most assistants show: the answer with its
	// sources, readable without the structured part.
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: ans.Markdown()}}}, out, nil
}

type DefineIn struct {
	Term  string `json:"term" jsonschema:"术语或问题，如 重要数据、什么是敏感个人信息"`
	Limit int    `json:"limit,omitempty" jsonschema:"返回条数，默认 4，最多 50"`
}

type DefineOut struct {
	// Term is the term as the library defines it ("" when none does).
	Term        string            `json:"term"`
	Definitions []answer.Citation `json:"definitions"`
}

func (t *tools) defineTerm(ctx context.Context, _ *mcp.CallToolRequest, in DefineIn) (*mcp.CallToolResult, DefineOut, error) {
	if t.d.Answerer == nil {
		return nil, DefineOut{}, errors.New("问答服务不可用")
	}
	q := strings.TrimSpace(in.Term)
	if q == "" {
		return nil, DefineOut{}, errors.New("term 不能为空")
	}
	limit := 4
	if in.Limit > 0 {
		limit = clampLimit(in.Limit)
	}
	term, defs := t.d.Answerer.Definitions(q, limit)
	if defs == nil {
		defs = []answer.Citation{}
	}
	return nil, DefineOut{Term: term, Definitions: defs}, nil
}

func clampLimit(n int) int {
	if n <= 0 {
		return defaultLimit
	}
	return min(n, maxLimit)
}

func squash(s string) string {
	return strings.Join(strings.Fields(textseg.Fold(s)), "")
}

func clip(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n]) + "…"
}
