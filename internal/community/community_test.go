package community

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"datalex/internal/news/markup/xsstest"
	"datalex/internal/store/storetest"
)

// clock is a settable test clock.
type clock struct{ t time.Time }

func newClock() *clock { return &clock{t: time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)} }

// now reads the clock without moving it.
func (c *clock) now() time.Time { return c.t }

// tick advances one second per call, so rows get distinct, ordered times.
func (c *clock) tick() time.Time {
	c.t = c.t.Add(time.Second)
	return c.t
}

func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }

func newService(t *testing.T) (*Service, *clock) {
	t.Helper()
	st := storetest.Open(t)
	s := New(st.DB())
	c := newClock()
	s.Now = c.tick
	s.Resolve = testResolver
	return s, c
}

// testResolver knows two provisions.
func testResolver(ref string) (string, string, bool) {
	switch strings.ReplaceAll(ref, " ", "") {
	case "数据安全法第二十一条":
		return "vdsl.c3.a21", "数据安全法 第二十一条", true
	case "个人信息保护法第三十八条":
		return "vpipl.c3.a38", "个人信息保护法 第三十八条", true
	}
	return "", "", false
}

// Member ids look like the accounts package's ("u" + random hex).
const (
	alice = "u0a11ce"
	bob   = "u00b0b0"
	carol = "u0ca401"
	mod   = "u0m0d00"
)

func mustThread(t *testing.T, s *Service, kind string, author string, title, body string, tags ...string) *Thread {
	t.Helper()
	th, err := s.CreateThread(context.Background(), NewThread{Kind: kind, Title: title, Body: body, Tags: tags, AuthorID: author})
	if err != nil {
		t.Fatal(err)
	}
	return th
}

func TestCreateThreadValidation(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	ok := NewThread{Kind: KindQuestion, Title: "数据出境如何申报？", Body: "请教", AuthorID: alice}
	tests := []struct {
		name  string
		edit  func(*NewThread)
		field string
	}{
		{"ok", func(n *NewThread) {}, ""},
		{"knowledge without body", func(n *NewThread) { n.Kind, n.Body = KindKnowledge, "" }, ""},
		{"bad kind", func(n *NewThread) { n.Kind = "闲聊" }, "kind"},
		{"anonymous", func(n *NewThread) { n.AuthorID = "" }, "author"},
		{"empty title", func(n *NewThread) { n.Title = " \t" }, "title"},
		{"long title", func(n *NewThread) { n.Title = strings.Repeat("问", 121) }, "title"},
		{"empty body", func(n *NewThread) { n.Body = "  " }, "body"},
		{"huge body", func(n *NewThread) { n.Body = strings.Repeat("x", 64<<10+1) }, "body"},
		{"too many tags", func(n *NewThread) { n.Tags = strings.Fields("a b c d e f g h i") }, "tags"},
		{"long tag", func(n *NewThread) { n.Tags = []string{strings.Repeat("标", 25)} }, "tags"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := ok
			tt.edit(&n)
			_, err := s.CreateThread(ctx, n)
			var ve *ValidationError
			if tt.field == "" && err != nil {
				t.Fatalf("unexpected %v", err)
			}
			if tt.field != "" && (!errors.As(err, &ve) || ve.Field != tt.field) {
				t.Fatalf("want error on %s, got %v", tt.field, err)
			}
		})
	}
}

func TestPostXSS(t *testing.T) {
	s, _ := newService(t)
	s.Limits.PostsPerWindow = 1000
	ctx := context.Background()
	th := mustThread(t, s, KindExperience, alice, "XSS", "x")
	for _, p := range xsstest.Payloads {
		nt, err := s.CreateThread(ctx, NewThread{Kind: KindExperience, Title: p, Body: p + "\n\n外链 https://evil.example/x", AuthorID: bob})
		if err != nil {
			t.Fatal(err)
		}
		if err := xsstest.Inert(nt.BodyHTML); err != nil {
			t.Errorf("thread %q: %v\n%s", p, err, nt.BodyHTML)
		}
		if !strings.Contains(nt.BodyHTML, `rel="nofollow ugc"`) {
			t.Errorf("external link without nofollow ugc: %s", nt.BodyHTML)
		}
		r, err := s.AddReply(ctx, th.ID, bob, p)
		if err != nil {
			t.Fatal(err)
		}
		if err := xsstest.Inert(r.BodyHTML); err != nil {
			t.Errorf("reply %q: %v\n%s", p, err, r.BodyHTML)
		}
	}
}

func TestRepliesLockHide(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	th := mustThread(t, s, KindExperience, alice, "入表经验", "正文")
	r1, err := s.AddReply(ctx, th.ID, bob, "第一条回复")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddReply(ctx, th.ID, "", "匿名"); err == nil {
		t.Fatal("anonymous reply accepted")
	}
	if _, err := s.AddReply(ctx, 999, bob, "x"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("reply to missing thread: %v", err)
	}
	if _, err := s.EditReply(ctx, carol, r1.ID, "冒名修改"); !errors.Is(err, ErrNotAuthor) {
		t.Fatalf("edit by other: %v", err)
	}
	if r, err := s.EditReply(ctx, bob, r1.ID, "修改后"); err != nil || r.Body != "修改后" {
		t.Fatalf("edit own reply: %v", err)
	}
	if _, err := s.EditThread(ctx, bob, th.ID, "x", "y", nil); !errors.Is(err, ErrNotAuthor) {
		t.Fatalf("edit thread by other: %v", err)
	}
	if err := s.SetLocked(ctx, mod, th.ID, true, "讨论结束"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddReply(ctx, th.ID, carol, "锁定后回复"); !errors.Is(err, ErrLocked) {
		t.Fatalf("reply to locked: %v", err)
	}
	if _, err := s.EditThread(ctx, alice, th.ID, "x", "y", nil); !errors.Is(err, ErrLocked) {
		t.Fatalf("edit locked: %v", err)
	}
	if err := s.SetLocked(ctx, mod, th.ID, false, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.SetHidden(ctx, mod, TargetReply, r1.ID, true, "广告"); err != nil {
		t.Fatal(err)
	}
	rs, _ := s.Replies(ctx, th.ID)
	if len(rs) != 1 || !rs[0].Hidden {
		t.Fatalf("hidden reply: %+v", rs)
	}
	if err := s.SetHidden(ctx, mod, TargetThread, th.ID, true, "违规"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddReply(ctx, th.ID, carol, "隐藏后回复"); !errors.Is(err, ErrHidden) {
		t.Fatalf("reply to hidden: %v", err)
	}
	list, total, _ := s.ThreadList(ctx, ThreadQuery{})
	if total != 0 || len(list) != 0 {
		t.Fatalf("hidden thread listed")
	}
	if _, total, _ := s.ThreadList(ctx, ThreadQuery{IncludeHidden: true}); total != 1 {
		t.Fatalf("moderator list: %d", total)
	}
	log, _ := s.AuditLog(ctx, "", 0, 0)
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action+":"+e.TargetType)
		if e.ActorID != mod {
			t.Errorf("audit actor %s", e.ActorID)
		}
	}
	if got := strings.Join(actions, ","); got != "hide:thread,hide:reply,unlock:thread,lock:thread" {
		t.Fatalf("audit trail %s", got)
	}
	// The author of the hidden reply was told.
	ns, _ := s.Notifications(ctx, bob, false, 0)
	if len(ns) == 0 || ns[0].Kind != NotifyModerate || !strings.Contains(ns[0].Message, "广告") {
		t.Fatalf("moderation notice: %+v", ns)
	}
}

func TestAcceptRules(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	q := mustThread(t, s, KindQuestion, alice, "如何做数据资产入表？", "请教")
	share := mustThread(t, s, KindExperience, alice, "分享", "正文")
	other := mustThread(t, s, KindQuestion, carol, "另一个问题", "正文")
	a1, _ := s.AddReply(ctx, q.ID, bob, "答案一")
	a2, _ := s.AddReply(ctx, q.ID, carol, "答案二")
	own, _ := s.AddReply(ctx, q.ID, alice, "补充说明")
	elsewhere, _ := s.AddReply(ctx, other.ID, bob, "别处的回答")
	sr, _ := s.AddReply(ctx, share.ID, bob, "分享的回复")

	tests := []struct {
		name          string
		actor         string
		thread, reply int64
		want          error
	}{
		{"not the asker", bob, q.ID, a1.ID, ErrNotAsker},
		{"moderator is not the asker either", mod, q.ID, a1.ID, ErrNotAsker},
		{"not a question", alice, share.ID, sr.ID, ErrNotQuestion},
		{"reply of another thread", alice, q.ID, elsewhere.ID, ErrNotFound},
		{"missing reply", alice, q.ID, 9999, ErrNotFound},
		{"missing thread", alice, 9999, a1.ID, ErrNotFound},
		{"asker accepts", alice, q.ID, a1.ID, nil},
		{"asker switches", alice, q.ID, a2.ID, nil},
		{"asker accepts own reply", alice, q.ID, own.ID, nil},
		{"asker switches back", alice, q.ID, a2.ID, nil},
	}
	for _, tt := range tests {
		err := s.Accept(ctx, tt.actor, tt.thread, tt.reply)
		if !errors.Is(err, tt.want) {
			t.Fatalf("%s: got %v, want %v", tt.name, err, tt.want)
		}
	}
	th, _ := s.Thread(ctx, q.ID)
	if th.AcceptedReplyID != a2.ID {
		t.Fatalf("accepted %d, want %d", th.AcceptedReplyID, a2.ID)
	}
	rs, _ := s.Replies(ctx, q.ID)
	accepted := 0
	for _, r := range rs {
		if r.Accepted {
			accepted++
		}
	}
	if accepted != 1 || !rs[0].Accepted || rs[0].ID != a2.ID {
		t.Fatalf("exactly one accepted answer, listed first: %+v", rs[0])
	}
	if _, total, _ := s.ThreadList(ctx, ThreadQuery{Unanswered: true}); total != 1 {
		t.Fatalf("unanswered questions: %d, want 1 (the other question)", total)
	}
	// Carol was notified of the acceptance (twice accepted, told each time it changed to her).
	ns, _ := s.Notifications(ctx, carol, false, 0)
	n := 0
	for _, x := range ns {
		if x.Kind == NotifyAccepted {
			n++
		}
	}
	if n != 2 {
		t.Fatalf("carol got %d acceptance notices, want 2", n)
	}
	// A hidden reply cannot be accepted; locking stops changes.
	if err := s.SetHidden(ctx, mod, TargetReply, a1.ID, true, "x"); err != nil {
		t.Fatal(err)
	}
	if err := s.Accept(ctx, alice, q.ID, a1.ID); !errors.Is(err, ErrHidden) {
		t.Fatalf("accept hidden: %v", err)
	}
	if err := s.Unaccept(ctx, bob, q.ID); !errors.Is(err, ErrNotAsker) {
		t.Fatalf("unaccept by other: %v", err)
	}
	if err := s.Unaccept(ctx, alice, q.ID); err != nil {
		t.Fatal(err)
	}
	if th, _ := s.Thread(ctx, q.ID); th.AcceptedReplyID != 0 {
		t.Fatal("unaccept kept the answer")
	}
}

func TestVotes(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	th := mustThread(t, s, KindExperience, alice, "分享", "正文")
	r, _ := s.AddReply(ctx, th.ID, bob, "回复")
	steps := []struct {
		user   string
		target string
		id     int64
		value  int
		score  int
		err    error
	}{
		{bob, TargetThread, th.ID, 1, 1, nil},
		{bob, TargetThread, th.ID, 1, 1, nil}, // same vote again: still one
		{carol, TargetThread, th.ID, 1, 2, nil},
		{carol, TargetThread, th.ID, -1, 0, nil}, // change of mind replaces
		{carol, TargetThread, th.ID, 0, 1, nil},  // withdraw
		{alice, TargetThread, th.ID, 1, 0, ErrOwnPost},
		{alice, TargetReply, r.ID, 1, 1, nil},
		{alice, TargetReply, r.ID, 2, 0, ErrBadVote},
		{alice, "user", 1, 1, 0, ErrBadVote},
		{alice, TargetReply, 999, 1, 0, ErrNotFound},
	}
	for i, st := range steps {
		score, err := s.Vote(ctx, st.user, st.target, st.id, st.value)
		if !errors.Is(err, st.err) || (err == nil && score != st.score) {
			t.Fatalf("step %d: score %d err %v, want %d %v", i, score, err, st.score, st.err)
		}
	}
	if th, _ := s.Thread(ctx, th.ID); th.Score != 1 {
		t.Fatalf("stored score %d", th.Score)
	}
	if v, _ := s.MyVote(ctx, bob, TargetThread, th.ID); v != 1 {
		t.Fatalf("my vote %d", v)
	}
	var n int
	s.DB.QueryRow(`SELECT COUNT(*) FROM votes WHERE user_id = ? AND target_type = 'thread'`, bob).Scan(&n)
	if n != 1 {
		t.Fatalf("%d vote rows for one member and target", n)
	}
}

func TestRateLimit(t *testing.T) {
	s, c := newService(t)
	s.Now = c.now // fixed clock, advanced by hand
	s.Limits.PostsPerWindow = 3
	ctx := context.Background()
	th := mustThread(t, s, KindExperience, alice, "1", "x")
	if _, err := s.AddReply(ctx, th.ID, alice, "2"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddReply(ctx, th.ID, alice, "3"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddReply(ctx, th.ID, alice, "4"); !errors.Is(err, ErrRateLimited) {
		t.Fatalf("4th post in window: %v", err)
	}
	if _, err := s.CreateThread(ctx, NewThread{Kind: KindQuestion, Title: "t", Body: "b", AuthorID: alice}); !errors.Is(err, ErrRateLimited) {
		t.Fatalf("thread past limit: %v", err)
	}
	// Others are not affected.
	if _, err := s.AddReply(ctx, th.ID, bob, "别人"); err != nil {
		t.Fatal(err)
	}
	c.add(10*time.Minute + time.Second)
	if _, err := s.AddReply(ctx, th.ID, alice, "窗口过后"); err != nil {
		t.Fatalf("after window: %v", err)
	}
}

func TestReports(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	th := mustThread(t, s, KindExperience, alice, "广告帖", "买买买")
	r, _ := s.AddReply(ctx, th.ID, bob, "回复")
	cases := []struct {
		reporter, target string
		id               int64
		reason           string
		ok               bool
	}{
		{bob, TargetThread, th.ID, "广告", true},
		{bob, TargetThread, th.ID, "再次举报", true}, // ignored, not an error
		{carol, TargetThread, th.ID, "垃圾信息", true},
		{carol, TargetReply, r.ID, "无关", true},
		{carol, TargetThread, 999, "不存在", false},
		{carol, "user", th.ID, "对象无效", false},
		{carol, TargetThread, th.ID, "  ", false},
		{carol, TargetThread, th.ID, strings.Repeat("长", 501), false},
		{"", TargetThread, th.ID, "匿名", false},
	}
	for i, c := range cases {
		if err := s.ReportPost(ctx, c.reporter, c.target, c.id, c.reason); (err == nil) != c.ok {
			t.Fatalf("case %d: %v", i, err)
		}
	}
	open, _ := s.OpenReports(ctx, 0)
	if len(open) != 3 || open[0].Reason != "广告" {
		t.Fatalf("open reports %+v", open)
	}
	if err := s.SetHidden(ctx, mod, TargetThread, th.ID, true, "确认广告"); err != nil {
		t.Fatal(err)
	}
	if open, _ = s.OpenReports(ctx, 0); len(open) != 1 || open[0].TargetType != TargetReply {
		t.Fatalf("hiding must resolve the thread's reports: %+v", open)
	}
	if err := s.ResolveReports(ctx, mod, TargetReply, r.ID, "不违规"); err != nil {
		t.Fatal(err)
	}
	if open, _ = s.OpenReports(ctx, 0); len(open) != 0 {
		t.Fatalf("still open: %+v", open)
	}
	trail, _ := s.AuditLog(ctx, TargetReply, r.ID, 0)
	if len(trail) != 1 || trail[0].Action != ActionResolve || trail[0].Reason != "不违规" || trail[0].ActorID != mod {
		t.Fatalf("audit for reply: %+v", trail)
	}
	if err := s.SetHidden(ctx, mod, TargetThread, th.ID, false, "申诉成功"); err != nil {
		t.Fatal(err)
	}
	if th, _ := s.Thread(ctx, th.ID); th.Hidden {
		t.Fatal("unhide failed")
	}
	if err := s.SetHidden(ctx, mod, TargetThread, 999, true, ""); !errors.Is(err, ErrNotFound) {
		t.Fatalf("hide missing: %v", err)
	}
}

func TestPage(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	q := mustThread(t, s, KindQuestion, alice, "问题", "引用 [[数据安全法第二十一条]]")
	r, _ := s.AddReply(ctx, q.ID, bob, "见 [[个人信息保护法第三十八条]]")
	if _, err := s.Vote(ctx, carol, TargetReply, r.ID, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddAttachment(ctx, alice, q.ID, "a.md", []byte("# 附件\n\n正文")); err != nil {
		t.Fatal(err)
	}
	p, err := s.Page(ctx, q.ID, carol, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Replies) != 1 || len(p.Replies[0].Citations) != 1 || len(p.Attachments) != 1 || p.MyVotes["reply:"+fmt.Sprint(r.ID)] != 1 ||
		p.CanAccept || p.CanEdit || p.Following {
		t.Fatalf("carol's page: %+v", p)
	}
	if p, _ := s.Page(ctx, q.ID, alice, false); !p.CanAccept || !p.CanEdit || !p.Following || len(p.Thread.Citations) != 1 {
		t.Fatalf("asker's page: %+v", p)
	}
	if p, _ := s.Page(ctx, q.ID, "", false); p.CanAccept || len(p.MyVotes) != 0 {
		t.Fatalf("guest page: %+v", p)
	}
	if err := s.SetHidden(ctx, mod, TargetThread, q.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Page(ctx, q.ID, carol, false); !errors.Is(err, ErrHidden) {
		t.Fatalf("hidden page: %v", err)
	}
	if _, err := s.Page(ctx, q.ID, mod, true); err != nil {
		t.Fatalf("moderator view: %v", err)
	}
}
