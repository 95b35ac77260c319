// Package notify delivers the outbox. Every notification is written to the
// outbox in the same transaction as the change that causes it, so nothing
// is sent before the commit and nothing committed is lost; the Dispatcher
// running in every server instance then claims rows, delivers each to the
// in-app inbox and through the best WeChat channel the student has, and
// retries failures with backoff until the row is sent or dead.
//
// Delivery is at least once. A dispatcher that dies after WeChat accepted a
// message but before the row was marked sent leaves the row leased; when
// the lease runs out (Options.Lease) another dispatcher sends it again. The
// duplicate is limited: only rows in flight at the crash are affected, the
// inbox never shows one twice (one entry per outbox row), the second send
// spends a second subscription only if the student has one left, and both
// messages carry the same reference ("LX" + outbox id) so the student can
// tell a repeat from news.
package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	mrand "math/rand/v2"
	"sync"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/store"
	"github.com/lixiao/lixiao/internal/wechat"
)

// Channels a row can be delivered through, recorded as delivered_via.
const (
	ViaSubscribe = "subscribe" // mini-program subscribe message
	ViaTemplate  = "template"  // official-account template message
	ViaInbox     = "inbox"     // in-app inbox only
)

// Templates are the configured template ids; an empty id turns that
// message off.
type Templates struct {
	// Mini-program subscribe-message templates.
	StageCleared, StageRejected, StageRevoked, Reminder string
	// OfficialAccount is the official-account template used for every kind.
	OfficialAccount string
}

// subscribe is the subscribe template of an event kind and its data.
func (t Templates) subscribe(kind domain.EventKind) (id string, data func(store.OutboxRow, *domain.Batch, *time.Location) map[string]string) {
	switch kind {
	case domain.EventStageCleared, domain.EventFinalStageReady, domain.EventDepartureComplete:
		return t.StageCleared, stageData
	case domain.EventStageRejected:
		return t.StageRejected, stageData
	case domain.EventStageRevoked:
		return t.StageRevoked, stageData
	case domain.EventDeadlineReminder:
		return t.Reminder, reminderData
	}
	return "", nil
}

// Options tune the dispatcher; zero values take the defaults in New.
type Options struct {
	Owner        string        // names this instance's leases; random when empty
	MaxAttempts  int           // attempts before a row is dead (10)
	PollInterval time.Duration // how often to look for work committed elsewhere (2s)
	BaseBackoff  time.Duration // first retry delay, doubled per attempt (1s)
	MaxBackoff   time.Duration // cap of the retry delay (5m)
	Batch        int           // rows claimed at once (50)
	Concurrency  int           // rows of a batch delivered at once (8)
	// Lease is how long a claimed row is this instance's; after it, another
	// instance may send it again (at-least-once). A row is started only with
	// half its lease left, and that half must cover its WeChat calls (one
	// to four requests, each bounded by the client's timeout, 5s) (60s).
	Lease           time.Duration
	Templates       Templates
	MiniProgramPage string         // page a message opens ("pages/progress/index")
	Location        *time.Location // zone of the times in messages (Asia/Shanghai)
	Now             func() time.Time
}

// Dispatcher delivers outbox rows. Run it in every instance; the rows are
// shared safely through the database.
type Dispatcher struct {
	db   *store.DB
	wx   wechat.Client
	opt  Options
	log  *slog.Logger
	wake chan struct{}

	batchMu sync.Mutex
	batches map[int64]domain.Batch // batches never change once created
}

// New builds a dispatcher; see Options for the defaults.
func New(db *store.DB, wx wechat.Client, opt Options, log *slog.Logger) *Dispatcher {
	if opt.Owner == "" {
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		opt.Owner = "d-" + hex.EncodeToString(b)
	}
	opt.MaxAttempts = orDefault(opt.MaxAttempts, 10)
	opt.PollInterval = orDefault(opt.PollInterval, 2*time.Second)
	opt.BaseBackoff = orDefault(opt.BaseBackoff, time.Second)
	opt.MaxBackoff = orDefault(opt.MaxBackoff, 5*time.Minute)
	opt.Batch = orDefault(opt.Batch, 50)
	opt.Concurrency = orDefault(opt.Concurrency, 8)
	opt.Lease = orDefault(opt.Lease, time.Minute)
	if opt.MiniProgramPage == "" {
		opt.MiniProgramPage = "pages/progress/index"
	}
	if opt.Location == nil {
		opt.Location = shanghai()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Dispatcher{db: db, wx: wx, opt: opt, log: log, wake: make(chan struct{}, 1), batches: map[int64]domain.Batch{}}
}

func orDefault[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// shanghai is China's zone, also on hosts without a zoneinfo database.
func shanghai() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}

// Wake tells the dispatcher that rows were committed; it never blocks. The
// service calls it after every commit that wrote events, so a local
// clearance is delivered at once instead of at the next poll.
func (d *Dispatcher) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends: it runs at once when woken, otherwise when
// the next retry falls due, and at least every PollInterval.
func (d *Dispatcher) Run(ctx context.Context) {
	d.log.Info("notification dispatcher started", "owner", d.opt.Owner)
	for {
		n, err := d.RunOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			d.log.Warn("outbox: dispatch failed; will try again", "err", err)
		}
		if err == nil && n > 0 {
			continue // more may be due, e.g. the next event of a student just served
		}
		t := time.NewTimer(d.idle(ctx))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-d.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// idle is how long to wait for work: until the earliest retry, at most
// PollInterval.
func (d *Dispatcher) idle(ctx context.Context) time.Duration {
	wait := d.opt.PollInterval
	now := d.opt.Now()
	if at, ok, err := d.db.NextOutboxAttempt(ctx, now); err == nil && ok {
		wait = min(wait, max(at.Sub(now), time.Millisecond))
	}
	return wait
}

// RunOnce claims one batch of due rows and delivers them, returning how
// many it claimed. The batch's inbox entries are written first, in one
// statement, so the app has them whatever WeChat does. A batch holds at most
// one row per student (see store.ClaimOutbox), so its rows go out in
// parallel without reordering anyone's messages; the deliveries are then
// recorded together.
func (d *Dispatcher) RunOnce(ctx context.Context) (int, error) {
	rows, err := d.db.ClaimOutbox(ctx, d.opt.Owner, d.opt.Batch, d.opt.Lease, d.opt.Now())
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	if err := d.db.AddNotifications(ctx, inboxOf(rows)); err != nil {
		for _, r := range rows {
			d.failed(ctx, r, err)
		}
		return len(rows), err
	}
	var mu sync.Mutex
	sent := make(map[int64]string, len(rows))
	var late []int64
	sem := make(chan struct{}, d.opt.Concurrency)
	var wg sync.WaitGroup
	for _, r := range rows {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			// A row is started only with half its lease left (WeChat being
			// slow, the batch took long), so it cannot still be in flight
			// when another instance may take it over; nor while shutting down.
			if ctx.Err() != nil || d.opt.Now().After(r.LeaseUntil.Add(-d.opt.Lease/2)) {
				mu.Lock()
				late = append(late, r.ID)
				mu.Unlock()
				return
			}
			rctx, cancel := context.WithTimeout(ctx, d.opt.Lease/2)
			via, err := d.deliver(rctx, r)
			cancel()
			if err != nil {
				d.failed(ctx, r, err)
				return
			}
			mu.Lock()
			sent[r.ID] = via
			mu.Unlock()
		})
	}
	wg.Wait()
	d.markSent(ctx, sent)
	if err := d.db.ReleaseOutbox(context.WithoutCancel(ctx), d.opt.Owner, late); err != nil {
		d.log.Warn("outbox: could not release rows not started; they wait for their lease", "rows", len(late), "err", err)
	}
	return len(rows), nil
}

// inboxOf is the inbox entry of each row.
func inboxOf(rows []store.OutboxRow) []store.Notification {
	ns := make([]store.Notification, len(rows))
	for i, r := range rows {
		ns[i] = store.Notification{StudentNo: r.StudentNo, OutboxID: r.ID, Kind: r.Kind, Stage: r.Stage,
			Title: r.Event.Title, Body: r.Event.Body, CreatedAt: r.CreatedAt}
	}
	return ns
}

// markSent records delivered rows, trying a few times: a row delivered but
// not marked is sent again once its lease runs out.
func (d *Dispatcher) markSent(ctx context.Context, sent map[int64]string) {
	if len(sent) == 0 {
		return
	}
	// Recorded even while shutting down, so the next instance does not
	// send these rows again.
	mctx := context.WithoutCancel(ctx)
	var err error
	for try := range 3 {
		var marked int
		if marked, err = d.db.MarkSentMany(mctx, d.opt.Owner, sent, d.opt.Now()); err == nil {
			if marked < len(sent) {
				d.log.Warn("outbox: lease lost before marking; those rows may be delivered again", "lost", len(sent)-marked)
			}
			return
		}
		time.Sleep(time.Duration(try+1) * 50 * time.Millisecond)
	}
	d.log.Error("outbox: could not mark delivered rows; they will be delivered again after the lease", "rows", len(sent), "err", err)
}

// failed records a failed attempt: retried after a backoff, or dead after
// MaxAttempts.
func (d *Dispatcher) failed(ctx context.Context, r store.OutboxRow, err error) {
	now := d.opt.Now()
	dead := r.Attempts >= d.opt.MaxAttempts
	next := now.Add(d.backoff(r.Attempts))
	if merr := d.db.MarkFailed(context.WithoutCancel(ctx), r.ID, d.opt.Owner, err.Error(), next, dead); merr != nil {
		d.log.Warn("outbox: could not record a failed attempt", "id", r.ID, "err", merr)
	}
	if dead {
		d.log.Error("outbox: notification dead after its last attempt", "id", r.ID, "attempts", r.Attempts, "err", err)
		return
	}
	d.log.Info("outbox: delivery failed; will retry", "id", r.ID, "attempt", r.Attempts, "retry_at", next, "err", err)
}

// backoff is the delay after the attempts-th failure: BaseBackoff doubled
// per attempt up to MaxBackoff, with equal jitter (half fixed, half
// random) so rows that failed together do not retry together.
func (d *Dispatcher) backoff(attempts int) time.Duration {
	b := d.opt.BaseBackoff
	for i := 1; i < attempts && b < d.opt.MaxBackoff; i++ {
		b *= 2
	}
	b = min(b, d.opt.MaxBackoff)
	half := b / 2
	return half + mrand.N(b-half+1)
}

// batch returns a batch, from memory after the first read.
func (d *Dispatcher) batch(ctx context.Context, id int64) (*domain.Batch, error) {
	d.batchMu.Lock()
	b, ok := d.batches[id]
	d.batchMu.Unlock()
	if ok {
		return &b, nil
	}
	b, err := d.db.Batch(ctx, id)
	if err != nil {
		return nil, err
	}
	d.batchMu.Lock()
	d.batches[id] = b
	d.batchMu.Unlock()
	return &b, nil
}
