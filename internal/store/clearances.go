package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
)

// Change is one state transition made inside UpdateClearances.
type Change struct {
	Stage    domain.StageCode
	From, To domain.Status
	Reason   string
	Source   domain.Source
	Channel  domain.Channel
	Actor    domain.Actor
	DataAsOf *time.Time
}

// Record is the latest data a university system reported on a student.
type Record struct {
	System   string
	Payload  string // JSON
	AsOf     time.Time
	Received time.Time
}

// Sheet is one student's clearances, locked for the length of a transaction.
// The caller reads it, decides with the domain rules, and records changes;
// UpdateClearances then writes them, their audit rows and their events.
type Sheet struct {
	Batch   domain.Batch
	Student domain.Student
	Now     time.Time

	byStage map[domain.StageCode]*domain.Clearance
	missing map[domain.StageCode]bool
	changes []Change
	touched map[domain.StageCode]bool
	records []Record
	events  []domain.Event
}

// Clearance returns the current clearance of code.
func (sh *Sheet) Clearance(code domain.StageCode) domain.Clearance {
	if c, ok := sh.byStage[code]; ok {
		return *c
	}
	return domain.Clearance{}
}

// Statuses returns every stage's current status, changes included.
func (sh *Sheet) Statuses() domain.Statuses {
	st := domain.StatusesOf(sh.Batch, sh.Student, nil)
	for code, c := range sh.byStage {
		st[code] = c.Status
	}
	return st
}

// Set records a transition of code to status to.
func (sh *Sheet) Set(code domain.StageCode, to domain.Status, c Change) {
	cur := sh.byStage[code]
	c.Stage, c.From, c.To = code, cur.Status, to
	sh.changes = append(sh.changes, c)
	cur.Status, cur.Reason, cur.Source = to, c.Reason, c.Source
	cur.UpdatedAt, cur.UpdatedBy = sh.Now, c.Actor.ID
	if c.DataAsOf != nil {
		cur.DataAsOf = c.DataAsOf
	}
}

// Touch updates what the student reads about code (the reason, when the data
// is from) without a transition; it is not audited.
func (sh *Sheet) Touch(code domain.StageCode, reason string, dataAsOf *time.Time) {
	cur := sh.byStage[code]
	cur.Reason = reason
	if dataAsOf != nil {
		cur.DataAsOf = dataAsOf
	}
	sh.touched[code] = true
}

// PutRecord stores a system's latest data about the student.
func (sh *Sheet) PutRecord(r Record) { sh.records = append(sh.records, r) }

// Emit queues a notification; it is written in the same transaction.
func (sh *Sheet) Emit(e domain.Event) { sh.events = append(sh.events, e) }

// Changes returns the transitions recorded so far.
func (sh *Sheet) Changes() []Change { return sh.changes }

// Applied is what an UpdateClearances call wrote.
type Applied struct {
	Changes []Change
	Events  int
}

// UpdateClearances locks one student's clearances, lets fn decide, and
// writes fn's changes as one transaction: each change a conditional update
// (WHERE status = from) plus an audit row, then the records and outbox
// events fn queued. If fn returns an error nothing is written.
func (s *DB) UpdateClearances(ctx context.Context, batchID int64, studentNo string, fn func(*Sheet) error) (Applied, error) {
	var applied Applied
	err := s.tx(ctx, func(tx *sql.Tx) error {
		applied = Applied{}
		sh, err := s.loadSheet(ctx, tx, batchID, studentNo)
		if err != nil {
			return err
		}
		if err := fn(sh); err != nil {
			return err
		}
		if err := s.writeSheet(ctx, tx, sh); err != nil {
			return err
		}
		applied.Changes = sh.changes
		applied.Events = len(sh.events)
		return nil
	})
	return applied, err
}

func (s *DB) loadSheet(ctx context.Context, tx *sql.Tx, batchID int64, studentNo string) (*Sheet, error) {
	b, err := scanBatch(tx.QueryRowContext(ctx, `SELECT `+batchCols+` FROM batches WHERE id = ?`, batchID))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("批次 %d 不存在", batchID))
	}
	st, err := scanStudent(tx.QueryRowContext(ctx,
		`SELECT `+studentCols+` FROM students WHERE batch_id = ? AND student_no = ?`, batchID, studentNo))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("学号 %s 不在该批次中", studentNo))
	}
	cs, err := clearances(ctx, tx, batchID, studentNo, s.d.forUpdate())
	if err != nil {
		return nil, err
	}
	sh := &Sheet{Batch: b, Student: st, Now: time.Now().UTC(),
		byStage: map[domain.StageCode]*domain.Clearance{}, missing: map[domain.StageCode]bool{},
		touched: map[domain.StageCode]bool{}}
	for i := range cs {
		sh.byStage[cs[i].Stage] = &cs[i]
	}
	for _, d := range b.Stages {
		if _, ok := sh.byStage[d.Code]; !ok {
			sh.missing[d.Code] = true
			sh.byStage[d.Code] = &domain.Clearance{BatchID: batchID, StudentNo: studentNo, Stage: d.Code,
				Status: domain.InitialStatus(d, st), Source: domain.SourceRule}
		}
	}
	return sh, nil
}

func (s *DB) writeSheet(ctx context.Context, tx *sql.Tx, sh *Sheet) error {
	now := utc(sh.Now)
	cnt := counts{}
	college := sh.Student.College
	for code := range sh.missing {
		cnt.add(college, code, sh.initial(code), 1)
		c := sh.byStage[code]
		if _, err := tx.ExecContext(ctx, `INSERT INTO clearances (batch_id, student_no, stage, status, source, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, c.BatchID, c.StudentNo, code, sh.initial(code), domain.SourceRule, now); err != nil {
			return fmt.Errorf("insert clearance %s: %w", code, err)
		}
	}
	for _, c := range sh.changes {
		res, err := tx.ExecContext(ctx, `UPDATE clearances SET status = ?, reason = ?, source = ?, updated_at = ?,
			updated_by = ?, data_as_of = COALESCE(?, data_as_of)
			WHERE batch_id = ? AND student_no = ? AND stage = ? AND status = ?`,
			c.To, c.Reason, c.Source, now, c.Actor.ID, nullTime(c.DataAsOf),
			sh.Batch.ID, sh.Student.StudentNo, c.Stage, c.From)
		if err != nil {
			return fmt.Errorf("update clearance %s: %w", c.Stage, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return domain.Errorf(domain.CodeConflict, "「%s」的状态刚被他人修改，请刷新后重试", sh.stageName(c.Stage))
		}
		cnt.add(college, c.Stage, c.From, -1)
		cnt.add(college, c.Stage, c.To, 1)
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit (batch_id, student_no, stage, from_status, to_status,
			reason, actor_id, actor_name, actor_role, channel, source, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			sh.Batch.ID, sh.Student.StudentNo, c.Stage, c.From, c.To, c.Reason, c.Actor.ID, c.Actor.Name,
			c.Actor.Role, c.Channel, c.Source, now); err != nil {
			return fmt.Errorf("insert audit: %w", err)
		}
	}
	for code := range sh.touched {
		c := sh.byStage[code]
		if _, err := tx.ExecContext(ctx, `UPDATE clearances SET reason = ?, data_as_of = ?
			WHERE batch_id = ? AND student_no = ? AND stage = ?`,
			c.Reason, nullTime(c.DataAsOf), sh.Batch.ID, sh.Student.StudentNo, code); err != nil {
			return fmt.Errorf("touch clearance %s: %w", code, err)
		}
	}
	for _, r := range sh.records {
		if _, err := tx.ExecContext(ctx, `INSERT INTO records (batch_id, student_no, system, payload, as_of, received_at)
			VALUES (?, ?, ?, ?, ?, ?)`+s.d.upsert([]string{"batch_id", "student_no", "system"},
			[]string{"payload", "as_of", "received_at"}),
			sh.Batch.ID, sh.Student.StudentNo, r.System, r.Payload, utc(r.AsOf), now); err != nil {
			return fmt.Errorf("store %s record: %w", r.System, err)
		}
	}
	if err := cnt.apply(ctx, tx, s.d, sh.Batch.ID); err != nil {
		return err
	}
	return insertEvents(ctx, tx, s.d, sh.events, now)
}

func (sh *Sheet) initial(code domain.StageCode) domain.Status {
	d, _ := sh.Batch.Stage(code)
	return domain.InitialStatus(d, sh.Student)
}

func (sh *Sheet) stageName(code domain.StageCode) string {
	if d, ok := sh.Batch.Stage(code); ok {
		return d.Name
	}
	return string(code)
}

const clearanceCols = `batch_id, student_no, stage, status, reason, source, updated_at, updated_by, data_as_of`

func scanClearance(row interface{ Scan(...any) error }) (domain.Clearance, error) {
	var c domain.Clearance
	var asOf sql.NullTime
	err := row.Scan(&c.BatchID, &c.StudentNo, &c.Stage, &c.Status, &c.Reason, &c.Source, &c.UpdatedAt,
		&c.UpdatedBy, &asOf)
	c.UpdatedAt = c.UpdatedAt.UTC()
	c.DataAsOf = timePtr(asOf)
	return c, err
}

func clearances(ctx context.Context, q queryer, batchID int64, studentNo, suffix string) ([]domain.Clearance, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+clearanceCols+` FROM clearances
		WHERE batch_id = ? AND student_no = ?`+suffix, batchID, studentNo)
	if err != nil {
		return nil, fmt.Errorf("load clearances: %w", err)
	}
	defer rows.Close()
	var out []domain.Clearance
	for rows.Next() {
		c, err := scanClearance(rows)
		if err != nil {
			return nil, fmt.Errorf("load clearances: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Clearances returns a student's clearances (no lock).
func (s *DB) Clearances(ctx context.Context, batchID int64, studentNo string) ([]domain.Clearance, error) {
	return clearances(ctx, s.db, batchID, studentNo, "")
}
