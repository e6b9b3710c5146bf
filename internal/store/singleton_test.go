package store

import (
	"context"
	"os"
	"sync/atomic"
	"testing"
	"time"
)

// TestRunOnOneNode: of two nodes running the same singleton task, one runs
// it; when that node stops, the other takes over.
func TestRunOnOneNode(t *testing.T) {
	server := os.Getenv("DATALEX_TEST_POSTGRES")
	if server == "" {
		t.Skip("DATALEX_TEST_POSTGRES not set")
	}
	old := singletonRetry
	singletonRetry = 100 * time.Millisecond
	t.Cleanup(func() { singletonRetry = old })
	ctx := context.Background()
	u, drop, err := NewSchema(ctx, server)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { drop() })
	var active, maxActive, runs atomic.Int32
	task := func(ctx context.Context) error {
		runs.Add(1)
		n := active.Add(1)
		for m := maxActive.Load(); n > m && !maxActive.CompareAndSwap(m, n); m = maxActive.Load() {
		}
		<-ctx.Done()
		active.Add(-1)
		return ctx.Err()
	}
	type node struct {
		cancel context.CancelFunc
		done   chan struct{}
	}
	start := func() node {
		st, err := OpenDatabase(ctx, u, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		nctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { st.RunOnOneNode(nctx, "test-task", task); close(done) }()
		return node{cancel, done}
	}
	waitRuns := func(want int32) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for runs.Load() < want || active.Load() != 1 {
			if time.Now().After(deadline) {
				t.Fatalf("runs %d (want %d), active %d", runs.Load(), want, active.Load())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	a := start()
	waitRuns(1)
	b := start()
	time.Sleep(500 * time.Millisecond) // several retries of node B
	if runs.Load() != 1 || maxActive.Load() != 1 {
		t.Fatalf("two nodes ran the task: runs %d, max active %d", runs.Load(), maxActive.Load())
	}
	a.cancel()
	<-a.done
	waitRuns(2) // B took over
	if maxActive.Load() != 1 {
		t.Fatalf("max active %d", maxActive.Load())
	}
	b.cancel()
	<-b.done
}
