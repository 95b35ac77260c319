package service

import (
	"strings"
	"testing"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
)

func TestCreateAccountValidation(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		admin := h.adminPrincipal()
		tests := []struct {
			name string
			r    AccountRequest
			want domain.Code
		}{
			{"dorm staff", AccountRequest{Name: "李老师", Role: domain.RoleStaff, Stage: domain.StageDorm, Campus: domain.CampusA}, ""},
			{"college staff", AccountRequest{Name: "赵老师", Role: domain.RoleStaff, Stage: domain.StageParty, College: "计算机学院"}, ""},
			{"supervisor", AccountRequest{Name: "王导师", Role: domain.RoleSupervisor, StaffNo: "T001"}, ""},
			{"supervisor's delegate shares the staff number", AccountRequest{Name: "王导师授权人", Role: domain.RoleSupervisor, StaffNo: "T001"}, ""},
			{"admin", AccountRequest{Name: "管理员", Role: domain.RoleAdmin}, ""},
			{"no name", AccountRequest{Name: "  ", Role: domain.RoleAdmin}, domain.CodeInvalidArgument},
			{"long name", AccountRequest{Name: strings.Repeat("名", 65), Role: domain.RoleAdmin}, domain.CodeInvalidArgument},
			{"unknown role", AccountRequest{Name: "x", Role: "student"}, domain.CodeInvalidArgument},
			{"staff without stage", AccountRequest{Name: "x", Role: domain.RoleStaff}, domain.CodeInvalidArgument},
			{"staff of an unknown stage", AccountRequest{Name: "x", Role: domain.RoleStaff, Stage: "canteen"}, domain.CodeInvalidArgument},
			{"staff of the supervisor stage", AccountRequest{Name: "x", Role: domain.RoleStaff, Stage: domain.StageSupervisor}, domain.CodeInvalidArgument},
			{"college stage without college", AccountRequest{Name: "x", Role: domain.RoleStaff, Stage: domain.StageCollegeSecretary}, domain.CodeInvalidArgument},
			{"bad campus", AccountRequest{Name: "x", Role: domain.RoleStaff, Stage: domain.StageDorm, Campus: "C"}, domain.CodeInvalidArgument},
			{"supervisor without staff number", AccountRequest{Name: "x", Role: domain.RoleSupervisor}, domain.CodeInvalidArgument},
			{"supervisor with a stage", AccountRequest{Name: "x", Role: domain.RoleSupervisor, StaffNo: "T9", Stage: domain.StageDorm}, domain.CodeInvalidArgument},
			{"bad staff number", AccountRequest{Name: "x", Role: domain.RoleSupervisor, StaffNo: "T 9"}, domain.CodeInvalidArgument},
			{"admin with a stage", AccountRequest{Name: "x", Role: domain.RoleAdmin, Stage: domain.StageDorm}, domain.CodeInvalidArgument},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				inv, err := h.svc.CreateAccount(h.ctx, admin, tt.r)
				wantCode(t, err, tt.want)
				if err != nil {
					if e, _ := domain.AsError(err); e.Message == "" || e.Message[0] < 0x80 {
						t.Fatalf("message %q is not Chinese", e.Message)
					}
					return
				}
				if len(inv.InviteCode) != inviteLen || strings.ContainsAny(inv.InviteCode, "01OI") {
					t.Fatalf("invite code %q", inv.InviteCode)
				}
				if d := time.Until(inv.InviteExpiresAt); d < 7*24*time.Hour-time.Minute || d > 7*24*time.Hour {
					t.Fatalf("invite expires in %v", d)
				}
				a, err := h.db.Account(h.ctx, inv.ID)
				if err != nil || a.InviteHash != hashToken(inv.InviteCode) || a.OpenID != "" {
					t.Fatalf("stored account = %+v, %v; want only the hash of the code", a, err)
				}
			})
		}
		_, err := h.svc.CreateAccount(h.ctx, h.student("S001"), AccountRequest{Name: "x", Role: domain.RoleAdmin})
		wantCode(t, err, domain.CodeForbidden)
		list, err := h.svc.Accounts(h.ctx, admin)
		if err != nil || len(list) != 5 || list[0].Bound || list[0].InviteExpiresAt == nil || list[0].StageName != "学生公寓管理中心" {
			t.Fatalf("accounts = %+v, %v", list, err)
		}
	})
}

func TestInviteLifecycle(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		admin := h.adminPrincipal()
		inv, err := h.svc.CreateAccount(h.ctx, admin, AccountRequest{Name: "李老师", Role: domain.RoleStaff, Stage: domain.StageDorm})
		if err != nil {
			t.Fatal(err)
		}
		token, p := h.login("wx-li")
		if p.Has(domain.RoleStaff) {
			t.Fatal("staff role before redeeming")
		}
		_, err = h.svc.Redeem(h.ctx, p, "WRONGCODE234")
		wantCode(t, err, domain.CodeNotFound)
		_, err = h.svc.Redeem(h.ctx, p, "")
		wantCode(t, err, domain.CodeInvalidArgument)
		// Typed in lower case with a dash: still the code.
		typed := strings.ToLower(inv.InviteCode[:6]) + "-" + inv.InviteCode[6:]
		av, err := h.svc.Redeem(h.ctx, p, typed)
		if err != nil || av.ID != inv.ID || av.Stage != "dorm" {
			t.Fatalf("redeem = %+v, %v", av, err)
		}
		// The cached principal was dropped: the role applies at once.
		p, err = h.svc.Authenticate(h.ctx, token)
		if err != nil || !p.Has(domain.RoleStaff) || p.Account == nil || p.Account.Stage != domain.StageDorm {
			t.Fatalf("principal after redeem = %+v, %v", p, err)
		}
		_, other := h.login("wx-other")
		_, err = h.svc.Redeem(h.ctx, other, inv.InviteCode)
		wantCode(t, err, domain.CodeNotFound) // spent
		_, err = h.svc.Redeem(h.ctx, p, inv.InviteCode)
		wantCode(t, err, domain.CodeConflict) // already has an account

		// A new invite unbinds the old WeChat account at once.
		inv2, err := h.svc.ResetInvite(h.ctx, admin, inv.ID)
		if err != nil || inv2.InviteCode == inv.InviteCode {
			t.Fatalf("reset = %+v, %v", inv2, err)
		}
		if p, err = h.svc.Authenticate(h.ctx, token); err != nil || p.Has(domain.RoleStaff) {
			t.Fatalf("old WeChat after reset = %+v, %v", p, err)
		}
		_, err = h.svc.ResetInvite(h.ctx, admin, 9999)
		wantCode(t, err, domain.CodeNotFound)

		// Expired after seven days.
		h.svc.SetClock(func() time.Time { return time.Now().Add(7*24*time.Hour + time.Minute) })
		_, err = h.svc.Redeem(h.ctx, other, inv2.InviteCode)
		wantCode(t, err, domain.CodeInvalidArgument)
	})
}

// TestDisableEndsSessions: disabling an account ends its sessions at once
// on every instance (two services sharing the database and the cache).
func TestDisableEndsSessions(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		other := newHarnessOn(t, h.db, h.cache)
		staff := h.staff("wx-dorm", domain.RoleStaff, domain.StageDorm, "", "")
		token, _ := h.login("wx-dorm")
		for _, inst := range []*harness{h, other} {
			if _, err := inst.svc.Authenticate(h.ctx, token); err != nil {
				t.Fatal(err) // now cached
			}
		}
		admin := h.staff("wx-admin", domain.RoleAdmin, "", "", "")
		_, err := other.svc.SetAccountDisabled(h.ctx, admin, admin.Account.ID, true)
		wantCode(t, err, domain.CodeInvalidArgument) // not oneself
		item, err := other.svc.SetAccountDisabled(h.ctx, admin, staff.Account.ID, true)
		if err != nil || !item.Disabled {
			t.Fatalf("disable = %+v, %v", item, err)
		}
		for _, inst := range []*harness{h, other} {
			_, err := inst.svc.Authenticate(h.ctx, token)
			wantCode(t, err, domain.CodeUnauthenticated)
		}
		// Logging in again gives no staff role while disabled.
		_, p := h.login("wx-dorm")
		if p.Has(domain.RoleStaff) {
			t.Fatal("a disabled account still has its role")
		}
		_, err = h.svc.ClearStage(h.ctx, p, domain.StageDorm, StageRequest{StudentNo: "S001"})
		wantCode(t, err, domain.CodeForbidden)
		if _, err := h.svc.SetAccountDisabled(h.ctx, admin, staff.Account.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, p = h.login("wx-dorm"); !p.Has(domain.RoleStaff) {
			t.Fatal("re-enabled account has no role")
		}
		_, err = h.svc.SetAccountDisabled(h.ctx, admin, 9999, true)
		wantCode(t, err, domain.CodeNotFound)
		_, err = h.svc.SetAccountDisabled(h.ctx, p, staff.Account.ID, true)
		wantCode(t, err, domain.CodeForbidden)
	})
}
