package answer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"datalex/internal/library"
	"datalex/internal/selfcheck"
	"datalex/internal/selfcheck/crossborder"
)

// Questions that state the facts a decision tool needs are answered by
// applying the tool's rules to them, rather than by quoting the closest
// words: "我们把3万个客户手机号传给境外总部，需要做安全评估吗" has an answer
// (免予申报, 第五条（四）) that no single sentence states. The tool's
// citations are provisions of the library, quoted through the same grounding
// check as every answer.

var (
	// Providing data abroad, in the words people use.
	crossBorderWords = []string{"境外", "出境", "跨境", "海外", "国外", "外国", "境外总部", "海外总部"}
	// Places outside the mainland's customs territory that people name
	// instead of saying 境外 (for data export, 香港/澳门/台湾 count as 境外
	// too). A gazetteer of the usual destinations, not a list of phrasings.
	foreignPlaces = []string{"香港", "澳门", "台湾", "美国", "英国", "法国", "德国", "意大利", "西班牙", "荷兰", "比利时", "瑞士", "瑞典",
		"爱尔兰", "欧盟", "欧洲", "日本", "韩国", "新加坡", "马来西亚", "泰国", "越南", "印度尼西亚", "印尼", "菲律宾", "印度",
		"澳大利亚", "新西兰", "加拿大", "墨西哥", "巴西", "俄罗斯", "阿联酋", "迪拜", "沙特", "以色列", "南非", "北美", "东南亚"}
	reHeadCount = regexp.MustCompile(`(\d+(?:\.\d+)?|[一二两三四五六七八九十百]+)\s*(万|千|百万|亿)?\s*(?:多|余)?\s*(?:个|名|位|条)?\s*(?:人|用户|客户|员工|会员|患者|消费者|个人|名单|手机号|身份证|记录)`)
	// 个人信息保护法 第二十八条's defined categories of sensitive information.
	sensitiveWords = []string{"敏感个人信息", "生物识别", "宗教信仰", "特定身份", "医疗健康", "病历", "金融账户", "银行卡", "行踪轨迹", "未满十四周岁", "不满十四周岁", "人脸", "指纹"}
)

var cnSmall = map[rune]float64{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

func parseCNNumber(s string) float64 {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f
	}
	total, cur := 0.0, 0.0
	for _, r := range s {
		switch r {
		case '十':
			if cur == 0 {
				cur = 1
			}
			total += cur * 10
			cur = 0
		case '百':
			if cur == 0 {
				cur = 1
			}
			total += cur * 100
			cur = 0
		default:
			cur = cnSmall[r]
		}
	}
	return total + cur
}

// headCount reads the number of individuals a question states (3万个客户 →
// 30000), or -1.
func headCount(text string) int64 {
	m := reHeadCount.FindStringSubmatch(text)
	if m == nil {
		return -1
	}
	n := parseCNNumber(m[1])
	switch m[2] {
	case "万":
		n *= 1e4
	case "千":
		n *= 1e3
	case "百万":
		n *= 1e6
	case "亿":
		n *= 1e8
	}
	if n <= 0 {
		return -1
	}
	return int64(n)
}

// crossBorderFacts reads the facts of a cross-border question, or false
// when the question does not state a transfer abroad with a head count.
func crossBorderFacts(text string) (crossborder.Facts, bool) {
	if !containsAny(text, crossBorderWords...) && !containsAny(text, foreignPlaces...) {
		return crossborder.Facts{}, false
	}
	f := crossborder.Facts{Scenario: crossborder.ScenarioNone}
	// 第五条's own examples of contracts with the individual.
	if containsAny(text, "跨境购物", "跨境寄递", "跨境汇款", "跨境支付", "跨境开户", "机票", "酒店预订", "签证办理") {
		f.Scenario = crossborder.ScenarioContract
	}
	// 第五条（二）: cross-border human-resources management, in its words.
	if containsAny(text, "跨境人力资源", "人力资源管理", "员工个人信息", "员工的个人信息", "员工信息", "员工的信息") {
		f.Scenario = crossborder.ScenarioHR
	}
	n := headCount(text)
	if n < 0 {
		if f.Scenario == crossborder.ScenarioNone {
			return crossborder.Facts{}, false
		}
		// 第五条's cases are exempt whatever the number: the question
		// need not state one.
		n = 0
	}
	f.CIIOperator = containsAny(text, "关键信息基础设施", "关基")
	f.ImportantData = strings.Contains(text, "重要数据")
	if containsAny(text, sensitiveWords...) {
		f.SensitivePersonalInfo = n
	} else {
		f.PersonalInfo = n
	}
	return f, true
}

// decided answers a question whose facts a decision tool can apply, or
// returns nil.
func (a *Answerer) decided(q *Question) *Answer {
	f, ok := crossBorderFacts(q.Text)
	if !ok || a.lib.cat == nil {
		return nil
	}
	res := crossborder.Decide(f)
	ans := &Answer{Answerer: Extractive}
	byN := map[int]Passage{}
	cite := func(c selfcheck.Citation) int {
		p := a.lib.provisionByLabel(c.Document, c.Label)
		if p == nil {
			return 0
		}
		for n, old := range byN {
			if old.ProvisionID == p.ProvisionID {
				return n
			}
		}
		n := len(byN) + 1
		byN[n] = *p
		ans.Cites = append(ans.Cites, citationOf(n, *p, c.Quote))
		return n
	}
	var b strings.Builder
	if len(res.Steps) == 0 {
		return nil
	}
	first := res.Steps[0]
	n := cite(first.Citation)
	if n == 0 {
		return nil
	}
	fmt.Fprintf(&b, "结论：%s，「%s」[%d]\n", res.RouteLabel, first.Citation.Quote, n)
	ans.Conclusion = res.Conclusion + "（依据" + first.Citation.String() + "）"
	b.WriteString("\n判断依据：\n")
	for i, s := range res.Steps {
		if i > 0 && s.Citation.Quote == first.Citation.Quote {
			continue
		}
		if i == 0 {
			// The conclusion line quotes the first step: its basis names
			// the provision without quoting it again.
			fmt.Fprintf(&b, "- %s（见结论所引）[%d]\n", s.Citation.String(), n)
			continue
		}
		if k := cite(s.Citation); k > 0 {
			fmt.Fprintf(&b, "- %s：「%s」[%d]\n", s.Citation.String(), s.Citation.Quote, k)
		}
	}
	if len(res.Obligations) > 0 {
		b.WriteString("\n仍须履行的义务：\n")
		for _, o := range res.Obligations {
			b.WriteString(noteMark + " " + o + "\n")
		}
	}
	count := headcount(f.PersonalInfo+f.SensitivePersonalInfo) + "人（"
	if f.PersonalInfo+f.SensitivePersonalInfo == 0 {
		count = "（数量未说明，" // 第五条's cases, exempt whatever the number
	}
	fmt.Fprintf(&b, "\n%s 以上按问题中的事实判断：向境外提供个人信息%s%s），%s。\n%s 事实不同结论可能不同，可使用“合规自查 › 数据出境路径判定”逐项核对。",
		noteMark, count, map[bool]string{true: "含敏感个人信息", false: "非敏感"}[f.SensitivePersonalInfo > 0],
		map[bool]string{true: "关键信息基础设施运营者", false: "非关键信息基础设施运营者"}[f.CIIOperator], noteMark)
	ans.Text = b.String()
	verify(ans, byN, q.Text)
	if ans.Refused {
		return nil
	}
	return ans
}

// provisionByLabel finds a provision of the in-force version of a document
// by title and label.
func (l *libIndex) provisionByLabel(title, label string) *Passage {
	key := library.TitleKey(title)
	for _, v := range l.cat.Versions {
		if library.TitleKey(v.Title) != key || !v.InForce() {
			continue
		}
		for _, p := range v.Provisions {
			if p.Label == label {
				ps := PassageOf(v, p, 1)
				ps.Text = l.fullText(p.ID, p.Text)
				return &ps
			}
		}
	}
	return nil
}

// headcount writes a number of people as a reader of the rules does: the
// rules state thresholds in 万 (100万人, 1万人), so 1200000 reads 120万.
func headcount(n int64) string {
	if n >= 10000 && n%100 == 0 {
		return strconv.FormatFloat(float64(n)/10000, 'f', -1, 64) + "万"
	}
	return strconv.FormatInt(n, 10)
}
