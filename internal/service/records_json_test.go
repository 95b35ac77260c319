package service

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
)

func TestParsePush(t *testing.T) {
	now := time.Date(2026, 6, 30, 9, 0, 0, 0, time.UTC)
	const asOf = `"as_of":"2026-06-30T08:00:00+08:00"`
	tests := []struct {
		name    string
		system  string
		body    string
		wantErr string // whole request refused, substring of the message
		good    int
		bad     map[int]string // index -> substring of the record's message
	}{
		{name: "finance", system: "finance", body: `{"records":[{"student_no":"S001",` + asOf + `,"owed_cents":0}]}`, good: 1},
		{name: "empty list", system: "finance", body: `{"records":[]}`},
		{name: "not json", system: "finance", body: `owed`, wantErr: "应为 JSON"},
		{name: "truncated", system: "finance", body: `{"records":[`, wantErr: "应为 JSON"},
		{name: "no records", system: "finance", body: `{}`, wantErr: "缺少 records"},
		{name: "records not array", system: "finance", body: `{"records":{}}`, wantErr: "应为 JSON"},
		{name: "unknown top-level field", system: "finance", body: `{"records":[],"x":1}`, wantErr: "未知字段 x"},
		{name: "two values", system: "finance", body: `{"records":[]}{}`, wantErr: "多余内容"},
		{name: "too many", system: "finance", body: manyRecords(MaxPushRecords + 1), wantErr: "最多推送 5000 条"},
		{name: "at the limit", system: "finance", body: manyRecords(MaxPushRecords), good: MaxPushRecords},
		{name: "bad records among good", system: "finance", good: 1, body: `{"records":[
			{"student_no":"S001",` + asOf + `,"owed_cents":0},
			{"student_no":"S002",` + asOf + `,"owed_cents":-1},
			{"student_no":"S003",` + asOf + `,"owed_cents":12.5},
			{"student_no":"S004",` + asOf + `,"owed_cents":"100"},
			{"student_no":"S005",` + asOf + `},
			{"student_no":"S006","as_of":"2026-06-30 08:00:00","owed_cents":0},
			{"student_no":"S007","owed_cents":0},
			{"student_no":"S 8",` + asOf + `,"owed_cents":0},
			{"student_no":"S009",` + asOf + `,"owed_cents":0,"owed_yuan":0},
			[1,2],
			{"student_no":"S011","as_of":"2026-07-01T09:00:00Z","owed_cents":0},
			{"student_no":"S012",` + asOf + `,"owed_cents":null},
			{"student_no":"S013",` + asOf + `,"owed_cents":0,"batch_id":0}
		]}`, bad: map[int]string{
			1: "owed_cents 应为不小于 0 的整数", 2: "owed_cents 应为不小于 0 的整数", 3: "owed_cents 应为不小于 0 的整数",
			4: "缺少 owed_cents", 5: "不是带时区的 RFC 3339 时间", 6: "缺少 as_of", 7: "student_no 应为",
			8: "未知字段 owed_yuan", 9: "记录应为 JSON 对象", 10: "晚于服务器当前时间", 11: "缺少 owed_cents",
			12: "batch_id 应为正整数",
		}},
		{name: "library", system: "library", good: 1, body: `{"records":[
			{"student_no":"S001",` + asOf + `,"borrowed":0,"fine_cents":0,"thesis_submitted":true},
			{"student_no":"S002",` + asOf + `,"borrowed":0,"fine_cents":0,"thesis_submitted":"yes"},
			{"student_no":"S003",` + asOf + `,"fine_cents":0,"thesis_submitted":true}
		]}`, bad: map[int]string{1: "thesis_submitted 应为 true 或 false", 2: "缺少 borrowed"}},
		{name: "loan without loan needs no settled", system: "loan", good: 2, body: `{"records":[
			{"student_no":"S001",` + asOf + `,"has_loan":false},
			{"student_no":"S002",` + asOf + `,"has_loan":true,"settled":true},
			{"student_no":"S003",` + asOf + `,"has_loan":true}
		]}`, bad: map[int]string{2: "缺少 settled"}},
		{name: "hospital with batch", system: "hospital", good: 1,
			body: `{"records":[{"student_no":"S001",` + asOf + `,"debt_cents":250,"batch_id":7}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			good, bad, err := parsePush(tt.system, []byte(tt.body), now)
			if tt.wantErr != "" {
				if domain.ErrorCode(err) != domain.CodeInvalidArgument || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want invalid_argument containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(good) != tt.good || len(bad) != len(tt.bad) {
				t.Fatalf("good=%d bad=%d (%+v), want %d and %d", len(good), len(bad), bad, tt.good, len(tt.bad))
			}
			for _, b := range bad {
				want, ok := tt.bad[*b.Index]
				if !ok || !strings.Contains(b.Message, want) || b.Code != "invalid_argument" || b.OK {
					t.Errorf("record %d: %+v, want message containing %q", *b.Index, b, want)
				}
			}
		})
	}
}

func TestParsePushValues(t *testing.T) {
	now := time.Date(2026, 6, 30, 9, 0, 0, 0, time.UTC)
	good, _, err := parsePush("library", []byte(`{"records":[{"student_no":"S001","as_of":"2026-06-30T08:00:00+08:00",
		"borrowed":3,"fine_cents":1250,"thesis_submitted":true,"batch_id":4}]}`), now)
	if err != nil || len(good) != 1 {
		t.Fatalf("%v %v", good, err)
	}
	r := good[0]
	want := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	if r.StudentNo != "S001" || !r.AsOf.Equal(want) || r.Borrowed != 3 || r.FineCents != 1250 || !r.ThesisSubmitted || r.BatchID != 4 {
		t.Fatalf("record = %+v", r)
	}
}

func manyRecords(n int) string {
	var b strings.Builder
	b.WriteString(`{"records":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"student_no":"S%05d","as_of":"2026-06-30T08:00:00Z","owed_cents":%d}`, i, i)
	}
	b.WriteString(`]}`)
	return b.String()
}
