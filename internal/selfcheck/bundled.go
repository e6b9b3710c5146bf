package selfcheck

import (
	"sync"

	"datalex/internal/importer"
	"datalex/internal/library"
)

var bundled struct {
	once sync.Once
	lib  *Library
	err  error
}

// Bundled is the library assembled from the embedded corpus, for commands
// run without an imported data directory and for tests. Built once.
func Bundled() (*Library, error) {
	bundled.once.Do(func() {
		files, err := importer.BundledFiles()
		if err != nil {
			bundled.err = err
			return
		}
		parsed, err := importer.ParseBundled(files)
		if err != nil {
			bundled.err = err
			return
		}
		var versions []*library.Version
		for _, w := range importer.Assemble(nil, parsed) {
			versions = append(versions, w.Versions...)
		}
		bundled.lib = NewLibrary(versions)
	})
	return bundled.lib, bundled.err
}
