package notify

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/store"
)

// ReminderOptions configure the daily deadline reminders.
type ReminderOptions struct {
	DaysBefore int            // remind on each of the last N days before a batch's end date, and on it (0: on it only)
	Hour       int            // from this hour of the day, local time (9)
	Location   *time.Location // whose days and hours (Asia/Shanghai)
	Interval   time.Duration  // how often Run checks the clock (1m)
	Now        func() time.Time
}

// Reminders is the daily job that reminds students who still have stages
// to do as their batch's end date nears. Every instance may run it: the
// reminders table lets one claim each (batch, student, day), so a student
// is reminded at most once a day.
type Reminders struct {
	db   *store.DB
	opt  ReminderOptions
	wake func()
	log  *slog.Logger
	done time.Time // the local day this instance finished, so it runs once a day
}

// NewReminders builds the job; wake (may be nil) is the dispatcher's Wake.
func NewReminders(db *store.DB, opt ReminderOptions, wake func(), log *slog.Logger) *Reminders {
	if opt.Location == nil {
		opt.Location = shanghai()
	}
	opt.Interval = orDefault(opt.Interval, time.Minute)
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if wake == nil {
		wake = func() {}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Reminders{db: db, opt: opt, wake: wake, log: log}
}

// Run checks every Interval whether today's reminders are due and sends
// them once the local hour reaches Hour.
func (r *Reminders) Run(ctx context.Context) {
	t := time.NewTicker(r.opt.Interval)
	defer t.Stop()
	for {
		now := r.opt.Now()
		today := domain.Today(now, r.opt.Location)
		if now.In(r.opt.Location).Hour() >= r.opt.Hour && !r.done.Equal(today) {
			if n, err := r.RunOnce(ctx, now); err != nil {
				r.log.Warn("deadline reminders failed; will try again", "err", err)
			} else {
				r.done = today
				r.log.Info("deadline reminders queued", "students", n, "day", today.Format(dateLayout))
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce queues today's reminders (as of now) through the outbox and
// returns how many students this call claimed. Running it again the same
// day, here or on another instance, claims nobody twice.
func (r *Reminders) RunOnce(ctx context.Context, now time.Time) (int, error) {
	batches, err := r.db.Batches(ctx)
	if err != nil {
		return 0, err
	}
	today := domain.Today(now, r.opt.Location)
	total := 0
	for _, b := range batches {
		if b.EndsOn == nil {
			continue
		}
		y, m, d := b.EndsOn.Date()
		end := time.Date(y, m, d, 0, 0, 0, 0, r.opt.Location)
		left := int(end.Sub(today).Round(time.Hour).Hours() / 24)
		if left < 0 || left > r.opt.DaysBefore {
			continue
		}
		n, err := r.remindBatch(ctx, b, today, left, now)
		total += n
		if err != nil {
			return total, fmt.Errorf("reminders of batch %d: %w", b.ID, err)
		}
	}
	if total > 0 {
		r.wake()
	}
	return total, nil
}

// remindBatch claims today's reminder of every student of b with stages
// still to do.
func (r *Reminders) remindBatch(ctx context.Context, b domain.Batch, today time.Time, left int, now time.Time) (int, error) {
	students, err := r.db.Students(ctx, store.StudentFilter{BatchID: b.ID})
	if err != nil {
		return 0, err
	}
	byStudent := map[string][]domain.Clearance{}
	if err := r.db.AllClearances(ctx, b.ID, func(c domain.Clearance) error {
		byStudent[c.StudentNo] = append(byStudent[c.StudentNo], c)
		return nil
	}); err != nil {
		return 0, err
	}
	n := 0
	for _, st := range students {
		missing := domain.Missing(b.Stages, domain.StatusesOf(b, st, byStudent[st.StudentNo]))
		if len(missing) == 0 {
			continue
		}
		e := reminderEvent(b, st.StudentNo, missing, today, left)
		claimed, err := r.db.ClaimReminder(ctx, b.ID, st.StudentNo, today, e, now)
		if err != nil {
			return n, err
		}
		if claimed {
			n++
		}
	}
	return n, nil
}

// reminderEvent is the deadline_reminder of one student: its Reason holds
// the missing stage names joined by "、" (the template's 未完成 field).
func reminderEvent(b domain.Batch, no string, missing []domain.StageCode, today time.Time, left int) domain.Event {
	names := make([]string, len(missing))
	for i, code := range missing {
		names[i] = string(code)
		if def, ok := b.Stage(code); ok {
			names[i] = def.Name
		}
	}
	when := fmt.Sprintf("还有 %d 天截止（%s）", left, b.EndsOn.Format(dateLayout))
	if left == 0 {
		when = fmt.Sprintf("今天（%s）截止", b.EndsOn.Format(dateLayout))
	}
	return domain.Event{BatchID: b.ID, StudentNo: no, Kind: domain.EventDeadlineReminder,
		Title:     "离校手续截止提醒",
		Body:      fmt.Sprintf("「%s」%s，你还有 %d 个环节未完成：%s。", b.Name, when, len(names), strings.Join(names, "、")),
		Reason:    strings.Join(names, "、"),
		DedupeKey: fmt.Sprintf("%d:%s::%s:%s", b.ID, no, domain.EventDeadlineReminder, today.Format(dateLayout))}
}
