package web

import (
	"context"
	"runtime"
	"sync"
)

// askGate bounds how many questions are retrieving at once. Retrieval for
// a question ranks far more candidates than a search page and costs
// several times its CPU; left unbounded, a burst of questions takes every
// core and every search and document page behind them waits. A question
// holds a slot until its first event (retrieval done: sources, the first
// words, a refusal) or its end, so a model's slow generation afterwards
// does not hold one.
type askGate struct{ slots chan struct{} }

// newAskGate allows n questions to retrieve at once: 0 means half the
// usable cores (at least one), negative means no bound (nil gate).
func newAskGate(n int) *askGate {
	if n < 0 {
		return nil
	}
	if n == 0 {
		n = max(1, runtime.GOMAXPROCS(0)/2)
	}
	return &askGate{slots: make(chan struct{}, n)}
}

// enter waits for a slot; release gives it back and may be called any
// number of times. A nil gate admits everyone.
func (g *askGate) enter(ctx context.Context) (release func(), err error) {
	if g == nil {
		return func() {}, nil
	}
	select {
	case g.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	var once sync.Once
	return func() { once.Do(func() { <-g.slots }) }, nil
}
