package textseg

import (
	"math"
	"unicode/utf8"
)

// route is the best segmentation of a text's suffix: the log probability
// of its words and the last rune of its first word.
type route struct {
	logp float64
	end  int
}

// cutDAG is gse's Cut(run, false) — the most probable route through the
// dictionary DAG, no HMM — computed with slices and byte offsets instead
// of gse's maps and per-lookup rune-to-string conversions, which made
// segmentation the largest cost of analysing a query. The dictionary, the
// arithmetic and the tie-breaking are gse's, so the words are the same
// (TestCutMatchesGse). run is folded text (gse would lower-case it).
func cutDAG(run string) []string {
	Load()
	n := utf8.RuneCountInString(run)
	if n == 0 {
		return nil
	}
	off := make([]int, 0, n+1) // byte offset of each rune, and the end
	for i := range run {
		off = append(off, i)
	}
	off = append(off, len(run))
	b := []byte(run) // the dictionary looks up bytes
	dict := segmenter.Dict
	logT := math.Log(dict.TotalFreq())
	routes := make([]route, n+1)
	for k := n - 1; k >= 0; k-- {
		// The words starting at k (gse's getDag) scored as in gse's calc.
		best, set := route{}, false
		take := func(end int, freq float64, ok bool) {
			f := math.Log(1.0) - logT + routes[end+1].logp
			if ok {
				f = math.Log(freq) - logT + routes[end+1].logp
			}
			r := route{f, end}
			if !set || best.logp < r.logp || best.logp == r.logp && best.end < r.end {
				best, set = r, true
			}
		}
		var firstFreq float64
		var firstOK, any bool
		for i := k; ; {
			freq, _, ok := dict.Find(b[off[k]:off[i+1]])
			if i == k {
				firstFreq, firstOK = freq, ok
			}
			if !ok {
				break
			}
			if freq > 0 {
				take(i, freq, true)
				any = true
			}
			i++
			if i >= n {
				break
			}
		}
		if !any {
			take(k, firstFreq, firstOK)
		}
		routes[k] = best
	}
	words := make([]string, 0, n/2+1)
	// Single ASCII letters and digits in a row make one word, as in gse.
	bufStart := -1
	for x := 0; x < n; {
		y := routes[x].end + 1
		if y-x == 1 && isASCIIAlnum(run[off[x]]) {
			if bufStart < 0 {
				bufStart = off[x]
			}
			x = y
			continue
		}
		if bufStart >= 0 {
			words = append(words, run[bufStart:off[x]])
			bufStart = -1
		}
		words = append(words, run[off[x]:off[y]])
		x = y
	}
	if bufStart >= 0 {
		words = append(words, run[bufStart:])
	}
	return words
}

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// cutDAGSearch is gse's CutSearch(run, false): cutDAG plus, for every word
// longer than two (three) characters, its two- (three-) character parts
// that are dictionary words, before the word itself.
func cutDAGSearch(run string) []string {
	words := cutDAG(run)
	out := make([]string, 0, len(words)+len(words)/2)
	var off []int
	for _, w := range words {
		if utf8.RuneCountInString(w) > 2 {
			off = off[:0]
			for i := range w {
				off = append(off, i)
			}
			off = append(off, len(w))
			n := len(off) - 1
			for _, incr := range [2]int{2, 3} {
				if n <= incr {
					continue
				}
				for i := 0; i < n-incr+1; i++ {
					gram := w[off[i]:off[i+incr]]
					if v, _, ok := segmenter.Dict.Find([]byte(gram)); ok && v > 0 {
						out = append(out, gram)
					}
				}
			}
		}
		out = append(out, w)
	}
	return out
}
