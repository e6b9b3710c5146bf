package search

import (
	"strings"
	"testing"
)

func TestIndex(t *testing.T) {
	tests := []struct{ s, needle string }{
		{"", ""},
		{"数据", ""},
		{"", "数据"},
		{"数据出境", "数据"},
		{"数据出境", "出境"},
		{"数据出境", "境"},
		{"数据出境", "据出"},
		{"数据出境", "数据出境安全"},
		{"个人信息出境，数据出境", "数据出境"},
		{"依照pipl规定", "pipl"},
		{"第38条", "38条"},
		{"境外境内境外", "境内"},
		{"\xe5\xa2\x83", "\xa2\x83"}, // needle that is not valid UTF-8 on its own
		{"ab\x83\x83", "\x83\x83"},
	}
	var freq byteFreq
	freq.add("数据处理者向境外提供个人信息，应当进行安全评估")
	for _, tt := range tests {
		for _, fr := range []*byteFreq{nil, &freq} {
			f := newFinder(tt.needle, fr)
			if got, want := f.index(tt.s), strings.Index(tt.s, tt.needle); got != want {
				t.Errorf("index(%q, %q) = %d, want %d (at %d)", tt.s, tt.needle, got, want, f.at)
			}
		}
	}
}

func FuzzIndex(f *testing.F) {
	f.Add("个人信息处理者向境外提供个人信息", "境外")
	f.Add("数据出境安全评估办法", "评估办法")
	f.Add("\x83\x83\x83", "\x83\x83")
	f.Add("abc", "")
	var freq byteFreq
	freq.add("数据处理者向境外提供个人信息，应当进行安全评估 PIPL 第38条")
	f.Fuzz(func(t *testing.T, s, needle string) {
		for _, fr := range []*byteFreq{nil, &freq} {
			f := newFinder(needle, fr)
			if got, want := f.index(s), strings.Index(s, needle); got != want {
				t.Errorf("index(%q, %q) = %d, want %d (at %d)", s, needle, got, want, f.at)
			}
		}
	})
}

// BenchmarkIndex compares index with strings.Index on a provision text.
func BenchmarkIndex(b *testing.B) {
	text := strings.Repeat("数据处理者向境外提供在中华人民共和国境内运营中收集和产生的重要数据的，应当依法进行安全评估。", 10)
	for _, bc := range []struct {
		name string
		fn   func(s, needle string) int
	}{
		{"finder", func(s, needle string) int { f := newFinder(needle, nil); return f.index(s) }},
		{"strings", strings.Index},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				bc.fn(text, "数据出境")
			}
		})
	}
}
