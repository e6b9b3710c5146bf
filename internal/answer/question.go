package answer

import (
	_ "embed"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"datalex/internal/library"
	"datalex/internal/textseg"
)

//go:embed lexicon.txt
var lexiconData string

//go:embed stopwords.txt
var stopwordData string

// layRule maps everyday wording to legal terms.
type layRule struct {
	From []string // folded triggers
	To   []string // folded legal terms
}

// lexicon is the parsed lexicon.txt.
type lexicon struct {
	docs map[string]string // folded short name → folded document name
	lay  []layRule
	stop map[string]bool
}

func parseLexicon(data, stop string) *lexicon {
	lx := &lexicon{docs: map[string]string{}, stop: map[string]bool{}}
	section := ""
	for _, line := range strings.Split(data, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			section = strings.Trim(line, "[]")
			continue
		}
		lhs, rhs, ok := strings.Cut(line, "=>")
		if !ok {
			continue
		}
		from, to := splitAlts(lhs), splitAlts(rhs)
		if len(from) == 0 || len(to) == 0 {
			continue
		}
		switch section {
		case "doc":
			for _, f := range from {
				lx.docs[f] = to[0]
			}
		case "lay":
			lx.lay = append(lx.lay, layRule{From: from, To: to})
		}
	}
	for _, line := range strings.Split(stop, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		for _, w := range strings.Fields(line) {
			lx.stop[textseg.Fold(w)] = true
		}
	}
	return lx
}

func splitAlts(s string) []string {
	var out []string
	for _, w := range strings.Split(s, "|") {
		if w = textseg.Fold(strings.TrimSpace(w)); w != "" {
			out = append(out, w)
		}
	}
	return out
}

var defaultLexicon = parseLexicon(lexiconData, stopwordData)

// Intent is what kind of statement answers the question.
type Intent uint8

// Intents, combinable.
const (
	IntentAmount Intent = 1 << iota // 多少, 几, 最高: numbers and thresholds
	IntentTime                      // 多久, 期限, 什么时候: deadlines and periods
	IntentList                      // 哪些, 包括, 条件, 材料: enumerations
	IntentYesNo                     // 能不能, 是否, 吗: permissions and prohibitions
)

var intentCues = []struct {
	intent Intent
	cues   []string
}{
	{IntentAmount, []string{"多少", "几级", "几类", "几个", "几年", "最多", "最高", "上限", "门槛", "比例", "标准是"}},
	{IntentTime, []string{"多久", "多长时间", "多长", "什么时候", "期限", "时限", "几天", "几日", "几年", "有效期", "最晚", "何时"}},
	{IntentList, []string{"哪些", "哪几", "什么内容", "包括", "条件", "材料", "措施", "事项", "义务", "要求", "怎么做", "做些什么", "如何", "怎样", "因素"}},
	{IntentYesNo, []string{"能不能", "能否", "可不可以", "可以吗", "是否", "是不是", "吗", "必须", "合规", "违法"}},
}

// Group is one point of the question: a key term and the words that count
// as the same point (its legal equivalents).
type Group struct {
	Words  []string `json:"words"`  // folded; the first is the user's own word
	Weight float64  `json:"weight"` // idf-like specificity, filled by the answerer
}

// Question is the analysed question.
type Question struct {
	Text   string `json:"text"`
	Folded string `json:"-"`
	// unit is the unit the question asks its figure in (几级 → 级), if any.
	unit      textseg.Units
	Groups    []Group  `json:"groups"`              // key points, with equivalents
	Expanded  []string `json:"expanded,omitempty"`  // legal terms added from everyday wording
	Documents []string `json:"documents,omitempty"` // folded document names mentioned
	Articles  []int    `json:"articles,omitempty"`  // 第X条 numbers mentioned
	// duties are the articles of the leading duty provisions in the
	// leading document, for a penalty question naming none (set by
	// retrieve): the penalty's clause citing one of them is the one asked.
	duties []int
	// termEnumerated is set when the library defines Term only by
	// enumeration (X包括A、B、C等).
	termEnumerated bool
	Parts          []string `json:"parts,omitempty"` // sub-questions of a multi-part question
	Intent         Intent   `json:"intent"`
	Type           QType    `json:"type"` // the kind of answer asked for
	// InDomain is false when the question names no subject of the
	// library (no word of a document title) and no document: it is
	// about something else.
	InDomain bool `json:"in_domain"`
	// Carried is set when the question is a follow-up: the previous
	// question's context filled in what it left out.
	Carried *Context `json:"carried,omitempty"`
	// ForeignLaw names a foreign or supranational law the question asks
	// about (欧盟 GDPR, 日本个人信息保护法 …): the library holds Chinese
	// law and policy only, so such a question is out of its scope unless
	// a library document's title names that jurisdiction.
	ForeignLaw string `json:"foreign_law,omitempty"`
	// OwnFigures is set when the question asks for a particular entity's
	// own figures (its 账面价值, 收入, 金额 of a year): facts no law holds.
	OwnFigures bool `json:"own_figures,omitempty"`
	// Term is the term a definition question asks the meaning of, as
	// the library defines it (folded; "" if none): its answer is the
	// clause defining it (definitions.go).
	Term string `json:"term,omitempty"`
}

// Context is what a follow-up inherits from the previous question.
type Context struct {
	Question  string   `json:"question"`
	Terms     []string `json:"terms"`               // folded key terms
	Documents []string `json:"documents,omitempty"` // folded document names
}

// Context returns the part of q a follow-up question inherits.
func (q *Question) Context() Context {
	c := Context{Question: q.Text, Documents: q.Documents}
	for _, g := range q.Groups {
		c.Terms = append(c.Terms, g.Words[0])
	}
	if q.Carried != nil {
		if len(c.Documents) == 0 {
			c.Documents = q.Carried.Documents
		}
	}
	return c
}

var (
	reBookTitle = regexp.MustCompile(`《([^《》]{2,60})》`)
	reArticle   = regexp.MustCompile(`第([零〇一二两三四五六七八九十百千0-9]{1,7})条`)
	rePartSplit = regexp.MustCompile(`[？?；;！!]|另外|此外|同时还|还有，`)
	// reForeignLaw: a foreign jurisdiction followed closely by a law word,
	// or the standard abbreviations of foreign data laws.
	reForeignLaw = regexp.MustCompile(`(欧盟|欧洲|美国|加州|日本|韩国|英国|德国|法国|新加坡|印度|俄罗斯|澳大利亚|加拿大)[^，。？?、]{0,10}(法|条例|法案|规则|指令)|GDPR|CCPA|CPRA|HIPAA`)
	reOwnFigures = regexp.MustCompile(`(我们公司|我司|本公司|我们单位|某公司|某上市公司|某企业|\p{Han}{2,8}(?:公司|集团))[^？?。]{0,16}(去年|今年|上年|本年|上半年|\d{4}年)[^？?。]{0,24}(金额|账面价值|账面余额|收入|利润|营收|估值)(是|有|为)?多少`)
	reFollowUp   = regexp.MustCompile(`^(那|那么|那如果|如果是|要是|还有|另外|这个|这种情况|这种|它|他们|那要是)`)
)

// analyze turns question text into groups of key terms, mentioned documents
// and articles, sub-questions and intent. names maps folded document names
// (titles, short names, aliases) found in the library; prev is the previous
// question of the conversation, if any.
func analyze(text string, lx *lexicon, names []string, prev *Context) *Question {
	folded := textseg.Fold(strings.TrimSpace(text))
	q := &Question{Text: strings.TrimSpace(text), Folded: folded, unit: textseg.AskedUnit(text)}

	// Documents: 《…》 titles first, then known names inside the text.
	for _, m := range reBookTitle.FindAllStringSubmatch(folded, -1) {
		q.Documents = appendUniq(q.Documents, stripDocName(m[1]))
	}
	for short, full := range lx.docs {
		if strings.Contains(folded, short) {
			q.Documents = appendUniq(q.Documents, full)
		}
	}
	for _, n := range names {
		if strings.Contains(folded, n) {
			q.Documents = appendUniq(q.Documents, n)
		}
	}
	q.Documents = dropContained(q.Documents)
	for _, m := range reArticle.FindAllStringSubmatch(folded, -1) {
		if n := library.ParseChineseNumber(m[1]); n > 0 {
			q.Articles = append(q.Articles, n)
		}
	}

	for _, c := range intentCues {
		for _, cue := range c.cues {
			if strings.Contains(folded, textseg.Fold(cue)) {
				q.Intent |= c.intent
				break
			}
		}
	}

	// Key terms: segmented words minus question words and document names.
	body := folded
	for _, d := range q.Documents {
		body = strings.ReplaceAll(body, d, " ")
	}
	body = reBookTitle.ReplaceAllString(body, " ")
	body = reArticle.ReplaceAllString(body, " ")
	body = blankANotA(body)
	var terms []string
	for _, w := range textseg.Words(body) {
		if lx.stop[w] || isFiller(w) || isInterrogative(w) {
			continue
		}
		terms = appendUniq(terms, w)
	}
	// Everyday wording: a trigger absorbs the words segmented out of it and
	// brings its legal equivalents into the same group.
	var groups []Group
	used := map[string]bool{}
	for _, r := range lx.lay {
		var g Group
		for _, f := range r.From {
			if strings.Contains(folded, f) && !used[f] {
				g.Words = appendUniq(g.Words, f)
			}
		}
		if len(g.Words) == 0 {
			continue
		}
		for _, f := range g.Words {
			used[f] = true
			for _, t := range terms {
				if strings.Contains(f, t) {
					used[t] = true
				}
			}
		}
		for _, t := range r.To {
			g.Words = appendUniq(g.Words, t)
			if !strings.Contains(folded, t) {
				q.Expanded = appendUniq(q.Expanded, t)
			}
		}
		groups = mergeGroup(groups, g)
	}
	for _, t := range terms {
		if !used[t] {
			g := Group{Words: []string{t}}
			if prohibitives[t] {
				// 不能拿来交易: the point is the prohibition, which statutes
				// state with 不得/禁止/严禁 (不能复原 is no prohibition).
				g.Words = statutoryProhibitives
			} else if negated(body, t) {
				// 使用寿命不确定的 asks the opposite of 确定: the point
				// is the negated word, in any of the negations.
				g.Words = nil
				for _, n := range negators {
					g.Words = append(g.Words, n+t)
				}
			}
			groups = append([]Group{g}, groups...)
		}
	}
	// Keep the user's own terms first (in question order) for readability.
	sort.SliceStable(groups, func(i, j int) bool {
		return strings.Index(folded, groups[i].Words[0]) < strings.Index(folded, groups[j].Words[0])
	})
	for i := range groups {
		groups[i].Words = append(groups[i].Words, withDe(groups[i].Words[0])...)
	}
	q.Groups = groups

	for _, p := range rePartSplit.Split(folded, -1) {
		if hanCount(p) >= 5 {
			q.Parts = append(q.Parts, strings.TrimSpace(p))
		}
	}
	if len(q.Parts) < 2 {
		q.Parts = nil
	}

	q.InDomain = len(q.Documents) > 0 || len(q.Articles) > 0 // set again from the library's titles by the answerer
	q.Type = questionType(q.Text)
	if q.Type&TypePenalty != 0 && len(q.Articles) == 0 {
		// 处罚 asks the question's type, as 怎么罚 does: a penalty clause
		// names the sanction (罚款, 警告 …), never the word, and the type's
		// evidence (a fine) is what answers it. As a point it would be
		// met by no penalty article, or, widened to the sanctions, by
		// every one. (A question naming the breached article keeps it: its
		// penalty clause is found by the reference.)
		if rest := slices.DeleteFunc(slices.Clone(q.Groups), func(g Group) bool { return penaltyWords[g.Words[0]] }); len(rest) > 0 {
			q.Groups = rest
		}
	}
	q.ForeignLaw = reForeignLaw.FindString(q.Text)
	q.OwnFigures = reOwnFigures.MatchString(q.Text)
	if prev != nil && isFollowUp(q) {
		q.Carried = prev
		q.InDomain = true // the conversation is about the library
		if len(q.Documents) == 0 {
			q.Documents = prev.Documents
		}
	}
	return q
}

// penaltyWords ask for a penalty in general.
var penaltyWords = map[string]bool{"处罚": true, "行政处罚": true, "惩罚": true}

// prohibitives are the ways a question forbids; statutoryProhibitives the
// modal words with which laws and rules state a prohibition.
var (
	prohibitives          = map[string]bool{"不能": true, "不可以": true, "不允许": true, "不准": true, "不许": true, "不得": true, "禁止": true, "严禁": true}
	statutoryProhibitives = []string{"不得", "禁止", "严禁"}
)

// withDe returns a compound word with 的 between its two words (数据处理者
// → 数据的处理者): statutes write 重要数据的处理者 where a question says 重要
// 数据处理者. The part before 的 must be one dictionary word.
func withDe(w string) []string {
	rs := []rune(w)
	var out []string
	for i := 2; i+2 <= len(rs); i++ {
		left, right := string(rs[:i]), string(rs[i:])
		if !textseg.IsHan(rs[i-1]) || !textseg.IsHan(rs[i]) {
			continue
		}
		if len(textseg.Words(left)) == 1 && len(textseg.Words(right)) <= 2 {
			out = append(out, left+"的"+right)
		}
	}
	return out
}

// negators turn a word into its opposite when they precede it: 不确定,
// 未成年, 无法确定, 非必要. The negator itself is a single character the
// segmenter splits off and the filler rule drops.
var negators = []string{"不", "未", "无", "非", "无法", "没有"}

// negated reports whether every occurrence of word w in text follows a
// negator directly and qualifies a noun (使用寿命不确定的无形资产, 非必要的
// 个人信息): a category the negation defines. A negated act (能不能不申报)
// is the yes/no the verdict reads, not a point.
func negated(text, w string) bool {
	found := false
	for i := 0; ; {
		j := strings.Index(text[i:], w)
		if j < 0 {
			break
		}
		at := i + j
		prev, _ := utf8.DecodeLastRuneInString(text[:at])
		if !strings.ContainsRune("不未无非", prev) && !strings.HasSuffix(text[:at], "没有") || !strings.HasPrefix(text[at+len(w):], "的") {
			return false
		}
		found = true
		i = at + len(w)
	}
	return found
}

// isFollowUp reports whether the question leans on the previous one: it
// starts with 那/还有 … or is too short to stand alone.
func isFollowUp(q *Question) bool {
	if reFollowUp.MatchString(q.Folded) {
		return true
	}
	return len(q.Documents) == 0 && (len(q.Groups) <= 2 || hanCount(q.Folded) <= 10)
}

// isFiller drops single Han characters and punctuation-only tokens: they
// carry no point of their own.
// isInterrogative reports a question form the segmenter kept as one word:
// the A-not-A question (需不需要, 该不该, 用没用, 知道不知道) and a word built
// on an interrogative pronoun (干什么, 做什么, 怎么弄). They ask, they name no
// point a provision could cover.
func isInterrogative(w string) bool {
	if strings.Contains(w, "什么") || strings.Contains(w, "怎么") {
		return true
	}
	rs := []rune(w)
	for n := 1; n <= 2; n++ { // A不A…, AB不AB…
		if len(rs) >= 2*n+1 && (rs[n] == '不' || rs[n] == '没') && string(rs[:n]) == string(rs[n+1:2*n+1]) {
			return true
		}
	}
	return false
}

// blankANotA blanks the A-not-A question forms of text (会不会, 要不要,
// 能不能, 有没有, 需不需要 …) before segmentation: the segmenter may cut
// them (会 + 不会), and the halves would pass for points of the question
// (不会, 不要) that no provision speaks of.
func blankANotA(text string) string {
	rs := []rune(text)
	changed := false
	for i := 0; i < len(rs); i++ {
		for n := 2; n >= 1; n-- { // AB不AB before A不A
			end := i + 2*n + 1
			if end > len(rs) || (rs[i+n] != '不' && rs[i+n] != '没') {
				continue
			}
			same := true
			for k := 0; k < n; k++ {
				if !textseg.IsHan(rs[i+k]) || rs[i+k] != rs[i+n+1+k] {
					same = false
					break
				}
			}
			if !same {
				continue
			}
			for k := i; k < end; k++ {
				rs[k] = ' '
			}
			changed = true
			i = end - 1
			break
		}
	}
	if !changed {
		return text
	}
	return string(rs)
}

func isFiller(w string) bool {
	if w == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(w)
	if textseg.IsHan(r) {
		return utf8.RuneCountInString(w) < 2
	}
	return false
}

func mergeGroup(groups []Group, g Group) []Group {
	for i := range groups {
		if groups[i].Words[0] == g.Words[0] {
			for _, w := range g.Words[1:] {
				groups[i].Words = appendUniq(groups[i].Words, w)
			}
			return groups
		}
	}
	return append(groups, g)
}

// stripDocName removes the 中华人民共和国 prefix and spaces so that names
// compare the way titles are indexed.
func stripDocName(s string) string {
	s = strings.Join(strings.Fields(s), "")
	return strings.TrimPrefix(s, "中华人民共和国")
}

// dropContained removes names that are part of a longer name in the list
// (数据安全法 inside 网络数据安全管理条例 would not, 安全法 inside 数据安全法 would).
func dropContained(names []string) []string {
	var out []string
	for i, n := range names {
		inside := false
		for j, m := range names {
			if i != j && len(m) > len(n) && strings.Contains(m, n) {
				inside = true
				break
			}
		}
		if !inside {
			out = append(out, n)
		}
	}
	return out
}

func hanCount(s string) int {
	n := 0
	for _, r := range s {
		if textseg.IsHan(r) {
			n++
		}
	}
	return n
}

func appendUniq(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}
