// Package pia is the 个人信息保护影响评估 questionnaire: whether an
// assessment is required (个人信息保护法 第五十五条), what it must contain
// (第五十六条第一款), and the record it produces, kept at least three years
// (第五十六条第二款).
package pia

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"datalex/internal/selfcheck"
)

const doc = "个人信息保护法"

// Trigger is one 第五十五条 circumstance.
type Trigger struct {
	Key  string        `json:"key"`
	Name string        `json:"name"`
	Ref  selfcheck.Ref `json:"-"`
}

// Triggers of 第五十五条, in the order of its items.
var Triggers = []Trigger{
	{"sensitive", "处理敏感个人信息", selfcheck.Ref{Doc: doc, Label: "第五十五条第（一）项", Quote: "（一）处理敏感个人信息；"}},
	{"automated_decision", "利用个人信息进行自动化决策", selfcheck.Ref{Doc: doc, Label: "第五十五条第（二）项", Quote: "（二）利用个人信息进行自动化决策；"}},
	{"entrust_provide_publish", "委托处理个人信息、向其他个人信息处理者提供个人信息、公开个人信息", selfcheck.Ref{Doc: doc, Label: "第五十五条第（三）项", Quote: "（三）委托处理个人信息、向其他个人信息处理者提供个人信息、公开个人信息；"}},
	{"cross_border", "向境外提供个人信息", selfcheck.Ref{Doc: doc, Label: "第五十五条第（四）项", Quote: "（四）向境外提供个人信息；"}},
	{"significant_impact", "其他对个人权益有重大影响的个人信息处理活动", selfcheck.Ref{Doc: doc, Label: "第五十五条第（五）项", Quote: "（五）其他对个人权益有重大影响的个人信息处理活动。"}},
}

// Section is one required content of 第五十六条第一款.
type Section struct {
	Key  string        `json:"key"`
	Name string        `json:"name"`
	Ref  selfcheck.Ref `json:"-"`
}

// Sections of 第五十六条第一款.
var Sections = []Section{
	{"lawfulness", "个人信息的处理目的、处理方式等是否合法、正当、必要", selfcheck.Ref{Doc: doc, Label: "第五十六条第（一）项", Quote: "个人信息的处理目的、处理方式等是否合法、正当、必要"}},
	{"impact", "对个人权益的影响及安全风险", selfcheck.Ref{Doc: doc, Label: "第五十六条第（二）项", Quote: "对个人权益的影响及安全风险"}},
	{"measures", "所采取的保护措施是否合法、有效并与风险程度相适应", selfcheck.Ref{Doc: doc, Label: "第五十六条第（三）项", Quote: "所采取的保护措施是否合法、有效并与风险程度相适应"}},
}

var (
	refRequired = selfcheck.Ref{Doc: doc, Label: "第五十五条", Quote: "个人信息处理者应当事前进行个人信息保护影响评估，并对处理情况进行记录"}
	refKeep     = selfcheck.Ref{Doc: doc, Label: "第五十六条第二款", Quote: "个人信息保护影响评估报告和处理情况记录应当至少保存三年。"}
)

// RetentionYears is the minimum keeping period of 第五十六条第二款.
const RetentionYears = 3

// Refs lists every provision the tool can cite.
func Refs() []selfcheck.Ref {
	out := []selfcheck.Ref{refRequired, refKeep}
	for _, t := range Triggers {
		out = append(out, t.Ref)
	}
	for _, s := range Sections {
		out = append(out, s.Ref)
	}
	return out
}

// Case is the questionnaire: the activity, which 第五十五条 circumstances
// apply, and the answers to the 第五十六条 contents.
type Case struct {
	Activity   string            `json:"activity"`
	Triggers   []string          `json:"triggers"`
	Answers    map[string]string `json:"answers"`
	AssessedOn string            `json:"assessed_on"` // YYYY-MM-DD; today when empty
}

// Result is the assessment record.
type Result struct {
	Activity   string               `json:"activity"`
	Required   bool                 `json:"required"`
	Reasons    []string             `json:"reasons"`
	Sections   []SectionResult      `json:"sections"`
	Complete   bool                 `json:"complete"`
	AssessedOn string               `json:"assessed_on"`
	KeepUntil  string               `json:"keep_until"`
	Citations  []selfcheck.Citation `json:"citations"`
	Notes      []string             `json:"notes"`
}

// SectionResult is one section of the record with its answer.
type SectionResult struct {
	Key      string `json:"key"`
	Name     string `json:"name"`
	Answer   string `json:"answer"`
	Citation string `json:"citation"`
}

const maxAnswer = 20000

// Validate checks the questionnaire.
func (c *Case) Validate() error {
	if strings.TrimSpace(c.Activity) == "" {
		return errors.New("字段 activity（处理活动）不能为空")
	}
	known := map[string]bool{}
	for _, t := range Triggers {
		known[t.Key] = true
	}
	for _, k := range c.Triggers {
		if !known[k] {
			return fmt.Errorf("字段 triggers 含未知情形 %q", k)
		}
	}
	sec := map[string]bool{}
	for _, s := range Sections {
		sec[s.Key] = true
	}
	for k, v := range c.Answers {
		if !sec[k] {
			return fmt.Errorf("字段 answers 含未知内容项 %q", k)
		}
		if len(v) > maxAnswer {
			return fmt.Errorf("字段 answers.%s 过长（上限 %d 字节）", k, maxAnswer)
		}
	}
	if c.AssessedOn != "" {
		if _, err := time.Parse(time.DateOnly, c.AssessedOn); err != nil {
			return fmt.Errorf("字段 assessed_on 应为 YYYY-MM-DD（得到 %q）", c.AssessedOn)
		}
	}
	return nil
}

// Parse reads a questionnaire, refusing unknown fields.
func Parse(data []byte) (Case, error) {
	var c Case
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("问卷无法解析: %v", err)
	}
	return c, c.Validate()
}

// Assess produces the record. now supplies the date when the case has none.
func Assess(c Case, lib *selfcheck.Library, now time.Time) Result {
	cs := selfcheck.NewCitations(lib)
	r := Result{Activity: strings.TrimSpace(c.Activity), Reasons: []string{}, Notes: []string{}}
	on := now
	if c.AssessedOn != "" {
		on, _ = time.Parse(time.DateOnly, c.AssessedOn)
	}
	r.AssessedOn = on.Format(time.DateOnly)
	r.KeepUntil = on.AddDate(RetentionYears, 0, 0).Format(time.DateOnly)
	chosen := map[string]bool{}
	for _, k := range c.Triggers {
		chosen[k] = true
	}
	for _, t := range Triggers {
		if chosen[t.Key] {
			r.Required = true
			r.Reasons = append(r.Reasons, t.Name+"（"+cs.Add(t.Ref)+"）")
		}
	}
	if r.Required {
		r.Notes = append(r.Notes, "应当事前进行个人信息保护影响评估，并对处理情况进行记录（"+cs.Add(refRequired)+"）。")
	} else {
		r.Notes = append(r.Notes, "所选处理活动不属于第五十五条列举的情形，法律不强制要求事前评估；如活动对个人权益有重大影响，请勾选第（五）项（"+cs.Add(refRequired)+"）。")
	}
	r.Complete = true
	for _, s := range Sections {
		a := strings.TrimSpace(c.Answers[s.Key])
		if a == "" {
			r.Complete = false
		}
		r.Sections = append(r.Sections, SectionResult{Key: s.Key, Name: s.Name, Answer: a, Citation: cs.Add(s.Ref)})
	}
	if r.Required && !r.Complete {
		r.Notes = append(r.Notes, "评估报告尚缺第五十六条第一款要求的内容，请补全后再存档。")
	}
	r.Notes = append(r.Notes, fmt.Sprintf("评估报告和处理情况记录至少保存三年，即至少保存至 %s（%s）。", r.KeepUntil, cs.Add(refKeep)))
	r.Notes = append(r.Notes, cs.MissingNotes()...)
	r.Citations = cs.List
	return r
}
