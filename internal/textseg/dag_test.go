package textseg

import (
	"math/rand"
	"slices"
	"strings"
	"testing"
)

// hanRuns returns the Han runs of folded text, the input cut receives.
func hanRuns(text string) []string {
	var out []string
	Runs(Fold(text), func(run string, han bool, _ int) {
		if han {
			out = append(out, run)
		}
	})
	return out
}

var cutSamples = []string{
	"关键信息基础设施运营者以外的数据处理者，自当年1月1日起累计向境外提供多少个人信息时，需要申报数据出境安全评估？",
	"企业数据资源入表的会计处理",
	"向境外提供个人信息的个人信息处理者应当取得个人的单独同意",
	"国家建立数据分类分级保护制度，根据数据在经济社会发展中的重要程度",
	"孩子的个人信息需要家长同意吗",
	"外国警方要调取存储在境内的数据",
	"公共数据授权运营管理办法（试行）",
	"中华人民共和国个人信息保护法第三十八条",
	"長臂管轄與數據跨境流動",
	"一", "的的的的的的", "数",
}

// randomText strings dictionary words and stray characters together, so
// the DAG meets long words, overlaps and unknown characters.
func randomText(r *rand.Rand, words []string) string {
	var b strings.Builder
	for n := 1 + r.Intn(12); n > 0; n-- {
		if r.Intn(5) == 0 {
			b.WriteRune(rune(0x4e00 + r.Intn(0x9fa5-0x4e00)))
		} else {
			b.WriteString(words[r.Intn(len(words))])
		}
	}
	return b.String()
}

func TestCutMatchesGse(t *testing.T) {
	Load()
	var words []string
	for _, line := range strings.Split(baseDict, "\n")[:20000] {
		if f := strings.Fields(line); len(f) > 0 && len(hanRuns(f[0])) == 1 {
			words = append(words, f[0])
		}
	}
	samples := slices.Clone(cutSamples)
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 3000; i++ {
		samples = append(samples, randomText(r, words))
	}
	for _, s := range samples {
		for _, run := range hanRuns(s) {
			if got, want := cutDAG(run), segmenter.Cut(run, false); !slices.Equal(got, want) {
				t.Fatalf("cutDAG(%q) = %q, gse %q", run, got, want)
			}
			if got, want := cutDAGSearch(run), segmenter.CutSearch(run, false); !slices.Equal(got, want) {
				t.Fatalf("cutDAGSearch(%q) = %q, gse %q", run, got, want)
			}
		}
	}
}

func FuzzCut(f *testing.F) {
	for _, s := range cutSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		Load()
		for _, run := range hanRuns(s) {
			if got, want := cutDAG(run), segmenter.Cut(run, false); !slices.Equal(got, want) {
				t.Errorf("cutDAG(%q) = %q, gse %q", run, got, want)
			}
		}
	})
}

func BenchmarkCut(b *testing.B) {
	Load()
	run := hanRuns(cutSamples[0])[0]
	b.Run("ours", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			cutDAG(run)
		}
	})
	b.Run("gse", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			segmenter.Cut(run, false)
		}
	})
}
