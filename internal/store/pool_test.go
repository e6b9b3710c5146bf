package store

import (
	"context"
	"sync"
	"testing"
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
	db := st.DB()
	for round := 0; round < 20; round++ {
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				tx, err := db.BeginTx(ctx, nil) // hold a connection so the pool widens
				if err != nil {
					t.Error(err)
					return
				}
				var n int
				if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM versions").Scan(&n); err != nil {
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
