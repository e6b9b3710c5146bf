package search

import (
	"context"
	"testing"
)

// TestBM25Baseline: the baseline ranks by term statistics alone, returns at
// most k hits in score order, and finds nothing for stop words only.
func TestBM25Baseline(t *testing.T) {
	ix := testIndex()
	ctx := context.Background()
	hits, err := ix.BM25(ctx, "关键信息基础设施 运营者 采购", 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) == 0 || len(hits) > 5 {
		t.Fatalf("%d hits", len(hits))
	}
	for i := 1; i < len(hits); i++ {
		if hits[i].Score > hits[i-1].Score {
			t.Fatalf("hits not in score order: %v then %v", hits[i-1].Score, hits[i].Score)
		}
	}
	if hits, _ := ix.BM25(ctx, "的 了 吗", 5); len(hits) != 0 {
		t.Errorf("stop words alone matched %d provisions", len(hits))
	}
	if _, err := ix.BM25(ctx, "数据", 0); err == nil {
		t.Error("k = 0 accepted")
	}
}
