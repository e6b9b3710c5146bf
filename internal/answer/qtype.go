package answer

import (
	"regexp"
	"strings"
)

// QType is the kind of answer a question asks for. It decides which
// sentences answer it: a penalty question is answered by a sentence with a
// fine, a deadline question by one with a period, a definition question by
// one that says what a term means. Cues are the question words of Chinese,
// not the wording of particular questions.
type QType uint16

// Question types, combinable (a question may ask two things).
const (
	TypeObligation QType = 1 << iota // 需要/必须/能不能: yes or no
	TypeThreshold                    // 多少人/门槛/达到: a number that triggers a rule
	TypePenalty                      // 罚多少/怎么处罚: a fine or sanction
	TypePeriod                       // 多久/期限/有效期/几天: a deadline or period
	TypeProcedure                    // 怎么办/流程/手续/材料/步骤: steps or documents
	TypeDefinition                   // 什么是/属于/是指/包括哪些: what a term means
	TypeComparison                   // 区别/一样吗/分别: two rules side by side
	TypeAccounting                   // 记账/会计处理/确认/列示/计入: accounting treatment
	TypeRemedy                       // 不服/有异议/不认可/申诉: how to contest a decision
	TypeFrequency                    // 多久…一次/频率: how often a duty recurs (always with TypePeriod)
)

var qtypeCues = []struct {
	t    QType
	cues []string
}{
	{TypeObligation, []string{"需要", "需不需要", "要不要", "必须", "应当", "是否", "能不能", "能否", "可以吗", "可不可以", "行不行", "合法吗", "合规吗", "违法吗", "得不得", "用不用", "吗"}},
	{TypeThreshold, []string{"多少人", "多少个", "多少条", "门槛", "达到", "累计", "以上", "超过", "多少万"}},
	{TypePenalty, []string{"罚", "处罚", "罚款", "法律责任", "责任", "被查", "追究", "吊销", "没收"}},
	{TypePeriod, []string{"多久", "多长时间", "多长", "期限", "时限", "有效期", "几天", "几日", "几年", "几个月", "多少天", "什么时候", "何时", "哪天", "最晚", "保留", "保存"}},
	{TypeProcedure, []string{"怎么办", "怎么做", "如何", "怎样", "流程", "程序", "手续", "步骤", "材料", "申请", "备案", "登记", "要做些什么", "做什么"}},
	{TypeDefinition, []string{"什么是", "是什么", "属于", "是指", "包括", "什么样的", "算不算", "定义", "范围", "什么叫", "何为", "何谓", "指什么", "什么意思", "含义"}},
	{TypeComparison, []string{"区别", "一样吗", "分别", "不同", "有何差异", "相比", "还是"}},
	{TypeRemedy, []string{"不服", "不认可", "不认同", "不接受", "不满意", "有异议", "有意见", "异议", "申诉", "复核", "复议", "维权", "讨说法"}},
	{TypeAccounting, []string{"记账", "入账", "做账", "会计", "确认为", "列示", "计入", "摊销", "资本化", "入表", "报表", "披露"}},
}

// questionType reads the types a question asks for from its words.
func questionType(text string) QType {
	var t QType
	for _, c := range qtypeCues {
		for _, cue := range c.cues {
			if strings.Contains(text, cue) {
				t |= c.t
				break
			}
		}
	}
	if reAsksFrequency.MatchString(text) {
		t |= TypeFrequency | TypePeriod
	}
	return t
}

// reAsksFrequency asks how often something recurs: 多久开展一次, 隔多长时间,
// 频率, 一年几次. A frequency is answered by 每年至少一次 or 定期, not by a
// period such as a report's validity (有效期为一年).
var reAsksFrequency = regexp.MustCompile(`(?:多久|多长时间|多少时间|几年|几个月)[^，。？?；]{0,14}(?:一次|1次)|隔多久|隔多长时间|频率|频次|(?:一年|每年)[^，。？?；]{0,10}(?:几次|多少次)`)

// reFrequency states how often a duty recurs: 每年至少开展一次, 每三年, 每
// 年度, 每季度, 定期, 一年一次.
var reFrequency = regexp.MustCompile(`每(?:[0-9一二两三四五六七八九十半]+\s*个?)?(?:年度|年|季度|个月|月|周|日|天)|定期|[一二两三四五六七八九十0-9]+\s*(?:年|个月|月|季度)\s*(?:至少)?(?:一|1)\s*次`)

var (
	reMoney  = regexp.MustCompile(`[0-9一二两三四五六七八九十百千万亿]+\s*(?:万元|亿元|元)|营业额百分之|营业额\s*\d+%|罚款`)
	rePeriod = regexp.MustCompile(`[0-9一二两三四五六七八九十百千]+\s*(?:个)?(?:工作日|日|天|小时|个月|月|年|周)`)
	reCount  = regexp.MustCompile(`[0-9一二两三四五六七八九十百千万]+\s*(?:万)?(?:人|条|个|户|家|台|项|级|类)`)
	reDefine = regexp.MustCompile(`是指|指的是|属于|包括|分为|视为|称为|界定|所称`)
	reSteps  = regexp.MustCompile(`[:：]$|提交|提供下列|材料|申请|程序|备案|审核|审查|登记|报送|报告|(?:（|\()[一二三四五六七八九十]+(?:）|\))`)
	// reModal is a rule's modality. Besides the statutes' 应当/不得/可以 it
	// takes the bare 应 and 不应 with which standards and guidelines state
	// requirements (GB/T 1.1's drafting rules: 应 requirement, 宜
	// recommendation, 可 permission) and policy texts' 原则上不, but not 应
	// inside words that are no modal (应用, 应急, 相应, 供应, 应收账款).
	reModal = regexp.MustCompile(`应当|不得|禁止|可以|必须|须|无需|免予|不需要|有权|严禁|原则上不|(?:^|[^响对供适相反效回感理呼])应(?:[^用急对收付交税答]|$)`)
	// reRemedy is a way to contest a decision or a conduct: review,
	// objection, appeal, complaint, suit.
	reRemedy = regexp.MustCompile(`异议|复核|复评|复议|复查|申诉|诉讼|起诉|投诉|举报|申请.{0,6}(?:重新|再次)`)
	reAcct   = regexp.MustCompile(`计入|确认为|确认|列示|摊销|资本化|会计处理|收入|成本|存货|无形资产|报表|披露`)
)

// typeEvidence reports whether sentence s carries what a question of type
// t asks for, judged by its most specific type: a question contesting a
// decision needs the review or objection procedure (its deadline comes with
// it), a penalty question needs a fine, a period question a period, a
// threshold question a count; then a
// definition, an accounting treatment, steps, a modal. A question of no
// recognised type (or a comparison) accepts any sentence.
func typeEvidence(t QType, s string) bool {
	for _, c := range typeChecks {
		if t&c.t != 0 {
			return c.re.MatchString(s)
		}
	}
	return true
}

// typeChecks are in order of specificity.
var typeChecks = []struct {
	t  QType
	re *regexp.Regexp
}{
	{TypeRemedy, reRemedy}, {TypePenalty, reMoney}, {TypeFrequency, reFrequency}, {TypePeriod, rePeriod}, {TypeThreshold, reCount},
	{TypeAccounting, reAcct}, {TypeDefinition, reDefine}, {TypeProcedure, reSteps},
	{TypeObligation, reModal},
}

// typedBest is the best coverage of q's points by a sentence of text that
// also carries the evidence q's type asks for: how well the provision
// answers the question rather than merely shares its words.
func typedBest(text string, q *Question, groups []Group) float64 {
	best := 0.0
	for _, s := range splitSentences(text) {
		if !q.evidence(s) {
			continue
		}
		if v := coverage(squash(s), groups); v > best {
			best = v
		}
	}
	return best
}

// reBreach finds the conduct a penalty provision sanctions: 违反本法第X条
// 规定, 未履行…义务, 拒不改正.
var reBreach = regexp.MustCompile(`违反|未履行|不履行|未按照|拒不`)

// sanctions reports whether a provision is a penalty provision: it names
// a breach and a fine.
func sanctions(text string) bool {
	return reBreach.MatchString(text) && reMoney.MatchString(text)
}
