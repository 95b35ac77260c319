package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/signing"
	"github.com/lixiao/lixiao/internal/store"
)

// RecordResult is what became of one record of a push or a list upload.
type RecordResult struct {
	Index     *int   `json:"index,omitempty"` // position in a push's "records"
	Row       int    `json:"row,omitempty"`   // spreadsheet row of a list upload
	StudentNo string `json:"student_no"`
	OK        bool   `json:"ok"`
	Changed   bool   `json:"changed"`
	Stage     string `json:"stage,omitempty"`
	Status    string `json:"status,omitempty"`
	Code      string `json:"code,omitempty"` // error code when !OK
	Message   string `json:"message,omitempty"`
}

// RecordsResult answers a push or a list upload: one result per record, in
// the order received, and the totals.
type RecordsResult struct {
	Received int            `json:"received"`
	Applied  int            `json:"applied"` // records accepted (OK)
	Changed  int            `json:"changed"` // of those, how many changed a stage's status
	Failed   int            `json:"failed"`
	Results  []RecordResult `json:"results"`
}

func (r *RecordsResult) add(x RecordResult) {
	r.Received++
	switch {
	case !x.OK:
		r.Failed++
	case x.Changed:
		r.Applied++
		r.Changed++
	default:
		r.Applied++
	}
	r.Results = append(r.Results, x)
}

// errSignature is all a refused caller learns: which check failed is logged,
// not told, so a forger learns nothing from trying.
var errSignature = domain.Errorf(domain.CodeUnauthenticated,
	"签名校验失败：请检查密钥、时间戳（与服务器时间相差不超过 5 分钟）、随机数（不可重复使用）和签名")

// msgIgnoredOlder answers a record older than the data already held.
const msgIgnoredOlder = "数据早于已有记录，已忽略"

// msgKeptComplete answers new debt reported after the departure completed.
const msgKeptComplete = "该生离校手续已办结，数据已记录，环节状态不变"

// PushRecords takes a signed push from the finance, library, loan or
// hospital system (API.md "Integrations"). The signature is checked over
// the raw body before anything is parsed; a refused, replayed or malformed
// request changes nothing. Each valid record then changes its student's
// stage at once, through the one change path, so the student sees ✓ on the
// next progress read and is notified.
func (s *Service) PushRecords(ctx context.Context, system string, h http.Header, body []byte) (RecordsResult, error) {
	if !signing.IsSystem(system) {
		return RecordsResult{}, domain.Errorf(domain.CodeNotFound, "没有对接系统 %s（应为 finance、library、loan 或 hospital）", clipText(system))
	}
	key, err := s.signed.Verify(ctx, system, h, body)
	if err != nil {
		if errors.Is(err, signing.ErrRejected) {
			s.log.WarnContext(ctx, "integration push refused", slog.String("system", system),
				slog.String("key", clipText(h.Get(signing.HeaderKey))), slog.String("reason", err.Error()))
			return RecordsResult{}, errSignature
		}
		return RecordsResult{}, err
	}
	if err := s.limit(ctx, "push:"+key.ID, s.opt.PushLimit, fmt.Sprintf("推送过于频繁，请稍后再试（每个密钥每分钟最多 %d 次）", s.opt.PushLimit)); err != nil {
		return RecordsResult{}, err
	}
	now := s.now()
	recs, bad, err := parsePush(system, body, now)
	if err != nil {
		return RecordsResult{}, err
	}
	actor := domain.Actor{ID: "integration:" + key.ID, Name: system}
	res := RecordsResult{Results: make([]RecordResult, 0, len(recs)+len(bad))}
	bi := 0
	for _, r := range recs {
		for bi < len(bad) && *bad[bi].Index < r.Index {
			res.add(bad[bi])
			bi++
		}
		x, err := s.applyRecord(ctx, system, actor, domain.ChannelIntegration, r)
		if err != nil {
			return res, err
		}
		res.add(x)
	}
	for ; bi < len(bad); bi++ {
		res.add(bad[bi])
	}
	s.log.InfoContext(ctx, "integration push", slog.String("system", system), slog.String("key", key.ID),
		slog.Int("received", res.Received), slog.Int("changed", res.Changed), slog.Int("failed", res.Failed))
	return res, nil
}

// applyRecord applies one validated record through s.change. Errors about
// the record (no such student, a locked stage) become a failed result; only
// a failure of the system itself is returned as an error.
func (s *Service) applyRecord(ctx context.Context, system string, actor domain.Actor, ch domain.Channel, r dataRecord) (RecordResult, error) {
	res := RecordResult{Row: r.Row, StudentNo: r.StudentNo}
	if r.Row == 0 {
		i := r.Index
		res.Index = &i
	}
	fail := func(err error) (RecordResult, error) {
		e, ok := domain.AsError(err)
		if !ok || e.Code == domain.CodeInternal || e.Code == domain.CodeUnavailable {
			return res, err
		}
		res.OK, res.Code, res.Message = false, string(e.Code), e.Message
		return res, nil
	}
	batchID := r.BatchID
	if batchID == 0 {
		id, err := s.store.LatestBatchOf(ctx, r.StudentNo)
		if err != nil {
			if domain.ErrorCode(err) == domain.CodeNotFound {
				return fail(domain.Errorf(domain.CodeNotFound, "学号 %s 不在任何离校批次中", r.StudentNo))
			}
			return res, err
		}
		batchID = id
	}
	asOf := r.AsOf.UTC().Truncate(time.Microsecond)
	_, err := s.change(ctx, batchID, r.StudentNo, func(sh *store.Sheet) error {
		def, ok := integrationStage(sh.Batch, system)
		if !ok {
			return domain.Errorf(domain.CodeNotFound, "批次「%s」没有由%s数据决定的环节", sh.Batch.Name, systemName(system))
		}
		res.Stage = string(def.Code)
		cur := sh.Clearance(def.Code)
		if cur.DataAsOf != nil && asOf.Before(*cur.DataAsOf) {
			// Out of order: newer data already decided the stage.
			res.Status, res.Message = string(cur.Status), msgIgnoredOlder
			return nil
		}
		sh.PutRecord(store.Record{System: system, Payload: r.payload(system), AsOf: asOf})
		action, reason := decide(system, cur.Status, sh.Student.DepartureType, r)
		changed, kept := false, action != "" && reopensComplete(sh, action, cur.Status)
		if action != "" && !kept {
			var err error
			changed, err = act(sh, def.Code, action, store.Change{Source: domain.SourceIntegration, Channel: ch,
				Actor: actor, Reason: reason, DataAsOf: &asOf})
			if err != nil {
				return err
			}
		}
		if !changed {
			if cur.Status.Done() {
				// A ✓ stage keeps what it says (a staff note, "无需办理").
				reason = cur.Reason
			}
			sh.Touch(def.Code, reason, &asOf)
		}
		after := sh.Clearance(def.Code)
		res.Changed, res.Status, res.Message = changed, string(after.Status), after.Reason
		if kept {
			res.Message = msgKeptComplete
		}
		return nil
	})
	if err != nil {
		res.Stage, res.Status, res.Changed = "", "", false
		return fail(err)
	}
	res.OK = true
	return res, nil
}

// reopensComplete reports whether action would turn a ✓ stage × again for
// a student whose departure is already complete (the student card is
// cancelled): the data is kept, but the departure is not reopened by a rule.
func reopensComplete(sh *store.Sheet, a domain.Action, from domain.Status) bool {
	return a == domain.ActionRequire && from.Done() && domain.Complete(sh.Batch.Stages, sh.Statuses())
}

// clipText keeps caller-supplied text short in messages and logs.
func clipText(s string) string {
	const limit = 40
	if r := []rune(s); len(r) > limit {
		return string(r[:limit]) + "…"
	}
	return s
}
