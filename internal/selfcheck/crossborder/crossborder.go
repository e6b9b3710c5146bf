// Package crossborder decides the route of a transfer of data abroad
// (数据出境路径判定) under 促进和规范数据跨境流动规定 (2024), which prevails
// over the earlier 数据出境安全评估办法 and 个人信息出境标准合同办法 where they
// differ (its 第十三条). Thresholds and provisions are data (rules.json); the
// order in which the provisions apply is code.
package crossborder

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"datalex/internal/selfcheck"
)

// Routes.
const (
	RouteAssessment = "security_assessment"
	RouteContract   = "standard_contract_or_certification"
	RouteExempt     = "exempt"
)

// Scenarios of 第三条–第五条.
const (
	ScenarioContract  = "contract_with_individual" // 第五条第（一）项
	ScenarioHR        = "hr_management"            // 第五条第（二）项
	ScenarioEmergency = "emergency"                // 第五条第（三）项
	ScenarioTrade     = "trade_no_personal_info"   // 第三条
	ScenarioForeign   = "foreign_collected"        // 第四条
	ScenarioNone      = "none"
)

// ScenarioNames are the Chinese names shown in the wizard.
var ScenarioNames = map[string]string{
	ScenarioNone:      "以上均不属于",
	ScenarioContract:  "为订立、履行个人作为一方当事人的合同（跨境购物、寄递、汇款、支付、开户、机票酒店预订、签证、考试服务等）",
	ScenarioHR:        "依法实施跨境人力资源管理，确需提供员工个人信息",
	ScenarioEmergency: "紧急情况下为保护自然人的生命健康和财产安全",
	ScenarioTrade:     "国际贸易、跨境运输、学术合作、跨国生产制造和市场营销等活动中收集和产生的数据，不含个人信息或重要数据",
	ScenarioForeign:   "境外收集和产生的个人信息传输至境内处理后向境外提供，未引入境内个人信息或重要数据",
}

// RouteNames are the Chinese names of the routes.
var RouteNames = map[string]string{
	RouteAssessment: "申报数据出境安全评估",
	RouteContract:   "订立个人信息出境标准合同或通过个人信息保护认证",
	RouteExempt:     "免予申报安全评估、订立标准合同、通过认证",
}

// Case is the facts of one transfer. Counts are individuals provided abroad
// cumulatively since 1 January of the current year.
type Case struct {
	CIIOperator     bool   `json:"cii_operator"`
	ImportantData   bool   `json:"important_data"`
	PersonalInfo    int64  `json:"personal_info"`
	SensitiveInfo   int64  `json:"sensitive_personal_info"`
	Scenario        string `json:"scenario"`
	FTZOutsideNList bool   `json:"ftz_outside_negative_list"`
}

// Validity is the life of a security assessment result.
type Validity struct {
	Years             int    `json:"years"`
	ExtensionYears    int    `json:"extension_years"`
	WindowWorkingDays int    `json:"window_working_days"`
	Text              string `json:"text"`
}

// Result is the decision with every step cited.
type Result struct {
	Route       string               `json:"route"`
	RouteName   string               `json:"route_name"`
	Steps       []string             `json:"steps"`
	Obligations []string             `json:"obligations"`
	Filings     []string             `json:"filings"`
	Validity    *Validity            `json:"validity,omitempty"`
	Citations   []selfcheck.Citation `json:"citations"`
	Notes       []string             `json:"notes"`
}

type rulesFile struct {
	Thresholds struct {
		AssessmentPI        int64 `json:"assessment_personal_info"`
		AssessmentSensitive int64 `json:"assessment_sensitive"`
		ContractPI          int64 `json:"contract_personal_info"`
		ContractSensitive   int64 `json:"contract_sensitive"`
	} `json:"thresholds"`
	Validity struct {
		Years             int `json:"years"`
		ExtensionYears    int `json:"extension_years"`
		WindowWorkingDays int `json:"window_working_days"`
		SupersededYears   int `json:"superseded_years"`
	} `json:"validity"`
	Refs map[string]selfcheck.Ref `json:"refs"`
}

//go:embed rules.json
var rulesJSON []byte

var rules = mustRules()

func mustRules() rulesFile {
	var r rulesFile
	dec := json.NewDecoder(bytes.NewReader(rulesJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		panic("crossborder rules.json: " + err.Error())
	}
	return r
}

func ref(key string) selfcheck.Ref {
	r, ok := rules.Refs[key]
	if !ok {
		panic("crossborder: no rule " + key)
	}
	return r
}

// Refs lists every provision the tool can cite (for the library test).
func Refs() []selfcheck.Ref {
	keys := make([]string, 0, len(rules.Refs))
	for k := range rules.Refs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]selfcheck.Ref, len(keys))
	for i, k := range keys {
		out[i] = rules.Refs[k]
	}
	return out
}

var fields = []string{"cii_operator", "important_data", "personal_info", "sensitive_personal_info", "scenario", "ftz_outside_negative_list"}

// Parse reads one case, refusing unknown and missing fields, wrong types,
// negative counts and unknown scenarios with a message naming the field.
func Parse(data []byte) (Case, error) {
	var c Case
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return c, fmt.Errorf("案例不是 JSON 对象: %v", err)
	}
	if raw == nil {
		return c, errors.New("案例不是 JSON 对象")
	}
	known := map[string]bool{}
	for _, f := range fields {
		known[f] = true
	}
	var unknown []string
	for k := range raw {
		if !known[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return c, fmt.Errorf("未知字段 %s", strings.Join(unknown, ", "))
	}
	for _, f := range fields {
		v, ok := raw[f]
		if !ok || string(v) == "null" {
			return c, fmt.Errorf("缺少字段 %s", f)
		}
	}
	boolField := func(name string, dst *bool) error {
		if err := json.Unmarshal(raw[name], dst); err != nil {
			return fmt.Errorf("字段 %s 应为 true 或 false", name)
		}
		return nil
	}
	intField := func(name string, dst *int64) error {
		dec := json.NewDecoder(bytes.NewReader(raw[name]))
		dec.UseNumber()
		var n json.Number
		if err := dec.Decode(&n); err != nil {
			return fmt.Errorf("字段 %s 应为非负整数", name)
		}
		i, err := n.Int64()
		if err != nil {
			return fmt.Errorf("字段 %s 应为非负整数（得到 %s）", name, n)
		}
		if i < 0 {
			return fmt.Errorf("字段 %s 不能为负数（得到 %d）", name, i)
		}
		*dst = i
		return nil
	}
	if err := boolField("cii_operator", &c.CIIOperator); err != nil {
		return c, err
	}
	if err := boolField("important_data", &c.ImportantData); err != nil {
		return c, err
	}
	if err := boolField("ftz_outside_negative_list", &c.FTZOutsideNList); err != nil {
		return c, err
	}
	if err := intField("personal_info", &c.PersonalInfo); err != nil {
		return c, err
	}
	if err := intField("sensitive_personal_info", &c.SensitiveInfo); err != nil {
		return c, err
	}
	if err := json.Unmarshal(raw["scenario"], &c.Scenario); err != nil {
		return c, errors.New("字段 scenario 应为字符串")
	}
	return c, c.Validate()
}

// Validate checks a case built in code or from a form.
func (c Case) Validate() error {
	if c.PersonalInfo < 0 {
		return fmt.Errorf("字段 personal_info 不能为负数（得到 %d）", c.PersonalInfo)
	}
	if c.SensitiveInfo < 0 {
		return fmt.Errorf("字段 sensitive_personal_info 不能为负数（得到 %d）", c.SensitiveInfo)
	}
	if _, ok := ScenarioNames[c.Scenario]; !ok {
		return fmt.Errorf("字段 scenario 的值 %q 不是 contract_with_individual、hr_management、emergency、trade_no_personal_info、foreign_collected、none 之一", c.Scenario)
	}
	return nil
}

// Decide applies the rules to a valid case. lib may be nil: citations are
// then marked missing and a note says so.
func Decide(c Case, lib *selfcheck.Library) Result {
	d := &decision{c: c, cs: selfcheck.NewCitations(lib)}
	d.route()
	d.obligations()
	d.filings()
	r := d.r
	r.RouteName = RouteNames[r.Route]
	r.Citations = d.cs.List
	r.Notes = append(r.Notes, d.cs.MissingNotes()...)
	for _, p := range []*[]string{&r.Steps, &r.Obligations, &r.Filings, &r.Notes} {
		if *p == nil {
			*p = []string{}
		}
	}
	return r
}

type decision struct {
	c  Case
	cs *selfcheck.Citations
	r  Result
}

func (d *decision) step(key, format string, args ...any) {
	cite := d.cs.Add(ref(key))
	d.r.Steps = append(d.r.Steps, fmt.Sprintf(format, args...)+"（"+cite+"）")
}

func (d *decision) note(key, format string, args ...any) {
	cite := d.cs.Add(ref(key))
	d.r.Notes = append(d.r.Notes, fmt.Sprintf(format, args...)+"（"+cite+"）")
}

func (d *decision) hasPI() bool { return d.c.PersonalInfo > 0 || d.c.SensitiveInfo > 0 }

// route applies 第六条, 第三–五条 (which prevail under 第七条第二款 and
// 第八条), then 第七条 and 第八条, then the 第五条第（四）项 exemption.
func (d *decision) route() {
	c := d.c
	t := rules.Thresholds
	d.step("g13", "适用 2024 年《促进和规范数据跨境流动规定》；数据出境安全评估办法、个人信息出境标准合同办法与之不一致的，适用本规定")

	if c.FTZOutsideNList {
		d.r.Route = RouteExempt
		d.step("g6", "自由贸易试验区内数据处理者向境外提供负面清单外的数据，可以免予申报安全评估、订立标准合同、通过认证")
		d.step("g7_p2", "第六条情形优先于第七条、第八条")
		d.note("g6", "请核对所在自贸试验区负面清单的最新版本；负面清单内的数据不适用此项豁免")
		return
	}

	switch c.Scenario {
	case ScenarioTrade:
		if !c.hasAnyPIOrImportant() {
			d.r.Route = RouteExempt
			d.step("g3", "国际贸易、跨境运输、学术合作、跨国生产制造和市场营销等活动中收集和产生的数据，不含个人信息或重要数据，免予申报")
			return
		}
		d.note("g3", "所选情形以不含个人信息或重要数据为前提，但所填事实含个人信息或重要数据，第三条豁免不适用，按数量和数据类型判定")
	case ScenarioForeign:
		if !c.ImportantData {
			d.r.Route = RouteExempt
			d.step("g4", "境外收集和产生的个人信息传输至境内处理后向境外提供，未引入境内个人信息或重要数据，免予申报，不论数量")
			d.note("g4", "如处理过程中引入了境内个人信息或重要数据，本项豁免不再适用")
			return
		}
		d.note("g4", "涉及重要数据，第四条豁免（未引入境内个人信息或重要数据）不适用")
	case ScenarioContract, ScenarioHR, ScenarioEmergency:
		key := map[string]string{ScenarioContract: "g5_1", ScenarioHR: "g5_2", ScenarioEmergency: "g5_3"}[c.Scenario]
		if !c.ImportantData {
			d.r.Route = RouteExempt
			d.step("g5", "向境外提供个人信息符合第五条所列条件之一的，免予申报安全评估、订立标准合同、通过认证")
			d.step(key, "所选情形：%s；确需向境外提供个人信息的，不论数量、不论是否关键信息基础设施运营者，均予豁免", ScenarioNames[c.Scenario])
			d.step("g7_p2", "第五条情形优先于第七条（安全评估）")
			d.note(key, "豁免以“确需”向境外提供为限，超出必要范围的个人信息不在豁免之内")
			return
		}
		d.step(key, "所选情形可豁免其中的个人信息：%s", ScenarioNames[c.Scenario])
		d.note("g5_p2", "第五条豁免的个人信息不包括重要数据，重要数据仍按第七条判定")
	}

	if c.ImportantData {
		d.note("g2", "重要数据以被相关部门、地区告知或者公开发布为准；未被告知或公开发布的，不需要作为重要数据申报")
	}

	if c.CIIOperator {
		if c.ImportantData || d.hasPI() {
			d.r.Route = RouteAssessment
			d.step("g7", "应当通过所在地省级网信部门向国家网信部门申报数据出境安全评估")
			d.step("g7_1", "关键信息基础设施运营者向境外提供个人信息或者重要数据，不论数量")
			if d.hasPI() {
				d.note("p40", "关键信息基础设施运营者在境内收集和产生的个人信息应当存储在境内，确需向境外提供的须通过安全评估")
			}
			return
		}
		d.r.Route = RouteExempt
		d.step("g7_1", "关键信息基础设施运营者向境外提供的数据既非个人信息也非重要数据，第七条第（一）项不适用")
		d.r.Notes = append(d.r.Notes, "所填事实不含个人信息或重要数据，无需安全评估、标准合同或认证；如数据中实际含有个人信息或重要数据，请重新判定。")
		return
	}

	if c.ImportantData {
		d.r.Route = RouteAssessment
		d.step("g7", "应当通过所在地省级网信部门向国家网信部门申报数据出境安全评估")
		d.step("g7_2i", "关键信息基础设施运营者以外的数据处理者向境外提供重要数据，不论数量")
		return
	}
	if c.PersonalInfo >= t.AssessmentPI || c.SensitiveInfo >= t.AssessmentSensitive {
		d.r.Route = RouteAssessment
		d.step("g7", "应当通过所在地省级网信部门向国家网信部门申报数据出境安全评估")
		d.step("g7_2v", "自当年1月1日起累计个人信息（不含敏感）%d 人、敏感个人信息 %d 人，达到“100万人以上”或“1万人以上敏感个人信息”（含本数）", c.PersonalInfo, c.SensitiveInfo)
		return
	}
	if c.PersonalInfo >= t.ContractPI || c.SensitiveInfo >= t.ContractSensitive {
		d.r.Route = RouteContract
		d.step("g8", "自当年1月1日起累计个人信息（不含敏感）%d 人、敏感个人信息 %d 人，属于“10万人以上、不满100万人”或“不满1万人敏感个人信息”", c.PersonalInfo, c.SensitiveInfo)
		d.note("s4", "个人信息出境标准合同办法第四条按“自上年1月1日起”累计并以“处理个人信息不满100万人”为条件，与规定不一致，依规定第十三条适用规定第八条")
		return
	}
	d.r.Route = RouteExempt
	if c.PersonalInfo > 0 {
		d.step("g5_4", "关键信息基础设施运营者以外的数据处理者自当年1月1日起累计向境外提供 %d 人个人信息（不含敏感个人信息），不满10万人，免予申报", c.PersonalInfo)
		d.step("g5", "符合第五条所列条件之一的，免予申报安全评估、订立标准合同、通过认证")
		return
	}
	d.r.Notes = append(d.r.Notes, "所填事实不含个人信息或重要数据，无需安全评估、标准合同或认证；如数据中实际含有个人信息或重要数据，请重新判定。")
}

func (c Case) hasAnyPIOrImportant() bool {
	return c.ImportantData || c.PersonalInfo > 0 || c.SensitiveInfo > 0
}

// piInvolved says whether personal information leaves the country on the
// user's facts (a 第五条 scenario is by definition a transfer of it).
func (d *decision) piInvolved() bool {
	switch d.c.Scenario {
	case ScenarioContract, ScenarioHR, ScenarioEmergency, ScenarioForeign:
		return true
	}
	return d.hasPI()
}

// obligations are those that remain in every route (第十条, 第十一条).
func (d *decision) obligations() {
	add := func(key, text string) {
		d.r.Obligations = append(d.r.Obligations, text+"（"+d.cs.Add(ref(key))+"）")
	}
	if d.piInvolved() {
		add("g10", "无论何种路径，向境外提供个人信息均须履行告知、取得个人单独同意、进行个人信息保护影响评估等义务")
		add("p39", "告知境外接收方的名称或者姓名、联系方式、处理目的、处理方式、个人信息的种类以及个人向境外接收方行使权利的方式和程序，并取得个人的单独同意")
		add("p55_4", "向境外提供个人信息前事前进行个人信息保护影响评估，并对处理情况进行记录")
		add("p56_keep", "个人信息保护影响评估报告和处理情况记录至少保存三年")
		add("p38_3", "采取必要措施，保障境外接收方处理个人信息的活动达到个人信息保护法规定的保护标准")
	}
	add("g11", "遵守法律、法规，履行数据安全保护义务，采取技术措施和其他必要措施，保障数据出境安全")
	add("g11_inc", "发生或者可能发生数据安全事件的，采取补救措施，及时向省级以上网信部门和其他有关主管部门报告")
}

// filings are the documents and filings of the route, with the validity of
// an assessment result.
func (d *decision) filings() {
	add := func(key, text string) {
		d.r.Filings = append(d.r.Filings, text+"（"+d.cs.Add(ref(key))+"）")
	}
	v := rules.Validity
	switch d.r.Route {
	case RouteAssessment:
		add("m5", "申报前开展数据出境风险自评估")
		add("m6", "准备申报材料：申报书、数据出境风险自评估报告、与境外接收方拟订立的法律文件、安全评估工作需要的其他材料")
		add("g7", "通过所在地省级网信部门向国家网信部门申报")
		d.r.Validity = &Validity{Years: v.Years, ExtensionYears: v.ExtensionYears, WindowWorkingDays: v.WindowWorkingDays,
			Text: fmt.Sprintf("评估结果有效期 %d 年，自评估结果出具之日起计算；有效期届满需继续出境且未发生需重新申报情形的，可在届满前 %d 个工作日内申请延长，经批准延长 %d 年",
				v.Years, v.WindowWorkingDays, v.ExtensionYears)}
		d.step("g9", "评估结果有效期为 %d 年", v.Years)
		d.step("g9_ext", "届满前 %d 个工作日内可申请延长 %d 年", v.WindowWorkingDays, v.ExtensionYears)
		d.note("m14", "数据出境安全评估办法第十四条规定的 %d 年有效期与规定不一致，依规定第十三条不再适用，以规定第九条的 %d 年为准", v.SupersededYears, v.Years)
	case RouteContract:
		add("s5", "向境外提供个人信息前开展个人信息保护影响评估")
		add("s6", "标准合同严格按照标准合同办法附件订立，生效后方可开展个人信息出境活动")
		add("s7", "标准合同生效之日起 10 个工作日内向所在地省级网信部门备案，提交标准合同和个人信息保护影响评估报告")
		add("p38_2", "或者：按照国家网信部门的规定经专业机构进行个人信息保护认证")
	case RouteExempt:
		d.r.Filings = append(d.r.Filings, "无需申报、备案或认证；保存证明豁免情形的材料（业务场景、数量统计口径与时间）以备检查。")
	}
}
