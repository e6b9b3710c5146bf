package search

import (
	"math"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"datalex/internal/textseg"
)

// Corpus term associations: words that keep company in the library's
// provisions (服务器 with 存储, 境内; 出售 with 收入) stand in for each other
// more often than chance. For a rare question word the engine counts, over
// the provisions that contain it, the mid-frequency terms that share those
// provisions, and adds the few with the highest lift (p(b|a)·log lift,
// pointwise mutual information weighted by confidence) as optional
// expansions. Counting is done at query time over a compact forward index
// built with the postings, so nothing is precomputed for words no question
// uses and the build stays bounded: only terms of two or more characters
// whose document frequency is between assocMinDF and assocMaxShare of the
// units are listed per unit.
type assocTable struct {
	off   []uint32 // unit u's targets are ids[off[u]:off[u+1]]
	ids   []int32  // body term ids
	slot  []int32  // body term id → dense target slot, -1 if not a target
	names []string // target slot → term
	nTarg int
	pool  sync.Pool // *[]uint16 counters, one per target slot
}

const (
	assocMinDF    = 5
	assocMaxShare = 0.02 // targets: terms in at most this share of units
	assocMaxSrc   = 400  // sources: question words in at most this many units
	assocMinSrc   = 3
	assocMinCo    = 3 // co-occurrences an association needs
	assocMinLift  = 4
	assocMinConf  = 0.05 // p(b|a) an association needs
	assocPerWord  = 3
	assocPerQuery = 6
)

// buildAssoc lists each unit's target terms from the body postings.
func buildAssoc(body *invIndex) *assocTable {
	n := body.nDocs
	maxDF := max(assocMinDF, int(assocMaxShare*float64(n)))
	t := &assocTable{slot: make([]int32, len(body.post))}
	counts := make([]uint32, n+1)
	for term, id := range body.ids {
		t.slot[id] = -1
		df := len(body.post[id])
		if df < assocMinDF || df > maxDF || utf8.RuneCountInString(term) < 2 {
			continue
		}
		r, _ := utf8.DecodeRuneInString(term)
		if !textseg.IsHan(r) {
			continue
		}
		t.slot[id] = int32(t.nTarg)
		t.names = append(t.names, term)
		t.nTarg++
		for _, p := range body.post[id] {
			counts[p>>8+1]++
		}
	}
	t.off = make([]uint32, n+1)
	for u := 1; u <= n; u++ {
		t.off[u] = t.off[u-1] + counts[u]
	}
	t.ids = make([]int32, t.off[n])
	fill := make([]uint32, n)
	copy(fill, t.off[:n])
	for id, post := range body.post {
		if t.slot[id] < 0 {
			continue
		}
		for _, p := range post {
			u := p >> 8
			t.ids[fill[u]] = int32(id)
			fill[u]++
		}
	}
	return t
}

type assocCand struct {
	word  string
	score float32
}

// addAssociations adds the corpus associates of the question's rare words
// as optional expansion groups.
func (ix *Index) addAssociations(a *analysed) {
	t := ix.assoc
	if t == nil || ix.weights.Assoc <= 0 || t.nTarg == 0 {
		return
	}
	inQ := make(map[string]bool, len(a.words))
	for _, w := range a.words {
		inQ[w] = true
	}
	cp, _ := t.pool.Get().(*[]uint16)
	if cp == nil {
		c := make([]uint16, t.nTarg)
		cp = &c
	}
	defer t.pool.Put(cp)
	counter := *cp
	n := float64(ix.body.nDocs)
	sum := map[string]float32{}
	var order []string
	var touched []int32
	for _, w := range a.words {
		if utf8.RuneCountInString(w) < 2 {
			continue
		}
		src := ix.body.term(w)
		if src < 0 {
			continue
		}
		post := ix.body.post[src]
		if len(post) < assocMinSrc || len(post) > assocMaxSrc {
			continue
		}
		touched = touched[:0]
		for _, p := range post {
			u := p >> 8
			for _, id := range t.ids[t.off[u]:t.off[u+1]] {
				s := t.slot[id]
				if counter[s] == 0 {
					touched = append(touched, id)
				}
				counter[s]++
			}
		}
		dfA := float64(len(post))
		var cands []assocCand
		for _, id := range touched {
			s := t.slot[id]
			c := float64(counter[s])
			counter[s] = 0
			if c < assocMinCo || c < assocMinConf*dfA {
				continue
			}
			pCond := c / dfA
			lift := pCond / (float64(len(ix.body.post[id])) / n)
			if lift < assocMinLift {
				continue
			}
			cands = append(cands, assocCand{score: float32(pCond * math.Log(lift)), word: t.names[s]})
		}
		sort.Slice(cands, func(i, j int) bool {
			if cands[i].score != cands[j].score {
				return cands[i].score > cands[j].score
			}
			return cands[i].word < cands[j].word
		})
		k := 0
		for _, c := range cands {
			if k >= assocPerWord {
				break
			}
			// The word's own pieces and the other question words are no
			// expansion; a bigram the segmenter would not call a word
			// (据安) is noise.
			if inQ[c.word] || overlapsQuery(c.word, a.words) || sharesRune(c.word, w) || !isWord(c.word) {
				continue
			}
			k++
			if _, ok := sum[c.word]; !ok {
				order = append(order, c.word)
			}
			sum[c.word] += c.score
		}
	}
	if len(order) == 0 {
		return
	}
	sort.SliceStable(order, func(i, j int) bool { return sum[order[i]] > sum[order[j]] })
	top := sum[order[0]]
	for _, w := range order[:min(len(order), assocPerQuery)] {
		ix.addExpansion(a, w, ix.weights.Assoc*sum[w]/top, srcAssoc)
	}
}

// overlapsQuery reports whether w shares a character bigram with a query
// word (it is then a piece or a neighbour of that word, not an associate).
func overlapsQuery(w string, words []string) bool {
	for _, q := range words {
		for _, b := range textseg.Bigrams(w) {
			if utf8.RuneCountInString(b) == 2 && strings.Contains(q, b) {
				return true
			}
		}
	}
	return false
}

// sharesRune reports whether a and b have a character in common: an
// associate that does (津市 for 天津) is a piece of a longer name.
func sharesRune(a, b string) bool {
	for _, r := range a {
		if strings.ContainsRune(b, r) {
			return true
		}
	}
	return false
}

// isWord reports whether the segmenter reads s as one word.
func isWord(s string) bool {
	ws := textseg.Words(s)
	return len(ws) == 1 && ws[0] == s
}
