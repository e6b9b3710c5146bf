package web

import "sync"

// boundedCache is a concurrent map with a budget: what the snapshot keeps
// of work derived from an immutable library (rendered document pages, page
// layouts), so a crawler walking a library of hundreds of thousands of
// provisions cannot grow the process without limit. Each entry has a cost
// (bytes, or 1 to count entries); when an insert goes over the budget,
// entries are dropped in map order (arbitrary, close to random) until it
// fits. Cheap to keep and correct for immutable values: a dropped entry is
// recomputed on its next use.
type boundedCache[K comparable, V any] struct {
	mu     sync.RWMutex
	m      map[K]cacheEntry[V]
	cost   int64
	budget int64
}

type cacheEntry[V any] struct {
	v    V
	cost int64
}

func newBoundedCache[K comparable, V any](budget int64) *boundedCache[K, V] {
	return &boundedCache[K, V]{m: map[K]cacheEntry[V]{}, budget: budget}
}

func (c *boundedCache[K, V]) get(k K) (V, bool) {
	c.mu.RLock()
	e, ok := c.m[k]
	c.mu.RUnlock()
	return e.v, ok
}

// put stores v under k; a value costing more than the whole budget is not
// kept.
func (c *boundedCache[K, V]) put(k K, v V, cost int64) {
	if cost > c.budget {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[k]; ok {
		c.cost -= old.cost
	}
	for k2, e := range c.m {
		if c.cost+cost <= c.budget {
			break
		}
		delete(c.m, k2)
		c.cost -= e.cost
	}
	c.m[k] = cacheEntry[V]{v, cost}
	c.cost += cost
}

func (c *boundedCache[K, V]) clear() {
	c.mu.Lock()
	clear(c.m)
	c.cost = 0
	c.mu.Unlock()
}

// size returns the number of entries and their total cost.
func (c *boundedCache[K, V]) size() (int, int64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m), c.cost
}
