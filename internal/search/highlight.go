package search

import (
	"slices"
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

// span is a half-open range [start, end) of bytes or runes.
type span struct{ start, end int }

// cutSnippet cuts the window of orig with most query words and splits it into
// highlighted and plain segments. folded is orig after textseg.Fold, both
// valid UTF-8 with the same number n of runes (NewIndex ensures it); words
// find the folded query words to highlight.
//
// It works on byte offsets and slices of orig, counting runes only up to
// the marks and the window: provisions run to thousands of characters and
// a search shows a snippet for every hit.
func cutSnippet(orig, folded string, n int, words []finder) []Segment {
	marks := matchSpans(folded, words)
	toRunes(folded, marks)
	lo, hi := 0, n
	if n > snippetRunes {
		lo = bestWindow(marks, n, snippetRunes)
		hi = lo + snippetRunes
	}
	// Segment boundaries in runes: the window and the marks inside it.
	cuts := make([]int, 0, 2*len(marks)+2)
	cuts = append(cuts, lo)
	for _, m := range marks {
		for _, r := range [2]int{m.start, m.end} {
			if r > lo && r < hi {
				cuts = append(cuts, r)
			}
		}
	}
	cuts = append(cuts, hi)
	offs := runeOffsets(orig, cuts)
	segs := make([]Segment, 0, len(cuts)+1)
	if lo > 0 {
		segs = append(segs, Segment{Text: "…"})
	}
	mi := 0
	for i := 0; i+1 < len(cuts); i++ {
		if cuts[i] == cuts[i+1] {
			continue
		}
		for mi < len(marks) && marks[mi].end <= cuts[i] {
			mi++
		}
		hl := mi < len(marks) && marks[mi].start <= cuts[i]
		segs = append(segs, Segment{Text: flatten(orig[offs[i]:offs[i+1]]), Highlight: hl})
	}
	if hi < n {
		segs = append(segs, Segment{Text: "…"})
	}
	return segs
}

// highlightable reports whether a folded query word is worth marking: a
// lone character would light up the whole text.
func highlightable(w string) bool {
	return w != "" && !(utf8.RuneCountInString(w) == 1 && w[0] >= utf8.RuneSelf)
}

// matchSpans returns the byte spans of folded covered by the words, sorted
// and merged (touching spans join, as adjacent highlighted runes do).
func matchSpans(folded string, words []finder) []span {
	marks := make([]span, 0, 16)
	for wi := range words {
		w := &words[wi]
		for from := 0; from < len(folded); {
			i := w.index(folded[from:])
			if i < 0 {
				break
			}
			start := from + i
			marks = append(marks, span{start, start + len(w.needle)})
			from = start + len(w.needle)
		}
	}
	if len(marks) < 2 {
		return marks
	}
	slices.SortFunc(marks, func(a, b span) int { return a.start - b.start })
	out := marks[:1]
	for _, m := range marks[1:] {
		if last := &out[len(out)-1]; m.start <= last.end {
			last.end = max(last.end, m.end)
		} else {
			out = append(out, m)
		}
	}
	return out
}

// toRunes turns sorted, disjoint byte spans of s into rune spans in place.
func toRunes(s string, spans []span) {
	b, r := 0, 0
	conv := func(x int) int {
		r += utf8.RuneCountInString(s[b:x])
		b = x
		return r
	}
	for i := range spans {
		spans[i].start = conv(spans[i].start)
		spans[i].end = conv(spans[i].end)
	}
}

// runeOffsets returns the byte offsets in s (valid UTF-8) of the ascending
// rune positions.
func runeOffsets(s string, runes []int) []int {
	out := make([]int, len(runes))
	b, r := 0, 0
	for k, want := range runes {
		for r < want && b < len(s) {
			b += runeLen(s[b])
			r++
		}
		out[k] = min(b, len(s))
	}
	return out
}

// runeLen is the length of the UTF-8 sequence that starts with lead byte c.
func runeLen(c byte) int {
	switch {
	case c < 0xc0:
		return 1
	case c < 0xe0:
		return 2
	case c < 0xf0:
		return 3
	}
	return 4
}

// bestWindow returns the start of the size-long window of an n-rune text
// with the most highlighted runes (marks are sorted, disjoint rune spans),
// starting a little before the first of them.
func bestWindow(marks []span, n, size int) int {
	hl := make([]bool, n)
	for _, m := range marks {
		for i := m.start; i < m.end; i++ {
			hl[i] = true
		}
	}
	c := 0
	for i := 0; i < size; i++ {
		if hl[i] {
			c++
		}
	}
	best, bestAt := c, 0
	for i := size; i < n; i++ {
		if hl[i] {
			c++
		}
		if hl[i-size] {
			c--
		}
		if c > best {
			best, bestAt = c, i-size+1
		}
	}
	if best == 0 {
		return 0
	}
	// Leave some lead-in before the first mark of the window.
	for i := bestAt; i < bestAt+size; i++ {
		if hl[i] {
			return max(0, min(i-20, n-size))
		}
	}
	return bestAt
}

// flatten joins hard line wraps so a snippet reads as one paragraph.
func flatten(s string) string {
	if strings.IndexByte(s, '\n') < 0 && strings.IndexByte(s, '\r') < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
}
