package search

import (
	"math"
	"runtime"
	"strings"
	"sync"

	"datalex/internal/textseg"
)

// invIndex is an in-memory inverted index over folded texts. A posting packs
// the document number (high 24 bits) and the term frequency capped at 255
// (low 8 bits) into one uint32: 4 bytes a posting keeps 60k provisions well
// under the memory budget.
type invIndex struct {
	ids   map[string]int32
	post  [][]uint32
	lens  []float32
	norms []float32 // BM25 length normaliser per document, for the field's b
	avg   float32
	nDocs int
	// dense holds, for the longest posting lists only, the frequency in
	// every document (buildDense): O(1) lookups where galloping through
	// tens of thousands of postings per candidate would cost most.
	dense map[int32][]uint8
}

const (
	maxDocs = 1 << 24
	bm25K1  = 1.2
)

// docTerms is the analysed form of one document.
type docTerms struct {
	terms  []string
	counts []uint16
	length int
}

func analyse(text string, counts map[string]int) docTerms {
	clear(counts)
	n := 0
	textseg.IndexTerms(text, func(t string) {
		counts[t]++
		n++
	})
	d := docTerms{terms: make([]string, 0, len(counts)), counts: make([]uint16, 0, len(counts)), length: n}
	for t, c := range counts {
		d.terms = append(d.terms, t)
		d.counts = append(d.counts, uint16(min(c, 65535)))
	}
	return d
}

// buildInvIndex indexes n documents, to be scored with BM25 parameter b.
// Analysis (the slow part: gse) runs in parallel in chunks; postings are
// appended in document order by one goroutine so that every posting list
// stays sorted.
func buildInvIndex(n int, b float32, text func(i int) string) *invIndex {
	ix := &invIndex{ids: make(map[string]int32), lens: make([]float32, n), nDocs: n}
	const chunk = 256
	nChunks := (n + chunk - 1) / chunk
	results := make([]chan []docTerms, nChunks)
	for i := range results {
		results[i] = make(chan []docTerms, 1)
	}
	workers := max(1, runtime.GOMAXPROCS(0))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts := make(map[string]int)
			for c := range next {
				lo, hi := c*chunk, min(n, (c+1)*chunk)
				out := make([]docTerms, 0, hi-lo)
				for i := lo; i < hi; i++ {
					out = append(out, analyse(text(i), counts))
				}
				results[c] <- out
			}
		}()
	}
	// At most 2×workers chunks are analysed ahead of the merger, which
	// bounds the memory held by analysed-but-unmerged documents.
	inFlight := make(chan struct{}, 2*workers)
	go func() {
		for c := 0; c < nChunks; c++ {
			inFlight <- struct{}{}
			next <- c
		}
		close(next)
	}()
	total := 0.0
	for c := 0; c < nChunks; c++ {
		docs := <-results[c]
		<-inFlight
		for j, d := range docs {
			doc := uint32(c*chunk + j)
			ix.lens[doc] = float32(d.length)
			total += float64(d.length)
			for k, t := range d.terms {
				id, ok := ix.ids[t]
				if !ok {
					id = int32(len(ix.post))
					ix.ids[strings.Clone(t)] = id
					ix.post = append(ix.post, nil)
				}
				ix.post[id] = append(ix.post[id], doc<<8|uint32(min(d.counts[k], 255)))
			}
		}
	}
	wg.Wait()
	if n > 0 {
		ix.avg = float32(total / float64(n))
	}
	for i, p := range ix.post {
		ix.post[i] = p[:len(p):len(p)]
	}
	ix.norms = make([]float32, n)
	for d, l := range ix.lens {
		// Very short texts (headings) count as at least a third of the
		// average so that a bare 第四章 line does not outrank real articles.
		l = max(l, ix.avg/3)
		ix.norms[d] = bm25K1 * (1 - b + b*l/max(ix.avg, 1))
	}
	return ix
}

// buildDense gives every posting list longer than minLen a dense
// frequency array (one byte per document).
func (ix *invIndex) buildDense(minLen int) {
	ix.dense = map[int32][]uint8{}
	for id, p := range ix.post {
		if len(p) <= minLen {
			continue
		}
		tf := make([]uint8, ix.nDocs)
		for _, e := range p {
			tf[e>>8] = uint8(e & 0xff)
		}
		ix.dense[int32(id)] = tf
	}
}

// Lists longer than nDocs/denseShare (and denseMin) get dense arrays: on
// the LawRefBook library (90k units) about 150 lists, 13 MB.
const (
	denseShare = 8
	denseMin   = 4096 // a small library gallops: its lists are short
)

// term returns the posting id of a term, or -1.
func (ix *invIndex) term(t string) int32 {
	if id, ok := ix.ids[t]; ok {
		return id
	}
	return -1
}

// idf is the BM25 inverse document frequency of a term.
func (ix *invIndex) idf(id int32) float32 {
	df := float64(len(ix.post[id]))
	return float32(math.Log(1 + (float64(ix.nDocs)-df+0.5)/(df+0.5)))
}

// tfFrom is tf for ascending docs: *pos is where the previous lookup
// ended in the posting list, and the search gallops on from there.
func (ix *invIndex) tfFrom(id int32, doc uint32, pos *int) float32 {
	post := ix.post[id]
	if i := gallop(post, doc, pos); i < len(post) && post[i]>>8 == doc {
		return float32(post[i] & 0xff)
	}
	return 0
}

// gallop finds the first posting at or after doc in an ascending posting
// list (doc ids in the high 24 bits), starting at *pos with doubling steps
// then a binary search, and leaves *pos there: ascending lookups over
// long lists cost O(log gap) each instead of O(log n).
func gallop(post []uint32, doc uint32, pos *int) int {
	lo, step := *pos, 1
	hi := lo
	for hi < len(post) && post[hi]>>8 < doc {
		lo = hi + 1
		hi += step
		step *= 2
	}
	hi = min(hi, len(post))
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if post[m]>>8 < doc {
			lo = m + 1
		} else {
			hi = m
		}
	}
	*pos = lo
	return lo
}

// tf returns the frequency of term id in doc (0 if absent), by binary
// search in the sorted posting list.
func (ix *invIndex) tf(id int32, doc uint32) float32 {
	post := ix.post[id]
	lo, hi := 0, len(post)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if post[m]>>8 < doc {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(post) && post[lo]>>8 == doc {
		return float32(post[lo] & 0xff)
	}
	return 0
}
