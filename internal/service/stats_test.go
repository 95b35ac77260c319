package service

import (
	"reflect"
	"testing"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/store"
)

// actOn applies one action to one stage of a fixture student, as staff would.
func actOn(t *testing.T, h *harness, no string, code domain.StageCode, a domain.Action, reason string) {
	t.Helper()
	_, err := h.svc.change(h.ctx, h.batch.ID, no, func(sh *store.Sheet) error {
		_, err := act(sh, code, a, store.Change{Source: domain.SourceStaff, Channel: domain.ChannelScan,
			Actor: domain.Actor{ID: "account:7", Role: domain.RoleStaff}, Reason: reason})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// statsFixture: S003 (外国语学院) has completed; S001 (计算机学院, no loan,
// not a party member) has finance cleared and dorm rejected; S002
// (计算机学院, loan, party member) has loan cleared.
func statsFixture(t *testing.T, h *harness) {
	clearEverything(t, h, "S003")
	actOn(t, h, "S001", domain.StageFinance, domain.ActionClear, "")
	actOn(t, h, "S001", domain.StageDorm, domain.ActionReject, "钥匙未交")
	actOn(t, h, "S002", domain.StageLoan, domain.ActionClear, "")
}

// The figures against the hand count of statsFixture.
func TestStats(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		statsFixture(t, h)
		v, err := h.svc.Stats(h.ctx, h.adminPrincipal(), h.batch.ID)
		if err != nil {
			t.Fatal(err)
		}
		type c = StatusCounts
		wantStages := map[string]StatusCounts{
			"supervisor":          c{Pending: 2, Cleared: 1},
			"college_secretary":   c{Pending: 2, Cleared: 1},
			"college_workgroup":   c{Pending: 2, Cleared: 1},
			"party":               c{Pending: 1, NotApplicable: 2},
			"finance":             c{Pending: 1, Cleared: 2},
			"loan":                c{Cleared: 1, NotApplicable: 2},
			"library":             c{Pending: 2, Cleared: 1},
			"hospital":            c{NotApplicable: 3},
			"dorm":                c{Pending: 1, Rejected: 1, Cleared: 1},
			"grad_service_center": c{Pending: 2, Cleared: 1},
			"campus_card":         c{Pending: 2, Cleared: 1},
			"grad_office":         c{Pending: 2, Cleared: 1},
		}
		if v.Batch.ID != h.batch.ID || v.Students != 3 || v.Complete != 1 || len(v.Stages) != 12 || v.Stages[0].Code != "supervisor" {
			t.Fatalf("stats = %+v", v)
		}
		for _, s := range v.Stages {
			if s.Counts != wantStages[s.Code] || s.Name == "" {
				t.Errorf("stage %s = %+v, want %+v", s.Code, s.Counts, wantStages[s.Code])
			}
		}
		cs := map[string]int{"supervisor": 2, "college_secretary": 2, "college_workgroup": 2, "party": 1, "finance": 1,
			"loan": 0, "library": 2, "hospital": 0, "dorm": 2, "grad_service_center": 2, "campus_card": 2, "grad_office": 2}
		fl := map[string]int{}
		for code := range cs {
			fl[code] = 0
		}
		wantColleges := []CollegeStats{
			{College: "外国语学院", Students: 1, Complete: 1, PendingByStage: fl},
			{College: "计算机学院", Students: 2, Complete: 0, PendingByStage: cs},
		}
		if !reflect.DeepEqual(v.Colleges, wantColleges) {
			t.Errorf("colleges = %+v\nwant %+v", v.Colleges, wantColleges)
		}
		if v.MostPending == nil || *v.MostPending != (MostPending{Code: "supervisor", Name: "导师", Pending: 2}) {
			t.Errorf("most pending = %+v", v.MostPending)
		}
		// The newest batch is the default.
		if d, err := h.svc.Stats(h.ctx, h.adminPrincipal(), 0); err != nil || d.Batch.ID != h.batch.ID {
			t.Fatalf("default batch: %+v %v", d.Batch, err)
		}
	})
}

func TestStats_RefusalsAndEmpty(t *testing.T) {
	h := newHarness(t, "sqlite")
	_, err := h.svc.Stats(h.ctx, h.student("S001"), h.batch.ID)
	wantCode(t, err, domain.CodeForbidden)
	_, err = h.svc.Stats(h.ctx, h.adminPrincipal(), 9999)
	wantCode(t, err, domain.CodeNotFound)
	empty := domain.Batch{Name: "空批次", Stages: h.batch.Stages}
	if err := h.db.CreateBatch(h.ctx, &empty); err != nil {
		t.Fatal(err)
	}
	v, err := h.svc.Stats(h.ctx, h.adminPrincipal(), empty.ID)
	if err != nil || v.Students != 0 || v.MostPending != nil || len(v.Colleges) != 0 || len(v.Stages) != 12 {
		t.Fatalf("empty batch = %+v, %v", v, err)
	}
}

// Stats are live: a change shows in the next read, and so does an import.
func TestStats_Live(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		admin := h.adminPrincipal()
		if _, err := h.svc.Stats(h.ctx, admin, h.batch.ID); err != nil {
			t.Fatal(err)
		}
		actOn(t, h, "S001", domain.StageSupervisor, domain.ActionClear, "")
		if v, _ := h.svc.Stats(h.ctx, admin, h.batch.ID); v.Stages[0].Counts.Cleared != 1 {
			t.Fatalf("supervisor cleared = %d after a clear", v.Stages[0].Counts.Cleared)
		}
		if _, err := h.importRoster(admin, [][]string{{"S400", "新", "新学院", "硕士", "毕业", "A区", "123456", "", "", ""}}, false); err != nil {
			t.Fatal(err)
		}
		if v, _ := h.svc.Stats(h.ctx, admin, h.batch.ID); v.Students != 4 {
			t.Fatalf("students after import = %d", v.Students)
		}
	})
}
