// Package account keeps the platform's users, their roles and sessions, the
// login throttle and the audit log of administrative actions. Its tables live
// in the library database (migration 00002_accounts.sql).
package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Roles, in increasing order of power. Anonymous visitors (访客) have no
// account and no role value.
const (
	RoleMember = "member" // 会员: post in the community, save items
	RoleEditor = "editor" // 编辑: import documents, manage news and events
	RoleAdmin  = "admin"  // 管理员: manage users
)

// Roles lists the assignable roles in increasing order of power.
var Roles = []string{RoleMember, RoleEditor, RoleAdmin}

// RoleName is the Chinese name of a role; "" is an anonymous visitor.
func RoleName(role string) string {
	switch role {
	case RoleMember:
		return "会员"
	case RoleEditor:
		return "编辑"
	case RoleAdmin:
		return "管理员"
	}
	return "访客"
}

func roleRank(role string) int {
	switch role {
	case RoleMember:
		return 1
	case RoleEditor:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// ValidRole reports whether role is assignable.
func ValidRole(role string) bool { return roleRank(role) > 0 }

// User is an account.
type User struct {
	ID           string
	Username     string
	Role         string
	CreatedAt    time.Time
	FailedLogins int
	LockedUntil  time.Time
	passwordHash string
}

// Can reports whether the user has at least the given role. A nil user is an
// anonymous visitor and has none.
func (u *User) Can(role string) bool {
	return u != nil && roleRank(u.Role) >= roleRank(role)
}

// Errors returned to the UI; their text is shown to the user.
var (
	ErrBadCredentials = errors.New("用户名或密码错误")
	// ErrThrottled is returned for a (name, address) pair that failed too
	// often, whether or not the name exists.
	ErrThrottled     = errors.New("登录失败次数过多，请稍后再试")
	ErrUsernameTaken = errors.New("用户名已被使用")
	ErrBadUsername   = errors.New("用户名须为 3–32 个字符，只能包含中文、字母、数字、下划线、连字符或点")
	ErrWeakPassword  = fmt.Errorf("密码至少 %d 个字符", MinPasswordLen)
	ErrLongPassword  = errors.New("密码过长（最多 256 个字符）")
	ErrNoUser        = errors.New("用户不存在")
	ErrBadRole       = errors.New("无效的角色")
)

// Login throttling: after MaxFailedLogins failures of one name from one
// address, further attempts of that pair wait BackoffBase, doubling up to
// BackoffMax (see Backoff).
const (
	MinPasswordLen  = 10
	MaxFailedLogins = 5
	BackoffBase     = 30 * time.Second
	BackoffMax      = 15 * time.Minute
	SessionTTL      = 14 * 24 * time.Hour
)

// Service reads and writes accounts in db.
type Service struct {
	db  *sql.DB
	now func() time.Time
}

// New returns a service over the database holding the account tables.
func New(db *sql.DB) *Service { return &Service{db: db, now: time.Now} }

// timeLayout has fixed width so that stored times sort as text.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeLayout, s)
	return t
}

func randomID(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// CheckUsername validates a new username.
func CheckUsername(name string) error {
	n := utf8.RuneCountInString(name)
	if n < 3 || n > 32 {
		return ErrBadUsername
	}
	for _, r := range name {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || r == '.') {
			return ErrBadUsername
		}
	}
	return nil
}

// CheckPasswordPolicy validates a new password.
func CheckPasswordPolicy(pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLen {
		return ErrWeakPassword
	}
	if len(pw) > 256 {
		return ErrLongPassword
	}
	return nil
}

// Create adds a user.
func (s *Service) Create(ctx context.Context, username, password, role string) (*User, error) {
	username = strings.TrimSpace(username)
	if err := CheckUsername(username); err != nil {
		return nil, err
	}
	if err := CheckPasswordPolicy(password); err != nil {
		return nil, err
	}
	if !ValidRole(role) {
		return nil, ErrBadRole
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	u := &User{ID: "u" + randomID(9), Username: username, Role: role, CreatedAt: s.now().UTC()}
	_, err = s.db.ExecContext(ctx, `INSERT INTO users (id, username, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)`,
		u.ID, u.Username, hash, u.Role, fmtTime(u.CreatedAt))
	if err != nil {
		if existing, _ := s.ByUsername(ctx, username); existing != nil {
			return nil, ErrUsernameTaken
		}
		return nil, err
	}
	return u, nil
}

const userCols = `id, username, password_hash, role, created_at, failed_logins, locked_until`

func scanUser(row interface{ Scan(...any) error }) (*User, error) {
	u := &User{}
	var created, locked string
	if err := row.Scan(&u.ID, &u.Username, &u.passwordHash, &u.Role, &created, &u.FailedLogins, &locked); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNoUser
		}
		return nil, err
	}
	u.CreatedAt, u.LockedUntil = parseTime(created), parseTime(locked)
	return u, nil
}

// ByUsername finds a user by name.
func (s *Service) ByUsername(ctx context.Context, username string) (*User, error) {
	return scanUser(s.db.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE username = ?`, username))
}

// ByID finds a user by id.
func (s *Service) ByID(ctx context.Context, id string) (*User, error) {
	return scanUser(s.db.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
}

// List returns all users by name.
func (s *Service) List(ctx context.Context) ([]*User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY username`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Count returns the number of users.
func (s *Service) Count(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}

// dummyHash is checked against when the user does not exist so that a login
// attempt takes the same time whether or not the name is known.
var dummyHash, _ = HashPassword("datalex-dummy-password")

// Authenticate checks a username and password, counting failures and
// locking the account after MaxFailedLogins of them.
func (s *Service) Authenticate(ctx context.Context, username, password string) (*User, error) {
	u, err := s.ByUsername(ctx, strings.TrimSpace(username))
	if errors.Is(err, ErrNoUser) {
		CheckPassword(dummyHash, password)
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, err
	}
	ok, err := CheckPassword(u.passwordHash, password)
	if err != nil {
		return nil, err
	}
	if !ok {
		// No per-account lock here: throttling is by (account, address)
		// with backoff in the caller (Backoff), so a stranger cannot lock
		// the owner out and the reply is the same as for an unknown name.
		return nil, ErrBadCredentials
	}
	if u.FailedLogins > 0 || !u.LockedUntil.IsZero() {
		if _, err := s.db.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = '' WHERE id = ?`, u.ID); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// SetPassword replaces a user's password and ends all of their sessions.
func (s *Service) SetPassword(ctx context.Context, userID, password string) error {
	if err := CheckPasswordPolicy(password); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = '' WHERE id = ?`, hash, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNoUser
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return err
	}
	return tx.Commit()
}

// SetRole changes a user's role and records it in the audit log in the
// same transaction.
func (s *Service) SetRole(ctx context.Context, actor, username, role string) error {
	if !ValidRole(role) {
		return ErrBadRole
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE users SET role = ? WHERE username = ?`, role, username)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNoUser
	}
	if err := s.Audit(ctx, tx, actor, "user.set_role", username, "角色改为 "+RoleName(role)); err != nil {
		return err
	}
	return tx.Commit()
}

// Session is a logged-in browser.
type Session struct {
	Token     string // the cookie value; only its hash is stored
	UserID    string
	ExpiresAt time.Time
}

func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// NewSession starts a session for the user. A fresh random token is issued
// at every login, so a token planted before login is never promoted.
func (s *Service) NewSession(ctx context.Context, userID string) (*Session, error) {
	now := s.now()
	sess := &Session{Token: randomID(32), UserID: userID, ExpiresAt: now.Add(SessionTTL)}
	_, err := s.db.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		hashToken(sess.Token), userID, fmtTime(now), fmtTime(sess.ExpiresAt))
	if err != nil {
		return nil, err
	}
	return sess, nil
}

// SessionUser returns the user of a live session, or nil.
func (s *Service) SessionUser(ctx context.Context, token string) (*User, error) {
	if token == "" || len(token) > 128 {
		return nil, nil
	}
	row := s.db.QueryRowContext(ctx, `SELECT u.id, u.username, u.password_hash, u.role, u.created_at, u.failed_logins, u.locked_until, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`, hashToken(token))
	u := &User{}
	var created, locked, expires string
	err := row.Scan(&u.ID, &u.Username, &u.passwordHash, &u.Role, &created, &u.FailedLogins, &locked, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !s.now().Before(parseTime(expires)) {
		s.EndSession(ctx, token)
		return nil, nil
	}
	u.CreatedAt, u.LockedUntil = parseTime(created), parseTime(locked)
	return u, nil
}

// EndSession deletes a session (log out).
func (s *Service) EndSession(ctx context.Context, token string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, hashToken(token))
	return err
}

// PurgeExpired deletes expired sessions.
func (s *Service) PurgeExpired(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < ?`, fmtTime(s.now()))
	return err
}
