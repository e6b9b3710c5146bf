package textseg

import (
	"slices"
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ＰＩＰＬ", "pipl"},
		{"第３８条", "第38条"},
		{"個人資訊處理者", "个人资讯处理者"},
		{"數據出境（一）", "数据出境(一)"},
		{"数据　资产", "数据 资产"},
		{"Data资产", "data资产"},
	}
	for _, tt := range tests {
		got := Fold(tt.in)
		if got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if utf8.RuneCountInString(got) != utf8.RuneCountInString(tt.in) {
			t.Errorf("Fold(%q) changed the rune count", tt.in)
		}
	}
}

func TestWordsUseDomainDictionary(t *testing.T) {
	tests := []struct {
		in   string
		want []string // each must be one word of the segmentation
	}{
		{"企业数据资源入表的会计处理", []string{"入表", "数据资源"}},
		{"向境外提供个人信息的个人信息处理者", []string{"个人信息处理者"}},
		{"重要数据和核心数据的出境", []string{"重要数据", "核心数据"}},
		{"公共数据授权运营管理办法", []string{"公共数据授权运营"}},
		{"敏感个人信息", []string{"敏感个人信息"}},
		{"PIPL第38条", []string{"pipl", "38"}},
		{"数据资产评估指导意见5.3.1条", []string{"5.3.1"}},
	}
	for _, tt := range tests {
		got := Words(Fold(tt.in))
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("Words(%q) = %q, missing %q", tt.in, got, w)
			}
		}
	}
}

func TestIndexTerms(t *testing.T) {
	var got []string
	IndexTerms(Fold("数据跨境流动，入表。PIPL"), func(term string) { got = append(got, term) })
	for _, w := range []string{"跨境", "入表", "数据", "流动", "数", "pipl"} {
		if !slices.Contains(got, w) {
			t.Errorf("IndexTerms missing %q in %q", w, got)
		}
	}
	for _, w := range []string{"动入", "，"} {
		if slices.Contains(got, w) {
			t.Errorf("IndexTerms made a term %q across punctuation: %q", w, got)
		}
	}
}

func TestRunsOffsets(t *testing.T) {
	type run struct {
		text  string
		han   bool
		start int
	}
	var got []run
	Runs("第38条 个人信息(一)", func(r string, han bool, start int) { got = append(got, run{r, han, start}) })
	want := []run{{"第", true, 0}, {"38", false, 1}, {"条", true, 3}, {"个人信息", true, 5}, {"一", true, 10}}
	if !slices.Equal(got, want) {
		t.Errorf("Runs = %v, want %v", got, want)
	}
}

func TestLoadStats(t *testing.T) {
	s := Load()
	if s.Words < 100000 {
		t.Errorf("dictionary has %d words, want the base and domain dictionaries", s.Words)
	}
	t.Logf("gse dictionary: %d words in %v, heap +%.1f MB", s.Words, s.Duration, float64(s.HeapBytes)/1e6)
}
