package main

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"datalex/internal/account"
	"datalex/internal/store"
)

func TestBackupRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	acc := account.New(st.DB())
	if _, err := acc.Create(ctx, "before", "long enough pw", account.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	st.Close()
	backup := filepath.Join(t.TempDir(), "b.db")
	if err := runBackup(ctx, []string{"--data", dir, backup}); err != nil {
		t.Fatal(err)
	}
	if err := runBackup(ctx, []string{"--data", dir, backup}); err == nil {
		t.Error("backup overwrote an existing file")
	}
	// A change after the backup is undone by restoring it.
	st, _ = store.Open(ctx, dir)
	account.New(st.DB()).Create(ctx, "after", "long enough pw", account.RoleMember)
	st.Close()

	// Refused while the data directory is held (datalex serve).
	unlock, err := lockDataDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := runRestore(ctx, []string{"--data", dir, backup}); err == nil || !strings.Contains(err.Error(), "正被另一个") {
		t.Errorf("restore while locked: %v", err)
	}
	unlock()

	bad := filepath.Join(t.TempDir(), "bad.db")
	os.WriteFile(bad, []byte("SQLite format 3\x00 but not really a database"), 0o644)
	if err := runRestore(ctx, []string{"--data", dir, bad}); err == nil {
		t.Error("restored a corrupt file")
	}
	if err := runRestore(ctx, []string{"--data", dir, backup}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, store.DBFile+".bak")); err != nil {
		t.Errorf("old database not kept: %v", err)
	}
	st, err = store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	acc = account.New(st.DB())
	if u, _ := acc.ByUsername(ctx, "before"); u == nil {
		t.Error("restored database lacks the user from before the backup")
	}
	if u, _ := acc.ByUsername(ctx, "after"); u != nil {
		t.Error("restored database still has the user created after the backup")
	}
}

func TestUserCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if err := runUser(ctx, []string{"create", "--data", dir, "--admin", "--username", "boss"}); err != nil {
		t.Fatal(err)
	}
	if err := runUser(ctx, []string{"create", "--data", dir, "--username", "boss"}); err == nil {
		t.Error("duplicate user created")
	}
	if err := runUser(ctx, []string{"set-role", "--data", dir, "--username", "boss", "--role", "editor"}); err != nil {
		t.Fatal(err)
	}
	st, _ := store.Open(ctx, dir)
	defer st.Close()
	if u, _ := account.New(st.DB()).ByUsername(ctx, "boss"); u == nil || u.Role != account.RoleEditor {
		t.Errorf("boss = %+v", u)
	}
}

func TestApplySettings(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "datalex.conf")
	os.WriteFile(cfg, []byte("# comment\naddr = 0.0.0.0:9000\nmax-upload-mb = 5\nlog-format = \"json\"\n"), 0o644)
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "")
	maxUp := fs.Int("max-upload-mb", 20, "")
	format := fs.String("log-format", "text", "")
	fs.String("config", "", "")
	fs.Parse([]string{"--log-format", "text"})
	t.Setenv("DATALEX_MAX_UPLOAD_MB", "7")
	if err := applySettings(fs, cfg); err != nil {
		t.Fatal(err)
	}
	// flag > environment > file > default
	if *addr != "0.0.0.0:9000" || *maxUp != 7 || *format != "text" {
		t.Errorf("addr=%s max=%d format=%s", *addr, *maxUp, *format)
	}
	os.WriteFile(cfg, []byte("nonsense\n"), 0o644)
	if err := applySettings(fs, cfg); err == nil {
		t.Error("bad config line accepted")
	}
}
