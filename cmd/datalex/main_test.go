package main

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestReadOnlyCommandsNeverImport: corpus, search and ask on a missing or
// empty data directory fail with a message pointing to import, and leave
// no directory or database behind.
func TestReadOnlyCommandsNeverImport(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		run  func(dir string) error
	}{
		{"corpus stats", func(dir string) error { return runCorpus(ctx, []string{"stats", "--data", dir}) }},
		{"corpus list", func(dir string) error { return runCorpus(ctx, []string{"list", "--json", "--data", dir}) }},
		{"search", func(dir string) error { return runSearch(ctx, []string{"--data", dir, "数据出境"}) }},
		{"ask", func(dir string) error { return runAsk(ctx, []string{"--data", dir, "什么是重要数据"}) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "nodata")
			err := tc.run(dir)
			if err == nil || !strings.Contains(err.Error(), "datalex import") {
				t.Fatalf("error = %v, want a pointer to datalex import", err)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("%s created the data directory", tc.name)
			}
		})
	}
}

// TestParseArgsInterspersed: flags after positional arguments are flags.
func TestParseArgsInterspersed(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	data := fs.String("data", "", "")
	pos, err := parseArgs(fs, []string{"show", "v123", "--json", "--data", "/tmp/d"})
	if err != nil || !reflect.DeepEqual(pos, []string{"show", "v123"}) || !*asJSON || *data != "/tmp/d" {
		t.Fatalf("pos=%v json=%v data=%q err=%v", pos, *asJSON, *data, err)
	}
}
