package textseg

import "strings"

// Figures and the units they are in. A question that asks 几年 is answered
// by a provision stating a figure in years, not one stating 45个工作日; both
// the search ranker (a feature per candidate, so the scan must be cheap:
// it runs over every provision when the index is built) and the answerer
// read figures through this one scanner.

// Units is a set of the units figures are stated in.
type Units uint16

// The units of figures in rules.
const (
	UnitWorkday Units = 1 << iota // 工作日 (also counted as 日)
	UnitHour                      // 小时
	UnitYear                      // 年
	UnitMonth                     // 月, 个月
	UnitDay                       // 日, 天
	UnitWeek                      // 周
	UnitLevel                     // 级
	UnitPerson                    // 人, 万人
	UnitYuan                      // 元, 万元, 亿元
)

// Kinds of units: figures of one kind answer the same kind of question.
const (
	TimeUnits  = UnitWorkday | UnitHour | UnitYear | UnitMonth | UnitDay | UnitWeek
	LevelUnits = UnitLevel
	CountUnits = UnitPerson
	MoneyUnits = UnitYuan
)

// Kind is the kind (a mask of units) u belongs to, or 0.
func (u Units) Kind() Units {
	for _, k := range []Units{TimeUnits, LevelUnits, CountUnits, MoneyUnits} {
		if u&k != 0 {
			return k
		}
	}
	return 0
}

// isNumeral reports whether r is part of a number as Chinese texts write
// them: digits, a decimal point, Chinese numerals and their multipliers.
func isNumeral(r rune) bool {
	return r >= '0' && r <= '9' || r == '.' || strings.ContainsRune("〇零一二两三四五六七八九十百千万亿", r)
}

// QuantityUnits returns the units of the figures s states: 3年, 45个工作日,
// 五十万元, 100万人, 三级. Calendar dates (2022年9月1日, 9月1日) are not
// figures.
func QuantityUnits(s string) Units {
	var out Units
	rs := []rune(s)
	for i := 0; i < len(rs); {
		if !isNumeral(rs[i]) {
			i++
			continue
		}
		start := i
		ascii := 0
		for i < len(rs) && isNumeral(rs[i]) {
			if rs[i] >= '0' && rs[i] <= '9' {
				ascii++
			}
			i++
		}
		// A year of the calendar: four digits (2022年) or four Chinese
		// digits with 〇 (二〇二二年).
		year := ascii == 4 || (i-start == 4 && strings.ContainsAny(string(rs[start:i]), "〇零"))
		j := i
		for j < len(rs) && (rs[j] == ' ' || rs[j] == '\u3000') {
			j++
		}
		counted := false
		if j < len(rs) && rs[j] == '个' {
			j, counted = j+1, true
		}
		u, n := unitAt(rs[j:])
		switch {
		case u == 0:
			continue
		case u == UnitYear && year:
			i = j + n
			continue
		case u == UnitMonth && !counted && dayFollows(rs[j+n:]):
			// 9月1日: a date; skip its day too.
			i = j + n
			for i < len(rs) && isNumeral(rs[i]) {
				i++
			}
			if i < len(rs) && rs[i] == '日' {
				i++
			}
			continue
		}
		out |= u
		if u == UnitWorkday {
			out |= UnitDay
		}
		i = j + n
	}
	return out
}

// dayFollows reports whether rs opens with a day of the month (1日, 十五日).
func dayFollows(rs []rune) bool {
	k := 0
	for k < len(rs) && isNumeral(rs[k]) {
		k++
	}
	return k > 0 && k < len(rs) && rs[k] == '日'
}

// unitAt reads the unit rs opens with and how many runes it takes.
func unitAt(rs []rune) (Units, int) {
	has := func(w string) bool { return strings.HasPrefix(string(rs[:min(len(rs), 3)]), w) }
	switch {
	case len(rs) == 0:
		return 0, 0
	case has("工作日"):
		return UnitWorkday, 3
	case has("小时"):
		return UnitHour, 2
	}
	switch rs[0] {
	case '年':
		return UnitYear, 1
	case '月':
		return UnitMonth, 1
	case '日', '天':
		return UnitDay, 1
	case '周':
		return UnitWeek, 1
	case '级':
		return UnitLevel, 1
	case '人':
		return UnitPerson, 1
	case '元':
		return UnitYuan, 1
	}
	return 0, 0
}

// askWords open a question for a figure: 几年, 多少天, 多长时间 (no unit),
// 哪几级.
var askWords = []string{"多少", "多长", "哪几", "几"}

// AskedUnit is the unit a question asks its figure in (几年 → UnitYear,
// 多少天 → UnitDay, 罚多少钱 → UnitYuan, 分为几级 → UnitLevel), or 0 when it
// names none (多长时间, 多久).
func AskedUnit(q string) Units {
	rs := []rune(q)
	for i := range rs {
		for _, w := range askWords {
			wr := []rune(w)
			if i+len(wr) > len(rs) || string(rs[i:i+len(wr)]) != w {
				continue
			}
			j := i + len(wr)
			for j < len(rs) && (rs[j] == ' ' || rs[j] == '个') {
				j++
			}
			if j < len(rs) && rs[j] == '钱' {
				return UnitYuan
			}
			if j < len(rs) && rs[j] == '万' && j+1 < len(rs) && (rs[j+1] == '人' || rs[j+1] == '元') {
				j++
			}
			if u, _ := unitAt(rs[j:]); u != 0 {
				return u
			}
			break // the longest ask word at i decides
		}
	}
	return 0
}
