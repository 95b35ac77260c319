package service

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/lixiao/lixiao/internal/cache"
	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/stages"
	"github.com/lixiao/lixiao/internal/store"
	"github.com/lixiao/lixiao/internal/store/storetest"
	"github.com/lixiao/lixiao/internal/wechat"
	"github.com/lixiao/lixiao/internal/wechat/wxfake"
)

const testSecret = "test-secret-0123456789abcdef0123456789"

// harness is a Service on a real database, a real cache (Redis when
// TEST_REDIS_ADDR is set, else in-process) and the real WeChat SDK talking
// to the fake WeChat server, with one batch of imported students.
type harness struct {
	t     *testing.T
	svc   *Service
	db    *store.DB
	cache cache.Cache
	wx    *wxfake.Server
	batch domain.Batch
	ctx   context.Context
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// eachDB runs fn on every database.
func eachDB(t *testing.T, fn func(t *testing.T, h *harness)) {
	for _, driver := range storetest.Drivers(t) {
		t.Run(driver, func(t *testing.T) { fn(t, newHarness(t, driver)) })
	}
}

func newHarness(t *testing.T, driver string) *harness {
	t.Helper()
	db := storetest.Open(t, driver)
	var c cache.Cache = cache.NewMemory()
	if rdb, prefix := storetest.Redis(t); rdb != nil {
		c = cache.NewRedis(rdb, prefix)
	}
	return newHarnessOn(t, db, c)
}

// newHarnessOn builds a harness on an existing database and cache: two
// harnesses on the same ones are two server instances.
func newHarnessOn(t *testing.T, db *store.DB, c cache.Cache) *harness {
	t.Helper()
	fake := wxfake.New()
	t.Cleanup(fake.Close)
	wx, err := wechat.New(wechat.Config{AppID: "wxtest", AppSecret: "secret", APIBase: fake.URL(), Timeout: 2 * time.Second}, nil, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	f, err := stages.Load("../../configs/stages.yaml")
	if err != nil {
		t.Fatal(err)
	}
	svc := New(db, c, wx, Options{Secret: testSecret, AdminOpenIDs: []string{"admin-openid"}, QRTTL: 3 * time.Minute,
		University: "重庆大学", Stages: f.Stages}, quietLog())
	h := &harness{t: t, svc: svc, db: db, cache: c, wx: fake, ctx: context.Background()}
	bs, err := db.Batches(h.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) > 0 {
		h.batch = bs[0]
		return h
	}
	end := time.Now().AddDate(0, 1, 0).UTC().Truncate(24 * time.Hour)
	h.batch = domain.Batch{Name: "2026研究生离校", EndsOn: &end, Stages: f.Stages}
	if err := db.CreateBatch(h.ctx, &h.batch); err != nil {
		t.Fatal(err)
	}
	h.importStudents(testStudents()...)
	return h
}

// testStudent describes a student of the fixture.
type testStudent struct {
	No, Name, ID6, College, Supervisor string
	Campus                             domain.Campus
	Departure                          domain.DepartureType
	Loan, Party                        bool
}

func testStudents() []testStudent {
	return []testStudent{
		{No: "S001", Name: "张伟", ID6: "12345X", College: "计算机学院", Supervisor: "T001", Campus: domain.CampusA, Departure: domain.DepartureGraduated},
		{No: "S002", Name: "王芳", ID6: "223344", College: "计算机学院", Supervisor: "T001", Campus: domain.CampusHuxi, Departure: domain.DepartureCompleted, Loan: true, Party: true},
		{No: "S003", Name: "李娜", ID6: "334455", College: "外国语学院", Supervisor: "T002", Campus: domain.CampusB, Departure: domain.DepartureGraduated},
	}
}

func (h *harness) importStudents(ts ...testStudent) {
	h.t.Helper()
	sts := make([]domain.Student, len(ts))
	for i, s := range ts {
		sts[i] = domain.Student{StudentNo: s.No, Name: s.Name, College: s.College, Degree: domain.DegreeMaster,
			DepartureType: s.Departure, Campus: s.Campus, SupervisorStaffNo: s.Supervisor, PartyMember: s.Party,
			HasLoan: s.Loan, IDHash: IDHash(testSecret, s.ID6)}
	}
	if _, err := h.db.ImportStudents(h.ctx, h.batch, sts, time.Now()); err != nil {
		h.t.Fatal(err)
	}
}

// login logs openid in through the fake WeChat and returns its principal.
func (h *harness) login(openid string) (string, Principal) {
	h.t.Helper()
	l, err := h.svc.Login(h.ctx, openid)
	if err != nil {
		h.t.Fatalf("login %s: %v", openid, err)
	}
	p, err := h.svc.Authenticate(h.ctx, l.Token)
	if err != nil {
		h.t.Fatalf("authenticate %s: %v", openid, err)
	}
	return l.Token, p
}

// student logs in a new WeChat account and binds it to the fixture student no.
func (h *harness) student(no string) Principal {
	h.t.Helper()
	for _, s := range testStudents() {
		if s.No != no {
			continue
		}
		token, p := h.login("wx-" + no)
		if _, err := h.svc.Bind(h.ctx, p, BindRequest{StudentNo: no, Name: s.Name, IDLast6: s.ID6}); err != nil {
			h.t.Fatalf("bind %s: %v", no, err)
		}
		p, err := h.svc.Authenticate(h.ctx, token)
		if err != nil {
			h.t.Fatal(err)
		}
		return p
	}
	h.t.Fatalf("no fixture student %s", no)
	return Principal{}
}

// staff creates an account bound to openid and returns its principal.
func (h *harness) staff(openid string, role domain.Role, stage domain.StageCode, college, staffNo string) Principal {
	h.t.Helper()
	a := store.Account{Name: openid, Role: role, Stage: stage, College: college, StaffNo: staffNo, OpenID: openid, CreatedAt: time.Now()}
	if err := h.db.CreateAccount(h.ctx, &a); err != nil {
		h.t.Fatal(err)
	}
	_, p := h.login(openid)
	return p
}

func (h *harness) progress(p Principal) ProgressView {
	h.t.Helper()
	v, err := h.svc.progressView(h.ctx, p.BatchID, p.StudentNo)
	if err != nil {
		h.t.Fatal(err)
	}
	return v
}

func (h *harness) status(no string, code domain.StageCode) domain.Status {
	h.t.Helper()
	cs, err := h.db.Clearances(h.ctx, h.batch.ID, no)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, c := range cs {
		if c.Stage == code {
			return c.Status
		}
	}
	h.t.Fatalf("no clearance %s/%s", no, code)
	return ""
}

func wantCode(t *testing.T, err error, code domain.Code) {
	t.Helper()
	if got := domain.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}
