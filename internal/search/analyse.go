package search

import (
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"

	"datalex/internal/textseg"
)

// Term weights inside a query word: a whole word of three or more
// characters counts fully, its bigrams half each (they back up recall when
// the text splits the word differently), a lone character half.
const (
	wordWeight    = 1.0
	bigramWeight  = 0.5
	unigramWeight = 0.5
	maxGroups     = 64 // one bit each in a uint64 mask
	maxOrigGroups = 40
)

// qterm is one index term of a query with its posting ids in each field.
type qterm struct {
	text              string
	weight            float32
	body, title, head int32
	anchor            int32 // anchor field (anchor.go), -1 if none
}

// qgroup is one query word (or one expansion) with the terms that stand for
// it. A unit "has" the word when any of its terms match.
type qgroup struct {
	word   string
	terms  []qterm
	weight float32 // share of the query (idf of its rarest term); 0 if unknown
	scale  float32 // 1 for the user's words, the rule weight for expansions
	expand bool
	trans  bool   // an expansion of the translation model
	src    int    // expansion source (srcAlias, srcTrans, srcDef, srcAssoc)
	covers uint64 // expansion: the user's words it stands in for
}

// analysed is a query ready for scoring.
type analysed struct {
	groups    []qgroup
	words     []string     // the user's content words, in order
	pairs     []unitFinder // adjacent content words joined (proximity)
	dropped   []droppedTerm
	highlight []unitFinder // words to highlight (user's and expansions)
	total     float32      // Σ weight of the user's words
	folded    string       // the query text, folded
	content   []string     // contentWords(folded), all of them (words stops at maxOrigGroups)
	nOrig     int          // number of the user's words
	expMask   uint64       // bits of expansion groups
	// covLo holds coverage's sum for every combination of the low bits
	// (covLoMask) of a mask, once the groups are final (prepareCoverage);
	// nil: coverage adds every bit.
	covLo     []float32
	covLoMask uint64
}

func (ix *Index) termsFor(word string) []qterm {
	mk := func(t string, w float32) qterm {
		qt := qterm{text: t, weight: w, body: ix.body.term(t), title: ix.title.term(t), head: ix.head.term(t), anchor: -1}
		if ix.anchor != nil {
			qt.anchor = ix.anchor.field.term(t)
		}
		return qt
	}
	r, _ := utf8.DecodeRuneInString(word)
	if !textseg.IsHan(r) {
		return []qterm{mk(word, wordWeight)}
	}
	switch n := utf8.RuneCountInString(word); {
	case n == 1:
		return []qterm{mk(word, unigramWeight)}
	case n == 2:
		return []qterm{mk(word, wordWeight)}
	}
	out := []qterm{mk(word, wordWeight)}
	for _, b := range textseg.Bigrams(word) {
		out = append(out, mk(b, bigramWeight))
	}
	return out
}

// contentWords segments folded text and drops stopwords and duplicates.
func contentWords(folded string) []string {
	var out []string
	seen := make(map[string]bool)
	for _, w := range textseg.Words(folded) {
		if stopwords[w] || seen[w] {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out
}

// commonShare is the document frequency above which a term is too common to
// be worth scanning (数据, 应当 in a data-law library) when the query has
// other words: it would touch most postings for a small share of the score.
// Such terms are counted in the text of the top candidates instead.
const commonShare = 0.08

// minDropPostings keeps every term of a small library in the scan.
const minDropPostings = 2000

// droppedTerm is a common term left out of the posting scan.
type droppedTerm struct {
	id     int32   // body posting list
	weight float32 // group scale × term weight × idf
	group  int
}

// dropCommon moves very common body terms of multi-word queries from the
// posting scan to the re-scoring of the top candidates.
func (ix *Index) dropCommon(a *analysed) {
	if a.nOrig < 2 {
		return
	}
	// Small libraries are cheap to scan in full.
	limit := max(int(commonShare*float64(ix.body.nDocs)), minDropPostings)
	for gi := range a.groups {
		g := &a.groups[gi]
		for ti := range g.terms {
			if t := &g.terms[ti]; t.body >= 0 && len(ix.body.post[t.body]) > limit {
				a.dropped = append(a.dropped, droppedTerm{t.body, g.scale * t.weight * ix.body.idf(t.body), gi})
				t.body = -1
			}
		}
	}
}

func (ix *Index) groupWeight(g *qgroup) {
	for _, t := range g.terms {
		if t.body >= 0 {
			g.weight = max(g.weight, ix.body.idf(t.body))
		} else if t.title >= 0 {
			g.weight = max(g.weight, ix.title.idf(t.title))
		}
	}
}

// analyseQuery turns free text into weighted word groups, adding the
// expansions of the alias table.
func (ix *Index) analyseQuery(text string) analysed {
	folded := textseg.Fold(text)
	a := analysed{folded: folded, content: contentWords(folded)}
	for _, w := range a.content {
		if len(a.groups) >= maxOrigGroups {
			break
		}
		g := qgroup{word: w, terms: ix.termsFor(w), scale: 1}
		ix.groupWeight(&g)
		a.groups = append(a.groups, g)
		a.words = append(a.words, w)
		ix.addHighlight(&a, w)
		a.total += g.weight
		a.nOrig++
	}
	for _, e := range ix.aliases.expand(folded) {
		if len(a.groups) >= maxGroups {
			break
		}
		g := qgroup{word: e.Word, scale: e.Weight, expand: true}
		ws, ok := ix.expWords[e.Word]
		if !ok {
			ws = contentWords(e.Word)
		}
		for _, w := range ws {
			g.terms = append(g.terms, ix.termsFor(w)...)
		}
		if len(g.terms) == 0 {
			continue
		}
		for i, og := range a.groups {
			if !og.expand && strings.Contains(e.From, og.word) {
				g.covers |= 1 << i
			}
		}
		ix.groupWeight(&g)
		a.expMask |= 1 << len(a.groups)
		a.groups = append(a.groups, g)
		ix.addHighlight(&a, e.Word)
	}
	// Pairs of single characters say little and cost a text scan each.
	for i := 0; i+1 < len(a.words); i++ {
		if utf8.RuneCountInString(a.words[i]) > 1 && utf8.RuneCountInString(a.words[i+1]) > 1 {
			f := ix.newUnitFinder(a.words[i] + a.words[i+1])
			f.word = i
			a.pairs = append(a.pairs, f)
		}
	}
	ix.dropCommon(&a)
	return a
}

// unitFinder finds a folded word or phrase in unit texts. Before scanning
// a text it looks up the unit in the body postings of the needle's rarest
// character bigram: a unit without that bigram cannot contain the needle,
// and most candidates lack some of a query's words.
type unitFinder struct {
	finder
	gate int32 // body posting list of that bigram, or gateNone, gateNever
	word int   // of a pair (analysed.pairs): the index of its first word and group
}

const (
	gateNone  = -2 // the needle has no Han bigram: always scan
	gateNever = -1 // a bigram of the needle is in no unit: never found
)

func (ix *Index) newUnitFinder(needle string) unitFinder {
	f := unitFinder{finder: newFinder(needle, &ix.freq), gate: gateNone}
	prevHan, prevStart := false, 0
	for i := 0; i < len(needle); {
		r, size := utf8.DecodeRuneInString(needle[i:])
		han := textseg.IsHan(r)
		if prevHan && han {
			id := ix.body.term(needle[prevStart : i+size])
			if id < 0 {
				f.gate = gateNever
				return f
			}
			if f.gate == gateNone || len(ix.body.post[id]) < len(ix.body.post[f.gate]) {
				f.gate = id
			}
		}
		prevHan, prevStart = han, i
		i += size
	}
	return f
}

// mayBeIn reports whether unit u can contain the needle (from postings).
func (f *unitFinder) mayBeIn(ix *Index, u int32) bool {
	switch {
	case f.gate == gateNever:
		return false
	case f.gate >= 0:
		return ix.body.tf(f.gate, uint32(u)) > 0
	}
	return true
}

// in reports whether unit u's text contains the needle.
func (f *unitFinder) in(ix *Index, u int32) bool {
	return f.mayBeIn(ix, u) && f.index(ix.units[u].text) >= 0
}

func (ix *Index) addHighlight(a *analysed, w string) {
	if highlightable(w) {
		a.highlight = append(a.highlight, ix.newUnitFinder(w))
	}
}

// coverage is the share of the user's words (by weight) that a mask of
// matched groups accounts for, counting expansions for the words they
// stand in for.
func (a *analysed) coverage(mask uint64) float32 {
	if a.total == 0 {
		return 0
	}
	matched := mask &^ a.expMask
	for e := mask & a.expMask; e != 0; e &= e - 1 {
		matched |= a.groups[bits.TrailingZeros64(e)].covers
	}
	matched &^= a.expMask
	var s float32
	m := matched
	if a.covLo != nil {
		s, m = a.covLo[matched&a.covLoMask], matched&^a.covLoMask
	}
	for ; m != 0; m &= m - 1 {
		s += a.groups[bits.TrailingZeros64(m)].weight
	}
	return min(1, s/a.total)
}

// covLoBits bounds the bits covered by analysed.covLo (8 KB of sums).
const covLoBits = 11

// prepareCoverage gives coverage a table of its sums over the low bits
// of a mask, in buf (reused; returned). A long question's scan computes
// the coverage of a thousand or two distinct masks (covMemo), each a
// float32 sum over a dozen bits or more, in ascending bit order. Entry x
// is built from the entry without x's highest bit plus that bit's weight,
// so it is the very sum the loop forms after the low bits (the same
// additions in the same order, from the same 0), and coverage goes on
// adding the higher bits from there: every coverage is unchanged to the
// bit. The groups must be final (after every expansion).
func (a *analysed) prepareCoverage(buf []float32) []float32 {
	n := min(len(a.groups), covLoBits)
	t := slices.Grow(buf[:0], 1<<n)[:1<<n]
	t[0] = 0
	for x := 1; x < len(t); x++ {
		hb := bits.Len(uint(x)) - 1
		t[x] = t[x&^(1<<hb)] + a.groups[hb].weight
	}
	a.covLo, a.covLoMask = t, uint64(len(t)-1)
	return t
}
