package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/lixiao/lixiao/internal/service"
	"github.com/lixiao/lixiao/internal/store/storetest"
)

const rosterCSVHeader = "学号,姓名,学院,学位,离校类型,校区,身份证后六位,导师工号,党员,助学贷款\n"

// xlsxRows reads back the first sheet of a downloaded .xlsx.
func xlsxRows(t *testing.T, data []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not an .xlsx: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// downloadName checks an attachment's headers and returns its UTF-8 name.
func downloadName(t *testing.T, resp *http.Response) string {
	t.Helper()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != xlsxType {
		t.Fatalf("download: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	_, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
	if err != nil || params["filename"] == "" {
		t.Fatalf("Content-Disposition %q: %v", resp.Header.Get("Content-Disposition"), err)
	}
	return params["filename"] // mime decodes filename* (RFC 5987/2231) into filename
}

func TestAdminDataHTTP(t *testing.T) {
	for _, driver := range storetest.Drivers(t) {
		t.Run(driver, func(t *testing.T) {
			e := newDataEnv(t, driver, 4)
			importPath := fmt.Sprintf("/api/v1/admin/batches/%d/students/import", e.batch.ID)

			// Three bad rows: 400, nothing applied, the rows named.
			bad := rosterCSVHeader + "N001,甲,数学学院,硕士,毕业,A区,123456,,否,否\n" +
				"N002,乙,数学学院,学士,毕业,A区,123456,,否,否\n" +
				"N003,丙,数学学院,硕士,毕业,C区,123456,,否,否\n" +
				"N001,丁,数学学院,硕士,毕业,A区,12345,,否,否\n"
			resp, b := e.upload(importPath, "名单.csv", []byte(bad))
			var refused struct {
				Code, Message    string
				Created, Updated *int
				Errors           []struct {
					Row     int
					Message string
				}
			}
			if resp.StatusCode != http.StatusBadRequest || json.Unmarshal(b, &refused) != nil || refused.Code != "invalid_argument" ||
				refused.Created == nil || *refused.Created != 0 || *refused.Updated != 0 || len(refused.Errors) != 3 ||
				refused.Errors[0].Row != 3 || refused.Errors[1].Row != 4 || refused.Errors[2].Row != 5 {
				t.Fatalf("bad roster: %d %s", resp.StatusCode, b)
			}
			good := rosterCSVHeader + "N001,甲,数学学院,硕士,毕业,A区,123456,,否,否\n"
			resp, b = e.upload(importPath, "名单.csv", []byte(good))
			var res service.ImportResult
			if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &res) != nil || res.Created != 1 {
				t.Fatalf("good roster: %d %s", resp.StatusCode, b)
			}
			resp, b = e.upload(importPath+"?partial=1", "名单.csv", []byte(bad))
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"row":3`) {
				t.Fatalf("partial roster: %d %s", resp.StatusCode, b)
			}
			resp, b = e.call(http.MethodPost, importPath, e.adminToken, "application/json", []byte(`{}`), nil)
			if env := decodeEnvelope(t, b); resp.StatusCode != http.StatusBadRequest || !strings.Contains(env.Message, "file") {
				t.Fatalf("no file: %d %s", resp.StatusCode, b)
			}

			// The template downloads and names its columns.
			resp, b = e.call(http.MethodGet, "/api/v1/admin/students/template.xlsx", e.adminToken, "", nil, nil)
			if name := downloadName(t, resp); name != "学生名单导入模板.xlsx" || xlsxRows(t, b)[0][0] != "学号" {
				t.Fatalf("template %q", name)
			}

			// A finance list through the same path as pushes.
			listPath := fmt.Sprintf("/api/v1/admin/batches/%d/records/finance/import", e.batch.ID)
			resp, b = e.upload(listPath, "finance.csv", []byte("学号,欠费(元)\nD00000,0\nD00001,20\n"))
			var rr struct {
				service.RecordsResult
				Errors []any
			}
			if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &rr) != nil || rr.Changed != 1 || len(rr.Results) != 2 || rr.Errors == nil {
				t.Fatalf("finance list: %d %s", resp.StatusCode, b)
			}
			resp, b = e.upload(listPath, "finance.csv", []byte("学号,欠费(元)\nZZZ,0\n"))
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), `"row":2`) {
				t.Fatalf("bad finance list: %d %s", resp.StatusCode, b)
			}

			// Stats: 5 students, D00000 cleared finance.
			resp, b = e.call(http.MethodGet, fmt.Sprintf("/api/v1/admin/stats?batch=%d", e.batch.ID), e.adminToken, "", nil, nil)
			var st service.StatsView
			if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &st) != nil || st.Students != 5 || st.Stages[4].Code != "finance" ||
				st.Stages[4].Counts.Cleared != 1 || st.Stages[4].Counts.Pending != 4 || len(st.Colleges) != 3 {
				t.Fatalf("stats: %d %s", resp.StatusCode, b)
			}
			resp, _ = e.call(http.MethodGet, "/api/v1/admin/stats?batch=abc", e.adminToken, "", nil, nil)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("stats?batch=abc: %d", resp.StatusCode)
			}

			// Exports: attachments with Chinese names, readable back.
			q := url.Values{"batch": {fmt.Sprint(e.batch.ID)}, "stage": {"finance"}, "college": {"计算机学院"}}
			resp, b = e.call(http.MethodGet, "/api/v1/admin/exports/pending.xlsx?"+q.Encode(), e.adminToken, "", nil, nil)
			if name := downloadName(t, resp); name != "未办结名单-2026研究生离校-财务处-计算机学院.xlsx" {
				t.Fatalf("pending export named %q", name)
			}
			if rows := xlsxRows(t, b); len(rows) != 2 || rows[1][0] != "D00002" || resp.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("pending rows = %q", rows)
			}
			resp, b = e.call(http.MethodGet, "/api/v1/admin/exports/complete.xlsx", e.adminToken, "", nil, nil)
			if name := downloadName(t, resp); name != "已办结名单-2026研究生离校.xlsx" || len(xlsxRows(t, b)) != 1 {
				t.Fatalf("complete export %q", name)
			}
			resp, _ = e.call(http.MethodGet, "/api/v1/admin/exports/pending.xlsx?stage=canteen", e.adminToken, "", nil, nil)
			if resp.StatusCode != http.StatusNotFound {
				t.Fatalf("unknown stage: %d", resp.StatusCode)
			}
		})
	}
}

func TestRFC5987(t *testing.T) {
	tests := map[string]string{
		"a.xlsx":        "a.xlsx",
		"名单.xlsx":       "%E5%90%8D%E5%8D%95.xlsx",
		"a b;c\"d.xlsx": "a%20b%3Bc%22d.xlsx",
	}
	for in, want := range tests {
		if got := rfc5987(in); got != want {
			t.Errorf("rfc5987(%q) = %q, want %q", in, got, want)
		}
	}
}
