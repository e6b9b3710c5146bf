package account

import (
	"container/list"
	"sync"
	"time"
)

// DefaultLimiterCapacity bounds how many keys a limiter remembers. At the
// bound the least recently seen key is forgotten — never all of them, so a
// flood of fresh addresses cannot wipe the counters of the address that is
// actually attacking (it stays recent because it keeps trying).
const DefaultLimiterCapacity = 100_000

// lru is a bounded map from key to value with least-recently-used eviction.
type lru[V any] struct {
	cap   int
	order *list.List // front = most recent; elements hold *entry[V]
	items map[string]*list.Element
}

type entry[V any] struct {
	key string
	val V
}

func newLRU[V any](capacity int) *lru[V] {
	if capacity < 1 {
		capacity = 1
	}
	return &lru[V]{cap: capacity, order: list.New(), items: map[string]*list.Element{}}
}

// get returns a pointer to key's value, creating it, and marks it recent.
func (c *lru[V]) get(key string) *V {
	if el, ok := c.items[key]; ok {
		c.order.MoveToFront(el)
		return &el.Value.(*entry[V]).val
	}
	if c.order.Len() >= c.cap {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.items, old.Value.(*entry[V]).key)
	}
	e := &entry[V]{key: key}
	c.items[key] = c.order.PushFront(e)
	return &e.val
}

func (c *lru[V]) remove(key string) {
	if el, ok := c.items[key]; ok {
		c.order.Remove(el)
		delete(c.items, key)
	}
}

func (c *lru[V]) len() int { return c.order.Len() }

// Limiter throttles attempts per key (a client address) in a sliding
// window: it slows password spraying across many accounts from one address.
type Limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	hits   *lru[[]time.Time]
	now    func() time.Time
}

// NewLimiter allows max attempts per key within window, remembering at
// most DefaultLimiterCapacity keys.
func NewLimiter(max int, window time.Duration) *Limiter {
	return NewLimiterCap(max, window, DefaultLimiterCapacity)
}

// NewLimiterCap is NewLimiter with an explicit memory bound.
func NewLimiterCap(max int, window time.Duration, capacity int) *Limiter {
	return &Limiter{max: max, window: window, hits: newLRU[[]time.Time](capacity), now: time.Now}
}

// Allow records an attempt for key and reports whether it may proceed.
func (l *Limiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	cutoff := now.Add(-l.window)
	hs := l.hits.get(key)
	i := 0
	for i < len(*hs) && (*hs)[i].Before(cutoff) {
		i++
	}
	*hs = (*hs)[i:]
	if len(*hs) >= l.max {
		return false
	}
	*hs = append(*hs, now)
	return true
}

// Len reports how many keys are remembered (for tests and metrics).
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.hits.len()
}

// Backoff delays further login attempts for one (account, address) pair
// after repeated failures, doubling the delay each time. Keying by the pair
// means nobody can lock an account for its owner by failing from elsewhere,
// and keying by the name as typed — known account or not — means the
// response never tells whether an account exists.
type Backoff struct {
	mu    sync.Mutex
	free  int           // failures allowed before any delay
	base  time.Duration // first delay
	max   time.Duration // longest delay
	state *lru[backoffState]
	now   func() time.Time
}

type backoffState struct {
	failures int
	until    time.Time
}

// NewBackoff allows free failures, then waits base, 2·base, 4·base … up to max.
func NewBackoff(free int, base, max time.Duration, capacity int) *Backoff {
	return &Backoff{free: free, base: base, max: max, state: newLRU[backoffState](capacity), now: time.Now}
}

func backoffKey(account, addr string) string { return account + "\x00" + addr }

// Wait reports how long the pair must still wait before its next attempt
// (zero when it may try now).
func (b *Backoff) Wait(account, addr string) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	st := b.state.get(backoffKey(account, addr))
	if d := st.until.Sub(b.now()); d > 0 {
		return d
	}
	return 0
}

// Fail records a failed attempt and returns the delay now imposed.
func (b *Backoff) Fail(account, addr string) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	st := b.state.get(backoffKey(account, addr))
	st.failures++
	over := st.failures - b.free
	if over <= 0 {
		return 0
	}
	d := b.base
	for i := 1; i < over && d < b.max; i++ {
		d *= 2
	}
	d = min(d, b.max)
	st.until = b.now().Add(d)
	return d
}

// Succeed forgets the pair's failures.
func (b *Backoff) Succeed(account, addr string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.state.remove(backoffKey(account, addr))
}
