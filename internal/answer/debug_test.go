package answer

import (
	"context"
	"fmt"
	"os"
	"testing"
)

func TestDebugQuestion(t *testing.T) {
	qs := os.Getenv("DEBUGQ")
	if qs == "" {
		t.Skip()
	}
	a := newFixtureAnswerer(Config{})
	q := analyze(qs, a.lx, a.lib.names, nil)
	a.lib.weigh(q.Groups)
	for _, g := range q.Groups {
		fmt.Printf("group %v %.2f\n", g.Words, g.Weight)
	}
	fmt.Println("docs", q.Documents, "parts", q.Parts, "exp", q.Expanded)
	r, _ := a.retrieve(context.Background(), q)
	for i, c := range r.candidates {
		if i < 6 {
			fmt.Printf("%.3f cov=%.2f best=%.2f rrf=%.4f %s\n", c.final, c.coverage, c.best, c.rrf, c.Citation)
		}
	}
}
