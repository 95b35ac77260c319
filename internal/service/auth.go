package service

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/lixiao/lixiao/internal/cache"
	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/store"
	"github.com/lixiao/lixiao/internal/wechat"
)

// Principal is who is calling: a WeChat account and everything it may act as.
type Principal struct {
	OpenID    string        `json:"openid"`
	Roles     []domain.Role `json:"roles"`
	StudentNo string        `json:"student_no,omitempty"`
	BatchID   int64         `json:"batch_id,omitempty"` // the student's newest batch
	Account   *AccountInfo  `json:"account,omitempty"`
	TokenHash string        `json:"-"`
	ExpiresAt time.Time     `json:"expires_at"`

	// linked holds the student's current progress version, fetched in the
	// same cache round trip as the session.
	linked [][]byte
}

// AccountInfo is the staff, supervisor or admin account of a principal.
type AccountInfo struct {
	ID      int64            `json:"id"`
	Name    string           `json:"name"`
	Role    domain.Role      `json:"role"`
	Stage   domain.StageCode `json:"stage,omitempty"`
	Campus  domain.Campus    `json:"campus,omitempty"`
	College string           `json:"college,omitempty"`
	StaffNo string           `json:"staff_no,omitempty"`
}

// Has reports whether the principal holds role r.
func (p Principal) Has(r domain.Role) bool {
	for _, x := range p.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Actor describes the principal in the audit trail.
func (p Principal) Actor(role domain.Role) domain.Actor {
	if p.Account != nil {
		return domain.Actor{ID: fmt.Sprintf("account:%d", p.Account.ID), Name: p.Account.Name, Role: role}
	}
	if role == domain.RoleStudent {
		return domain.Actor{ID: "student:" + p.StudentNo, Name: p.StudentNo, Role: role}
	}
	return domain.Actor{ID: "wechat:" + shortID(p.OpenID), Role: role}
}

// shortID keeps enough of an openid to tell accounts apart in a log
// without writing the whole identifier.
func shortID(openid string) string {
	if len(openid) <= 6 {
		return openid
	}
	return openid[:6] + "…"
}

// Login exchanges a wx.login code for a session.
type Login struct {
	Token     string
	ExpiresAt time.Time
	Principal Principal
}

// Login exchanges a wx.login code with WeChat and opens a session.
func (s *Service) Login(ctx context.Context, code string) (Login, error) {
	if code == "" || len(code) > 128 {
		return Login{}, domain.Errorf(domain.CodeInvalidArgument, "登录凭证无效")
	}
	sess, err := s.wx.Code2Session(ctx, code)
	if err != nil {
		var apiErr *wechat.APIError
		if errors.As(err, &apiErr) {
			return Login{}, &domain.Error{Code: domain.CodeUnauthenticated, Message: "微信登录失败，请重新进入小程序", Err: err}
		}
		return Login{}, &domain.Error{Code: domain.CodeUnavailable, Message: "微信服务暂时不可用，请稍后再试", Err: err}
	}
	if err := s.limit(ctx, "login:"+sess.OpenID, s.opt.LoginLimit, "登录过于频繁，请一分钟后再试"); err != nil {
		return Login{}, err
	}
	now := s.now()
	if err := s.store.TouchWeChatUser(ctx, sess.OpenID, sess.UnionID, now); err != nil {
		return Login{}, err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return Login{}, err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	se := store.Session{TokenHash: hashToken(token), OpenID: sess.OpenID, ExpiresAt: now.Add(s.opt.SessionTTL), CreatedAt: now}
	if err := s.store.CreateSession(ctx, se); err != nil {
		return Login{}, err
	}
	p, err := s.principalOf(ctx, se)
	if err != nil {
		return Login{}, err
	}
	return Login{Token: token, ExpiresAt: se.ExpiresAt, Principal: p}, nil
}

// Logout revokes the session of token.
func (s *Service) Logout(ctx context.Context, p Principal) error {
	if err := s.store.DeleteSession(ctx, p.TokenHash); err != nil {
		return err
	}
	_ = s.cache.Del(ctx, sessionKey(p.TokenHash))
	return nil
}

const principalTTL = 60 * time.Second

func sessionKey(hash string) string { return "s:" + hash }

var errSession = domain.Errorf(domain.CodeUnauthenticated, "登录已失效，请重新登录")

// Authenticate resolves a bearer token. The principal is cached for a
// minute; anything that changes it (logout, binding, an invite, disabling
// an account) drops the cached copy, on every instance.
func (s *Service) Authenticate(ctx context.Context, token string) (Principal, error) {
	if token == "" || len(token) > 128 {
		return Principal{}, errSession
	}
	hash := hashToken(token)
	now := s.now()
	if p, ok := s.cachedPrincipal(ctx, hash); ok {
		if !now.Before(p.ExpiresAt) {
			return Principal{}, errSession
		}
		return p, nil
	}
	se, err := s.store.Session(ctx, hash)
	if err != nil {
		if domain.ErrorCode(err) == domain.CodeNotFound {
			return Principal{}, errSession
		}
		return Principal{}, err
	}
	if !now.Before(se.ExpiresAt) {
		return Principal{}, errSession
	}
	p, err := s.principalOf(ctx, se)
	if err != nil {
		return Principal{}, err
	}
	if b, err := json.Marshal(p); err == nil {
		var linked []string
		if p.StudentNo != "" {
			linked = []string{versionKey(p.BatchID, p.StudentNo)}
		}
		ttl := min(principalTTL, se.ExpiresAt.Sub(now))
		_ = s.cache.Set(ctx, sessionKey(hash), cache.Link(linked, b), ttl)
	}
	return p, nil
}

// cachedPrincipal reads a session's cached principal together with the
// student's progress version, in one cache round trip. This instance
// remembers which version key each session links to, so it can ask for
// both with a plain MGET; it checks the cached value still links to that
// key, and otherwise (a first request here, or a changed principal) lets
// the cache follow the link itself (Chain).
func (s *Service) cachedPrincipal(ctx context.Context, hash string) (Principal, bool) {
	key := sessionKey(hash)
	if seen, ok := s.sessions.get(hash); ok {
		keys := []string{key}
		if seen.vkey != "" {
			keys = append(keys, seen.vkey)
		}
		vals, err := s.cache.MGet(ctx, keys...)
		if err != nil {
			return Principal{}, false
		}
		if vals[0] == nil {
			return Principal{}, false
		}
		linked, raw := cache.Unlink(vals[0])
		if (len(linked) == 0 && seen.vkey == "") || (len(linked) == 1 && linked[0] == seen.vkey) {
			if p, ok := s.decodePrincipal(hash, raw, seen); ok {
				p.linked = vals[1:]
				return p, true
			}
		}
	}
	raw, linked, err := s.cache.Chain(ctx, key)
	if err != nil || raw == nil {
		return Principal{}, false
	}
	p, ok := s.decodePrincipal(hash, raw, seenSession{})
	if !ok {
		return Principal{}, false
	}
	p.linked = linked
	return p, true
}

// decodePrincipal parses a cached principal, reusing this instance's last
// parse of the very same bytes.
func (s *Service) decodePrincipal(hash string, raw []byte, seen seenSession) (Principal, bool) {
	if seen.raw != nil && bytes.Equal(seen.raw, raw) {
		return seen.p, true
	}
	var p Principal
	if json.Unmarshal(raw, &p) != nil {
		return Principal{}, false
	}
	p.TokenHash = hash
	seen = seenSession{raw: bytes.Clone(raw), p: p}
	if p.StudentNo != "" {
		seen.vkey = versionKey(p.BatchID, p.StudentNo)
	}
	s.sessions.put(hash, seen)
	return p, true
}

// principalOf works out the roles of a session's WeChat account.
func (s *Service) principalOf(ctx context.Context, se store.Session) (Principal, error) {
	p := Principal{OpenID: se.OpenID, TokenHash: se.TokenHash, ExpiresAt: se.ExpiresAt, Roles: []domain.Role{}}
	u, err := s.store.WeChatUser(ctx, se.OpenID)
	if err != nil && domain.ErrorCode(err) != domain.CodeNotFound {
		return p, err
	}
	if u.StudentNo != "" {
		if id, err := s.store.LatestBatchOf(ctx, u.StudentNo); err == nil {
			p.StudentNo, p.BatchID = u.StudentNo, id
			p.Roles = append(p.Roles, domain.RoleStudent)
		}
	}
	a, err := s.store.AccountByOpenID(ctx, se.OpenID)
	switch {
	case err == nil && !a.Disabled:
		p.Account = &AccountInfo{ID: a.ID, Name: a.Name, Role: a.Role, Stage: a.Stage, Campus: a.Campus,
			College: a.College, StaffNo: a.StaffNo}
		p.Roles = append(p.Roles, a.Role)
	case err != nil && domain.ErrorCode(err) != domain.CodeNotFound:
		return p, err
	}
	if s.admins[se.OpenID] && !p.Has(domain.RoleAdmin) {
		p.Roles = append(p.Roles, domain.RoleAdmin)
	}
	return p, nil
}

// forgetPrincipals drops the cached principals of a WeChat account, so the
// next request of each of its sessions sees its new roles.
func (s *Service) forgetPrincipals(ctx context.Context, openid string) error {
	hashes, err := s.store.SessionHashesOf(ctx, openid)
	if err != nil {
		return err
	}
	keys := make([]string, len(hashes))
	for i, h := range hashes {
		keys[i] = sessionKey(h)
	}
	if err := s.cache.Del(ctx, keys...); err != nil {
		s.retryMu.Lock()
		for _, k := range keys {
			s.retryDel[k] = true
		}
		s.retryMu.Unlock()
	}
	return nil
}
