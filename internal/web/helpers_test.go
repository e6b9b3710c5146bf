package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"datalex/internal/account"
	"datalex/internal/ingest"
	"datalex/internal/library"
	"datalex/internal/store"
	"datalex/internal/store/storetest"
)

// xssTitle is a document title that must never become markup.
const xssTitle = `<script>alert("t")</script>关于<img src=x onerror=alert(1)>数据的通知`

// testVersions builds a small library that exercises every page feature:
// a statute with chapters, a draft and a trial version of one work (diff),
// a catalogue record, an OCR-flagged text, a hostile title and a document
// of about 170,000 characters.
func testVersions() []*library.Version {
	prov := func(v *library.Version, id, parent, kind, label, heading, text string, depth int) *library.Provision {
		p := &library.Provision{ID: v.ID + "." + id, Kind: kind, Label: label, Heading: heading, Text: text, Depth: depth,
			Ord: len(v.Provisions), Line: len(v.Provisions) + 1, LineEnd: len(v.Provisions) + 1}
		if parent != "" {
			p.ParentID = v.ID + "." + parent
		}
		p.Citation = library.CitationFor(v.Title, label)
		p.Path = label
		v.Provisions = append(v.Provisions, p)
		return p
	}
	dsl := &library.Version{ID: "vdsl", WorkID: "wdsl", Kind: library.KindRegulation, Title: "中华人民共和国数据安全法",
		DocNumber: "主席令第八十四号", Issuers: []string{"全国人民代表大会常务委员会"}, IssueDate: "2021-06-10", EffectiveDate: "2021-09-01",
		Status: library.StatusInForce, Level: library.LevelLaw, Region: "全国", Tags: []string{"数据安全"},
		Sources:    []library.Source{{File: "001_test.txt", FirstLine: 10, LastLine: 120}},
		Provenance: map[string]library.Provenance{"doc_number": {File: "001_test.txt", Line: 11}}, Seq: 1}
	prov(dsl, "c1", "", library.ProvChapter, "第一章", "总则", "第一章 总则", 0)
	prov(dsl, "c1.a1", "c1", library.ProvArticle, "第一条", "", "第一条 为了规范数据处理活动，保障数据安全，促进数据开发利用，制定本法。", 1)
	prov(dsl, "c1.a21", "c1", library.ProvArticle, "第二十一条", "", "第二十一条 国家建立数据分类分级保护制度。关系国家安全的数据属于国家核心数据。", 1)
	prov(dsl, "c1.a31", "c1", library.ProvArticle, "第三十一条", "", "第三十一条 关键信息基础设施的运营者在境内收集和产生的重要数据的数据出境安全管理，适用《中华人民共和国网络安全法》的规定；数据出境应当通过安全评估。", 1)

	gd := &library.Version{ID: "vgd", WorkID: "wgd", Kind: library.KindRegulation, Title: "广东省数据出境安全评估工作指引",
		IssueDate: "2023-03-01", Status: library.StatusInForce, Level: library.LevelNormative, Region: "广东", Seq: 2,
		Sources: []library.Source{{File: "001_test.txt", FirstLine: 200, LastLine: 230}}}
	prov(gd, "o1", "", library.ProvOutline, "一、", "", "一、数据处理者向境外提供重要数据的，应当申报数据出境安全评估。", 0)
	gd.Citations = []library.Citation{{ProvisionID: gd.ID + ".o1", CitedTitle: "中华人民共和国数据安全法", WorkID: "wdsl"}}

	draft := &library.Version{ID: "vbjd", WorkID: "wbj", Kind: library.KindRegulation, Title: "北京市公共数据专区授权运营管理办法（征求意见稿）",
		IssueDate: "2023-07-05", Status: library.StatusDraft, Level: library.LevelNormative, Region: "北京", VersionLabel: "征求意见稿 2023-07-05", Seq: 3}
	prov(draft, "a1", "", library.ProvArticle, "第一条", "", "第一条 为规范公共数据专区授权运营，制定本办法。", 0)
	prov(draft, "a2", "", library.ProvArticle, "第二条", "", "第二条 本办法适用于本市公共数据专区的授权运营活动。", 0)
	prov(draft, "a3", "", library.ProvArticle, "第三条", "", "第三条 专区运营单位应当每年报告运营情况。", 0)
	final := &library.Version{ID: "vbjf", WorkID: "wbj", Kind: library.KindRegulation, Title: "北京市公共数据专区授权运营管理办法（试行）",
		IssueDate: "2023-12-05", Status: library.StatusTrial, Level: library.LevelNormative, Region: "北京", VersionLabel: "试行 2023-12-05", Seq: 4}
	prov(final, "a1", "", library.ProvArticle, "第一条", "", "第一条 为规范公共数据专区授权运营，制定本办法。", 0)
	prov(final, "a2", "", library.ProvArticle, "第二条", "", "第二条 本办法适用于北京市公共数据专区的授权运营活动。", 0)
	prov(final, "a4", "", library.ProvArticle, "第三条", "", "第三条 市大数据主管部门负责统筹协调。", 0)

	cat := &library.Version{ID: "vcat", WorkID: "wcat", Kind: library.KindCatalogue, Title: "上海市数据条例实施细则", IssueDate: "2022-01-01",
		Region: "上海", Flags: []string{library.FlagNoText}, Seq: 5}
	ocr := &library.Version{ID: "vocr", WorkID: "wocr", Kind: library.KindRegulation, Title: "个人金融信息保护技术规范", Level: library.LevelSectorStd,
		Region: "全国", Flags: []string{library.FlagOCRDamaged}, Seq: 6}
	prov(ocr, "k1", "", library.ProvClause, "1", "范围", "1 范围 本标准规定了个人金融信息的安全防护要求。", 0)

	xss := &library.Version{ID: "vxss", WorkID: "wxss", Kind: library.KindRegulation, Title: xssTitle, Region: "全国", Seq: 7,
		DocNumber: `"><script>alert(2)</script>`}
	prov(xss, "a1", "", library.ProvArticle, "第一条", "", `第一条 <b onmouseover=alert(3)>数据</b> 出境 javascript:alert(4)`, 0)

	big := &library.Version{ID: "vbig", WorkID: "wbig", Kind: library.KindRegulation, Title: "大型测试条例", Status: library.StatusInForce,
		Level: library.LevelLocalRegs, Region: "浙江", IssueDate: "2020-01-01", Seq: 8}
	filler := strings.Repeat("数据资源开发利用应当遵守法律法规，尊重社会公德和伦理。", 6) // 156 runes
	for c := 1; c <= 10; c++ {
		cid := fmt.Sprintf("c%d", c)
		prov(big, cid, "", library.ProvChapter, fmt.Sprintf("第%d章", c), "", fmt.Sprintf("第%d章 规定%d", c, c), 0)
		for a := 1; a <= 110; a++ {
			n := (c-1)*110 + a
			prov(big, fmt.Sprintf("%s.a%d", cid, n), cid, library.ProvArticle, fmt.Sprintf("第%d条", n), "", fmt.Sprintf("第%d条 %s", n, filler), 1)
		}
	}
	return []*library.Version{dsl, gd, draft, final, cat, ocr, xss, big}
}

// saveVersions writes versions to the store, grouped into their works.
func saveVersions(t testing.TB, st *store.Store, versions []*library.Version) {
	t.Helper()
	byWork := map[string]*library.Work{}
	var works []*library.Work
	for _, v := range versions {
		w := byWork[v.WorkID]
		if w == nil {
			w = &library.Work{ID: v.WorkID, Title: v.Title}
			byWork[v.WorkID] = w
			works = append(works, w)
		}
		w.Versions = append(w.Versions, v)
	}
	if err := st.SaveImport(context.Background(), nil, works); err != nil {
		t.Fatal(err)
	}
}

// testImport stands in for importer.ImportFiles (which lives behind the
// wip build tag while the seed parsers land): parse, give global ids, save.
func testImport(st *store.Store) ImportFunc {
	return func(ctx context.Context, name string, data []byte) error {
		p, err := ingest.ParseFile(name, data)
		if err != nil {
			return err
		}
		for _, v := range p.Versions {
			v.ID = "v" + library.ShortHash(name, v.Title)[:10]
			v.WorkID = "w" + library.ShortHash(v.Title)[:10]
			v.Seq = 1000
			for _, pr := range v.Provisions {
				pr.ID = v.ID + "." + pr.ID
				if pr.ParentID != "" {
					pr.ParentID = v.ID + "." + pr.ParentID
				}
			}
			for i := range v.Citations {
				if v.Citations[i].ProvisionID != "" {
					v.Citations[i].ProvisionID = v.ID + "." + v.Citations[i].ProvisionID
				}
			}
		}
		return st.SaveImport(ctx, nil, []*library.Work{{ID: p.Versions[0].WorkID, Title: p.Versions[0].Title, Versions: p.Versions}})
	}
}

type testEnv struct {
	srv *Server
	st  *store.Store
	acc *account.Service
	ts  *httptest.Server
}

func newTestEnv(t testing.TB) *testEnv { return newTestEnvWith(t, nil) }

// newTestEnvWith lets a test adjust the configuration.
func newTestEnvWith(t testing.TB, configure func(*Config)) *testEnv {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t)
	saveVersions(t, st, testVersions())
	versions, err := st.LoadLibrary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Import: testImport(st)}
	if configure != nil {
		configure(&cfg)
	}
	srv, err := New(cfg, versions)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &testEnv{srv: srv, st: st, acc: srv.acc, ts: ts}
}

// client is a browser-like HTTP client with a cookie jar that does not
// follow redirects.
type client struct {
	t    testing.TB
	env  *testEnv
	http *http.Client
}

func (e *testEnv) client(t testing.TB) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, env: e, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *client) do(req *http.Request) (int, string, *http.Response) {
	c.t.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp
}

func (c *client) get(path string) (int, string) {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.env.ts.URL+path, nil)
	code, body, _ := c.do(req)
	return code, body
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)">`)

// csrf fetches a page and returns the CSRF token rendered into it.
func (c *client) csrf() string {
	c.t.Helper()
	_, body := c.get("/login")
	m := csrfMeta.FindStringSubmatch(body)
	if m == nil {
		c.t.Fatal("no csrf token on page")
	}
	return m[1]
}

func (c *client) post(path string, form url.Values) (int, string, *http.Response) {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.env.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// postCSRF posts a form with a valid token.
func (c *client) postCSRF(path string, form url.Values) (int, string, *http.Response) {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", c.csrf())
	return c.post(path, form)
}

// login creates a user with role (if needed) and logs the client in.
func (c *client) login(username, role string) {
	c.t.Helper()
	const pw = "correct horse battery"
	if _, err := c.env.acc.ByUsername(context.Background(), username); err != nil {
		if _, err := c.env.acc.Create(context.Background(), username, pw, role); err != nil {
			c.t.Fatal(err)
		}
	}
	code, body, _ := c.postCSRF("/login", url.Values{"username": {username}, "password": {pw}})
	if code != http.StatusSeeOther {
		c.t.Fatalf("login %s: %d %s", username, code, body)
	}
}
