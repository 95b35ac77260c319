package sheet

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
)

// Record is one row of an integration list, shaped like one record of
// POST /api/v1/integrations/{system}/records so both doors share a code path.
type Record struct {
	Row       int
	StudentNo string
	AsOf      time.Time
	// Fields holds the system's fields under their API names (owed_cents,
	// borrowed, fine_cents, thesis_submitted, has_loan, settled, debt_cents):
	// whole numbers in decimal, booleans as "1" or "0". Every field of the
	// system is present.
	Fields map[string]string
}

// fieldKind says how a record cell is read.
type fieldKind int

const (
	kindCount fieldKind = iota // whole number >= 0
	kindCents                  // money: cents, or yuan in the alternative column
	kindFlag                   // 1|0|是|否|true|false
)

// recordField is one API field of a system's record. Money fields may come
// as cents or as yuan (yuan set), exactly one of the two columns per file.
type recordField struct {
	col  column
	yuan *column
	kind fieldKind
}

func money(key, label string) recordField {
	return recordField{
		col:  column{key: key, label: label + "(分)"},
		yuan: &column{key: strings.TrimSuffix(key, "_cents") + "_yuan", label: label + "(元)"},
		kind: kindCents,
	}
}

var (
	colAsOf = column{key: "as_of", label: "数据时间"}

	// recordFields lists, per system, the fields of API.md's Integrations section.
	recordFields = map[string][]recordField{
		"finance": {money("owed_cents", "欠费")},
		"library": {
			{col: column{key: "borrowed", label: "未还图书"}, kind: kindCount},
			money("fine_cents", "超期欠款"),
			{col: column{key: "thesis_submitted", label: "论文已提交"}, kind: kindFlag},
		},
		"loan": {
			{col: column{key: "has_loan", label: "有贷款"}, kind: kindFlag},
			{col: column{key: "settled", label: "已结清"}, kind: kindFlag},
		},
		"hospital": {money("debt_cents", "欠费")},
	}
)

// ParseRecords reads a list for system (finance|library|loan|hospital), so
// a system that cannot push signed records can still be fed by an upload.
// Columns: student_no/学号; as_of/数据时间 (optional, default now; RFC 3339,
// "2006-01-02 15:04:05", "2006-01-02" and the slash and 年月日 forms Excel and
// WPS show); and per system:
//   - finance: owed_cents/欠费(分) or owed_yuan/欠费(元)
//   - library: borrowed/未还图书, fine_cents/超期欠款(分) or fine_yuan/超期欠款(元),
//     thesis_submitted/论文已提交
//   - loan: has_loan/有贷款, settled/已结清
//   - hospital: debt_cents/欠费(分) or debt_yuan/欠费(元)
//
// Yuan become cents exactly ("12.5" -> "1250"; more than two decimals is a
// row error). Every column of the system is required and every cell of it
// must be filled: an empty amount is never taken as "owes nothing". Times
// without a zone are read in now's location. Like ParseRoster it returns all
// good rows and all row errors (a repeated student_no included); the error is
// file-level.
func ParseRecords(system, name string, r io.Reader, now time.Time) ([]Record, []RowError, error) {
	fields, ok := recordFields[system]
	if !ok {
		return nil, nil, domain.Errorf(domain.CodeInvalidArgument, "未知的对接系统 %s（应为 finance、library、loan 或 hospital）", shown(system))
	}
	known := []column{colStudentNo, colAsOf}
	for _, f := range fields {
		known = append(known, f.col)
		if f.yuan != nil {
			known = append(known, *f.yuan)
		}
	}
	header, rows, err := ReadRows(name, r)
	if err != nil {
		return nil, nil, err
	}
	idx, err := mapHeader(header, known)
	if err != nil {
		return nil, nil, err
	}
	if err := requireRecordColumns(idx, fields); err != nil {
		return nil, nil, err
	}
	if len(rows) == 0 {
		return nil, nil, domain.Errorf(domain.CodeInvalidArgument, "文件中没有数据：表头下方至少需要一行")
	}
	out := make([]Record, 0, len(rows))
	var bad []RowError
	firstRow := map[string]int{}
	for _, tr := range rows {
		rec, problems := parseRecord(tr, idx, fields, firstRow, now)
		if len(problems) > 0 {
			bad = append(bad, RowError{Row: tr.Row, Message: strings.Join(problems, "；")})
			continue
		}
		out = append(out, rec)
	}
	return out, bad, nil
}

func requireRecordColumns(idx columns, fields []recordField) error {
	var missing []string
	if !idx.has(colStudentNo.key) {
		missing = append(missing, colStudentNo.title())
	}
	for _, f := range fields {
		switch {
		case f.yuan == nil && !idx.has(f.col.key):
			missing = append(missing, f.col.title())
		case f.yuan == nil:
		case idx.has(f.col.key) && idx.has(f.yuan.key):
			return domain.Errorf(domain.CodeInvalidArgument, "%s 与 %s 只能保留一列", f.col.title(), f.yuan.title())
		case !idx.has(f.col.key) && !idx.has(f.yuan.key):
			missing = append(missing, f.col.title()+" 或 "+f.yuan.title())
		}
	}
	if len(missing) > 0 {
		return domain.Errorf(domain.CodeInvalidArgument, "缺少列：%s", strings.Join(missing, "、"))
	}
	return nil
}

func parseRecord(tr TableRow, idx columns, fields []recordField, firstRow map[string]int, now time.Time) (Record, []string) {
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	rec := Record{Row: tr.Row, StudentNo: idx.get(tr.Cells, colStudentNo.key), AsOf: now,
		Fields: make(map[string]string, len(fields)+1)}

	switch no := rec.StudentNo; {
	case no == "":
		fail("学号不能为空")
	case !validStudentNo(no):
		fail("学号 %s 格式不正确（应为 1–%d 位字母或数字）", shown(no), maxStudentNo)
	default:
		key := strings.ToUpper(no)
		if first, dup := firstRow[key]; dup {
			fail("学号 %s 与第 %d 行重复", no, first)
		} else {
			firstRow[key] = tr.Row
		}
	}
	if v := idx.get(tr.Cells, colAsOf.key); v != "" {
		if t, ok := parseTime(v, now.Location()); ok {
			rec.AsOf = t
		} else {
			fail("数据时间 %s 无法识别（应为 2006-01-02 15:04:05 或 2006-01-02）", shown(v))
		}
	}

	for _, f := range fields {
		c, yuan := f.col, false
		if f.yuan != nil && idx.has(f.yuan.key) {
			c, yuan = *f.yuan, true
		}
		v := idx.get(tr.Cells, c.key)
		if v == "" {
			fail("%s不能为空", c.label)
			continue
		}
		switch {
		case f.kind == kindFlag:
			if b, ok := parseFlag(v); ok {
				rec.Fields[f.col.key] = flagString(b)
			} else {
				fail("%s %s 无效（应为 是/否 或 1/0）", c.label, shown(v))
			}
		case yuan:
			if n, ok := parseYuan(v); ok {
				rec.Fields[f.col.key] = strconv.FormatInt(n, 10)
			} else {
				fail("%s %s 无效（应为不小于 0 的金额，最多两位小数）", c.label, shown(v))
			}
		default:
			if n, ok := parseCount(v); ok {
				rec.Fields[f.col.key] = strconv.FormatInt(n, 10)
			} else {
				fail("%s %s 无效（应为不小于 0 的整数）", c.label, shown(v))
			}
		}
	}
	return rec, problems
}
