package domain

import "testing"

// TestTransitions covers every (status × action) pair of Transition, with and
// without a reason, for an ordinary stage and for the completing stage.
func TestTransitions(t *testing.T) {
	dorm, final := defOf(StageDorm), defOf(StageGradOffice)
	const why = "钥匙未归还"
	type want struct {
		to      Status
		changed bool
		code    Code // "" means no error
	}
	tests := []struct {
		name   string
		def    StageDef
		from   Status
		action Action
		role   Role
		reason string
		want   want
	}{
		// clear
		{"pending→cleared", dorm, StatusPending, ActionClear, RoleStaff, "", want{StatusCleared, true, ""}},
		{"rejected→cleared", dorm, StatusRejected, ActionClear, RoleStaff, "", want{StatusCleared, true, ""}},
		{"repeated clear changes nothing", dorm, StatusCleared, ActionClear, RoleStaff, "", want{StatusCleared, false, ""}},
		{"clear not_applicable changes nothing", dorm, StatusNotApplicable, ActionClear, RoleStaff, "", want{StatusNotApplicable, false, ""}},
		{"final pending→cleared", final, StatusPending, ActionClear, RoleStaff, "", want{StatusCleared, true, ""}},
		// reject
		{"pending→rejected", dorm, StatusPending, ActionReject, RoleStaff, why, want{StatusRejected, true, ""}},
		{"reject without reason", dorm, StatusPending, ActionReject, RoleStaff, "", want{StatusPending, false, CodeInvalidArgument}},
		{"reject with blank reason", dorm, StatusPending, ActionReject, RoleStaff, "  \t", want{StatusPending, false, CodeInvalidArgument}},
		{"reject rejected", dorm, StatusRejected, ActionReject, RoleStaff, why, want{StatusRejected, false, CodeConflict}},
		{"reject cleared", dorm, StatusCleared, ActionReject, RoleStaff, why, want{StatusCleared, false, CodeConflict}},
		{"reject not_applicable", dorm, StatusNotApplicable, ActionReject, RoleStaff, why, want{StatusNotApplicable, false, CodeConflict}},
		// revoke
		{"cleared→pending by revoke", dorm, StatusCleared, ActionRevoke, RoleStaff, why, want{StatusPending, true, ""}},
		{"revoke without reason", dorm, StatusCleared, ActionRevoke, RoleStaff, "", want{StatusCleared, false, CodeInvalidArgument}},
		{"revoke pending", dorm, StatusPending, ActionRevoke, RoleStaff, why, want{StatusPending, false, CodeConflict}},
		{"revoke rejected", dorm, StatusRejected, ActionRevoke, RoleStaff, why, want{StatusRejected, false, CodeConflict}},
		{"revoke not_applicable", dorm, StatusNotApplicable, ActionRevoke, RoleStaff, why, want{StatusNotApplicable, false, CodeConflict}},
		{"final revoke by admin", final, StatusCleared, ActionRevoke, RoleAdmin, why, want{StatusPending, true, ""}},
		{"final revoke by staff", final, StatusCleared, ActionRevoke, RoleStaff, why, want{StatusCleared, false, CodeForbidden}},
		{"final revoke by supervisor", final, StatusCleared, ActionRevoke, RoleSupervisor, why, want{StatusCleared, false, CodeForbidden}},
		{"final revoke by student", final, StatusCleared, ActionRevoke, RoleStudent, why, want{StatusCleared, false, CodeForbidden}},
		{"final revoke by a rule", final, StatusCleared, ActionRevoke, "", why, want{StatusCleared, false, CodeForbidden}},
		// require (a rule: new data creates an obligation)
		{"require pending", dorm, StatusPending, ActionRequire, "", "", want{StatusPending, false, ""}},
		{"require rejected", dorm, StatusRejected, ActionRequire, "", "", want{StatusRejected, false, ""}},
		{"require cleared→pending", dorm, StatusCleared, ActionRequire, "", "", want{StatusPending, true, ""}},
		{"require not_applicable→pending", dorm, StatusNotApplicable, ActionRequire, "", "", want{StatusPending, true, ""}},
		{"require on a cleared final stage", final, StatusCleared, ActionRequire, "", "", want{StatusCleared, false, CodeForbidden}},
		// exempt (a rule: the data says the stage does not concern the student)
		{"exempt pending", dorm, StatusPending, ActionExempt, "", "", want{StatusNotApplicable, true, ""}},
		{"exempt rejected", dorm, StatusRejected, ActionExempt, "", "", want{StatusNotApplicable, true, ""}},
		{"exempt cleared", dorm, StatusCleared, ActionExempt, "", "", want{StatusCleared, false, ""}},
		{"exempt not_applicable", dorm, StatusNotApplicable, ActionExempt, "", "", want{StatusNotApplicable, false, ""}},
		// nonsense
		{"unknown action", dorm, StatusPending, Action("approve"), RoleStaff, why, want{StatusPending, false, CodeInvalidArgument}},
		{"unknown status", dorm, Status("lost"), ActionClear, RoleStaff, why, want{Status("lost"), false, CodeInternal}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			to, changed, err := Transition(tt.def, tt.from, tt.action, tt.role, tt.reason)
			if to != tt.want.to || changed != tt.want.changed {
				t.Errorf("Transition = %q, changed=%v; want %q, changed=%v", to, changed, tt.want.to, tt.want.changed)
			}
			if got := ErrorCode(err); got != tt.want.code {
				t.Fatalf("error code = %q (%v), want %q", got, err, tt.want.code)
			}
			if e, ok := AsError(err); ok && e.Message == "" {
				t.Errorf("error %v has no message for the user", err)
			}
		})
	}
}
