package domain

import "time"

// StageProgress is one stage as a particular student sees it.
type StageProgress struct {
	Def       StageDef
	Tasks     []string   // only the tasks that concern this student
	Locations []Location // the student's own campus first
	Clearance Clearance
	BlockedBy []StageCode
	Advice    string
}

// Progress is a student's whole departure in one batch.
type Progress struct {
	Batch    Batch
	Student  Student
	Stages   []StageProgress // configuration (handbook) order
	Complete bool
	Next     []StageCode
	History  []AuditEntry // newest first
}

// StatusesOf indexes clearances by stage. Stages with no clearance row get
// their initial status, so a missing row never shows a wrong ✓.
func StatusesOf(b Batch, s Student, cs []Clearance) Statuses {
	st := make(Statuses, len(b.Stages))
	for _, d := range b.Stages {
		st[d.Code] = InitialStatus(d, s)
	}
	for _, c := range cs {
		st[c.Stage] = c.Status
	}
	return st
}

// BuildProgress applies the rules to a student's clearances.
func BuildProgress(b Batch, s Student, cs []Clearance, history []AuditEntry) Progress {
	st := StatusesOf(b, s, cs)
	byStage := make(map[StageCode]Clearance, len(cs))
	for _, c := range cs {
		byStage[c.Stage] = c
	}
	p := Progress{Batch: b, Student: s, History: history}
	for _, d := range b.Stages {
		c, ok := byStage[d.Code]
		if !ok {
			c = Clearance{BatchID: b.ID, StudentNo: s.StudentNo, Stage: d.Code, Status: st[d.Code], Source: SourceRule}
		}
		sp := StageProgress{
			Def:       d,
			Tasks:     tasksFor(d, s.DepartureType),
			Locations: campusFirst(d.Locations, s.Campus),
			Clearance: c,
			Advice:    Advice(b.Stages, d.Code, st),
		}
		if !st[d.Code].Done() {
			sp.BlockedBy = BlockedBy(b.Stages, d.Code, st)
		}
		p.Stages = append(p.Stages, sp)
	}
	p.Complete = Complete(b.Stages, st)
	p.Next = Next(b.Stages, st)
	return p
}

func tasksFor(d StageDef, dep DepartureType) []string {
	var out []string
	for _, t := range d.Tasks {
		if t.AppliesTo(dep) {
			out = append(out, t.Text)
		}
	}
	return out
}

// campusFirst orders locations so the student's campus comes first, keeping
// the configured order otherwise.
func campusFirst(ls []Location, c Campus) []Location {
	out := make([]Location, 0, len(ls))
	for _, l := range ls {
		if l.Campus == c {
			out = append(out, l)
		}
	}
	for _, l := range ls {
		if l.Campus != c {
			out = append(out, l)
		}
	}
	return out
}

// Missing lists the stages that are not done, for reminders and exports.
func Missing(defs []StageDef, st Statuses) []StageCode {
	var out []StageCode
	for _, d := range defs {
		if !st[d.Code].Done() {
			out = append(out, d.Code)
		}
	}
	return out
}

// Today truncates t to the date in loc, for once-a-day jobs.
func Today(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}
