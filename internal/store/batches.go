package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
)

const dateLayout = "2006-01-02"

func dateArg(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.Format(dateLayout)
}

// CreateBatch stores a new batch with its own copy of the stage configuration.
func (s *DB) CreateBatch(ctx context.Context, b *domain.Batch) error {
	stages, err := json.Marshal(b.Stages)
	if err != nil {
		return fmt.Errorf("create batch: %w", err)
	}
	if b.CreatedAt.IsZero() {
		b.CreatedAt = time.Now()
	}
	res, err := s.db.ExecContext(ctx,
		`INSERT INTO batches (name, starts_on, ends_on, stages_json, created_at) VALUES (?, ?, ?, ?, ?)`,
		b.Name, dateArg(b.StartsOn), dateArg(b.EndsOn), string(stages), utc(b.CreatedAt))
	if err != nil {
		if s.d.isDuplicate(err) {
			return domain.Errorf(domain.CodeConflict, "批次「%s」已存在", b.Name)
		}
		return fmt.Errorf("create batch: %w", err)
	}
	b.ID, err = res.LastInsertId()
	return err
}

const batchCols = `id, name, starts_on, ends_on, stages_json, created_at`

func scanBatch(row interface{ Scan(...any) error }) (domain.Batch, error) {
	var b domain.Batch
	var starts, ends sql.NullTime
	var stages string
	if err := row.Scan(&b.ID, &b.Name, &starts, &ends, &stages, &b.CreatedAt); err != nil {
		return b, err
	}
	b.StartsOn, b.EndsOn = datePtr(starts), datePtr(ends)
	b.CreatedAt = b.CreatedAt.UTC()
	if err := json.Unmarshal([]byte(stages), &b.Stages); err != nil {
		return b, fmt.Errorf("batch %d: stages: %w", b.ID, err)
	}
	return b, nil
}

func datePtr(nt sql.NullTime) *time.Time {
	if !nt.Valid {
		return nil
	}
	y, m, d := nt.Time.Date()
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

// Batch returns one batch.
func (s *DB) Batch(ctx context.Context, id int64) (domain.Batch, error) {
	b, err := scanBatch(s.db.QueryRowContext(ctx, `SELECT `+batchCols+` FROM batches WHERE id = ?`, id))
	if err != nil {
		return b, notFound(err, fmt.Sprintf("批次 %d 不存在", id))
	}
	return b, nil
}

// Batches lists every batch, newest first.
func (s *DB) Batches(ctx context.Context) ([]domain.Batch, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+batchCols+` FROM batches ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list batches: %w", err)
	}
	defer rows.Close()
	var out []domain.Batch
	for rows.Next() {
		b, err := scanBatch(rows)
		if err != nil {
			return nil, fmt.Errorf("list batches: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// LatestBatchOf returns the id of the newest batch the student is in.
func (s *DB) LatestBatchOf(ctx context.Context, studentNo string) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx,
		`SELECT batch_id FROM students WHERE student_no = ? ORDER BY batch_id DESC LIMIT 1`, studentNo).Scan(&id)
	if err != nil {
		return 0, notFound(err, "该学生不在任何离校批次中")
	}
	return id, nil
}
