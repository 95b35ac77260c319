package sheet

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/lixiao/lixiao/internal/domain"
)

func openXLSX(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestWriteTable(t *testing.T) {
	header := []string{"学号", "姓名", "未办环节"}
	rows := [][]string{
		{"0012", "张三", "财务处、图书馆"},
		{"2024002", "=1+1", ""},
		{"2024003", "李四", strings.Repeat("很长的说明", 30)},
	}
	tests := []struct{ title, sheet string }{
		{"待办名单", "待办名单"},
		{"2026/06 待办:财务[A]?", "2026_06 待办_财务_A__"},
		{strings.Repeat("长", 40), strings.Repeat("长", 31)},
		{"", "Sheet1"},
	}
	for _, tt := range tests {
		t.Run(tt.sheet, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteTable(&buf, tt.title, header, rows); err != nil {
				t.Fatal(err)
			}
			f := openXLSX(t, buf.Bytes())
			if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{tt.sheet}) {
				t.Fatalf("sheets = %q, want %q", got, tt.sheet)
			}
			got, err := f.GetRows(tt.sheet)
			if err != nil {
				t.Fatal(err)
			}
			want := append([][]string{header}, rows...)
			want[2] = []string{"2024002", "=1+1"} // GetRows drops trailing empty cells
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("cells = %q, want %q", got, want)
			}
			for _, cell := range []string{"A2", "B3"} {
				if typ, _ := f.GetCellType(tt.sheet, cell); typ == excelize.CellTypeNumber {
					t.Errorf("%s is a number cell", cell)
				}
				if formula, _ := f.GetCellFormula(tt.sheet, cell); formula != "" {
					t.Errorf("%s has formula %q", cell, formula)
				}
			}
			panes, err := f.GetPanes(tt.sheet)
			if err != nil || !panes.Freeze || panes.YSplit != 1 {
				t.Errorf("panes = %+v, %v; want the header frozen", panes, err)
			}
			style, _ := f.GetCellStyle(tt.sheet, "A1")
			if s, err := f.GetStyle(style); err != nil || s.Font == nil || !s.Font.Bold {
				t.Errorf("header style = %+v, %v; want bold", s, err)
			}
			if w, _ := f.GetColWidth(tt.sheet, "C"); w != maxColWidth {
				t.Errorf("width of C = %v, want %v", w, float64(maxColWidth))
			}
			if w, _ := f.GetColWidth(tt.sheet, "A"); w < 9 || w > 12 {
				t.Errorf("width of A = %v, want about 9", w)
			}
			// The export reads back through the same reader as uploads.
			h, rr, err := ReadRows("x.xlsx", bytes.NewReader(buf.Bytes()))
			if err != nil || !reflect.DeepEqual(h, header) || len(rr) != 3 || rr[1].Cells[2] != "" {
				t.Fatalf("ReadRows = %q %+v %v", h, rr, err)
			}
		})
	}
}

func TestRosterTemplateRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := RosterTemplate(&buf); err != nil {
		t.Fatal(err)
	}
	good, bad, err := ParseRoster("template.xlsx", bytes.NewReader(buf.Bytes()), RosterOptions{
		IsSupervisor: func(no string) bool { return no == "10086" },
	})
	if err != nil || len(bad) != 0 {
		t.Fatalf("bad = %+v, err = %v", bad, err)
	}
	want := []RosterRow{{Row: 2, IDLast6: "012345", Student: domain.Student{StudentNo: "2024000001", Name: "张三",
		College: "计算机学院", Degree: domain.DegreeMaster, DepartureType: domain.DepartureGraduated,
		Campus: domain.CampusA, SupervisorStaffNo: "10086", PartyMember: true}}}
	if !reflect.DeepEqual(good, want) {
		t.Fatalf("good = %+v", good)
	}

	f := openXLSX(t, buf.Bytes())
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"学生名单", "说明"}) {
		t.Fatalf("sheets = %q", got)
	}
	header, _ := f.GetRows("学生名单")
	if !reflect.DeepEqual(header[0], zhHeader) {
		t.Fatalf("header = %q, want %q", header[0], zhHeader)
	}
	// Cells a user types later into the student_no, id_last6 and
	// supervisor_staff_no columns are text ("@"), so leading zeros stay.
	for _, cell := range []string{"A500", "G2", "G500", "H9"} {
		id, _ := f.GetCellStyle("学生名单", cell)
		if s, err := f.GetStyle(id); err != nil || s.NumFmt != numFmtText {
			t.Errorf("%s style = %+v, %v; want text format", cell, s, err)
		}
	}
	if dvs, err := f.GetDataValidations("学生名单"); err != nil || len(dvs) != len(templateLists) {
		t.Errorf("data validations = %d, %v; want %d", len(dvs), err, len(templateLists))
	}
	help, _ := f.GetRows("说明")
	if len(help) < len(rosterColumns)+1 || help[7][0] != "身份证后六位" || help[7][2] != "必填" {
		t.Fatalf("说明 = %q", help)
	}
}
