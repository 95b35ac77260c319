package service

import (
	"fmt"
	"testing"

	"github.com/lixiao/lixiao/internal/domain"
)

// Every way a clearance can change (staff, bulk, supervisor, admin,
// integration push, list import, the student's own application, and the
// rules of a roster re-import) is followed by a progress read that shows
// exactly what the database holds, although the progress was cached just
// before. No write path skips the invalidation.
func TestEveryWritePathInvalidatesProgress(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		h.enableKeys()
		admin := h.adminPrincipal()
		dorm := h.staff("wp-dorm", domain.RoleStaff, domain.StageDorm, "", "")
		finance := h.staff("wp-finance", domain.RoleStaff, domain.StageFinance, "", "")
		library := h.staff("wp-library", domain.RoleStaff, domain.StageLibrary, "", "")
		supervisor := h.staff("wp-sup", domain.RoleSupervisor, "", "", "T001")
		student := h.student("S001")
		all := SupervisorItems{Instruments: true, Equipment: true, Funds: true, Project: true, Classified: true}

		paths := []struct {
			name  string
			write func() error
		}{
			{"staff clear", func() error {
				_, err := h.svc.ClearStage(h.ctx, dorm, domain.StageDorm, StageRequest{StudentNo: "S001"})
				return err
			}},
			{"staff revoke", func() error {
				_, err := h.svc.RevokeStage(h.ctx, dorm, domain.StageDorm, StageRequest{StudentNo: "S001", Reason: "钥匙未交齐"})
				return err
			}},
			{"staff reject", func() error {
				_, err := h.svc.RejectStage(h.ctx, finance, domain.StageFinance, StageRequest{StudentNo: "S001", Reason: "票据不全"})
				return err
			}},
			{"bulk clear", func() error {
				_, err := h.svc.BulkClear(h.ctx, library, domain.StageLibrary, BulkRequest{Rows: []BulkRow{{Row: 1, StudentNo: "S001"}}})
				return err
			}},
			{"supervisor confirm", func() error {
				_, err := h.svc.ConfirmSupervisor(h.ctx, supervisor, "S001", ConfirmRequest{Items: all})
				return err
			}},
			{"admin", func() error {
				_, err := h.svc.ClearStage(h.ctx, admin, domain.StageGradServiceCenter, StageRequest{StudentNo: "S001"})
				return err
			}},
			{"integration push", func() error {
				_, err := h.push("finance", `{"records":[{"student_no":"S001","as_of":"2026-06-01T08:00:00+08:00","owed_cents":0}]}`)
				return err
			}},
			{"list import", func() error {
				_, _, err := h.importList(admin, "hospital", [][]string{{"学号", "欠费(元)"}, {"S001", "30"}}, false)
				return err
			}},
			{"rule: roster re-import adds a loan", func() error {
				_, err := h.importRoster(admin, [][]string{{"S001", "张伟", "计算机学院", "硕士", "毕业", "A区", "12345X", "T001", "否", "是"}}, false)
				return err
			}},
			{"self-service library", func() error {
				if _, err := h.svc.RevokeStage(h.ctx, admin, domain.StageLibrary, StageRequest{StudentNo: "S001", Reason: "重新办理"}); err != nil {
					return err
				}
				h.progress(student) // cache again after the revoke
				if _, err := h.push("library", `{"records":[{"student_no":"S001","as_of":"2026-06-02T08:00:00+08:00","borrowed":0,"fine_cents":0,"thesis_submitted":true}]}`); err != nil {
					return err
				}
				h.progress(student)
				_, err := h.svc.ApplyLibrary(h.ctx, student)
				return err
			}},
		}
		for _, p := range paths {
			before := h.progress(student) // cached now
			if err := p.write(); err != nil {
				t.Fatalf("%s: %v", p.name, err)
			}
			after := h.progress(student)
			if fmt.Sprint(statusesOf(before)) == fmt.Sprint(statusesOf(after)) && fmt.Sprint(reasonsOf(before)) == fmt.Sprint(reasonsOf(after)) {
				t.Errorf("%s: progress unchanged, so the write did not land or the cache hid it", p.name)
			}
			for _, s := range after.Stages {
				c := h.clearance("S001", domain.StageCode(s.Code))
				if s.Status != string(c.Status) || s.Reason != c.Reason {
					t.Errorf("%s: progress shows %s %s %q, the database %s %q", p.name, s.Code, s.Status, s.Reason, c.Status, c.Reason)
				}
			}
		}
	})
}

func statusesOf(v ProgressView) []string {
	out := make([]string, len(v.Stages))
	for i, s := range v.Stages {
		out[i] = s.Status
	}
	return out
}

func reasonsOf(v ProgressView) []string {
	out := make([]string, len(v.Stages))
	for i, s := range v.Stages {
		out[i] = s.Reason
	}
	return out
}
