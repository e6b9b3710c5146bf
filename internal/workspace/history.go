package workspace

import (
	"context"
	"database/sql"
	"time"
)

// Visit is one entry of the reading history.
type Visit struct {
	ItemID   string
	ViewedAt time.Time
}

// RecordView notes that the user opened a document or provision: a
// repeated visit moves it to the top, and only the newest MaxHistory
// entries are kept.
func (s *Service) RecordView(ctx context.Context, userID, itemID string) error {
	if !validItemID(itemID) {
		return ErrItemIDInvalid
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO ws_history (user_id, item_id, viewed_at) VALUES (?, ?, ?)
			ON CONFLICT (user_id, item_id) DO UPDATE SET viewed_at = excluded.viewed_at`, userID, itemID, fmtTime(s.now())); err != nil {
			return err
		}
		// The cut-off is the MaxHistory-th newest entry; with fewer the
		// subquery is NULL and nothing is deleted.
		_, err := tx.ExecContext(ctx, `DELETE FROM ws_history WHERE user_id = ? AND viewed_at <
			(SELECT viewed_at FROM ws_history WHERE user_id = ? ORDER BY viewed_at DESC LIMIT 1 OFFSET ?)`,
			userID, userID, MaxHistory-1)
		return err
	})
}

// History lists the user's visits, newest first (at most limit; 0 = all
// kept).
func (s *Service) History(ctx context.Context, userID string, limit int) ([]Visit, error) {
	if limit <= 0 || limit > MaxHistory {
		limit = MaxHistory
	}
	rows, err := s.db.QueryContext(ctx, `SELECT item_id, viewed_at FROM ws_history WHERE user_id = ? ORDER BY viewed_at DESC, item_id LIMIT ?`,
		userID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Visit
	for rows.Next() {
		var v Visit
		var at string
		if err := rows.Scan(&v.ItemID, &at); err != nil {
			return nil, err
		}
		v.ViewedAt = parseTime(at)
		out = append(out, v)
	}
	return out, rows.Err()
}

// ClearHistory forgets every visit of the user.
func (s *Service) ClearHistory(ctx context.Context, userID string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM ws_history WHERE user_id = ?`, userID)
	return err
}
