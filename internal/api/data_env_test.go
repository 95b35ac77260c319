package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/lixiao/lixiao/internal/cache"
	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/service"
	"github.com/lixiao/lixiao/internal/signing"
	"github.com/lixiao/lixiao/internal/stages"
	"github.com/lixiao/lixiao/internal/store"
	"github.com/lixiao/lixiao/internal/store/storetest"
	"github.com/lixiao/lixiao/internal/wechat"
	"github.com/lixiao/lixiao/internal/wechat/wxfake"
)

const dataSecret = "data-test-secret-0123456789abcdef0123"

// dataFinanceKey is the finance system's credential in these tests.
var dataFinanceKey = signing.Key{ID: "fin1", Secret: "fin-secret-0123456789", System: "finance"}

// dataEnv is the real server (HTTP over a socket) on a real database and
// cache, with a batch of students D00000… and an administrator.
type dataEnv struct {
	tb         testing.TB
	ctx        context.Context
	srv        *httptest.Server
	svc        *service.Service
	db         *store.DB
	wx         wechat.Client
	batch      domain.Batch
	adminToken string
}

func newDataEnv(tb testing.TB, driver string, students int) *dataEnv {
	tb.Helper()
	ctx := context.Background()
	db := storetest.Open(tb, driver)
	var c cache.Cache = cache.NewMemory()
	if rdb, prefix := storetest.Redis(tb); rdb != nil {
		c = cache.NewRedis(rdb, prefix)
	}
	fake := wxfake.New()
	tb.Cleanup(fake.Close)
	wx, err := wechat.New(wechat.Config{AppID: "wxdata", AppSecret: "secret", APIBase: fake.URL(), Timeout: 2 * time.Second}, nil, quietLogger())
	if err != nil {
		tb.Fatal(err)
	}
	f, err := stages.Load("../../configs/stages.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	svc := service.New(db, c, wx, service.Options{Secret: dataSecret, AdminOpenIDs: []string{"data-admin"},
		QRTTL: 3 * time.Minute, University: "重庆大学", Stages: f.Stages, IntegrationKeys: []signing.Key{dataFinanceKey}}, quietLogger())
	e := &dataEnv{tb: tb, ctx: ctx, svc: svc, db: db, wx: wx}
	e.srv = httptest.NewServer(New(Deps{Service: svc, Log: quietLogger()}))
	tb.Cleanup(e.srv.Close)
	e.batch = domain.Batch{Name: "2026研究生离校", Stages: f.Stages}
	if err := db.CreateBatch(ctx, &e.batch); err != nil {
		tb.Fatal(err)
	}
	sts := make([]domain.Student, students)
	for i := range sts {
		sts[i] = domain.Student{StudentNo: fmt.Sprintf("D%05d", i), Name: fmt.Sprintf("学生%05d", i),
			College: []string{"计算机学院", "外国语学院"}[i%2], Degree: domain.DegreeMaster, DepartureType: domain.DepartureGraduated,
			Campus: domain.CampusA, IDHash: service.IDHash(dataSecret, "123456")}
	}
	if _, err := db.ImportStudents(ctx, e.batch, sts, time.Now()); err != nil {
		tb.Fatal(err)
	}
	e.adminToken = e.login("data-admin")
	return e
}

// call sends one request; hdr may be nil.
func (e *dataEnv) call(method, path, token, contentType string, body []byte, hdr http.Header) (*http.Response, []byte) {
	e.tb.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		e.tb.Fatal(err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.tb.Fatal(err)
	}
	return resp, b
}

func (e *dataEnv) postJSON(path, token string, v any) (*http.Response, []byte) {
	b, _ := json.Marshal(v)
	return e.call(http.MethodPost, path, token, "application/json", b, nil)
}

func (e *dataEnv) login(openid string) string {
	e.tb.Helper()
	resp, b := e.postJSON("/api/v1/auth/login", "", map[string]string{"code": openid})
	var l loginResponse
	if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &l) != nil {
		e.tb.Fatalf("login: %d %s", resp.StatusCode, b)
	}
	return l.Token
}

// studentToken logs in a WeChat account bound to student no.
func (e *dataEnv) studentToken(no string) string {
	e.tb.Helper()
	token := e.login("wx-" + no)
	resp, b := e.postJSON("/api/v1/me/binding", token, map[string]string{"student_no": no, "name": "学生" + no[1:], "id_last6": "123456"})
	if resp.StatusCode != http.StatusOK {
		e.tb.Fatalf("bind %s: %d %s", no, resp.StatusCode, b)
	}
	return token
}

// push signs body with k and posts it as system's records.
func (e *dataEnv) push(k signing.Key, system string, body []byte) (*http.Response, []byte, http.Header) {
	e.tb.Helper()
	req, _ := http.NewRequest(http.MethodPost, "/", nil)
	if err := signing.SignRequest(req, k, body, time.Now()); err != nil {
		e.tb.Fatal(err)
	}
	resp, b := e.call(http.MethodPost, "/api/v1/integrations/"+system+"/records", "", "application/json", body, req.Header)
	return resp, b, req.Header
}

// financeStage reads the student's finance stage through GET /me/progress.
func (e *dataEnv) financeStage(token string) service.StageView {
	e.tb.Helper()
	resp, b := e.call(http.MethodGet, "/api/v1/me/progress", token, "", nil, nil)
	var v service.ProgressView
	if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &v) != nil {
		e.tb.Fatalf("progress: %d %s", resp.StatusCode, b)
	}
	for _, s := range v.Stages {
		if s.Code == string(domain.StageFinance) {
			return s
		}
	}
	e.tb.Fatal("no finance stage")
	return service.StageView{}
}

// upload posts content as the multipart "file" of path.
func (e *dataEnv) upload(path, name string, content []byte) (*http.Response, []byte) {
	e.tb.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile("file", name)
	_, _ = fw.Write(content)
	_ = w.Close()
	return e.call(http.MethodPost, path, e.adminToken, w.FormDataContentType(), buf.Bytes(), nil)
}

func financeRecord(no string, asOf time.Time, owed int64) []byte {
	return fmt.Appendf(nil, `{"records":[{"student_no":%q,"as_of":%q,"owed_cents":%d}]}`, no, asOf.Format(time.RFC3339Nano), owed)
}
