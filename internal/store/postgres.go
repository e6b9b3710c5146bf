package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// OpenPostgres opens the PostgreSQL store at url (postgres://user:pass@host/db,
// any libpq setting such as sslmode or search_path as a query parameter) and
// applies the PostgreSQL migrations. dir, when not empty, is created for the
// node-local files (the dense-vector cache, the data directory lock); nothing
// the platform's users write is kept there.
func OpenPostgres(ctx context.Context, url, dir string) (*Store, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL 连接串无效: %w", err) // pgx redacts the password
	}
	if dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("创建数据目录: %w", err)
		}
	}
	db := sql.OpenDB(newRebindConnector(cfg))
	// Several nodes share one server: a modest pool per node keeps the
	// total under PostgreSQL's default max_connections (100).
	db.SetMaxOpenConns(16)
	// Idle room for the whole pool: with 8, a burst past 8 requests
	// closed the extra connections after use, and each reopened one
	// cost a PostgreSQL backend start and re-preparing every statement
	// (232 reconnections in a 30 s load test). Idle ones are let go
	// after a quiet spell.
	db.SetMaxIdleConns(16)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("连接 PostgreSQL %s:%d/%s: %w", cfg.Host, cfg.Port, cfg.Database, err)
	}
	// SQLite orders text by code point; PostgreSQL by the database's
	// collation. With C / C.UTF-8 lists come out in the same order on both.
	var collate string
	if err := db.QueryRowContext(ctx, `SELECT datcollate FROM pg_database WHERE datname = current_database()`).Scan(&collate); err == nil &&
		collate != "C" && collate != "POSIX" && !strings.HasPrefix(collate, "C.") {
		slog.Warn("PostgreSQL 数据库的排序规则不是 C：文本排序会与 SQLite 不同；建议 createdb --locale=C.UTF-8 -T template0", "collate", collate)
	}
	if err := migrate(ctx, db, Postgres); err != nil {
		db.Close()
		return nil, err
	}
	return &Store{db: db, dir: dir, dialect: Postgres, pgConfig: cfg, nodeID: newNodeID()}, nil
}
