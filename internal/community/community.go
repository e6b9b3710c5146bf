// Package community is 对话数据资产: members' threads (经验分享, 提问,
// 知识文档), replies, accepted answers, votes, attachments whose text is
// searchable, [[provision]] citations, notifications, moderation with an
// audit trail, and subscriptions (follows and a personal feed).
//
// Access control by role is the web layer's job; this package enforces the
// rules that hold whoever calls it: only the asker accepts an answer, nobody
// replies to a locked thread, one vote per member and target, posting rate
// limits and size limits.
package community

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"datalex/internal/news"
	"datalex/internal/news/markup"
)

// Thread kinds.
const (
	KindExperience = "经验分享"
	KindQuestion   = "提问"
	KindKnowledge  = "知识文档"
)

// Kinds lists the thread kinds in display order.
var Kinds = []string{KindExperience, KindQuestion, KindKnowledge}

// Limits bound what one member can post.
type Limits struct {
	MaxTitle        int           // runes
	MaxBodyBytes    int           // Markdown bytes of a thread or reply
	MaxTags         int           // per thread
	MaxTagLen       int           // runes
	PostsPerWindow  int           // threads + replies per member per window
	Window          time.Duration // rate-limit window
	MaxAttachBytes  int           // per attachment
	MaxAttachments  int           // per thread
	MaxUploadPerDay int           // bytes a member may upload in 24 hours
	MaxReportReason int           // runes
}

// DefaultLimits are the production limits.
var DefaultLimits = Limits{
	MaxTitle:        120,
	MaxBodyBytes:    64 << 10,
	MaxTags:         8,
	MaxTagLen:       24,
	PostsPerWindow:  10,
	Window:          10 * time.Minute,
	MaxAttachBytes:  10 << 20,
	MaxAttachments:  5,
	MaxUploadPerDay: 50 << 20,
	MaxReportReason: 500,
}

// Errors callers can test with errors.Is; their text is shown to members.
var (
	ErrNotFound     = errors.New("未找到该内容")
	ErrLocked       = errors.New("该主题已锁定，不能再回复")
	ErrHidden       = errors.New("该内容已被隐藏")
	ErrNotAsker     = errors.New("只有提问者可以采纳答案")
	ErrNotQuestion  = errors.New("只有提问类主题可以采纳答案")
	ErrNotAuthor    = errors.New("只能修改自己发布的内容")
	ErrRateLimited  = errors.New("发帖过于频繁，请稍后再试")
	ErrOwnPost      = errors.New("不能给自己的内容投票")
	ErrBadVote      = errors.New("投票值无效")
	ErrAlreadyTaken = errors.New("已经提交过")
)

// ValidationError names the field at fault, with a Chinese message.
type ValidationError struct {
	Field string
	Msg   string
}

func (e *ValidationError) Error() string { return e.Msg }

func invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// Service holds the community's dependencies. Build it with New and set the
// optional fields before use; it is safe for concurrent use afterwards.
type Service struct {
	DB     *sql.DB
	Limits Limits
	// Resolve turns a [[…]] marker into a provision; nil leaves markers as
	// text.
	Resolve CitationResolver
	// Mailer sends reply notifications by e-mail; nil sends none.
	Mailer *Mailer
	// Now is the clock (tests replace it).
	Now func() time.Time

	// writeMu serialises the service's write transactions. They read
	// before they write (rate limits, thread state), and SQLite refuses
	// with SQLITE_BUSY such a transaction that races another writer
	// instead of waiting. Use one Service per database.
	writeMu sync.Mutex
}

// begin starts a write transaction holding writeMu; the caller defers
// s.writeMu.Unlock() (also on error: begin returns with the lock held).
func (s *Service) begin(ctx context.Context) (*sql.Tx, error) {
	s.writeMu.Lock()
	return s.DB.BeginTx(ctx, nil)
}

// New returns a service with default limits.
func New(db *sql.DB) *Service {
	return &Service{DB: db, Limits: DefaultLimits, Now: func() time.Time { return time.Now().UTC() }}
}

func (s *Service) now() time.Time { return s.Now().UTC() }

const tsLayout = "2006-01-02T15:04:05.000000Z07:00"

func ts(t time.Time) string { return t.UTC().Format(tsLayout) }

func parseTS(s string) time.Time {
	t, _ := time.Parse(tsLayout, s)
	return t
}

// Thread is a community thread.
type Thread struct {
	ID              int64
	Kind            string
	Title           string
	Body            string // Markdown as written
	BodyHTML        string // sanitised, with citation links
	AuthorID        string
	AcceptedReplyID int64 // 0 = none
	Hidden          bool
	Locked          bool
	ReplyCount      int
	Score           int
	Tags            []string
	Citations       []Citation
	CreatedAt       time.Time
	UpdatedAt       time.Time
	LastActivityAt  time.Time
}

// Path is the thread's page path.
func (t *Thread) Path() string { return ThreadPath(t.ID) }

// ThreadPath is the page path of thread id.
func ThreadPath(id int64) string { return "/community/threads/" + strconv.FormatInt(id, 10) }

// ReplyPath is the anchor of a reply on its thread page.
func ReplyPath(threadID, replyID int64) string {
	return ThreadPath(threadID) + "#reply-" + strconv.FormatInt(replyID, 10)
}

// Reply is an answer or comment in a thread.
type Reply struct {
	ID        int64
	ThreadID  int64
	AuthorID  string
	Body      string
	BodyHTML  string
	Hidden    bool
	Score     int
	Accepted  bool
	Citations []Citation
	CreatedAt time.Time
	UpdatedAt time.Time
}

// NewThread is what a member submits.
type NewThread struct {
	Kind     string
	Title    string
	Body     string
	Tags     []string
	AuthorID string
}

func (s *Service) checkTitle(title string) (string, error) {
	title = strings.Join(strings.Fields(title), " ")
	switch {
	case title == "":
		return "", invalid("title", "标题不能为空")
	case utf8.RuneCountInString(title) > s.Limits.MaxTitle:
		return "", invalid("title", "标题不能超过 %d 个字", s.Limits.MaxTitle)
	}
	return title, nil
}

func (s *Service) checkBody(body string, required bool) (string, error) {
	body = strings.TrimSpace(strings.ToValidUTF8(body, "\uFFFD"))
	switch {
	case body == "" && required:
		return "", invalid("body", "内容不能为空")
	case len(body) > s.Limits.MaxBodyBytes:
		return "", invalid("body", "内容不能超过 %d KB", s.Limits.MaxBodyBytes>>10)
	}
	return body, nil
}

func (s *Service) checkTags(tags []string) ([]string, error) {
	tags = news.NormalizeTags(tags)
	if len(tags) > s.Limits.MaxTags {
		return nil, invalid("tags", "标签不能超过 %d 个", s.Limits.MaxTags)
	}
	for _, t := range tags {
		if utf8.RuneCountInString(t) > s.Limits.MaxTagLen {
			return nil, invalid("tags", "标签「%s」过长（最多 %d 个字）", t, s.Limits.MaxTagLen)
		}
	}
	return tags, nil
}

// checkRate refuses a post when the member has reached the limit of posts
// in the window.
func (s *Service) checkRate(ctx context.Context, q querier, userID string) error {
	since := ts(s.now().Add(-s.Limits.Window))
	var n int
	err := q.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM threads WHERE author_id = ? AND created_at >= ?) +
		(SELECT COUNT(*) FROM replies WHERE author_id = ? AND created_at >= ?)`, userID, since, userID, since).Scan(&n)
	if err != nil {
		return err
	}
	if n >= s.Limits.PostsPerWindow {
		return fmt.Errorf("%w（每 %d 分钟最多 %d 条）", ErrRateLimited, int(s.Limits.Window.Minutes()), s.Limits.PostsPerWindow)
	}
	return nil
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// CreateThread validates, renders and stores a new thread.
func (s *Service) CreateThread(ctx context.Context, nt NewThread) (*Thread, error) {
	if !slices.Contains(Kinds, nt.Kind) {
		return nil, invalid("kind", "主题类型无效：%q", nt.Kind)
	}
	if nt.AuthorID == "" {
		return nil, invalid("author", "请先登录")
	}
	title, err := s.checkTitle(nt.Title)
	if err != nil {
		return nil, err
	}
	body, err := s.checkBody(nt.Body, nt.Kind != KindKnowledge)
	if err != nil {
		return nil, err
	}
	tags, err := s.checkTags(nt.Tags)
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	defer s.writeMu.Unlock()
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := s.checkRate(ctx, tx, nt.AuthorID); err != nil {
		return nil, err
	}
	html, cites := s.render(body)
	t := s.now()
	th := &Thread{Kind: nt.Kind, Title: title, Body: body, BodyHTML: html, AuthorID: nt.AuthorID, Tags: tags, Citations: cites,
		CreatedAt: t, UpdatedAt: t, LastActivityAt: t}
	err = tx.QueryRowContext(ctx, `INSERT INTO threads (kind, title, body_md, body_html, author_id, created_at, updated_at, last_activity_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, th.Kind, th.Title, th.Body, th.BodyHTML, th.AuthorID, ts(t), ts(t), ts(t)).Scan(&th.ID)
	if err != nil {
		return nil, fmt.Errorf("保存主题: %w", err)
	}
	if err := writeTags(ctx, tx, th.ID, tags); err != nil {
		return nil, err
	}
	if err := writeCitations(ctx, tx, th.ID, 0, cites); err != nil {
		return nil, err
	}
	// The author follows their own thread, so they hear of replies.
	if _, err := tx.ExecContext(ctx, `INSERT INTO follows (user_id, kind, value, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, th.AuthorID, FollowThread, strconv.FormatInt(th.ID, 10), ts(t)); err != nil {
		return nil, err
	}
	return th, tx.Commit()
}

func writeTags(ctx context.Context, q querier, threadID int64, tags []string) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM thread_tags WHERE thread_id = ?`, threadID); err != nil {
		return err
	}
	for _, t := range tags {
		if _, err := q.ExecContext(ctx, `INSERT INTO thread_tags (thread_id, tag) VALUES (?, ?)`, threadID, t); err != nil {
			return err
		}
	}
	return nil
}

// EditThread lets the author change title, body and tags.
func (s *Service) EditThread(ctx context.Context, actorID string, id int64, title, body string, tags []string) (*Thread, error) {
	th, err := s.Thread(ctx, id)
	if err != nil {
		return nil, err
	}
	if th.AuthorID != actorID {
		return nil, ErrNotAuthor
	}
	if th.Locked {
		return nil, ErrLocked
	}
	if th.Title, err = s.checkTitle(title); err != nil {
		return nil, err
	}
	if th.Body, err = s.checkBody(body, th.Kind != KindKnowledge); err != nil {
		return nil, err
	}
	if th.Tags, err = s.checkTags(tags); err != nil {
		return nil, err
	}
	th.BodyHTML, th.Citations = s.render(th.Body)
	th.UpdatedAt = s.now()
	tx, err := s.begin(ctx)
	defer s.writeMu.Unlock()
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE threads SET title = ?, body_md = ?, body_html = ?, updated_at = ? WHERE id = ?`,
		th.Title, th.Body, th.BodyHTML, ts(th.UpdatedAt), id); err != nil {
		return nil, err
	}
	if err := writeTags(ctx, tx, id, th.Tags); err != nil {
		return nil, err
	}
	if err := writeCitations(ctx, tx, id, 0, th.Citations); err != nil {
		return nil, err
	}
	return th, tx.Commit()
}

const threadCols = `id, kind, title, body_md, body_html, author_id, COALESCE(accepted_reply_id, 0), hidden, locked, reply_count,
	score, created_at, updated_at, last_activity_at`

func scanThread(sc interface{ Scan(...any) error }) (*Thread, error) {
	var t Thread
	var hidden, locked int
	var c, u, l string
	if err := sc.Scan(&t.ID, &t.Kind, &t.Title, &t.Body, &t.BodyHTML, &t.AuthorID, &t.AcceptedReplyID, &hidden, &locked,
		&t.ReplyCount, &t.Score, &c, &u, &l); err != nil {
		return nil, err
	}
	t.Hidden, t.Locked = hidden != 0, locked != 0
	t.CreatedAt, t.UpdatedAt, t.LastActivityAt = parseTS(c), parseTS(u), parseTS(l)
	return &t, nil
}

// Thread returns a thread with its tags and citations (hidden ones too:
// the page decides whether to show them).
func (s *Service) Thread(ctx context.Context, id int64) (*Thread, error) {
	th, err := scanThread(s.DB.QueryRowContext(ctx, `SELECT `+threadCols+` FROM threads WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if err := s.loadTags(ctx, []*Thread{th}); err != nil {
		return nil, err
	}
	th.Citations, err = s.citations(ctx, id, 0)
	return th, err
}

// ThreadQuery selects threads for ThreadList. Zero values mean "any".
type ThreadQuery struct {
	Kind          string
	Tag           string
	AuthorID      string
	Unanswered    bool // questions without an accepted answer
	IncludeHidden bool // moderators only
	Sort          string
	Limit         int // default 20, at most 100
	Offset        int
}

// Sorts for ThreadQuery.Sort.
const (
	SortActivity = ""      // latest activity first
	SortNewest   = "new"   // newest first
	SortScore    = "score" // highest score first
)

// ThreadList returns matching threads (without bodies' citations) and the
// total count.
func (s *Service) ThreadList(ctx context.Context, q ThreadQuery) ([]*Thread, int, error) {
	where, args := []string{"1=1"}, []any{}
	if q.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, q.Kind)
	}
	if q.Tag != "" {
		where, args = append(where, "id IN (SELECT thread_id FROM thread_tags WHERE tag = ?)"), append(args, q.Tag)
	}
	if q.AuthorID != "" {
		where, args = append(where, "author_id = ?"), append(args, q.AuthorID)
	}
	if q.Unanswered {
		where, args = append(where, "kind = ? AND accepted_reply_id IS NULL"), append(args, KindQuestion)
	}
	if !q.IncludeHidden {
		where = append(where, "hidden = 0")
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM threads WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	order := "last_activity_at DESC, id DESC"
	switch q.Sort {
	case SortNewest:
		order = "created_at DESC, id DESC"
	case SortScore:
		order = "score DESC, id DESC"
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+threadCols+` FROM threads WHERE `+cond+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(args, min(limit, 100), max(q.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*Thread
	for rows.Next() {
		th, err := scanThread(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, th)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return out, total, s.loadTags(ctx, out)
}

func (s *Service) loadTags(ctx context.Context, ths []*Thread) error {
	if len(ths) == 0 {
		return nil
	}
	byID := map[int64]*Thread{}
	ph, args := make([]string, 0, len(ths)), make([]any, 0, len(ths))
	for _, t := range ths {
		byID[t.ID] = t
		ph, args = append(ph, "?"), append(args, t.ID)
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT thread_id, tag FROM thread_tags WHERE thread_id IN (`+strings.Join(ph, ",")+`) ORDER BY 2`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var tag string
		if err := rows.Scan(&id, &tag); err != nil {
			return err
		}
		byID[id].Tags = append(byID[id].Tags, tag)
	}
	return rows.Err()
}

// AddReply posts a reply, notifies the thread's followers and bumps its
// activity.
func (s *Service) AddReply(ctx context.Context, threadID int64, authorID string, body string) (*Reply, error) {
	if authorID == "" {
		return nil, invalid("author", "请先登录")
	}
	body, err := s.checkBody(body, true)
	if err != nil {
		return nil, err
	}
	th, err := s.Thread(ctx, threadID)
	if err != nil {
		return nil, err
	}
	switch {
	case th.Locked:
		return nil, ErrLocked
	case th.Hidden:
		return nil, ErrHidden
	}
	tx, err := s.begin(ctx)
	defer s.writeMu.Unlock()
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := s.checkRate(ctx, tx, authorID); err != nil {
		return nil, err
	}
	html, cites := s.render(body)
	t := s.now()
	r := &Reply{ThreadID: threadID, AuthorID: authorID, Body: body, BodyHTML: html, Citations: cites, CreatedAt: t, UpdatedAt: t}
	err = tx.QueryRowContext(ctx, `INSERT INTO replies (thread_id, author_id, body_md, body_html, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, threadID, authorID, body, html, ts(t), ts(t)).Scan(&r.ID)
	if err != nil {
		return nil, fmt.Errorf("保存回复: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE threads SET reply_count = reply_count + 1, last_activity_at = ? WHERE id = ?`, ts(t), threadID); err != nil {
		return nil, err
	}
	if err := writeCitations(ctx, tx, threadID, r.ID, cites); err != nil {
		return nil, err
	}
	notified, err := s.notifyReply(ctx, tx, th, r)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	// E-mail is slow and best effort: send it without holding the lock.
	go s.mailReply(context.WithoutCancel(ctx), th, r, notified)
	return r, nil
}

// EditReply lets the author change a reply.
func (s *Service) EditReply(ctx context.Context, actorID string, replyID int64, body string) (*Reply, error) {
	r, err := s.reply(ctx, replyID)
	if err != nil {
		return nil, err
	}
	if r.AuthorID != actorID {
		return nil, ErrNotAuthor
	}
	th, err := s.Thread(ctx, r.ThreadID)
	if err != nil {
		return nil, err
	}
	if th.Locked {
		return nil, ErrLocked
	}
	if r.Body, err = s.checkBody(body, true); err != nil {
		return nil, err
	}
	r.BodyHTML, r.Citations = s.render(r.Body)
	r.UpdatedAt = s.now()
	tx, err := s.begin(ctx)
	defer s.writeMu.Unlock()
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE replies SET body_md = ?, body_html = ?, updated_at = ? WHERE id = ?`,
		r.Body, r.BodyHTML, ts(r.UpdatedAt), r.ID); err != nil {
		return nil, err
	}
	if err := writeCitations(ctx, tx, r.ThreadID, r.ID, r.Citations); err != nil {
		return nil, err
	}
	return r, tx.Commit()
}

const replyCols = `r.id, r.thread_id, r.author_id, r.body_md, r.body_html, r.hidden, r.score, r.created_at, r.updated_at,
	CASE WHEN t.accepted_reply_id = r.id THEN 1 ELSE 0 END`

func scanReply(sc interface{ Scan(...any) error }) (*Reply, error) {
	var r Reply
	var hidden, accepted int
	var c, u string
	if err := sc.Scan(&r.ID, &r.ThreadID, &r.AuthorID, &r.Body, &r.BodyHTML, &hidden, &r.Score, &c, &u, &accepted); err != nil {
		return nil, err
	}
	r.Hidden, r.Accepted = hidden != 0, accepted != 0
	r.CreatedAt, r.UpdatedAt = parseTS(c), parseTS(u)
	return &r, nil
}

func (s *Service) reply(ctx context.Context, id int64) (*Reply, error) {
	r, err := scanReply(s.DB.QueryRowContext(ctx, `SELECT `+replyCols+` FROM replies r JOIN threads t ON t.id = r.thread_id WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return r, err
}

// Replies lists a thread's replies in order, the accepted answer first.
// Hidden replies are included with Hidden set (pages show a placeholder).
func (s *Service) Replies(ctx context.Context, threadID int64) ([]*Reply, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+replyCols+` FROM replies r JOIN threads t ON t.id = r.thread_id
		WHERE r.thread_id = ? ORDER BY CASE WHEN t.accepted_reply_id = r.id THEN 0 ELSE 1 END, r.id`, threadID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Reply
	for rows.Next() {
		r, err := scanReply(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Accept marks a reply as the accepted answer of a question. Only the asker
// may accept; accepting another reply replaces the previous choice.
func (s *Service) Accept(ctx context.Context, actorID string, threadID, replyID int64) error {
	th, err := s.Thread(ctx, threadID)
	if err != nil {
		return err
	}
	switch {
	case th.Kind != KindQuestion:
		return ErrNotQuestion
	case th.AuthorID != actorID:
		return ErrNotAsker
	case th.Locked:
		return ErrLocked
	}
	r, err := s.reply(ctx, replyID)
	if err != nil {
		return err
	}
	if r.ThreadID != threadID {
		return ErrNotFound
	}
	if r.Hidden {
		return ErrHidden
	}
	tx, err := s.begin(ctx)
	defer s.writeMu.Unlock()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE threads SET accepted_reply_id = ? WHERE id = ?`, replyID, threadID); err != nil {
		return err
	}
	if r.AuthorID != actorID && th.AcceptedReplyID != replyID {
		if err := s.notify(ctx, tx, Notification{UserID: r.AuthorID, Kind: NotifyAccepted, ThreadID: threadID, ReplyID: replyID,
			ActorID: actorID, Message: "你在「" + th.Title + "」中的回答被采纳", URL: ReplyPath(threadID, replyID)}); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Unaccept clears the accepted answer (asker only).
func (s *Service) Unaccept(ctx context.Context, actorID string, threadID int64) error {
	th, err := s.Thread(ctx, threadID)
	if err != nil {
		return err
	}
	if th.AuthorID != actorID {
		return ErrNotAsker
	}
	_, err = s.DB.ExecContext(ctx, `UPDATE threads SET accepted_reply_id = NULL WHERE id = ?`, threadID)
	return err
}

// Vote targets.
const (
	TargetThread = "thread"
	TargetReply  = "reply"
)

// Vote records a member's vote (+1 like, -1 down, 0 withdraw) on a thread
// or reply, one per member and target, and returns the new score.
func (s *Service) Vote(ctx context.Context, userID string, target string, targetID int64, value int) (int, error) {
	if value < -1 || value > 1 || userID == "" {
		return 0, ErrBadVote
	}
	table := ""
	switch target {
	case TargetThread:
		table = "threads"
	case TargetReply:
		table = "replies"
	default:
		return 0, ErrBadVote
	}
	var author string
	var hidden int
	err := s.DB.QueryRowContext(ctx, `SELECT author_id, hidden FROM `+table+` WHERE id = ?`, targetID).Scan(&author, &hidden)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, err
	}
	if author == userID {
		return 0, ErrOwnPost
	}
	if hidden != 0 {
		return 0, ErrHidden
	}
	tx, err := s.begin(ctx)
	defer s.writeMu.Unlock()
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if value == 0 {
		_, err = tx.ExecContext(ctx, `DELETE FROM votes WHERE user_id = ? AND target_type = ? AND target_id = ?`, userID, target, targetID)
	} else {
		_, err = tx.ExecContext(ctx, `INSERT INTO votes (user_id, target_type, target_id, value, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (user_id, target_type, target_id) DO UPDATE SET value = excluded.value`, userID, target, targetID, value, ts(s.now()))
	}
	if err != nil {
		return 0, err
	}
	var score int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(value), 0) FROM votes WHERE target_type = ? AND target_id = ?`, target, targetID).Scan(&score); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET score = ? WHERE id = ?`, score, targetID); err != nil {
		return 0, err
	}
	return score, tx.Commit()
}

// MyVote returns the member's current vote on a target (0 if none).
func (s *Service) MyVote(ctx context.Context, userID string, target string, targetID int64) (int, error) {
	var v int
	err := s.DB.QueryRowContext(ctx, `SELECT value FROM votes WHERE user_id = ? AND target_type = ? AND target_id = ?`, userID, target, targetID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, err
}

// render turns a post's Markdown into sanitised HTML with citation links.
func (s *Service) render(body string) (string, []Citation) {
	md, cites := LinkCitations(body, s.Resolve)
	return markup.Render(md), cites
}
