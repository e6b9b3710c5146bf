package search

import (
	"math/rand"
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
