package search

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"unicode/utf8"

	"datalex/internal/library"
	"datalex/internal/textseg"
)

// Learning to rank: the first stage (the BM25F-style engine score with
// coverage, priors and proximity) keeps a wide pool of candidates; a linear
// model over per-candidate features then orders the pool. The model is
// fitted on training questions with a listwise softmax loss (ListNet with
// one relevant class) and k-fold cross-validated by
// `datalex eval --folds 5 --learn-rank FILE`; the shipped model is
// rank.json, fitted on all the training questions by the same command.

// featureNames name the columns of a feature row; a model file lists them
// and is refused when they differ from the program's.
var featureNames = []string{
	"first_score",   // first-stage score / best score of the pool
	"first_rank",    // log(1 + first-stage rank)
	"body_rel",      // BM25 of the user's words in the text / best of the pool
	"body_abs",      // BM25 of the user's words in the text / Σ query word weights
	"body_exp",      // BM25 of alias expansions in the text / Σ query word weights
	"title",         // BM25 of the title / Σ query word weights
	"head",          // BM25 of the chapter/section headings / Σ query word weights
	"coverage",      // idf-weighted share of the user's words matched (any field)
	"coverage_body", // idf-weighted share of the user's words in the text
	"proximity",     // share of adjacent query-word pairs found adjacent
	"prior",         // log of the document and provision-kind prior
	"mentioned",     // the question names the document (or its place)
	"doc_matches",   // log(1 + provisions of the document that match)
	"doc_pool",      // log(1 + provisions of the document in the pool)
	"doc_best",      // best first-stage score of the document in the pool / best overall
	"doc_sum",       // Σ first-stage scores of the document in the pool / best overall
	"length",        // log(1 + characters of the provision)
	"bm25",          // plain BM25 (as the baseline) / best of the pool
	"level_law",     // 效力级别: 法律
	"level_admin",   // 行政法规
	"level_judicial",
	"level_dept",   // 部门规章
	"level_local",  // 地方性法规, 地方政府规章
	"article",      // the unit is an article (条)
	"body_trans",   // BM25 of translation-model expansions in the text / Σ query word weights
	"imp_coverage", // importance-weighted share of the user's words in the text
	"imp_body",     // BM25 of the user's words in the text, each times its importance / Σ query word weights
	"body_def",     // BM25 of definition-clause expansions in the text / Σ query word weights
	"body_assoc",   // BM25 of corpus-association expansions in the text / Σ query word weights
	"body_prf",     // BM25 of pseudo-relevance feedback words in the text / Σ query word weights
	"anchor",       // BM25 of the user's words and expansions in the citing sentences of other documents (anchor.go) / Σ query word weights
	"unit_match",   // the question asks a figure in a unit (几年, 多少天, 罚多少钱) and the text states one in it
	"unit_other",   // … and the text states figures only in other units of that kind (45个工作日 to 几年)
}

const nFeatures = 33

// Ranker is a linear model over standardised features.
type Ranker struct {
	Features []string  `json:"features"`
	Mean     []float64 `json:"mean"`
	Scale    []float64 `json:"scale"`
	W        []float64 `json:"w"`
	Depth    int       `json:"depth"`         // first-stage pool re-ranked
	Off      []string  `json:"off,omitempty"` // features left out (weight 0)
	// Importance is the term importance the imp_* features were fitted with.
	Importance *Importance `json:"importance,omitempty"`
	Note       string      `json:"note,omitempty"`
}

// DefaultRankDepth is the first-stage pool re-ranked by a model.
const DefaultRankDepth = 200

// priorFeature is the column of log(prior): the product's policy (adopted
// texts before drafts and superseded ones, official texts before news and
// notes) is added to every model score with weight 1, not learned, because
// training questions seldom tell those apart.
const priorFeature = 10

func (r *Ranker) score(f *[nFeatures]float32) float32 {
	s := float64(f[priorFeature])
	for i, x := range f {
		s += r.W[i] * clipZ((float64(x)-r.Mean[i])/r.Scale[i])
	}
	return float32(s)
}

// The columns levelFeature and the article feature fill (18…23).
const (
	firstKindFeature = 18
	nKindFeatures    = 6
)

// uses reports whether any of n features from column i has a weight.
func (r *Ranker) uses(i, n int) bool {
	for _, w := range r.W[i : i+n] {
		if w != 0 {
			return true
		}
	}
	return false
}

// maxZ bounds a standardised feature: a library or question unlike the
// training data (a title match, an alias expansion, rare in layperson
// questions) must not move the score by dozens of standard deviations.
const maxZ = 3

func clipZ(z float64) float64 { return max(-maxZ, min(maxZ, z)) }

// check refuses a model made for other features.
func (r *Ranker) check() error {
	if !slices.Equal(r.Features, featureNames) || len(r.Mean) != nFeatures || len(r.Scale) != nFeatures || len(r.W) != nFeatures {
		return fmt.Errorf("search: rank model features %v do not match the program's %v", r.Features, featureNames)
	}
	for _, s := range r.Scale {
		if !(s > 0) {
			return fmt.Errorf("search: rank model has a non-positive scale")
		}
	}
	for _, name := range r.Off {
		if !slices.Contains(featureNames, name) {
			return fmt.Errorf("search: rank model leaves out unknown feature %q", name)
		}
	}
	if r.Depth <= 0 || r.Depth > MaxK {
		return fmt.Errorf("search: rank model depth %d out of range", r.Depth)
	}
	return nil
}

// pad extends a model fitted before features were appended to the
// program's list (its features a prefix of featureNames): the new columns
// get weight 0, so the model scores as it did when it was fitted.
func (r *Ranker) pad() {
	n := len(r.Features)
	if n >= nFeatures || !slices.Equal(r.Features, featureNames[:n]) ||
		len(r.Mean) != n || len(r.Scale) != n || len(r.W) != n {
		return
	}
	for _, name := range featureNames[n:] {
		r.Features = append(r.Features, name)
		r.Mean = append(r.Mean, 0)
		r.Scale = append(r.Scale, 1)
		r.W = append(r.W, 0)
	}
}

// ParseRanker reads a model written by WriteJSON.
func ParseRanker(data []byte) (*Ranker, error) {
	var r Ranker
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, err
	}
	r.pad()
	if err := r.check(); err != nil {
		return nil, err
	}
	return &r, nil
}

// WriteJSON encodes the model.
func (r *Ranker) WriteJSON() ([]byte, error) { return json.MarshalIndent(r, "", " ") }

//go:embed rank.json
var rankFile []byte

// defaultRanker is the shipped model (nil if the file is empty).
var defaultRanker = func() *Ranker {
	if len(rankFile) == 0 {
		return nil
	}
	r, err := ParseRanker(rankFile)
	if err != nil {
		panic("search: bad rank.json: " + err.Error())
	}
	return r
}()

// SetRanker installs a model (nil: first-stage order); not safe during searches.
func (ix *Index) SetRanker(r *Ranker) {
	ix.ranker = r
	if r != nil {
		ix.imp = r.Importance
	}
}

// rankTerm is one body posting list of a query with its BM25 weight.
type rankTerm struct {
	id    int32 // index into rankInput.ids
	w     float32
	group int // -1: a plain BM25 term
}

// rankInput is what feature extraction needs from a query's search.
type rankInput struct {
	a        *analysed
	acc      *accum
	intent   []float32
	terms    []rankTerm
	plain    []rankTerm
	ids      []int32   // distinct body posting lists, each looked up once per candidate
	imp      []float32 // per group: importance of the user's word (0 for expansions)
	impTotal float32
	slot     map[int32]int32
	// dropSlot and pairSlot are the columns of poolTFs holding each
	// dropped term and each pair's gate (-1: no gate), so the re-scoring
	// reads the pool's frequencies instead of galloping through the lists.
	dropSlot, pairSlot []int32
	// pairMore lists, per pair, the columns of the needle's other Han
	// bigrams that poolTFs reads anyway (query terms): a text holding
	// the needle holds each of its bigrams, so a 0 in any of them rules
	// the pair out before the text is scanned, as the gate does. Half of
	// the scans that passed the gate alone found nothing.
	pairMore [][]int32
	// skipKinds leaves the 效力级别 and article features at 0 when the
	// model gives them no weight: each reads the provision and its
	// version through pointers, a cache miss per candidate.
	skipKinds bool
	// asked is the unit the question asks its figure in (0: none).
	asked textseg.Units
}

// idSlot returns the index of posting list id in in.ids.
func (in *rankInput) idSlot(id int32) int32 {
	if k, ok := in.slot[id]; ok {
		return k
	}
	k := int32(len(in.ids))
	in.ids = append(in.ids, id)
	in.slot[id] = k
	return k
}

func (ix *Index) newRankInput(a *analysed, acc *accum, intent []float32) *rankInput {
	in := &rankInput{a: a, acc: acc, intent: intent, slot: map[int32]int32{}, imp: make([]float32, len(a.groups)), asked: textseg.AskedUnit(a.folded)}
	for gi := range a.groups {
		if g := &a.groups[gi]; !g.expand {
			in.imp[gi] = ix.imp.of(g.word)
			in.impTotal += in.imp[gi]
		}
	}
	for gi := range a.groups {
		g := &a.groups[gi]
		for _, t := range g.terms {
			if t.body >= 0 {
				in.terms = append(in.terms, rankTerm{in.idSlot(t.body), g.scale * t.weight * ix.body.idf(t.body), gi})
			}
		}
	}
	for _, d := range a.dropped {
		in.terms = append(in.terms, rankTerm{in.idSlot(d.id), d.weight, d.group})
	}
	qtf := map[int32]float32{}
	var order []int32
	for _, w := range a.content { // the query's words, segmented once by analyseQuery
		textseg.IndexTerms(w, func(t string) {
			if id := ix.body.term(t); id >= 0 {
				if qtf[id] == 0 {
					order = append(order, id)
				}
				qtf[id]++
			}
		})
	}
	for _, id := range order {
		in.plain = append(in.plain, rankTerm{in.idSlot(id), qtf[id] * ix.body.idf(id), -1})
	}
	slots := make([]int32, len(a.dropped)+len(a.pairs))
	in.dropSlot, in.pairSlot = slots[:len(a.dropped)], slots[len(a.dropped):]
	for i, d := range a.dropped {
		in.dropSlot[i] = in.idSlot(d.id)
	}
	for i := range a.pairs {
		in.pairSlot[i] = -1
		if g := a.pairs[i].gate; g >= 0 {
			in.pairSlot[i] = in.idSlot(g)
		}
	}
	// The other bigrams of a pair are terms of its two words' groups
	// (termsFor): the word itself when of two characters, else its
	// bigrams. Words of three or more characters are no gate (the
	// segmenter may cut the text otherwise), nor are Latin tokens.
	// The lists live in the accumulator's scratch (no allocation).
	in.pairMore = slices.Grow(in.acc.pairMore[:0], len(a.pairs))[:len(a.pairs)]
	more := in.acc.pairCols[:0]
	for i := range a.pairs {
		p := &a.pairs[i]
		in.pairMore[i] = nil
		if p.gate < 0 {
			continue
		}
		start := len(more)
		for _, gi := range [2]int{p.word, p.word + 1} {
			for _, t := range a.groups[gi].terms {
				if t.body < 0 || t.body == p.gate || !hanBigram(t.text) {
					continue
				}
				if k := in.slot[t.body]; !slices.Contains(more[start:], k) {
					more = append(more, k)
				}
			}
		}
		in.pairMore[i] = more[start:len(more):len(more)]
	}
	in.acc.pairMore, in.acc.pairCols = in.pairMore, more
	return in
}

// hanBigram reports whether s is two Han characters.
func hanBigram(s string) bool {
	r1, n1 := utf8.DecodeRuneInString(s)
	r2, n2 := utf8.DecodeRuneInString(s[n1:])
	return n1+n2 == len(s) && n2 > 0 && textseg.IsHan(r1) && textseg.IsHan(r2)
}

// unitClass is what the ranker's class features read of a unit.
type unitClass struct {
	level   int8          // levelFeature of its version, or -1
	article bool          // a 条
	units   textseg.Units // units of the figures its text states
}

// levelFeature is the column of a 效力级别, or -1.
func levelFeature(level string) int {
	switch level {
	case library.LevelLaw:
		return 18
	case library.LevelAdminRegs:
		return 19
	case library.LevelJudicial:
		return 20
	case library.LevelDeptRules:
		return 21
	case library.LevelLocalRegs, library.LevelLocalRules:
		return 22
	}
	return -1
}

// features computes a row per candidate; cands are in unit order and
// already re-scored, tfm is poolTFs of them.
func (ix *Index) features(cands []cand, in *rankInput, tfm []float32) [][nFeatures]float32 {
	rows := slices.Grow(in.acc.rows[:0], len(cands))[:len(cands)]
	clear(rows)
	defer func() { in.acc.rows = rows[:0] }()
	a := in.a
	nIDs := len(in.ids)
	total := max(a.total, 1e-3)
	for i := range cands {
		c := &cands[i]
		f := &rows[i]
		u := c.u
		norm := ix.body.norms[u]
		var orig, exp, trans, def, assoc, prf, impBody float32
		var mask uint64
		tfs := tfm[i*nIDs : (i+1)*nIDs]
		for _, t := range in.terms {
			tf := tfs[t.id]
			if tf == 0 {
				continue
			}
			s := t.w * tf * (bm25K1 + 1) / (tf + norm)
			if g := &a.groups[t.group]; g.expand {
				switch g.src {
				case srcTrans:
					trans += s
				case srcDef:
					def += s
				case srcAssoc:
					assoc += s
				case srcPRF:
					prf += s
				default:
					exp += s
				}
			} else {
				orig += s
				impBody += s * in.imp[t.group]
			}
			mask |= 1 << t.group
		}
		var plain float32
		for _, t := range in.plain {
			if tf := tfs[t.id]; tf > 0 {
				plain += t.w * tf * (bm25K1 + 1) / (tf + norm)
			}
		}
		ver := ix.uVer[u]
		f[2], f[3], f[4], f[24] = orig, orig/total, exp/total, trans/total
		f[27], f[28], f[29] = def/total, assoc/total, prf/total
		f[30] = ix.anchorScore(in.acc, u) / total
		f[5] = in.acc.tScore[ver] / total
		if h := ix.uHead[u]; h >= 0 {
			f[6] = in.acc.hScore[h] / total
		}
		f[7] = a.coverage(c.mask)
		f[8] = a.coverage(mask)
		f[9] = c.prox
		var impHave float32
		for gi, w := range in.imp {
			if mask&(1<<gi) != 0 {
				impHave += w
			}
		}
		f[25] = ratio(impHave, in.impTotal)
		f[26] = impBody / total
		f[10] = ix.uLogPrior[u]
		if in.intent != nil && in.intent[ver] > 1 {
			f[11] = 1
		}
		f[12] = log1pInt(int(in.acc.matches[ver]))
		f[16] = ix.uLogLen[u]
		f[17] = plain
		if in.asked != 0 {
			switch us := ix.uClass[u].units; {
			case us&in.asked != 0:
				f[31] = 1
			case us&in.asked.Kind() != 0:
				f[32] = 1
			}
		}
		if !in.skipKinds {
			c := ix.uClass[u]
			if c.level >= 0 {
				f[c.level] = 1
			}
			if c.article {
				f[23] = 1
			}
		}
	}
	// Pool-relative features.
	var bestScore, bestBody, bestPlain float32
	for i := range cands {
		bestScore = max(bestScore, cands[i].score)
		bestBody = max(bestBody, rows[i][2])
		bestPlain = max(bestPlain, rows[i][17])
	}
	// The pool is in unit order: sorting score keys with the index below
	// orders it as byScore does.
	keys := slices.Grow(in.acc.keys[:0], len(cands))
	for i := range cands {
		keys = append(keys, uint64(scoreKey(&cands[i]))<<32|uint64(i))
	}
	slices.Sort(keys)
	defer func() { in.acc.keys = keys[:0] }()
	// Per document of the pool: docOf[version] is 1 + its index in aggs
	// (per-version scratch of the accumulator, cleared again below).
	docOf := in.acc.docOf
	if docOf == nil {
		docOf = make([]int32, len(ix.versions))
		in.acc.docOf = docOf
	}
	aggs := in.acc.aggs[:0]
	for rank, k := range keys {
		i := uint32(k)
		rows[i][1] = log1pInt(rank)
		v := ix.uVer[cands[i].u]
		if docOf[v] == 0 {
			aggs = append(aggs, docAgg{})
			docOf[v] = int32(len(aggs))
		}
		d := &aggs[docOf[v]-1]
		d.n++
		d.best = max(d.best, cands[i].score)
		d.sum += cands[i].score
	}
	defer func() {
		for i := range cands {
			docOf[ix.uVer[cands[i].u]] = 0
		}
		in.acc.aggs = aggs[:0]
	}()
	for i := range cands {
		f := &rows[i]
		d := &aggs[docOf[ix.uVer[cands[i].u]]-1]
		f[0] = ratio(cands[i].score, bestScore)
		f[2] = ratio(f[2], bestBody)
		f[17] = ratio(f[17], bestPlain)
		f[13] = log1pInt(d.n)
		f[14] = ratio(d.best, bestScore)
		f[15] = ratio(d.sum, bestScore)
	}
	return rows
}

// docAgg sums the first-stage scores of one document's provisions in the
// pool (features).
type docAgg struct {
	n         int
	best, sum float32
}

// logPrior is the prior feature of a unit of prior p.
func logPrior(p float32) float32 { return float32(math.Log(float64(max(p, 1e-3)))) }

// log1pTab holds log1pInt of 0 … 1023: three of the pool's features are
// the logarithm of a count (rank, matches of a document) for every
// candidate.
var log1pTab = func() (t [1024]float32) {
	for i := range t {
		t[i] = float32(math.Log1p(float64(i)))
	}
	return t
}()

// log1pInt is float32(math.Log1p(float64(n))), from a table for small n.
func log1pInt(n int) float32 {
	if uint(n) < uint(len(log1pTab)) {
		return log1pTab[n]
	}
	return float32(math.Log1p(float64(n)))
}

// logLength is the length feature of a unit of n characters.
func logLength(n int32) float32 { return float32(math.Log1p(float64(n))) }

// poolTFs returns the frequency of every posting list of in.ids in every
// candidate (row-major: candidate i, list k at i*len(in.ids)+k); cands are
// in unit order. The longest lists (数据, 个人 …) have dense arrays; a
// list at most tfMergeRatio times as long as the pool is walked once,
// each posting tested against a bitmap of the pool (one bit per unit, a
// few kilobytes that stay in the L1 cache), the pool's cursor advancing
// only on a hit; the rest are galloped through, candidate by candidate.
// Long questions have a hundred lists or more, most of them short: a
// walk costs about a nanosecond per posting, a gallop tens per candidate.
func (ix *Index) poolTFs(cands []cand, in *rankInput) []float32 {
	n, nIDs := len(cands), len(in.ids)
	tfm := slices.Grow(in.acc.tfs[:0], n*nIDs)[:n*nIDs]
	clear(tfm)
	in.acc.tfs = tfm
	bits := in.acc.poolBits(len(ix.units))
	for i := range cands {
		u := uint32(cands[i].u)
		bits[u>>6] |= 1 << (u & 63)
	}
	defer func() {
		for i := range cands {
			bits[uint32(cands[i].u)>>6] = 0
		}
	}()
	for k, id := range in.ids {
		if tf := ix.body.dense[id]; tf != nil {
			for i := range cands {
				tfm[i*nIDs+k] = float32(tf[cands[i].u])
			}
			continue
		}
		post := ix.body.post[id]
		if len(post) <= tfMergeRatio*n {
			i := 0
			for _, e := range post {
				d := e >> 8
				if bits[d>>6]&(1<<(d&63)) == 0 {
					continue
				}
				for cands[i].u < int32(d) {
					i++
				}
				tfm[i*nIDs+k] = float32(e & 0xff)
			}
			continue
		}
		pos := 0
		for i := range cands {
			tfm[i*nIDs+k] = ix.body.tfFrom(id, uint32(cands[i].u), &pos)
		}
	}
	return tfm
}

// tfMergeRatio is a variable for BenchmarkLongQuestions.
var tfMergeRatio = 16

func ratio(x, y float32) float32 {
	if y <= 0 {
		return 0
	}
	return x / y
}

// Candidates returns the first-stage pool of a question (up to depth
// provisions, in first-stage order) with a feature row each, for fitting a
// ranker: the installed ranker is not applied.
func (ix *Index) Candidates(ctx context.Context, text string, depth int) ([]Hit, [][]float32, error) {
	q, err := ParseQuery(text)
	if err != nil {
		return nil, nil, err
	}
	if err := q.SetK(depth); err != nil {
		return nil, nil, err
	}
	q.HitsOnly, q.wantFeatures = true, true
	res, err := ix.Search(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	return res.Hits, res.features, nil
}

// RankSample is one training question: the feature rows of its pool and
// which rows are gold.
type RankSample struct {
	Rows [][]float32
	Gold []bool
}

// LearnRanker fits a linear model on samples by full-batch gradient descent
// (Adam) on the listwise softmax loss: each question's gold provisions
// should take the probability mass of its pool. l2 is the ridge penalty.
// Features named in off keep weight 0.
func LearnRanker(samples []RankSample, depth int, epochs int, l2 float64, off []string) *Ranker {
	r := &Ranker{Features: slices.Clone(featureNames), Mean: make([]float64, nFeatures),
		Scale: make([]float64, nFeatures), W: make([]float64, nFeatures), Depth: depth, Off: off}
	var use [nFeatures]bool
	for j, name := range featureNames {
		use[j] = !slices.Contains(off, name)
	}
	var n float64
	for _, s := range samples {
		for _, row := range s.Rows {
			for j, x := range row {
				r.Mean[j] += float64(x)
			}
			n++
		}
	}
	for j := range r.Mean {
		r.Mean[j] /= max(n, 1)
	}
	for _, s := range samples {
		for _, row := range s.Rows {
			for j, x := range row {
				d := float64(x) - r.Mean[j]
				r.Scale[j] += d * d
			}
		}
	}
	for j := range r.Scale {
		r.Scale[j] = math.Sqrt(r.Scale[j] / max(n, 1))
		if r.Scale[j] < 1e-9 {
			r.Scale[j] = 1
		}
	}
	// Standardised copies of the questions that have gold in the pool:
	// the others carry no gradient.
	type std struct {
		x      [][nFeatures]float64
		offset []float64 // log prior, added with weight 1
		gold   []bool
		nPos   int
	}
	var data []std
	for _, s := range samples {
		d := std{gold: s.Gold}
		for i, row := range s.Rows {
			var x [nFeatures]float64
			for j, v := range row {
				x[j] = clipZ((float64(v) - r.Mean[j]) / r.Scale[j])
			}
			d.x = append(d.x, x)
			d.offset = append(d.offset, float64(row[priorFeature]))
			if s.Gold[i] {
				d.nPos++
			}
		}
		if d.nPos > 0 {
			data = append(data, d)
		}
	}
	if len(data) == 0 {
		return r
	}
	// The first-stage score starts with all the weight: training moves away
	// from the first stage only as far as the data asks.
	if use[0] {
		r.W[0] = 1
	}
	const lr, b1, b2, eps = 0.05, 0.9, 0.999, 1e-8
	m, v := make([]float64, nFeatures), make([]float64, nFeatures)
	grad := make([]float64, nFeatures)
	var p []float64
	for ep := 1; ep <= epochs; ep++ {
		clear(grad)
		for _, d := range data {
			p = p[:0]
			mx := math.Inf(-1)
			for i, x := range d.x {
				s := d.offset[i]
				for j := range x {
					s += r.W[j] * x[j]
				}
				p = append(p, s)
				mx = max(mx, s)
			}
			var z float64
			for i := range p {
				p[i] = math.Exp(p[i] - mx)
				z += p[i]
			}
			for i, x := range d.x {
				g := p[i] / z
				if d.gold[i] {
					g -= 1 / float64(d.nPos)
				}
				for j := range x {
					grad[j] += g * x[j]
				}
			}
		}
		for j := range grad {
			if !use[j] {
				continue
			}
			grad[j] = grad[j]/float64(len(data)) + l2*r.W[j]
			m[j] = b1*m[j] + (1-b1)*grad[j]
			v[j] = b2*v[j] + (1-b2)*grad[j]*grad[j]
			mh := m[j] / (1 - math.Pow(b1, float64(ep)))
			vh := v[j] / (1 - math.Pow(b2, float64(ep)))
			r.W[j] -= lr * mh / (math.Sqrt(vh) + eps)
		}
	}
	return r
}

// Rerank orders a sample's rows by the model, best first (for evaluation).
func (r *Ranker) Rerank(rows [][]float32) []int {
	scores := make([]float32, len(rows))
	for i, row := range rows {
		var f [nFeatures]float32
		copy(f[:], row)
		scores[i] = r.score(&f)
	}
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case scores[a] > scores[b]:
			return -1
		case scores[a] < scores[b]:
			return 1
		}
		return 0
	})
	return order
}
