// Package pia is the 个人信息保护影响评估 self-check: whether an assessment
// is required before a processing activity (个人信息保护法 第五十五条), what it
// must contain (第五十六条), and the assessment record the user fills in,
// kept at least three years.
package pia

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"datalex/internal/selfcheck"
)

// Activities of 第五十五条 (一)–(五).
const (
	ActSensitive   = "sensitive"                // （一）处理敏感个人信息
	ActAutomated   = "automated_decision"       // （二）利用个人信息进行自动化决策
	ActEntrust     = "entrust_provide_disclose" // （三）委托处理、向其他处理者提供、公开
	ActCrossBorder = "cross_border"             // （四）向境外提供个人信息
	ActMajor       = "other_major_impact"       // （五）其他对个人权益有重大影响的处理活动
)

const doc = "中华人民共和国个人信息保护法"

var table = map[string]selfcheck.Citation{
	"55":  {Document: doc, Label: "第五十五条", Quote: "有下列情形之一的，个人信息处理者应当事前进行个人信息保护影响评估，并对处理情况进行记录"},
	"55a": {Document: doc, Label: "第五十五条", Quote: "（一）处理敏感个人信息"},
	"55b": {Document: doc, Label: "第五十五条", Quote: "（二）利用个人信息进行自动化决策"},
	"55c": {Document: doc, Label: "第五十五条", Quote: "（三）委托处理个人信息、向其他个人信息处理者提供个人信息、公开个人信息"},
	"55d": {Document: doc, Label: "第五十五条", Quote: "（四）向境外提供个人信息"},
	"55e": {Document: doc, Label: "第五十五条", Quote: "（五）其他对个人权益有重大影响的个人信息处理活动"},
	"56":  {Document: doc, Label: "第五十六条", Quote: "个人信息保护影响评估应当包括下列内容"},
	"56a": {Document: doc, Label: "第五十六条", Quote: "（一）个人信息的处理目的、处理方式等是否合法、正当、必要"},
	"56b": {Document: doc, Label: "第五十六条", Quote: "（二）对个人权益的影响及安全风险"},
	"56c": {Document: doc, Label: "第五十六条", Quote: "（三）所采取的保护措施是否合法、有效并与风险程度相适应"},
	"56k": {Document: doc, Label: "第五十六条", Quote: "个人信息保护影响评估报告和处理情况记录应当至少保存三年"},
}

var triggers = []struct{ act, key, text string }{
	{ActSensitive, "55a", "处理敏感个人信息"},
	{ActAutomated, "55b", "利用个人信息进行自动化决策"},
	{ActEntrust, "55c", "委托处理、向其他个人信息处理者提供或者公开个人信息"},
	{ActCrossBorder, "55d", "向境外提供个人信息"},
	{ActMajor, "55e", "其他对个人权益有重大影响的个人信息处理活动"},
}

// Facts are the activity and the answers to the assessment's questions.
type Facts struct {
	Activity   string   `json:"activity"`   // what is being assessed, in the user's words
	Activities []string `json:"activities"` // codes of 第五十五条 that apply
	Date       string   `json:"date"`       // assessment date YYYY-MM-DD (default today)
	Purpose    string   `json:"purpose_and_method"`
	Impact     string   `json:"impact_and_risk"`
	Measures   string   `json:"measures"`
}

// Item is one required content of the assessment with the user's answer.
type Item struct {
	Question string             `json:"question"`
	Answer   string             `json:"answer"`
	Missing  bool               `json:"missing"`
	Citation selfcheck.Citation `json:"citation"`
}

// Result is the assessment record.
type Result struct {
	Required   bool                 `json:"required"`
	Conclusion string               `json:"conclusion"`
	Triggers   []string             `json:"triggers"`
	Items      []Item               `json:"contents"`
	Complete   bool                 `json:"complete"`
	Date       string               `json:"date"`
	KeepUntil  string               `json:"keep_until"`
	Citations  []selfcheck.Citation `json:"citations"`
	Notes      []string             `json:"notes"`
}

// AllCitations lists every provision the tool can cite.
func AllCitations() []selfcheck.Citation { return selfcheck.Sorted(table) }

// ParseFacts reads a case strictly (unknown fields and codes are errors).
func ParseFacts(data []byte) (Facts, error) {
	var f Facts
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return f, fmt.Errorf("案例无法读取：%v", err)
	}
	return f, f.Validate()
}

// Validate checks the activity codes and the date.
func (f Facts) Validate() error {
	for _, a := range f.Activities {
		ok := false
		for _, t := range triggers {
			ok = ok || t.act == a
		}
		if !ok {
			codes := make([]string, len(triggers))
			for i, t := range triggers {
				codes[i] = t.act
			}
			return fmt.Errorf("字段 activities 含未知取值 %q，应为 %s 之一", a, strings.Join(codes, "、"))
		}
	}
	if f.Date != "" {
		if _, err := time.Parse("2006-01-02", f.Date); err != nil {
			return fmt.Errorf("字段 date 应为 YYYY-MM-DD，收到 %q", f.Date)
		}
	}
	return nil
}

// Decide produces the assessment record. today is used when Date is empty.
func Decide(f Facts, today time.Time) Result {
	c := selfcheck.NewCollector(table)
	r := Result{Triggers: []string{}, Notes: []string{}}
	c.Cite("55")
	for _, t := range triggers {
		for _, a := range f.Activities {
			if a == t.act {
				r.Triggers = append(r.Triggers, t.text+"（"+c.Cite(t.key).String()+"）")
			}
		}
	}
	r.Required = len(r.Triggers) > 0
	date := today
	if f.Date != "" {
		date, _ = time.Parse("2006-01-02", f.Date)
	}
	r.Date = date.Format("2006-01-02")
	r.KeepUntil = date.AddDate(3, 0, 0).Format("2006-01-02")
	c.Cite("56")
	answers := []struct{ key, q, a string }{
		{"56a", "个人信息的处理目的、处理方式等是否合法、正当、必要", f.Purpose},
		{"56b", "对个人权益的影响及安全风险", f.Impact},
		{"56c", "所采取的保护措施是否合法、有效并与风险程度相适应", f.Measures},
	}
	r.Complete = true
	for _, a := range answers {
		missing := strings.TrimSpace(a.a) == ""
		r.Complete = r.Complete && !missing
		r.Items = append(r.Items, Item{Question: a.q, Answer: strings.TrimSpace(a.a), Missing: missing, Citation: c.Cite(a.key)})
	}
	c.Cite("56k")
	if r.Required {
		r.Conclusion = "需要在处理前进行个人信息保护影响评估，并对处理情况进行记录；评估报告和处理情况记录至少保存三年（至 " + r.KeepUntil + "）。"
		if !r.Complete {
			r.Notes = append(r.Notes, "评估记录尚不完整：第五十六条要求的三项内容都须作答。")
		}
	} else {
		r.Conclusion = "所选活动不属于第五十五条列举的情形，法律不强制要求事前评估；如活动对个人权益有重大影响，应按第（五）项评估。"
	}
	r.Citations = c.List
	return r
}
