package service

import (
	"context"
	"sort"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/store"
)

// StatsView is a batch's figures for the graduate school (GET /admin/stats).
// "Pending" in PendingByStage and MostPending means not done: pending or
// rejected, the students who still see × there.
type StatsView struct {
	Batch BatchRef `json:"batch"`
	// AsOf is when the figures were read.
	AsOf        time.Time      `json:"as_of"`
	Students    int            `json:"students"`
	Complete    int            `json:"complete"`
	Stages      []StageStats   `json:"stages"`
	Colleges    []CollegeStats `json:"colleges"`
	MostPending *MostPending   `json:"most_pending"`
}

// StageStats counts one stage's students by status.
type StageStats struct {
	Code   string       `json:"code"`
	Name   string       `json:"name"`
	Counts StatusCounts `json:"counts"`
}

// StatusCounts are the four statuses of API.md.
type StatusCounts struct {
	Pending       int `json:"pending"`
	Cleared       int `json:"cleared"`
	Rejected      int `json:"rejected"`
	NotApplicable int `json:"not_applicable"`
}

func (c *StatusCounts) add(st domain.Status, n int) {
	switch st {
	case domain.StatusPending:
		c.Pending += n
	case domain.StatusCleared:
		c.Cleared += n
	case domain.StatusRejected:
		c.Rejected += n
	case domain.StatusNotApplicable:
		c.NotApplicable += n
	}
}

func (c StatusCounts) total() int { return c.Pending + c.Cleared + c.Rejected + c.NotApplicable }

// CollegeStats is one college's figures, ordered by college name.
type CollegeStats struct {
	College        string         `json:"college"`
	Students       int            `json:"students"`
	Complete       int            `json:"complete"`
	PendingByStage map[string]int `json:"pending_by_stage"`
}

// MostPending is the stage where most students still see ×, leaving out
// the final stage (everyone waits there until the end by design).
type MostPending struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Pending int    `json:"pending"`
}

// Stats gives the figures of a batch (the newest when batchID is 0). They
// are read live from the stage counts the store keeps in the same
// transactions as the clearances, so they are never stale and cost a few
// dozen rows whatever the size of the batch.
func (s *Service) Stats(ctx context.Context, p Principal, batchID int64) (StatsView, error) {
	if !p.Has(domain.RoleAdmin) {
		return StatsView{}, errAdminOnly
	}
	b, err := s.newestBatch(ctx, batchID)
	if err != nil {
		return StatsView{}, err
	}
	at := s.now()
	counts, err := s.store.StageCounts(ctx, b.ID)
	if err != nil {
		return StatsView{}, err
	}
	return buildStats(b, counts, at), nil
}

// buildStats turns the grouped counts into the figures. Students per
// college are the rows of any one stage (every student has one row per
// stage); the completes stage's cleared rows are the complete students.
func buildStats(b domain.Batch, counts []store.StageCount, at time.Time) StatsView {
	v := StatsView{Batch: BatchRef{ID: b.ID, Name: b.Name}, AsOf: at.UTC(), Stages: []StageStats{}, Colleges: []CollegeStats{}}
	byStage := map[domain.StageCode]*StatusCounts{}
	byCollege := map[string]map[domain.StageCode]*StatusCounts{}
	for _, c := range counts {
		if byStage[c.Stage] == nil {
			byStage[c.Stage] = &StatusCounts{}
		}
		byStage[c.Stage].add(c.Status, c.Count)
		if byCollege[c.College] == nil {
			byCollege[c.College] = map[domain.StageCode]*StatusCounts{}
		}
		if byCollege[c.College][c.Stage] == nil {
			byCollege[c.College][c.Stage] = &StatusCounts{}
		}
		byCollege[c.College][c.Stage].add(c.Status, c.Count)
	}
	for _, d := range b.Stages {
		sc := StageStats{Code: string(d.Code), Name: d.Name}
		if c := byStage[d.Code]; c != nil {
			sc.Counts = *c
		}
		v.Stages = append(v.Stages, sc)
		if d.Completes {
			v.Complete = sc.Counts.Cleared
		}
		if d.RequiresAllOthers {
			continue
		}
		if n := sc.Counts.Pending + sc.Counts.Rejected; n > 0 && (v.MostPending == nil || n > v.MostPending.Pending) {
			v.MostPending = &MostPending{Code: sc.Code, Name: sc.Name, Pending: n}
		}
	}
	for college, stages := range byCollege {
		cs := CollegeStats{College: college, PendingByStage: make(map[string]int, len(b.Stages))}
		for _, d := range b.Stages {
			c := StatusCounts{}
			if x := stages[d.Code]; x != nil {
				c = *x
			}
			cs.Students = max(cs.Students, c.total())
			cs.PendingByStage[string(d.Code)] = c.Pending + c.Rejected
			if d.Completes {
				cs.Complete = c.Cleared
			}
		}
		v.Students += cs.Students
		v.Colleges = append(v.Colleges, cs)
	}
	sort.Slice(v.Colleges, func(i, j int) bool { return v.Colleges[i].College < v.Colleges[j].College })
	return v
}
