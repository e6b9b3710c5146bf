package web_test

import (
	"datalex/internal/web/webtest"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"datalex/internal/library"
)

// TestDocumentSourceIsReadable checks that a document's 来源 names where
// the text comes from (the file, or the compilation's part) and that the
// internal file:line position is kept only in the 元数据出处 details.
func TestDocumentSourceIsReadable(t *testing.T) {
	env := webtest.NewEnv(t, webtest.Versions(), nil, nil)
	code, body := env.Client(t).Get("/documents/vdsl")
	if code != http.StatusOK {
		t.Fatalf("document: %d", code)
	}
	dd := regexp.MustCompile(`<dt>来源</dt><dd>(.*?)</dd>`).FindStringSubmatch(body)
	if dd == nil {
		t.Fatal("no 来源 row")
	}
	if !strings.Contains(dd[1], "001_test.txt") || strings.Contains(dd[1], "行") {
		t.Errorf("来源 = %q, want the file name without line numbers", dd[1])
	}
	details := body[strings.Index(body, "元数据出处"):]
	if !strings.Contains(details, "001_test.txt 第 10–120 行") {
		t.Error("the file position is missing from 元数据出处")
	}
}

// TestDocumentSourceHumanAndLink: a seed document names its compilation
// and part; an official link the source states is offered as a link.
func TestDocumentSourceHumanAndLink(t *testing.T) {
	env := webtest.NewEnv(t, webtest.Versions(), nil, nil)
	v := env.Srv.LibraryVersion("vgd")
	v.Sources = []library.Source{{File: "001_7f2e25d6ce76f700.txt", FirstLine: 200, LastLine: 230}}
	v.Part, v.Subsection = "第三部分 地方政策", "广东"
	v.Provenance = map[string]library.Provenance{"official_link": {File: v.Sources[0].File, Line: 210, Note: "https://www.gd.gov.cn/x?a=1&b=<2>"}}
	code, body := env.Client(t).Get("/documents/vgd")
	if code != http.StatusOK {
		t.Fatalf("document: %d", code)
	}
	dd := regexp.MustCompile(`<dt>来源</dt><dd>(.*?)</dd>`).FindStringSubmatch(body)
	if dd == nil || dd[1] != "《数据资产新赛道全国法规政策汇编（2024版）》 › 第三部分 地方政策 › 广东" {
		t.Errorf("来源 = %q", dd)
	}
	if !strings.Contains(body, `<dt>官方链接</dt><dd><a href="https://www.gd.gov.cn/x?a=1&amp;b=%3c2%3e" rel="noopener noreferrer"`) {
		i := strings.Index(body, "官方链接")
		t.Errorf("official link missing or unescaped: %s", body[max(i, 0):min(len(body), max(i, 0)+300)])
	}
}

// TestAmendedBannerLinksDiff: the banner of a text replaced by a newer
// version of the same work links to the comparison with it.
func TestAmendedBannerLinksDiff(t *testing.T) {
	env := webtest.NewEnv(t, webtest.Versions(), nil, nil)
	v := env.Srv.LibraryVersion("vbjd")
	v.Status, v.Nature = "", library.NatureFormal
	v.Validity, v.ValidityReason = library.ValidityAmended, "已被 2023-12-05 起施行的新版本修改或替代"
	code, body := env.Client(t).Get("/documents/vbjd")
	if code != http.StatusOK {
		t.Fatalf("document: %d", code)
	}
	if !strings.Contains(body, `id="validity-banner"`) || !strings.Contains(body, `href="/documents/vbjd/diff?a=vbjd&amp;b=vbjf">新旧对照</a>`) {
		i := strings.Index(body, "banner")
		t.Errorf("banner lacks the comparison link: %s", body[max(i, 0):min(len(body), max(i, 0)+600)])
	}
}
