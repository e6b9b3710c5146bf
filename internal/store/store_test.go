package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"datalex/internal/library"
)

func sampleWork() *library.Work {
	v := &library.Version{
		ID: "v1", WorkID: "w1", Kind: library.KindRegulation, Title: "中华人民共和国数据安全法",
		Aliases: []string{"数据安全法"}, Issuers: []string{"全国人民代表大会常务委员会"}, IssueDate: "2021-06-10",
		EffectiveDate: "2021-09-01", Status: library.StatusInForce, Level: library.LevelLaw, Region: "全国",
		Tags: []string{}, Flags: []string{},
		Sources:    []library.Source{{File: "001.txt", FirstLine: 10, LastLine: 20}, {File: "003.txt", FirstLine: 4, LastLine: 4, Offset: 5, OffsetEnd: 99}},
		Provenance: map[string]library.Provenance{"issue_date": {File: "001.txt", Line: 11}},
		Provisions: []*library.Provision{
			{ID: "v1.c4", Kind: library.ProvChapter, Label: "第四章", Path: "第四章", Text: "第四章 数据安全保护义务", Line: 12, LineEnd: 12},
			{ID: "v1.a27", ParentID: "v1.c4", Kind: library.ProvArticle, Label: "第二十七条", Path: "第四章 › 第二十七条",
				Citation: "数据安全法 第二十七条", Text: "第二十七条 开展数据处理活动应当……", Line: 13, LineEnd: 15, Depth: 1, Ord: 1},
		},
		Citations: []library.Citation{{ProvisionID: "v1.a27", CitedTitle: "网络安全法", WorkID: "w2"}},
	}
	return &library.Work{ID: "w1", Title: v.Title, Versions: []*library.Version{v}}
}

// openTest opens a fresh store: SQLite, or PostgreSQL in a new schema when
// DATALEX_TEST_POSTGRES is set (storetest does the same for other packages;
// it cannot be imported here without a cycle).
func openTest(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	server := os.Getenv("DATALEX_TEST_POSTGRES")
	if server == "" {
		st, err := Open(ctx, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	u, drop, err := NewSchema(ctx, server)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { drop() })
	st, err := OpenDatabase(ctx, u, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if st.Dialect() != Postgres {
		t.Fatalf("dialect %s, want postgres", st.Dialect())
	}
	return st
}

func TestSaveAndLoadRoundTrip(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	w := sampleWork()
	imp := Import{ID: "i1", File: "001.txt", SHA256: "abc", Format: "seed", Documents: 1, At: time.Now()}
	for i := 0; i < 2; i++ { // saving twice replaces, never duplicates
		if err := st.SaveImport(ctx, []Import{imp}, []*library.Work{w}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := st.LoadLibrary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("loaded %d versions, want 1", len(got))
	}
	want := w.Versions[0]
	if !reflect.DeepEqual(got[0], want) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v", got[0], want)
	}
	if ok, _ := st.HasImport(ctx, "abc", "seed"); !ok {
		t.Error("import record missing")
	}
	if err := st.SetWithdrawn(ctx, "v1", true); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.LoadLibrary(ctx); len(got) != 0 {
		t.Error("withdrawn version still loaded")
	}
	if err := st.SetWithdrawn(ctx, "nope", true); err == nil {
		t.Error("withdrawing a missing version succeeded")
	}
}

func TestSaveImportRollsBackOnError(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	w := sampleWork()
	// Two provisions with one id violate the primary key half-way through.
	v := w.Versions[0]
	v.Provisions = append(v.Provisions, &library.Provision{ID: "v1.a27", Kind: library.ProvArticle})
	if err := st.SaveImport(ctx, nil, []*library.Work{w}); err == nil {
		t.Fatal("save with duplicate provision ids succeeded")
	}
	if empty, _ := st.IsEmpty(ctx); !empty {
		t.Fatal("failed save left rows behind")
	}
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.SaveImport(ctx, nil, []*library.Work{sampleWork()}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "backup.db")
	if err := st.Backup(ctx, file); err != nil {
		t.Fatal(err)
	}
	if err := st.Backup(ctx, file); err == nil {
		t.Error("backup overwrote an existing file")
	}
	copyDir := t.TempDir()
	if err := copyFile(file, filepath.Join(copyDir, DBFile)); err != nil {
		t.Fatal(err)
	}
	st2, err := Open(ctx, copyDir)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	got, err := st2.LoadLibrary(ctx)
	if err != nil || len(got) != 1 {
		t.Fatalf("backup holds %d versions (err %v)", len(got), err)
	}
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o600)
}

// TestPortableValues: bools bind to INTEGER flag columns and strings with NUL
// characters are stored (without them on PostgreSQL) on both stores.
func TestPortableValues(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	if _, err := st.DB().ExecContext(ctx, `INSERT INTO users (id, username, password_hash, role, created_at) VALUES (?, ?, 'x', 'member', ?)`,
		"u1", "名\x00字", "2024-01-01T00:00:00Z"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().ExecContext(ctx, `INSERT INTO threads (kind, title, body_md, body_html, author_id, hidden, created_at, updated_at, last_activity_at)
		VALUES ('提问', 't', 'b', 'b', 'u1', ?, 'x', 'x', 'x')`, true); err != nil {
		t.Fatal(err)
	}
	var hidden bool
	var name string
	if err := st.DB().QueryRowContext(ctx, `SELECT hidden FROM threads WHERE hidden = ?`, true).Scan(&hidden); err != nil || !hidden {
		t.Fatalf("hidden = %v, %v", hidden, err)
	}
	if err := st.DB().QueryRowContext(ctx, `SELECT username FROM users WHERE id = ?`, "u1").Scan(&name); err != nil || !strings.HasPrefix(name, "名") {
		t.Fatalf("name = %q, %v", name, err)
	}
}

// TestBackupOnPostgresPointsToPgDump: the SQLite online backup is refused on
// PostgreSQL with a message naming the tool to use instead.
func TestBackupOnPostgresPointsToPgDump(t *testing.T) {
	if os.Getenv("DATALEX_TEST_POSTGRES") == "" {
		t.Skip("DATALEX_TEST_POSTGRES not set")
	}
	st := openTest(t)
	file := filepath.Join(t.TempDir(), "backup.db")
	err := st.Backup(context.Background(), file)
	if err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Fatalf("backup on PostgreSQL: %v", err)
	}
	if _, err := os.Stat(file); err == nil {
		t.Error("a file was written")
	}
}

// TestSaveImportBatches saves libraries larger than one batch of
// provisions (multi-row INSERTs on SQLite, COPY on PostgreSQL) and checks
// that a rejected import leaves a library that already holds documents
// exactly as it was.
func TestSaveImportBatches(t *testing.T) {
	big := func(id string, n int, dupAt int) *library.Work {
		v := &library.Version{ID: id, WorkID: "w-" + id, Kind: library.KindRegulation, Title: "条例 " + id,
			Aliases: []string{}, Issuers: []string{}, Tags: []string{}, Flags: []string{}}
		for i := 0; i < n; i++ {
			pid := fmt.Sprintf("%s.a%d", id, i)
			if i == dupAt {
				pid = fmt.Sprintf("%s.a%d", id, 0)
			}
			v.Provisions = append(v.Provisions, &library.Provision{ID: pid, Kind: library.ProvArticle, Ord: i,
				Label: fmt.Sprintf("第%d条", i+1), Text: fmt.Sprintf("第%d条 数据处理者应当……", i+1), Line: i + 1, LineEnd: i + 1})
		}
		return &library.Work{ID: v.WorkID, Title: v.Title, Versions: []*library.Version{v}}
	}
	for _, tc := range []struct {
		name  string
		n     int
		dupAt int // -1: none
	}{
		{"one batch", 10, -1},
		{"several batches", 2*provisionCopyRows + 7, -1},
		{"duplicate in a later batch", 2*provisionCopyRows + 7, provisionCopyRows + 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st := openTest(t)
			if err := st.SaveImport(ctx, nil, []*library.Work{sampleWork()}); err != nil {
				t.Fatal(err)
			}
			err := st.SaveImport(ctx, nil, []*library.Work{big("v2", tc.n, tc.dupAt)})
			if (err != nil) != (tc.dupAt >= 0) {
				t.Fatalf("save: %v, want failure %v", err, tc.dupAt >= 0)
			}
			got, err := st.LoadLibrary(ctx)
			if err != nil {
				t.Fatal(err)
			}
			provs := map[string]int{}
			for _, v := range got {
				provs[v.ID] = len(v.Provisions)
			}
			want := map[string]int{"v1": 2, "v2": tc.n}
			if tc.dupAt >= 0 {
				want = map[string]int{"v1": 2}
			}
			if !reflect.DeepEqual(provs, want) {
				t.Errorf("provisions per version %v, want %v", provs, want)
			}
			if tc.dupAt < 0 {
				last := got[len(got)-1].Provisions[tc.n-1]
				if last.Ord != tc.n-1 || last.Text != fmt.Sprintf("第%d条 数据处理者应当……", tc.n) {
					t.Errorf("last provision %+v", last)
				}
			}
		})
	}
}
