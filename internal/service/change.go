package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/store"
)

// change is the one path every clearance change takes, whoever causes it:
// staff, supervisors, administrators, integrations, the student's own
// application and the rules. It runs fn on the locked sheet, adds the outbox
// events for what fn changed (in the same transaction), and after the
// commit invalidates the student's cached progress and wakes the dispatcher.
func (s *Service) change(ctx context.Context, batchID int64, studentNo string, fn func(*store.Sheet) error) (store.Applied, error) {
	applied, err := s.store.UpdateClearances(ctx, batchID, studentNo, func(sh *store.Sheet) error {
		sh.Now = s.now().UTC()
		before := sh.Statuses()
		if err := fn(sh); err != nil {
			return err
		}
		s.emitEvents(sh, before)
		return nil
	})
	if err != nil {
		return applied, err
	}
	s.invalidateProgress(ctx, batchID, studentNo)
	if applied.Events > 0 {
		s.wake()
	}
	return applied, nil
}

// act applies one action to one stage inside a change.
func act(sh *store.Sheet, code domain.StageCode, a domain.Action, c store.Change) (bool, error) {
	def, ok := sh.Batch.Stage(code)
	if !ok {
		return false, domain.Errorf(domain.CodeNotFound, "环节 %s 不存在", code)
	}
	from := sh.Clearance(code).Status
	to, changed, err := domain.Transition(def, from, a, c.Actor.Role, c.Reason)
	if err != nil || !changed {
		return false, err
	}
	if a == domain.ActionClear {
		if blocked := domain.BlockedBy(sh.Batch.Stages, code, sh.Statuses()); len(blocked) > 0 {
			return false, lockedError(sh.Batch, code, blocked)
		}
	}
	sh.Set(code, to, c)
	return true, nil
}

// lockedError names the unmet prerequisites in Chinese.
func lockedError(b domain.Batch, code domain.StageCode, blocked []domain.StageCode) error {
	def, _ := b.Stage(code)
	names := ""
	for i, c := range blocked {
		if i > 0 {
			names += "、"
		}
		d, _ := b.Stage(c)
		names += d.Name
	}
	return &domain.Error{Code: domain.CodeStageLocked, BlockedBy: blocked,
		Message: fmt.Sprintf("「%s」须先完成：%s", def.Name, names)}
}

// emitEvents is the outbox hook: it turns the sheet's changes into
// notifications, written in the same transaction.
func (s *Service) emitEvents(sh *store.Sheet, before domain.Statuses) {
	b, no := sh.Batch, sh.Student.StudentNo
	key := func(kind domain.EventKind, stage domain.StageCode) string {
		return fmt.Sprintf("%d:%s:%s:%s:%d", b.ID, no, stage, kind, sh.Now.UnixNano())
	}
	for _, c := range sh.Changes() {
		def, _ := b.Stage(c.Stage)
		e := domain.Event{BatchID: b.ID, StudentNo: no, Stage: c.Stage, StageName: def.Name, Reason: c.Reason}
		switch {
		case c.To.Done() && !c.From.Done():
			e.Kind = domain.EventStageCleared
			e.Title = "离校环节已通过"
			e.Body = fmt.Sprintf("你的「%s」环节已通过（✓）。", def.Name)
			if c.To == domain.StatusNotApplicable {
				e.Body = fmt.Sprintf("你的「%s」环节无需办理，已显示为 ✓。", def.Name)
			}
		case c.To == domain.StatusRejected:
			e.Kind = domain.EventStageRejected
			e.Title = "离校环节被退回"
			e.Body = fmt.Sprintf("你的「%s」环节被退回，原因：%s", def.Name, c.Reason)
		case c.From.Done() && !c.To.Done():
			e.Kind = domain.EventStageRevoked
			e.Title = "离校环节需重新办理"
			e.Body = fmt.Sprintf("你的「%s」环节已变为未办理，原因：%s", def.Name, c.Reason)
		default:
			continue
		}
		e.DedupeKey = key(e.Kind, c.Stage)
		sh.Emit(e)
	}
	after := sh.Statuses()
	if !domain.OnlyFinalLeft(b.Stages, before) && domain.OnlyFinalLeft(b.Stages, after) {
		final := finalStage(b)
		sh.Emit(domain.Event{BatchID: b.ID, StudentNo: no, Kind: domain.EventFinalStageReady, Stage: final.Code,
			StageName: final.Name, Title: "请到" + final.Name + "办理最后手续",
			Body:      fmt.Sprintf("除「%s」外的所有环节均已办结，请携带学生证到%s办理。", final.Name, final.Name),
			DedupeKey: key(domain.EventFinalStageReady, final.Code)})
	}
	if !domain.Complete(b.Stages, before) && domain.Complete(b.Stages, after) {
		sh.Emit(domain.Event{BatchID: b.ID, StudentNo: no, Kind: domain.EventDepartureComplete,
			Title: "离校手续已全部办结", Body: "你的离校手续已全部办结，祝前程似锦！",
			DedupeKey: key(domain.EventDepartureComplete, "")})
	}
}

func finalStage(b domain.Batch) domain.StageDef {
	for _, d := range b.Stages {
		if d.RequiresAllOthers {
			return d
		}
	}
	return domain.StageDef{}
}

// invalidateProgress makes the next progress read of the student, on any
// instance, rebuild from the database. A failed invalidation is retried in
// the background until the cache takes it.
func (s *Service) invalidateProgress(ctx context.Context, batchID int64, studentNo string) {
	key := versionKey(batchID, studentNo)
	if err := s.cache.Set(context.WithoutCancel(ctx), key, newVersion(), versionTTL); err != nil {
		s.retryMu.Lock()
		s.retry[key] = true
		s.retryMu.Unlock()
	}
}

// RetryInvalidations re-sends failed invalidations and deletions; the
// server calls it every second.
func (s *Service) RetryInvalidations(ctx context.Context) {
	s.retryMu.Lock()
	keys := make([]string, 0, len(s.retry))
	for k := range s.retry {
		keys = append(keys, k)
	}
	dels := make([]string, 0, len(s.retryDel))
	for k := range s.retryDel {
		dels = append(dels, k)
	}
	s.retryMu.Unlock()
	if len(dels) > 0 && s.cache.Del(ctx, dels...) == nil {
		s.retryMu.Lock()
		for _, k := range dels {
			delete(s.retryDel, k)
		}
		s.retryMu.Unlock()
	}
	for _, k := range keys {
		if err := s.cache.Set(ctx, k, newVersion(), versionTTL); err != nil {
			return
		}
		s.retryMu.Lock()
		delete(s.retry, k)
		s.retryMu.Unlock()
	}
}

const versionTTL = 48 * time.Hour

// newVersion is a fresh progress version. Versions are random rather than
// counted, so a version that disappears with a restarted Redis can never
// come back and validate an old copy of the progress.
func newVersion() []byte {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return []byte(hex.EncodeToString(b))
}

func versionKey(batchID int64, studentNo string) string {
	return fmt.Sprintf("pv:%d:%s", batchID, studentNo)
}

func progressKey(batchID int64, studentNo string) string {
	return fmt.Sprintf("p:%d:%s", batchID, studentNo)
}
