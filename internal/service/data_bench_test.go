package service

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/lixiao/lixiao/internal/cache"
	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/stages"
	"github.com/lixiao/lixiao/internal/store"
	"github.com/lixiao/lixiao/internal/store/storetest"
)

// importBudget is the limit for a 20,000-row roster.
const importBudget = 10 * time.Second

// benchService is a Service on a fresh database with one empty batch and
// the 500 supervisor accounts rosterRows refers to.
func benchService(b *testing.B, driver string) (*Service, domain.Batch, Principal) {
	b.Helper()
	ctx := context.Background()
	db := storetest.Open(b, driver)
	f, err := stages.Load("../../configs/stages.yaml")
	if err != nil {
		b.Fatal(err)
	}
	svc := New(db, cache.NewMemory(), nil, Options{Secret: testSecret, Stages: f.Stages}, quietLog())
	batch := domain.Batch{Name: "2026研究生离校", Stages: f.Stages}
	if err := db.CreateBatch(ctx, &batch); err != nil {
		b.Fatal(err)
	}
	for i := range 500 {
		a := store.Account{Name: "导师", Role: domain.RoleSupervisor, StaffNo: fmt.Sprintf("T%04d", i), CreatedAt: time.Now()}
		if err := db.CreateAccount(ctx, &a); err != nil {
			b.Fatal(err)
		}
	}
	return svc, batch, Principal{OpenID: "bench-admin", Roles: []domain.Role{domain.RoleAdmin}}
}

// BenchmarkImport20k imports a generated 20,000-row .xlsx through the
// service (parse, validate every row, hash, insert 20,000 students and
// 240,000 clearances) into an empty batch, then measures the second,
// identical import (an upsert that changes nothing).
func BenchmarkImport20k(b *testing.B) {
	data := xlsxOf(b, append([][]string{rosterHeader}, rosterRows(20000)...))
	b.Logf("roster: 20,000 rows, %d KiB .xlsx", len(data)/1024)
	for _, driver := range storetest.Drivers(b) {
		b.Run(driver, func(b *testing.B) {
			var again time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				svc, batch, admin := benchService(b, driver)
				up := func() Upload { return Upload{Name: "roster.xlsx", Body: bytes.NewReader(data)} }
				b.StartTimer()
				start := time.Now()
				res, err := svc.ImportStudents(context.Background(), admin, batch.ID, up())
				took := time.Since(start)
				b.StopTimer()
				if err != nil || res.Created != 20000 {
					b.Fatalf("import: %+v (%d errors) %v", res.Created, len(res.Errors), err)
				}
				if took > importBudget {
					b.Errorf("import took %v, over the %v budget", took, importBudget)
				}
				start = time.Now()
				res, err = svc.ImportStudents(context.Background(), admin, batch.ID, up())
				again += time.Since(start)
				if err != nil || res.Unchanged != 20000 || res.Created+res.Updated != 0 {
					b.Fatalf("second import: %+v %v", res, err)
				}
			}
			b.ReportMetric(float64(again.Milliseconds())/float64(b.N), "ms/identical-reimport")
		})
	}
}

// BenchmarkStats20k measures the statistics at 20,000 students × 12
// stages: "count" is the grouped query and its assembly (a cold request),
// "snapshot" a request answered from the shared snapshot.
func BenchmarkStats20k(b *testing.B) {
	for _, driver := range storetest.Drivers(b) {
		b.Run(driver, func(b *testing.B) {
			svc, batch, admin := benchService(b, driver)
			ctx := context.Background()
			sts := make([]domain.Student, 20000)
			for i, r := range rosterRows(20000) {
				sts[i] = domain.Student{StudentNo: r[0], Name: r[1], College: r[2], Degree: domain.DegreeMaster,
					DepartureType: domain.DepartureGraduated, Campus: domain.CampusA, HasLoan: i%3 == 0, PartyMember: i%2 == 0, IDHash: "h"}
			}
			if _, err := svc.store.ImportStudents(ctx, batch, sts, time.Now()); err != nil {
				b.Fatal(err)
			}
			for i := 0; i < 1000; i++ { // some variety: finance cleared, dorm rejected
				code, a := domain.StageFinance, domain.ActionClear
				if i%2 == 1 {
					code, a = domain.StageDorm, domain.ActionReject
				}
				_, err := svc.change(ctx, batch.ID, sts[i*20].StudentNo, func(sh *store.Sheet) error {
					_, err := act(sh, code, a, store.Change{Source: domain.SourceStaff, Channel: domain.ChannelBulk,
						Actor: domain.Actor{ID: "bench"}, Reason: "bench"})
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			// The baseline: counting the clearances themselves, as the
			// stats did before the store kept counts.
			b.Run("full-count", func(b *testing.B) {
				for b.Loop() {
					if _, err := svc.store.CountStagesSlowly(ctx, batch.ID); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("stats", func(b *testing.B) {
				for b.Loop() {
					v, err := svc.Stats(ctx, admin, batch.ID)
					if err != nil || v.Students != 20000 {
						b.Fatalf("%d students, %v", v.Students, err)
					}
				}
			})
		})
	}
}
