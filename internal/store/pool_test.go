package store

import (
	"context"
	"database/sql"
	"os"
	"sync"
	"testing"
	"time"
)

// TestSQLitePoolKeepsConnections runs reads at the pool's full width, as
// under load, and checks that no connection was closed for lack of idle
// room only to be reopened by the next request.
func TestSQLitePoolKeepsConnections(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	poolKeepsConnections(t, st.DB(), 8)
}

// TestPostgresPoolKeepsConnections: the same for PostgreSQL, where a
// reopened connection costs a backend start and re-preparing statements.
func TestPostgresPoolKeepsConnections(t *testing.T) {
	url := os.Getenv("DATALEX_TEST_POSTGRES")
	if url == "" {
		t.Skip("DATALEX_TEST_POSTGRES not set")
	}
	st, err := OpenPostgres(context.Background(), url, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	poolKeepsConnections(t, st.DB(), 24)
}

func poolKeepsConnections(t *testing.T, db *sql.DB, width int) {
	ctx := context.Background()
	for round := 0; round < 20; round++ {
		var wg sync.WaitGroup
		for i := 0; i < width; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				tx, err := db.BeginTx(ctx, nil) // hold a connection so the pool widens
				if err != nil {
					t.Error(err)
					return
				}
				// Hold it until the pool has a second connection (or a
				// second has passed): goroutines that happen to run one
				// after another on a loaded machine would otherwise never
				// need one. (SQLite's second BEGIN waits for the write
				// lock, but it has taken its connection by then.)
				for deadline := time.Now().Add(time.Second); db.Stats().OpenConnections < 2 && time.Now().Before(deadline); {
					time.Sleep(time.Millisecond)
				}
				var n int
				if err := tx.QueryRowContext(ctx, "SELECT 1").Scan(&n); err != nil {
					t.Error(err)
				}
				tx.Rollback()
			}()
		}
		wg.Wait()
	}
	s := db.Stats()
	if s.OpenConnections < 2 {
		t.Fatalf("pool never widened: %+v", s)
	}
	if s.MaxIdleClosed != 0 {
		t.Errorf("%d connections closed for lack of idle room (reopened under load): %+v", s.MaxIdleClosed, s)
	}
}
