package workspace

import (
	"net/http"

	"datalex/internal/workspace"
)

type searchesData struct {
	Searches []*workspace.SavedSearch
	Max      int
}

func (m *module) searches(w http.ResponseWriter, r *http.Request) {
	list, err := m.ws.Searches(r.Context(), uid(r))
	if err != nil {
		m.fail(w, r, err)
		return
	}
	m.render(w, r, http.StatusOK, "searches", "检索订阅 · 工作台", "searches", searchesData{Searches: list, Max: workspace.MaxSearches})
}

// saveSearch saves the query and filters the search page posts; what
// they match now is the baseline its alerts will not report.
func (m *module) saveSearch(w http.ResponseWriter, r *http.Request) {
	vals := r.PostForm
	if _, err := workspace.SearchQuery(vals); err != nil {
		m.fail(w, r, err)
		return
	}
	baseline, err := Matcher(m.s)(r.Context(), vals)
	if err != nil {
		m.fail(w, r, err)
		return
	}
	ss, err := m.ws.SaveSearch(r.Context(), uid(r), vals.Get("name"), vals, vals.Get("email"), baseline)
	if err != nil {
		m.fail(w, r, err)
		return
	}
	http.Redirect(w, r, workspace.SearchPath(ss.ID)+"?done=saved", http.StatusSeeOther)
}

type searchData struct {
	S       *workspace.SavedSearch
	Reports []workspace.Reported
}

func (m *module) searchPage(w http.ResponseWriter, r *http.Request) {
	ss, err := m.ws.Search(r.Context(), uid(r), r.PathValue("id"))
	if err != nil {
		m.fail(w, r, err)
		return
	}
	reps, err := m.ws.Reports(r.Context(), uid(r), ss.ID, 0)
	if err != nil {
		m.fail(w, r, err)
		return
	}
	m.render(w, r, http.StatusOK, "search", ss.Name+" · 检索订阅", "searches", searchData{S: ss, Reports: reps})
}

func (m *module) editSearch(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := m.ws.UpdateSearch(r.Context(), uid(r), id, r.PostFormValue("name"), r.PostFormValue("email")); err != nil {
		m.fail(w, r, err)
		return
	}
	http.Redirect(w, r, workspace.SearchPath(id)+"?done=edited", http.StatusSeeOther)
}

// checkSearch runs one search's alert now (the periodic checker in
// `datalex serve` and `datalex alerts run` do all of them).
func (m *module) checkSearch(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	al, err := m.alerts.RunOne(r.Context(), Matcher(m.s), uid(r), id)
	if err != nil {
		m.fail(w, r, err)
		return
	}
	done := "checked"
	if !al.Empty() {
		done = "found"
	}
	http.Redirect(w, r, workspace.SearchPath(id)+"?done="+done, http.StatusSeeOther)
}

func (m *module) deleteSearch(w http.ResponseWriter, r *http.Request) {
	if err := m.ws.DeleteSearch(r.Context(), uid(r), r.PathValue("id")); err != nil {
		m.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/me/searches?done=unsubbed", http.StatusSeeOther)
}
