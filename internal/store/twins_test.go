package store

import (
	"context"
	"io/fs"
	"os"
	"path"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var (
	createTableRe = regexp.MustCompile(`(?is)CREATE TABLE\s+(\w+)\s*\((.*?)\n\);`)
	constraintRe  = regexp.MustCompile(`(?i)^(PRIMARY|UNIQUE|FOREIGN|CHECK|CONSTRAINT)\b`)
)

// schemaOf reads the tables and columns the Up parts of a migration
// directory create, as "table.column" strings.
func schemaOf(t *testing.T, dir string) (files []string, cols []string) {
	t.Helper()
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		files = append(files, e.Name())
		b, err := fs.ReadFile(migrations, path.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		up, _, _ := strings.Cut(string(b), "-- +goose Down")
		for _, m := range createTableRe.FindAllStringSubmatch(up, -1) {
			for _, line := range strings.Split(m[2], "\n") {
				line, _, _ = strings.Cut(line, "--")
				fields := strings.Fields(line)
				if len(fields) == 0 || constraintRe.MatchString(fields[0]) {
					continue
				}
				cols = append(cols, strings.ToLower(m[1]+"."+fields[0]))
			}
		}
	}
	sort.Strings(cols)
	return files, cols
}

// TestMigrationTwins: every SQLite migration has a PostgreSQL twin with the
// same number and name, and the two sets create the same tables and columns.
func TestMigrationTwins(t *testing.T) {
	liteFiles, liteCols := schemaOf(t, "migrations")
	pgFiles, pgCols := schemaOf(t, "migrations/postgres")
	if !reflect.DeepEqual(liteFiles, pgFiles) {
		t.Errorf("migration files differ:\nsqlite   %v\npostgres %v", liteFiles, pgFiles)
	}
	if len(liteCols) < 100 {
		t.Fatalf("parsed only %d columns from the SQLite migrations: parser broken", len(liteCols))
	}
	if !reflect.DeepEqual(liteCols, pgCols) {
		t.Errorf("columns differ:\nsqlite   %v\npostgres %v", liteCols, pgCols)
	}
}

// TestLiveSchemasMatch compares the schemas the two databases really hold
// after migrating (needs DATALEX_TEST_POSTGRES).
func TestLiveSchemasMatch(t *testing.T) {
	if os.Getenv("DATALEX_TEST_POSTGRES") == "" {
		t.Skip("DATALEX_TEST_POSTGRES not set")
	}
	ctx := context.Background()
	lite, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pg := openTest(t)
	read := func(st *Store, q string) []string {
		rows, err := st.DB().QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(s, "goose_db_version.") {
				out = append(out, s)
			}
		}
		sort.Strings(out)
		return out
	}
	liteCols := read(lite, `SELECT m.name || '.' || p.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`)
	pgCols := read(pg, `SELECT table_name || '.' || column_name FROM information_schema.columns
		WHERE table_schema = current_schema()`)
	if !reflect.DeepEqual(liteCols, pgCols) {
		t.Errorf("live schemas differ:\nsqlite   %v\npostgres %v", liteCols, pgCols)
	}
}
