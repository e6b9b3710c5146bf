package community

import (
	"strings"
	"testing"

	"datalex/internal/news"
	"datalex/internal/textseg"
)

// The snippet cutter works on rune offsets of folded text; hostile or odd
// input must neither panic nor produce markup other than <mark>.
func FuzzNCSnippet(f *testing.F) {
	for _, s := range []string{"数据出境安全评估", "ＡＢＣ全角<script>alert(1)</script>数据", "\x00\xff\xfe数据", "İstanbul 数据 K", strings.Repeat("数据", 500), ""} {
		f.Add(s, "数据")
	}
	f.Fuzz(func(t *testing.T, text, q string) {
		ix := buildNCIndex([]news.IndexRecord{{ID: "news:1", Type: "news", Title: "标题", Text: text}})
		for _, h := range ix.search(q) {
			html := strings.ReplaceAll(strings.ReplaceAll(string(h.Snip), "<mark>", ""), "</mark>", "")
			if strings.ContainsAny(html, "<>") {
				t.Fatalf("markup in snippet: %q", h.Snip)
			}
		}
		_, words := queryGroups(q)
		ncSnippet(text, textseg.Fold(text), words)
	})
}
