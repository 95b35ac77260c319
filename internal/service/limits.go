package service

import (
	"context"
	"fmt"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
)

// Limits on attempts that cost the university something: a WeChat login
// spends the user's code2session quota (WeChat allows 100 a minute), and a
// signed push can carry thousands of records.
const (
	loginLimit  = 30 // per WeChat account and minute
	pushLimit   = 120
	limitWindow = time.Minute
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
