package service

import (
	"bytes"
	"compress/gzip"
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
	version []byte
	doc     Document
}

// Document is a JSON response body, with its gzip form when one is kept:
// the progress is compressed once per version, not once per request.
type Document struct {
	JSON []byte
	Gzip []byte // nil when no compressed form is kept
}

func gzipOf(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	_, _ = w.Write(b)
	if w.Close() != nil {
		return nil
	}
	return buf.Bytes()
}

func newMemo(max int) *memo { return &memo{max: max, m: make(map[string]memoEntry)} }

func (m *memo) get(key string, version []byte) (Document, bool) {
	m.mu.RLock()
	e, ok := m.m[key]
	m.mu.RUnlock()
	if !ok || !bytes.Equal(e.version, version) {
		return Document{}, false
	}
	return e.doc, true
}

// put keeps body as the progress of version and returns it as a Document.
func (m *memo) put(key string, version, body []byte) Document {
	doc := Document{JSON: body, Gzip: gzipOf(body)}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.m[key]; !ok && len(m.m) >= m.max {
		for k := range m.m { // evict an arbitrary entry: it is only a copy
			delete(m.m, k)
			break
		}
	}
	m.m[key] = memoEntry{version: bytes.Clone(version), doc: doc}
	return doc
}

// seenSession is what this instance remembers of a session it served: the
// cached principal's bytes, their parse, and the progress version key they
// link to. It is a hint only: every request still reads the cache.
type seenSession struct {
	raw  []byte
	p    Principal
	vkey string
}

// sessionMemo bounds the sessions an instance remembers.
type sessionMemo struct {
	mu  sync.RWMutex
	max int
	m   map[string]seenSession
}

func newSessionMemo(max int) *sessionMemo {
	return &sessionMemo{max: max, m: make(map[string]seenSession)}
}

func (m *sessionMemo) get(hash string) (seenSession, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	e, ok := m.m[hash]
	return e, ok
}

func (m *sessionMemo) put(hash string, e seenSession) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.m[hash]; !ok && len(m.m) >= m.max {
		for k := range m.m {
			delete(m.m, k)
			break
		}
	}
	m.m[hash] = e
}
