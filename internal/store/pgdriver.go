package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
)

// The packages write portable SQL with '?' placeholders against *sql.DB.
// Rather than teach every call site about PostgreSQL, the PostgreSQL store
// hands them a *sql.DB whose driver is pgx's database/sql driver wrapped by
// rebindConnector: each statement is rebound ('?' → $n) on its way in, and
// Go bools become 0/1 because the shared schema keeps flags as INTEGER (as
// SQLite's driver does on its own). Everything else passes straight to pgx.

type rebindConnector struct {
	inner driver.Connector
}

func newRebindConnector(cfg *pgx.ConnConfig) driver.Connector {
	return rebindConnector{inner: stdlib.GetConnector(*cfg)}
}

func (c rebindConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &rebindConn{Conn: conn}, nil
}

func (c rebindConnector) Driver() driver.Driver { return c.inner.Driver() }

// rebindConn forwards to pgx's *stdlib.Conn, which implements every optional
// interface used below; the assertions fail loudly if a pgx upgrade drops one.
type rebindConn struct {
	driver.Conn
}

var errNotSupported = errors.New("store: pgx driver lacks an expected interface")

func (c *rebindConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	p, ok := c.Conn.(driver.ConnPrepareContext)
	if !ok {
		return nil, errNotSupported
	}
	return p.PrepareContext(ctx, Rebind(Postgres, query))
}

func (c *rebindConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *rebindConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	b, ok := c.Conn.(driver.ConnBeginTx)
	if !ok {
		return nil, errNotSupported
	}
	return b.BeginTx(ctx, opts)
}

func (c *rebindConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	e, ok := c.Conn.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	return e.ExecContext(ctx, Rebind(Postgres, query), args)
}

func (c *rebindConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := c.Conn.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	return q.QueryContext(ctx, Rebind(Postgres, query), args)
}

func (c *rebindConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *rebindConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

// CheckNamedValue lets a Go bool bind to the INTEGER flag columns (as 0/1)
// as well as to real boolean columns (goose's own table), drops NUL
// characters from strings (PostgreSQL text cannot hold them; SQLite keeps
// them, and no page shows them), and lets pgx encode every other value.
func (c *rebindConn) CheckNamedValue(nv *driver.NamedValue) error {
	switch v := nv.Value.(type) {
	case bool:
		nv.Value = flexBool(v)
	case string:
		if strings.IndexByte(v, 0) >= 0 {
			nv.Value = strings.ReplaceAll(v, "\x00", "")
		}
	}
	return nil
}

// flexBool is a bool pgx can encode both as an integer and as a boolean.
type flexBool bool

func (b flexBool) Int64Value() (pgtype.Int8, error) {
	if b {
		return pgtype.Int8{Int64: 1, Valid: true}, nil
	}
	return pgtype.Int8{Int64: 0, Valid: true}, nil
}

func (b flexBool) BoolValue() (pgtype.Bool, error) {
	return pgtype.Bool{Bool: bool(b), Valid: true}, nil
}
