package domain

import (
	"fmt"
	"strings"
)

// Statuses maps each stage of one student to its status.
type Statuses map[StageCode]Status

// InitialStatus is a stage's status when a student is imported (rule 5):
// stages that do not concern the student start as not_applicable.
func InitialStatus(def StageDef, s Student) Status {
	switch def.AppliesWhen {
	case AppliesWithLoan:
		if !s.HasLoan {
			return StatusNotApplicable
		}
	case AppliesToPartyMembers:
		if !s.PartyMember {
			return StatusNotApplicable
		}
	case AppliesWithDebt:
		return StatusNotApplicable
	}
	return StatusPending
}

// BlockedBy lists, in configuration order, the stages that must be done
// before code can be cleared (rules 2 and 3). Empty means it can be cleared.
func BlockedBy(defs []StageDef, code StageCode, st Statuses) []StageCode {
	var def StageDef
	for _, d := range defs {
		if d.Code == code {
			def = d
		}
	}
	var blocked []StageCode
	if def.RequiresAllOthers {
		for _, d := range defs {
			if d.Code != code && !st[d.Code].Done() {
				blocked = append(blocked, d.Code)
			}
		}
		return blocked
	}
	for _, req := range def.Requires {
		if !st[req].Done() {
			blocked = append(blocked, req)
		}
	}
	return blocked
}

// parallelOpen lists the stages, other than code, that rule 4 wants done
// before an advise-last stage: every stage that is neither advised last nor
// the final stage, and is not yet done.
func parallelOpen(defs []StageDef, code StageCode, st Statuses) []StageCode {
	var open []StageCode
	for _, d := range defs {
		if d.Code == code || d.AdviseLast || d.RequiresAllOthers {
			continue
		}
		if !st[d.Code].Done() {
			open = append(open, d.Code)
		}
	}
	return open
}

// Advice is the rule-4 hint for code: non-empty while an advise-last stage
// still has other parallel stages open. It never blocks anything.
func Advice(defs []StageDef, code StageCode, st Statuses) string {
	for _, d := range defs {
		if d.Code != code || !d.AdviseLast || st[code].Done() {
			continue
		}
		if len(parallelOpen(defs, code, st)) > 0 {
			return d.Advice
		}
	}
	return ""
}

// Next lists the stages the student can go and do now, in configuration
// order: not yet done and not blocked. Advise-last stages come after the
// others while other parallel stages are still open (rule 4).
func Next(defs []StageDef, st Statuses) []StageCode {
	var now, later []StageCode
	for _, d := range defs {
		if st[d.Code].Done() || len(BlockedBy(defs, d.Code, st)) > 0 {
			continue
		}
		if d.AdviseLast && len(parallelOpen(defs, d.Code, st)) > 0 {
			later = append(later, d.Code)
			continue
		}
		now = append(now, d.Code)
	}
	return append(now, later...)
}

// Complete reports whether the departure is complete (rule 8): the stage
// marked as completing it is cleared.
func Complete(defs []StageDef, st Statuses) bool {
	for _, d := range defs {
		if d.Completes {
			return st[d.Code] == StatusCleared
		}
	}
	return false
}

// OnlyFinalLeft reports whether every stage but the final one is done while
// the final one is not: the moment to tell the student to go to 研工办.
func OnlyFinalLeft(defs []StageDef, st Statuses) bool {
	final := false
	for _, d := range defs {
		if d.RequiresAllOthers {
			final = true
			if st[d.Code].Done() {
				return false
			}
			if len(BlockedBy(defs, d.Code, st)) > 0 {
				return false
			}
		}
	}
	return final
}

// Action is what someone asks to do to a clearance.
type Action string

const (
	ActionClear  Action = "clear"
	ActionReject Action = "reject"
	ActionRevoke Action = "revoke"
	// ActionRequire is a rule's: new data creates an obligation (a debt), so
	// the stage becomes pending again, even if it was cleared (rule 5, 7).
	ActionRequire Action = "require"
	// ActionExempt is a rule's: the data says the stage does not concern the
	// student (no loan, no debt).
	ActionExempt Action = "exempt"
)

// Transition decides what action a does to a stage in status from (the
// allowed transitions of DOMAIN.md): it returns the new status, or
// changed=false when the action changes nothing (a repeated clear), or an
// error saying in Chinese why it is not allowed. Prerequisites are checked
// separately by BlockedBy.
func Transition(def StageDef, from Status, a Action, role Role, reason string) (to Status, changed bool, err error) {
	name := def.Name
	needReason := func() error {
		if strings.TrimSpace(reason) == "" {
			return Errorf(CodeInvalidArgument, "请填写原因")
		}
		return nil
	}
	switch a {
	case ActionClear:
		switch from {
		case StatusPending, StatusRejected:
			return StatusCleared, true, nil
		case StatusCleared, StatusNotApplicable:
			return from, false, nil
		}
	case ActionReject:
		if err := needReason(); err != nil {
			return from, false, err
		}
		switch from {
		case StatusPending:
			return StatusRejected, true, nil
		case StatusRejected:
			return from, false, Errorf(CodeConflict, "「%s」已是退回状态", name)
		case StatusCleared:
			return from, false, Errorf(CodeConflict, "「%s」已通过，如需退回请先撤销", name)
		case StatusNotApplicable:
			return from, false, Errorf(CodeConflict, "「%s」对该生无需办理", name)
		}
	case ActionRevoke:
		if err := needReason(); err != nil {
			return from, false, err
		}
		switch from {
		case StatusCleared:
			if def.Completes && role != RoleAdmin {
				return from, false, Errorf(CodeForbidden, "离校已完成，只有研究生院管理员可以撤销「%s」", name)
			}
			return StatusPending, true, nil
		case StatusNotApplicable:
			return from, false, Errorf(CodeConflict, "「%s」对该生无需办理，不能撤销", name)
		default:
			return from, false, Errorf(CodeConflict, "「%s」尚未通过，无需撤销", name)
		}
	case ActionRequire:
		switch from {
		case StatusNotApplicable, StatusCleared:
			if def.Completes {
				return from, false, Errorf(CodeForbidden, "离校已完成，规则不能撤销「%s」", name)
			}
			return StatusPending, true, nil
		case StatusPending, StatusRejected:
			return from, false, nil
		}
	case ActionExempt:
		switch from {
		case StatusPending, StatusRejected:
			return StatusNotApplicable, true, nil
		case StatusCleared, StatusNotApplicable:
			return from, false, nil
		}
	default:
		return from, false, Errorf(CodeInvalidArgument, "未知操作 %q", a)
	}
	return from, false, fmt.Errorf("transition: unknown status %q", from)
}

// LibraryFineLimitCents is rule 6's limit: fines up to 10 yuan still allow
// the online application.
const LibraryFineLimitCents = 1000

// LibraryRecord is what the library system reports about one reader.
type LibraryRecord struct {
	Borrowed        int
	FineCents       int64
	ThesisSubmitted bool
}

// LibraryMissing lists in Chinese what still stops the online library
// application (rule 6); empty means the student may apply. rec is nil when
// the library has not reported on the student yet.
func LibraryMissing(rec *LibraryRecord, d DepartureType) []string {
	if rec == nil {
		return []string{"图书馆尚未同步你的借阅数据，请稍后再试或到图书馆办理"}
	}
	var missing []string
	if rec.Borrowed > 0 {
		missing = append(missing, fmt.Sprintf("尚有 %d 本图书未归还", rec.Borrowed))
	}
	if rec.FineCents > LibraryFineLimitCents {
		missing = append(missing, fmt.Sprintf("超期欠款 %s 元，超过 10 元，请先缴清", Yuan(rec.FineCents)))
	}
	if d == DepartureGraduated && !rec.ThesisSubmitted {
		missing = append(missing, "尚未网上提交学位论文")
	}
	return missing
}

// Yuan formats cents as yuan for messages: 12345 -> "123.45", 1000 -> "10".
func Yuan(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	if cents%100 == 0 {
		return fmt.Sprintf("%s%d", sign, cents/100)
	}
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}
