package store

import (
	"context"
	"errors"
	"hash/fnv"
	"log/slog"
	"time"
)

// singletonRetry is how often a node that does not hold a singleton task
// checks whether it can take it over (a variable so tests can shorten it).
var singletonRetry = 30 * time.Second

// errLockLost reports that the connection holding a singleton lock died.
var errLockLost = errors.New("单例任务的数据库连接已断开")

// RunOnOneNode runs fn on one node of the cluster at a time — background
// work such as polling news feeds that every node would otherwise repeat.
// The node holding PostgreSQL's session advisory lock for name runs fn;
// the others check every singletonRetry and take over when the holder
// stops or its connection drops (then fn's context is cancelled on the old
// holder). It returns when ctx ends. On SQLite (one process) it is fn(ctx).
func (s *Store) RunOnOneNode(ctx context.Context, name string, fn func(ctx context.Context) error) error {
	if s.dialect != Postgres {
		return fn(ctx)
	}
	h := fnv.New64a()
	h.Write([]byte("datalex:" + name))
	key := int64(h.Sum64())
	for ctx.Err() == nil {
		ran, err := s.runHoldingLock(ctx, key, fn)
		if err != nil && ctx.Err() == nil {
			slog.Warn("单例任务中断", "task", name, "err", err)
		}
		if ran && err == nil {
			return nil // fn finished on its own
		}
		select {
		case <-ctx.Done():
		case <-time.After(singletonRetry):
		}
	}
	return ctx.Err()
}

func (s *Store) runHoldingLock(ctx context.Context, key int64, fn func(ctx context.Context) error) (bool, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	var held bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(?)`, key).Scan(&held); err != nil || !held {
		return false, err
	}
	defer func() {
		uctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn.ExecContext(uctx, `SELECT pg_advisory_unlock(?)`, key)
	}()
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- fn(runCtx) }()
	// The lock lives as long as this connection's session: check it, so
	// that a node cut off from the database stops and another takes over.
	tick := time.NewTicker(singletonRetry / 2)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			return true, err
		case <-tick.C:
			if err := conn.PingContext(ctx); err != nil && ctx.Err() == nil {
				cancel()
				<-done
				return true, errLockLost
			}
		}
	}
}
