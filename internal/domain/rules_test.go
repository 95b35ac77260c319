package domain

import (
	"reflect"
	"testing"
)

// Each test is named after the rule of DOMAIN.md it checks.

func TestRule1_ParallelNext(t *testing.T) {
	defs := handbookDefs()
	st := statusesWith(nil)
	for _, d := range defs {
		got := BlockedBy(defs, d.Code, st)
		locked := d.Code == StageCollegeSecretary || d.Code == StageGradOffice
		if locked != (len(got) > 0) {
			t.Errorf("fresh student: BlockedBy(%s) = %v, want locked=%v", d.Code, got, locked)
		}
	}
	tests := []struct {
		name     string
		st       Statuses
		next     []StageCode
		onlyLast bool
	}{
		{"fresh student, campus_card last while others open", statusesWith(nil),
			[]StageCode{StageSupervisor, StageCollegeWorkgroup, StageFinance, StageLibrary, StageDorm, StageGradServiceCenter, StageCampusCard}, false},
		{"supervisor done unlocks the secretary", statusesWith(map[StageCode]Status{StageSupervisor: StatusCleared}),
			[]StageCode{StageCollegeSecretary, StageCollegeWorkgroup, StageFinance, StageLibrary, StageDorm, StageGradServiceCenter, StageCampusCard}, false},
		{"rejected stage is still to do", statusesWith(map[StageCode]Status{StageFinance: StatusRejected}),
			[]StageCode{StageSupervisor, StageCollegeWorkgroup, StageFinance, StageLibrary, StageDorm, StageGradServiceCenter, StageCampusCard}, false},
		{"party member and loan holder", statusesWith(map[StageCode]Status{StageParty: StatusPending, StageLoan: StatusPending}),
			[]StageCode{StageSupervisor, StageCollegeWorkgroup, StageParty, StageFinance, StageLoan, StageLibrary, StageDorm, StageGradServiceCenter, StageCampusCard}, false},
		{"only campus_card and grad_office left", allClearedExcept(StageCampusCard, StageGradOffice),
			[]StageCode{StageCampusCard}, false},
		{"only the secretary and campus_card left: card is no longer last", allClearedExcept(StageCollegeSecretary, StageCampusCard, StageGradOffice),
			[]StageCode{StageCollegeSecretary, StageCampusCard}, false},
		{"everything but grad_office done", allClearedExcept(StageGradOffice), []StageCode{StageGradOffice}, true},
		{"not_applicable counts as done", func() Statuses {
			st := allClearedExcept(StageGradOffice)
			st[StageLoan], st[StageHospital] = StatusNotApplicable, StatusNotApplicable
			return st
		}(), []StageCode{StageGradOffice}, true},
		{"all done", allClearedExcept(), nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Next(defs, tt.st); !reflect.DeepEqual(got, tt.next) {
				t.Errorf("Next = %v, want %v", got, tt.next)
			}
			if got := OnlyFinalLeft(defs, tt.st); got != tt.onlyLast {
				t.Errorf("OnlyFinalLeft = %v, want %v", got, tt.onlyLast)
			}
		})
	}
	if OnlyFinalLeft(defs[:11], allClearedExcept()) {
		t.Error("OnlyFinalLeft without a final stage = true, want false")
	}
}

func TestRule2_CollegeSecretaryNeedsSupervisor(t *testing.T) {
	defs := handbookDefs()
	tests := []struct {
		supervisor Status
		blocked    []StageCode
	}{
		{StatusPending, []StageCode{StageSupervisor}},
		{StatusRejected, []StageCode{StageSupervisor}},
		{StatusCleared, nil},
		{StatusNotApplicable, nil},
	}
	for _, tt := range tests {
		t.Run(string(tt.supervisor), func(t *testing.T) {
			st := statusesWith(map[StageCode]Status{StageSupervisor: tt.supervisor})
			if got := BlockedBy(defs, StageCollegeSecretary, st); !reflect.DeepEqual(got, tt.blocked) {
				t.Errorf("BlockedBy(college_secretary) = %v, want %v", got, tt.blocked)
			}
		})
	}
}

func TestRule3_GradOfficeNeedsAllOthers(t *testing.T) {
	defs := handbookDefs()
	tests := []struct {
		name    string
		st      Statuses
		blocked []StageCode
	}{
		{"fresh student: every undone stage, in order", statusesWith(nil), []StageCode{
			StageSupervisor, StageCollegeSecretary, StageCollegeWorkgroup, StageFinance,
			StageLibrary, StageDorm, StageGradServiceCenter, StageCampusCard,
		}},
		{"two missing, listed in handbook order", allClearedExcept(StageCampusCard, StageFinance, StageGradOffice),
			[]StageCode{StageFinance, StageCampusCard}},
		{"rejected counts as missing", func() Statuses {
			st := allClearedExcept(StageGradOffice)
			st[StageLibrary] = StatusRejected
			return st
		}(), []StageCode{StageLibrary}},
		{"not_applicable counts as done", func() Statuses {
			st := allClearedExcept(StageGradOffice)
			st[StageParty], st[StageLoan], st[StageHospital] = StatusNotApplicable, StatusNotApplicable, StatusNotApplicable
			return st
		}(), nil},
		{"everything else done", allClearedExcept(StageGradOffice), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := BlockedBy(defs, StageGradOffice, tt.st); !reflect.DeepEqual(got, tt.blocked) {
				t.Errorf("BlockedBy(grad_office) = %v, want %v", got, tt.blocked)
			}
		})
	}
}

func TestRule4_CampusCardAdvice(t *testing.T) {
	defs := handbookDefs()
	advice := defOf(StageCampusCard).Advice
	tests := []struct {
		name   string
		code   StageCode
		st     Statuses
		advice string
	}{
		{"fresh student", StageCampusCard, statusesWith(nil), advice},
		{"one parallel stage open", StageCampusCard, allClearedExcept(StageDorm, StageCampusCard, StageGradOffice), advice},
		{"secretary still open", StageCampusCard, allClearedExcept(StageCollegeSecretary, StageCampusCard, StageGradOffice), advice},
		{"a rejected stage is open", StageCampusCard, func() Statuses {
			st := allClearedExcept(StageCampusCard, StageGradOffice)
			st[StageFinance] = StatusRejected
			return st
		}(), advice},
		{"only grad_office open besides: no advice", StageCampusCard, allClearedExcept(StageCampusCard, StageGradOffice), ""},
		{"not_applicable stages are not open", StageCampusCard, func() Statuses {
			st := allClearedExcept(StageCampusCard, StageGradOffice)
			st[StageLoan] = StatusNotApplicable
			return st
		}(), ""},
		{"campus_card already done", StageCampusCard, func() Statuses {
			st := statusesWith(nil)
			st[StageCampusCard] = StatusCleared
			return st
		}(), ""},
		{"other stages get no advice", StageDorm, statusesWith(nil), ""},
		{"nor does grad_office", StageGradOffice, statusesWith(nil), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Advice(defs, tt.code, tt.st); got != tt.advice {
				t.Errorf("Advice(%s) = %q, want %q", tt.code, got, tt.advice)
			}
			// Advice never blocks: campus_card can always be cleared.
			if got := BlockedBy(defs, StageCampusCard, tt.st); len(got) != 0 {
				t.Errorf("BlockedBy(campus_card) = %v, want none", got)
			}
		})
	}
	to, changed, err := Transition(defOf(StageCampusCard), StatusPending, ActionClear, RoleStaff, "")
	if err != nil || !changed || to != StatusCleared {
		t.Errorf("clear campus_card with other stages open = %q, %v, %v; want cleared", to, changed, err)
	}
}

func TestRule5_Applicability(t *testing.T) {
	tests := []struct {
		name    string
		code    StageCode
		student func(*Student)
		want    Status
	}{
		{"loan, no loan", StageLoan, nil, StatusNotApplicable},
		{"loan, has loan", StageLoan, func(s *Student) { s.HasLoan = true }, StatusPending},
		{"party, not a member", StageParty, nil, StatusNotApplicable},
		{"party, member", StageParty, func(s *Student) { s.PartyMember = true }, StatusPending},
		{"hospital, never reported", StageHospital, nil, StatusNotApplicable},
		{"hospital, even with loan and party", StageHospital, func(s *Student) { s.HasLoan, s.PartyMember = true, true }, StatusNotApplicable},
		{"finance always applies", StageFinance, nil, StatusPending},
		{"empty applies_when means always", StageSupervisor, nil, StatusPending},
	}
	for _, tt := range tests {
		t.Run("initial/"+tt.name, func(t *testing.T) {
			s := fresh()
			if tt.student != nil {
				tt.student(&s)
			}
			if got := InitialStatus(defOf(tt.code), s); got != tt.want {
				t.Errorf("InitialStatus(%s) = %q, want %q", tt.code, got, tt.want)
			}
		})
	}

	moves := []struct {
		name    string
		action  Action
		from    Status
		to      Status
		changed bool
	}{
		{"new debt reopens a not_applicable stage", ActionRequire, StatusNotApplicable, StatusPending, true},
		{"new debt reopens a cleared stage", ActionRequire, StatusCleared, StatusPending, true},
		{"new debt on a pending stage changes nothing", ActionRequire, StatusPending, StatusPending, false},
		{"new debt on a rejected stage keeps the rejection", ActionRequire, StatusRejected, StatusRejected, false},
		{"no debt exempts a pending stage", ActionExempt, StatusPending, StatusNotApplicable, true},
		{"no debt exempts a rejected stage", ActionExempt, StatusRejected, StatusNotApplicable, true},
		{"no debt keeps a staff clearance", ActionExempt, StatusCleared, StatusCleared, false},
		{"no debt again changes nothing", ActionExempt, StatusNotApplicable, StatusNotApplicable, false},
	}
	for _, code := range []StageCode{StageHospital, StageLoan, StageFinance} {
		for _, m := range moves {
			t.Run(string(code)+"/"+m.name, func(t *testing.T) {
				to, changed, err := Transition(defOf(code), m.from, m.action, "", "")
				if err != nil || to != m.to || changed != m.changed {
					t.Errorf("Transition(%s, %s) = %q, %v, %v; want %q, %v, nil", m.from, m.action, to, changed, err, m.to, m.changed)
				}
			})
		}
	}

	// A clearance row (e.g. the hospital reported a debt) overrides the initial status.
	st := StatusesOf(Batch{Stages: handbookDefs()}, fresh(), []Clearance{{Stage: StageHospital, Status: StatusPending}})
	if st[StageHospital] != StatusPending || st[StageLoan] != StatusNotApplicable {
		t.Errorf("StatusesOf with a hospital row = %v", st)
	}
}
