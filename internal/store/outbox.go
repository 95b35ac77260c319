package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
)

// Outbox statuses.
const (
	OutboxPending = "pending"
	OutboxSent    = "sent"
	OutboxDead    = "dead"
)

// insertEvents writes events to the outbox. A duplicate dedupe key is
// skipped, so writing the same event twice sends it once.
func insertEvents(ctx context.Context, tx *sql.Tx, d dialect, events []domain.Event, now time.Time) error {
	for _, e := range events {
		payload, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("outbox payload: %w", err)
		}
		if _, err := tx.ExecContext(ctx, d.insertIgnore()+` INTO outbox (batch_id, student_no, kind, stage, payload,
			dedupe_key, status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
			e.BatchID, e.StudentNo, e.Kind, e.Stage, string(payload), e.DedupeKey, OutboxPending, now, now); err != nil {
			return fmt.Errorf("insert outbox: %w", err)
		}
	}
	return nil
}

// EnqueueEvents writes events outside a clearance change (reminders).
func (s *DB) EnqueueEvents(ctx context.Context, events []domain.Event, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return insertEvents(ctx, tx, s.d, events, utc(now)) })
}

// CountOutbox counts outbox rows, of one status or all.
func (s *DB) CountOutbox(ctx context.Context, status string) (int, error) {
	q, args := `SELECT COUNT(*) FROM outbox`, []any{}
	if status != "" {
		q += ` WHERE status = ?`
		args = append(args, status)
	}
	var n int
	err := s.db.QueryRowContext(ctx, q, args...).Scan(&n)
	return n, err
}
