package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"datalex/internal/store"
)

// runRestore replaces the data directory's database with a backup: the
// backup is checked to be an intact DataLex database, copied next to the
// live file and renamed into place; the old database is kept as .bak.
// It refuses while `datalex serve` holds the data directory.
func runRestore(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	dataDir := dataDirFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "用法: datalex restore [--data DIR] FILE\n先停止 datalex serve；原数据库保留为 datalex.db.bak。")
		fs.PrintDefaults()
	}
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return errors.New("需要一个备份文件路径")
	}
	if store.DialectOf(databaseURL) == store.Postgres {
		return errors.New("restore 只用于 SQLite 资料库；PostgreSQL 请用 pg_restore 恢复 pg_dump 的备份（见 README 部署一节）")
	}
	backup := pos[0]
	if err := checkBackup(ctx, backup); err != nil {
		return err
	}
	if err := os.MkdirAll(*dataDir, 0o750); err != nil {
		return err
	}
	unlock, err := lockDataDir(*dataDir)
	if err != nil {
		return err
	}
	defer unlock()

	live := filepath.Join(*dataDir, store.DBFile)
	tmp := live + ".restore-tmp"
	if err := copyFile(backup, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("复制备份: %w", err)
	}
	if _, err := os.Stat(live); err == nil {
		// Fold the write-ahead log into the old file so that .bak is
		// complete on its own.
		if err := checkpoint(ctx, live); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("整理原数据库: %w", err)
		}
		bak := live + ".bak"
		if _, err := os.Stat(bak); err == nil {
			bak = live + ".bak-" + time.Now().UTC().Format("20060102T150405Z")
		}
		if err := os.Rename(live, bak); err != nil {
			os.Remove(tmp)
			return err
		}
		os.Remove(live + "-wal")
		os.Remove(live + "-shm")
		fmt.Printf("原数据库已保留为 %s\n", bak)
	}
	if err := os.Rename(tmp, live); err != nil {
		return err
	}
	// Opening applies any migrations newer than the backup.
	st, err := store.Open(ctx, *dataDir)
	if err != nil {
		return fmt.Errorf("恢复后的数据库无法打开: %w", err)
	}
	defer st.Close()
	empty, err := st.IsEmpty(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("已从 %s 恢复（资料库%s）\n", backup, map[bool]string{true: "为空", false: "非空"}[empty])
	return nil
}

// checkBackup verifies that file is an intact SQLite database with the
// DataLex schema.
func checkBackup(ctx context.Context, file string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	head := make([]byte, 16)
	_, err = io.ReadFull(f, head)
	f.Close()
	if err != nil || string(head) != "SQLite format 3\x00" {
		return fmt.Errorf("%s 不是 SQLite 数据库文件", file)
	}
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&res); err != nil || res != "ok" {
		return fmt.Errorf("%s 已损坏（quick_check: %v %s）", file, err, res)
	}
	for _, table := range []string{"goose_db_version", "works", "versions", "provisions"} {
		var n int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&n); err != nil || n == 0 {
			return fmt.Errorf("%s 不是 DataLex 备份（缺少表 %s）", file, table)
		}
	}
	return nil
}

func checkpoint(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return err
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// lockDataDir takes an exclusive advisory lock on the data directory, held
// by `serve` for its lifetime, so that `restore` cannot swap the database
// under a running platform.
func lockDataDir(dir string) (func(), error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, "datalex.lock"), os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("数据目录 %s 正被另一个 datalex 进程（如 datalex serve）使用，请先停止它", dir)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
