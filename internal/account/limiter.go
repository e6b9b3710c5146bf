package account

import (
	"context"
	"database/sql"
	"errors"
	"sync/atomic"
	"time"
)

// The throttles keep their state in the database, not in the node's memory:
// behind a round-robin proxy every node sees the same counters, so two nodes
// do not give an attacker twice the attempts (issue 16). Each check is one
// atomic upsert, correct under concurrency on SQLite (one writer) and on
// PostgreSQL (ON CONFLICT DO UPDATE locks the row).

// DefaultLimiterCapacity bounds how many rows a throttle keeps. Past the
// bound the least recently seen rows are deleted — never all of them, so a
// flood of fresh addresses cannot wipe the counters of the address that is
// actually attacking (it stays recent because it keeps trying).
const DefaultLimiterCapacity = 100_000

// Limiter throttles attempts per key (a client address) within a window:
// it slows password spraying across many accounts from one address. The
// counts are kept per fixed window and the previous window's count is
// weighed by how much of it still overlaps the sliding window ending now,
// so a burst across a window boundary does not get twice the limit.
type Limiter struct {
	db       *sql.DB
	scope    string
	max      int
	window   time.Duration
	capacity int
	calls    atomic.Int64
	now      func() time.Time
	async    bool // see AsyncCommit
}

// NewLimiter allows max attempts per key within window. scope names the
// limit in the shared table ("login", "pdf"): limiters with the same scope
// share their counters, on this node and every other.
func NewLimiter(db *sql.DB, scope string, max int, window time.Duration) *Limiter {
	return NewLimiterCap(db, scope, max, window, DefaultLimiterCapacity)
}

// NewLimiterCap is NewLimiter with an explicit bound on the rows kept.
func NewLimiterCap(db *sql.DB, scope string, max int, window time.Duration, capacity int) *Limiter {
	if capacity < 1 {
		capacity = 1
	}
	if window < time.Millisecond {
		window = time.Millisecond
	}
	return &Limiter{db: db, scope: scope, max: max, window: window, capacity: capacity, now: time.Now}
}

// pruneEvery is how many calls a node makes between prunes of a table
// bounded at capacity: the table holds at most capacity rows plus what the
// nodes add between prunes.
func pruneEvery(capacity int) int64 { return int64(max(1, capacity/8)) }

// Allow records an attempt for key and reports whether it may proceed.
func (l *Limiter) Allow(ctx context.Context, key string) (bool, error) {
	now := l.now()
	w := l.window.Milliseconds()
	ms := now.UnixMilli()
	start := ms - ms%w
	var prev int64
	err := l.db.QueryRowContext(ctx, `SELECT hits FROM throttle_counts WHERE scope = ? AND subject = ? AND window_start = ?`,
		l.scope, key, start-w).Scan(&prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	// The sliding window [now-window, now] covers (w-elapsed)/w of the
	// previous fixed window; its attempts are assumed evenly spread.
	// estimate = prev·overlap + current < max  ⇔  current < limit.
	overlap := float64(w-(ms-start)) / float64(w)
	limit := int64(l.max) - int64(float64(prev)*overlap)
	first := int64(0)
	if limit > 0 {
		first = 1
	}
	// SET expressions see the row as it was, so ok and hits agree.
	var ok int64
	err = scanWrite(ctx, l.db, l.async, []any{&ok}, `INSERT INTO throttle_counts (scope, subject, window_start, hits, ok, seen_ns)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (scope, subject, window_start) DO UPDATE SET
    ok = CASE WHEN throttle_counts.hits < ? THEN 1 ELSE 0 END,
    hits = CASE WHEN throttle_counts.hits < ? THEN throttle_counts.hits + 1 ELSE throttle_counts.hits END,
    seen_ns = ?
RETURNING ok`, l.scope, key, start, first, first, now.UnixNano(), limit, limit, now.UnixNano())
	if err != nil {
		return false, err
	}
	if l.calls.Add(1)%pruneEvery(l.capacity) == 0 {
		if err := l.Prune(ctx); err != nil {
			return false, err
		}
	}
	return ok == 1, nil
}

// Prune deletes the windows that no longer count and, past the capacity,
// the least recently seen rows.
func (l *Limiter) Prune(ctx context.Context) error {
	ms := l.now().UnixMilli()
	w := l.window.Milliseconds()
	if _, err := l.db.ExecContext(ctx, `DELETE FROM throttle_counts WHERE scope = ? AND window_start < ?`, l.scope, ms-ms%w-w); err != nil {
		return err
	}
	_, err := l.db.ExecContext(ctx, `DELETE FROM throttle_counts WHERE scope = ? AND seen_ns <
    (SELECT seen_ns FROM throttle_counts WHERE scope = ? ORDER BY seen_ns DESC LIMIT 1 OFFSET ?)`, l.scope, l.scope, l.capacity-1)
	return err
}

// Len reports how many rows the limiter's scope holds (for tests and
// metrics).
func (l *Limiter) Len(ctx context.Context) (int, error) {
	var n int
	err := l.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM throttle_counts WHERE scope = ?`, l.scope).Scan(&n)
	return n, err
}

// BackoffForget is how long a (name, address) pair's failures are kept
// after its last one: by then any delay has long lapsed.
const BackoffForget = 24 * time.Hour

// Backoff delays further login attempts for one (account, address) pair
// after repeated failures, doubling the delay each time. Keying by the pair
// means nobody can lock an account for its owner by failing from elsewhere,
// and keying by the name as typed — known account or not — means the
// response never tells whether an account exists: both get the same
// statements.
type Backoff struct {
	db       *sql.DB
	free     int           // failures allowed before any delay
	base     time.Duration // first delay
	max      time.Duration // longest delay
	capacity int
	calls    atomic.Int64
	now      func() time.Time
	async    bool // see AsyncCommit
}

// NewBackoff allows free failures, then waits base, 2·base, 4·base … up to
// max, keeping at most capacity pairs.
func NewBackoff(db *sql.DB, free int, base, max time.Duration, capacity int) *Backoff {
	if capacity < 1 {
		capacity = 1
	}
	return &Backoff{db: db, free: free, base: base, max: max, capacity: capacity, now: time.Now}
}

// Wait reports how long the pair must still wait before its next attempt
// (zero when it may try now).
func (b *Backoff) Wait(ctx context.Context, account, addr string) (time.Duration, error) {
	var until int64
	err := b.db.QueryRowContext(ctx, `SELECT until_ns FROM login_backoff WHERE account_key = ? AND addr = ?`, account, addr).Scan(&until)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if d := time.Duration(until - b.now().UnixNano()); d > 0 {
		return d, nil
	}
	return 0, nil
}

// Fail records a failed attempt and returns the delay now imposed.
func (b *Backoff) Fail(ctx context.Context, account, addr string) (time.Duration, error) {
	now := b.now()
	var failures int
	err := scanWrite(ctx, b.db, b.async, []any{&failures}, `INSERT INTO login_backoff (account_key, addr, failures, until_ns, seen_ns)
VALUES (?, ?, 1, 0, ?)
ON CONFLICT (account_key, addr) DO UPDATE SET failures = login_backoff.failures + 1,
    seen_ns = CASE WHEN login_backoff.seen_ns > ? THEN login_backoff.seen_ns ELSE ? END
RETURNING failures`, account, addr, now.UnixNano(), now.UnixNano(), now.UnixNano())
	if err != nil {
		return 0, err
	}
	var d time.Duration
	if over := failures - b.free; over > 0 {
		d = b.base
		for i := 1; i < over && d < b.max; i++ {
			d *= 2
		}
		d = min(d, b.max)
		// Concurrent failures each set their own delay; the longest wins.
		// seen_ns moves to the end of the delay as well: a pair that is
		// being held off counts as recent until then, so trimming a flood
		// of other pairs does not release it early.
		until := now.Add(d).UnixNano()
		if err := scanWrite(ctx, b.db, b.async, nil, `UPDATE login_backoff SET until_ns = ?, seen_ns = ? WHERE account_key = ? AND addr = ? AND until_ns < ?`,
			until, until, account, addr, until); err != nil {
			return 0, err
		}
	}
	if b.calls.Add(1)%pruneEvery(b.capacity) == 0 {
		if err := b.Prune(ctx); err != nil {
			return 0, err
		}
	}
	return d, nil
}

// Succeed forgets the pair's failures.
func (b *Backoff) Succeed(ctx context.Context, account, addr string) error {
	return scanWrite(ctx, b.db, b.async, nil, `DELETE FROM login_backoff WHERE account_key = ? AND addr = ?`, account, addr)
}

// Prune forgets pairs whose last failure is older than BackoffForget and,
// past the capacity, the least recently failing pairs.
func (b *Backoff) Prune(ctx context.Context) error {
	now := b.now()
	if _, err := b.db.ExecContext(ctx, `DELETE FROM login_backoff WHERE seen_ns < ? AND until_ns < ?`,
		now.Add(-BackoffForget).UnixNano(), now.UnixNano()); err != nil {
		return err
	}
	_, err := b.db.ExecContext(ctx, `DELETE FROM login_backoff WHERE seen_ns <
    (SELECT seen_ns FROM login_backoff ORDER BY seen_ns DESC LIMIT 1 OFFSET ?)`, b.capacity-1)
	return err
}

// Len reports how many pairs are remembered (for tests and metrics).
func (b *Backoff) Len(ctx context.Context) (int, error) {
	var n int
	err := b.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_backoff`).Scan(&n)
	return n, err
}

// AsyncCommit lets the limiter's writes return before PostgreSQL flushes
// them to disk (synchronous_commit off for its transactions only): a check
// then costs a fraction of a millisecond instead of an fsync, and a
// database crash loses at most the last moment's counts — acceptable for a
// rate limit, unlike for the data around it. PostgreSQL only; SQLite's
// writes are cheap already (see ARCHITECTURE.md, Stores and serving nodes).
func (l *Limiter) AsyncCommit() { l.async = true }

// AsyncCommit is Limiter.AsyncCommit for the backoff's writes.
func (b *Backoff) AsyncCommit() { b.async = true }

// scanWrite runs one write statement and scans its RETURNING row into
// dest (none: no row is read). async runs it in a transaction that does not
// wait for the WAL flush (PostgreSQL's SET LOCAL synchronous_commit).
func scanWrite(ctx context.Context, db *sql.DB, async bool, dest []any, query string, args ...any) error {
	run := func(ex interface {
		ExecContext(context.Context, string, ...any) (sql.Result, error)
		QueryRowContext(context.Context, string, ...any) *sql.Row
	}) error {
		if dest == nil {
			_, err := ex.ExecContext(ctx, query, args...)
			return err
		}
		return ex.QueryRowContext(ctx, query, args...).Scan(dest...)
	}
	if !async {
		return run(db)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
		return err
	}
	if err := run(tx); err != nil {
		return err
	}
	return tx.Commit()
}
