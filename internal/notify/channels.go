package notify

import (
	"context"
	"errors"
	"fmt"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/store"
	"github.com/lixiao/lixiao/internal/wechat"
)

// deliver sends one row whose inbox entry is written (RunOnce) and names
// the channel that reached the student, in order: a subscribe message while
// the student has an acceptance left for its template; else an
// official-account template message when the student follows the official
// account; else the inbox alone. An error means the row should be tried
// again later.
func (d *Dispatcher) deliver(ctx context.Context, r store.OutboxRow) (string, error) {
	u, err := d.db.WeChatUserOfStudent(ctx, r.StudentNo)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return ViaInbox, nil // not bound to a WeChat account
	}
	if err != nil {
		return "", err
	}
	var b *domain.Batch
	if r.Kind == domain.EventDeadlineReminder {
		if b, err = d.batch(ctx, r.BatchID); err != nil && domain.ErrorCode(err) != domain.CodeNotFound {
			return "", err
		}
	}
	sent, err := d.subscribe(ctx, u, r, b)
	if err != nil || sent {
		return ViaSubscribe, err
	}
	sent, err = d.template(ctx, u, r, b)
	if err != nil || sent {
		return ViaTemplate, err
	}
	return ViaInbox, nil
}

// subscribe sends a mini-program subscribe message, spending one of the
// student's acceptances of its template. When WeChat says none is left
// (43101) the count is set to zero and the next channel is tried. When
// WeChat did not deliver for any other reason the acceptance is given
// back, so retries do not eat the student's quota; a transient failure
// retries the row, a permanent one (e.g. 47003, 45009) moves on.
func (d *Dispatcher) subscribe(ctx context.Context, u store.WeChatUser, r store.OutboxRow, b *domain.Batch) (bool, error) {
	tmpl, data := d.opt.Templates.subscribe(r.Kind)
	if tmpl == "" || u.OpenID == "" {
		return false, nil
	}
	now := d.opt.Now()
	ok, err := d.db.TakeSubscription(ctx, u.OpenID, tmpl, now)
	if err != nil || !ok {
		return false, err
	}
	err = d.wx.SendSubscribe(ctx, wechat.SubscribeMessage{ToUser: u.OpenID, TemplateID: tmpl,
		Page: d.opt.MiniProgramPage, Data: data(r, b, d.opt.Location)})
	if err == nil {
		return true, nil
	}
	if wechat.ErrCode(err) == wechat.ErrCodeNoSubscription {
		if err := d.db.ClearSubscription(ctx, u.OpenID, tmpl, now); err != nil {
			return false, err
		}
		return false, nil
	}
	if gerr := d.db.AddSubscriptions(context.WithoutCancel(ctx), u.OpenID, []string{tmpl}, now); gerr != nil {
		d.log.Warn("outbox: could not give back a subscription", "id", r.ID, "err", gerr)
	}
	if transient(err) {
		return false, fmt.Errorf("subscribe message: %w", err)
	}
	d.log.Warn("outbox: subscribe message refused; trying the next channel", "id", r.ID, "err", err)
	return false, nil
}

// template sends an official-account template message when one is
// configured and the student follows the official account (linked through
// the unionid when they followed).
func (d *Dispatcher) template(ctx context.Context, u store.WeChatUser, r store.OutboxRow, b *domain.Batch) (bool, error) {
	tmpl := d.opt.Templates.OfficialAccount
	if tmpl == "" {
		return false, nil
	}
	to := u.OAOpenID
	if to == "" {
		var err error
		if to, err = d.db.OAOpenIDOf(ctx, u.UnionID); err != nil {
			return false, err
		}
	}
	if to == "" {
		return false, nil
	}
	_, err := d.wx.SendTemplate(ctx, wechat.TemplateMessage{ToUser: to, TemplateID: tmpl,
		MiniProgramPage: d.opt.MiniProgramPage, Data: stageData(r, b, d.opt.Location)})
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, wechat.ErrNoOfficialAccount):
		return false, nil
	case transient(err):
		return false, fmt.Errorf("template message: %w", err)
	}
	d.log.Warn("outbox: template message refused; inbox only", "id", r.ID, "err", err)
	return false, nil
}

// transient reports whether a failed send may succeed if tried again:
// transport failures (timeouts, 5xx), WeChat being busy (-1), and a token
// still rejected after the client's own refresh. Any other errcode is
// WeChat refusing this message, and retrying cannot help.
func transient(err error) bool {
	switch wechat.ErrCode(err) {
	case 0, wechat.ErrCodeBusy, wechat.ErrCodeInvalidToken, wechat.ErrCodeExpiredToken:
		return true
	}
	return false
}
