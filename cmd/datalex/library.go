package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"datalex/internal/importer"
	"datalex/internal/library"
	"datalex/internal/store"
	"datalex/internal/validity"
)

// openLibrary opens the store in dataDir, importing the bundled corpus the
// first time, and loads the library into memory.
func openLibrary(ctx context.Context, dataDir string) (*store.Store, []*library.Version, error) {
	st, err := openStore(ctx, dataDir)
	if err != nil {
		return nil, nil, err
	}
	// ImportBundled skips seeds already imported (by digest), so this is
	// cheap after the first start, and a library that began with user files
	// still gets the bundled corpus.
	rep, err := importer.ImportBundled(ctx, st)
	if err != nil {
		st.Close()
		return nil, nil, fmt.Errorf("导入内置语料: %w", err)
	}
	if rep.Versions > 0 {
		slog.Info("内置语料已导入", "data", dataDir, "works", rep.Works, "versions", rep.Versions, "provisions", rep.Provision)
	}
	versions, err := st.LoadLibrary(ctx)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	validity.Annotate(versions, time.Now())
	return st, versions, nil
}

// openExistingLibrary opens a library that already exists, for the
// read-only commands (corpus, search, ask): they must never create a data
// directory or import into one as a side effect of a typo in --data.
func openExistingLibrary(ctx context.Context, dataDir string) (*store.Store, []*library.Version, error) {
	if store.DialectOf(databaseURL) == store.SQLite {
		if _, err := os.Stat(filepath.Join(dataDir, store.DBFile)); err != nil {
			return nil, nil, fmt.Errorf("数据目录 %s 中没有资料库：请先运行 datalex import --data %s（导入内置语料）或 datalex serve --data %s", dataDir, dataDir, dataDir)
		}
	}
	st, err := openStore(ctx, dataDir)
	if err != nil {
		return nil, nil, err
	}
	versions, err := st.LoadLibrary(ctx)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	if len(versions) == 0 {
		st.Close()
		if store.DialectOf(databaseURL) == store.Postgres {
			return nil, nil, errors.New("PostgreSQL 中的资料库是空的：请先运行 datalex import 或 datalex serve（带同一 --database）")
		}
		return nil, nil, fmt.Errorf("数据目录 %s 中的资料库是空的：请先运行 datalex import --data %s", dataDir, dataDir)
	}
	validity.Annotate(versions, time.Now())
	return st, versions, nil
}
