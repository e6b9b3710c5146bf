// Package incident gives the reporting duties after a data-security or
// network-security incident: whom to notify, within what time and with what
// content, under the rules the library holds (数据安全法 第二十九条, 网络安全法
// 第二十五条, 个人信息保护法 第五十七条, 促进和规范数据跨境流动规定 第十一条,
// 工业和信息化领域数据安全事件应急预案（试行） 4.2 / 5.1).
//
// Grading: the 预案 sorts incidents into 特别重大/重大/较大/一般 by the
// criteria of its 附件1, whose text the library does not hold, so the user
// states the grade (or "unknown") and the tool says so instead of guessing.
package incident

import (
	"bytes"
	"encoding/json"
	"fmt"

	"datalex/internal/selfcheck"
)

// Grades of the 预案 (1.4 / 附件1).
const (
	GradeExtraordinary = "特别重大"
	GradeMajor         = "重大"
	GradeLarge         = "较大"
	GradeGeneral       = "一般"
	GradeUnknown       = "unknown"
)

var grades = []string{GradeExtraordinary, GradeMajor, GradeLarge, GradeGeneral, GradeUnknown}

const (
	dsl  = "中华人民共和国数据安全法"
	csl  = "中华人民共和国网络安全法"
	pipl = "中华人民共和国个人信息保护法"
	xb   = "促进和规范数据跨境流动规定"
	miit = "工业和信息化领域数据安全事件应急预案（试行）"
)

var table = map[string]selfcheck.Citation{
	"dsl29":    {Document: dsl, Label: "第二十九条", Quote: "发生数据安全事件时，应当立即采取处置措施，按照规定及时告知用户并向有关主管部门报告"},
	"csl25":    {Document: csl, Label: "第二十五条", Quote: "在发生危害网络安全的事件时，立即启动应急预案，采取相应的补救措施，并按照规定向有关主管部门报告"},
	"pipl57":   {Document: pipl, Label: "第五十七条", Quote: "发生或者可能发生个人信息泄露、篡改、丢失的，个人信息处理者应当立即采取补救措施，并通知履行个人信息保护职责的部门和个人"},
	"pipl57c":  {Document: pipl, Label: "第五十七条", Quote: "（一）发生或者可能发生个人信息泄露、篡改、丢失的信息种类、原因和可能造成的危害"},
	"pipl57x":  {Document: pipl, Label: "第五十七条", Quote: "个人信息处理者采取措施能够有效避免信息泄露、篡改、丢失造成危害的，个人信息处理者可以不通知个人"},
	"xb11":     {Document: xb, Label: "第十一条", Quote: "发生或者可能发生数据安全事件的，应当采取补救措施，及时向省级以上网信部门和其他有关主管部门报告"},
	"miit42":   {Document: miit, Label: "4.2", Quote: "对自判为较大及以上事件的，应当立即向地方行业监管部门报告，不得迟报、谎报、瞒报、漏报"},
	"miit42c":  {Document: miit, Label: "4.2", Quote: "报告事件研判信息时，应当说明事件发生时间、初步判定的影响范围和危害、已采取的应急处置措施和有关建议"},
	"miit42up": {Document: miit, Label: "4.2", Quote: "地方行业监管部门初步研判为特别重大、重大数据安全事件的，应当在发现事件后按照“电话10分钟、书面30分钟”的要求向数据安全机制报告"},
	"miit51":   {Document: miit, Label: "5.1", Quote: "在应急工作结束后5个工作日内形成总结报告（模板见附件3），报地方行业监管部门"},
}

// Facts describe the incident.
type Facts struct {
	DataIncident    bool   `json:"data_security_incident"`    // data tampered, destroyed, leaked, illegally obtained or used
	NetworkIncident bool   `json:"network_security_incident"` // attack, intrusion, virus … endangering network security
	PersonalInfo    bool   `json:"personal_info_affected"`    // personal information leaked, tampered or lost (or may be)
	HarmAvoided     bool   `json:"harm_effectively_avoided"`  // measures effectively avoid harm to individuals
	CrossBorder     bool   `json:"cross_border_data"`         // the data had been provided abroad
	MIITSector      bool   `json:"miit_sector"`               // an industrial / telecom / internet data processor (工业和信息化领域)
	Grade           string `json:"grade"`                     // 特别重大/重大/较大/一般/unknown
}

// Duty is one reporting or notification duty.
type Duty struct {
	Whom     string             `json:"whom"`
	When     string             `json:"when"`
	Content  string             `json:"content"`
	Citation selfcheck.Citation `json:"citation"`
}

// Result lists the duties.
type Result struct {
	Conclusion string               `json:"conclusion"`
	Duties     []Duty               `json:"duties"`
	Citations  []selfcheck.Citation `json:"citations"`
	Notes      []string             `json:"notes"`
}

// AllCitations lists every provision the tool can cite.
func AllCitations() []selfcheck.Citation { return selfcheck.Sorted(table) }

// ParseFacts reads a case strictly.
func ParseFacts(data []byte) (Facts, error) {
	var f Facts
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return f, fmt.Errorf("案例无法读取：%v", err)
	}
	if f.Grade == "" {
		f.Grade = GradeUnknown
	}
	return f, f.Validate()
}

// Validate checks the grade.
func (f Facts) Validate() error {
	for _, g := range grades {
		if f.Grade == g {
			return nil
		}
	}
	return fmt.Errorf("字段 grade 的取值 %q 无效，应为 特别重大、重大、较大、一般 或 unknown", f.Grade)
}

// Decide lists the duties that the facts trigger.
func Decide(f Facts) Result {
	c := selfcheck.NewCollector(table)
	r := Result{Duties: []Duty{}, Notes: []string{}}
	add := func(key, whom, when, content string) {
		r.Duties = append(r.Duties, Duty{Whom: whom, When: when, Content: content, Citation: c.Cite(key)})
	}
	if f.DataIncident || f.PersonalInfo {
		add("dsl29", "用户；有关主管部门", "立即处置，按照规定及时告知和报告", "事件情况与已采取的处置措施")
	}
	if f.NetworkIncident {
		add("csl25", "有关主管部门", "立即启动应急预案，按照规定报告", "事件情况与补救措施")
	}
	if f.PersonalInfo {
		c.Cite("pipl57c")
		add("pipl57", "履行个人信息保护职责的部门", "立即", "信息种类、原因和可能造成的危害；已采取的补救措施和个人可采取的减轻危害的措施；处理者的联系方式")
		if f.HarmAvoided {
			c.Cite("pipl57x")
			r.Notes = append(r.Notes, "采取的措施能够有效避免危害的，可以不通知个人；但履行个人信息保护职责的部门认为可能造成危害的，有权要求通知个人。")
		} else {
			add("pipl57", "受影响的个人", "立即", "同上三项")
		}
	}
	if f.CrossBorder {
		add("xb11", "省级以上网信部门和其他有关主管部门", "及时", "出境数据发生或者可能发生的安全事件及补救措施")
	}
	if f.MIITSector {
		switch f.Grade {
		case GradeExtraordinary, GradeMajor, GradeLarge:
			c.Cite("miit42c")
			add("miit42", "地方行业监管部门", "立即（自判为较大及以上）", "事件发生时间、初步判定的影响范围和危害、已采取的应急处置措施和有关建议")
			if f.Grade != GradeLarge {
				c.Cite("miit42up")
				r.Notes = append(r.Notes, "特别重大、重大事件由地方行业监管部门按“电话10分钟、书面30分钟”向数据安全机制报告。")
				add("miit51", "地方行业监管部门", "应急工作结束后5个工作日内", "事件总结报告：起因、经过、责任、影响和损失、经验教训、改进措施")
			}
		case GradeGeneral:
			r.Notes = append(r.Notes, "自判为一般事件的，《工业和信息化领域数据安全事件应急预案（试行）》不要求立即向地方行业监管部门报告，但第二十九条等的处置和告知义务仍须履行。")
		default:
			r.Notes = append(r.Notes, "事件分级标准载于《工业和信息化领域数据安全事件应急预案（试行）》附件1，资料库未收录其全文；请先按附件1自判级别，自判为较大及以上的应立即报告。")
		}
	}
	switch {
	case len(r.Duties) == 0:
		r.Conclusion = "所填事实未触发资料库中规则规定的报告或通知义务；如事件涉及数据或网络安全，请补充事实后重新判断。"
	default:
		r.Conclusion = fmt.Sprintf("需要履行 %d 项报告或通知义务，最早的期限为“立即”。", len(r.Duties))
	}
	r.Citations = c.List
	return r
}
