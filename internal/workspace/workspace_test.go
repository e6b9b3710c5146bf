package workspace

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"datalex/internal/account"
	"datalex/internal/store/storetest"
)

// testEnv is a migrated store with two members.
func testEnv(t *testing.T) (*Service, *sql.DB, string, string) {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t) // PostgreSQL when DATALEX_TEST_POSTGRES is set
	acc := account.New(st.DB())
	var ids []string
	for _, name := range []string{"alice", "bob"} {
		u, err := acc.Create(ctx, name, "correct horse battery", account.RoleMember)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	ws := New(st.DB())
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ws.now = func() time.Time { clock = clock.Add(time.Second); return clock }
	return ws, st.DB(), ids[0], ids[1]
}

func TestFoldersAndFavorites(t *testing.T) {
	ctx := context.Background()
	ws, _, alice, bob := testEnv(t)
	f, err := ws.CreateFolder(ctx, alice, "  数据出境 ")
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "数据出境" {
		t.Errorf("name %q not trimmed", f.Name)
	}
	for _, tc := range []struct {
		name string
		want error
	}{
		{"数据出境", ErrFolderExists},
		{"   ", ErrFolderName},
		{strings.Repeat("长", MaxNameRunes+1), ErrFolderName},
	} {
		if _, err := ws.CreateFolder(ctx, alice, tc.name); !errors.Is(err, tc.want) {
			t.Errorf("CreateFolder(%q) = %v, want %v", tc.name, err, tc.want)
		}
	}
	// Another user may use the same name; neither sees the other's.
	if _, err := ws.CreateFolder(ctx, bob, "数据出境"); err != nil {
		t.Fatal(err)
	}
	if err := ws.AddFavorite(ctx, alice, "v1.a21", f.ID, "第一条备注"); err != nil {
		t.Fatal(err)
	}
	if err := ws.AddFavorite(ctx, alice, "v2", "", ""); err != nil {
		t.Fatal(err)
	}
	// Starring again files it and keeps the note when none is given.
	if err := ws.AddFavorite(ctx, alice, "v1.a21", f.ID, ""); err != nil {
		t.Fatal(err)
	}
	in, err := ws.Favorites(ctx, alice, f.ID)
	if err != nil || len(in) != 1 || in[0].Note != "第一条备注" {
		t.Fatalf("folder items = %+v, %v", in, err)
	}
	all, _ := ws.Favorites(ctx, alice, AllFolders)
	if n, _ := ws.CountFavorites(ctx, alice); len(all) != 2 || n != 2 || all[0].ItemID != "v2" {
		t.Errorf("all favourites, newest first = %+v", all)
	}
	// Bob can neither file into, rename, delete nor read Alice's folder.
	cases := []struct {
		what string
		err  error
	}{
		{"add into other's folder", ws.AddFavorite(ctx, bob, "v3", f.ID, "")},
		{"rename other's folder", ws.RenameFolder(ctx, bob, f.ID, "x")},
		{"delete other's folder", ws.DeleteFolder(ctx, bob, f.ID)},
		{"move other's item", ws.UpdateFavorite(ctx, bob, "v1.a21", "", "")},
		{"remove other's item", ws.RemoveFavorite(ctx, bob, "v1.a21")},
	}
	for _, c := range cases {
		if !errors.Is(c.err, ErrNotFound) {
			t.Errorf("%s: %v, want ErrNotFound", c.what, c.err)
		}
	}
	if _, err := ws.Folder(ctx, bob, f.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("bob reads alice's folder: %v", err)
	}
	if got, _ := ws.Favorites(ctx, bob, AllFolders); len(got) != 0 {
		t.Errorf("bob sees %d favourites", len(got))
	}
	// Bad input changes nothing.
	if err := ws.AddFavorite(ctx, alice, "v1'; DROP", "", ""); !errors.Is(err, ErrItemIDInvalid) {
		t.Errorf("bad id: %v", err)
	}
	if err := ws.UpdateFavorite(ctx, alice, "v1.a21", f.ID, strings.Repeat("字", MaxNoteRunes+1)); !errors.Is(err, ErrNoteTooLong) {
		t.Errorf("long note: %v", err)
	}
	// Move, rename, delete: the items of a deleted folder stay, unfiled.
	if err := ws.RenameFolder(ctx, alice, f.ID, "跨境"); err != nil {
		t.Fatal(err)
	}
	if err := ws.DeleteFolder(ctx, alice, f.ID); err != nil {
		t.Fatal(err)
	}
	unfiled, _ := ws.Favorites(ctx, alice, "")
	if len(unfiled) != 2 {
		t.Errorf("after deleting the folder, unfiled = %+v", unfiled)
	}
	if err := ws.RemoveFavorite(ctx, alice, "v2"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := ws.IsFavorite(ctx, alice, "v2"); ok {
		t.Error("v2 still starred")
	}
}

func TestQuotas(t *testing.T) {
	ctx := context.Background()
	ws, db, alice, _ := testEnv(t)
	for i := range MaxFolders {
		if _, err := ws.CreateFolder(ctx, alice, fmt.Sprintf("夹%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ws.CreateFolder(ctx, alice, "再一个"); !errors.Is(err, ErrFolderQuota) {
		t.Errorf("folder over quota: %v", err)
	}
	// Fill the favourites to the quota directly, then one more is refused
	// but re-filing an existing one still works.
	tx, _ := db.Begin()
	for i := range MaxFavorites {
		if _, err := tx.Exec(`INSERT INTO ws_favorites (user_id, item_id, folder_id, note, created_at) VALUES (?, ?, '', '', ?)`,
			alice, fmt.Sprintf("v%d", i), fmtTime(time.Now())); err != nil {
			t.Fatal(err)
		}
	}
	tx.Commit()
	if err := ws.AddFavorite(ctx, alice, "vnew", "", ""); !errors.Is(err, ErrFavoriteQuota) {
		t.Errorf("favourite over quota: %v", err)
	}
	if err := ws.AddFavorite(ctx, alice, "v7", "", "备注"); err != nil {
		t.Errorf("re-starring within quota: %v", err)
	}
	for i := range MaxSearches {
		if _, err := ws.SaveSearch(ctx, alice, "", url.Values{"q": {fmt.Sprintf("数据 %d", i)}}, "", nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ws.SaveSearch(ctx, alice, "", url.Values{"q": {"再一个"}}, "", nil); !errors.Is(err, ErrSearchQuota) {
		t.Errorf("search over quota: %v", err)
	}
}

func TestHistory(t *testing.T) {
	ctx := context.Background()
	ws, _, alice, bob := testEnv(t)
	for i := range MaxHistory + 20 {
		if err := ws.RecordView(ctx, alice, fmt.Sprintf("v%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	// Re-opening an old (kept) item moves it to the top.
	if err := ws.RecordView(ctx, alice, "v100"); err != nil {
		t.Fatal(err)
	}
	h, err := ws.History(ctx, alice, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != MaxHistory {
		t.Fatalf("history holds %d, want %d", len(h), MaxHistory)
	}
	if h[0].ItemID != "v100" || h[1].ItemID != fmt.Sprintf("v%d", MaxHistory+19) {
		t.Errorf("newest first: %s, %s", h[0].ItemID, h[1].ItemID)
	}
	for _, v := range h {
		if v.ItemID == "v0" || v.ItemID == "v19" {
			t.Errorf("%s should have been dropped", v.ItemID)
		}
	}
	if got, _ := ws.History(ctx, bob, 0); len(got) != 0 {
		t.Errorf("bob sees alice's history: %d", len(got))
	}
	if err := ws.ClearHistory(ctx, alice); err != nil {
		t.Fatal(err)
	}
	if got, _ := ws.History(ctx, alice, 0); len(got) != 0 {
		t.Errorf("history after clearing: %d", len(got))
	}
}

func TestSearchQuery(t *testing.T) {
	for _, tc := range []struct {
		in   url.Values
		want string
		err  error
	}{
		{url.Values{"q": {" 数据出境 "}, "page": {"3"}, "level": {"法律"}}, "level=%E6%B3%95%E5%BE%8B&q=%E6%95%B0%E6%8D%AE%E5%87%BA%E5%A2%83", nil},
		{url.Values{"q": {"x"}, "sort": {"date"}, "bogus": {"1"}}, "q=x&sort=date", nil},
		{url.Values{"q": {"  "}}, "", ErrEmptySearch},
		{url.Values{"q": {strings.Repeat("数", 1000)}}, "", ErrSearchTooLong},
	} {
		got, err := SearchQuery(tc.in)
		if got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("SearchQuery(%v) = %q, %v; want %q, %v", tc.in, got, err, tc.want, tc.err)
		}
	}
	if _, err := SearchQuery(url.Values{"q": {"x"}, "filter": {"nokey"}}); err == nil {
		t.Error("a filter the engine refuses must be refused")
	}
}
