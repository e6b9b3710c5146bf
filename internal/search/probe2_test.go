//go:build devharness

package search

import (
	"context"
	"os"
	"syscall"
	"testing"
	"time"

	"datalex/internal/eval"
	"datalex/internal/store"
	"datalex/internal/textseg"
)

func TestProbeReal(t *testing.T) {
	st, err := store.Open(context.Background(), "/tmp/dlx-real")
	if err != nil {
		t.Fatal(err)
	}
	vs, err := st.LoadLibrary(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	vs = append(vs, SyntheticVersions(vs, 38661, 1)...)
	textseg.Load()
	b0 := cpuNow()
	ix := NewIndex(vs)
	t.Logf("%+v build cpu %v", ix.Stats(), cpuNow()-b0)
	f, _ := os.Open("/work/shared/eval/dev.jsonl")
	qs, _ := eval.Load(f)
	var parsed []Query
	for _, q := range qs {
		p, _ := ParseQuery(q.Question)
		parsed = append(parsed, p)
	}
	c0 := cpuNow()
	for r := 0; r < 20; r++ {
		for _, p := range parsed {
			ix.Search(context.Background(), p)
		}
	}
	t.Logf("cpu/query %v", (cpuNow()-c0)/time.Duration(20*len(parsed)))
}

func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
