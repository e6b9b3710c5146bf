// Package search is DataLex's full-text engine: an in-memory index over the
// provisions of every library version, with citation lookup, aliases,
// facets, filters and highlighted snippets.
package search

import (
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"datalex/internal/library"
	"datalex/internal/textseg"
)

// Index is an immutable search index; Search is safe for concurrent use.
type Index struct {
	versions []*library.Version
	vinfo    []versionInfo
	units    []unit
	// Per-unit fields read in the scoring loop, kept apart from units so
	// the loop touches little memory.
	uVer   []int32
	uHead  []int32
	uPrior []float32
	// uScan holds the same three per unit side by side for the
	// first-stage scan, which reads them for every touched unit: one
	// memory stream instead of three.
	uScan []unitScan
	// The ranker's prior and length features of each unit (logPrior,
	// logLength), computed once: two logarithms per candidate otherwise.
	uLogPrior, uLogLen []float32
	// uClass holds each unit's level feature column (levelFeature, or -1)
	// and whether it is an article, so the ranker's class features read
	// one byte pair instead of chasing the version and provision.
	uClass   []unitClass
	facetTab facetTable
	vFacets  [][]int32            // version → interned facet values
	body     *invIndex            // one document per unit
	title    *invIndex            // one document per version: title and aliases
	head     *invIndex            // one document per distinct heading context
	byTitle  map[string][]int32   // title key (also short name, alias) → versions
	labels   map[labelRef]int32   // (version, label key) → unit
	names    map[string][]docName // first two characters → document names a question may mention
	places   []place              // regions and cities
	aliases  *aliasTable
	weights  Weights
	trans    Translation
	ranker   *Ranker
	imp      *Importance
	defs     *defTable    // definition clauses mined from the provisions
	assoc    *assocTable  // corpus term associations (forward index)
	anchor   *anchorTable // citing sentences of other documents (anchor.go)
	// embedRank, when set, re-ranks relevance searches with embeddings
	// (SetEmbedRank; off by default).
	embedRank *EmbedRank
	expWords  map[string][]string // expansion → its content words
	freq      byteFreq            // of the unit texts, for finders
	pool      sync.Pool           // *accum

	// BuildTime is how long NewIndex took (segmentation included).
	BuildTime time.Duration
}

type labelRef struct {
	ver   int32
	label string
}

// versionInfo is what the engine keeps per version.
type versionInfo struct {
	titleKey   string
	prior      float32
	facets     map[string][]string
	facetIDs   []int32
	date       string
	source     string // file of the first source
	singleLine bool   // the source is one physical line (offsets apply)
	nUnits     int
	regional   bool // belongs to a province or city, not the whole country
}

// unit is one retrievable provision: an article with its paragraphs and
// items folded in, or an outline item, clause, annex, preamble …
type unit struct {
	p     *library.Provision
	ver   int32
	head  int32  // heading context (index into head), -1 if none
	text  string // folded text, same runes as orig
	orig  string // valid UTF-8
	runes int32  // number of runes of text and orig
	prior float32
}

// Version priors: official current texts first; drafts, superseded texts,
// notes, news and catalogue records follow at equal relevance.
func versionPrior(v *library.Version) float32 {
	p := float32(1)
	switch v.Kind {
	case library.KindNote:
		p *= 0.6
	case library.KindNews:
		p *= 0.5
	case library.KindCatalogue:
		p *= 0.5
	}
	switch {
	case v.Status == library.StatusDraft || v.Status == library.StatusBill:
		p *= 0.8
	case v.Status == library.StatusRepealed || v.Status == library.StatusSuperseded || !v.InForce():
		// In-force texts first by default; the 时效性 filter reaches the rest.
		p *= 0.7
	}
	if v.HasFlag(library.FlagExcerpt) || v.HasFlag(library.FlagSummaryOnly) {
		p *= 0.85
	}
	return p
}

func provisionPrior(p *library.Provision) float32 {
	switch p.Kind {
	case library.ProvPart, library.ProvChapter, library.ProvSection:
		return 0.4 // a heading line is rarely the answer
	case library.ProvPreamble:
		return 0.7 // title, issuing notice, 前言: about the document, seldom the answer
	case library.ProvTable:
		return 0.7 // rows of terms without sentences match many words by accident
	}
	return 1
}

// titleKey normalises a document title for comparison: folded, without
// whitespace, book-title marks and quotes, without 中华人民共和国.
func titleKey(s string) string {
	s = textseg.Fold(s)
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r', '《', '》', '“', '”', '"', '〈', '〉', '‘', '’', '\'':
			return -1
		}
		return r
	}, s)
	return strings.TrimPrefix(s, "中华人民共和国")
}

// labelKey normalises a provision label: 第38条 = 第三十八条, 二（一） = 二、（一）.
func labelKey(s string) string {
	s = arabicArticles(textseg.Fold(s))
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '、', ',', '．':
			return -1
		}
		return r
	}, s)
	return strings.TrimSuffix(s, ".")
}

// maxDepth bounds walks up the provision tree (guards against cycles in
// bad input).
const maxDepth = 32

// mergedIntoArticle reports whether a provision is part of an enclosing
// article (its paragraphs and items), which is the unit people cite.
func mergedIntoArticle(p *library.Provision, byID map[string]*library.Provision) bool {
	if p.Kind == library.ProvArticle {
		return false
	}
	for q, depth := byID[p.ParentID], 0; q != nil && depth < maxDepth; q, depth = byID[q.ParentID], depth+1 {
		if q.Kind == library.ProvArticle {
			return true
		}
	}
	return false
}

// headingOf is the short text that names a provision in a context path.
func headingOf(p *library.Provision) string {
	h := p.Heading
	if h == "" {
		h, _, _ = strings.Cut(p.Text, "\n")
	}
	if utf8.RuneCountInString(h) > 60 {
		h = string([]rune(h)[:60])
	}
	return p.Label + " " + h
}

// NewIndex builds the index over versions. Versions without provisions
// (catalogue records) are still found by title at document level.
func NewIndex(versions []*library.Version) *Index {
	start := time.Now()
	ix := &Index{
		versions: versions,
		vinfo:    make([]versionInfo, len(versions)),
		byTitle:  make(map[string][]int32),
		labels:   make(map[labelRef]int32),
		aliases:  defaultAliases,
		weights:  DefaultWeights,
		trans:    defaultTranslation,
		ranker:   defaultRanker,
	}
	if defaultRanker != nil {
		ix.imp = defaultRanker.Importance
	}
	headIDs := make(map[string]int32)
	var heads []string
	for vi, v := range versions {
		ix.addVersion(int32(vi), v, headIDs, &heads)
	}
	for i := range ix.vinfo {
		ix.vFacets = append(ix.vFacets, ix.vinfo[i].facetIDs)
	}
	ix.indexNames()
	ix.expWords = make(map[string][]string)
	for _, r := range ix.aliases.rules {
		for _, w := range r.To {
			if _, ok := ix.expWords[w]; !ok {
				ix.expWords[w] = contentWords(w)
			}
		}
	}
	ix.uVer = make([]int32, len(ix.units))
	ix.uHead = make([]int32, len(ix.units))
	ix.uPrior = make([]float32, len(ix.units))
	ix.uLogPrior = make([]float32, len(ix.units))
	ix.uLogLen = make([]float32, len(ix.units))
	ix.uScan = make([]unitScan, len(ix.units))
	ix.uClass = make([]unitClass, len(ix.units))
	for i := range ix.units {
		ix.uClass[i] = unitClass{level: int8(levelFeature(ix.versions[ix.units[i].ver].Level)), article: ix.units[i].p.Kind == library.ProvArticle, units: textseg.QuantityUnits(ix.units[i].text)}
		ix.uVer[i], ix.uHead[i], ix.uPrior[i] = ix.units[i].ver, ix.units[i].head, ix.units[i].prior
		ix.uScan[i] = unitScan{ver: ix.units[i].ver, head: ix.units[i].head, prior: ix.units[i].prior}
		ix.uLogPrior[i], ix.uLogLen[i] = logPrior(ix.uPrior[i]), logLength(ix.units[i].runes)
	}
	ix.body = buildInvIndex(len(ix.units), bodyB, func(i int) string { return ix.units[i].text })
	ix.body.buildDense(max(denseMin, len(ix.units)/denseShare))
	ix.title = buildInvIndex(len(versions), titleB, func(i int) string {
		v := versions[i]
		return textseg.Fold(v.Title + " " + strings.Join(v.Aliases, " "))
	})
	ix.head = buildInvIndex(len(heads), headB, func(i int) string { return heads[i] })
	ix.buildVocab()
	if DefaultAnchors.On {
		ix.anchor = ix.buildAnchors(DefaultAnchors)
	}
	ix.BuildTime = time.Since(start)
	return ix
}

func (ix *Index) addVersion(vi int32, v *library.Version, headIDs map[string]int32, heads *[]string) {
	info := &ix.vinfo[vi]
	info.titleKey = titleKey(v.Title)
	info.prior = versionPrior(v)
	info.facets = facetValues(v)
	info.facetIDs = ix.facetTab.intern(info.facets)
	info.date = v.IssueDate
	info.regional = v.Region != "" && v.Region != "全国"
	if len(v.Sources) > 0 {
		s := v.Sources[0]
		info.source = s.File
		info.singleLine = s.FirstLine == s.LastLine && (s.Offset > 0 || s.OffsetEnd > 0)
	}
	for _, k := range append([]string{v.Title, library.ShortName(v.Title)}, v.Aliases...) {
		key := titleKey(k)
		if key != "" && !containsInt32(ix.byTitle[key], vi) {
			ix.byTitle[key] = append(ix.byTitle[key], vi)
		}
	}

	byID := make(map[string]*library.Provision, len(v.Provisions))
	for _, p := range v.Provisions {
		byID[p.ID] = p
	}
	// Text of the paragraphs and items folded into each article.
	extra := make(map[string][]string)
	for _, p := range v.Provisions {
		if !mergedIntoArticle(p, byID) {
			continue
		}
		a := byID[p.ParentID]
		for depth := 0; a.Kind != library.ProvArticle && depth < maxDepth; depth++ {
			a = byID[a.ParentID]
		}
		extra[a.ID] = append(extra[a.ID], p.Text)
	}
	for _, p := range v.Provisions {
		if mergedIntoArticle(p, byID) {
			continue
		}
		orig := p.Text
		// Structure gives an article its whole text and also splits it
		// into paragraph and item children; a child already inside the
		// article's text must not be indexed a second time (that doubled
		// term frequencies and lengths for ~45% of LawRefBook articles).
		var add []string
		for _, t := range extra[p.ID] {
			if !strings.Contains(orig, strings.TrimSpace(t)) {
				add = append(add, t)
			}
		}
		if len(add) > 0 {
			orig = strings.Join(append([]string{p.Text}, add...), "\n")
		}
		if strings.TrimSpace(orig) == "" {
			continue
		}
		if !utf8.ValidString(orig) {
			// Each bad byte becomes U+FFFD, as in the folded text, so
			// that both have the same runes.
			orig = string([]rune(orig))
		}
		u := unit{p: p, ver: vi, head: -1, orig: orig, text: textseg.Fold(orig), prior: info.prior * provisionPrior(p)}
		u.runes = int32(utf8.RuneCountInString(u.text))
		ix.freq.add(u.text)
		if ctx := headContext(p, byID); ctx != "" {
			id, ok := headIDs[ctx]
			if !ok {
				id = int32(len(*heads))
				headIDs[ctx] = id
				*heads = append(*heads, ctx)
			}
			u.head = id
		}
		if p.Label != "" {
			ref := labelRef{vi, labelKey(p.Label)}
			if _, dup := ix.labels[ref]; !dup {
				ix.labels[ref] = int32(len(ix.units))
			}
		}
		ix.units = append(ix.units, u)
		info.nUnits++
	}
}

// docName is a document title, short name or alias long enough to be
// recognised inside a question (根据个人信息保护法, 按《…》).
type docName struct {
	key  string
	vers []int32
}

// minNameRunes keeps short, generic names out of mention detection.
const minNameRunes = 4

// indexNames collects the names and places used to read a question's
// intent, and demotes drafts of works that also have a final text.
func (ix *Index) indexNames() {
	ix.names = make(map[string][]docName)
	add := func(key string, vers []int32) {
		p := prefixKey(key)
		ix.names[p] = append(ix.names[p], docName{key, vers})
	}
	for key, vers := range ix.byTitle {
		if utf8.RuneCountInString(key) >= minNameRunes {
			add(key, vers)
		}
	}
	for short, full := range ix.aliases.docs {
		if vers := ix.byTitle[titleKey(full)]; len(vers) > 0 && utf8.RuneCountInString(short) >= 2 {
			add(short, vers)
		}
	}

	byPlace := make(map[string][]int32)
	for vi, v := range ix.versions {
		for _, p := range []string{v.Region, v.City} {
			p = strings.TrimSpace(p)
			if p == "" || p == "全国" || utf8.RuneCountInString(p) < 2 {
				continue
			}
			for _, name := range placeNames(p) {
				byPlace[name] = append(byPlace[name], int32(vi))
			}
		}
	}
	for name, vers := range byPlace {
		ix.places = append(ix.places, place{name, vers})
	}
	slices.SortFunc(ix.places, func(a, b place) int { return strings.Compare(a.name, b.name) })

	final := make(map[string]bool)
	for _, v := range ix.versions {
		if v.Status != library.StatusDraft && v.Status != library.StatusBill && v.Kind == library.KindRegulation {
			final[v.WorkID] = true
		}
	}
	for vi, v := range ix.versions {
		if (v.Status == library.StatusDraft || v.Status == library.StatusBill) && final[v.WorkID] {
			ix.vinfo[vi].prior *= draftWithFinal
		}
	}
	for i := range ix.units {
		ix.units[i].prior = ix.vinfo[ix.units[i].ver].prior * provisionPrior(ix.units[i].p)
	}
}

// place is a region or city name a question may mention, with the
// versions that belong to it.
type place struct {
	name string
	vers []int32
}

// prefixKey is the first two characters of s (the bucket of a name).
func prefixKey(s string) string {
	n := 0
	for i := range s {
		if n == 2 {
			return s[:i]
		}
		n++
	}
	return s
}

// draftWithFinal further demotes a draft whose final text is in the library.
const draftWithFinal = 0.8

// placeNames returns a place and its short form (广东省 → 广东, 深圳市 → 深圳).
func placeNames(p string) []string {
	out := []string{p}
	for _, suf := range []string{"省", "市", "自治区", "特别行政区"} {
		if short := strings.TrimSuffix(p, suf); short != p && utf8.RuneCountInString(short) >= 2 {
			out = append(out, short)
		}
	}
	return out
}

// headContext joins the headings of a provision's ancestors (章, 节, 一、 …).
func headContext(p *library.Provision, byID map[string]*library.Provision) string {
	var parts []string
	for q, depth := byID[p.ParentID], 0; q != nil && depth < maxDepth; q, depth = byID[q.ParentID], depth+1 {
		parts = append(parts, headingOf(q))
	}
	if len(parts) == 0 {
		return ""
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return textseg.Fold(strings.Join(parts, " "))
}

func containsInt32(xs []int32, x int32) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Stats describes an index.
type Stats struct {
	Versions   int           `json:"versions"`
	Provisions int           `json:"provisions"` // indexed units
	Terms      int           `json:"terms"`
	Postings   int           `json:"postings"`
	BuildTime  time.Duration `json:"build_time"`
}

// Stats reports the size of the index.
func (ix *Index) Stats() Stats {
	s := Stats{Versions: len(ix.versions), Provisions: len(ix.units), Terms: len(ix.body.ids), BuildTime: ix.BuildTime}
	for _, p := range ix.body.post {
		s.Postings += len(p)
	}
	return s
}
