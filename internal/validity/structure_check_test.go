package validity

import (
	"regexp"
	"strings"
	"testing"

	"datalex/internal/library"
	"datalex/internal/selfcheck/checktest"
)

// TestNoSwallowedArticles scans the bundled library for articles and
// chapters the structure missed: a provision whose text holds a further
// line starting 第N条 or 第N章 (tables of contents aside).
func TestNoSwallowedArticles(t *testing.T) {
	re := regexp.MustCompile(`(?m)^第[零〇一二三四五六七八九十百千\d]+[条章]`)
	// The 苏州 draft numbers two articles 第六十条 (source error): the
	// second cannot be a new article without a number of its own.
	known := map[string]bool{"苏州市数据条例（送审稿） 第六十条": true}
	for _, v := range checktest.BundledVersions(t) {
		byID := map[string]*library.Provision{}
		for _, p := range v.Provisions {
			byID[p.ID] = p
		}
		for _, p := range v.Provisions {
			if parent := byID[p.ParentID]; parent != nil && parent.Kind == library.ProvArticle || p.Label == "目录" {
				continue
			}
			for _, l := range re.FindAllStringIndex(p.Text, -1) {
				if l[0] == 0 || known[v.Title+" "+p.Label] {
					continue
				}
				t.Errorf("%s %s holds %q", v.Title, p.Label, strings.SplitN(p.Text[l[0]:], "\n", 2)[0])
			}
		}
	}
}
