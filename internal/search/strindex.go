package search

import "strings"

// finder finds one needle in folded texts faster than strings.Index.
// strings.Index scans for the needle's first byte, and in Chinese text the
// UTF-8 lead bytes of common characters (0xe4–0xe9) occur every few bytes,
// so it stops at almost every character. A finder scans for the needle's
// rarest byte instead, usually a continuation byte spread over 64 values.
type finder struct {
	needle string
	at     int // offset in needle of the byte scanned for
}

// byteFreq counts the bytes of the indexed texts; a nil table makes
// finders scan for the needle's last byte.
type byteFreq [256]uint32

func (f *byteFreq) add(s string) {
	for i := 0; i < len(s); i++ {
		f[s[i]]++
	}
}

func newFinder(needle string, freq *byteFreq) finder {
	at := len(needle) - 1
	if freq != nil {
		for i := len(needle) - 2; i >= 0; i-- {
			if freq[needle[i]] < freq[needle[at]] {
				at = i
			}
		}
	}
	return finder{needle: needle, at: at}
}

// index returns the byte offset of the first needle in s, or -1.
func (f *finder) index(s string) int {
	n := len(f.needle)
	if n < 2 {
		return strings.Index(s, f.needle)
	}
	c := f.needle[f.at]
	for i := f.at; i < len(s); i++ {
		j := strings.IndexByte(s[i:], c)
		if j < 0 {
			return -1
		}
		i += j
		start := i - f.at
		if start+n > len(s) {
			return -1
		}
		if s[start:start+n] == f.needle {
			return start
		}
	}
	return -1
}

// contains reports whether needle is in s, for one-off tests.
func contains(s, needle string) bool {
	f := newFinder(needle, nil)
	return f.index(s) >= 0
}
