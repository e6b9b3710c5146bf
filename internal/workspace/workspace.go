// Package workspace is a lawyer's research workspace: favourite documents
// and provisions filed in folders with a note each, the reading history,
// and saved searches whose alerts report new matching documents and status
// changes after the library changes (migration 00011).
//
// Every method takes the owner's user id and only ever touches that user's
// rows: another user's folder or search is "not found", never an error
// that tells it exists.
package workspace

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Quotas per user. They keep one account from filling the database and
// are far above what a practice needs.
const (
	MaxFolders    = 100
	MaxFavorites  = 5000
	MaxSearches   = 50
	MaxHistory    = 500
	MaxNoteRunes  = 2000
	MaxNameRunes  = 50
	MaxQueryBytes = 2000
)

// Errors shown to users as they are.
var (
	ErrNotFound      = errors.New("未找到该项，或它不属于你")
	ErrFolderQuota   = fmt.Errorf("收藏夹最多 %d 个，请先删除不用的收藏夹", MaxFolders)
	ErrFavoriteQuota = fmt.Errorf("收藏最多 %d 条，请先移除一些", MaxFavorites)
	ErrSearchQuota   = fmt.Errorf("检索订阅最多 %d 个，请先删除不用的订阅", MaxSearches)
	ErrFolderName    = fmt.Errorf("收藏夹名称不能为空，且不超过 %d 个字", MaxNameRunes)
	ErrFolderExists  = errors.New("已有同名收藏夹")
	ErrNoteTooLong   = fmt.Errorf("备注不能超过 %d 个字", MaxNoteRunes)
	ErrSearchName    = fmt.Errorf("订阅名称不能为空，且不超过 %d 个字", MaxNameRunes)
	ErrEmptySearch   = errors.New("请先输入检索词再保存检索")
	ErrSearchTooLong = errors.New("检索条件过长")
	ErrBadEmail      = errors.New("邮件地址无效")
	ErrItemIDInvalid = errors.New("条目编号无效")
)

// timeFormat has a fixed width so that the text sorts as the time.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

func fmtTime(t time.Time) string { return t.UTC().Format(timeFormat) }

func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// Service keeps the workspace of every user in one database.
type Service struct {
	db  *sql.DB
	now func() time.Time
}

// New returns the workspace service over db (migrated to 00011).
func New(db *sql.DB) *Service { return &Service{db: db, now: time.Now} }

func newID(prefix string) string { return prefix + strings.ToLower(rand.Text()[:16]) }

// cleanText trims and collapses control characters a form may carry.
func cleanText(s string) string {
	s = strings.TrimSpace(s)
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == '\t' {
			return r
		}
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

func cleanName(s string) string { return strings.Join(strings.Fields(cleanText(s)), " ") }

// validItemID accepts the ids the library gives versions and provisions
// (letters, digits, '.', '-', '_'), so nothing odd is stored.
func validItemID(id string) bool {
	if id == "" || len(id) > 200 {
		return false
	}
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
		default:
			return false
		}
	}
	return true
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// inTx runs f in one transaction: a failure leaves nothing behind.
func (s *Service) inTx(ctx context.Context, f func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
