package notify

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/store"
)

func TestFit(t *testing.T) {
	tests := []struct {
		name, kind, in, want string
	}{
		{name: "short thing unchanged", kind: "thing", in: "学生公寓管理中心", want: "学生公寓管理中心"},
		{name: "thing of exactly 20", kind: "thing", in: strings.Repeat("宿", 20), want: strings.Repeat("宿", 20)},
		{name: "thing of 21 ends in ellipsis", kind: "thing", in: strings.Repeat("宿", 21), want: strings.Repeat("宿", 19) + "…"},
		{name: "long Chinese thing", kind: "thing", in: "研究生院研究生教育服务中心（虎溪校区）材料补交说明",
			want: "研究生院研究生教育服务中心（虎溪校区）…"},
		{name: "mixed width counts characters not bytes", kind: "thing", in: "Library图书馆 fine 罚款 10元 overdue",
			want: "Library图书馆 fine 罚款 …"},
		{name: "emoji count as one", kind: "thing", in: "🎓" + strings.Repeat("好", 19), want: "🎓" + strings.Repeat("好", 19)},
		{name: "newlines collapse", kind: "thing", in: "原因：\n  欠费\t未缴", want: "原因： 欠费 未缴"},
		{name: "empty thing", kind: "thing", in: "  ", want: "-"},
		{name: "phrase of 3", kind: "phrase", in: "已通过", want: "已通过"},
		{name: "phrase over 5 cut", kind: "phrase", in: "已经全部办理完毕", want: "已经全部办"},
		{name: "character_string keeps ASCII", kind: "character_string", in: "LX12345", want: "LX12345"},
		{name: "character_string drops Chinese and spaces", kind: "character_string", in: "编号 LX-9 号", want: "LX-9"},
		{name: "character_string over 32 cut", kind: "character_string", in: strings.Repeat("9", 40), want: strings.Repeat("9", 32)},
		{name: "time passes through", kind: "time", in: "2026-06-30 09:05", want: "2026-06-30 09:05"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fit(tt.kind, tt.in); got != tt.want {
				t.Fatalf("fit(%s, %q) = %q, want %q", tt.kind, tt.in, got, tt.want)
			}
		})
	}
}

func TestMissingSummary(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{in: "导师、财务处", n: 20, want: "导师、财务处"},
		{in: "学生公寓管理中心、财务处、图书馆、一卡通管理中心、校医院", n: 20, want: "学生公寓管理中心、财务处、图书馆等5项"},
		{in: "研究生院研究生教育服务中心、学院研究生教务秘书", n: 16, want: "研究生院研究生教育服务中心等2项"},
		{in: "研究生院研究生教育服务中心甲乙丙丁、学院", n: 8, want: "2个环节未完成"},
		{in: "", n: 20, want: "-"},
	}
	for _, tt := range tests {
		if got := missingSummary(tt.in, tt.n); got != tt.want || utf8.RuneCountInString(got) > tt.n {
			t.Errorf("missingSummary(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

// TestTemplateDataWithinLimits shapes every kind of event with oversized
// texts and checks every value against its field type's limit.
func TestTemplateDataWithinLimits(t *testing.T) {
	long := strings.Repeat("长", 60)
	end := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	b := &domain.Batch{Name: "2026届研究生（含非全日制、同等学力）离校批次", EndsOn: &end}
	loc := shanghai()
	kinds := []domain.EventKind{domain.EventStageCleared, domain.EventStageRejected, domain.EventStageRevoked,
		domain.EventFinalStageReady, domain.EventDepartureComplete, domain.EventDeadlineReminder}
	limits := map[string]int{"thing": maxThing, "phrase": maxPhrase, "character_string": maxString}
	created := time.Date(2026, 6, 1, 1, 2, 0, 0, time.UTC)
	for _, kind := range kinds {
		r := store.OutboxRow{ID: 123456789, Kind: kind, CreatedAt: created,
			Event: domain.Event{Kind: kind, StageName: long, Title: long, Body: long, Reason: long + "、" + long}}
		_, data := testTemplates.subscribe(kind)
		for name, d := range map[string]map[string]string{"subscribe": data(r, b, loc), "template": stageData(r, b, loc)} {
			for field, v := range d {
				if max, ok := limits[kindOf(field)]; ok && (utf8.RuneCountInString(v) > max || v == "") {
					t.Errorf("%s %s %s = %q (%d characters), limit %d", kind, name, field, v, utf8.RuneCountInString(v), max)
				}
			}
		}
	}
	r := store.OutboxRow{ID: 42, Kind: domain.EventStageRejected, CreatedAt: created,
		Event: domain.Event{StageName: "财务处", Reason: "欠缴住宿费"}}
	got := stageData(r, nil, loc)
	want := map[string]string{fieldStage: "财务处", fieldResult: "被退回", fieldTime: "2026-06-01 09:02",
		fieldNote: "欠缴住宿费", fieldRef: "LX42"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	rem := reminderData(store.OutboxRow{ID: 7, Kind: domain.EventDeadlineReminder, CreatedAt: created,
		Event: domain.Event{Reason: "财务处、图书馆"}}, b, loc)
	if rem[fieldRemDeadline] != "2026-06-30" || rem[fieldRemMissing] != "财务处、图书馆" || rem[fieldRemRef] != "LX7" ||
		rem[fieldRemWhat] != "2026届研究生（含非全日制、同等学力…" {
		t.Errorf("reminder data %v", rem)
	}
}

func TestBackoff(t *testing.T) {
	d := New(nil, nil, Options{BaseBackoff: time.Second, MaxBackoff: 20 * time.Second}, nil)
	tests := []struct {
		attempts int
		full     time.Duration
	}{
		{1, time.Second}, {2, 2 * time.Second}, {3, 4 * time.Second}, {5, 16 * time.Second}, {6, 20 * time.Second}, {30, 20 * time.Second},
	}
	for _, tt := range tests {
		for range 50 {
			if got := d.backoff(tt.attempts); got < tt.full/2 || got > tt.full {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", tt.attempts, got, tt.full/2, tt.full)
			}
		}
	}
}
