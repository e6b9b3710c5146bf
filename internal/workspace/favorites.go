package workspace

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Folder is a named list of favourites.
type Folder struct {
	ID        string
	Name      string
	Count     int // favourites in it
	CreatedAt time.Time
}

// Favorite is a starred document (version id) or provision.
type Favorite struct {
	ItemID    string
	FolderID  string // "" = unfiled
	Note      string
	CreatedAt time.Time
}

// Folders lists the user's folders by name, with their item counts.
func (s *Service) Folders(ctx context.Context, userID string) ([]Folder, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT f.id, f.name, f.created_at,
		(SELECT COUNT(*) FROM ws_favorites i WHERE i.user_id = f.user_id AND i.folder_id = f.id)
		FROM ws_folders f WHERE f.user_id = ? ORDER BY f.name`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Folder
	for rows.Next() {
		var f Folder
		var at string
		if err := rows.Scan(&f.ID, &f.Name, &at, &f.Count); err != nil {
			return nil, err
		}
		f.CreatedAt = parseTime(at)
		out = append(out, f)
	}
	return out, rows.Err()
}

// Folder returns one of the user's folders.
func (s *Service) Folder(ctx context.Context, userID, id string) (*Folder, error) {
	f := &Folder{ID: id}
	var at string
	err := s.db.QueryRowContext(ctx, `SELECT name, created_at FROM ws_folders WHERE id = ? AND user_id = ?`, id, userID).Scan(&f.Name, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	f.CreatedAt = parseTime(at)
	err = s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM ws_favorites WHERE user_id = ? AND folder_id = ?`, userID, id).Scan(&f.Count)
	return f, err
}

func checkFolderName(name string) (string, error) {
	name = cleanName(name)
	if name == "" || runes(name) > MaxNameRunes {
		return "", ErrFolderName
	}
	return name, nil
}

// folderNameTaken reports whether the user has another folder so named.
func folderNameTaken(ctx context.Context, tx *sql.Tx, userID, name, except string) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ws_folders WHERE user_id = ? AND name = ? AND id <> ?`, userID, name, except).Scan(&n)
	return n > 0, err
}

// CreateFolder makes a folder; names are unique per user.
func (s *Service) CreateFolder(ctx context.Context, userID, name string) (*Folder, error) {
	name, err := checkFolderName(name)
	if err != nil {
		return nil, err
	}
	f := &Folder{ID: newID("f"), Name: name, CreatedAt: s.now().UTC()}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ws_folders WHERE user_id = ?`, userID).Scan(&n); err != nil {
			return err
		}
		if n >= MaxFolders {
			return ErrFolderQuota
		}
		if taken, err := folderNameTaken(ctx, tx, userID, name, ""); err != nil || taken {
			if err == nil {
				err = ErrFolderExists
			}
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO ws_folders (id, user_id, name, created_at) VALUES (?, ?, ?, ?)`,
			f.ID, userID, f.Name, fmtTime(f.CreatedAt))
		return err
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// RenameFolder renames one of the user's folders.
func (s *Service) RenameFolder(ctx context.Context, userID, id, name string) error {
	name, err := checkFolderName(name)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if taken, err := folderNameTaken(ctx, tx, userID, name, id); err != nil || taken {
			if err == nil {
				err = ErrFolderExists
			}
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE ws_folders SET name = ? WHERE id = ? AND user_id = ?`, name, id, userID)
		return mustAffect(res, err)
	})
}

// DeleteFolder deletes a folder; its favourites stay, unfiled.
func (s *Service) DeleteFolder(ctx context.Context, userID, id string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM ws_folders WHERE id = ? AND user_id = ?`, id, userID)
		if err := mustAffect(res, err); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE ws_favorites SET folder_id = '' WHERE user_id = ? AND folder_id = ?`, userID, id)
		return err
	})
}

func mustAffect(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrNotFound
	}
	return nil
}

// ownFolder checks that folderID ("" = unfiled) is the user's.
func ownFolder(ctx context.Context, tx *sql.Tx, userID, folderID string) error {
	if folderID == "" {
		return nil
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ws_folders WHERE id = ? AND user_id = ?`, folderID, userID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// AddFavorite stars an item, or files it and updates its note when it is
// starred already (an empty note keeps the old one). The caller checks
// that the item exists in the library.
func (s *Service) AddFavorite(ctx context.Context, userID, itemID, folderID, note string) error {
	if !validItemID(itemID) {
		return ErrItemIDInvalid
	}
	note = cleanText(note)
	if runes(note) > MaxNoteRunes {
		return ErrNoteTooLong
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := ownFolder(ctx, tx, userID, folderID); err != nil {
			return err
		}
		var n, have int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), SUM(CASE WHEN item_id = ? THEN 1 ELSE 0 END) FROM ws_favorites WHERE user_id = ?`,
			itemID, userID).Scan(&n, nullInt{&have}); err != nil {
			return err
		}
		if have == 0 && n >= MaxFavorites {
			return ErrFavoriteQuota
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO ws_favorites (user_id, item_id, folder_id, note, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (user_id, item_id) DO UPDATE SET folder_id = excluded.folder_id,
			note = CASE WHEN excluded.note = '' THEN ws_favorites.note ELSE excluded.note END`,
			userID, itemID, folderID, note, fmtTime(s.now()))
		return err
	})
}

// nullInt scans a nullable integer (SUM over no rows) as 0.
type nullInt struct{ p *int }

func (n nullInt) Scan(v any) error {
	var x sql.NullInt64
	if err := x.Scan(v); err != nil {
		return err
	}
	*n.p = int(x.Int64)
	return nil
}

// UpdateFavorite moves a favourite to a folder and sets its note (empty
// clears it).
func (s *Service) UpdateFavorite(ctx context.Context, userID, itemID, folderID, note string) error {
	note = cleanText(note)
	if runes(note) > MaxNoteRunes {
		return ErrNoteTooLong
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := ownFolder(ctx, tx, userID, folderID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE ws_favorites SET folder_id = ?, note = ? WHERE user_id = ? AND item_id = ?`,
			folderID, note, userID, itemID)
		return mustAffect(res, err)
	})
}

// RemoveFavorite unstars an item.
func (s *Service) RemoveFavorite(ctx context.Context, userID, itemID string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM ws_favorites WHERE user_id = ? AND item_id = ?`, userID, itemID)
	return mustAffect(res, err)
}

// IsFavorite reports whether the user starred the item.
func (s *Service) IsFavorite(ctx context.Context, userID, itemID string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM ws_favorites WHERE user_id = ? AND item_id = ?`, userID, itemID).Scan(&n)
	return n > 0, err
}

// AllFolders selects every favourite in Favorites.
const AllFolders = "*"

// Favorites lists the user's favourites in a folder ("" = unfiled,
// AllFolders = all), newest first.
func (s *Service) Favorites(ctx context.Context, userID, folderID string) ([]Favorite, error) {
	q := `SELECT item_id, folder_id, note, created_at FROM ws_favorites WHERE user_id = ?`
	args := []any{userID}
	if folderID != AllFolders {
		q += ` AND folder_id = ?`
		args = append(args, folderID)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY created_at DESC, item_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Favorite
	for rows.Next() {
		var f Favorite
		var at string
		if err := rows.Scan(&f.ItemID, &f.FolderID, &f.Note, &at); err != nil {
			return nil, err
		}
		f.CreatedAt = parseTime(at)
		out = append(out, f)
	}
	return out, rows.Err()
}

// CountFavorites is the number of the user's favourites.
func (s *Service) CountFavorites(ctx context.Context, userID string) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM ws_favorites WHERE user_id = ?`, userID).Scan(&n)
	return n, err
}
