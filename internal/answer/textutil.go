package answer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"datalex/internal/textseg"
)

// squash folds s and removes all whitespace: the form quotes, facts and
// provision text are compared in (hard line wraps and spacing vary).
func squash(s string) string {
	s = textseg.Fold(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// joinWraps joins the hard line wraps of source text: a newline stays only
// where a sentence or an enumerated item ends.
func joinWraps(text string) string {
	lines := strings.Split(text, "\n")
	var b strings.Builder
	for i, ln := range lines {
		ln = strings.TrimSpace(ln)
		if ln == "" {
			continue
		}
		if b.Len() > 0 {
			prev, _ := utf8.DecodeLastRuneInString(b.String())
			if strings.ContainsRune("。；：！？;:!?", prev) || startsItem(ln) {
				b.WriteByte('\n')
			}
		}
		b.WriteString(ln)
		_ = i
	}
	return b.String()
}

// startsItem reports whether a line opens an enumerated item: （一）, 一、,
// 1. , （1）, 第X条.
func startsItem(s string) bool {
	r, size := utf8.DecodeRuneInString(s)
	switch {
	case r == '（' || r == '(':
		return true
	case r == '第':
		return true
	case strings.ContainsRune("一二三四五六七八九十", r):
		rest := s[size:]
		for _, c := range rest {
			if c == '、' {
				return true
			}
			if !strings.ContainsRune("一二三四五六七八九十", c) {
				return false
			}
		}
	case r >= '0' && r <= '9':
		for _, c := range s[size:] {
			if c == '.' || c == '、' || c == '．' {
				return true
			}
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	return false
}

// splitSentences splits provision text into sentences and items, each
// trimmed, each a verbatim substring of the wrap-joined text.
func splitSentences(text string) []string {
	return splitAt(strings.Split(joinWraps(text), "\n"), "。；！？!?;")
}

// periodSentences splits provision text into full sentences, ended by 。！？
// (or the end of a paragraph or item), keeping the clauses a semicolon
// joins together, across the line a source broke after the semicolon.
func periodSentences(text string) []string {
	var lines []string
	for _, ln := range strings.Split(joinWraps(text), "\n") {
		if n := len(lines); n > 0 && !startsItem(ln) && (strings.HasSuffix(lines[n-1], "；") || strings.HasSuffix(lines[n-1], ";")) {
			lines[n-1] += ln
			continue
		}
		lines = append(lines, ln)
	}
	return splitAt(lines, "。！？!?")
}

// splitAt cuts each line after every rune of enders, trimming the pieces
// and dropping empty ones; a line's end also ends a piece.
func splitAt(lines []string, enders string) []string {
	var out []string
	for _, line := range lines {
		start := 0
		for i, r := range line {
			if strings.ContainsRune(enders, r) {
				end := i + utf8.RuneLen(r)
				if s := strings.TrimSpace(line[start:end]); s != "" {
					out = append(out, s)
				}
				start = end
			}
		}
		if s := strings.TrimSpace(line[start:]); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// runeLen is the number of runes in s.
func runeLen(s string) int { return utf8.RuneCountInString(s) }

// clip shortens s to n runes with an ellipsis.
func clip(s string, n int) string {
	if runeLen(s) <= n {
		return s
	}
	rs := []rune(s)
	return string(rs[:n]) + "…"
}

// hasQuantity reports whether s states a number with a unit: thresholds,
// amounts, periods, levels.
func hasQuantity(s string) bool {
	rs := []rune(s)
	for i, r := range rs {
		if !(r >= '0' && r <= '9') && !strings.ContainsRune("一二两三四五六七八九十百千万", r) {
			continue
		}
		for j := i + 1; j < len(rs) && j <= i+4; j++ {
			if strings.ContainsRune("万元人日天月年级倍%％小时个条项类次", rs[j]) {
				return true
			}
		}
	}
	return false
}
