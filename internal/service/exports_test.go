package service

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/lixiao/lixiao/internal/domain"
)

// readXLSX reads back the first sheet of an export, as Excel would show it.
func readXLSX(t *testing.T, data []byte) (string, [][]string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	name := f.GetSheetList()[0]
	rows, err := f.GetRows(name)
	if err != nil {
		t.Fatal(err)
	}
	return name, rows
}

const (
	s001Missing = "导师、学院研究生教务秘书、学院研究生工作组、图书馆、学生公寓管理中心、研究生院研究生教育服务中心、一卡通管理中心、研究生院研工办"
	s002Missing = "导师、学院研究生教务秘书、学院研究生工作组、学院党委或党总支、财务处、图书馆、学生公寓管理中心、研究生院研究生教育服务中心、一卡通管理中心、研究生院研工办"
)

// The exports against the hand count of statsFixture.
func TestExportPending(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		statsFixture(t, h)
		admin := h.adminPrincipal()
		header := []string{"学号", "姓名", "学院", "校区", "离校类型", "未完成环节", "未完成数"}
		s001 := []string{"S001", "张伟", "计算机学院", "A区", "毕业", s001Missing, "8"}
		s002 := []string{"S002", "王芳", "计算机学院", "虎溪校区", "结业", s002Missing, "10"}
		tests := []struct {
			name     string
			f        ExportFilter
			filename string
			rows     [][]string
		}{
			{"all", ExportFilter{BatchID: h.batch.ID}, "未办结名单-2026研究生离校.xlsx", [][]string{header, s001, s002}},
			{"finance", ExportFilter{Stage: domain.StageFinance}, "未办结名单-2026研究生离校-财务处.xlsx", [][]string{header, s002}},
			{"dorm, rejected counts", ExportFilter{Stage: domain.StageDorm}, "未办结名单-2026研究生离校-学生公寓管理中心.xlsx", [][]string{header, s001, s002}},
			{"hospital: nobody", ExportFilter{Stage: domain.StageHospital}, "未办结名单-2026研究生离校-校医院.xlsx", [][]string{header}},
			{"college", ExportFilter{College: "外国语学院"}, "未办结名单-2026研究生离校-外国语学院.xlsx", [][]string{header}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				x, err := h.svc.ExportPending(h.ctx, admin, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				sheetName, rows := readXLSX(t, x.Data)
				if x.Filename != tt.filename || sheetName != "未办结名单" || x.Rows != len(tt.rows)-1 {
					t.Fatalf("file %q sheet %q rows %d", x.Filename, sheetName, x.Rows)
				}
				if !reflect.DeepEqual(rows, tt.rows) {
					t.Fatalf("rows = %q\nwant %q", rows, tt.rows)
				}
			})
		}
		_, err := h.svc.ExportPending(h.ctx, admin, ExportFilter{Stage: "canteen"})
		wantCode(t, err, domain.CodeNotFound)
		_, err = h.svc.ExportPending(h.ctx, h.student("S001"), ExportFilter{})
		wantCode(t, err, domain.CodeForbidden)
	})
}

func TestExportComplete(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		statsFixture(t, h)
		x, err := h.svc.ExportComplete(h.ctx, h.adminPrincipal(), ExportFilter{})
		if err != nil {
			t.Fatal(err)
		}
		_, rows := readXLSX(t, x.Data)
		if x.Filename != "已办结名单-2026研究生离校.xlsx" || len(rows) != 2 ||
			!reflect.DeepEqual(rows[0], []string{"学号", "姓名", "学院", "校区", "离校类型", "办结时间"}) {
			t.Fatalf("%s: %q", x.Filename, rows)
		}
		done := h.clearance("S003", domain.StageGradOffice).UpdatedAt.In(chinaTime).Format("2006-01-02 15:04")
		if want := []string{"S003", "李娜", "外国语学院", "B区", "毕业", done}; !reflect.DeepEqual(rows[1], want) {
			t.Fatalf("row = %q, want %q", rows[1], want)
		}
		if _, err := time.ParseInLocation("2006-01-02 15:04", rows[1][5], chinaTime); err != nil {
			t.Fatal(err)
		}
		x, err = h.svc.ExportComplete(h.ctx, h.adminPrincipal(), ExportFilter{College: "计算机学院"})
		if _, rows := readXLSX(t, x.Data); err != nil || len(rows) != 1 {
			t.Fatalf("computer college complete = %q, %v", rows, err)
		}
	})
}
