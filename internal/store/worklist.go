package store

import (
	"context"
	"fmt"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
)

// WorkFilter selects a stage's worklist.
type WorkFilter struct {
	BatchID  int64
	Stage    domain.StageCode
	Status   domain.Status // empty: every status
	College  string
	Campus   domain.Campus
	Page     int // from 1
	PageSize int
}

// WorkItem is one student on a stage's worklist.
type WorkItem struct {
	Student   domain.Student
	Status    domain.Status
	Reason    string
	UpdatedAt time.Time
}

// Worklist lists the students at one stage, with their status there.
func (s *DB) Worklist(ctx context.Context, f WorkFilter) ([]WorkItem, int, error) {
	where := ` FROM students s JOIN clearances c ON c.batch_id = s.batch_id AND c.student_no = s.student_no
		WHERE s.batch_id = ? AND c.stage = ?`
	args := []any{f.BatchID, f.Stage}
	if f.Status != "" {
		where += ` AND c.status = ?`
		args = append(args, f.Status)
	}
	if f.College != "" {
		where += ` AND s.college = ?`
		args = append(args, f.College)
	}
	if f.Campus != "" {
		where += ` AND s.campus = ?`
		args = append(args, f.Campus)
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*)`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count worklist: %w", err)
	}
	if f.PageSize <= 0 || f.PageSize > 500 {
		f.PageSize = 50
	}
	if f.Page <= 0 {
		f.Page = 1
	}
	q := `SELECT s.batch_id, s.student_no, s.name, s.college, s.degree, s.departure_type, s.campus,
		s.supervisor_staff_no, s.party_member, s.has_loan, s.id_hash, s.updated_at, c.status, c.reason, c.updated_at` +
		where + fmt.Sprintf(` ORDER BY s.student_no LIMIT %d OFFSET %d`, f.PageSize, (f.Page-1)*f.PageSize)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list worklist: %w", err)
	}
	defer rows.Close()
	var out []WorkItem
	for rows.Next() {
		var w WorkItem
		st := &w.Student
		if err := rows.Scan(&st.BatchID, &st.StudentNo, &st.Name, &st.College, &st.Degree, &st.DepartureType,
			&st.Campus, &st.SupervisorStaffNo, &st.PartyMember, &st.HasLoan, &st.IDHash, &st.UpdatedAt,
			&w.Status, &w.Reason, &w.UpdatedAt); err != nil {
			return nil, 0, fmt.Errorf("list worklist: %w", err)
		}
		w.UpdatedAt = w.UpdatedAt.UTC()
		out = append(out, w)
	}
	return out, total, rows.Err()
}

// AllClearances streams every clearance of a batch, ordered by student, to fn.
func (s *DB) AllClearances(ctx context.Context, batchID int64, fn func(domain.Clearance) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT `+clearanceCols+` FROM clearances WHERE batch_id = ? ORDER BY student_no`, batchID)
	if err != nil {
		return fmt.Errorf("list clearances: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanClearance(rows)
		if err != nil {
			return err
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return rows.Err()
}
