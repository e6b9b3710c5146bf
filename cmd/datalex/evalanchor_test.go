package main

import (
	"slices"
	"testing"
)

func TestParseWeights(t *testing.T) {
	cases := []struct {
		in   string
		want []float32
		err  bool
	}{
		{"0,0.3,1", []float32{0, 0.3, 1}, false},
		{" 0.6 ", []float32{0.6}, false},
		{"0,-1", nil, true},
		{"0,x", nil, true},
		{"", nil, true},
	}
	for _, c := range cases {
		got, err := parseWeights(c.in)
		if (err != nil) != c.err || !slices.Equal(got, c.want) {
			t.Errorf("parseWeights(%q) = %v, %v; want %v, error %v", c.in, got, err, c.want, c.err)
		}
	}
}
