// Package domain holds 离校通's vocabulary: batches, stage definitions, students,
// clearances and audit entries, and the departure rules of DOMAIN.md as plain
// functions. It imports no web framework, SQL driver or WeChat SDK, so every
// rule can be table-tested on its own.
package domain

import "time"

// StageCode names a stage of the departure process, e.g. "finance".
type StageCode string

// The stage codes the rules refer to by name. Everything else about a stage
// (texts, places, phones, prerequisites) comes from the batch configuration.
const (
	StageSupervisor        StageCode = "supervisor"
	StageCollegeSecretary  StageCode = "college_secretary"
	StageCollegeWorkgroup  StageCode = "college_workgroup"
	StageParty             StageCode = "party"
	StageFinance           StageCode = "finance"
	StageLoan              StageCode = "loan"
	StageLibrary           StageCode = "library"
	StageHospital          StageCode = "hospital"
	StageDorm              StageCode = "dorm"
	StageGradServiceCenter StageCode = "grad_service_center"
	StageCampusCard        StageCode = "campus_card"
	StageGradOffice        StageCode = "grad_office"
)

// Status is a clearance's state. Cleared and NotApplicable both show as ✓.
type Status string

const (
	StatusPending       Status = "pending"
	StatusCleared       Status = "cleared"
	StatusRejected      Status = "rejected"
	StatusNotApplicable Status = "not_applicable"
)

// Valid reports whether s is one of the four statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusPending, StatusCleared, StatusRejected, StatusNotApplicable:
		return true
	}
	return false
}

// Done reports whether the stage shows a green ✓.
func (s Status) Done() bool { return s == StatusCleared || s == StatusNotApplicable }

// Source says what last decided a clearance; the student sees it.
type Source string

const (
	SourceStaff       Source = "staff"
	SourceIntegration Source = "integration"
	SourceSelfService Source = "self_service"
	SourceRule        Source = "rule"
	SourceAdmin       Source = "admin"
)

// Channel says through which door a change came in; it is recorded in the audit.
type Channel string

const (
	ChannelScan        Channel = "scan"
	ChannelBulk        Channel = "bulk"
	ChannelConfirm     Channel = "confirm"
	ChannelAdmin       Channel = "admin"
	ChannelIntegration Channel = "integration"
	ChannelSelfService Channel = "self_service"
	ChannelRule        Channel = "rule"
)

// Role is what a caller may do.
type Role string

const (
	RoleStudent    Role = "student"
	RoleStaff      Role = "staff"
	RoleSupervisor Role = "supervisor"
	RoleAdmin      Role = "admin"
)

// DepartureType changes which requirements apply (the library thesis).
type DepartureType string

const (
	DepartureGraduated  DepartureType = "graduated"  // 毕业
	DepartureCompleted  DepartureType = "completed"  // 结业
	DepartureIncomplete DepartureType = "incomplete" // 肄业
	DepartureWithdrawn  DepartureType = "withdrawn"  // 退学
)

// Label is the Chinese word the handbook uses.
func (d DepartureType) Label() string {
	switch d {
	case DepartureGraduated:
		return "毕业"
	case DepartureCompleted:
		return "结业"
	case DepartureIncomplete:
		return "肄业"
	case DepartureWithdrawn:
		return "退学"
	}
	return string(d)
}

// Degree is master or doctor; the confirmation form says 硕 or 博.
type Degree string

const (
	DegreeMaster Degree = "master"
	DegreeDoctor Degree = "doctor"
)

// Label is the Chinese word for the degree.
func (d Degree) Label() string {
	if d == DegreeDoctor {
		return "博士"
	}
	return "硕士"
}

// Campus is where a student lives and which offices they visit.
type Campus string

const (
	CampusA    Campus = "A"
	CampusB    Campus = "B"
	CampusHuxi Campus = "huxi"
)

// Label is the Chinese name of the campus.
func (c Campus) Label() string {
	switch c {
	case CampusA:
		return "A区"
	case CampusB:
		return "B区"
	case CampusHuxi:
		return "虎溪校区"
	}
	return string(c)
}

// Batch is one departure round, e.g. "2026研究生离校", with its own stage
// configuration so next year's offices and phones do not rewrite this year's.
type Batch struct {
	ID        int64
	Name      string
	StartsOn  *time.Time
	EndsOn    *time.Time
	Stages    []StageDef // in the handbook's order
	CreatedAt time.Time
}

// Stage returns the definition of code in this batch.
func (b Batch) Stage(code StageCode) (StageDef, bool) {
	for _, s := range b.Stages {
		if s.Code == code {
			return s, true
		}
	}
	return StageDef{}, false
}

// Student is one graduate student in one batch, as imported from the roster.
type Student struct {
	BatchID           int64
	StudentNo         string
	Name              string
	College           string
	Degree            Degree
	DepartureType     DepartureType
	Campus            Campus
	SupervisorStaffNo string
	PartyMember       bool
	HasLoan           bool
	// IDHash is a keyed hash of the last six ID-card characters; the
	// characters themselves are never stored.
	IDHash    string
	UpdatedAt time.Time
}

// Clearance is one student's state at one stage.
type Clearance struct {
	BatchID   int64
	StudentNo string
	Stage     StageCode
	Status    Status
	Reason    string
	Source    Source
	UpdatedAt time.Time
	UpdatedBy string
	// DataAsOf is when an integration last reported on this student for this stage.
	DataAsOf *time.Time
}

// Actor is whoever causes a change: a staff member, a system, the student.
type Actor struct {
	ID   string // account id, integration key id, or "system"
	Name string
	Role Role // empty for systems and rules
}

// AuditEntry records one state change: who, how, from what to what, and why.
type AuditEntry struct {
	ID        int64
	BatchID   int64
	StudentNo string
	Stage     StageCode
	From      Status
	To        Status
	Reason    string
	ActorID   string
	ActorName string
	ActorRole Role
	Channel   Channel
	Source    Source
	At        time.Time
}
