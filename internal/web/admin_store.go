package web

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"datalex/internal/account"
	"datalex/internal/library"
)

// metadata is the editable part of a version.
type metadata struct {
	Title, DocNumber, IssueDate, EffectiveDate, Status, Level, Region, City, Sector string
	Issuers, Tags                                                                   []string
}

var dateRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// splitList reads a list typed as 、，, ; or newline separated text.
func splitList(s string) []string {
	var out []string
	for _, x := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("、，,;；\n\r", r) }) {
		if x = strings.TrimSpace(x); x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func metadataFromForm(r *http.Request) (metadata, error) {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	m := metadata{Title: f("title"), DocNumber: f("doc_number"), IssueDate: f("issue_date"), EffectiveDate: f("effective_date"),
		Status: f("status"), Level: f("level"), Region: f("region"), City: f("city"), Sector: f("sector"),
		Issuers: splitList(r.PostFormValue("issuers")), Tags: splitList(r.PostFormValue("tags"))}
	if m.Title == "" || utf8.RuneCountInString(m.Title) > 200 {
		return m, errors.New("标题不能为空，且不超过 200 个字符。")
	}
	for _, d := range []string{m.IssueDate, m.EffectiveDate} {
		if d == "" {
			continue
		}
		if _, err := time.Parse("2006-01-02", d); err != nil || !dateRe.MatchString(d) {
			return m, fmt.Errorf("日期格式应为 YYYY-MM-DD：%q", d)
		}
	}
	if m.Status != "" && !slices.Contains(editStatuses, m.Status) {
		return m, errors.New("无效的时效性。")
	}
	if m.Level != "" && !slices.Contains(editLevels, m.Level) {
		return m, errors.New("无效的效力级别。")
	}
	if _, ok := provinceOrder[m.Region]; m.Region != "" && !ok {
		return m, errors.New("无效的地域。")
	}
	for _, s := range append([]string{m.DocNumber, m.City, m.Sector}, append(m.Issuers, m.Tags...)...) {
		if utf8.RuneCountInString(s) > 100 {
			return m, errors.New("字段过长（每项最多 100 个字符）。")
		}
	}
	return m, nil
}

// updateMetadata writes edited metadata to a version, marks the changed
// fields' provenance as a manual edit and records the audit entry, all in
// one transaction.
func updateMetadata(ctx context.Context, db *sql.DB, acc *account.Service, actor, versionID string, m metadata) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var old metadata
	var issuers, tags, prov string
	err = tx.QueryRowContext(ctx, `SELECT title, doc_number, issue_date, effective_date, status, level, region, city, sector,
		issuers, tags, provenance FROM versions WHERE id = ?`, versionID).Scan(&old.Title, &old.DocNumber, &old.IssueDate,
		&old.EffectiveDate, &old.Status, &old.Level, &old.Region, &old.City, &old.Sector, &issuers, &tags, &prov)
	if errors.Is(err, sql.ErrNoRows) {
		return errors.New("版本不存在。")
	}
	if err != nil {
		return err
	}
	json.Unmarshal([]byte(issuers), &old.Issuers)
	json.Unmarshal([]byte(tags), &old.Tags)
	var provenance map[string]library.Provenance
	json.Unmarshal([]byte(prov), &provenance) // "null" leaves it nil
	if provenance == nil {
		provenance = map[string]library.Provenance{}
	}

	var changed []string
	note := "由" + actor + "于 " + time.Now().UTC().Format("2006-01-02") + " 手工修改"
	mark := func(field, a, b string) {
		if a != b {
			changed = append(changed, fmt.Sprintf("%s: %q → %q", field, a, b))
			provenance[field] = library.Provenance{File: "manual", Note: note}
		}
	}
	mark("title", old.Title, m.Title)
	mark("doc_number", old.DocNumber, m.DocNumber)
	mark("issue_date", old.IssueDate, m.IssueDate)
	mark("effective_date", old.EffectiveDate, m.EffectiveDate)
	mark("status", old.Status, m.Status)
	mark("level", old.Level, m.Level)
	mark("region", old.Region, m.Region)
	mark("city", old.City, m.City)
	mark("sector", old.Sector, m.Sector)
	mark("issuers", strings.Join(old.Issuers, "、"), strings.Join(m.Issuers, "、"))
	mark("tags", strings.Join(old.Tags, "、"), strings.Join(m.Tags, "、"))
	if len(changed) == 0 {
		return nil
	}
	provJSON, _ := json.Marshal(provenance)
	if _, err := tx.ExecContext(ctx, `UPDATE versions SET title = ?, doc_number = ?, issue_date = ?, effective_date = ?, status = ?,
		level = ?, region = ?, city = ?, sector = ?, issuers = ?, tags = ?, provenance = ? WHERE id = ?`,
		m.Title, m.DocNumber, m.IssueDate, m.EffectiveDate, m.Status, m.Level, m.Region, m.City, m.Sector,
		jsonList(m.Issuers), jsonList(m.Tags), string(provJSON), versionID); err != nil {
		return err
	}
	if err := acc.Audit(ctx, tx, actor, "document.edit", versionID, strings.Join(changed, "；")); err != nil {
		return err
	}
	return tx.Commit()
}

func jsonList(xs []string) string {
	if len(xs) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(xs)
	return string(b)
}

type withdrawnRow struct{ ID, Title string }

// listWithdrawn returns the versions hidden from the library, so editors can
// restore them.
func listWithdrawn(ctx context.Context, db *sql.DB) ([]withdrawnRow, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, title FROM versions WHERE withdrawn = 1 ORDER BY title LIMIT 200`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []withdrawnRow
	for rows.Next() {
		var w withdrawnRow
		if err := rows.Scan(&w.ID, &w.Title); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}
