package store

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestUploadPreviews: a preview is taken once, by its owner, before it
// expires; the table keeps at most MaxPreviews, oldest deleted first.
func TestUploadPreviews(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	now := time.Unix(1_800_000_000, 0)
	previewNow = func() time.Time { return now }
	t.Cleanup(func() { previewNow = time.Now })
	put := func(user, name string) string {
		t.Helper()
		tok, err := st.PutUploadPreview(ctx, UploadPreview{UserID: user, Name: name, Title: "标题 " + name, Data: []byte("数据 " + name)})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	take := func(tok, user string) *UploadPreview {
		t.Helper()
		p, err := st.TakeUploadPreview(ctx, tok, user)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	tok := put("u1", "a.txt")
	tests := []struct {
		name  string
		tok   string
		user  string
		found bool
	}{
		{"another user's token is refused", tok, "u2", false},
		{"an unknown token", "nope", "u1", false},
		{"the owner takes it", tok, "u1", true},
		{"only once", tok, "u1", false},
	}
	for _, tt := range tests {
		p := take(tt.tok, tt.user)
		if (p != nil) != tt.found {
			t.Fatalf("%s: got %+v", tt.name, p)
		}
		if p != nil && (p.Name != "a.txt" || p.Title != "标题 a.txt" || !bytes.Equal(p.Data, []byte("数据 a.txt"))) {
			t.Errorf("%s: got %+v", tt.name, p)
		}
	}

	old := put("u1", "old.txt")
	now = now.Add(PreviewTTL + time.Second)
	if take(old, "u1") != nil {
		t.Error("expired preview taken")
	}
	put("u1", "b.txt") // deletes the expired one
	if n, _ := st.CountUploadPreviews(ctx); n != 1 {
		t.Errorf("%d previews kept after expiry, want 1", n)
	}

	var toks []string
	for i := 0; i < MaxPreviews+10; i++ {
		now = now.Add(time.Millisecond)
		toks = append(toks, put("u1", fmt.Sprintf("f%d.txt", i)))
	}
	if n, _ := st.CountUploadPreviews(ctx); n != MaxPreviews {
		t.Errorf("%d previews kept, cap %d", n, MaxPreviews)
	}
	if take(toks[0], "u1") != nil {
		t.Error("the oldest preview survived the cap")
	}
	if take(toks[len(toks)-1], "u1") == nil {
		t.Error("the newest preview was deleted")
	}
}

// TestUploadPreviewTakenOnce: concurrent commits of one token (as from two
// nodes) get the preview exactly once.
func TestUploadPreviewTakenOnce(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	tok, err := st.PutUploadPreview(ctx, UploadPreview{UserID: "u1", Name: "a.txt", Data: []byte("x")})
	if err != nil {
		t.Fatal(err)
	}
	var got atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := st.TakeUploadPreview(ctx, tok, "u1")
			if err != nil {
				t.Error(err)
			}
			if p != nil {
				got.Add(1)
			}
		}()
	}
	wg.Wait()
	if got.Load() != 1 {
		t.Errorf("taken %d times, want once", got.Load())
	}
}
