package wechat

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/silenceper/wechat/v2/cache"
)

// redisOpTimeout bounds the SDK's context-free cache calls, so a dead Redis
// slows a WeChat call by at most this much per operation.
const redisOpTimeout = time.Second

// redisCache adapts go-redis v9 to the SDK's cache interfaces (the SDK ships
// an adapter for go-redis v8 only).
type redisCache struct {
	rdb redis.UniversalClient
}

// NewRedisCache lets every instance share one access token through Redis,
// which WeChat's fetch limits require when more than one process runs. Get
// returns a string (the SDK type-asserts string) or nil when missing.
func NewRedisCache(rdb redis.UniversalClient) cache.ContextCache {
	return &redisCache{rdb: rdb}
}

func opContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), redisOpTimeout)
}

func (r *redisCache) Get(key string) any {
	ctx, cancel := opContext()
	defer cancel()
	return r.GetContext(ctx, key)
}

func (r *redisCache) GetContext(ctx context.Context, key string) any {
	s, err := r.rdb.Get(ctx, key).Result()
	if err != nil { // redis.Nil (missing) or Redis unreachable
		return nil
	}
	return s
}

func (r *redisCache) Set(key string, val any, timeout time.Duration) error {
	ctx, cancel := opContext()
	defer cancel()
	return r.SetContext(ctx, key, val, timeout)
}

// SetContext stores val (strings, []byte and numbers as go-redis formats them)
// for timeout. A non-positive timeout means the value is already stale, so
// the key is removed instead of being stored without expiry.
func (r *redisCache) SetContext(ctx context.Context, key string, val any, timeout time.Duration) error {
	if timeout <= 0 {
		return r.rdb.Del(ctx, key).Err()
	}
	return r.rdb.Set(ctx, key, val, timeout).Err()
}

func (r *redisCache) IsExist(key string) bool {
	ctx, cancel := opContext()
	defer cancel()
	return r.IsExistContext(ctx, key)
}

func (r *redisCache) IsExistContext(ctx context.Context, key string) bool {
	n, err := r.rdb.Exists(ctx, key).Result()
	return err == nil && n > 0
}

func (r *redisCache) Delete(key string) error {
	ctx, cancel := opContext()
	defer cancel()
	return r.DeleteContext(ctx, key)
}

func (r *redisCache) DeleteContext(ctx context.Context, key string) error {
	return r.rdb.Del(ctx, key).Err()
}

// memoryCache serialises access to the SDK's cache.Memory, whose Get and
// IsExist read its map without the lock (a data race, and a possible
// "concurrent map read and map write" crash, under concurrent sends).
type memoryCache struct {
	mu  sync.Mutex
	mem *cache.Memory
}

// NewMemoryCache is the single-process token cache used when no Redis is
// configured: the SDK's cache.NewMemory made safe for concurrent use.
func NewMemoryCache() cache.ContextCache {
	return &memoryCache{mem: cache.NewMemory()}
}

func (m *memoryCache) Get(key string) any {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.mem.Get(key)
}

func (m *memoryCache) Set(key string, val any, timeout time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.mem.Set(key, val, timeout)
}

func (m *memoryCache) IsExist(key string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.mem.IsExist(key)
}

func (m *memoryCache) Delete(key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.mem.Delete(key)
}

func (m *memoryCache) GetContext(_ context.Context, key string) any { return m.Get(key) }
func (m *memoryCache) IsExistContext(_ context.Context, key string) bool {
	return m.IsExist(key)
}
func (m *memoryCache) DeleteContext(_ context.Context, key string) error { return m.Delete(key) }
func (m *memoryCache) SetContext(_ context.Context, key string, val any, timeout time.Duration) error {
	return m.Set(key, val, timeout)
}

// tolerantCache keeps WeChat working while the shared cache is down. The SDK
// returns a failed cache Set as the error of the whole API call even though
// it already holds a fresh token; this wrapper logs the failure instead, so a
// Redis outage costs extra stable_token fetches rather than failed sends.
type tolerantCache struct {
	cache.Cache
	log *slog.Logger
}

func (t tolerantCache) Set(key string, val any, timeout time.Duration) error {
	if err := t.Cache.Set(key, val, timeout); err != nil {
		t.log.Warn("wechat: token cache set failed; token not shared", "err", err)
	}
	return nil
}

// deleteToken removes a cached token so the next call refetches it.
func deleteToken(ctx context.Context, c cache.Cache, key string) error {
	if tc, ok := c.(tolerantCache); ok {
		c = tc.Cache
	}
	err := cache.DeleteContext(ctx, c, key)
	if errors.Is(err, redis.Nil) {
		return nil
	}
	return err
}
