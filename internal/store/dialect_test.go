package store

import (
	"strings"
	"testing"
)

func TestDialectOf(t *testing.T) {
	tests := []struct {
		in   string
		want Dialect
	}{
		{"", SQLite},
		{"/var/lib/datalex", SQLite},
		{"postgres://u:p@localhost/datalex", Postgres},
		{"postgresql://localhost/datalex?sslmode=disable", Postgres},
		{"  POSTGRES://localhost/x", Postgres},
		{"file:postgres://not-a-url", SQLite},
	}
	for _, tt := range tests {
		if got := DialectOf(tt.in); got != tt.want {
			t.Errorf("DialectOf(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRebind(t *testing.T) {
	tests := []struct {
		name string
		d    Dialect
		in   string
		want string
	}{
		{"sqlite unchanged", SQLite, "SELECT a FROM t WHERE x = ? AND y = ?", "SELECT a FROM t WHERE x = ? AND y = ?"},
		{"postgres numbered", Postgres, "SELECT a FROM t WHERE x = ? AND y = ?", "SELECT a FROM t WHERE x = $1 AND y = $2"},
		{"no placeholders", Postgres, "SELECT 1", "SELECT 1"},
		{"literal kept", Postgres, "SELECT '?' , ? FROM t", "SELECT '?' , $1 FROM t"},
		{"escaped quote in literal", Postgres, "SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1"},
		{"quoted identifier", Postgres, `SELECT "a?b" FROM t WHERE c = ?`, `SELECT "a?b" FROM t WHERE c = $1`},
		{"line comment", Postgres, "SELECT ? -- why?\nFROM t WHERE c = ?", "SELECT $1 -- why?\nFROM t WHERE c = $2"},
		{"unterminated literal", Postgres, "SELECT ? 'x?", "SELECT $1 'x?"},
		{"insert values", Postgres, "INSERT INTO t(a,b,c) VALUES (?,?,?) ON CONFLICT (a) DO NOTHING",
			"INSERT INTO t(a,b,c) VALUES ($1,$2,$3) ON CONFLICT (a) DO NOTHING"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Rebind(tt.d, tt.in); got != tt.want {
				t.Errorf("Rebind(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzRebind checks that rebinding never loses or invents text: removing
// the $n markers and putting '?' back gives the input when it had no '$'.
func FuzzRebind(f *testing.F) {
	for _, s := range []string{"SELECT ?", "'?'", "a -- ?\n?", `"?"?`, "'it''s'?", "?'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if strings.Contains(q, "$") {
			return
		}
		out := Rebind(Postgres, q)
		back := out
		for n := strings.Count(q, "?"); n >= 1; n-- {
			back = strings.ReplaceAll(back, "$"+itoa(n), "?")
		}
		if back != q {
			t.Fatalf("Rebind(%q) = %q; restoring gives %q", q, out, back)
		}
	})
}

func itoa(n int) string {
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	if s == "" {
		return "0"
	}
	return s
}
