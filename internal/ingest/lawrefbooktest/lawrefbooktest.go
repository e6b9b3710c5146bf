// Package lawrefbooktest gives tests the real LawRefBook snapshot in
// ../shared/legal-bench as an in-memory file system. Importers are tested
// on the real source: fixtures with invented file names hid a defect once.
package lawrefbooktest

import (
	"archive/tar"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// Snapshot is the file the tests read, relative to the folder that holds
// the repository.
const Snapshot = "shared/legal-bench/lawrefbook-2f4c5c2.tar.gz"

// Load returns the snapshot's .md files whose path (e.g. 刑法/刑法.md)
// satisfies keep. Without the snapshot the test is skipped, or fails in CI
// (CI set), where the snapshot must be present.
func Load(t testing.TB, keep func(path string) bool) fstest.MapFS {
	t.Helper()
	f, err := os.Open(snapshotPath())
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("LawRefBook snapshot missing in CI: %v", err)
		}
		t.Skipf("LawRefBook snapshot not available: %v", err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	fsys := fstest.MapFS{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(h.Name, "./")
		if h.Typeflag != tar.TypeReg || !strings.HasSuffix(name, ".md") || !keep(name) {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: data}
	}
	return fsys
}

// InFolder keeps the files under one top-level folder (民法典, 刑法 …).
func InFolder(dir string) func(string) bool {
	return func(path string) bool {
		top, _, _ := strings.Cut(path, "/")
		return top == dir
	}
}

// snapshotPath finds the snapshot beside the repository: the folder above
// the one holding go.mod, whichever package's test is running.
func snapshotPath() string {
	dir, err := os.Getwd()
	if err != nil {
		return Snapshot
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(d), Snapshot)
		}
		if filepath.Dir(d) == d {
			return Snapshot
		}
	}
}
