package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
)

const studentCols = `batch_id, student_no, name, college, degree, departure_type, campus,
	supervisor_staff_no, party_member, has_loan, id_hash, updated_at`

func scanStudent(row interface{ Scan(...any) error }) (domain.Student, error) {
	var st domain.Student
	err := row.Scan(&st.BatchID, &st.StudentNo, &st.Name, &st.College, &st.Degree, &st.DepartureType,
		&st.Campus, &st.SupervisorStaffNo, &st.PartyMember, &st.HasLoan, &st.IDHash, &st.UpdatedAt)
	st.UpdatedAt = st.UpdatedAt.UTC()
	return st, err
}

// Student returns one student of a batch.
func (s *DB) Student(ctx context.Context, batchID int64, studentNo string) (domain.Student, error) {
	st, err := scanStudent(s.db.QueryRowContext(ctx,
		`SELECT `+studentCols+` FROM students WHERE batch_id = ? AND student_no = ?`, batchID, studentNo))
	if err != nil {
		return st, notFound(err, fmt.Sprintf("学号 %s 不在该批次中", studentNo))
	}
	return st, nil
}

// StudentFilter narrows a student listing.
type StudentFilter struct {
	BatchID           int64
	College           string
	SupervisorStaffNo string
}

// Students lists the students of a batch in student-number order.
func (s *DB) Students(ctx context.Context, f StudentFilter) ([]domain.Student, error) {
	q := `SELECT ` + studentCols + ` FROM students WHERE batch_id = ?`
	args := []any{f.BatchID}
	if f.College != "" {
		q += ` AND college = ?`
		args = append(args, f.College)
	}
	if f.SupervisorStaffNo != "" {
		q += ` AND supervisor_staff_no = ?`
		args = append(args, f.SupervisorStaffNo)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY student_no`, args...)
	if err != nil {
		return nil, fmt.Errorf("list students: %w", err)
	}
	defer rows.Close()
	var out []domain.Student
	for rows.Next() {
		st, err := scanStudent(rows)
		if err != nil {
			return nil, fmt.Errorf("list students: %w", err)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// ImportResult says what an import did.
type ImportResult struct {
	Created int
	Updated int
	// Reapply lists updated students whose applicability facts (loan, party
	// membership) changed: the caller re-runs the rules on them.
	Reapply []domain.Student
}

// ImportStudents creates or updates the batch's students in one
// transaction. New students get their initial clearances (rule 5). A
// student whose row is unchanged is left alone, so importing the same file
// twice changes nothing.
func (s *DB) ImportStudents(ctx context.Context, b domain.Batch, students []domain.Student, now time.Time) (ImportResult, error) {
	var res ImportResult
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res = ImportResult{}
		existing, err := studentsByNo(ctx, tx, b.ID)
		if err != nil {
			return err
		}
		var fresh []domain.Student
		moved := map[string][2]string{} // student_no -> old, new college
		for _, st := range students {
			st.BatchID = b.ID
			old, ok := existing[st.StudentNo]
			if !ok {
				fresh = append(fresh, st)
				continue
			}
			if sameStudent(old, st) {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE students SET name = ?, college = ?, degree = ?, departure_type = ?,
				campus = ?, supervisor_staff_no = ?, party_member = ?, has_loan = ?, id_hash = ?, updated_at = ?
				WHERE batch_id = ? AND student_no = ?`,
				st.Name, st.College, st.Degree, st.DepartureType, st.Campus, st.SupervisorStaffNo,
				st.PartyMember, st.HasLoan, st.IDHash, utc(now), b.ID, st.StudentNo); err != nil {
				return fmt.Errorf("update student %s: %w", st.StudentNo, err)
			}
			res.Updated++
			if old.College != st.College {
				moved[st.StudentNo] = [2]string{old.College, st.College}
			}
			if old.HasLoan != st.HasLoan || old.PartyMember != st.PartyMember {
				res.Reapply = append(res.Reapply, st)
			}
		}
		if err := moveCounts(ctx, tx, s.d, b.ID, moved); err != nil {
			return err
		}
		if err := insertStudents(ctx, tx, s.d, b, fresh, now); err != nil {
			return err
		}
		res.Created = len(fresh)
		return nil
	})
	return res, err
}

func sameStudent(a, b domain.Student) bool {
	return a.Name == b.Name && a.College == b.College && a.Degree == b.Degree &&
		a.DepartureType == b.DepartureType && a.Campus == b.Campus &&
		a.SupervisorStaffNo == b.SupervisorStaffNo && a.PartyMember == b.PartyMember &&
		a.HasLoan == b.HasLoan && a.IDHash == b.IDHash
}

func studentsByNo(ctx context.Context, q queryer, batchID int64) (map[string]domain.Student, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+studentCols+` FROM students WHERE batch_id = ?`, batchID)
	if err != nil {
		return nil, fmt.Errorf("load students: %w", err)
	}
	defer rows.Close()
	out := map[string]domain.Student{}
	for rows.Next() {
		st, err := scanStudent(rows)
		if err != nil {
			return nil, fmt.Errorf("load students: %w", err)
		}
		out[st.StudentNo] = st
	}
	return out, rows.Err()
}

// insertChunk bounds the rows of one multi-row INSERT (placeholders stay
// well under both databases' limits).
const insertChunk = 400

// insertStudents inserts students and their initial clearances with
// multi-row INSERTs: 20,000 students are 240,000 clearance rows.
func insertStudents(ctx context.Context, tx *sql.Tx, d dialect, b domain.Batch, sts []domain.Student, now time.Time) error {
	t := utc(now)
	for start := 0; start < len(sts); start += insertChunk {
		chunk := sts[start:min(start+insertChunk, len(sts))]
		args := make([]any, 0, len(chunk)*13)
		for _, st := range chunk {
			args = append(args, b.ID, st.StudentNo, st.Name, st.College, st.Degree, st.DepartureType, st.Campus,
				st.SupervisorStaffNo, st.PartyMember, st.HasLoan, st.IDHash, t, t)
		}
		q := `INSERT INTO students (batch_id, student_no, name, college, degree, departure_type, campus,
			supervisor_staff_no, party_member, has_loan, id_hash, created_at, updated_at) VALUES ` +
			placeholders(len(chunk), 13)
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("insert students: %w", err)
		}
	}
	type row struct {
		no    string
		stage domain.StageCode
		st    domain.Status
	}
	var rows []row
	for _, st := range sts {
		for _, d := range b.Stages {
			rows = append(rows, row{st.StudentNo, d.Code, domain.InitialStatus(d, st)})
		}
	}
	cnt := counts{}
	college := map[string]string{}
	for _, st := range sts {
		college[st.StudentNo] = st.College
	}
	for _, r := range rows {
		cnt.add(college[r.no], r.stage, r.st, 1)
	}
	if err := cnt.apply(ctx, tx, d, b.ID); err != nil {
		return err
	}
	for start := 0; start < len(rows); start += insertChunk {
		chunk := rows[start:min(start+insertChunk, len(rows))]
		args := make([]any, 0, len(chunk)*6)
		for _, r := range chunk {
			args = append(args, b.ID, r.no, r.stage, r.st, domain.SourceRule, t)
		}
		q := `INSERT INTO clearances (batch_id, student_no, stage, status, source, updated_at) VALUES ` +
			placeholders(len(chunk), 6)
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("insert clearances: %w", err)
		}
	}
	return nil
}

// placeholders gives "(?, ?), (?, ?)" for n rows of k columns.
func placeholders(n, k int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", k), ", ") + ")"
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
	}
	return b.String()
}

// moveCounts moves the stage counts of students who changed college.
func moveCounts(ctx context.Context, tx *sql.Tx, d dialect, batchID int64, moved map[string][2]string) error {
	if len(moved) == 0 {
		return nil
	}
	cnt := counts{}
	for no, cols := range moved {
		cs, err := clearances(ctx, tx, batchID, no, d.forUpdate())
		if err != nil {
			return err
		}
		for _, c := range cs {
			cnt.add(cols[0], c.Stage, c.Status, -1)
			cnt.add(cols[1], c.Stage, c.Status, 1)
		}
	}
	return cnt.apply(ctx, tx, d, batchID)
}
