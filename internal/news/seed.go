package news

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"datalex/internal/library"
)

// seedNewsletterPrefix names seed 002, the newsletter whose 法规速递 section
// becomes the first 法规动态 items.
const seedNewsletterPrefix = "002_"

// newsSince is the first day of the period the bundled sources report
// on as news: the policy compendium is its 2024 edition and the
// newsletter its November 2024 issue. Releases and entries into force
// before it are the library's history, not 头条.
const newsSince = "2024-01-01"

// SeedResult counts what SeedFromLibrary did.
type SeedResult struct {
	Hot         int // 数安热点 items created
	Regulations int // 法规动态 items created (releases)
	Effective   int // 法规动态 items created (entries into force)
	Skipped     int // already present
}

// SeedFromLibrary turns the library's news versions (seed 002's 数安热点)
// into 数安热点 items, and regulations into 法规动态 items linked to their
// works: seed 002's 法规速递 entries, every other regulation released on or
// after newsSince (by its day-precision issue date), and an entry-into-force
// item ("《…》施行") for each regulation whose effective date is on or
// after newsSince, not later than today and not its issue date. It is idempotent: items are keyed by source file
// and title, so running it after every start is safe.
//
// Dates come only from the data: a version's issue date (day precision), or
// the newsletter issue it was printed in ("2024-11" in IssueDate, or
// "2024 年 11 月" in VersionLabel/Part/Subsection) at month precision; with
// neither, the item has no date.
func SeedFromLibrary(ctx context.Context, db *sql.DB, versions []*library.Version) (SeedResult, error) {
	var res SeedResult
	writeMu.Lock()
	defer writeMu.Unlock()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return res, err
	}
	defer tx.Rollback()
	today := now().In(chinaTime).Format("2006-01-02")
	insert := func(v *library.Version, it *Item, key string, count *int) error {
		it.normalize()
		if err := it.Validate(); err != nil {
			return fmt.Errorf("种子新闻「%s」: %w", v.Title, err)
		}
		id, err := insertItem(ctx, tx, it, key)
		if err != nil {
			return err
		}
		if id == 0 {
			res.Skipped++
		} else {
			*count++
		}
		return nil
	}
	for _, v := range versions {
		var err error
		switch {
		case v.Kind == library.KindNews:
			err = insert(v, hotItem(v), seedKey(v), &res.Hot)
		case v.Kind == library.KindRegulation:
			if fromFile(v, seedNewsletterPrefix) || (dayDate(v.IssueDate) && v.IssueDate >= newsSince && v.IssueDate <= today) {
				err = insert(v, regulationItem(v, OriginSeed), seedKey(v), &res.Regulations)
			}
			if err == nil && dayDate(v.EffectiveDate) && v.EffectiveDate >= newsSince && v.EffectiveDate <= today && v.EffectiveDate != v.IssueDate {
				err = insert(v, effectiveItem(v), "seed:effective:"+library.ShortHash(seedKey(v), v.EffectiveDate), &res.Effective)
			}
		}
		if err != nil {
			return res, err
		}
	}
	return res, tx.Commit()
}

func seedKey(v *library.Version) string {
	file := ""
	if len(v.Sources) > 0 {
		file = v.Sources[0].File
	}
	return "seed:" + v.Kind + ":" + library.ShortHash(file, library.TitleKey(v.Title))
}

func fromFile(v *library.Version, prefix string) bool {
	for _, s := range v.Sources {
		if strings.HasPrefix(s.File, prefix) {
			return true
		}
	}
	return false
}

func provenanceOf(v *library.Version) string {
	var parts []string
	for _, s := range v.Sources {
		parts = append(parts, fmt.Sprintf("%s:%d-%d", s.File, s.FirstLine, s.LastLine))
	}
	return strings.Join(parts, "; ")
}

// hotItem builds a 数安热点 item from a news version: the body is the
// version's text, one Markdown paragraph per source line, tab-separated
// runs as tables. The library's tags on news versions are newsletter
// bookkeeping (期刊, 页码, 目录未列), not topics, so none are carried over.
func hotItem(v *library.Version) *Item {
	var lines []string
	for _, p := range v.Provisions {
		for _, l := range strings.Split(p.Text, "\n") {
			if l = strings.TrimSpace(l); l != "" && l != v.Title {
				lines = append(lines, l)
			}
		}
	}
	date, _ := issueDate(v)
	return &Item{
		Category:      CategoryHot,
		Title:         v.Title,
		Summary:       summarize(v),
		Body:          sourceMarkdown(lines),
		SourceName:    strings.Join(v.Issuers, "、"),
		PublishedDate: date,
		RelatedWorks:  citedWorks(v),
		Origin:        OriginSeed,
		Provenance:    provenanceOf(v),
	}
}

// sourceMarkdown keeps source text literal in Markdown: each line is a
// paragraph with Markdown syntax at its start escaped, and runs of
// tab-separated lines become a table (first row as header).
func sourceMarkdown(lines []string) string {
	var blocks []string
	for i := 0; i < len(lines); {
		j := i
		for j < len(lines) && strings.Contains(lines[j], "\t") {
			j++
		}
		if j-i >= 2 {
			blocks = append(blocks, markdownTable(lines[i:j]))
			i = j
			continue
		}
		blocks = append(blocks, literalLine(lines[i]))
		i++
	}
	return strings.Join(blocks, "\n\n")
}

func markdownTable(rows []string) string {
	var b strings.Builder
	width := 0
	cells := make([][]string, len(rows))
	for i, r := range rows {
		cells[i] = strings.Split(r, "\t")
		width = max(width, len(cells[i]))
	}
	for i, row := range cells {
		b.WriteString("|")
		for k := range width {
			c := ""
			if k < len(row) {
				c = strings.TrimSpace(row[k])
			}
			b.WriteString(" " + strings.ReplaceAll(c, "|", "\\|") + " |")
		}
		b.WriteString("\n")
		if i == 0 {
			b.WriteString("|" + strings.Repeat(" --- |", width) + "\n")
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// literalLine escapes what would start Markdown syntax at the beginning of
// a line (1. / - / # / >).
func literalLine(l string) string {
	if m := mdNumbered.FindStringIndex(l); m != nil {
		return l[:m[1]-1] + `\` + l[m[1]-1:] // 1. → 1\.
	}
	if mdLineStart.MatchString(l) {
		return `\` + l
	}
	return l
}

var (
	mdLineStart = regexp.MustCompile(`^[#>*+\-|=]`)
	mdNumbered  = regexp.MustCompile(`^\d+[.)]`)
)

// summarize takes the first paragraph of a news version (at most 200 runes).
func summarize(v *library.Version) string {
	for _, p := range v.Provisions {
		t := strings.TrimSpace(p.Text)
		if t == "" || t == v.Title {
			continue
		}
		r := []rune(strings.Join(strings.Fields(t), " "))
		if len(r) > 200 {
			return string(r[:199]) + "…"
		}
		return string(r)
	}
	return ""
}

// topicTags keeps the library tags that are topics: machine tags such as
// "期刊:2024年11月", the category itself and notes longer than a tag
// (the library's quality remarks, e.g. 正文疑为《…》) are dropped.
func topicTags(tags []string, category string) []string {
	var out []string
	for _, t := range tags {
		if t != category && t != "法规速递" && !strings.ContainsAny(t, ":：") && utf8.RuneCountInString(t) <= MaxTagLen {
			out = append(out, t)
		}
	}
	return out
}

func citedWorks(v *library.Version) []string {
	var out []string
	for _, c := range v.Citations {
		if c.WorkID != "" {
			out = append(out, c.WorkID)
		}
	}
	return out
}

func dayDate(d string) bool {
	p, ok := precisionOf(d)
	return ok && p == PrecisionDay
}

// effectiveItem announces that a regulation enters into force, dated on
// that day; the text states only the regulation's own metadata.
func effectiveItem(v *library.Version) *Item {
	it := regulationItem(v, OriginSeed)
	t, _ := time.Parse("2006-01-02", v.EffectiveDate)
	it.Title = "《" + strings.Trim(v.Title, "《》") + "》施行"
	it.Body = "《" + strings.Trim(v.Title, "《》") + "》自" + t.Format("2006年1月2日") + "起施行。"
	it.Summary = it.Body + it.Summary
	it.PublishedDate = v.EffectiveDate
	return it
}

// regulationItem announces a regulation: its metadata as the summary and a
// link to its work.
func regulationItem(v *library.Version, origin string) *Item {
	var meta []string
	add := func(k, val string) {
		if val != "" {
			meta = append(meta, k+"："+val)
		}
	}
	add("发文机关", strings.Join(v.Issuers, "、"))
	add("文号", v.DocNumber)
	add("发布日期", v.IssueDate)
	add("生效日期", v.EffectiveDate)
	add("时效性", v.Status)
	add("效力级别", v.Level)
	date := ""
	if p, ok := precisionOf(v.IssueDate); ok && p == PrecisionDay {
		date = v.IssueDate
	}
	related := []string{}
	if v.WorkID != "" {
		related = append(related, v.WorkID)
	}
	tags := topicTags(v.Tags, CategoryRegulation)
	if v.Region != "" && v.Region != "全国" {
		tags = append(tags, v.Region)
	}
	return &Item{
		Category:      CategoryRegulation,
		Title:         v.Title,
		Summary:       strings.Join(meta, "；"),
		Tags:          tags,
		SourceName:    strings.Join(v.Issuers, "、"),
		PublishedDate: date,
		RelatedWorks:  append(related, citedWorks(v)...),
		Origin:        origin,
		Provenance:    provenanceOf(v),
	}
}

var (
	yearMonthRe = regexp.MustCompile(`(\d{4})\s*年\s*(\d{1,2})\s*月`)
	isoMonthRe  = regexp.MustCompile(`^\d{4}-\d{2}$`)
)

// issueDate returns the date a news version states, with its precision.
func issueDate(v *library.Version) (string, string) {
	if p, ok := precisionOf(v.IssueDate); ok && p != "" {
		return v.IssueDate, p
	}
	for _, s := range []string{v.VersionLabel, v.Part, v.Subsection} {
		if isoMonthRe.MatchString(s) {
			if p, ok := precisionOf(s); ok {
				return s, p
			}
		}
		if m := yearMonthRe.FindStringSubmatch(s); m != nil {
			d := m[1] + "-" + fmt.Sprintf("%02d", atoi(m[2]))
			if p, ok := precisionOf(d); ok {
				return d, p
			}
		}
	}
	return "", ""
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// Change kinds recorded for subscriptions.
const (
	ChangeNewDocument = "new_document"
	ChangeNewVersion  = "new_version"
)

// Change is a new document or version in the library.
type Change struct {
	ID        int64
	Kind      string
	WorkID    string
	VersionID string
	Title     string
	Region    string
	Tags      []string
	CreatedAt time.Time
}

// OnDocumentsImported records newly imported versions as changes (for
// subscriptions) and announces each with a 法规动态 item. Call it after the
// importer has stored the versions (so their WorkID and ID are set), for
// editor uploads — not for the initial seed import, which would announce the
// whole library. Idempotent per version id. News and notes are ignored.
func OnDocumentsImported(ctx context.Context, db *sql.DB, versions []*library.Version) (int, error) {
	writeMu.Lock()
	defer writeMu.Unlock()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	created := 0
	for _, v := range versions {
		if v.ID == "" || v.Kind == library.KindNews || v.Kind == library.KindNote {
			continue
		}
		kind := ChangeNewDocument
		var others int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM versions WHERE work_id = ? AND id <> ?`, v.WorkID, v.ID).Scan(&others); err != nil {
			return 0, err
		}
		if others > 0 {
			kind = ChangeNewVersion
		}
		tags, _ := json.Marshal(append([]string{}, v.Tags...))
		res, err := tx.ExecContext(ctx, `INSERT INTO doc_changes (kind, work_id, version_id, title, region, tags, created_at)
			SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM doc_changes WHERE version_id = ?)`,
			kind, v.WorkID, v.ID, v.Title, v.Region, string(tags), ts(now()), v.ID)
		if err != nil {
			return 0, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue
		}
		it := regulationItem(v, OriginImport)
		if kind == ChangeNewVersion {
			it.Summary = "新版本；" + it.Summary
		} else {
			it.Summary = "法规库新收录；" + it.Summary
		}
		it.Summary = strings.TrimSuffix(it.Summary, "；")
		it.normalize()
		if err := it.Validate(); err != nil {
			return 0, fmt.Errorf("导入通知「%s」: %w", v.Title, err)
		}
		id, err := insertItem(ctx, tx, it, "import:"+v.ID)
		if err != nil {
			return 0, err
		}
		if id != 0 {
			created++
		}
	}
	return created, tx.Commit()
}

// Changes lists library changes recorded since t (oldest first).
func Changes(ctx context.Context, db *sql.DB, since time.Time, limit int) ([]Change, error) {
	if limit <= 0 {
		limit = 200
	}
	rows, err := db.QueryContext(ctx, `SELECT id, kind, work_id, version_id, title, region, tags, created_at
		FROM doc_changes WHERE created_at >= ? ORDER BY created_at, id LIMIT ?`, ts(since), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		var tags, created string
		if err := rows.Scan(&c.ID, &c.Kind, &c.WorkID, &c.VersionID, &c.Title, &c.Region, &tags, &created); err != nil {
			return nil, err
		}
		_ = json.Unmarshal([]byte(tags), &c.Tags)
		c.CreatedAt = parseTS(created)
		out = append(out, c)
	}
	return out, rows.Err()
}

// chinaTime is UTC+8: "today" for dates written in China.
var chinaTime = time.FixedZone("CST", 8*3600)
