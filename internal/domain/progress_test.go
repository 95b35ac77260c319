package domain

import (
	"reflect"
	"testing"
	"time"
)

func TestBuildProgress(t *testing.T) {
	b := Batch{ID: 1, Name: "2021研究生离校", Stages: handbookDefs()}
	at := time.Date(2021, 6, 20, 9, 0, 0, 0, time.UTC)
	history := []AuditEntry{{ID: 2, Stage: StageSupervisor}, {ID: 1, Stage: StageDorm}}

	t.Run("handbook order, initial statuses, missing rows come from the rule", func(t *testing.T) {
		p := BuildProgress(b, fresh(), []Clearance{{BatchID: 1, StudentNo: "20181302045", Stage: StageFinance, Status: StatusRejected, Reason: "欠学费", Source: SourceIntegration, UpdatedAt: at}}, history)
		var codes []StageCode
		for _, sp := range p.Stages {
			codes = append(codes, sp.Def.Code)
		}
		if !reflect.DeepEqual(codes, allCodes()) {
			t.Fatalf("stage order = %v, want %v", codes, allCodes())
		}
		fin := p.Stages[4].Clearance
		if fin.Status != StatusRejected || fin.Reason != "欠学费" || fin.Source != SourceIntegration || !fin.UpdatedAt.Equal(at) {
			t.Errorf("finance clearance = %+v, want the stored row", fin)
		}
		loan := p.Stages[5].Clearance
		want := Clearance{BatchID: 1, StudentNo: "20181302045", Stage: StageLoan, Status: StatusNotApplicable, Source: SourceRule}
		if !reflect.DeepEqual(loan, want) {
			t.Errorf("loan clearance = %+v, want %+v", loan, want)
		}
		if !reflect.DeepEqual(p.History, history) || p.Complete || p.Batch.ID != 1 || p.Student.StudentNo != "20181302045" {
			t.Errorf("progress header = %+v", p)
		}
	})

	t.Run("tasks filtered by departure type", func(t *testing.T) {
		for _, tt := range []struct {
			dep  DepartureType
			want []string
		}{
			{DepartureGraduated, []string{"完清退书及超期欠费", "网上提交学位论文"}},
			{DepartureCompleted, []string{"完清退书及超期欠费"}},
			{DepartureIncomplete, []string{"完清退书及超期欠费"}},
			{DepartureWithdrawn, []string{"完清退书及超期欠费"}},
		} {
			s := fresh()
			s.DepartureType = tt.dep
			p := BuildProgress(b, s, nil, nil)
			if got := p.Stages[6].Tasks; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s: library tasks = %v, want %v", tt.dep, got, tt.want)
			}
		}
	})

	t.Run("campus-first locations", func(t *testing.T) {
		for _, tt := range []struct {
			campus      Campus
			dorm, grads []Campus
		}{
			{CampusA, []Campus{CampusA, CampusB, CampusHuxi}, []Campus{CampusA, CampusHuxi}},
			{CampusB, []Campus{CampusB, CampusA, CampusHuxi}, []Campus{CampusA, CampusHuxi}},
			{CampusHuxi, []Campus{CampusHuxi, CampusA, CampusB}, []Campus{CampusHuxi, CampusA}},
		} {
			s := fresh()
			s.Campus = tt.campus
			p := BuildProgress(b, s, nil, nil)
			if got := campuses(p.Stages[8].Locations); !reflect.DeepEqual(got, tt.dorm) {
				t.Errorf("%s: dorm campuses = %v, want %v", tt.campus, got, tt.dorm)
			}
			if got := campuses(p.Stages[9].Locations); !reflect.DeepEqual(got, tt.grads) {
				t.Errorf("%s: grad_service_center campuses = %v, want %v", tt.campus, got, tt.grads)
			}
			if got := p.Stages[0].Locations; got == nil || len(got) != 0 {
				t.Errorf("%s: supervisor locations = %#v, want empty", tt.campus, got)
			}
		}
	})

	t.Run("blocked_by only on undone stages", func(t *testing.T) {
		// A cleared secretary with an undone supervisor (e.g. the supervisor
		// was revoked later) shows ✓ and no lock.
		cs := []Clearance{{Stage: StageCollegeSecretary, Status: StatusCleared}}
		p := BuildProgress(b, fresh(), cs, nil)
		if got := p.Stages[1].BlockedBy; got != nil {
			t.Errorf("cleared college_secretary BlockedBy = %v, want nil", got)
		}
		p = BuildProgress(b, fresh(), nil, nil)
		if got := p.Stages[1].BlockedBy; !reflect.DeepEqual(got, []StageCode{StageSupervisor}) {
			t.Errorf("pending college_secretary BlockedBy = %v, want [supervisor]", got)
		}
		if got := p.Stages[11].BlockedBy; len(got) != 8 {
			t.Errorf("fresh grad_office BlockedBy = %v, want the 8 undone stages", got)
		}
		for _, sp := range p.Stages {
			if sp.Clearance.Status.Done() && sp.BlockedBy != nil {
				t.Errorf("done stage %s has BlockedBy %v", sp.Def.Code, sp.BlockedBy)
			}
		}
		if p.Stages[10].Advice == "" || p.Stages[8].Advice != "" {
			t.Errorf("advice: campus_card %q, dorm %q", p.Stages[10].Advice, p.Stages[8].Advice)
		}
	})

	t.Run("complete departure", func(t *testing.T) {
		var cs []Clearance
		for _, c := range allCodes() {
			cs = append(cs, Clearance{Stage: c, Status: StatusCleared})
		}
		p := BuildProgress(b, fresh(), cs, nil)
		if !p.Complete || p.Next != nil {
			t.Errorf("Complete = %v, Next = %v; want true, nil", p.Complete, p.Next)
		}
	})
}

func campuses(ls []Location) []Campus {
	var out []Campus
	for _, l := range ls {
		out = append(out, l.Campus)
	}
	return out
}

func TestRule7_FinanceDataAsOf(t *testing.T) {
	b := Batch{ID: 1, Stages: handbookDefs()}
	asOf := time.Date(2021, 6, 20, 8, 59, 0, 0, time.UTC)
	cs := []Clearance{{Stage: StageFinance, Status: StatusCleared, Source: SourceIntegration, DataAsOf: &asOf}}
	p := BuildProgress(b, fresh(), cs, nil)
	got := p.Stages[4].Clearance
	if got.DataAsOf == nil || !got.DataAsOf.Equal(asOf) || got.Source != SourceIntegration {
		t.Errorf("finance clearance = %+v, want the data time %v shown", got, asOf)
	}
	// A later push with a new debt turns the ✓ back into ×.
	to, changed, err := Transition(defOf(StageFinance), StatusCleared, ActionRequire, "", "")
	if err != nil || !changed || to != StatusPending {
		t.Errorf("require on cleared finance = %q, %v, %v; want pending", to, changed, err)
	}
}

func TestRule9_ConfigurationNotCode(t *testing.T) {
	// Another university: different codes, the rules follow the fields.
	defs := []StageDef{
		{Code: "keys", Name: "还钥匙"},
		{Code: "form", Name: "交表", Requires: []StageCode{"keys"}},
		{Code: "card", Name: "一卡通", AdviseLast: true, Advice: "最后办"},
		{Code: "leave", Name: "离校", RequiresAllOthers: true, Completes: true},
	}
	st := Statuses{"keys": StatusPending, "form": StatusPending, "card": StatusPending, "leave": StatusPending}
	if got := Next(defs, st); !reflect.DeepEqual(got, []StageCode{"keys", "card"}) {
		t.Errorf("Next = %v, want [keys card]", got)
	}
	if got := BlockedBy(defs, "leave", st); !reflect.DeepEqual(got, []StageCode{"keys", "form", "card"}) {
		t.Errorf("BlockedBy(leave) = %v", got)
	}
	if got := Advice(defs, "card", st); got != "最后办" {
		t.Errorf("Advice(card) = %q", got)
	}
	st = Statuses{"keys": StatusCleared, "form": StatusCleared, "card": StatusCleared, "leave": StatusCleared}
	if !Complete(defs, st) {
		t.Error("Complete = false, want true")
	}
	if got := Missing(defs, Statuses{"keys": StatusNotApplicable, "form": StatusRejected}); !reflect.DeepEqual(got, []StageCode{"form", "card", "leave"}) {
		t.Errorf("Missing = %v", got)
	}
}

func TestToday(t *testing.T) {
	sh := time.FixedZone("CST", 8*3600)
	got := Today(time.Date(2021, 6, 20, 17, 30, 0, 0, time.UTC), sh)
	if want := time.Date(2021, 6, 21, 0, 0, 0, 0, sh); !got.Equal(want) || got.Location() != sh {
		t.Errorf("Today = %v, want %v", got, want)
	}
}
