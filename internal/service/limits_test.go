package service

import (
	"testing"

	"github.com/lixiao/lixiao/internal/domain"
)

// A WeChat account may log in 30 times a minute; then rate_limited, and
// other accounts are not affected.
func TestLogin_RateLimited(t *testing.T) {
	h := newHarness(t, "sqlite")
	for i := range defaultLoginLimit {
		if _, err := h.svc.Login(h.ctx, "busy-user"); err != nil {
			t.Fatalf("login %d: %v", i+1, err)
		}
	}
	_, err := h.svc.Login(h.ctx, "busy-user")
	wantCode(t, err, domain.CodeRateLimited)
	if _, err := h.svc.Login(h.ctx, "calm-user"); err != nil {
		t.Fatalf("another account: %v", err)
	}
}

// Each integration key may push PushLimit times a minute (here 20).
func TestPush_RateLimited(t *testing.T) {
	h := newHarness(t, "sqlite")
	h.enableKeys()
	h.svc.opt.PushLimit = 20
	body := `{"records":[{"student_no":"S001","as_of":"2026-06-01T08:00:00+08:00","owed_cents":0}]}`
	for i := range h.svc.opt.PushLimit {
		if _, err := h.push("finance", body); err != nil {
			t.Fatalf("push %d: %v", i+1, err)
		}
	}
	_, err := h.push("finance", body)
	wantCode(t, err, domain.CodeRateLimited)
	if _, err := h.push("hospital", `{"records":[{"student_no":"S001","as_of":"2026-06-01T08:00:00+08:00","debt_cents":0}]}`); err != nil {
		t.Fatalf("another key: %v", err)
	}
}
