package web_test

import (
	"datalex/internal/web/webtest"
	"net/http"
	"regexp"
	"strings"
	"testing"
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
