package web

import (
	"context"
	"net/http"
	"runtime"
	"sync"
)

// askGate bounds how many questions are retrieving at once. Retrieval for
// a question ranks far more candidates than a search page and costs
// several times its CPU; left unbounded, a burst of questions takes every
// core and every search and document page behind them waits. A question
// holds a slot until its first event (retrieval done: sources, the first
// words, a refusal) or its end, so a model's slow generation afterwards
// does not hold one.
type askGate struct{ slots chan struct{} }

// newAskGate allows n questions to retrieve at once: 0 means half the
// usable cores (at least one), negative means no bound (nil gate).
func newAskGate(n int) *askGate {
	if n < 0 {
		return nil
	}
	if n == 0 {
		n = max(1, runtime.GOMAXPROCS(0)/2)
	}
	return &askGate{slots: make(chan struct{}, n)}
}

// enter waits for a slot; release gives it back and may be called any
// number of times. A nil gate admits everyone.
func (g *askGate) enter(ctx context.Context) (release func(), err error) {
	if g == nil {
		return func() {}, nil
	}
	select {
	case g.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	var once sync.Once
	return func() { once.Do(func() { <-g.slots }) }, nil
}

// newSearchGate bounds the search pages and API searches worked on at
// once to n; n <= 0 means no bound (nil gate), the default.
//
// Why a gate: a search request is CPU-bound from its first byte to its
// last (the index, facets, highlighting, the template). With 16 or more
// of them runnable on two cores, the Go scheduler interleaves them and
// each one is stretched by every other one in flight, so the slowest
// searches (and everything queued behind a GC cycle) make the tail. Past
// a few per core, admitting more adds no throughput; waiting in a FIFO
// line instead keeps the latency of each admitted request close to its
// own CPU time, and the line is served in arrival order. The same type
// as the ask gate: a slot is held for the whole request.
//
// Measured (session 21, 2 cores shared with the load generator and other
// work, 16 connections, the default mix, 6 alternating 10 s rounds): 4
// slots gave search-page p99 40.1 ms against 42.6 ms without the gate, 2
// slots were worse (47.6 ms). Within the noise, so it is off by default
// and kept as a knob (--search-slots) for a machine where the server does
// not share its cores.
func newSearchGate(n int) *askGate {
	if n <= 0 {
		return nil
	}
	return newAskGate(n)
}

// gated runs h once the search gate admits the request; a client that
// leaves while waiting gets nothing (the connection is gone).
func (s *Server) gated(h http.HandlerFunc) http.HandlerFunc {
	if s.searchGate == nil {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) {
		release, err := s.searchGate.enter(r.Context())
		if err != nil {
			return
		}
		defer release()
		h(w, r)
	}
}
