package search

import (
	"context"
	"testing"
)

// benchQueries mix layperson questions, keyword queries and citations.
var benchQueries = []string{
	"关键信息基础设施运营者以外的数据处理者向境外提供个人信息需要申报安全评估吗",
	"外国警方要调取存储在境内的数据",
	"数据资源入表 会计处理",
	"数据安全法第二十一条",
	"个人信息保护法 第38条",
	"重要数据 目录",
	"公共数据授权运营",
	"孩子的个人信息需要家长同意吗",
	"个人信息处理者 安全事件 通知",
	"数据交易 不得交易",
}

var benchIndex *Index

func syntheticIndex(b *testing.B) *Index {
	if benchIndex == nil {
		b.StopTimer()
		benchIndex = NewIndex(append(fixture(), SyntheticVersions(fixture(), 60000, 1)...))
		b.StartTimer()
	}
	return benchIndex
}

// BenchmarkSearchTop10 measures one top-10 query over 60k synthetic
// provisions (plus the fixture).
func BenchmarkSearchTop10(b *testing.B) {
	ix := syntheticIndex(b)
	qs := make([]Query, len(benchQueries))
	for i, s := range benchQueries {
		q, err := ParseQuery(s)
		if err != nil {
			b.Fatal(err)
		}
		qs[i] = q
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ix.Search(context.Background(), qs[i%len(qs)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSearchParallel runs queries from all cores.
func BenchmarkSearchParallel(b *testing.B) {
	ix := syntheticIndex(b)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			q, _ := ParseQuery(benchQueries[i%len(benchQueries)])
			if _, err := ix.Search(context.Background(), q); err != nil {
				b.Error(err)
			}
			i++
		}
	})
}

// BenchmarkBuild60k measures index construction over 60k provisions.
func BenchmarkBuild60k(b *testing.B) {
	vs := append(fixture(), SyntheticVersions(fixture(), 60000, 1)...)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		NewIndex(vs)
	}
}
