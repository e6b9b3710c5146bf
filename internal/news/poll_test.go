package news

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"datalex/internal/news/markup/xsstest"
)

const validRSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>行业</title><link>https://example.com/</link><description>d</description>
<item><title>数据资产入表首批案例发布</title><link>https://example.com/a1</link><guid>a1</guid>
<description>&lt;p&gt;某公司完成&lt;b&gt;数据资产入表&lt;/b&gt;。&lt;/p&gt;</description><pubDate>Tue, 05 Nov 2024 10:00:00 +0800</pubDate><category>入表</category></item>
<item><title>没有日期的条目</title><link>https://example.com/a2</link><guid>a2</guid><description>正文</description></item>
</channel></rss>`

const validAtom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>政策</title><id>urn:x</id><updated>2024-11-08T00:00:00Z</updated>
<entry><title>上海发布数据产品登记办法</title><id>urn:e1</id><link href="https://example.org/e1"/><updated>2024-11-08T09:00:00+08:00</updated>
<content type="html">&lt;p&gt;办法共十四条&lt;/p&gt;</content></entry>
</feed>`

const scriptRSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><link>https://e.com</link><description>d</description>
<item><title>&lt;script&gt;alert(1)&lt;/script&gt;注入标题</title><link>javascript:alert(1)</link><guid>s1</guid>
<description><![CDATA[<p onclick="alert(1)">点击</p><script>alert(document.cookie)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">链接</a><iframe src="https://evil.example"></iframe>]]></description></item>
</channel></rss>`

func hugeRSS(n int) string {
	return `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><link>https://e.com</link><description>d</description>
<item><title>巨大条目</title><guid>big</guid><description>` + strings.Repeat("数据", n) + `</description></item>
<item><title>正常条目</title><guid>ok</guid><description>正常</description></item>
</channel></rss>`
}

// testPoller has small limits so the fault cases run fast.
func testPoller() *Poller {
	p := NewPoller(time.Minute)
	p.Timeout = 1500 * time.Millisecond // generous: -race on a shared 2-core machine
	p.MaxBytes = 1 << 20
	p.MaxItemBytes = 64 << 10
	p.MaxItems = 10
	p.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	p.AllowPrivate = true // httptest servers listen on loopback
	return p
}

func addSource(t *testing.T, db *sql.DB, url string) *Source {
	t.Helper()
	s := &Source{Name: "测试源 " + url, URL: url, Category: CategoryIndustry}
	if _, err := AddSource(context.Background(), db, s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPollFaultsIsolated(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	mux := http.NewServeMux()
	mux.HandleFunc("/rss", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, validRSS) })
	mux.HandleFunc("/atom", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, validAtom) })
	mux.HandleFunc("/invalid", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<rss><channel><item><title>未闭合") })
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html><body>不是订阅</body></html>") })
	mux.HandleFunc("/huge-item", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, hugeRSS(40000)) })
	mux.HandleFunc("/too-big", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, hugeRSS(400000)) })
	mux.HandleFunc("/script", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, scriptRSS) })
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(10 * time.Second):
		case <-r.Context().Done():
		}
		fmt.Fprint(w, validRSS)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	wants := []struct {
		path    string
		added   int
		skipped int
		errPart string
	}{
		{"/rss", 2, 0, ""},
		{"/atom", 1, 0, ""},
		{"/invalid", 0, 0, "无法解析"},
		{"/html", 0, 0, "无法解析"},
		{"/huge-item", 1, 1, ""},
		{"/too-big", 0, 0, "上限"},
		{"/script", 1, 0, ""},
		{"/500", 0, 0, "HTTP 500"},
		{"/slow", 0, 0, "超时"},
	}
	p := testPoller()
	for _, w := range wants {
		addSource(t, db, srv.URL+w.path)
	}
	start := time.Now()
	if n := p.PollDue(ctx, db); n != len(wants) {
		t.Fatalf("polled %d sources, want %d", n, len(wants))
	}
	if d := time.Since(start); d > 8*time.Second {
		t.Fatalf("slow source held up polling for %s", d)
	}
	srcs, _ := Sources(ctx, db)
	for i, w := range wants {
		s := srcs[i]
		if s.ItemsAdded != w.added {
			t.Errorf("%s: added %d, want %d", w.path, s.ItemsAdded, w.added)
		}
		if w.errPart == "" && (s.LastError != "" || s.Failures != 0 || s.LastSuccess.IsZero()) {
			t.Errorf("%s: unexpected failure status %q/%d", w.path, s.LastError, s.Failures)
		}
		if w.errPart != "" && (!strings.Contains(s.LastError, w.errPart) || s.Failures != 1 || !s.LastSuccess.IsZero()) {
			t.Errorf("%s: error status %q/%d, want %q", w.path, s.LastError, s.Failures, w.errPart)
		}
	}
	items, total, _ := List(ctx, db, Query{Limit: 100})
	if total != 5 {
		t.Fatalf("total items %d, want 5", total)
	}
	for _, it := range items {
		if err := xsstest.Inert(it.BodyHTML); err != nil {
			t.Errorf("%s: %v", it.Title, err)
		}
		if strings.HasPrefix(strings.ToLower(it.SourceURL), "javascript") {
			t.Errorf("javascript link stored: %q", it.SourceURL)
		}
		switch it.Title {
		case "数据资产入表首批案例发布":
			if it.PublishedDate != "2024-11-05" || it.DatePrecision != PrecisionDay || strings.Join(it.Tags, ",") != "入表" ||
				!strings.Contains(it.BodyHTML, "<b>数据资产入表</b>") || it.SourceURL != "https://example.com/a1" {
				t.Errorf("rss item: %+v", it)
			}
		case "没有日期的条目":
			if it.PublishedDate != "" {
				t.Errorf("undated entry got date %q", it.PublishedDate)
			}
		case "<script>alert(1)</script>注入标题":
			// Stored as text; templates escape it.
		}
	}
}

func TestPollConditionalAndDedup(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	var hits, conditional atomic.Int32
	body := validRSS
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("If-None-Match") == `"v1"` && r.Header.Get("If-Modified-Since") == "Tue, 05 Nov 2024 02:00:00 GMT" {
			conditional.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Tue, 05 Nov 2024 02:00:00 GMT")
		fmt.Fprint(w, body)
	}))
	defer srv.Close()
	noCache := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Same entries again, one with a changed guid but the same link,
		// one with a new guid and link but the same title.
		fmt.Fprint(w, strings.NewReplacer("<guid>a1</guid>", "<guid>a1-new</guid>",
			"https://example.com/a2", "https://example.com/a2-moved").Replace(validRSS))
	}))
	defer noCache.Close()

	p := testPoller()
	s := addSource(t, db, srv.URL)
	res, err := p.PollSource(ctx, db, s)
	if err != nil || res.Added != 2 {
		t.Fatalf("first poll %+v %v", res, err)
	}
	s, _ = GetSource(ctx, db, s.ID)
	if s.ETag != `"v1"` {
		t.Fatalf("etag not stored: %q", s.ETag)
	}
	res, err = p.PollSource(ctx, db, s)
	if err != nil || !res.NotModified || conditional.Load() != 1 {
		t.Fatalf("second poll should be 304: %+v %v", res, err)
	}
	s, _ = GetSource(ctx, db, s.ID)
	if s.LastError != "" || s.Failures != 0 || s.ItemsAdded != 2 {
		t.Fatalf("status after 304: %+v", s)
	}

	s2 := addSource(t, db, noCache.URL)
	if res, _ := p.PollSource(ctx, db, s2); res.Added != 2 {
		t.Fatalf("first poll of second source: %+v", res)
	}
	res, err = p.PollSource(ctx, db, s2)
	if err != nil || res.Added != 0 || res.Duplicates != 2 {
		t.Fatalf("re-poll must de-duplicate: %+v %v", res, err)
	}
	noCache.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, strings.NewReplacer("<guid>a1</guid>", "<guid>a1-new</guid>", "https://example.com/a1", "https://example.com/a1-new",
			"<guid>a2</guid>", "<guid>a2-x</guid>", "https://example.com/a2", "https://example.com/a2-moved").Replace(validRSS))
	})
	res, err = p.PollSource(ctx, db, s2)
	if err != nil || res.Added != 0 || res.Duplicates != 2 {
		t.Fatalf("same titles with new guids and links must be duplicates: %+v %v", res, err)
	}
}

func TestPollBackoff(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	old := now
	now = func() time.Time { return at }
	defer func() { now = old }()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", 503) }))
	defer srv.Close()
	p := testPoller()
	s := addSource(t, db, srv.URL)
	for i, want := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute} {
		if n := p.PollDue(ctx, db); n != 1 {
			t.Fatalf("round %d: polled %d", i, n)
		}
		s, _ = GetSource(ctx, db, s.ID)
		if s.Failures != i+1 || !s.NextPollAt.Equal(at.Add(want)) {
			t.Fatalf("round %d: failures %d next %s, want %s", i, s.Failures, s.NextPollAt.Sub(at), want)
		}
		if n := p.PollDue(ctx, db); n != 0 {
			t.Fatalf("round %d: polled during backoff", i)
		}
		at = s.NextPollAt
	}
	p.MaxBackoff = 5 * time.Minute
	if d := p.backoff(10); d != 5*time.Minute {
		t.Fatalf("backoff cap %s", d)
	}
	if err := SetSourceEnabled(ctx, db, s.ID, false); err != nil {
		t.Fatal(err)
	}
	if n := p.PollDue(ctx, db); n != 0 {
		t.Fatal("disabled source polled")
	}
}

func TestRunPollerStops(t *testing.T) {
	db := openDB(t)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, validAtom)
	}))
	defer srv.Close()
	addSource(t, db, srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	p := testPoller() // RunPoller's production poller refuses loopback
	p.Interval = 20 * time.Millisecond
	go func() { done <- p.Run(ctx, db) }()
	deadline := time.Now().Add(3 * time.Second)
	for hits.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != context.Canceled {
			t.Fatalf("RunPoller returned %v", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("RunPoller did not stop")
	}
	if hits.Load() == 0 {
		t.Fatal("source never polled")
	}
}

func TestAddSourceValidation(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	for _, s := range []Source{
		{Name: "", URL: "https://a.example/feed", Category: CategoryIndustry},
		{Name: "x", URL: "file:///etc/passwd", Category: CategoryIndustry},
		{Name: "x", URL: "https://a.example/feed", Category: "无"},
	} {
		if _, err := AddSource(ctx, db, &s); err == nil {
			t.Errorf("accepted %+v", s)
		}
	}
	ok := Source{Name: "x", URL: "https://a.example/feed", Category: CategoryIndustry}
	if _, err := AddSource(ctx, db, &ok); err != nil {
		t.Fatal(err)
	}
	dup := ok
	if _, err := AddSource(ctx, db, &dup); err == nil {
		t.Error("duplicate url accepted")
	}
}

func TestPollRefusesInternalAddresses(t *testing.T) {
	db := openDB(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, validRSS) }))
	defer srv.Close()
	p := NewPoller(time.Minute) // production settings: AllowPrivate off
	p.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	s := addSource(t, db, srv.URL)
	if _, err := p.PollSource(context.Background(), db, s); err == nil || !strings.Contains(err.Error(), "内部网络") {
		t.Fatalf("loopback source polled: %v", err)
	}
	s, _ = GetSource(context.Background(), db, s.ID)
	if s.ItemsAdded != 0 || !strings.Contains(s.LastError, "内部网络") {
		t.Fatalf("status %+v", s)
	}
}
