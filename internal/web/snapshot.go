package web

import (
	"html/template"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"datalex/internal/answer"
	"datalex/internal/library"
	"datalex/internal/search"
)

// snapshot is one immutable view of the library: the catalog, its counts,
// the search over it and the lists the home and browse pages show. A new
// snapshot replaces the old one atomically after every change.
type snapshot struct {
	cat        *library.Catalog
	stats      library.Stats
	index      *search.Index
	search     Searcher
	answer     *answer.Answerer   // nil: search-only fallback
	works      []*library.Version // the preferred version of every regulation work, newest first
	recent     []*library.Version // recent effective documents for the home page
	maxDoc     *library.Version   // the longest text (benchmarks)
	levelNames []string           // 效力级别 present in works, sorted (the search form)
	builtAt    time.Time
	// fragments caches rendered document pages and layouts their page
	// structure: the snapshot never changes, so neither do they. Both are
	// bounded (a crawler walking a large library must not grow the
	// process without limit).
	fragments *boundedCache[fragmentKey, docFragment]
	layouts   *boundedCache[string, *docLayout]
	results   *boundedCache[string, *search.Results] // nil: no result cache
}

// Budgets of the snapshot's caches: rendered HTML in bytes, layouts in
// provisions (a layout holds a few words per provision).
const (
	fragmentBudget = 64 << 20
	layoutBudget   = 200_000
)

type fragmentKey struct {
	version string
	page    int
}

type docFragment struct{ body, toc template.HTML }

// docLayout is how a version is shown: its provisions by id, its pages,
// the page each provision is on and its length in characters. Every
// document page, provision link and search hit needs it.
type docLayout struct {
	byID   map[string]*library.Provision
	pages  []docPage
	pageOf map[string]int // provision id → 1-based page; nil for one page
	chars  int
}

// layout returns v's layout, computed once per snapshot.
func (s *snapshot) layout(v *library.Version) *docLayout {
	if l, ok := s.layouts.get(v.ID); ok {
		return l
	}
	l := &docLayout{byID: provisionIndex(v)}
	l.pages = paginate(v.Provisions, l.byID)
	l.chars = textChars(v, l.byID)
	if len(l.pages) > 1 {
		l.pageOf = make(map[string]int, len(v.Provisions))
		for i, pg := range l.pages {
			for _, p := range pg.Provisions {
				l.pageOf[p.ID] = i + 1
			}
		}
	}
	s.layouts.put(v.ID, l, int64(len(v.Provisions))+1)
	return l
}

// provisionURL links to a provision on the right page of its document.
func (s *snapshot) provisionURL(v *library.Version, p *library.Provision) string {
	u := "/documents/" + url.PathEscape(v.ID)
	if n := s.layout(v).pageOf[p.ID]; n > 1 {
		u += "?page=" + strconv.Itoa(n)
	}
	return u + "#p-" + p.ID
}

// docFragments returns the rendered provisions and table of contents of
// one page of v.
func (s *snapshot) docFragments(v *library.Version, page int, pages []docPage, byID map[string]*library.Provision) (template.HTML, template.HTML) {
	key := fragmentKey{v.ID, page}
	if f, ok := s.fragments.get(key); ok {
		return f.body, f.toc
	}
	var f docFragment
	if page >= 1 && page <= len(pages) {
		f.body = renderBlocks(buildBlocks(pages[page-1].Provisions, byID, articleChildren(v, byID)))
	}
	var toc []tocEntry
	for i, pg := range pages {
		for _, p := range pg.Provisions {
			if inTOC(p) && !insideArticle(p, byID) {
				toc = append(toc, tocEntry{P: p, Page: i + 1})
			}
		}
	}
	f.toc = renderTOC(toc, page)
	s.fragments.put(key, f, int64(len(f.body)+len(f.toc)))
	return f.body, f.toc
}

// buildSnapshot builds a snapshot; resultBudget bounds its search result
// cache in bytes (0: no cache).
func buildSnapshot(versions []*library.Version, newAnswerer AnswererFunc, resultBudget int64) (*snapshot, error) {
	cat := library.NewCatalog(versions)
	snap := &snapshot{cat: cat, stats: library.ComputeStats(versions), builtAt: time.Now(),
		fragments: newBoundedCache[fragmentKey, docFragment](fragmentBudget),
		layouts:   newBoundedCache[string, *docLayout](layoutBudget)}
	for _, w := range cat.Works {
		v := cat.Preferred(w.ID)
		if v == nil || !isLibraryKind(v) {
			continue
		}
		snap.works = append(snap.works, v)
	}
	sort.SliceStable(snap.works, func(i, j int) bool { return newer(snap.works[i], snap.works[j]) })
	for _, v := range snap.works {
		if len(snap.recent) == 10 {
			break
		}
		if v.Kind == library.KindRegulation && isEffective(v) && len(v.Provisions) > 0 && v.IssueDate != "" {
			snap.recent = append(snap.recent, v)
		}
	}
	snap.levelNames = workLevels(snap.works)
	longest := 0
	for _, v := range versions {
		if n := textLen(v); n > longest {
			longest, snap.maxDoc = n, v
		}
	}
	snap.index = search.NewIndex(versions)
	if resultBudget > 0 {
		snap.results = newBoundedCache[string, *search.Results](resultBudget)
	}
	snap.search = engineSearcher(snap.index, snap.results)
	if newAnswerer != nil {
		snap.answer = newAnswerer(cat, snap.index)
	}
	return snap, nil
}

// isLibraryKind reports whether the version belongs in the regulation
// library (as opposed to news items and study notes).
func isLibraryKind(v *library.Version) bool {
	return v.Kind == library.KindRegulation || v.Kind == library.KindCatalogue
}

func isEffective(v *library.Version) bool {
	switch v.Status {
	case library.StatusDraft, library.StatusBill, library.StatusRepealed, library.StatusSuperseded:
		return false
	}
	return true
}

func newer(a, b *library.Version) bool {
	da, db := a.IssueDate, b.IssueDate
	if da == "" {
		da = a.EffectiveDate
	}
	if db == "" {
		db = b.EffectiveDate
	}
	if da != db {
		return da > db
	}
	return a.Seq < b.Seq
}

func textLen(v *library.Version) int {
	n := 0
	for _, p := range v.Provisions {
		n += len(p.Text)
	}
	return n
}

// facetDims are the browse dimensions in display order.
var facetDims = []struct {
	Key, Name string
	Values    func(v *library.Version) []string
}{
	{"level", "效力级别", func(v *library.Version) []string { return one(v.Level) }},
	{"region", "地域", func(v *library.Version) []string { return one(v.Region) }},
	{"sector", "行业", func(v *library.Version) []string { return one(v.Sector) }},
	{"tag", "主题", func(v *library.Version) []string { return v.TopicTags() }},
	{"status", "时效性", func(v *library.Version) []string { return one(statusOrUnknown(v)) }},
}

func one(s string) []string {
	if s == "" {
		return []string{"未知"}
	}
	return []string{s}
}

func statusOrUnknown(v *library.Version) string {
	if v.Kind == library.KindCatalogue || v.HasFlag(library.FlagNoText) {
		if v.Status == "" {
			return "全文未收录"
		}
	}
	return v.Status
}

// Facet is one dimension with its values and counts.
type Facet struct {
	Key    string       `json:"key"`
	Name   string       `json:"name"`
	Values []FacetValue `json:"values"`
}

// FacetValue is one value of a facet.
type FacetValue struct {
	Value    string `json:"value"`
	Count    int    `json:"count"`
	Selected bool   `json:"selected,omitempty"`
	URL      string `json:"-"`
}

// provinceOrder puts 全国 first, then provinces in the conventional order.
var provinceOrder = func() map[string]int {
	names := []string{"全国", "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
		"福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西",
		"甘肃", "青海", "宁夏", "新疆", "香港", "澳门", "台湾"}
	m := map[string]int{}
	for i, n := range names {
		m[n] = i
	}
	return m
}()

// sortFacetValues orders values by count (regions in conventional order),
// 未知 last.
func sortFacetValues(key string, vals []FacetValue) {
	sort.SliceStable(vals, func(i, j int) bool {
		a, b := vals[i], vals[j]
		if (a.Value == "未知") != (b.Value == "未知") {
			return b.Value == "未知"
		}
		if key == "region" {
			ra, oka := provinceOrder[a.Value]
			rb, okb := provinceOrder[b.Value]
			if oka && okb {
				return ra < rb
			}
			if oka != okb {
				return oka
			}
		}
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return strings.Compare(a.Value, b.Value) < 0
	})
}
