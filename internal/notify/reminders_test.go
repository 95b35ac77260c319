package notify

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/store"
)

// complete clears every stage of a student that is still to do.
func (h *harness) complete(no string) {
	h.t.Helper()
	_, err := h.db.UpdateClearances(h.ctx, h.batch.ID, no, func(sh *store.Sheet) error {
		for code, st := range sh.Statuses() {
			if !st.Done() {
				sh.Set(code, domain.StatusCleared, store.Change{Source: domain.SourceAdmin, Channel: domain.ChannelAdmin,
					Actor: domain.Actor{ID: "admin", Role: domain.RoleAdmin}})
			}
		}
		return nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
}

func TestReminders(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		loc := shanghai()
		y, m, d := h.batch.EndsOn.Date()
		threeDaysBefore := time.Date(y, m, d-3, 10, 0, 0, 0, loc)
		h.complete(studentNo(0))
		h.clear(studentNo(1), domain.StageDorm)
		h.fake.Reset()
		base := h.count("")
		r := NewReminders(h.db, ReminderOptions{DaysBefore: 7, Hour: 9, Location: loc}, nil, quietLog())

		tests := []struct {
			name string
			r    *Reminders
			now  time.Time
			want int
		}{
			{name: "three days before: everyone with stages to do", r: r, now: threeDaysBefore, want: 9},
			{name: "again the same day", r: r, now: threeDaysBefore.Add(5 * time.Hour), want: 0},
			{name: "next day", r: r, now: threeDaysBefore.AddDate(0, 0, 1), want: 9},
			{name: "after the end date", r: r, now: threeDaysBefore.AddDate(0, 0, 4), want: 0},
			{name: "outside a shorter window", r: NewReminders(h.db, ReminderOptions{DaysBefore: 2, Location: loc}, nil, nil),
				now: threeDaysBefore.AddDate(0, 0, -1), want: 0},
			{name: "the end date itself", r: r, now: threeDaysBefore.AddDate(0, 0, 3), want: 9},
			{name: "0 days before: not before the end date", r: NewReminders(h.db, ReminderOptions{Location: loc}, nil, nil),
				now: threeDaysBefore.AddDate(0, 0, 2), want: 0},
		}
		for _, tt := range tests {
			n, err := tt.r.RunOnce(h.ctx, tt.now)
			if err != nil || n != tt.want {
				t.Fatalf("%s: reminded %d (%v), want %d", tt.name, n, err, tt.want)
			}
		}
		if got := h.count("") - base; got != 27 {
			t.Fatalf("%d reminder events, want 27", got)
		}

		// What a reminder says, and that it goes out like any event.
		openid := h.bind(studentNo(1))
		h.quota(openid, testTemplates.Reminder, 1)
		later := threeDaysBefore.AddDate(0, 0, 4) // the events were queued "as of" the test's days
		h.drain(h.dispatcher(Options{Now: func() time.Time { return later }}), 10*time.Second)
		inbox := h.inbox(studentNo(1))
		if len(inbox) != 4 || inbox[0].Kind != domain.EventDeadlineReminder ||
			!strings.Contains(inbox[0].Body, "今天") || !strings.Contains(inbox[2].Body, "还有 3 天") ||
			strings.Contains(inbox[2].Body, "学生公寓管理中心") || !strings.Contains(inbox[2].Body, "财务处") {
			t.Fatalf("inbox of a student with stages to do: %+v", inbox)
		}
		if len(h.inbox(studentNo(0))) != 0 {
			t.Fatal("a student with nothing to do was reminded")
		}
		subs := h.fake.Subscribes()
		if len(subs) != 1 || subs[0].TemplateID != testTemplates.Reminder || subs[0].Data[fieldRemDeadline] != h.batch.EndsOn.Format(dateLayout) ||
			utf8.RuneCountInString(subs[0].Data[fieldRemMissing]) > maxThing || !strings.Contains(subs[0].Data[fieldRemMissing], "等") {
			t.Fatalf("reminder messages %+v", subs)
		}
	})
}

// TestRemindersAcrossInstances: instances running the job at once remind
// each student once.
func TestRemindersAcrossInstances(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		loc := shanghai()
		y, m, d := h.batch.EndsOn.Date()
		now := time.Date(y, m, d-1, 9, 30, 0, 0, loc)
		var total sync.WaitGroup
		var mu sync.Mutex
		sum := 0
		for range 4 {
			total.Go(func() {
				n, err := NewReminders(h.db, ReminderOptions{DaysBefore: 7, Location: loc}, nil, nil).RunOnce(h.ctx, now)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				sum += n
				mu.Unlock()
			})
		}
		total.Wait()
		if sum != 10 || h.count("") != 10 {
			t.Fatalf("claimed %d, %d events; want 10 students reminded once", sum, h.count(""))
		}
	})
}

// TestRemindersRun: the loop waits for the hour, runs once and wakes the
// dispatcher.
func TestRemindersRun(t *testing.T) {
	h := newHarness(t, "sqlite", 3)
	loc := shanghai()
	y, m, d := h.batch.EndsOn.Date()
	clock := &testClock{t: time.Date(y, m, d-1, 8, 59, 0, 0, loc)}
	woken := make(chan struct{}, 10)
	r := NewReminders(h.db, ReminderOptions{DaysBefore: 7, Hour: 9, Location: loc, Interval: 5 * time.Millisecond, Now: clock.Now},
		func() { woken <- struct{}{} }, quietLog())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	time.Sleep(50 * time.Millisecond)
	if n := h.count(""); n != 0 {
		t.Fatalf("%d reminders before the hour", n)
	}
	clock.Advance(time.Minute)
	select {
	case <-woken:
	case <-time.After(5 * time.Second):
		t.Fatal("the dispatcher was not woken")
	}
	time.Sleep(50 * time.Millisecond)
	if n := h.count(""); n != 3 || len(woken) != 0 {
		t.Fatalf("%d reminders, %d extra wakes; want 3 and one run a day", n, len(woken))
	}
}
