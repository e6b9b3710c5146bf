package mcpserver

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"datalex/internal/library"
	"datalex/internal/selfcheck"
	"datalex/internal/selfcheck/crossborder"
)

// CrossborderIn is the facts of a transfer abroad, as `datalex check
// crossborder` reads them. Every field is required.
type CrossborderIn struct {
	CIIOperator     bool   `json:"cii_operator" jsonschema:"是否关键信息基础设施运营者"`
	ImportantData   bool   `json:"important_data" jsonschema:"出境数据是否含已被告知或公开发布的重要数据"`
	PersonalInfo    int64  `json:"personal_info" jsonschema:"自当年1月1日起累计向境外提供个人信息（不含敏感个人信息）的人数"`
	SensitiveInfo   int64  `json:"sensitive_personal_info" jsonschema:"自当年1月1日起累计向境外提供敏感个人信息的人数"`
	Scenario        string `json:"scenario" jsonschema:"contract_with_individual、hr_management、emergency、trade_no_personal_info、foreign_collected 或 none"`
	FTZOutsideNList bool   `json:"ftz_outside_negative_list" jsonschema:"是否自贸试验区内数据处理者提供负面清单外的数据"`
}

// addSelfcheckTools registers the 合规自查 tools.
func addSelfcheckTools(s *mcp.Server, d Deps) {
	var once sync.Once
	var lib *selfcheck.Library
	library := func() *selfcheck.Library {
		once.Do(func() {
			var versions []*library.Version
			if d.Catalog != nil {
				versions = d.Catalog.Versions
			}
			lib = selfcheck.NewLibrary(versions)
		})
		return lib
	}
	mcp.AddTool(s, &mcp.Tool{Name: "check_crossborder",
		Description: "数据出境路径判定：按《促进和规范数据跨境流动规定》判断须申报安全评估、订立标准合同或认证，还是免予申报；列出各路径均须履行的义务、申报材料与评估有效期，每一步引用库内条文原文。"},
		func(ctx context.Context, _ *mcp.CallToolRequest, in CrossborderIn) (*mcp.CallToolResult, crossborder.Result, error) {
			// Through Parse so that the tool and the CLI refuse the same input.
			b, _ := json.Marshal(in)
			f, err := crossborder.ParseFacts(b)
			if err != nil {
				return nil, crossborder.Result{}, err
			}
			r := crossborder.Decide(f)
			// The rules' quotes are verified against the bundled library by
			// tests; say so when this server's library lacks one.
			r.Notes = append(r.Notes, selfcheck.MissingNotes(library().CiteAll(r.Citations))...)
			return nil, r, nil
		})
}
