package service

import (
	"context"
	"crypto/subtle"
	"regexp"
	"strings"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
)

// bindLimit is how many failed bindings an account or a student number may
// have in bindWindow before it must wait.
const (
	bindLimit  = 5
	bindWindow = time.Hour
)

var (
	studentNoPattern = regexp.MustCompile(`^[0-9A-Za-z]{1,20}$`)
	idLast6Pattern   = regexp.MustCompile(`^[0-9]{5}[0-9Xx]$`)
)

// BindRequest is what a student types to prove who they are.
type BindRequest struct {
	StudentNo string
	Name      string
	IDLast6   string
}

var errBindMismatch = domain.Errorf(domain.CodeInvalidArgument, "学号、姓名或身份证后六位与学校登记信息不一致")

// Bind binds the caller's WeChat account to the imported student whose
// name and last six ID-card characters match.
func (s *Service) Bind(ctx context.Context, p Principal, r BindRequest) (domain.Student, error) {
	r.StudentNo, r.Name, r.IDLast6 = strings.TrimSpace(r.StudentNo), strings.TrimSpace(r.Name), strings.TrimSpace(r.IDLast6)
	switch {
	case !studentNoPattern.MatchString(r.StudentNo):
		return domain.Student{}, domain.Errorf(domain.CodeInvalidArgument, "请填写正确的学号")
	case r.Name == "" || len([]rune(r.Name)) > 30:
		return domain.Student{}, domain.Errorf(domain.CodeInvalidArgument, "请填写姓名")
	case !idLast6Pattern.MatchString(r.IDLast6):
		return domain.Student{}, domain.Errorf(domain.CodeInvalidArgument, "身份证后六位应为 6 位数字，最后一位可以是 X")
	}
	if p.StudentNo != "" && p.StudentNo != r.StudentNo {
		return domain.Student{}, domain.Errorf(domain.CodeConflict, "该微信已绑定学号 %s，如需更换请联系研究生院", p.StudentNo)
	}
	now := s.now()
	byAccount, byStudent, err := s.store.BindFailures(ctx, p.OpenID, r.StudentNo, now.Add(-bindWindow))
	if err != nil {
		return domain.Student{}, err
	}
	if byAccount >= bindLimit || byStudent >= bindLimit {
		return domain.Student{}, domain.Errorf(domain.CodeRateLimited, "尝试次数过多，请一小时后再试")
	}
	st, err := s.matchStudent(ctx, r)
	if err != nil {
		if domain.ErrorCode(err) == domain.CodeInvalidArgument {
			if ferr := s.store.RecordBindFailure(ctx, p.OpenID, r.StudentNo, now); ferr != nil {
				return domain.Student{}, ferr
			}
		}
		return domain.Student{}, err
	}
	if err := s.store.BindStudent(ctx, p.OpenID, st.StudentNo, now); err != nil {
		return domain.Student{}, err
	}
	if err := s.forgetPrincipals(ctx, p.OpenID); err != nil {
		return domain.Student{}, err
	}
	return st, nil
}

func (s *Service) matchStudent(ctx context.Context, r BindRequest) (domain.Student, error) {
	batchID, err := s.store.LatestBatchOf(ctx, r.StudentNo)
	if err != nil {
		if domain.ErrorCode(err) == domain.CodeNotFound {
			return domain.Student{}, errBindMismatch
		}
		return domain.Student{}, err
	}
	st, err := s.store.Student(ctx, batchID, r.StudentNo)
	if err != nil {
		return domain.Student{}, err
	}
	want := IDHash(s.opt.Secret, r.IDLast6)
	nameOK := st.Name == r.Name
	idOK := subtle.ConstantTimeCompare([]byte(want), []byte(st.IDHash)) == 1
	if !nameOK || !idOK {
		return domain.Student{}, errBindMismatch
	}
	return st, nil
}

// Unbind removes a student's WeChat binding so they can bind again (an
// administrator's action).
func (s *Service) Unbind(ctx context.Context, p Principal, studentNo string) error {
	if !p.Has(domain.RoleAdmin) {
		return errAdminOnly
	}
	openid, err := s.store.UnbindStudent(ctx, studentNo, s.now())
	if err != nil {
		return err
	}
	return s.forgetPrincipals(ctx, openid)
}

var errAdminOnly = domain.Errorf(domain.CodeForbidden, "仅研究生院管理员可以操作")
