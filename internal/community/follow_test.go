package community

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"datalex/internal/library"
	"datalex/internal/news"
)

func TestNotifications(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	th := mustThread(t, s, KindQuestion, alice, "问题", "正文")
	if err := s.Follow(ctx, carol, FollowThread, fmt.Sprint(th.ID)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddReply(ctx, th.ID, bob, "回答"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddReply(ctx, th.ID, alice, "作者自己回复"); err != nil {
		t.Fatal(err)
	}
	count := func(u string) int {
		n, err := s.UnreadCount(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// alice: bob's reply; bob: nothing (does not follow); carol: both replies.
	if a, b, c := count(alice), count(bob), count(carol); a != 1 || b != 0 || c != 2 {
		t.Fatalf("unread alice %d bob %d carol %d", a, b, c)
	}
	ns, _ := s.Notifications(ctx, carol, true, 0)
	if !strings.Contains(ns[0].Message, "你关注的主题「问题」有新回复") || !strings.HasPrefix(ns[0].URL, th.Path()+"#reply-") {
		t.Fatalf("notice %+v", ns[0])
	}
	// Marking someone else's notification does nothing.
	if err := s.MarkRead(ctx, bob, ns[0].ID); err != nil {
		t.Fatal(err)
	}
	if count(carol) != 2 {
		t.Fatal("another member marked carol's notice read")
	}
	if err := s.MarkRead(ctx, carol, ns[0].ID); err != nil {
		t.Fatal(err)
	}
	if count(carol) != 1 {
		t.Fatal("MarkRead by id")
	}
	if err := s.MarkRead(ctx, carol); err != nil || count(carol) != 0 {
		t.Fatal("MarkRead all")
	}
}

// smtpSink is a tiny SMTP server that records messages.
type smtpSink struct {
	ln   net.Listener
	mu   sync.Mutex
	msgs []string
	rcpt []string
}

func newSMTPSink(t *testing.T) *smtpSink {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("cannot listen: %v", err)
	}
	s := &smtpSink{ln: ln}
	go s.serve()
	t.Cleanup(func() { ln.Close() })
	return s
}

func (s *smtpSink) serve() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		go s.session(c)
	}
}

func (s *smtpSink) session(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(c)
	fmt.Fprint(c, "220 sink ESMTP\r\n")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			fmt.Fprint(c, "250 sink\r\n")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			s.mu.Lock()
			s.rcpt = append(s.rcpt, strings.Trim(strings.TrimSpace(line)[8:], "<>"))
			s.mu.Unlock()
			fmt.Fprint(c, "250 ok\r\n")
		case cmd == "DATA":
			fmt.Fprint(c, "354 go\r\n")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			s.mu.Lock()
			s.msgs = append(s.msgs, b.String())
			s.mu.Unlock()
			fmt.Fprint(c, "250 queued\r\n")
		case cmd == "QUIT":
			fmt.Fprint(c, "221 bye\r\n")
			return
		default:
			fmt.Fprint(c, "250 ok\r\n")
		}
	}
}

func TestReplyEmail(t *testing.T) {
	sink := newSMTPSink(t)
	s, _ := newService(t)
	ctx := context.Background()
	emails := map[string]string{alice: "alice@example.com", carol: ""}
	s.Mailer = &Mailer{Addr: sink.ln.Addr().String(), From: "noreply@datalex.example", BaseURL: "https://datalex.example",
		EmailOf: func(_ context.Context, id string) (string, error) { return emails[id], nil }}
	th := mustThread(t, s, KindQuestion, alice, "出境评估 Subject\r\nBcc: evil@example.com", "正文")
	if err := s.Follow(ctx, carol, FollowThread, fmt.Sprint(th.ID)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddReply(ctx, th.ID, bob, "请看[[数据安全法第二十一条]]"); err != nil {
		t.Fatal(err)
	}
	// Mail goes out in the background after the reply is saved.
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		sink.mu.Lock()
		n := len(sink.msgs)
		sink.mu.Unlock()
		if n > 0 {
			break
		}
	}
	time.Sleep(50 * time.Millisecond) // a second (wrong) message would arrive now
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if len(sink.msgs) != 1 || len(sink.rcpt) != 1 || sink.rcpt[0] != "alice@example.com" {
		t.Fatalf("sent %d mails to %v", len(sink.msgs), sink.rcpt)
	}
	m := sink.msgs[0]
	if strings.Contains(m, "\r\nBcc:") {
		t.Fatalf("header injection:\n%s", m)
	}
	if !strings.Contains(m, "https://datalex.example"+th.Path()+"#reply-") || !strings.Contains(m, "Subject: =?UTF-8?b?") {
		t.Fatalf("mail body:\n%s", m)
	}
}

func TestMailerUnconfigured(t *testing.T) {
	var m *Mailer
	if err := m.Send("a@example.com", "s", "b"); err == nil {
		t.Fatal("nil mailer sent")
	}
	if err := (&Mailer{Addr: "127.0.0.1:1", From: "x@y"}).Send("bad\r\nRCPT TO:<x>", "s", "b"); err == nil {
		t.Fatal("accepted CRLF in address")
	}
}

func TestFollowAndFeed(t *testing.T) {
	s, c := newService(t)
	ctx := context.Background()
	// The news package stamps with the real clock; run this clock from now.
	c.t = time.Now().UTC()
	start := c.t.Add(-time.Minute)
	for _, f := range []struct{ kind, value string }{
		{FollowTag, "数据出境"}, {FollowRegion, "北京"}, {FollowWork, "w-dsl"}, {FollowTag, "#数据出境"},
	} {
		if err := s.Follow(ctx, carol, f.kind, f.value); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Follow(ctx, carol, "user", "1"); err == nil {
		t.Fatal("bad kind accepted")
	}
	if err := s.Follow(ctx, carol, FollowThread, "999"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("follow missing thread: %v", err)
	}
	fs, _ := s.Follows(ctx, carol)
	if len(fs) != 3 {
		t.Fatalf("follows %+v", fs)
	}
	// Library changes, recorded by news.OnDocumentsImported.
	if _, err := s.DB.Exec(`INSERT INTO works (id, title) VALUES ('w-dsl', '数据安全法'), ('w-bj', '北京办法'), ('w-x', '无关')`); err != nil {
		t.Fatal(err)
	}
	for _, v := range [][2]string{{"v-dsl-1", "w-dsl"}, {"v-dsl-2", "w-dsl"}, {"v-bj", "w-bj"}, {"v-x", "w-x"}} {
		if _, err := s.DB.Exec(`INSERT INTO versions (id, work_id, seq, kind, title) VALUES (?, ?, 0, 'regulation', 't')`, v[0], v[1]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := news.OnDocumentsImported(ctx, s.DB, []*library.Version{
		{ID: "v-dsl-2", WorkID: "w-dsl", Kind: library.KindRegulation, Title: "数据安全法（修正）"},
		{ID: "v-bj", WorkID: "w-bj", Kind: library.KindRegulation, Title: "北京市数据条例", Region: "北京"},
		{ID: "v-x", WorkID: "w-x", Kind: library.KindRegulation, Title: "无关文件", Region: "广东"},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := news.Create(ctx, s.DB, &news.Item{Category: news.CategoryIndustry, Title: "出境新闻", Tags: []string{"数据出境"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := news.Create(ctx, s.DB, &news.Item{Category: news.CategoryIndustry, Title: "无关新闻", Tags: []string{"娱乐"}}); err != nil {
		t.Fatal(err)
	}
	mine := mustThread(t, s, KindQuestion, carol, "我的问题", "正文")
	tagged := mustThread(t, s, KindExperience, bob, "出境经验", "正文", "数据出境")
	mustThread(t, s, KindExperience, bob, "无关主题", "正文", "娱乐")
	if _, err := s.AddReply(ctx, mine.ID, bob, "给你的回答"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddReply(ctx, mine.ID, carol, "我自己的回复"); err != nil {
		t.Fatal(err)
	}
	hiddenReply, _ := s.AddReply(ctx, mine.ID, bob, "将被隐藏")
	if err := s.SetHidden(ctx, mod, TargetReply, hiddenReply.ID, true, ""); err != nil {
		t.Fatal(err)
	}

	feed, err := s.Feed(ctx, carol, start)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range feed {
		got = append(got, e.Kind+":"+e.Title)
	}
	want := []string{
		"reply:回复：我的问题",
		"thread:[经验分享] 出境经验",
		"news:出境新闻",
		"news:北京市数据条例",
		"document:新文件：《北京市数据条例》",
		"news:数据安全法（修正）",
		"version:新版本：《数据安全法（修正）》",
	}
	// News and changes written in the same second keep a stable but
	// unspecified mutual order; compare as sets plus the newest first.
	if len(got) != len(want) || got[0] != want[0] || !sameSet(got, want) {
		t.Fatalf("feed:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, e := range feed {
		if e.URL == "" || e.Reason == "" {
			t.Errorf("entry without url/reason: %+v", e)
		}
		if e.Kind == EntryThread && e.URL != tagged.Path() {
			t.Errorf("thread url %q", e.URL)
		}
	}
	// Nothing new since now.
	if later, _ := s.Feed(ctx, carol, c.t.Add(time.Hour)); len(later) != 0 {
		t.Fatalf("feed since the future: %d", len(later))
	}
	// Someone following nothing gets nothing.
	if none, _ := s.Feed(ctx, "u-nobody", start); len(none) != 0 {
		t.Fatal("empty follow set produced entries")
	}
	atom, err := s.PersonalAtom(ctx, carol, start, "https://datalex.example", "https://datalex.example/me/feed.atom?token=x")
	if err != nil {
		t.Fatal(err)
	}
	pf, err := gofeed.NewParser().ParseString(string(atom))
	if err != nil {
		t.Fatalf("personal atom does not parse: %v\n%s", err, atom)
	}
	if len(pf.Items) != len(want) || !strings.HasPrefix(pf.Items[0].Link, "https://datalex.example/community/threads/") {
		t.Fatalf("atom items %d first %q", len(pf.Items), pf.Items[0].Link)
	}
	ids := map[string]bool{}
	for _, it := range pf.Items {
		if ids[it.GUID] {
			t.Fatalf("duplicate atom id %s", it.GUID)
		}
		ids[it.GUID] = true
	}
	if err := s.Unfollow(ctx, carol, FollowTag, "数据出境"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.IsFollowing(ctx, carol, FollowTag, "数据出境"); ok {
		t.Fatal("still following")
	}
}

func sameSet(a, b []string) bool {
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
	}
	for _, v := range m {
		if v != 0 {
			return false
		}
	}
	return true
}
