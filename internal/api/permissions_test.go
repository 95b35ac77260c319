package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/service"
	"github.com/lixiao/lixiao/internal/store/storetest"
)

// outcome is the status and error code a caller must get. status -1 means
// "let through by the role check" (for endpoints other features own, whose
// own answers their tests check).
type outcome struct {
	status int
	code   string
}

var (
	okay      = outcome{http.StatusOK, ""}
	created   = outcome{http.StatusCreated, ""}
	noContent = outcome{http.StatusNoContent, ""}
	unauth    = outcome{http.StatusUnauthorized, "unauthenticated"}
	forbidden = outcome{http.StatusForbidden, "forbidden"}
	passes    = outcome{-1, ""}
)

// matrix fills in what every caller gets, from what the allowed ones get.
func matrix(allowed map[string]outcome) map[string]outcome {
	m := map[string]outcome{callerAnonymous: unauth, callerDisabled: unauth}
	for _, c := range permCallers {
		if _, ok := m[c]; !ok {
			m[c] = forbidden
		}
	}
	for c, o := range allowed {
		m[c] = o
	}
	return m
}

// permCase is one endpoint. setup prepares a fresh student (and returns an
// argument such as a QR token or an account id); req builds the request.
type permCase struct {
	name  string
	own   string // the token the "own" caller uses; default the college_workgroup staff of 计算机学院
	setup func(e *permEnv, no string) string
	req   func(no, arg string) (method, path string, b body)
	want  map[string]outcome
	// bodyHas is a fragment some callers' responses must contain.
	bodyHas map[string]string
}

func post(path string, v any) (string, string, body) { return http.MethodPost, path, jsonBody(v) }
func get(path string) (string, string, body)         { return http.MethodGet, path, body{} }

const wgStage = "/api/v1/staff/stages/college_workgroup/"

func staffCases() []permCase {
	stageWant := matrix(map[string]outcome{callerOwn: okay, callerAdmin: okay})
	clearFirst := func(e *permEnv, no string) string {
		if _, err := e.svc.ClearStage(e.ctx, e.admin, domain.StageCollegeWorkgroup, service.StageRequest{StudentNo: no}); err != nil {
			e.t.Fatal(err)
		}
		return ""
	}
	return []permCase{
		{name: "scan", setup: func(e *permEnv, no string) string {
			tok, _, err := e.qr.Issue(e.batch.ID, no)
			if err != nil {
				e.t.Fatal(err)
			}
			return tok
		}, req: func(_, tok string) (string, string, body) {
			return post("/api/v1/staff/scan", map[string]string{"qr_token": tok})
		}, want: matrix(map[string]outcome{
			// Staff may look at any student; acting is what scope limits.
			callerOwn: okay, callerOtherStage: okay, callerOtherCollege: okay, callerAdmin: okay,
		}), bodyHas: map[string]string{callerOtherCollege: `"can_act":false`, callerOwn: `"can_act":true`}},
		{name: "clear", req: func(no, _ string) (string, string, body) {
			return post(wgStage+"clear", map[string]string{"student_no": no, "note": "材料齐全"})
		}, want: stageWant, bodyHas: map[string]string{callerOwn: `"status":"cleared"`}},
		{name: "reject", req: func(no, _ string) (string, string, body) {
			return post(wgStage+"reject", map[string]string{"student_no": no, "reason": "毕业生登记表未交"})
		}, want: stageWant, bodyHas: map[string]string{callerAdmin: `"status":"rejected"`}},
		{name: "revoke", setup: clearFirst, req: func(no, _ string) (string, string, body) {
			return post(wgStage+"revoke", map[string]string{"student_no": no, "reason": "误操作"})
		}, want: stageWant, bodyHas: map[string]string{callerOwn: `"status":"pending"`}},
		{name: "bulk-clear json", req: func(no, _ string) (string, string, body) {
			return post(wgStage+"bulk-clear", map[string]any{"student_nos": []string{no}})
		}, want: matrix(map[string]outcome{callerOwn: okay, callerAdmin: okay, callerOtherCollege: okay}),
			// Scope is per row: another college's staff get the row refused.
			bodyHas: map[string]string{callerOtherCollege: `"failed":1`, callerOwn: `"changed":1`}},
		{name: "bulk-clear upload", req: func(no, _ string) (string, string, body) {
			return http.MethodPost, wgStage + "bulk-clear", fileBody("file", "名单.csv", []byte("学号\n"+no+"\n"))
		}, want: matrix(map[string]outcome{callerOwn: okay, callerAdmin: okay, callerOtherCollege: okay}),
			bodyHas: map[string]string{callerOtherCollege: `"code":"forbidden"`, callerAdmin: `"changed":1`}},
		{name: "worklist of 计算机学院", req: func(string, string) (string, string, body) {
			return get(wgStage + "students?college=" + "%E8%AE%A1%E7%AE%97%E6%9C%BA%E5%AD%A6%E9%99%A2") // 计算机学院
		}, want: stageWant},
		{name: "worklist", req: func(string, string) (string, string, body) {
			return get(wgStage + "students?status=pending&page=1&page_size=10")
		}, want: matrix(map[string]outcome{callerOwn: okay, callerAdmin: okay, callerOtherCollege: okay}),
			// Another college's staff see their own college: nobody here.
			bodyHas: map[string]string{callerOtherCollege: `"total":0`}},
	}
}

// redeemCase runs last: redeeming gives the student's and the admin's
// WeChat accounts a staff account, which would change later cases.
func redeemCase() []permCase {
	return []permCase{
		{name: "redeem", setup: func(e *permEnv, no string) string {
			inv, err := e.svc.CreateAccount(e.ctx, e.admin, service.AccountRequest{Name: "新" + no, Role: domain.RoleStaff, Stage: domain.StageDorm})
			if err != nil {
				e.t.Fatal(err)
			}
			return inv.InviteCode
		}, req: func(_, code string) (string, string, body) {
			return post("/api/v1/staff/redeem", map[string]string{"invite_code": code})
		}, want: matrix(map[string]outcome{
			// Any logged-in WeChat account without an account may redeem;
			// one that has an account already may not take a second.
			callerStudent: okay, callerAdmin: okay, callerOwn: {409, "conflict"}, callerOtherStage: {409, "conflict"},
			callerOtherCollege: {409, "conflict"}, callerOtherSupervisor: {409, "conflict"},
		})},
	}
}

func supervisorCases() []permCase {
	return []permCase{
		{name: "supervisor students", own: "supervisor", req: func(string, string) (string, string, body) {
			return get("/api/v1/supervisor/students")
		}, want: matrix(map[string]outcome{callerOwn: okay, callerOtherSupervisor: okay}),
			bodyHas: map[string]string{callerOtherSupervisor: `"items":[]`}},
		{name: "supervisor confirm", own: "supervisor", req: func(no, _ string) (string, string, body) {
			return post("/api/v1/supervisor/students/"+no+"/confirm", map[string]any{"items": map[string]bool{
				"instruments": true, "equipment": true, "funds": true, "project": true, "classified": true}})
		}, want: matrix(map[string]outcome{callerOwn: okay}), bodyHas: map[string]string{callerOwn: `"status":"cleared"`}},
		{name: "confirmation form", own: callerStudent, req: func(string, string) (string, string, body) {
			return get("/api/v1/me/confirmation-form.pdf")
		}, want: matrix(map[string]outcome{callerOwn: okay, callerStudent: okay})},
	}
}

func adminCases() []permCase {
	newAccount := func(e *permEnv, no string) string {
		inv, err := e.svc.CreateAccount(e.ctx, e.admin, service.AccountRequest{Name: "账号" + no, Role: domain.RoleAdmin})
		if err != nil {
			e.t.Fatal(err)
		}
		return fmt.Sprint(inv.ID)
	}
	only := func(o outcome) map[string]outcome { return matrix(map[string]outcome{callerAdmin: o}) }
	return []permCase{
		{name: "create account", req: func(no, _ string) (string, string, body) {
			return post("/api/v1/admin/staff", map[string]string{"name": "李老师", "role": "staff", "stage": "dorm"})
		}, want: only(created), bodyHas: map[string]string{callerAdmin: `"invite_code"`}},
		{name: "list accounts", req: func(string, string) (string, string, body) { return get("/api/v1/admin/staff") }, want: only(okay)},
		{name: "disable account", setup: newAccount, req: func(_, id string) (string, string, body) {
			return post("/api/v1/admin/staff/"+id+"/disable", struct{}{})
		}, want: only(okay), bodyHas: map[string]string{callerAdmin: `"disabled":true`}},
		{name: "enable account", setup: newAccount, req: func(_, id string) (string, string, body) {
			return post("/api/v1/admin/staff/"+id+"/enable", struct{}{})
		}, want: only(okay)},
		{name: "new invite", setup: newAccount, req: func(_, id string) (string, string, body) {
			return post("/api/v1/admin/staff/"+id+"/invite", struct{}{})
		}, want: only(okay)},
		{name: "create batch", req: func(no, _ string) (string, string, body) {
			return post("/api/v1/admin/batches", map[string]string{"name": "批次" + no, "starts_on": "2027-05-20"})
		}, want: only(created)},
		{name: "list batches", req: func(string, string) (string, string, body) { return get("/api/v1/admin/batches") }, want: only(okay)},
		{name: "audit", req: func(no, _ string) (string, string, body) { return get("/api/v1/admin/audit?student_no=" + no) }, want: only(okay)},
		{name: "student progress", req: func(no, _ string) (string, string, body) {
			return get("/api/v1/admin/students/" + no + "/progress")
		}, want: only(okay)},
		{name: "unbind student", setup: func(e *permEnv, no string) string {
			e.bind(e.login("perm-bind-"+no), no)
			return ""
		}, req: func(no, _ string) (string, string, body) {
			return http.MethodDelete, "/api/v1/admin/students/" + no + "/binding", body{}
		}, want: only(noContent)},
	}
}

// othersAdminCases are admin routes other features implement: here only
// the role check is held to the matrix.
func othersAdminCases(e *permEnv) []permCase {
	var out []permCase
	for _, r := range []struct{ method, path string }{
		{http.MethodPost, fmt.Sprintf("/api/v1/admin/batches/%d/students/import", e.batch.ID)},
		{http.MethodPost, fmt.Sprintf("/api/v1/admin/batches/%d/records/finance/import", e.batch.ID)},
		{http.MethodGet, "/api/v1/admin/students/template.xlsx"},
		{http.MethodGet, "/api/v1/admin/stats"},
		{http.MethodGet, "/api/v1/admin/exports/pending.xlsx"},
		{http.MethodGet, "/api/v1/admin/exports/complete.xlsx"},
		{http.MethodGet, "/api/v1/admin/outbox"},
		{http.MethodPost, "/api/v1/admin/outbox/1/retry"},
	} {
		out = append(out, permCase{name: r.method + " " + r.path, req: func(string, string) (string, string, body) {
			return r.method, r.path, body{}
		}, want: matrix(map[string]outcome{callerAdmin: passes})})
	}
	return out
}

// TestPermissionMatrix calls every staff, supervisor and admin endpoint as
// every kind of caller, over HTTP, and checks the exact status and code.
func TestPermissionMatrix(t *testing.T) {
	for _, driver := range storetest.Drivers(t) {
		t.Run(driver, func(t *testing.T) {
			e := newPermEnv(t, driver)
			var cases []permCase
			for _, cs := range [][]permCase{staffCases(), supervisorCases(), adminCases(), othersAdminCases(e), redeemCase()} {
				cases = append(cases, cs...)
			}
			for _, tc := range cases {
				for _, caller := range permCallers {
					t.Run(tc.name+"/"+caller, func(t *testing.T) {
						e.t = t
						no, arg := e.take(), ""
						if tc.setup != nil {
							arg = tc.setup(e, no)
						}
						token := e.tokens[caller]
						if caller == callerOwn && tc.own != "" {
							token = e.tokens[tc.own]
						}
						method, path, b := tc.req(no, arg)
						rec := e.do(token, method, path, b)
						want := tc.want[caller]
						checkOutcome(t, rec.Code, rec.Body.Bytes(), want)
						if frag, ok := tc.bodyHas[caller]; ok && !strings.Contains(rec.Body.String(), frag) {
							t.Errorf("body lacks %s: %s", frag, rec.Body)
						}
					})
				}
			}
		})
	}
}

func checkOutcome(t *testing.T, status int, resp []byte, want outcome) {
	t.Helper()
	if want.status == -1 {
		if status == http.StatusUnauthorized || status == http.StatusForbidden {
			t.Fatalf("admin refused: %d %s", status, resp)
		}
		return
	}
	if status != want.status {
		t.Fatalf("status = %d, want %d; body %s", status, want.status, resp)
	}
	if want.code == "" {
		return
	}
	var env errorBody
	if err := json.Unmarshal(resp, &env); err != nil || env.Code != want.code || env.Message == "" {
		t.Fatalf("envelope = %s, want code %q with a message", resp, want.code)
	}
}
