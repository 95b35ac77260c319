package service

import (
	"testing"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/qrtoken"
	"github.com/lixiao/lixiao/internal/wechat/wxfake"
)

func TestLogin(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		l, err := h.svc.Login(h.ctx, "openid-1")
		if err != nil || l.Token == "" || len(l.Principal.Roles) != 0 {
			t.Fatalf("login: %+v %v", l, err)
		}
		if h.wx.Count("/sns/jscode2session") != 1 {
			t.Fatalf("code2session calls = %d", h.wx.Count("/sns/jscode2session"))
		}
		_, err = h.svc.Login(h.ctx, "bad-code")
		wantCode(t, err, domain.CodeUnauthenticated)
		_, err = h.svc.Login(h.ctx, "")
		wantCode(t, err, domain.CodeInvalidArgument)
		_, p := h.login("admin-openid")
		if !p.Has(domain.RoleAdmin) {
			t.Fatalf("LIXIAO_ADMIN_OPENIDS not honoured: %+v", p.Roles)
		}
	})
}

func TestLogin_WeChatDown(t *testing.T) {
	h := newHarness(t, "sqlite")
	h.wx.FailNext("/sns/jscode2session", 1, wxfake.Fail500)
	_, err := h.svc.Login(h.ctx, "openid-x")
	wantCode(t, err, domain.CodeUnavailable)
}

func TestSessions(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		token, p := h.login("openid-2")
		// Logout revokes at once.
		if err := h.svc.Logout(h.ctx, p); err != nil {
			t.Fatal(err)
		}
		_, err := h.svc.Authenticate(h.ctx, token)
		wantCode(t, err, domain.CodeUnauthenticated)
		// Sessions expire.
		token, _ = h.login("openid-3")
		h.svc.SetClock(func() time.Time { return time.Now().Add(31 * 24 * time.Hour) })
		_, err = h.svc.Authenticate(h.ctx, token)
		wantCode(t, err, domain.CodeUnauthenticated)
		h.svc.SetClock(time.Now)
		// A session survives a restart and is valid on another instance:
		// a second service on the same database, with an empty cache.
		token, _ = h.login("openid-4")
		other := newHarnessOn(t, h.db, h.cacheFresh())
		if p, err := other.svc.Authenticate(h.ctx, token); err != nil || p.OpenID != "openid-4" {
			t.Fatalf("session on another instance: %+v %v", p, err)
		}
		for _, bad := range []string{"", "nonsense", token + "x"} {
			_, err := h.svc.Authenticate(h.ctx, bad)
			wantCode(t, err, domain.CodeUnauthenticated)
		}
	})
}

func TestBind(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		_, p := h.login("wx-a")
		tests := []struct {
			name string
			req  BindRequest
			code domain.Code
		}{
			{"bad student no", BindRequest{StudentNo: "S 001", Name: "张伟", IDLast6: "12345X"}, domain.CodeInvalidArgument},
			{"bad id format", BindRequest{StudentNo: "S001", Name: "张伟", IDLast6: "1234"}, domain.CodeInvalidArgument},
			{"wrong name", BindRequest{StudentNo: "S001", Name: "张三", IDLast6: "12345X"}, domain.CodeInvalidArgument},
			{"wrong id", BindRequest{StudentNo: "S001", Name: "张伟", IDLast6: "123456"}, domain.CodeInvalidArgument},
			{"unknown student", BindRequest{StudentNo: "S999", Name: "张伟", IDLast6: "12345X"}, domain.CodeInvalidArgument},
		}
		for _, tt := range tests {
			_, err := h.svc.Bind(h.ctx, p, tt.req)
			wantCode(t, err, tt.code)
		}
		if u, _ := h.db.WeChatUser(h.ctx, "wx-a"); u.StudentNo != "" {
			t.Fatalf("failed binding bound %s", u.StudentNo)
		}
		// A trailing x matches X; the binding takes effect on the session at once.
		st, err := h.svc.Bind(h.ctx, p, BindRequest{StudentNo: "S001", Name: "张伟", IDLast6: "12345x"})
		if err != nil || st.StudentNo != "S001" {
			t.Fatalf("bind: %v", err)
		}
		token, _ := h.login("wx-a")
		p, _ = h.svc.Authenticate(h.ctx, token)
		if !p.Has(domain.RoleStudent) || p.StudentNo != "S001" || p.BatchID != h.batch.ID {
			t.Fatalf("principal after bind: %+v", p)
		}
		// One student, one WeChat account; one account, one student.
		_, other := h.login("wx-b")
		_, err = h.svc.Bind(h.ctx, other, BindRequest{StudentNo: "S001", Name: "张伟", IDLast6: "12345X"})
		wantCode(t, err, domain.CodeConflict)
		_, err = h.svc.Bind(h.ctx, p, BindRequest{StudentNo: "S003", Name: "李娜", IDLast6: "334455"})
		wantCode(t, err, domain.CodeConflict)
		// Re-binding is an admin's action.
		_, admin := h.login("admin-openid")
		wantCode(t, h.svc.Unbind(h.ctx, other, "S001"), domain.CodeForbidden)
		if err := h.svc.Unbind(h.ctx, admin, "S001"); err != nil {
			t.Fatal(err)
		}
		if _, err := h.svc.Bind(h.ctx, other, BindRequest{StudentNo: "S001", Name: "张伟", IDLast6: "12345X"}); err != nil {
			t.Fatalf("bind after unbind: %v", err)
		}
		if p, _ := h.svc.Authenticate(h.ctx, token); p.Has(domain.RoleStudent) {
			t.Fatalf("old account still a student after unbind: %+v", p)
		}
	})
}

func TestBind_RateLimited(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		_, p := h.login("wx-r")
		for range bindLimit {
			_, err := h.svc.Bind(h.ctx, p, BindRequest{StudentNo: "S001", Name: "张伟", IDLast6: "000000"})
			wantCode(t, err, domain.CodeInvalidArgument)
		}
		// Even the right answer is refused now, for this account…
		_, err := h.svc.Bind(h.ctx, p, BindRequest{StudentNo: "S001", Name: "张伟", IDLast6: "12345X"})
		wantCode(t, err, domain.CodeRateLimited)
		// …and for this student number from any account.
		_, q := h.login("wx-q")
		_, err = h.svc.Bind(h.ctx, q, BindRequest{StudentNo: "S001", Name: "张伟", IDLast6: "12345X"})
		wantCode(t, err, domain.CodeRateLimited)
		// Other students are not affected, and an hour later it works again.
		if _, err := h.svc.Bind(h.ctx, q, BindRequest{StudentNo: "S003", Name: "李娜", IDLast6: "334455"}); err != nil {
			t.Fatalf("other student: %v", err)
		}
		h.svc.SetClock(func() time.Time { return time.Now().Add(61 * time.Minute) })
		if _, err := h.svc.Bind(h.ctx, p, BindRequest{StudentNo: "S001", Name: "张伟", IDLast6: "12345X"}); err != nil {
			t.Fatalf("after an hour: %v", err)
		}
	})
}

func TestProgress_Rules(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		p := h.student("S002") // huxi, completed (结业), loan, party member
		v := h.progress(p)
		if len(v.Stages) != 12 || v.Stages[0].Code != "supervisor" || v.Stages[11].Code != "grad_office" {
			t.Fatalf("stages out of order: %d", len(v.Stages))
		}
		want := map[string]string{"loan": "pending", "party": "pending", "hospital": "not_applicable", "dorm": "pending"}
		for _, s := range v.Stages {
			if w, ok := want[s.Code]; ok && s.Status != w {
				t.Errorf("%s = %s, want %s", s.Code, s.Status, w)
			}
			if s.Code == "dorm" && (len(s.Locations) == 0 || s.Locations[0].Campus != domain.CampusHuxi) {
				t.Errorf("dorm: own campus not first: %+v", s.Locations)
			}
			if s.Code == "library" && len(s.Tasks) != 1 {
				t.Errorf("library tasks for 结业 = %v, want the thesis task left out", s.Tasks)
			}
		}
		if v.Complete || len(v.Next) == 0 || v.Next[len(v.Next)-1] != "campus_card" {
			t.Fatalf("next = %v complete = %v", v.Next, v.Complete)
		}
		// Another student's data is not reachable through MyProgress.
		if _, err := h.svc.MyProgress(h.ctx, Principal{OpenID: "x"}, 0); domain.ErrorCode(err) != domain.CodeForbidden {
			t.Fatalf("unbound: %v", err)
		}
		if _, err := h.svc.MyProgress(h.ctx, p, 9999); domain.ErrorCode(err) != domain.CodeNotFound {
			t.Fatalf("other batch: %v", err)
		}
	})
}

func TestQRToken(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		p := h.student("S001")
		token, exp, err := h.svc.QRToken(p)
		if err != nil || time.Until(exp) > 3*time.Minute || time.Until(exp) < 2*time.Minute {
			t.Fatalf("qr: %v %v", exp, err)
		}
		c, err := h.svc.qr.Verify(token)
		if err != nil || c.StudentNo != "S001" || c.BatchID != h.batch.ID {
			t.Fatalf("verify: %+v %v", c, err)
		}
		if _, _, err := h.svc.QRToken(Principal{OpenID: "x"}); domain.ErrorCode(err) != domain.CodeForbidden {
			t.Fatalf("unbound qr: %v", err)
		}
		// A token signed with another secret is refused.
		other := qrtoken.NewSigner([]byte("another-secret"), time.Minute, nil)
		forged, _, _ := other.Issue(h.batch.ID, "S001")
		if _, err := h.svc.qr.Verify(forged); err == nil {
			t.Fatal("forged token accepted")
		}
	})
}

// Rule 6: the library application clears only when the library's data allows.
func TestRule6_LibraryApply(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		p := h.student("S001")
		_, err := h.svc.ApplyLibrary(h.ctx, p)
		wantCode(t, err, domain.CodeStageLocked)
		put := func(payload string) {
			t.Helper()
			_, err := h.svc.change(h.ctx, p.BatchID, p.StudentNo, func(sh *storeSheet) error {
				sh.PutRecord(storeRecord{System: "library", Payload: payload, AsOf: time.Now()})
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		put(`{"borrowed":1,"fine_cents":1001,"thesis_submitted":false}`)
		_, err = h.svc.ApplyLibrary(h.ctx, p)
		wantCode(t, err, domain.CodeStageLocked)
		e, _ := domain.AsError(err)
		for _, want := range []string{"1 本图书未归还", "10.01 元", "学位论文"} {
			if !contains(e.Message, want) {
				t.Errorf("message %q lacks %q", e.Message, want)
			}
		}
		if h.status("S001", domain.StageLibrary) != domain.StatusPending {
			t.Fatal("refused application changed the stage")
		}
		put(`{"borrowed":0,"fine_cents":1000,"thesis_submitted":true}`)
		sv, err := h.svc.ApplyLibrary(h.ctx, p)
		if err != nil || sv.Status != "cleared" || sv.Source != "self_service" {
			t.Fatalf("apply: %+v %v", sv, err)
		}
		// Applying again changes nothing.
		if _, err := h.svc.ApplyLibrary(h.ctx, p); err != nil {
			t.Fatalf("second apply: %v", err)
		}
	})
}
