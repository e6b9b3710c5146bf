package search

import (
	"context"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"testing"
)

func TestKthSmallest(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cases := []struct {
		name string
		xs   []uint32
	}{
		{"one", []uint32{3}},
		{"sorted", []uint32{1, 2, 3, 4, 5, 6}},
		{"reversed", []uint32{6, 5, 4, 3, 2, 1}},
		{"all equal", []uint32{2, 2, 2, 2, 2}},
		{"ties", []uint32{1, 3, 3, 2, 3, 1, 2, 3}},
		{"extremes", []uint32{0, 1<<32 - 1, 1 << 31, 0, 1<<32 - 1, 1<<21 - 1, 1 << 21}},
	}
	for _, n := range []int{10, 100, 1000} {
		few, wide, scores := make([]uint32, n), make([]uint32, n), make([]uint32, n)
		for i := range few {
			few[i] = uint32(rng.IntN(n / 5))
			wide[i] = rng.Uint32()
			scores[i] = descKey(rng.Float32() * 100)
		}
		cases = append(cases, []struct {
			name string
			xs   []uint32
		}{{"random few", few}, {"random wide", wide}, {"score keys", scores}}...)
	}
	var hist [1 << 11]int32
	for _, c := range cases {
		want := slices.Clone(c.xs)
		slices.Sort(want)
		for k := 1; k <= len(c.xs); k++ {
			if got := kthSmallest(slices.Clone(c.xs), k, &hist); got != want[k-1] {
				t.Errorf("%s: kthSmallest(k=%d) = %v, want %v", c.name, k, got, want[k-1])
			}
		}
	}
}

func TestDescKey(t *testing.T) {
	xs := []float32{-3, -1, -0.5, 0, 0.25, 1, 2, 1e30}
	for i := 1; i < len(xs); i++ {
		if descKey(xs[i]) >= descKey(xs[i-1]) {
			t.Errorf("descKey(%v) >= descKey(%v): not best first", xs[i], xs[i-1])
		}
	}
	if negZero := float32(math.Copysign(0, -1)); descKey(negZero) != descKey(0) {
		t.Error("descKey(-0) != descKey(0)")
	}
}

// TestTopKKeepsHeapSet: the buffered selection (with its replay when the
// boundary score is tied) keeps exactly the candidates the heap keeps.
func TestTopKKeepsHeapSet(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	cases := []struct {
		name     string
		n, count int
		distinct int // 0: continuous scores
	}{
		{"fewer than n", 10, 7, 0},
		{"continuous", 10, 500, 0},
		{"few ties", 25, 2000, 400},
		{"many ties", 10, 1000, 8},
		{"one score", 5, 300, 1},
		{"n=1 ties", 1, 200, 3},
	}
	for _, c := range cases {
		for trial := range 20 {
			var seq []cand
			for i := range c.count {
				s := 1 + rng.Float32()
				if c.distinct > 0 {
					s = float32(1 + rng.IntN(c.distinct))
				}
				seq = append(seq, cand{u: int32(i), score: s})
			}
			heap := topK{n: c.n}
			for _, x := range seq {
				heap.push(x)
			}
			buf := topK{n: c.n, limit: max(4*c.n, 8)}
			for _, x := range seq {
				if x.score >= buf.thr {
					buf.add(x)
				}
			}
			if !buf.finish() {
				buf = topK{n: c.n}
				for _, x := range seq {
					buf.push(x)
				}
			}
			units := func(cs []cand) []int32 {
				var us []int32
				for _, x := range cs {
					us = append(us, x.u)
				}
				slices.Sort(us)
				return us
			}
			if got, want := units(buf.c), units(heap.c); !slices.Equal(got, want) {
				t.Errorf("%s (trial %d): kept %v, heap keeps %v", c.name, trial, got, want)
			}
		}
	}
}

var (
	synthOnce sync.Once
	synthIx   *Index
)

// TestFirstStageReplay: replaying the first stage through the heap (as a
// tie at the boundary makes a search do) gives the same results as the
// buffered selection, over a library where the pool is a small share of
// the matches and synthetic copies tie often.
func TestFirstStageReplay(t *testing.T) {
	synthOnce.Do(func() { synthIx = NewIndex(append(fixture(), SyntheticVersions(fixture(), 6000, 1)...)) })
	ctx := context.Background()
	before := replays.Load()
	for _, text := range append(slices.Clone(benchQueries), "数据 处理者 安全", "个人信息") {
		for _, k := range []int{10, 100} {
			q, err := ParseQuery(text)
			if err != nil {
				t.Fatal(err)
			}
			q.K = k
			want, err := synthIx.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			forceReplay = true
			got, err := synthIx.Search(ctx, q)
			forceReplay = false
			if err != nil {
				t.Fatal(err)
			}
			want.TookMS, got.TookMS = 0, 0
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%q k=%d: the replayed first stage differs", text, k)
			}
		}
	}
	if replays.Load() == before {
		t.Error("no search replayed its first stage")
	}
}
