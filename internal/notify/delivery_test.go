package notify

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lixiao/lixiao/internal/store"
	"github.com/lixiao/lixiao/internal/store/storetest"
	"github.com/lixiao/lixiao/internal/wechat"
	"github.com/lixiao/lixiao/internal/wechat/wxfake"
)

// TestHalfOfAllCallsFailForAWhile is the issue's "WeChat fails half of all
// calls for a minute": for failWindow every WeChat call the dispatcher
// makes (token, subscribe, template) fails with probability ½. CI sets
// TEST_NOTIFY_FAILURE_WINDOW=60s and runs it for the full minute with the
// production retry settings, but backoff capped at 30s instead of 5m so the
// test ends soon after the outage (even with the smallest jitter, 8 delays
// add up to more than 60s, so at least 2 of the 10 attempts come after it).
// Without it the test is scaled down to 2s with backoff 50ms doubling to
// 1s, where too the retries outlast the outage: even with the smallest
// jitter, the 10th attempt comes after 2.7s. Either way every notification
// arrives exactly once and none is dead.
func TestHalfOfAllCallsFailForAWhile(t *testing.T) {
	failWindow := 2 * time.Second
	opt := Options{BaseBackoff: 50 * time.Millisecond, MaxBackoff: time.Second, MaxAttempts: 10}
	if v := os.Getenv("TEST_NOTIFY_FAILURE_WINDOW"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("TEST_NOTIFY_FAILURE_WINDOW: %v", err)
		}
		failWindow = d
		opt = Options{BaseBackoff: time.Second, MaxBackoff: 30 * time.Second, MaxAttempts: 10}
	}
	t.Logf("WeChat fails half of all calls for %v", failWindow)
	eachDB(t, func(t *testing.T, h *harness) {
		const students, perStudent = 10, 5
		for i := range students {
			openid := h.bind(studentNo(i))
			if i%2 == 0 {
				h.quota(openid, testTemplates.StageCleared, perStudent)
			} else {
				h.follow("u_"+openid, "oa-"+studentNo(i))
			}
		}
		h.fake.SetSeed(7)
		h.fake.FailRatio(subscribePath, 0.5, wxfake.Fail500)
		h.fake.FailRatio(templatePath, 0.5, wxfake.ErrCode(wechat.ErrCodeBusy))
		h.fake.FailRatio(tokenPath, 0.5, wxfake.HTTPStatus(503))
		start := time.Now()
		for i := range students {
			for _, c := range pendingStages[:perStudent] {
				h.clear(studentNo(i), c)
			}
		}
		d := h.dispatcher(opt)
		run(t, d)
		time.Sleep(failWindow - time.Since(start))
		h.fake.ClearFailures()
		total := students * perStudent
		h.waitSent(total, failWindow+opt.MaxBackoff+20*time.Second)

		failed := 0
		for _, c := range h.fake.Calls() {
			if c.Status >= 500 {
				failed++
			}
		}
		if n := h.count(store.OutboxDead); n != 0 {
			t.Fatalf("%d notifications dead", n)
		}
		got := refs(h.fake.Subscribes())
		for _, m := range h.fake.Templates() {
			got[m.Data[fieldRef]]++
		}
		if len(got) != total {
			t.Fatalf("%d distinct notifications delivered, want %d", len(got), total)
		}
		for r, n := range got {
			if n != 1 {
				t.Fatalf("%s delivered %d times", r, n)
			}
		}
		retried := 0
		for _, r := range h.rows() {
			if r.Attempts > 1 {
				retried++
			}
		}
		if retried == 0 {
			t.Fatal("no notification needed a retry: the failures were not injected")
		}
		t.Logf("%d notifications, %d needed retries; %d WeChat calls, %d of them 5xx (plus errcode -1 answers); all delivered once after %v",
			total, retried, len(h.fake.Calls()), failed, time.Since(start).Round(time.Millisecond))
	})
}

// countingClient counts the messages a dispatcher's client sent.
type countingClient struct {
	wechat.Client
	n atomic.Int64
}

func (c *countingClient) SendSubscribe(ctx context.Context, m wechat.SubscribeMessage) error {
	c.n.Add(1)
	return c.Client.SendSubscribe(ctx, m)
}

// TestTwoDispatchers runs two instances (two connection pools, two owners)
// on the same database with 200 events: every event is delivered exactly
// once and each student's messages arrive in order. On MySQL this is the
// SKIP LOCKED claim under contention.
func TestTwoDispatchers(t *testing.T) {
	for _, driver := range storetest.Drivers(t) {
		t.Run(driver, func(t *testing.T) {
			const students, perStudent = 40, 5
			h := newHarness(t, driver, students)
			for i := range students {
				h.quota(h.bind(studentNo(i)), testTemplates.StageCleared, perStudent)
			}
			for _, c := range pendingStages[:perStudent] {
				for i := range students {
					h.clear(studentNo(i), c)
				}
			}
			other, err := store.Open(driver, h.dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { other.Close() })
			c1, c2 := &countingClient{Client: h.wx}, &countingClient{Client: h.wx}
			opt := Options{Batch: 10, PollInterval: 10 * time.Millisecond, Templates: testTemplates}
			opt.Owner = "instance-1"
			d1 := New(h.db, c1, opt, quietLog())
			opt.Owner = "instance-2"
			d2 := New(other, c2, opt, quietLog())
			run(t, d1, d2)
			h.waitSent(students*perStudent, 30*time.Second)

			subs := h.fake.Subscribes()
			got := refs(subs)
			if len(subs) != students*perStudent || len(got) != students*perStudent {
				t.Fatalf("%d messages, %d distinct, want %d each", len(subs), len(got), students*perStudent)
			}
			last := map[string]int64{}
			for _, m := range subs {
				id, _ := strconv.ParseInt(strings.TrimPrefix(m.Data[fieldRef], "LX"), 10, 64)
				if id <= last[m.ToUser] {
					t.Fatalf("%s got LX%d after LX%d", m.ToUser, id, last[m.ToUser])
				}
				last[m.ToUser] = id
			}
			if c1.n.Load() == 0 || c2.n.Load() == 0 {
				t.Fatalf("instance 1 sent %d, instance 2 sent %d: both should have worked", c1.n.Load(), c2.n.Load())
			}
			t.Logf("instance 1 sent %d, instance 2 sent %d", c1.n.Load(), c2.n.Load())
		})
	}
}

// testClock is a settable clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// TestKilledBetweenSendAndMark documents the at-least-once behaviour: a
// dispatcher that dies after WeChat accepted a message but before marking
// the row leaves it leased; once the lease runs out another dispatcher sends
// it again. The duplicate is limited: nothing happens before the lease ends,
// the inbox still has one entry, and both messages carry the same reference
// so the student can see it is a repeat.
func TestKilledBetweenSendAndMark(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		no := studentNo(0)
		h.quota(h.bind(no), testTemplates.StageCleared, 2)
		h.clear(no, pendingStages[0])
		clock := &testClock{t: time.Now()}
		killed := h.dispatcher(Options{Owner: "killed", Now: clock.Now, Lease: 30 * time.Second})
		rescuer := h.dispatcher(Options{Owner: "rescuer", Now: clock.Now, Lease: 30 * time.Second})

		rows, err := h.db.ClaimOutbox(h.ctx, "killed", 10, 30*time.Second, clock.Now())
		if err != nil || len(rows) != 1 {
			t.Fatalf("claim: %v %v", rows, err)
		}
		if err := h.db.AddNotifications(h.ctx, inboxOf(rows)); err != nil {
			t.Fatal(err)
		}
		if via, err := killed.deliver(h.ctx, rows[0]); err != nil || via != ViaSubscribe {
			t.Fatalf("deliver: %q %v", via, err)
		} // ... and the process dies here, before MarkSent.

		clock.Advance(29 * time.Second)
		if n, _ := rescuer.RunOnce(h.ctx); n != 0 {
			t.Fatal("the row was taken over before its lease ended")
		}
		clock.Advance(2 * time.Second)
		if n, _ := rescuer.RunOnce(h.ctx); n != 1 {
			t.Fatal("the row was not taken over after its lease ended")
		}
		subs := h.fake.Subscribes()
		if len(subs) != 2 || subs[0].Data[fieldRef] != ref(rows[0].ID) || subs[1].Data[fieldRef] != ref(rows[0].ID) {
			t.Fatalf("messages %+v, want the same message twice with reference %s", subs, ref(rows[0].ID))
		}
		if inbox := h.inbox(no); len(inbox) != 1 {
			t.Fatalf("inbox holds %d entries, want 1", len(inbox))
		}
		row := h.rows()[0]
		if row.Status != store.OutboxSent || row.Attempts != 2 {
			t.Fatalf("row %s after %d attempts", row.Status, row.Attempts)
		}
		if err := h.db.MarkSent(h.ctx, row.ID, "killed", ViaSubscribe, clock.Now()); !errors.Is(err, store.ErrLeaseLost) {
			t.Fatalf("a late mark by the dead owner: %v, want ErrLeaseLost", err)
		}
	})
}

// slowClient is WeChat taking `took` (on the test clock) for each message.
type slowClient struct {
	wechat.Client
	clock *testClock
	took  time.Duration
}

func (c *slowClient) SendSubscribe(ctx context.Context, m wechat.SubscribeMessage) error {
	c.clock.Advance(c.took)
	return c.Client.SendSubscribe(ctx, m)
}

// TestSlowBatchReleasesLateRows: when WeChat is so slow that a batch
// outlasts half the lease, the rows not yet started are handed back instead
// of being sent while another instance may already take them over.
func TestSlowBatchReleasesLateRows(t *testing.T) {
	h := newHarness(t, "sqlite", 3)
	for i := range 3 {
		h.quota(h.bind(studentNo(i)), testTemplates.StageCleared, 1)
		h.clear(studentNo(i), pendingStages[0])
	}
	clock := &testClock{t: time.Now()}
	d := New(h.db, &slowClient{Client: h.wx, clock: clock, took: 600 * time.Millisecond},
		Options{Batch: 3, Concurrency: 1, Lease: time.Second, Now: clock.Now, Templates: testTemplates}, quietLog())
	if n, err := d.RunOnce(h.ctx); err != nil || n != 3 {
		t.Fatalf("claimed %d (%v)", n, err)
	}
	if sent, pending := h.count(store.OutboxSent), h.count(store.OutboxPending); sent != 1 || pending != 2 {
		t.Fatalf("%d sent, %d pending; want the first sent and two handed back", sent, pending)
	}
	for _, r := range h.rows() {
		if r.Status == store.OutboxPending && (r.Attempts != 0 || r.LeaseUntil != nil) {
			t.Fatalf("released row %+v still counts an attempt or a lease", r)
		}
	}
	h.drain(d, 5*time.Second)
	if got := refs(h.fake.Subscribes()); len(got) != 3 || len(h.fake.Subscribes()) != 3 {
		t.Fatalf("delivered %v, want three messages once each", got)
	}
}
