package cache_test

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/lixiao/lixiao/internal/cache"
	"github.com/lixiao/lixiao/internal/store/storetest"
	"github.com/redis/go-redis/v9"
)

// each runs fn on the in-process cache and, when configured, on Redis.
func each(t *testing.T, fn func(t *testing.T, c cache.Cache)) {
	t.Run("memory", func(t *testing.T) { fn(t, cache.NewMemory()) })
	t.Run("redis", func(t *testing.T) {
		rdb, prefix := storetest.Redis(t)
		if rdb == nil {
			t.Skip("TEST_REDIS_ADDR is not set")
		}
		fn(t, cache.NewRedis(rdb, prefix))
	})
}

func TestCache(t *testing.T) {
	each(t, func(t *testing.T, c cache.Cache) {
		ctx := context.Background()
		if err := c.Set(ctx, "a", []byte("1"), time.Minute); err != nil {
			t.Fatal(err)
		}
		vals, err := c.MGet(ctx, "a", "missing")
		if err != nil || string(vals[0]) != "1" || vals[1] != nil {
			t.Fatalf("mget = %q %v", vals, err)
		}
		if ok, err := c.SetNX(ctx, "a", []byte("2"), time.Minute); ok || err != nil {
			t.Fatalf("setnx on an existing key = %v %v", ok, err)
		}
		if ok, err := c.SetNX(ctx, "b", []byte("2"), time.Minute); !ok || err != nil {
			t.Fatalf("setnx on a new key = %v %v", ok, err)
		}
		for want := int64(1); want <= 3; want++ {
			if n, err := c.Incr(ctx, "n", time.Minute); n != want || err != nil {
				t.Fatalf("incr = %d %v, want %d", n, err, want)
			}
		}
		if err := c.Del(ctx, "a", "b"); err != nil {
			t.Fatal(err)
		}
		if vals, _ := c.MGet(ctx, "a"); vals[0] != nil {
			t.Fatal("deleted key still there")
		}
		// Chain follows the keys a value links to, in one call.
		_ = c.Set(ctx, "v1", []byte("version-1"), time.Minute)
		_ = c.Set(ctx, "s", cache.Link([]string{"v1", "gone"}, []byte(`{"who":"me"}`)), time.Minute)
		val, linked, err := c.Chain(ctx, "s")
		if err != nil || string(val) != `{"who":"me"}` || len(linked) != 2 || string(linked[0]) != "version-1" || linked[1] != nil {
			t.Fatalf("chain = %q %q %v", val, linked, err)
		}
		if val, linked, err := c.Chain(ctx, "nothing"); val != nil || linked != nil || err != nil {
			t.Fatalf("chain of a missing key = %q %q %v", val, linked, err)
		}
		// Values expire.
		_ = c.Set(ctx, "short", []byte("x"), 50*time.Millisecond)
		time.Sleep(1100 * time.Millisecond)
		if vals, _ := c.MGet(ctx, "short"); vals[0] != nil {
			t.Fatal("expired key still there")
		}
	})
}

// A hung Redis costs a caller the time budget, not more, and the outage is
// logged once however often it is hit.
func TestGuard(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: storetest.HungServer(t), ContextTimeoutEnabled: true, MaxRetries: -1})
	defer rdb.Close()
	var logs bytes.Buffer
	g := cache.Guard(cache.NewRedis(rdb, ""), 50*time.Millisecond, slog.New(slog.NewTextHandler(&logs, nil)))
	for range 5 {
		start := time.Now()
		if _, err := g.MGet(context.Background(), "k"); err == nil {
			t.Fatal("a hung cache answered")
		}
		if d := time.Since(start); d > 500*time.Millisecond {
			t.Fatalf("call took %v with a 50ms budget", d)
		}
	}
	if !g.Down() || bytes.Count(logs.Bytes(), []byte("cache unavailable")) != 1 {
		t.Fatalf("down=%v, log:\n%s", g.Down(), logs.String())
	}
}
