package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
)

// Records returns the latest data each system reported on a student.
func (s *DB) Records(ctx context.Context, batchID int64, studentNo string) (map[string]Record, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT system, payload, as_of, received_at FROM records
		WHERE batch_id = ? AND student_no = ?`, batchID, studentNo)
	if err != nil {
		return nil, fmt.Errorf("load records: %w", err)
	}
	defer rows.Close()
	out := map[string]Record{}
	for rows.Next() {
		var r Record
		if err := rows.Scan(&r.System, &r.Payload, &r.AsOf, &r.Received); err != nil {
			return nil, fmt.Errorf("load records: %w", err)
		}
		r.AsOf, r.Received = r.AsOf.UTC(), r.Received.UTC()
		out[r.System] = r
	}
	return out, rows.Err()
}

// RememberNonce stores an integration nonce; fresh is false for a replay.
// It implements signing.NonceStore on the database, so replays are refused
// by every instance and across restarts.
func (s *DB) Remember(ctx context.Context, keyID, nonce string, ttl time.Duration) (bool, error) {
	_, err := s.db.ExecContext(ctx, `INSERT INTO nonces (key_id, nonce, expires_at) VALUES (?, ?, ?)`,
		keyID, nonce, utc(time.Now().Add(ttl)))
	if err == nil {
		return true, nil
	}
	if s.d.isDuplicate(err) {
		return false, nil
	}
	return false, fmt.Errorf("remember nonce: %w", err)
}

// AddSubscriptions adds one message of quota per accepted template.
func (s *DB) AddSubscriptions(ctx context.Context, openid string, templateIDs []string, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, id := range templateIDs {
			res, err := tx.ExecContext(ctx, `UPDATE subscriptions SET quota = quota + 1, updated_at = ? WHERE openid = ? AND template_id = ?`,
				utc(now), openid, id)
			if err != nil {
				return fmt.Errorf("add subscription: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 1 {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO subscriptions (openid, template_id, quota, updated_at) VALUES (?, ?, 1, ?)`,
				openid, id, utc(now)); err != nil {
				return fmt.Errorf("add subscription: %w", err)
			}
		}
		return nil
	})
}

// Subscriptions returns the remaining quota per template of a WeChat account.
func (s *DB) Subscriptions(ctx context.Context, openid string) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT template_id, quota FROM subscriptions WHERE openid = ?`, openid)
	if err != nil {
		return nil, fmt.Errorf("list subscriptions: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// TakeSubscription spends one message of quota; false when none is left.
func (s *DB) TakeSubscription(ctx context.Context, openid, templateID string, now time.Time) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE subscriptions SET quota = quota - 1, updated_at = ?
		WHERE openid = ? AND template_id = ? AND quota > 0`, utc(now), openid, templateID)
	if err != nil {
		return false, fmt.Errorf("take subscription: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ClearSubscription sets a template's quota to zero (WeChat said 43101).
func (s *DB) ClearSubscription(ctx context.Context, openid, templateID string, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE subscriptions SET quota = 0, updated_at = ? WHERE openid = ? AND template_id = ?`,
		utc(now), openid, templateID)
	return err
}

// Notification is an entry of a student's in-app inbox.
type Notification struct {
	ID        int64
	StudentNo string
	OutboxID  int64
	Kind      domain.EventKind
	Stage     domain.StageCode
	Title     string
	Body      string
	CreatedAt time.Time
}

// AddNotification puts an outbox event in the student's inbox once.
func (s *DB) AddNotification(ctx context.Context, n Notification) error {
	_, err := s.db.ExecContext(ctx, s.d.insertIgnore()+` INTO notifications (student_no, outbox_id, kind, stage, title, body, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, n.StudentNo, n.OutboxID, n.Kind, n.Stage, n.Title, n.Body, utc(n.CreatedAt))
	if err != nil {
		return fmt.Errorf("add notification: %w", err)
	}
	return nil
}

// Notifications lists a student's inbox, newest first.
func (s *DB) Notifications(ctx context.Context, studentNo string, limit int) ([]Notification, error) {
	if limit <= 0 || limit > 200 {
		limit = 100
	}
	rows, err := s.db.QueryContext(ctx, fmt.Sprintf(`SELECT id, student_no, outbox_id, kind, stage, title, body, created_at
		FROM notifications WHERE student_no = ? ORDER BY id DESC LIMIT %d`, limit), studentNo)
	if err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		if err := rows.Scan(&n.ID, &n.StudentNo, &n.OutboxID, &n.Kind, &n.Stage, &n.Title, &n.Body, &n.CreatedAt); err != nil {
			return nil, err
		}
		n.CreatedAt = n.CreatedAt.UTC()
		out = append(out, n)
	}
	return out, rows.Err()
}

// SupervisorItems are the five things a supervisor confirms.
var SupervisorItems = []string{"instruments", "equipment", "funds", "project", "classified"}

// AddConfirmation records which items a supervisor confirmed.
func (s *DB) AddConfirmation(ctx context.Context, batchID int64, studentNo string, accountID int64, items []string, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO confirmations (batch_id, student_no, account_id, items, at) VALUES (?, ?, ?, ?, ?)`,
		batchID, studentNo, accountID, strings.Join(items, ","), utc(now))
	return err
}

// ConfirmedItems returns the items of a student's latest confirmation.
func (s *DB) ConfirmedItems(ctx context.Context, batchID int64, studentNo string) ([]string, error) {
	var items string
	err := s.db.QueryRowContext(ctx, `SELECT items FROM confirmations WHERE batch_id = ? AND student_no = ?
		ORDER BY id DESC LIMIT 1`, batchID, studentNo).Scan(&items)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil || items == "" {
		return nil, err
	}
	return strings.Split(items, ","), nil
}
