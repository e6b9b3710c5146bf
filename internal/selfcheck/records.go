package selfcheck

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Record is one completed check as filed by an organisation.
type Record struct {
	ID          string          `json:"id"`
	OwnerID     string          `json:"owner_id"`
	Org         string          `json:"org"`
	Tool        string          `json:"tool"`
	CreatedAt   time.Time       `json:"created_at"`
	Fingerprint string          `json:"fingerprint"` // of the cited provisions as the check saw them
	Input       json.RawMessage `json:"input"`
	Result      json.RawMessage `json:"result"`
	Cited       []Cited         `json:"cited"`
	// Review lists why the check should be looked at again (filled by
	// Review, not stored).
	Review []string `json:"review,omitempty"`
}

// Fingerprint identifies the library text a check relied on: the cited
// provisions' ids, quotes and validity.
func Fingerprint(cs []Cited) string {
	parts := make([]string, 0, len(cs))
	for _, c := range cs {
		parts = append(parts, strings.Join([]string{c.Document, c.Label, c.Quote, c.ProvisionID, c.Validity}, "\x1f"))
	}
	sort.Strings(parts)
	h := sha256.Sum256([]byte(strings.Join(parts, "\x1e")))
	return hex.EncodeToString(h[:8])
}

// Review compares the provisions a record relied on with the library now:
// a provision gone, its quote no longer in the text, or a change of its
// version's validity (e.g. 现行有效 → 已废止 or 已修改) flags the record.
func Review(rec *Record, lib *Library) {
	rec.Review = nil
	for _, c := range rec.Cited {
		now := lib.Cite(c.Citation)
		switch {
		case c.Missing:
			continue // it was never verified; the record said so when made
		case now.Missing:
			rec.Review = append(rec.Review, fmt.Sprintf("%s 已不在资料库中，或其文字已改变", c.String()))
		case now.Validity != c.Validity:
			rec.Review = append(rec.Review, fmt.Sprintf("%s 的时效性由“%s”变为“%s”", c.String(), orUnknown(c.Validity), orUnknown(now.Validity)))
		}
	}
}

func orUnknown(s string) string {
	if s == "" {
		return "未知"
	}
	return s
}

// Records stores filed checks.
type Records struct{ db *sql.DB }

// NewRecords uses the platform database (migration 00010).
func NewRecords(db *sql.DB) *Records { return &Records{db: db} }

const maxRecordBytes = 1 << 20

// Save files a check. The record is written whole or not at all.
func (s *Records) Save(ctx context.Context, ownerID, org, tool string, input, result any, cited []Cited) (*Record, error) {
	org = strings.TrimSpace(org)
	if ownerID == "" || org == "" || tool == "" {
		return nil, errors.New("记录须有所有者、组织名称和工具名")
	}
	if len([]rune(org)) > 200 {
		return nil, errors.New("组织名称过长（上限 200 字）")
	}
	in, err := json.Marshal(input)
	if err != nil {
		return nil, err
	}
	out, err := json.Marshal(result)
	if err != nil {
		return nil, err
	}
	ct, err := json.Marshal(cited)
	if err != nil {
		return nil, err
	}
	if len(in)+len(out)+len(ct) > maxRecordBytes {
		return nil, errors.New("记录过大")
	}
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	rec := &Record{ID: "sc" + hex.EncodeToString(b[:]), OwnerID: ownerID, Org: org, Tool: tool,
		CreatedAt: time.Now().UTC().Truncate(time.Second), Fingerprint: Fingerprint(cited), Input: in, Result: out, Cited: cited}
	_, err = s.db.ExecContext(ctx, `INSERT INTO selfcheck_records (id, owner_id, org, tool, created_at, fingerprint, input_json, result_json, cited_json)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, rec.ID, ownerID, org, tool, rec.CreatedAt.Format(time.RFC3339), rec.Fingerprint, string(in), string(out), string(ct))
	if err != nil {
		return nil, fmt.Errorf("保存自查记录: %w", err)
	}
	return rec, nil
}

// List returns an owner's records, newest first; org "" lists all orgs.
func (s *Records) List(ctx context.Context, ownerID, org string) ([]*Record, error) {
	q := `SELECT id, owner_id, org, tool, created_at, fingerprint, input_json, result_json, cited_json FROM selfcheck_records WHERE owner_id = ?`
	args := []any{ownerID}
	if org != "" {
		q += ` AND org = ?`
		args = append(args, org)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY created_at DESC, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Record
	for rows.Next() {
		var r Record
		var at, in, res, ct string
		if err := rows.Scan(&r.ID, &r.OwnerID, &r.Org, &r.Tool, &at, &r.Fingerprint, &in, &res, &ct); err != nil {
			return nil, err
		}
		r.CreatedAt, _ = time.Parse(time.RFC3339, at)
		r.Input, r.Result = json.RawMessage(in), json.RawMessage(res)
		if err := json.Unmarshal([]byte(ct), &r.Cited); err != nil {
			return nil, fmt.Errorf("记录 %s 的引用无法读取: %w", r.ID, err)
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}
