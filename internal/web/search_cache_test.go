package web_test

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"

	"datalex/internal/library"
	"datalex/internal/web"
	"datalex/internal/web/webtest"
)

// apiResult fetches /api/v1/search and drops took_ms (the only field that
// may differ between a computed and a cached result).
func apiResult(t *testing.T, c *webtest.Client, query string) string {
	t.Helper()
	code, body := c.Get("/api/v1/search?" + query)
	if code != 200 {
		t.Fatalf("GET %s: %d %s", query, code, body)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "took_ms")
	b, _ := json.Marshal(m)
	return string(b)
}

func TestSearchCacheSameResults(t *testing.T) {
	on := webtest.NewEnv(t, webtest.Versions(), nil, nil)
	off := webtest.NewEnv(t, webtest.Versions(), func(c *web.Config) { c.SearchCacheMB = -1 }, nil)
	con, coff := on.Client(t), off.Client(t)
	queries := []string{
		"q=" + url.QueryEscape("数据出境 安全评估") + "&full=1",
		"q=" + url.QueryEscape("数据出境 安全评估"),
		"q=" + url.QueryEscape("数据出境") + "&region=" + url.QueryEscape("广东") + "&full=1",
		"q=" + url.QueryEscape("数据") + "&sort=date&k=1&page=2&full=1",
		"q=" + url.QueryEscape("数据安全法第二十一条") + "&full=1",
		"title=" + url.QueryEscape("数据") + "&full=1",
		"q=" + url.QueryEscape("数据") + "&within=" + url.QueryEscape("出境") + "&full=1",
	}
	for _, q := range queries {
		want := apiResult(t, coff, q)
		for i := 0; i < 2; i++ { // computed, then from the cache
			if got := apiResult(t, con, q); got != want {
				t.Errorf("%s (request %d): cached server answered\n%s\nuncached\n%s", q, i+1, got, want)
			}
		}
		// The page, too, renders the same hits from a cached result.
		if code, _ := con.Get("/search?" + q); code != 200 {
			t.Errorf("search page %s: %d", q, code)
		}
	}
	if n := on.Srv.SearchCacheLen(); n < 1 || n > 2*len(queries) {
		t.Errorf("cache holds %d result sets after %d distinct requests", n, len(queries))
	}
	if n := off.Srv.SearchCacheLen(); n != -1 {
		t.Errorf("disabled cache reports %d entries", n)
	}
}

// TestSearchCacheEmptiedByImport: a library change builds a new snapshot,
// so a query answered from the cache before sees the new document after.
func TestSearchCacheEmptiedByImport(t *testing.T) {
	env := webtest.NewEnv(t, webtest.Versions(), nil, nil)
	c := env.Client(t)
	q := "q=" + url.QueryEscape("量子密钥分发")
	for i := 0; i < 2; i++ {
		if got := apiResult(t, c, q); got != apiResult(t, c, q) || env.Srv.SearchCacheLen() < 1 {
			t.Fatalf("result not cached: %s", got)
		}
	}
	before := apiResult(t, c, q)
	v := &library.Version{ID: "vqkd", WorkID: "wqkd", Kind: library.KindRegulation, Title: "量子密钥分发网络安全管理办法",
		IssueDate: "2025-01-01", Status: library.StatusInForce, Level: library.LevelLaw, Region: "全国", Seq: 9}
	v.Provisions = []*library.Provision{{ID: "vqkd.a1", Kind: library.ProvArticle, Label: "第一条", Path: "第一条", Line: 1, LineEnd: 1,
		Text: "第一条 量子密钥分发网络的运营者应当履行数据安全保护义务。", Citation: library.CitationFor(v.Title, "第一条")}}
	webtest.SaveVersions(t, env.St, []*library.Version{v})
	if err := env.Srv.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := env.Srv.SearchCacheLen(); n != 0 {
		t.Errorf("new snapshot starts with %d cached result sets", n)
	}
	after := apiResult(t, c, q)
	if after == before {
		t.Fatalf("result unchanged after the import: %s", after)
	}
	var res struct {
		Hits []struct {
			ProvisionID string `json:"provision_id"`
		} `json:"hits"`
	}
	json.Unmarshal([]byte(after), &res)
	if len(res.Hits) == 0 || res.Hits[0].ProvisionID != "vqkd.a1" {
		t.Errorf("imported provision not found after reload: %s", after)
	}
}
