package ruzhang

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrCaseNotFound is returned for a case that does not exist or belongs to
// another user: the two are not told apart, so ids cannot be probed.
var ErrCaseNotFound = errors.New("案例不存在")

// Per-member quotas: enough for any real practice, small enough that a
// script cannot fill the database (8 members once created 93k cases in 45 s).
const (
	MaxCasesPerUser = 500
	MaxOrgsPerUser  = 50
	MaxAssetsPerOrg = 1000
)

// ErrQuota is returned when a member's quota is used up; the message says
// which one and what to do.
var ErrQuota = errors.New("已达保存上限")

func quotaError(what string, max int) error {
	return fmt.Errorf("%w：%s最多 %d 个，请先删除不再需要的再保存", ErrQuota, what, max)
}

// underQuota counts rows with one query; q is a table and column chosen in
// code, never user input.
func underQuota(ctx context.Context, db interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}, query string, arg any, max int, what string) error {
	var n int
	if err := db.QueryRowContext(ctx, query, arg).Scan(&n); err != nil {
		return err
	}
	if n >= max {
		return quotaError(what, max)
	}
	return nil
}

// MaxTitle bounds a saved case's title (characters).
const MaxTitle = 100

// SavedCase is a member's case as stored: the answers plus bookkeeping.
type SavedCase struct {
	ID        string    `json:"id"`
	UserID    string    `json:"-"`
	Title     string    `json:"title"`
	Case      Case      `json:"case"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// CaseStore keeps members' cases in the ruzhang_cases table
// (migration 00006). Every query is scoped by user id.
type CaseStore struct{ db *sql.DB }

// NewCaseStore uses db, which must have the platform's migrations applied.
func NewCaseStore(db *sql.DB) *CaseStore { return &CaseStore{db: db} }

// CleanTitle trims a title and checks its length; empty titles fall back
// to the resource name.
func CleanTitle(title string, c Case) (string, error) {
	title = strings.Join(strings.Fields(title), " ")
	if title == "" {
		title = strings.TrimSpace(c.Name)
	}
	if title == "" {
		title = "未命名数据资源"
	}
	if utf8.RuneCountInString(title) > MaxTitle {
		return "", fmt.Errorf("案例标题过长（最多 %d 个字）", MaxTitle)
	}
	return title, nil
}

func newCaseID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

const timeFormat = time.RFC3339Nano

// Create stores a new case for userID. The case must already have passed
// Validate: the store keeps only whole, valid states.
func (s *CaseStore) Create(ctx context.Context, userID, title string, c Case) (*SavedCase, error) {
	title, err := CleanTitle(title, c)
	if err != nil {
		return nil, err
	}
	if err := underQuota(ctx, s.db, `SELECT COUNT(*) FROM ruzhang_cases WHERE user_id = ?`, userID, MaxCasesPerUser, "每位会员保存的入表案例"); err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	sc := &SavedCase{ID: newCaseID(), UserID: userID, Title: title, CreatedAt: now, UpdatedAt: now}
	c.ID = sc.ID
	sc.Case = c
	data, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO ruzhang_cases (id, user_id, title, case_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		sc.ID, userID, title, string(data), now.Format(timeFormat), now.Format(timeFormat))
	if err != nil {
		return nil, fmt.Errorf("保存案例: %w", err)
	}
	return sc, nil
}

// Get returns userID's case id.
func (s *CaseStore) Get(ctx context.Context, userID, id string) (*SavedCase, error) {
	row := s.db.QueryRowContext(ctx, `SELECT id, user_id, title, case_json, created_at, updated_at FROM ruzhang_cases WHERE id = ? AND user_id = ?`, id, userID)
	sc, err := scanCase(row.Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrCaseNotFound
	}
	return sc, err
}

// List returns userID's cases, most recently changed first.
func (s *CaseStore) List(ctx context.Context, userID string) ([]*SavedCase, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, user_id, title, case_json, created_at, updated_at FROM ruzhang_cases WHERE user_id = ? ORDER BY updated_at DESC, id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*SavedCase
	for rows.Next() {
		sc, err := scanCase(rows.Scan)
		if err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, rows.Err()
}

// Update replaces the title and answers of userID's case id.
func (s *CaseStore) Update(ctx context.Context, userID, id, title string, c Case) (*SavedCase, error) {
	title, err := CleanTitle(title, c)
	if err != nil {
		return nil, err
	}
	c.ID = id
	data, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	res, err := s.db.ExecContext(ctx, `UPDATE ruzhang_cases SET title = ?, case_json = ?, updated_at = ? WHERE id = ? AND user_id = ?`,
		title, string(data), now.Format(timeFormat), id, userID)
	if err != nil {
		return nil, fmt.Errorf("保存案例: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, ErrCaseNotFound
	}
	return s.Get(ctx, userID, id)
}

// Delete removes userID's case id.
func (s *CaseStore) Delete(ctx context.Context, userID, id string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM ruzhang_cases WHERE id = ? AND user_id = ?`, id, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrCaseNotFound
	}
	return nil
}

func scanCase(scan func(...any) error) (*SavedCase, error) {
	var sc SavedCase
	var data, created, updated string
	if err := scan(&sc.ID, &sc.UserID, &sc.Title, &data, &created, &updated); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(data), &sc.Case); err != nil {
		return nil, fmt.Errorf("案例 %s 数据损坏: %w", sc.ID, err)
	}
	sc.CreatedAt, _ = time.Parse(timeFormat, created)
	sc.UpdatedAt, _ = time.Parse(timeFormat, updated)
	return &sc, nil
}
