package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"datalex/internal/export"
	"datalex/internal/library"
	"datalex/internal/search"
)

// The provision page (/p/{id}) is the stable, shareable address of one
// provision: its text, 时效性 and source, the citation ready to copy, and
// 法条联想 — the provisions that cite it, those it cites, and related
// provisions of other documents found by searching with its own text.

type provRef struct {
	Citation string `json:"citation"`
	Document string `json:"document,omitempty"`
	URL      string `json:"url,omitempty"`
	Status   string `json:"status,omitempty"`
	Note     string `json:"note,omitempty"` // e.g. 库内未收录
}

type provisionData struct {
	V         *library.Version
	P         *library.Provision
	Citation  string
	Lines     []string
	Status    string
	Reason    string
	Source    string
	ShareURL  string // absolute /p/ link
	InDoc     string // the provision inside its document
	CopyText  string // citation, text and link, ready to paste
	Parent    *provRef
	Prev      *provRef
	Next      *provRef
	CitedBy   []provRef
	Cites     []provRef
	Related   []provRef
	Old       bool
	Preferred *library.Version
}

func (s *Server) provisionPage(w http.ResponseWriter, r *http.Request) {
	d, ok := s.provisionData(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "provision", &view{Title: d.Citation, Active: "library", D: d})
}

// apiProvision is /api/v1/provisions/{id}: the provision page as JSON.
func (s *Server) apiProvision(w http.ResponseWriter, r *http.Request) {
	d, ok := s.provisionData(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"provision_id": d.P.ID, "version_id": d.V.ID, "work_id": d.V.WorkID, "document": d.V.Title,
		"citation": d.Citation, "label": d.P.Label, "path": d.P.Path, "text": d.P.Text,
		"status": d.Status, "status_reason": d.Reason, "source": d.Source, "url": d.ShareURL,
		"cited_by": orEmpty(d.CitedBy), "cites": orEmpty(d.Cites), "related": orEmpty(d.Related),
	})
}

func orEmpty(refs []provRef) []provRef {
	if refs == nil {
		return []provRef{}
	}
	return refs
}

func (s *Server) provisionData(w http.ResponseWriter, r *http.Request) (provisionData, bool) {
	snap := s.library()
	v, p := snap.cat.Provision(r.PathValue("id"))
	if p == nil {
		s.fail(w, r, http.StatusNotFound, "未找到该条文，它可能已被撤下。")
		return provisionData{}, false
	}
	d := provisionData{V: v, P: p, Citation: export.Citation(v, p), Status: export.StatusText(v), Reason: v.ValidityReason,
		Source: export.SourceText(v), ShareURL: absURL(r, "/p/"+url.PathEscape(p.ID)), InDoc: snap.provisionURL(v, p),
		Old:       !v.InForce() || v.Status == library.StatusRepealed || v.Status == library.StatusSuperseded,
		Preferred: snap.cat.Preferred(v.WorkID)}
	for _, l := range strings.Split(p.Text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			d.Lines = append(d.Lines, l)
		}
	}
	body := strings.TrimSpace(strings.TrimPrefix(strings.Join(d.Lines, ""), p.Label))
	d.CopyText = d.Citation + "：" + body + "（" + v.Title + "，时效性：" + d.Status + "；" + d.ShareURL + "）"
	byID := snap.layout(v).byID
	if parent := byID[p.ParentID]; parent != nil && parent.Kind == library.ProvArticle {
		d.Parent = &provRef{Citation: export.Citation(v, parent), URL: "/p/" + url.PathEscape(parent.ID)}
	}
	d.Prev, d.Next = neighbours(v, p, byID)
	article := p
	if d.Parent != nil {
		article = byID[p.ParentID]
	}
	d.CitedBy = append(internalCiting(v, article, byID), citingProvisions(snap.cat, v, article)...)
	d.Cites = append(internalCited(v, article, byID), citedProvisions(snap.cat, v, article, byID)...)
	d.Related = relatedProvisions(r, snap, v, article)
	return d, true
}

// neighbours are the previous and next provisions at the same level of
// the reading order (articles, or outline items), skipping headings.
func neighbours(v *library.Version, p *library.Provision, byID map[string]*library.Provision) (prev, next *provRef) {
	var list []*library.Provision
	for _, q := range v.Provisions {
		if q.Kind == p.Kind && !export.IsHeading(q.Kind) && (insideArticle(q, byID) == insideArticle(p, byID)) {
			list = append(list, q)
		}
	}
	for i, q := range list {
		if q.ID != p.ID {
			continue
		}
		if i > 0 {
			prev = &provRef{Citation: export.Citation(v, list[i-1]), URL: "/p/" + url.PathEscape(list[i-1].ID)}
		}
		if i+1 < len(list) {
			next = &provRef{Citation: export.Citation(v, list[i+1]), URL: "/p/" + url.PathEscape(list[i+1].ID)}
		}
	}
	return prev, next
}

// citingProvisions lists provisions of other documents whose 《…》第X条
// mention names this article of this work (or, for a provision without
// a label, the work itself is not enough: nothing is listed).
func citingProvisions(cat *library.Catalog, v *library.Version, article *library.Provision) []provRef {
	if article.Label == "" {
		return nil
	}
	n := library.ArticleNumber(article.Label)
	if n == 0 {
		return nil
	}
	var out []provRef
	seen := map[string]bool{}
	for _, from := range cat.CitedBy(v.WorkID) {
		for _, c := range from.Citations {
			// 第二十一条 and 第21条 name the same article.
			if c.WorkID != v.WorkID || library.ArticleNumber(c.Article) != n || c.ProvisionID == "" || seen[c.ProvisionID] {
				continue
			}
			fv, fp := cat.Provision(c.ProvisionID)
			if fp == nil {
				continue
			}
			seen[c.ProvisionID] = true
			out = append(out, provRef{Citation: export.Citation(fv, fp), Document: fv.Title, URL: "/p/" + url.PathEscape(fp.ID),
				Status: fv.ValidityOrStatus()})
			if len(out) == 50 {
				return out
			}
		}
	}
	return out
}

// citedProvisions lists what the article mentions: the cited provision of
// the cited work's current version when the library holds it, else the
// work, else the title alone.
func citedProvisions(cat *library.Catalog, v *library.Version, article *library.Provision, byID map[string]*library.Provision) []provRef {
	inArticle := func(id string) bool {
		for q, depth := byID[id], 0; q != nil && depth < 32; q, depth = byID[q.ParentID], depth+1 {
			if q.ID == article.ID {
				return true
			}
		}
		return false
	}
	var out []provRef
	seen := map[string]bool{}
	for _, c := range v.Citations {
		if !inArticle(c.ProvisionID) || seen[c.CitedTitle+c.Article] {
			continue
		}
		seen[c.CitedTitle+c.Article] = true
		ref := provRef{Citation: "《" + c.CitedTitle + "》" + c.Article, Document: c.CitedTitle}
		if c.WorkID != "" {
			if tv := cat.Preferred(c.WorkID); tv != nil {
				ref.URL, ref.Status = "/documents/"+url.PathEscape(tv.ID), tv.ValidityOrStatus()
				if q := articleByLabel(tv, c.Article); q != nil {
					ref.URL, ref.Citation = "/p/"+url.PathEscape(q.ID), export.Citation(tv, q)
				}
			}
		} else {
			ref.Note = "库内未收录"
		}
		out = append(out, ref)
	}
	return out
}

// relatedProvisions searches with the article's own text and keeps the
// best provisions of other works: neighbours by content, whatever their
// wording of the citation.
func relatedProvisions(r *http.Request, snap *snapshot, v *library.Version, article *library.Provision) []provRef {
	if snap.index == nil {
		return nil
	}
	text := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(article.Text), article.Label))
	if rs := []rune(text); len(rs) > 120 {
		text = string(rs[:120])
	}
	text = strings.NewReplacer(`"`, " ", "-", " ", ":", " ", "：", " ").Replace(text)
	q, err := search.ParseRequest(url.Values{"q": {text}, "k": {strconv.Itoa(30)}})
	if err != nil {
		return nil
	}
	q.HitsOnly = true
	res, err := snap.index.Search(r.Context(), q)
	if err != nil {
		return nil
	}
	var out []provRef
	perDoc := map[string]int{}
	for _, h := range res.Hits {
		if h.WorkID == v.WorkID || h.DocKind == library.KindNews || h.DocKind == library.KindNote || perDoc[h.WorkID] == 2 {
			continue // at most two from one work, so several documents show
		}
		perDoc[h.WorkID]++
		hv, hp := snap.cat.Provision(h.ProvisionID)
		if hp == nil {
			continue
		}
		out = append(out, provRef{Citation: export.Citation(hv, hp), Document: hv.Title, URL: "/p/" + url.PathEscape(hp.ID),
			Status: hv.ValidityOrStatus()})
		if len(out) == 8 {
			break
		}
	}
	return out
}

// reSelfRef finds a document's references to its own articles: 本法第四十条,
// 本办法第十二条, 本条例第三条第二款 (the 款 is dropped: the article is
// the unit that is linked).
var reSelfRef = regexp.MustCompile(`本(?:法|条例|办法|规定|细则|准则|规则|决定|指引|意见)(第[零〇一二三四五六七八九十百千两0-9]+条)`)

// articleByLabel finds an article of v by its label (第二十一条 or 第21条).
func articleByLabel(v *library.Version, label string) *library.Provision {
	n := library.ArticleNumber(label)
	if n == 0 {
		return nil
	}
	for _, q := range v.Provisions {
		if q.Kind == library.ProvArticle && library.ArticleNumber(q.Label) == n {
			return q
		}
	}
	return nil
}

// internalCited lists the articles of its own document the article refers
// to (本法第四十条).
func internalCited(v *library.Version, article *library.Provision, byID map[string]*library.Provision) []provRef {
	var out []provRef
	seen := map[int]bool{library.ArticleNumber(article.Label): true}
	for _, m := range reSelfRef.FindAllStringSubmatch(article.Text, -1) {
		n := library.ArticleNumber(m[1])
		if seen[n] {
			continue
		}
		seen[n] = true
		if q := articleByLabel(v, m[1]); q != nil {
			out = append(out, provRef{Citation: export.Citation(v, q), Document: v.Title, URL: "/p/" + url.PathEscape(q.ID),
				Status: v.ValidityOrStatus(), Note: "本文件"})
		}
	}
	return out
}

// internalCiting lists the articles of the same document that refer to
// this one (本法第X条).
func internalCiting(v *library.Version, article *library.Provision, byID map[string]*library.Provision) []provRef {
	if article.Kind != library.ProvArticle || article.Label == "" {
		return nil
	}
	var out []provRef
	for _, q := range v.Provisions {
		if q.Kind != library.ProvArticle || q.ID == article.ID {
			continue
		}
		for _, m := range reSelfRef.FindAllStringSubmatch(q.Text, -1) {
			if library.ArticleNumber(m[1]) == library.ArticleNumber(article.Label) {
				out = append(out, provRef{Citation: export.Citation(v, q), Document: v.Title, URL: "/p/" + url.PathEscape(q.ID),
					Status: v.ValidityOrStatus(), Note: "本文件"})
				break
			}
		}
	}
	return out
}
