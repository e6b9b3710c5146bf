package search

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestParseRankerRejectsBadModels(t *testing.T) {
	good := func() *Ranker {
		r := &Ranker{Features: slices.Clone(featureNames), Mean: make([]float64, nFeatures),
			Scale: make([]float64, nFeatures), W: make([]float64, nFeatures), Depth: 100}
		for i := range r.Scale {
			r.Scale[i] = 1
		}
		return r
	}
	tests := []struct {
		name  string
		edit  func(r *Ranker)
		error string
	}{
		{"ok", func(*Ranker) {}, ""},
		{"other features", func(r *Ranker) { r.Features[3] = "x" }, "do not match"},
		{"short weights", func(r *Ranker) { r.W = r.W[:3] }, "do not match"},
		{"zero scale", func(r *Ranker) { r.Scale[2] = 0 }, "scale"},
		{"depth", func(r *Ranker) { r.Depth = MaxK + 1 }, "depth"},
		{"unknown off", func(r *Ranker) { r.Off = []string{"nope"} }, "unknown"},
		// A model fitted before the last features were appended loads
		// with weight 0 for them.
		{"older model", func(r *Ranker) {
			n := nFeatures - 3
			r.Features, r.Mean, r.Scale, r.W = r.Features[:n], r.Mean[:n], r.Scale[:n], r.W[:n]
		}, ""},
		{"older model, other features", func(r *Ranker) {
			n := nFeatures - 3
			r.Features, r.Mean, r.Scale, r.W = r.Features[:n], r.Mean[:n], r.Scale[:n], r.W[:n]
			r.Features[0] = "x"
		}, "do not match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := good()
			tt.edit(r)
			data, err := r.WriteJSON()
			if err != nil {
				t.Fatal(err)
			}
			_, err = ParseRanker(data)
			switch {
			case tt.error == "" && err != nil:
				t.Fatalf("ParseRanker: %v", err)
			case tt.error != "" && (err == nil || !strings.Contains(err.Error(), tt.error)):
				t.Fatalf("ParseRanker error = %v, want %q", err, tt.error)
			}
		})
	}
	if _, err := ParseRanker([]byte("{")); err == nil {
		t.Fatal("truncated JSON accepted")
	}
}

// A feature that marks the gold row must win weight over one that is
// noise, and the fitted model must put gold first on unseen samples.
func TestLearnRankerFindsSignal(t *testing.T) {
	sample := func(seed, gold int) RankSample {
		var s RankSample
		for i := 0; i < 20; i++ {
			row := make([]float32, nFeatures)
			row[0] = float32((i*7 + seed*13) % 11)                       // noise
			row[7] = float32((i*3+seed)%5) * 0.1                         // weak noise
			row[16] = float32(math.Sin(float64(i*seed + 1)))             // noise
			row[8] = map[bool]float32{true: 1, false: 0.2}[i == gold]    // signal
			row[12] = float32(i%4) + map[bool]float32{true: 0.5}[i == 0] // unrelated
			s.Rows = append(s.Rows, row)
			s.Gold = append(s.Gold, i == gold)
		}
		return s
	}
	var train []RankSample
	for q := 0; q < 40; q++ {
		train = append(train, sample(q, (q*5)%20))
	}
	r := LearnRanker(train, 20, 200, 1e-3, []string{"doc_pool"})
	if r.W[8] <= 0 || r.W[8] <= math.Abs(r.W[0]) {
		t.Fatalf("signal weight %.3f, noise weight %.3f", r.W[8], r.W[0])
	}
	if r.W[13] != 0 {
		t.Fatalf("feature left out got weight %.3f", r.W[13])
	}
	for q := 100; q < 110; q++ {
		s := sample(q, q%20)
		if order := r.Rerank(s.Rows); !s.Gold[order[0]] {
			t.Fatalf("question %d: gold not first after re-ranking", q)
		}
	}
}

func TestCandidatesRowsMatchHits(t *testing.T) {
	ix := testIndex()
	hits, rows, err := ix.Candidates(context.Background(), "数据出境 安全评估 个人信息", 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) == 0 || len(rows) != len(hits) {
		t.Fatalf("%d hits, %d rows", len(hits), len(rows))
	}
	for i, row := range rows {
		if len(row) != nFeatures {
			t.Fatalf("row %d has %d features", i, len(row))
		}
		// Rows come in first-stage order: first_rank is log(1+i).
		if want := float32(math.Log1p(float64(i))); math.Abs(float64(row[1]-want)) > 1e-5 {
			t.Fatalf("row %d first_rank %.4f, want %.4f", i, row[1], want)
		}
		if row[7] < 0 || row[7] > 1 || row[0] < 0 || row[0] > 1 {
			t.Fatalf("row %d: coverage %.3f, first_score %.3f out of [0,1]", i, row[7], row[0])
		}
	}
	if rows[0][0] != 1 {
		t.Fatalf("best first-stage candidate has first_score %.3f, want 1", rows[0][0])
	}
}

// An installed ranker decides the order: a model that only likes long
// provisions must rank by length (times the fixed prior), and taking it
// out restores the first stage.
func TestRankerReorders(t *testing.T) {
	ix := NewIndex(fixture())
	search := func() []Hit {
		q, err := ParseQuery("数据 安全")
		if err != nil {
			t.Fatal(err)
		}
		q.K = 20
		res, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		return res.Hits
	}
	ix.SetRanker(nil)
	first := search()
	r := &Ranker{Features: slices.Clone(featureNames), Mean: make([]float64, nFeatures),
		Scale: make([]float64, nFeatures), W: make([]float64, nFeatures), Depth: 100}
	for i := range r.Scale {
		r.Scale[i] = 1
	}
	r.W[16] = 1 // length
	r.Mean[16] = 3.5
	ix.SetRanker(r)
	long := search()
	if len(long) != len(first) || len(long) < 3 {
		t.Fatalf("%d hits with the ranker, %d without", len(long), len(first))
	}
	key := func(h Hit) float64 {
		for i := range ix.units {
			if ix.units[i].p.ID == h.ProvisionID {
				return clipZ(math.Log1p(float64(ix.units[i].runes))-3.5) + math.Log(float64(ix.uPrior[i]))
			}
		}
		t.Fatalf("unit %s not found", h.ProvisionID)
		return 0
	}
	for i := 1; i < len(long); i++ {
		if key(long[i-1]) < key(long[i])-1e-4 {
			t.Fatalf("hit %d (key %.3f) before hit %d (key %.3f)", i-1, key(long[i-1]), i, key(long[i]))
		}
	}
	ix.SetRanker(nil)
	if again := search(); !slices.EqualFunc(again, first, func(a, b Hit) bool { return a.ProvisionID == b.ProvisionID }) {
		t.Fatal("removing the ranker did not restore the first-stage order")
	}
}

// ParseRanker never panics, and a model it accepts scores without NaN.
func FuzzParseRanker(f *testing.F) {
	f.Add(rankFile)
	f.Add([]byte(`{"features":[],"depth":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseRanker(data)
		if err != nil {
			return
		}
		var row [nFeatures]float32
		if s := r.score(&row); math.IsNaN(float64(s)) && !slices.ContainsFunc(r.W, math.IsNaN) && !slices.ContainsFunc(r.Mean, math.IsNaN) {
			t.Fatalf("NaN score from an accepted model")
		}
	})
}

func TestLog1pInt(t *testing.T) {
	for _, n := range []int{-1, 0, 1, 2, 7, 499, 1023, 1024, 5000, 1 << 20} {
		want := float32(math.Log1p(float64(n)))
		if got := log1pInt(n); got != want && !(math.IsNaN(float64(got)) && math.IsNaN(float64(want))) {
			t.Errorf("log1pInt(%d) = %v, want %v", n, got, want)
		}
	}
}
