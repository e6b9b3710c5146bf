package main

import (
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
