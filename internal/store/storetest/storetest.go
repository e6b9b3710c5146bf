// Package storetest opens a fresh store for a test: SQLite in a temporary
// directory by default, or, when DATALEX_TEST_POSTGRES holds a postgres://
// URL, PostgreSQL in a new schema of that database (dropped after the test).
// Every package's database tests open their store through it, so
//
//	DATALEX_TEST_POSTGRES=postgres://… go test ./...
//
// runs the same tests on PostgreSQL.
package storetest

import (
	"context"
	"os"
	"testing"

	"datalex/internal/store"
)

// Env names the variable that selects PostgreSQL for tests.
const Env = "DATALEX_TEST_POSTGRES"

// Postgres is the test server's URL, or "" when tests run on SQLite.
func Postgres() string { return os.Getenv(Env) }

// Database returns the --database setting for a fresh store: a new
// PostgreSQL schema's URL, or "" (SQLite in the data directory).
func Database(t testing.TB) string {
	t.Helper()
	server := Postgres()
	if server == "" {
		return ""
	}
	u, drop, err := store.NewSchema(context.Background(), server)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Logf("dropping test schema: %v", err)
		}
	})
	return u
}

// Open opens a fresh, migrated store and closes it when the test ends.
func Open(t testing.TB) *store.Store {
	t.Helper()
	return OpenIn(t, t.TempDir())
}

// OpenIn is Open with a given data directory (node-local files on
// PostgreSQL, the database file itself on SQLite).
func OpenIn(t testing.TB, dir string) *store.Store {
	t.Helper()
	st, err := store.OpenDatabase(context.Background(), Database(t), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
