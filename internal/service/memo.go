package service

import (
	"bytes"
	"sync"
)

// memo keeps this instance's copies of recently served progress, each
// with the version it was built from. It saves moving the body from Redis
// on every read; the version is still read from Redis on every request,
// so a copy is served only while it is current on every instance.
type memo struct {
	mu  sync.RWMutex
	max int
	m   map[string]memoEntry
}

type memoEntry struct {
	version, body []byte
}

func newMemo(max int) *memo { return &memo{max: max, m: make(map[string]memoEntry)} }

func (m *memo) get(key string, version []byte) ([]byte, bool) {
	m.mu.RLock()
	e, ok := m.m[key]
	m.mu.RUnlock()
	if !ok || !bytes.Equal(e.version, version) {
		return nil, false
	}
	return e.body, true
}

func (m *memo) put(key string, version, body []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.m[key]; !ok && len(m.m) >= m.max {
		for k := range m.m { // evict an arbitrary entry: it is only a copy
			delete(m.m, k)
			break
		}
	}
	m.m[key] = memoEntry{version: bytes.Clone(version), body: body}
}
