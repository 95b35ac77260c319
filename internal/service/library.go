package service

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/store"
)

// LibraryPayload is the library system's record of a reader.
type LibraryPayload struct {
	Borrowed        int   `json:"borrowed"`
	FineCents       int64 `json:"fine_cents"`
	ThesisSubmitted bool  `json:"thesis_submitted"`
}

// ApplyLibrary is the student's online library application (rule 6): it
// clears the library stage when the library's data allows it, and says
// exactly what is missing otherwise.
func (s *Service) ApplyLibrary(ctx context.Context, p Principal) (StageView, error) {
	if !p.Has(domain.RoleStudent) {
		return StageView{}, errNotBound
	}
	recs, err := s.store.Records(ctx, p.BatchID, p.StudentNo)
	if err != nil {
		return StageView{}, err
	}
	var rec *domain.LibraryRecord
	if r, ok := recs["library"]; ok {
		var lp LibraryPayload
		if err := json.Unmarshal([]byte(r.Payload), &lp); err != nil {
			return StageView{}, err
		}
		rec = &domain.LibraryRecord{Borrowed: lp.Borrowed, FineCents: lp.FineCents, ThesisSubmitted: lp.ThesisSubmitted}
	}
	_, err = s.change(ctx, p.BatchID, p.StudentNo, func(sh *store.Sheet) error {
		def, ok := sh.Batch.Stage(domain.StageLibrary)
		if !ok || !def.SelfService {
			return domain.Errorf(domain.CodeNotFound, "本批次的图书馆环节不支持网上申请")
		}
		if missing := domain.LibraryMissing(rec, sh.Student.DepartureType); len(missing) > 0 {
			return &domain.Error{Code: domain.CodeStageLocked, BlockedBy: []domain.StageCode{},
				Message: "暂不能网上申请离校：" + strings.Join(missing, "；")}
		}
		_, err := act(sh, domain.StageLibrary, domain.ActionClear, store.Change{Source: domain.SourceSelfService,
			Channel: domain.ChannelSelfService, Actor: p.Actor(domain.RoleStudent), Reason: "网上申请离校"})
		return err
	})
	if err != nil {
		return StageView{}, err
	}
	return s.stageOf(ctx, p.BatchID, p.StudentNo, domain.StageLibrary)
}

// stageOf returns one stage of a student's fresh progress.
func (s *Service) stageOf(ctx context.Context, batchID int64, studentNo string, code domain.StageCode) (StageView, error) {
	v, err := s.progressView(ctx, batchID, studentNo)
	if err != nil {
		return StageView{}, err
	}
	for _, sv := range v.Stages {
		if sv.Code == string(code) {
			return sv, nil
		}
	}
	return StageView{}, domain.Errorf(domain.CodeNotFound, "环节 %s 不存在", code)
}
