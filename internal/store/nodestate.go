package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"
)

// Upload previews live in the database rather than in a node's memory, so
// an editor whose preview was made on one node can commit it through
// another (issue 16). The throttles' state is in the same migration
// (00012) and kept by internal/account.

// UploadPreview is an uploaded file between preview and commit.
type UploadPreview struct {
	UserID string
	Name   string
	Title  string // of the first parsed version
	Data   []byte
}

const (
	// PreviewTTL is how long a preview can be committed.
	PreviewTTL = 30 * time.Minute
	// MaxPreviews bounds the previews kept (oldest deleted first); with
	// the upload size limit it bounds the table.
	MaxPreviews = 32
)

// previewNow is the previews' clock (tests move it).
var previewNow = time.Now

func tokenHash(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

// PutUploadPreview keeps p and returns the token that commits it. Only the
// SHA-256 of the token is stored. Expired previews are deleted, and past
// MaxPreviews the oldest.
func (s *Store) PutUploadPreview(ctx context.Context, p UploadPreview) (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	tok := base64.RawURLEncoding.EncodeToString(b)
	now := previewNow()
	if p.Data == nil {
		p.Data = []byte{}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM upload_previews WHERE created_ns < ?`, now.Add(-PreviewTTL).UnixNano()); err != nil {
		return "", err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO upload_previews (token_hash, user_id, name, title, data, created_ns) VALUES (?, ?, ?, ?, ?, ?)`,
		tokenHash(tok), p.UserID, p.Name, p.Title, p.Data, now.UnixNano()); err != nil {
		return "", err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM upload_previews WHERE created_ns <
    (SELECT created_ns FROM upload_previews ORDER BY created_ns DESC LIMIT 1 OFFSET ?)`, MaxPreviews-1); err != nil {
		return "", err
	}
	return tok, tx.Commit()
}

// TakeUploadPreview removes and returns the preview tok commits if it
// belongs to userID and has not expired; nil when there is none. One
// statement: two concurrent commits of one token get it at most once.
func (s *Store) TakeUploadPreview(ctx context.Context, tok, userID string) (*UploadPreview, error) {
	p := &UploadPreview{UserID: userID}
	err := s.db.QueryRowContext(ctx, `DELETE FROM upload_previews WHERE token_hash = ? AND user_id = ? AND created_ns >= ?
RETURNING name, title, data`, tokenHash(tok), userID, previewNow().Add(-PreviewTTL).UnixNano()).Scan(&p.Name, &p.Title, &p.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// CountUploadPreviews reports how many previews are kept (tests, metrics).
func (s *Store) CountUploadPreviews(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM upload_previews`).Scan(&n)
	return n, err
}

// PruneUploadPreviews deletes expired previews (PutUploadPreview does as
// well; this frees their bytes when nobody uploads).
func (s *Store) PruneUploadPreviews(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM upload_previews WHERE created_ns < ?`, previewNow().Add(-PreviewTTL).UnixNano())
	return err
}
