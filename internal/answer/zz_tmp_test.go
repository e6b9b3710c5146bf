package answer

import (
	"context"
	"fmt"
	"os"
	"testing"
)

func TestZZCands(t *testing.T) {
	q := os.Getenv("ZZ_Q")
	if q == "" {
		t.Skip()
	}
	cat, retrieve := openEvalLibrary(t)
	a := New(Config{Catalog: cat, Retrieve: retrieve})
	qq := analyze(q, a.lx, a.lib.names, nil)
	a.lib.weigh(qq.Groups)
	for _, g := range qq.Groups {
		fmt.Printf("group %v w=%.2f\n", g.Words, g.Weight)
	}
	fmt.Println("queries:", a.queries(qq))
	r, _ := a.retrieve(context.Background(), qq)
	f := scopeFeaturesOf(r, a.lib)
	fmt.Printf("scope p=%.2f %+v\n", a.scope.prob(f.vector()), f)
	probs := a.cite.choiceProbs(a.citeFeatures(r))
	for i, c := range r.candidates[:min(10, len(r.candidates))] {
		p := 0.0
		if i < len(probs) {
			p = probs[i]
		}
		fmt.Printf("%d %.3f rrf=%.4f cov=%.2f best=%.2f typed=%.2f choice=%.2f %s %s %.60s\n", i, c.final, c.rrf, c.coverage, c.best, c.typed, p, c.Document, c.Label, c.Text)
	}
}
