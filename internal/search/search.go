package search

import (
	"context"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"datalex/internal/library"
	"datalex/internal/textseg"
)

// Ranking parameters.
const (
	bodyB       = 0.75
	titleB      = 0.3
	headB       = 0.5
	titleBoost  = 0.6 // share of a title match added to each provision of the document
	headBoost   = 0.4 // share of a heading-context match
	rerankPool  = 60  // candidates re-scored with phrase proximity
	maxDocHits  = 20
	matchCover  = 0.5 // coverage a provision needs to count in totals and facets
	citedMargin = 1.0
)

// Hit is one provision in the results.
type Hit struct {
	ProvisionID string    `json:"provision_id"`
	VersionID   string    `json:"version_id"`
	WorkID      string    `json:"work_id"`
	Document    string    `json:"document"`
	Label       string    `json:"label"`
	Citation    string    `json:"citation"`
	Path        string    `json:"path"`
	Kind        string    `json:"kind"` // provision kind
	DocKind     string    `json:"doc_kind"`
	Status      string    `json:"status,omitempty"`
	Level       string    `json:"level,omitempty"`
	IssueDate   string    `json:"issue_date,omitempty"`
	Source      string    `json:"source"`
	Line        int       `json:"line"`
	LineEnd     int       `json:"line_end"`
	Offset      *int      `json:"offset,omitempty"` // single-line sources only
	Score       float64   `json:"score"`
	Cited       bool      `json:"cited,omitempty"` // the query cited this provision
	Snippet     []Segment `json:"snippet,omitempty"`
	Partial     bool      `json:"partial,omitempty"` // holds less of the query than a match in Total (counted in Results.Partial)
}

// DocHit is one document (version) in the results.
type DocHit struct {
	VersionID string  `json:"version_id"`
	WorkID    string  `json:"work_id"`
	Title     string  `json:"title"`
	Kind      string  `json:"kind"`
	Status    string  `json:"status,omitempty"`
	Level     string  `json:"level,omitempty"`
	IssueDate string  `json:"issue_date,omitempty"`
	Region    string  `json:"region,omitempty"`
	Matches   int     `json:"matches"` // matching provisions
	Best      *Hit    `json:"best,omitempty"`
	Score     float64 `json:"score"`
}

// Results is the answer to one query, ready to be encoded as JSON.
type Results struct {
	Query     Query    `json:"query"`
	Total     int      `json:"total"`      // matching provisions
	TotalDocs int      `json:"total_docs"` // matching documents
	Partial   int      `json:"partial"`    // provisions holding only part of the query (ranked, not in Total)
	Hits      []Hit    `json:"hits"`
	Documents []DocHit `json:"documents"`
	Facets    []Facet  `json:"facets"`
	Notices   []string `json:"notices,omitempty"`
	TookMS    float64  `json:"took_ms"`

	units    []int32     // of the hits, for pseudo-relevance feedback
	features [][]float32 // of the hits, when the query asked for them
}

// accum holds per-query scratch arrays, pooled per index because they are
// as long as the index: a query allocates little beyond its results.
type accum struct {
	cands          []cand
	heap           candHeap  // of cands (topK)
	top            topK      // the first stage's selection (its scratch reused)
	docOf          []int32   // per version, features: 1 + index in aggs, else 0
	aggs           []docAgg  // features
	keys           []uint64  // sortCands
	tmp            []cand    // sortCands
	units          []unitAcc // per unit: body score and mask (scoreBody)
	touched        []int32   // units with a mask, each once
	slotsClear     bool      // the scan left every slot of touched cleared
	again          []int32   // the replay's listing of touched units (scan.replay)
	tScore, hScore []float32 // per version, per heading context
	tMask, hMask   []uint64
	aScore         []float32 // per anchor document (anchor.go)
	aMask          []uint64
	matches        []int32   // per version: matching provisions
	best           []docBest // per version: best unit; score 0 = none
	inDocs         []bool    // per version: counted in the document total
	docs           []int32   // versions with matches
	facetCounts    []int32   // per facet value
	docList        []docScore
	cov            covMemo
	rows           [][nFeatures]float32 // ranking features of the pool
	tfs            []float32            // posting-list frequencies in the pool (poolTFs)
	bits           []uint64             // one bit per unit, all clear between uses (poolBits)
	covLo          []float32            // analysed.covLo
	pairMore       [][]int32            // rankInput.pairMore
	pairCols       []int32              // its lists
}

// poolBits returns the accumulator's unit bitmap; its user leaves it clear.
func (a *accum) poolBits(nUnits int) []uint64 {
	if a.bits == nil {
		a.bits = make([]uint64, nUnits/64+1)
	}
	return a.bits
}

// covMemo remembers the coverage of recent masks during one query, with
// its coverage factor (Index.coord): about a thousand distinct masks recur
// over tens of thousands of candidate provisions. One entry is one 16-byte
// load; set says which entries hold this query's masks.
type covMemo struct {
	ix *Index
	e  [covSlots]covEntry
}

type covEntry struct {
	mask       uint64
	cov, coord float32
}

const (
	covBits  = 10
	covSlots = 1 << covBits
)

func (m *covMemo) coverage(a *analysed, mask uint64) float32 {
	c, _ := m.coverageCoord(a, mask)
	return c
}

// reset empties the memo for a query: every entry becomes mask 0's (no
// group matched: coverage 0), which is then no special case. The hit
// test is one comparison, small enough to be inlined in the scan's loop,
// with no flag per entry to load.
func (m *covMemo) reset(a *analysed) {
	cov := a.coverage(0)
	e := covEntry{0, cov, m.ix.coord(cov)}
	for i := range m.e {
		m.e[i] = e
	}
}

// coverageCoord returns the coverage of mask and ix.coord of it.
func (m *covMemo) coverageCoord(a *analysed, mask uint64) (cov, coord float32) {
	i := covSlot(mask)
	if e := &m.e[i]; e.mask == mask {
		return e.cov, e.coord
	}
	return m.fill(a, mask, i)
}

// covSlot is the memo entry of a mask.
func covSlot(mask uint64) uint64 { return (mask * 0x9e3779b97f4a7c15) >> (64 - covBits) }

// fill computes and remembers the coverage of a mask the memo lacks.
func (m *covMemo) fill(a *analysed, mask uint64, i uint64) (cov, coord float32) {
	cov = a.coverage(mask)
	coord = m.ix.coord(cov)
	m.e[i&(covSlots-1)] = covEntry{mask, cov, coord}
	return cov, coord
}

func (ix *Index) getAccum() *accum {
	if a, ok := ix.pool.Get().(*accum); ok {
		return a
	}
	nu, nv, nh := len(ix.units), len(ix.versions), ix.head.nDocs
	na := 0
	if ix.anchor != nil {
		na = ix.anchor.field.nDocs
	}
	units := make([]unitAcc, nu)
	for i, n := range ix.body.norms {
		units[i].norm = n
	}
	return &accum{cov: covMemo{ix: ix}, units: units,
		tScore: make([]float32, nv), tMask: make([]uint64, nv), hScore: make([]float32, nh), hMask: make([]uint64, nh),
		matches: make([]int32, nv), best: make([]docBest, nv), inDocs: make([]bool, nv),
		facetCounts: make([]int32, len(ix.facetTab.vals)), aScore: make([]float32, na), aMask: make([]uint64, na)}
}

func (ix *Index) putAccum(a *accum) {
	if !a.slotsClear {
		for _, d := range a.touched {
			a.units[d].score, a.units[d].mask = 0, 0
		}
	}
	a.slotsClear = false
	a.touched = a.touched[:0]
	a.cands = a.cands[:0]
	a.docs = a.docs[:0]
	clear(a.tScore)
	clear(a.tMask)
	clear(a.hScore)
	clear(a.hMask)
	clear(a.aScore)
	clear(a.aMask)
	clear(a.matches)
	clear(a.best)
	clear(a.inDocs)
	ix.pool.Put(a)
}

// unitAcc is a unit's slot for one query: its body-field score and the
// query groups it matched, beside the field's length norm (a copy of
// body.norms), so the posting walk and the first-stage scan read one
// 16-byte slot per unit instead of three arrays.
type unitAcc struct {
	mask  uint64
	score float32
	norm  float32
}

// scoreBody is scoreField for the body field, into the unit slots; it
// lists each unit it touches once, in the order they are first touched.
//
// Whether a posting's unit is new is as good as random after the first
// list, so the listing does not branch on it: every unit is written at
// the list's end, and the end advances only for a new one (a conditional
// move, not a mispredicted jump every few postings).
func scoreBody(ix *invIndex, a *analysed, units []unitAcc, touched *[]int32) {
	n := len(*touched)
	list := slices.Grow(*touched, len(units)+1-n)[:len(units)+1] // one spare: the last write may be of an old unit
	for gi := range a.groups {
		g := &a.groups[gi]
		bit := uint64(1) << gi
		for ti := range g.terms {
			t := &g.terms[ti]
			id := t.body
			if id < 0 {
				continue
			}
			w := g.scale * t.weight * ix.idf(id)
			for _, p := range ix.post[id] {
				d := p >> 8
				tf := float32(p & 0xff)
				x := &units[d]
				list[n] = int32(d)
				isNew := 0
				if x.mask == 0 {
					isNew = 1
				}
				n += isNew
				x.score += w * tf * (bm25K1 + 1) / (tf + x.norm)
				x.mask |= bit
			}
		}
	}
	*touched = list[:n]
}

// scoreField scores one field for all groups into dense arrays; pick
// selects the term's posting list in this field.
func scoreField(ix *invIndex, a *analysed, pick func(*qterm) int32, score []float32, mask []uint64) {
	for gi := range a.groups {
		g := &a.groups[gi]
		bit := uint64(1) << gi
		for ti := range g.terms {
			t := &g.terms[ti]
			id := pick(t)
			if id < 0 {
				continue
			}
			w := g.scale * t.weight * ix.idf(id)
			norms := ix.norms
			for _, p := range ix.post[id] {
				d := p >> 8
				tf := float32(p & 0xff)
				score[d] += w * tf * (bm25K1 + 1) / (tf + norms[d])
				mask[d] |= bit
			}
		}
	}
}

type cand struct {
	u      int32
	score  float32
	raw    float32 // field scores before coverage and priors
	mask   uint64  // matched query words
	factor float32 // priors and intent
	prox   float32 // share of adjacent query-word pairs found (after rescore)
}

// candHeap is a min-heap on score of the best candidates kept so far:
// the lowest is at the root. Its entries are the score and the slot of
// the candidate in topK.c, so sifting moves 8 bytes, not a whole cand;
// the comparisons, and so the candidates kept, are those of a heap of
// cands.
type candHeap []heapEntry

type heapEntry struct {
	score float32
	slot  int32
}

func (h candHeap) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if h[p].score <= h[i].score {
			return
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
}

func (h candHeap) down(i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && h[r].score < h[l].score {
			m = r
		}
		if h[i].score <= h[m].score {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// topK keeps the n best-scoring candidates of the first stage (unordered,
// in c). The scan adds every candidate that reaches thr to a buffer; when
// the buffer is full it keeps those at or above the n-th best score, which
// becomes thr. Most candidates are then refused by one comparison and the
// others cost an append, where a heap sifted each new best. The set kept
// is the heap's: a min-heap that replaces its root by every better
// candidate keeps the n best scores, and when the n-th best score is not
// shared with a candidate outside them those candidates are the only
// possible set. When it is shared (a tie at the boundary), which of the
// tied candidates a heap keeps depends on its history, so finish reports
// false and the scan replays the candidates through the heap (push).
type topK struct {
	h     candHeap
	c     []cand
	n     int
	thr   float32  // no candidate below is among the n best
	limit int      // buffer length that triggers a compaction
	keys  []uint32 // scratch for kth
	hist  [1 << 11]int32
}

// add buffers a candidate whose score reaches thr.
func (t *topK) add(c cand) {
	t.c = append(t.c, c)
	if len(t.c) >= t.limit {
		t.compact()
	}
}

func (t *topK) compact() {
	t.thr = t.kth()
	j := 0
	for _, c := range t.c {
		if c.score >= t.thr {
			t.c[j] = c
			j++
		}
	}
	t.c = t.c[:j]
	if len(t.c) > t.limit/2 {
		t.limit *= 2 // many ties: compacting again soon would keep them all
	}
}

// kth returns the n-th best score of the buffer (which holds at least n).
func (t *topK) kth() float32 {
	t.keys = t.keys[:0]
	for i := range t.c {
		t.keys = append(t.keys, descKey(t.c[i].score))
	}
	k := kthSmallest(t.keys, t.n, &t.hist)
	for i := range t.c {
		if descKey(t.c[i].score) == k {
			return t.c[i].score
		}
	}
	panic("search: kthSmallest returned no key of the buffer")
}

// finish leaves the n best candidates in c, or reports false when a tie
// at the boundary leaves the choice to the heap (see topK).
func (t *topK) finish() bool {
	if len(t.c) <= t.n {
		return true // every candidate: no compaction ever happened
	}
	kth := t.kth()
	n := 0
	for i := range t.c {
		if t.c[i].score >= kth {
			n++
		}
	}
	if n != t.n {
		return false
	}
	t.thr = kth
	t.compact()
	return true
}

// kthSmallest returns the k-th smallest of xs (1 ≤ k ≤ len(xs)) by radix
// selection: a histogram of the top 11 bits finds the bucket holding it,
// then the next 11 bits within that bucket, then the last 10. Counting
// does not branch on the data, where a quickselect mispredicts about half
// its comparisons. xs is reordered.
func kthSmallest(xs []uint32, k int, hist *[1 << 11]int32) uint32 {
	var prefix, known uint32 // the high bits settled so far, and their mask
	for _, shift := range [...]uint{21, 10, 0} {
		width := uint(11)
		if shift == 0 {
			width = 10
		}
		clear(hist[:1<<width])
		j := 0
		for _, x := range xs {
			if x&known == prefix {
				hist[(x>>shift)&(1<<width-1)]++
				xs[j] = x
				j++
			}
		}
		xs = xs[:j]
		b := 0
		for ; k > int(hist[b]); b++ {
			k -= int(hist[b])
		}
		prefix |= uint32(b) << shift
		known |= (1<<width - 1) << shift
	}
	return prefix
}

// push adds a candidate to the heap, as the replay after a tie does.
func (t *topK) push(c cand) {
	switch {
	case len(t.h) < t.n:
		t.c = append(t.c, c)
		t.h = append(t.h, heapEntry{c.score, int32(len(t.c) - 1)})
		t.h.up(len(t.h) - 1)
	case c.score > t.h[0].score:
		t.c[t.h[0].slot] = c
		t.h[0].score = c.score
		t.h.down(0)
	}
}

// Search runs a parsed query.
func (ix *Index) Search(ctx context.Context, q Query) (*Results, error) {
	start := time.Now()
	if q.K <= 0 {
		q.K = DefaultK
	}
	q.K = min(q.K, MaxK)
	if q.Sort == "" {
		q.Sort = SortRelevance
	}
	res := &Results{Query: q, Notices: q.Notices, Hits: []Hit{}, Documents: []DocHit{}, Facets: []Facet{}}
	if err := q.validateFilters(); err != nil {
		return nil, err
	}
	allowed := ix.allowedVersions(q)
	// A citation goes first; the rest of the page is the search for the
	// document it names (the label itself, 第21条, is no search term).
	cited, text := int32(-1), q.Text
	if u, title, ok := ix.resolveCitation(q.Text); ok && (allowed == nil || allowed[ix.units[u].ver]) {
		cited, text = u, title
	} else if msg := ix.citationMiss(q.Text); msg != "" {
		res.Notices = append(res.Notices, msg)
	}
	a := ix.analyseQuery(text)
	ix.addTranslation(&a)
	ix.addDefinitions(&a, a.folded)
	ix.addAssociations(&a)
	if ix.weights.PRF > 0 && !q.noFeedback && len(a.groups) > 0 {
		ix.addFeedback(ctx, &a, q)
	}
	intent := ix.readIntent(text)

	acc := ix.getAccum()
	defer ix.putAccum(acc)
	acc.covLo = a.prepareCoverage(acc.covLo)
	acc.cov.reset(&a)
	// Titles and heading contexts are short: score them densely.
	tScore, tMask := acc.tScore, acc.tMask
	scoreField(ix.title, &a, func(t *qterm) int32 { return t.title }, tScore, tMask)
	hScore, hMask := acc.hScore, acc.hMask
	scoreField(ix.head, &a, func(t *qterm) int32 { return t.head }, hScore, hMask)
	scoreBody(ix.body, &a, acc.units, &acc.touched)
	ix.scoreAnchors(&a, acc)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Sorted by date, every candidate is ranked; by relevance only the
	// best few are kept (and re-scored), in a heap as they are found.
	browse := len(a.groups) == 0 && allowed != nil
	if browse {
		q.Sort = SortDate
	}
	byDate := q.Sort == SortDate
	cands := acc.cands[:0]
	// A ranking model re-orders a wider first-stage pool.
	var in *rankInput
	pool := rerankPool
	if !byDate && (q.wantFeatures || ix.ranker != nil) {
		in = ix.newRankInput(&a, acc, intent)
		if ix.ranker != nil && !q.wantFeatures {
			pool = ix.ranker.Depth
			in.skipKinds = !ix.ranker.uses(firstKindFeature, nKindFeatures)
		}
	}
	top := &acc.top
	*top = topK{h: acc.heap[:0], c: acc.cands[:0], n: max(q.Offset+q.K, pool), keys: top.keys[:0]}
	top.limit = max(4*top.n, 1024)
	defer func() {
		acc.heap = top.h[:0]
		if byDate {
			acc.cands = cands[:0]
		} else {
			acc.cands = top.c[:0]
		}
	}()
	matches, best := acc.matches, acc.best
	needText := len(q.Phrases) > 0 || len(q.Exclude) > 0
	full, byCov := ix.fullMatch(&a, &ix.freq)
	if browse {
		// Only filters or title: (title:数据安全法): browse the allowed
		// documents, newest first, in document order.
		for d := range ix.units {
			if ver := ix.uVer[d]; allowed[ver] && (!needText || ix.passesText(&ix.units[d], q)) {
				c := cand{u: int32(d), score: ix.uPrior[d]}
				cands = append(cands, c)
				matches[ver]++
				res.Total++
				if best[ver].score == 0 {
					best[ver] = docBest{c.u, c.score}
				}
			}
		}
	} else {
		ds := acc.touched
		if len(ds) > len(ix.units)/8 {
			// Many hits: visiting them in unit order is kinder to the
			// cache than jumping around in posting order.
			// A bitmap sorts them: the touched units are exactly those
			// with a mask, each listed once.
			bm := acc.poolBits(len(ix.units))
			for _, d := range ds {
				bm[uint32(d)>>6] |= 1 << (uint32(d) & 63)
			}
			ds = ds[:0]
			for w, x := range bm {
				if x == 0 {
					continue
				}
				bm[w] = 0
				for x != 0 {
					ds = append(ds, int32(w<<6+bits.TrailingZeros64(x)))
					x &= x - 1
				}
			}
			acc.touched = ds
		}
		sc := scan{ix: ix, a: &a, acc: acc, q: &q, allowed: allowed, intent: intent, needText: needText,
			byDate: byDate, full: full, byCov: byCov, top: top, cands: cands}
		sc.run(ds)
		if !byDate && (!top.finish() || forceReplay) {
			replays.Add(1)
			top.c = top.c[:0]
			sc.replay(ds)
		}
		cands = sc.cands
		res.Total += sc.total
		res.Partial += sc.partial
	}

	// Documents are counted before ranking, which reorders cands in place.
	docs, inDocs := acc.docs[:0], acc.inDocs
	for v, n := range matches {
		if n > 0 {
			docs = append(docs, int32(v))
			inDocs[v] = true
		}
	}
	if !byDate {
		cands = top.c
	}
	hits, rows := ix.rank(ctx, acc, cands, &a, q, cited, in)
	res.features = rows
	snip := &a
	if q.HitsOnly {
		snip = nil
	}
	res.units = res.units[:0]
	for _, c := range hits {
		res.units = append(res.units, c.u)
	}
	res.Hits = make([]Hit, 0, len(hits))
	for i, c := range hits {
		h := ix.hit(c.u, c.score, snip)
		h.Cited = i == 0 && c.u == cited
		h.Partial = !h.Cited && !browse && !full(c.u, c.mask, acc.cov.coverage(&a, c.mask))
		res.Hits = append(res.Hits, h)
	}
	if !q.HitsOnly {
		var listed []int32
		res.Documents, listed = ix.documents(acc, &a, allowed, q, cited)
		for _, v := range listed {
			if !inDocs[v] {
				docs = append(docs, v)
				inDocs[v] = true
			}
		}
		res.Facets = ix.facetTab.count(ix.vFacets, docs, acc.facetCounts)
	}
	acc.docs = docs
	res.TotalDocs = len(docs)
	res.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return res, nil
}

// scan is the first-stage pass over the units a query touched: each gets
// its field-summed score, coverage and priors, enters the heap of the best
// (or the date-sorted list), and counts in its document's matches. A
// method with its state in locals, not a closure, because it runs for
// every touched unit — most of the library for a long question.
type scan struct {
	ix             *Index
	a              *analysed
	acc            *accum
	q              *Query
	allowed        []bool
	intent         []float32
	needText       bool
	byDate         bool
	full           func(u int32, mask uint64, cov float32) bool
	byCov          bool // full is nOrig <= 1 || cov >= matchCover (inlined)
	top            *topK
	cands          []cand // when byDate
	total, partial int
}

// unitScan is what the first-stage scan reads of a unit (Index.uVer,
// uHead, uPrior), packed in one 12-byte record.
type unitScan struct {
	ver, head int32
	prior     float32
}

func (sc *scan) run(ds []int32) {
	ix, acc, a, top := sc.ix, sc.acc, sc.a, sc.top
	uScan := ix.uScan
	units := acc.units
	tScore, tMask, hScore, hMask := acc.tScore, acc.tMask, acc.hScore, acc.hMask
	matches, best := acc.matches, acc.best
	wTitle, wHead := ix.weights.Title, ix.weights.Head
	allowed, intent := sc.allowed, sc.intent
	cov := &acc.cov
	// The state the loop reads or counts lives in locals: through sc the
	// compiler would reload it after every store.
	needText, byDate, byCov, full := sc.needText, sc.byDate, sc.byCov, sc.full
	// With byCov a unit counts in Total when its coverage reaches covMin:
	// matchCover, or -Inf when every unit counts (a one-word query).
	// Coverage is never NaN (analysed.coverage).
	covMin := float32(matchCover)
	if byCov && a.nOrig <= 1 {
		covMin = float32(math.Inf(-1))
	}
	total, partial := 0, 0
	// Each slot is cleared as it is read, while its cache line is at hand:
	// putAccum then has no second pass over the touched units.
	acc.slotsClear = true
	for _, d := range ds {
		x := &units[d]
		mask, s := x.mask, x.score
		x.mask, x.score = 0, 0
		us := &uScan[d]
		ver := us.ver
		if allowed != nil && !allowed[ver] {
			continue
		}
		mask |= tMask[ver]
		if wTitle != 0 {
			// Skipped at weight 0: s + 0·t is s (t is finite, s not -0).
			s += wTitle * tScore[ver]
		}
		if h := us.head; h >= 0 {
			mask |= hMask[h]
			s += wHead * hScore[h]
		}
		raw := s
		factor := us.prior
		if intent != nil {
			factor *= intent[ver]
		}
		// Every unit looks its mask up in the memo. Reusing the previous
		// unit's coverage when the mask repeated saved a third of the
		// lookups, but the mask changes on two units in three with no
		// pattern, and the mispredicted test cost more than the lookups
		// (LongQuestionsMin about 5% faster without it).
		// coverageCoord, its hit path written out: the compiler does not
		// inline it, and a call in the loop costs more than the lookup.
		var cv, coord float32
		if e := &cov.e[covSlot(mask)]; e.mask == mask {
			cv, coord = e.cov, e.coord
		} else {
			cv, coord = cov.fill(a, mask, covSlot(mask))
		}
		s = raw * coord * factor
		if s <= 0 || needText && !ix.passesText(&ix.units[d], *sc.q) {
			continue
		}
		switch {
		case byDate:
			sc.cands = append(sc.cands, cand{u: d, score: s, raw: raw, mask: mask, factor: factor})
		case s >= top.thr:
			top.add(cand{u: d, score: s, raw: raw, mask: mask, factor: factor})
		}
		// Counted without a jump where the coverage decides (SETcc):
		// whether a unit reaches matchCover has little pattern from one
		// unit to the next (in-process A/B about 0.5% faster).
		var in int
		if byCov {
			if cv >= covMin {
				in = 1
			}
		} else if full(d, mask, cv) {
			in = 1
		}
		matches[ver] += int32(in)
		total += in
		partial += 1 - in
		if b := &best[ver]; s > b.score {
			*b = docBest{d, s}
		}
	}
	sc.total += total
	sc.partial += partial
}

// forceReplay makes every relevance search replay its candidates through
// the heap (tests); replays counts replays.
var (
	forceReplay bool
	replays     atomic.Int64
)

// replay pushes the candidates run found, in the same order, through the
// heap of sc.top: the choice among candidates tied at the boundary (see
// topK). It repeats run's scoring without its counts.
func (sc *scan) replay(ds []int32) {
	ix, acc, a := sc.ix, sc.acc, sc.a
	// run cleared the slots: the posting walk fills them again, with the
	// same sums (each slot gets its terms in the same order), and the
	// replay clears them as run does. The walk's list of touched units is
	// the set ds already holds.
	again := acc.again[:0]
	scoreBody(ix.body, a, acc.units, &again)
	ix.addAnchors(acc, &again)
	acc.again = again[:0]
	for _, d := range ds {
		x := &acc.units[d]
		mask, s := x.mask, x.score
		x.mask, x.score = 0, 0
		ver := ix.uVer[d]
		if sc.allowed != nil && !sc.allowed[ver] {
			continue
		}
		mask |= acc.tMask[ver]
		if ix.weights.Title != 0 {
			s += ix.weights.Title * acc.tScore[ver]
		}
		if h := ix.uHead[d]; h >= 0 {
			mask |= acc.hMask[h]
			s += ix.weights.Head * acc.hScore[h]
		}
		raw := s
		factor := ix.uPrior[d]
		if sc.intent != nil {
			factor *= sc.intent[ver]
		}
		_, coord := acc.cov.coverageCoord(a, mask)
		s = raw * coord * factor
		if s <= 0 || sc.needText && !ix.passesText(&ix.units[d], *sc.q) {
			continue
		}
		sc.top.push(cand{u: d, score: s, raw: raw, mask: mask, factor: factor})
	}
}

// fullMatch returns whether a candidate counts as a match in Total (the
// rest are Partial): a multi-word query needs matchCover of its words; a
// one-word query needs the word itself — in the text or the document's
// title, or through one of its expansions — not merely one of the
// sub-terms (数据 of 数据出境) the word is indexed by.
//
// byCov reports that the function is a.nOrig <= 1 || cov >= matchCover,
// which the first-stage scan tests inline.
func (ix *Index) fullMatch(a *analysed, freq *byteFreq) (full func(u int32, mask uint64, cov float32) bool, byCov bool) {
	if a.nOrig != 1 || len(a.words) != 1 || len(a.groups[0].terms) <= 1 || !allHan(a.words[0]) {
		// Several words, or one word indexed by one term (2 characters or
		// fewer, Latin): the posting itself says the word is there. (A
		// word mixing Han and other characters has bigrams the index does
		// not hold: counted as before.)
		return func(_ int32, _ uint64, cov float32) bool { return a.nOrig <= 1 || cov >= matchCover }, true
	}
	holds := ix.unitsHolding(a.groups[0].terms[1:], a.words[0], freq)
	title := titleKey(a.words[0])
	inTitle := make([]bool, len(ix.versions))
	for v := range ix.versions {
		inTitle[v] = strings.Contains(ix.vinfo[v].titleKey, title)
	}
	return func(u int32, mask uint64, _ float32) bool {
		if mask&a.expMask != 0 || inTitle[ix.uVer[u]] {
			return true
		}
		_, ok := slices.BinarySearch(holds, u)
		return ok
	}, false
}

// unitsHolding returns, ascending, the units whose text holds word: those
// in every posting list of the word's character bigrams (intersected from
// the shortest, galloping in the others), confirmed in the text. Its cost
// follows the rarest bigram, not the number of candidates.
func (ix *Index) unitsHolding(bigrams []qterm, word string, freq *byteFreq) []int32 {
	lists := make([][]uint32, 0, len(bigrams))
	for _, t := range bigrams {
		if t.body < 0 {
			return nil // a bigram no text has: no text holds the word
		}
		lists = append(lists, ix.body.post[t.body])
	}
	slices.SortFunc(lists, func(x, y []uint32) int { return len(x) - len(y) })
	f := newFinder(word, freq)
	pos := make([]int, len(lists))
	var out []int32
next:
	for _, e := range lists[0] {
		doc := e >> 8
		for i := 1; i < len(lists); i++ {
			if !hasDoc(lists[i], doc, &pos[i]) {
				continue next
			}
		}
		if f.index(ix.units[doc].text) >= 0 {
			out = append(out, int32(doc))
		}
	}
	return out
}

func allHan(w string) bool {
	for _, r := range w {
		if !textseg.IsHan(r) {
			return false
		}
	}
	return true
}

// hasDoc reports whether a posting list holds doc; *pos carries the
// position between ascending lookups (galloping search).
func hasDoc(post []uint32, doc uint32, pos *int) bool {
	i := gallop(post, doc, pos)
	return i < len(post) && post[i]>>8 == doc
}

// Weights are the shares of the title and heading-context BM25 scores
// added to a provision's text score (a BM25F-style field sum). They are
// fitted, not guessed: `datalex eval --folds 5` picks them on training
// folds and reports the held-out figures.
type Weights struct {
	Title float32 `json:"title"`
	Head  float32 `json:"head"`
	Coord float32 `json:"coord"` // floor of the query-coverage factor
	// PRF is the weight of pseudo-relevance feedback terms (RM3-style:
	// words of the first pass's top provisions, weighted by score and
	// idf); 0 turns feedback off.
	PRF float32 `json:"prf"`
	// Trans is the weight of the learned translation model's expansions.
	Trans float32 `json:"trans"`
	// Def and Assoc are the weights of the expansions mined from the
	// library itself: defined terms (definitions.go) and corpus
	// associates (assoc.go); 0 turns either off. Off by default: with the
	// ranker re-fitted on them neither raised held-out STARD figures and
	// both lowered dev MRR@10 (ablation in docs/ARCHITECTURE.md). Their
	// tables are built by NewIndex only when DefaultWeights has them on;
	// `datalex eval --def W --assoc W` does that for measuring.
	Def   float32 `json:"def"`
	Assoc float32 `json:"assoc"`
	// Anchor is the share of the anchor field's BM25 score (citing
	// sentences of other documents, anchor.go) added to a provision's
	// text score; the field exists only when DefaultAnchors.On.
	Anchor float32 `json:"anchor"`
}

// DefaultWeights are the weights used unless SetWeights changes them: the
// choice of `datalex eval --folds 5` on the STARD training questions over
// the LawRefBook library (4 of 5 folds chose title 0, head 0.8; the title
// boost hurt in every fold).
// Trans 0.4 is what the inner splits of every fold chose.
var DefaultWeights = Weights{Title: 0, Head: 0.8, Coord: 0.25, Trans: 0.4, Anchor: 1}

// SetWeights changes the field weights; not safe during searches.
func (ix *Index) SetWeights(w Weights) { ix.weights = w }

// Intent factors: a question that names a document or a place prefers it.
const (
	mentionBoost = 1.5
	placeBoost   = 1.3
	otherPlace   = 0.85
)

// readIntent returns per-version score factors for the documents and places
// the query names, or nil when it names none.
func (ix *Index) readIntent(text string) []float32 {
	key := titleKey(text)
	var f []float32
	init := func() {
		if f == nil {
			f = make([]float32, len(ix.versions))
			for i := range f {
				f[i] = 1
			}
		}
	}
	for i := range key {
		for _, n := range ix.names[prefixKey(key[i:])] {
			if strings.HasPrefix(key[i:], n.key) {
				init()
				for _, v := range n.vers {
					f[v] = mentionBoost
				}
			}
		}
	}
	var named []int32
	for _, p := range ix.places {
		if strings.Contains(key, p.name) {
			named = append(named, p.vers...)
		}
	}
	if len(named) > 0 {
		init()
		local := make([]bool, len(ix.versions))
		for _, v := range named {
			local[v] = true
		}
		for v := range ix.versions {
			switch {
			case local[v]:
				f[v] *= placeBoost
			case ix.vinfo[v].regional:
				f[v] *= otherPlace
			}
		}
	}
	return f
}

// allowedVersions applies facet filters and title: terms; nil means all.
func (ix *Index) allowedVersions(q Query) []bool {
	if len(q.Filters) == 0 && len(q.Title) == 0 && q.Where == nil {
		return nil
	}
	allowed := make([]bool, len(ix.versions))
	for i := range ix.versions {
		ok := matchesFilters(ix.vinfo[i].facets, q.Filters)
		for _, t := range q.Title {
			ok = ok && strings.Contains(ix.vinfo[i].titleKey, titleKey(t))
		}
		if ok && q.Where != nil {
			ok = q.Where(ix.versions[i])
		}
		allowed[i] = ok
	}
	return allowed
}

// passesText applies phrases and exclusions to a unit's folded text.
func (ix *Index) passesText(u *unit, q Query) bool {
	for _, p := range q.Phrases {
		if !contains(u.text, p) && !strings.Contains(ix.vinfo[u.ver].titleKey, titleKey(p)) {
			return false
		}
	}
	for _, x := range q.Exclude {
		if contains(u.text, x) {
			return false
		}
	}
	return true
}

// rank orders candidates: the cited provision first, then by date or by
// score, with a proximity re-score (cands are then the best few).
func (ix *Index) rank(ctx context.Context, acc *accum, cands []cand, a *analysed, q Query, cited int32, in *rankInput) ([]cand, [][]float32) {
	need := q.Offset + q.K
	var rows [][]float32
	if q.Sort == SortDate {
		slices.SortFunc(cands, func(a, b cand) int {
			da, db := ix.vinfo[ix.uVer[a.u]].date, ix.vinfo[ix.uVer[b.u]].date
			if c := strings.Compare(db, da); c != 0 {
				return c
			}
			return byScore(a, b)
		})
	} else {
		acc.sortCands(cands, unitKey)
		// With a ranker the pool's frequencies are read once (poolTFs)
		// and serve the re-scoring too; without one the re-scoring
		// gallops through its few lists.
		var tfm []float32
		var cur cursors
		if in != nil {
			tfm = ix.poolTFs(cands, in)
		}
		if in == nil {
			cur = cursors{dropped: make([]int, len(a.dropped)), pairs: make([]int, len(a.pairs))}
		}
		for i := range cands {
			var row []float32
			if in != nil {
				row = tfm[i*len(in.ids) : (i+1)*len(in.ids)]
			}
			ix.rescore(&cands[i], a, &cur, in, row)
		}
		switch {
		case in != nil && q.wantFeatures:
			f := ix.features(cands, in, tfm)
			order := make([]int, len(cands))
			for i := range order {
				order[i] = i
			}
			slices.SortFunc(order, func(x, y int) int { return byScore(cands[x], cands[y]) })
			sorted := make([]cand, len(cands))
			for i, j := range order {
				sorted[i] = cands[j]
				rows = append(rows, slices.Clone(f[j][:]))
			}
			copy(cands, sorted)
		case in != nil:
			f := ix.features(cands, in, tfm)
			for i := range cands {
				cands[i].score = float32(math.Exp(float64(min(ix.ranker.score(&f[i]), 60))))
			}
			acc.sortCands(cands, scoreKey)
		default:
			acc.sortCands(cands, scoreKey)
		}
		if ix.embedRank != nil && cited < 0 && !q.wantFeatures && !q.noFeedback {
			ix.embedRank.rerank(ctx, ix, q.Text, cands)
		}
	}
	if cited >= 0 {
		var top float32
		if len(cands) > 0 {
			top = cands[0].score
		}
		out := []cand{{u: cited, score: top + citedMargin}}
		for _, c := range cands {
			if c.u != cited {
				out = append(out, c)
			}
		}
		cands = out
	}
	if q.Offset >= len(cands) {
		return nil, nil
	}
	if rows != nil {
		if cited >= 0 {
			rows = nil // the pool order changed; features are for fitting only
		} else {
			rows = rows[q.Offset:min(len(rows), need)]
		}
	}
	return cands[q.Offset:min(len(cands), need)], rows
}

// unitKey and scoreKey are sort keys for sortCands: unit order, and best
// first (byScore) for a pool in unit order, where the index breaks ties
// as the unit would.
func unitKey(c *cand) uint32  { return uint32(c.u) }
func scoreKey(c *cand) uint32 { return descKey(c.score) }

// descKey maps a score to a key that sorts best first: the bits of a
// float ordered as unsigned integers (negative numbers flipped), then
// complemented. -0 counts as 0, as in comparisons; scores are never NaN.
func descKey(x float32) uint32 {
	b := math.Float32bits(x + 0)
	if b&(1<<31) != 0 {
		b = ^b
	} else {
		b |= 1 << 31
	}
	return ^b
}

// sortCands sorts cands by key, then by index: it sorts 64-bit integers
// (the key, the candidate's index in the low 32 bits), then moves the
// candidates once — a fraction of the cost of sorting cands through a
// comparison function.
func (acc *accum) sortCands(cands []cand, key func(c *cand) uint32) {
	keys := slices.Grow(acc.keys[:0], len(cands))
	for i := range cands {
		keys = append(keys, uint64(key(&cands[i]))<<32|uint64(i))
	}
	slices.Sort(keys)
	tmp := append(acc.tmp[:0], cands...)
	for j, k := range keys {
		cands[j] = tmp[uint32(k)]
	}
	acc.keys, acc.tmp = keys[:0], tmp[:0]
}

// byScore orders candidates best first, then in index order.
func byScore(a, b cand) int {
	if a.score != b.score {
		if a.score > b.score {
			return -1
		}
		return 1
	}
	return int(a.u - b.u)
}

// coord scales a score by the share of the query's words matched.
// The floor is Weights.Coord: 1 turns the scaling off.
func (ix *Index) coord(cov float32) float32 {
	f := ix.weights.Coord
	return f + (1-f)*cov*cov
}

// rescore completes the score of a top candidate: the very common terms
// left out of the posting scan are counted in its text, and adjacent query
// words earn the proximity bonus. With a rank input, row is the
// candidate's row of poolTFs and the lists are read there, else through
// the cursors.
func (ix *Index) rescore(c *cand, a *analysed, cur *cursors, in *rankInput, row []float32) {
	if len(a.dropped) > 0 {
		for i, t := range a.dropped {
			var tf float32
			if in != nil {
				tf = row[in.dropSlot[i]]
			} else {
				tf = ix.body.tfFrom(t.id, uint32(c.u), &cur.dropped[i])
			}
			if tf == 0 {
				continue
			}
			c.raw += t.weight * tf * (bm25K1 + 1) / (tf + ix.body.norms[c.u])
			c.mask |= 1 << t.group
		}
		c.score = c.raw * ix.coord(a.coverage(c.mask)) * c.factor
	}
	c.prox = ix.proximity(c.u, a, cur, in, row)
	c.score *= 1 + 0.3*c.prox
}

// cursors are positions in the posting lists a re-scoring reads, one per
// dropped term and per pair: candidates are re-scored in unit order, so
// each lookup continues where the previous one stopped.
type cursors struct {
	dropped, pairs []int
}

// proximity is the share of adjacent query-word pairs found adjacent in a
// provision (数据 出境 → 数据出境); the score earns up to +30% for it.
// Its gates are read as rescore reads the dropped terms.
func (ix *Index) proximity(u int32, a *analysed, cur *cursors, in *rankInput, row []float32) float32 {
	if len(a.pairs) == 0 {
		return 0
	}
	found := 0
	for i := range a.pairs {
		p := &a.pairs[i]
		switch {
		case p.gate == gateNever:
			continue
		case p.gate >= 0 && in != nil && (row[in.pairSlot[i]] == 0 || anyZero(row, in.pairMore[i])):
			continue
		case p.gate >= 0 && in == nil && ix.body.tfFrom(p.gate, uint32(u), &cur.pairs[i]) == 0:
			continue
		}
		if p.index(ix.units[u].text) >= 0 {
			found++
		}
	}
	return float32(found) / float32(len(a.pairs))
}

// anyZero reports whether any of the columns of row is 0.
func anyZero(row []float32, cols []int32) bool {
	for _, k := range cols {
		if row[k] == 0 {
			return true
		}
	}
	return false
}

// hit describes unit ui; a nil a means no snippet.
func (ix *Index) hit(ui int32, score float32, a *analysed) Hit {
	u := &ix.units[ui]
	v := ix.versions[u.ver]
	info := &ix.vinfo[u.ver]
	h := Hit{
		ProvisionID: u.p.ID, VersionID: v.ID, WorkID: v.WorkID,
		Document: v.Title, Label: u.p.Label, Citation: u.p.Citation, Path: u.p.Path,
		Kind: u.p.Kind, DocKind: v.Kind, Status: v.Status, Level: v.Level, IssueDate: v.IssueDate,
		Source: info.source, Line: u.p.Line, LineEnd: u.p.LineEnd,
		Score: float64(score),
	}
	if u.p.File != "" {
		h.Source = u.p.File // a version assembled from several files
	}
	if a != nil {
		words := make([]finder, 0, len(a.highlight))
		for i := range a.highlight {
			if a.highlight[i].mayBeIn(ix, ui) {
				words = append(words, a.highlight[i].finder)
			}
		}
		h.Snippet = cutSnippet(u.orig, u.text, int(u.runes), words)
	}
	if h.Citation == "" {
		h.Citation = library.CitationFor(v.Title, u.p.Label)
	}
	if info.singleLine || u.p.OffsetEnd > 0 {
		off := u.p.Offset
		h.Offset = &off
	}
	return h
}

// docBest is a version's best unit in the first stage (accum.best): only
// its unit and score are read, so the scan stores 8 bytes, not a cand.
type docBest struct {
	u     int32
	score float32
}

// docScore is a document's score for the document list.
type docScore struct {
	v     int32
	score float32
}

// before orders the document list: best first, then in index order.
func (d docScore) before(e docScore) bool {
	return d.score > e.score || d.score == e.score && d.v < e.v
}

// bestDocs returns the n first documents of list in order, sorting only
// those: a query can match hundreds of documents.
func bestDocs(list []docScore, n int) []docScore {
	top := make([]docScore, 0, n)
	for _, d := range list {
		if len(top) == n && !d.before(top[n-1]) {
			continue
		}
		if len(top) < n {
			top = append(top, d)
		} else {
			top[n-1] = d
		}
		for i := len(top) - 1; i > 0 && top[i].before(top[i-1]); i-- {
			top[i], top[i-1] = top[i-1], top[i]
		}
	}
	return top
}

// documents groups the results by document. Documents matched only by
// title (catalogue records without text) are included too.
func (ix *Index) documents(acc *accum, a *analysed, allowed []bool, q Query, cited int32) ([]DocHit, []int32) {
	best, matches, tScore, tMask := acc.best, acc.matches, acc.tScore, acc.tMask
	list := acc.docList[:0]
	defer func() { acc.docList = list[:0] }()
	for v, c := range best {
		if c.score > 0 {
			list = append(list, docScore{int32(v), c.score})
		}
	}
	for v, s := range tScore {
		vi := int32(v)
		if s <= 0 || (allowed != nil && !allowed[vi]) || best[v].score > 0 {
			continue
		}
		if a.coverage(tMask[v]) < matchCover {
			continue
		}
		list = append(list, docScore{vi, titleBoost * s * a.coverage(tMask[v]) * ix.vinfo[v].prior})
	}
	named := ix.documentsNamed(q.Text)
	for i := range list {
		if containsInt32(named, list[i].v) {
			list[i].score += 1000 // the query is the document's name
		}
	}
	if cited >= 0 {
		cv := ix.units[cited].ver
		found := false
		for i := range list {
			if list[i].v == cv {
				list[i].score += 2000
				found = true
			}
		}
		if !found {
			list = append(list, docScore{cv, 2000})
		}
	}
	top := bestDocs(list, maxDocHits)
	out := make([]DocHit, 0, len(top))
	ids := make([]int32, 0, len(top))
	for _, d := range top {
		v := ix.versions[d.v]
		dh := DocHit{VersionID: v.ID, WorkID: v.WorkID, Title: v.Title, Kind: v.Kind, Status: v.Status,
			Level: v.Level, IssueDate: v.IssueDate, Region: v.Region, Matches: int(matches[d.v]), Score: float64(d.score)}
		if c := best[d.v]; c.score > 0 {
			h := ix.hit(c.u, c.score, nil) // the document list shows titles, no snippets
			dh.Best = &h
		}
		out = append(out, dh)
		ids = append(ids, d.v)
	}
	return out, ids
}
