// Package demo seeds an empty database with a batch, students and staff so
// that `make run` shows a working product on a bare machine.
package demo

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/service"
	"github.com/lixiao/lixiao/internal/store"
)

// BatchName is the demo batch.
const BatchName = "2026研究生离校"

// Login codes of the demo people. In fake WeChat mode the login code is the
// openid, so these log in as the accounts below.
const (
	AdminCode      = "demo-admin"
	SupervisorCode = "demo-supervisor"
	SupervisorNo   = "T0001"
	StudentCode    = "demo-student" // not bound yet: bind it to a demo student
)

// StaffCode is the login code of the demo staff member of a stage.
func StaffCode(stage domain.StageCode) string { return "demo-staff-" + string(stage) }

// Person is a demo student: what to type on the binding form.
type Person struct {
	StudentNo, Name, IDLast6, College string
	Campus                            domain.Campus
	Departure                         domain.DepartureType
	HasLoan, Party                    bool
}

// Summary says what was seeded.
type Summary struct {
	BatchID  int64
	Students []Person
	Staff    []store.Account
	Seeded   bool // false when the database already had data
}

var (
	surnames = []rune("张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高")
	given    = []string{"伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英"}
	colleges = []string{"计算机学院", "机械与运载工程学院", "建筑城规学院", "经济与工商管理学院", "外国语学院"}
	campuses = []domain.Campus{domain.CampusA, domain.CampusB, domain.CampusHuxi}
)

// People returns the 50 demo students; the first is 张伟, 2021000001, 12345X.
func People() []Person {
	deps := []domain.DepartureType{domain.DepartureGraduated, domain.DepartureGraduated, domain.DepartureGraduated,
		domain.DepartureCompleted, domain.DepartureGraduated, domain.DepartureIncomplete, domain.DepartureGraduated,
		domain.DepartureWithdrawn}
	out := make([]Person, 50)
	for i := range out {
		out[i] = Person{
			StudentNo: fmt.Sprintf("20210000%02d", i+1),
			Name:      string(surnames[i%len(surnames)]) + given[(i*7)%len(given)],
			IDLast6:   fmt.Sprintf("%05d%d", 12345+i*101, (i*3)%10),
			College:   colleges[i%len(colleges)],
			Campus:    campuses[i%len(campuses)],
			Departure: deps[i%len(deps)],
			HasLoan:   i%4 == 1,
			Party:     i%3 == 0,
		}
	}
	out[0].IDLast6 = "12345X"
	return out
}

// Seed fills an empty database. A database that already has a batch is
// left alone.
func Seed(ctx context.Context, svc *service.Service, defs []domain.StageDef, secret string) (*Summary, error) {
	db := svc.Store()
	existing, err := db.Batches(ctx)
	if err != nil {
		return nil, err
	}
	if len(existing) > 0 {
		return &Summary{BatchID: existing[0].ID, Students: People()}, nil
	}
	now := time.Now()
	start := time.Date(now.Year(), 5, 20, 0, 0, 0, 0, time.UTC)
	end := time.Date(now.Year(), 7, 10, 0, 0, 0, 0, time.UTC)
	if end.Before(now) {
		start, end = start.AddDate(1, 0, 0), end.AddDate(1, 0, 0)
	}
	b := domain.Batch{Name: BatchName, StartsOn: &start, EndsOn: &end, Stages: defs}
	if err := db.CreateBatch(ctx, &b); err != nil {
		return nil, err
	}
	people := People()
	students := make([]domain.Student, len(people))
	for i, p := range people {
		degree := domain.DegreeMaster
		if i%5 == 2 {
			degree = domain.DegreeDoctor
		}
		students[i] = domain.Student{StudentNo: p.StudentNo, Name: p.Name, College: p.College, Degree: degree,
			DepartureType: p.Departure, Campus: p.Campus, SupervisorStaffNo: SupervisorNo, PartyMember: p.Party,
			HasLoan: p.HasLoan, IDHash: service.IDHash(secret, p.IDLast6)}
	}
	if _, err := db.ImportStudents(ctx, b, students, now); err != nil {
		return nil, err
	}
	sum := &Summary{BatchID: b.ID, Students: people, Seeded: true}
	accounts := []store.Account{
		{Name: "研究生院管理员", Role: domain.RoleAdmin, OpenID: AdminCode},
		{Name: "王导师", Role: domain.RoleSupervisor, StaffNo: SupervisorNo, College: colleges[0], OpenID: SupervisorCode},
	}
	for _, d := range defs {
		a := store.Account{Name: d.Department + "经办人", Role: domain.RoleStaff, Stage: d.Code, OpenID: StaffCode(d.Code)}
		if d.CollegeScoped {
			a.College = colleges[0]
			a.Name = colleges[0] + d.Name + "经办人"
		}
		if d.Code == domain.StageSupervisor {
			continue // supervisors confirm their own students
		}
		accounts = append(accounts, a)
	}
	for i := range accounts {
		accounts[i].CreatedAt = now
		if err := db.CreateAccount(ctx, &accounts[i]); err != nil {
			return nil, err
		}
	}
	sum.Staff = accounts
	if err := progress(ctx, svc, accounts[0], people); err != nil {
		return nil, err
	}
	return sum, nil
}

// progress clears some stages of most demo students, through the same path
// as an administrator's clearance (audited, notified), so the demo shows
// ✓ and × side by side. The first five students are left untouched for
// trying the whole journey.
func progress(ctx context.Context, svc *service.Service, admin store.Account, people []Person) error {
	p := service.Principal{OpenID: admin.OpenID, Roles: []domain.Role{domain.RoleAdmin},
		Account: &service.AccountInfo{ID: admin.ID, Name: "演示数据", Role: domain.RoleAdmin}}
	order := []domain.StageCode{domain.StageSupervisor, domain.StageDorm, domain.StageFinance, domain.StageCollegeSecretary,
		domain.StageLibrary, domain.StageCollegeWorkgroup, domain.StageGradServiceCenter, domain.StageParty,
		domain.StageLoan, domain.StageCampusCard}
	everything := append(append([]domain.StageCode{}, order...), domain.StageHospital, domain.StageGradOffice)
	for i, person := range people {
		if i < 5 {
			continue
		}
		stages := order[:i%len(order)]
		if i%10 == 9 { // every tenth student has left
			stages = everything
		}
		req := service.StageRequest{StudentNo: person.StudentNo}
		for _, code := range stages {
			if _, err := svc.ClearStage(ctx, p, code, req); err != nil && domain.ErrorCode(err) != domain.CodeConflict {
				return fmt.Errorf("demo progress of %s: %w", person.StudentNo, err)
			}
		}
		if i%7 == 3 && i%10 != 9 {
			req.Reason = "缴费凭证不全，请补交住宿费收据"
			if _, err := svc.RejectStage(ctx, p, domain.StageFinance, req); err != nil && domain.ErrorCode(err) != domain.CodeConflict {
				return fmt.Errorf("demo progress of %s: %w", person.StudentNo, err)
			}
		}
	}
	return nil
}

// Print tells a person trying 离校通 how to log in as each demo user.
func (s *Summary) Print(w io.Writer) {
	if !s.Seeded {
		return
	}
	fmt.Fprintf(w, "\nDemo data: batch %q (id %d), %d students, %d staff accounts.\n", BatchName, s.BatchID, len(s.Students), len(s.Staff))
	fmt.Fprintln(w, "In fake WeChat mode the login code is the openid: POST /api/v1/auth/login {\"code\": \"...\"}")
	fmt.Fprintf(w, "  %-34s admin (研究生院)\n", AdminCode)
	fmt.Fprintf(w, "  %-34s supervisor %s of every demo student\n", SupervisorCode, SupervisorNo)
	for _, a := range s.Staff {
		if a.Role == domain.RoleStaff {
			fmt.Fprintf(w, "  %-34s staff of %s %s\n", a.OpenID, a.Stage, a.College)
		}
	}
	fmt.Fprintln(w, "Students: log in with any new code (e.g. \"demo-student\"), then POST /api/v1/me/binding with:")
	for _, p := range s.Students[:5] {
		fmt.Fprintf(w, "  {\"student_no\": %q, \"name\": %q, \"id_last6\": %q}  %s %s %s\n", p.StudentNo, p.Name, p.IDLast6,
			p.College, p.Campus.Label(), p.Departure.Label())
	}
	fmt.Fprintf(w, "  … and %d more (internal/demo/demo.go)\n\n", len(s.Students)-5)
}
