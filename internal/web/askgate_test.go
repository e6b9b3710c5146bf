package web_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"datalex/internal/web"
)

func TestAskGateBoundsRetrieval(t *testing.T) {
	g := web.NewAskGate(1)
	ctx := context.Background()
	release, err := g.Enter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var second atomic.Bool
	done := make(chan struct{})
	go func() {
		r2, err := g.Enter(ctx)
		if err != nil {
			t.Error(err)
		}
		second.Store(true)
		r2()
		close(done)
	}()
	time.Sleep(50 * time.Millisecond)
	if second.Load() {
		t.Fatal("a second question entered while the only slot was held")
	}
	release()
	release() // releasing twice (first event, then return) frees one slot only
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the waiting question never entered after the release")
	}
	// One slot again, not two: a third and fourth cannot both hold it.
	r3, _ := g.Enter(ctx)
	cctx, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
	defer cancel()
	if _, err := g.Enter(cctx); err == nil {
		t.Error("a double release left two slots")
	}
	r3()

	unbounded := web.NewAskGate(-1)
	for i := 0; i < 100; i++ {
		if _, err := unbounded.Enter(ctx); err != nil {
			t.Fatal(err)
		}
	}
}
