package search

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"datalex/internal/textseg"
)

// snippet is the snippet of a text with the words to highlight as strings.
func snippet(orig, folded string, words []string) []Segment {
	var fs []finder
	for _, w := range words {
		if highlightable(w) {
			fs = append(fs, newFinder(w, nil))
		}
	}
	return cutSnippet(orig, folded, utf8.RuneCountInString(folded), fs)
}

// snippetRef is the plain rune-slice version of snippet: the reference the
// byte-offset implementation must agree with.
func snippetRef(orig, folded string, words []string) []Segment {
	o, f := []rune(orig), []rune(folded)
	if len(o) != len(f) {
		o = f
	}
	hl := make([]bool, len(f))
	for _, w := range words {
		if w == "" || utf8.RuneCountInString(w) == 1 && w[0] >= utf8.RuneSelf {
			continue
		}
		wr := []rune(w)
		for i := 0; i+len(wr) <= len(f); {
			if slices.Equal(f[i:i+len(wr)], wr) {
				for j := i; j < i+len(wr); j++ {
					hl[j] = true
				}
				i += len(wr)
				continue
			}
			i++
		}
	}
	lo, hi := 0, len(f)
	if len(f) > snippetRunes {
		var marks []span
		for i := 0; i < len(hl); i++ {
			if hl[i] {
				j := i
				for j < len(hl) && hl[j] {
					j++
				}
				marks = append(marks, span{i, j})
				i = j
			}
		}
		lo = bestWindow(marks, len(f), snippetRunes)
		hi = lo + snippetRunes
	}
	var segs []Segment
	if lo > 0 {
		segs = append(segs, Segment{Text: "…"})
	}
	for i := lo; i < hi; {
		j := i
		for j < hi && hl[j] == hl[i] {
			j++
		}
		segs = append(segs, Segment{Text: flatten(string(o[i:j])), Highlight: hl[i]})
		i = j
	}
	if hi < len(f) {
		segs = append(segs, Segment{Text: "…"})
	}
	return segs
}

func TestSnippetMatchesReference(t *testing.T) {
	long := strings.Repeat("无关文字。", 50) + "重要数据目录\n由国家数据安全工作协调机制统筹" + strings.Repeat("其他内容。", 60) + "重要数据"
	tests := []struct {
		orig  string
		words []string
	}{
		{"", []string{"数据"}},
		{"数据出境", nil},
		{"数据出境安全评估", []string{"数据出境", "出境安全", "评估"}},
		{"依照ＰＩＰＬ规定处理個人資訊", []string{"pipl", "个人资讯"}},
		{"境外境外境外", []string{"境外境外", "外境"}},
		{long, []string{"重要数据", "协调机制", "数"}},
		{long, []string{"不存在"}},
		{strings.Repeat("第一条\r\n", 80), []string{"一条"}},
	}
	for _, tt := range tests {
		folded := textseg.Fold(tt.orig)
		got, want := snippet(tt.orig, folded, tt.words), snippetRef(tt.orig, folded, tt.words)
		if !slices.Equal(got, want) {
			t.Errorf("snippet(%.20q, %q)\n got %+v\nwant %+v", tt.orig, tt.words, got, want)
		}
	}
}

func FuzzSnippet(f *testing.F) {
	f.Add("境内的组织不得向外国司法或者执法机构提供", "执法机构", "组织")
	f.Add(strings.Repeat("数据处理者应当依法进行安全评估。", 20), "安全评估", "数据")
	f.Add("依照ＰＩＰＬ规定", "pipl", "规定")
	f.Fuzz(func(t *testing.T, orig, w1, w2 string) {
		if !utf8.ValidString(orig) || !utf8.ValidString(w1) || !utf8.ValidString(w2) {
			return // invalid bytes come out as U+FFFD in the reference only
		}
		folded := textseg.Fold(orig)
		words := []string{textseg.Fold(w1), textseg.Fold(w2)}
		got, want := snippet(orig, folded, words), snippetRef(orig, folded, words)
		if !slices.Equal(got, want) {
			t.Errorf("snippet(%q, %q)\n got %+v\nwant %+v", orig, words, got, want)
		}
	})
}
