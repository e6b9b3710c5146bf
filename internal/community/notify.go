package community

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/smtp"
	"strconv"
	"strings"
	"time"
)

// Notification kinds.
const (
	NotifyReply    = "reply"    // a reply in a thread the member follows
	NotifyAccepted = "accepted" // the member's answer was accepted
	NotifyModerate = "moderate" // the member's post was hidden or restored
)

// Notification is one in-app message.
type Notification struct {
	ID        int64
	UserID    string
	Kind      string
	ThreadID  int64
	ReplyID   int64
	ActorID   string
	Message   string
	URL       string
	CreatedAt time.Time
	Read      bool
}

func (s *Service) notify(ctx context.Context, q querier, n Notification) error {
	_, err := q.ExecContext(ctx, `INSERT INTO notifications (user_id, kind, thread_id, reply_id, actor_id, message, url, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, n.UserID, n.Kind, n.ThreadID, n.ReplyID, n.ActorID, n.Message, n.URL, ts(s.now()))
	return err
}

// notifyReply tells everyone following the thread (its author included,
// who follows it on creation) except the replier, and returns who was told.
func (s *Service) notifyReply(ctx context.Context, tx *sql.Tx, th *Thread, r *Reply) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT user_id FROM follows WHERE kind = ? AND value = ? AND user_id <> ? ORDER BY user_id`,
		FollowThread, strconv.FormatInt(th.ID, 10), r.AuthorID)
	if err != nil {
		return nil, err
	}
	var users []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			rows.Close()
			return nil, err
		}
		users = append(users, u)
	}
	rows.Close()
	for _, u := range users {
		msg := "你关注的主题「" + th.Title + "」有新回复"
		if u == th.AuthorID {
			msg = "你的主题「" + th.Title + "」有新回复"
		}
		if err := s.notify(ctx, tx, Notification{UserID: u, Kind: NotifyReply, ThreadID: th.ID, ReplyID: r.ID, ActorID: r.AuthorID,
			Message: msg, URL: ReplyPath(th.ID, r.ID)}); err != nil {
			return nil, err
		}
	}
	return users, nil
}

// Notifications lists a member's notifications, newest first.
func (s *Service) Notifications(ctx context.Context, userID string, unreadOnly bool, limit int) ([]Notification, error) {
	if limit <= 0 {
		limit = 50
	}
	q := `SELECT id, user_id, kind, thread_id, reply_id, actor_id, message, url, created_at, read_at FROM notifications WHERE user_id = ?`
	if unreadOnly {
		q += ` AND read_at = ''`
	}
	rows, err := s.DB.QueryContext(ctx, q+` ORDER BY id DESC LIMIT ?`, userID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		var created, read string
		if err := rows.Scan(&n.ID, &n.UserID, &n.Kind, &n.ThreadID, &n.ReplyID, &n.ActorID, &n.Message, &n.URL, &created, &read); err != nil {
			return nil, err
		}
		n.CreatedAt, n.Read = parseTS(created), read != ""
		out = append(out, n)
	}
	return out, rows.Err()
}

// UnreadCount is the badge number.
func (s *Service) UnreadCount(ctx context.Context, userID string) (int, error) {
	var n int
	err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at = ''`, userID).Scan(&n)
	return n, err
}

// MarkRead marks the given notifications of the member as read (all of
// them when ids is empty). Other members' notifications are untouched.
func (s *Service) MarkRead(ctx context.Context, userID string, ids ...int64) error {
	if len(ids) == 0 {
		_, err := s.DB.ExecContext(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at = ''`, ts(s.now()), userID)
		return err
	}
	for _, id := range ids {
		if _, err := s.DB.ExecContext(ctx, `UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at = ''`,
			ts(s.now()), id, userID); err != nil {
			return err
		}
	}
	return nil
}

// Mailer sends notification e-mails through an SMTP server with net/smtp.
// It is optional: with no Mailer (or no Addr) only in-app notifications
// exist.
type Mailer struct {
	Addr     string // host:port
	From     string // envelope and header sender
	Username string // PLAIN auth when set (net/smtp refuses it without TLS except on localhost)
	Password string
	BaseURL  string // absolute site root for links
	// EmailOf looks up a member's address ("" = none). The accounts
	// package owns the users table, so the lead passes this in.
	EmailOf func(ctx context.Context, userID string) (string, error)
	Log     *slog.Logger
	// send is smtp.SendMail; tests may replace it.
	send func(addr string, a smtp.Auth, from string, to []string, msg []byte) error
}

// Send delivers one plain-text message.
func (m *Mailer) Send(to, subject, body string) error {
	if m == nil || m.Addr == "" {
		return errors.New("未配置邮件服务器")
	}
	if strings.ContainsAny(to+m.From, "\r\n") || !strings.Contains(to, "@") {
		return fmt.Errorf("邮件地址无效: %q", to)
	}
	// Header values must stay on one line (no header injection).
	subject = strings.Join(strings.Fields(subject), " ")
	var auth smtp.Auth
	if m.Username != "" {
		host, _, _ := net.SplitHostPort(m.Addr)
		auth = smtp.PlainAuth("", m.Username, m.Password, host)
	}
	msg := "From: " + m.From + "\r\n" +
		"To: " + to + "\r\n" +
		"Date: " + time.Now().Format(time.RFC1123Z) + "\r\n" +
		"Subject: " + mime.BEncoding.Encode("UTF-8", subject) + "\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=UTF-8\r\n" +
		"Content-Transfer-Encoding: 8bit\r\n" +
		"\r\n" + strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\n", "\r\n") + "\r\n"
	send := m.send
	if send == nil {
		send = smtp.SendMail
	}
	return send(m.Addr, auth, m.From, []string{to}, []byte(msg))
}

// mailReply e-mails the notified members after the reply is committed.
// Failures are logged, never returned: e-mail is best effort.
func (s *Service) mailReply(ctx context.Context, th *Thread, r *Reply, users []string) {
	m := s.Mailer
	if m == nil || m.Addr == "" || m.EmailOf == nil {
		return
	}
	log := m.Log
	if log == nil {
		log = slog.Default()
	}
	for _, u := range users {
		addr, err := m.EmailOf(ctx, u)
		if err != nil || addr == "" {
			continue
		}
		body := "「" + th.Title + "」有新回复：\n\n" + excerpt(r.Body, 300) + "\n\n查看：" + strings.TrimRight(m.BaseURL, "/") + ReplyPath(th.ID, r.ID) +
			"\n\n（DataLex 对话数据资产 自动通知）"
		if err := m.Send(addr, "DataLex：「"+excerpt(th.Title, 40)+"」有新回复", body); err != nil {
			log.Warn("通知邮件发送失败", "user", u, "err", err)
		}
	}
}

func excerpt(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}
