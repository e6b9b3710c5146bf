// Package incident gives the reporting duties of a data or network security
// incident (数据安全/网络安全事件): whom to tell, by when, with what content,
// under the rules the library holds. The duties are a table (rules.json),
// each row with the provision it implements.
//
// The library holds the grades (特别重大/重大/较大/一般) of the 工业和信息化领域
// 数据安全事件应急预案 but not its 附件1 criteria, so the grade is the user's
// own assessment; the result says so.
package incident

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"datalex/internal/selfcheck"
)

// Sectors.
const (
	SectorMIIT  = "miit"  // 工业和信息化领域
	SectorOther = "other" // 其他领域
)

// Case is the facts of one incident.
type Case struct {
	Sector          string `json:"sector"`
	Grade           string `json:"grade"` // 一般/较大/重大/特别重大; "" when not graded
	PersonalInfo    bool   `json:"personal_info"`
	CrossBorder     bool   `json:"cross_border"`
	NetworkOperator bool   `json:"network_operator"`
}

// Duty is one reporting or handling duty.
type Duty struct {
	Action   string             `json:"action"`
	Whom     string             `json:"whom,omitempty"`
	Deadline string             `json:"deadline,omitempty"`
	Content  []string           `json:"content,omitempty"`
	Citation selfcheck.Citation `json:"citation"`
}

// Result lists the duties that apply.
type Result struct {
	Grade     string               `json:"grade"`
	Duties    []Duty               `json:"duties"`
	Citations []selfcheck.Citation `json:"citations"`
	Notes     []string             `json:"notes"`
}

type rulesFile struct {
	Grades []string `json:"grades"`
	Duties []struct {
		ID   string `json:"id"`
		When struct {
			Sector          string `json:"sector"`
			MinGrade        string `json:"min_grade"`
			PersonalInfo    bool   `json:"personal_info"`
			CrossBorder     bool   `json:"cross_border"`
			NetworkOperator bool   `json:"network_operator"`
		} `json:"when"`
		Action   string        `json:"action"`
		Whom     string        `json:"whom"`
		Deadline string        `json:"deadline"`
		Content  []string      `json:"content"`
		Ref      selfcheck.Ref `json:"ref"`
	} `json:"duties"`
	Grading selfcheck.Ref `json:"grading"`
}

//go:embed rules.json
var rulesJSON []byte

var rules = func() rulesFile {
	var r rulesFile
	dec := json.NewDecoder(bytes.NewReader(rulesJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		panic("incident rules.json: " + err.Error())
	}
	return r
}()

// Grades lists the grades from lowest to highest.
func Grades() []string { return slices.Clone(rules.Grades) }

// Refs lists every provision the tool can cite.
func Refs() []selfcheck.Ref {
	out := []selfcheck.Ref{rules.Grading}
	for _, d := range rules.Duties {
		out = append(out, d.Ref)
	}
	return out
}

// Validate checks the facts.
func (c Case) Validate() error {
	if c.Sector != SectorMIIT && c.Sector != SectorOther {
		return fmt.Errorf("字段 sector 应为 miit（工业和信息化领域）或 other（得到 %q）", c.Sector)
	}
	if c.Grade != "" && !slices.Contains(rules.Grades, c.Grade) {
		return fmt.Errorf("字段 grade 应为 一般、较大、重大、特别重大 之一或留空（得到 %q）", c.Grade)
	}
	return nil
}

// Parse reads a case, refusing unknown fields.
func Parse(data []byte) (Case, error) {
	var c Case
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("案例无法解析: %v", err)
	}
	if dec.More() {
		return c, errors.New("案例只能是一个 JSON 对象")
	}
	return c, c.Validate()
}

func gradeRank(g string) int { return slices.Index(rules.Grades, g) }

// Decide lists the duties whose conditions the facts meet.
func Decide(c Case, lib *selfcheck.Library) Result {
	cs := selfcheck.NewCitations(lib)
	r := Result{Grade: c.Grade, Duties: []Duty{}, Notes: []string{}}
	for _, d := range rules.Duties {
		w := d.When
		if w.Sector != "" && w.Sector != c.Sector ||
			w.PersonalInfo && !c.PersonalInfo ||
			w.CrossBorder && !c.CrossBorder ||
			w.NetworkOperator && !c.NetworkOperator {
			continue
		}
		if w.MinGrade != "" {
			if c.Grade == "" {
				r.Notes = append(r.Notes, fmt.Sprintf("未填写事件级别：如属%s及以上，还须%s（%s）", w.MinGrade, d.Action, library(d.Ref)))
				continue
			}
			if gradeRank(c.Grade) < gradeRank(w.MinGrade) {
				continue
			}
		}
		cs.Add(d.Ref)
		r.Duties = append(r.Duties, Duty{Action: d.Action, Whom: d.Whom, Deadline: d.Deadline, Content: d.Content, Citation: lib.Cite(d.Ref)})
	}
	if c.Sector == SectorMIIT {
		cs.Add(rules.Grading)
		r.Notes = append(r.Notes, "事件分为特别重大、重大、较大和一般四个级别（"+library(rules.Grading)+"）；资料库未收录该预案附件1的分级标准，事件级别须由您依据附件1自行判定。")
	} else {
		r.Notes = append(r.Notes, "资料库未收录本领域的事件分级与报告时限规定（如网络安全事件报告管理办法），以上仅为法律、行政法规层面的一般义务；请查阅行业主管部门的规定。")
	}
	r.Citations = cs.List
	r.Notes = append(r.Notes, cs.MissingNotes()...)
	return r
}

func library(r selfcheck.Ref) string {
	return selfcheck.Citation{Document: r.Doc, Label: r.Label}.String()
}
