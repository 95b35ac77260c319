package store

import (
	"context"
	"fmt"
)

// AddNotifications puts outbox events in their students' inboxes, each
// once, in one statement: the dispatcher writes a whole claimed batch before
// it contacts WeChat, so the inbox never depends on WeChat.
func (s *DB) AddNotifications(ctx context.Context, ns []Notification) error {
	if len(ns) == 0 {
		return nil
	}
	args := make([]any, 0, 7*len(ns))
	for _, n := range ns {
		args = append(args, n.StudentNo, n.OutboxID, n.Kind, n.Stage, clip(n.Title, 100), clip(n.Body, 1000), utc(n.CreatedAt))
	}
	_, err := s.db.ExecContext(ctx, s.d.insertIgnore()+` INTO notifications (student_no, outbox_id, kind, stage, title, body, created_at)
		VALUES `+placeholders(len(ns), 7), args...)
	if err != nil {
		return fmt.Errorf("add notifications: %w", err)
	}
	return nil
}
