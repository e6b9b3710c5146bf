package textseg

import (
	"unicode/utf8"
)

// Runs splits folded text into runs of Han characters and alphanumeric
// tokens, calling fn with each run, whether it is Han, and its rune offset.
// Everything else (punctuation, spaces, symbols) separates runs.
func Runs(folded string, fn func(run string, han bool, start int)) {
	runeIdx := 0
	start, startRune := -1, 0
	han := false
	flush := func(end int) {
		if start >= 0 {
			fn(folded[start:end], han, startRune)
			start = -1
		}
	}
	for i, r := range folded {
		switch {
		case IsHan(r):
			if start >= 0 && !han {
				flush(i)
			}
			if start < 0 {
				start, startRune, han = i, runeIdx, true
			}
		case isWordRune(r) || r == '.' && start >= 0 && !han && i+1 < len(folded) && isDigitAt(folded, i+1) && isDigitAt(folded, i-1):
			// A dot between digits stays inside the token (5.3.1, 1.5).
			if start >= 0 && han {
				flush(i)
			}
			if start < 0 {
				start, startRune, han = i, runeIdx, false
			}
		default:
			flush(i)
		}
		runeIdx++
	}
	flush(len(folded))
}

func isDigitAt(s string, i int) bool {
	return i >= 0 && i < len(s) && s[i] >= '0' && s[i] <= '9'
}

// IndexTerms calls emit with every index term of folded text: alphanumeric
// tokens, Han unigrams and bigrams, and the gse words (search mode) of three
// or more characters. Bigrams make two-character terms (入表, 跨境) match
// whatever the segmenter decided; words add precision for longer terms.
func IndexTerms(folded string, emit func(term string)) {
	Runs(folded, func(run string, han bool, _ int) {
		if !han {
			emit(run)
			return
		}
		prev, prevSize := rune(-1), 0
		for i, r := range run {
			size := utf8.RuneLen(r)
			emit(run[i : i+size])
			if prev >= 0 {
				emit(run[i-prevSize : i+size])
			}
			prev, prevSize = r, size
		}
		if utf8.RuneCountInString(run) < 3 {
			return
		}
		for _, w := range cutSearch(run) {
			if utf8.RuneCountInString(w) >= 3 {
				emit(w)
			}
		}
	})
}

// Words segments folded text into words for queries and highlighting:
// gse words for Han runs and whole alphanumeric tokens; punctuation is
// dropped.
func Words(folded string) []string {
	var out []string
	Runs(folded, func(run string, han bool, _ int) {
		if !han {
			out = append(out, run)
			return
		}
		out = append(out, cut(run)...)
	})
	return out
}

// Bigrams returns the overlapping character bigrams of a Han word, or the
// word itself when it is shorter than two characters.
func Bigrams(word string) []string {
	rs := []rune(word)
	if len(rs) < 2 {
		return []string{word}
	}
	out := make([]string, 0, len(rs)-1)
	for i := 0; i+1 < len(rs); i++ {
		out = append(out, string(rs[i:i+2]))
	}
	return out
}

// SearchWords is gse's search-mode segmentation of folded text (words and
// their dictionary sub-words) plus alphanumeric tokens: the conventional
// "gse analyzer" used for the Bleve comparison.
func SearchWords(folded string) []string {
	var out []string
	Runs(folded, func(run string, han bool, _ int) {
		if !han {
			out = append(out, run)
			return
		}
		out = append(out, cutSearch(run)...)
	})
	return out
}
