package domain

// EventKind names a notifiable event.
type EventKind string

const (
	EventStageCleared      EventKind = "stage_cleared"
	EventStageRejected     EventKind = "stage_rejected"
	EventStageRevoked      EventKind = "stage_revoked"
	EventFinalStageReady   EventKind = "final_stage_ready"
	EventDepartureComplete EventKind = "departure_complete"
	EventDeadlineReminder  EventKind = "deadline_reminder"
)

// Event is a notification to send to a student, written to the outbox in
// the same transaction as the change that causes it.
type Event struct {
	BatchID   int64
	StudentNo string
	Kind      EventKind
	Stage     StageCode
	StageName string
	Title     string // short, for the inbox and message headers
	Body      string // the full Chinese text for the inbox
	Reason    string
	// DedupeKey makes a second write of the same event a no-op.
	DedupeKey string
}
