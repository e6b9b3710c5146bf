package workspace

import (
	"context"
	"database/sql"
	"errors"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"time"

	"datalex/internal/search"
)

// SavedSearch is a query with its filters that the user asked to be told
// about when the library changes.
type SavedSearch struct {
	ID        string
	Name      string
	Query     string // URL query string: q, facet filters, sort
	Email     string // "" = in-app alerts only
	CreatedAt time.Time
	CheckedAt time.Time // zero until the first check after saving
	Reported  int       // documents and status changes alerts have reported
}

// Values is the saved query as URL values.
func (s *SavedSearch) Values() url.Values {
	v, _ := url.ParseQuery(s.Query)
	return v
}

// Text is the query text.
func (s *SavedSearch) Text() string { return s.Values().Get("q") }

// Filters lists the facet filters as "key=value".
func (s *SavedSearch) Filters() []string {
	var out []string
	vals := s.Values()
	for _, k := range search.FacetKeys {
		for _, v := range vals[k] {
			out = append(out, search.FacetLabels[k]+"："+v)
		}
	}
	for _, f := range vals["filter"] {
		out = append(out, f)
	}
	return out
}

// SearchQuery keeps only what defines a search (the text, filters and
// sort; not the page) in a stable order, so the same search saved twice
// is the same text.
func SearchQuery(vals url.Values) (string, error) {
	q := strings.TrimSpace(vals.Get("q"))
	if q == "" {
		return "", ErrEmptySearch
	}
	keep := url.Values{"q": {q}}
	if s := vals.Get("sort"); s == search.SortDate {
		keep.Set("sort", s)
	}
	for _, k := range append(slices.Clone(search.FacetKeys), "filter") {
		for _, v := range vals[k] {
			if v = strings.TrimSpace(v); v != "" {
				keep.Add(k, v)
			}
		}
	}
	enc := keep.Encode()
	if len(enc) > MaxQueryBytes {
		return "", ErrSearchTooLong
	}
	// The query must parse as the search engine reads it.
	if _, err := search.ParseRequest(keep); err != nil {
		return "", err
	}
	return enc, nil
}

// Match is one document a saved search matches now.
type Match struct {
	VersionID string
	Title     string
	Status    string // 时效性 as the library gives it today
}

// SaveSearch stores a search; baseline is what it matches now, which its
// alerts will not report.
func (s *Service) SaveSearch(ctx context.Context, userID, name string, vals url.Values, email string, baseline []Match) (*SavedSearch, error) {
	query, err := SearchQuery(vals)
	if err != nil {
		return nil, err
	}
	name = cleanName(name)
	if name == "" {
		name = vals.Get("q")
		if runes(name) > MaxNameRunes {
			name = string([]rune(name)[:MaxNameRunes])
		}
	}
	if runes(name) > MaxNameRunes {
		return nil, ErrSearchName
	}
	if email, err = checkEmail(email); err != nil {
		return nil, err
	}
	ss := &SavedSearch{ID: newID("s"), Name: name, Query: query, Email: email, CreatedAt: s.now().UTC()}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ws_searches WHERE user_id = ?`, userID).Scan(&n); err != nil {
			return err
		}
		if n >= MaxSearches {
			return ErrSearchQuota
		}
		at := fmtTime(ss.CreatedAt)
		if _, err := tx.ExecContext(ctx, `INSERT INTO ws_searches (id, user_id, name, query, email, created_at, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			ss.ID, userID, ss.Name, ss.Query, ss.Email, at, at); err != nil {
			return err
		}
		for _, m := range baseline {
			if _, err := tx.ExecContext(ctx, `INSERT INTO ws_search_seen (search_id, version_id, title, status, baseline, found_at)
				VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT (search_id, version_id) DO NOTHING`, ss.ID, m.VersionID, m.Title, m.Status, at); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	ss.CheckedAt = ss.CreatedAt
	return ss, nil
}

func checkEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || len(a.Address) > 254 || strings.ContainsAny(a.Address, "\r\n") {
		return "", ErrBadEmail
	}
	return a.Address, nil
}

const searchCols = `id, name, query, email, created_at, checked_at,
	(SELECT COUNT(*) FROM ws_search_seen x WHERE x.search_id = s.id AND (x.baseline = 0 OR x.changed_at <> ''))`

func scanSearch(sc interface{ Scan(...any) error }) (*SavedSearch, error) {
	var ss SavedSearch
	var created, checked string
	if err := sc.Scan(&ss.ID, &ss.Name, &ss.Query, &ss.Email, &created, &checked, &ss.Reported); err != nil {
		return nil, err
	}
	ss.CreatedAt, ss.CheckedAt = parseTime(created), parseTime(checked)
	return &ss, nil
}

// Searches lists the user's saved searches, newest first.
func (s *Service) Searches(ctx context.Context, userID string) ([]*SavedSearch, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+searchCols+` FROM ws_searches s WHERE user_id = ? ORDER BY created_at DESC`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*SavedSearch
	for rows.Next() {
		ss, err := scanSearch(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, ss)
	}
	return out, rows.Err()
}

// Search returns one of the user's saved searches.
func (s *Service) Search(ctx context.Context, userID, id string) (*SavedSearch, error) {
	ss, err := scanSearch(s.db.QueryRowContext(ctx, `SELECT `+searchCols+` FROM ws_searches s WHERE id = ? AND user_id = ?`, id, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return ss, err
}

// DeleteSearch deletes a saved search and what its alerts reported.
func (s *Service) DeleteSearch(ctx context.Context, userID, id string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM ws_searches WHERE id = ? AND user_id = ?`, id, userID)
		if err := mustAffect(res, err); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM ws_search_seen WHERE search_id = ?`, id)
		return err
	})
}

// Reported is one thing an alert told the user.
type Reported struct {
	Match
	OldStatus string    // set for a status change
	At        time.Time // when the alert found it
}

// Changed reports whether this is a status change.
func (r Reported) Changed() bool { return r.OldStatus != "" }

// Reports lists what the alerts of one of the user's searches reported,
// newest first.
func (s *Service) Reports(ctx context.Context, userID, id string, limit int) ([]Reported, error) {
	if _, err := s.Search(ctx, userID, id); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 200
	}
	rows, err := s.db.QueryContext(ctx, `SELECT version_id, title, status, old_status, found_at, changed_at FROM ws_search_seen
		WHERE search_id = ? AND (baseline = 0 OR changed_at <> '')
		ORDER BY CASE WHEN changed_at > found_at THEN changed_at ELSE found_at END DESC, version_id LIMIT ?`, id, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Reported
	for rows.Next() {
		var r Reported
		var found, changed string
		if err := rows.Scan(&r.VersionID, &r.Title, &r.Status, &r.OldStatus, &found, &changed); err != nil {
			return nil, err
		}
		r.At = parseTime(found)
		if changed != "" && changed > found {
			r.At = parseTime(changed)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// UpdateSearch renames one of the user's searches and sets its alert
// address ("" = in-app only).
func (s *Service) UpdateSearch(ctx context.Context, userID, id, name, email string) error {
	name = cleanName(name)
	if name == "" || runes(name) > MaxNameRunes {
		return ErrSearchName
	}
	email, err := checkEmail(email)
	if err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE ws_searches SET name = ?, email = ? WHERE id = ? AND user_id = ?`, name, email, id, userID)
	return mustAffect(res, err)
}
