package service

import (
	"bytes"
	"context"
	"errors"
	"strings"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/form"
	"github.com/lixiao/lixiao/internal/store"
)

// SupervisorItems are the five matters a supervisor confirms, in the form's
// order; the keys are the API's.
type SupervisorItems struct {
	Instruments bool `json:"instruments"`
	Equipment   bool `json:"equipment"`
	Funds       bool `json:"funds"`
	Project     bool `json:"project"`
	Classified  bool `json:"classified"`
}

// missing names, in Chinese and in the form's order, the items not confirmed.
func (it SupervisorItems) missing() []string {
	var out []string
	for _, x := range []struct {
		ok   bool
		name string
	}{
		{it.Instruments, "仪器归还"}, {it.Equipment, "公共设备归还"}, {it.Funds, "公款归还"},
		{it.Project, "课题移交"}, {it.Classified, "涉密资料移交"},
	} {
		if !x.ok {
			out = append(out, x.name)
		}
	}
	return out
}

// SupervisedStudent is one of a supervisor's students.
type SupervisedStudent struct {
	StudentNo      string   `json:"student_no"`
	Name           string   `json:"name"`
	College        string   `json:"college"`
	Degree         string   `json:"degree"`
	DepartureType  string   `json:"departure_type"`
	Status         string   `json:"status"`
	ConfirmedItems []string `json:"confirmed_items"`
}

// SupervisedList is a supervisor's students in one batch.
type SupervisedList struct {
	Batch BatchRef            `json:"batch"`
	Items []SupervisedStudent `json:"items"`
}

var errSupervisorOnly = domain.Errorf(domain.CodeForbidden, "仅导师可以操作")

func supervisorOf(p Principal) (*AccountInfo, error) {
	a := p.Account
	if a == nil || a.Role != domain.RoleSupervisor || a.StaffNo == "" {
		return nil, errSupervisorOnly
	}
	return a, nil
}

// SupervisorStudents lists the caller's students (roster column
// supervisor_staff_no) in a batch, newest by default, with their
// supervisor-stage status and what was confirmed.
func (s *Service) SupervisorStudents(ctx context.Context, p Principal, batchID int64) (SupervisedList, error) {
	a, err := supervisorOf(p)
	if err != nil {
		return SupervisedList{}, err
	}
	b, err := s.newestBatch(ctx, batchID)
	if err != nil {
		return SupervisedList{}, err
	}
	sts, err := s.store.Students(ctx, store.StudentFilter{BatchID: b.ID, SupervisorStaffNo: a.StaffNo})
	if err != nil {
		return SupervisedList{}, err
	}
	out := SupervisedList{Batch: BatchRef{ID: b.ID, Name: b.Name}, Items: make([]SupervisedStudent, 0, len(sts))}
	for _, st := range sts {
		cs, err := s.store.Clearances(ctx, b.ID, st.StudentNo)
		if err != nil {
			return SupervisedList{}, err
		}
		items, err := s.store.ConfirmedItems(ctx, b.ID, st.StudentNo)
		if err != nil {
			return SupervisedList{}, err
		}
		if items == nil {
			items = []string{}
		}
		status := domain.StatusesOf(b, st, cs)[domain.StageSupervisor]
		out.Items = append(out.Items, SupervisedStudent{StudentNo: st.StudentNo, Name: st.Name, College: st.College,
			Degree: string(st.Degree), DepartureType: string(st.DepartureType), Status: string(status),
			ConfirmedItems: items})
	}
	return out, nil
}

// ConfirmRequest is a supervisor's confirmation for one student.
type ConfirmRequest struct {
	BatchID int64 // 0: the student's newest batch
	Items   SupervisorItems
}

// ConfirmSupervisor is the digital signature on the confirmation form: it
// clears the supervisor stage when all five items are confirmed, and
// records which items were.
func (s *Service) ConfirmSupervisor(ctx context.Context, p Principal, studentNo string, r ConfirmRequest) (StageView, error) {
	a, err := supervisorOf(p)
	if err != nil {
		return StageView{}, err
	}
	no := strings.TrimSpace(studentNo)
	batchID, err := s.batchOf(ctx, no, r.BatchID)
	if err != nil {
		return StageView{}, err
	}
	var changed bool
	_, err = s.change(ctx, batchID, no, func(sh *store.Sheet) error {
		if sh.Student.SupervisorStaffNo != a.StaffNo {
			return domain.Errorf(domain.CodeForbidden, "该生不是你指导的学生")
		}
		if missing := r.Items.missing(); len(missing) > 0 {
			return domain.Errorf(domain.CodeInvalidArgument, "须逐项确认后才能通过，尚未确认：%s", strings.Join(missing, "、"))
		}
		var err error
		changed, err = act(sh, domain.StageSupervisor, domain.ActionClear, store.Change{Source: domain.SourceStaff,
			Channel: domain.ChannelConfirm, Actor: p.Actor(domain.RoleSupervisor), Reason: "导师已逐项确认"})
		return err
	})
	if err != nil {
		return StageView{}, err
	}
	if changed {
		if err := s.store.AddConfirmation(ctx, batchID, no, a.ID, store.SupervisorItems, s.now()); err != nil {
			return StageView{}, err
		}
	}
	return s.stageOf(ctx, batchID, no, domain.StageSupervisor)
}

// ConfirmationForm renders the student's supervisor confirmation form,
// pre-filled, as a PDF, with the file name to save it under.
func (s *Service) ConfirmationForm(ctx context.Context, p Principal) ([]byte, string, error) {
	if !p.Has(domain.RoleStudent) {
		return nil, "", errNotBound
	}
	st, err := s.store.Student(ctx, p.BatchID, p.StudentNo)
	if err != nil {
		return nil, "", err
	}
	var buf bytes.Buffer
	err = form.Render(&buf, form.Confirmation{University: s.opt.University, StudentName: st.Name,
		StudentNo: st.StudentNo, College: st.College, Doctor: st.Degree == domain.DegreeDoctor,
		DepartureType: string(st.DepartureType)})
	if errors.Is(err, form.ErrUnsupportedChar) {
		return nil, "", &domain.Error{Code: domain.CodeInvalidArgument, Err: err,
			Message: "你的姓名、学号或学院中有确认书字体无法打印的字，请联系学院教务秘书领取纸质确认书手写填写"}
	}
	if err != nil {
		return nil, "", err
	}
	return buf.Bytes(), "导师准许学生离校确认书-" + st.StudentNo + ".pdf", nil
}
