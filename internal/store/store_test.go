package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/stages"
	"github.com/lixiao/lixiao/internal/store"
	"github.com/lixiao/lixiao/internal/store/storetest"
)

// each runs a conformance test on every database.
func each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	for _, driver := range storetest.Drivers(t) {
		t.Run(driver, func(t *testing.T) { fn(t, storetest.Open(t, driver)) })
	}
}

func newBatch(t *testing.T, db *store.DB) domain.Batch {
	t.Helper()
	f, err := stages.Load("../../configs/stages.yaml")
	if err != nil {
		t.Fatal(err)
	}
	end := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	b := domain.Batch{Name: "2026研究生离校", EndsOn: &end, Stages: f.Stages}
	if err := db.CreateBatch(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	return b
}

func student(no string, loan, party bool) domain.Student {
	return domain.Student{StudentNo: no, Name: "学生" + no, College: "计算机学院", Degree: domain.DegreeMaster,
		DepartureType: domain.DepartureGraduated, Campus: domain.CampusA, SupervisorStaffNo: "T001",
		PartyMember: party, HasLoan: loan, IDHash: "hash-" + no}
}

func importStudents(t *testing.T, db *store.DB, b domain.Batch, sts ...domain.Student) store.ImportResult {
	t.Helper()
	res, err := db.ImportStudents(context.Background(), b, sts, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func statusOf(t *testing.T, db *store.DB, b domain.Batch, no string, code domain.StageCode) domain.Status {
	t.Helper()
	cs, err := db.Clearances(context.Background(), b.ID, no)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Stage == code {
			return c.Status
		}
	}
	t.Fatalf("no clearance for %s/%s", no, code)
	return ""
}

func TestMigrateTwice(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
	})
}

func TestBatches(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		b := newBatch(t, db)
		got, err := db.Batch(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != b.Name || len(got.Stages) != 12 || got.EndsOn == nil || !got.EndsOn.Equal(*b.EndsOn) || got.StartsOn != nil {
			t.Fatalf("batch round trip: %+v", got)
		}
		dup := domain.Batch{Name: b.Name, Stages: b.Stages}
		if err := db.CreateBatch(ctx, &dup); domain.ErrorCode(err) != domain.CodeConflict {
			t.Fatalf("duplicate batch name: %v", err)
		}
		if _, err := db.Batch(ctx, 9999); domain.ErrorCode(err) != domain.CodeNotFound {
			t.Fatalf("missing batch: %v", err)
		}
		list, err := db.Batches(ctx)
		if err != nil || len(list) != 1 {
			t.Fatalf("batches: %v %d", err, len(list))
		}
	})
}

// Rule 5 on storage: initial clearances follow applicability.
func TestImportStudents_Rule5Applicability(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		b := newBatch(t, db)
		res := importStudents(t, db, b, student("1001", true, true), student("1002", false, false))
		if res.Created != 2 || res.Updated != 0 {
			t.Fatalf("import: %+v", res)
		}
		tests := []struct {
			no    string
			stage domain.StageCode
			want  domain.Status
		}{
			{"1001", domain.StageLoan, domain.StatusPending},
			{"1001", domain.StageParty, domain.StatusPending},
			{"1001", domain.StageHospital, domain.StatusNotApplicable},
			{"1002", domain.StageLoan, domain.StatusNotApplicable},
			{"1002", domain.StageParty, domain.StatusNotApplicable},
			{"1002", domain.StageDorm, domain.StatusPending},
		}
		for _, tt := range tests {
			if got := statusOf(t, db, b, tt.no, tt.stage); got != tt.want {
				t.Errorf("%s %s = %s, want %s", tt.no, tt.stage, got, tt.want)
			}
		}
		again := importStudents(t, db, b, student("1001", true, true), student("1002", false, false))
		if again.Created != 0 || again.Updated != 0 {
			t.Fatalf("identical re-import changed something: %+v", again)
		}
		changed := student("1002", true, false)
		res = importStudents(t, db, b, changed)
		if res.Updated != 1 || len(res.Reapply) != 1 || res.Reapply[0].StudentNo != "1002" {
			t.Fatalf("changed loan: %+v", res)
		}
	})
}

func clear(db *store.DB, b domain.Batch, no string, code domain.StageCode, actor string) (store.Applied, error) {
	return db.UpdateClearances(context.Background(), b.ID, no, func(sh *store.Sheet) error {
		def, _ := sh.Batch.Stage(code)
		to, changed, err := domain.Transition(def, sh.Clearance(code).Status, domain.ActionClear, domain.RoleStaff, "")
		if err != nil || !changed {
			return err
		}
		sh.Set(code, to, store.Change{Source: domain.SourceStaff, Channel: domain.ChannelScan,
			Actor: domain.Actor{ID: actor, Name: actor, Role: domain.RoleStaff}})
		sh.Emit(domain.Event{BatchID: b.ID, StudentNo: no, Kind: domain.EventStageCleared, Stage: code,
			DedupeKey: fmt.Sprintf("%d/%s/%s/cleared", b.ID, no, code)})
		return nil
	})
}

func TestUpdateClearances_TransitionAndAudit(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		b := newBatch(t, db)
		importStudents(t, db, b, student("2001", false, false))
		applied, err := clear(db, b, "2001", domain.StageDorm, "staff-1")
		if err != nil || len(applied.Changes) != 1 || applied.Events != 1 {
			t.Fatalf("clear: %+v %v", applied, err)
		}
		if got := statusOf(t, db, b, "2001", domain.StageDorm); got != domain.StatusCleared {
			t.Fatalf("dorm = %s", got)
		}
		audit, err := db.Audit(ctx, store.AuditFilter{StudentNo: "2001"})
		if err != nil || len(audit) != 1 {
			t.Fatalf("audit: %v %d", err, len(audit))
		}
		a := audit[0]
		if a.From != domain.StatusPending || a.To != domain.StatusCleared || a.ActorID != "staff-1" ||
			a.Channel != domain.ChannelScan || a.ActorRole != domain.RoleStaff || a.Stage != domain.StageDorm {
			t.Fatalf("audit row: %+v", a)
		}
		// fn failing writes nothing.
		boom := errors.New("boom")
		_, err = db.UpdateClearances(ctx, b.ID, "2001", func(sh *store.Sheet) error {
			sh.Set(domain.StageFinance, domain.StatusCleared, store.Change{Source: domain.SourceStaff, Actor: domain.Actor{ID: "x"}})
			return boom
		})
		if !errors.Is(err, boom) || statusOf(t, db, b, "2001", domain.StageFinance) != domain.StatusPending {
			t.Fatalf("failed fn wrote: %v", err)
		}
		if _, err := db.UpdateClearances(ctx, b.ID, "nope", func(*store.Sheet) error { return nil }); domain.ErrorCode(err) != domain.CodeNotFound {
			t.Fatalf("unknown student: %v", err)
		}
	})
}

// Twenty staff clear the same stage at once: one transition, one audit row, one event.
func TestUpdateClearances_ConcurrentClear(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		b := newBatch(t, db)
		importStudents(t, db, b, student("3001", false, false))
		var wg sync.WaitGroup
		var mu sync.Mutex
		changed, failed := 0, 0
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				applied, err := clear(db, b, "3001", domain.StageDorm, fmt.Sprintf("staff-%d", i))
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					failed++
					t.Errorf("clear %d: %v", i, err)
				}
				changed += len(applied.Changes)
			}()
		}
		wg.Wait()
		audit, err := db.Audit(ctx, store.AuditFilter{StudentNo: "3001"})
		if err != nil {
			t.Fatal(err)
		}
		if changed != 1 || len(audit) != 1 || failed != 0 {
			t.Fatalf("changes=%d audit rows=%d failed=%d, want 1 1 0", changed, len(audit), failed)
		}
		n, err := db.CountOutbox(ctx, "")
		if err != nil || n != 1 {
			t.Fatalf("outbox rows = %d, %v", n, err)
		}
	})
}

func TestUpdateClearances_ConditionalUpdate(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		b := newBatch(t, db)
		importStudents(t, db, b, student("4001", false, false))
		// A stale "from" (as if another writer got there first) is refused.
		_, err := db.UpdateClearances(ctx, b.ID, "4001", func(sh *store.Sheet) error {
			sh.Set(domain.StageDorm, domain.StatusCleared, store.Change{Source: domain.SourceStaff, Actor: domain.Actor{ID: "a"}})
			sh.Set(domain.StageDorm, domain.StatusRejected, store.Change{Source: domain.SourceStaff, Actor: domain.Actor{ID: "a"}})
			return nil
		})
		if err != nil {
			t.Fatalf("chained changes: %v", err)
		}
		if got := statusOf(t, db, b, "4001", domain.StageDorm); got != domain.StatusRejected {
			t.Fatalf("dorm = %s", got)
		}
		audit, _ := db.Audit(ctx, store.AuditFilter{StudentNo: "4001"})
		if len(audit) != 2 {
			t.Fatalf("audit rows = %d", len(audit))
		}
	})
}

// The stage counts kept beside the clearances always equal a full count.
func TestStageCounts_MatchClearances(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		b := newBatch(t, db)
		importStudents(t, db, b, student("5001", true, false), student("5002", false, true), student("5003", false, false))
		check := func(when string) {
			t.Helper()
			fast, err := db.StageCounts(ctx, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			slow, err := db.CountStagesSlowly(ctx, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			key := func(cs []store.StageCount) map[string]int {
				m := map[string]int{}
				for _, c := range cs {
					if c.Count != 0 {
						m[fmt.Sprintf("%s/%s/%s", c.Stage, c.College, c.Status)] = c.Count
					}
				}
				return m
			}
			if f, s := key(fast), key(slow); fmt.Sprint(f) != fmt.Sprint(s) {
				t.Fatalf("%s: counts %v, clearances say %v", when, f, s)
			}
		}
		check("after import")
		if _, err := clear(db, b, "5001", domain.StageDorm, "x"); err != nil {
			t.Fatal(err)
		}
		if _, err := clear(db, b, "5002", domain.StageDorm, "x"); err != nil {
			t.Fatal(err)
		}
		check("after clears")
		moved := student("5002", false, true)
		moved.College = "外国语学院"
		importStudents(t, db, b, moved)
		check("after a change of college")
		importStudents(t, db, b, student("5004", true, true))
		check("after a second import")
	})
}
