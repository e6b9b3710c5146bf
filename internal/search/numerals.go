package search

import (
	"strconv"
	"strings"
)

var cnDigits = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// chineseNumeral writes n (1..9999) the way article numbers are printed:
// 38 → 三十八, 10 → 十, 105 → 一百零五, 110 → 一百一十.
func chineseNumeral(n int) string {
	if n <= 0 || n > 9999 {
		return strconv.Itoa(n)
	}
	units := []string{"千", "百", "十", ""}
	div := []int{1000, 100, 10, 1}
	var b strings.Builder
	zero := false
	for i, d := range div {
		q := n / d % 10
		if q == 0 {
			if b.Len() > 0 {
				zero = true
			}
			continue
		}
		if zero {
			b.WriteString("零")
			zero = false
		}
		// 十 alone at the start: 十, 十五 (not 一十五).
		if !(units[i] == "十" && q == 1 && b.Len() == 0) {
			b.WriteString(cnDigits[q])
		}
		b.WriteString(units[i])
	}
	return b.String()
}

// arabicArticles rewrites 第38条 as 第三十八条 (also 款, 项, 章, 节) so that
// both spellings of a citation compare equal.
func arabicArticles(s string) string {
	if !strings.Contains(s, "第") {
		return s
	}
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		if rs[i] != '第' {
			b.WriteRune(rs[i])
			continue
		}
		j := i + 1
		for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
			j++
		}
		if j == i+1 || j >= len(rs) || !strings.ContainsRune("条款项章节编", rs[j]) {
			b.WriteRune(rs[i])
			continue
		}
		n, err := strconv.Atoi(string(rs[i+1 : j]))
		if err != nil {
			b.WriteRune(rs[i])
			continue
		}
		b.WriteString("第" + chineseNumeral(n))
		i = j - 1
	}
	return b.String()
}
