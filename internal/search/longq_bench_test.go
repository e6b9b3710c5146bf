package search

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"slices"
	"syscall"
	"testing"
	"time"

	"datalex/internal/library"
	"datalex/internal/store"
)

// longQ caches longQuestions: a benchmark function runs more than once.
var longQ struct {
	ix *Index
	qs []Query
}

// longQuestions loads the library and questions the environment names
// (skipping the benchmark otherwise) and indexes the library.
func longQuestions(b *testing.B) (*Index, []Query) {
	dir, file := os.Getenv("DATALEX_BENCH_DATA"), os.Getenv("DATALEX_BENCH_QUERIES")
	if dir == "" || file == "" {
		b.Skip("DATALEX_BENCH_DATA and DATALEX_BENCH_QUERIES not set")
	}
	if longQ.ix != nil {
		return longQ.ix, slices.Clone(longQ.qs)
	}
	b.StopTimer()
	defer b.StartTimer()
	versions := libraryFromDir(b, dir)
	f, err := os.Open(file)
	if err != nil {
		b.Fatal(err)
	}
	var qs []Query
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var rec struct{ Query, Question string }
		if json.Unmarshal(sc.Bytes(), &rec) != nil {
			continue
		}
		if q, err := ParseQuery(rec.Query + rec.Question); err == nil {
			qs = append(qs, q)
		}
	}
	f.Close()
	longQ.ix, longQ.qs = NewIndex(versions), qs
	return longQ.ix, slices.Clone(qs)
}

// libraryFromDir loads the library imported in the data directory dir
// (the real-library benchmarks and dumps).
func libraryFromDir(tb testing.TB, dir string) []*library.Version {
	ctx := context.Background()
	st, err := store.Open(ctx, dir)
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	versions, err := st.LoadLibrary(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	return versions
}

// BenchmarkLongQuestions measures relevance searches of real questions
// over a real library, both given by the environment (skipped otherwise):
//
//	DATALEX_BENCH_DATA=/path/to/data DATALEX_BENCH_QUERIES=stard-train.jsonl \
//	  go test ./internal/search -run - -bench 'LongQuestions$' -benchtime 400x
//
// The query file is JSONL with a "query" or "question" field. The
// sub-benchmarks compare walking and galloping for the pool's term
// frequencies (tfMergeRatio) in one process, so machine load hits both.
func BenchmarkLongQuestions(b *testing.B) {
	ix, qs := longQuestions(b)
	ctx := context.Background()
	ratio := tfMergeRatio
	defer func() { tfMergeRatio = ratio }()
	for range 2 {
		for _, r := range []int{0, 4, 16} {
			b.Run("merge"+string(rune('0'+r/10))+string(rune('0'+r%10)), func(b *testing.B) {
				tfMergeRatio = r
				b.ReportAllocs()
				cpu0 := cpuTime()
				for i := 0; i < b.N; i++ {
					if _, err := ix.Search(ctx, qs[i%len(qs)]); err != nil {
						b.Fatal(err)
					}
				}
				// On a shared machine wall time mostly measures the
				// neighbours; CPU time per search is the steadier figure.
				b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
			})
		}
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkLongQuestionsMin reports, per question, the fastest of b.N
// rounds over all the questions, then the median and mean of those
// minima: on a shared machine the neighbours inflate every average, but
// most questions get at least one quiet run.
//
//	DATALEX_BENCH_DATA=/path/to/data DATALEX_BENCH_QUERIES=dev.jsonl \
//	  go test ./internal/search -run - -bench LongQuestionsMin -benchtime 60x
func BenchmarkLongQuestionsMin(b *testing.B) {
	ix, qs := longQuestions(b)
	ctx := context.Background()
	for i := range qs {
		if err := qs[i].SetK(DefaultK); err != nil {
			b.Fatal(err)
		}
	}
	fastest := make([]time.Duration, len(qs))
	for i := range fastest {
		fastest[i] = time.Hour
	}
	b.ResetTimer()
	for range b.N {
		for i, q := range qs {
			start := time.Now()
			if _, err := ix.Search(ctx, q); err != nil {
				b.Fatal(err)
			}
			fastest[i] = min(fastest[i], time.Since(start))
		}
	}
	var sum time.Duration
	for _, d := range fastest {
		sum += d
	}
	slices.Sort(fastest)
	b.ReportMetric(float64(fastest[len(fastest)/2])/1e6, "p50-min-ms")
	b.ReportMetric(float64(sum)/1e6/float64(len(fastest)), "mean-min-ms")
}
