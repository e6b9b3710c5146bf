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
	var a *Answerer
	if os.Getenv("DATALEX_QA_DATA") != "" {
		cat, r := openEvalLibrary(t)
		a = New(Config{Catalog: cat, Retrieve: r})
	} else {
		a = newFixtureAnswerer(Config{})
	}
	q := analyze(qs, a.lx, a.lib.names, nil)
	a.lib.weigh(q.Groups)
	for _, g := range q.Groups {
		fmt.Printf("group %v %.2f\n", g.Words, g.Weight)
	}
	fmt.Println("docs", q.Documents, "parts", q.Parts, "exp", q.Expanded)
	r, _ := a.retrieve(context.Background(), q)
	for i, c := range r.candidates {
		if i < 8 {
			fmt.Printf("%.3f cov=%.2f n=%d best=%.2f rrf=%.4f %s %s\n", c.final, c.coverage, c.covered, c.best, c.rrf, c.Citation, clip(squash(c.Text), 50))
		}
	}
	ans, _ := a.Ask(context.Background(), Request{Question: qs})
	fmt.Println(ans.Text)
}
