package store

import (
	"context"
	"os"
	"sync/atomic"
	"testing"
	"time"
)

// TestListenLibrary: a node reloads when another node's library change
// commits, not for its own changes, and keeps listening after its
// connection is killed (reloading once on reconnection, since it may have
// missed a change).
func TestListenLibrary(t *testing.T) {
	server := os.Getenv("DATALEX_TEST_POSTGRES")
	if server == "" {
		t.Skip("DATALEX_TEST_POSTGRES not set")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	u, drop, err := NewSchema(ctx, server)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { drop() })
	open := func() *Store {
		st, err := OpenDatabase(ctx, u, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	a, b := open(), open()
	var reloadsA, reloadsB atomic.Int32
	<-a.ListenLibrary(ctx, func(context.Context) error { reloadsA.Add(1); return nil })
	<-b.ListenLibrary(ctx, func(context.Context) error { reloadsB.Add(1); return nil })
	waitN := func(what string, n *atomic.Int32, want int32) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for n.Load() < want {
			if time.Now().After(deadline) {
				t.Fatalf("%s: %d reloads, want %d", what, n.Load(), want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	if err := a.SaveImport(ctx, nil, nil); err != nil { // an (empty) import on node A
		t.Fatal(err)
	}
	waitN("B after A's import", &reloadsB, 1)
	// A rolled-back change notifies nobody.
	tx, _ := a.DB().BeginTx(ctx, nil)
	if err := a.notifyTx(ctx, tx); err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	time.Sleep(300 * time.Millisecond)
	if n := reloadsB.Load(); n != 1 {
		t.Fatalf("B reloaded %d times after a rolled-back change", n)
	}
	if n := reloadsA.Load(); n != 0 {
		t.Fatalf("A reloaded %d times for its own change", n)
	}

	// Kill B's listening connection; B reconnects and reloads once, then
	// hears the next change.
	var killed int
	if err := a.DB().QueryRowContext(ctx, `SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE application_name = ?`, "datalex-listen-"+b.nodeID).Scan(&killed); err != nil || killed != 1 {
		t.Fatalf("terminated %d listeners (err %v)", killed, err)
	}
	waitN("B after reconnecting", &reloadsB, 2)
	if err := a.NotifyLibraryChanged(ctx); err != nil {
		t.Fatal(err)
	}
	waitN("B after A's edit", &reloadsB, 3)
}
