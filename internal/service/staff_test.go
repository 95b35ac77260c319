package service

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/store"
)

func (h *harness) audit(no string) []domain.AuditEntry {
	h.t.Helper()
	es, err := h.db.Audit(h.ctx, store.AuditFilter{StudentNo: no})
	if err != nil {
		h.t.Fatal(err)
	}
	return es
}

func (h *harness) outbox() int {
	h.t.Helper()
	n, err := h.db.CountOutbox(h.ctx, "")
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

// TestStageScope: who may act on which stage of which student.
func TestStageScope(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		callers := map[string]Principal{
			"dorm":            h.staff("wx-dorm", domain.RoleStaff, domain.StageDorm, "", ""),
			"finance":         h.staff("wx-fin", domain.RoleStaff, domain.StageFinance, "", ""),
			"workgroup-cs":    h.staff("wx-wg-cs", domain.RoleStaff, domain.StageCollegeWorkgroup, "计算机学院", ""),
			"workgroup-lang":  h.staff("wx-wg-fl", domain.RoleStaff, domain.StageCollegeWorkgroup, "外国语学院", ""),
			"supervisor-T001": h.staff("wx-t1", domain.RoleSupervisor, "", "", "T001"),
			"admin":           h.adminPrincipal(),
			"student":         h.student("S002"),
		}
		tests := []struct {
			caller, student string
			stage           domain.StageCode
			want            domain.Code
		}{
			{"dorm", "S001", domain.StageDorm, ""},
			{"dorm", "S003", domain.StageDorm, ""}, // not college-scoped: any college
			{"finance", "S001", domain.StageDorm, domain.CodeForbidden},
			{"workgroup-cs", "S001", domain.StageCollegeWorkgroup, ""},
			{"workgroup-cs", "S003", domain.StageCollegeWorkgroup, domain.CodeForbidden},
			{"workgroup-lang", "S003", domain.StageCollegeWorkgroup, ""},
			{"workgroup-lang", "S002", domain.StageCollegeWorkgroup, domain.CodeForbidden},
			{"supervisor-T001", "S002", domain.StageSupervisor, domain.CodeForbidden}, // supervisors confirm instead
			{"admin", "S002", domain.StageSupervisor, ""},
			{"admin", "S002", domain.StageGradServiceCenter, ""},
			{"student", "S002", domain.StageDorm, domain.CodeForbidden},
			{"dorm", "NOPE1", domain.StageDorm, domain.CodeNotFound},
			{"admin", "S001", "nonsense", domain.CodeNotFound},
			{"dorm", "bad no!", domain.StageDorm, domain.CodeInvalidArgument},
		}
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s/%s/%s", tt.caller, tt.student, tt.stage), func(t *testing.T) {
				rows := len(h.audit(tt.student))
				sv, err := h.svc.ClearStage(h.ctx, callers[tt.caller], tt.stage, StageRequest{StudentNo: tt.student})
				wantCode(t, err, tt.want)
				if tt.want == "" && sv.Status != string(domain.StatusCleared) {
					t.Fatalf("stage after clear = %+v", sv)
				}
				if tt.want != "" && len(h.audit(tt.student)) != rows {
					t.Fatalf("a refused clear changed %s", tt.student)
				}
			})
		}
	})
}

// TestStageLifecycle: reject, clear, repeated clear, revoke, and what the
// audit trail and the outbox say about each.
func TestStageLifecycle(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		dorm := h.staff("wx-dorm", domain.RoleStaff, domain.StageDorm, "", "")
		req := StageRequest{StudentNo: "S001"}

		_, err := h.svc.RejectStage(h.ctx, dorm, domain.StageDorm, req)
		wantCode(t, err, domain.CodeInvalidArgument)
		req.Reason = "钥匙未归还"
		sv, err := h.svc.RejectStage(h.ctx, dorm, domain.StageDorm, req)
		if err != nil || sv.Status != "rejected" || sv.Reason != "钥匙未归还" || sv.Source != "staff" {
			t.Fatalf("reject = %+v, %v", sv, err)
		}
		req.Reason = "已归还"
		if sv, err = h.svc.ClearStage(h.ctx, dorm, domain.StageDorm, req); err != nil || sv.Status != "cleared" {
			t.Fatalf("clear = %+v, %v", sv, err)
		}
		if sv, err = h.svc.ClearStage(h.ctx, dorm, domain.StageDorm, StageRequest{StudentNo: "S001"}); err != nil || sv.Status != "cleared" {
			t.Fatalf("repeated clear = %+v, %v", sv, err)
		}
		if n := len(h.audit("S001")); n != 2 {
			t.Fatalf("audit rows after reject+clear+clear = %d, want 2", n)
		}
		if n := h.outbox(); n != 2 {
			t.Fatalf("outbox rows = %d, want 2 (no second notification)", n)
		}
		_, err = h.svc.RevokeStage(h.ctx, dorm, domain.StageDorm, StageRequest{StudentNo: "S001", Reason: " "})
		wantCode(t, err, domain.CodeInvalidArgument)
		if sv, err = h.svc.RevokeStage(h.ctx, dorm, domain.StageDorm, StageRequest{StudentNo: "S001", Reason: "误操作"}); err != nil || sv.Status != "pending" {
			t.Fatalf("revoke = %+v, %v", sv, err)
		}
		_, err = h.svc.RevokeStage(h.ctx, dorm, domain.StageDorm, StageRequest{StudentNo: "S001", Reason: "误操作"})
		wantCode(t, err, domain.CodeConflict)

		es := h.audit("S001")
		want := []struct {
			from, to domain.Status
			reason   string
		}{{"cleared", "pending", "误操作"}, {"rejected", "cleared", "已归还"}, {"pending", "rejected", "钥匙未归还"}}
		if len(es) != len(want) {
			t.Fatalf("audit = %+v", es)
		}
		for i, w := range want {
			e := es[i]
			if e.From != w.from || e.To != w.to || e.Reason != w.reason || e.Channel != domain.ChannelScan ||
				e.Source != domain.SourceStaff || e.ActorRole != domain.RoleStaff ||
				e.ActorID != fmt.Sprintf("account:%d", dorm.Account.ID) || e.ActorName != "wx-dorm" {
				t.Errorf("audit[%d] = %+v, want %v", i, e, w)
			}
		}
		// The student sees the history of their own stages.
		v := h.progress(h.student("S001"))
		if len(v.History) != 3 || v.History[0].To != "pending" || v.History[0].Reason != "误操作" {
			t.Fatalf("student history = %+v", v.History)
		}

		// An admin's change is recorded as the admin's.
		if _, err := h.svc.ClearStage(h.ctx, h.adminPrincipal(), domain.StageDorm, StageRequest{StudentNo: "S001"}); err != nil {
			t.Fatal(err)
		}
		if e := h.audit("S001")[0]; e.Source != domain.SourceAdmin || e.Channel != domain.ChannelAdmin || e.ActorRole != domain.RoleAdmin {
			t.Fatalf("admin audit row = %+v", e)
		}
	})
}

// TestPrerequisites: college_secretary needs supervisor; grad_office needs
// every other stage, and the error names exactly the missing ones.
func TestPrerequisites(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		admin := h.adminPrincipal()
		sec := h.staff("wx-sec", domain.RoleStaff, domain.StageCollegeSecretary, "计算机学院", "")
		final := h.staff("wx-final", domain.RoleStaff, domain.StageGradOffice, "", "")
		locked := func(err error, want ...domain.StageCode) {
			t.Helper()
			wantCode(t, err, domain.CodeStageLocked)
			e, _ := domain.AsError(err)
			if !reflect.DeepEqual(e.BlockedBy, want) {
				t.Fatalf("blocked_by = %v, want %v", e.BlockedBy, want)
			}
		}
		_, err := h.svc.ClearStage(h.ctx, sec, domain.StageCollegeSecretary, StageRequest{StudentNo: "S001"})
		locked(err, domain.StageSupervisor)

		// S001 has no loan and is not a party member: loan, party and hospital are ✓ already.
		open := []domain.StageCode{domain.StageSupervisor, domain.StageCollegeSecretary, domain.StageCollegeWorkgroup,
			domain.StageFinance, domain.StageLibrary, domain.StageDorm, domain.StageGradServiceCenter, domain.StageCampusCard}
		_, err = h.svc.ClearStage(h.ctx, final, domain.StageGradOffice, StageRequest{StudentNo: "S001"})
		locked(err, open...)
		if e, _ := domain.AsError(err); !strings.Contains(e.Message, "导师、学院研究生教务秘书") || !strings.Contains(e.Message, "一卡通管理中心") {
			t.Fatalf("message %q does not name the missing stages", e.Message)
		}
		for _, code := range open[:len(open)-1] {
			if _, err := h.svc.ClearStage(h.ctx, admin, code, StageRequest{StudentNo: "S001"}); err != nil {
				t.Fatalf("clear %s: %v", code, err)
			}
		}
		_, err = h.svc.ClearStage(h.ctx, final, domain.StageGradOffice, StageRequest{StudentNo: "S001"})
		locked(err, domain.StageCampusCard)
		if h.status("S001", domain.StageGradOffice) != domain.StatusPending || len(h.audit("S001")) != len(open)-1 {
			t.Fatal("a locked clear changed something")
		}
		if _, err := h.svc.ClearStage(h.ctx, admin, domain.StageCampusCard, StageRequest{StudentNo: "S001"}); err != nil {
			t.Fatal(err)
		}
		if sv, err := h.svc.ClearStage(h.ctx, final, domain.StageGradOffice, StageRequest{StudentNo: "S001"}); err != nil || sv.Status != "cleared" {
			t.Fatalf("final clear = %+v, %v", sv, err)
		}
		// The departure is complete: only an admin may reopen it.
		_, err = h.svc.RevokeStage(h.ctx, final, domain.StageGradOffice, StageRequest{StudentNo: "S001", Reason: "学生证未交"})
		wantCode(t, err, domain.CodeForbidden)
		if sv, err := h.svc.RevokeStage(h.ctx, admin, domain.StageGradOffice, StageRequest{StudentNo: "S001", Reason: "学生证未交"}); err != nil || sv.Status != "pending" {
			t.Fatalf("admin revoke = %+v, %v", sv, err)
		}
	})
}

// TestConcurrentClear: staff clearing the same stage at the same moment
// give one transition, one audit row and one outbox event.
func TestConcurrentClear(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		staff := []Principal{
			h.staff("wx-dorm-1", domain.RoleStaff, domain.StageDorm, "", ""),
			h.staff("wx-dorm-2", domain.RoleStaff, domain.StageDorm, "", ""),
		}
		const n = 16
		var wg sync.WaitGroup
		errs := make(chan error, n)
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				sv, err := h.svc.ClearStage(h.ctx, staff[i%2], domain.StageDorm, StageRequest{StudentNo: "S001"})
				if err == nil && sv.Status != "cleared" {
					err = fmt.Errorf("status %s", sv.Status)
				}
				errs <- err
			})
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("clear: %v", err)
			}
		}
		if a, o := len(h.audit("S001")), h.outbox(); a != 1 || o != 1 {
			t.Fatalf("audit rows = %d, outbox rows = %d; want 1 and 1", a, o)
		}
	})
}

// campusCardAdvice is configs/stages.yaml's rule-4 advice.
const campusCardAdvice = "建议在其他环节办理完成后再结算一卡通（其他环节可能需要使用一卡通），但须在研究生院研工办之前"

func TestScan(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		stu := h.student("S001")
		token, _, err := h.svc.QRToken(stu)
		if err != nil {
			t.Fatal(err)
		}
		sec := h.staff("wx-sec", domain.RoleStaff, domain.StageCollegeSecretary, "计算机学院", "")
		card := h.staff("wx-card", domain.RoleStaff, domain.StageCampusCard, "", "")
		secFL := h.staff("wx-sec-fl", domain.RoleStaff, domain.StageCollegeSecretary, "外国语学院", "")
		tests := []struct {
			name     string
			p        Principal
			myStage  string
			canAct   bool
			warnings []string
		}{
			{"secretary sees the lock", sec, "college_secretary", true, []string{"须先完成：导师"}},
			{"campus card sees the advice", card, "campus_card", true, []string{campusCardAdvice}},
			{"another college looks but may not act", secFL, "college_secretary", false,
				[]string{"该生属于计算机学院，不在你负责的学院（外国语学院）", "须先完成：导师"}},
			{"admin", h.adminPrincipal(), "", true, []string{}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				v, err := h.svc.Scan(h.ctx, tt.p, token)
				if err != nil {
					t.Fatal(err)
				}
				if v.Student.StudentNo != "S001" || v.Student.Name != "张伟" || len(v.Progress.Stages) != 12 ||
					v.MyStage != tt.myStage || v.CanAct != tt.canAct {
					t.Fatalf("scan = %+v", v)
				}
				if !reflect.DeepEqual(v.Warnings, tt.warnings) {
					t.Fatalf("warnings = %q, want %q", v.Warnings, tt.warnings)
				}
			})
		}
		_, err = h.svc.Scan(h.ctx, card, token[:len(token)-2]+"AA")
		wantCode(t, err, domain.CodeUnauthenticated)
		_, err = h.svc.Scan(h.ctx, card, "garbage")
		wantCode(t, err, domain.CodeUnauthenticated)
		_, err = h.svc.Scan(h.ctx, stu, token)
		wantCode(t, err, domain.CodeForbidden)
		h.svc.SetClock(func() time.Time { return time.Now().Add(10 * time.Minute) })
		_, err = h.svc.Scan(h.ctx, card, token)
		wantCode(t, err, domain.CodeUnauthenticated)
		if e, _ := domain.AsError(err); e.Message != "二维码无效或已过期，请学生刷新后重试" {
			t.Fatalf("message = %q", e.Message)
		}
	})
}
