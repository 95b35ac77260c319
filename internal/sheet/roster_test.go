package sheet

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/lixiao/lixiao/internal/domain"
)

var (
	enHeader = []string{"student_no", "name", "college", "degree", "departure_type", "campus", "id_last6", "supervisor_staff_no", "party_member", "has_loan"}
	zhHeader = []string{"学号", "姓名", "学院", "学位", "离校类型", "校区", "身份证后六位", "导师工号", "党员", "助学贷款"}
)

// wantGood is what goodRows parse to, starting at row 2.
var wantGood = []RosterRow{
	{Row: 2, IDLast6: "012345", Student: domain.Student{StudentNo: "2024001", Name: "张三", College: "计算机学院",
		Degree: domain.DegreeMaster, DepartureType: domain.DepartureGraduated, Campus: domain.CampusA,
		SupervisorStaffNo: "T01", PartyMember: true}},
	{Row: 3, IDLast6: "54321X", Student: domain.Student{StudentNo: "B2024002", Name: "李四", College: "法学院",
		Degree: domain.DegreeDoctor, DepartureType: domain.DepartureCompleted, Campus: domain.CampusHuxi,
		HasLoan: true}},
	{Row: 4, IDLast6: "111111", Student: domain.Student{StudentNo: "2024003", Name: "王五", College: "法学院",
		Degree: domain.DegreeMaster, DepartureType: domain.DepartureWithdrawn, Campus: domain.CampusB}},
}

func TestParseRosterGood(t *testing.T) {
	en := [][]string{
		enHeader,
		{"2024001", "张三", "计算机学院", "master", "graduated", "A", "012345", "T01", "1", "0"},
		{"B2024002", "李四", "法学院", "DOCTOR", "completed", "HUXI", "54321x", "", "false", "TRUE"},
		{"2024003", "王五", "法学院", "master", "withdrawn", "b", " 111111 ", "", "", ""},
	}
	zh := [][]string{
		zhHeader,
		{"2024001", "张三", "计算机学院", "硕士", "毕业", "A区", "012345", "T01", "是", "否"},
		{"B2024002", "李四", "法学院", "博士", "结业", "虎溪校区", "54321X", "", "否", "是"},
		{"2024003", "王五", "法学院", "硕士", "退学", "B区", "111111", "", "", ""},
	}
	// Shuffled columns, odd spacing, full-width brackets, an unknown column,
	// and the optional columns left out.
	mixed := [][]string{
		{" 校区 ", "身份证后六位（id_last6）", "备注", "Name", "学号(student_no)", "college", "学位", "departure_type", "导师工号", "党员", "助学贷款"},
		{"a区", "012345", "x", "张三", "2024001", "计算机学院", "硕士", "毕业", "T01", "1", "0"},
		{"虎溪", "54321X", "", "李四", "B2024002", "法学院", "doctor", "结业", "", "0", "1"},
		{"B", "111111", "y", "王五", "2024003", "法学院", "Master", "退学", "", "", ""},
	}
	tests := []struct {
		name, file string
		data       []byte
	}{
		{"english xlsx", "roster.xlsx", file(t, "x.xlsx", en)},
		{"chinese xlsx", "名单.xlsx", file(t, "x.xlsx", zh)},
		{"english csv", "roster.csv", file(t, "x.csv", en)},
		{"chinese csv", "名单.CSV", file(t, "x.csv", zh)},
		{"chinese csv with BOM", "名单.csv", append([]byte("\ufeff"), file(t, "x.csv", zh)...)},
		{"mixed headers xlsx", "m.xlsx", file(t, "x.xlsx", mixed)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, bad, err := ParseRoster(tt.file, bytes.NewReader(tt.data), RosterOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(bad) != 0 {
				t.Fatalf("row errors: %+v", bad)
			}
			if !reflect.DeepEqual(got, wantGood) {
				t.Fatalf("got  %+v\nwant %+v", got, wantGood)
			}
		})
	}
}

func TestParseRosterThreeBadRows(t *testing.T) {
	rows := [][]string{
		zhHeader,
		{"2024001", "张三", "计算机学院", "硕士", "毕业", "A区", "012345", "", "", ""},
		{"2024002", "", "计算机学院", "学士", "毕业", "A区", "12345", "", "", ""}, // row 3: three problems
		{"2024003", "王五", "法学院", "博士", "退学", "B区", "111111", "", "", ""},
		nil, // row 5 empty: skipped, numbering kept
		{"2024004", "赵六", "法学院", "博士", "结业", "C区", "222222", "", "", ""}, // row 6
		{"2024005", "钱七", "法学院", "博士", "结业", "虎溪", "333333", "", "", ""},
		{"2024001", "孙八", "法学院", "博士", "结业", "虎溪", "444444", "", "", ""}, // row 8: duplicate
	}
	for _, name := range []string{"a.xlsx", "a.csv"} {
		t.Run(name, func(t *testing.T) {
			data := file(t, name, rows)
			good, bad, err := ParseRoster(name, bytes.NewReader(data), RosterOptions{})
			if err != nil {
				t.Fatal(err)
			}
			want := []RowError{
				{3, "姓名不能为空；学位 学士 无效（应为 硕士 或 博士）；身份证后六位格式不正确（只有 5 位：开头的 0 可能被 Excel 去掉了，请将该列设置为文本格式后重新填写）"},
				{6, "校区 C区 无效（应为 A区、B区 或 虎溪校区）"},
				{8, "学号 2024001 与第 2 行重复"},
			}
			if !reflect.DeepEqual(bad, want) {
				t.Fatalf("errors:\n got %+v\nwant %+v", bad, want)
			}
			var nos []string
			var rowNums []int
			for _, g := range good {
				nos = append(nos, g.Student.StudentNo)
				rowNums = append(rowNums, g.Row)
			}
			if !reflect.DeepEqual(nos, []string{"2024001", "2024003", "2024005"}) || !reflect.DeepEqual(rowNums, []int{2, 4, 7}) {
				t.Fatalf("good rows = %v at %v", nos, rowNums)
			}
		})
	}
}

func TestParseRosterRowMessages(t *testing.T) {
	valid := map[string]string{"学号": "2024001", "姓名": "张三", "学院": "法学院", "学位": "硕士",
		"离校类型": "毕业", "校区": "A区", "身份证后六位": "012345", "导师工号": "", "党员": "", "助学贷款": ""}
	tests := []struct {
		name    string
		set     map[string]string
		message string
	}{
		{"empty student_no", map[string]string{"学号": ""}, "学号不能为空"},
		{"bad student_no", map[string]string{"学号": "2024-01"}, "学号 2024-01 格式不正确（应为 1–20 位字母或数字）"},
		{"long student_no", map[string]string{"学号": strings.Repeat("1", 21)}, "学号 111111111111111111111 格式不正确（应为 1–20 位字母或数字）"},
		{"empty college", map[string]string{"学院": ""}, "学院不能为空"},
		{"long name", map[string]string{"姓名": strings.Repeat("名", 65)}, "姓名 " + strings.Repeat("名", 32) + "… 过长（最多 64 个字）"},
		{"empty degree", map[string]string{"学位": ""}, "学位不能为空"},
		{"bad departure", map[string]string{"离校类型": "休学"}, "离校类型 休学 无效（应为 毕业、结业、肄业 或 退学）"},
		{"empty campus", map[string]string{"校区": ""}, "校区不能为空"},
		{"empty id", map[string]string{"身份证后六位": ""}, "身份证后六位不能为空"},
		{"id with letter inside", map[string]string{"身份证后六位": "12X456"}, "身份证后六位格式不正确（应为 6 位：前 5 位为数字，末位为数字或 X）"},
		{"id too long", map[string]string{"身份证后六位": "9234567"}, "身份证后六位格式不正确（应为 6 位：前 5 位为数字，末位为数字或 X）"},
		{"bad party flag", map[string]string{"党员": "预备"}, "党员 预备 无效（应为 是/否 或 1/0）"},
		{"bad loan flag", map[string]string{"助学贷款": "2"}, "助学贷款 2 无效（应为 是/否 或 1/0）"},
		{"not a supervisor", map[string]string{"导师工号": "S99"}, "导师工号 S99 不是导师账号"},
		{"several", map[string]string{"学号": "", "校区": "D", "党员": "x"}, "学号不能为空；校区 D 无效（应为 A区、B区 或 虎溪校区）；党员 x 无效（应为 是/否 或 1/0）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row := make([]string, len(zhHeader))
			for i, h := range zhHeader {
				row[i] = valid[h]
				if v, ok := tt.set[h]; ok {
					row[i] = v
				}
			}
			data := file(t, "a.csv", [][]string{zhHeader, row})
			isSup := func(no string) bool { return no == "T01" }
			good, bad, err := ParseRoster("a.csv", bytes.NewReader(data), RosterOptions{IsSupervisor: isSup})
			if err != nil {
				t.Fatal(err)
			}
			if len(good) != 0 || len(bad) != 1 || bad[0] != (RowError{2, tt.message}) {
				t.Fatalf("good=%d bad=%+v, want row 2 %q", len(good), bad, tt.message)
			}
			if id := tt.set["身份证后六位"]; id != "" && strings.Contains(bad[0].Message, id) {
				t.Fatalf("message echoes the ID digits: %q", bad[0].Message)
			}
		})
	}
}

func TestParseRosterSupervisorLookedUpOnce(t *testing.T) {
	rows := [][]string{zhHeader}
	for i, sup := range []string{"T01", "T01", "T02", "T01", "T02"} {
		rows = append(rows, []string{"S" + string(rune('0'+i)), "某", "法学院", "硕士", "毕业", "A区", "123456", sup, "", ""})
	}
	calls := map[string]int{}
	isSup := func(no string) bool { calls[no]++; return no == "T01" }
	good, bad, err := ParseRoster("a.csv", bytes.NewReader(file(t, "a.csv", rows)), RosterOptions{IsSupervisor: isSup})
	if err != nil {
		t.Fatal(err)
	}
	if len(good) != 3 || len(bad) != 2 || bad[0].Row != 4 || bad[1].Row != 6 {
		t.Fatalf("good=%d bad=%+v", len(good), bad)
	}
	if calls["T01"] != 1 || calls["T02"] != 1 {
		t.Fatalf("IsSupervisor calls = %v, want one per staff number", calls)
	}
}

// TestParseRosterNumericCells covers numbers Excel stored as numbers: they
// must come through as the text the user sees.
func TestParseRosterNumericCells(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	header := []any{}
	for _, h := range zhHeader[:7] {
		header = append(header, h)
	}
	_ = f.SetSheetRow("Sheet1", "A1", &header)
	_ = f.SetSheetRow("Sheet1", "A2", &[]any{202401234567, "张三", "法学院", "硕士", "毕业", "A区", 123456})
	_ = f.SetSheetRow("Sheet1", "A3", &[]any{2024002, "李四", "法学院", "硕士", "毕业", "A区", 12345})
	_ = f.SetSheetRow("Sheet1", "A4", &[]any{2024003, "王五", "法学院", "硕士", "毕业", "A区", 23456})
	six := "000000"
	style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &six})
	if err != nil {
		t.Fatal(err)
	}
	_ = f.SetCellStyle("Sheet1", "G3", "G3", style) // shows 012345
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	good, bad, err := ParseRoster("n.xlsx", &buf, RosterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(good) != 2 || good[0].Student.StudentNo != "202401234567" || good[0].IDLast6 != "123456" ||
		good[1].Student.StudentNo != "2024002" || good[1].IDLast6 != "012345" {
		t.Fatalf("good = %+v", good)
	}
	// A plain number cell lost its leading 0: reported, never guessed.
	if len(bad) != 1 || bad[0].Row != 4 || !strings.Contains(bad[0].Message, "只有 5 位") {
		t.Fatalf("bad = %+v", bad)
	}
}

func TestParseRosterFileErrors(t *testing.T) {
	tests := []struct {
		name, file string
		rows       [][]string
		message    string
	}{
		{"missing one column", "a.xlsx", [][]string{{"学号", "姓名", "学院", "学位", "离校类型", "校区"}, {"1"}}, "缺少列：身份证后六位(id_last6)"},
		{"missing several", "a.csv", [][]string{{"student_no", "name", "college", "degree"}, {"1"}}, "缺少列：离校类型(departure_type)、校区(campus)、身份证后六位(id_last6)"},
		{"repeated column", "a.csv", [][]string{append([]string{"姓名"}, zhHeader...), {"1"}}, "列重复：姓名(name)"},
		{"header only", "a.xlsx", [][]string{zhHeader}, "文件中没有学生数据：表头下方至少需要一行"},
		{"unknown extension", "a.txt", [][]string{zhHeader}, "仅支持 .xlsx 或 .csv 文件"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := file(t, strings.Replace(tt.file, ".txt", ".csv", 1), tt.rows)
			_, _, err := ParseRoster(tt.file, bytes.NewReader(data), RosterOptions{})
			e, ok := domain.AsError(err)
			if !ok || e.Code != domain.CodeInvalidArgument || e.Message != tt.message {
				t.Fatalf("err = %v, want %q", err, tt.message)
			}
		})
	}
}

func TestParseRosterDuplicateIgnoresCase(t *testing.T) {
	rows := [][]string{zhHeader,
		{"ab01", "甲", "法学院", "硕士", "毕业", "A区", "123456"},
		{"AB01", "乙", "法学院", "硕士", "毕业", "A区", "123456"},
		{"AB01", "丙", "法学院", "硕士", "毕业", "A区", "123456"},
	}
	good, bad, err := ParseRoster("a.csv", bytes.NewReader(file(t, "a.csv", rows)), RosterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []RowError{{3, "学号 AB01 与第 2 行重复"}, {4, "学号 AB01 与第 2 行重复"}}
	if len(good) != 1 || !reflect.DeepEqual(bad, want) {
		t.Fatalf("good=%d bad=%+v", len(good), bad)
	}
}
