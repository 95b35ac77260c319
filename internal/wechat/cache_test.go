package wechat

// No t.Parallel: clients swap the SDK's process-wide HTTP client.

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/silenceper/wechat/v2/cache"
	"github.com/silenceper/wechat/v2/credential"

	"github.com/lixiao/lixiao/internal/wechat/wxfake"
)

// testRedis connects to TEST_REDIS_ADDR. Without it the test skips, unless
// TEST_REQUIRE_SERVICES=1, where a missing or unreachable Redis fails.
func testRedis(t *testing.T) *redis.Client {
	t.Helper()
	required := os.Getenv("TEST_REQUIRE_SERVICES") == "1"
	addr := os.Getenv("TEST_REDIS_ADDR")
	if addr == "" {
		if required {
			t.Fatal("TEST_REQUIRE_SERVICES=1 but TEST_REDIS_ADDR is not set")
		}
		t.Skip("TEST_REDIS_ADDR not set")
	}
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { _ = rdb.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		if required {
			t.Fatalf("Redis at %s unreachable: %v", addr, err)
		}
		t.Skipf("Redis at %s unreachable: %v", addr, err)
	}
	return rdb
}

// uniqueKey returns a key no other run uses, deleted when the test ends.
func uniqueKey(t *testing.T, rdb *redis.Client, name string) string {
	key := fmt.Sprintf("lixiao_test_wechat_%s_%d", name, time.Now().UnixNano())
	t.Cleanup(func() { _ = rdb.Del(context.Background(), key).Err() })
	return key
}

// exerciseCache checks the behaviour the SDK relies on from any token cache.
func exerciseCache(t *testing.T, c cache.ContextCache, key string) {
	t.Helper()
	ctx := context.Background()
	if v := c.Get(key); v != nil {
		t.Fatalf("Get(missing) = %#v, want nil", v)
	}
	if c.IsExist(key) {
		t.Fatal("IsExist(missing) = true")
	}
	if err := c.Set(key, "tok-1", time.Minute); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if s, ok := c.Get(key).(string); !ok || s != "tok-1" {
		t.Fatalf("Get = %#v, want string tok-1", c.Get(key))
	}
	if s, ok := c.GetContext(ctx, key).(string); !ok || s != "tok-1" {
		t.Fatalf("GetContext = %#v, want string tok-1", c.GetContext(ctx, key))
	}
	if !c.IsExist(key) || !c.IsExistContext(ctx, key) {
		t.Fatal("IsExist after Set = false")
	}
	if err := c.Delete(key); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if c.IsExist(key) || c.Get(key) != nil {
		t.Fatal("value still there after Delete")
	}
	if err := c.SetContext(ctx, key, "tok-2", 300*time.Millisecond); err != nil {
		t.Fatalf("SetContext: %v", err)
	}
	if c.Get(key) != "tok-2" {
		t.Fatalf("Get before expiry = %#v", c.Get(key))
	}
	time.Sleep(400 * time.Millisecond)
	if c.Get(key) != nil || c.IsExist(key) {
		t.Fatal("value outlived its TTL")
	}
	if err := c.Set(key, "stale", -time.Second); err != nil {
		t.Fatalf("Set with non-positive TTL: %v", err)
	}
	if c.Get(key) != nil {
		t.Fatal("a value with non-positive TTL was kept")
	}
	if err := c.DeleteContext(ctx, key); err != nil {
		t.Fatalf("DeleteContext(missing): %v", err)
	}
}

func TestRedisCache(t *testing.T) {
	rdb := testRedis(t)
	key := uniqueKey(t, rdb, "cache")
	c := NewRedisCache(rdb)
	exerciseCache(t, c, key)

	// Bytes go in, a string comes out (the SDK panics on []byte).
	if err := c.Set(key, []byte("raw"), time.Minute); err != nil {
		t.Fatalf("Set bytes: %v", err)
	}
	if s, ok := c.Get(key).(string); !ok || s != "raw" {
		t.Fatalf("Get = %#v, want string raw", c.Get(key))
	}
	if err := c.Set(key, "tok", 90*time.Second); err != nil {
		t.Fatal(err)
	}
	ttl := rdb.PTTL(context.Background(), key).Val()
	if ttl <= 80*time.Second || ttl > 90*time.Second {
		t.Fatalf("Redis TTL = %v, want about 90s", ttl)
	}
}

func TestMemoryCache(t *testing.T) {
	exerciseCache(t, NewMemoryCache(), "k")
}

func TestMemoryCacheConcurrent(t *testing.T) {
	c := NewMemoryCache()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 200 {
				key := fmt.Sprintf("k%d", j%5)
				_ = c.Set(key, fmt.Sprint(i), time.Minute)
				_ = c.Get(key)
				_ = c.IsExist(key)
				_ = c.Delete(key)
			}
		})
	}
	wg.Wait()
}

// Two app instances sharing Redis must fetch the access token once.
func TestSharedRedisFetchesTokenOnce(t *testing.T) {
	rdb := testRedis(t)
	fake := wxfake.New()
	defer fake.Close()
	cfg := testConfig(fake)
	cfg.AppID = fmt.Sprintf("wxshared%d", time.Now().UnixNano())
	key := stableTokenKey(credential.CacheKeyMiniProgramPrefix, cfg.AppID)
	t.Cleanup(func() { _ = rdb.Del(context.Background(), key).Err() })

	var clients []Client
	for range 2 {
		cl, err := New(cfg, NewRedisCache(rdb), nil)
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		clients = append(clients, cl)
	}
	for i, cl := range clients {
		msg := SubscribeMessage{ToUser: fmt.Sprintf("o%d", i), TemplateID: "tpl", Data: map[string]string{"thing1": "宿舍"}}
		if err := cl.SendSubscribe(context.Background(), msg); err != nil {
			t.Fatalf("client %d: %v", i, err)
		}
	}
	if n := fake.Count(stablePath); n != 1 {
		t.Fatalf("token fetches = %d, want 1", n)
	}
	if n := len(fake.Subscribes()); n != 2 {
		t.Fatalf("deliveries = %d, want 2", n)
	}
	if v := rdb.Get(context.Background(), key).Val(); v != "tok-1" {
		t.Fatalf("Redis holds %q under %s, want tok-1", v, key)
	}

	// A token rejected on one instance is dropped for both.
	fake.InvalidateTokens()
	if err := clients[1].SendSubscribe(context.Background(), SubscribeMessage{ToUser: "o1", TemplateID: "tpl", Data: map[string]string{"thing1": "x"}}); err != nil {
		t.Fatalf("send after invalidation: %v", err)
	}
	if err := clients[0].SendSubscribe(context.Background(), SubscribeMessage{ToUser: "o0", TemplateID: "tpl", Data: map[string]string{"thing1": "x"}}); err != nil {
		t.Fatalf("other instance after refresh: %v", err)
	}
	if n := fake.Count(stablePath); n != 2 {
		t.Fatalf("token fetches = %d, want 2", n)
	}
}

// With Redis down, sends still work: the token is just not shared.
func TestSendsSurviveRedisOutage(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialerRetries: 1})
	defer rdb.Close()
	cl, fake := newTestClient(t, NewRedisCache(rdb))
	for i := range 2 {
		err := cl.SendSubscribe(context.Background(), SubscribeMessage{ToUser: "oS", TemplateID: "tpl", Data: map[string]string{"thing1": "x"}})
		if err != nil {
			t.Fatalf("send %d with Redis down: %v", i, err)
		}
	}
	if n := len(fake.Subscribes()); n != 2 {
		t.Fatalf("deliveries = %d, want 2", n)
	}
}

// The client is used from many goroutines (outbox workers).
func TestConcurrentSends(t *testing.T) {
	cl, fake := newTestClient(t, nil)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			msg := SubscribeMessage{ToUser: fmt.Sprintf("o%d", i), TemplateID: "tpl", Data: map[string]string{"thing1": "x"}}
			if err := cl.SendSubscribe(context.Background(), msg); err != nil {
				t.Errorf("send %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if n := len(fake.Subscribes()); n != 20 {
		t.Fatalf("deliveries = %d, want 20", n)
	}
	if n := fake.Count(stablePath); n != 1 {
		t.Fatalf("token fetches = %d, want 1", n)
	}
}
