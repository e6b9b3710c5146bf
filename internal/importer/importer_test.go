package importer

import (
	"context"
	"strings"
	"testing"
	"time"

	"datalex/internal/ingest"
	"datalex/internal/library"
	"datalex/internal/store"
	"datalex/internal/store/storetest"
)

func version(title, status, date, file string, line int, provs ...string) *library.Version {
	v := &library.Version{Kind: library.KindRegulation, Title: title, Status: status, IssueDate: date,
		Sources: []library.Source{{File: file, FirstLine: line, LastLine: line + 10}}}
	for i, p := range provs {
		v.Provisions = append(v.Provisions, &library.Provision{ID: "a" + string(rune('1'+i)), Kind: library.ProvArticle,
			Label: p, Text: p + " 为了规范数据处理活动，保障数据安全，促进数据开发利用，保护个人、组织的合法权益，维护国家主权、安全和发展利益，制定本法。", Line: line + i, LineEnd: line + i})
	}
	return v
}

func TestAssembleGroupsVersionsIntoWorks(t *testing.T) {
	parsed := []*ingest.Parsed{
		{File: "a.txt", Versions: []*library.Version{
			version("工业和信息化领域数据安全管理办法（试行）", library.StatusTrial, "2022-12-08", "a.txt", 10, "第一条"),
			version("工业和信息化领域数据安全管理办法", library.StatusInForce, "2024-01-01", "a.txt", 100, "第一条", "第二条"),
			version("北京市公共数据专区授权运营管理办法（征求意见稿）", library.StatusDraft, "2023-07-20", "a.txt", 200, "第一条"),
			version("中华人民共和国数据安全法", "", "2021-06-10", "a.txt", 300, "第一条", "第二条"),
		}},
		{File: "b.txt", Versions: []*library.Version{
			version("北京市公共数据专区授权运营管理办法(试行)", library.StatusTrial, "2023-12-06", "b.txt", 1, "第一条"),
			// The same final text of 数据安全法 found in a second file: one
			// version with two sources, not two versions.
			version("数据安全法", "", "2021-06-10", "b.txt", 50, "第一条"),
		}},
	}
	works := Assemble(nil, parsed)
	byTitle := map[string]*library.Work{}
	for _, w := range works {
		byTitle[library.TitleKey(w.Title)] = w
	}
	cases := []struct {
		title    string
		versions int
		sources  int // of the first version
	}{
		{"工业和信息化领域数据安全管理办法", 2, 1},
		{"北京市公共数据专区授权运营管理办法", 2, 1},
		{"数据安全法", 1, 2},
	}
	if len(works) != 3 {
		t.Fatalf("got %d works, want 3", len(works))
	}
	for _, c := range cases {
		w := byTitle[library.TitleKey(c.title)]
		if w == nil {
			t.Fatalf("no work for %s", c.title)
		}
		if len(w.Versions) != c.versions {
			t.Errorf("%s: %d versions, want %d", c.title, len(w.Versions), c.versions)
		}
		if got := len(w.Versions[0].Sources); got != c.sources {
			t.Errorf("%s: %d sources, want %d", c.title, got, c.sources)
		}
	}
	// The trial text is superseded by the later final text; the draft keeps
	// its draft status.
	miit := byTitle[library.TitleKey("工业和信息化领域数据安全管理办法")]
	if miit.Versions[0].Status != library.StatusSuperseded {
		t.Errorf("trial version status = %q, want %q", miit.Versions[0].Status, library.StatusSuperseded)
	}
	bj := byTitle[library.TitleKey("北京市公共数据专区授权运营管理办法")]
	if bj.Versions[0].Status != library.StatusDraft {
		t.Errorf("draft status = %q", bj.Versions[0].Status)
	}
	// The best copy of 数据安全法 (more provisions) is kept, with global ids.
	dsl := byTitle[library.TitleKey("数据安全法")].Versions[0]
	if len(dsl.Provisions) != 2 || dsl.Provisions[0].ID != dsl.ID+".a1" {
		t.Errorf("kept provisions %+v", dsl.Provisions)
	}
}

func TestImportFilesIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	good := File{Name: "办法.txt", Data: []byte("某市数据管理办法\n第一条 为了规范数据管理，制定本办法。\n第二条 本办法自发布之日起施行。\n")}
	bad := File{Name: "坏文件.txt", Data: []byte{0, 1, 2, 3, 0, 0, 0xff, 0xfe}}
	if _, err := ImportFiles(ctx, st, []File{good, bad}); err == nil {
		t.Fatal("import with a binary file succeeded")
	}
	if empty, _ := st.IsEmpty(ctx); !empty {
		t.Fatal("a failed import left versions in the library")
	}
	rep, err := ImportFiles(ctx, st, []File{good})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Versions != 1 {
		t.Fatalf("imported %d versions, want 1", rep.Versions)
	}
	rep, err = ImportFiles(ctx, st, []File{good})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Skipped) != 1 || rep.Versions != 0 {
		t.Fatalf("re-import not idempotent: %+v", rep)
	}
	vs, err := st.LoadLibrary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 1 || len(vs[0].Provisions) == 0 {
		t.Fatalf("library after imports: %d versions", len(vs))
	}
}

func TestImportBundledTwiceIsIdempotent(t *testing.T) {
	if testing.Short() {
		t.Skip("parses the whole bundled corpus")
	}
	ctx := context.Background()
	st := storetest.Open(t)
	first, err := ImportBundled(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if first.Versions < 400 {
		t.Fatalf("bundled import produced only %d versions", first.Versions)
	}
	second, err := ImportBundled(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if second.Versions != 0 || len(second.Skipped) != 5 {
		t.Fatalf("second import: %+v", second)
	}
	vs, err := st.LoadLibrary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != first.Versions {
		t.Fatalf("library has %d versions, import reported %d", len(vs), first.Versions)
	}
	for _, d := range library.Check(vs) {
		if d.Severity == "error" {
			t.Errorf("check: %s %s %s", d.Kind, d.Title, d.Detail)
		}
	}
}

func BenchmarkImportBundled(b *testing.B) {
	files, err := BundledFiles()
	if err != nil {
		b.Fatal(err)
	}
	total := 0
	for _, f := range files {
		total += len(f.Data)
	}
	b.SetBytes(int64(total))
	ctx := context.Background()
	for b.Loop() {
		st, err := store.Open(ctx, b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ImportBundled(ctx, st); err != nil {
			b.Fatal(err)
		}
		st.Close()
	}
}

// TestImportRefusesGiantProvision: a large text with no structure on one
// line (the 36–50 MB case, scaled down to just over the limit) is refused
// with a message naming the file, and the library is unchanged.
func TestImportRefusesGiantProvision(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	giant := File{Name: "一行.txt", Data: []byte("某市数据管理办法\n" + strings.Repeat("数据资源依法有序流动。", MaxProvisionRunes/10+10) + "\n")}
	good := File{Name: "办法.txt", Data: []byte("某市数据管理办法\n第一条 为了规范数据管理，制定本办法。\n")}
	_, err := ImportFiles(ctx, st, []File{good, giant})
	if err == nil || !strings.Contains(err.Error(), "一行.txt") || !strings.Contains(err.Error(), "超过单条上限") {
		t.Fatalf("error = %v", err)
	}
	if empty, _ := st.IsEmpty(ctx); !empty {
		t.Fatal("a refused import changed the library")
	}
}

// TestImportWaitsForTheLock: an import on one node waits while another
// node holds the import lock, and proceeds once it is released.
func TestImportWaitsForTheLock(t *testing.T) {
	if storetest.Postgres() == "" {
		t.Skip(storetest.Env + " not set: one SQLite file is served by one process")
	}
	ctx := context.Background()
	database := storetest.Database(t)
	open := func() *store.Store {
		st, err := store.OpenDatabase(ctx, database, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	a, b := open(), open()
	release := make(chan struct{})
	locked := make(chan struct{})
	go a.Exclusive(ctx, func(context.Context) error {
		close(locked)
		<-release
		return nil
	})
	<-locked
	done := make(chan error, 1)
	go func() {
		_, err := ImportFiles(ctx, b, []File{{Name: "办法.txt", Data: []byte("某市数据管理办法\n第一条 为了规范数据管理，制定本办法。\n")}})
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("import finished while another node held the lock (err %v)", err)
	case <-time.After(500 * time.Millisecond):
	}
	close(release)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("import still waiting after the lock was released")
	}
}
