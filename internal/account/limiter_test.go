package account

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"datalex/internal/store/storetest"
)

// clock is a settable time for the throttles.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// newClock starts at a window boundary plus offset.
func newClock(offset time.Duration) *clock { return &clock{t: time.Unix(1_800_000_000, 0).Add(offset)} }

func allow(t *testing.T, l *Limiter, key string) bool {
	t.Helper()
	ok, err := l.Allow(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// TestLimiter: max attempts per key in the window, keys apart, scopes
// apart, and the window slides: the previous minute's attempts weigh by how
// much of it the last minute still covers.
func TestLimiter(t *testing.T) {
	db := storetest.Open(t).DB()
	tests := []struct {
		name string
		// attempts before the pause, the pause, then how many of the
		// following attempts are allowed.
		before  int
		pause   time.Duration
		after   int
		allowed int
	}{
		{"within one window", 3, 0, 2, 0},
		{"a window later", 3, time.Minute, 4, 3},
		{"half a window later", 3, 30 * time.Second, 4, 2}, // 31/60 of the 3 earlier attempts still count: ⌊1.55⌋ = 1
		{"just after the boundary", 3, 1 * time.Second, 4, 0},
		{"two windows later", 3, 2 * time.Minute, 4, 3},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock(0)
			l := NewLimiter(db, "test", 3, time.Minute)
			l.now = c.now
			key := fmt.Sprintf("10.0.0.%d", i)
			for j := 0; j < tt.before; j++ {
				if !allow(t, l, key) {
					t.Fatalf("attempt %d refused", j)
				}
			}
			// Move to the end of the first window, then pause.
			c.add(59 * time.Second)
			c.add(tt.pause)
			got := 0
			for j := 0; j < tt.after; j++ {
				if allow(t, l, key) {
					got++
				}
			}
			if got != tt.allowed {
				t.Errorf("%d allowed after %v, want %d", got, tt.pause, tt.allowed)
			}
		})
	}
	c := newClock(0)
	l := NewLimiter(db, "test", 3, time.Minute)
	l.now = c.now
	for i := 0; i < 3; i++ {
		allow(t, l, "1.2.3.4")
	}
	if !allow(t, l, "5.6.7.8") {
		t.Error("other address refused")
	}
	other := NewLimiter(db, "other", 3, time.Minute)
	other.now = c.now
	if !allow(t, other, "1.2.3.4") {
		t.Error("another scope shares the counter")
	}
}

// TestLimiterConcurrent: N goroutines hammering one key — through two
// limiters on one database, as two nodes would — get exactly max allowed.
// On PostgreSQL it runs with and without AsyncCommit.
func TestLimiterConcurrent(t *testing.T) {
	for _, async := range commitModes() {
		t.Run(fmt.Sprintf("async=%v", async), func(t *testing.T) { testLimiterConcurrent(t, async) })
	}
}

// commitModes are the AsyncCommit settings the store under test supports.
func commitModes() []bool {
	if storetest.Postgres() != "" {
		return []bool{false, true}
	}
	return []bool{false}
}

func testLimiterConcurrent(t *testing.T, async bool) {
	st := storetest.Open(t)
	c := newClock(time.Second)
	const max, n = 10, 64
	nodes := []*Limiter{NewLimiter(st.DB(), "login", max, time.Minute), NewLimiter(st.DB(), "login", max, time.Minute)}
	if async {
		nodes[0].AsyncCommit()
		nodes[1].AsyncCommit()
	}
	var allowed atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		l := nodes[i%2]
		l.now = c.now
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := l.Allow(context.Background(), "203.0.113.9")
			if err != nil {
				errs <- err
				return
			}
			if ok {
				allowed.Add(1)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got := allowed.Load(); got != max {
		t.Errorf("%d of %d concurrent attempts allowed, want exactly %d", got, n, max)
	}
}

// TestLimiterBounded: a flood of fresh addresses deletes the least recently
// seen rows, not every counter: the attacking address, which keeps trying,
// stays throttled, and the table stays near its bound. Windows that no
// longer count are deleted.
func TestLimiterBounded(t *testing.T) {
	ctx := context.Background()
	l := NewLimiterCap(storetest.Open(t).DB(), "login", 3, time.Minute, 200)
	c := newClock(0)
	l.now = c.now
	for i := 0; i < 3; i++ {
		allow(t, l, "attacker")
	}
	for i := 0; i < 1000; i++ {
		c.add(time.Millisecond)
		allow(t, l, fmt.Sprintf("10.0.%d.%d", i/256, i%256))
		if i%20 == 0 && allow(t, l, "attacker") {
			t.Fatalf("attacker allowed again after %d other addresses", i)
		}
		if n, err := l.Len(ctx); err != nil || n > 200+int(pruneEvery(200)) {
			t.Fatalf("limiter holds %d rows (%v), bound 200+%d", n, err, pruneEvery(200))
		}
	}
	if err := l.Prune(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := l.Len(ctx); n > 200 {
		t.Errorf("%d rows after Prune, cap 200", n)
	}
	c.add(2 * time.Minute)
	if err := l.Prune(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := l.Len(ctx); n != 0 {
		t.Errorf("%d expired rows kept", n)
	}
	if !allow(t, l, "attacker") {
		t.Error("attacker still refused two windows later")
	}
}

func fail(t *testing.T, b *Backoff, account, addr string) time.Duration {
	t.Helper()
	d, err := b.Fail(context.Background(), account, addr)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func wait(t *testing.T, b *Backoff, account, addr string) time.Duration {
	t.Helper()
	d, err := b.Wait(context.Background(), account, addr)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestBackoff: free failures, then a doubling delay capped at max; per
// (account, address) pair; success forgets; a second node sees the same
// state.
func TestBackoff(t *testing.T) {
	db := storetest.Open(t).DB()
	c := newClock(0)
	b := NewBackoff(db, 5, 30*time.Second, 15*time.Minute, 100)
	b.now = c.now
	other := NewBackoff(db, 5, 30*time.Second, 15*time.Minute, 100) // another node
	other.now = c.now
	for i := 1; i <= 5; i++ {
		if d := fail(t, b, "admin", "1.1.1.1"); d != 0 {
			t.Fatalf("failure %d delayed %v", i, d)
		}
	}
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 15 * time.Minute, 15 * time.Minute}
	for i, w := range want {
		node := b
		if i%2 == 1 {
			node = other
		}
		if d := fail(t, node, "admin", "1.1.1.1"); d != w {
			t.Fatalf("failure %d: delay %v, want %v", 6+i, d, w)
		}
	}
	if d := wait(t, other, "admin", "1.1.1.1"); d != 15*time.Minute {
		t.Errorf("other node: wait %v, want 15m", d)
	}
	if wait(t, b, "admin", "2.2.2.2") != 0 {
		t.Error("the owner at another address is throttled: anyone could lock the account")
	}
	c.add(16 * time.Minute)
	if wait(t, b, "admin", "1.1.1.1") != 0 {
		t.Error("delay did not expire")
	}
	if err := other.Succeed(context.Background(), "admin", "1.1.1.1"); err != nil {
		t.Fatal(err)
	}
	if d := fail(t, b, "admin", "1.1.1.1"); d != 0 {
		t.Error("success did not reset the failures")
	}
}

// TestBackoffConcurrent: concurrent failures of one pair on two nodes are
// all counted and the longest delay wins.
func TestBackoffConcurrent(t *testing.T) {
	for _, async := range commitModes() {
		t.Run(fmt.Sprintf("async=%v", async), func(t *testing.T) { testBackoffConcurrent(t, async) })
	}
}

func testBackoffConcurrent(t *testing.T, async bool) {
	db := storetest.Open(t).DB()
	c := newClock(0)
	nodes := []*Backoff{NewBackoff(db, 5, 30*time.Second, 15*time.Minute, 100), NewBackoff(db, 5, 30*time.Second, 15*time.Minute, 100)}
	if async {
		nodes[0].AsyncCommit()
		nodes[1].AsyncCommit()
	}
	const n = 12 // 7 over the free 5: 30s·2⁶ = 32m, capped at 15m
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		b := nodes[i%2]
		b.now = c.now
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := b.Fail(context.Background(), "victim", "198.51.100.7"); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var failures int
	if err := db.QueryRow(`SELECT failures FROM login_backoff WHERE account_key = 'victim'`).Scan(&failures); err != nil || failures != n {
		t.Errorf("failures = %d (%v), want %d", failures, err, n)
	}
	if d := wait(t, nodes[0], "victim", "198.51.100.7"); d != 15*time.Minute {
		t.Errorf("wait %v, want the longest delay 15m", d)
	}
}

// TestBackoffBounded: a flood of failing pairs keeps the table near its
// cap, a pair being held off survives the flood, and pairs idle for
// BackoffForget are forgotten.
func TestBackoffBounded(t *testing.T) {
	ctx := context.Background()
	b := NewBackoff(storetest.Open(t).DB(), 1, 30*time.Second, 15*time.Minute, 100)
	c := newClock(0)
	b.now = c.now
	fail(t, b, "admin", "6.6.6.6")
	if d := fail(t, b, "admin", "6.6.6.6"); d != 30*time.Second {
		t.Fatalf("delay %v", d)
	}
	for i := 0; i < 500; i++ {
		c.add(time.Millisecond)
		fail(t, b, fmt.Sprintf("user%d", i), "10.1.1.1")
		if n, _ := b.Len(ctx); n > 100+int(pruneEvery(100)) {
			t.Fatalf("%d pairs kept, bound 100+%d", n, pruneEvery(100))
		}
	}
	if wait(t, b, "admin", "6.6.6.6") == 0 {
		t.Error("a flood of other pairs released the throttled pair")
	}
	c.add(BackoffForget + time.Minute)
	if err := b.Prune(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := b.Len(ctx); n != 0 {
		t.Errorf("%d idle pairs kept", n)
	}
}

// BenchmarkLimiterAllow: the cost of one throttle check (a read of the
// previous window and one upsert) on the test store.
func BenchmarkLimiterAllow(b *testing.B) {
	for _, async := range commitModes() {
		b.Run(fmt.Sprintf("async=%v", async), func(b *testing.B) {
			l := NewLimiter(storetest.Open(b).DB(), "bench", 1<<30, time.Minute)
			if async {
				l.AsyncCommit()
			}
			ctx := context.Background()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := l.Allow(ctx, fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
