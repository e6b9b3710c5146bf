package account

import (
	"context"
	"database/sql"
	"time"
)

// Execer is a *sql.DB or *sql.Tx: audit entries are written in the same
// transaction as the change they describe.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// AuditEntry is one administrative action.
type AuditEntry struct {
	At     time.Time
	Actor  string // username
	Action string // e.g. user.set_role, document.import, document.withdraw
	Target string
	Detail string
}

// Audit records an administrative action.
func (s *Service) Audit(ctx context.Context, ex Execer, actor, action, target, detail string) error {
	if ex == nil {
		ex = s.db
	}
	_, err := ex.ExecContext(ctx, `INSERT INTO audit_log (id, at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)`,
		randomID(12), fmtTime(s.now()), actor, action, target, detail)
	return err
}

// AuditLog returns the most recent entries, newest first.
func (s *Service) AuditLog(ctx context.Context, limit int) ([]AuditEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT at, actor, action, target, detail FROM audit_log ORDER BY at DESC, id LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&at, &e.Actor, &e.Action, &e.Target, &e.Detail); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// SavedItem is a library item a member saved.
type SavedItem struct {
	ItemID    string
	Note      string
	CreatedAt time.Time
}

// Save bookmarks an item (a version or provision id) for the user.
func (s *Service) Save(ctx context.Context, userID, itemID, note string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO saved_items (user_id, item_id, note, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, item_id) DO UPDATE SET note = excluded.note`, userID, itemID, note, fmtTime(s.now()))
	return err
}

// Unsave removes a bookmark.
func (s *Service) Unsave(ctx context.Context, userID, itemID string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM saved_items WHERE user_id = ? AND item_id = ?`, userID, itemID)
	return err
}

// Saved lists the user's bookmarks, newest first.
func (s *Service) Saved(ctx context.Context, userID string) ([]SavedItem, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT item_id, note, created_at FROM saved_items WHERE user_id = ? ORDER BY created_at DESC`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SavedItem
	for rows.Next() {
		var it SavedItem
		var at string
		if err := rows.Scan(&it.ItemID, &it.Note, &at); err != nil {
			return nil, err
		}
		it.CreatedAt = parseTime(at)
		out = append(out, it)
	}
	return out, rows.Err()
}
