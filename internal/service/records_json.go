package service

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/signing"
)

// MaxPushRecords bounds one push, so a request stays a few seconds of work;
// a system with more records splits them.
const MaxPushRecords = 5000

// Bounds that keep absurd values out of the stages' messages.
const (
	maxCents = 100_000_000_000 // one billion yuan
	maxCount = 1_000_000
)

type fieldKind int

const (
	fieldCents fieldKind = iota // integer cents >= 0
	fieldCount                  // integer >= 0
	fieldBool
)

// pushFields are the system fields of API.md's Integrations section; each
// is required (settled only when has_loan is true).
var pushFields = map[string][]struct {
	name string
	kind fieldKind
}{
	"finance":  {{"owed_cents", fieldCents}},
	"library":  {{"borrowed", fieldCount}, {"fine_cents", fieldCents}, {"thesis_submitted", fieldBool}},
	"loan":     {{"has_loan", fieldBool}, {"settled", fieldBool}},
	"hospital": {{"debt_cents", fieldCents}},
}

// parsePush reads a push body strictly. A body that is not
// {"records": [...]} is refused as a whole (nothing changes); a record with
// a bad field becomes a failed result and the others still apply.
func parsePush(system string, body []byte, now time.Time) ([]dataRecord, []RecordResult, error) {
	var req struct {
		Records *[]json.RawMessage `json:"records"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return nil, nil, &domain.Error{Code: domain.CodeInvalidArgument, Err: err,
			Message: `请求格式错误：应为 JSON {"records": [...]}` + jsonHint(err)}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, nil, domain.Errorf(domain.CodeInvalidArgument, "请求格式错误：JSON 之后有多余内容")
	}
	if req.Records == nil {
		return nil, nil, domain.Errorf(domain.CodeInvalidArgument, "请求格式错误：缺少 records 数组")
	}
	if n := len(*req.Records); n > MaxPushRecords {
		return nil, nil, domain.Errorf(domain.CodeInvalidArgument, "一次最多推送 %d 条记录（本次 %d 条），请分批推送", MaxPushRecords, n)
	}
	var good []dataRecord
	var bad []RecordResult
	for i, raw := range *req.Records {
		r, no, problems := parsePushRecord(system, raw, now)
		if len(problems) > 0 {
			idx := i
			bad = append(bad, RecordResult{Index: &idx, StudentNo: no, Code: string(domain.CodeInvalidArgument),
				Message: strings.Join(problems, "；")})
			continue
		}
		r.Index = i
		good = append(good, r)
	}
	return good, bad, nil
}

// jsonHint adds where a syntax error is, when the decoder knows.
func jsonHint(err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Sprintf("（第 %d 个字节附近语法错误）", syn.Offset)
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return "（未知字段 " + clipText(strings.Trim(f, `"`)) + "）"
	}
	return ""
}

// parsePushRecord validates one record and returns every problem it has.
func parsePushRecord(system string, raw json.RawMessage, now time.Time) (dataRecord, string, []string) {
	var r dataRecord
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return r, "", []string{"记录应为 JSON 对象"}
	}
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	present := func(name string) bool {
		v, ok := fields[name]
		return ok && string(bytes.TrimSpace(v)) != "null"
	}

	if !present("student_no") {
		fail("缺少 student_no")
	} else if err := json.Unmarshal(fields["student_no"], &r.StudentNo); err != nil || !studentNoPattern.MatchString(r.StudentNo) {
		r.StudentNo = ""
		fail("student_no 应为 1–20 位字母或数字")
	}
	var asOf string
	switch {
	case !present("as_of"):
		fail("缺少 as_of（数据时间，RFC 3339 格式）")
	case json.Unmarshal(fields["as_of"], &asOf) != nil:
		fail("as_of 应为字符串，如 2026-06-30T09:00:00+08:00")
	default:
		t, err := time.Parse(time.RFC3339, asOf)
		switch {
		case err != nil:
			fail("as_of %s 不是带时区的 RFC 3339 时间（如 2026-06-30T09:00:00+08:00）", clipText(asOf))
		case t.After(now.Add(signing.DefaultWindow)):
			fail("as_of %s 晚于服务器当前时间", clipText(asOf))
		default:
			r.AsOf = t
		}
	}
	if present("batch_id") {
		if err := json.Unmarshal(fields["batch_id"], &r.BatchID); err != nil || r.BatchID <= 0 {
			fail("batch_id 应为正整数")
		}
	}

	known := map[string]bool{"student_no": true, "as_of": true, "batch_id": true}
	for _, f := range pushFields[system] {
		known[f.name] = true
		if f.name == "settled" && !r.HasLoan && !present(f.name) {
			continue // no loan: nothing to settle
		}
		if !present(f.name) {
			fail("缺少 %s", f.name)
			continue
		}
		if msg := setField(&r, f.name, f.kind, fields[f.name]); msg != "" {
			fail("%s", msg)
		}
	}
	var unknown []string
	for name := range fields {
		if !known[name] {
			unknown = append(unknown, clipText(name))
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		fail("未知字段 %s（%s 系统的字段为 %s）", strings.Join(unknown, "、"), system, fieldNames(system))
	}
	return r, r.StudentNo, problems
}

// setField decodes one system field into r, or says in Chinese what is wrong.
func setField(r *dataRecord, name string, kind fieldKind, raw json.RawMessage) string {
	switch kind {
	case fieldBool:
		var b bool
		if json.Unmarshal(raw, &b) != nil {
			return name + " 应为 true 或 false"
		}
		switch name {
		case "thesis_submitted":
			r.ThesisSubmitted = b
		case "has_loan":
			r.HasLoan = b
		case "settled":
			r.Settled = b
		}
		return ""
	}
	var n int64
	limit := int64(maxCents)
	if kind == fieldCount {
		limit = maxCount
	}
	if json.Unmarshal(raw, &n) != nil || n < 0 || n > limit {
		if kind == fieldCents {
			return name + " 应为不小于 0 的整数（单位：分）"
		}
		return name + " 应为不小于 0 的整数"
	}
	switch name {
	case "owed_cents":
		r.OwedCents = n
	case "borrowed":
		r.Borrowed = n
	case "fine_cents":
		r.FineCents = n
	case "debt_cents":
		r.DebtCents = n
	}
	return ""
}

func fieldNames(system string) string {
	names := []string{"student_no", "as_of", "batch_id"}
	for _, f := range pushFields[system] {
		names = append(names, f.name)
	}
	return strings.Join(names, "、")
}
