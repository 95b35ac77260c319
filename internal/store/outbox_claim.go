package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
)

// ErrLeaseLost means another dispatcher claimed the row after this one's
// lease ran out; the caller's result is dropped (the other one delivers).
var ErrLeaseLost = errors.New("outbox: lease lost")

// OutboxRow is one notification in the outbox, with its delivery state.
type OutboxRow struct {
	ID            int64
	BatchID       int64
	StudentNo     string
	Kind          domain.EventKind
	Stage         domain.StageCode
	Event         domain.Event // the payload written with the change
	DedupeKey     string
	Status        string
	Attempts      int // counted when claimed, so a crash mid-send counts too
	NextAttemptAt time.Time
	LeaseOwner    string
	LeaseUntil    *time.Time
	LastError     string
	DeliveredVia  string
	CreatedAt     time.Time
	SentAt        *time.Time
}

const outboxCols = `id, batch_id, student_no, kind, stage, payload, dedupe_key, status, attempts,
	next_attempt_at, lease_owner, lease_until, last_error, delivered_via, created_at, sent_at`

func scanOutbox(row interface{ Scan(...any) error }) (OutboxRow, error) {
	var r OutboxRow
	var payload string
	var lease, sent sql.NullTime
	err := row.Scan(&r.ID, &r.BatchID, &r.StudentNo, &r.Kind, &r.Stage, &payload, &r.DedupeKey, &r.Status,
		&r.Attempts, &r.NextAttemptAt, &r.LeaseOwner, &lease, &r.LastError, &r.DeliveredVia, &r.CreatedAt, &sent)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(payload), &r.Event); err != nil {
		return r, fmt.Errorf("outbox %d: payload: %w", r.ID, err)
	}
	r.NextAttemptAt, r.CreatedAt = r.NextAttemptAt.UTC(), r.CreatedAt.UTC()
	r.LeaseUntil, r.SentAt = timePtr(lease), timePtr(sent)
	return r, nil
}

// claimTx runs a claim in a transaction. On MySQL it reads committed data,
// so the locking read takes no gap locks that would hold up the inserts of
// concurrent clearance changes.
func (s *DB) claimTx(ctx context.Context, fn func(*sql.Tx) error) error {
	var opts *sql.TxOptions
	if s.d.name() == "mysql" {
		opts = &sql.TxOptions{Isolation: sql.LevelReadCommitted}
	}
	return s.txWith(ctx, opts, fn)
}

// ClaimOutbox leases up to limit due rows to owner until now+lease, safely
// across instances: on MySQL the rows are read with FOR UPDATE SKIP LOCKED
// and a leased row is skipped until its lease runs out; on SQLite the
// transaction is the only writer.
//
// Each student's events go out in order: a row is claimed only when the
// student has no earlier pending row (one being retried, or leased to some
// dispatcher), so a batch holds at most one row per student and can be
// delivered in parallel. Dead rows do not count: a row that gave up does not
// block the student's later events; an administrator's retry re-sends it
// after them.
func (s *DB) ClaimOutbox(ctx context.Context, owner string, limit int, lease time.Duration, now time.Time) ([]OutboxRow, error) {
	if limit <= 0 {
		limit = 50
	}
	now = utc(now)
	var out []OutboxRow
	err := s.claimTx(ctx, func(tx *sql.Tx) error {
		out = nil
		rows, err := tx.QueryContext(ctx, fmt.Sprintf(`SELECT id FROM outbox
			WHERE status = ? AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?)
			AND NOT EXISTS (SELECT 1 FROM outbox o2 WHERE o2.student_no = outbox.student_no
				AND o2.id < outbox.id AND o2.status = ?)
			ORDER BY id LIMIT %d`, limit)+s.d.skipLocked(), OutboxPending, now, now, OutboxPending)
		if err != nil {
			return fmt.Errorf("claim outbox: %w", err)
		}
		var ids []any
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return fmt.Errorf("claim outbox: %w", err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("claim outbox: %w", err)
		}
		if len(ids) == 0 {
			return nil
		}
		in := placeholders(1, len(ids))
		args := append([]any{owner, utc(now.Add(lease))}, ids...)
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET lease_owner = ?, lease_until = ?, attempts = attempts + 1
			WHERE id IN `+in, args...); err != nil {
			return fmt.Errorf("claim outbox: lease: %w", err)
		}
		rows, err = tx.QueryContext(ctx, `SELECT `+outboxCols+` FROM outbox WHERE id IN `+in+` ORDER BY id`, ids...)
		if err != nil {
			return fmt.Errorf("claim outbox: read: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanOutbox(rows)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}

// MarkSent records a delivery. It applies only while owner still holds the
// row: otherwise ErrLeaseLost.
func (s *DB) MarkSent(ctx context.Context, id int64, owner, via string, now time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE outbox SET status = ?, delivered_via = ?, sent_at = ?,
		lease_owner = '', lease_until = NULL WHERE id = ? AND lease_owner = ? AND status = ?`,
		OutboxSent, via, utc(now), id, owner, OutboxPending)
	return leaseResult(res, err, "mark sent")
}

// MarkSentMany records the deliveries of a batch (row id -> channel) with
// one statement per channel, and returns how many rows owner still held.
func (s *DB) MarkSentMany(ctx context.Context, owner string, sent map[int64]string, now time.Time) (int, error) {
	byVia := map[string][]any{}
	for id, via := range sent {
		byVia[via] = append(byVia[via], id)
	}
	marked := 0
	for via, ids := range byVia {
		args := append([]any{OutboxSent, via, utc(now), owner, OutboxPending}, ids...)
		res, err := s.db.ExecContext(ctx, `UPDATE outbox SET status = ?, delivered_via = ?, sent_at = ?,
			lease_owner = '', lease_until = NULL WHERE lease_owner = ? AND status = ? AND id IN `+placeholders(1, len(ids)), args...)
		if err != nil {
			return marked, fmt.Errorf("mark sent: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return marked, fmt.Errorf("mark sent: %w", err)
		}
		marked += int(n)
	}
	return marked, nil
}

// ReleaseOutbox hands rows owner claimed but did not start back to the
// queue, due at once, without counting the attempt.
func (s *DB) ReleaseOutbox(ctx context.Context, owner string, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := []any{owner, OutboxPending}
	for _, id := range ids {
		args = append(args, id)
	}
	_, err := s.db.ExecContext(ctx, `UPDATE outbox SET lease_owner = '', lease_until = NULL, attempts = attempts - 1
		WHERE lease_owner = ? AND status = ? AND id IN `+placeholders(1, len(ids)), args...)
	if err != nil {
		return fmt.Errorf("release outbox: %w", err)
	}
	return nil
}

// MarkFailed records a failed attempt: the row is tried again at
// nextAttempt, or, when dead, left for an administrator with its last error.
func (s *DB) MarkFailed(ctx context.Context, id int64, owner, errText string, nextAttempt time.Time, dead bool) error {
	status := OutboxPending
	if dead {
		status = OutboxDead
	}
	res, err := s.db.ExecContext(ctx, `UPDATE outbox SET status = ?, last_error = ?, next_attempt_at = ?,
		lease_owner = '', lease_until = NULL WHERE id = ? AND lease_owner = ? AND status = ?`,
		status, clip(errText, 1000), utc(nextAttempt), id, owner, OutboxPending)
	return leaseResult(res, err, "mark failed")
}

func leaseResult(res sql.Result, err error, op string) error {
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	} else if n == 0 {
		return ErrLeaseLost
	}
	return nil
}

// NextOutboxAttempt is the earliest future retry of any pending row, so a
// dispatcher can sleep exactly until then; ok is false when none is waiting.
func (s *DB) NextOutboxAttempt(ctx context.Context, now time.Time) (at time.Time, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT next_attempt_at FROM outbox WHERE status = ? AND next_attempt_at > ?
		ORDER BY next_attempt_at LIMIT 1`, OutboxPending, utc(now)).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next outbox attempt: %w", err)
	}
	return at.UTC(), true, nil
}

// OutboxByID returns one outbox row.
func (s *DB) OutboxByID(ctx context.Context, id int64) (OutboxRow, error) {
	r, err := scanOutbox(s.db.QueryRowContext(ctx, `SELECT `+outboxCols+` FROM outbox WHERE id = ?`, id))
	if err != nil {
		return r, notFound(err, fmt.Sprintf("通知 %d 不存在", id))
	}
	return r, nil
}

// ListOutbox lists rows of one status (all when empty), newest first.
func (s *DB) ListOutbox(ctx context.Context, status string, limit int) ([]OutboxRow, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	q, args := `SELECT `+outboxCols+` FROM outbox`, []any{}
	if status != "" {
		q += ` WHERE status = ?`
		args = append(args, status)
	}
	rows, err := s.db.QueryContext(ctx, q+fmt.Sprintf(` ORDER BY id DESC LIMIT %d`, limit), args...)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxRow
	for rows.Next() {
		r, err := scanOutbox(rows)
		if err != nil {
			return nil, fmt.Errorf("list outbox: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RetryOutbox puts a dead row back in the queue with a fresh attempt count.
// Only dead rows can be retried: anything else is a conflict.
func (s *DB) RetryOutbox(ctx context.Context, id int64, now time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE outbox SET status = ?, attempts = 0, next_attempt_at = ?,
		lease_owner = '', lease_until = NULL WHERE id = ? AND status = ?`, OutboxPending, utc(now), id, OutboxDead)
	if err != nil {
		return fmt.Errorf("retry outbox: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	var status string
	err = s.db.QueryRowContext(ctx, `SELECT status FROM outbox WHERE id = ?`, id).Scan(&status)
	if err != nil {
		return notFound(err, fmt.Sprintf("通知 %d 不存在", id))
	}
	return domain.Errorf(domain.CodeConflict, "只能重试已失败（dead）的通知，该通知的状态为 %s", status)
}

// clip cuts s to at most n characters (MySQL counts VARCHAR in characters).
func clip(s string, n int) string {
	r := []rune(strings.ToValidUTF8(s, "?"))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n])
}
