package search

import (
	"container/heap"
	"context"
	"sort"
	"strings"
	"time"

	"datalex/internal/library"
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
	Hits      []Hit    `json:"hits"`
	Documents []DocHit `json:"documents"`
	Facets    []Facet  `json:"facets"`
	Notices   []string `json:"notices,omitempty"`
	TookMS    float64  `json:"took_ms"`
}

// accum holds per-query scratch arrays, pooled per index because they are
// as long as the index.
type accum struct {
	cands          []cand
	score          []float32 // per unit
	mask           []uint64
	touched        []int32
	tScore, hScore []float32 // per version, per heading context
	tMask, hMask   []uint64
}

func (ix *Index) getAccum() *accum {
	if a, ok := ix.pool.Get().(*accum); ok {
		return a
	}
	nu, nv, nh := len(ix.units), len(ix.versions), ix.head.nDocs
	return &accum{score: make([]float32, nu), mask: make([]uint64, nu),
		tScore: make([]float32, nv), tMask: make([]uint64, nv), hScore: make([]float32, nh), hMask: make([]uint64, nh)}
}

func (ix *Index) putAccum(a *accum) {
	if len(a.touched) > len(a.score)/8 {
		clear(a.score)
		clear(a.mask)
	} else {
		for _, d := range a.touched {
			a.score[d], a.mask[d] = 0, 0
		}
	}
	a.touched = a.touched[:0]
	clear(a.tScore)
	clear(a.tMask)
	clear(a.hScore)
	clear(a.hMask)
	ix.pool.Put(a)
}

// field scores one field for all groups into dense arrays.
func scoreField(ix *invIndex, a *analysed, pick func(qterm) int32, b float32, score []float32, mask []uint64, touched *[]int32) {
	for gi := range a.groups {
		g := &a.groups[gi]
		bit := uint64(1) << gi
		for _, t := range g.terms {
			id := pick(t)
			if id < 0 {
				continue
			}
			w := g.scale * t.weight * ix.idf(id)
			for _, p := range ix.post[id] {
				d := p >> 8
				tf := float32(p & 0xff)
				if touched != nil && mask[d] == 0 {
					*touched = append(*touched, int32(d))
				}
				score[d] += w * tf * (bm25K1 + 1) / (tf + ix.norm(d, b))
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
}

type candHeap []cand

func (h candHeap) Len() int           { return len(h) }
func (h candHeap) Less(i, j int) bool { return h[i].score < h[j].score }
func (h candHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *candHeap) Push(x any)        { *h = append(*h, x.(cand)) }
func (h *candHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
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
	intent := ix.readIntent(text)

	acc := ix.getAccum()
	defer ix.putAccum(acc)
	// Titles and heading contexts are short: score them densely.
	tScore, tMask := acc.tScore, acc.tMask
	scoreField(ix.title, &a, func(t qterm) int32 { return t.title }, titleB, tScore, tMask, nil)
	hScore, hMask := acc.hScore, acc.hMask
	scoreField(ix.head, &a, func(t qterm) int32 { return t.head }, headB, hScore, hMask, nil)
	scoreField(ix.body, &a, func(t qterm) int32 { return t.body }, bodyB, acc.score, acc.mask, &acc.touched)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	cands := acc.cands[:0]
	defer func() { acc.cands = cands[:0] }()
	nv := len(ix.versions)
	matches := make([]int32, nv)
	best := make([]cand, nv) // best unit per version; score 0 = none
	needText := len(q.Phrases) > 0 || len(q.Exclude) > 0
	consider := func(d int32) {
		ver := ix.uVer[d]
		if allowed != nil && !allowed[ver] {
			return
		}
		mask := acc.mask[d] | tMask[ver]
		s := acc.score[d] + titleBoost*tScore[ver]
		if h := ix.uHead[d]; h >= 0 {
			mask |= hMask[h]
			s += headBoost * hScore[h]
		}
		raw := s
		factor := ix.uPrior[d]
		if intent != nil {
			factor *= intent[ver]
		}
		cov := a.coverage(mask)
		s = raw * coord(cov) * factor
		if s <= 0 || needText && !ix.passesText(&ix.units[d], q) {
			return
		}
		c := cand{d, s, raw, mask, factor}
		cands = append(cands, c)
		if cov >= matchCover || a.nOrig <= 1 {
			matches[ver]++
			res.Total++
		}
		if s > best[ver].score {
			best[ver] = c
		}
	}
	if len(a.groups) == 0 && allowed != nil {
		// Only filters or title: (title:数据安全法): browse the allowed
		// documents, newest first, in document order.
		for d := range ix.units {
			if ver := ix.uVer[d]; allowed[ver] && (!needText || ix.passesText(&ix.units[d], q)) {
				c := cand{u: int32(d), score: ix.uPrior[d]}
				cands = append(cands, c)
				matches[ver]++
				res.Total++
				if best[ver].score == 0 {
					best[ver] = c
				}
			}
		}
		q.Sort = SortDate
	} else if len(acc.touched) > len(ix.units)/8 {
		// Many hits: a sequential scan is kinder to the cache than
		// jumping around in posting order.
		for d := range acc.mask {
			if acc.mask[d] != 0 {
				consider(int32(d))
			}
		}
	} else {
		for _, d := range acc.touched {
			consider(d)
		}
	}

	top := ix.rank(cands, &a, q, cited)
	for i, c := range top {
		h := ix.hit(c.u, c.score, &a)
		h.Cited = i == 0 && c.u == cited
		res.Hits = append(res.Hits, h)
	}
	var docs []int32
	inDocs := make([]bool, nv)
	for v, n := range matches {
		if n > 0 {
			docs = append(docs, int32(v))
			inDocs[v] = true
		}
	}
	var listed []int32
	res.Documents, listed = ix.documents(best, matches, tScore, tMask, &a, allowed, q, cited)
	for _, v := range listed {
		if !inDocs[v] {
			docs = append(docs, v)
			inDocs[v] = true
		}
	}
	res.TotalDocs = len(docs)
	res.Facets = ix.facetTab.count(ix.vFacets, docs)
	res.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return res, nil
}

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
	for name, vers := range ix.places {
		if strings.Contains(key, name) {
			named = append(named, vers...)
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
	if len(q.Filters) == 0 && len(q.Title) == 0 {
		return nil
	}
	allowed := make([]bool, len(ix.versions))
	for i := range ix.versions {
		ok := matchesFilters(ix.vinfo[i].facets, q.Filters)
		for _, t := range q.Title {
			ok = ok && strings.Contains(ix.vinfo[i].titleKey, titleKey(t))
		}
		allowed[i] = ok
	}
	return allowed
}

// passesText applies phrases and exclusions to a unit's folded text.
func (ix *Index) passesText(u *unit, q Query) bool {
	for _, p := range q.Phrases {
		if !strings.Contains(u.text, p) && !strings.Contains(ix.vinfo[u.ver].titleKey, titleKey(p)) {
			return false
		}
	}
	for _, x := range q.Exclude {
		if strings.Contains(u.text, x) {
			return false
		}
	}
	return true
}

// rank orders candidates: the cited provision first, then by score (with a
// proximity re-score of the best few) or by date.
func (ix *Index) rank(cands []cand, a *analysed, q Query, cited int32) []cand {
	need := q.Offset + q.K
	if q.Sort == SortDate {
		sort.Slice(cands, func(i, j int) bool {
			di, dj := ix.vinfo[ix.units[cands[i].u].ver].date, ix.vinfo[ix.units[cands[j].u].ver].date
			if di != dj {
				return di > dj
			}
			return cands[i].score > cands[j].score
		})
	} else {
		pool := max(need, rerankPool)
		h := make(candHeap, 0, pool+1)
		for _, c := range cands {
			if len(h) < pool {
				heap.Push(&h, c)
			} else if c.score > h[0].score {
				h[0] = c
				heap.Fix(&h, 0)
			}
		}
		cands = []cand(h)
		for i := range cands {
			ix.rescore(&cands[i], a)
		}
		sort.Slice(cands, func(i, j int) bool {
			if cands[i].score != cands[j].score {
				return cands[i].score > cands[j].score
			}
			return cands[i].u < cands[j].u
		})
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
		return nil
	}
	return cands[q.Offset:min(len(cands), need)]
}

// coord scales a score by the share of the query's words matched.
func coord(cov float32) float32 { return 0.25 + 0.75*cov*cov }

// rescore completes the score of a top candidate: the very common terms
// left out of the posting scan are counted in its text, and adjacent query
// words earn the proximity bonus.
func (ix *Index) rescore(c *cand, a *analysed) {
	if len(a.dropped) > 0 {
		for _, t := range a.dropped {
			tf := ix.body.tf(t.id, uint32(c.u))
			if tf == 0 {
				continue
			}
			c.raw += t.weight * tf * (bm25K1 + 1) / (tf + ix.body.norm(uint32(c.u), bodyB))
			c.mask |= 1 << t.group
		}
		c.score = c.raw * coord(a.coverage(c.mask)) * c.factor
	}
	c.score *= ix.proximity(&ix.units[c.u], a)
}

// proximity rewards provisions where the user's words occur next to each
// other as in the query (数据 出境 → 数据出境), up to +30%.
func (ix *Index) proximity(u *unit, a *analysed) float32 {
	if len(a.pairs) == 0 {
		return 1
	}
	found := 0
	for _, p := range a.pairs {
		if strings.Contains(u.text, p) {
			found++
		}
	}
	return 1 + 0.3*float32(found)/float32(len(a.pairs))
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
		h.Snippet = snippet(u.orig, u.text, a.highlight)
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

// documents groups the results by document. Documents matched only by
// title (catalogue records without text) are included too.
func (ix *Index) documents(best []cand, matches []int32, tScore []float32, tMask []uint64, a *analysed, allowed []bool, q Query, cited int32) ([]DocHit, []int32) {
	type ds struct {
		v     int32
		score float32
	}
	var list []ds
	for v, c := range best {
		if c.score > 0 {
			list = append(list, ds{int32(v), c.score})
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
		list = append(list, ds{vi, titleBoost * s * a.coverage(tMask[v]) * ix.vinfo[v].prior})
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
			list = append(list, ds{cv, 2000})
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].score != list[j].score {
			return list[i].score > list[j].score
		}
		return list[i].v < list[j].v
	})
	if len(list) > maxDocHits {
		list = list[:maxDocHits]
	}
	out := make([]DocHit, 0, len(list))
	ids := make([]int32, 0, len(list))
	for _, d := range list {
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
