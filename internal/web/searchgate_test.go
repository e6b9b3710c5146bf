package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestSearchGate(t *testing.T) {
	for _, tc := range []struct {
		slots      int
		gated      bool // a second request waits while the first holds the slot
		concurrent int  // requests let in at once
	}{
		{slots: 0, gated: false},
		{slots: -1, gated: false},
		{slots: 1, gated: true, concurrent: 1},
		{slots: 2, gated: true, concurrent: 2},
	} {
		s := &Server{searchGate: newSearchGate(tc.slots)}
		if (s.searchGate != nil) != tc.gated {
			t.Fatalf("slots %d: gate %v, want gated=%v", tc.slots, s.searchGate, tc.gated)
		}
		if !tc.gated {
			continue
		}
		var inside, ran atomic.Int32
		hold := make(chan struct{})
		h := s.gated(func(w http.ResponseWriter, r *http.Request) {
			inside.Add(1)
			ran.Add(1)
			<-hold
			inside.Add(-1)
		})
		serve := func(ctx context.Context) chan struct{} {
			done := make(chan struct{})
			go func() {
				h(httptest.NewRecorder(), httptest.NewRequest("GET", "/search?q=x", nil).WithContext(ctx))
				close(done)
			}()
			return done
		}
		var dones []chan struct{}
		for i := 0; i < tc.concurrent; i++ {
			dones = append(dones, serve(context.Background()))
		}
		for deadline := time.Now().Add(5 * time.Second); inside.Load() < int32(tc.concurrent); {
			if time.Now().After(deadline) {
				t.Fatalf("slots %d: only %d of %d requests got in", tc.slots, inside.Load(), tc.concurrent)
			}
			time.Sleep(time.Millisecond)
		}
		// The gate is full: one more waits, and another whose client
		// leaves while it waits must never run.
		dones = append(dones, serve(context.Background()))
		ctx, cancel := context.WithCancel(context.Background())
		gone := serve(ctx)
		time.Sleep(50 * time.Millisecond)
		if n := inside.Load(); n != int32(tc.concurrent) {
			t.Errorf("slots %d: %d requests inside, want %d", tc.slots, n, tc.concurrent)
		}
		cancel()
		select {
		case <-gone:
		case <-time.After(5 * time.Second):
			t.Fatalf("slots %d: a request whose client left kept waiting", tc.slots)
		}
		close(hold)
		for _, d := range dones {
			select {
			case <-d:
			case <-time.After(5 * time.Second):
				t.Fatalf("slots %d: a waiting request never ran", tc.slots)
			}
		}
		if n := ran.Load(); n != int32(tc.concurrent+1) {
			t.Errorf("slots %d: %d requests ran, want %d (the one whose client left must not)", tc.slots, n, tc.concurrent+1)
		}
	}
}
