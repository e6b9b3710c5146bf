package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"datalex/internal/account"
	"datalex/internal/store"
	"datalex/internal/store/storetest"
	"datalex/internal/web"
	"datalex/internal/web/webtest"
)

// TestTwoNodesOnePostgres starts two serving nodes (two servers, two stores,
// each with its own library snapshot and search index) on one PostgreSQL
// database: a document imported through one is found by the other's search
// once the change notification arrives, a withdrawal on the second reaches
// the first, and a session and CSRF token from one node work on the other.
func TestTwoNodesOnePostgres(t *testing.T) {
	if storetest.Postgres() == "" {
		t.Skip(storetest.Env + " not set: the two-node test needs PostgreSQL")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	database := storetest.Database(t)
	key := []byte("one CSRF key shared by every node")
	node := func(seed bool) *webtest.Env {
		st, err := store.OpenDatabase(ctx, database, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if seed {
			webtest.SaveVersions(t, st, webtest.Versions())
		}
		versions, err := st.LoadLibrary(ctx)
		if err != nil {
			t.Fatal(err)
		}
		srv, err := web.New(web.Config{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Import: webtest.Import(st), CSRFKey: key}, versions)
		if err != nil {
			t.Fatal(err)
		}
		select {
		case <-st.ListenLibrary(ctx, srv.Reload):
		case <-time.After(10 * time.Second):
			t.Fatal("listener not ready")
		}
		ts := httptest.NewServer(srv)
		t.Cleanup(ts.Close)
		return &webtest.Env{Srv: srv, St: st, Acc: srv.Accounts(), TS: ts}
	}
	a, b := node(true), node(false)
	if na, nb := a.Srv.VersionCount(), b.Srv.VersionCount(); na == 0 || na != nb {
		t.Fatalf("nodes start with %d and %d versions", na, nb)
	}

	edA := a.Client(t)
	edA.Login("editor1", account.RoleEditor)
	// The same browser (cookie jar) talking to node B.
	edB := &webtest.Client{T: t, Env: b, HTTP: edA.HTTP}
	const title = "某某省公共数据授权运营管理办法"
	const query = "/search?q=授权运营+政务数据"
	if _, body := edB.Get(query); strings.Contains(body, title) {
		t.Fatal("document on node B before the import")
	}

	code, body := upload(t, edA, "某某省办法.docx", webtest.MakeDocx(t, webtest.DocxSample...))
	if code != http.StatusOK {
		t.Fatalf("preview on node A: %d", code)
	}
	m := webtest.UploadTokenRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no commit token")
	}
	code, _, resp := edA.PostCSRF("/admin/upload/commit", url.Values{"token": {m[1]}})
	if code != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/documents/") {
		t.Fatalf("commit on node A: %d → %s", code, resp.Header.Get("Location"))
	}
	docPath := resp.Header.Get("Location")
	if i := strings.IndexByte(docPath, '?'); i >= 0 {
		docPath = docPath[:i]
	}
	waitFor(t, "node B finds the document imported on node A", func() bool {
		_, body := edB.Get(query)
		return strings.Contains(body, title)
	})
	if code, body := edB.Get(docPath); code != http.StatusOK || !strings.Contains(body, "（一）政务数据") {
		t.Errorf("document page on node B: %d", code)
	}

	// An administrator signed in on node A withdraws the document through
	// node B with node A's CSRF token: one session table, one CSRF key.
	adA := a.Client(t)
	adA.Login("admin1", account.RoleAdmin)
	adB := &webtest.Client{T: t, Env: b, HTTP: adA.HTTP}
	tok := adA.CSRF()
	code, _, _ = adB.Post("/admin"+docPath+"/withdraw", url.Values{"csrf": {tok}, "reason": {"测试"}})
	if code != http.StatusSeeOther {
		t.Fatalf("withdraw on node B with node A's session: %d", code)
	}
	waitFor(t, "node A drops the document withdrawn on node B", func() bool {
		_, body := edA.Get(query)
		return !strings.Contains(body, title)
	})
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out: %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
