package web

import (
	_ "embed"
	"net/http"

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
	if req.Query == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "缺少查询参数 q"})
		return
	}
	res, err := s.library().search(r.Context(), req)
	if isQueryError(err) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	if err != nil {
		s.log.Error("检索失败", "q", req.Query, "err", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "检索失败"})
		return
	}
	if res.JSON != nil {
		writeJSON(w, http.StatusOK, res.JSON)
		return
	}
	writeJSON(w, http.StatusOK, res)
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
