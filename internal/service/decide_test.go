package service

import (
	"encoding/json"
	"testing"

	"github.com/lixiao/lixiao/internal/domain"
)

func TestDecide(t *testing.T) {
	const (
		P  = domain.StatusPending
		C  = domain.StatusCleared
		R  = domain.StatusRejected
		NA = domain.StatusNotApplicable
	)
	grad, withdrawn := domain.DepartureGraduated, domain.DepartureWithdrawn
	tests := []struct {
		name       string
		system     string
		from       domain.Status
		dep        domain.DepartureType
		rec        dataRecord
		wantAction domain.Action
		wantReason string
	}{
		{"finance paid clears", "finance", P, grad, dataRecord{OwedCents: 0}, domain.ActionClear, ""},
		{"finance paid after rejection", "finance", R, grad, dataRecord{}, domain.ActionClear, ""},
		{"finance debt requires", "finance", C, grad, dataRecord{OwedCents: 123450}, domain.ActionRequire, "尚欠学费/住宿费 1234.50 元"},
		{"finance whole yuan", "finance", P, grad, dataRecord{OwedCents: 800000}, domain.ActionRequire, "尚欠学费/住宿费 8000 元"},
		{"library eligible", "library", P, grad, dataRecord{Borrowed: 0, FineCents: 1000, ThesisSubmitted: true}, "", "可网上申请离校"},
		{"library books and fine", "library", P, grad, dataRecord{Borrowed: 2, FineCents: 1001, ThesisSubmitted: true}, "",
			"尚有 2 本图书未归还；超期欠款 10.01 元，超过 10 元，请先缴清"},
		{"library thesis missing", "library", P, grad, dataRecord{}, "", "尚未网上提交学位论文"},
		{"library thesis not for withdrawn", "library", P, withdrawn, dataRecord{}, "", "可网上申请离校"},
		{"loan none exempts", "loan", P, grad, dataRecord{HasLoan: false}, domain.ActionExempt, reasonNoLoan},
		{"loan settled clears", "loan", P, grad, dataRecord{HasLoan: true, Settled: true}, domain.ActionClear, ""},
		{"loan open requires", "loan", NA, grad, dataRecord{HasLoan: true}, domain.ActionRequire, reasonLoanOpen},
		{"hospital none exempts", "hospital", P, grad, dataRecord{DebtCents: 0}, domain.ActionExempt, reasonNoHospitalDebt},
		{"hospital debt requires", "hospital", NA, grad, dataRecord{DebtCents: 2550}, domain.ActionRequire, "尚欠校医院费用 25.50 元"},
		{"unknown system does nothing", "dorm", P, grad, dataRecord{}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, reason := decide(tt.system, tt.from, tt.dep, tt.rec)
			if a != tt.wantAction || reason != tt.wantReason {
				t.Fatalf("decide = (%q, %q), want (%q, %q)", a, reason, tt.wantAction, tt.wantReason)
			}
		})
	}
}

// The decision together with the domain's transition gives the statuses
// the issue asks for, from every starting status.
func TestDecideThenTransition(t *testing.T) {
	def := domain.StageDef{Code: domain.StageHospital, Name: "校医院"}
	tests := []struct {
		system string
		from   domain.Status
		rec    dataRecord
		want   domain.Status
	}{
		{"finance", domain.StatusPending, dataRecord{}, domain.StatusCleared},
		{"finance", domain.StatusCleared, dataRecord{OwedCents: 1}, domain.StatusPending},
		{"finance", domain.StatusRejected, dataRecord{OwedCents: 1}, domain.StatusRejected},
		{"loan", domain.StatusPending, dataRecord{}, domain.StatusNotApplicable},
		{"loan", domain.StatusCleared, dataRecord{}, domain.StatusCleared},
		{"loan", domain.StatusNotApplicable, dataRecord{HasLoan: true}, domain.StatusPending},
		{"loan", domain.StatusNotApplicable, dataRecord{HasLoan: true, Settled: true}, domain.StatusNotApplicable},
		{"hospital", domain.StatusPending, dataRecord{}, domain.StatusNotApplicable},
		{"hospital", domain.StatusCleared, dataRecord{}, domain.StatusCleared},
		{"hospital", domain.StatusNotApplicable, dataRecord{DebtCents: 5}, domain.StatusPending},
		{"hospital", domain.StatusCleared, dataRecord{DebtCents: 5}, domain.StatusPending},
	}
	for _, tt := range tests {
		a, reason := decide(tt.system, tt.from, domain.DepartureGraduated, tt.rec)
		to, _, err := domain.Transition(def, tt.from, a, "", reason)
		if err != nil || to != tt.want {
			t.Errorf("%s from %s with %+v: to %s (%v), want %s", tt.system, tt.from, tt.rec, to, err, tt.want)
		}
	}
}

func TestRecordPayload(t *testing.T) {
	r := dataRecord{OwedCents: 5, Borrowed: 1, FineCents: 200, ThesisSubmitted: true, HasLoan: true, DebtCents: 9}
	want := map[string]string{
		"finance":  `{"owed_cents":5}`,
		"library":  `{"borrowed":1,"fine_cents":200,"thesis_submitted":true}`,
		"loan":     `{"has_loan":true,"settled":false}`,
		"hospital": `{"debt_cents":9}`,
	}
	for system, w := range want {
		if got := r.payload(system); got != w {
			t.Errorf("%s payload = %s, want %s", system, got, w)
		}
	}
	// The library application reads the stored payload back.
	var lp LibraryPayload
	if err := json.Unmarshal([]byte(r.payload("library")), &lp); err != nil || lp.Borrowed != 1 || lp.FineCents != 200 || !lp.ThesisSubmitted {
		t.Fatalf("library payload read back as %+v (%v)", lp, err)
	}
}
