package validity

import "datalex/internal/library"

// Record is the metadata of a version as every outlet prints it: `datalex
// corpus list --json`, the /api/v1 document JSON and the MCP tools. Status
// is the 时效性 (as of the date the library was annotated) and StatusReason
// says why; unknown fields are JSON null, never an empty string that looks
// like data.
type Record struct {
	WorkID        string             `json:"work_id"`
	VersionID     string             `json:"version_id"`
	Kind          string             `json:"kind"`
	Title         string             `json:"title"`
	Aliases       []string           `json:"aliases"`
	Sources       []library.Source   `json:"sources"`
	Part          *string            `json:"part"`
	Subsection    *string            `json:"subsection"`
	Level         *string            `json:"level"`
	Region        *string            `json:"region"`
	Sector        *string            `json:"sector"`
	Status        string             `json:"status"` // 时效性
	StatusReason  string             `json:"status_reason"`
	Nature        *string            `json:"nature"`
	DocNumber     *string            `json:"doc_number"`
	Issuers       []string           `json:"issuers"`
	IssueDate     *string            `json:"issue_date"`
	EffectiveDate *string            `json:"effective_date"`
	ExpiryDate    *string            `json:"expiry_date"`
	StandardCode  *string            `json:"standard_code"`
	Relations     []library.Relation `json:"relations"`
	VersionLabel  string             `json:"version_label"`
	Provisions    int                `json:"provisions"`
	Flags         []string           `json:"flags"`
	Tags          []string           `json:"tags"`
}

// NewRecord returns v's Record.
func NewRecord(v *library.Version) Record {
	rels := v.Relations
	if rels == nil {
		rels = []library.Relation{}
	}
	return Record{
		WorkID: v.WorkID, VersionID: v.ID, Kind: v.Kind, Title: v.Title, Aliases: nonNil(v.Aliases),
		Sources: v.Sources, Part: nullable(v.Part), Subsection: nullable(v.Subsection), Level: nullable(v.Level),
		Region: nullable(v.Region), Sector: nullable(v.Sector), Status: v.Validity, StatusReason: v.ValidityReason,
		Nature: nullable(v.Nature), ExpiryDate: nullable(v.ExpiryDate), StandardCode: nullable(v.StandardCode), Relations: rels,
		DocNumber: nullable(v.DocNumber), Issuers: nonNil(v.Issuers), IssueDate: nullable(v.IssueDate),
		EffectiveDate: nullable(v.EffectiveDate), VersionLabel: v.VersionLabel, Provisions: len(v.Provisions),
		Flags: nonNil(v.Flags), Tags: nonNil(v.Tags),
	}
}

// nullable turns "unknown" into JSON null rather than an empty string.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}
