package sheet

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/lixiao/lixiao/internal/domain"
)

// RowError is one row's problems, in Chinese, for the import response's
// "errors": [{"row", "message"}]. Row is the spreadsheet row number as the
// user sees it (header = 1, first data row = 2).
type RowError struct {
	Row     int    `json:"row"`
	Message string `json:"message"`
}

// RosterRow is one valid roster row, ready for the caller to hash IDLast6
// into Student.IDHash and store. Student.BatchID is zero.
type RosterRow struct {
	Row     int
	Student domain.Student
	// IDLast6 is trimmed with a trailing x upper-cased to X. It must never be
	// stored or logged as is.
	IDLast6 string
}

// RosterOptions lets the caller check what the file cannot tell by itself.
type RosterOptions struct {
	// IsSupervisor reports whether staffNo is a supervisor account; nil = do not check.
	IsSupervisor func(staffNo string) bool
}

// The roster columns of API.md, in template order.
var (
	colStudentNo     = column{key: "student_no", label: "学号"}
	colName          = column{key: "name", label: "姓名"}
	colCollege       = column{key: "college", label: "学院"}
	colDegree        = column{key: "degree", label: "学位"}
	colDepartureType = column{key: "departure_type", label: "离校类型"}
	colCampus        = column{key: "campus", label: "校区"}
	colIDLast6       = column{key: "id_last6", label: "身份证后六位"}
	colSupervisor    = column{key: "supervisor_staff_no", label: "导师工号"}
	colPartyMember   = column{key: "party_member", label: "党员"}
	colHasLoan       = column{key: "has_loan", label: "助学贷款"}

	rosterColumns = []column{colStudentNo, colName, colCollege, colDegree, colDepartureType,
		colCampus, colIDLast6, colSupervisor, colPartyMember, colHasLoan}
	rosterRequired = rosterColumns[:7]
)

// Accepted spellings, keyed lower-case (latin values are case-insensitive).
var (
	degrees = map[string]domain.Degree{
		"master": domain.DegreeMaster, "硕士": domain.DegreeMaster,
		"doctor": domain.DegreeDoctor, "博士": domain.DegreeDoctor,
	}
	departureTypes = map[string]domain.DepartureType{
		"graduated": domain.DepartureGraduated, "毕业": domain.DepartureGraduated,
		"completed": domain.DepartureCompleted, "结业": domain.DepartureCompleted,
		"incomplete": domain.DepartureIncomplete, "肄业": domain.DepartureIncomplete,
		"withdrawn": domain.DepartureWithdrawn, "退学": domain.DepartureWithdrawn,
	}
	campuses = map[string]domain.Campus{
		"a": domain.CampusA, "a区": domain.CampusA, "a校区": domain.CampusA,
		"b": domain.CampusB, "b区": domain.CampusB, "b校区": domain.CampusB,
		"huxi": domain.CampusHuxi, "虎溪": domain.CampusHuxi, "虎溪校区": domain.CampusHuxi,
	}
)

// Length limits that keep garbage out of the database columns.
const (
	maxStudentNo = 20
	maxText      = 64
)

// ParseRoster validates every row and returns all good rows and ALL row errors (it does not stop at the first).
// The error is file-level: unknown extension, unreadable file, missing or
// repeated column, no data rows. Each RowError holds all of its row's
// problems joined with "；"; a row with any problem is not among the good rows.
func ParseRoster(name string, r io.Reader, opt RosterOptions) ([]RosterRow, []RowError, error) {
	header, rows, err := ReadRows(name, r)
	if err != nil {
		return nil, nil, err
	}
	idx, err := mapHeader(header, rosterColumns)
	if err != nil {
		return nil, nil, err
	}
	if err := idx.require(rosterRequired...); err != nil {
		return nil, nil, err
	}
	if len(rows) == 0 {
		return nil, nil, domain.Errorf(domain.CodeInvalidArgument, "文件中没有学生数据：表头下方至少需要一行")
	}
	p := rosterParser{idx: idx, opt: opt, firstRow: map[string]int{}, supervisor: map[string]bool{}}
	good := make([]RosterRow, 0, len(rows))
	var bad []RowError
	for _, tr := range rows {
		rr, problems := p.row(tr)
		if len(problems) > 0 {
			bad = append(bad, RowError{Row: tr.Row, Message: strings.Join(problems, "；")})
			continue
		}
		good = append(good, rr)
	}
	return good, bad, nil
}

type rosterParser struct {
	idx columns
	opt RosterOptions
	// firstRow remembers where each student number (upper-cased: MySQL
	// compares case-insensitively) first appeared.
	firstRow map[string]int
	// supervisor caches IsSupervisor: many students share a supervisor.
	supervisor map[string]bool
}

func (p *rosterParser) row(tr TableRow) (RosterRow, []string) {
	get := func(c column) string { return p.idx.get(tr.Cells, c.key) }
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	s := domain.Student{
		StudentNo:         get(colStudentNo),
		Name:              get(colName),
		College:           get(colCollege),
		SupervisorStaffNo: get(colSupervisor),
	}

	switch no := s.StudentNo; {
	case no == "":
		fail("学号不能为空")
	case !validStudentNo(no):
		fail("学号 %s 格式不正确（应为 1–%d 位字母或数字）", shown(no), maxStudentNo)
	default:
		key := strings.ToUpper(no)
		if first, dup := p.firstRow[key]; dup {
			fail("学号 %s 与第 %d 行重复", no, first)
		} else {
			p.firstRow[key] = tr.Row
		}
	}
	required := func(c column, v string) bool {
		switch {
		case v == "":
			fail("%s不能为空", c.label)
		case utf8.RuneCountInString(v) > maxText:
			fail("%s %s 过长（最多 %d 个字）", c.label, shown(v), maxText)
		default:
			return true
		}
		return false
	}
	required(colName, s.Name)
	required(colCollege, s.College)
	enum(get(colDegree), degrees, &s.Degree, colDegree, "硕士 或 博士", fail)
	enum(get(colDepartureType), departureTypes, &s.DepartureType, colDepartureType, "毕业、结业、肄业 或 退学", fail)
	enum(get(colCampus), campuses, &s.Campus, colCampus, "A区、B区 或 虎溪校区", fail)

	id := normIDLast6(get(colIDLast6))
	switch {
	case id == "":
		fail("身份证后六位不能为空")
	case !validIDLast6(id):
		// Never echo the digits. Five digits mean Excel dropped a leading 0
		// (birthdays on days 01–09).
		if len(id) == 5 && allDigits(id) {
			fail("身份证后六位格式不正确（只有 5 位：开头的 0 可能被 Excel 去掉了，请将该列设置为文本格式后重新填写）")
		} else {
			fail("身份证后六位格式不正确（应为 6 位：前 5 位为数字，末位为数字或 X）")
		}
	}

	if sup := s.SupervisorStaffNo; sup != "" {
		if utf8.RuneCountInString(sup) > maxText {
			fail("%s %s 过长（最多 %d 个字）", colSupervisor.label, shown(sup), maxText)
		} else if !p.isSupervisor(sup) {
			fail("导师工号 %s 不是导师账号", sup)
		}
	}
	flag(get(colPartyMember), &s.PartyMember, colPartyMember, fail)
	flag(get(colHasLoan), &s.HasLoan, colHasLoan, fail)
	return RosterRow{Row: tr.Row, Student: s, IDLast6: id}, problems
}

func (p *rosterParser) isSupervisor(staffNo string) bool {
	if p.opt.IsSupervisor == nil {
		return true
	}
	ok, seen := p.supervisor[staffNo]
	if !seen {
		ok = p.opt.IsSupervisor(staffNo)
		p.supervisor[staffNo] = ok
	}
	return ok
}

// enum looks v up case-insensitively and stores it in dst, or reports it.
func enum[T any](v string, allowed map[string]T, dst *T, c column, want string, fail func(string, ...any)) {
	if v == "" {
		fail("%s不能为空", c.label)
		return
	}
	val, ok := allowed[strings.ToLower(v)]
	if !ok {
		fail("%s %s 无效（应为 %s）", c.label, shown(v), want)
		return
	}
	*dst = val
}

// flag reads an optional yes/no cell: empty means no.
func flag(v string, dst *bool, c column, fail func(string, ...any)) {
	if v == "" {
		return
	}
	val, ok := parseFlag(v)
	if !ok {
		fail("%s %s 无效（应为 是/否 或 1/0）", c.label, shown(v))
		return
	}
	*dst = val
}

func validStudentNo(s string) bool {
	if len(s) == 0 || len(s) > maxStudentNo {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// normIDLast6 upper-cases a trailing x, as binding compares it.
func normIDLast6(s string) string {
	if strings.HasSuffix(s, "x") {
		return s[:len(s)-1] + "X"
	}
	return s
}

func validIDLast6(s string) bool {
	if len(s) != 6 || !allDigits(s[:5]) {
		return false
	}
	return allDigits(s[5:]) || s[5] == 'X'
}
