package store

import (
	"strconv"
	"strings"
)

// Dialect names the SQL flavour of an open store. Call sites write portable
// SQL with '?' placeholders; Rebind turns them into the dialect's own form in
// one place instead of string replaces scattered over the packages.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DialectOf tells which store a database setting means: a postgres:// or
// postgresql:// URL selects PostgreSQL; anything else (empty, a directory)
// is the embedded SQLite default.
func DialectOf(database string) Dialect {
	lower := strings.ToLower(strings.TrimSpace(database))
	if strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://") {
		return Postgres
	}
	return SQLite
}

// Rebind rewrites '?' placeholders as $1, $2 … for PostgreSQL. Question
// marks inside quoted literals and identifiers ('…', "…") and comments are
// left alone, because a '?' in a stored text must not become a parameter.
// For SQLite the query is returned unchanged.
func Rebind(d Dialect, query string) string {
	if d != Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			// Copy the literal through its closing quote; a doubled quote
			// is an escaped one and keeps the literal open.
			j := i + 1
			for j < len(query) {
				if query[j] == c {
					if j+1 < len(query) && query[j+1] == c {
						j += 2
						continue
					}
					break
				}
				j++
			}
			if j >= len(query) {
				j = len(query) - 1
			}
			b.WriteString(query[i : j+1])
			i = j
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+j+1])
			i += j
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Dialect is the SQL flavour of this store.
func (s *Store) Dialect() Dialect { return s.dialect }

// Rebind adapts a portable query with '?' placeholders to this store.
func (s *Store) Rebind(query string) string { return Rebind(s.Dialect(), query) }
