package service

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/sheet"
)

func TestBulkClear(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		wg := h.staff("wx-wg", domain.RoleStaff, domain.StageCollegeWorkgroup, "计算机学院", "")
		if _, err := h.svc.ClearStage(h.ctx, wg, domain.StageCollegeWorkgroup, StageRequest{StudentNo: "S002"}); err != nil {
			t.Fatal(err)
		}
		res, err := h.svc.BulkClear(h.ctx, wg, domain.StageCollegeWorkgroup, BulkRequest{Note: "名单办理",
			Rows: BulkRowsOf([]string{"S001", " S002 ", "S003", "NOPE9", "", "S001", "bad no"})})
		if err != nil {
			t.Fatal(err)
		}
		want := []BulkRowResult{
			{Row: 1, StudentNo: "S001", Changed: true, Status: "cleared"},
			{Row: 2, StudentNo: "S002", Status: "cleared", Message: "已通过，无需重复办理"},
			{Row: 3, StudentNo: "S003", Status: "pending", Code: "forbidden", Message: "该生属于外国语学院，不在你负责的学院（计算机学院）"},
			{Row: 4, StudentNo: "NOPE9", Code: "not_found", Message: "该学生不在任何离校批次中"},
			{Row: 5, Code: "invalid_argument", Message: "学号为空"},
			{Row: 6, StudentNo: "S001", Message: "与第 1 行重复，已按第 1 行办理"},
			{Row: 7, StudentNo: "bad no", Code: "invalid_argument", Message: "请填写正确的学号"},
		}
		if !reflect.DeepEqual(res.Results, want) {
			t.Fatalf("results:\n got %+v\nwant %+v", res.Results, want)
		}
		if res.Changed != 1 || res.Unchanged != 2 || res.Failed != 4 {
			t.Fatalf("counts = %d/%d/%d", res.Changed, res.Unchanged, res.Failed)
		}
		e := h.audit("S001")[0]
		if e.Channel != domain.ChannelBulk || e.Reason != "名单办理" || e.Source != domain.SourceStaff {
			t.Fatalf("bulk audit row = %+v", e)
		}
		if h.status("S003", domain.StageCollegeWorkgroup) != domain.StatusPending {
			t.Fatal("a forbidden row was cleared")
		}

		// Whole-request refusals.
		dorm := h.staff("wx-dorm", domain.RoleStaff, domain.StageDorm, "", "")
		_, err = h.svc.BulkClear(h.ctx, dorm, domain.StageCollegeWorkgroup, BulkRequest{Rows: BulkRowsOf([]string{"S001"})})
		wantCode(t, err, domain.CodeForbidden)
		_, err = h.svc.BulkClear(h.ctx, dorm, domain.StageDorm, BulkRequest{})
		wantCode(t, err, domain.CodeInvalidArgument)
		_, err = h.svc.BulkClear(h.ctx, dorm, domain.StageDorm, BulkRequest{Rows: make([]BulkRow, MaxBulkRows+1)})
		wantCode(t, err, domain.CodeInvalidArgument)
		_, err = h.svc.BulkClear(h.ctx, dorm, domain.StageDorm, BulkRequest{BatchID: 999, Rows: BulkRowsOf([]string{"S001"})})
		wantCode(t, err, domain.CodeNotFound)
		// Hospital is not applicable to students without a reported debt.
		res, err = h.svc.BulkClear(h.ctx, h.adminPrincipal(), domain.StageHospital, BulkRequest{Rows: BulkRowsOf([]string{"S001"})})
		if err != nil || res.Results[0].Message != "该生无需办理此环节" || res.Results[0].Status != "not_applicable" || res.Unchanged != 1 {
			t.Fatalf("not applicable row = %+v, %v", res, err)
		}
	})
}

func TestReadBulkFile(t *testing.T) {
	var x bytes.Buffer
	if err := sheet.WriteTable(&x, "名单", []string{"姓名", "学号"}, [][]string{{"张伟", "S001"}, {"王芳", "S002"}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file string
		data       []byte
		want       []BulkRow
		wantErr    string
	}{
		{"csv keeps spreadsheet row numbers", "list.csv", []byte("学号,姓名\nS001,张伟\n\nS002,王芳\n"),
			[]BulkRow{{2, "S001"}, {4, "S002"}}, ""},
		{"english header", "list.csv", []byte("name,Student_No\n张伟,S001\n"), []BulkRow{{2, "S001"}}, ""},
		{"labelled header", "list.csv", []byte("学号（student_no）\nS009\n"), []BulkRow{{2, "S009"}}, ""},
		{"xlsx", "list.xlsx", x.Bytes(), []BulkRow{{2, "S001"}, {3, "S002"}}, ""},
		{"no student column", "list.csv", []byte("姓名\n张伟\n"), nil, "缺少列：学号(student_no)"},
		{"wrong type", "list.txt", []byte("学号\nS001\n"), nil, "仅支持 .xlsx 或 .csv 文件"},
		{"too many rows", "list.csv", []byte("学号\n" + strings.Repeat("S1\n", MaxBulkRows+1)), nil, "一次最多办理 2000 名学生，请分批提交"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadBulkFile(tt.file, bytes.NewReader(tt.data))
			if tt.wantErr != "" {
				wantCode(t, err, domain.CodeInvalidArgument)
				if e, _ := domain.AsError(err); e.Message != tt.wantErr {
					t.Fatalf("message = %q, want %q", e.Message, tt.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("ReadBulkFile = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestWorklist(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		wgCS := h.staff("wx-wg", domain.RoleStaff, domain.StageCollegeWorkgroup, "计算机学院", "")
		dorm := h.staff("wx-dorm", domain.RoleStaff, domain.StageDorm, "", "")
		if _, err := h.svc.ClearStage(h.ctx, dorm, domain.StageDorm, StageRequest{StudentNo: "S002"}); err != nil {
			t.Fatal(err)
		}
		nos := func(pg WorklistPage) []string {
			out := []string{}
			for _, it := range pg.Items {
				out = append(out, it.StudentNo+":"+it.Status)
			}
			return out
		}
		tests := []struct {
			name  string
			p     Principal
			stage domain.StageCode
			q     WorklistQuery
			want  []string
			total int
			code  domain.Code
		}{
			{"college staff see their college", wgCS, domain.StageCollegeWorkgroup, WorklistQuery{},
				[]string{"S001:pending", "S002:pending"}, 2, ""},
			{"college staff asking for their college", wgCS, domain.StageCollegeWorkgroup, WorklistQuery{College: "计算机学院"},
				[]string{"S001:pending", "S002:pending"}, 2, ""},
			{"college staff asking for another", wgCS, domain.StageCollegeWorkgroup, WorklistQuery{College: "外国语学院"}, nil, 0, domain.CodeForbidden},
			{"another stage", wgCS, domain.StageDorm, WorklistQuery{}, nil, 0, domain.CodeForbidden},
			{"dorm sees every college", dorm, domain.StageDorm, WorklistQuery{},
				[]string{"S001:pending", "S002:cleared", "S003:pending"}, 3, ""},
			{"status filter", dorm, domain.StageDorm, WorklistQuery{Status: domain.StatusPending},
				[]string{"S001:pending", "S003:pending"}, 2, ""},
			{"page 2 of size 2", dorm, domain.StageDorm, WorklistQuery{Page: 2, PageSize: 2}, []string{"S003:pending"}, 3, ""},
			{"campus filter", dorm, domain.StageDorm, WorklistQuery{Campus: domain.CampusB}, []string{"S003:pending"}, 1, ""},
			{"admin with a college filter", h.adminPrincipal(), domain.StageDorm, WorklistQuery{College: "外国语学院"}, []string{"S003:pending"}, 1, ""},
			{"bad status", dorm, domain.StageDorm, WorklistQuery{Status: "done"}, nil, 0, domain.CodeInvalidArgument},
			{"page too large", dorm, domain.StageDorm, WorklistQuery{PageSize: 501}, nil, 0, domain.CodeInvalidArgument},
			{"unknown batch", dorm, domain.StageDorm, WorklistQuery{BatchID: 999}, nil, 0, domain.CodeNotFound},
			{"unknown stage", h.adminPrincipal(), "nope", WorklistQuery{}, nil, 0, domain.CodeNotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				pg, err := h.svc.Worklist(h.ctx, tt.p, tt.stage, tt.q)
				wantCode(t, err, tt.code)
				if tt.code != "" {
					return
				}
				if !reflect.DeepEqual(nos(pg), tt.want) || pg.Total != tt.total || pg.Batch.ID != h.batch.ID {
					t.Fatalf("worklist = %v total %d, want %v total %d", nos(pg), pg.Total, tt.want, tt.total)
				}
			})
		}
	})
}
