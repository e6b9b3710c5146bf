package community

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"datalex/internal/news"
	"datalex/internal/news/markup"
)

// maxIndexText bounds the text of one search record (a long thread's
// replies are cut, not the thread dropped).
const maxIndexText = 200 << 10

// AllForIndex returns the visible community content as search records: one
// per thread (its body and visible replies) and one per attachment (its
// extracted text). All are marked non-authoritative; they are member
// content, not the official library.
func (s *Service) AllForIndex(ctx context.Context) ([]news.IndexRecord, error) {
	ths, err := s.allVisibleThreads(ctx)
	if err != nil {
		return nil, err
	}
	replies, err := s.visibleReplyText(ctx)
	if err != nil {
		return nil, err
	}
	var out []news.IndexRecord
	byID := map[int64]*Thread{}
	for _, th := range ths {
		byID[th.ID] = th
		text := markup.HTMLText(th.BodyHTML)
		if r := replies[th.ID]; r != "" {
			text += "\n\n" + r
		}
		if len(text) > maxIndexText {
			text = strings.ToValidUTF8(text[:maxIndexText], "")
		}
		out = append(out, news.IndexRecord{
			ID: fmt.Sprintf("thread:%d", th.ID), Type: "thread", Category: th.Kind, Title: th.Title, Text: text, URL: th.Path(),
			Date: th.CreatedAt.Format("2006-01-02"), Tags: th.Tags, NonAuthoritative: true,
		})
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT id, thread_id, file_name, stored_name, title, text, created_at FROM attachments ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var a Attachment
		var created string
		if err := rows.Scan(&a.ID, &a.ThreadID, &a.FileName, &a.StoredName, &a.Title, &a.Text, &created); err != nil {
			return nil, err
		}
		th := byID[a.ThreadID]
		if th == nil {
			continue // hidden thread
		}
		title := a.Title
		if title == "" {
			title = a.FileName
		}
		out = append(out, news.IndexRecord{
			ID: fmt.Sprintf("attachment:%d", a.ID), Type: "attachment", Category: th.Kind, Title: title, Text: a.Text,
			URL: th.Path() + fmt.Sprintf("#attachment-%d", a.ID), Date: parseTS(created).Format("2006-01-02"), Tags: th.Tags,
			NonAuthoritative: true,
		})
	}
	return out, rows.Err()
}

func (s *Service) allVisibleThreads(ctx context.Context) ([]*Thread, error) {
	var all []*Thread
	for offset := 0; ; offset += 100 {
		ths, _, err := s.ThreadList(ctx, ThreadQuery{Sort: SortNewest, Limit: 100, Offset: offset})
		if err != nil {
			return nil, err
		}
		all = append(all, ths...)
		if len(ths) < 100 {
			return all, nil
		}
	}
}

func (s *Service) visibleReplyText(ctx context.Context) (map[int64]string, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT thread_id, body_html FROM replies WHERE hidden = 0 ORDER BY thread_id, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var h string
		if err := rows.Scan(&id, &h); err != nil {
			return nil, err
		}
		if len(out[id]) < maxIndexText {
			out[id] += markup.HTMLText(h) + "\n"
		}
	}
	return out, rows.Err()
}

// AllForIndex is Service.AllForIndex for callers holding only the database.
func AllForIndex(ctx context.Context, db *sql.DB) ([]news.IndexRecord, error) {
	return New(db).AllForIndex(ctx)
}
