package store

import (
	"context"
	"database/sql"
	"sync"
)

// Querier is what a read needs from the database: a *sql.DB, or a
// *Stmts that prepares each statement once.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Stmts runs queries through statements prepared once and kept, for the
// few reads every page view makes (the document page's box of related
// news, events and discussions). database/sql prepares a plain query on
// every call, and SQLite's parser was most of what those reads cost (about
// 1.5 s of a 25 s load profile, more than running them). A statement is
// prepared on each pooled connection the first time it runs there
// (database/sql does that). At most maxStmts texts are kept; others run
// unprepared, so queries with generated IN lists cannot grow the cache
// without bound.
type Stmts struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

const maxStmts = 64

// NewStmts returns a statement cache over db. Close releases the
// statements (closing db does too).
func NewStmts(db *sql.DB) *Stmts { return &Stmts{db: db, m: map[string]*sql.Stmt{}} }

// stmt returns the prepared statement of query, or nil when the cache is
// full or preparing failed (the caller then runs the query unprepared,
// and gets the error, if any, from there).
func (s *Stmts) stmt(ctx context.Context, query string) *sql.Stmt {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.m[query]; ok {
		return st
	}
	if len(s.m) >= maxStmts {
		return nil
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	s.m[query] = st
	return st
}

// QueryContext runs query through its prepared statement.
func (s *Stmts) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := s.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.db.QueryContext(ctx, query, args...)
}

// QueryRowContext runs query through its prepared statement.
func (s *Stmts) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := s.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.db.QueryRowContext(ctx, query, args...)
}

// Close closes the kept statements.
func (s *Stmts) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for q, st := range s.m {
		st.Close()
		delete(s.m, q)
	}
	return nil
}
