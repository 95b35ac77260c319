package service

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/store"
)

// BatchRequest is what an administrator fills in to open a batch. Dates
// are YYYY-MM-DD and optional.
type BatchRequest struct {
	Name     string
	StartsOn string
	EndsOn   string
}

// BatchView is a batch as the API shows it.
type BatchView struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	StartsOn  *string   `json:"starts_on"`
	EndsOn    *string   `json:"ends_on"`
	Stages    []string  `json:"stages"`
	CreatedAt time.Time `json:"created_at"`
}

const dateLayout = "2006-01-02"

func batchView(b domain.Batch) BatchView {
	v := BatchView{ID: b.ID, Name: b.Name, CreatedAt: b.CreatedAt, Stages: make([]string, len(b.Stages))}
	for i, d := range b.Stages {
		v.Stages[i] = string(d.Code)
	}
	if b.StartsOn != nil {
		d := b.StartsOn.Format(dateLayout)
		v.StartsOn = &d
	}
	if b.EndsOn != nil {
		d := b.EndsOn.Format(dateLayout)
		v.EndsOn = &d
	}
	return v
}

func parseDate(field, v string) (*time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	t, err := time.Parse(dateLayout, v)
	if err != nil {
		return nil, domain.Errorf(domain.CodeInvalidArgument, "%s 应为 YYYY-MM-DD 格式的日期", field)
	}
	return &t, nil
}

// CreateBatch opens a departure round with its own copy of the configured
// stages, so later changes to the configuration never rewrite it (rule 9).
func (s *Service) CreateBatch(ctx context.Context, p Principal, r BatchRequest) (BatchView, error) {
	if !p.Has(domain.RoleAdmin) {
		return BatchView{}, errAdminOnly
	}
	name := strings.TrimSpace(r.Name)
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return BatchView{}, domain.Errorf(domain.CodeInvalidArgument, "请填写批次名称")
	case n > 100:
		return BatchView{}, domain.Errorf(domain.CodeInvalidArgument, "批次名称过长（最多 100 字）")
	}
	starts, err := parseDate("starts_on", r.StartsOn)
	if err != nil {
		return BatchView{}, err
	}
	ends, err := parseDate("ends_on", r.EndsOn)
	if err != nil {
		return BatchView{}, err
	}
	if starts != nil && ends != nil && ends.Before(*starts) {
		return BatchView{}, domain.Errorf(domain.CodeInvalidArgument, "结束日期不能早于开始日期")
	}
	if len(s.opt.Stages) == 0 {
		return BatchView{}, domain.Errorf(domain.CodeInternal, "未配置离校环节")
	}
	b := domain.Batch{Name: name, StartsOn: starts, EndsOn: ends, CreatedAt: s.now().UTC(),
		Stages: append([]domain.StageDef(nil), s.opt.Stages...)}
	if err := s.store.CreateBatch(ctx, &b); err != nil {
		return BatchView{}, err
	}
	s.log.Info("batch created", "batch", b.ID, "by", p.Actor(domain.RoleAdmin).ID)
	return batchView(b), nil
}

// Batches lists every batch, newest first.
func (s *Service) Batches(ctx context.Context, p Principal) ([]BatchView, error) {
	if !p.Has(domain.RoleAdmin) {
		return nil, errAdminOnly
	}
	bs, err := s.store.Batches(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]BatchView, len(bs))
	for i, b := range bs {
		out[i] = batchView(b)
	}
	return out, nil
}

// AuditQuery narrows the audit trail.
type AuditQuery struct {
	StudentNo string
	BatchID   int64
	Stage     domain.StageCode
	Limit     int
}

// AuditItem is one change in the audit trail.
type AuditItem struct {
	ID        int64     `json:"id"`
	BatchID   int64     `json:"batch_id"`
	StudentNo string    `json:"student_no"`
	Stage     string    `json:"stage"`
	From      string    `json:"from"`
	To        string    `json:"to"`
	Reason    string    `json:"reason"`
	ActorID   string    `json:"actor_id"`
	ActorName string    `json:"actor_name"`
	ActorRole string    `json:"actor_role"`
	Channel   string    `json:"channel"`
	Source    string    `json:"source"`
	At        time.Time `json:"at"`
}

// Audit lists changes, newest first: who, in which role and through which
// channel, from what to what, why and when.
func (s *Service) Audit(ctx context.Context, p Principal, q AuditQuery) ([]AuditItem, error) {
	if !p.Has(domain.RoleAdmin) {
		return nil, errAdminOnly
	}
	q.StudentNo = strings.TrimSpace(q.StudentNo)
	if q.StudentNo != "" && !studentNoPattern.MatchString(q.StudentNo) {
		return nil, domain.Errorf(domain.CodeInvalidArgument, "请填写正确的学号")
	}
	if q.Limit < 0 || q.Limit > 1000 {
		return nil, domain.Errorf(domain.CodeInvalidArgument, "limit 应在 1 至 1000 之间")
	}
	es, err := s.store.Audit(ctx, store.AuditFilter{BatchID: q.BatchID, StudentNo: q.StudentNo, Stage: q.Stage, Limit: q.Limit})
	if err != nil {
		return nil, err
	}
	out := make([]AuditItem, len(es))
	for i, e := range es {
		out[i] = AuditItem{ID: e.ID, BatchID: e.BatchID, StudentNo: e.StudentNo, Stage: string(e.Stage),
			From: string(e.From), To: string(e.To), Reason: e.Reason, ActorID: e.ActorID, ActorName: e.ActorName,
			ActorRole: string(e.ActorRole), Channel: string(e.Channel), Source: string(e.Source), At: e.At}
	}
	return out, nil
}

// StudentProgress is any student's progress as JSON, for administrators:
// in batchID, or with 0 the student's newest batch.
func (s *Service) StudentProgress(ctx context.Context, p Principal, studentNo string, batchID int64) ([]byte, error) {
	if !p.Has(domain.RoleAdmin) {
		return nil, errAdminOnly
	}
	no := strings.TrimSpace(studentNo)
	batchID, err := s.batchOf(ctx, no, batchID)
	if err != nil {
		return nil, err
	}
	return s.progressJSON(ctx, batchID, no)
}
