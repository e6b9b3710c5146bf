package community

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// Members post at the same time; every post must land (no SQLITE_BUSY).
func TestConcurrentPosting(t *testing.T) {
	s, _ := newService(t)
	s.Now = newClock().now
	ctx := context.Background()
	th := mustThread(t, s, KindQuestion, alice, "并发", "正文")
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user := fmt.Sprintf("u%02d", i)
			for j := range 4 {
				if _, err := s.AddReply(ctx, th.ID, user, fmt.Sprintf("回复 %d-%d", i, j)); err != nil {
					errs <- err
				}
				if _, err := s.Vote(ctx, user, TargetThread, th.ID, 1-2*(j%2)); err != nil {
					errs <- err
				}
			}
			if _, err := s.CreateThread(ctx, NewThread{Kind: KindExperience, Title: "并发主题", Body: "x", AuthorID: user}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got, _ := s.Thread(ctx, th.ID)
	if got.ReplyCount != 32 {
		t.Fatalf("reply count %d, want 32", got.ReplyCount)
	}
}
