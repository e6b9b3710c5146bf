package community

import (
	"context"
	"strings"
	"testing"

	"datalex/internal/library"
	"datalex/internal/selfcheck/checktest"
)

// TestSeedFAQ: a question is posted once, labelled as the platform's and
// quoting its provisions; one whose provisions are not all in the library
// is not posted.
func TestSeedFAQ(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	dsl := &library.Version{ID: "vdsl", WorkID: "wdsl", Kind: library.KindRegulation, Title: "中华人民共和国数据安全法"}
	for i, label := range []string{"第二十一条", "第二十九条", "第三十条"} {
		dsl.Provisions = append(dsl.Provisions, &library.Provision{ID: "vdsl.a" + label, Kind: library.ProvArticle, Label: label, Ord: i,
			Text: label + "　国家建立数据分类分级保护制度（" + label + "原文）。"})
	}
	cat := library.NewCatalog([]*library.Version{dsl})
	for run := range 2 {
		n, err := s.SeedFAQ(ctx, alice, cat)
		if err != nil {
			t.Fatal(err)
		}
		// Only the two questions citing nothing but 数据安全法 articles.
		if want := 2 * (1 - run); n != want {
			t.Errorf("run %d: %d threads, want %d", run+1, n, want)
		}
	}
	ths, total, err := s.ThreadList(ctx, ThreadQuery{})
	if err != nil || total != 2 {
		t.Fatalf("%d threads, %v", total, err)
	}
	for _, th := range ths {
		if !strings.HasPrefix(th.Title, "常见问题：") || !strings.Contains(th.Body, "【平台示例 · 常见问题】") || !strings.Contains(th.Body, "原文）") ||
			!containsTag(th.Tags, "平台示例") || th.AuthorID != alice {
			t.Errorf("thread %q: %q %v", th.Title, th.Body, th.Tags)
		}
		if strings.Contains(th.Body, "第二十一条　国家") {
			t.Errorf("label repeated before the quoted text: %q", th.Body)
		}
	}
}

func containsTag(tags []string, t string) bool {
	for _, x := range tags {
		if x == t {
			return true
		}
	}
	return false
}

// TestFAQsInBundledLibrary: every provision the starter questions cite is
// in the bundled library, so a fresh install posts them all.
func TestFAQsInBundledLibrary(t *testing.T) {
	cat := library.NewCatalog(checktest.BundledVersions(t))
	resolve := CatalogResolver(cat)
	for _, q := range faqs {
		if _, ok := faqBody(q, resolve, cat); !ok {
			for _, ref := range q.Refs {
				if _, _, ok := resolve(ref); !ok {
					t.Errorf("%s: %s not in the bundled library", q.Question, ref)
				}
			}
		}
	}
}
