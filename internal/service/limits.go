package service

import (
	"context"
	"fmt"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
)

// Default limits on attempts that cost the university something: a WeChat
// login spends the user's code2session quota (WeChat allows 100 a minute),
// and a runaway integration could flood the outbox. A finance system that
// pushes every payment as it happens stays far below 100 pushes a second.
const (
	defaultLoginLimit = 30   // per WeChat account and minute
	defaultPushLimit  = 6000 // per integration key and minute
	limitWindow       = time.Minute
)

// limit counts an attempt of who in a fixed one-minute window shared by
// every instance, and refuses it beyond max. When the cache cannot count,
// the attempt is allowed: a cache outage must not lock people out.
func (s *Service) limit(ctx context.Context, who string, max int64, msg string) error {
	window := s.now().Unix() / int64(limitWindow/time.Second)
	n, err := s.cache.Incr(ctx, fmt.Sprintf("rl:%s:%d", who, window), limitWindow+5*time.Second)
	if err != nil || n <= max {
		return nil
	}
	return domain.Errorf(domain.CodeRateLimited, "%s", msg)
}
