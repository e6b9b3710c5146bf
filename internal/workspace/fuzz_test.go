package workspace

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzSearchQuery: any form gives a clear error or a bounded query string
// that reads back to itself (saved searches are stable).
func FuzzSearchQuery(f *testing.F) {
	for _, s := range []string{"q=数据出境&level=法律", "q=x&sort=date&page=2", "q=%22a&filter=year=2021", "q=&level=", "q=-&title:x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		vals, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		out, err := SearchQuery(vals)
		if err != nil {
			return
		}
		if len(out) > MaxQueryBytes {
			t.Fatalf("query of %d bytes", len(out))
		}
		again, _ := url.ParseQuery(out)
		if out2, err := SearchQuery(again); err != nil || out2 != out {
			t.Fatalf("not stable: %q → %q (%v)", out, out2, err)
		}
	})
}

// FuzzCheckEmail: an accepted address is one line, has an @ and no name.
func FuzzCheckEmail(f *testing.F) {
	for _, s := range []string{"a@example.com", "名字 <a@b.c>", "a@b\r\nBcc: c@d", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := checkEmail(s)
		if err != nil || got == "" {
			return
		}
		if strings.ContainsAny(got, "\r\n<>") || !strings.Contains(got, "@") {
			t.Fatalf("accepted %q as %q", s, got)
		}
	})
}
