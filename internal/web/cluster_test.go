package web_test

import (
	"context"
	"fmt"
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
// database: a document previewed on one and committed through the other is
// found by the first's search once the change notification arrives, a
// withdrawal on the second reaches the first, a session and CSRF token from
// one node work on the other, and failed logins on one node count on the
// other (the backoff and the address limit are the cluster's, not a node's).
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

	// Previewed on node A, committed on node B: the preview is in the
	// database, so the proxy need not keep the editor on one node.
	code, body := upload(t, edA, "某某省办法.docx", webtest.MakeDocx(t, webtest.DocxSample...))
	if code != http.StatusOK {
		t.Fatalf("preview on node A: %d", code)
	}
	m := webtest.UploadTokenRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no commit token")
	}
	code, _, resp := edB.PostCSRF("/admin/upload/commit", url.Values{"token": {m[1]}})
	if code != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/documents/") {
		t.Fatalf("commit on node B of node A's preview: %d → %s", code, resp.Header.Get("Location"))
	}
	if code, _, _ := edA.PostCSRF("/admin/upload/commit", url.Values{"token": {m[1]}}); code != http.StatusBadRequest {
		t.Errorf("the preview committed on node B committed again on node A: %d", code)
	}
	docPath := resp.Header.Get("Location")
	if i := strings.IndexByte(docPath, '?'); i >= 0 {
		docPath = docPath[:i]
	}
	waitFor(t, "node A finds the document imported on node B", func() bool {
		_, body := edA.Get(query)
		return strings.Contains(body, title)
	})
	if code, body := edA.Get(docPath); code != http.StatusOK || !strings.Contains(body, "（一）政务数据") {
		t.Errorf("document page on node A: %d", code)
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

	// Login throttles are in the database too: failures on node A count on
	// node B, and the address limit is one limit for the cluster, not one
	// per node.
	if _, err := a.Acc.Create(ctx, "victim", "correct horse battery", account.RoleMember); err != nil {
		t.Fatal(err)
	}
	attackerA := clientFrom(a, t, "127.0.0.4")
	attackerB := &webtest.Client{T: t, Env: b, HTTP: attackerA.HTTP}
	for i := 0; i < account.MaxFailedLogins; i++ {
		if code, _, _ := attackerA.PostCSRF("/login", url.Values{"username": {"victim"}, "password": {"wrong"}}); code != http.StatusUnauthorized {
			t.Fatalf("failure %d on node A: %d", i+1, code)
		}
	}
	if code, _, _ := attackerB.PostCSRF("/login", url.Values{"username": {"victim"}, "password": {"wrong"}}); code != http.StatusUnauthorized {
		t.Fatalf("failure %d on node B: %d", account.MaxFailedLogins+1, code)
	}
	// The pair now waits, on both nodes, even with the right password.
	for _, c := range []*webtest.Client{attackerA, attackerB} {
		if code, body, _ := c.PostCSRF("/login", url.Values{"username": {"victim"}, "password": {"correct horse battery"}}); code != http.StatusTooManyRequests || !strings.Contains(body, account.ErrThrottled.Error()) {
			t.Errorf("node %s: throttled pair got %d", c.Env.TS.URL, code)
		}
	}
	// The address has used 8 of its 10 attempts a minute; fresh names,
	// alternating nodes, get 2 more (3 if a minute boundary passes: the
	// previous minute then weighs a little less than all of it).
	allowed := 0
	var last int
	for i := 0; i < 8; i++ {
		c := attackerA
		if i%2 == 1 {
			c = attackerB
		}
		last, _, _ = c.PostCSRF("/login", url.Values{"username": {fmt.Sprintf("nobody%d", i)}, "password": {"x"}})
		if last != http.StatusTooManyRequests {
			allowed++
		}
	}
	if allowed < 2 || allowed > 3 || last != http.StatusTooManyRequests {
		t.Errorf("the address got %d more attempts across two nodes (last on node B: %d), want 2: one limit per cluster", allowed, last)
	}
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
