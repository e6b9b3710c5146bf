package embed

import (
	"container/list"
	"sync"
)

// Cache is a bounded least-recently-used map from text keys to vectors,
// safe for concurrent use: vectors computed on the fly (provisions without
// a stored vector, repeated queries) are asked for once.
type Cache struct {
	mu    sync.Mutex
	max   int
	order *list.List // front: most recent
	items map[string]*list.Element
}

type cacheEntry struct {
	key string
	vec []float32
}

// NewCache returns a cache of at most size vectors (at least 1).
func NewCache(size int) *Cache {
	return &Cache{max: max(size, 1), order: list.New(), items: map[string]*list.Element{}}
}

// Get returns the cached vector of key, or nil.
func (c *Cache) Get(key string) []float32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*cacheEntry).vec
	}
	return nil
}

// Put stores the vector of key, dropping the least recently used beyond
// the bound.
func (c *Cache) Put(key string, vec []float32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		e.Value.(*cacheEntry).vec = vec
		c.order.MoveToFront(e)
		return
	}
	c.items[key] = c.order.PushFront(&cacheEntry{key, vec})
	for c.order.Len() > c.max {
		e := c.order.Back()
		c.order.Remove(e)
		delete(c.items, e.Value.(*cacheEntry).key)
	}
}

// Len is the number of cached vectors.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
