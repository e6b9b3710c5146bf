package account

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"datalex/internal/store/storetest"
)

func newService(t *testing.T) *Service {
	t.Helper()
	st := storetest.Open(t)
	return New(st.DB())
}

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash format: %s", h)
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Error("same hash twice: salt not random")
	}
	for pw, want := range map[string]bool{"correct horse battery": true, "correct horse batterY": false, "": false} {
		if ok, err := CheckPassword(h, pw); ok != want || err != nil {
			t.Errorf("CheckPassword(%q) = %v, %v", pw, ok, err)
		}
	}
	for _, bad := range []string{"", "$argon2id$", "$bcrypt$v=19$m=1,t=1,p=1$a$b", "$argon2id$v=19$m=99999999,t=1,p=1$YQ$YQ"} {
		if _, err := CheckPassword(bad, "x"); err == nil {
			t.Errorf("CheckPassword accepted hash %q", bad)
		}
	}
}

func TestCreateAuthenticateLockout(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }
	if _, err := s.Create(ctx, "ab", "long enough pw", RoleMember); !errors.Is(err, ErrBadUsername) {
		t.Errorf("short username: %v", err)
	}
	if _, err := s.Create(ctx, "alice", "short", RoleMember); !errors.Is(err, ErrWeakPassword) {
		t.Errorf("weak password: %v", err)
	}
	if _, err := s.Create(ctx, "alice", "long enough pw", "root"); !errors.Is(err, ErrBadRole) {
		t.Errorf("bad role: %v", err)
	}
	if _, err := s.Create(ctx, "alice", "long enough pw", RoleEditor); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Create(ctx, "alice", "long enough pw", RoleEditor); !errors.Is(err, ErrUsernameTaken) {
		t.Errorf("duplicate: %v", err)
	}
	if _, err := s.Authenticate(ctx, "nobody", "x"); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("unknown user: %v", err)
	}
	// Failures never lock the account itself (a stranger could otherwise
	// lock out its owner); throttling is Backoff's job, per (name, address).
	for i := 1; i <= 2*MaxFailedLogins; i++ {
		if _, err := s.Authenticate(ctx, "alice", "wrong"); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	u, err := s.Authenticate(ctx, "alice", "long enough pw")
	if err != nil || u.Role != RoleEditor || !u.Can(RoleMember) || u.Can(RoleAdmin) {
		t.Fatalf("right password after failures: %v %+v", err, u)
	}
}

func TestSessions(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }
	u, _ := s.Create(ctx, "bob_1", "long enough pw", RoleMember)
	sess, err := s.NewSession(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	var stored string
	s.db.QueryRow(`SELECT id_hash FROM sessions`).Scan(&stored)
	if stored == sess.Token || stored != hashToken(sess.Token) {
		t.Error("session token stored in clear")
	}
	if got, _ := s.SessionUser(ctx, sess.Token); got == nil || got.Username != "bob_1" {
		t.Fatalf("session user: %+v", got)
	}
	if got, _ := s.SessionUser(ctx, sess.Token+"x"); got != nil {
		t.Error("wrong token accepted")
	}
	if err := s.SetPassword(ctx, u.ID, "a new long password"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.SessionUser(ctx, sess.Token); got != nil {
		t.Error("session survived password change")
	}
	sess, _ = s.NewSession(ctx, u.ID)
	now = now.Add(SessionTTL + time.Minute)
	if got, _ := s.SessionUser(ctx, sess.Token); got != nil {
		t.Error("expired session accepted")
	}
}

func TestSetRoleAudited(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	s.Create(ctx, "carol", "long enough pw", RoleMember)
	if err := s.SetRole(ctx, "admin1", "carol", RoleEditor); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRole(ctx, "admin1", "nobody", RoleEditor); !errors.Is(err, ErrNoUser) {
		t.Errorf("unknown user: %v", err)
	}
	log, _ := s.AuditLog(ctx, 10)
	if len(log) != 1 || log[0].Actor != "admin1" || log[0].Target != "carol" || log[0].Action != "user.set_role" {
		t.Errorf("audit log = %+v", log)
	}
}
