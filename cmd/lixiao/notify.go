package main

import (
	"net/http"

	"github.com/lixiao/lixiao/internal/config"
	"github.com/lixiao/lixiao/internal/notify"
	"github.com/lixiao/lixiao/internal/service"
	"github.com/lixiao/lixiao/internal/wechat"
)

// Template ids the fake WeChat mode uses when none are configured, so that
// `make run` delivers messages to the built-in fake server.
var fakeTemplates = notify.Templates{StageCleared: "tmpl-stage-cleared", StageRejected: "tmpl-stage-rejected",
	StageRevoked: "tmpl-stage-revoked", Reminder: "tmpl-reminder", OfficialAccount: "tmpl-oa-stage-changed"}

// fakeOAToken signs the official-account callback in fake mode.
const fakeOAToken = "wxfake-oa-token"

// notifyTemplates are the configured template ids, with the fake ones filling
// the gaps in fake mode.
func notifyTemplates(cfg config.Config) notify.Templates {
	t := cfg.WeChat.Templates
	out := notify.Templates{StageCleared: t.StageCleared, StageRejected: t.StageRejected, StageRevoked: t.StageRevoked,
		Reminder: t.Reminder, OfficialAccount: cfg.WeChat.OfficialAccount.TemplateStageChanged}
	if cfg.WeChat.Mode != "fake" {
		return out
	}
	fill := func(v *string, def string) {
		if *v == "" {
			*v = def
		}
	}
	fill(&out.StageCleared, fakeTemplates.StageCleared)
	fill(&out.StageRejected, fakeTemplates.StageRejected)
	fill(&out.StageRevoked, fakeTemplates.StageRevoked)
	fill(&out.Reminder, fakeTemplates.Reminder)
	fill(&out.OfficialAccount, fakeTemplates.OfficialAccount)
	return out
}

// subscribeTemplates are the mini-program templates students may accept,
// with the titles the mini-program shows.
func subscribeTemplates(t notify.Templates) []service.Template {
	var out []service.Template
	for _, x := range []service.Template{{ID: t.StageCleared, Title: "离校环节办结通知"},
		{ID: t.StageRejected, Title: "离校环节退回通知"}, {ID: t.StageRevoked, Title: "离校环节撤销通知"},
		{ID: t.Reminder, Title: "离校截止提醒"}} {
		if x.ID != "" {
			out = append(out, x)
		}
	}
	return out
}

// startNotify wires the notification dispatcher and the daily reminders to
// the service and the workers, and returns the official account's callback
// handler (nil when no official account is configured).
func (a *app) startNotify(wx wechat.Client, t notify.Templates) http.Handler {
	n := a.cfg.Notify
	d := notify.New(a.db, wx, notify.Options{MaxAttempts: n.MaxAttempts, PollInterval: n.PollInterval,
		BaseBackoff: n.BaseBackoff, MaxBackoff: n.MaxBackoff, Templates: t, Location: a.cfg.Location()}, a.log)
	a.svc.OnCommit(d.Wake)
	r := notify.NewReminders(a.db, notify.ReminderOptions{DaysBefore: n.ReminderDaysBefore, Hour: n.ReminderHour,
		Location: a.cfg.Location()}, d.Wake, a.log)
	a.workers = append(a.workers, d.Run, r.Run)
	h, err := wechat.NewOAHandler(wx, wechat.OAFollows{Follow: a.svc.FollowOfficialAccount,
		Unfollow: a.svc.UnfollowOfficialAccount}, a.log)
	if err != nil {
		a.log.Info("official-account callback off", "reason", err)
		return nil
	}
	return h
}
