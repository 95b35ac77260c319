package service

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
)

// dataRecord is one record of a university system, validated, whichever
// door it came through: a signed push or an administrator's list upload.
type dataRecord struct {
	Index     int // position in the pushed "records" array
	Row       int // spreadsheet row of a list upload; 0 for pushes
	StudentNo string
	BatchID   int64 // 0: the student's newest batch
	AsOf      time.Time

	OwedCents       int64 // finance
	Borrowed        int64 // library
	FineCents       int64 // library
	ThesisSubmitted bool  // library
	HasLoan         bool  // loan
	Settled         bool  // loan
	DebtCents       int64 // hospital
}

// Reasons the student reads on a stage decided by a system's data.
const (
	reasonLibraryEligible = "可网上申请离校"
	reasonNoLoan          = "国家助学贷款中心数据：无助学贷款，无需办理"
	reasonLoanOpen        = "国家助学贷款手续尚未办结，请到国家助学贷款中心办理"
	reasonNoHospitalDebt  = "校医院数据：无欠费，无需办理"
)

// decide is what a system's record means for its stage, as a pure function
// of the system, the stage's current status, the student's departure type
// and the record. action is empty when the record never moves the stage
// (the library: the student applies online); reason is what the student
// reads (rules 5, 6 and 7):
//   - finance: nothing owed clears; a debt makes the stage pending again,
//     even after a clearance (a revoke by rule, audited and notified).
//   - library: no transition; the reason names exactly what is missing.
//   - loan: no loan exempts; settled clears; an open loan requires a visit.
//   - hospital: no debt exempts (a cleared stage stays cleared); a debt
//     requires payment.
func decide(system string, from domain.Status, dep domain.DepartureType, r dataRecord) (domain.Action, string) {
	switch system {
	case "finance":
		if r.OwedCents == 0 {
			return domain.ActionClear, ""
		}
		return domain.ActionRequire, "尚欠学费/住宿费 " + domain.Yuan(r.OwedCents) + " 元"
	case "library":
		rec := domain.LibraryRecord{Borrowed: int(r.Borrowed), FineCents: r.FineCents, ThesisSubmitted: r.ThesisSubmitted}
		if missing := domain.LibraryMissing(&rec, dep); len(missing) > 0 {
			return "", strings.Join(missing, "；")
		}
		return "", reasonLibraryEligible
	case "loan":
		switch {
		case !r.HasLoan:
			return domain.ActionExempt, reasonNoLoan
		case r.Settled:
			return domain.ActionClear, ""
		}
		return domain.ActionRequire, reasonLoanOpen
	case "hospital":
		if r.DebtCents == 0 {
			return domain.ActionExempt, reasonNoHospitalDebt
		}
		return domain.ActionRequire, "尚欠校医院费用 " + domain.Yuan(r.DebtCents) + " 元"
	}
	return "", ""
}

// payload is the record as stored for later use (the library application
// reads it back as LibraryPayload).
func (r dataRecord) payload(system string) string {
	var v any
	switch system {
	case "finance":
		v = struct {
			OwedCents int64 `json:"owed_cents"`
		}{r.OwedCents}
	case "library":
		v = LibraryPayload{Borrowed: int(r.Borrowed), FineCents: r.FineCents, ThesisSubmitted: r.ThesisSubmitted}
	case "loan":
		v = struct {
			HasLoan bool `json:"has_loan"`
			Settled bool `json:"settled"`
		}{r.HasLoan, r.Settled}
	case "hospital":
		v = struct {
			DebtCents int64 `json:"debt_cents"`
		}{r.DebtCents}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// integrationStage is the stage of b whose status system's data decides.
func integrationStage(b domain.Batch, system string) (domain.StageDef, bool) {
	for _, d := range b.Stages {
		if d.Integration == system {
			return d, true
		}
	}
	return domain.StageDef{}, false
}

// systemName is the Chinese name of a system, for messages.
func systemName(system string) string {
	switch system {
	case "finance":
		return "财务处"
	case "library":
		return "图书馆"
	case "loan":
		return "国家助学贷款中心"
	case "hospital":
		return "校医院"
	}
	return system
}
