package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Several serving nodes share one PostgreSQL database. Each keeps its own
// in-memory library snapshot and search index, so they must hear about
// every change to the library: a change commits a NOTIFY on LibraryChannel
// (in the same transaction as the change, so listeners never hear of an
// uncommitted one), and every node LISTENs and reloads. Imports run under
// an advisory lock so two nodes starting at once import the bundled corpus
// once, and two uploads never assemble works from the same stale library.
// On SQLite (one process) these are no-ops.

// LibraryChannel is the PostgreSQL notification channel for library changes.
const LibraryChannel = "datalex_library"

// importLockKey is the pg_advisory_lock key for imports (any fixed bigint;
// this one spells "DataLex" in ASCII).
const importLockKey int64 = 0x446174614c6578

// newNodeID names one open store, so that its listener can tell its own
// notifications from other nodes' ones: the node that made a change has
// already reloaded.
func newNodeID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Exclusive runs fn while holding the cluster-wide import lock (a session
// advisory lock on one pooled connection). SQLite runs fn directly: its
// writers are already serialised and one process serves the file.
func (s *Store) Exclusive(ctx context.Context, fn func(ctx context.Context) error) error {
	if s.dialect != Postgres {
		return fn(ctx)
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(?)`, importLockKey); err != nil {
		return fmt.Errorf("等待导入锁: %w", err)
	}
	defer func() {
		// A fresh context: the caller's may be cancelled, and a lock left
		// on a pooled connection would block every later import.
		uctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := conn.ExecContext(uctx, `SELECT pg_advisory_unlock(?)`, importLockKey); err != nil {
			// Unlocking failed: drop the connection (its session and so
			// its lock end with it) rather than return it to the pool.
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	return fn(ctx)
}

// notifyTx queues a library-change notification in tx; PostgreSQL delivers
// it when tx commits and drops it on rollback.
func (s *Store) notifyTx(ctx context.Context, ex interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}) error {
	if s.dialect != Postgres {
		return nil
	}
	_, err := ex.ExecContext(ctx, `SELECT pg_notify(?, ?)`, LibraryChannel, s.nodeID)
	return err
}

// NotifyLibraryChanged tells the other nodes that the library changed
// outside SaveImport and SetWithdrawn (which notify on their own), such as
// a metadata edit.
func (s *Store) NotifyLibraryChanged(ctx context.Context) error {
	return s.notifyTx(ctx, s.db)
}

// ListenLibrary calls reload whenever another node changes the library,
// until ctx ends, from goroutines of its own; the returned channel closes
// once the first LISTEN is in place. It holds one dedicated connection
// (LISTEN does not work through a pool), reconnects with backoff when it
// drops, and reloads after each reconnection because notifications sent
// meanwhile are lost. Reloads run one at a time, and a burst of
// notifications during one reload causes one more, not one each. On SQLite
// (one process) it does nothing.
func (s *Store) ListenLibrary(ctx context.Context, reload func(ctx context.Context) error) <-chan struct{} {
	ready := make(chan struct{})
	if s.dialect != Postgres {
		close(ready)
		return ready
	}
	go s.listen(ctx, reload, ready)
	return ready
}

func (s *Store) listen(ctx context.Context, reload func(ctx context.Context) error, ready chan struct{}) {
	var readyOnce sync.Once
	pending := make(chan struct{}, 1)
	poke := func() {
		select {
		case pending <- struct{}{}:
		default: // a reload is already queued; it will see this change too
		}
	}
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-pending:
				if err := reload(ctx); err != nil && ctx.Err() == nil {
					slog.Error("重新加载资料库失败", "err", err)
				}
			}
		}
	}()
	delay := time.Second
	for first := true; ctx.Err() == nil; first = false {
		connected := false
		err := s.listenOnce(ctx, poke, !first, func() {
			connected = true
			readyOnce.Do(func() { close(ready) })
		})
		if ctx.Err() != nil {
			return
		}
		if connected { // a working connection that dropped: retry soon
			delay = time.Second
		}
		slog.Warn("资料库变更监听中断，稍后重连", "err", err, "retry", delay)
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
		delay = min(delay*2, time.Minute)
	}
}

func (s *Store) listenOnce(ctx context.Context, poke func(), missed bool, listening func()) error {
	cfg := s.pgConfig.Copy()
	// Named so operators (and tests) can find it in pg_stat_activity.
	cfg.RuntimeParams["application_name"] = "datalex-listen-" + s.nodeID
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+LibraryChannel); err != nil {
		return err
	}
	listening()
	if missed {
		poke()
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if n.Payload != s.nodeID {
			poke()
		}
	}
}
