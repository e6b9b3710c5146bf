package search

import (
	"sort"
	"strings"
	"unicode/utf8"

	"datalex/internal/textseg"
)

// Definition clauses bridge the two vocabularies from the library itself:
// a statute that says "本法所称个人信息，是指以电子或者其他方式记录的与已识别或者
// 可识别的自然人有关的各种信息" tells us that a question speaking of "记录的跟某人有关
// 的信息" is asking about 个人信息. The clauses are mined from the provisions at
// index build (no list is written by hand); at query time a question whose
// words cover much of a definition gets the defined term as an optional
// expansion, and a question that names a defined term gets the rarest words
// of its definition (the reverse direction).

// definition is one mined clause: a defined term and the content words of
// what it is defined as.
type definition struct {
	term  string
	words []string // content words of the definition, without the term's own
}

// defTable holds the definitions and an inverted map from a definition
// word to the definitions that use it.
type defTable struct {
	defs   []definition
	byWord map[string][]int32
	byTerm map[string]int32
	// byPrefix: first two runes of a term → its first definitions, to find
	// the terms a question names in one pass over the question.
	byPrefix map[string][]int32
}

// Bounds of a definition clause.
const (
	defMinTerm  = 2
	defMaxTerm  = 12
	defMaxRunes = 160
	// defMaxUses skips definition words used by many definitions (信息,
	// 数据): they say nothing about which term a question means.
	defMaxUses  = 60
	defPerQuery = 3   // definitions added to one query (each direction)
	defMinShare = 0.2 // idf-weighted share of a definition a question must cover
	defRevWords = 3   // words of a definition added when its term is named
)

// defMarker introduces the definition after the term.
const defMarker = "是指"

// mineDefinitions scans folded unit texts for "X是指Y" clauses (including
// "本法所称X,是指Y"); the same term defined in several documents keeps
// every distinct wording.
func mineDefinitions(texts func(yield func(string))) *defTable {
	t := &defTable{byWord: map[string][]int32{}, byTerm: map[string]int32{}, byPrefix: map[string][]int32{}}
	seen := map[string]bool{}
	texts(func(text string) {
		for rest := text; ; {
			i := strings.Index(rest, defMarker)
			if i < 0 {
				return
			}
			term := defTerm(rest[:i])
			body := defBody(rest[i+len(defMarker):])
			rest = rest[i+len(defMarker):]
			if term == "" || body == "" || seen[term+"\x00"+body] {
				continue
			}
			seen[term+"\x00"+body] = true
			var words []string
			for _, w := range contentWords(body) {
				if utf8.RuneCountInString(w) >= 2 && !strings.Contains(term, w) {
					words = append(words, w)
				}
			}
			if len(words) < 2 {
				continue
			}
			id := int32(len(t.defs))
			t.defs = append(t.defs, definition{term: term, words: words})
			if _, ok := t.byTerm[term]; !ok {
				t.byTerm[term] = id
				p := prefixRunes(term, 2)
				t.byPrefix[p] = append(t.byPrefix[p], id)
			}
			for _, w := range words {
				t.byWord[w] = append(t.byWord[w], id)
			}
		}
	})
	return t
}

// defTerm extracts the defined term that ends text: after "所称" when the
// clause has it, else the run of Han characters (and letters) back to the
// previous punctuation, quote or clause start; empty when it is not a
// plausible term.
func defTerm(text string) string {
	text = strings.TrimRight(text, ", ，")
	if i := strings.LastIndex(text, "所称"); i >= 0 && utf8.RuneCountInString(text[i:]) <= defMaxTerm+2 {
		text = text[i+len("所称"):]
	} else {
		start := len(text)
		for start > 0 {
			r, size := utf8.DecodeLastRuneInString(text[:start])
			if !(textseg.IsHan(r) || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
				break
			}
			start -= size
		}
		text = text[start:]
	}
	text = strings.Trim(text, "\"“”《》()（） ")
	n := utf8.RuneCountInString(text)
	if n < defMinTerm || n > defMaxTerm {
		return ""
	}
	// A clause such as "前款所称..." or "第X条" is no term, nor a run that
	// starts with a function word (的数字企业).
	if strings.ContainsRune("第的和或及与是在对由指其", []rune(text)[0]) || strings.HasSuffix(text, "条") || strings.HasSuffix(text, "款") {
		return ""
	}
	return text
}

// defBody is the definition up to the end of its sentence.
func defBody(text string) string {
	end := len(text)
	for _, stop := range []string{"。", ";", "\n", "；"} {
		if i := strings.Index(text, stop); i >= 0 && i < end {
			end = i
		}
	}
	body := text[:end]
	if utf8.RuneCountInString(body) > defMaxRunes {
		return ""
	}
	return strings.TrimSpace(body)
}

// defCand is a definition matched by a query, with its share.
type defCand struct {
	id    int32
	share float32
}

// addDefinitions adds defined terms whose definitions the question's words
// cover (forward) and the definitions' words of terms the question names
// (reverse), as optional expansion groups.
func (ix *Index) addDefinitions(a *analysed, folded string) {
	t := ix.defs
	if t == nil || ix.weights.Def <= 0 || a.nOrig == 0 {
		return
	}
	inQ := make(map[string]bool, len(a.words))
	for _, w := range a.words {
		inQ[w] = true
	}
	// Forward: idf-weighted share of a definition's words the question has.
	hit := map[int32]float32{}
	for _, w := range a.words {
		ids := t.byWord[w]
		if len(ids) == 0 || len(ids) > defMaxUses {
			continue
		}
		idf := ix.wordIDF(w)
		for _, id := range ids {
			hit[id] += idf
		}
	}
	var cands []defCand
	for id, s := range hit {
		d := &t.defs[id]
		if inQ[d.term] || strings.Contains(folded, d.term) {
			continue
		}
		var total float32
		n := 0
		for _, w := range d.words {
			total += ix.wordIDF(w)
			if inQ[w] {
				n++
			}
		}
		if n < 2 || total <= 0 || s/total < defMinShare {
			continue
		}
		cands = append(cands, defCand{id, s / total})
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].share != cands[j].share {
			return cands[i].share > cands[j].share
		}
		return cands[i].id < cands[j].id
	})
	added := map[string]bool{}
	for _, c := range cands {
		if len(added) >= defPerQuery || len(a.groups) >= maxGroups {
			break
		}
		term := t.defs[c.id].term
		if added[term] {
			continue
		}
		added[term] = true
		ix.addExpansion(a, term, ix.weights.Def*min(1, 2*c.share), srcDef)
	}
	// Reverse: a named term brings the rarest words of its definition.
	n := 0
	for i := range folded {
		if n >= defPerQuery {
			break
		}
		for _, id := range t.byPrefix[prefixRunes(folded[i:], 2)] {
			term := t.defs[id].term
			if n >= defPerQuery || utf8.RuneCountInString(term) < 3 || !strings.HasPrefix(folded[i:], term) || added[term] {
				continue
			}
			added[term] = true
			n++
			words := append([]string(nil), t.defs[id].words...)
			sort.SliceStable(words, func(i, j int) bool { return ix.wordIDF(words[i]) > ix.wordIDF(words[j]) })
			k := 0
			for _, w := range words {
				if k >= defRevWords || len(a.groups) >= maxGroups {
					break
				}
				if inQ[w] || added[w] {
					continue
				}
				added[w] = true
				k++
				ix.addExpansion(a, w, ix.weights.Def*0.5, srcDef)
			}
		}
	}
}

// prefixRunes is the first n runes of s (all of s when shorter).
func prefixRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// wordIDF is the body idf of a word (of its rarest bigram when the word
// itself is not an index term), 0 if unknown.
func (ix *Index) wordIDF(w string) float32 {
	if id := ix.body.term(w); id >= 0 {
		return ix.body.idf(id)
	}
	var best float32
	for _, b := range textseg.Bigrams(w) {
		if id := ix.body.term(b); id >= 0 {
			best = max(best, ix.body.idf(id))
		}
	}
	return best
}

// expansion sources, for the ranker's features.
const (
	srcAlias = iota
	srcTrans
	srcDef
	srcAssoc
	srcPRF
)

// addExpansion appends an optional expansion group for word.
func (ix *Index) addExpansion(a *analysed, word string, scale float32, src int) {
	if scale <= 0 || len(a.groups) >= maxGroups {
		return
	}
	g := qgroup{word: word, terms: ix.termsFor(word), scale: scale, expand: true, src: src}
	ix.groupWeight(&g)
	if g.weight == 0 {
		return
	}
	a.expMask |= 1 << len(a.groups)
	a.groups = append(a.groups, g)
}
