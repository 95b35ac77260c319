package service

import (
	"encoding/json"
	"testing"

	"github.com/lixiao/lixiao/internal/domain"
)

func TestCreateBatch(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		admin := h.adminPrincipal()
		tests := []struct {
			name string
			r    BatchRequest
			want domain.Code
		}{
			{"full", BatchRequest{Name: "2027研究生离校", StartsOn: "2027-05-20", EndsOn: "2027-07-10"}, ""},
			{"name only", BatchRequest{Name: " 2027研究生离校（补办） "}, ""},
			{"same name again", BatchRequest{Name: "2027研究生离校"}, domain.CodeConflict},
			{"no name", BatchRequest{Name: " "}, domain.CodeInvalidArgument},
			{"bad date", BatchRequest{Name: "x", StartsOn: "2027/05/20"}, domain.CodeInvalidArgument},
			{"ends before it starts", BatchRequest{Name: "y", StartsOn: "2027-07-10", EndsOn: "2027-05-20"}, domain.CodeInvalidArgument},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				b, err := h.svc.CreateBatch(h.ctx, admin, tt.r)
				wantCode(t, err, tt.want)
				if err != nil {
					return
				}
				if len(b.Stages) != 12 || b.Stages[0] != "supervisor" || b.Stages[11] != "grad_office" {
					t.Fatalf("batch stages = %v", b.Stages)
				}
				if tt.r.StartsOn != "" && (b.StartsOn == nil || *b.StartsOn != tt.r.StartsOn || *b.EndsOn != tt.r.EndsOn) {
					t.Fatalf("batch dates = %v %v", b.StartsOn, b.EndsOn)
				}
				stored, err := h.db.Batch(h.ctx, b.ID)
				if err != nil || len(stored.Stages) != 12 || stored.Name != b.Name {
					t.Fatalf("stored = %+v, %v", stored, err)
				}
			})
		}
		bs, err := h.svc.Batches(h.ctx, admin)
		if err != nil || len(bs) != 3 || bs[0].Name != "2027研究生离校（补办）" || bs[2].ID != h.batch.ID {
			t.Fatalf("batches = %+v, %v", bs, err)
		}
		_, err = h.svc.Batches(h.ctx, h.student("S001"))
		wantCode(t, err, domain.CodeForbidden)
		_, err = h.svc.CreateBatch(h.ctx, h.student("S002"), BatchRequest{Name: "z"})
		wantCode(t, err, domain.CodeForbidden)
	})
}

func TestAuditAndStudentProgress(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		admin := h.adminPrincipal()
		dorm := h.staff("wx-dorm", domain.RoleStaff, domain.StageDorm, "", "")
		for _, no := range []string{"S001", "S002"} {
			if _, err := h.svc.ClearStage(h.ctx, dorm, domain.StageDorm, StageRequest{StudentNo: no, Reason: "钥匙已还"}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := h.svc.RejectStage(h.ctx, admin, domain.StageFinance, StageRequest{StudentNo: "S001", Reason: "欠费"}); err != nil {
			t.Fatal(err)
		}
		items, err := h.svc.Audit(h.ctx, admin, AuditQuery{StudentNo: "S001"})
		if err != nil || len(items) != 2 {
			t.Fatalf("audit = %+v, %v", items, err)
		}
		a := items[1]
		if a.Stage != "dorm" || a.From != "pending" || a.To != "cleared" || a.Reason != "钥匙已还" || a.ActorName != "wx-dorm" ||
			a.ActorRole != "staff" || a.Channel != "scan" || a.Source != "staff" || a.BatchID != h.batch.ID || a.At.IsZero() {
			t.Fatalf("audit row = %+v", a)
		}
		if items[0].Source != "admin" || items[0].Stage != "finance" {
			t.Fatalf("newest first: %+v", items[0])
		}
		if items, _ = h.svc.Audit(h.ctx, admin, AuditQuery{Stage: domain.StageDorm, Limit: 1}); len(items) != 1 || items[0].StudentNo != "S002" {
			t.Fatalf("stage filter with limit = %+v", items)
		}
		if items, _ = h.svc.Audit(h.ctx, admin, AuditQuery{BatchID: 999}); len(items) != 0 {
			t.Fatalf("other batch = %+v", items)
		}
		_, err = h.svc.Audit(h.ctx, admin, AuditQuery{Limit: 5000})
		wantCode(t, err, domain.CodeInvalidArgument)
		_, err = h.svc.Audit(h.ctx, dorm, AuditQuery{})
		wantCode(t, err, domain.CodeForbidden)

		body, err := h.svc.StudentProgress(h.ctx, admin, "S001", 0)
		if err != nil {
			t.Fatal(err)
		}
		var v ProgressView
		if err := json.Unmarshal(body, &v); err != nil || v.Student.StudentNo != "S001" || v.Stages[8].Status != "cleared" || len(v.History) != 2 {
			t.Fatalf("progress = %+v, %v", v, err)
		}
		_, err = h.svc.StudentProgress(h.ctx, admin, "NOPE1", 0)
		wantCode(t, err, domain.CodeNotFound)
		_, err = h.svc.StudentProgress(h.ctx, admin, "S001", 999)
		wantCode(t, err, domain.CodeNotFound)
		_, err = h.svc.StudentProgress(h.ctx, dorm, "S001", 0)
		wantCode(t, err, domain.CodeForbidden)
	})
}
