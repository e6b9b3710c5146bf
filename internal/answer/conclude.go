package answer

import (
	"datalex/internal/library"
	"datalex/internal/textseg"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The conclusion is the answer's first line: a direct answer where the
// question asks yes or no (需要/不需要/可以/不可以), then the governing
// sentence of the best provision, quoted verbatim with its figures and cited,
// so the reader has the rule before the supporting quotes. It is written
// from the provision's own words, never composed, so the grounding check
// verifies it like every other line.

const maxConclusionRunes = 180

// Question forms that ask for a permission or for an obligation. A bare 能
// counts only outside the words where it is no modal verb (nonModalNeng).
var (
	asksPermission = []string{"可以", "能不能", "能否", "可否", "可不可以", "允许", "能", "行不行", "合规", "合法"}
	// 违法吗 asks the other way round: a prohibition answers it (不可以),
	// a duty does not.
	asksIllegal    = []string{"违法", "违规"}
	asksObligation = []string{"需要", "需不需要", "要不要", "是否要", "应当", "应不应", "应该", "必须", "要求", "得不得", "是否应", "用不用", "要做", "须", "还要", "也要", "都要", "还得", "该不该", "不用"}
	// A question may ask leave to omit an act (可以不告知吗): a provision
	// that obliges the act then answers 不可以, one that exempts it 可以.
	asksOmission = []string{"可以不", "能不", "能否不", "可否不", "允许不", "是否可以不"}
	// Choice forms whose 不 is not an omission (能不能, 可不可以).
	choiceForms  = []string{"能不能", "可不可以", "要不要", "需不需要", "用不用", "应不应", "得不得", "行不行", "是不是"}
	nonModalNeng = []string{"可能", "只能", "才能", "功能", "智能", "能力", "性能", "职能", "技能", "效能", "能源", "赋能", "不能"}
)

// Forms that make a clause a yes/no question, and question words that make
// it ask for something else: "应当包括哪些事项" wants a list, "可以去哪里反映"
// a place, "多少人时应当订立标准合同" a threshold; a 需要/可以 lead there
// would answer a question nobody asked.
var (
	yesNoForms    = []string{"吗", "么", "吧", "能不能", "可不可以", "行不行", "是不是", "要不要", "需不需要", "应不应", "该不该", "用不用", "得不得", "会不会", "是否", "能否", "可否"}
	questionWords = []string{"哪", "什么", "怎么", "怎样", "如何", "多少", "几", "谁", "为什么", "为何", "多久", "多长", "多大", "多高"}
)

// Signals in a provision sentence.
var (
	sigProhibit = []string{"不得", "禁止", "严禁", "不能", "不应", "不可以", "无权"} // 不可以 before 可以 is read as one
	sigExempt   = []string{"免予", "无需", "不需要", "不必", "不需"}
	sigOblige   = []string{"应当", "必须", "须", "需要"}
	sigPermit   = []string{"可以", "有权", "允许"}
	// A duty to stop: a question about going on (继续, 保留) asks for what
	// the provision ends.
	sigCease = []string{"停止", "删除", "销毁", "不再", "终止", "注销", "匿名化"}
	asksGoOn = []string{"继续", "仍然", "一直", "保留", "留存"}
)

// Negations that name a quantity or a state, not an act left undone
// (不满1万人, 不超过, 说不清): they never make an omission.
var nonActNegations = []string{"不满", "不超", "不少", "不低", "不高", "不足", "不同", "不到", "不清", "不但", "不仅", "不管", "不论", "不过", "不是", "不会", "不用", "不要", "不了", "未满", "未成年", "没什么"}

// asksToOmit reports whether q asks leave not to do something.
func asksToOmit(q string) bool {
	for _, f := range choiceForms {
		// 能不能不告知 keeps its omission after the choice form is removed.
		q = strings.ReplaceAll(q, f, "能")
	}
	return containsAny(q, asksOmission...)
}

// questionClauses splits a question into its clauses.
func questionClauses(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		switch r {
		case '，', ',', '。', '？', '?', '！', '!', '；', ';', ' ', '\n', '：', ':':
			return true
		}
		return false
	})
}

// yesNoClauses returns the clauses of the question that ask yes or no.
func yesNoClauses(text string) []string {
	var out []string
	for _, c := range questionClauses(text) {
		if containsAny(c, yesNoForms...) && !containsAny(c, questionWords...) {
			out = append(out, c)
		}
	}
	return out
}

// asksFor reports whether one of the clauses holds one of the forms; a bare
// 能 counts only outside nonModalNeng.
func asksFor(clauses []string, forms []string) bool {
	for _, c := range clauses {
		for _, f := range forms {
			if f == "能" {
				stripped := c
				for _, w := range nonModalNeng {
					stripped = strings.ReplaceAll(stripped, w, "")
				}
				if strings.Contains(stripped, "能") {
					return true
				}
				continue
			}
			if strings.Contains(c, f) {
				return true
			}
		}
	}
	return false
}

// verdict is the direct answer to a yes/no question implied by sentence s,
// or "" when the sentence does not settle it or the question asks no yes or
// no.
//
// quote is the whole provision s comes from: its other duties count for the
// omission check (应当建立受理机制……拒绝的，应当说明理由 answers "理由都不给，可以吗"
// whichever of its sentences the conclusion quotes).
func verdict(q *Question, s, quote string) string {
	if !prose(s) {
		// A field table of a technical standard (StartDate 日期 可选 …
		// 必须强制为…) carries modal words but states no rule a yes or
		// no could rest on.
		return ""
	}
	clauses := yesNoClauses(q.Text)
	obligationQ := asksFor(clauses, asksObligation)
	permissionQ := asksFor(clauses, asksPermission)
	illegalQ := asksFor(clauses, asksIllegal)
	if !obligationQ && !permissionQ && !illegalQ {
		return ""
	}
	if quote == "" {
		quote = s
	}
	if !bearsOnAct(q, quote) {
		// A yes or no must rest on a provision that speaks of the act
		// asked about: a duty of the same actor on another matter (应当制定
		// 质量评估规范 for 高管可以入场交易吗) settles nothing.
		return ""
	}
	if dutyOnObject(q, s) {
		// The sentence binds what the act is done to, not whoever does
		// it (数据交易所应当……提供场所 for 必须进数据交易所吗).
		return ""
	}
	if asksToOmit(strings.Join(clauses, "，")) {
		// The polarity turns: leave to omit an obliged act is refused,
		// leave to omit an exempted act is given.
		switch {
		case containsAny(s, sigExempt...):
			return "可以"
		case containsAny(s, sigProhibit...):
			return "" // a prohibition of the act says nothing of omitting it
		case containsAny(s, sigOblige...):
			return "不可以"
		}
		return ""
	}
	if obligationQ {
		// 不再调整 answers 要追溯调整吗: the rule ends the act asked about.
		if _, rest, ok := strings.Cut(s, "不再"); ok && bearsOnAct(q, clip(rest, 8)) {
			return "不需要"
		}
	}
	switch {
	case containsAny(s, sigExempt...):
		if obligationQ {
			return "不需要"
		}
		return ""
	case containsAny(s, sigProhibit...):
		if permissionQ || illegalQ {
			return "不可以"
		}
		if obligationQ {
			return ""
		}
		return "不可以"
	case containsAny(s, sigOblige...):
		if obligationQ {
			return "需要"
		}
		if permissionQ {
			if duty := duties(s, quote); omits(q.Text, duty) || goesOnAgainst(q.Text, duty) || goesAbroadAgainst(q.Text, afterFirst(s, sigOblige...)) {
				// The question asks whether one may leave undone what
				// the provision requires (不说明理由 against 应当说明理由),
				// or go on with what it ends.
				return "不可以"
			}
			return "可以，但须满足条件"
		}
	case containsAny(s, sigPermit...):
		// What is permitted must be the act asked about: in 个人信息处理者
		// 拒绝…请求的，个人可以…提起诉讼 the refusal is the condition, the
		// suit is what is permitted.
		if permissionQ && bearsOnAct(q, afterFirst(s, sigPermit...)) {
			return "可以"
		}
	}
	return ""
}

// duties joins what follows the first 应当/必须 of s and of every sentence
// of quote.
func duties(s, quote string) string {
	d := afterFirst(s, sigOblige...)
	for _, part := range strings.Split(quote, "……") {
		for _, x := range splitSentences(part) {
			if x != s {
				d += "。" + afterFirst(x, sigOblige...)
			}
		}
	}
	return d
}

// afterFirst returns s after the first of the markers ("" if none): the
// duty of an 应当 sentence.
func afterFirst(s string, markers ...string) string {
	at := -1
	for _, m := range markers {
		if i := strings.Index(s, m); i >= 0 && (at < 0 || i < at) {
			at = i + len(m)
		}
	}
	if at < 0 {
		return ""
	}
	return s[at:]
}

// omits reports whether the question describes an act left undone that the
// duty requires: a negation (不, 没, 没有, 未) whose verb (the two characters
// after it) or fronted object (the two before it, past 都/也/还/就) occurs in
// the duty. "理由都不给" and "不说明理由" both meet "应当……说明理由".
func omits(question, duty string) bool {
	if duty == "" {
		return false
	}
	for _, c := range questionClauses(question) {
		rs := []rune(c)
		for i := 0; i < len(rs); i++ {
			if rs[i] != '不' && rs[i] != '没' && rs[i] != '未' {
				continue
			}
			if i+1 < len(rs) && containsAny(string(rs[i:i+2]), nonActNegations...) || i+2 < len(rs) && containsAny(string(rs[i:i+3]), nonActNegations...) {
				continue
			}
			after := i + 1
			if rs[i] == '没' && after < len(rs) && rs[after] == '有' {
				after++
			}
			if after+2 <= len(rs) && hanWord(rs[after:after+2]) && strings.Contains(duty, string(rs[after:after+2])) {
				return true
			}
			before := i
			for before > 0 && strings.ContainsRune("都也还就并从", rs[before-1]) {
				before--
			}
			if before >= 2 && hanWord(rs[before-2:before]) && strings.Contains(duty, string(rs[before-2:before])) {
				return true
			}
		}
	}
	return false
}

// goesOnAgainst reports whether the question asks about going on (继续,
// 保留) where the duty is to stop (停止, 删除).
func goesOnAgainst(question, duty string) bool {
	return containsAny(question, asksGoOn...) && containsAny(duty, sigCease...)
}

// goesAbroadAgainst reports whether the question asks to take abroad
// (境外, 国外, 海外) what the duty keeps in the country (应当在境内存储,
// 应当在中国境内进行): data localisation answers such a question 不可以. The
// duty is the conclusion sentence's own: when that sentence is the
// exception (确需向境外提供的，应当……进行安全评估) the answer stays
// 可以，但须满足条件.
func goesAbroadAgainst(question, duty string) bool {
	return containsAny(strings.Join(yesNoClauses(question), "，"), abroadWords...) && strings.Contains(duty, "境内")
}

var abroadWords = []string{"境外", "国外", "海外", "出境"}

// bearsOnAct reports whether a provision speaks of the act a yes/no
// question asks about: it holds at least one point of the act. The act is
// what follows the clause's modal with what precedes it (这些画面能原样传到
// 车外吗); nothing to check when what follows names no point (平台必须帮我转吗:
// the actor 平台 alone is no act, and a provision names actors in its own
// terms); what precedes the modal when nothing follows (这样做合规吗); the
// clause before when the clause names nothing (……，可以吗). One point is enough because a quoted condition
// seldom repeats the act (应当取得个人的单独同意 answers
// 处理敏感个人信息需要单独同意吗); none means the provision governs something
// else.
func bearsOnAct(q *Question, provision string) bool {
	clauses := questionClauses(q.Text)
	var act []Group
	for i, c := range clauses {
		if !containsAny(c, yesNoForms...) || containsAny(c, questionWords...) {
			continue
		}
		before, after := splitAtModal(c)
		after = strings.TrimRight(after, "吗呢吧啊么呀")
		pts := groupsIn(textseg.Fold(after), q.Groups)
		switch {
		case len(pts) > 0:
			// The object may stand before the modal (这些画面能原样传到车外吗).
			pts = append(pts, groupsIn(textseg.Fold(before), q.Groups)...)
		case after != "":
			continue // an act in words no point holds (帮我转): nothing to check
		default:
			pts = groupsIn(textseg.Fold(before), q.Groups)
			if len(pts) == 0 && i > 0 && len(act) == 0 {
				pts = groupsIn(textseg.Fold(clauses[i-1]), q.Groups)
			}
		}
		act = append(act, pts...)
	}
	if len(act) == 0 {
		return true // nothing to check against
	}
	text := squash(provision)
	for _, g := range act {
		if groupIn(text, g) || splitIn(text, g.Words[0]) {
			return true
		}
	}
	return false
}

// modalForms are the words a yes/no clause turns on, longest first within
// each family so 能不能 is found before 能.
var modalForms = func() []string {
	var out []string
	for _, l := range [][]string{asksOmission, choiceForms, asksPermission, asksObligation, asksIllegal} {
		out = append(out, l...)
	}
	return out
}()

// dutyOnObject reports whether sentence s lays its rule on another party
// than the one a yes/no question asks about: the sentence's subject (the
// clause before its first modal) names an actor — a word ending in an
// actor suffix (所, 机构, 平台, 者 …) — that the question puts after its own
// modal, as the party the act goes to, and nothing the question puts
// before it (必须进数据交易所吗: 数据交易所应当……提供场所 binds the
// exchange, not the one asking). Points are matched as whole words of the
// subject, so 个人 is not found in 个人信息处理者; a subject left to a
// conditional clause (……的，应当) names no one.
func dutyOnObject(q *Question, s string) bool {
	at := -1
	for _, m := range [][]string{sigOblige, sigProhibit, sigPermit, sigExempt} {
		for _, w := range m {
			if i := strings.Index(s, w); i >= 0 && (at < 0 || i < at) {
				at = i
			}
		}
	}
	if at <= 0 {
		return false
	}
	head := s[:at]
	if i := strings.LastIndexAny(head, "，,；;："); i >= 0 {
		head = head[i:]
		_, size := utf8.DecodeRuneInString(head)
		head = head[size:]
	}
	subject := map[string]bool{}
	for _, w := range textseg.Words(textseg.Fold(head)) {
		subject[w] = true
	}
	named := func(gs []Group, actorOnly bool) bool {
		for _, g := range gs {
			for _, w := range g.Words {
				if subject[w] && (!actorOnly || actorWord(w)) {
					return true
				}
			}
		}
		return false
	}
	for _, c := range yesNoClauses(q.Text) {
		before, after := splitAtModal(c)
		if named(groupsIn(textseg.Fold(after), q.Groups), true) && !named(groupsIn(textseg.Fold(before), q.Groups), false) {
			return true
		}
	}
	// A rule on an authority (市相关主管部门应当组织制订评估导则) answers
	// nothing for a party that asks what it may or must do, unless the
	// question names that authority; only a sentence of one rule is read
	// so (公安机关……调取数据，应当……，有关组织、个人应当予以配合 binds the
	// asker in its second).
	modals := 0
	for _, m := range [][]string{sigOblige, sigProhibit, sigPermit, sigExempt} {
		for _, w := range m {
			modals += strings.Count(s, w)
		}
	}
	if modals == 1 {
		folded := textseg.Fold(head)
		for _, g := range q.Groups {
			for _, w := range g.Words {
				if hanCount(w) >= 2 && strings.Contains(folded, w) {
					return false // the question names a party of the subject
				}
			}
		}
		for w := range subject {
			if authorityWord(w) {
				return true
			}
		}
	}
	return false
}

// authoritySuffixes end the words that name a public authority.
var authoritySuffixes = []string{"部门", "机关", "政府", "委员会", "局", "厅"}

func authorityWord(w string) bool { return endsWithAny(w, authoritySuffixes) }

// actorSuffixes end the words that name a party: an institution, a body,
// a platform, a person in a role.
var actorSuffixes = []string{"所", "机构", "机关", "部门", "中心", "平台", "单位", "公司", "企业", "委员会", "者", "人", "方"}

func actorWord(w string) bool { return endsWithAny(w, actorSuffixes) }

// endsWithAny reports whether a word of two or more characters ends with
// one of the suffixes.
func endsWithAny(w string, suffixes []string) bool {
	if utf8.RuneCountInString(w) < 2 {
		return false
	}
	for _, suf := range suffixes {
		if strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

func splitAtModal(c string) (before, after string) {
	for _, w := range proVerbs {
		c = strings.ReplaceAll(c, w, "")
	}
	at, end := -1, -1
	for _, f := range modalForms {
		i := strings.Index(c, f)
		for f == "能" && i >= 0 && nonModalAt(c, i) {
			j := strings.Index(c[i+len(f):], f)
			if j < 0 {
				i = -1
				break
			}
			i += len(f) + j
		}
		if i >= 0 && (at < 0 || i < at) {
			at, end = i, i+len(f)
		}
	}
	if at < 0 {
		return c, ""
	}
	return c[:at], c[end:]
}

// nonModalAt reports whether the 能 at byte i of c belongs to a word where
// it is no modal verb (只能, 可能, 功能).
func nonModalAt(c string, i int) bool {
	for _, w := range nonModalNeng {
		k := strings.Index(w, "能")
		if i-k >= 0 && strings.HasPrefix(c[i-k:], w) {
			return true
		}
	}
	return false
}

// proVerbs stand for the act of the clause before (照办, 这样做): a clause
// asking 可以照办吗 asks about what the previous clause describes.
var proVerbs = []string{"照办", "照做", "这样做", "这么做", "这样", "这么"}

// splitIn reports whether the characters of a two-character word occur in
// text in order, at most three characters apart: Chinese splits a verb
// and its object round what a provision adds (收费 in 收取必要费用).
func splitIn(text, word string) bool {
	rs := []rune(word)
	if len(rs) != 2 || !hanWord(rs) {
		return false
	}
	tr := []rune(text)
	for i, r := range tr {
		if r != rs[0] {
			continue
		}
		for j := i + 2; j < len(tr) && j <= i+4; j++ {
			if tr[j] == rs[1] {
				return true
			}
		}
	}
	return false
}

// groupsIn returns the groups whose own word (the user's) occurs in text,
// leaving out the words that ask (合规, 违法, 需要): they are the question's
// form, not its act.
func groupsIn(text string, groups []Group) []Group {
	var out []Group
	for _, g := range groups {
		if len(g.Words) == 0 || slices.Contains(asksPermission, g.Words[0]) || slices.Contains(asksIllegal, g.Words[0]) || slices.Contains(asksObligation, g.Words[0]) {
			continue
		}
		if strings.Contains(text, g.Words[0]) {
			out = append(out, g)
		}
	}
	return out
}

func hanWord(rs []rune) bool {
	for _, r := range rs {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return len(rs) > 0
}

// conclusionLine builds the first line from the first citation: the
// sentence of its quote that best answers q, trimmed to a clause when long.
func conclusionLine(q *Question, c Citation) (line, plain string) {
	best, score := quoteSentence(q, c)
	if p := prohibitionOf(q, c, score); p != "" && !containsAny(best, sigProhibit...) {
		best = p
	}
	lead, best := conclusionOf(q, c, best)
	if best == "" {
		return "", ""
	}
	doc := "《" + strings.Trim(c.Document, "《》") + "》" + c.Label
	// The line names no label: a label's figures (附3, 5.3.1) are not in the
	// provision's text and would fail the figure check; [n] cites it.
	line = fmt.Sprintf("结论：%s「%s」[%d]", lead, best, c.N)
	plain = fmt.Sprintf("%s依据%s：%s", lead, doc, best) + c.caveats()
	return line, plain
}

// singleConclusion is the answer's conclusion line from its citations: the
// governing (first) citation's best sentence (conclusionLine), unless the
// question asks a fine, a period or a count that sentence does not state
// (typeEvidence) and another cited sentence states one while speaking to
// the question
// (会被罚多少 quotes the fine of the penalty article, not the duty it
// punishes). fq is the question whose figure counts: q itself, or the
// first part of a multi-part question. n is the citation quoted.
func singleConclusion(q, fq *Question, cites []Citation) (line, plain string, n int) {
	line, plain = conclusionLine(q, cites[0])
	n = cites[0].N
	// A part of a question asking a figure gets the sentence that best
	// gives that figure for the part, not the whole question's sentence
	// merely carrying some figure of the kind (审核通过以后要公示多久 is
	// answered by 公示期为3个工作日, not by the days an objection takes).
	if line == "" || fq.Type&(TypePenalty|TypePeriod|TypeThreshold) == 0 || fq == q && typeEvidence(fq.Type, quotedIn(line)) {
		return line, plain, n
	}
	q = fq
	var best string
	var bc Citation
	bestScore := 0.0
	for _, c := range cites {
		for _, seg := range strings.Split(c.Quote, "……") {
			for _, s := range splitSentences(seg) {
				s = strings.TrimSpace(s)
				if !prose(s) || coverage(squash(s), q.Groups) < partMinCoverage || !typeEvidence(q.Type, s) {
					continue
				}
				if sc := sentenceScore(s, q); sc > bestScore {
					best, bc, bestScore = s, c, sc
				}
			}
		}
	}
	if best == "" {
		return line, plain, n
	}
	lead, quoted := conclusionOf(q, bc, best)
	if quoted == "" {
		return line, plain, n
	}
	doc := "《" + strings.Trim(bc.Document, "《》") + "》" + bc.Label
	return fmt.Sprintf("结论：%s「%s」[%d]", lead, quoted, bc.N), fmt.Sprintf("%s依据%s：%s", lead, doc, quoted) + bc.caveats(), bc.N
}

// prohibitionOf is the sentence of c's quote that forbids the act a
// permission question asks about, outright, when one does and speaks to
// the question about as well as the best sentence (half its score or
// more; the best such when several do), unless the best sentence is a
// prohibition itself: 能把原始数据直接转给第三方吗 is answered by 不得向第三方提供……原始
// 公共数据 rather than by the provision's duty to process the data on its
// platform. A prohibition under a condition (未经同意，不得; ……的，不得)
// forbids only without it and is left to the usual choice.
func prohibitionOf(q *Question, c Citation, bestScore float64) string {
	clauses := yesNoClauses(q.Text)
	if !asksFor(clauses, asksPermission) || asksToOmit(strings.Join(clauses, "，")) {
		return ""
	}
	var found string
	foundScore := bestScore / 2
	for _, seg := range strings.Split(c.Quote, "……") {
		for _, s := range splitSentences(seg) {
			s = strings.TrimSpace(s)
			i := -1
			for _, w := range sigProhibit {
				if j := strings.Index(s, w); j >= 0 && (i < 0 || j < i) {
					i = j
				}
			}
			if i < 0 || !prose(s) {
				continue
			}
			head := s[:i]
			if containsAny(head, "未经", "除", "的，", "的,", "如", "若", "非经") {
				continue // a condition: forbidden only without it
			}
			if sc := sentenceScore(s, q); sc >= foundScore && bearsOnAct(q, s) && len(groupsIn(textseg.Fold(s[i:]), q.Groups)) > 0 {
				found, foundScore = s, sc
			}
		}
	}
	return found
}

// quoteSentence is the sentence of c's quote that best answers q, and its
// score (sentenceScore); a prose sentence before any that is not.
func quoteSentence(q *Question, c Citation) (string, float64) {
	var best string
	bestScore, bestProse := -1.0, false
	var sents []string
	for _, part := range strings.Split(c.Quote, "……") {
		for _, s := range splitSentences(part) {
			sents = append(sents, s)
			// Prose first: a row of a field table (枚举值名称 … Participant
			// Role) may share the question's words but states no rule.
			p := prose(s)
			if sc := sentenceScore(s, q); p && !bestProse || p == bestProse && sc > bestScore {
				best, bestScore, bestProse = s, sc, p
			}
		}
	}
	if q.Type&TypePenalty != 0 && !tierFit(q, best) && !(reListItem.MatchString(best) && tierFit(q, leadIn(c.Quote, best))) {
		// The sentence states a severer tier the question does not ask
		// (有前款规定的违法行为，情节严重的，…) or the fine of the persons in
		// charge: the closest fine of the asked tier before it answers, and
		// the severer tier follows it in brackets (severerTier).
		switch {
		case asksSeverity(q) && !startsIndividuals(q, best):
			// 情节严重的怎么罚, 最多罚多少: the severer tier the quote
			// states answers.
			for _, s := range sents {
				if tierFit(q, s) {
					best, bestScore = s, sentenceScore(s, q)
					break
				}
			}
		case severerTierSentence(best) || startsIndividuals(q, best):
			for _, s := range sents {
				if s == best {
					break
				}
				if tierFit(q, s) {
					best, bestScore = s, sentenceScore(s, q)
				}
			}
		}
	}
	return strings.TrimSpace(best), bestScore
}

// conclusionOf trims the sentence best to what answers q (the clause that
// covers most of it when long) and reads its lead: the direct answer
// (需要/可以 …) and the figure asked for.
func conclusionOf(q *Question, c Citation, best string) (lead, sentence string) {
	if best == "" {
		return "", ""
	}
	if utf8.RuneCountInString(best) > maxConclusionRunes {
		// Take the clause (；-separated) that covers most of the question.
		var clause string
		cs := -1.0
		for _, cl := range strings.Split(best, "；") {
			if sc := sentenceScore(cl, q); sc > cs && cl != "" {
				clause, cs = cl, sc
			}
		}
		if clause != "" {
			best = clause
		}
		if rs := []rune(best); len(rs) > maxConclusionRunes {
			best = string(rs[:maxConclusionRunes])
		}
	}
	best = withFigureClause(q, c.Quote, best)
	var leads []string
	if v := verdict(q, best, c.Quote); v != "" {
		leads = append(leads, v)
	}
	f := figureLead(q, best)
	if f == "" && reListItem.MatchString(best) {
		// An item of a list states the case, its lead-in the figure
		// (有下列行为之一的，…处二十万元以上一百万元以下的罚款：（一）…).
		f = figureLead(q, leadIn(c.Quote, best))
	}
	if f != "" {
		if tier := severerTier(q, c.Quote, best, f); tier != "" {
			f += "（" + tier + "）"
		}
		leads = append(leads, f)
	}
	if len(leads) > 0 {
		lead = strings.Join(leads, "，") + "，"
	}
	return lead, best
}

// reSeverer opens the clause of a penalty article's severer tier:
// 拒不改正或者造成大量数据泄露等严重后果的，处… / 情节严重的，….
var reSeverer = regexp.MustCompile(`^(?:[^，,；;。]{0,12})(?:拒不改正|情节严重|情节特别严重|严重后果)`)

// reNextParagraphTier opens a paragraph that raises the previous one's
// fine: 有前款规定的违法行为，情节严重的，… (个人信息保护法 第六十六条第二款).
var reNextParagraphTier = regexp.MustCompile(`^有前款(?:规定的)?[^，,；;。]{0,8}行为[，,]\s*`)

// asksSeverity reports whether a penalty question states or asks the
// severer tier itself (情节严重的, 最多罚多少): that tier then answers.
func asksSeverity(q *Question) bool {
	return reSeverer.MatchString(q.Text) || containsAny(q.Text, "情节严重", "严重后果", "最多", "最高", "顶格", "上限", "最重")
}

// reSevereTier opens a severer tier of a fine by the gravity of the case
// (情节严重的，…; 造成严重后果的，…; 有前款规定的违法行为，情节严重的，…), not by
// a refusal to comply, which often states the first fine (拒不改正的，并处
// 一百万元以下罚款).
var reSevereTier = regexp.MustCompile(`^(?:[^，,；;。]{0,12})(?:情节严重|情节特别严重|严重后果)`)

// severerTierSentence reports whether s opens a severer tier of a fine.
func severerTierSentence(s string) bool {
	s = strings.TrimSpace(s)
	if loc := reNextParagraphTier.FindStringIndex(s); loc != nil {
		s = s[loc[1]:]
	}
	return reSevereTier.MatchString(s)
}

// startsIndividuals reports whether s fines a party's persons in charge
// (对直接负责的主管人员…处…罚款) and q does not ask about them.
func startsIndividuals(q *Question, s string) bool {
	loc := reIndividualsFined.FindStringIndex(strings.TrimSpace(s))
	return loc != nil && loc[0] == 0 && !reAsksIndividuals.MatchString(q.Text)
}

// tierFit reports whether sentence s states the fine of the tier a penalty
// question asks: the party's fine (not its persons in charge's, unless
// asked), in the severer tier when the question asks that, the base tier
// otherwise.
func tierFit(q *Question, s string) bool {
	if !typeEvidence(TypePenalty, s) {
		return false
	}
	if startsIndividuals(q, s) {
		return false
	}
	return severerTierSentence(s) == asksSeverity(q)
}

// severerTier is the severer tier of the fine a penalty conclusion heads
// with, when the quote states one in the clauses right after the sentence
// (…处五万元以上五十万元以下罚款；拒不改正或者造成大量数据泄露等严重后果的，处
// 五十万元以上二百万元以下罚款): "拒不改正或者造成大量数据泄露等严重后果的，五十万元以上二百万元以下".
// A practitioner reads both tiers; a question that states the severity is
// already answered by its own tier.
func severerTier(q *Question, quote, sentence, fine string) string {
	if q.Type&TypePenalty == 0 || asksSeverity(q) {
		return ""
	}
	i := strings.Index(quote, sentence)
	if i < 0 {
		return ""
	}
	rest := strings.TrimPrefix(quote[i+len(sentence):], "。")
	ended := strings.HasSuffix(sentence, "。") || len(rest) < len(quote[i+len(sentence):])
	if !ended {
		// The clauses after the sentence, to its end.
		cut := rest
		if j := strings.IndexAny(cut, "。\n"); j >= 0 {
			cut, rest = cut[:j], strings.TrimPrefix(cut[j:], "。")
		} else {
			rest = ""
		}
		for n, cl := range strings.Split(cut, "；") {
			if n == 2 {
				break
			}
			if t, ok := tierOf(q, strings.TrimSpace(cl), fine); ok {
				return t
			}
		}
	}
	// The sentence ends: only a paragraph raising its fine (有前款规定的
	// 违法行为，情节严重的，…) states its tier; the next sentence otherwise
	// punishes another breach.
	next := strings.TrimLeft(rest, " \n\t")
	loc := reNextParagraphTier.FindStringIndex(next)
	if loc == nil {
		return ""
	}
	next = next[loc[1]:]
	if j := strings.IndexAny(next, "；。\n"); j >= 0 {
		next = next[:j]
	}
	t, _ := tierOf(q, strings.TrimSpace(next), fine)
	return t
}

// tierOf reads a clause opening a severer tier (情节严重的，…处…罚款) as
// "情节严重的，<fine>"; ok reports that the clause opens a tier at all.
func tierOf(q *Question, cl, fine string) (tier string, ok bool) {
	if !reSeverer.MatchString(cl) {
		return "", false
	}
	cond, _, found := strings.Cut(cl, "的，")
	if !found || utf8.RuneCountInString(cond) > 30 {
		return "", true
	}
	if f := figureLead(q, cl); f != "" && f != fine {
		return cond + "的，" + f, true
	}
	return "", true
}

// caveats are the plain conclusion's notes on the cited text: superseded,
// a local example, not in force.
func (c Citation) caveats() string {
	var b strings.Builder
	if c.SupersededBy != "" {
		b.WriteString("（注意：该条与后来的规定不一致之处已由" + c.SupersededBy + "取代）")
	}
	if c.LocalExample {
		b.WriteString("（注意：所依据的是" + c.Region + "的地方规定，仅在当地适用，问题未指明地区）")
	}
	if len(c.Warnings) > 0 && !c.inForce() {
		b.WriteString("（注意：所依据的文本" + strings.Join(c.Warnings, "、") + "，不是现行有效的正式规定）")
	}
	return b.String()
}

// partConclusion is the conclusion of one part of a multi-part question.
type partConclusion struct {
	n      int    // the citation answering it
	quoted string // the sentence (or clause) quoted
	line   string // "- part：lead「quoted」[n]"
	plain  string
}

// partConclusions concludes a multi-part question part by part, so that
// "公示多久？普通程序和简易程序一样吗？" gets the period and the two
// procedures, not the period alone. Each later part gets the cited
// sentence that best answers it alone (partAnswer; a part asking a figure
// needs a sentence that states one). The first part keeps the single
// conclusion (the governing provision's best sentence for the whole
// question, the better tested choice), unless that sentence is what a
// later part asks for and another sentence answers the first: one of the
// governing provision (运营者应当怎么做？多久完成重新认定？), or one of
// another cited provision stating most of the first part's points
// (partOwnCoverage: 应当具备哪些条件？还要告知哪些事项？). It returns nil unless
// two parts are answered by different sentences: the answer then keeps
// the single conclusion, and a part no cited sentence answers is left to
// the note on what the library lacks.
func (a *Answerer) partConclusions(q *Question, cites []Citation) []partConclusion {
	if len(q.Parts) < 2 || len(cites) == 0 {
		return nil
	}
	pq0 := analyze(q.Parts[0], a.lx, a.lib.names, nil)
	a.lib.weigh(pq0.Groups)
	line0, plain0, n0 := singleConclusion(q, pq0, cites)
	s0 := quotedIn(line0)
	if s0 == "" {
		return nil
	}
	type answer struct {
		pq   *Question
		best string
		c    Citation
	}
	answers := make([]answer, len(q.Parts))
	laterTakesS0 := false
	for i, part := range q.Parts {
		pq := analyze(part, a.lx, a.lib.names, nil)
		a.lib.weigh(pq.Groups)
		best, c := a.partAnswer(pq, cites)
		answers[i] = answer{pq, best, c}
		if i > 0 && best != "" && strings.Contains(best, s0) {
			laterTakesS0 = true
		}
	}
	var out []partConclusion
	seen := map[string]bool{}
	for i, part := range q.Parts {
		label := partLabel(part)
		an := answers[i]
		if i == 0 && !(laterTakesS0 && an.best != "" && !strings.Contains(an.best, s0) && (an.c.N == n0 || coverage(squash(an.best), an.pq.Groups) >= partOwnCoverage)) {
			seen[s0] = true
			out = append(out, partConclusion{
				n:      n0,
				quoted: s0,
				line:   "- " + label + "：" + strings.TrimPrefix(line0, "结论："),
				plain:  label + "：" + plain0,
			})
			continue
		}
		if an.best == "" {
			continue
		}
		// The part's own question decides the lead (its yes/no clause,
		// its unit).
		lead, quoted := conclusionOf(an.pq, an.c, an.best)
		if quoted == "" || seen[quoted] {
			continue
		}
		if figureLead(an.pq, quoted) == "" && an.pq.Type&(TypePenalty|TypePeriod|TypeThreshold) != 0 {
			continue // it asks a figure the sentence does not give
		}
		seen[quoted] = true
		doc := "《" + strings.Trim(an.c.Document, "《》") + "》" + an.c.Label
		out = append(out, partConclusion{
			n:      an.c.N,
			quoted: quoted,
			line:   fmt.Sprintf("- %s：%s「%s」[%d]", label, lead, quoted, an.c.N),
			plain:  fmt.Sprintf("%s：%s依据%s：%s", label, lead, doc, quoted) + an.c.caveats(),
		})
	}
	if len(out) < 2 {
		return nil
	}
	return out
}

// partAnswer is the cited sentence that best answers one part, and its
// citation: prose (not a field table) covering at least a third of the
// part's points by weight, or "" when none does.
func (a *Answerer) partAnswer(pq *Question, cites []Citation) (string, Citation) {
	var best string
	var bc Citation
	bestScore := 0.0
	for _, c := range cites {
		for _, seg := range strings.Split(c.Quote, "……") {
			for _, s := range splitSentences(seg) {
				s = strings.TrimSpace(s)
				if coverage(squash(s), pq.Groups) < partMinCoverage || !prose(s) {
					continue
				}
				if sc := sentenceScore(s, pq); sc > bestScore {
					best, bc, bestScore = s, c, sc
				}
			}
		}
	}
	return best, bc
}

// partMinCoverage is the share of a part's points (by weight) a sentence
// must state to conclude that part: less, and the sentence is about
// something the part only touches (签字 in a list of a contract's terms
// for 要几个评估师签字).
const partMinCoverage = 0.34

// partOwnCoverage is the share of the first part's points a sentence of
// another provision than the governing one must state to conclude that
// part in place of the single conclusion.
const partOwnCoverage = 0.67

// partLabel is a part of the question as a line's label: without its
// question mark, and without 《》 (a title in a label would have to be
// the cited document's to pass the grounding check).
func partLabel(part string) string {
	s := strings.TrimRight(strings.TrimSpace(part), "？?。！!；;，, ")
	s = strings.NewReplacer("《", "", "》", "", "「", "", "」", "", "：", "", ":", "", ",", "，").Replace(s)
	return s
}

// inForce reports whether the cited document is an adopted text in force.
func (c Citation) inForce() bool {
	switch c.Status {
	case library.ValidityNotYet, library.ValidityLapsed, library.ValidityRepealed, library.ValidityAmended,
		library.StatusDraft, library.StatusBill, library.StatusSuperseded:
		return false
	}
	return true
}

// prose reports whether a sentence is Chinese prose rather than a table
// of field names: at least half of its letters are Han characters and it
// holds fewer than three Latin words of four or more letters (a rule may
// name GB/T or an App; a data dictionary names StartDate, EndDate …).
func prose(s string) bool {
	han, letters, words, run := 0, 0, 0, 0
	for _, r := range s + " " {
		latin := r < unicode.MaxASCII && unicode.IsLetter(r)
		if latin {
			run++
		} else {
			if run >= 4 {
				words++
			}
			run = 0
		}
		switch {
		case unicode.Is(unicode.Han, r):
			han++
			letters++
		case unicode.IsLetter(r):
			letters++
		}
	}
	return letters > 0 && 2*han >= letters && words < 3
}

// fieldTable reports whether a provision is a data dictionary's field or
// code table (StartDate 日期 可选 开始日期 EndDate …; OLI_PARTICROLE_UNKNOWN
// 受托人 …) rather than a rule: it names three or more identifiers in camel
// case or joined by underscores. Such a text answers no question put in
// words unless the question names its standard.
func fieldTable(text string) bool {
	n := 0
	var prev rune
	inWord, ident := false, false
	for _, r := range text + " " {
		isLatin := r < unicode.MaxASCII && (unicode.IsLetter(r) || r == '_' && inWord)
		switch {
		case isLatin && !inWord:
			inWord, ident = true, false
		case isLatin && (unicode.IsUpper(r) && unicode.IsLower(prev) || r == '_'):
			ident = true
		case !isLatin && inWord:
			if ident {
				n++
			}
			inWord = false
		}
		prev = r
	}
	return n >= 3
}

// reListItem is an enumerated item: （一）, (二), 1.
var reListItem = regexp.MustCompile(`^\s*(?:[（(][一二三四五六七八九十]+[）)]|\d+[.、])`)

// leadIn returns the sentence introducing the list that item belongs to in
// quote: from the last full stop before the colon that precedes the item,
// up to the colon (its clauses may hold the fine: …处二十万元以上罚款；情节
// 严重的，…：).
func leadIn(quote, item string) string {
	i := strings.Index(quote, strings.TrimSpace(item))
	if i <= 0 {
		return ""
	}
	j := strings.LastIndexAny(quote[:i], "：:")
	if j < 0 {
		return ""
	}
	start := 0
	if k := strings.LastIndexAny(quote[:j], "。\n"); k >= 0 {
		_, w := utf8.DecodeRuneInString(quote[k:])
		start = k + w
	}
	_, w := utf8.DecodeRuneInString(quote[j:])
	return strings.TrimSpace(quote[start : j+w])
}

// refersTo reports whether s refers to one of the articles (本法第九条).
func refersTo(s string, articles []int) bool {
	if len(articles) == 0 || !strings.Contains(s, "条") {
		return false
	}
	for _, m := range reArticleRef.FindAllStringSubmatch(s, -1) {
		if slices.Contains(articles, library.ParseChineseNumber(m[1])) {
			return true
		}
	}
	// 第四十一条至第四十三条 cites 第四十二条 too.
	for _, m := range reArticleRange.FindAllStringSubmatch(s, -1) {
		lo, hi := library.ParseChineseNumber(m[1]), library.ParseChineseNumber(m[2])
		for _, n := range articles {
			if lo > 0 && lo <= n && n <= hi {
				return true
			}
		}
	}
	return false
}

// reArticleRange is a run of articles: 第四十一条至第四十三条.
var reArticleRange = regexp.MustCompile(`第([零〇一二两三四五六七八九十百千\d]+)条(?:第[零〇一二两三四五六七八九十\d]+款)?\s*(?:至|到|—|－|-)\s*第([零〇一二两三四五六七八九十百千\d]+)条`)

// withFigureClause extends sentence s, quoted in quote, by the clause that
// follows it when s states no figure the question asks for and that clause
// does: a case may leave its fine to the next clause (…责令改正，给予警告；
// 拒不改正的，处一万元以上十万元以下罚款). The extension is contiguous in the
// quote, so the conclusion stays verbatim.
func withFigureClause(q *Question, quote, s string) string {
	if q.Type&(TypePenalty|TypePeriod|TypeThreshold) == 0 || figureLead(q, s) != "" {
		return s
	}
	i := strings.Index(quote, s)
	if i < 0 {
		return s
	}
	rest := quote[i+len(s):]
	end := strings.IndexAny(rest, "；。")
	if end < 0 {
		return s
	}
	_, w := utf8.DecodeRuneInString(rest[end:])
	next := rest[:end+w]
	if strings.Contains(next, "……") || figureLead(q, next) == "" || utf8.RuneCountInString(s+next) > 2*maxConclusionRunes {
		return s
	}
	return s + next
}
