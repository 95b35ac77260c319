// Package cache is the shared, disposable cache in front of the database:
// Redis in production, an in-process map for a single embedded instance.
// Nothing in it is the only copy of anything; every reader falls back to
// the database when it misses or fails.
package cache

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strconv"
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
	// Incr adds one to a counter and returns it; a new counter lives for ttl.
	Incr(ctx context.Context, key string, ttl time.Duration) (int64, error)
	// SetNX sets key only if it does not exist and reports whether it did.
	SetNX(ctx context.Context, key string, val []byte, ttl time.Duration) (bool, error)
	// Chain returns the value of key and, in the same round trip, the values
	// of the keys its first line names (space-separated). A value stored for
	// Chain starts with that line; the rest is the caller's. A missing key
	// gives nil values.
	Chain(ctx context.Context, key string) (val []byte, linked [][]byte, err error)
	Ping(ctx context.Context) error
}

// Link prepends the line of linked keys that Chain follows to a value.
func Link(linked []string, val []byte) []byte {
	var b []byte
	for i, k := range linked {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, k...)
	}
	b = append(b, '\n')
	return append(b, val...)
}

// Unlink separates a value stored for Chain into its linked keys and the rest.
func Unlink(v []byte) (keys []string, rest []byte) { return splitLinked(v) }

// splitLinked separates a Chain value into its linked keys and the rest.
func splitLinked(v []byte) (keys []string, rest []byte) {
	i := bytes.IndexByte(v, '\n')
	if i < 0 {
		return nil, v
	}
	for _, k := range bytes.Fields(v[:i]) {
		keys = append(keys, string(k))
	}
	return keys, v[i+1:]
}

// Redis is a Cache on a Redis server shared by every instance.
type Redis struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewRedis returns a Cache on rdb; every key is prefixed with prefix.
func NewRedis(rdb redis.UniversalClient, prefix string) *Redis {
	return &Redis{rdb: rdb, prefix: prefix}
}

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
	_, err := r.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		n = p.Incr(ctx, r.prefix+key)
		p.ExpireNX(ctx, r.prefix+key, ttl)
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n.Val(), nil
}

// SetNX implements Cache.
func (r *Redis) SetNX(ctx context.Context, key string, val []byte, ttl time.Duration) (bool, error) {
	return r.rdb.SetNX(ctx, r.prefix+key, val, ttl).Result()
}

// chainScript fetches a value and the keys named on its first line in one
// round trip. The linked keys are computed inside the script, so this
// needs a single Redis (or one with all keys on one node), not a cluster.
var chainScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if not v then return {false} end
local out = {v}
local nl = string.find(v, '\n', 1, true)
if not nl then return out end
for k in string.gmatch(string.sub(v, 1, nl - 1), '%S+') do
  out[#out + 1] = redis.call('GET', ARGV[1] .. k)
end
return out
`)

// Chain implements Cache.
func (r *Redis) Chain(ctx context.Context, key string) ([]byte, [][]byte, error) {
	res, err := chainScript.Run(ctx, r.rdb, []string{r.prefix + key}, r.prefix).Slice()
	if err != nil {
		return nil, nil, err
	}
	if len(res) == 0 || res[0] == nil {
		return nil, nil, nil
	}
	v, _ := res[0].(string)
	_, rest := splitLinked([]byte(v))
	linked := make([][]byte, len(res)-1)
	for i, x := range res[1:] {
		if s, ok := x.(string); ok {
			linked[i] = []byte(s)
		}
	}
	return rest, linked, nil
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
	e, ok := m.m[key]
	n := int64(0)
	if ok && (e.exp.IsZero() || time.Now().Before(e.exp)) {
		n, _ = strconv.ParseInt(string(e.val), 10, 64)
	} else {
		e = memEntry{exp: expiry(ttl)}
	}
	n++
	e.val = []byte(strconv.FormatInt(n, 10))
	m.m[key] = e
	return n, nil
}

// SetNX implements Cache.
func (m *Memory) SetNX(_ context.Context, key string, val []byte, ttl time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.get(key, time.Now()); ok {
		return false, nil
	}
	m.m[key] = memEntry{val: append([]byte(nil), val...), exp: expiry(ttl)}
	return true, nil
}

// Chain implements Cache.
func (m *Memory) Chain(_ context.Context, key string) ([]byte, [][]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	v, ok := m.get(key, now)
	if !ok {
		return nil, nil, nil
	}
	keys, rest := splitLinked(v)
	linked := make([][]byte, len(keys))
	for i, k := range keys {
		linked[i], _ = m.get(k, now)
	}
	return rest, linked, nil
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
	// lastLog is when an outage was last logged (unix nanoseconds): a cache
	// that flaps under load is logged once a minute, not once a flap.
	lastLog atomic.Int64
}

// logEvery bounds how often a flapping cache is logged.
const logEvery = time.Minute

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
			now := time.Now().UnixNano()
			if last := g.lastLog.Load(); now-last >= int64(logEvery) && g.lastLog.CompareAndSwap(last, now) {
				g.log.Warn("cache unavailable, serving from the database", "err", err)
			}
		}
		return err
	}
	if err == nil && g.down.Swap(false) {
		g.log.Debug("cache available again")
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

// SetNX implements Cache.
func (g *Guarded) SetNX(ctx context.Context, key string, val []byte, ttl time.Duration) (ok bool, err error) {
	err = g.call(ctx, func(ctx context.Context) error { ok, err = g.c.SetNX(ctx, key, val, ttl); return err })
	return ok, err
}

// Chain implements Cache.
func (g *Guarded) Chain(ctx context.Context, key string) (val []byte, linked [][]byte, err error) {
	err = g.call(ctx, func(ctx context.Context) error { val, linked, err = g.c.Chain(ctx, key); return err })
	return val, linked, err
}

// Ping implements Cache.
func (g *Guarded) Ping(ctx context.Context) error {
	return g.call(ctx, func(ctx context.Context) error { return g.c.Ping(ctx) })
}
