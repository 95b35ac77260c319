package service

import (
	"context"
	"fmt"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/store"
)

// maxAcceptedPerCall is what wx.requestSubscribeMessage allows in one tap.
const maxAcceptedPerCall = 3

// SubscriptionsView is the subscribe-message templates a student may accept
// and how many messages of each the student has left.
type SubscriptionsView struct {
	Templates []Template     `json:"templates"`
	Quota     map[string]int `json:"quota"`
}

// Subscriptions lists the templates and the calling student's quota.
func (s *Service) Subscriptions(ctx context.Context, p Principal) (SubscriptionsView, error) {
	if !p.Has(domain.RoleStudent) {
		return SubscriptionsView{}, errNotBound
	}
	have, err := s.store.Subscriptions(ctx, p.OpenID)
	if err != nil {
		return SubscriptionsView{}, err
	}
	v := SubscriptionsView{Templates: s.opt.SubscribeTemplates, Quota: map[string]int{}}
	if v.Templates == nil {
		v.Templates = []Template{}
	}
	for _, t := range v.Templates {
		v.Quota[t.ID] = have[t.ID]
	}
	return v, nil
}

// Subscribe records what wx.requestSubscribeMessage accepted: one message
// per template id. Only configured templates count, at most three per call
// (WeChat's own limit), each once; anything else changes nothing.
func (s *Service) Subscribe(ctx context.Context, p Principal, accepted []string) (SubscriptionsView, error) {
	if !p.Has(domain.RoleStudent) {
		return SubscriptionsView{}, errNotBound
	}
	if len(accepted) > maxAcceptedPerCall {
		return SubscriptionsView{}, domain.Errorf(domain.CodeInvalidArgument, "一次最多订阅 %d 个消息模板", maxAcceptedPerCall)
	}
	known := map[string]bool{}
	for _, t := range s.opt.SubscribeTemplates {
		known[t.ID] = true
	}
	seen := map[string]bool{}
	var ids []string
	for _, id := range accepted {
		if !known[id] {
			return SubscriptionsView{}, domain.Errorf(domain.CodeInvalidArgument, "未知的消息模板：%.64s", id)
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if len(ids) > 0 {
		if err := s.store.AddSubscriptions(ctx, p.OpenID, ids, s.now()); err != nil {
			return SubscriptionsView{}, err
		}
	}
	return s.Subscriptions(ctx, p)
}

// NotificationView is one entry of the in-app inbox.
type NotificationView struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`
	Stage     string    `json:"stage,omitempty"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// Notifications is the calling student's inbox, newest first.
func (s *Service) Notifications(ctx context.Context, p Principal) ([]NotificationView, error) {
	if !p.Has(domain.RoleStudent) {
		return nil, errNotBound
	}
	ns, err := s.store.Notifications(ctx, p.StudentNo, 100)
	if err != nil {
		return nil, err
	}
	out := make([]NotificationView, len(ns))
	for i, n := range ns {
		out[i] = NotificationView{ID: n.ID, Kind: string(n.Kind), Stage: string(n.Stage), Title: n.Title,
			Body: n.Body, CreatedAt: n.CreatedAt}
	}
	return out, nil
}

// OutboxItem is one outbox row as administrators see it.
type OutboxItem struct {
	ID            int64      `json:"id"`
	StudentNo     string     `json:"student_no"`
	Kind          string     `json:"kind"`
	Stage         string     `json:"stage,omitempty"`
	Status        string     `json:"status"`
	Attempts      int        `json:"attempts"`
	NextAttemptAt time.Time  `json:"next_attempt_at"`
	LastError     string     `json:"last_error"`
	DeliveredVia  string     `json:"delivered_via"`
	CreatedAt     time.Time  `json:"created_at"`
	SentAt        *time.Time `json:"sent_at"`
}

func outboxItem(r store.OutboxRow) OutboxItem {
	return OutboxItem{ID: r.ID, StudentNo: r.StudentNo, Kind: string(r.Kind), Stage: string(r.Stage), Status: r.Status,
		Attempts: r.Attempts, NextAttemptAt: r.NextAttemptAt, LastError: r.LastError, DeliveredVia: r.DeliveredVia,
		CreatedAt: r.CreatedAt, SentAt: r.SentAt}
}

// Outbox lists notifications of one status (pending, sent or dead; all
// when empty), newest first, for administrators.
func (s *Service) Outbox(ctx context.Context, p Principal, status string, limit int) ([]OutboxItem, error) {
	if !p.Has(domain.RoleAdmin) {
		return nil, errAdminOnly
	}
	switch status {
	case "", store.OutboxPending, store.OutboxSent, store.OutboxDead:
	default:
		return nil, domain.Errorf(domain.CodeInvalidArgument, "status 应为 pending、sent 或 dead")
	}
	if limit < 0 || limit > 500 {
		return nil, domain.Errorf(domain.CodeInvalidArgument, "limit 应在 1 到 500 之间")
	}
	rows, err := s.store.ListOutbox(ctx, status, limit)
	if err != nil {
		return nil, err
	}
	out := make([]OutboxItem, len(rows))
	for i, r := range rows {
		out[i] = outboxItem(r)
	}
	return out, nil
}

// RetryOutbox sends a dead notification again, from a fresh attempt count.
func (s *Service) RetryOutbox(ctx context.Context, p Principal, id int64) (OutboxItem, error) {
	if !p.Has(domain.RoleAdmin) {
		return OutboxItem{}, errAdminOnly
	}
	if err := s.store.RetryOutbox(ctx, id, s.now()); err != nil {
		return OutboxItem{}, err
	}
	s.wake()
	r, err := s.store.OutboxByID(ctx, id)
	if err != nil {
		return OutboxItem{}, err
	}
	return outboxItem(r), nil
}

// FollowOfficialAccount links a follower of the official account to the
// mini-program account with the same unionid (the callback's follow event).
func (s *Service) FollowOfficialAccount(ctx context.Context, oaOpenID, unionID string) error {
	n, err := s.store.FollowOfficialAccount(ctx, unionID, oaOpenID, s.now())
	if err != nil {
		return fmt.Errorf("follow: %w", err)
	}
	s.log.Info("official account followed", "linked", n)
	return nil
}

// UnfollowOfficialAccount forgets an official-account openid (unfollow).
func (s *Service) UnfollowOfficialAccount(ctx context.Context, oaOpenID string) error {
	n, err := s.store.UnfollowOfficialAccount(ctx, oaOpenID, s.now())
	if err != nil {
		return fmt.Errorf("unfollow: %w", err)
	}
	s.log.Info("official account unfollowed", "unlinked", n)
	return nil
}
