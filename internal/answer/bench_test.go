package answer

import (
	"context"
	"os"
	"sort"
	"testing"
	"time"
)

// benchQuestions mix layperson and professional wording, one and two parts.
var benchQuestions = []string{
	"外国法院或者外国警方直接找我们要存在国内服务器上的数据，我们可以直接给吗？",
	"我家孩子11岁，玩的游戏App要收集他的个人信息，需要经过我们家长同意吗？",
	"根据个人信息保护法，向境外提供个人信息需要具备哪些条件之一？另外对个人本人还要履行什么告知和同意义务？",
	"什么样的数据属于国家核心数据？违反国家核心数据管理制度最高会被罚多少？",
	"公司乱用客户的个人信息被查了，情节严重的话最多能罚多少钱？",
	"红烧肉怎么做才好吃？",
}

// BenchmarkAskExtractive measures the embedded answerer end to end
// (analysis, retrieval, rerank, composition, grounding). With
// DATALEX_QA_DATA it runs on the full library and search index; without,
// on the small fixture.
//
//	DATALEX_QA_DATA=/path/to/data go test ./internal/answer -run '^$' -bench AskExtractive -benchtime 200x
func BenchmarkAskExtractive(b *testing.B) {
	var a *Answerer
	if os.Getenv("DATALEX_QA_DATA") != "" {
		cat, r := openEvalLibrary(b)
		start := time.Now()
		a = New(Config{Catalog: cat, Retrieve: r})
		b.Logf("New (term statistics over %d provisions): %v", a.lib.n, time.Since(start))
	} else {
		a = newFixtureAnswerer(Config{})
	}
	ctx := context.Background()
	for _, q := range benchQuestions { // warm caches (dictionary, pools)
		if _, err := a.Ask(ctx, Request{Question: q}); err != nil {
			b.Fatal(err)
		}
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := a.Ask(ctx, Request{Question: benchQuestions[i%len(benchQuestions)]}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
}
