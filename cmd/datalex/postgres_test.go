package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"datalex/internal/store/storetest"
)

// TestCommandsOnPostgres: the CLI on --database postgres://…: read-only
// commands refuse an empty database, import writes to it, read-only
// commands then read it (from any data directory), and backup/restore
// point to pg_dump/pg_restore.
func TestCommandsOnPostgres(t *testing.T) {
	if storetest.Postgres() == "" {
		t.Skip(storetest.Env + " not set")
	}
	ctx := context.Background()
	db := storetest.Database(t)
	dirA, dirB := t.TempDir(), t.TempDir()
	if err := runCorpus(ctx, []string{"stats", "--database", db, "--data", dirA}); err == nil || !strings.Contains(err.Error(), "datalex import") {
		t.Fatalf("stats on an empty database: %v", err)
	}
	file := filepath.Join(t.TempDir(), "办法.txt")
	if err := os.WriteFile(file, []byte("某市数据管理办法\n第一条 为了规范数据管理，制定本办法。\n第二条 本办法自发布之日起施行。\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := runImport(ctx, []string{"--database", db, "--data", dirA, file}); err != nil {
		t.Fatal(err)
	}
	if err := runCorpus(ctx, []string{"stats", "--database", db, "--data", dirB}); err != nil {
		t.Fatalf("stats on another node's data directory: %v", err)
	}
	if err := runSearch(ctx, []string{"--database", db, "--data", dirB, "数据管理"}); err != nil {
		t.Fatalf("search: %v", err)
	}
	if err := runBackup(ctx, []string{"--database", db, "--data", dirA, filepath.Join(t.TempDir(), "b.db")}); err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("backup: %v", err)
	}
	if err := runRestore(ctx, []string{"--database", db, "--data", dirA, file}); err == nil || !strings.Contains(err.Error(), "pg_restore") {
		t.Errorf("restore: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dirB, "datalex.db")); err == nil {
		t.Error("a SQLite database was created next to PostgreSQL")
	}
}
