package workspace

import (
	"net/http"
	"net/url"
	"strconv"

	"datalex/internal/web"
	"datalex/internal/workspace"
)

// favRow is one favourite with its library item.
type favRow struct {
	workspace.Favorite
	item
	Folder string // its folder's name ("" = unfiled)
}

type favoritesData struct {
	Folders []workspace.Folder
	Current string // folder id, "" = unfiled, "*" = all
	Folder  *workspace.Folder
	Name    string // what is shown
	Rows    []favRow
	Count   int // favourites in what is shown (all pages)
	Total   int
	Max     int
	Page    int // 1-based; the print view has every item on one page
	Pages   int
	Query   string // the folder parameter for links
}

// perPage bounds the favourites rendered at once (5,000 are allowed).
const perPage = 100

func (m *module) favoritesData(r *http.Request, paged bool) (*favoritesData, error) {
	ctx, user := r.Context(), uid(r)
	d := &favoritesData{Current: workspace.AllFolders, Name: "全部收藏", Max: workspace.MaxFavorites, Page: 1, Pages: 1}
	f := r.URL.Query().Get("folder")
	d.Query = f
	switch f {
	case "", workspace.AllFolders:
	case "unfiled":
		d.Current, d.Name = "", "未分类"
	default:
		folder, err := m.ws.Folder(ctx, user, f)
		if err != nil {
			return nil, err
		}
		d.Current, d.Folder, d.Name = folder.ID, folder, folder.Name
	}
	var err error
	if d.Folders, err = m.ws.Folders(ctx, user); err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, f := range d.Folders {
		names[f.ID] = f.Name
	}
	favs, err := m.ws.Favorites(ctx, user, d.Current)
	if err != nil {
		return nil, err
	}
	d.Count = len(favs)
	if paged && len(favs) > perPage {
		d.Pages = (len(favs) + perPage - 1) / perPage
		d.Page, _ = strconv.Atoi(r.URL.Query().Get("page"))
		d.Page = min(max(d.Page, 1), d.Pages)
		favs = favs[(d.Page-1)*perPage : min(d.Page*perPage, len(favs))]
	}
	for _, f := range favs {
		d.Rows = append(d.Rows, favRow{Favorite: f, item: m.item(f.ItemID), Folder: names[f.FolderID]})
	}
	d.Total, err = m.ws.CountFavorites(ctx, user)
	return d, err
}

func (m *module) favorites(w http.ResponseWriter, r *http.Request) {
	d, err := m.favoritesData(r, true)
	if err != nil {
		m.fail(w, r, err)
		return
	}
	m.render(w, r, http.StatusOK, "favorites", "收藏夹 · 工作台", "favorites", d)
}

// print is the folder as a printable list: each item with its citation,
// status, source and text, and the member's note.
func (m *module) print(w http.ResponseWriter, r *http.Request) {
	d, err := m.favoritesData(r, false)
	if err != nil {
		m.fail(w, r, err)
		return
	}
	m.render(w, r, http.StatusOK, "print", d.Name+" · 收藏清单", "favorites", d)
}

type addData struct {
	item
	Folders []workspace.Folder
	Starred bool
	Back    string
}

// addForm is the page behind a ☆ link (a provision on a document page):
// choose a folder and write a note, without JavaScript.
func (m *module) addForm(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("item")
	it := m.item(id)
	if it.Missing {
		m.s.Fail(w, r, http.StatusNotFound, "未找到要收藏的条目。")
		return
	}
	d := addData{item: it, Back: localPath(r.URL.Query().Get("back"), it.URL)}
	var err error
	if d.Folders, err = m.ws.Folders(r.Context(), uid(r)); err == nil {
		d.Starred, err = m.ws.IsFavorite(r.Context(), uid(r), id)
	}
	if err != nil {
		m.fail(w, r, err)
		return
	}
	m.render(w, r, http.StatusOK, "add", "收藏 · "+it.Title, "favorites", d)
}

func (m *module) add(w http.ResponseWriter, r *http.Request) {
	id := r.PostFormValue("item")
	it := m.item(id)
	if it.Missing {
		m.s.Fail(w, r, http.StatusNotFound, "未找到要收藏的条目。")
		return
	}
	back := localPath(r.PostFormValue("back"), "/me/favorites")
	if _, chose := r.PostForm["folder"]; !chose {
		// A one-click ☆ (search results, document page): star it unless
		// it is starred already (never unfile it), then show it with a
		// folder choice, a note and the way back.
		starred, err := m.ws.IsFavorite(r.Context(), uid(r), id)
		if err == nil && !starred {
			err = m.ws.AddFavorite(r.Context(), uid(r), id, "", "")
		}
		if err != nil {
			m.fail(w, r, err)
			return
		}
		q := url.Values{"item": {id}, "back": {back}}
		if !starred {
			q.Set("done", "added")
		}
		http.Redirect(w, r, "/me/favorites/add?"+q.Encode(), http.StatusSeeOther)
		return
	}
	if err := m.ws.AddFavorite(r.Context(), uid(r), id, r.PostFormValue("folder"), r.PostFormValue("note")); err != nil {
		m.fail(w, r, err)
		return
	}
	http.Redirect(w, r, withDone(back, "added"), http.StatusSeeOther)
}

// legacySave keeps POST /saved (item, remove) working: the earlier
// bookmark form and scripts (bench/loadtest) that send it with the
// X-CSRF-Token header and expect JSON.
func (m *module) legacySave(w http.ResponseWriter, r *http.Request) {
	id := r.PostFormValue("item")
	var err error
	if r.PostFormValue("remove") != "" {
		if err = m.ws.RemoveFavorite(r.Context(), uid(r), id); err == workspace.ErrNotFound {
			err = nil
		}
	} else if m.item(id).Missing {
		err = workspace.ErrNotFound
	} else {
		err = m.ws.AddFavorite(r.Context(), uid(r), id, "", "")
	}
	if err != nil {
		m.fail(w, r, err)
		return
	}
	if r.Header.Get("X-CSRF-Token") != "" {
		web.WriteJSON(w, http.StatusOK, map[string]bool{"ok": true})
		return
	}
	http.Redirect(w, r, "/me/favorites", http.StatusSeeOther)
}

func (m *module) update(w http.ResponseWriter, r *http.Request) {
	if err := m.ws.UpdateFavorite(r.Context(), uid(r), r.PostFormValue("item"), r.PostFormValue("folder"), r.PostFormValue("note")); err != nil {
		m.fail(w, r, err)
		return
	}
	http.Redirect(w, r, withDone(localPath(r.PostFormValue("back"), "/me/favorites"), "updated"), http.StatusSeeOther)
}

func (m *module) remove(w http.ResponseWriter, r *http.Request) {
	if err := m.ws.RemoveFavorite(r.Context(), uid(r), r.PostFormValue("item")); err != nil {
		m.fail(w, r, err)
		return
	}
	http.Redirect(w, r, withDone(localPath(r.PostFormValue("back"), "/me/favorites"), "removed"), http.StatusSeeOther)
}

func folderPath(id string) string { return "/me/favorites?folder=" + url.QueryEscape(id) }

func (m *module) createFolder(w http.ResponseWriter, r *http.Request) {
	f, err := m.ws.CreateFolder(r.Context(), uid(r), r.PostFormValue("name"))
	if err != nil {
		m.fail(w, r, err)
		return
	}
	http.Redirect(w, r, withDone(folderPath(f.ID), "folder"), http.StatusSeeOther)
}

func (m *module) renameFolder(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := m.ws.RenameFolder(r.Context(), uid(r), id, r.PostFormValue("name")); err != nil {
		m.fail(w, r, err)
		return
	}
	http.Redirect(w, r, withDone(folderPath(id), "renamed"), http.StatusSeeOther)
}

func (m *module) deleteFolder(w http.ResponseWriter, r *http.Request) {
	if err := m.ws.DeleteFolder(r.Context(), uid(r), r.PathValue("id")); err != nil {
		m.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/me/favorites?folder=unfiled&done=deleted", http.StatusSeeOther)
}
