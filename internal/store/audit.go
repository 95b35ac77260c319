package store

import (
	"context"
	"fmt"

	"github.com/lixiao/lixiao/internal/domain"
)

// AuditFilter narrows an audit listing; zero fields match everything.
type AuditFilter struct {
	BatchID   int64
	StudentNo string
	Stage     domain.StageCode
	Limit     int // default 200
}

// Audit lists audit entries, newest first.
func (s *DB) Audit(ctx context.Context, f AuditFilter) ([]domain.AuditEntry, error) {
	q := `SELECT id, batch_id, student_no, stage, from_status, to_status, reason, actor_id, actor_name,
		actor_role, channel, source, at FROM audit WHERE 1 = 1`
	var args []any
	if f.BatchID != 0 {
		q += ` AND batch_id = ?`
		args = append(args, f.BatchID)
	}
	if f.StudentNo != "" {
		q += ` AND student_no = ?`
		args = append(args, f.StudentNo)
	}
	if f.Stage != "" {
		q += ` AND stage = ?`
		args = append(args, f.Stage)
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	q += fmt.Sprintf(` ORDER BY id DESC LIMIT %d`, f.Limit)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	defer rows.Close()
	var out []domain.AuditEntry
	for rows.Next() {
		var a domain.AuditEntry
		if err := rows.Scan(&a.ID, &a.BatchID, &a.StudentNo, &a.Stage, &a.From, &a.To, &a.Reason, &a.ActorID,
			&a.ActorName, &a.ActorRole, &a.Channel, &a.Source, &a.At); err != nil {
			return nil, fmt.Errorf("list audit: %w", err)
		}
		a.At = a.At.UTC()
		out = append(out, a)
	}
	return out, rows.Err()
}
