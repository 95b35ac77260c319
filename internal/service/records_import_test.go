package service

import (
	"bytes"
	"testing"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/sheet"
)

func (h *harness) importList(p Principal, system string, rows [][]string, partial bool) (RecordsResult, []sheet.RowError, error) {
	return h.svc.ImportRecords(h.ctx, p, h.batch.ID, system, Upload{Name: "list.xlsx",
		Body: bytes.NewReader(xlsxOf(h.t, rows)), Partial: partial})
}

// A list upload goes through the same decisions as a push, with the
// administrator as the actor.
func TestImportRecords(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		admin := h.adminPrincipal()
		rows := [][]string{{"学号", "欠费(元)", "数据时间"}, {"S001", "0", "2026-06-01 08:00:00"}, {"S002", "12.5", "2026-06-01"}}
		res, bad, err := h.importList(admin, "finance", rows, false)
		if err != nil || len(bad) != 0 {
			t.Fatalf("import: %v %+v", err, bad)
		}
		if res.Received != 2 || res.Changed != 1 || res.Results[0].Row != 2 || res.Results[0].Index != nil ||
			res.Results[1].Message != "尚欠学费/住宿费 12.50 元" {
			t.Fatalf("result = %+v", res)
		}
		c := h.clearance("S001", domain.StageFinance)
		if c.Status != domain.StatusCleared || c.Source != domain.SourceIntegration || c.DataAsOf == nil ||
			c.DataAsOf.Format("2006-01-02 15:04 -0700") != "2026-06-01 00:00 +0000" {
			t.Fatalf("S001 finance = %+v", c)
		}
		a := h.auditOf("S001", domain.StageFinance)
		if len(a) != 1 || a[0].Channel != domain.ChannelAdmin || a[0].ActorID != admin.Actor(domain.RoleAdmin).ID {
			t.Fatalf("audit = %+v", a)
		}
		if c := h.clearance("S002", domain.StageFinance); c.Reason != "尚欠学费/住宿费 12.50 元" {
			t.Fatalf("S002 finance = %+v", c)
		}
	})
}

func TestImportRecords_BadRows(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		admin := h.adminPrincipal()
		rows := [][]string{{"学号", "欠费(元)"}, {"S001", "0"}, {"S999", "0"}, {"S003", "abc"}}
		res, bad, err := h.importList(admin, "hospital", [][]string{{"学号", "欠费(元)"}, {"S001", "1"}}, false)
		if err != nil || res.Changed != 1 {
			t.Fatalf("hospital list: %+v %v", res, err)
		}
		_, bad, err = h.importList(admin, "finance", rows, false)
		wantCode(t, err, domain.CodeInvalidArgument)
		if len(bad) != 2 || bad[0].Row != 3 || !contains(bad[0].Message, "S999 不在批次") || bad[1].Row != 4 {
			t.Fatalf("bad rows = %+v", bad)
		}
		if h.status("S001", domain.StageFinance) != domain.StatusPending {
			t.Fatal("a refused list applied a row")
		}
		res, bad, err = h.importList(admin, "finance", rows, true)
		if err != nil || len(bad) != 2 || res.Applied != 1 || h.status("S001", domain.StageFinance) != domain.StatusCleared {
			t.Fatalf("partial: %+v %+v %v", res, bad, err)
		}
	})
}

func TestImportRecords_Refusals(t *testing.T) {
	h := newHarness(t, "sqlite")
	rows := [][]string{{"学号", "欠费(元)"}, {"S001", "0"}}
	_, _, err := h.importList(h.student("S001"), "finance", rows, false)
	wantCode(t, err, domain.CodeForbidden)
	_, _, err = h.importList(h.adminPrincipal(), "dorm", rows, false)
	wantCode(t, err, domain.CodeNotFound)
	_, _, err = h.importList(h.adminPrincipal(), "library", rows, false)
	wantCode(t, err, domain.CodeInvalidArgument) // the library's columns are missing
}
