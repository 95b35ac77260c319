package service

import (
	"context"
	"strings"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/store"
)

// WorklistQuery selects a page of a stage's worklist.
type WorklistQuery struct {
	BatchID  int64 // 0: the newest batch
	Status   domain.Status
	College  string
	Campus   domain.Campus
	Page     int
	PageSize int
}

// WorkItem is one student on a worklist.
type WorkItem struct {
	StudentNo string    `json:"student_no"`
	Name      string    `json:"name"`
	College   string    `json:"college"`
	Campus    string    `json:"campus"`
	Degree    string    `json:"degree"`
	Status    string    `json:"status"`
	Reason    string    `json:"reason"`
	UpdatedAt time.Time `json:"updated_at"`
}

// WorklistPage is one page of a worklist.
type WorklistPage struct {
	Batch    BatchRef   `json:"batch"`
	Items    []WorkItem `json:"items"`
	Total    int        `json:"total"`
	Page     int        `json:"page"`
	PageSize int        `json:"page_size"`
}

// maxPageSize bounds one worklist page.
const maxPageSize = 500

// newestBatch is the batch a request without one means: the newest.
func (s *Service) newestBatch(ctx context.Context, id int64) (domain.Batch, error) {
	if id != 0 {
		return s.batch(ctx, id)
	}
	bs, err := s.store.Batches(ctx)
	if err != nil {
		return domain.Batch{}, err
	}
	if len(bs) == 0 {
		return domain.Batch{}, domain.Errorf(domain.CodeNotFound, "还没有离校批次")
	}
	return bs[0], nil
}

// Worklist lists the students at one stage. Staff of a college-scoped stage
// see only their own college's students; other staff and admins see all.
func (s *Service) Worklist(ctx context.Context, p Principal, code domain.StageCode, q WorklistQuery) (WorklistPage, error) {
	role, err := stageRole(p, code)
	if err != nil {
		return WorklistPage{}, err
	}
	if q.Status != "" && !q.Status.Valid() {
		return WorklistPage{}, domain.Errorf(domain.CodeInvalidArgument, "状态应为 pending、cleared、rejected 或 not_applicable")
	}
	switch q.Campus {
	case "", domain.CampusA, domain.CampusB, domain.CampusHuxi:
	default:
		return WorklistPage{}, domain.Errorf(domain.CodeInvalidArgument, "校区应为 A、B 或 huxi")
	}
	if q.Page < 0 || q.PageSize < 0 || q.PageSize > maxPageSize {
		return WorklistPage{}, domain.Errorf(domain.CodeInvalidArgument, "分页参数不正确（每页最多 %d 条）", maxPageSize)
	}
	if q.Page == 0 {
		q.Page = 1
	}
	if q.PageSize == 0 {
		q.PageSize = 50
	}
	b, err := s.newestBatch(ctx, q.BatchID)
	if err != nil {
		return WorklistPage{}, err
	}
	def, ok := b.Stage(code)
	if !ok {
		return WorklistPage{}, domain.Errorf(domain.CodeNotFound, "本批次没有环节 %s", code)
	}
	q.College = strings.TrimSpace(q.College)
	if role == domain.RoleStaff && def.CollegeScoped {
		if q.College != "" && q.College != p.Account.College {
			return WorklistPage{}, domain.Errorf(domain.CodeForbidden, "只能查看本学院（%s）的学生", p.Account.College)
		}
		q.College = p.Account.College
	}
	items, total, err := s.store.Worklist(ctx, store.WorkFilter{BatchID: b.ID, Stage: code, Status: q.Status,
		College: q.College, Campus: q.Campus, Page: q.Page, PageSize: q.PageSize})
	if err != nil {
		return WorklistPage{}, err
	}
	out := WorklistPage{Batch: BatchRef{ID: b.ID, Name: b.Name}, Items: make([]WorkItem, 0, len(items)),
		Total: total, Page: q.Page, PageSize: q.PageSize}
	for _, w := range items {
		out.Items = append(out.Items, WorkItem{StudentNo: w.Student.StudentNo, Name: w.Student.Name,
			College: w.Student.College, Campus: string(w.Student.Campus), Degree: string(w.Student.Degree),
			Status: string(w.Status), Reason: w.Reason, UpdatedAt: w.UpdatedAt})
	}
	return out, nil
}
