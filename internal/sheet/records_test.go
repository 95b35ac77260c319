package sheet

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/lixiao/lixiao/internal/domain"
)

var cst = time.FixedZone("CST", 8*3600)

func TestParseRecords(t *testing.T) {
	now := time.Date(2026, 6, 30, 9, 0, 0, 0, cst)
	day := time.Date(2026, 6, 1, 0, 0, 0, 0, cst)
	tests := []struct {
		name, system string
		rows         [][]string
		want         []Record
	}{
		{"finance in yuan", "finance",
			[][]string{{"学号", "欠费(元)", "数据时间"}, {"1", "10", ""}, {"2", "0.5", "2026-06-01"}, {"3", "1,234.50", "2026-06-01T08:00:00+08:00"}},
			[]Record{
				{2, "1", now, map[string]string{"owed_cents": "1000"}},
				{3, "2", day, map[string]string{"owed_cents": "50"}},
				{4, "3", day.Add(8 * time.Hour), map[string]string{"owed_cents": "123450"}},
			}},
		{"finance in cents", "finance",
			[][]string{{"student_no", "owed_cents", "as_of"}, {"1", "0", "2026-06-01 08:30:00"}},
			[]Record{{2, "1", day.Add(8*time.Hour + 30*time.Minute), map[string]string{"owed_cents": "0"}}}},
		{"library", "library",
			[][]string{{"学号", "未还图书", "超期欠款（元）", "论文已提交"}, {"1", "2", "12.5", "是"}, {"2", "0", "0", "false"}},
			[]Record{
				{2, "1", now, map[string]string{"borrowed": "2", "fine_cents": "1250", "thesis_submitted": "1"}},
				{3, "2", now, map[string]string{"borrowed": "0", "fine_cents": "0", "thesis_submitted": "0"}},
			}},
		{"library in english with cents", "library",
			[][]string{{"student_no", "borrowed", "fine_cents", "thesis_submitted"}, {"1", "0", "1000", "1"}},
			[]Record{{2, "1", now, map[string]string{"borrowed": "0", "fine_cents": "1000", "thesis_submitted": "1"}}}},
		{"loan", "loan",
			[][]string{{"学号", "有贷款", "已结清", "数据时间"}, {"1", "1", "否", "2026/6/1"}, {"2", "0", "0", "2026年6月1日"}},
			[]Record{
				{2, "1", day, map[string]string{"has_loan": "1", "settled": "0"}},
				{3, "2", day, map[string]string{"has_loan": "0", "settled": "0"}},
			}},
		{"hospital", "hospital",
			[][]string{{"学号", "欠费(分)"}, {"1", "250"}},
			[]Record{{2, "1", now, map[string]string{"debt_cents": "250"}}}},
	}
	for _, tt := range tests {
		for _, name := range []string{"list.xlsx", "list.csv"} {
			t.Run(tt.name+" "+name, func(t *testing.T) {
				got, bad, err := ParseRecords(tt.system, name, bytes.NewReader(file(t, name, tt.rows)), now)
				if err != nil {
					t.Fatal(err)
				}
				if len(bad) != 0 {
					t.Fatalf("row errors: %+v", bad)
				}
				if len(got) != len(tt.want) {
					t.Fatalf("got %+v, want %+v", got, tt.want)
				}
				for i := range got {
					if !got[i].AsOf.Equal(tt.want[i].AsOf) {
						t.Errorf("row %d as_of = %v, want %v", got[i].Row, got[i].AsOf, tt.want[i].AsOf)
					}
					got[i].AsOf = tt.want[i].AsOf
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Fatalf("got %+v, want %+v", got, tt.want)
				}
			})
		}
	}
}

func TestParseRecordsRowErrors(t *testing.T) {
	now := time.Date(2026, 6, 30, 9, 0, 0, 0, cst)
	rows := [][]string{
		{"学号", "未还图书", "超期欠款(元)", "论文已提交", "数据时间"},
		{"1", "0", "1.234", "是", ""},
		{"2", "-1", "", "也许", "明天"},
		{"", "1.5", "-3", "1", ""},
		{"1", "0", "1.230", "1", ""},
		{"3", "3.00", "¥5", "TRUE", ""},
	}
	got, bad, err := ParseRecords("library", "l.csv", bytes.NewReader(file(t, "l.csv", rows)), now)
	if err != nil {
		t.Fatal(err)
	}
	want := []RowError{
		{2, "超期欠款(元) 1.234 无效（应为不小于 0 的金额，最多两位小数）"},
		{3, "数据时间 明天 无法识别（应为 2006-01-02 15:04:05 或 2006-01-02）；未还图书 -1 无效（应为不小于 0 的整数）；超期欠款(元)不能为空；论文已提交 也许 无效（应为 是/否 或 1/0）"},
		{4, "学号不能为空；未还图书 1.5 无效（应为不小于 0 的整数）；超期欠款(元) -3 无效（应为不小于 0 的金额，最多两位小数）"},
		{5, "学号 1 与第 2 行重复"},
	}
	if !reflect.DeepEqual(bad, want) {
		t.Fatalf("errors:\n got %+v\nwant %+v", bad, want)
	}
	if len(got) != 1 || got[0].Row != 6 || !reflect.DeepEqual(got[0].Fields,
		map[string]string{"borrowed": "3", "fine_cents": "500", "thesis_submitted": "1"}) {
		t.Fatalf("good = %+v", got)
	}
}

func TestParseRecordsFileErrors(t *testing.T) {
	now := time.Now()
	tests := []struct {
		name, system string
		header       []string
		message      string
	}{
		{"unknown system", "dorm", []string{"学号"}, "未知的对接系统 dorm（应为 finance、library、loan 或 hospital）"},
		{"no amount", "finance", []string{"学号"}, "缺少列：欠费(分)(owed_cents) 或 欠费(元)(owed_yuan)"},
		{"both amounts", "hospital", []string{"学号", "debt_cents", "欠费(元)"}, "欠费(分)(debt_cents) 与 欠费(元)(debt_yuan) 只能保留一列"},
		{"library partial", "library", []string{"借书", "未还图书"}, "缺少列：学号(student_no)、超期欠款(分)(fine_cents) 或 超期欠款(元)(fine_yuan)、论文已提交(thesis_submitted)"},
		{"loan partial", "loan", []string{"学号", "has_loan"}, "缺少列：已结清(settled)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := file(t, "a.xlsx", [][]string{tt.header, {"1"}})
			_, _, err := ParseRecords(tt.system, "a.xlsx", bytes.NewReader(data), now)
			e, ok := domain.AsError(err)
			if !ok || e.Code != domain.CodeInvalidArgument || e.Message != tt.message {
				t.Fatalf("err = %v, want %q", err, tt.message)
			}
		})
	}
}

// TestParseRecordsDateCell covers an as_of typed into Excel as a date.
func TestParseRecordsDateCell(t *testing.T) {
	now := time.Date(2026, 6, 30, 9, 0, 0, 0, cst)
	f := excelize.NewFile()
	defer f.Close()
	_ = f.SetSheetRow("Sheet1", "A1", &[]any{"学号", "欠费(分)", "数据时间"})
	_ = f.SetSheetRow("Sheet1", "A2", &[]any{"1", 100, time.Date(2026, 6, 3, 0, 0, 0, 0, time.UTC)})
	_ = f.SetSheetRow("Sheet1", "A3", &[]any{"2", 100, time.Date(2026, 6, 2, 14, 30, 0, 0, time.UTC)})
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	got, bad, err := ParseRecords("hospital", "h.xlsx", &buf, now)
	if err != nil || len(bad) != 0 || len(got) != 2 {
		t.Fatalf("got %+v, bad %+v, err %v", got, bad, err)
	}
	for i, want := range []time.Time{time.Date(2026, 6, 3, 0, 0, 0, 0, cst), time.Date(2026, 6, 2, 14, 30, 0, 0, cst)} {
		if !got[i].AsOf.Equal(want) {
			t.Errorf("row %d as_of = %v, want %v", got[i].Row, got[i].AsOf, want)
		}
	}
}

func TestParseYuan(t *testing.T) {
	tests := []struct {
		in    string
		cents int64
		ok    bool
	}{
		{"10", 1000, true}, {"0.5", 50, true}, {"12.5", 1250, true}, {"0.01", 1, true},
		{"0.1", 10, true}, {"19.99", 1999, true}, {".5", 50, true}, {"5.", 500, true},
		{"1.230", 123, true}, {"1,000.00", 100000, true}, {"￥3", 300, true}, {"0", 0, true},
		{"99999999999.99", 9999999999999, true},
		{"1.234", 0, false}, {"", 0, false}, {".", 0, false}, {"-1", 0, false}, {"1e3", 0, false},
		{"1.2.3", 0, false}, {"abc", 0, false}, {"100000000000", 0, false}, {"1 0", 0, false},
	}
	for _, tt := range tests {
		cents, ok := parseYuan(tt.in)
		if cents != tt.cents || ok != tt.ok {
			t.Errorf("parseYuan(%q) = %d, %v; want %d, %v", tt.in, cents, ok, tt.cents, tt.ok)
		}
	}
}
