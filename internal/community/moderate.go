package community

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"
)

// Moderation actions recorded in the audit trail.
const (
	ActionHide    = "hide"
	ActionUnhide  = "unhide"
	ActionLock    = "lock"
	ActionUnlock  = "unlock"
	ActionResolve = "resolve_report"
)

// Report is a member's complaint about a thread or reply.
type Report struct {
	ID         int64
	TargetType string
	TargetID   int64
	ReporterID string
	Reason     string
	CreatedAt  time.Time
	Resolved   bool
}

// AuditEntry is one line of the moderation audit trail.
type AuditEntry struct {
	ID         int64
	ActorID    string
	Action     string
	TargetType string
	TargetID   int64
	Reason     string
	CreatedAt  time.Time
}

func targetTable(target string) (string, error) {
	switch target {
	case TargetThread:
		return "threads", nil
	case TargetReply:
		return "replies", nil
	}
	return "", errors.New("举报对象无效")
}

// ReportPost files a report; a member reports a target once.
func (s *Service) ReportPost(ctx context.Context, reporterID string, target string, targetID int64, reason string) error {
	table, err := targetTable(target)
	if err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	switch {
	case reporterID == "":
		return invalid("user", "请先登录")
	case reason == "":
		return invalid("reason", "请说明举报理由")
	case utf8.RuneCountInString(reason) > s.Limits.MaxReportReason:
		return invalid("reason", "举报理由不能超过 %d 个字", s.Limits.MaxReportReason)
	}
	var n int
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table+` WHERE id = ?`, targetID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	_, err = s.DB.ExecContext(ctx, `INSERT INTO reports (target_type, target_id, reporter_id, reason, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (target_type, target_id, reporter_id) DO NOTHING`, target, targetID, reporterID, reason, ts(s.now()))
	return err
}

// OpenReports lists unresolved reports, oldest first (the moderation queue).
func (s *Service) OpenReports(ctx context.Context, limit int) ([]Report, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT id, target_type, target_id, reporter_id, reason, created_at, resolved_at FROM reports
		WHERE resolved_at = '' ORDER BY id LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Report
	for rows.Next() {
		var r Report
		var c, res string
		if err := rows.Scan(&r.ID, &r.TargetType, &r.TargetID, &r.ReporterID, &r.Reason, &c, &res); err != nil {
			return nil, err
		}
		r.CreatedAt, r.Resolved = parseTS(c), res != ""
		out = append(out, r)
	}
	return out, rows.Err()
}

// ResolveReports closes every open report on a target.
func (s *Service) ResolveReports(ctx context.Context, moderatorID string, target string, targetID int64, note string) error {
	tx, err := s.begin(ctx)
	defer s.writeMu.Unlock()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE reports SET resolved_at = ?, resolved_by = ? WHERE target_type = ? AND target_id = ? AND resolved_at = ''`,
		ts(s.now()), moderatorID, target, targetID); err != nil {
		return err
	}
	if err := s.audit(ctx, tx, moderatorID, ActionResolve, target, targetID, note); err != nil {
		return err
	}
	return tx.Commit()
}

// SetHidden hides or restores a thread or reply (moderators only — the
// caller checks the role). Hiding also resolves the target's reports.
func (s *Service) SetHidden(ctx context.Context, moderatorID string, target string, targetID int64, hidden bool, reason string) error {
	table, err := targetTable(target)
	if err != nil {
		return err
	}
	action := ActionUnhide
	if hidden {
		action = ActionHide
	}
	tx, err := s.begin(ctx)
	defer s.writeMu.Unlock()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var author string
	err = tx.QueryRowContext(ctx, `SELECT author_id FROM `+table+` WHERE id = ?`, targetID).Scan(&author)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET hidden = ? WHERE id = ?`, boolInt(hidden), targetID); err != nil {
		return err
	}
	if hidden {
		if _, err := tx.ExecContext(ctx, `UPDATE reports SET resolved_at = ?, resolved_by = ? WHERE target_type = ? AND target_id = ? AND resolved_at = ''`,
			ts(s.now()), moderatorID, target, targetID); err != nil {
			return err
		}
	}
	if err := s.audit(ctx, tx, moderatorID, action, target, targetID, reason); err != nil {
		return err
	}
	msg := "你发布的内容已被管理员隐藏"
	if !hidden {
		msg = "你发布的内容已恢复显示"
	}
	if reason != "" {
		msg += "：" + excerpt(reason, 100)
	}
	threadID, replyID := targetID, int64(0)
	if target == TargetReply {
		replyID = targetID
		if err := tx.QueryRowContext(ctx, `SELECT thread_id FROM replies WHERE id = ?`, targetID).Scan(&threadID); err != nil {
			return err
		}
	}
	if err := s.notify(ctx, tx, Notification{UserID: author, Kind: NotifyModerate, ThreadID: threadID, ReplyID: replyID,
		ActorID: moderatorID, Message: msg, URL: ThreadPath(threadID)}); err != nil {
		return err
	}
	return tx.Commit()
}

// SetLocked locks or unlocks a thread (no replies, edits or accepting while
// locked).
func (s *Service) SetLocked(ctx context.Context, moderatorID string, threadID int64, locked bool, reason string) error {
	tx, err := s.begin(ctx)
	defer s.writeMu.Unlock()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE threads SET locked = ? WHERE id = ?`, boolInt(locked), threadID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	action := ActionUnlock
	if locked {
		action = ActionLock
	}
	if err := s.audit(ctx, tx, moderatorID, action, TargetThread, threadID, reason); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *Service) audit(ctx context.Context, q querier, actor string, action, target string, targetID int64, reason string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO moderation_log (actor_id, action, target_type, target_id, reason, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		actor, action, target, targetID, strings.TrimSpace(reason), ts(s.now()))
	return err
}

// AuditLog lists moderation actions, newest first; target "" lists all.
func (s *Service) AuditLog(ctx context.Context, target string, targetID int64, limit int) ([]AuditEntry, error) {
	if limit <= 0 {
		limit = 100
	}
	q, args := `SELECT id, actor_id, action, target_type, target_id, reason, created_at FROM moderation_log`, []any{}
	if target != "" {
		q, args = q+` WHERE target_type = ? AND target_id = ?`, append(args, target, targetID)
	}
	rows, err := s.DB.QueryContext(ctx, q+` ORDER BY id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var c string
		if err := rows.Scan(&e.ID, &e.ActorID, &e.Action, &e.TargetType, &e.TargetID, &e.Reason, &c); err != nil {
			return nil, err
		}
		e.CreatedAt = parseTS(c)
		out = append(out, e)
	}
	return out, rows.Err()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
