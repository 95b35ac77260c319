package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"github.com/lixiao/lixiao/internal/domain"
)

// The stage_counts table keeps, per batch, college, stage and status, how
// many students are there. Every write that moves a clearance adjusts it in
// the same transaction, so the statistics read a few dozen rows instead of
// counting 240,000 clearances.

// StageCount is how many students of a college are in a status at a stage.
type StageCount struct {
	Stage   domain.StageCode
	College string
	Status  domain.Status
	Count   int
}

type countKey struct {
	college string
	stage   domain.StageCode
	status  domain.Status
}

// counts collects the adjustments of one transaction.
type counts map[countKey]int

func (c counts) add(college string, stage domain.StageCode, st domain.Status, n int) {
	c[countKey{college, stage, st}] += n
}

// apply writes the adjustments in key order, so two transactions always
// lock counter rows in the same order and cannot deadlock on them.
func (c counts) apply(ctx context.Context, tx *sql.Tx, d dialect, batchID int64) error {
	keys := make([]countKey, 0, len(c))
	for k, n := range c {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.college != b.college {
			return a.college < b.college
		}
		if a.stage != b.stage {
			return a.stage < b.stage
		}
		return a.status < b.status
	})
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `INSERT INTO stage_counts (batch_id, college, stage, status, n)
			VALUES (?, ?, ?, ?, ?)`+d.upsertAdd([]string{"batch_id", "college", "stage", "status"}, "n"),
			batchID, k.college, k.stage, k.status, c[k]); err != nil {
			return fmt.Errorf("adjust stage counts: %w", err)
		}
	}
	return nil
}

// StageCounts counts a batch's clearances by stage, college and status.
func (s *DB) StageCounts(ctx context.Context, batchID int64) ([]StageCount, error) {
	return s.stageCounts(ctx, `SELECT stage, college, status, n FROM stage_counts
		WHERE batch_id = ? AND n <> 0`, batchID)
}

// CountStagesSlowly counts the clearances themselves, the way StageCounts
// would without its table; tests hold the two to the same answer.
func (s *DB) CountStagesSlowly(ctx context.Context, batchID int64) ([]StageCount, error) {
	return s.stageCounts(ctx, `SELECT c.stage, s.college, c.status, COUNT(*) FROM clearances c
		JOIN students s ON s.batch_id = c.batch_id AND s.student_no = c.student_no
		WHERE c.batch_id = ? GROUP BY c.stage, s.college, c.status`, batchID)
}

func (s *DB) stageCounts(ctx context.Context, q string, batchID int64) ([]StageCount, error) {
	rows, err := s.db.QueryContext(ctx, q, batchID)
	if err != nil {
		return nil, fmt.Errorf("count stages: %w", err)
	}
	defer rows.Close()
	var out []StageCount
	for rows.Next() {
		var sc StageCount
		if err := rows.Scan(&sc.Stage, &sc.College, &sc.Status, &sc.Count); err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, rows.Err()
}
