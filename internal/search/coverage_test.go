package search

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestCoverageTable holds coverage with the table of low-bit sums
// (prepareCoverage) to the bit-by-bit sum, bit for bit, over queries with
// fewer and more groups than the table covers, expansions included.
func TestCoverageTable(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, nGroups := range []int{1, 3, covLoBits, covLoBits + 1, 20, 40, 64} {
		a := analysed{groups: make([]qgroup, nGroups)}
		for i := range a.groups {
			g := &a.groups[i]
			g.weight = float32(r.ExpFloat64()) * 3
			if i >= nGroups/2 && r.IntN(3) == 0 {
				g.expand = true
				a.expMask |= 1 << i
				g.covers = r.Uint64() & (1<<(nGroups/2) - 1)
			} else {
				a.total += g.weight
			}
		}
		b := a
		b.prepareCoverage(nil)
		for range 20000 {
			mask := r.Uint64()
			if nGroups < 64 {
				mask &= 1<<nGroups - 1
			}
			want := a.coverage(mask)
			if got := b.coverage(mask); math.Float32bits(got) != math.Float32bits(want) {
				t.Fatalf("%d groups, mask %x: coverage %v with the table, %v without", nGroups, mask, got, want)
			}
		}
	}
}
