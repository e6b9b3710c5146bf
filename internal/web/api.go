package web

import (
	_ "embed"
	"encoding/json"
	"net/http"

	"datalex/internal/answer"
	"datalex/internal/library"
	"datalex/internal/validity"
)

//go:embed openapi.json
var openAPIDoc []byte

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(openAPIDoc)
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) {
	req := ParseSearchRequest(r.URL.Query())
	req.Compact = r.URL.Query().Get("full") != "1"
	if !req.hasCriteria() {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "缺少查询参数 q（或 title、docno、org、from、to、level、status 等检索条件）"})
		return
	}
	snap := s.library()
	res, err := s.runSearch(r, snap, req)
	if isQueryError(err) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	if err != nil {
		s.log.Error("检索失败", "q", req.Query, "err", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "检索失败"})
		return
	}
	// A query asking what a term means carries the provisions defining it,
	// as the search page's 术语定义 panel shows them.
	var defs apiDefinitions
	if snap.answer != nil && req.Page <= 1 && req.Query != "" {
		term, cs := snap.answer.Definitions(req.Query, maxDefinitions)
		if len(cs) > 0 {
			defs = apiDefinitions{Term: term, Definitions: cs}
		}
	}
	if res.JSON == nil {
		res.Term, res.Definitions = defs.Term, defs.Definitions
		writeJSON(w, http.StatusOK, res)
		return
	}
	if defs.Term == "" {
		writeJSON(w, http.StatusOK, res.JSON)
		return
	}
	// The engine's own object gains the two fields: it is re-read as a
	// map so its fields stay as they are.
	obj := map[string]json.RawMessage{}
	raw, err := json.Marshal(res.JSON)
	if err == nil {
		err = json.Unmarshal(raw, &obj)
	}
	if err != nil {
		s.log.Error("检索结果编码失败", "q", req.Query, "err", err)
		writeJSON(w, http.StatusOK, res.JSON)
		return
	}
	obj["term"], _ = json.Marshal(defs.Term)
	obj["definitions"], _ = json.Marshal(defs.Definitions)
	writeJSON(w, http.StatusOK, obj)
}

// apiDefinitions is the 术语定义 of a search: the term asked and the
// provisions defining it, each with its defining clause as quote.
type apiDefinitions struct {
	Term        string            `json:"term,omitempty"`
	Definitions []answer.Citation `json:"definitions,omitempty"`
}

// apiVersion is a version's metadata as `corpus list --json` prints it
// (status is the 时效性, with status_reason, nature, level, relations …),
// its provisions, its work's other versions and the works citing it.
type apiVersion struct {
	validity.Record
	Provenance    map[string]library.Provenance `json:"provenance,omitempty"`
	Provisions    []*library.Provision          `json:"provisions"`
	Citations     []library.Citation            `json:"citations,omitempty"`
	OtherVersions []apiVersionRef               `json:"other_versions"`
	CitedBy       []apiVersionRef               `json:"cited_by"`
}

type apiVersionRef struct {
	VersionID string `json:"version_id"`
	WorkID    string `json:"work_id"`
	Title     string `json:"title"`
	Label     string `json:"version_label,omitempty"`
	Status    string `json:"status"`
}

func ref(v *library.Version) apiVersionRef {
	return apiVersionRef{VersionID: v.ID, WorkID: v.WorkID, Title: v.Title, Label: v.VersionLabel, Status: v.Validity}
}

func (s *Server) apiDocument(w http.ResponseWriter, r *http.Request) {
	snap := s.library()
	v := snap.cat.Resolve(r.PathValue("id"))
	if v == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "未找到该文档"})
		return
	}
	out := apiVersion{Record: validity.NewRecord(v), Provenance: v.Provenance, Provisions: v.Provisions, Citations: v.Citations,
		OtherVersions: []apiVersionRef{}, CitedBy: []apiVersionRef{}}
	if out.Provisions == nil {
		out.Provisions = []*library.Provision{}
	}
	for _, o := range snap.cat.Work(v.WorkID).Versions {
		if o != v {
			out.OtherVersions = append(out.OtherVersions, ref(o))
		}
	}
	for _, c := range snap.cat.CitedBy(v.WorkID) {
		out.CitedBy = append(out.CitedBy, ref(c))
	}
	writeJSON(w, http.StatusOK, out)
}
