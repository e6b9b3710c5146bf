package news

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/xml"
	"strings"
	"time"
)

// FeedOptions describes a generated feed.
type FeedOptions struct {
	BaseURL  string // absolute site root, e.g. https://datalex.example; item links are BaseURL+ItemPath
	Category string // "" = all categories
	Title    string // defaults to 数据资产头条 · Category
	SelfURL  string // absolute URL of the feed itself
	Limit    int    // default 50
}

func (o FeedOptions) title() string {
	if o.Title != "" {
		return o.Title
	}
	if o.Category != "" {
		return "数据资产头条 · " + o.Category
	}
	return "数据资产头条"
}

// CategoryRSS renders the latest items of a category as RSS 2.0.
func CategoryRSS(ctx context.Context, db *sql.DB, o FeedOptions) ([]byte, error) {
	items, _, err := List(ctx, db, Query{Category: o.Category, Limit: feedLimit(o.Limit)})
	if err != nil {
		return nil, err
	}
	return RSS(items, o)
}

// CategoryAtom renders the latest items of a category as Atom 1.0.
func CategoryAtom(ctx context.Context, db *sql.DB, o FeedOptions) ([]byte, error) {
	items, _, err := List(ctx, db, Query{Category: o.Category, Limit: feedLimit(o.Limit)})
	if err != nil {
		return nil, err
	}
	return Atom(items, o)
}

func feedLimit(n int) int {
	if n <= 0 {
		return 50
	}
	return n
}

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	AtomNS  string     `xml:"xmlns:atom,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title       string    `xml:"title"`
	Link        string    `xml:"link"`
	Description string    `xml:"description"`
	Language    string    `xml:"language"`
	AtomLink    *atomLink `xml:"atom:link,omitempty"`
	LastBuild   string    `xml:"lastBuildDate,omitempty"`
	Items       []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	GUID        rssGUID  `xml:"guid"`
	Description string   `xml:"description"`
	PubDate     string   `xml:"pubDate,omitempty"`
	Categories  []string `xml:"category"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

// RSS renders items as an RSS 2.0 document. Titles and HTML bodies are
// escaped by encoding/xml. pubDate is only written for items whose date is
// known to the day: a month-precision date has no honest RFC 822 form.
func RSS(items []*Item, o FeedOptions) ([]byte, error) {
	base := strings.TrimRight(o.BaseURL, "/")
	ch := rssChannel{
		Title:       o.title(),
		Link:        base + "/news",
		Description: "DataLex 数据资产头条：法规动态、行业资讯与数安热点",
		Language:    "zh-CN",
	}
	if o.SelfURL != "" {
		ch.AtomLink = &atomLink{Href: o.SelfURL, Rel: "self", Type: "application/rss+xml"}
	}
	if len(items) > 0 {
		ch.LastBuild = latest(items).Format(time.RFC1123Z)
	}
	for _, it := range items {
		link := base + it.Path()
		ri := rssItem{
			Title:       it.Title,
			Link:        link,
			GUID:        rssGUID{IsPermaLink: "true", Value: link},
			Description: itemHTML(it),
			Categories:  append([]string{it.Category}, it.Tags...),
		}
		if it.DatePrecision == PrecisionDay {
			if d, err := time.ParseInLocation("2006-01-02", it.PublishedDate, shanghai); err == nil {
				ri.PubDate = d.Format(time.RFC1123Z)
			}
		}
		ch.Items = append(ch.Items, ri)
	}
	return marshal(rssDoc{Version: "2.0", AtomNS: "http://www.w3.org/2005/Atom", Channel: ch})
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Links      []atomLink     `xml:"link"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Content    atomText       `xml:"content"`
	Categories []atomCategory `xml:"category"`
}

// Atom renders items as an Atom 1.0 feed. <updated> is when the record last
// changed here; <published> only appears for day-precision dates.
func Atom(items []*Item, o FeedOptions) ([]byte, error) {
	base := strings.TrimRight(o.BaseURL, "/")
	self := o.SelfURL
	if self == "" {
		self = base + "/news/feed.atom"
	}
	f := atomFeed{
		Lang:    "zh-CN",
		ID:      self,
		Title:   o.title(),
		Updated: time.Unix(0, 0).UTC().Format(time.RFC3339),
		Links:   []atomLink{{Href: self, Rel: "self", Type: "application/atom+xml"}, {Href: base + "/news", Rel: "alternate", Type: "text/html"}},
		Author:  atomPerson{Name: "DataLex"},
	}
	if len(items) > 0 {
		f.Updated = latest(items).Format(time.RFC3339)
	}
	for _, it := range items {
		f.Entries = append(f.Entries, atomEntryFor(base, it))
	}
	return marshal(f)
}

func atomEntryFor(base string, it *Item) atomEntry {
	link := base + it.Path()
	e := atomEntry{
		ID:      link,
		Title:   atomText{Type: "text", Value: it.Title},
		Updated: it.UpdatedAt.UTC().Format(time.RFC3339),
		Links:   []atomLink{{Href: link, Rel: "alternate", Type: "text/html"}},
		Content: atomText{Type: "html", Value: itemHTML(it)},
	}
	if it.Summary != "" {
		e.Summary = &atomText{Type: "text", Value: it.Summary}
	}
	if it.DatePrecision == PrecisionDay {
		if d, err := time.ParseInLocation("2006-01-02", it.PublishedDate, shanghai); err == nil {
			e.Published = d.Format(time.RFC3339)
		}
	}
	for _, c := range append([]string{it.Category}, it.Tags...) {
		e.Categories = append(e.Categories, atomCategory{Term: c})
	}
	return e
}

// AtomEntries renders already-built entries (used by personal feeds in
// other packages) as an Atom feed.
type AtomEntry struct {
	ID, Title, URL, Summary, HTML string
	Updated                       time.Time
	Categories                    []string
}

// AtomFeed renders a feed of generic entries.
func AtomFeed(id, title, selfURL string, entries []AtomEntry) ([]byte, error) {
	f := atomFeed{
		Lang:    "zh-CN",
		ID:      id,
		Title:   title,
		Updated: time.Unix(0, 0).UTC().Format(time.RFC3339),
		Links:   []atomLink{{Href: selfURL, Rel: "self", Type: "application/atom+xml"}},
		Author:  atomPerson{Name: "DataLex"},
	}
	for _, e := range entries {
		if u := e.Updated.UTC().Format(time.RFC3339); u > f.Updated {
			f.Updated = u
		}
		ae := atomEntry{
			ID:      e.ID,
			Title:   atomText{Type: "text", Value: e.Title},
			Updated: e.Updated.UTC().Format(time.RFC3339),
			Links:   []atomLink{{Href: e.URL, Rel: "alternate", Type: "text/html"}},
			Content: atomText{Type: "html", Value: e.HTML},
		}
		if e.Summary != "" {
			ae.Summary = &atomText{Type: "text", Value: e.Summary}
		}
		for _, c := range e.Categories {
			ae.Categories = append(ae.Categories, atomCategory{Term: c})
		}
		f.Entries = append(f.Entries, ae)
	}
	return marshal(f)
}

var shanghai = func() *time.Location {
	if l, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return l
	}
	return time.FixedZone("CST", 8*3600)
}()

func itemHTML(it *Item) string {
	if it.BodyHTML != "" {
		return it.BodyHTML
	}
	return "<p>" + xmlEscape(it.Summary) + "</p>"
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func latest(items []*Item) time.Time {
	var t time.Time
	for _, it := range items {
		if it.UpdatedAt.After(t) {
			t = it.UpdatedAt
		}
	}
	return t.UTC()
}

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}
