package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"datalex/internal/account"
	"datalex/internal/web/webtest"
)

// TestLoginTimingSameForUnknownNames: a wrong password for a real account
// and any password for an unknown name take the same time — the password
// check runs against a dummy hash, and the throttles (in the database) run
// the same statements for both. Samples interleave, each from its own
// address (the throttles stay out of the way); the medians must agree
// within a factor that machine noise cannot reach but a skipped hash
// (argon2id, tens of milliseconds) would.
func TestLoginTimingSameForUnknownNames(t *testing.T) {
	if testing.Short() {
		t.Skip("timing samples")
	}
	env := webtest.NewEnv(t, webtest.Versions(), nil, nil)
	if _, err := env.Acc.Create(context.Background(), "realuser", "correct horse battery", account.RoleMember); err != nil {
		t.Fatal(err)
	}
	const n = 15
	var real, unknown []time.Duration
	for i := 0; i < n; i++ {
		for _, name := range []string{"realuser", "unknownuser"} {
			ip := fmt.Sprintf("127.0.%d.%d", 10+len(name)%2, i+1)
			c := clientFrom(env, t, ip)
			form := url.Values{"csrf": {c.CSRF()}, "username": {name}, "password": {"wrong password"}}
			start := time.Now()
			code, _, _ := c.Post("/login", form)
			d := time.Since(start)
			if code != http.StatusUnauthorized {
				t.Fatalf("%s from %s: %d", name, ip, code)
			}
			if name == "realuser" {
				real = append(real, d)
			} else {
				unknown = append(unknown, d)
			}
		}
	}
	slices.Sort(real)
	slices.Sort(unknown)
	mr, mu := real[n/2], unknown[n/2]
	t.Logf("median login: wrong password %v, unknown name %v", mr, mu)
	if ratio := float64(mr) / float64(mu); ratio < 1.0/3 || ratio > 3 {
		t.Errorf("wrong password %v vs unknown name %v (ratio %.2f): the reply time tells whether the account exists", mr, mu, ratio)
	}
}
