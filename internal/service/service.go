// Package service is 离校通's application layer: every use case (login,
// binding, progress, staff actions, imports, integrations) as a method that
// checks who may do it, applies the domain rules and calls the store. Every
// change to a clearance goes through one method, change, which also writes
// the outbox events and invalidates the cached progress after commit.
package service

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/lixiao/lixiao/internal/cache"
	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/qrtoken"
	"github.com/lixiao/lixiao/internal/signing"
	"github.com/lixiao/lixiao/internal/store"
	"github.com/lixiao/lixiao/internal/wechat"
)

// Options are the settings the service needs from the configuration.
type Options struct {
	Secret       string
	AdminOpenIDs []string
	SessionTTL   time.Duration
	QRTTL        time.Duration
	University   string
	// ProgressTTL is the safety net on cached progress; invalidation after
	// every commit is what keeps it fresh.
	ProgressTTL time.Duration
	// Stages is the configuration new batches are created from.
	Stages []domain.StageDef
	// SubscribeTemplates are the mini-program templates students may accept.
	SubscribeTemplates []Template
	// LoginLimit and PushLimit cap logins per WeChat account and signed
	// pushes per key, per minute; zero means the defaults (30 and 6000).
	LoginLimit, PushLimit int64
	// IntegrationKeys are the credentials of the systems that push records
	// (LIXIAO_INTEGRATION_KEYS); none means every push is refused.
	IntegrationKeys []signing.Key
}

// Template is a subscribe-message template a student can accept.
type Template struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Service implements the use cases.
type Service struct {
	store  *store.DB
	cache  cache.Cache
	wx     wechat.Client
	qr     *qrtoken.Signer
	signed *signing.Verifier
	opt    Options
	log    *slog.Logger
	now    func() time.Time
	admins map[string]bool

	// wake tells the local notification dispatcher that events were committed.
	wake func()

	memo     *memo        // this instance's copies of current progress
	sessions *sessionMemo // this instance's hints about the sessions it served

	batchMu sync.RWMutex
	batches map[int64]domain.Batch // batches never change once created

	retryMu  sync.Mutex
	retry    map[string]bool // progress invalidations that failed, retried later
	retryDel map[string]bool // cached principals whose deletion failed

}

// New wires a Service. wake may be nil.
func New(st *store.DB, c cache.Cache, wx wechat.Client, opt Options, log *slog.Logger) *Service {
	if opt.SessionTTL == 0 {
		opt.SessionTTL = 30 * 24 * time.Hour
	}
	if opt.LoginLimit == 0 {
		opt.LoginLimit = defaultLoginLimit
	}
	if opt.PushLimit == 0 {
		opt.PushLimit = defaultPushLimit
	}
	if opt.ProgressTTL == 0 {
		opt.ProgressTTL = 30 * time.Second
	}
	s := &Service{store: st, cache: c, wx: wx, opt: opt, log: log, now: time.Now,
		qr: qrtoken.NewSigner([]byte(opt.Secret), opt.QRTTL, nil), admins: map[string]bool{},
		batches: map[int64]domain.Batch{}, memo: newMemo(50_000), sessions: newSessionMemo(50_000), retry: map[string]bool{}, retryDel: map[string]bool{}, wake: func() {}}
	s.signed = signing.NewVerifier(opt.IntegrationKeys, st, 0, func() time.Time { return s.now() })
	for _, id := range opt.AdminOpenIDs {
		if id = strings.TrimSpace(id); id != "" {
			s.admins[id] = true
		}
	}
	return s
}

// OnCommit sets the function called after a transaction wrote outbox events.
func (s *Service) OnCommit(wake func()) { s.wake = wake }

// SetClock replaces the clock, for tests.
func (s *Service) SetClock(now func() time.Time) {
	s.now = now
	s.qr = qrtoken.NewSigner([]byte(s.opt.Secret), s.opt.QRTTL, now)
}

// Store gives the storage, for the parts of the program that read it directly.
func (s *Service) Store() *store.DB { return s.store }

// IDHash is the keyed hash under which the last six ID-card characters are
// stored and compared; a trailing x counts as X.
func IDHash(secret, last6 string) string {
	key := hmac.New(sha256.New, []byte(secret))
	key.Write([]byte("lixiao/id/v1"))
	m := hmac.New(sha256.New, key.Sum(nil))
	m.Write([]byte(strings.ToUpper(strings.TrimSpace(last6))))
	return hex.EncodeToString(m.Sum(nil))
}

// batch returns a batch, from memory after the first read.
func (s *Service) batch(ctx context.Context, id int64) (domain.Batch, error) {
	s.batchMu.RLock()
	b, ok := s.batches[id]
	s.batchMu.RUnlock()
	if ok {
		return b, nil
	}
	b, err := s.store.Batch(ctx, id)
	if err != nil {
		return b, err
	}
	s.batchMu.Lock()
	s.batches[id] = b
	s.batchMu.Unlock()
	return b, nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
