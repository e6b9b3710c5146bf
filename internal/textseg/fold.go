// Package textseg normalises and segments Chinese legal text for search:
// width, case and traditional/simplified folding, gse word segmentation with
// a domain dictionary, and the term policy shared by index and query.
package textseg

import (
	_ "embed"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

//go:embed tradsimp.txt
var tradSimpData string

// tradSimp maps traditional characters to their simplified form. Only
// one-to-one character pairs are listed, so folding never changes the number
// of runes and offsets in folded text are offsets in the original.
var tradSimp = parseTradSimp(tradSimpData)

func parseTradSimp(data string) map[rune]rune {
	m := make(map[rune]rune)
	for _, line := range strings.Split(data, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := []rune(strings.ReplaceAll(line, " ", ""))
		if len(f) == 2 {
			m[f[0]] = f[1]
		}
	}
	return m
}

// FoldRune folds one rune: full-width forms to half-width, upper to lower
// case, traditional to simplified. It always returns exactly one rune.
func FoldRune(r rune) rune {
	if r < 0x80 {
		return unicode.ToLower(r)
	}
	if r == '\u3000' {
		return ' '
	}
	if p := width.LookupRune(r); p.Kind() == width.EastAsianFullwidth {
		if f := p.Folded(); f != 0 {
			r = f
		}
	}
	if s, ok := tradSimp[r]; ok {
		return s
	}
	return unicode.ToLower(r)
}

// Fold applies FoldRune to every rune of s. The result has the same number
// of runes as s.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(FoldRune(r))
	}
	return b.String()
}

// IsHan reports whether r is a CJK ideograph.
func IsHan(r rune) bool {
	return unicode.Is(unicode.Han, r)
}

// isWordRune reports whether r belongs to an alphanumeric token.
func isWordRune(r rune) bool {
	return r < 0x80 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9') ||
		r >= 0x80 && !IsHan(r) && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
