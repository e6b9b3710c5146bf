package web_test

import (
	"context"
	"datalex/internal/web"
	"datalex/internal/web/webtest"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"testing"
	"time"

	"datalex/internal/store"
)

// benchServer serves the synthetic test library, or the library in
// DATALEX_BENCH_DATA (a data directory made by `datalex import`), so the
// figures can be taken on the real corpus.
func benchServer(b *testing.B) *web.Server {
	b.Helper()
	dir := os.Getenv("DATALEX_BENCH_DATA")
	ctx := context.Background()
	var st *store.Store
	var err error
	if dir == "" {
		st, err = store.Open(ctx, b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		webtest.SaveVersions(b, st, webtest.Versions())
	} else if st, err = store.Open(ctx, dir); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	versions, err := st.LoadLibrary(ctx)
	if err != nil {
		b.Fatal(err)
	}
	srv, err := web.New(web.Config{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, versions)
	if err != nil {
		b.Fatal(err)
	}
	return srv
}

// benchPage renders path b.N times in process and reports the median.
func benchPage(b *testing.B, srv *web.Server, path string) {
	b.Helper()
	durations := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest("GET", path, nil)
		rec := httptest.NewRecorder()
		start := time.Now()
		srv.ServeHTTP(rec, req)
		durations = append(durations, time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d", path, rec.Code)
		}
		if i == 0 {
			b.SetBytes(int64(rec.Body.Len()))
		}
	}
	b.StopTimer()
	sort.Slice(durations, func(i, j int) bool { return durations[i] < durations[j] })
	b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(durations[len(durations)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkRenderDocumentPage renders the first page of the longest
// document in the library.
func BenchmarkRenderDocumentPage(b *testing.B) {
	srv := benchServer(b)
	benchPage(b, srv, "/documents/"+url.PathEscape(srv.MaxDocID()))
}

func BenchmarkRenderHome(b *testing.B) {
	benchPage(b, benchServer(b), "/")
}

func BenchmarkRenderSearch(b *testing.B) {
	benchPage(b, benchServer(b), "/search?q="+url.QueryEscape("数据出境 安全评估"))
}

func BenchmarkRenderLibrary(b *testing.B) {
	benchPage(b, benchServer(b), "/library?region="+url.QueryEscape("北京"))
}

// BenchmarkRenderDocumentPageCold renders the longest document without the
// snapshot's fragment cache: the cost of the first visit.
func BenchmarkRenderDocumentPageCold(b *testing.B) {
	srv := benchServer(b)
	path := "/documents/" + url.PathEscape(srv.MaxDocID())
	durations := make([]time.Duration, 0, b.N)
	for i := 0; i < b.N; i++ {
		srv.ClearFragments()
		req := httptest.NewRequest("GET", path, nil)
		rec := httptest.NewRecorder()
		start := time.Now()
		srv.ServeHTTP(rec, req)
		durations = append(durations, time.Since(start))
	}
	sort.Slice(durations, func(i, j int) bool { return durations[i] < durations[j] })
	b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "p50-ms")
}

// BenchmarkReload measures rebuilding the snapshot (catalog, search index)
// from the store, as after an import or a metadata edit.
func BenchmarkReload(b *testing.B) {
	srv := benchServer(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := srv.Reload(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
