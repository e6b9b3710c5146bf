package answer

import (
	"datalex/internal/library"
	"fmt"
	"strings"
	"unicode/utf8"
)

// The conclusion is the answer's first line: a direct answer where the
// question asks yes or no (需要/不需要/可以/不可以), then the governing
// sentence of the best provision, quoted verbatim with its figures and cited,
// so the reader has the rule before the supporting quotes. It is written
// from the provision's own words, never composed, so the grounding check
// verifies it like every other line.

const maxConclusionRunes = 180

// Question forms that ask for a permission or for an obligation.
var (
	asksPermission = []string{"可以", "能不能", "能否", "可否", "可不可以", "允许", "能", "行不行"}
	asksObligation = []string{"需要", "需不需要", "要不要", "是否要", "应当", "应不应", "必须", "要求", "得不得", "是否应", "用不用", "要做", "须", "不用", "还要", "还得"}
	// A question may ask leave to omit an act (可以不告知吗): a provision
	// that obliges the act then answers 不可以, one that exempts it 可以.
	asksOmission = []string{"可以不", "能不", "能否不", "可否不", "允许不", "是否可以不"}
	// Choice forms whose 不 is not an omission (能不能, 可不可以).
	choiceForms = []string{"能不能", "可不可以", "要不要", "需不需要", "用不用", "应不应", "得不得", "行不行", "是不是"}
)

// asksToOmit reports whether q asks leave not to do something.
func asksToOmit(q string) bool {
	for _, f := range choiceForms {
		// 能不能不告知 keeps its omission after the choice form is removed.
		q = strings.ReplaceAll(q, f, "能")
	}
	return containsAny(q, asksOmission...)
}

// Signals in a provision sentence.
var (
	sigProhibit = []string{"不得", "禁止", "严禁", "不能", "不应"}
	sigExempt   = []string{"免予", "无需", "不需要", "不必", "不需"}
	sigOblige   = []string{"应当", "必须", "须", "需要"}
	sigPermit   = []string{"可以", "有权", "允许"}
)

// verdict is the direct answer to a yes/no question implied by sentence s,
// or "" when the sentence does not settle it.
func verdict(q *Question, s string) string {
	if q.Intent&IntentYesNo == 0 && !containsAny(q.Text, asksObligation...) {
		return ""
	}
	obligationQ := containsAny(q.Text, asksObligation...)
	permissionQ := containsAny(q.Text, asksPermission...)
	if asksToOmit(q.Text) {
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
	switch {
	case containsAny(s, sigExempt...):
		if obligationQ {
			return "不需要"
		}
		return ""
	case containsAny(s, sigProhibit...):
		if permissionQ {
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
			return "可以，但须满足条件"
		}
	case containsAny(s, sigPermit...):
		if permissionQ {
			return "可以"
		}
	}
	return ""
}

// conclusionLine builds the first line from the first citation: the
// sentence of its quote that best answers q, trimmed to a clause when long.
func conclusionLine(q *Question, c Citation) (line, plain string) {
	var best string
	bestScore := -1.0
	for _, part := range strings.Split(c.Quote, "……") {
		for _, s := range splitSentences(part) {
			if sc := sentenceScore(s, q); sc > bestScore {
				best, bestScore = s, sc
			}
		}
	}
	best = strings.TrimSpace(best)
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
	v := verdict(q, best)
	lead := ""
	if v != "" {
		lead = v + "，"
	}
	doc := "《" + strings.Trim(c.Document, "《》") + "》" + c.Label
	// The line names no label: a label's figures (附3, 5.3.1) are not in the
	// provision's text and would fail the figure check; [n] cites it.
	line = fmt.Sprintf("结论：%s「%s」[%d]", lead, best, c.N)
	plain = fmt.Sprintf("%s依据%s：%s", lead, doc, best)
	if c.SupersededBy != "" {
		plain += "（注意：该条与后来的规定不一致之处已由" + c.SupersededBy + "取代）"
	}
	if len(c.Warnings) > 0 && !c.inForce() {
		plain += "（注意：所依据的文本" + strings.Join(c.Warnings, "、") + "，不是现行有效的正式规定）"
	}
	return line, plain
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
