package service

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/signing"
	"github.com/lixiao/lixiao/internal/store"
)

// dataKeys are the integration credentials of the tests, one per system.
var dataKeys = []signing.Key{
	{ID: "fin1", Secret: "fin-secret-0123456789", System: "finance"},
	{ID: "lib1", Secret: "lib-secret-0123456789", System: "library"},
	{ID: "loan1", Secret: "loan-secret-0123456789", System: "loan"},
	{ID: "hosp1", Secret: "hosp-secret-0123456789", System: "hospital"},
}

func dataKey(system string) signing.Key {
	for _, k := range dataKeys {
		if k.System == system {
			return k
		}
	}
	panic("no key for " + system)
}

// enableKeys gives the harness's service the test credentials.
func (h *harness) enableKeys() {
	h.svc.signed = signing.NewVerifier(dataKeys, h.db, 0, func() time.Time { return h.svc.now() })
}

// signedHeader signs body as k would, with a fresh nonce, at time at.
func signedHeader(k signing.Key, body []byte, at time.Time) http.Header {
	nonce := make([]byte, 12)
	_, _ = rand.Read(nonce)
	n := hex.EncodeToString(nonce)
	h := http.Header{}
	h.Set(signing.HeaderKey, k.ID)
	h.Set(signing.HeaderTimestamp, strconv.FormatInt(at.Unix(), 10))
	h.Set(signing.HeaderNonce, n)
	h.Set(signing.HeaderSignature, signing.Sign(k.Secret, at.Unix(), n, body))
	return h
}

// push sends a correctly signed push for system.
func (h *harness) push(system, body string) (RecordsResult, error) {
	return h.svc.PushRecords(h.ctx, system, signedHeader(dataKey(system), []byte(body), time.Now()), []byte(body))
}

func (h *harness) mustPush(system, body string) RecordsResult {
	h.t.Helper()
	res, err := h.push(system, body)
	if err != nil {
		h.t.Fatalf("push %s: %v", system, err)
	}
	return res
}

// clearance reads one stage of a student from the database.
func (h *harness) clearance(no string, code domain.StageCode) domain.Clearance {
	h.t.Helper()
	cs, err := h.db.Clearances(h.ctx, h.batch.ID, no)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, c := range cs {
		if c.Stage == code {
			return c
		}
	}
	h.t.Fatalf("no clearance %s/%s", no, code)
	return domain.Clearance{}
}

// eventsOf lists the outbox events of a student, oldest first.
func (h *harness) eventsOf(no string) []domain.Event {
	h.t.Helper()
	rows, err := h.db.ListOutbox(h.ctx, "", 500)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []domain.Event
	for i := len(rows) - 1; i >= 0; i-- {
		if rows[i].StudentNo == no {
			out = append(out, rows[i].Event)
		}
	}
	return out
}

func (h *harness) auditOf(no string, code domain.StageCode) []domain.AuditEntry {
	h.t.Helper()
	es, err := h.db.Audit(h.ctx, store.AuditFilter{StudentNo: no, Stage: code})
	if err != nil {
		h.t.Fatal(err)
	}
	return es
}

func rec(no string, asOf time.Time, fields string) string {
	return fmt.Sprintf(`{"student_no":%q,"as_of":%q,%s}`, no, asOf.Format(time.RFC3339), fields)
}

func records(rs ...string) string {
	out := `{"records":[`
	for i, r := range rs {
		if i > 0 {
			out += ","
		}
		out += r
	}
	return out + "]}"
}

func stageView(t *testing.T, v ProgressView, code domain.StageCode) StageView {
	t.Helper()
	for _, s := range v.Stages {
		if s.Code == string(code) {
			return s
		}
	}
	t.Fatalf("no stage %s", code)
	return StageView{}
}

// The "done means": a signed finance push clears the stage and
// notifies once; the replay and a tampered body are refused; new debt
// turns the stage × again and notifies.
func TestFinancePush(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		h.enableKeys()
		p := h.student("S001")
		t1 := time.Now().Add(-time.Hour).Truncate(time.Second)
		body := records(rec("S001", t1, `"owed_cents":0`))
		hdr := signedHeader(dataKey("finance"), []byte(body), time.Now())
		res, err := h.svc.PushRecords(h.ctx, "finance", hdr, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		if r := res.Results[0]; !r.OK || !r.Changed || r.Status != "cleared" || r.Stage != "finance" || res.Changed != 1 {
			t.Fatalf("push result = %+v", res)
		}
		sv := stageView(t, h.progress(p), domain.StageFinance)
		if sv.Status != "cleared" || sv.Source != "integration" || sv.DataAsOf == nil || !sv.DataAsOf.Equal(t1) || sv.Reason != "" {
			t.Fatalf("progress finance = %+v", sv)
		}
		audit := h.auditOf("S001", domain.StageFinance)
		if len(audit) != 1 || audit[0].ActorID != "integration:fin1" || audit[0].ActorName != "finance" ||
			audit[0].Channel != domain.ChannelIntegration || audit[0].Source != domain.SourceIntegration ||
			audit[0].From != domain.StatusPending || audit[0].To != domain.StatusCleared {
			t.Fatalf("audit = %+v", audit)
		}
		events := h.eventsOf("S001")
		if len(events) != 1 || events[0].Kind != domain.EventStageCleared || events[0].Stage != domain.StageFinance {
			t.Fatalf("events after clear = %+v", events)
		}

		// The same request again is a replay.
		_, err = h.svc.PushRecords(h.ctx, "finance", hdr, []byte(body))
		wantCode(t, err, domain.CodeUnauthenticated)
		// A tampered body under a valid signature is refused.
		tampered := records(rec("S001", t1, `"owed_cents":100`))
		hdr2 := signedHeader(dataKey("finance"), []byte(body), time.Now())
		_, err = h.svc.PushRecords(h.ctx, "finance", hdr2, []byte(tampered))
		wantCode(t, err, domain.CodeUnauthenticated)
		if len(h.eventsOf("S001")) != 1 || len(h.auditOf("S001", domain.StageFinance)) != 1 ||
			h.status("S001", domain.StageFinance) != domain.StatusCleared {
			t.Fatal("a refused request changed something")
		}

		// New debt: × again, audited as a rule's revoke, notified.
		t2 := t1.Add(10 * time.Minute)
		res = h.mustPush("finance", records(rec("S001", t2, `"owed_cents":123450`)))
		if r := res.Results[0]; !r.OK || !r.Changed || r.Status != "pending" || r.Message != "尚欠学费/住宿费 1234.50 元" {
			t.Fatalf("debt result = %+v", r)
		}
		sv = stageView(t, h.progress(p), domain.StageFinance)
		if sv.Status != "pending" || sv.Reason != "尚欠学费/住宿费 1234.50 元" || !sv.DataAsOf.Equal(t2) {
			t.Fatalf("progress after debt = %+v", sv)
		}
		events = h.eventsOf("S001")
		if len(events) != 2 || events[1].Kind != domain.EventStageRevoked || events[1].Reason != "尚欠学费/住宿费 1234.50 元" {
			t.Fatalf("events after debt = %+v", events)
		}
		if a := h.auditOf("S001", domain.StageFinance); len(a) != 2 || a[0].From != domain.StatusCleared || a[0].To != domain.StatusPending {
			t.Fatalf("audit after debt = %+v", a)
		}

		// Still owing, a smaller amount: no transition, the amount and the
		// date move, nobody is notified again.
		t3 := t2.Add(10 * time.Minute)
		res = h.mustPush("finance", records(rec("S001", t3, `"owed_cents":5000`)))
		if r := res.Results[0]; !r.OK || r.Changed || r.Message != "尚欠学费/住宿费 50 元" {
			t.Fatalf("second debt result = %+v", r)
		}
		if c := h.clearance("S001", domain.StageFinance); c.Reason != "尚欠学费/住宿费 50 元" || !c.DataAsOf.Equal(t3) {
			t.Fatalf("clearance = %+v", c)
		}
		// Out of order: older data is ignored.
		res = h.mustPush("finance", records(rec("S001", t1, `"owed_cents":0`)))
		if r := res.Results[0]; !r.OK || r.Changed || r.Message != msgIgnoredOlder || r.Status != "pending" {
			t.Fatalf("older result = %+v", r)
		}
		// Paid: ✓ again, the debt message goes.
		res = h.mustPush("finance", records(rec("S001", t3.Add(time.Minute), `"owed_cents":0`)))
		if sv := stageView(t, h.progress(p), domain.StageFinance); sv.Status != "cleared" || sv.Reason != "" {
			t.Fatalf("after payment = %+v (%+v)", sv, res)
		}
		if n := len(h.eventsOf("S001")); n != 3 {
			t.Fatalf("events = %d, want 3", n)
		}
	})
}

func TestPushRefusals(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		h.enableKeys()
		now := time.Now()
		body := []byte(records(rec("S001", now.Add(-time.Minute), `"owed_cents":0`)))
		tests := []struct {
			name   string
			system string
			header http.Header
			body   []byte
			want   domain.Code
		}{
			{"no headers", "finance", http.Header{}, body, domain.CodeUnauthenticated},
			{"other system's key", "finance", signedHeader(dataKey("library"), body, now), body, domain.CodeUnauthenticated},
			{"unknown key", "finance", signedHeader(signing.Key{ID: "who", Secret: "x"}, body, now), body, domain.CodeUnauthenticated},
			{"wrong secret", "finance", signedHeader(signing.Key{ID: "fin1", Secret: "guess"}, body, now), body, domain.CodeUnauthenticated},
			{"six minutes old", "finance", signedHeader(dataKey("finance"), body, now.Add(-6*time.Minute)), body, domain.CodeUnauthenticated},
			{"six minutes ahead", "finance", signedHeader(dataKey("finance"), body, now.Add(6*time.Minute)), body, domain.CodeUnauthenticated},
			{"unknown system", "dorm", signedHeader(dataKey("finance"), body, now), body, domain.CodeNotFound},
			{"malformed json, signed", "finance", signedHeader(dataKey("finance"), []byte(`{"records":`), now), []byte(`{"records":`), domain.CodeInvalidArgument},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := h.svc.PushRecords(h.ctx, tt.system, tt.header, tt.body)
				wantCode(t, err, tt.want)
				if h.status("S001", domain.StageFinance) != domain.StatusPending || len(h.eventsOf("S001")) != 0 {
					t.Fatal("a refused push changed the stage")
				}
			})
		}
	})
}

// One bad record does not stop the others; results keep the order sent.
func TestPushPerRecordResults(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		h.enableKeys()
		at := time.Now().Add(-time.Minute)
		res := h.mustPush("finance", records(
			rec("S999", at, `"owed_cents":0`),
			rec("S002", at, `"owed_cents":-5`),
			rec("S003", at, `"owed_cents":0`),
			rec("S001", at, `"owed_cents":0,"batch_id":9999`),
		))
		want := []struct {
			no, code string
			ok       bool
		}{{"S999", "not_found", false}, {"S002", "invalid_argument", false}, {"S003", "", true}, {"S001", "not_found", false}}
		if len(res.Results) != len(want) || res.Received != 4 || res.Applied != 1 || res.Failed != 3 || res.Changed != 1 {
			t.Fatalf("result = %+v", res)
		}
		for i, w := range want {
			r := res.Results[i]
			if r.StudentNo != w.no || r.OK != w.ok || r.Code != w.code || r.Index == nil || *r.Index != i || (!r.OK && r.Message == "") {
				t.Errorf("result %d = %+v, want %+v", i, r, w)
			}
		}
		if h.status("S003", domain.StageFinance) != domain.StatusCleared || h.status("S002", domain.StageFinance) != domain.StatusPending {
			t.Fatal("wrong stages changed")
		}
	})
}
