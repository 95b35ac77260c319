package service

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strconv"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/sheet"
	"github.com/lixiao/lixiao/internal/signing"
	"github.com/lixiao/lixiao/internal/store"
)

// ImportResult answers a roster import (API.md: created, updated, errors).
// When Errors is not empty and the import was not partial, nothing was
// applied and the service also returns an invalid_argument error.
type ImportResult struct {
	Created   int              `json:"created"`
	Updated   int              `json:"updated"`
	Unchanged int              `json:"unchanged"`
	Errors    []sheet.RowError `json:"errors"`
	// Reapplied counts updated students whose loan or party stage the rules
	// decided again because the roster changed what applies to them.
	Reapplied int `json:"reapplied"`
}

// Upload is a spreadsheet an administrator sent.
type Upload struct {
	Name string // the file name; its extension says .xlsx or .csv
	Body io.Reader
	// Partial applies the good rows even when some rows are bad.
	Partial bool
}

// ImportStudents imports a batch's roster (.xlsx or .csv, the columns of
// API.md). Every row is checked first; by default one bad row applies
// nothing and the result names every bad row with its row number. Rows
// are upserted, so importing the same file twice changes nothing the
// second time. A student whose loan or party membership changed gets that
// stage decided again, through the change path: audited and notified.
func (s *Service) ImportStudents(ctx context.Context, p Principal, batchID int64, up Upload) (ImportResult, error) {
	res := ImportResult{Errors: []sheet.RowError{}}
	if !p.Has(domain.RoleAdmin) {
		return res, errAdminOnly
	}
	b, err := s.batch(ctx, batchID)
	if err != nil {
		return res, err
	}
	sups, err := s.store.SupervisorStaffNos(ctx)
	if err != nil {
		return res, err
	}
	rows, bad, err := sheet.ParseRoster(up.Name, up.Body, sheet.RosterOptions{IsSupervisor: func(no string) bool { return sups[no] }})
	if err != nil {
		return res, err
	}
	if len(bad) > 0 {
		res.Errors = bad
		if !up.Partial || len(rows) == 0 {
			return res, rowsError(len(bad))
		}
	}
	students := make([]domain.Student, len(rows))
	for i, r := range rows {
		st := r.Student
		st.BatchID = b.ID
		st.IDHash = IDHash(s.opt.Secret, r.IDLast6)
		students[i] = st
	}
	out, err := s.store.ImportStudents(ctx, b, students, s.now())
	if err != nil {
		return res, err
	}
	res.Created, res.Updated = out.Created, out.Updated
	res.Unchanged = len(students) - out.Created - out.Updated
	for _, st := range out.Reapply {
		n, err := s.reapplyRoster(ctx, b.ID, st.StudentNo)
		if err != nil {
			return res, err
		}
		res.Reapplied += n
	}
	s.log.InfoContext(ctx, "roster imported", slog.Int64("batch", b.ID), slog.Int("created", res.Created),
		slog.Int("updated", res.Updated), slog.Int("bad_rows", len(bad)), slog.Int("reapplied", res.Reapplied))
	return res, nil
}

// rowsError is the error of an upload refused for its bad rows.
func rowsError(n int) error {
	return domain.Errorf(domain.CodeInvalidArgument, "文件有 %d 行错误，未导入任何数据；请按行号修改后重新上传", n)
}

// reapplyRoster decides again the stages whose applicability comes from the
// roster (rule 5): a new loan or party membership makes a not-applicable
// stage pending; losing it exempts a pending one. A cleared stage stays
// cleared. It returns how many stages changed.
func (s *Service) reapplyRoster(ctx context.Context, batchID int64, no string) (int, error) {
	applied, err := s.change(ctx, batchID, no, func(sh *store.Sheet) error {
		for _, d := range sh.Batch.Stages {
			var applies bool
			var need, exempt string
			switch d.AppliesWhen {
			case domain.AppliesWithLoan:
				applies, need, exempt = sh.Student.HasLoan, "名单显示有国家助学贷款，需办理", "名单显示无国家助学贷款，无需办理"
			case domain.AppliesToPartyMembers:
				applies, need, exempt = sh.Student.PartyMember, "名单显示为党员，需转党组织关系", "名单显示非党员，无需办理"
			default:
				continue
			}
			from := sh.Clearance(d.Code).Status
			a, reason := domain.ActionExempt, exempt
			if applies {
				if from != domain.StatusNotApplicable {
					continue
				}
				a, reason = domain.ActionRequire, need
			}
			if _, err := act(sh, d.Code, a, store.Change{Source: domain.SourceRule, Channel: domain.ChannelRule,
				Actor: domain.Actor{ID: "rule:roster", Name: "名单导入"}, Reason: reason}); err != nil {
				return err
			}
		}
		return nil
	})
	return len(applied.Changes), err
}

// RosterTemplate writes the roster template an administrator downloads.
func (s *Service) RosterTemplate(p Principal, w io.Writer) error {
	if !p.Has(domain.RoleAdmin) {
		return errAdminOnly
	}
	return sheet.RosterTemplate(w)
}

// ImportRecords takes a system's records as a spreadsheet, for offices
// with no system to push from (columns in sheet.ParseRecords). The records
// go through the same decisions and change path as a signed push, with the
// administrator as the actor. Like the roster, a bad row (including a
// student not in the batch) applies nothing unless up.Partial is set.
func (s *Service) ImportRecords(ctx context.Context, p Principal, batchID int64, system string, up Upload) (RecordsResult, []sheet.RowError, error) {
	res := RecordsResult{Results: []RecordResult{}}
	if !p.Has(domain.RoleAdmin) {
		return res, nil, errAdminOnly
	}
	if !signing.IsSystem(system) {
		return res, nil, domain.Errorf(domain.CodeNotFound, "没有对接系统 %s（应为 finance、library、loan 或 hospital）", clipText(system))
	}
	b, err := s.batch(ctx, batchID)
	if err != nil {
		return res, nil, err
	}
	if _, ok := integrationStage(b, system); !ok {
		return res, nil, domain.Errorf(domain.CodeNotFound, "批次「%s」没有由%s数据决定的环节", b.Name, systemName(system))
	}
	now := s.now().In(chinaTime)
	rows, bad, err := sheet.ParseRecords(system, up.Name, up.Body, now)
	if err != nil {
		return res, nil, err
	}
	known, err := s.store.Students(ctx, store.StudentFilter{BatchID: b.ID})
	if err != nil {
		return res, nil, err
	}
	inBatch := make(map[string]bool, len(known))
	for _, st := range known {
		inBatch[st.StudentNo] = true
	}
	recs := make([]dataRecord, 0, len(rows))
	for _, row := range rows {
		r, msg := recordFromRow(row, now)
		if msg == "" && !inBatch[row.StudentNo] {
			msg = fmt.Sprintf("学号 %s 不在批次「%s」中", row.StudentNo, b.Name)
		}
		if msg != "" {
			bad = append(bad, sheet.RowError{Row: row.Row, Message: msg})
			continue
		}
		r.BatchID = b.ID
		recs = append(recs, r)
	}
	sortRowErrors(bad)
	if len(bad) > 0 && (!up.Partial || len(recs) == 0) {
		return res, bad, rowsError(len(bad))
	}
	actor := p.Actor(domain.RoleAdmin)
	for _, r := range recs {
		x, err := s.applyRecord(ctx, system, actor, domain.ChannelAdmin, r)
		if err != nil {
			return res, bad, err
		}
		res.add(x)
	}
	s.log.InfoContext(ctx, "records list imported", slog.String("system", system), slog.Int64("batch", b.ID),
		slog.Int("applied", res.Applied), slog.Int("changed", res.Changed), slog.Int("bad_rows", len(bad)))
	return res, bad, nil
}

// chinaTime reads list times without a zone, and prints export times: the
// university is in China, which has one zone and no daylight saving.
var chinaTime = time.FixedZone("CST", 8*3600)

// recordFromRow turns a parsed list row (decimal strings, flags as "1"/"0")
// into the record a push would carry.
func recordFromRow(row sheet.Record, now time.Time) (dataRecord, string) {
	r := dataRecord{Row: row.Row, StudentNo: row.StudentNo, AsOf: row.AsOf}
	if r.AsOf.After(now.Add(signing.DefaultWindow)) {
		return r, "数据时间晚于当前时间"
	}
	num := func(k string) int64 { n, _ := strconv.ParseInt(row.Fields[k], 10, 64); return n }
	flag := func(k string) bool { return row.Fields[k] == "1" }
	r.OwedCents, r.Borrowed, r.FineCents, r.DebtCents = num("owed_cents"), num("borrowed"), num("fine_cents"), num("debt_cents")
	r.ThesisSubmitted, r.HasLoan, r.Settled = flag("thesis_submitted"), flag("has_loan"), flag("settled")
	for _, n := range []int64{r.OwedCents, r.FineCents, r.DebtCents} {
		if n > maxCents {
			return r, "金额过大"
		}
	}
	return r, ""
}

func sortRowErrors(es []sheet.RowError) {
	sort.SliceStable(es, func(i, j int) bool { return es[i].Row < es[j].Row })
}
