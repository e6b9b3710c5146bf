package account

import (
	"context"
	"errors"
	"fmt"
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

func TestLimiter(t *testing.T) {
	l := NewLimiter(3, time.Minute)
	now := time.Unix(0, 0)
	l.now = func() time.Time { return now }
	for i := 0; i < 3; i++ {
		if !l.Allow("1.2.3.4") {
			t.Fatalf("attempt %d refused", i)
		}
	}
	if l.Allow("1.2.3.4") {
		t.Error("4th attempt allowed")
	}
	if !l.Allow("5.6.7.8") {
		t.Error("other address refused")
	}
	now = now.Add(time.Minute + time.Second)
	if !l.Allow("1.2.3.4") {
		t.Error("window did not slide")
	}
}

// TestLimiterBoundedMemory: a flood of fresh addresses evicts the least
// recently seen ones, not every counter: the attacking address, which keeps
// trying, stays throttled.
func TestLimiterBoundedMemory(t *testing.T) {
	l := NewLimiterCap(3, time.Minute, 1000)
	now := time.Unix(0, 0)
	l.now = func() time.Time { return now }
	for i := 0; i < 3; i++ {
		l.Allow("attacker")
	}
	for i := 0; i < 5000; i++ {
		l.Allow(fmt.Sprintf("10.0.%d.%d", i/256, i%256))
		if i%100 == 0 && l.Allow("attacker") {
			t.Fatalf("attacker allowed again after %d other addresses", i)
		}
	}
	if n := l.Len(); n > 1000 {
		t.Errorf("limiter holds %d keys, bound 1000", n)
	}
}

// TestBackoff: free failures, then a doubling delay capped at max; per
// (account, address) pair; success forgets.
func TestBackoff(t *testing.T) {
	b := NewBackoff(5, 30*time.Second, 15*time.Minute, 100)
	now := time.Unix(0, 0)
	b.now = func() time.Time { return now }
	for i := 1; i <= 5; i++ {
		if d := b.Fail("admin", "1.1.1.1"); d != 0 {
			t.Fatalf("failure %d delayed %v", i, d)
		}
	}
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 15 * time.Minute, 15 * time.Minute}
	for i, w := range want {
		if d := b.Fail("admin", "1.1.1.1"); d != w {
			t.Fatalf("failure %d: delay %v, want %v", 6+i, d, w)
		}
	}
	if b.Wait("admin", "1.1.1.1") == 0 {
		t.Error("pair not throttled")
	}
	if b.Wait("admin", "2.2.2.2") != 0 {
		t.Error("the owner at another address is throttled: anyone could lock the account")
	}
	now = now.Add(16 * time.Minute)
	if b.Wait("admin", "1.1.1.1") != 0 {
		t.Error("delay did not expire")
	}
	b.Succeed("admin", "1.1.1.1")
	if d := b.Fail("admin", "1.1.1.1"); d != 0 {
		t.Error("success did not reset the failures")
	}
}
