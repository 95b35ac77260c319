package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/notify"
	"github.com/lixiao/lixiao/internal/service"
	"github.com/lixiao/lixiao/internal/signing"
	"github.com/lixiao/lixiao/internal/store/storetest"
)

// Over HTTP: a signed finance push turns the student's stage ✓ and puts
// one notification in the inbox; a replay, a tampered body and an
// oversized one are refused and change nothing; new debt turns it × again.
func TestFinancePushHTTP(t *testing.T) {
	for _, driver := range storetest.Drivers(t) {
		t.Run(driver, func(t *testing.T) {
			e := newDataEnv(t, driver, 4)
			student := e.studentToken("D00001")
			t0 := time.Now().Add(-time.Hour).Truncate(time.Second)
			body := financeRecord("D00001", t0, 0)
			resp, b, hdr := e.push(dataFinanceKey, "finance", body)
			var res service.RecordsResult
			if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &res) != nil || res.Changed != 1 || !res.Results[0].OK {
				t.Fatalf("push: %d %s", resp.StatusCode, b)
			}
			if s := e.financeStage(student); s.Status != "cleared" || s.DataAsOf == nil || !s.DataAsOf.Equal(t0) {
				t.Fatalf("finance after push = %+v", s)
			}

			refusals := []struct {
				name   string
				header http.Header
				body   []byte
				status int
				code   string
			}{
				{"replay", hdr, body, http.StatusUnauthorized, "unauthenticated"},
				{"tampered", signedFor(t, body), financeRecord("D00001", t0, 100), http.StatusUnauthorized, "unauthenticated"},
				{"unsigned", nil, body, http.StatusUnauthorized, "unauthenticated"},
				{"too large", signedFor(t, body), bytes.Repeat([]byte(" "), maxPushBytes+1), http.StatusBadRequest, "invalid_argument"},
			}
			for _, r := range refusals {
				resp, b := e.call(http.MethodPost, "/api/v1/integrations/finance/records", "", "application/json", r.body, r.header)
				env := decodeEnvelope(t, b)
				if resp.StatusCode != r.status || env.Code != r.code || env.Message == "" || !strings.ContainsFunc(env.Message, isHan) {
					t.Fatalf("%s: %d %s", r.name, resp.StatusCode, b)
				}
			}
			resp, b = e.call(http.MethodPost, "/api/v1/integrations/bank/records", "", "application/json", body, signedFor(t, body))
			if resp.StatusCode != http.StatusNotFound {
				t.Fatalf("unknown system: %d %s", resp.StatusCode, b)
			}

			// The dispatcher delivers the one event to the inbox.
			d := notify.New(e.db, e.wx, notify.Options{}, quietLogger())
			if _, err := d.RunOnce(e.ctx); err != nil {
				t.Fatal(err)
			}
			inbox, err := e.db.Notifications(e.ctx, "D00001", 10)
			if err != nil || len(inbox) != 1 || inbox[0].Kind != domain.EventStageCleared || inbox[0].Stage != domain.StageFinance {
				t.Fatalf("inbox = %+v, %v", inbox, err)
			}

			resp, b, _ = e.push(dataFinanceKey, "finance", financeRecord("D00001", t0.Add(time.Minute), 880000))
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("debt push: %d %s", resp.StatusCode, b)
			}
			if s := e.financeStage(student); s.Status != "pending" || s.Reason != "尚欠学费/住宿费 8800 元" {
				t.Fatalf("finance after debt = %+v", s)
			}
			if _, err := d.RunOnce(e.ctx); err != nil {
				t.Fatal(err)
			}
			inbox, _ = e.db.Notifications(e.ctx, "D00001", 10)
			if len(inbox) != 2 || inbox[0].Kind != domain.EventStageRevoked || !strings.Contains(inbox[0].Body, "8800 元") {
				t.Fatalf("inbox after debt = %+v", inbox)
			}
		})
	}
}

func signedFor(t *testing.T, body []byte) http.Header {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "/", nil)
	if err := signing.SignRequest(req, dataFinanceKey, body, time.Now()); err != nil {
		t.Fatal(err)
	}
	return req.Header
}

func isHan(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }
