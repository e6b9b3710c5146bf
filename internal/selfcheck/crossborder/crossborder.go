// Package crossborder decides the route for providing data abroad (数据出境
// 路径判定) under 促进和规范数据跨境流动规定 (2024), which by its 第十三条
// prevails over the earlier 数据出境安全评估办法 and 个人信息出境标准合同办法
// where they differ, together with 个人信息保护法 第三十八–四十条.
//
// Thresholds, periods and quotes are data (rules.json); the order in which
// the exemptions and thresholds apply is code (Decide), because it is logic:
// 第七条 and 第八条 each end with "属于本规定第三条、第四条、第五条、第六条
// 规定情形的，从其规定", so the scenario exemptions are tested first.
package crossborder

import (
	"bytes"
	_ "embed"
	"encoding/json"
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

// Scenarios of 第三–五条 the user may claim.
const (
	ScenarioContract  = "contract_with_individual" // 第五条（一）
	ScenarioHR        = "hr_management"            // 第五条（二）
	ScenarioEmergency = "emergency"                // 第五条（三）
	ScenarioTrade     = "trade_no_personal_info"   // 第三条
	ScenarioForeign   = "foreign_collected"        // 第四条
	ScenarioNone      = "none"
)

var scenarios = []string{ScenarioContract, ScenarioHR, ScenarioEmergency, ScenarioTrade, ScenarioForeign, ScenarioNone}

// Facts are the user's answers.
type Facts struct {
	CIIOperator            bool   `json:"cii_operator"`
	ImportantData          bool   `json:"important_data"`
	PersonalInfo           int64  `json:"personal_info"`           // non-sensitive individuals since 1 January
	SensitivePersonalInfo  int64  `json:"sensitive_personal_info"` // sensitive individuals since 1 January
	Scenario               string `json:"scenario"`
	FTZOutsideNegativeList bool   `json:"ftz_outside_negative_list"`
}

// Step is one finding of the decision with the provision that decides it.
type Step struct {
	Finding  string             `json:"finding"`
	Citation selfcheck.Citation `json:"citation"`
}

// Validity is how long a passed security assessment holds and when to
// apply for its extension.
type Validity struct {
	Years              int    `json:"years"`
	RenewalWorkingDays int    `json:"renewal_window_working_days"`
	Superseded         string `json:"superseded_rule"`
}

// Result is the decision.
type Result struct {
	Route       string               `json:"route"`
	RouteLabel  string               `json:"route_label"`
	Conclusion  string               `json:"conclusion"`
	Steps       []Step               `json:"steps"`
	Obligations []string             `json:"obligations"`
	Documents   []string             `json:"documents"`
	Validity    *Validity            `json:"assessment_validity,omitempty"`
	Citations   []selfcheck.Citation `json:"citations"`
	Notes       []string             `json:"notes"`
}

//go:embed rules.json
var rulesJSON []byte

type threshold struct {
	Value int64  `json:"value"`
	Cite  string `json:"cite"`
}

// Rules is the data half of the tool.
type Rules struct {
	AssessmentPI       threshold                     `json:"assessment_personal_info"`
	AssessmentSens     threshold                     `json:"assessment_sensitive"`
	ContractPI         threshold                     `json:"contract_personal_info"`
	ValidityYears      threshold                     `json:"assessment_validity_years"`
	RenewalDays        threshold                     `json:"renewal_window_working_days"`
	OldValidityYears   threshold                     `json:"old_validity_years"`
	ContractFilingDays threshold                     `json:"contract_filing_working_days"`
	Citations          map[string]selfcheck.Citation `json:"citations"`
}

// LoadRules parses the embedded rules; it panics on a malformed file because
// that is a build defect caught by the tests, not a user error.
func LoadRules() *Rules {
	var r Rules
	if err := json.Unmarshal(rulesJSON, &r); err != nil {
		panic("crossborder: rules.json: " + err.Error())
	}
	for _, t := range []threshold{r.AssessmentPI, r.AssessmentSens, r.ContractPI, r.ValidityYears, r.RenewalDays, r.OldValidityYears, r.ContractFilingDays} {
		if _, ok := r.Citations[t.Cite]; !ok || t.Value <= 0 {
			panic("crossborder: rules.json: threshold without citation: " + t.Cite)
		}
	}
	return &r
}

var rules = LoadRules()

// AllCitations lists every provision the tool can cite (for verification).
func AllCitations() []selfcheck.Citation { return selfcheck.Sorted(rules.Citations) }

// ParseFacts reads a case strictly: every field is required, unknown fields
// are refused, counts must be non-negative integers and the scenario one of
// the known values. Errors name the field, in Chinese, for the user.
func ParseFacts(data []byte) (Facts, error) {
	var f Facts
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return f, fmt.Errorf("案例不是有效的 JSON 对象：%v", err)
	}
	if raw == nil {
		return f, fmt.Errorf("案例不是有效的 JSON 对象")
	}
	known := map[string]bool{}
	for _, k := range []string{"cii_operator", "important_data", "personal_info", "sensitive_personal_info", "scenario", "ftz_outside_negative_list"} {
		known[k] = true
		if _, ok := raw[k]; !ok {
			return f, fmt.Errorf("缺少字段 %s", k)
		}
	}
	var unknown []string
	for k := range raw {
		if !known[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return f, fmt.Errorf("未知字段 %s", strings.Join(unknown, ", "))
	}
	boolField := func(name string, dst *bool) error {
		if err := json.Unmarshal(raw[name], dst); err != nil {
			return fmt.Errorf("字段 %s 应为 true 或 false", name)
		}
		return nil
	}
	countField := func(name string, dst *int64) error {
		var n json.Number
		if err := json.Unmarshal(raw[name], &n); err != nil {
			return fmt.Errorf("字段 %s 应为非负整数（人数）", name)
		}
		v, err := n.Int64()
		if err != nil {
			return fmt.Errorf("字段 %s 应为非负整数（人数），收到 %s", name, n)
		}
		if v < 0 {
			return fmt.Errorf("字段 %s 不能为负数，收到 %d", name, v)
		}
		*dst = v
		return nil
	}
	for _, err := range []error{
		boolField("cii_operator", &f.CIIOperator),
		boolField("important_data", &f.ImportantData),
		countField("personal_info", &f.PersonalInfo),
		countField("sensitive_personal_info", &f.SensitivePersonalInfo),
		boolField("ftz_outside_negative_list", &f.FTZOutsideNegativeList),
	} {
		if err != nil {
			return f, err
		}
	}
	if err := json.Unmarshal(raw["scenario"], &f.Scenario); err != nil {
		return f, fmt.Errorf("字段 scenario 应为字符串，取值 %s 之一", strings.Join(scenarios, "、"))
	}
	return f, f.Validate()
}

// Validate checks facts built in code (the web form) as ParseFacts does.
func (f Facts) Validate() error {
	if f.PersonalInfo < 0 {
		return fmt.Errorf("字段 personal_info 不能为负数，收到 %d", f.PersonalInfo)
	}
	if f.SensitivePersonalInfo < 0 {
		return fmt.Errorf("字段 sensitive_personal_info 不能为负数，收到 %d", f.SensitivePersonalInfo)
	}
	for _, s := range scenarios {
		if f.Scenario == s {
			return nil
		}
	}
	return fmt.Errorf("字段 scenario 的取值 %q 无效，应为 %s 之一", f.Scenario, strings.Join(scenarios, "、"))
}

// decision accumulates a Result; citations go through the collector so each
// provision is listed once.
type decision struct {
	r     Result
	cites *selfcheck.Collector
}

func (d *decision) cite(key string) selfcheck.Citation { return d.cites.Cite(key) }

func (d *decision) step(key, finding string) {
	d.r.Steps = append(d.r.Steps, Step{Finding: finding, Citation: d.cite(key)})
}

func (d *decision) oblige(key, text string) {
	c := d.cite(key)
	d.r.Obligations = append(d.r.Obligations, text+"（"+c.String()+"）")
}

func (d *decision) note(text string) { d.r.Notes = append(d.r.Notes, text) }

func wan(n int64) string {
	if n >= 10000 && n%10000 == 0 {
		return fmt.Sprintf("%d万", n/10000)
	}
	return fmt.Sprintf("%d", n)
}

// Decide applies the rules to the facts. Facts must be valid.
func Decide(f Facts) Result {
	d := &decision{cites: selfcheck.NewCollector(rules.Citations)}
	d.r.Steps = []Step{}
	d.r.Obligations = []string{}
	d.r.Documents = []string{}
	d.r.Notes = []string{}
	hasPI := f.PersonalInfo > 0 || f.SensitivePersonalInfo > 0
	route := ""

	// 第三–六条 first: 第七条 and 第八条 yield to them ("从其规定").
	switch {
	case f.FTZOutsideNegativeList:
		d.step("rule6", "自由贸易试验区内数据处理者向境外提供负面清单外的数据，可以免予申报安全评估、订立标准合同或通过认证")
		d.note("自贸区负面清单须经省级网络安全和信息化委员会批准并报国家网信部门、国家数据管理部门备案；负面清单内的数据仍按一般规则判断。")
		route = RouteExempt
	case f.Scenario == ScenarioTrade:
		if !hasPI && !f.ImportantData {
			d.step("rule3", "国际贸易、跨境运输、学术合作、跨国生产制造和市场营销等活动中收集和产生的数据，不含个人信息或重要数据，免予申报")
			route = RouteExempt
		} else {
			d.note("所填情形为第三条（不含个人信息或重要数据），但案例含个人信息或重要数据，第三条不适用，以下按一般规则判断。")
		}
	case f.Scenario == ScenarioForeign:
		if !f.ImportantData {
			d.step("rule4", "境外收集和产生的个人信息传输至境内处理后向境外提供，处理过程中未引入境内个人信息或重要数据，免予申报")
			d.note("第四条的前提是处理过程中没有引入境内个人信息或者重要数据；如引入了，应按境内个人信息的数量重新判断。")
			route = RouteExempt
		} else {
			d.note("所填情形为第四条，但案例涉及重要数据，第四条不适用于引入境内重要数据的情形，以下按一般规则判断。")
		}
	case f.Scenario == ScenarioContract || f.Scenario == ScenarioHR || f.Scenario == ScenarioEmergency:
		key := map[string]string{ScenarioContract: "rule5_1", ScenarioHR: "rule5_2", ScenarioEmergency: "rule5_3"}[f.Scenario]
		d.step(key, "所述个人信息出境属于第五条规定的免予申报情形，不论数量多少，也不论是否为关键信息基础设施运营者")
		if f.ImportantData {
			d.step("rule5_excl", "第五条所称个人信息不包括重要数据：重要数据出境不能因此免予申报")
		} else {
			route = RouteExempt
		}
	}

	if route == "" {
		exemptPIByScenario := f.Scenario == ScenarioContract || f.Scenario == ScenarioHR || f.Scenario == ScenarioEmergency
		switch {
		case f.CIIOperator && (f.ImportantData || (hasPI && !exemptPIByScenario)):
			d.step("rule7_1", "关键信息基础设施运营者向境外提供个人信息或者重要数据，应当申报数据出境安全评估（不设数量门槛）")
			d.step("pipl40", "关键信息基础设施运营者确需向境外提供个人信息的，应当通过国家网信部门组织的安全评估")
			route = RouteAssessment
		case f.ImportantData:
			d.step("rule7_2", "向境外提供重要数据，应当申报数据出境安全评估")
			route = RouteAssessment
		case !exemptPIByScenario && f.PersonalInfo >= rules.AssessmentPI.Value:
			d.step(rules.AssessmentPI.Cite, fmt.Sprintf("当年累计向境外提供个人信息（不含敏感）%s人，达到%s人以上，应当申报数据出境安全评估", wan(f.PersonalInfo), wan(rules.AssessmentPI.Value)))
			route = RouteAssessment
		case !exemptPIByScenario && f.SensitivePersonalInfo >= rules.AssessmentSens.Value:
			d.step(rules.AssessmentSens.Cite, fmt.Sprintf("当年累计向境外提供敏感个人信息%s人，达到%s人以上，应当申报数据出境安全评估", wan(f.SensitivePersonalInfo), wan(rules.AssessmentSens.Value)))
			route = RouteAssessment
		case !exemptPIByScenario && (f.PersonalInfo >= rules.ContractPI.Value || f.SensitivePersonalInfo > 0):
			what := ""
			if f.PersonalInfo >= rules.ContractPI.Value {
				what = fmt.Sprintf("个人信息（不含敏感）%s人，在%s人以上、不满%s人", wan(f.PersonalInfo), wan(rules.ContractPI.Value), wan(rules.AssessmentPI.Value))
			}
			if f.SensitivePersonalInfo > 0 {
				if what != "" {
					what += "；"
				}
				what += fmt.Sprintf("敏感个人信息%s人，不满%s人", wan(f.SensitivePersonalInfo), wan(rules.AssessmentSens.Value))
			}
			d.step(rules.ContractPI.Cite, "当年累计向境外提供"+what+"，应当订立个人信息出境标准合同或者通过个人信息保护认证")
			route = RouteContract
		case !exemptPIByScenario && f.PersonalInfo > 0:
			d.step("rule5_4", fmt.Sprintf("非关键信息基础设施运营者当年累计向境外提供个人信息（不含敏感）%s人，不满%s人，且无敏感个人信息，免予申报", wan(f.PersonalInfo), wan(rules.ContractPI.Value)))
			route = RouteExempt
		default:
			if f.CIIOperator && !exemptPIByScenario {
				d.step("rule7_1", "关键信息基础设施运营者只有向境外提供个人信息或者重要数据时才须申报安全评估；所填事实两者皆无")
			}
			if !exemptPIByScenario {
				d.note("案例未涉及个人信息或重要数据出境，不触发安全评估、标准合同或认证；一般数据出境仍应遵守数据安全保护义务。")
			}
			route = RouteExempt
		}
	}
	if f.ImportantData {
		d.step("rule2", "只有被相关部门、地区告知或者公开发布为重要数据的，才需要作为重要数据申报")
	}

	// What remains in every route.
	if hasPI {
		d.oblige("pipl39", "向个人告知境外接收方名称、联系方式、处理目的、处理方式、个人信息种类及行权方式，并取得个人的单独同意")
		d.oblige("pipl55", "事前进行个人信息保护影响评估，并对处理情况进行记录")
		d.oblige("pipl56", "个人信息保护影响评估报告和处理情况记录至少保存三年")
		d.oblige("rule10", "按照法律、行政法规履行告知、取得个人单独同意、进行个人信息保护影响评估等义务（免予申报不免除这些义务）")
	}
	d.oblige("rule11", "履行数据安全保护义务，采取技术措施和其他必要措施，保障数据出境安全")
	d.oblige("rule11_incident", "发生或者可能发生数据安全事件的，采取补救措施，及时向省级以上网信部门和其他有关主管部门报告")

	switch route {
	case RouteAssessment:
		d.r.RouteLabel = "申报数据出境安全评估"
		d.oblige("sa5", "申报前开展数据出境风险自评估")
		d.oblige("rule7_how", "通过所在地省级网信部门向国家网信部门申报")
		d.r.Documents = append(d.r.Documents, "申报书", "数据出境风险自评估报告", "与境外接收方拟订立的法律文件", "安全评估工作需要的其他材料")
		d.cite("sa6")
		d.step("sa12", "国家网信部门自发出书面受理通知书之日起45个工作日内完成评估，情况复杂的可以延长")
		d.step("rule9", fmt.Sprintf("评估结果有效期为%d年，自评估结果出具之日起计算", rules.ValidityYears.Value))
		d.step("rule9_renew", fmt.Sprintf("需要继续出境的，可在有效期届满前%d个工作日内申请延长，经批准可延长%d年", rules.RenewalDays.Value, rules.ValidityYears.Value))
		old := d.cite("old14")
		d.step("rule13", fmt.Sprintf("原%s规定有效期为%d年，与新规定不一致，现适用《促进和规范数据跨境流动规定》第九条的%d年", old.String(), rules.OldValidityYears.Value, rules.ValidityYears.Value))
		d.r.Validity = &Validity{Years: int(rules.ValidityYears.Value), RenewalWorkingDays: int(rules.RenewalDays.Value),
			Superseded: fmt.Sprintf("%s：%d年（已被《促进和规范数据跨境流动规定》第九条、第十三条调整）", old.String(), rules.OldValidityYears.Value)}
	case RouteContract:
		d.r.RouteLabel = "订立个人信息出境标准合同或通过个人信息保护认证"
		d.oblige("scc5", "向境外提供个人信息前开展个人信息保护影响评估")
		d.oblige("scc6", "标准合同严格按照办法附件订立，生效后方可开展出境活动")
		d.oblige("scc7", fmt.Sprintf("标准合同生效之日起%d个工作日内向所在地省级网信部门备案", rules.ContractFilingDays.Value))
		d.cite("pipl38")
		d.r.Documents = append(d.r.Documents, "个人信息出境标准合同（或个人信息保护认证证书）", "个人信息保护影响评估报告", "备案所需其他材料")
		d.note("也可选择按照国家网信部门的规定经专业机构进行个人信息保护认证（个人信息保护法第三十八条）。")
	default:
		d.r.RouteLabel = "免予申报安全评估、订立标准合同或认证"
		if hasPI {
			d.r.Documents = append(d.r.Documents, "个人信息保护影响评估报告", "告知与单独同意记录")
		}
	}
	d.r.Route = route
	d.r.Citations = d.cites.List
	d.r.Conclusion = conclusion(f, d.r)
	return d.r
}

func conclusion(f Facts, r Result) string {
	switch r.Route {
	case RouteAssessment:
		return fmt.Sprintf("需要申报数据出境安全评估。通过后结果有效期%d年，可在届满前%d个工作日内申请延长。", r.Validity.Years, r.Validity.RenewalWorkingDays)
	case RouteContract:
		return "不需要申报安全评估，但应当订立个人信息出境标准合同（并备案）或者通过个人信息保护认证。"
	}
	if f.PersonalInfo > 0 || f.SensitivePersonalInfo > 0 {
		return "免予申报安全评估、订立标准合同或认证；但告知、单独同意和个人信息保护影响评估等义务仍须履行。"
	}
	return "免予申报安全评估、订立标准合同或认证；仍须履行数据安全保护义务。"
}
