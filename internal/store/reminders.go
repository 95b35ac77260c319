package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
)

// ClaimReminder claims the day's deadline reminder of a student and queues
// its event, in one transaction. The reminders row is the claim: when any
// instance has claimed (batch, student, day) already, nothing is written and
// claimed is false, so a student is reminded at most once a day however many
// instances run the daily job.
func (s *DB) ClaimReminder(ctx context.Context, batchID int64, studentNo string, day time.Time, e domain.Event, now time.Time) (claimed bool, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.insertIgnore()+` INTO reminders (batch_id, student_no, day) VALUES (?, ?, ?)`,
			batchID, studentNo, day.Format(dateLayout))
		if err != nil {
			return fmt.Errorf("claim reminder: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		claimed = true
		return insertEvents(ctx, tx, s.d, []domain.Event{e}, utc(now))
	})
	if err != nil {
		claimed = false
	}
	return claimed, err
}
