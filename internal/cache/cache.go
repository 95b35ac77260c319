// Package cache is the shared, disposable cache in front of the database:
// Redis in production, an in-process map for a single embedded instance.
// Nothing in it is the only copy of anything; every reader falls back to
// the database when it misses or fails.
package cache

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Cache is the little the application needs from a cache.
type Cache interface {
	// MGet returns the values of keys; a missing key gives nil.
	MGet(ctx context.Context, keys ...string) ([][]byte, error)
	Set(ctx context.Context, key string, val []byte, ttl time.Duration) error
	Del(ctx context.Context, keys ...string) error
	// Incr increments a counter, creating it at 1 with the ttl.
	Incr(ctx context.Context, key string, ttl time.Duration) (int64, error)
	Ping(ctx context.Context) error
}

// Redis is a Cache on a Redis server shared by every instance.
type Redis struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewRedis returns a Cache on rdb; every key is prefixed with prefix.
func NewRedis(rdb redis.UniversalClient, prefix string) *Redis { return &Redis{rdb: rdb, prefix: prefix} }

func (r *Redis) keys(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = r.prefix + k
	}
	return out
}

// MGet implements Cache.
func (r *Redis) MGet(ctx context.Context, keys ...string) ([][]byte, error) {
	vals, err := r.rdb.MGet(ctx, r.keys(keys)...).Result()
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(vals))
	for i, v := range vals {
		if s, ok := v.(string); ok {
			out[i] = []byte(s)
		}
	}
	return out, nil
}

// Set implements Cache.
func (r *Redis) Set(ctx context.Context, key string, val []byte, ttl time.Duration) error {
	return r.rdb.Set(ctx, r.prefix+key, val, ttl).Err()
}

// Del implements Cache.
func (r *Redis) Del(ctx context.Context, keys ...string) error {
	if len(keys) == 0 {
		return nil
	}
	return r.rdb.Del(ctx, r.keys(keys)...).Err()
}

// Incr implements Cache.
func (r *Redis) Incr(ctx context.Context, key string, ttl time.Duration) (int64, error) {
	var n *redis.IntCmd
	_, err := r.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		n = p.Incr(ctx, r.prefix+key)
		p.Expire(ctx, r.prefix+key, ttl)
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n.Val(), nil
}

// Ping implements Cache.
func (r *Redis) Ping(ctx context.Context) error { return r.rdb.Ping(ctx).Err() }

// Memory is a Cache inside one process, for the embedded single-instance mode.
type Memory struct {
	mu sync.Mutex
	m  map[string]memEntry
}

type memEntry struct {
	val []byte
	exp time.Time
}

// NewMemory returns an empty in-process cache.
func NewMemory() *Memory { return &Memory{m: map[string]memEntry{}} }

func (m *Memory) get(key string, now time.Time) ([]byte, bool) {
	e, ok := m.m[key]
	if !ok || (!e.exp.IsZero() && !now.Before(e.exp)) {
		delete(m.m, key)
		return nil, false
	}
	return e.val, true
}

// MGet implements Cache.
func (m *Memory) MGet(_ context.Context, keys ...string) ([][]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	out := make([][]byte, len(keys))
	for i, k := range keys {
		out[i], _ = m.get(k, now)
	}
	return out, nil
}

// Set implements Cache.
func (m *Memory) Set(_ context.Context, key string, val []byte, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.m) > 100_000 {
		m.m = map[string]memEntry{} // a crude bound: it is only a cache
	}
	m.m[key] = memEntry{val: append([]byte(nil), val...), exp: expiry(ttl)}
	return nil
}

func expiry(ttl time.Duration) time.Time {
	if ttl <= 0 {
		return time.Time{}
	}
	return time.Now().Add(ttl)
}

// Del implements Cache.
func (m *Memory) Del(_ context.Context, keys ...string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, k := range keys {
		delete(m.m, k)
	}
	return nil
}

// Incr implements Cache.
func (m *Memory) Incr(_ context.Context, key string, ttl time.Duration) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	if v, ok := m.get(key, time.Now()); ok {
		for _, c := range v {
			n = n*10 + int64(c-'0')
		}
	}
	n++
	m.m[key] = memEntry{val: []byte(itoa(n)), exp: expiry(ttl)}
	return n, nil
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// Ping implements Cache.
func (m *Memory) Ping(context.Context) error { return nil }

// Guarded bounds every call to a cache by a timeout and logs when the cache
// goes away and when it comes back, once each, so a dead Redis costs each
// request at most the timeout and fills no log.
type Guarded struct {
	c       Cache
	timeout time.Duration
	log     *slog.Logger
	down    atomic.Bool
}

// Guard wraps c.
func Guard(c Cache, timeout time.Duration, log *slog.Logger) *Guarded {
	return &Guarded{c: c, timeout: timeout, log: log}
}

// ErrTimeout is returned when the cache took longer than its budget.
var ErrTimeout = errors.New("cache: timed out")

func (g *Guarded) call(ctx context.Context, fn func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, g.timeout)
	defer cancel()
	err := fn(ctx)
	if err != nil && errors.Is(err, context.DeadlineExceeded) {
		err = ErrTimeout
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		if !g.down.Swap(true) {
			g.log.Warn("cache unavailable, serving from the database", "err", err)
		}
		return err
	}
	if err == nil && g.down.Swap(false) {
		g.log.Info("cache available again")
	}
	return err
}

// Down reports whether the last call failed.
func (g *Guarded) Down() bool { return g.down.Load() }

// MGet implements Cache.
func (g *Guarded) MGet(ctx context.Context, keys ...string) (out [][]byte, err error) {
	err = g.call(ctx, func(ctx context.Context) error { out, err = g.c.MGet(ctx, keys...); return err })
	return out, err
}

// Set implements Cache.
func (g *Guarded) Set(ctx context.Context, key string, val []byte, ttl time.Duration) error {
	return g.call(ctx, func(ctx context.Context) error { return g.c.Set(ctx, key, val, ttl) })
}

// Del implements Cache.
func (g *Guarded) Del(ctx context.Context, keys ...string) error {
	return g.call(ctx, func(ctx context.Context) error { return g.c.Del(ctx, keys...) })
}

// Incr implements Cache.
func (g *Guarded) Incr(ctx context.Context, key string, ttl time.Duration) (n int64, err error) {
	err = g.call(ctx, func(ctx context.Context) error { n, err = g.c.Incr(ctx, key, ttl); return err })
	return n, err
}

// Ping implements Cache.
func (g *Guarded) Ping(ctx context.Context) error {
	return g.call(ctx, func(ctx context.Context) error { return g.c.Ping(ctx) })
}
