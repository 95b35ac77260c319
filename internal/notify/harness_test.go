package notify

// Tests here build real SDK clients, which swap the SDK's process-wide HTTP
// client: they must not use t.Parallel.

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/stages"
	"github.com/lixiao/lixiao/internal/store"
	"github.com/lixiao/lixiao/internal/store/storetest"
	"github.com/lixiao/lixiao/internal/wechat"
	"github.com/lixiao/lixiao/internal/wechat/wxfake"
)

const (
	subscribePath = "/cgi-bin/message/subscribe/send"
	templatePath  = "/cgi-bin/message/template/send"
	tokenPath     = "/cgi-bin/stable_token"
)

var testTemplates = Templates{StageCleared: "tmpl-cleared", StageRejected: "tmpl-rejected",
	StageRevoked: "tmpl-revoked", Reminder: "tmpl-reminder", OfficialAccount: "tmpl-oa"}

// pendingStages start pending for a plain graduate (no loan, no party
// membership), so the tests can clear them in any order at the store level.
var pendingStages = []domain.StageCode{domain.StageSupervisor, "college_secretary", "college_workgroup",
	"finance", domain.StageLibrary, domain.StageDorm, "grad_service_center", "campus_card"}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// harness is a real database with one batch of students, the fake WeChat
// server and the real SDK client pointed at it.
type harness struct {
	t     testing.TB
	ctx   context.Context
	db    *store.DB
	dsn   string
	fake  *wxfake.Server
	wx    wechat.Client
	batch domain.Batch
}

func eachDB(t *testing.T, fn func(t *testing.T, h *harness)) {
	for _, driver := range storetest.Drivers(t) {
		t.Run(driver, func(t *testing.T) { fn(t, newHarness(t, driver, 10)) })
	}
}

func newHarness(t testing.TB, driver string, students int) *harness {
	t.Helper()
	db, dsn := storetest.OpenDSN(t, driver)
	fake := wxfake.New()
	t.Cleanup(fake.Close)
	wx, err := wechat.New(wechat.Config{AppID: "wxtest", AppSecret: "secret", OAAppID: "wxoa", OAAppSecret: "oa-secret",
		OAToken: "oa-token", APIBase: fake.URL(), Timeout: 400 * time.Millisecond}, nil, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	f, err := stages.Load("../../configs/stages.yaml")
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, ctx: context.Background(), db: db, dsn: dsn, fake: fake, wx: wx}
	end := time.Now().AddDate(0, 0, 3).UTC().Truncate(24 * time.Hour)
	h.batch = domain.Batch{Name: "2026届研究生离校", EndsOn: &end, Stages: f.Stages}
	if err := db.CreateBatch(h.ctx, &h.batch); err != nil {
		t.Fatal(err)
	}
	sts := make([]domain.Student, students)
	for i := range sts {
		sts[i] = domain.Student{StudentNo: studentNo(i), Name: "学生" + studentNo(i), College: "计算机学院",
			Degree: domain.DegreeMaster, DepartureType: domain.DepartureGraduated, Campus: domain.CampusA,
			SupervisorStaffNo: "T001", IDHash: "h"}
	}
	if _, err := db.ImportStudents(h.ctx, h.batch, sts, time.Now()); err != nil {
		t.Fatal(err)
	}
	return h
}

func studentNo(i int) string { return fmt.Sprintf("S%04d", i) }

// dispatcher has fast test settings on top of opt.
func (h *harness) dispatcher(opt Options) *Dispatcher {
	if opt.Templates == (Templates{}) {
		opt.Templates = testTemplates
	}
	opt.PollInterval = orDefault(opt.PollInterval, 20*time.Millisecond)
	opt.BaseBackoff = orDefault(opt.BaseBackoff, 10*time.Millisecond)
	opt.MaxBackoff = orDefault(opt.MaxBackoff, 100*time.Millisecond)
	return New(h.db, h.wx, opt, quietLog())
}

// bind gives student no a mini-program account "wx-<no>" with unionid
// "u_wx-<no>", the way a login and a binding do.
func (h *harness) bind(no string) string {
	h.t.Helper()
	openid := "wx-" + no
	if err := h.db.TouchWeChatUser(h.ctx, openid, "u_"+openid, time.Now()); err != nil {
		h.t.Fatal(err)
	}
	if err := h.db.BindStudent(h.ctx, openid, no, time.Now()); err != nil {
		h.t.Fatal(err)
	}
	return openid
}

// quota records n acceptances of a template by openid.
func (h *harness) quota(openid, tmpl string, n int) {
	h.t.Helper()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = tmpl
	}
	if err := h.db.AddSubscriptions(h.ctx, openid, ids, time.Now()); err != nil {
		h.t.Fatal(err)
	}
}

// clear clears a stage and emits its event in the same transaction, as the
// service's change path does.
func (h *harness) clear(no string, code domain.StageCode) {
	h.t.Helper()
	_, err := h.db.UpdateClearances(h.ctx, h.batch.ID, no, func(sh *store.Sheet) error {
		def, _ := sh.Batch.Stage(code)
		sh.Set(code, domain.StatusCleared, store.Change{Source: domain.SourceStaff, Channel: domain.ChannelScan,
			Actor: domain.Actor{ID: "account:1", Role: domain.RoleStaff}})
		sh.Emit(domain.Event{BatchID: sh.Batch.ID, StudentNo: no, Kind: domain.EventStageCleared, Stage: code,
			StageName: def.Name, Title: "离校环节已通过", Body: fmt.Sprintf("你的「%s」环节已通过（✓）。", def.Name),
			DedupeKey: fmt.Sprintf("%d:%s:%s:%s", sh.Batch.ID, no, code, domain.EventStageCleared)})
		return nil
	})
	if err != nil {
		h.t.Fatalf("clear %s/%s: %v", no, code, err)
	}
}

// drain runs RunOnce until no row is pending or the timeout passes.
func (h *harness) drain(d *Dispatcher, timeout time.Duration) {
	h.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if _, err := d.RunOnce(h.ctx); err != nil {
			h.t.Fatal(err)
		}
		if h.count(store.OutboxPending) == 0 {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("%d rows still pending after %v", h.count(store.OutboxPending), timeout)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitSent waits until every row is sent or dead.
func (h *harness) waitSent(total int, timeout time.Duration) {
	h.t.Helper()
	deadline := time.Now().Add(timeout)
	for h.count(store.OutboxSent)+h.count(store.OutboxDead) < total {
		if time.Now().After(deadline) {
			h.t.Fatalf("after %v: %d sent, %d dead, %d pending of %d", timeout, h.count(store.OutboxSent),
				h.count(store.OutboxDead), h.count(store.OutboxPending), total)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (h *harness) count(status string) int {
	h.t.Helper()
	n, err := h.db.CountOutbox(h.ctx, status)
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

func (h *harness) rows() []store.OutboxRow {
	h.t.Helper()
	rows, err := h.db.ListOutbox(h.ctx, "", 500)
	if err != nil {
		h.t.Fatal(err)
	}
	return rows
}

func (h *harness) inbox(no string) []store.Notification {
	h.t.Helper()
	ns, err := h.db.Notifications(h.ctx, no, 200)
	if err != nil {
		h.t.Fatal(err)
	}
	return ns
}

// run starts d.Run until the test ends.
func run(t testing.TB, ds ...*Dispatcher) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, d := range ds {
		wg.Go(func() { d.Run(ctx) })
	}
	t.Cleanup(func() { cancel(); wg.Wait() })
}

// refs maps each delivered subscribe message's reference to its count.
func refs(subs []wxfake.ReceivedSubscribe) map[string]int {
	out := map[string]int{}
	for _, s := range subs {
		out[s.Data[fieldRef]]++
	}
	return out
}
