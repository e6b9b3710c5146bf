package workspace

import (
	"net/http"
	"time"
)

type historyRow struct {
	item
	At time.Time
}

func (m *module) history(w http.ResponseWriter, r *http.Request) {
	visits, err := m.ws.History(r.Context(), uid(r), 0)
	if err != nil {
		m.fail(w, r, err)
		return
	}
	rows := make([]historyRow, 0, len(visits))
	for _, v := range visits {
		rows = append(rows, historyRow{item: m.item(v.ItemID), At: v.ViewedAt})
	}
	m.render(w, r, http.StatusOK, "history", "阅读历史 · 工作台", "history", rows)
}

func (m *module) clearHistory(w http.ResponseWriter, r *http.Request) {
	if err := m.ws.ClearHistory(r.Context(), uid(r)); err != nil {
		m.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/me/history?done=cleared", http.StatusSeeOther)
}
