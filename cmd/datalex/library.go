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
	empty, err := st.IsEmpty(ctx)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	if empty {
		slog.Info("首次启动：导入内置语料", "data", dataDir)
		rep, err := importer.ImportBundled(ctx, st)
		if err != nil {
			st.Close()
			return nil, nil, fmt.Errorf("导入内置语料: %w", err)
		}
		slog.Info("内置语料已导入", "works", rep.Works, "versions", rep.Versions, "provisions", rep.Provision)
	}
	versions, err := st.LoadLibrary(ctx)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, versions, nil
}
