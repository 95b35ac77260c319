package stages

import (
	"reflect"
	"testing"

	"github.com/lixiao/lixiao/internal/domain"
)

// TestShippedFile_FreshStudentProgress runs the domain rules on the shipped
// configuration, so a wrong rule field in the YAML shows up as a wrong ✓.
func TestShippedFile_FreshStudentProgress(t *testing.T) {
	f := loadShipped(t)
	b := domain.Batch{ID: 1, Name: "2021研究生离校", Stages: f.Stages}
	s := domain.Student{
		BatchID: 1, StudentNo: "20181302045", Name: "张三",
		DepartureType: domain.DepartureGraduated, Campus: domain.CampusA,
	}
	p := domain.BuildProgress(b, s, nil, nil)

	notApplicable := map[domain.StageCode]bool{domain.StageLoan: true, domain.StageParty: true, domain.StageHospital: true}
	if len(p.Stages) != 12 {
		t.Fatalf("got %d stages, want 12", len(p.Stages))
	}
	for _, sp := range p.Stages {
		want := domain.StatusPending
		if notApplicable[sp.Def.Code] {
			want = domain.StatusNotApplicable
		}
		if sp.Clearance.Status != want {
			t.Errorf("stage %q status = %q, want %q", sp.Def.Code, sp.Clearance.Status, want)
		}
	}
	if p.Complete {
		t.Error("fresh student is complete")
	}
	wantNext := []domain.StageCode{
		domain.StageSupervisor, domain.StageCollegeWorkgroup, domain.StageFinance,
		domain.StageLibrary, domain.StageDorm, domain.StageGradServiceCenter, domain.StageCampusCard,
	}
	if !reflect.DeepEqual(p.Next, wantNext) {
		t.Errorf("Next = %v, want %v", p.Next, wantNext)
	}

	byCode := make(map[domain.StageCode]domain.StageProgress, len(p.Stages))
	for _, sp := range p.Stages {
		byCode[sp.Def.Code] = sp
	}
	if got := byCode[domain.StageLibrary].Tasks; len(got) != 2 {
		t.Errorf("graduated student's library tasks = %v, want both", got)
	}
	if got := byCode[domain.StageDorm].Locations[0]; got.Campus != domain.CampusA || got.Phone != "65111348" {
		t.Errorf("dorm first location = %+v, want campus A 65111348", got)
	}
	if got := byCode[domain.StageCampusCard].Advice; got != f.Stages[10].Advice || got == "" {
		t.Errorf("campus_card advice = %q, want the configured advice", got)
	}
	if got := byCode[domain.StageCollegeSecretary].BlockedBy; !reflect.DeepEqual(got, []domain.StageCode{domain.StageSupervisor}) {
		t.Errorf("college_secretary BlockedBy = %v, want [supervisor]", got)
	}
	wantFinal := []domain.StageCode{
		domain.StageSupervisor, domain.StageCollegeSecretary, domain.StageCollegeWorkgroup,
		domain.StageFinance, domain.StageLibrary, domain.StageDorm, domain.StageGradServiceCenter,
		domain.StageCampusCard,
	}
	if got := byCode[domain.StageGradOffice].BlockedBy; !reflect.DeepEqual(got, wantFinal) {
		t.Errorf("grad_office BlockedBy = %v, want %v", got, wantFinal)
	}
}
