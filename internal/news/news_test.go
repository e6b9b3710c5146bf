package news

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"datalex/internal/ingest"
	"datalex/internal/library"
	"datalex/internal/news/markup/xsstest"
	"datalex/internal/store/storetest"
)

var update = flag.Bool("update", false, "rewrite golden files")

func openDB(t *testing.T) *sql.DB {
	t.Helper()
	st := storetest.Open(t)
	return st.DB()
}

// fixClock pins the package clock for golden output.
func fixClock(t *testing.T, at time.Time) {
	t.Helper()
	old := now
	now = func() time.Time { return at }
	t.Cleanup(func() { now = old })
}

func TestValidate(t *testing.T) {
	long := strings.Repeat("长", MaxTitle+1)
	tests := []struct {
		name  string
		item  Item
		field string
	}{
		{"ok", Item{Category: CategoryIndustry, Title: "标题"}, ""},
		{"bad category", Item{Category: "娱乐", Title: "标题"}, "category"},
		{"empty title", Item{Category: CategoryIndustry, Title: "   "}, "title"},
		{"long title", Item{Category: CategoryIndustry, Title: long}, "title"},
		{"huge body", Item{Category: CategoryIndustry, Title: "t", Body: strings.Repeat("a", MaxBodyBytes+1)}, "body"},
		{"javascript url", Item{Category: CategoryIndustry, Title: "t", SourceURL: "javascript:alert(1)"}, "source_url"},
		{"relative url", Item{Category: CategoryIndustry, Title: "t", SourceURL: "/etc/passwd"}, "source_url"},
		{"bad date", Item{Category: CategoryIndustry, Title: "t", PublishedDate: "2024-13-01"}, "published_date"},
		{"bad date text", Item{Category: CategoryIndustry, Title: "t", PublishedDate: "近日"}, "published_date"},
		{"month date ok", Item{Category: CategoryIndustry, Title: "t", PublishedDate: "2024-11"}, ""},
		{"too many tags", Item{Category: CategoryIndustry, Title: "t", Tags: strings.Split("a b c d e f g h i j k l m", " ")}, "tags"},
		{"long tag", Item{Category: CategoryIndustry, Title: "t", Tags: []string{strings.Repeat("标", MaxTagLen+1)}}, "tags"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := tt.item
			it.normalize()
			err := it.Validate()
			var ve *ValidationError
			switch {
			case tt.field == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tt.field != "" && (!errors.As(err, &ve) || ve.Field != tt.field):
				t.Fatalf("want error on %s, got %v", tt.field, err)
			}
		})
	}
}

func TestCRUD(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	it := &Item{Category: CategoryIndustry, Title: " 数据资产 入表  进展 ", Body: "**加粗** 正文", Tags: []string{"入表", "#入表", " 会计 "},
		RelatedWorks: []string{"w1", "w1", "w2"}, PublishedDate: "2024-11-02", CreatedBy: "u7"}
	id, err := Create(ctx, db, it)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Get(ctx, db, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "数据资产 入表 进展" || strings.Join(got.Tags, ",") != "会计,入表" || strings.Join(got.RelatedWorks, ",") != "w1,w2" {
		t.Fatalf("normalised fields wrong: %+v", got)
	}
	if got.DatePrecision != PrecisionDay || got.DisplayDate() != "2024年11月2日" || !strings.Contains(got.BodyHTML, "<strong>加粗</strong>") {
		t.Fatalf("date/html wrong: %q %q %q", got.DatePrecision, got.DisplayDate(), got.BodyHTML)
	}
	got.Title = "改后的标题"
	got.Tags = []string{"出境"}
	got.PublishedDate = ""
	if err := Update(ctx, db, got); err != nil {
		t.Fatal(err)
	}
	again, _ := Get(ctx, db, id)
	if again.Title != "改后的标题" || strings.Join(again.Tags, ",") != "出境" || again.PublishedDate != "" || again.DatePrecision != "" {
		t.Fatalf("update lost: %+v", again)
	}
	list, total, err := List(ctx, db, Query{Tag: "出境"})
	if err != nil || total != 1 || len(list) != 1 {
		t.Fatalf("list by tag: %d %v", total, err)
	}
	if items, _ := ForWork(ctx, db, "w2", 10); len(items) != 1 {
		t.Fatalf("ForWork = %d items", len(items))
	}
	if uncounted, total, err := List(ctx, db, Query{Tag: "出境", NoTotal: true}); err != nil || total != -1 || len(uncounted) != 1 || uncounted[0].ID != list[0].ID {
		t.Fatalf("list without total: %d items, total %d, %v", len(uncounted), total, err)
	}
	if err := Delete(ctx, db, id); err != nil {
		t.Fatal(err)
	}
	if _, err := Get(ctx, db, id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
	if err := Update(ctx, db, again); !errors.Is(err, ErrNotFound) {
		t.Fatalf("update missing: %v", err)
	}
}

func TestBodyXSS(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	for _, p := range xsstest.Payloads {
		id, err := Create(ctx, db, &Item{Category: CategoryIndustry, Title: p, Body: p + "\n\n正文 https://example.com/a"})
		if err != nil {
			t.Fatal(err)
		}
		it, _ := Get(ctx, db, id)
		if err := xsstest.Inert(it.BodyHTML); err != nil {
			t.Errorf("payload %q: %v: %s", p, err, it.BodyHTML)
		}
		if !strings.Contains(it.BodyHTML, `rel="nofollow ugc"`) {
			t.Errorf("external link without rel=nofollow ugc: %s", it.BodyHTML)
		}
		if it.Title != strings.Join(strings.Fields(p), " ") {
			t.Errorf("title must be stored as text (templates escape it), got %q", it.Title)
		}
	}
}

// seedVersions imitates what the seed 002 parser produces.
func seedVersions() []*library.Version {
	src := func(a, b int) []library.Source {
		return []library.Source{{File: "002_05371c1a2a590865.txt", FirstLine: a, LastLine: b}}
	}
	vs := []*library.Version{
		{ID: "v-reg1", WorkID: "w-reg1", Kind: library.KindRegulation, Title: "工业和信息化领域数据安全事件应急预案（试行）",
			Issuers: []string{"工业和信息化部"}, IssueDate: "2024-10-29", EffectiveDate: "2024-11-01", Status: library.StatusTrial, Sources: src(26, 335)},
		{ID: "v-reg5", WorkID: "w-reg5", Kind: library.KindRegulation, Title: "国家数据基础设施建设指引（征求意见稿）",
			Issuers: []string{"国家数据局"}, IssueDate: "2024-11-22", Status: library.StatusDraft, Sources: src(611, 829)},
		// A regulation from another seed is not a 法规速递 entry.
		{ID: "v-other", WorkID: "w-other", Kind: library.KindRegulation, Title: "数据安全法", Sources: []library.Source{{File: "001_x.txt", FirstLine: 1, LastLine: 9}}},
		{ID: "v-n1", WorkID: "n1", Kind: library.KindNews, Title: "11月1日起13项网络安全国家标准开始实施", VersionLabel: "2024 年 11 月",
			Sources: src(941, 953), Provisions: []*library.Provision{
				{ID: "p1", Text: "11月1日起13项网络安全国家标准开始实施"},
				{ID: "p2", Text: "11月1日起,《网络安全技术 信息技术安全评估准则》等13项网络安全国家标准开始实施。"},
				{ID: "p3", Text: "1. 不是列表\n——条目"},
			}},
		// No issue information at all: stays undated.
		{ID: "v-n2", WorkID: "n2", Kind: library.KindNews, Title: "广东下架 3 款 APP", Sources: src(1056, 1068),
			Provisions: []*library.Provision{{ID: "q1", Text: "近日，广东省通信管理局……"}}},
	}
	return vs
}

func TestSeedFromLibrary(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	res, err := SeedFromLibrary(ctx, db, seedVersions())
	if err != nil {
		t.Fatal(err)
	}
	// v-reg1 comes into force after its release: one 施行 item as well.
	if res.Hot != 2 || res.Regulations != 2 || res.Effective != 1 || res.Skipped != 0 {
		t.Fatalf("first seed: %+v", res)
	}
	res, err = SeedFromLibrary(ctx, db, seedVersions())
	if err != nil || res.Hot+res.Regulations+res.Effective != 0 || res.Skipped != 5 {
		t.Fatalf("second seed not idempotent: %+v %v", res, err)
	}
	hot, _, _ := List(ctx, db, Query{Category: CategoryHot})
	regs, _, _ := List(ctx, db, Query{Category: CategoryRegulation})
	if len(hot) != 2 || len(regs) != 3 {
		t.Fatalf("hot %d regs %d", len(hot), len(regs))
	}
	byTitle := map[string]*Item{}
	for _, it := range append(hot, regs...) {
		byTitle[it.Title] = it
	}
	n1 := byTitle["11月1日起13项网络安全国家标准开始实施"]
	if n1.PublishedDate != "2024-11" || n1.DatePrecision != PrecisionMonth || n1.DisplayDate() != "2024年11月" {
		t.Fatalf("newsletter month not kept at month precision: %q %q", n1.PublishedDate, n1.DatePrecision)
	}
	if strings.Contains(n1.BodyHTML, "<ol") || !strings.Contains(n1.BodyHTML, "<p>1. 不是列表</p>") {
		t.Errorf("source numbering must stay literal text: %s", n1.BodyHTML)
	}
	if n1.Provenance != "002_05371c1a2a590865.txt:941-953" {
		t.Errorf("provenance %q", n1.Provenance)
	}
	if n2 := byTitle["广东下架 3 款 APP"]; n2.PublishedDate != "" || n2.DatePrecision != "" {
		t.Errorf("undated item got a date: %q", n2.PublishedDate)
	}
	r1 := byTitle["工业和信息化领域数据安全事件应急预案（试行）"]
	if r1.PublishedDate != "2024-10-29" || strings.Join(r1.RelatedWorks, ",") != "w-reg1" ||
		!strings.Contains(r1.Summary, "发文机关：工业和信息化部") || !strings.Contains(r1.Summary, "生效日期：2024-11-01") {
		t.Errorf("regulation item: %+v", r1)
	}
	if r5 := byTitle["国家数据基础设施建设指引（征求意见稿）"]; strings.Contains(r5.Summary, "生效日期") {
		t.Errorf("draft has no 生效日期, summary invented one: %q", r5.Summary)
	}
}

func TestOnDocumentsImported(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	db := st.DB()
	// Two versions of one work in the library; the second is the new one.
	if _, err := db.Exec(`INSERT INTO works (id, title) VALUES ('w1', '办法')`); err != nil {
		t.Fatal(err)
	}
	for i, id := range []string{"w1-a", "w1-b", "w2-a"} {
		work := "w1"
		if id == "w2-a" {
			work = "w1" // same work table row is enough for the count query
		}
		if _, err := db.Exec(`INSERT INTO versions (id, work_id, seq, kind, title) VALUES (?, ?, ?, 'regulation', '办法')`, id, work, i); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`INSERT INTO works (id, title) VALUES ('w3', '新规')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO versions (id, work_id, seq, kind, title) VALUES ('w3-a', 'w3', 9, 'regulation', '新规')`); err != nil {
		t.Fatal(err)
	}
	imported := []*library.Version{
		{ID: "w1-b", WorkID: "w1", Kind: library.KindRegulation, Title: "某某管理办法", IssueDate: "2025-01-02", Region: "北京"},
		{ID: "w3-a", WorkID: "w3", Kind: library.KindRegulation, Title: "新规", Tags: []string{"数据出境"}},
		{ID: "n-x", WorkID: "n", Kind: library.KindNews, Title: "新闻"},
	}
	n, err := OnDocumentsImported(ctx, db, imported)
	if err != nil || n != 2 {
		t.Fatalf("created %d, %v", n, err)
	}
	if n, err := OnDocumentsImported(ctx, db, imported); err != nil || n != 0 {
		t.Fatalf("not idempotent: %d %v", n, err)
	}
	ch, err := Changes(ctx, db, time.Time{}, 0)
	if err != nil || len(ch) != 2 {
		t.Fatalf("changes %v %v", ch, err)
	}
	if ch[0].Kind != ChangeNewVersion || ch[1].Kind != ChangeNewDocument || ch[1].Tags[0] != "数据出境" || ch[0].Region != "北京" {
		t.Fatalf("change kinds: %+v", ch)
	}
	items, _, _ := List(ctx, db, Query{Category: CategoryRegulation})
	if len(items) != 2 {
		t.Fatalf("items %d", len(items))
	}
	for _, it := range items {
		if it.Origin != OriginImport || len(it.RelatedWorks) == 0 {
			t.Errorf("import item %+v", it)
		}
		if it.Title == "某某管理办法" && (it.PublishedDate != "2025-01-02" || !strings.HasPrefix(it.Summary, "新版本")) {
			t.Errorf("new-version item %+v", it)
		}
	}
}

func TestFeedsGolden(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	fixClock(t, time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC))
	if _, err := SeedFromLibrary(ctx, db, seedVersions()); err != nil {
		t.Fatal(err)
	}
	if _, err := Create(ctx, db, &Item{Category: CategoryHot, Title: `A & B <script>"引号"</script>`, Body: "x]]>y <b>粗</b>\x00\x0b",
		Tags: []string{"安全&合规"}, PublishedDate: "2024-11-20"}); err != nil {
		t.Fatal(err)
	}
	o := FeedOptions{BaseURL: "https://datalex.example/", Category: CategoryHot, SelfURL: "https://datalex.example/news/feed.rss?category=数安热点"}
	rss, err := CategoryRSS(ctx, db, o)
	if err != nil {
		t.Fatal(err)
	}
	o.SelfURL = "https://datalex.example/news/feed.atom?category=数安热点"
	atom, err := CategoryAtom(ctx, db, o)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "hot.rss", rss)
	golden(t, "hot.atom", atom)
	for name, b := range map[string][]byte{"rss": rss, "atom": atom} {
		f, err := gofeed.NewParser().ParseString(string(b))
		if err != nil {
			t.Fatalf("%s does not parse: %v", name, err)
		}
		if len(f.Items) != 3 {
			t.Fatalf("%s: %d items", name, len(f.Items))
		}
		var found bool
		for _, it := range f.Items {
			if it.Title == `A & B <script>"引号"</script>` {
				found = true
				if it.PublishedParsed == nil || it.PublishedParsed.In(shanghai).Format("2006-01-02") != "2024-11-20" {
					t.Errorf("%s: day-precision date lost: %v", name, it.PublishedParsed)
				}
			}
			if strings.Contains(it.Content+it.Description, "<script") {
				t.Errorf("%s: script in content", name)
			}
		}
		if !found {
			t.Errorf("%s: escaped title did not round-trip", name)
		}
	}
	// Only the day-precision item may carry a publication date: the
	// month-precision and undated items must not get an invented day.
	if n := strings.Count(string(rss), "<pubDate>"); n != 1 {
		t.Errorf("rss has %d pubDate elements, want 1", n)
	}
	if n := strings.Count(string(atom), "<published>"); n != 1 {
		t.Errorf("atom has %d published elements, want 1", n)
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if string(want) != string(got) {
		t.Errorf("%s differs from golden file:\n%s", name, got)
	}
}

func TestAllForIndex(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	if _, err := SeedFromLibrary(ctx, db, seedVersions()); err != nil {
		t.Fatal(err)
	}
	recs, err := AllForIndex(ctx, db)
	if err != nil || len(recs) != 5 {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	for _, r := range recs {
		if !r.NonAuthoritative || r.Type != "news" || !strings.HasPrefix(r.URL, "/news/") || r.Title == "" {
			t.Errorf("bad record %+v", r)
		}
		if strings.Contains(r.Text, "<") {
			t.Errorf("text has markup: %q", r.Text)
		}
	}
}

// TestSeedFromRealSeed002 runs the real seed 002 parser output through
// SeedFromLibrary.
func TestSeedFromRealSeed002(t *testing.T) {
	files, _ := filepath.Glob("../../corpus/seeds/002_*.txt")
	if len(files) != 1 {
		t.Skip("seed 002 not present")
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	p, err := ingest.ParseSeed002(filepath.Base(files[0]), data)
	if err != nil {
		t.Fatal(err)
	}
	vs := append(append([]*library.Version{}, p.Versions...), p.News...)
	for i, v := range vs {
		if v.WorkID == "" {
			v.WorkID = fmt.Sprintf("w%d", i) // the importer assigns these
		}
	}
	ctx := context.Background()
	db := openDB(t)
	res, err := SeedFromLibrary(ctx, db, vs)
	if err != nil {
		t.Fatal(err)
	}
	if res.Hot != 6 || res.Regulations != 6 {
		t.Fatalf("seed 002 gave %+v, want 6 数安热点 and 6 法规动态", res)
	}
	hot, _, _ := List(ctx, db, Query{Category: CategoryHot})
	for _, it := range hot {
		if it.PublishedDate != "2024-11" || it.DatePrecision != PrecisionMonth {
			t.Errorf("%s: date %q/%q, want the newsletter month", it.Title, it.PublishedDate, it.DatePrecision)
		}
		if it.BodyHTML == "" || it.Summary == "" {
			t.Errorf("%s: empty body or summary", it.Title)
		}
		if strings.HasPrefix(it.Title, "全国数据标准化技术委员会") &&
			(!strings.Contains(it.BodyHTML, "<th>序号</th>") || strings.Count(it.BodyHTML, "<tr>") != 38) {
			t.Errorf("%s: the 37-row standards list is not a table: %s", it.Title, it.BodyHTML)
		}
		for _, tag := range it.Tags {
			if strings.Contains(tag, ":") {
				t.Errorf("%s: machine tag %q leaked", it.Title, tag)
			}
		}
	}
	regs, _, _ := List(ctx, db, Query{Category: CategoryRegulation})
	dates := map[string]string{}
	for _, it := range regs {
		dates[it.Title] = it.PublishedDate
		if len(it.RelatedWorks) == 0 {
			t.Errorf("%s: no related work", it.Title)
		}
	}
	for title, want := range map[string]string{
		"工业和信息化领域数据安全事件应急预案（试行）": "2024-10-29",
		"上海市数据产品知识产权登记存证暂行办法":    "2024-11-08",
		"国家数据基础设施建设指引（征求意见稿）":    "2024-11-22",
	} {
		if dates[title] != want {
			t.Errorf("%s dated %q, want %q (all: %v)", title, dates[title], want, dates)
		}
	}
}

// TestSeedReleasesAndEntriesIntoForce: regulations from any seed are
// announced when released on or after newsSince, and again when they come
// into force (dated that day), never for a date after today or before
// newsSince, and never twice for the same day.
func TestSeedReleasesAndEntriesIntoForce(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	fixClock(t, time.Date(2025, 3, 1, 4, 0, 0, 0, time.UTC))
	src := []library.Source{{File: "003_x.txt", FirstLine: 1, LastLine: 2}}
	vs := []*library.Version{
		{ID: "a", WorkID: "wa", Kind: library.KindRegulation, Title: "网络数据安全管理条例", EffectiveDate: "2025-01-01", Sources: src},
		{ID: "b", WorkID: "wb", Kind: library.KindRegulation, Title: "会计师事务所数据安全管理暂行办法", IssueDate: "2024-04-15", EffectiveDate: "2024-10-01", Sources: src},
		{ID: "c", WorkID: "wc", Kind: library.KindRegulation, Title: "促进和规范数据跨境流动规定", IssueDate: "2024-03-22", EffectiveDate: "2024-03-22", Sources: src},
		{ID: "d", WorkID: "wd", Kind: library.KindRegulation, Title: "中华人民共和国数据安全法", IssueDate: "2021-06-10", EffectiveDate: "2021-09-01", Sources: src},
		{ID: "e", WorkID: "we", Kind: library.KindRegulation, Title: "未来施行的办法", IssueDate: "2025-02-01", EffectiveDate: "2025-06-01", Sources: src},
		{ID: "f", WorkID: "wf", Kind: library.KindCatalogue, Title: "仅有目录的方案", IssueDate: "2024-05-01", Sources: src},
		{ID: "g", WorkID: "wg", Kind: library.KindRegulation, Title: "只知年月的通知", IssueDate: "2024-06", Sources: src},
		// A quality remark longer than a tag is not carried over (it would
		// fail validation and stop the whole seed).
		{ID: "h", WorkID: "wh", Kind: library.KindRegulation, Title: "带长备注的方案", IssueDate: "2024-07-01", Sources: src,
			Tags: []string{"数据要素", "正文疑为《朝阳区关于更好发挥数据要素作用的若干措施》而非标题所称文件，待核对"}},
	}
	res, err := SeedFromLibrary(ctx, db, vs)
	if err != nil {
		t.Fatal(err)
	}
	// Releases: b, c, e, h. Entries into force: a (2025-01-01), b (2024-10-01).
	if res.Regulations != 4 || res.Effective != 2 || res.Hot != 0 {
		t.Fatalf("seed: %+v", res)
	}
	items, _, err := List(ctx, db, Query{Category: CategoryRegulation})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, it := range items {
		got[it.Title] = it.PublishedDate
	}
	want := map[string]string{
		"《网络数据安全管理条例》施行":       "2025-01-01",
		"会计师事务所数据安全管理暂行办法":     "2024-04-15",
		"《会计师事务所数据安全管理暂行办法》施行": "2024-10-01",
		"促进和规范数据跨境流动规定":        "2024-03-22",
		"未来施行的办法":              "2025-02-01",
		"带长备注的方案":              "2024-07-01",
	}
	if len(got) != len(want) {
		t.Errorf("items %v, want %v", got, want)
	}
	for title, date := range want {
		if got[title] != date {
			t.Errorf("%s: date %q, want %q (all: %v)", title, got[title], date, got)
		}
	}
	for _, it := range items {
		if it.Title == "《网络数据安全管理条例》施行" && (!strings.Contains(it.Summary, "自2025年1月1日起施行") || len(it.RelatedWorks) == 0 || it.RelatedWorks[0] != "wa") {
			t.Errorf("entry into force: %+v", it)
		}
	}
}
