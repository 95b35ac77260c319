package service

import (
	"bytes"
	"context"
	"encoding/json"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/store"
)

// ProgressView is the progress as the API shows it (API.md "Student").
type ProgressView struct {
	Batch    BatchRef      `json:"batch"`
	Student  StudentView   `json:"student"`
	Stages   []StageView   `json:"stages"`
	Complete bool          `json:"complete"`
	Next     []string      `json:"next"`
	History  []HistoryView `json:"history"`
}

// BatchRef names a batch.
type BatchRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// StudentView is the part of a student others may see.
type StudentView struct {
	StudentNo     string `json:"student_no"`
	Name          string `json:"name"`
	College       string `json:"college"`
	Degree        string `json:"degree"`
	DepartureType string `json:"departure_type"`
	Campus        string `json:"campus"`
}

// StageView is one stage of a progress.
type StageView struct {
	Code       string            `json:"code"`
	Name       string            `json:"name"`
	Department string            `json:"department"`
	Status     string            `json:"status"`
	Tasks      []string          `json:"tasks"`
	Notes      string            `json:"notes"`
	Locations  []domain.Location `json:"locations"`
	BlockedBy  []string          `json:"blocked_by"`
	Advice     string            `json:"advice"`
	Reason     string            `json:"reason"`
	UpdatedAt  *time.Time        `json:"updated_at"`
	Source     string            `json:"source"`
	DataAsOf   *time.Time        `json:"data_as_of"`
}

// HistoryView is one change of the student's own stages.
type HistoryView struct {
	Stage   string    `json:"stage"`
	From    string    `json:"from"`
	To      string    `json:"to"`
	Reason  string    `json:"reason"`
	Channel string    `json:"channel"`
	At      time.Time `json:"at"`
}

func studentView(s domain.Student) StudentView {
	return StudentView{StudentNo: s.StudentNo, Name: s.Name, College: s.College, Degree: string(s.Degree),
		DepartureType: string(s.DepartureType), Campus: string(s.Campus)}
}

func codes(cs []domain.StageCode) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

func viewOf(p domain.Progress) ProgressView {
	v := ProgressView{Batch: BatchRef{ID: p.Batch.ID, Name: p.Batch.Name}, Student: studentView(p.Student),
		Complete: p.Complete, Next: codes(p.Next), Stages: []StageView{}, History: []HistoryView{}}
	for _, sp := range p.Stages {
		c := sp.Clearance
		sv := StageView{Code: string(sp.Def.Code), Name: sp.Def.Name, Department: sp.Def.Department,
			Status: string(c.Status), Tasks: sp.Tasks, Notes: sp.Def.Notes, Locations: sp.Locations,
			BlockedBy: codes(sp.BlockedBy), Advice: sp.Advice, Reason: c.Reason, Source: string(c.Source),
			DataAsOf: c.DataAsOf}
		if sv.Tasks == nil {
			sv.Tasks = []string{}
		}
		if sv.Locations == nil {
			sv.Locations = []domain.Location{}
		}
		if !c.UpdatedAt.IsZero() {
			t := c.UpdatedAt
			sv.UpdatedAt = &t
		}
		v.Stages = append(v.Stages, sv)
	}
	for _, a := range p.History {
		v.History = append(v.History, HistoryView{Stage: string(a.Stage), From: string(a.From), To: string(a.To),
			Reason: a.Reason, Channel: string(a.Channel), At: a.At})
	}
	return v
}

// MyProgress is the calling student's progress as JSON, in batchID or,
// with batchID 0, their newest batch.
func (s *Service) MyProgress(ctx context.Context, p Principal, batchID int64) (Document, error) {
	if !p.Has(domain.RoleStudent) {
		return Document{}, errNotBound
	}
	if (batchID == 0 || batchID == p.BatchID) && len(p.linked) == 1 {
		return s.progressAt(ctx, p.BatchID, p.StudentNo, p.linked[0])
	}
	if batchID == 0 {
		batchID = p.BatchID
	}
	return s.progressDoc(ctx, batchID, p.StudentNo)
}

var errNotBound = domain.Errorf(domain.CodeForbidden, "请先绑定学号")

// progressJSON serves a student's progress cache-aside. Every change gives
// the student a new progress version after commit, and a copy of the
// progress is only served while its version is the current one, so a copy
// built before a change is never served after it, on any instance. When
// the cache is down or slow the progress is built from the database.
func (s *Service) progressJSON(ctx context.Context, batchID int64, studentNo string) ([]byte, error) {
	doc, err := s.progressDoc(ctx, batchID, studentNo)
	return doc.JSON, err
}

func (s *Service) progressDoc(ctx context.Context, batchID int64, studentNo string) (Document, error) {
	vals, err := s.cache.MGet(ctx, versionKey(batchID, studentNo))
	if err != nil {
		body, err := s.buildProgressJSON(ctx, batchID, studentNo)
		return Document{JSON: body}, err
	}
	return s.progressAt(ctx, batchID, studentNo, vals[0])
}

// progressAt serves the progress whose current version the cache just
// gave: from this instance's memory, else the shared cache, else the
// database. A missing version is created first.
func (s *Service) progressAt(ctx context.Context, batchID int64, studentNo string, version []byte) (Document, error) {
	if version == nil {
		vkey := versionKey(batchID, studentNo)
		_, err := s.cache.SetNX(ctx, vkey, newVersion(), versionTTL)
		var vals [][]byte
		if err == nil {
			vals, err = s.cache.MGet(ctx, vkey)
		}
		if err != nil || vals[0] == nil {
			body, err := s.buildProgressJSON(ctx, batchID, studentNo)
			return Document{JSON: body}, err
		}
		version = vals[0]
	}
	pkey := progressKey(batchID, studentNo)
	if doc, ok := s.memo.get(pkey, version); ok {
		return doc, nil
	}
	vals, cerr := s.cache.MGet(ctx, pkey)
	if cerr == nil && vals[0] != nil {
		v := vals[0]
		if i := bytes.IndexByte(v, '\n'); i > 0 && bytes.Equal(v[:i], version) {
			return s.memo.put(pkey, version, v[i+1:]), nil
		}
	}
	body, err := s.buildProgressJSON(ctx, batchID, studentNo)
	if err != nil {
		return Document{}, err
	}
	if cerr == nil {
		entry := make([]byte, 0, len(version)+1+len(body))
		entry = append(append(append(entry, version...), '\n'), body...)
		_ = s.cache.Set(ctx, pkey, entry, s.opt.ProgressTTL)
	}
	return s.memo.put(pkey, version, body), nil
}

func (s *Service) buildProgress(ctx context.Context, batchID int64, studentNo string) (domain.Progress, error) {
	b, err := s.batch(ctx, batchID)
	if err != nil {
		return domain.Progress{}, err
	}
	st, err := s.store.Student(ctx, batchID, studentNo)
	if err != nil {
		return domain.Progress{}, err
	}
	cs, err := s.store.Clearances(ctx, batchID, studentNo)
	if err != nil {
		return domain.Progress{}, err
	}
	history, err := s.store.Audit(ctx, store.AuditFilter{BatchID: batchID, StudentNo: studentNo, Limit: 100})
	if err != nil {
		return domain.Progress{}, err
	}
	return domain.BuildProgress(b, st, cs, history), nil
}

func (s *Service) buildProgressJSON(ctx context.Context, batchID int64, studentNo string) ([]byte, error) {
	p, err := s.buildProgress(ctx, batchID, studentNo)
	if err != nil {
		return nil, err
	}
	return json.Marshal(viewOf(p))
}

// progressView decodes a (possibly cached) progress for callers that need
// the structure rather than the bytes.
func (s *Service) progressView(ctx context.Context, batchID int64, studentNo string) (ProgressView, error) {
	var v ProgressView
	b, err := s.progressJSON(ctx, batchID, studentNo)
	if err != nil {
		return v, err
	}
	err = json.Unmarshal(b, &v)
	return v, err
}

// Me is the caller's profile.
type Me struct {
	OpenIDHint string        `json:"openid_hint"`
	Roles      []domain.Role `json:"roles"`
	Student    *StudentView  `json:"student,omitempty"`
	Staff      *AccountView  `json:"staff,omitempty"`
}

// AccountView is an account as the API shows it.
type AccountView struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Role      string `json:"role"`
	Stage     string `json:"stage,omitempty"`
	StageName string `json:"stage_name,omitempty"`
	Campus    string `json:"campus,omitempty"`
	College   string `json:"college,omitempty"`
	StaffNo   string `json:"staff_no,omitempty"`
}

// Me returns the caller's profile and roles.
func (s *Service) Me(ctx context.Context, p Principal) (Me, error) {
	m := Me{OpenIDHint: shortID(p.OpenID), Roles: p.Roles}
	if p.StudentNo != "" {
		st, err := s.store.Student(ctx, p.BatchID, p.StudentNo)
		if err != nil {
			return m, err
		}
		v := studentView(st)
		m.Student = &v
	}
	if a := p.Account; a != nil {
		m.Staff = &AccountView{ID: a.ID, Name: a.Name, Role: string(a.Role), Stage: string(a.Stage),
			StageName: s.stageName(a.Stage), Campus: string(a.Campus), College: a.College, StaffNo: a.StaffNo}
	}
	return m, nil
}

func (s *Service) stageName(code domain.StageCode) string {
	for _, d := range s.opt.Stages {
		if d.Code == code {
			return d.Name
		}
	}
	return ""
}

// QRToken issues the short-lived token the student shows at an office.
func (s *Service) QRToken(p Principal) (string, time.Time, error) {
	if !p.Has(domain.RoleStudent) {
		return "", time.Time{}, errNotBound
	}
	return s.qr.Issue(p.BatchID, p.StudentNo)
}

// StudentViewOf is a student as the API shows it.
func StudentViewOf(s domain.Student) StudentView { return studentView(s) }
