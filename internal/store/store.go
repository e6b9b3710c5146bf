// Package store persists the library and the platform's own data in SQL.
//
// The embedded default is a SQLite file (pure Go, modernc.org/sqlite) in the
// data directory; PostgreSQL (pgx) is the second store, chosen by a
// postgres:// URL. Schema changes are plain SQL files under migrations/
// (SQLite) and their twins under migrations/postgres/, applied by goose at
// open time. Queries stay within portable SQL with '?' placeholders, so the
// packages run the same statements on both (see pgdriver.go).
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql migrations/postgres/*.sql
var migrations embed.FS

// DBFile is the database file name inside the data directory.
const DBFile = "datalex.db"

// Store is an open database.
type Store struct {
	db      *sql.DB
	dir     string
	dialect Dialect
	// pgConfig is the PostgreSQL connection setting, kept for the
	// connections that cannot come from the pool (LISTEN).
	pgConfig *pgx.ConnConfig
	nodeID   string // see newNodeID
}

// gooseMu serialises migrations: goose keeps its settings in package state.
var gooseMu sync.Mutex

// Open opens (creating if needed) the store in dir and applies migrations.
func Open(ctx context.Context, dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("数据目录为空")
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("创建数据目录: %w", err)
	}
	path := filepath.Join(dir, DBFile)
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("打开数据库: %w", err)
	}
	// SQLite allows one writer; a small pool keeps readers concurrent while
	// busy_timeout makes writers wait rather than fail. Transactions begin
	// IMMEDIATE: a deferred one that reads and then writes fails at once with
	// SQLITE_BUSY when another connection wrote in between, whatever the
	// busy timeout.
	db.SetMaxOpenConns(4)
	// Keep every connection idle between requests: database/sql keeps 2
	// by default, so under load the other two were closed and reopened
	// (a file open and the pragmas above) again and again.
	db.SetMaxIdleConns(4)
	db.SetConnMaxIdleTime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("打开数据库 %s: %w", path, err)
	}
	if err := migrate(ctx, db, SQLite); err != nil {
		db.Close()
		return nil, err
	}
	return &Store{db: db, dir: dir, dialect: SQLite, nodeID: newNodeID()}, nil
}

// OpenDatabase opens the store a --database setting names: a postgres://
// URL opens PostgreSQL (dir then only holds node-local files such as the
// dense-vector cache); anything else is the SQLite store in dir.
func OpenDatabase(ctx context.Context, database, dir string) (*Store, error) {
	if DialectOf(database) == Postgres {
		return OpenPostgres(ctx, database, dir)
	}
	return Open(ctx, dir)
}

func migrate(ctx context.Context, db *sql.DB, d Dialect) error {
	gooseMu.Lock()
	defer gooseMu.Unlock()
	goose.SetBaseFS(migrations)
	goose.SetLogger(goose.NopLogger())
	gooseDialect, dirName := "sqlite3", "migrations"
	if d == Postgres {
		gooseDialect, dirName = "postgres", "migrations/postgres"
	}
	if err := goose.SetDialect(gooseDialect); err != nil {
		return err
	}
	if err := goose.UpContext(ctx, db, dirName, goose.WithAllowMissing()); err != nil {
		return fmt.Errorf("数据库迁移失败: %w", err)
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// DB exposes the handle for packages that keep their own tables
// (accounts, community, news …) in this database.
func (s *Store) DB() *sql.DB { return s.db }

// Dir is the data directory.
func (s *Store) Dir() string { return s.dir }

// Backup writes a consistent copy of the live database to file (VACUUM INTO
// works while the platform is serving).
func (s *Store) Backup(ctx context.Context, file string) error {
	if s.dialect == Postgres {
		return errors.New("PostgreSQL 资料库请用 pg_dump 备份（见 README 部署一节）")
	}
	if _, err := os.Stat(file); err == nil {
		return fmt.Errorf("备份文件已存在: %s", file)
	}
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", file); err != nil {
		return fmt.Errorf("备份失败: %w", err)
	}
	return nil
}
