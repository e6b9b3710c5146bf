package search

import (
	"context"
	"fmt"
	"math/rand"
	"slices"
	"testing"
)

// TestTfFrom checks the galloping lookup against the binary search for
// ascending documents, as re-scoring asks.
func TestTfFrom(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for _, n := range []int{0, 1, 2, 7, 100, 5000} {
		ix := &invIndex{post: [][]uint32{nil}}
		for d := uint32(0); len(ix.post[0]) < n; d += 1 + uint32(r.Intn(5)) {
			ix.post[0] = append(ix.post[0], d<<8|uint32(1+r.Intn(9)))
		}
		pos := 0
		for doc := uint32(0); doc < uint32(6*n+10); doc += 1 + uint32(r.Intn(8)) {
			if got, want := ix.tfFrom(0, doc, &pos), ix.tf(0, doc); got != want {
				t.Fatalf("n=%d doc=%d: tfFrom %v, tf %v", n, doc, got, want)
			}
		}
	}
}

// TestPoolTFPathsAgree: dense arrays, merging and galloping give the pool
// the same frequencies, so the ranking is the same whichever is used.
func TestPoolTFPathsAgree(t *testing.T) {
	queries := []string{"个人信息处理者 数据 安全评估", "数据", "外国司法机构调取境内数据", "数据资源 入表 会计"}
	run := func(dense bool, ratio int) []string {
		ix := NewIndex(fixture())
		if dense {
			ix.body.buildDense(0)
		} else {
			ix.body.dense = nil
		}
		old := tfMergeRatio
		tfMergeRatio = ratio
		defer func() { tfMergeRatio = old }()
		var out []string
		for _, text := range queries {
			q, err := ParseQuery(text)
			if err != nil {
				t.Fatal(err)
			}
			q.K = 50
			res, err := ix.Search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res.Hits {
				out = append(out, fmt.Sprintf("%s %.6g", h.ProvisionID, h.Score))
			}
		}
		return out
	}
	want := run(false, 0) // galloping only
	if len(want) == 0 {
		t.Fatal("no hits")
	}
	for _, tc := range []struct {
		dense bool
		ratio int
	}{{false, 1 << 20}, {true, 0}, {true, 1 << 20}} {
		if got := run(tc.dense, tc.ratio); !slices.Equal(got, want) {
			t.Errorf("dense %v ratio %d:\n%v\nwant\n%v", tc.dense, tc.ratio, got, want)
		}
	}
}

// TestRescoreFromPoolTFs holds the pool's re-scoring with the frequencies
// of poolTFs (dropped terms, pair gates) to the one galloping through the
// posting lists with cursors: every candidate field, bit for bit.
func TestRescoreFromPoolTFs(t *testing.T) {
	ix := NewIndex(fixture())
	for _, tc := range []struct {
		name, text string
		drop       bool // move the first group's first body term to the dropped terms
	}{
		{"pairs", "数据 出境 安全 评估", false},
		{"dropped", "外国司法机构调取境内数据", true},
		{"dropped and pairs", "数据资源 入表 会计", true},
		{"one word", "数据", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := ix.analyseQuery(tc.text)
			if tc.drop {
				for gi := range a.groups {
					if id := a.groups[gi].terms[0].body; id >= 0 {
						a.dropped = append(a.dropped, droppedTerm{id: id, weight: 1.5, group: gi})
						break
					}
				}
				if len(a.dropped) == 0 {
					t.Fatal("no body term to drop")
				}
			}
			acc := ix.getAccum()
			defer ix.putAccum(acc)
			in := ix.newRankInput(&a, acc, nil)
			if tc.name == "pairs" && len(a.pairs) == 0 {
				t.Fatal("the query has no word pairs")
			}
			var cands []cand
			for u := range ix.units {
				cands = append(cands, cand{u: int32(u), score: 1, raw: 1, factor: 1})
			}
			viaCursors := slices.Clone(cands)
			cur := cursors{dropped: make([]int, len(a.dropped)), pairs: make([]int, len(a.pairs))}
			for i := range viaCursors {
				ix.rescore(&viaCursors[i], &a, &cur, nil, nil)
			}
			tfm := ix.poolTFs(cands, in)
			n := len(in.ids)
			for i := range cands {
				ix.rescore(&cands[i], &a, nil, in, tfm[i*n:(i+1)*n])
			}
			if !slices.Equal(cands, viaCursors) {
				t.Error("re-scoring from poolTFs differs from the cursors'")
			}
			if tc.drop || len(a.pairs) > 0 {
				changed := 0
				for _, c := range cands {
					if c.score != 1 || c.prox != 0 {
						changed++
					}
				}
				if changed == 0 {
					t.Error("no candidate re-scored: the test compares nothing")
				}
			}
		})
	}
}
