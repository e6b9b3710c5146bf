package news

import (
	"context"
	"database/sql"

	"datalex/internal/news/markup"
)

// IndexRecord is one non-library record for the search index. News and
// community content are indexed as their own result types and are never
// authoritative: answers citing them must say so.
type IndexRecord struct {
	ID               string   `json:"id"`   // unique across types, e.g. "news:12"
	Type             string   `json:"type"` // news | thread | attachment
	Category         string   `json:"category,omitempty"`
	Title            string   `json:"title"`
	Text             string   `json:"text"`
	URL              string   `json:"url"`
	Date             string   `json:"date,omitempty"` // YYYY[-MM[-DD]] as known
	Tags             []string `json:"tags,omitempty"`
	WorkIDs          []string `json:"work_ids,omitempty"`
	NonAuthoritative bool     `json:"non_authoritative"`
}

// AllForIndex returns every news item as a search record.
func AllForIndex(ctx context.Context, db *sql.DB) ([]IndexRecord, error) {
	var out []IndexRecord
	for offset := 0; ; offset += 200 {
		items, _, err := List(ctx, db, Query{Limit: 200, Offset: offset})
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			text := markup.HTMLText(it.BodyHTML)
			if it.Summary != "" && text == "" {
				text = it.Summary
			}
			out = append(out, IndexRecord{
				ID:               "news:" + itoa(it.ID),
				Type:             "news",
				Category:         it.Category,
				Title:            it.Title,
				Text:             text,
				URL:              it.Path(),
				Date:             it.PublishedDate,
				Tags:             it.Tags,
				WorkIDs:          it.RelatedWorks,
				NonAuthoritative: true,
			})
		}
		if len(items) < 200 {
			return out, nil
		}
	}
}
