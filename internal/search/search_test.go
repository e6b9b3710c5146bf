package search

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func mustSearch(t *testing.T, text string, opts ...func(*Query)) *Results {
	t.Helper()
	q, err := ParseQuery(text)
	if err != nil {
		t.Fatalf("ParseQuery(%q): %v", text, err)
	}
	for _, o := range opts {
		o(&q)
	}
	res, err := testIndex().Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%q): %v", text, err)
	}
	return res
}

func TestCitationLookup(t *testing.T) {
	tests := []struct {
		query, doc, label string
	}{
		{"数据安全法第二十一条", "中华人民共和国数据安全法", "第二十一条"},
		{"数据安全法 第21条", "中华人民共和国数据安全法", "第二十一条"},
		{"个人信息保护法 第38条", "中华人民共和国个人信息保护法", "第三十八条"},
		{"《中华人民共和国个人信息保护法》第三十八条第一款", "中华人民共和国个人信息保护法", "第三十八条"},
		{"个保法第三十一条", "中华人民共和国个人信息保护法", "第三十一条"},
		{"PIPL 第31条", "中华人民共和国个人信息保护法", "第三十一条"},
		{"暂行规定 二（一）", "企业数据资源相关会计处理暂行规定", "二、（一）"},
		{"會計處理暫行規定 二、（一）", "企业数据资源相关会计处理暂行规定", "二、（一）"},
		// The final text wins over the draft for a partial name.
		{"公共数据专区授权运营管理办法第二十三条", "北京市公共数据专区授权运营管理办法（试行）", "第二十三条"},
		{"数据跨境流动规定第七条", "促进和规范数据跨境流动规定", "第七条"},
	}
	for _, tt := range tests {
		res := mustSearch(t, tt.query)
		if len(res.Hits) == 0 {
			t.Errorf("%q: no hits", tt.query)
			continue
		}
		h := res.Hits[0]
		if h.Document != tt.doc || h.Label != tt.label || !h.Cited {
			t.Errorf("%q: first hit %s %s (cited %v), want %s %s", tt.query, h.Document, h.Label, h.Cited, tt.doc, tt.label)
		}
	}
}

func TestSplitCitation(t *testing.T) {
	tests := []struct {
		in, title, label string
		ok               bool
	}{
		{"数据安全法第二十一条", "数据安全法", "第二十一条", true},
		{"个人信息保护法 第38条", "个人信息保护法", "第38条", true},
		{"暂行规定 二（一）", "暂行规定", "二(一)", true},
		{"指导意见 三、（二）3", "指导意见", "三、(二)3", true},
		{"金融数据安全 数据安全分级指南 5.3.1", "金融数据安全 数据安全分级指南", "5.3.1", true},
		{"第二十一条", "", "", false},
		{"数据出境安全评估", "", "", false},
	}
	for _, tt := range tests {
		title, label, ok := splitCitation(tt.in)
		if ok != tt.ok || title != tt.title || label != tt.label {
			t.Errorf("splitCitation(%q) = %q, %q, %v; want %q, %q, %v", tt.in, title, label, ok, tt.title, tt.label, tt.ok)
		}
	}
}

func TestLabelKey(t *testing.T) {
	same := [][2]string{
		{"第38条", "第三十八条"},
		{"第10条", "第十条"},
		{"第105条", "第一百零五条"},
		{"第110条", "第一百一十条"},
		{"二（一）", "二、（一）"},
		{"三、（二）3", "三（二） 3"},
	}
	for _, p := range same {
		if labelKey(p[0]) != labelKey(p[1]) {
			t.Errorf("labelKey(%q)=%q != labelKey(%q)=%q", p[0], labelKey(p[0]), p[1], labelKey(p[1]))
		}
	}
}

func TestAliasExpansion(t *testing.T) {
	tests := []struct {
		query, wantDoc, wantLabel string
	}{
		// Layperson words reach the legal term.
		{"外国警方要数据能直接给吗", "中华人民共和国数据安全法", "第三十六条"},
		{"孩子的个人信息要家长同意吗", "中华人民共和国个人信息保护法", "第三十一条"},
		// 出境 ↔ 跨境: the chapter on 跨境提供 answers a question about 出境.
		{"个保法 个人信息出境 条件", "中华人民共和国个人信息保护法", "第三十八条"},
		// Two-character domain term.
		{"数据资源入表", "企业数据资源相关会计处理暂行规定", "二、（一）"},
	}
	for _, tt := range tests {
		res := mustSearch(t, tt.query)
		if len(res.Hits) == 0 || res.Hits[0].Document != tt.wantDoc || res.Hits[0].Label != tt.wantLabel {
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.Citation)
			}
			t.Errorf("%q: hits %q, want %s %s first", tt.query, got, tt.wantDoc, tt.wantLabel)
		}
	}
	exp := defaultAliases.expand("个保法规定的出境")
	var words []string
	for _, e := range exp {
		words = append(words, e.Word)
	}
	for _, w := range []string{"个人信息保护法", "跨境"} {
		if !slices.Contains(words, w) {
			t.Errorf("expand(个保法规定的出境) = %q, missing %q", words, w)
		}
	}
	if full, ok := defaultAliases.resolveDoc("数据二十条"); !ok || !strings.HasPrefix(full, "关于构建数据基础制度") {
		t.Errorf("resolveDoc(数据二十条) = %q, %v", full, ok)
	}
}

func TestPreferCurrentOverDraft(t *testing.T) {
	res := mustSearch(t, "公共数据 分级共享")
	if len(res.Hits) < 2 {
		t.Fatalf("want draft and final, got %d hits", len(res.Hits))
	}
	if res.Hits[0].VersionID != "bj" {
		t.Errorf("first hit from %s, want the final text (bj)", res.Hits[0].VersionID)
	}
}

func TestDemoteNews(t *testing.T) {
	res := mustSearch(t, "向境外提供个人信息 安全评估")
	if len(res.Hits) == 0 || res.Hits[0].DocKind == "news" {
		t.Errorf("news item ranked first: %+v", res.Hits)
	}
}

func TestCatalogueFoundByTitle(t *testing.T) {
	res := mustSearch(t, "数据出境安全评估申报指南")
	found := false
	for _, d := range res.Documents {
		if d.VersionID == "cat" {
			found = true
		}
	}
	if !found {
		t.Errorf("catalogue record not among documents: %+v", res.Documents)
	}
}

func TestSingleLineOffset(t *testing.T) {
	res := mustSearch(t, "申报数据出境安全评估")
	for _, h := range res.Hits {
		if h.VersionID == "xborder" {
			if h.Offset == nil || *h.Offset != 44133 || h.Source != "003.txt" || h.Line != 4 {
				t.Errorf("single-line hit: offset %v source %s line %d", h.Offset, h.Source, h.Line)
			}
			return
		}
		if h.Offset != nil {
			t.Errorf("multi-line source %s has an offset", h.Source)
		}
	}
	t.Errorf("促进和规范数据跨境流动规定 第七条 not found")
}

func TestFacetsAndFilters(t *testing.T) {
	res := mustSearch(t, "应当")
	facet := func(res *Results, key, value string) int {
		for _, f := range res.Facets {
			if f.Key == key {
				for _, v := range f.Values {
					if v.Value == value {
						return v.Count
					}
				}
			}
		}
		return 0
	}
	if n := facet(res, FacetLevel, "法律"); n != 2 {
		t.Errorf("level 法律 count = %d, want 2 (数据安全法, 个人信息保护法)", n)
	}
	if n := facet(res, FacetRegion, "北京"); n != 2 {
		t.Errorf("region 北京 count = %d, want 2", n)
	}
	if n := facet(res, FacetYear, "2021"); n != 2 {
		t.Errorf("year 2021 count = %d, want 2", n)
	}

	tests := []struct {
		filters []string
		want    []string // version ids allowed in hits
	}{
		{[]string{"level=法律"}, []string{"dsl", "pipl"}},
		{[]string{"效力级别=法律", "year=2021"}, []string{"dsl", "pipl"}},
		{[]string{"region=北京", "status=试行"}, []string{"bj"}},
		{[]string{"issuer=财政部"}, []string{"acct"}},
		{[]string{"level=法律,地方政府规章"}, []string{"dsl", "pipl", "bj", "bj-draft"}},
	}
	for _, tt := range tests {
		res := mustSearch(t, "数据", func(q *Query) {
			for _, f := range tt.filters {
				if err := q.AddFilter(f); err != nil {
					t.Fatal(err)
				}
			}
		})
		if len(res.Hits) == 0 {
			t.Errorf("filters %v: no hits", tt.filters)
		}
		for _, h := range res.Hits {
			if !slices.Contains(tt.want, h.VersionID) {
				t.Errorf("filters %v: hit from %s", tt.filters, h.VersionID)
			}
		}
	}
}

func TestSortByDate(t *testing.T) {
	res := mustSearch(t, "数据", func(q *Query) { q.Sort = SortDate; q.K = 50 })
	for i := 1; i < len(res.Hits); i++ {
		if res.Hits[i-1].IssueDate < res.Hits[i].IssueDate {
			t.Fatalf("not newest first: %s before %s", res.Hits[i-1].IssueDate, res.Hits[i].IssueDate)
		}
	}
}

func TestPhraseExcludeTitle(t *testing.T) {
	res := mustSearch(t, `"国家核心数据"`)
	if len(res.Hits) != 1 || res.Hits[0].Label != "第二十一条" {
		t.Errorf("phrase: %d hits", len(res.Hits))
	}
	res = mustSearch(t, "个人信息 -监护人")
	for _, h := range res.Hits {
		if strings.Contains(snippetText(h.Snippet), "监护人") {
			t.Errorf("excluded word in hit %s", h.Citation)
		}
	}
	res = mustSearch(t, "个人信息 title:个人信息保护法")
	for _, h := range res.Hits {
		if h.VersionID != "pipl" {
			t.Errorf("title filter let %s through", h.Document)
		}
	}
}

func TestHighlight(t *testing.T) {
	segs := snippet("境内的组织<script>不得向外国司法或者执法机构提供", "境内的组织<script>不得向外国司法或者执法机构提供", []string{"执法机构", "<script>"})
	if got := snippetText(segs); got != "境内的组织<script>不得向外国司法或者执法机构提供" {
		t.Errorf("snippet text %q changed the source", got)
	}
	var marked []string
	for _, s := range segs {
		if s.Highlight {
			marked = append(marked, s.Text)
		}
	}
	if !slices.Equal(marked, []string{"<script>", "执法机构"}) {
		t.Errorf("highlighted %q", marked)
	}
	// Folding keeps offsets: full-width text is highlighted in its original form.
	segs = snippet("依照ＰＩＰＬ规定", "依照pipl规定", []string{"pipl"})
	if segs[1].Text != "ＰＩＰＬ" || !segs[1].Highlight {
		t.Errorf("full-width highlight: %+v", segs)
	}
	// Long text: a window around the match, with ellipses.
	long := strings.Repeat("无关文字。", 100) + "重要数据目录" + strings.Repeat("其他内容。", 100)
	segs = snippet(long, long, []string{"重要数据"})
	if segs[0].Text != "…" || segs[len(segs)-1].Text != "…" || !strings.Contains(snippetText(segs), "重要数据目录") {
		t.Errorf("long snippet: %q", snippetText(segs))
	}
}

func TestParseQuery(t *testing.T) {
	tests := []struct {
		in      string
		text    string
		phrases []string
		exclude []string
		title   []string
		filters map[string][]string
	}{
		{"数据出境", "数据出境", nil, nil, nil, nil},
		{`"重要数据" 目录`, "重要数据 目录", []string{"重要数据"}, nil, nil, nil},
		{"个人信息 -儿童", "个人信息", nil, []string{"儿童"}, nil, nil},
		{"title:数据安全法 核心数据", "核心数据", nil, nil, []string{"数据安全法"}, nil},
		{"效力级别:法律 year:2021 数据", "数据", nil, nil, nil, map[string][]string{"level": {"法律"}, "year": {"2021"}}},
		{"问题：数据", "问题：数据", nil, nil, nil, nil},
		{`＂入表＂`, "入表", []string{"入表"}, nil, nil, nil},
	}
	for _, tt := range tests {
		q, err := ParseQuery(tt.in)
		if err != nil {
			t.Errorf("ParseQuery(%q): %v", tt.in, err)
			continue
		}
		if q.Text != tt.text || !slices.Equal(q.Phrases, tt.phrases) || !slices.Equal(q.Exclude, tt.exclude) || !slices.Equal(q.Title, tt.title) {
			t.Errorf("ParseQuery(%q) = text %q phrases %q exclude %q title %q", tt.in, q.Text, q.Phrases, q.Exclude, q.Title)
		}
		if len(q.Filters) != len(tt.filters) {
			t.Errorf("ParseQuery(%q) filters %v, want %v", tt.in, q.Filters, tt.filters)
		}
		for k, v := range tt.filters {
			if !slices.Equal(q.Filters[k], v) {
				t.Errorf("ParseQuery(%q) filter %s = %v, want %v", tt.in, k, q.Filters[k], v)
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name string
		in   string
		err  error // nil: must succeed
	}{
		{"empty", "", ErrEmptyQuery},
		{"spaces", "   \t ", ErrEmptyQuery},
		{"punctuation only", "？！。，、；“”《》", ErrNoSearchable},
		{"unbalanced quote", `"数据出境`, nil},
		{"10000 chars", strings.Repeat("数据资产入表", 1700), nil},
		{"lone minus", "- 数据", nil},
		{"invalid utf8", "数据\xff\xfe出境", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseQuery(tt.in)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			if _, err := testIndex().Search(context.Background(), q); err != nil {
				t.Errorf("Search: %v", err)
			}
		})
	}

	var q Query
	if err := q.AddFilter("color=red"); err == nil {
		t.Error("unknown filter key accepted")
	}
	if err := q.AddFilter("year=20x1"); err == nil {
		t.Error("bad year accepted")
	}
	if err := q.AddFilter("level"); err == nil {
		t.Error("filter without = accepted")
	}
	if err := q.SetK(-1); !errors.Is(err, ErrBadK) {
		t.Errorf("SetK(-1) = %v", err)
	}
	if err := q.SetK(1 << 40); err != nil || q.K != MaxK {
		t.Errorf("SetK(huge) = %v, K = %d", err, q.K)
	}
}

func TestParseRequest(t *testing.T) {
	tests := []struct {
		query   string
		wantErr bool
		k       int
	}{
		{"q=数据&k=5", false, 5},
		{"q=数据&k=-1", true, 0},
		{"q=数据&k=abc", true, 0},
		{"q=数据&k=99999999", false, MaxK},
		{"q=", true, 0},
		{"q=数据&sort=date&filter=level%3D法律&region=北京", false, DefaultK},
		{"q=数据&sort=random", true, 0},
		{"q=数据&filter=nope%3D1", true, 0},
		{"q=数据&year=abc", true, 0},
	}
	for _, tt := range tests {
		v, _ := url.ParseQuery(tt.query)
		q, err := ParseRequest(v)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseRequest(%s) err = %v, wantErr %v", tt.query, err, tt.wantErr)
			continue
		}
		if err == nil && q.K != tt.k {
			t.Errorf("ParseRequest(%s) K = %d, want %d", tt.query, q.K, tt.k)
		}
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{
		"数据安全法第二十一条", `"重要数据`, `""`, "-", "--", "title:", "level:法律 -x \"y\"", "暂行规定 二（一）",
		"第38条", "？？？", "\x00\xff", "year:99999", "PIPL 第０条", "((((", "第99999999999999999999条", "数据安全法第一百零五条之一第二款",
	} {
		f.Add(s)
	}
	ix := testIndex()
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s)
		if err != nil {
			return
		}
		if _, err := ix.Search(context.Background(), q); err != nil {
			t.Fatalf("Search(%q): %v", s, err)
		}
	})
}

func TestBrowseByFilter(t *testing.T) {
	res := mustSearch(t, "title:数据安全法")
	if len(res.Hits) != 5 || res.Hits[0].VersionID != "dsl" {
		t.Errorf("title-only query: %d hits", len(res.Hits))
	}
	res = mustSearch(t, "region:北京")
	for _, h := range res.Hits {
		if h.VersionID != "bj" && h.VersionID != "bj-draft" {
			t.Errorf("region filter let %s through", h.VersionID)
		}
	}
	if res.TotalDocs != 2 {
		t.Errorf("TotalDocs = %d, want 2", res.TotalDocs)
	}
}

// TestConcurrentSearch runs queries from several goroutines (run with -race).
func TestConcurrentSearch(t *testing.T) {
	ix := testIndex()
	queries := []string{"数据安全法第二十一条", "外国警方要数据", "个人信息 -儿童", "数据资源入表", "region:北京"}
	done := make(chan error)
	for g := 0; g < 4; g++ {
		go func(g int) {
			for i := 0; i < 50; i++ {
				q, err := ParseQuery(queries[(g+i)%len(queries)])
				if err == nil {
					_, err = ix.Search(context.Background(), q)
				}
				if err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}(g)
	}
	for g := 0; g < 4; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// TestHitsOnly checks that the lean form ranks exactly as the full one.
func TestHitsOnly(t *testing.T) {
	for _, text := range []string{"数据安全法第二十一条", "个保法 个人信息出境 条件", "孩子的个人信息需要家长同意吗", `"国家核心数据"`} {
		full := mustSearch(t, text)
		lean := mustSearch(t, text, func(q *Query) { q.HitsOnly = true })
		if !slices.EqualFunc(full.Hits, lean.Hits, func(a, b Hit) bool {
			return a.ProvisionID == b.ProvisionID && a.Score == b.Score && a.Cited == b.Cited
		}) || full.Total != lean.Total {
			t.Errorf("%s: lean hits differ from full hits", text)
		}
		for _, h := range lean.Hits {
			if h.Snippet != nil {
				t.Errorf("%s: lean hit %s has a snippet", text, h.Citation)
			}
		}
		if len(lean.Documents) != 0 || len(lean.Facets) != 0 {
			t.Errorf("%s: lean results list documents or facets", text)
		}
	}
}
