package answer

import (
	"regexp"
	"strings"

	"datalex/internal/textseg"
)

// Two things a question says about the answer it wants, beyond its type:
// the unit of the quantity it asks for (几年 asks for years, so a provision
// giving 45个工作日 does not answer it) and the thing it asks to be listed
// (需要准备哪些材料 asks for materials, so the provision that says 提交以下
// 材料：（一）… answers it, not one that only mentions 补正的材料). Both are
// read from the question words of Chinese; they feed the citation model as
// features, whose weights are fitted (TestFitCite), never hand-set.

// reDate finds calendar dates (2022年9月1日, 9月1日, 2024年3月): their 年, 月
// and 日 are not periods.
var reDate = regexp.MustCompile(`[0-9０-９〇零一二三四五六七八九十]{2,4}\s*年\s*[0-9一二三四五六七八九十]{1,2}\s*月(?:\s*[0-9一二三四五六七八九十]{1,3}\s*日)?|[0-9一二三四五六七八九十]{1,2}\s*月\s*[0-9一二三四五六七八九十]{1,3}\s*日|[0-9]{4}\s*年`)

// reQuantity finds a number with its unit; group 1 is the unit.
var reQuantity = regexp.MustCompile(`(?:[0-9]+(?:\.[0-9]+)?|[一二两三四五六七八九十百千]+)\s*(?:个)?\s*(工作日|小时|年|月|天|日|周|级|万人|人|万元|亿元|元)`)

// unitFit says how a provision's text meets the unit a question asks for:
// +1 when it states a figure in that unit, -1 when it states figures only
// in other units of the same kind (a period in days to a question in
// years), 0 when the question names no unit or the text no such figure.
func unitFit(unit textseg.Units, text string) int {
	if unit == 0 {
		return 0
	}
	us := textseg.QuantityUnits(text)
	switch {
	case us&unit != 0:
		return 1
	case us&unit.Kind() != 0:
		return -1
	}
	return 0
}

// reFocus finds what a question asks to be listed or named: the words
// after 哪些/什么/哪几类/几种 up to a question particle or punctuation.
var reFocus = regexp.MustCompile(`(?:哪些|什么|哪几[个类种项条]?|哪[类种项]|几[类种项])\s*([\p{Han}]{1,8})`)

// focusStop ends the focus: particles and verbs that follow the noun.
const focusStop = "吗呢吧啊要能可是会还都也就该得去才需应呀属包在对给把被让和与或及并"

// focusHead is the head noun of what a question asks for (Chinese noun
// phrases are head-final: 审核义务 → 义务, 方面的因素 → 因素), or "" when
// the question asks for no thing (要做什么, 为什么).
func focusHead(q string) string {
	for _, m := range reFocus.FindAllStringSubmatchIndex(q, -1) {
		if strings.HasSuffix(q[:m[0]], "为") { // 为什么 asks why
			continue
		}
		phrase := []rune(q[m[2]:m[3]])
		for i, r := range phrase {
			if strings.ContainsRune(focusStop, r) {
				phrase = phrase[:i]
				break
			}
		}
		p := string(phrase)
		if i := strings.LastIndex(p, "的"); i >= 0 {
			p = p[i+len("的"):]
		}
		rs := []rune(p)
		if len(rs) < 2 {
			continue
		}
		if len(rs) > 2 {
			rs = rs[len(rs)-2:]
		}
		return string(rs)
	}
	return ""
}

// reListIntro finds where a text introduces a list: 下列, 以下, 如下,
// 包括, a colon before an enumeration.
var reListIntro = regexp.MustCompile(`下列|以下|如下|包括|[:：]\s*(?:（|\()?[一1]`)

// focusFit says how a provision's text meets what a question asks to be
// listed: 2 when a sentence names the head noun and introduces a list,
// 1 when the text only names it, 0 otherwise.
func focusFit(head, text string) int {
	if head == "" || !strings.Contains(text, head) {
		return 0
	}
	for _, s := range splitSentences(text) {
		if strings.Contains(s, head) && reListIntro.MatchString(s) {
			return 2
		}
	}
	return 1
}

// reFigure finds a figure as a rule states it, with its bounds: 3年,
// 不少于六个月, 45个工作日内, 五十万元以上二百万元以下, 100万人以上.
var reFigure = regexp.MustCompile(`(?:不少于|不超过|不低于|不高于|不足|不满|未满|至少|最长|最多|满)?\s*(?:[0-9]+(?:\.[0-9]+)?|[一二两三四五六七八九十百千]+)\s*个?\s*(?:工作日|小时|年|月|天|日|周|万人|人|万元|亿元|元)(?:以上|以下|以内|之内|内)?(?:\s*(?:[0-9]+(?:\.[0-9]+)?|[一二两三四五六七八九十百千]+)\s*(?:万元|亿元|元|万人|人)(?:以上|以下|以内))?`)

// figureLead is the figure a conclusion opens with when the question asks
// for one (a period, an amount, a threshold, or a quantity in a named
// unit) and the governing sentence states exactly one figure of that kind:
// "3年", "不少于六个月", "五十万元以上二百万元以下". "" when the question asks
// for none or the sentence states several (the quote then speaks for
// itself).
func figureLead(q *Question, s string) string {
	// The figure must answer what the question asks: the sentence carries
	// the question type's evidence (a remedy question is not answered by a
	// validity period), and a question of several parts names the unit
	// the figure is in (有效期多长？怎么延期？ may quote the extension's
	// deadline).
	if !typeEvidence(q.Type, s) || q.Type&TypeComparison != 0 {
		return "" // 分别…多长时间 asks for two figures
	}
	if firstType(q.Type) == TypeFrequency {
		return frequencyLead(s)
	}
	unit := textseg.AskedUnit(q.Text)
	if askings(q.Text) > 1 && unitFit(unit, s) <= 0 {
		return ""
	}
	kind := unit.Kind()
	if kind == 0 {
		switch {
		case q.Type&TypePenalty != 0:
			kind = textseg.MoneyUnits
		case q.Type&TypePeriod != 0:
			kind = textseg.TimeUnits
		case q.Type&TypeThreshold != 0:
			kind = textseg.CountUnits
		default:
			return ""
		}
	}
	if kind == textseg.MoneyUnits {
		// The fine on the party comes before the one on its persons in
		// charge (…处一百万元以下罚款；对直接负责的主管人员…处一万元以上十万
		// 元以下罚款): the second answers only a question about them.
		if loc := reIndividualsFined.FindStringIndex(s); loc != nil && loc[0] > 0 && !reAsksIndividuals.MatchString(q.Text) {
			s = s[:loc[0]]
		}
	}
	var found, alt []string
	if kind == textseg.MoneyUnits {
		// A fine stated as a multiple of a sum or a share of turnover is a
		// fine too: beside a fine in yuan the sentence states two — unless
		// it is the same fine's other measure (五千万元以下或者上一年度营业额
		// 百分之五以下).
		for _, loc := range reRelativeFine.FindAllStringIndex(s, -1) {
			m := strings.Join(strings.Fields(s[loc[0]:loc[1]]), "")
			if strings.HasSuffix(strings.TrimSpace(s[:loc[0]]), "或者") {
				alt = append(alt, m)
			} else {
				found = append(found, m)
			}
		}
	}
	for _, m := range reFigure.FindAllString(reDate.ReplaceAllString(s, " "), -1) {
		us := textseg.QuantityUnits(m)
		if us&kind == 0 || (unit != 0 && us&unit == 0) {
			continue // another kind, or not the unit the question names
		}
		f := strings.Join(strings.Fields(m), "")
		if len(found) == 0 || found[len(found)-1] != f {
			found = append(found, f)
		}
	}
	if len(found) != 1 {
		return ""
	}
	return strings.Join(append(found, alt...), "或者")
}

// reFrequencyFigure is a stated frequency with its count: 每年至少开展一次
// (→ 每年至少一次), 每三年, 每季度.
var reFrequencyFigure = regexp.MustCompile(`(每(?:[0-9一二两三四五六七八九十半]+\s*个?)?(?:年度|年|季度|个月|月|周|日|天))(?:([^，。；、：]{0,12}?)([一二两三四五六七八九十0-9]+)\s*次)?`)

// frequencyLead is the frequency a sentence states, when it states one
// (每年至少一次), or 定期 when it sets none; "" when it states several
// (每年…风险评估，每三年…审计: the quote then speaks for itself).
func frequencyLead(s string) string {
	var found []string
	for _, m := range reFrequencyFigure.FindAllStringSubmatch(s, -1) {
		f := strings.Join(strings.Fields(m[1]), "")
		if m[3] != "" {
			if strings.Contains(m[2], "至少") {
				f += "至少"
			}
			f += m[3] + "次"
		}
		if len(found) == 0 || found[len(found)-1] != f {
			found = append(found, f)
		}
	}
	switch {
	case len(found) == 1:
		return found[0]
	case len(found) == 0 && strings.Contains(s, "定期"):
		return "定期"
	}
	return ""
}

// reIndividualsFined starts the clause fining a party's persons in charge.
var reIndividualsFined = regexp.MustCompile(`对(?:其)?(?:直接负责的主管人员|法定代表人|主要负责人)`)

// reAsksIndividuals is a question about the persons in charge.
var reAsksIndividuals = regexp.MustCompile(`负责人|主管人员|责任人员|法定代表人|高管|员工|个人会|本人`)

// reRelativeFine is a fine stated relative to a sum: 违法所得一倍以上十倍以下,
// 上一年度营业额百分之五以下.
var reRelativeFine = regexp.MustCompile(`(?:违法所得|违法收入|采购金额|交易金额|销售金额|货值金额|(?:上一年度)?营业额)\s*[一二两三四五六七八九十\d]+\s*倍以上\s*[一二两三四五六七八九十\d]+\s*倍以下|(?:上一年度)?营业额\s*百分之[一二两三四五六七八九十\d]+以下`)

// askings counts the questions a text asks (its sentences ending in ？).
func askings(text string) int {
	n := 0
	for _, s := range strings.FieldsFunc(text, func(r rune) bool { return r == '？' || r == '?' }) {
		if hanCount(s) >= 2 {
			n++
		}
	}
	return n
}
