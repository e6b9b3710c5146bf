// Package classify is the guided 数据分类分级 and 重要数据识别 of a data
// catalogue: each data item (uploaded as CSV or XLSX) is placed as 核心数据,
// 重要数据 or 一般数据 under 数据安全法 第二十一条, tagged as (sensitive)
// personal information under 个人信息保护法 第二十八条, and, for industrial
// data, given the level of 工业数据分类分级指南（试行） 第八–十一条 from the
// user's answer to the guide's criteria.
//
// The library holds only the summary (标准简介) of GB/T 43697-2024 数据分类
// 分级规则, not its rules, so no classification here claims to apply it;
// the result says so.
package classify

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"datalex/internal/selfcheck"
)

// Categories.
const (
	Core      = "核心数据"
	Important = "重要数据"
	General   = "一般数据"
	Pending   = "待判定"
)

var (
	refTiers     = selfcheck.Citation{Document: "数据安全法", Label: "第二十一条第一款", Quote: "国家建立数据分类分级保护制度"}
	refCore      = selfcheck.Citation{Document: "数据安全法", Label: "第二十一条第二款", Quote: "关系国家安全、国民经济命脉、重要民生、重大公共利益等数据属于国家核心数据，实行更加严格的管理制度。"}
	refCatalogue = selfcheck.Citation{Document: "数据安全法", Label: "第二十一条第三款", Quote: "确定本地区、本部门以及相关行业、领域的重要数据具体目录，对列入目录的数据进行重点保护"}
	refNotified  = selfcheck.Citation{Document: "促进和规范数据跨境流动规定", Label: "第二条", Quote: "数据处理者应当按照相关规定识别、申报重要数据"}
	refSensitive = selfcheck.Citation{Document: "个人信息保护法", Label: "第二十八条第一款", Quote: "包括生物识别、宗教信仰、特定身份、医疗健康、金融账户、行踪轨迹等信息，以及不满十四周岁未成年人的个人信息"}
	refIndLevels = selfcheck.Citation{Document: "工业数据分类分级指南（试行）", Label: "第八条", Quote: "将工业数据分为一级、二级、三级等 3个级别"}
	refInd3      = selfcheck.Citation{Document: "工业数据分类分级指南（试行）", Label: "第九条", Quote: "潜在影响符合下列条件之一的数据为三级数据"}
	refInd2      = selfcheck.Citation{Document: "工业数据分类分级指南（试行）", Label: "第十条", Quote: "潜在影响符合下列条件之一的数据为二级数据"}
	refInd1      = selfcheck.Citation{Document: "工业数据分类分级指南（试行）", Label: "第十一条", Quote: "潜在影响符合下列条件之一的数据为一级数据"}
	refIndReview = selfcheck.Citation{Document: "工业数据分类分级指南（试行）", Label: "第十三条", Quote: "实施工业数据分类分级管理并开展年度复查"}
)

// Refs lists every provision the tool can cite.
func Refs() []selfcheck.Citation {
	return []selfcheck.Citation{refTiers, refCore, refCatalogue, refNotified, refSensitive, refIndLevels, refInd3, refInd2, refInd1, refIndReview}
}

// IndustrialCriteria are the guide's level criteria shown to the user (the
// answer is theirs; the provisions are quoted with the result).
var IndustrialCriteria = []struct{ Level, Summary string }{
	{"三级", "易引发特别重大生产安全事故或突发环境事件、直接经济损失特别巨大，或对国民经济、行业发展、公众利益、社会秩序乃至国家安全造成严重影响（第九条）"},
	{"二级", "易引发较大或重大生产安全事故或突发环境事件、经济损失较大，级联效应明显、影响多个行业区域企业或大量个人信息泄露，或恢复代价较大（第十条）"},
	{"一级", "对正常生产运行影响较小、负面影响或直接经济损失较小、影响范围小持续时间短、恢复代价较小（第十一条）"},
}

// Tri is a yes / no / not answered.
type Tri int8

// Tri values.
const (
	Unanswered Tri = iota
	Yes
	No
)

// Item is one row of the catalogue.
type Item struct {
	Row             int    `json:"row"`
	Name            string `json:"name"`
	Description     string `json:"description,omitempty"`
	PersonalInfo    Tri    `json:"personal_info"`
	Sensitive       Tri    `json:"sensitive"`
	CoreImpact      Tri    `json:"core_impact"`                // 关系国家安全、国民经济命脉、重要民生、重大公共利益
	ListedImportant Tri    `json:"listed_important"`           // 已列入重要数据目录或被告知、公开发布为重要数据
	IndustrialLevel string `json:"industrial_level,omitempty"` // 一级/二级/三级 or ""
}

// Outcome is the classification of one item.
type Outcome struct {
	Item
	Category   string   `json:"category"`
	PI         string   `json:"pi_tag"` // 敏感个人信息 / 个人信息 / 非个人信息 / 待判定
	Industrial string   `json:"industrial"`
	Reasons    []string `json:"reasons"`
	Questions  []string `json:"questions"` // what is still to answer
}

// Result is the classified catalogue.
type Result struct {
	Items     []Outcome            `json:"items"`
	Counts    map[string]int       `json:"counts"`
	Citations []selfcheck.Citation `json:"citations"`
	Notes     []string             `json:"notes"`
}

// Classify applies the rules to every item.
func Classify(items []Item, lib *selfcheck.Library) Result {
	cs := &collector{}
	res := Result{Counts: map[string]int{}, Notes: []string{}}
	industrial := false
	for _, it := range items {
		o := Outcome{Item: it, Reasons: []string{}, Questions: []string{}}
		switch {
		case it.CoreImpact == Yes:
			o.Category = Core
			o.Reasons = append(o.Reasons, "关系国家安全、国民经济命脉、重要民生、重大公共利益等，属于国家核心数据（"+cs.Add(refCore)+"）")
		case it.ListedImportant == Yes:
			o.Category = Important
			o.Reasons = append(o.Reasons, "已列入重要数据目录或被告知、公开发布为重要数据（"+cs.Add(refCatalogue)+"；"+cs.Add(refNotified)+"）")
		case it.CoreImpact == No && it.ListedImportant == No:
			o.Category = General
			o.Reasons = append(o.Reasons, "既非核心数据，也未列入重要数据目录（"+cs.Add(refTiers)+"）")
		default:
			o.Category = Pending
			if it.CoreImpact == Unanswered {
				o.Questions = append(o.Questions, "是否关系国家安全、国民经济命脉、重要民生、重大公共利益？")
			}
			if it.ListedImportant == Unanswered {
				o.Questions = append(o.Questions, "是否已列入重要数据目录，或被相关部门、地区告知或公开发布为重要数据？")
			}
		}
		switch {
		case it.Sensitive == Yes:
			o.PI = "敏感个人信息"
			o.Reasons = append(o.Reasons, "敏感个人信息（"+cs.Add(refSensitive)+"）")
		case it.PersonalInfo == Yes && it.Sensitive == No:
			o.PI = "个人信息"
		case it.PersonalInfo == No:
			o.PI = "非个人信息"
		default:
			o.PI = Pending
			if it.PersonalInfo == Unanswered {
				o.Questions = append(o.Questions, "是否个人信息？")
			} else {
				o.Questions = append(o.Questions, "是否敏感个人信息（生物识别、宗教信仰、特定身份、医疗健康、金融账户、行踪轨迹、不满十四周岁未成年人的个人信息等）？")
			}
		}
		if it.IndustrialLevel != "" {
			industrial = true
			o.Industrial = it.IndustrialLevel
			ref := map[string]selfcheck.Citation{"三级": refInd3, "二级": refInd2, "一级": refInd1}[it.IndustrialLevel]
			o.Reasons = append(o.Reasons, fmt.Sprintf("工业数据%s（%s）", it.IndustrialLevel, cs.Add(ref)))
		}
		res.Counts[o.Category]++
		res.Items = append(res.Items, o)
	}
	cs.Add(refTiers)
	if industrial {
		cs.Add(refIndLevels)
		res.Notes = append(res.Notes, "工业数据分级结果应开展年度复查，并在系统、业务发生重大变更时及时更新（"+cs.Add(refIndReview)+"）。")
	}
	res.Notes = append(res.Notes,
		"资料库仅收录《数据安全技术 数据分类分级规则》（GB/T 43697-2024）的标准简介，未收录其正文；本工具未套用该标准的具体规则，重要数据的识别以主管部门目录和告知为准。",
		"核心数据、重要数据的判断来自您的回答；本工具据条文归类并注明依据，不替代主管部门的认定。")
	if lib != nil {
		res.Notes = append(res.Notes, selfcheck.MissingNotes(lib.CiteAll(cs.list))...)
	}
	res.Citations = cs.list
	return res
}

// ParseTri reads 是/否 and their usual spellings; "" is unanswered.
func ParseTri(s string) (Tri, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return Unanswered, nil
	case "是", "y", "yes", "true", "1", "√", "有":
		return Yes, nil
	case "否", "n", "no", "false", "0", "×", "无":
		return No, nil
	}
	return Unanswered, fmt.Errorf("应填“是”或“否”（得到 %q）", s)
}

// MarshalJSON writes "是", "否" or "".
func (t Tri) MarshalJSON() ([]byte, error) {
	switch t {
	case Yes:
		return []byte(`"是"`), nil
	case No:
		return []byte(`"否"`), nil
	}
	return []byte(`""`), nil
}

// UnmarshalJSON reads what MarshalJSON writes and the spellings ParseTri
// accepts.
func (t *Tri) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var v bool
		if err := json.Unmarshal(b, &v); err != nil {
			return errors.New("应为“是”“否”或空")
		}
		s = map[bool]string{true: "是", false: "否"}[v]
	}
	v, err := ParseTri(s)
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// collector gathers citations once each, in the order first used.
type collector struct{ list []selfcheck.Citation }

func (c *collector) Add(ct selfcheck.Citation) string {
	for _, x := range c.list {
		if x == ct {
			return ct.String()
		}
	}
	c.list = append(c.list, ct)
	return ct.String()
}
