package signing

import (
	"context"
	"sync"
	"time"
)

// pruneEvery bounds how often Remember sweeps expired entries, so each call stays cheap.
const pruneEvery = time.Minute

// MemoryNonces is an in-process NonceStore for tests and single-instance setups; it forgets
// everything on restart, which is safe only because the timestamp window is short.
type MemoryNonces struct {
	mu        sync.Mutex
	seen      map[nonceKey]time.Time // expiry per nonce
	lastPrune time.Time
	now       func() time.Time
}

type nonceKey struct{ keyID, nonce string }

// NewMemoryNonces returns an empty store.
func NewMemoryNonces() *MemoryNonces {
	return &MemoryNonces{seen: make(map[nonceKey]time.Time), now: time.Now}
}

// Remember implements NonceStore. Expired entries count as unseen and are pruned lazily.
func (m *MemoryNonces) Remember(ctx context.Context, keyID, nonce string, ttl time.Duration) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if now.Sub(m.lastPrune) >= pruneEvery {
		for k, exp := range m.seen {
			if !now.Before(exp) {
				delete(m.seen, k)
			}
		}
		m.lastPrune = now
	}
	k := nonceKey{keyID, nonce}
	if exp, ok := m.seen[k]; ok && now.Before(exp) {
		return false, nil
	}
	m.seen[k] = now.Add(ttl)
	return true, nil
}

// Len reports how many nonces are held, expired or not; it lets tests observe pruning.
func (m *MemoryNonces) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.seen)
}
