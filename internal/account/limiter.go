package account

import (
	"sync"
	"time"
)

// Limiter throttles login attempts per client address (a sliding window),
// complementing the per-account lockout: it slows password spraying across
// many accounts from one address.
type Limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	hits   map[string][]time.Time
	now    func() time.Time
}

// NewLimiter allows max attempts per key within window.
func NewLimiter(max int, window time.Duration) *Limiter {
	return &Limiter{max: max, window: window, hits: map[string][]time.Time{}, now: time.Now}
}

// Allow records an attempt for key and reports whether it may proceed.
func (l *Limiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	cutoff := now.Add(-l.window)
	hs := l.hits[key]
	i := 0
	for i < len(hs) && hs[i].Before(cutoff) {
		i++
	}
	hs = hs[i:]
	if len(l.hits) > 100_000 {
		// Bound memory under a flood of distinct addresses.
		clear(l.hits)
	}
	if len(hs) >= l.max {
		l.hits[key] = hs
		return false
	}
	l.hits[key] = append(hs, now)
	return true
}
