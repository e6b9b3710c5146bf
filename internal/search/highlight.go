package search

import (
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
// runes), words are folded.
func snippet(orig, folded string, words []string) []Segment {
	o, f := []rune(orig), []rune(folded)
	if len(o) != len(f) {
		o = f // cannot happen with textseg.Fold; show folded text rather than misplace marks
	}
	hl := make([]bool, len(f))
	for _, w := range words {
		wr := []rune(w)
		if len(wr) == 0 || len(wr) == 1 && wr[0] >= utf8.RuneSelf {
			continue // a lone character would light up the whole text
		}
		for i := 0; i+len(wr) <= len(f); i++ {
			if runesEqual(f[i:i+len(wr)], wr) {
				for j := i; j < i+len(wr); j++ {
					hl[j] = true
				}
			}
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

func runesEqual(a, b []rune) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
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
