package main

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"datalex/internal/account"
	"datalex/internal/library"
	"datalex/internal/store"
	"datalex/internal/workspace"
)

func alertDoc(id, title, text string) *library.Work {
	v := &library.Version{ID: id, WorkID: "w" + id, Kind: library.KindRegulation, Title: title, Status: library.StatusInForce,
		Level: library.LevelDeptRules, Region: "全国", IssueDate: "2024-01-01", Seq: 100}
	p := &library.Provision{ID: id + ".a1", Kind: library.ProvArticle, Label: "第一条", Text: "第一条 " + text, Line: 1, LineEnd: 1, Path: "第一条"}
	p.Citation = library.CitationFor(title, "第一条")
	v.Provisions = []*library.Provision{p}
	return &library.Work{ID: v.WorkID, Title: title, Versions: []*library.Version{v}}
}

// TestAlertsRun: `datalex alerts run` reports a document imported after a
// search was saved, once, as an in-app notification.
func TestAlertsRun(t *testing.T) {
	ctx := context.Background()
	if err := runAlerts(ctx, nil); err == nil || !strings.Contains(err.Error(), "用法") {
		t.Errorf("no subcommand: %v", err)
	}
	dir := t.TempDir()
	if err := runAlerts(ctx, []string{"run", "--data", dir, "--smtp-addr", "127.0.0.1:25"}); err == nil || !strings.Contains(err.Error(), "--smtp-from") {
		t.Errorf("smtp without sender: %v", err)
	}
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SaveImport(ctx, nil, []*library.Work{alertDoc("vold", "数据出境安全评估办法", "数据出境安全评估的申报。")}); err != nil {
		t.Fatal(err)
	}
	u, err := account.New(st.DB()).Create(ctx, "cli_lawyer", "correct horse battery", account.RoleMember)
	if err != nil {
		t.Fatal(err)
	}
	baseline := []workspace.Match{{VersionID: "vold", Title: "数据出境安全评估办法", Status: "现行有效"}}
	if _, err := workspace.New(st.DB()).SaveSearch(ctx, u.ID, "", url.Values{"q": {"数据出境"}}, "", baseline); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveImport(ctx, nil, []*library.Work{alertDoc("vnew", "促进和规范数据跨境流动规定", "免予申报数据出境安全评估的情形。")}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	for range 2 { // the second run finds nothing more
		if err := runAlerts(ctx, []string{"run", "--data", dir, "--json"}); err != nil {
			t.Fatal(err)
		}
	}
	st, err = store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var n int
	var msg string
	if err := st.DB().QueryRow(`SELECT COUNT(*), MAX(message) FROM notifications WHERE user_id = ? AND kind = 'alert'`, u.ID).Scan(&n, &msg); err != nil {
		t.Fatal(err)
	}
	if n != 1 || !strings.Contains(msg, "1 件新文件") {
		t.Errorf("notifications: %d %q", n, msg)
	}
}
