package service

import (
	"bytes"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/sheet"
	"github.com/lixiao/lixiao/internal/store"
)

var rosterHeader = []string{"学号", "姓名", "学院", "学位", "离校类型", "校区", "身份证后六位", "导师工号", "党员", "助学贷款"}

// xlsxOf builds an .xlsx whose first sheet holds rows as text cells.
func xlsxOf(t testing.TB, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cells := make([]any, len(r))
		for j, v := range r {
			cells[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, cells); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// supervisors creates supervisor accounts with the staff numbers given.
func (h *harness) supervisors(staffNos ...string) {
	h.t.Helper()
	for _, no := range staffNos {
		a := store.Account{Name: "导师" + no, Role: domain.RoleSupervisor, StaffNo: no, CreatedAt: time.Now()}
		if err := h.db.CreateAccount(h.ctx, &a); err != nil {
			h.t.Fatal(err)
		}
	}
}

func (h *harness) adminPrincipal() Principal {
	h.t.Helper()
	_, p := h.login("admin-openid")
	return p
}

func (h *harness) importRoster(p Principal, rows [][]string, partial bool) (ImportResult, error) {
	return h.svc.ImportStudents(h.ctx, p, h.batch.ID, Upload{Name: "名单.xlsx",
		Body: bytes.NewReader(xlsxOf(h.t, append([][]string{rosterHeader}, rows...))), Partial: partial})
}

func (h *harness) studentCount() int {
	h.t.Helper()
	sts, err := h.db.Students(h.ctx, store.StudentFilter{BatchID: h.batch.ID})
	if err != nil {
		h.t.Fatal(err)
	}
	return len(sts)
}

// The "done means": a file with 3 bad rows applies nothing and
// names exactly those 3 rows.
func TestImportStudents_BadRowsApplyNothing(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		h.supervisors("T001", "T002")
		admin := h.adminPrincipal()
		rows := [][]string{
			{"S100", "赵一", "计算机学院", "硕士", "毕业", "A区", "100001", "T001", "否", "否"}, // row 2
			{"S101", "钱二", "计算机学院", "学士", "毕业", "A区", "100002", "T001", "否", "否"}, // row 3: degree
			{"S102", "孙三", "计算机学院", "博士", "结业", "虎溪", "100003", "T002", "是", "是"}, // row 4
			{"S100", "李四", "计算机学院", "硕士", "毕业", "B区", "100004", "T001", "否", "否"}, // row 5: duplicate
			{"S104", "周五", "外国语学院", "硕士", "毕业", "A区", "10005", "T009", "否", "否"},  // row 6: id, supervisor
		}
		before := h.studentCount()
		res, err := h.importRoster(admin, rows, false)
		wantCode(t, err, domain.CodeInvalidArgument)
		if res.Created != 0 || res.Updated != 0 || len(res.Errors) != 3 {
			t.Fatalf("result = %+v", res)
		}
		for i, want := range []int{3, 5, 6} {
			if res.Errors[i].Row != want {
				t.Fatalf("bad rows = %+v, want rows 3, 5, 6", res.Errors)
			}
		}
		for _, want := range []string{"学位 学士 无效", "与第 2 行重复", "身份证后六位格式不正确"} {
			found := false
			for _, e := range res.Errors {
				found = found || contains(e.Message, want)
			}
			if !found {
				t.Errorf("no error mentions %q: %+v", want, res.Errors)
			}
		}
		if !contains(res.Errors[2].Message, "导师工号 T009 不是导师账号") {
			t.Errorf("row 6 = %q", res.Errors[2].Message)
		}
		if h.studentCount() != before {
			t.Fatal("a refused import added students")
		}
		// With ?partial=1 the two good rows go in and the errors still come back.
		res, err = h.importRoster(admin, rows, true)
		if err != nil || res.Created != 2 || len(res.Errors) != 3 || h.studentCount() != before+2 {
			t.Fatalf("partial: %+v, %v", res, err)
		}
	})
}

func TestImportStudents_UpsertAndIdempotent(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		h.supervisors("T001", "T002")
		admin := h.adminPrincipal()
		rows := [][]string{
			{"S001", "张伟", "计算机学院", "硕士", "毕业", "A区", "12345x", "T001", "否", "是"},           // loan now
			{"S002", "王芳", "计算机学院", "硕士", "结业", "虎溪校区", "223344", "T001", "是", "否"},         // loan gone
			{"S003", "李娜", "外国语学院", "master", "graduated", "B", "334455", "T002", "0", "0"}, // unchanged
			{"S200", "新生", "数学学院", "博士", "退学", "A区", "000123", "", "", ""},
		}
		res, err := h.importRoster(admin, rows, false)
		if err != nil {
			t.Fatal(err)
		}
		want := ImportResult{Created: 1, Updated: 2, Unchanged: 1, Errors: []sheet.RowError{}, Reapplied: 2}
		if !reflect.DeepEqual(res, want) {
			t.Fatalf("first import = %+v, want %+v", res, want)
		}
		// A roster change of what applies re-runs rule 5, audited and notified.
		if h.status("S001", domain.StageLoan) != domain.StatusPending || h.status("S002", domain.StageLoan) != domain.StatusNotApplicable {
			t.Fatal("loan stages not decided again")
		}
		a := h.auditOf("S001", domain.StageLoan)
		if len(a) != 1 || a[0].Source != domain.SourceRule || a[0].From != domain.StatusNotApplicable || a[0].To != domain.StatusPending {
			t.Fatalf("audit = %+v", a)
		}
		if ev := h.eventsOf("S001"); len(ev) != 1 || ev[0].Stage != domain.StageLoan {
			t.Fatalf("events = %+v", ev)
		}
		// The new student starts from the rules; the hash binds.
		if h.status("S200", domain.StageParty) != domain.StatusNotApplicable || h.status("S200", domain.StageFinance) != domain.StatusPending {
			t.Fatal("new student's initial statuses")
		}
		st, err := h.db.Student(h.ctx, h.batch.ID, "S200")
		if err != nil || st.IDHash != IDHash(testSecret, "000123") || st.DepartureType != domain.DepartureWithdrawn {
			t.Fatalf("stored student = %+v, %v", st, err)
		}

		auditBefore, eventsBefore := len(h.auditOf("S001", "")), len(h.eventsOf("S001"))
		res, err = h.importRoster(admin, rows, false)
		want = ImportResult{Unchanged: 4, Errors: []sheet.RowError{}}
		if err != nil || !reflect.DeepEqual(res, want) {
			t.Fatalf("second import = %+v, %v", res, err)
		}
		if len(h.auditOf("S001", "")) != auditBefore || len(h.eventsOf("S001")) != eventsBefore {
			t.Fatal("an identical import changed something")
		}
	})
}

func TestImportStudents_Refusals(t *testing.T) {
	h := newHarness(t, "sqlite")
	admin := h.adminPrincipal()
	student := h.student("S001")
	good := [][]string{{"S300", "某", "某学院", "硕士", "毕业", "A区", "123456", "", "", ""}}
	_, err := h.importRoster(student, good, false)
	wantCode(t, err, domain.CodeForbidden)
	_, err = h.svc.ImportStudents(h.ctx, admin, 9999, Upload{Name: "a.xlsx", Body: bytes.NewReader(xlsxOf(t, good))})
	wantCode(t, err, domain.CodeNotFound)
	_, err = h.svc.ImportStudents(h.ctx, admin, h.batch.ID, Upload{Name: "a.txt", Body: bytes.NewReader(nil)})
	wantCode(t, err, domain.CodeInvalidArgument)
	_, err = h.svc.ImportStudents(h.ctx, admin, h.batch.ID, Upload{Name: "a.xlsx", Body: bytes.NewReader([]byte("not a zip"))})
	wantCode(t, err, domain.CodeInvalidArgument)
	csv := "学号,姓名,学院,学位,离校类型,校区,身份证后六位\nS300,某,某学院,硕士,毕业,A区,123456\n"
	res, err := h.svc.ImportStudents(h.ctx, admin, h.batch.ID, Upload{Name: "a.csv", Body: bytes.NewReader([]byte(csv))})
	if err != nil || res.Created != 1 {
		t.Fatalf("csv import = %+v, %v", res, err)
	}
}

func TestRosterTemplateParses(t *testing.T) {
	h := newHarness(t, "sqlite")
	var buf bytes.Buffer
	wantCode(t, h.svc.RosterTemplate(h.student("S001"), &buf), domain.CodeForbidden)
	if err := h.svc.RosterTemplate(h.adminPrincipal(), &buf); err != nil {
		t.Fatal(err)
	}
	h.supervisors("10086")
	res, err := h.svc.ImportStudents(h.ctx, h.adminPrincipal(), h.batch.ID, Upload{Name: "template.xlsx", Body: &buf})
	if err != nil || res.Created != 1 {
		t.Fatalf("the template's example row does not import: %+v, %v", res, err)
	}
}

// rosterRows generates n valid rows over 30 colleges and 500 supervisors.
func rosterRows(n int) [][]string {
	rows := make([][]string, 0, n)
	degrees, types, campuses := []string{"硕士", "博士"}, []string{"毕业", "结业", "肄业", "退学"}, []string{"A区", "B区", "虎溪校区"}
	for i := range n {
		rows = append(rows, []string{fmt.Sprintf("2024%06d", i), fmt.Sprintf("学生%d", i), fmt.Sprintf("第%02d学院", i%30),
			degrees[i%2], types[i%4], campuses[i%3], fmt.Sprintf("%05dX", i%100000), fmt.Sprintf("T%04d", i%500),
			[]string{"是", "否"}[i%2], []string{"是", "否"}[i%3%2]})
	}
	return rows
}
