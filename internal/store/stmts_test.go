package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestStmtsMatchPlainQueries runs reads through the statement cache and
// straight on the database: the same rows, each text prepared once, the
// cache bounded, and a bad query's error still reported.
func TestStmtsMatchPlainQueries(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	db := st.DB()
	for _, q := range []string{
		`CREATE TABLE stmt_probe (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`,
		`INSERT INTO stmt_probe (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	s := NewStmts(db)
	defer s.Close()
	names := func(qr Querier, query string, args ...any) string {
		t.Helper()
		rows, err := qr.QueryContext(ctx, st.Rebind(query), args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			out = append(out, n)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return strings.Join(out, ",")
	}
	tests := []struct {
		query string
		args  []any
		want  string
	}{
		{`SELECT name FROM stmt_probe WHERE id >= ? ORDER BY id`, []any{2}, "b,c"},
		{`SELECT name FROM stmt_probe WHERE id >= ? ORDER BY id`, []any{1}, "a,b,c"}, // the same statement, other arguments
		{`SELECT name FROM stmt_probe WHERE id IN (?,?) ORDER BY id`, []any{1, 3}, "a,c"},
		{`SELECT name FROM stmt_probe WHERE id = ?`, []any{9}, ""},
	}
	for _, tt := range tests {
		for round := 0; round < 3; round++ { // later rounds use the kept statement
			if got, plain := names(s, tt.query, tt.args...), names(db, tt.query, tt.args...); got != tt.want || plain != tt.want {
				t.Errorf("%s %v: cached %q, plain %q, want %q", tt.query, tt.args, got, plain, tt.want)
			}
		}
	}
	if n := len(s.m); n != 3 {
		t.Errorf("%d statements kept, want 3 (one per text)", n)
	}
	var n int
	if err := s.QueryRowContext(ctx, st.Rebind(`SELECT COUNT(*) FROM stmt_probe WHERE id > ?`), 1).Scan(&n); err != nil || n != 2 {
		t.Errorf("QueryRowContext: %d, %v; want 2", n, err)
	}
	if _, err := s.QueryContext(ctx, `SELECT nothing FROM no_such_table`); err == nil {
		t.Error("a bad query gave no error")
	}
	for i := range maxStmts + 10 {
		if got := names(s, fmt.Sprintf(`SELECT name FROM stmt_probe WHERE id = %d`, i%3+1)+fmt.Sprintf(` AND %d = %d`, i, i)); got == "" {
			t.Fatalf("query %d: no row", i)
		}
	}
	if n := len(s.m); n != maxStmts {
		t.Errorf("%d statements kept, want the bound %d", n, maxStmts)
	}
}
