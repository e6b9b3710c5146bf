package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"datalex/internal/library"
)

// module is an entry point on the home page.
type module struct {
	Key, Name, Desc, URL string
	Soon                 bool
}

func (s *Server) modules() []module {
	mods := []module{
		{"search", "合规查询", "法规、标准与政策全文检索，精确到条", "/search", false},
		{"ask", "智能问答", "用自然语言提问，答案逐句注明出处", "/ask", false},
		{"ruzhang", "入表指南", "数据资源入表的判断、计量与披露", "", true},
		{"news", "头条", "数据要素政策与行业动态", "", true},
		{"events", "盛会", "行业会议与活动", "", true},
		{"community", "对话", "与同行交流实务问题", "", true},
	}
	for i := range mods {
		if u := s.cfg.Modules[mods[i].Key]; u != "" {
			mods[i].URL, mods[i].Soon = u, false
		} else if mods[i].Soon {
			mods[i].URL = "/soon/" + mods[i].Key
		}
	}
	return mods
}

type homeData struct {
	Modules   []module
	Recent    []*library.Version
	Stats     library.Stats
	Works     int
	Levels    []FacetValue
	Regions   int
	Catalogue int
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	snap := s.library()
	d := homeData{Modules: s.modules(), Recent: snap.recent, Stats: snap.stats, Works: len(snap.works)}
	for _, f := range countFacets(snap.works, nil) {
		switch f.Key {
		case "level":
			d.Levels = f.Values
			if len(d.Levels) > 8 {
				d.Levels = d.Levels[:8]
			}
		case "region":
			d.Regions = len(f.Values)
		}
	}
	for _, v := range snap.works {
		if v.Kind == library.KindCatalogue {
			d.Catalogue++
		}
	}
	s.render(w, r, http.StatusOK, "home", &view{Title: "首页", Active: "home", D: d})
}

type browseData struct {
	Facets   []Facet
	Items    []*library.Version
	Total    int
	Page     int
	Pages    int
	Query    url.Values
	Filtered bool
	// FacetList is the rendered facet boxes (renderFacets).
	FacetList template.HTML
}

func (s *Server) browse(w http.ResponseWriter, r *http.Request) {
	snap := s.library()
	req := ParseSearchRequest(r.URL.Query())
	var items []*library.Version
	for _, v := range snap.works {
		if matchesFilters(v, req.Filters, "") {
			items = append(items, v)
		}
	}
	const per = 30
	d := browseData{Facets: countFacets(snap.works, req.Filters), Total: len(items), Page: req.Page, Query: r.URL.Query(),
		Filtered: len(req.Filters) > 0}
	setFacetURLs(d.Query, d.Facets)
	d.FacetList = renderFacets(d.Facets)
	d.Pages = (len(items) + per - 1) / per
	start := (req.Page - 1) * per
	if start < len(items) {
		d.Items = items[start:min(len(items), start+per)]
	}
	s.render(w, r, http.StatusOK, "library", &view{Title: "法规库", Active: "library", D: d})
}

// docPage is one page of a long document.
type docPage struct {
	Provisions []*library.Provision
}

type tocEntry struct {
	P    *library.Provision
	Page int
}

type docData struct {
	V          *library.Version
	Work       *library.Work
	Preferred  *library.Version
	Draft      bool
	Old        bool
	Catalogue  bool
	Incoming   []library.Incoming
	Flags      []string
	Body       template.HTML // the provisions of this page
	TOC        template.HTML
	HasTOC     bool
	Page       int
	Pages      int
	Cites      []citeLink
	CitedBy    []*library.Version
	Provenance []provRow
	Chars      int
	// DiffA and DiffB preselect the comparison: this version against the
	// latest, or the earliest against this one.
	DiffA, DiffB string
	// Related is the 头条/盛会/对话 box (RelatedForDocument).
	Related template.HTML
	// Research holds search within the document and the amendment
	// history (docfind.go).
	Research docResearch
}

type citeLink struct {
	Title   string
	Article string
	WorkID  string
	ProvID  string
}

type provRow struct {
	Field string
	library.Provenance
}

var fieldNames = map[string]string{
	"title": "标题", "doc_number": "文号", "issuers": "发布机关", "issue_date": "发布日期", "effective_date": "施行日期",
	"status": "时效性", "level": "效力级别", "region": "地域", "sector": "行业", "part": "来源部分", "subsection": "来源子部分",
	"tags": "主题", "aliases": "简称", "city": "城市",
}

func (s *Server) document(w http.ResponseWriter, r *http.Request) {
	snap := s.library()
	v := snap.cat.Resolve(r.PathValue("id"))
	if v == nil {
		s.fail(w, r, http.StatusNotFound, "未找到该文档，它可能已被撤下。")
		return
	}
	d := docData{V: v, Work: snap.cat.Work(v.WorkID), Preferred: snap.cat.Preferred(v.WorkID)}
	d.Draft = v.Status == library.StatusDraft || v.Status == library.StatusBill || v.Nature == library.NatureComment || v.Nature == library.NatureBill
	d.Old = v.Status == library.StatusRepealed || v.Status == library.StatusSuperseded || !v.InForce()
	d.Incoming = snap.cat.RelatedBy(v.WorkID)
	d.Catalogue = v.Kind == library.KindCatalogue || v.HasFlag(library.FlagNoText) || len(v.Provisions) == 0
	for _, f := range v.Flags {
		if f != library.FlagNoText {
			d.Flags = append(d.Flags, f)
		}
	}
	lay := snap.layout(v)
	byID, pages := lay.byID, lay.pages
	d.Pages = len(pages)
	d.Page, _ = strconv.Atoi(r.URL.Query().Get("page"))
	if d.Page < 1 || d.Page > d.Pages {
		d.Page = 1
	}
	d.Body, d.TOC = snap.docFragments(v, d.Page, pages, byID)
	d.Research = researchFor(r, snap, v, pages, d.Page, byID)
	if d.Research.Body != "" {
		d.Body = d.Research.Body
	}
	d.HasTOC = d.TOC != ""
	seen := map[string]bool{}
	for _, c := range v.Citations {
		k := c.CitedTitle + "|" + c.Article
		if seen[k] {
			continue
		}
		seen[k] = true
		d.Cites = append(d.Cites, citeLink{Title: c.CitedTitle, Article: c.Article, WorkID: c.WorkID, ProvID: c.ProvisionID})
	}
	d.CitedBy = snap.cat.CitedBy(v.WorkID)
	for _, f := range []string{"title", "doc_number", "issuers", "issue_date", "effective_date", "status", "level", "region", "city",
		"sector", "part", "subsection", "tags", "aliases"} {
		if p, ok := v.Provenance[f]; ok {
			d.Provenance = append(d.Provenance, provRow{Field: fieldNames[f], Provenance: p})
		}
	}
	d.Chars = lay.chars
	if vs := d.Work.Versions; len(vs) > 1 {
		d.DiffA, d.DiffB = vs[0].ID, v.ID
		if vs[0] == v {
			d.DiffB = vs[len(vs)-1].ID
		}
	}
	d.Related = s.RelatedForDocument(r, v)
	s.viewed(r, v.ID)
	s.render(w, r, http.StatusOK, "document", &view{Title: v.Title, Active: "library", D: d})
}

// inTOC reports whether a provision is listed in the table of contents:
// structural headings and articles, not 款 and 项.
func inTOC(p *library.Provision) bool {
	switch p.Kind {
	case library.ProvPart, library.ProvChapter, library.ProvSection, library.ProvArticle, library.ProvAnnex:
		return true
	case library.ProvOutline, library.ProvClause:
		return p.Depth <= 1
	}
	return false
}

// Page limits for long documents: a page ends at the next top-level
// provision once it holds softProvs provisions or softChars bytes, and at
// the next article-level provision past the hard limits, so a 170,000
// character document arrives in pieces a browser lays out instantly.
const (
	softProvs = 150
	softChars = 45_000
	hardProvs = 250
	hardChars = 90_000
)

func paginate(ps []*library.Provision, byID map[string]*library.Provision) []docPage {
	var pages []docPage
	var cur []*library.Provision
	chars := 0
	for _, p := range ps {
		if insideArticle(p, byID) {
			cur = append(cur, p) // rendered inside its article: never split from it
			continue
		}
		if len(cur) > 0 {
			soft := len(cur) >= softProvs || chars >= softChars
			hard := len(cur) >= hardProvs || chars >= hardChars
			if soft && p.ParentID == "" || hard && p.Kind != library.ProvParagraph && p.Kind != library.ProvItem {
				pages = append(pages, docPage{cur})
				cur, chars = nil, 0
			}
		}
		cur = append(cur, p)
		chars += len(p.Text)
	}
	if len(cur) > 0 {
		pages = append(pages, docPage{cur})
	}
	return pages
}

// provisionRedirect sends /provisions/{id} to the page and anchor holding it.
func (s *Server) provisionRedirect(w http.ResponseWriter, r *http.Request) {
	snap := s.library()
	v, p := snap.cat.Provision(r.PathValue("id"))
	if p == nil {
		s.fail(w, r, http.StatusNotFound, "未找到该条文。")
		return
	}
	s.viewed(r, p.ID)
	http.Redirect(w, r, snap.provisionURL(v, p), http.StatusSeeOther)
}

type diffData struct {
	Work  *library.Work
	A, B  *library.Version
	Rows  []diffRow
	Stats diffStats
}

func (s *Server) diffPage(w http.ResponseWriter, r *http.Request) {
	snap := s.library()
	v := snap.cat.Resolve(r.PathValue("id"))
	if v == nil {
		s.fail(w, r, http.StatusNotFound, "未找到该文档。")
		return
	}
	work := snap.cat.Work(v.WorkID)
	pick := func(id string, def *library.Version) *library.Version {
		if x := snap.cat.Version(id); x != nil && x.WorkID == work.ID {
			return x
		}
		return def
	}
	a := pick(r.URL.Query().Get("a"), work.Versions[0])
	b := pick(r.URL.Query().Get("b"), work.Versions[len(work.Versions)-1])
	rows, st := diffVersions(a, b)
	s.render(w, r, http.StatusOK, "diff", &view{Title: "新旧对照 · " + work.Title, Active: "library",
		D: diffData{Work: work, A: a, B: b, Rows: rows, Stats: st}})
}

func (s *Server) soon(w http.ResponseWriter, r *http.Request) {
	name := ""
	for _, m := range s.modules() {
		if m.Key == r.PathValue("module") {
			name = m.Name
		}
	}
	if name == "" {
		s.fail(w, r, http.StatusNotFound, "页面不存在。")
		return
	}
	s.render(w, r, http.StatusOK, "soon", &view{Title: name, D: name})
}

// textChars counts the characters of a version's text, each 款 and 项
// once.
func textChars(v *library.Version, byID map[string]*library.Provision) int {
	n := 0
	for _, p := range v.Provisions {
		if !insideArticle(p, byID) {
			n += utf8.RuneCountInString(p.Text)
		}
	}
	return n
}

// trimTitle shortens long titles for lists.
func trimTitle(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return strings.TrimSpace(string(rs[:n])) + "…"
}
