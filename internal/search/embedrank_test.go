package search

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"datalex/internal/embed"
	"datalex/internal/embed/embedtest"
	"datalex/internal/library"
)

// The provision the fake embeddings make closest to the query.
const (
	embedQuery  = "个人信息处理者 数据"
	embedTarget = "主管机关批准"
)

// targetVectors is a fake embedding: the query and the provision holding
// embedTarget point one way, every other text another.
func targetVectors(text string) []float64 {
	if text == embedQuery || strings.Contains(text, embedTarget) {
		return []float64{1, 0}
	}
	return []float64{0, 1}
}

func embedIndex(t *testing.T, srv *embedtest.Server, stored *embed.Vectors, opt EmbedOptions) *Index {
	t.Helper()
	ix := NewIndex(fixture())
	if srv != nil {
		er, err := NewEmbedRank(embed.New(srv.BaseURL(), "fake", "", nil), stored, opt)
		if err != nil {
			t.Fatal(err)
		}
		ix.SetEmbedRank(er)
	}
	return ix
}

func searchIDs(t *testing.T, ix *Index, text string) ([]string, []float64) {
	t.Helper()
	q, err := ParseQuery(text)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("search failed: %v", err)
	}
	var ids []string
	var scores []float64
	for _, h := range res.Hits {
		ids = append(ids, h.ProvisionID)
		scores = append(scores, h.Score)
	}
	return ids, scores
}

// targetRank is where the provision holding embedTarget is in ids.
func targetRank(t *testing.T, ix *Index, ids []string) int {
	for i, id := range ids {
		for _, v := range ix.versions {
			if p := v.Provision(id); p != nil && strings.Contains(p.Text, embedTarget) {
				return i
			}
		}
	}
	t.Fatalf("%s not in %v", embedTarget, ids)
	return -1
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, x := range a {
		seen[x]++
	}
	for _, x := range b {
		seen[x]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}

func TestEmbedRankMovesClosestUp(t *testing.T) {
	lexical, lexScores := searchIDs(t, embedIndex(t, nil, nil, EmbedOptions{}), embedQuery)
	base := targetRank(t, testIndex(), lexical)
	if base < 2 {
		t.Fatalf("the target is already at lexical rank %d of %v: the test proves nothing", base, lexical)
	}
	tests := []struct {
		name   string
		opt    EmbedOptions
		atMost int // the target's rank after re-ranking
	}{
		{"rrf, embedding side only", EmbedOptions{Fusion: FuseRRF, Weight: 1}, 0},
		{"rrf 0.9", EmbedOptions{Fusion: FuseRRF, Weight: 0.9}, base - 1},
		{"linear 0.7", EmbedOptions{Fusion: FuseLinear, Weight: 0.7}, 0},
		{"weight 0 keeps the lexical order", EmbedOptions{Fusion: FuseLinear, Weight: 0}, base},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := embedtest.New(t)
			srv.Vector = targetVectors
			ix := embedIndex(t, srv, nil, tt.opt)
			ids, scores := searchIDs(t, ix, embedQuery)
			if r := targetRank(t, ix, ids); r > tt.atMost {
				t.Errorf("target at %d (lexical %d), want ≤ %d: %v", r, base, tt.atMost, ids)
			}
			if !sameSet(ids, lexical) {
				t.Errorf("re-ranking changed the hits: %v vs %v", ids, lexical)
			}
			for i := range scores {
				if scores[i] != lexScores[i] {
					t.Errorf("score %d is %v, lexical %v: scores keep their lexical values in order", i, scores[i], lexScores[i])
				}
			}
			if srv.Requests() != 1 {
				t.Errorf("%d requests, want 1 (query and candidates together)", srv.Requests())
			}
			// The same search again is answered from the cache.
			again, _ := searchIDs(t, ix, embedQuery)
			if srv.Requests() != 1 || strings.Join(again, ",") != strings.Join(ids, ",") {
				t.Errorf("repeat: %d requests, %v vs %v", srv.Requests(), again, ids)
			}
		})
	}
}

// TestEmbedRankStoredVectors: provisions with a stored vector are not sent
// to the endpoint; only the query is.
func TestEmbedRankStoredVectors(t *testing.T) {
	ctx := context.Background()
	srv := embedtest.New(t)
	srv.Vector = targetVectors
	client := embed.New(srv.BaseURL(), "fake", "", nil)
	dir := t.TempDir()
	n, err := embed.Build(ctx, client, library.NewCatalog(fixture()), dir, 100)
	if err != nil || n == 0 {
		t.Fatalf("built %d: %v", n, err)
	}
	stored, err := embed.Load(dir, "fake")
	if err != nil {
		t.Fatal(err)
	}
	before, inputs := srv.Requests(), srv.Inputs()
	ix := embedIndex(t, srv, stored, EmbedOptions{Weight: 1})
	ids, _ := searchIDs(t, ix, embedQuery)
	if r := targetRank(t, ix, ids); r != 0 {
		t.Errorf("target at %d: %v", r, ids)
	}
	// Units that fold children into their text (an article with items)
	// may still be embedded on the fly; most must come from the file.
	if srv.Requests()-before != 1 || srv.Inputs()-inputs >= len(ids) {
		t.Errorf("%d requests embedding %d texts for %d hits", srv.Requests()-before, srv.Inputs()-inputs, len(ids))
	}
}

// TestEmbedRankFallsBack: a slow, failing or malformed endpoint leaves the
// lexical order, fails no search, logs once and pauses the re-ranker.
func TestEmbedRankFallsBack(t *testing.T) {
	lexical, _ := searchIDs(t, embedIndex(t, nil, nil, EmbedOptions{}), embedQuery)
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"slow", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
			}
		}},
		{"500", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, `{"error":{"message":"overloaded"}}`, http.StatusInternalServerError)
		}},
		{"malformed", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"object":"list","data":[{"index":0,"embedding":"oops"}]}`))
		}},
		{"too few vectors", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"object":"list","data":[{"index":0,"embedding":[1,0]}]}`))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var requests atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				tt.handler(w, r)
			}))
			defer srv.Close()
			var logs bytes.Buffer
			ix := NewIndex(fixture())
			er, err := NewEmbedRank(embed.New(srv.URL+"/v1", "fake", "", nil), nil, EmbedOptions{
				Weight: 1, Timeout: 100 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			if err != nil {
				t.Fatal(err)
			}
			ix.SetEmbedRank(er)
			start := time.Now()
			ids, _ := searchIDs(t, ix, embedQuery)
			if took := time.Since(start); took > time.Second {
				t.Errorf("search took %v with a timeout of 100ms", took)
			}
			if strings.Join(ids, ",") != strings.Join(lexical, ",") {
				t.Errorf("order %v, want lexical %v", ids, lexical)
			}
			// Paused: the next search does not wait for the endpoint.
			n := requests.Load()
			searchIDs(t, ix, embedQuery)
			if requests.Load() != n {
				t.Errorf("a paused re-ranker made %d requests", requests.Load()-n)
			}
			// After the pause the endpoint is tried again; a second
			// failure is not logged again.
			er.pausedT.Store(0)
			searchIDs(t, ix, embedQuery)
			// (The handler may start after the client gave up.)
			for wait := 0; requests.Load() == n && wait < 100; wait++ {
				time.Sleep(20 * time.Millisecond)
			}
			if requests.Load() == n {
				t.Error("no request after the pause")
			}
			if c := strings.Count(logs.String(), "向量重排暂停"); c != 1 {
				t.Errorf("logged %d times:\n%s", c, logs.String())
			}
		})
	}
}

// TestEmbedRankRecovers: after a failure the re-ranker comes back once the
// endpoint answers again, and says so.
func TestEmbedRankRecovers(t *testing.T) {
	srv := embedtest.New(t)
	failing := true
	srv.Vector = func(text string) []float64 {
		if failing {
			return nil
		}
		return targetVectors(text)
	}
	var logs bytes.Buffer
	ix := NewIndex(fixture())
	er, err := NewEmbedRank(embed.New(srv.BaseURL(), "fake", "", nil), nil, EmbedOptions{Weight: 1,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ix.SetEmbedRank(er)
	searchIDs(t, ix, embedQuery)
	failing = false
	er.pausedT.Store(0)
	ids, _ := searchIDs(t, ix, embedQuery)
	if r := targetRank(t, ix, ids); r != 0 || !strings.Contains(logs.String(), "向量重排已恢复") {
		t.Errorf("target at %d after recovery; log:\n%s", r, logs.String())
	}
}

// TestEmbedRankOffByDefault: an index without SetEmbedRank asks nothing,
// and neither do citations, date-sorted searches or feature requests.
func TestEmbedRankOffByDefault(t *testing.T) {
	srv := embedtest.New(t)
	searchIDs(t, NewIndex(fixture()), embedQuery)
	ix := embedIndex(t, srv, nil, EmbedOptions{})
	for _, text := range []string{"数据安全法第二十一条", "数据 sort:date"} {
		q, err := ParseQuery(text)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(text, "sort:") {
			q, _ = ParseQuery("数据")
			q.Sort = SortDate
		}
		if _, err := ix.Search(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	if srv.Requests() != 0 {
		t.Errorf("%d requests", srv.Requests())
	}
}

func TestNewEmbedRankOptions(t *testing.T) {
	c := embed.New("http://127.0.0.1:1/v1", "m", "", nil)
	tests := []struct {
		opt EmbedOptions
		ok  bool
	}{
		{EmbedOptions{}, true},
		{EmbedOptions{Fusion: FuseLinear, Weight: 0.3, Depth: 100}, true},
		{EmbedOptions{Fusion: "max"}, false},
		{EmbedOptions{Weight: 1.5}, false},
		{EmbedOptions{Weight: -0.1}, false},
		{EmbedOptions{Depth: 1}, false},
		{EmbedOptions{Depth: MaxK + 1}, false},
		{EmbedOptions{Timeout: -time.Second}, false},
	}
	for _, tt := range tests {
		if _, err := NewEmbedRank(c, nil, tt.opt); (err == nil) != tt.ok {
			t.Errorf("%+v: err %v", tt.opt, err)
		}
	}
	if _, err := NewEmbedRank(nil, nil, EmbedOptions{}); err == nil {
		t.Error("no client accepted")
	}
}
