package webtest

// Versions (the small library every page test uses) and the environment
// of the content modules (头条, 盛会, 对话, 我的) with their form helpers.

import (
	"bytes"
	"context"
	"datalex/internal/community"
	"datalex/internal/library"
	"datalex/internal/news"
	"datalex/internal/web"
	communityweb "datalex/internal/web/community"
	eventsweb "datalex/internal/web/events"
	meweb "datalex/internal/web/me"
	newsweb "datalex/internal/web/news"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// XSSTitle is a document title that must never become markup.
const XSSTitle = `<script>alert("t")</script>关于<img src=x onerror=alert(1)>数据的通知`

// Versions builds a small library that exercises every page feature:
// a statute with chapters, a draft and a trial version of one work (diff),
// a catalogue record, an OCR-flagged text, a hostile title and a document
// of about 170,000 characters.
func Versions() []*library.Version {
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

	xss := &library.Version{ID: "vxss", WorkID: "wxss", Kind: library.KindRegulation, Title: XSSTitle, Region: "全国", Seq: 7,
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

// ContentEnv is a server over Versions with 对话, 头条, 盛会 and 我的
// mounted over one community service.
type ContentEnv struct {
	*Env
	Com *community.Service
}

// NewContentEnv builds a ContentEnv; its feed poller may fetch from
// 127.0.0.1 (the tests' feeds).
func NewContentEnv(t testing.TB) *ContentEnv {
	t.Helper()
	var com *community.Service
	env := NewEnv(t, Versions(), nil, func(srv *web.Server) error {
		var err error
		com, err = MountContent(srv)
		return err
	})
	return &ContentEnv{Env: env, Com: com}
}

// MountContent mounts 对话, 头条, 盛会 and 我的 over one new community
// service, as the serve command does; the feed poller may fetch from
// 127.0.0.1 (the tests' feeds).
func MountContent(srv *web.Server) (*community.Service, error) {
	com := community.New(srv.DB())
	p := news.NewPoller(time.Hour)
	p.AllowPrivate = true
	cm, err := communityweb.MountCommunity(srv, communityweb.CommunityDeps{Community: com})
	if err != nil {
		return nil, err
	}
	if err := newsweb.MountNews(srv, newsweb.NewsDeps{Community: com, Poller: p, Changed: cm.Invalidate}); err != nil {
		return nil, err
	}
	if err := eventsweb.MountEvents(srv, eventsweb.EventsDeps{}); err != nil {
		return nil, err
	}
	return com, meweb.MountMe(srv, meweb.MeDeps{Community: com})
}

// UserID returns the id of a user created by Client.Login.
func (e *Env) UserID(t testing.TB, name string) string {
	t.Helper()
	u, err := e.Acc.ByUsername(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// ThreadLoc matches a thread's path and captures its id.
var ThreadLoc = regexp.MustCompile(`^/community/threads/(\d+)`)

// PostThread creates a thread through the form and returns its path.
func (c *Client) PostThread(kind, title, body, tags string) string {
	c.T.Helper()
	code, page, resp := c.PostCSRF("/community/threads", url.Values{"kind": {kind}, "title": {title}, "body": {body}, "tags": {tags}})
	loc := resp.Header.Get("Location")
	if code != http.StatusSeeOther || !ThreadLoc.MatchString(loc) {
		c.T.Fatalf("post thread: %d %s\n%s", code, loc, page)
	}
	return ThreadLoc.FindString(loc)
}

// ThreadID is the id in a thread's path.
func ThreadID(t testing.TB, path string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(ThreadLoc.FindStringSubmatch(path)[1], "%d", &id); err != nil {
		t.Fatal(err)
	}
	return id
}

// PostFile posts a multipart form with a valid CSRF token, fields and a
// file (field "file").
func (c *Client) PostFile(path string, fields map[string]string, name string, data []byte) (int, string) {
	c.T.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.CSRF())
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.Env.TS.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	code, body, _ := c.Do(req)
	return code, body
}

// WithField is a copy of v with k set to val.
func WithField(v url.Values, k, val string) url.Values {
	out := url.Values{}
	for key, vs := range v {
		out[key] = vs
	}
	out.Set(k, val)
	return out
}

// xssMarkers must never appear unescaped in any page.
var xssMarkers = []string{"<script>alert", "<img src=x", "<b onmouseover", "\"><script>"}

// AssertInert fails t when body holds hostile markup unescaped.
func AssertInert(t testing.TB, where, body string) {
	t.Helper()
	for _, m := range xssMarkers {
		if strings.Contains(body, m) {
			t.Errorf("%s: unescaped %q in output", where, m)
		}
	}
}
