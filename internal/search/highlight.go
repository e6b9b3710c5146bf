package search

import (
	"strings"
	"unicode/utf8"
)

// Segment is a piece of a snippet; Highlight marks the query's words.
// Snippets are plain text segments, never HTML: the caller escapes them.
type Segment struct {
	Text      string `json:"text"`
	Highlight bool   `json:"hl,omitempty"`
}

const snippetRunes = 160

// snippet cuts the window of orig with most query words and splits it into
// highlighted and plain segments. folded is orig after textseg.Fold (same
// runes, possibly different bytes), words are folded.
func snippet(orig, folded string, words []string) []Segment {
	o, f := []rune(orig), []rune(folded)
	if len(o) != len(f) {
		o = f // cannot happen with textseg.Fold; show folded text rather than misplace marks
	}
	// Rune index at each rune start of folded (and at its end), to turn
	// matches found with strings.Index, which start and end on rune
	// boundaries, into rune positions.
	runeAt := make([]int32, len(folded)+1)
	r := int32(0)
	for i := range folded {
		runeAt[i] = r
		r++
	}
	runeAt[len(folded)] = r
	hl := make([]bool, len(f))
	for _, w := range words {
		if w == "" || utf8.RuneCountInString(w) == 1 && w[0] >= utf8.RuneSelf {
			continue // a lone character would light up the whole text
		}
		for from := 0; from < len(folded); {
			i := strings.Index(folded[from:], w)
			if i < 0 {
				break
			}
			start := from + i
			for j := runeAt[start]; j < runeAt[start+len(w)]; j++ {
				hl[j] = true
			}
			from = start + len(w)
		}
	}
	lo, hi := 0, len(f)
	if len(f) > snippetRunes {
		lo = bestWindow(hl, snippetRunes)
		hi = lo + snippetRunes
	}
	var segs []Segment
	if lo > 0 {
		segs = append(segs, Segment{Text: "…"})
	}
	for i := lo; i < hi; {
		j := i
		for j < hi && hl[j] == hl[i] {
			j++
		}
		segs = append(segs, Segment{Text: flatten(o[i:j]), Highlight: hl[i]})
		i = j
	}
	if hi < len(f) {
		segs = append(segs, Segment{Text: "…"})
	}
	return segs
}

// bestWindow returns the start of the size-long window with the most
// highlighted runes, starting a little before the first of them.
func bestWindow(hl []bool, size int) int {
	n := 0
	for i := 0; i < size; i++ {
		if hl[i] {
			n++
		}
	}
	best, bestAt := n, 0
	for i := size; i < len(hl); i++ {
		if hl[i] {
			n++
		}
		if hl[i-size] {
			n--
		}
		if n > best {
			best, bestAt = n, i-size+1
		}
	}
	if best == 0 {
		return 0
	}
	// Leave some lead-in before the first mark of the window.
	for i := bestAt; i < bestAt+size; i++ {
		if hl[i] {
			return max(0, min(i-20, len(hl)-size))
		}
	}
	return bestAt
}

// flatten joins hard line wraps so a snippet reads as one paragraph.
func flatten(rs []rune) string {
	out := make([]rune, 0, len(rs))
	for _, r := range rs {
		if r == '\n' || r == '\r' {
			r = ' '
		}
		out = append(out, r)
	}
	return string(out)
}
