package domain

// Applicability says when a stage concerns a student at all (rule 5).
type Applicability string

const (
	// AppliesAlways is the default: every student must clear the stage.
	AppliesAlways Applicability = "always"
	// AppliesWithLoan: only students with a state student loan.
	AppliesWithLoan Applicability = "has_loan"
	// AppliesToPartyMembers: only party members transfer their membership.
	AppliesToPartyMembers Applicability = "party_member"
	// AppliesWithDebt: only when the system that owns the stage reports an
	// obligation; a student never reported on owes nothing.
	AppliesWithDebt Applicability = "reported_debt"
)

// Location is one campus's office for a stage.
type Location struct {
	Campus Campus `yaml:"campus" json:"campus"`
	Place  string `yaml:"place" json:"place"`
	Phone  string `yaml:"phone" json:"phone"`
}

// Task is one thing the student must do at a stage. OnlyFor limits it to
// some departure types (the library thesis is for 毕业 only, rule 6).
type Task struct {
	Text    string          `yaml:"text" json:"text"`
	OnlyFor []DepartureType `yaml:"only_for,omitempty" json:"only_for,omitempty"`
}

// AppliesTo reports whether the task concerns a student leaving as d.
func (t Task) AppliesTo(d DepartureType) bool {
	if len(t.OnlyFor) == 0 {
		return true
	}
	for _, x := range t.OnlyFor {
		if x == d {
			return true
		}
	}
	return false
}

// StageDef is a stage as configured for a batch (rule 9: configuration, not code).
type StageDef struct {
	Code       StageCode  `yaml:"code" json:"code"`
	Name       string     `yaml:"name" json:"name"`
	Department string     `yaml:"department" json:"department"`
	Tasks      []Task     `yaml:"tasks" json:"tasks"`
	Notes      string     `yaml:"notes" json:"notes"`
	Locations  []Location `yaml:"locations" json:"locations"`
	// Requires lists stages that must be done (✓) before this one (rule 2).
	Requires []StageCode `yaml:"requires,omitempty" json:"requires,omitempty"`
	// RequiresAllOthers makes this the last stage (rule 3).
	RequiresAllOthers bool `yaml:"requires_all_others,omitempty" json:"requires_all_others,omitempty"`
	// AdviseLast marks a stage advised after the other parallel stages (rule 4).
	AdviseLast bool `yaml:"advise_last,omitempty" json:"advise_last,omitempty"`
	// Advice is shown while AdviseLast applies.
	Advice      string        `yaml:"advice,omitempty" json:"advice,omitempty"`
	AppliesWhen Applicability `yaml:"applies_when,omitempty" json:"applies_when,omitempty"`
	// CollegeScoped stages are handled by each college's own staff.
	CollegeScoped bool `yaml:"college_scoped,omitempty" json:"college_scoped,omitempty"`
	// Integration names the university system whose data decides the stage.
	Integration string `yaml:"integration,omitempty" json:"integration,omitempty"`
	// SelfService allows the student to apply online (the library, rule 6).
	SelfService bool `yaml:"self_service,omitempty" json:"self_service,omitempty"`
	// Completes marks the stage whose ✓ completes the departure (rule 8).
	Completes bool `yaml:"completes,omitempty" json:"completes,omitempty"`
}
