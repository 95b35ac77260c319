package service

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/store"
)

// Rule 6: the library's records are stored and the stage says exactly what
// is missing; the online application then uses them.
func TestLibraryPush(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		h.enableKeys()
		p := h.student("S001") // graduated: the thesis applies
		at := time.Now().Add(-time.Hour).Truncate(time.Second)
		r := h.mustPush("library", records(rec("S001", at, `"borrowed":1,"fine_cents":1500,"thesis_submitted":false`))).Results[0]
		want := "尚有 1 本图书未归还；超期欠款 15 元，超过 10 元，请先缴清；尚未网上提交学位论文"
		if !r.OK || r.Changed || r.Status != "pending" || r.Message != want {
			t.Fatalf("result = %+v", r)
		}
		sv := stageView(t, h.progress(p), domain.StageLibrary)
		if sv.Reason != want || sv.DataAsOf == nil || !sv.DataAsOf.Equal(at) {
			t.Fatalf("library stage = %+v", sv)
		}
		_, err := h.svc.ApplyLibrary(h.ctx, p)
		wantCode(t, err, domain.CodeStageLocked)

		h.mustPush("library", records(rec("S001", at.Add(time.Minute), `"borrowed":0,"fine_cents":1000,"thesis_submitted":true`)))
		if sv := stageView(t, h.progress(p), domain.StageLibrary); sv.Reason != reasonLibraryEligible || sv.Status != "pending" {
			t.Fatalf("eligible stage = %+v", sv)
		}
		if sv, err := h.svc.ApplyLibrary(h.ctx, p); err != nil || sv.Status != "cleared" {
			t.Fatalf("apply = %+v, %v", sv, err)
		}
		// Data after the clearance does not undo it, nor rewrite its reason.
		h.mustPush("library", records(rec("S001", at.Add(2*time.Minute), `"borrowed":3,"fine_cents":0,"thesis_submitted":true`)))
		if c := h.clearance("S001", domain.StageLibrary); c.Status != domain.StatusCleared || c.Reason != "网上申请离校" {
			t.Fatalf("library after later data = %+v", c)
		}
	})
}

func TestLoanAndHospitalPush(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		h.enableKeys()
		at := time.Now().Add(-time.Hour).Truncate(time.Second)
		steps := []struct {
			name, system, no, fields string
			want                     domain.Status
			changed                  bool
			reason                   string
		}{
			// S002 has a loan (roster): pending until the loan centre says settled.
			{"loan settled clears", "loan", "S002", `"has_loan":true,"settled":true`, domain.StatusCleared, true, ""},
			// S001 has no loan: not applicable stays so, with the date shown.
			{"no loan stays not applicable", "loan", "S001", `"has_loan":false`, domain.StatusNotApplicable, false, ""},
			// The loan centre knows of a loan the roster did not: pending (rule 5).
			{"unknown loan requires a visit", "loan", "S001", `"has_loan":true,"settled":false`, domain.StatusPending, true, reasonLoanOpen},
			{"then none: exempt", "loan", "S001", `"has_loan":false`, domain.StatusNotApplicable, true, reasonNoLoan},
			{"hospital debt", "hospital", "S003", `"debt_cents":2550`, domain.StatusPending, true, "尚欠校医院费用 25.50 元"},
			{"hospital paid", "hospital", "S003", `"debt_cents":0`, domain.StatusNotApplicable, true, reasonNoHospitalDebt},
			{"hospital never owed", "hospital", "S001", `"debt_cents":0`, domain.StatusNotApplicable, false, ""},
		}
		code := map[string]domain.StageCode{"loan": domain.StageLoan, "hospital": domain.StageHospital}
		for i, s := range steps {
			asOf := at.Add(time.Duration(i) * time.Minute)
			r := h.mustPush(s.system, records(rec(s.no, asOf, s.fields))).Results[0]
			c := h.clearance(s.no, code[s.system])
			if !r.OK || r.Changed != s.changed || c.Status != s.want || c.Reason != s.reason || !c.DataAsOf.Equal(asOf) {
				t.Fatalf("%s: result %+v, clearance %+v", s.name, r, c)
			}
		}
		var kinds []string
		for _, e := range h.eventsOf("S001") {
			kinds = append(kinds, string(e.Kind)+":"+string(e.Stage))
		}
		if got := strings.Join(kinds, " "); got != "stage_revoked:loan stage_cleared:loan" {
			t.Fatalf("S001 events = %s", got)
		}
	})
}

// clearEverything clears every stage of a student in order, completing
// the departure.
func clearEverything(t *testing.T, h *harness, no string) {
	t.Helper()
	_, err := h.svc.change(h.ctx, h.batch.ID, no, func(sh *store.Sheet) error {
		for _, d := range sh.Batch.Stages {
			if _, err := act(sh, d.Code, domain.ActionClear, store.Change{Source: domain.SourceAdmin, Channel: domain.ChannelAdmin,
				Actor: domain.Actor{ID: "test", Role: domain.RoleAdmin}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A rule does not reopen a completed departure: the data is kept, the
// stage stays ✓.
func TestPushAfterComplete(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		h.enableKeys()
		clearEverything(t, h, "S003")
		at := time.Now().Add(-time.Minute)
		r := h.mustPush("finance", records(rec("S003", at, `"owed_cents":100`))).Results[0]
		if !r.OK || r.Changed || r.Status != "cleared" || r.Message != msgKeptComplete {
			t.Fatalf("result = %+v", r)
		}
		if c := h.clearance("S003", domain.StageFinance); c.Status != domain.StatusCleared || c.DataAsOf == nil {
			t.Fatalf("finance = %+v", c)
		}
		recs, err := h.db.Records(h.ctx, h.batch.ID, "S003")
		if err != nil || recs["finance"].Payload != `{"owed_cents":100}` {
			t.Fatalf("stored record = %+v, %v", recs, err)
		}
	})
}

// Without batch_id a record goes to the student's newest batch.
func TestPushBatchChoice(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		h.enableKeys()
		old := h.batch
		next := domain.Batch{Name: "2027研究生离校", Stages: old.Stages}
		if err := h.db.CreateBatch(h.ctx, &next); err != nil {
			t.Fatal(err)
		}
		h.batch = next
		h.importStudents(testStudents()[0])
		at := time.Now().Add(-time.Minute)
		h.mustPush("finance", records(rec("S001", at, `"owed_cents":0`)))
		if h.status("S001", domain.StageFinance) != domain.StatusCleared {
			t.Fatal("newest batch not cleared")
		}
		h.batch = old
		if h.status("S001", domain.StageFinance) != domain.StatusPending {
			t.Fatal("old batch changed without batch_id")
		}
		h.mustPush("finance", records(rec("S001", at, `"owed_cents":0,"batch_id":`+strconv.FormatInt(old.ID, 10))))
		if h.status("S001", domain.StageFinance) != domain.StatusCleared {
			t.Fatal("batch_id not honoured")
		}
	})
}
