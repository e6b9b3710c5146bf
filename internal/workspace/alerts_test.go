package workspace

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"mime"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"

	"datalex/internal/community"
)

// smtpMessage is one message the test server accepted.
type smtpMessage struct {
	From string
	To   []string
	Data string
}

// smtpServer is a tiny SMTP server on loopback that records what it is
// sent: enough of RFC 5321 for net/smtp (EHLO, MAIL, RCPT, DATA, QUIT).
type smtpServer struct {
	Addr string
	mu   sync.Mutex
	msgs []smtpMessage
}

func newSMTPServer(t *testing.T) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	s := &smtpServer{Addr: ln.Addr().String()}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(line string) { c.Write([]byte(line + "\r\n")) }
	say("220 localhost ESMTP test")
	var m smtpMessage
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		cmd := strings.ToUpper(line)
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250-localhost")
			say("250 8BITMIME")
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			m = smtpMessage{From: strings.Fields(line[10:])[0]}
			say("250 OK")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			m.To = append(m.To, strings.Trim(line[8:], "<> "))
			say("250 OK")
		case cmd == "DATA":
			say("354 go ahead")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(strings.TrimPrefix(l, "."))
			}
			m.Data = b.String()
			s.mu.Lock()
			s.msgs = append(s.msgs, m)
			s.mu.Unlock()
			say("250 OK queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 OK")
		}
	}
}

func (s *smtpServer) messages() []smtpMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]smtpMessage(nil), s.msgs...)
}

type sentNote struct{ user, msg, url string }

func TestAlertsReportNewDocumentsAndStatusChangesOnce(t *testing.T) {
	ctx := context.Background()
	ws, db, alice, bob := testEnv(t)
	srv := newSMTPServer(t)
	mailer := &community.Mailer{Addr: srv.Addr, From: "datalex@localhost"}

	var notes []sentNote
	failNotify := false
	al := &Alerts{
		WS: ws,
		Notify: func(ctx context.Context, tx *sql.Tx, userID, message, u string) error {
			if failNotify {
				return errors.New("notification store down")
			}
			notes = append(notes, sentNote{userID, message, u})
			return nil
		},
		Mail:    mailer.Send,
		BaseURL: "http://datalex.test/",
	}
	a := Match{VersionID: "va", Title: "数据出境安全评估办法", Status: "现行有效"}
	b := Match{VersionID: "vb", Title: "促进和规范数据跨境流动规定", Status: "现行有效"}
	library := []Match{a}
	match := func(ctx context.Context, vals url.Values) ([]Match, error) {
		if vals.Get("q") != "数据出境" || vals.Get("level") != "部门规章" {
			t.Errorf("matcher got %v", vals)
		}
		return library, nil
	}
	vals := url.Values{"q": {"数据出境"}, "level": {"部门规章"}}
	ss, err := ws.SaveSearch(ctx, alice, "出境规则", vals, "lawyer@example.com", library)
	if err != nil {
		t.Fatal(err)
	}
	// Bob's search on the same words never tells Alice anything.
	if _, err := ws.SaveSearch(ctx, bob, "", vals, "", library); err != nil {
		t.Fatal(err)
	}

	// Nothing changed: no alert.
	if got, err := al.Run(ctx, match); err != nil || len(got) != 0 {
		t.Fatalf("unchanged library gave %v, %v", got, err)
	}

	// A new matching document arrives. The in-app notification fails the
	// first time: nothing is recorded, so the next run reports it again.
	library = []Match{a, b}
	failNotify = true
	if got, _ := al.Run(ctx, match); len(got) != 0 {
		t.Fatalf("a failed notification still reported %d alerts", len(got))
	}
	if n := len(srv.messages()); n != 0 {
		t.Fatalf("mail sent although the alert was rolled back: %d", n)
	}
	failNotify = false
	got, err := al.Run(ctx, match)
	if err != nil || len(got) != 2 {
		t.Fatalf("run after the new document: %d alerts, %v", len(got), err)
	}
	var mine *Alert
	for _, x := range got {
		if x.UserID == alice {
			mine = x
		}
	}
	if mine == nil || len(mine.New) != 1 || mine.New[0].VersionID != "vb" || !mine.Emailed {
		t.Fatalf("alice's alert = %+v", mine)
	}
	if len(notes) != 2 || notes[0].url != "/me/searches/"+ss.ID && notes[1].url != "/me/searches/"+ss.ID {
		t.Errorf("notifications = %+v", notes)
	}
	if !strings.Contains(notes[0].msg+notes[1].msg, "检索订阅「出境规则」：1 件新文件") {
		t.Errorf("notification text = %+v", notes)
	}

	msgs := srv.messages()
	if len(msgs) != 1 {
		t.Fatalf("%d mails, want 1 (bob has no address)", len(msgs))
	}
	m := msgs[0]
	if len(m.To) != 1 || m.To[0] != "lawyer@example.com" || !strings.Contains(m.From, "datalex@localhost") {
		t.Errorf("envelope from %q to %v", m.From, m.To)
	}
	var subject string
	for _, line := range strings.Split(m.Data, "\r\n") {
		if s, ok := strings.CutPrefix(line, "Subject: "); ok {
			subject = s
		}
	}
	if !strings.Contains(m.Data, "\r\nDate: ") {
		t.Error("mail has no Date header")
	}
	if !strings.HasPrefix(subject, "=?UTF-8?") {
		t.Errorf("subject not encoded: %q", subject)
	}
	dec, err := new(mime.WordDecoder).DecodeHeader(subject)
	if err != nil || dec != "DataLex 检索订阅提醒：出境规则" {
		t.Errorf("subject decodes to %q, %v", dec, err)
	}
	for _, want := range []string{"促进和规范数据跨境流动规定", "http://datalex.test/documents/vb", "http://datalex.test/me/searches/" + ss.ID} {
		if !strings.Contains(m.Data, want) {
			t.Errorf("mail body lacks %q:\n%s", want, m.Data)
		}
	}

	// Reported once: the same library gives nothing more.
	if got, _ := al.Run(ctx, match); len(got) != 0 {
		t.Errorf("second run reported again: %+v", got[0])
	}

	// A status change of a matched document is reported.
	a.Status = "已废止"
	library = []Match{a, b}
	one, err := al.RunOne(ctx, match, alice, ss.ID)
	if err != nil || len(one.Changed) != 1 || one.Changed[0].OldStatus != "现行有效" || one.Changed[0].Status != "已废止" {
		t.Fatalf("status change: %+v, %v", one, err)
	}
	if _, err := al.RunOne(ctx, match, bob, ss.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("bob checks alice's search: %v", err)
	}

	reps, err := ws.Reports(ctx, alice, ss.ID, 0)
	if err != nil || len(reps) != 2 || !reps[0].Changed() || reps[0].VersionID != "va" || reps[1].VersionID != "vb" {
		t.Errorf("reports = %+v, %v", reps, err)
	}
	if _, err := ws.Reports(ctx, bob, ss.ID, 0); !errors.Is(err, ErrNotFound) {
		t.Errorf("bob reads alice's reports: %v", err)
	}
	s2, _ := ws.Search(ctx, alice, ss.ID)
	if s2.Reported != 2 || s2.Text() != "数据出境" || len(s2.Filters()) != 1 {
		t.Errorf("saved search = %+v, filters %v", s2, s2.Filters())
	}
	if err := ws.DeleteSearch(ctx, bob, ss.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("bob deletes alice's search: %v", err)
	}
	if err := ws.DeleteSearch(ctx, alice, ss.ID); err != nil {
		t.Fatal(err)
	}
	var left int
	db.QueryRow(`SELECT COUNT(*) FROM ws_search_seen WHERE search_id = ?`, ss.ID).Scan(&left)
	if left != 0 {
		t.Errorf("%d seen rows left after deleting the search", left)
	}
}

func TestSaveSearchEmail(t *testing.T) {
	ctx := context.Background()
	ws, _, alice, _ := testEnv(t)
	for _, tc := range []struct {
		in   string
		want error
	}{
		{"a@example.com", nil},
		{"", nil},
		{"not an address", ErrBadEmail},
		{"a@example.com\r\nBcc: x@y.z", ErrBadEmail},
		{"名字 <a@example.com>", ErrBadEmail},
	} {
		if _, err := ws.SaveSearch(ctx, alice, "", url.Values{"q": {"数据"}}, tc.in, nil); !errors.Is(err, tc.want) {
			t.Errorf("email %q: %v, want %v", tc.in, err, tc.want)
		}
	}
}

// TestAlertsDigest: two searches of one address give one e-mail holding
// both; a search without an address gives none.
func TestAlertsDigest(t *testing.T) {
	ctx := context.Background()
	ws, _, alice, _ := testEnv(t)
	srv := newSMTPServer(t)
	mailer := &community.Mailer{Addr: srv.Addr, From: "datalex@localhost"}
	al := &Alerts{WS: ws, Mail: mailer.Send, BaseURL: "http://datalex.test"}
	found := []Match{}
	match := func(ctx context.Context, vals url.Values) ([]Match, error) { return found, nil }
	for _, q := range []string{"数据出境", "个人信息"} {
		if _, err := ws.SaveSearch(ctx, alice, "", url.Values{"q": {q}}, "a@example.com", nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ws.SaveSearch(ctx, alice, "", url.Values{"q": {"无邮箱"}}, "", nil); err != nil {
		t.Fatal(err)
	}
	found = []Match{{VersionID: "vnew", Title: "新规定", Status: "现行有效"}}
	got, err := al.Run(ctx, match)
	if err != nil || len(got) != 3 {
		t.Fatalf("%d alerts, %v", len(got), err)
	}
	for _, a := range got {
		if a.Emailed != (a.Search.Email != "") {
			t.Errorf("search %q emailed = %v", a.Search.Name, a.Emailed)
		}
	}
	msgs := srv.messages()
	if len(msgs) != 1 {
		t.Fatalf("%d mails, want one digest", len(msgs))
	}
	var subject string
	for _, line := range strings.Split(msgs[0].Data, "\r\n") {
		if s, ok := strings.CutPrefix(line, "Subject: "); ok {
			subject, _ = new(mime.WordDecoder).DecodeHeader(s)
		}
	}
	if subject != "DataLex 检索订阅提醒：2 个订阅有更新" || !strings.Contains(msgs[0].Data, "「数据出境」") || !strings.Contains(msgs[0].Data, "「个人信息」") {
		t.Errorf("digest subject %q, body:\n%s", subject, msgs[0].Data)
	}
}
