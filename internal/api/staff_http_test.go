package api

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/lixiao/lixiao/internal/form/pdftext"
)

// TestStaffRequests covers what the HTTP layer itself decides: body shapes,
// uploads, and the PDF download.
func TestStaffRequests(t *testing.T) {
	e := newPermEnv(t, "sqlite")
	own := e.tokens[callerOwn]
	tests := []struct {
		name   string
		token  string
		method string
		path   string
		b      body
		status int
		has    string
	}{
		{"clear takes a note, not a reason", own, http.MethodPost, wgStage + "clear",
			jsonBody(map[string]string{"student_no": "C100", "reason": "x"}), 400, "note"},
		{"reject takes a reason, not a note", own, http.MethodPost, wgStage + "reject",
			jsonBody(map[string]string{"student_no": "C100", "note": "x"}), 400, "reason"},
		{"reject needs a reason", own, http.MethodPost, wgStage + "reject",
			jsonBody(map[string]string{"student_no": "C100"}), 400, "请填写原因"},
		{"unknown field", own, http.MethodPost, wgStage + "clear",
			jsonBody(map[string]string{"student_no": "C100", "studentno": "x"}), 400, "未知字段"},
		{"clear with a batch", own, http.MethodPost, wgStage + "clear",
			jsonBody(map[string]any{"student_no": "C100", "batch_id": e.batch.ID}), 200, `"status":"cleared"`},
		{"clear in an unknown batch", own, http.MethodPost, wgStage + "clear",
			jsonBody(map[string]any{"student_no": "C101", "batch_id": 999}), 404, "not_found"},
		{"bulk upload without a file", own, http.MethodPost, wgStage + "bulk-clear",
			fileBody("other", "a.csv", []byte("学号\nC102\n")), 400, "file"},
		{"bulk upload of a bad file", own, http.MethodPost, wgStage + "bulk-clear",
			fileBody("file", "a.pdf", []byte("%PDF")), 400, "仅支持 .xlsx 或 .csv 文件"},
		{"bulk upload row numbers", own, http.MethodPost, wgStage + "bulk-clear?batch=" + strconv.FormatInt(e.batch.ID, 10),
			fileBody("file", "a.csv", []byte("姓名,学号\n甲,C103\n\n乙,C103\n")), 200,
			`{"row":4,"student_no":"C103","changed":false,"message":"与第 2 行重复，已按第 2 行办理"}`},
		{"bulk json too long", own, http.MethodPost, wgStage + "bulk-clear",
			jsonBody(map[string]any{"student_nos": make([]string, 2001)}), 400, "2000"},
		{"worklist bad status", own, http.MethodGet, wgStage + "students?status=done", body{}, 400, "invalid_argument"},
		{"worklist bad page", own, http.MethodGet, wgStage + "students?page=0", body{}, 400, "page"},
		{"scan a forged token", own, http.MethodPost, "/api/v1/staff/scan",
			jsonBody(map[string]string{"qr_token": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}), 401, "二维码无效或已过期"},
		{"confirm with items missing", e.tokens["supervisor"], http.MethodPost, "/api/v1/supervisor/students/C104/confirm",
			jsonBody(map[string]any{"items": map[string]bool{"instruments": true}}), 400, "公共设备归还、公款归还、课题移交、涉密资料移交"},
		{"create a staff account without a stage", e.tokens[callerAdmin], http.MethodPost, "/api/v1/admin/staff",
			jsonBody(map[string]string{"name": "x", "role": "staff"}), 400, "所属环节"},
		{"disable an unknown account", e.tokens[callerAdmin], http.MethodPost, "/api/v1/admin/staff/999/disable", jsonBody(struct{}{}), 404, "not_found"},
		{"batch with a bad date", e.tokens[callerAdmin], http.MethodPost, "/api/v1/admin/batches",
			jsonBody(map[string]string{"name": "x", "ends_on": "7月10日"}), 400, "YYYY-MM-DD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := e.do(tt.token, tt.method, tt.path, tt.b)
			if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.has) {
				t.Fatalf("%d %s; want %d containing %s", rec.Code, rec.Body, tt.status, tt.has)
			}
		})
	}

	t.Run("confirmation form download", func(t *testing.T) {
		rec := e.do(e.tokens[callerStudent], http.MethodGet, "/api/v1/me/confirmation-form.pdf", body{})
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/pdf" {
			t.Fatalf("%d %s", rec.Code, rec.Header())
		}
		cd := rec.Header().Get("Content-Disposition")
		want := `attachment; filename="confirmation-C000.pdf"; filename*=UTF-8''` +
			"%E5%AF%BC%E5%B8%88%E5%87%86%E8%AE%B8%E5%AD%A6%E7%94%9F%E7%A6%BB%E6%A0%A1%E7%A1%AE%E8%AE%A4%E4%B9%A6-C000.pdf"
		if cd != want {
			t.Fatalf("Content-Disposition = %s", cd)
		}
		got, err := pdftext.Extract(rec.Body.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(got.Text, "\n", "")
		for _, w := range []string{"硕士研究生学生000，学号：C000，已经毕业。", "可以离校，特此确认。"} {
			if !strings.Contains(text, w) {
				t.Errorf("form lacks %q:\n%s", w, got.Text)
			}
		}
	})
}
