package service

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/notify"
	"github.com/lixiao/lixiao/internal/store"
	"github.com/lixiao/lixiao/internal/wechat"
)

var notifyTemplates = notify.Templates{StageCleared: "tmpl-cleared", StageRejected: "tmpl-rejected",
	StageRevoked: "tmpl-revoked", Reminder: "tmpl-reminder"}

// withTemplates makes the harness's templates those students may accept.
func (h *harness) withTemplates() {
	h.svc.opt.SubscribeTemplates = []Template{{ID: "tmpl-cleared", Title: "离校环节办结通知"},
		{ID: "tmpl-rejected", Title: "离校环节退回通知"}, {ID: "tmpl-reminder", Title: "离校截止提醒"}}
}

func TestSubscriptions(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		h.withTemplates()
		p := h.student("S001")
		_, staff := h.login("wx-not-a-student")
		tests := []struct {
			name     string
			p        Principal
			accepted []string
			want     domain.Code
			quota    map[string]int
		}{
			{name: "one of each", p: p, accepted: []string{"tmpl-cleared", "tmpl-reminder"},
				quota: map[string]int{"tmpl-cleared": 1, "tmpl-rejected": 0, "tmpl-reminder": 1}},
			{name: "an id twice in one tap counts once", p: p, accepted: []string{"tmpl-cleared", "tmpl-cleared"},
				quota: map[string]int{"tmpl-cleared": 2, "tmpl-rejected": 0, "tmpl-reminder": 1}},
			{name: "declined everything", p: p, accepted: []string{},
				quota: map[string]int{"tmpl-cleared": 2, "tmpl-rejected": 0, "tmpl-reminder": 1}},
			{name: "unknown template changes nothing", p: p, accepted: []string{"tmpl-rejected", "tmpl-evil"},
				want: domain.CodeInvalidArgument},
			{name: "more than three", p: p, accepted: []string{"tmpl-cleared", "tmpl-cleared", "tmpl-cleared", "tmpl-cleared"},
				want: domain.CodeInvalidArgument},
			{name: "not a student", p: staff, accepted: []string{"tmpl-cleared"}, want: domain.CodeForbidden},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				v, err := h.svc.Subscribe(h.ctx, tt.p, tt.accepted)
				wantCode(t, err, tt.want)
				if tt.want != "" {
					return
				}
				if len(v.Templates) != 3 || fmt.Sprint(v.Quota) != fmt.Sprint(tt.quota) {
					t.Fatalf("view %+v, want quota %v", v, tt.quota)
				}
			})
		}
		v, err := h.svc.Subscriptions(h.ctx, p)
		if err != nil || v.Quota["tmpl-rejected"] != 0 || v.Quota["tmpl-cleared"] != 2 {
			t.Fatalf("after the refused calls: %+v %v", v, err)
		}
	})
}

// TestNotificationJourney is the scripted journey: a student who
// accepted three stage messages has five stages cleared; each clearance
// gives exactly one subscribe message while the quota lasts and an inbox
// entry always, and clearing a cleared stage again gives neither.
func TestNotificationJourney(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		h.withTemplates()
		p := h.student("S001")
		for range 3 {
			if _, err := h.svc.Subscribe(h.ctx, p, []string{"tmpl-cleared"}); err != nil {
				t.Fatal(err)
			}
		}
		d := notify.New(h.db, h.svc.wx, notify.Options{Templates: notifyTemplates, PollInterval: 50 * time.Millisecond}, quietLog())
		h.svc.OnCommit(d.Wake)
		ctx, cancel := context.WithCancel(h.ctx)
		var wg sync.WaitGroup
		wg.Go(func() { d.Run(ctx) })
		defer func() { cancel(); wg.Wait() }()

		_, admin := h.login("admin-openid")
		steps := []domain.StageCode{domain.StageSupervisor, domain.StageCollegeSecretary, domain.StageFinance,
			domain.StageLibrary, domain.StageDorm, domain.StageDorm}
		for i, code := range steps {
			if _, err := h.svc.ClearStage(h.ctx, admin, code, StageRequest{StudentNo: "S001"}); err != nil {
				t.Fatalf("clear %s: %v", code, err)
			}
			wantInbox := min(i+1, 5)
			h.waitFor(func() bool { return h.notificationCount(p) == wantInbox })
			time.Sleep(30 * time.Millisecond) // let a (wrong) extra message arrive
			subs := h.wx.Subscribes()
			if want := min(i+1, 3); len(subs) != want {
				t.Fatalf("after clearing %s: %d subscribe messages, want %d", code, len(subs), want)
			}
			if n := h.notificationCount(p); n != wantInbox {
				t.Fatalf("after clearing %s: %d inbox entries, want %d", code, n, wantInbox)
			}
		}
		for i, m := range h.wx.Subscribes() {
			def, _ := h.batch.Stage(steps[i])
			if m.ToUser != "wx-S001" || m.TemplateID != "tmpl-cleared" || m.Data["thing1"] != def.Name ||
				!strings.HasPrefix(m.Data["character_string5"], "LX") {
				t.Fatalf("message %d: %+v", i, m)
			}
		}
		items, err := h.svc.Notifications(h.ctx, p)
		if err != nil || len(items) != 5 || items[0].Stage != "dorm" || items[4].Stage != "supervisor" || items[0].Kind != "stage_cleared" {
			t.Fatalf("inbox %+v %v, want five entries newest first", items, err)
		}
		if v, _ := h.svc.Subscriptions(h.ctx, p); v.Quota["tmpl-cleared"] != 0 {
			t.Fatalf("quota left %d", v.Quota["tmpl-cleared"])
		}
	})
}

func (h *harness) notificationCount(p Principal) int {
	h.t.Helper()
	items, err := h.svc.Notifications(h.ctx, p)
	if err != nil {
		h.t.Fatal(err)
	}
	return len(items)
}

func (h *harness) waitFor(cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			h.t.Fatal("condition not met within 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestOutboxAdmin(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		_, admin := h.login("admin-openid")
		student := h.student("S001")
		now := time.Now()
		es := []domain.Event{{BatchID: h.batch.ID, StudentNo: "S001", Kind: domain.EventStageCleared, Stage: domain.StageDorm, DedupeKey: "a"},
			{BatchID: h.batch.ID, StudentNo: "S002", Kind: domain.EventStageRejected, Stage: domain.StageFinance, DedupeKey: "b"}}
		if err := h.db.EnqueueEvents(h.ctx, es, now); err != nil {
			t.Fatal(err)
		}
		rows, _ := h.db.ClaimOutbox(h.ctx, "x", 10, time.Minute, now)
		if err := h.db.MarkFailed(h.ctx, rows[1].ID, "x", "errcode=47003", now, true); err != nil {
			t.Fatal(err)
		}
		woken := 0
		h.svc.OnCommit(func() { woken++ })
		tests := []struct {
			status string
			p      Principal
			want   domain.Code
			n      int
		}{
			{status: "", p: admin, n: 2},
			{status: "dead", p: admin, n: 1},
			{status: "sent", p: admin, n: 0},
			{status: "lost", p: admin, want: domain.CodeInvalidArgument},
			{status: "", p: student, want: domain.CodeForbidden},
		}
		for _, tt := range tests {
			items, err := h.svc.Outbox(h.ctx, tt.p, tt.status, 0)
			wantCode(t, err, tt.want)
			if tt.want == "" && len(items) != tt.n {
				t.Fatalf("status %q: %d items, want %d", tt.status, len(items), tt.n)
			}
		}
		dead, _ := h.svc.Outbox(h.ctx, admin, "dead", 0)
		if dead[0].StudentNo != "S002" || dead[0].LastError != "errcode=47003" || dead[0].Attempts != 1 {
			t.Fatalf("dead item %+v", dead[0])
		}
		_, err := h.svc.RetryOutbox(h.ctx, student, dead[0].ID)
		wantCode(t, err, domain.CodeForbidden)
		_, err = h.svc.RetryOutbox(h.ctx, admin, rows[0].ID)
		wantCode(t, err, domain.CodeConflict)
		item, err := h.svc.RetryOutbox(h.ctx, admin, dead[0].ID)
		if err != nil || item.Status != store.OutboxPending || item.Attempts != 0 || woken != 1 {
			t.Fatalf("retry: %+v %v, woken %d", item, err, woken)
		}
	})
}

// TestOfficialAccountCallback: a correctly signed follow links the student
// through the unionid, a bad signature changes nothing, unfollow unlinks.
func TestOfficialAccountCallback(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		h.student("S001") // mini-program openid wx-S001, unionid u_wx-S001
		cl, err := wechat.New(wechat.Config{AppID: "wxtest", AppSecret: "secret", OAAppID: "wxoa", OAAppSecret: "s",
			OAToken: "tok", APIBase: h.wx.URL(), Timeout: 2 * time.Second}, nil, quietLog())
		if err != nil {
			t.Fatal(err)
		}
		handler, err := wechat.NewOAHandler(cl, wechat.OAFollows{Follow: h.svc.FollowOfficialAccount,
			Unfollow: h.svc.UnfollowOfficialAccount}, quietLog())
		if err != nil {
			t.Fatal(err)
		}
		h.wx.SetUnionID("oa-S001", "u_wx-S001")
		tests := []struct {
			name, event, sig string
			wantStatus       int
			wantLinked       string
		}{
			{name: "follow links", event: "subscribe", wantStatus: 200, wantLinked: "oa-S001"},
			{name: "bad signature changes nothing", event: "unsubscribe", sig: "forged", wantStatus: 403, wantLinked: "oa-S001"},
			{name: "unfollow unlinks", event: "unsubscribe", wantStatus: 200, wantLinked: ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				q := url.Values{"timestamp": {"1717000000"}, "nonce": {"42"}, "signature": {oaSignature("tok", "1717000000", "42")}}
				if tt.sig != "" {
					q.Set("signature", tt.sig)
				}
				body := `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oa-S001]]></FromUserName>` +
					`<CreateTime>1717000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[` + tt.event + `]]></Event></xml>`
				rec := httptest.NewRecorder()
				handler.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/wechat/official-account/callback?"+q.Encode(), strings.NewReader(body)))
				u, err := h.db.WeChatUser(h.ctx, "wx-S001")
				if rec.Code != tt.wantStatus || err != nil || u.OAOpenID != tt.wantLinked {
					t.Fatalf("status %d, linked %q (%v); want %d and %q", rec.Code, u.OAOpenID, err, tt.wantStatus, tt.wantLinked)
				}
			})
		}
	})
}

func oaSignature(token, timestamp, nonce string) string {
	parts := []string{token, timestamp, nonce}
	sort.Strings(parts)
	sum := sha1.Sum([]byte(strings.Join(parts, "")))
	return hex.EncodeToString(sum[:])
}
