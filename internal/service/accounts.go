package service

import (
	"context"
	"crypto/rand"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/store"
)

// inviteTTL is how long an invite code can be redeemed.
const inviteTTL = 7 * 24 * time.Hour

// inviteAlphabet has no 0/O or 1/I, so a code read aloud or copied from a
// chat message survives; 32 letters make each byte of randomness map
// without bias.
const inviteAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// inviteLen gives 60 bits: unguessable within an invite's seven days.
const inviteLen = 12

// newInviteCode returns a fresh random invite code.
func newInviteCode() (string, error) {
	raw := make([]byte, inviteLen)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	for i, b := range raw {
		raw[i] = inviteAlphabet[int(b)%len(inviteAlphabet)]
	}
	return string(raw), nil
}

// normInvite makes what a person types comparable with what was issued:
// case, spaces and dashes do not matter.
func normInvite(code string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '\t', '\u3000':
			return -1
		}
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, code)
}

// AccountRequest is what an administrator fills in to create an account.
type AccountRequest struct {
	Name    string
	Role    domain.Role
	Stage   domain.StageCode
	Campus  domain.Campus
	College string
	StaffNo string
}

// Invite is a new invite code. The code is shown this once; only its hash
// is stored.
type Invite struct {
	ID              int64     `json:"id"`
	InviteCode      string    `json:"invite_code"`
	InviteExpiresAt time.Time `json:"invite_expires_at"`
}

// AccountItem is an account in the administrators' list. It never carries
// the invite hash or the WeChat openid.
type AccountItem struct {
	AccountView
	Bound           bool       `json:"bound"`
	Disabled        bool       `json:"disabled"`
	InviteExpiresAt *time.Time `json:"invite_expires_at"`
	CreatedAt       time.Time  `json:"created_at"`
}

var staffNoPattern = regexp.MustCompile(`^[0-9A-Za-z_-]{1,32}$`)

// checkAccount validates an account request against the stage configuration.
func (s *Service) checkAccount(r AccountRequest) (AccountRequest, error) {
	r.Name, r.College, r.StaffNo = strings.TrimSpace(r.Name), strings.TrimSpace(r.College), strings.TrimSpace(r.StaffNo)
	r.Stage = domain.StageCode(strings.TrimSpace(string(r.Stage)))
	bad := func(format string, args ...any) (AccountRequest, error) {
		return r, domain.Errorf(domain.CodeInvalidArgument, format, args...)
	}
	switch n := utf8.RuneCountInString(r.Name); {
	case n == 0:
		return bad("请填写姓名")
	case n > 64:
		return bad("姓名过长（最多 64 字）")
	}
	if utf8.RuneCountInString(r.College) > 100 {
		return bad("学院名称过长（最多 100 字）")
	}
	if r.StaffNo != "" && !staffNoPattern.MatchString(r.StaffNo) {
		return bad("工号应为 1 至 32 位字母或数字")
	}
	switch r.Campus {
	case "", domain.CampusA, domain.CampusB, domain.CampusHuxi:
	default:
		return bad("校区应为 A、B 或 huxi")
	}
	switch r.Role {
	case domain.RoleStaff:
		if r.Stage == "" {
			return bad("工作人员账号须指定所属环节")
		}
		if r.Stage == domain.StageSupervisor {
			return bad("导师环节由导师账号确认，请创建导师账号（role 为 supervisor）")
		}
		def, ok := s.stageDef(r.Stage)
		if !ok {
			return bad("环节 %s 不存在", r.Stage)
		}
		if def.CollegeScoped && r.College == "" {
			return bad("「%s」按学院办理，须填写所属学院", def.Name)
		}
	case domain.RoleSupervisor:
		if r.Stage != "" {
			return bad("导师账号无需指定环节")
		}
		if r.StaffNo == "" {
			return bad("导师账号须填写工号（与学生名单的导师工号一致）")
		}
	case domain.RoleAdmin:
		if r.Stage != "" {
			return bad("管理员账号无需指定环节")
		}
	default:
		return bad("角色应为 staff、supervisor 或 admin")
	}
	return r, nil
}

// stageDef finds a stage in the configuration new batches are made from.
func (s *Service) stageDef(code domain.StageCode) (domain.StageDef, bool) {
	for _, d := range s.opt.Stages {
		if d.Code == code {
			return d, true
		}
	}
	return domain.StageDef{}, false
}

// CreateAccount creates a staff, supervisor or admin account with a
// one-time invite code that its owner redeems in the mini-program.
func (s *Service) CreateAccount(ctx context.Context, p Principal, r AccountRequest) (Invite, error) {
	if !p.Has(domain.RoleAdmin) {
		return Invite{}, errAdminOnly
	}
	r, err := s.checkAccount(r)
	if err != nil {
		return Invite{}, err
	}
	code, err := newInviteCode()
	if err != nil {
		return Invite{}, err
	}
	now := s.now().UTC()
	exp := now.Add(inviteTTL).Truncate(time.Second)
	a := store.Account{Name: r.Name, Role: r.Role, Stage: r.Stage, Campus: r.Campus, College: r.College,
		StaffNo: r.StaffNo, InviteHash: hashToken(code), InviteExpiresAt: &exp, CreatedAt: now}
	if err := s.store.CreateAccount(ctx, &a); err != nil {
		return Invite{}, err
	}
	s.log.Info("account created", "account", a.ID, "role", a.Role, "stage", a.Stage, "by", p.Actor(domain.RoleAdmin).ID)
	return Invite{ID: a.ID, InviteCode: code, InviteExpiresAt: exp}, nil
}

// Accounts lists every account for the administrators.
func (s *Service) Accounts(ctx context.Context, p Principal) ([]AccountItem, error) {
	if !p.Has(domain.RoleAdmin) {
		return nil, errAdminOnly
	}
	as, err := s.store.Accounts(ctx, "")
	if err != nil {
		return nil, err
	}
	out := make([]AccountItem, 0, len(as))
	for _, a := range as {
		out = append(out, s.accountItem(a))
	}
	return out, nil
}

func (s *Service) accountItem(a store.Account) AccountItem {
	return AccountItem{AccountView: s.accountView(a), Bound: a.OpenID != "", Disabled: a.Disabled,
		InviteExpiresAt: a.InviteExpiresAt, CreatedAt: a.CreatedAt}
}

func (s *Service) accountView(a store.Account) AccountView {
	return AccountView{ID: a.ID, Name: a.Name, Role: string(a.Role), Stage: string(a.Stage),
		StageName: s.stageName(a.Stage), Campus: string(a.Campus), College: a.College, StaffNo: a.StaffNo}
}

// SetAccountDisabled disables or enables an account. Disabling ends every
// session of its WeChat account at once, on every instance: the sessions
// are deleted and their cached principals dropped.
func (s *Service) SetAccountDisabled(ctx context.Context, p Principal, id int64, disabled bool) (AccountItem, error) {
	if !p.Has(domain.RoleAdmin) {
		return AccountItem{}, errAdminOnly
	}
	if disabled && p.Account != nil && p.Account.ID == id {
		return AccountItem{}, domain.Errorf(domain.CodeInvalidArgument, "不能停用自己的账号")
	}
	if err := s.store.SetAccountDisabled(ctx, id, disabled); err != nil {
		return AccountItem{}, err
	}
	a, err := s.store.Account(ctx, id)
	if err != nil {
		return AccountItem{}, err
	}
	if a.OpenID != "" {
		if disabled {
			if err := s.endSessions(ctx, a.OpenID); err != nil {
				return AccountItem{}, err
			}
		} else if err := s.forgetPrincipals(ctx, a.OpenID); err != nil {
			return AccountItem{}, err
		}
	}
	s.log.Info("account disabled", "account", id, "disabled", disabled, "by", p.Actor(domain.RoleAdmin).ID)
	return s.accountItem(a), nil
}

// endSessions revokes every session of a WeChat account and drops their
// cached principals; a deletion the cache refuses is retried later.
func (s *Service) endSessions(ctx context.Context, openid string) error {
	hashes, err := s.store.DeleteSessionsOf(ctx, openid)
	if err != nil {
		return err
	}
	if len(hashes) == 0 {
		return nil
	}
	keys := make([]string, len(hashes))
	for i, h := range hashes {
		keys[i] = sessionKey(h)
	}
	if err := s.cache.Del(context.WithoutCancel(ctx), keys...); err != nil {
		s.retryMu.Lock()
		for _, k := range keys {
			s.retryDel[k] = true
		}
		s.retryMu.Unlock()
	}
	return nil
}

// ResetInvite gives an account a new invite code, for a lost code or a new
// phone. The WeChat account bound so far loses the account at once.
func (s *Service) ResetInvite(ctx context.Context, p Principal, id int64) (Invite, error) {
	if !p.Has(domain.RoleAdmin) {
		return Invite{}, errAdminOnly
	}
	a, err := s.store.Account(ctx, id)
	if err != nil {
		return Invite{}, err
	}
	code, err := newInviteCode()
	if err != nil {
		return Invite{}, err
	}
	exp := s.now().UTC().Add(inviteTTL).Truncate(time.Second)
	if err := s.store.ResetInvite(ctx, id, hashToken(code), exp); err != nil {
		return Invite{}, err
	}
	if a.OpenID != "" {
		if err := s.forgetPrincipals(ctx, a.OpenID); err != nil {
			return Invite{}, err
		}
	}
	s.log.Info("invite reset", "account", id, "by", p.Actor(domain.RoleAdmin).ID)
	return Invite{ID: id, InviteCode: code, InviteExpiresAt: exp}, nil
}

// Redeem binds the caller's WeChat account to the account whose invite code
// they typed. The new role applies from the caller's next request.
func (s *Service) Redeem(ctx context.Context, p Principal, code string) (AccountView, error) {
	code = normInvite(code)
	if code == "" {
		return AccountView{}, domain.Errorf(domain.CodeInvalidArgument, "请填写邀请码")
	}
	if len(code) > 64 {
		return AccountView{}, domain.Errorf(domain.CodeInvalidArgument, "邀请码格式不正确")
	}
	if p.Account != nil {
		return AccountView{}, domain.Errorf(domain.CodeConflict, "该微信已绑定工作人员账号「%s」", p.Account.Name)
	}
	a, err := s.store.RedeemInvite(ctx, hashToken(code), p.OpenID, s.now())
	if err != nil {
		return AccountView{}, err
	}
	if err := s.forgetPrincipals(ctx, p.OpenID); err != nil {
		return AccountView{}, err
	}
	s.log.Info("invite redeemed", "account", a.ID, "wechat", shortID(p.OpenID))
	return s.accountView(a), nil
}
