package web

import (
	"net/http"

	"datalex/internal/library"
	"datalex/internal/versiondiff"
)

// apiDiff is the 新旧对照 as JSON: GET /api/v1/documents/{id}/diff?a=&b=
// compares two versions of the work (default: the version before {id}, or
// the work's last two versions), provisions paired by content.
func (s *Server) apiDiff(w http.ResponseWriter, r *http.Request) {
	snap := s.library()
	v := snap.cat.Resolve(r.PathValue("id"))
	if v == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "未找到该文档"})
		return
	}
	work := snap.cat.Work(v.WorkID)
	if work == nil || len(work.Versions) < 2 {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "该作品只有一个版本，无可对照"})
		return
	}
	a, b := defaultPair(work, v, snap.cat.Work(r.PathValue("id")) != nil)
	q := r.URL.Query()
	for _, p := range []struct {
		key string
		dst **library.Version
	}{{"a", &a}, {"b", &b}} {
		if id := q.Get(p.key); id != "" {
			x := snap.cat.Version(id)
			if x == nil || x.WorkID != work.ID {
				writeJSON(w, http.StatusBadRequest, map[string]string{"error": "参数 " + p.key + " 不是该作品的版本"})
				return
			}
			*p.dst = x
		}
	}
	rows, st := versiondiff.Compare(a, b)
	writeJSON(w, http.StatusOK, struct {
		Work  string                `json:"work_id"`
		Old   apiVersionRef         `json:"old"`
		New   apiVersionRef         `json:"new"`
		Stats versiondiff.Stats     `json:"stats"`
		Rows  []versiondiff.JSONRow `json:"rows"`
	}{work.ID, ref(a), ref(b), st, versiondiff.JSON(rows)})
}

// defaultPair picks the versions to compare: v and the version before it
// (or after it, when v is the first); for a work id, its last two.
func defaultPair(work *library.Work, v *library.Version, isWork bool) (*library.Version, *library.Version) {
	vs := work.Versions
	if isWork {
		return vs[len(vs)-2], vs[len(vs)-1]
	}
	for i, o := range vs {
		if o == v {
			if i == 0 {
				return vs[0], vs[1]
			}
			return vs[i-1], v
		}
	}
	return vs[len(vs)-2], vs[len(vs)-1]
}
