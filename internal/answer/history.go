package answer

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// History stores conversations per user in the platform database
// (tables from migration 00003).
type History struct {
	db *sql.DB
}

// NewHistory returns the conversation store over db.
func NewHistory(db *sql.DB) *History { return &History{db: db} }

// Conversation is one stored conversation.
type Conversation struct {
	ID        string    `json:"id"`
	UserID    string    `json:"-"`
	Title     string    `json:"title"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Message is one turn: the user's question or the assistant's answer.
type Message struct {
	Seq       int        `json:"seq"`
	Role      string     `json:"role"` // user | assistant
	Content   string     `json:"content"`
	Citations []Citation `json:"citations,omitempty"`
	Refused   bool       `json:"refused,omitempty"`
	Answerer  string     `json:"answerer,omitempty"`
	Context   *Context   `json:"context,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
}

// ErrNoConversation is returned for a conversation that does not exist or
// belongs to another user.
var ErrNoConversation = errors.New("会话不存在")

func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Record appends a question and its answer to the user's conversation,
// creating it when convID is empty, and returns the conversation id.
func (h *History) Record(ctx context.Context, userID, convID string, ans *Answer) (string, error) {
	now := time.Now().UTC().Format(time.RFC3339Nano)
	tx, err := h.db.BeginTx(ctx, nil)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	if convID == "" {
		convID = newID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO conversations (id, user_id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
			convID, userID, clip(ans.Question, 40), now, now); err != nil {
			return "", fmt.Errorf("创建会话: %w", err)
		}
	} else {
		res, err := tx.ExecContext(ctx, `UPDATE conversations SET updated_at = ? WHERE id = ? AND user_id = ?`, now, convID, userID)
		if err != nil {
			return "", err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return "", ErrNoConversation
		}
	}
	var seq int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM conversation_messages WHERE conversation_id = ?`, convID).Scan(&seq); err != nil {
		return "", err
	}
	cites, err := json.Marshal(ans.Cites)
	if err != nil {
		return "", err
	}
	qctx, err := json.Marshal(ans.Context)
	if err != nil {
		return "", err
	}
	insert := `INSERT INTO conversation_messages (conversation_id, seq, role, content, citations, refused, answerer, context, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
	if _, err := tx.ExecContext(ctx, insert, convID, seq+1, "user", ans.Question, "[]", 0, "", string(qctx), now); err != nil {
		return "", err
	}
	refused := 0
	if ans.Refused {
		refused = 1
	}
	if _, err := tx.ExecContext(ctx, insert, convID, seq+2, "assistant", ans.Text, string(cites), refused, ans.Answerer, "{}", now); err != nil {
		return "", err
	}
	return convID, tx.Commit()
}

// Conversations lists the user's conversations, most recent first.
func (h *History) Conversations(ctx context.Context, userID string, limit int) ([]Conversation, error) {
	if limit <= 0 {
		limit = 50
	}
	rows, err := h.db.QueryContext(ctx, `SELECT id, title, created_at, updated_at FROM conversations
		WHERE user_id = ? ORDER BY updated_at DESC, id LIMIT ?`, userID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Conversation
	for rows.Next() {
		c := Conversation{UserID: userID}
		var created, updated string
		if err := rows.Scan(&c.ID, &c.Title, &created, &updated); err != nil {
			return nil, err
		}
		c.CreatedAt, _ = time.Parse(time.RFC3339Nano, created)
		c.UpdatedAt, _ = time.Parse(time.RFC3339Nano, updated)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Conversation returns one of the user's conversations with its messages.
func (h *History) Conversation(ctx context.Context, userID, convID string) (*Conversation, []Message, error) {
	c := &Conversation{ID: convID, UserID: userID}
	var created, updated string
	err := h.db.QueryRowContext(ctx, `SELECT title, created_at, updated_at FROM conversations WHERE id = ? AND user_id = ?`,
		convID, userID).Scan(&c.Title, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, ErrNoConversation
	}
	if err != nil {
		return nil, nil, err
	}
	c.CreatedAt, _ = time.Parse(time.RFC3339Nano, created)
	c.UpdatedAt, _ = time.Parse(time.RFC3339Nano, updated)
	rows, err := h.db.QueryContext(ctx, `SELECT seq, role, content, citations, refused, answerer, context, created_at
		FROM conversation_messages WHERE conversation_id = ? ORDER BY seq`, convID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var msgs []Message
	for rows.Next() {
		var m Message
		var cites, qctx, at string
		var refused int
		if err := rows.Scan(&m.Seq, &m.Role, &m.Content, &cites, &refused, &m.Answerer, &qctx, &at); err != nil {
			return nil, nil, err
		}
		m.Refused = refused != 0
		m.CreatedAt, _ = time.Parse(time.RFC3339Nano, at)
		if err := json.Unmarshal([]byte(cites), &m.Citations); err != nil {
			return nil, nil, fmt.Errorf("会话 %s 引用数据损坏: %w", convID, err)
		}
		if m.Role == "user" {
			var cx Context
			if json.Unmarshal([]byte(qctx), &cx) == nil && cx.Question != "" {
				m.Context = &cx
			}
		}
		msgs = append(msgs, m)
	}
	return c, msgs, rows.Err()
}

// LastContext returns the context of the conversation's latest question,
// for a follow-up; nil when the conversation is empty.
func (h *History) LastContext(ctx context.Context, userID, convID string) (*Context, error) {
	_, msgs, err := h.Conversation(ctx, userID, convID)
	if err != nil {
		return nil, err
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Context != nil {
			return msgs[i].Context, nil
		}
	}
	return nil, nil
}

// Delete removes one of the user's conversations.
func (h *History) Delete(ctx context.Context, userID, convID string) error {
	tx, err := h.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM conversations WHERE id = ? AND user_id = ?`, convID, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNoConversation
	}
	// Explicit rather than relying on ON DELETE CASCADE, which SQLite only
	// honours with foreign_keys on.
	if _, err := tx.ExecContext(ctx, `DELETE FROM conversation_messages WHERE conversation_id = ?`, convID); err != nil {
		return err
	}
	return tx.Commit()
}
