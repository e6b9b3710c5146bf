package main

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestLoopbackOnly(t *testing.T) {
	for _, tc := range []struct {
		host string
		ok   bool
	}{
		{"127.0.0.1", true},
		{"127.0.0.2", true},
		{"::1", true},
		{"localhost", true},
		{"10.0.0.1", false},
		{"192.168.1.10", false},
		{"8.8.8.8", false},
	} {
		if err := loopbackOnly(tc.host); (err == nil) != tc.ok {
			t.Errorf("loopbackOnly(%q) = %v, want ok=%v", tc.host, err, tc.ok)
		}
	}
}

func TestParseMix(t *testing.T) {
	w, err := parseMix("search=60,document=25,ask=10,write=5")
	if err != nil || w != [nKinds]int{60, 25, 10, 5} {
		t.Fatalf("parseMix = %v, %v", w, err)
	}
	for _, bad := range []string{"search", "find=3", "search=-1", "ask=x"} {
		if _, err := parseMix(bad); err == nil {
			t.Errorf("parseMix(%q) accepted", bad)
		}
	}
}

func TestPercentile(t *testing.T) {
	var l []time.Duration
	for i := 1; i <= 100; i++ {
		l = append(l, time.Duration(i)*time.Millisecond)
	}
	if got := pct(l, 0.50); got != 51*time.Millisecond {
		t.Errorf("p50 = %v", got)
	}
	if got := pct(l, 0.99); got != 100*time.Millisecond {
		t.Errorf("p99 = %v", got)
	}
	if pct(nil, 0.5) != 0 {
		t.Error("empty percentile not 0")
	}
}

func TestParseMetrics(t *testing.T) {
	in := `# HELP go_goroutines Number of goroutines that currently exist.
# TYPE go_goroutines gauge
go_goroutines 42
go_memstats_heap_inuse_bytes 1.2582912e+08
datalex_http_requests_total{code="200",method="GET",route="GET /search"} 17
process_resident_memory_bytes 3.0e+08 1700000000
`
	m, err := parseMetrics(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]float64{"go_goroutines": 42, "go_memstats_heap_inuse_bytes": 125829120, "process_resident_memory_bytes": 3e8} {
		if m[name] != want {
			t.Errorf("%s = %v, want %v", name, m[name], want)
		}
	}
	if _, ok := m["datalex_http_requests_total"]; ok {
		t.Error("labelled sample read as unlabelled")
	}
}

func TestParseStatCPU(t *testing.T) {
	// pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
	stat := "1831 (datalex serve) S 1 1831 1 0 -1 4194560 90000 0 12 0 2500 340 0 0 20 0 9 0 1000 0 0"
	if got := parseStatCPU(stat); got != 28400*time.Millisecond {
		t.Errorf("parseStatCPU = %v, want 28.4s", got)
	}
	if parseStatCPU("garbage") != 0 {
		t.Error("garbage parsed")
	}
}

func TestBuildRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	seen := map[row]bool{}
	for i := 0; i < 200; i++ {
		for k := kind(0); k < nKinds; k++ {
			req, r := build(context.Background(), k, "http://127.0.0.1:1", rng, []string{"数据"}, []string{"d1"}, "tok")
			var want row
			switch {
			case k == kSearch && req.URL.Path == "/search":
				want = rSearchPage
			case k == kSearch && req.URL.Path == "/api/v1/search":
				want = rSearchAPI
			case k == kDocument:
				want = rDocument
			case k == kAsk:
				want = rAsk
			case k == kWrite:
				want = rWrite
			default:
				t.Fatalf("kind %d built %s", k, req.URL.Path)
			}
			if r != want {
				t.Fatalf("kind %d %s reported as %s, want %s", k, req.URL.Path, rowNames[r], rowNames[want])
			}
			seen[r] = true
		}
	}
	if len(seen) != int(nRows) {
		t.Errorf("rows seen %v, want all %d", seen, nRows)
	}
}
