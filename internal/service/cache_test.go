package service

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lixiao/lixiao/internal/cache"
	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/store"
	"github.com/lixiao/lixiao/internal/store/storetest"
	"github.com/redis/go-redis/v9"
)

// clearDorm is a staff-like change through the one change path.
func clearDorm(t *testing.T, h *harness, no string, a domain.Action, reason string) {
	t.Helper()
	_, err := h.svc.change(h.ctx, h.batch.ID, no, func(sh *store.Sheet) error {
		_, err := act(sh, domain.StageDorm, a, store.Change{Source: domain.SourceStaff, Channel: domain.ChannelScan,
			Actor: domain.Actor{ID: "account:1", Role: domain.RoleStaff}, Reason: reason})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func dormStatus(t *testing.T, svc *Service, batchID int64, no string) string {
	t.Helper()
	v, err := svc.progressView(context.Background(), batchID, no)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range v.Stages {
		if s.Code == "dorm" {
			return s.Status
		}
	}
	t.Fatal("no dorm stage")
	return ""
}

func TestProgressCache_InvalidatedAfterCommit(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		if got := dormStatus(t, h.svc, h.batch.ID, "S001"); got != "pending" {
			t.Fatalf("dorm = %s", got)
		}
		vals, _ := h.cache.MGet(h.ctx, progressKey(h.batch.ID, "S001"))
		if vals[0] == nil {
			t.Fatal("progress was not cached")
		}
		clearDorm(t, h, "S001", domain.ActionClear, "")
		if got := dormStatus(t, h.svc, h.batch.ID, "S001"); got != "cleared" {
			t.Fatalf("after clear dorm = %s: stale cache", got)
		}
	})
}

// No write to a clearance may bypass change: it is the only caller of
// store.UpdateClearances in the service.
func TestOneChangePath(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "change.go" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("UpdateClearances(")) {
			t.Errorf("%s calls store.UpdateClearances directly; use s.change so the cache is invalidated", f)
		}
	}
}

// A student must never get an error because Redis is down or slow: progress
// comes from the database, and the outage is logged once.
func TestProgress_RedisDownOrSlow(t *testing.T) {
	hung := storetest.HungServer(t)
	dead, _ := net.Listen("tcp", "127.0.0.1:0")
	deadAddr := dead.Addr().String()
	dead.Close()
	for name, addr := range map[string]string{"slow": hung, "down": deadAddr} {
		t.Run(name, func(t *testing.T) {
			rdb := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: true, MaxRetries: -1,
				DialTimeout: 200 * time.Millisecond})
			defer rdb.Close()
			var logs bytes.Buffer
			guarded := cache.Guard(cache.NewRedis(rdb, "x:"), 50*time.Millisecond, slog.New(slog.NewTextHandler(&logs, nil)))
			h := newHarnessOn(t, storetest.Open(t, "sqlite"), guarded)
			p := h.student("S001")
			for range 3 {
				start := time.Now()
				if _, err := h.svc.MyProgress(h.ctx, p, 0); err != nil {
					t.Fatalf("progress with redis %s: %v", name, err)
				}
				if d := time.Since(start); d > 2*time.Second {
					t.Fatalf("progress took %v with redis %s", d, name)
				}
			}
			clearDorm(t, h, "S001", domain.ActionClear, "")
			if got := dormStatus(t, h.svc, h.batch.ID, "S001"); got != "cleared" {
				t.Fatalf("dorm = %s", got)
			}
			if n := strings.Count(logs.String(), "cache unavailable"); n != 1 {
				t.Fatalf("outage logged %d times, want once:\n%s", n, logs.String())
			}
		})
	}
}

// Two server instances share the database and Redis: once a change commits
// on one, the next read on the other shows it, even while readers race the
// writer to fill the cache.
func TestProgress_FreshAcrossInstances(t *testing.T) {
	for _, driver := range storetest.Drivers(t) {
		t.Run(driver, func(t *testing.T) {
			db := storetest.Open(t, driver)
			rdb, prefix := storetest.Redis(t)
			if rdb == nil {
				t.Skip("TEST_REDIS_ADDR is not set: two instances need a shared Redis")
			}
			a := newHarnessOn(t, db, cache.NewRedis(rdb, prefix))
			b := newHarnessOn(t, db, cache.NewRedis(rdb, prefix))
			ctx, cancel := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			for range 4 { // readers on instance A keep refilling the cache
				wg.Add(1)
				go func() {
					defer wg.Done()
					for ctx.Err() == nil {
						_, _ = a.svc.progressJSON(ctx, a.batch.ID, "S001")
					}
				}()
			}
			want := "pending"
			for i := range 30 {
				if i%2 == 0 {
					clearDorm(t, b, "S001", domain.ActionClear, "")
					want = "cleared"
				} else {
					clearDorm(t, b, "S001", domain.ActionRevoke, "复核")
					want = "pending"
				}
				if got := dormStatus(t, a.svc, a.batch.ID, "S001"); got != want {
					cancel()
					wg.Wait()
					t.Fatalf("round %d: instance A shows dorm %s after B committed %s", i, got, want)
				}
			}
			cancel()
			wg.Wait()
		})
	}
}
