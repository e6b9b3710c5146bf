package main

import (
	"context"
	"fmt"
	"log/slog"

	"datalex/internal/importer"
	"datalex/internal/library"
	"datalex/internal/store"
)

// openLibrary opens the store in dataDir, importing the bundled corpus the
// first time, and loads the library into memory.
func openLibrary(ctx context.Context, dataDir string) (*store.Store, []*library.Version, error) {
	st, err := store.Open(ctx, dataDir)
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
	return st, versions, nil
}
