package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/store"
	"github.com/lixiao/lixiao/internal/wechat/wxfake"
)

// TestChannels delivers one clearance per case and checks which channel
// reached the student, what WeChat received and the inbox.
func TestChannels(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		tests := []struct {
			name         string
			before       func(no, openid string) // before the student logs in
			setup        func(no, openid string)
			bound        bool
			quota        int
			wantVia      string
			wantSubs     int
			wantTmpls    int
			wantQuotaNow int
		}{
			{name: "subscribe while quota lasts", bound: true, quota: 1, wantVia: ViaSubscribe, wantSubs: 1},
			{name: "43101 falls through to the official account", bound: true, quota: 2,
				setup: func(no, openid string) {
					h.fake.NoQuotaFor(openid)
					h.follow("u_"+openid, "oa-"+no)
				}, wantVia: ViaTemplate, wantTmpls: 1, wantQuotaNow: 0},
			{name: "43101 without a follower leaves the inbox", bound: true, quota: 1,
				setup: func(_, openid string) { h.fake.NoQuotaFor(openid) }, wantVia: ViaInbox},
			{name: "no quota: official account", bound: true,
				setup: func(no, openid string) { h.follow("u_"+openid, "oa-"+no) }, wantVia: ViaTemplate, wantTmpls: 1},
			{name: "followed before the first login", before: func(no, openid string) { h.follow("u_"+openid, "oa-"+no) },
				bound: true, wantVia: ViaTemplate, wantTmpls: 1},
			{name: "refused message moves on and keeps the quota", bound: true, quota: 1,
				setup:   func(_, _ string) { h.fake.FailNext(subscribePath, 1, wxfake.ErrCode(45009)) },
				wantVia: ViaInbox, wantQuotaNow: 1},
			{name: "bound, no quota, no follower", bound: true, wantVia: ViaInbox},
			{name: "not bound", wantVia: ViaInbox},
		}
		d := h.dispatcher(Options{})
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				h.fake.ClearFailures()
				h.fake.Reset()
				no := studentNo(i)
				openid := "wx-" + no
				if tt.before != nil {
					tt.before(no, openid)
				}
				if tt.bound {
					h.bind(no)
				}
				if tt.quota > 0 {
					h.quota(openid, testTemplates.StageCleared, tt.quota)
				}
				if tt.setup != nil {
					tt.setup(no, openid)
				}
				h.clear(no, domain.StageDorm)
				h.drain(d, 5*time.Second)

				row := h.rows()[0]
				subs, tmpls := h.fake.Subscribes(), h.fake.Templates()
				if row.StudentNo != no || row.Status != store.OutboxSent || row.DeliveredVia != tt.wantVia ||
					len(subs) != tt.wantSubs || len(tmpls) != tt.wantTmpls {
					t.Fatalf("row %s %s via %q, %d subscribe and %d template messages; want via %q, %d and %d",
						row.StudentNo, row.Status, row.DeliveredVia, len(subs), len(tmpls), tt.wantVia, tt.wantSubs, tt.wantTmpls)
				}
				if inbox := h.inbox(no); len(inbox) != 1 || inbox[0].OutboxID != row.ID || inbox[0].Title != "离校环节已通过" {
					t.Fatalf("inbox %+v, want the one notification", inbox)
				}
				if tt.bound {
					q, _ := h.db.Subscriptions(h.ctx, openid)
					if q[testTemplates.StageCleared] != tt.wantQuotaNow {
						t.Fatalf("quota left %d, want %d", q[testTemplates.StageCleared], tt.wantQuotaNow)
					}
				}
				want := map[string]string{fieldStage: "学生公寓管理中心", fieldResult: "已通过", fieldRef: ref(row.ID)}
				for _, m := range subs {
					checkData(t, m.Data, want)
					if m.ToUser != openid || m.TemplateID != testTemplates.StageCleared || m.Page != "pages/progress/index" {
						t.Fatalf("subscribe message %+v", m)
					}
				}
				for _, m := range tmpls {
					checkData(t, m.Data, want)
					if m.ToUser != "oa-"+no || m.TemplateID != testTemplates.OfficialAccount || m.MiniProgramPage == "" {
						t.Fatalf("template message %+v", m)
					}
				}
			})
		}
	})
}

func (h *harness) follow(unionid, oaOpenID string) {
	h.t.Helper()
	if _, err := h.db.FollowOfficialAccount(h.ctx, unionid, oaOpenID, time.Now()); err != nil {
		h.t.Fatal(err)
	}
}

func checkData(t *testing.T, got, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("data %s = %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
}

// TestTransientFailuresRetried: 5xx answers and a timeout are retried with
// backoff, and the message is delivered once, spending one acceptance.
func TestTransientFailuresRetried(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		openid := h.bind(studentNo(0))
		h.quota(openid, testTemplates.StageCleared, 1)
		h.fake.SetTimeoutDelay(2 * time.Second) // the client gives up after 400ms
		h.fake.FailNext(subscribePath, 1, wxfake.Fail500)
		h.fake.FailNext(subscribePath, 1, wxfake.Timeout)
		h.fake.FailNext(subscribePath, 1, wxfake.HTTPStatus(502))
		h.clear(studentNo(0), domain.StageDorm)
		h.drain(h.dispatcher(Options{}), 10*time.Second)

		row := h.rows()[0]
		if len(h.fake.Subscribes()) != 1 || row.Status != store.OutboxSent || row.Attempts != 4 || row.DeliveredVia != ViaSubscribe {
			t.Fatalf("%d delivered; row %s after %d attempts via %q; want 1 delivery after 4 attempts",
				len(h.fake.Subscribes()), row.Status, row.Attempts, row.DeliveredVia)
		}
		if n := h.fake.Count(subscribePath); n != 4 {
			t.Fatalf("%d subscribe calls, want 4", n)
		}
		if q, _ := h.db.Subscriptions(h.ctx, openid); q[testTemplates.StageCleared] != 0 {
			t.Fatalf("quota left %d, want 0: failed sends give their acceptance back", q[testTemplates.StageCleared])
		}
	})
}

// TestTokenRefreshThroughDispatcher: WeChat rejecting the access token
// (40001) makes the client fetch a new one and send again, in the same
// attempt.
func TestTokenRefreshThroughDispatcher(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		openid := h.bind(studentNo(0))
		h.quota(openid, testTemplates.StageCleared, 2)
		d := h.dispatcher(Options{})
		h.clear(studentNo(0), domain.StageDorm)
		h.drain(d, 5*time.Second)
		tokens := h.fake.Tokens()
		h.fake.InvalidateTokens()
		h.clear(studentNo(0), domain.StageLibrary)
		h.drain(d, 5*time.Second)

		row := h.rows()[0]
		if len(h.fake.Subscribes()) != 2 || row.Attempts != 1 || row.DeliveredVia != ViaSubscribe {
			t.Fatalf("%d delivered, second row attempts %d via %q; want 2 and 1 attempt",
				len(h.fake.Subscribes()), row.Attempts, row.DeliveredVia)
		}
		if got := h.fake.Tokens(); got != tokens+1 {
			t.Fatalf("%d tokens issued after the rejection, want 1", got-tokens)
		}
		var codes []int
		for _, c := range h.fake.Calls() {
			if c.Path == subscribePath {
				codes = append(codes, c.Status)
			}
		}
		if len(codes) != 3 {
			t.Fatalf("subscribe calls %v, want delivered, rejected token, delivered", codes)
		}
	})
}

// TestDeadAndRetry: a row that keeps failing is dead after MaxAttempts with
// its last error, is still in the inbox, and an admin's retry sends it.
func TestDeadAndRetry(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		openid := h.bind(studentNo(0))
		h.quota(openid, testTemplates.StageCleared, 1)
		h.fake.FailRatio(subscribePath, 1, wxfake.Fail500)
		d := h.dispatcher(Options{MaxAttempts: 3})
		h.clear(studentNo(0), domain.StageDorm)
		h.clear(studentNo(0), domain.StageLibrary) // must not wait behind a dead row forever
		h.drain(d, 10*time.Second)

		dead, _ := h.db.ListOutbox(h.ctx, store.OutboxDead, 10)
		if len(dead) != 2 || dead[1].Attempts != 3 || !strings.Contains(dead[1].LastError, "500") {
			t.Fatalf("dead rows %+v, want both after 3 attempts with the 500 as last error", dead)
		}
		if len(h.inbox(studentNo(0))) != 2 || len(h.fake.Subscribes()) != 0 {
			t.Fatal("the inbox must hold dead notifications too")
		}
		h.fake.ClearFailures()
		if err := h.db.RetryOutbox(h.ctx, dead[1].ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		h.drain(d, 5*time.Second)
		subs := h.fake.Subscribes()
		if len(subs) != 1 || subs[0].Data[fieldRef] != ref(dead[1].ID) || len(h.inbox(studentNo(0))) != 2 {
			t.Fatalf("after retry: %d delivered, inbox %d", len(subs), len(h.inbox(studentNo(0))))
		}
		if h.count(store.OutboxDead) != 1 {
			t.Fatalf("%d dead rows, want the one not retried", h.count(store.OutboxDead))
		}
	})
}

// TestStudentOrder: a student's later events wait while an earlier one is
// being retried, then arrive in order.
func TestStudentOrder(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		no := studentNo(0)
		openid := h.bind(no)
		h.quota(openid, testTemplates.StageCleared, 5)
		codes := pendingStages[:5]
		for _, c := range codes {
			h.clear(no, c)
		}
		h.fake.FailNext(subscribePath, 2, wxfake.Fail500)
		d := h.dispatcher(Options{BaseBackoff: 100 * time.Millisecond})
		if n, err := d.RunOnce(h.ctx); err != nil || n != 1 {
			t.Fatalf("first claim took %d rows (%v), want only the student's first event", n, err)
		}
		if n, _ := d.RunOnce(h.ctx); n != 0 {
			t.Fatalf("claimed %d rows while the first is waiting to be retried", n)
		}
		h.drain(d, 10*time.Second)
		subs := h.fake.Subscribes()
		if len(subs) != len(codes) {
			t.Fatalf("%d delivered, want %d", len(subs), len(codes))
		}
		for i, c := range codes {
			def, _ := h.batch.Stage(c)
			if got := subs[i].Data[fieldStage]; got != fit("thing", def.Name) {
				t.Fatalf("message %d is about %q, want %q", i, got, def.Name)
			}
		}
	})
}
