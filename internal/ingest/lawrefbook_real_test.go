package ingest

import (
	"regexp"
	"strings"
	"testing"

	"datalex/internal/ingest/lawrefbooktest"
	"datalex/internal/library"
)

var reArticleLine = regexp.MustCompile(`(?m)^第[零〇一二三四五六七八九十百千\d]+条`)

// TestRealCivilCode imports the real 民法典 folder (files named 总则.md,
// 物权编.md … without 第X编) and compares its article count with the
// article headings in the source files.
func TestRealCivilCode(t *testing.T) {
	fsys := lawrefbooktest.Load(t, lawrefbooktest.InFolder("民法典"))
	want := 0
	for name, f := range fsys {
		if strings.HasPrefix(name, "民法典/") {
			want += len(reArticleLine.FindAllIndex(f.Data, -1))
		}
	}
	if want < 1200 {
		t.Fatalf("source has %d article headings; snapshot layout changed?", want)
	}
	p, err := ParseLawRefBook(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	var code *library.Version
	for _, v := range p.Versions {
		if v.Title == "中华人民共和国民法典" {
			code = v
		}
	}
	if code == nil {
		t.Fatal("民法典 not parsed")
	}
	got := 0
	last := 0
	for _, pr := range code.Provisions {
		if pr.Kind == library.ProvArticle {
			got++
			n := library.ArticleNumber(pr.Label)
			if n != last+1 {
				t.Errorf("article %s follows 第%d条", pr.Label, last)
			}
			last = n
		}
	}
	// The source has one heading per article (1,260) plus possibly a line
	// that starts with a cross-reference; allow that one.
	if got < want-1 || got > want {
		t.Errorf("民法典: %d articles parsed, %d article headings in the source", got, want)
	}
}

var reSubArticleLine = regexp.MustCompile(`(?m)^第[零〇一二三四五六七八九十百千\d]+条之[一二三四五六七八九十]+`)

// TestRealCriminalLawSubArticles imports the real 刑法: articles inserted
// by amendments (第一百三十三条之一 …) are articles of their own, not text
// run into the article before them, and every one the source heads is kept.
func TestRealCriminalLawSubArticles(t *testing.T) {
	fsys := lawrefbooktest.Load(t, lawrefbooktest.InFolder("刑法"))
	f := fsys["刑法/刑法.md"]
	if f == nil {
		t.Fatal("刑法/刑法.md not in the snapshot")
	}
	want := len(reSubArticleLine.FindAllIndex(f.Data, -1))
	if want < 40 {
		t.Fatalf("source has %d 之N article headings; snapshot layout changed?", want)
	}
	p, err := ParseLawRefBook(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	var code *library.Version
	for _, v := range p.Versions {
		if v.Title == "中华人民共和国刑法" {
			code = v
		}
	}
	if code == nil {
		t.Fatal("刑法 not parsed")
	}
	got := 0
	for _, pr := range code.Provisions {
		if pr.Kind != library.ProvArticle {
			continue
		}
		if strings.Contains(pr.Label, "条之") {
			got++
		}
		switch pr.Label {
		case "第一百三十三条":
			if strings.Contains(pr.Text, "醉酒驾驶") {
				t.Errorf("第一百三十三条 runs on into the next article: %.80s…", pr.Text)
			}
		case "第一百三十三条之一":
			if !strings.Contains(pr.Text, "醉酒驾驶机动车") || pr.ID == "" || !strings.HasSuffix(pr.ID, "a133-1") {
				t.Errorf("第一百三十三条之一: id %q text %.80s…", pr.ID, pr.Text)
			}
		}
	}
	if got != want {
		t.Errorf("%d 之N articles parsed, source heads %d", got, want)
	}
}
