package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/lixiao/lixiao/internal/cache"
	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/qrtoken"
	"github.com/lixiao/lixiao/internal/service"
	"github.com/lixiao/lixiao/internal/stages"
	"github.com/lixiao/lixiao/internal/store"
	"github.com/lixiao/lixiao/internal/store/storetest"
	"github.com/lixiao/lixiao/internal/wechat"
	"github.com/lixiao/lixiao/internal/wechat/wxfake"
)

const permSecret = "perm-test-secret-0123456789abcdef0123"

// permEnv is the real HTTP handler on a real service and database, with
// one batch of students and a WeChat account for every kind of caller.
type permEnv struct {
	t       *testing.T
	ctx     context.Context
	h       http.Handler
	svc     *service.Service
	db      *store.DB
	batch   domain.Batch
	qr      *qrtoken.Signer
	tokens  map[string]string // caller -> bearer token ("" for anonymous)
	admin   service.Principal
	nextNo  int
	idLast6 string
}

// The callers of the permission matrix.
const (
	callerAnonymous       = "anonymous"
	callerStudent         = "student"
	callerOwn             = "own"              // staff of the stage and college concerned, or the student's supervisor
	callerOtherStage      = "other_stage"      // staff of another stage
	callerOtherCollege    = "other_college"    // staff of the same stage in another college
	callerOtherSupervisor = "other_supervisor" // another student's supervisor
	callerDisabled        = "disabled"
	callerAdmin           = "admin"
)

var permCallers = []string{callerAnonymous, callerStudent, callerOwn, callerOtherStage, callerOtherCollege,
	callerOtherSupervisor, callerDisabled, callerAdmin}

func newPermEnv(t *testing.T, driver string) *permEnv {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t, driver)
	fake := wxfake.New()
	t.Cleanup(fake.Close)
	wx, err := wechat.New(wechat.Config{AppID: "wxperm", AppSecret: "secret", APIBase: fake.URL(), Timeout: 2 * time.Second}, nil, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	f, err := stages.Load("../../configs/stages.yaml")
	if err != nil {
		t.Fatal(err)
	}
	svc := service.New(db, cache.NewMemory(), wx, service.Options{Secret: permSecret, AdminOpenIDs: []string{"perm-admin"},
		QRTTL: 3 * time.Minute, University: "重庆大学", Stages: f.Stages}, quietLogger())
	e := &permEnv{t: t, ctx: ctx, svc: svc, db: db, h: New(Deps{Service: svc, Log: quietLogger()}),
		qr: qrtoken.NewSigner([]byte(permSecret), 3*time.Minute, nil), tokens: map[string]string{}, idLast6: "123456"}
	e.batch = domain.Batch{Name: "2026研究生离校", Stages: f.Stages}
	if err := db.CreateBatch(ctx, &e.batch); err != nil {
		t.Fatal(err)
	}
	var sts []domain.Student
	for i := range 300 {
		sts = append(sts, domain.Student{StudentNo: fmt.Sprintf("C%03d", i), Name: fmt.Sprintf("学生%03d", i),
			College: "计算机学院", Degree: domain.DegreeMaster, DepartureType: domain.DepartureGraduated,
			Campus: domain.CampusA, SupervisorStaffNo: "T001", IDHash: service.IDHash(permSecret, e.idLast6)})
	}
	if _, err := db.ImportStudents(ctx, e.batch, sts, time.Now()); err != nil {
		t.Fatal(err)
	}
	accounts := map[string]store.Account{
		callerOwn:             {Role: domain.RoleStaff, Stage: domain.StageCollegeWorkgroup, College: "计算机学院"},
		callerOtherStage:      {Role: domain.RoleStaff, Stage: domain.StageDorm},
		callerOtherCollege:    {Role: domain.RoleStaff, Stage: domain.StageCollegeWorkgroup, College: "外国语学院"},
		callerOtherSupervisor: {Role: domain.RoleSupervisor, StaffNo: "T002"},
		"supervisor":          {Role: domain.RoleSupervisor, StaffNo: "T001"},
		callerDisabled:        {Role: domain.RoleStaff, Stage: domain.StageCollegeWorkgroup, College: "计算机学院"},
	}
	for name, a := range accounts {
		a.Name, a.OpenID, a.CreatedAt = name, "perm-"+name, time.Now()
		if err := db.CreateAccount(ctx, &a); err != nil {
			t.Fatal(err)
		}
		accounts[name] = a
		e.tokens[name] = e.login("perm-" + name)
	}
	e.tokens[callerAdmin] = e.login("perm-admin")
	e.tokens[callerStudent] = e.login("perm-student")
	e.bind(e.tokens[callerStudent], e.take())
	if e.admin, err = svc.Authenticate(ctx, e.tokens[callerAdmin]); err != nil {
		t.Fatal(err)
	}
	// The disabled account had a session; disabling ends it.
	if _, err := svc.SetAccountDisabled(ctx, e.admin, accounts[callerDisabled].ID, true); err != nil {
		t.Fatal(err)
	}
	return e
}

// take hands out a student no other case has touched.
func (e *permEnv) take() string {
	no := fmt.Sprintf("C%03d", e.nextNo)
	e.nextNo++
	return no
}

func (e *permEnv) login(code string) string {
	e.t.Helper()
	rec := e.do("", http.MethodPost, "/api/v1/auth/login", jsonBody(map[string]string{"code": code}))
	if rec.Code != http.StatusOK {
		e.t.Fatalf("login %s: %d %s", code, rec.Code, rec.Body)
	}
	var l loginResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &l); err != nil {
		e.t.Fatal(err)
	}
	return l.Token
}

func (e *permEnv) bind(token, no string) {
	e.t.Helper()
	rec := e.do(token, http.MethodPost, "/api/v1/me/binding", jsonBody(map[string]string{
		"student_no": no, "name": "学生" + no[1:], "id_last6": e.idLast6}))
	if rec.Code != http.StatusOK {
		e.t.Fatalf("bind %s: %d %s", no, rec.Code, rec.Body)
	}
}

// body is a request body with its content type.
type body struct {
	data        []byte
	contentType string
}

func jsonBody(v any) body {
	b, _ := json.Marshal(v)
	return body{data: b, contentType: "application/json"}
}

func fileBody(field, name string, content []byte) body {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile(field, name)
	_, _ = fw.Write(content)
	_ = w.Close()
	return body{data: buf.Bytes(), contentType: w.FormDataContentType()}
}

func (e *permEnv) do(token, method, path string, b body) *httptest.ResponseRecorder {
	var r io.Reader
	if b.data != nil {
		r = bytes.NewReader(b.data)
	}
	req := httptest.NewRequest(method, path, r)
	if b.contentType != "" {
		req.Header.Set("Content-Type", b.contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec
}
