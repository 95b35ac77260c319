package service

import (
	"context"
	"errors"
	"strings"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/qrtoken"
	"github.com/lixiao/lixiao/internal/store"
)

var errNotYourStage = domain.Errorf(domain.CodeForbidden, "只能办理本人负责的环节")

// stageRole is the first half of the scope check, made before anything is
// looked up: admins may act on every stage; staff only on their own. The
// supervisor stage is confirmed by supervisors through their own endpoint,
// so through the staff endpoints only an admin may touch it.
func stageRole(p Principal, code domain.StageCode) (domain.Role, error) {
	if p.Has(domain.RoleAdmin) {
		return domain.RoleAdmin, nil
	}
	a := p.Account
	if a == nil || a.Role != domain.RoleStaff || code == domain.StageSupervisor || a.Stage != code {
		return "", errNotYourStage
	}
	return domain.RoleStaff, nil
}

// authorizeStage decides whether p may act on stage def of student st and
// in which role: an admin always; staff only at their own stage, and at a
// college-scoped stage only for students of their own college. An account's
// campus does not restrict it: the staff of one campus may serve a student
// of another campus who comes to their office (the handbook lists campuses
// as places to go, not as jurisdictions).
func (s *Service) authorizeStage(p Principal, def domain.StageDef, st domain.Student) (domain.Role, error) {
	role, err := stageRole(p, def.Code)
	if err != nil || role == domain.RoleAdmin {
		return role, err
	}
	if def.CollegeScoped && p.Account.College != st.College {
		return "", domain.Errorf(domain.CodeForbidden, "该生属于%s，不在你负责的学院（%s）", st.College, p.Account.College)
	}
	return role, nil
}

// changeBy is the audit description of a staff or admin action.
func changeBy(p Principal, role domain.Role, channel domain.Channel, reason string) store.Change {
	c := store.Change{Source: domain.SourceStaff, Channel: channel, Actor: p.Actor(role), Reason: strings.TrimSpace(reason)}
	if role == domain.RoleAdmin {
		c.Source, c.Channel = domain.SourceAdmin, domain.ChannelAdmin
	}
	return c
}

// batchOf is the batch a staff request is about: the one it names, or the
// student's newest batch.
func (s *Service) batchOf(ctx context.Context, studentNo string, batchID int64) (int64, error) {
	if !studentNoPattern.MatchString(studentNo) {
		return 0, domain.Errorf(domain.CodeInvalidArgument, "请填写正确的学号")
	}
	if batchID != 0 {
		return batchID, nil
	}
	return s.store.LatestBatchOf(ctx, studentNo)
}

// StageRequest is one staff action on one student.
type StageRequest struct {
	StudentNo string
	BatchID   int64 // 0: the student's newest batch
	Reason    string
}

// ClearStage clears stage code for a student (a note is kept as the reason).
// Clearing a stage that is already done succeeds and changes nothing.
func (s *Service) ClearStage(ctx context.Context, p Principal, code domain.StageCode, r StageRequest) (StageView, error) {
	return s.stageAction(ctx, p, code, domain.ActionClear, r)
}

// RejectStage sends the student back with a reason they must act on.
func (s *Service) RejectStage(ctx context.Context, p Principal, code domain.StageCode, r StageRequest) (StageView, error) {
	return s.stageAction(ctx, p, code, domain.ActionReject, r)
}

// RevokeStage undoes a clearance (cleared → pending), with a reason. A
// completed departure (grad_office cleared) only an admin may reopen.
func (s *Service) RevokeStage(ctx context.Context, p Principal, code domain.StageCode, r StageRequest) (StageView, error) {
	return s.stageAction(ctx, p, code, domain.ActionRevoke, r)
}

func (s *Service) stageAction(ctx context.Context, p Principal, code domain.StageCode, a domain.Action, r StageRequest) (StageView, error) {
	if _, err := stageRole(p, code); err != nil {
		return StageView{}, err
	}
	no := strings.TrimSpace(r.StudentNo)
	batchID, err := s.batchOf(ctx, no, r.BatchID)
	if err != nil {
		return StageView{}, err
	}
	if _, _, err := s.actOne(ctx, p, code, a, batchID, no, domain.ChannelScan, r.Reason); err != nil {
		return StageView{}, err
	}
	return s.stageOf(ctx, batchID, no, code)
}

// actOne checks scope and applies one action to one student in its own
// transaction. It returns the stage's status after the action (or, when
// the action is refused, the status that stays) and whether it changed.
func (s *Service) actOne(ctx context.Context, p Principal, code domain.StageCode, a domain.Action, batchID int64,
	no string, channel domain.Channel, reason string) (status domain.Status, changed bool, err error) {
	_, err = s.change(ctx, batchID, no, func(sh *store.Sheet) error {
		def, ok := sh.Batch.Stage(code)
		if !ok {
			return domain.Errorf(domain.CodeNotFound, "本批次没有环节 %s", code)
		}
		status = sh.Clearance(code).Status
		role, err := s.authorizeStage(p, def, sh.Student)
		if err != nil {
			return err
		}
		if changed, err = act(sh, code, a, changeBy(p, role, channel, reason)); err != nil {
			return err
		}
		status = sh.Clearance(code).Status
		return nil
	})
	return status, changed && err == nil, err
}

// ScanView is what staff see after scanning a student's QR code.
type ScanView struct {
	Student  StudentView  `json:"student"`
	Progress ProgressView `json:"progress"`
	// MyStage is the caller's own stage, empty for an admin.
	MyStage string `json:"my_stage,omitempty"`
	// CanAct says whether the caller may clear or reject MyStage for this
	// student (false for a student of another college at a college stage).
	CanAct   bool     `json:"can_act"`
	Warnings []string `json:"warnings"`
}

var errBadQR = domain.Errorf(domain.CodeUnauthenticated, "二维码无效或已过期，请学生刷新后重试")

// Scan checks a student's QR token and gives their whole progress, with the
// caller's own stage and what to tell the student about it. Staff may look
// at students of any college; acting stays limited to their scope.
func (s *Service) Scan(ctx context.Context, p Principal, token string) (ScanView, error) {
	isAdmin := p.Has(domain.RoleAdmin)
	if !isAdmin && (p.Account == nil || p.Account.Role != domain.RoleStaff) {
		return ScanView{}, domain.Errorf(domain.CodeForbidden, "仅工作人员可以扫码")
	}
	claims, err := s.qr.Verify(strings.TrimSpace(token))
	if err != nil {
		if errors.Is(err, qrtoken.ErrMalformed) || errors.Is(err, qrtoken.ErrBadSignature) || errors.Is(err, qrtoken.ErrExpired) {
			return ScanView{}, errBadQR
		}
		return ScanView{}, err
	}
	b, err := s.batch(ctx, claims.BatchID)
	if err != nil {
		return ScanView{}, err
	}
	st, err := s.store.Student(ctx, b.ID, claims.StudentNo)
	if err != nil {
		return ScanView{}, err
	}
	v, err := s.progressView(ctx, b.ID, st.StudentNo)
	if err != nil {
		return ScanView{}, err
	}
	out := ScanView{Student: studentView(st), Progress: v, Warnings: []string{}, CanAct: isAdmin}
	if isAdmin || p.Account == nil {
		return out, nil
	}
	code := p.Account.Stage
	out.MyStage = string(code)
	def, ok := b.Stage(code)
	if !ok {
		out.Warnings = append(out.Warnings, "本批次没有你负责的环节")
		return out, nil
	}
	if _, err := s.authorizeStage(p, def, st); err != nil {
		e, _ := domain.AsError(err)
		out.Warnings = append(out.Warnings, e.Message)
	} else {
		out.CanAct = true
	}
	for _, sv := range v.Stages {
		if sv.Code != string(code) {
			continue
		}
		if sv.Advice != "" {
			out.Warnings = append(out.Warnings, sv.Advice)
		}
		if len(sv.BlockedBy) > 0 {
			names := make([]string, len(sv.BlockedBy))
			for i, c := range sv.BlockedBy {
				names[i] = c
				if d, ok := b.Stage(domain.StageCode(c)); ok {
					names[i] = d.Name
				}
			}
			out.Warnings = append(out.Warnings, "须先完成："+strings.Join(names, "、"))
		}
	}
	return out, nil
}
