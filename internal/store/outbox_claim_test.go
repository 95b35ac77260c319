package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/store"
)

// enqueue writes one event per student number, in order, at now.
func outboxEnqueue(t *testing.T, db *store.DB, now time.Time, nos ...string) {
	t.Helper()
	var es []domain.Event
	for _, no := range nos {
		es = append(es, domain.Event{BatchID: 1, StudentNo: no, Kind: domain.EventStageCleared, Stage: domain.StageDorm,
			Title: "离校环节已通过", Body: "宿舍", DedupeKey: fmt.Sprintf("%s:%d", no, time.Now().UnixNano())})
	}
	if err := db.EnqueueEvents(context.Background(), es, now); err != nil {
		t.Fatal(err)
	}
}

func outboxClaim(t *testing.T, db *store.DB, owner string, now time.Time) []store.OutboxRow {
	t.Helper()
	rows, err := db.ClaimOutbox(context.Background(), owner, 10, 30*time.Second, now)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func outboxStudents(rows []store.OutboxRow) string {
	s := ""
	for _, r := range rows {
		s += r.StudentNo
	}
	return s
}

func TestClaimOutboxOrder(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		outboxEnqueue(t, db, now, "A", "A", "B", "B", "C")

		got := outboxClaim(t, db, "x", now)
		if outboxStudents(got) != "ABC" || got[0].Attempts != 1 || got[0].LeaseOwner != "x" || got[0].Event.Title != "离校环节已通过" {
			t.Fatalf("first claim %+v, want the first row of A, B and C", got)
		}
		a1, b1, c1 := got[0], got[1], got[2]
		if again := outboxClaim(t, db, "y", now); len(again) != 0 {
			t.Fatalf("second dispatcher claimed %s while the first rows are leased", outboxStudents(again))
		}
		if err := db.MarkSent(ctx, a1.ID, "y", "inbox", now); !errors.Is(err, store.ErrLeaseLost) {
			t.Fatalf("mark sent by a non-owner: %v, want ErrLeaseLost", err)
		}
		if err := db.MarkSent(ctx, a1.ID, "x", "subscribe", now); err != nil {
			t.Fatal(err)
		}
		// B1 fails and waits; B2 must wait behind it. C1 gives up: dead rows do not block.
		retryAt := now.Add(time.Minute)
		if err := db.MarkFailed(ctx, b1.ID, "x", "http 500", retryAt, false); err != nil {
			t.Fatal(err)
		}
		if err := db.MarkFailed(ctx, c1.ID, "x", "gave up", now, true); err != nil {
			t.Fatal(err)
		}
		outboxEnqueue(t, db, now, "C")
		got = outboxClaim(t, db, "y", now)
		if outboxStudents(got) != "AC" || got[0].ID <= a1.ID {
			t.Fatalf("after A1 sent, B1 retrying, C1 dead: claimed %q, want A2 and C2", outboxStudents(got))
		}
		if at, ok, err := db.NextOutboxAttempt(ctx, now); err != nil || !ok || !at.Equal(retryAt.Truncate(time.Microsecond)) {
			t.Fatalf("next attempt %v %v %v, want %v", at, ok, err, retryAt)
		}
		for _, r := range got {
			if err := db.MarkSent(ctx, r.ID, "y", "inbox", now); err != nil {
				t.Fatal(err)
			}
		}
		got = outboxClaim(t, db, "y", retryAt)
		if len(got) != 1 || got[0].ID != b1.ID || got[0].Attempts != 2 || got[0].LastError != "http 500" {
			t.Fatalf("at the retry time claimed %+v, want B1 on its second attempt", got)
		}
	})
}

func TestClaimOutboxLeaseExpiry(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		outboxEnqueue(t, db, now, "A")
		first := outboxClaim(t, db, "x", now)
		// x dies; after its lease another dispatcher takes the row over.
		later := now.Add(31 * time.Second)
		second := outboxClaim(t, db, "y", later)
		if len(first) != 1 || len(second) != 1 || second[0].ID != first[0].ID || second[0].Attempts != 2 {
			t.Fatalf("claims %+v then %+v, want the same row again after the lease", first, second)
		}
		if err := db.MarkSent(ctx, first[0].ID, "x", "subscribe", later); !errors.Is(err, store.ErrLeaseLost) {
			t.Fatalf("the old owner marked the row: %v", err)
		}
		if err := db.MarkSent(ctx, second[0].ID, "y", "subscribe", later); err != nil {
			t.Fatal(err)
		}
		rows, err := db.ListOutbox(ctx, store.OutboxSent, 10)
		if err != nil || len(rows) != 1 || rows[0].DeliveredVia != "subscribe" || rows[0].SentAt == nil || rows[0].LeaseUntil != nil {
			t.Fatalf("sent rows %+v %v", rows, err)
		}
	})
}

func TestRetryOutbox(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		outboxEnqueue(t, db, now, "A", "B")
		rows := outboxClaim(t, db, "x", now)
		if err := db.MarkFailed(ctx, rows[0].ID, "x", "errcode=47003", now, true); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			id   int64
			want domain.Code
		}{
			{name: "pending row", id: rows[1].ID, want: domain.CodeConflict},
			{name: "missing row", id: 999999, want: domain.CodeNotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if got := domain.ErrorCode(db.RetryOutbox(ctx, tt.id, now)); got != tt.want {
					t.Fatalf("retry: %s, want %s", got, tt.want)
				}
			})
		}
		dead, err := db.ListOutbox(ctx, store.OutboxDead, 10)
		if err != nil || len(dead) != 1 || dead[0].LastError != "errcode=47003" {
			t.Fatalf("dead rows %+v %v", dead, err)
		}
		if err := db.RetryOutbox(ctx, dead[0].ID, now); err != nil {
			t.Fatal(err)
		}
		got := outboxClaim(t, db, "y", now)
		if len(got) != 1 || got[0].ID != dead[0].ID || got[0].Attempts != 1 {
			t.Fatalf("after retry claimed %+v, want the revived row on attempt 1", got)
		}
		if n, _ := db.CountOutbox(ctx, store.OutboxDead); n != 0 {
			t.Fatalf("%d dead rows left", n)
		}
	})
}

// TestClaimOutboxConcurrent has dispatchers claim at once: no row is claimed
// twice and no claim holds two rows of one student.
func TestClaimOutboxConcurrent(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		var nos []string
		for i := range 200 {
			nos = append(nos, fmt.Sprintf("S%02d", i%25))
		}
		outboxEnqueue(t, db, now, nos...)
		var mu sync.Mutex
		seen := map[int64]string{}
		var wg sync.WaitGroup
		for w := range 4 {
			owner := fmt.Sprintf("w%d", w)
			wg.Go(func() {
				for {
					rows, err := db.ClaimOutbox(ctx, owner, 7, time.Minute, now)
					if err != nil {
						t.Error(err)
						return
					}
					if len(rows) == 0 {
						if n, _ := db.CountOutbox(ctx, store.OutboxPending); n == 0 {
							return
						}
						time.Sleep(time.Millisecond)
						continue
					}
					batch := map[string]bool{}
					for _, r := range rows {
						mu.Lock()
						if prev, dup := seen[r.ID]; dup {
							t.Errorf("row %d claimed by %s and %s", r.ID, prev, owner)
						}
						seen[r.ID] = owner
						mu.Unlock()
						if batch[r.StudentNo] {
							t.Errorf("one claim holds two rows of %s", r.StudentNo)
						}
						batch[r.StudentNo] = true
						if err := db.MarkSent(ctx, r.ID, owner, "inbox", now); err != nil {
							t.Error(err)
						}
					}
				}
			})
		}
		wg.Wait()
		if len(seen) != 200 {
			t.Fatalf("%d rows delivered, want 200", len(seen))
		}
	})
}

func TestClaimReminder(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		day := time.Date(2026, 6, 23, 0, 0, 0, 0, time.UTC)
		e := func(d time.Time) domain.Event {
			return domain.Event{BatchID: 1, StudentNo: "S001", Kind: domain.EventDeadlineReminder, Title: "离校截止提醒",
				DedupeKey: "reminder:1:S001:" + d.Format("2006-01-02")}
		}
		tests := []struct {
			day  time.Time
			want bool
		}{
			{day: day, want: true},
			{day: day, want: false},
			{day: day.AddDate(0, 0, 1), want: true},
		}
		for _, tt := range tests {
			got, err := db.ClaimReminder(ctx, 1, "S001", tt.day, e(tt.day), now)
			if err != nil || got != tt.want {
				t.Fatalf("claim %s: %v %v, want %v", tt.day.Format("01-02"), got, err, tt.want)
			}
		}
		if n, _ := db.CountOutbox(ctx, ""); n != 2 {
			t.Fatalf("%d reminder events, want 2", n)
		}
	})
}

func TestFollowOfficialAccount(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now()
		if err := db.TouchWeChatUser(ctx, "mp1", "u1", now); err != nil {
			t.Fatal(err)
		}
		if n, err := db.FollowOfficialAccount(ctx, "u1", "oa1", now); err != nil || n != 1 {
			t.Fatalf("follow: %d %v", n, err)
		}
		// Followed before ever opening the mini-program: remembered, linked later by unionid.
		if n, err := db.FollowOfficialAccount(ctx, "u2", "oa2", now); err != nil || n != 0 {
			t.Fatalf("follow without account: %d %v", n, err)
		}
		u, _ := db.WeChatUser(ctx, "mp1")
		oa2, _ := db.OAOpenIDOf(ctx, "u2")
		if u.OAOpenID != "oa1" || oa2 != "oa2" {
			t.Fatalf("linked %q, follower u2 %q", u.OAOpenID, oa2)
		}
		if n, err := db.UnfollowOfficialAccount(ctx, "oa1", now); err != nil || n != 1 {
			t.Fatalf("unfollow: %d %v", n, err)
		}
		u, _ = db.WeChatUser(ctx, "mp1")
		oa1, _ := db.OAOpenIDOf(ctx, "u1")
		if u.OAOpenID != "" || oa1 != "" {
			t.Fatalf("after unfollow: linked %q, follower %q", u.OAOpenID, oa1)
		}
	})
}

func TestOutboxBatchWrites(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		outboxEnqueue(t, db, now, "A", "B", "C")
		rows := outboxClaim(t, db, "x", now)
		inbox := []store.Notification{}
		for _, r := range rows {
			inbox = append(inbox, store.Notification{StudentNo: r.StudentNo, OutboxID: r.ID, Kind: r.Kind,
				Title: strings.Repeat("题", 150), Body: r.Event.Body, CreatedAt: r.CreatedAt})
		}
		for range 2 { // a redelivery adds nothing
			if err := db.AddNotifications(ctx, inbox); err != nil {
				t.Fatal(err)
			}
		}
		ns, err := db.Notifications(ctx, "A", 10)
		if err != nil || len(ns) != 1 || utf8.RuneCountInString(ns[0].Title) != 100 {
			t.Fatalf("inbox of A: %+v %v, want one entry with a clipped title", ns, err)
		}
		// x's leases ran out and y took the rows over: x's batch mark applies to
		// none of them; y releases B unstarted and marks A and C.
		if _, err := db.ClaimOutbox(ctx, "y", 10, time.Minute, now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := db.ReleaseOutbox(ctx, "y", []int64{rows[1].ID}); err != nil {
			t.Fatal(err)
		}
		n, err := db.MarkSentMany(ctx, "x", map[int64]string{rows[0].ID: "subscribe", rows[2].ID: "inbox"}, now)
		if err != nil || n != 0 {
			t.Fatalf("marked %d (%v) after losing every lease, want 0", n, err)
		}
		n, err = db.MarkSentMany(ctx, "y", map[int64]string{rows[0].ID: "subscribe", rows[2].ID: "inbox"}, now)
		if err != nil || n != 2 {
			t.Fatalf("marked %d (%v), want 2", n, err)
		}
		a, _ := db.OutboxByID(ctx, rows[0].ID)
		b, _ := db.OutboxByID(ctx, rows[1].ID)
		if a.Status != store.OutboxSent || a.DeliveredVia != "subscribe" || b.Status != store.OutboxPending ||
			b.Attempts != 1 || b.LeaseUntil != nil {
			t.Fatalf("A %+v, B %+v", a, b)
		}
		if _, err := db.OutboxByID(ctx, 999999); domain.ErrorCode(err) != domain.CodeNotFound {
			t.Fatalf("missing row: %v", err)
		}
	})
}
