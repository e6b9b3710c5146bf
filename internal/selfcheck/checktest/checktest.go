// Package checktest gives the self-check tools' tests the library assembled
// from the bundled corpus, parsed once per test binary, so each tool can
// verify that every provision it cites exists and carries the quoted words.
package checktest

import (
	"sync"
	"testing"

	"datalex/internal/importer"
	"datalex/internal/library"
	"datalex/internal/selfcheck"
)

var (
	once     sync.Once
	versions []*library.Version
	loadErr  error
)

// BundledVersions parses the bundled seeds as the importer would store them.
func BundledVersions(t testing.TB) []*library.Version {
	t.Helper()
	once.Do(func() {
		files, err := importer.BundledFiles()
		if err != nil {
			loadErr = err
			return
		}
		parsed, err := importer.ParseBundled(files)
		if err != nil {
			loadErr = err
			return
		}
		for _, w := range importer.Assemble(nil, parsed) {
			versions = append(versions, w.Versions...)
		}
	})
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	return versions
}

// VerifyAll fails the test for each citation not found in the library.
func VerifyAll(t *testing.T, cites []selfcheck.Citation) {
	t.Helper()
	vs := BundledVersions(t)
	for _, c := range cites {
		if err := selfcheck.Verify(vs, c); err != nil {
			t.Error(err)
		}
	}
}
