package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"datalex/internal/answer"
	"datalex/internal/library"
	"datalex/internal/ruzhang"
	"datalex/internal/search"
	"datalex/internal/store/storetest"
)

// ruzhangVersions is a small library holding every provision the engine
// cites, so that citations resolve to provision pages.
func ruzhangVersions() []*library.Version {
	byDoc := map[string]*library.Version{}
	var out []*library.Version
	for _, r := range ruzhang.AllRefs() {
		v := byDoc[r.Doc]
		if v == nil {
			n := len(out)
			v = &library.Version{ID: fmt.Sprintf("vrz%d", n), WorkID: fmt.Sprintf("wrz%d", n), Kind: library.KindRegulation, Title: r.Doc,
				Status: library.StatusInForce, Level: library.LevelNormative, Region: "全国", IssueDate: "2023-08-01", Seq: 100 + n}
			byDoc[r.Doc] = v
			out = append(out, v)
		}
		p := &library.Provision{ID: fmt.Sprintf("%s.p%d", v.ID, len(v.Provisions)), Kind: library.ProvArticle, Label: r.Label,
			Text: r.Label + " 企业使用的数据资源，符合无形资产准则规定的定义和确认条件的，应当确认为无形资产，并按规定进行摊销。",
			Ord:  len(v.Provisions), Line: len(v.Provisions) + 1, LineEnd: len(v.Provisions) + 1}
		p.Citation = library.CitationFor(v.Title, r.Label)
		p.Path = r.Label
		v.Provisions = append(v.Provisions, p)
	}
	return out
}

// newRuzhangEnv is newTestEnv plus the provisions the 入表 engine cites
// and the extractive answerer (the ledger and self-check pages cite them).
// The 入表指南 pages themselves live in internal/web/ruzhang.
func newRuzhangEnv(t testing.TB) *testEnv {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t)
	saveVersions(t, st, append(testVersions(), ruzhangVersions()...))
	versions, err := st.LoadLibrary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Import: testImport(st),
		Modules: map[string]string{"ruzhang": "/ruzhang"},
		NewAnswerer: func(cat *library.Catalog, ix *search.Index) *answer.Answerer {
			return answer.New(answer.Config{Retrieve: answer.FromSearch(ix, cat), Catalog: cat})
		}}
	srv, err := New(cfg, versions)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &testEnv{srv: srv, st: st, acc: srv.acc, ts: ts}
}

func (c *client) rzSendJSON(method, path, body, csrf string) (int, string) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.env.ts.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if csrf != "" {
		req.Header.Set("X-CSRF-Token", csrf)
	}
	code, b, _ := c.do(req)
	return code, b
}
