package stages

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lixiao/lixiao/internal/domain"
)

const shipped = "../../configs/stages.yaml"

func loadShipped(t *testing.T) File {
	t.Helper()
	f, err := Load(shipped)
	if err != nil {
		t.Fatalf("Load(%s): %v", shipped, err)
	}
	return f
}

func stageOf(t *testing.T, f File, code domain.StageCode) domain.StageDef {
	t.Helper()
	for _, d := range f.Stages {
		if d.Code == code {
			return d
		}
	}
	t.Fatalf("stage %q not in file", code)
	return domain.StageDef{}
}

func TestShippedFile_CodesInHandbookOrder(t *testing.T) {
	f := loadShipped(t)
	if f.University != "重庆大学" {
		t.Errorf("University = %q, want 重庆大学", f.University)
	}
	want := []domain.StageCode{
		domain.StageSupervisor, domain.StageCollegeSecretary, domain.StageCollegeWorkgroup,
		domain.StageParty, domain.StageFinance, domain.StageLoan, domain.StageLibrary,
		domain.StageHospital, domain.StageDorm, domain.StageGradServiceCenter,
		domain.StageCampusCard, domain.StageGradOffice,
	}
	var got []domain.StageCode
	for _, d := range f.Stages {
		got = append(got, d.Code)
		if d.Name == "" || d.Department == "" || len(d.Tasks) == 0 {
			t.Errorf("stage %q: name, department and tasks must be set: %+v", d.Code, d)
		}
		if d.AppliesWhen == "" {
			t.Errorf("stage %q: applies_when not normalised", d.Code)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("codes = %v, want %v", got, want)
	}
}

func TestShippedFile_SpotChecks(t *testing.T) {
	f := loadShipped(t)

	dorm := stageOf(t, f, domain.StageDorm)
	var huxi string
	for _, l := range dorm.Locations {
		if l.Campus == domain.CampusHuxi {
			huxi = l.Phone
		}
	}
	if huxi != "65678441" {
		t.Errorf("dorm huxi phone = %q, want 65678441", huxi)
	}

	tests := []struct {
		code domain.StageCode
		ok   func(domain.StageDef) bool
		what string
	}{
		{domain.StageGradOffice, func(d domain.StageDef) bool { return d.RequiresAllOthers && d.Completes }, "requires_all_others and completes"},
		{domain.StageCollegeSecretary, func(d domain.StageDef) bool {
			return reflect.DeepEqual(d.Requires, []domain.StageCode{domain.StageSupervisor}) && d.CollegeScoped
		}, "requires [supervisor], college_scoped"},
		{domain.StageParty, func(d domain.StageDef) bool { return d.AppliesWhen == domain.AppliesToPartyMembers && d.CollegeScoped }, "applies_when party_member"},
		{domain.StageLoan, func(d domain.StageDef) bool { return d.AppliesWhen == domain.AppliesWithLoan && len(d.Locations) == 2 }, "has_loan with two phone lines"},
		{domain.StageHospital, func(d domain.StageDef) bool {
			return d.AppliesWhen == domain.AppliesWithDebt && d.Integration == "hospital"
		}, "reported_debt, integration hospital"},
		{domain.StageCampusCard, func(d domain.StageDef) bool {
			return d.AdviseLast && strings.Contains(d.Advice, "研究生院研工办之前")
		}, "advise_last with advice"},
		{domain.StageFinance, func(d domain.StageDef) bool {
			return d.Integration == "finance" && strings.Contains(d.Notes, "http://pay.cqu.edu.cn") &&
				strings.Contains(d.Notes, "cd1929") && !strings.Contains(d.Notes, "30分钟")
		}, "finance notes without the 30-minute delay"},
		{domain.StageLibrary, func(d domain.StageDef) bool {
			return d.SelfService && len(d.Tasks) == 2 && len(d.Tasks[0].OnlyFor) == 0 &&
				reflect.DeepEqual(d.Tasks[1].OnlyFor, []domain.DepartureType{domain.DepartureGraduated})
		}, "library thesis only_for graduated"},
	}
	for _, tt := range tests {
		t.Run(string(tt.code), func(t *testing.T) {
			if d := stageOf(t, f, tt.code); !tt.ok(d) {
				t.Errorf("want %s, got %+v", tt.what, d)
			}
		})
	}
}

func TestLoad_MissingFileNamesPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.yaml")
	_, err := Load(path)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("Load(missing) = %v, want an error naming %s", err, path)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error %v should wrap fs.ErrNotExist", err)
	}
}

func TestLoad_InvalidFileNamesPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(path, []byte("stages: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "no stages") {
		t.Fatalf("Load(empty stages) = %v, want an error naming %s and 'no stages'", err, path)
	}
}

func TestParse_NormalisesAppliesWhen(t *testing.T) {
	f, err := Parse([]byte("stages:\n  - code: a\n    name: A\n  - code: b\n    name: B\n    applies_when: has_loan\n"))
	if err != nil {
		t.Fatal(err)
	}
	if f.Stages[0].AppliesWhen != domain.AppliesAlways || f.Stages[1].AppliesWhen != domain.AppliesWithLoan {
		t.Fatalf("applies_when = %q, %q; want always, has_loan", f.Stages[0].AppliesWhen, f.Stages[1].AppliesWhen)
	}
}
