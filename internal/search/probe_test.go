package search

import (
	"context"
	"testing"
	"time"
	"syscall"
)

func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestProbe(t *testing.T) {
	vs := append(fixture(), SyntheticVersions(fixture(), 60000, 1)...)
	ix := NewIndex(vs)
	t.Logf("%+v", ix.Stats())
	for _, s := range benchQueries {
		q, _ := ParseQuery(s)
		a := ix.analyseQuery(q.Text)
		n := 0
		for _, g := range a.groups { for _, tm := range g.terms { if tm.body >= 0 { n += len(ix.body.post[tm.body]) } } }
		c0 := cpuNow(); w0 := time.Now()
		for i := 0; i < 20; i++ { ix.Search(context.Background(), q) }
		t.Logf("%-40s postings %7d cpu %v wall %v", s, n, (cpuNow()-c0)/20, time.Since(w0)/20)
	}
}
