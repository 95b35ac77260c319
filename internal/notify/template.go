package notify

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/store"
)

// Field names of the message templates. They must match the templates
// chosen in the WeChat console (mini-program 订阅消息 and official-account
// 模板消息) whose ids are configured; the part before the number is the
// field's type, which decides its length limit (see fit).
//
// Stage template (stage_cleared, stage_rejected, stage_revoked; also used
// for final_stage_ready and departure_complete, and by the official account
// for every kind):
const (
	fieldStage  = "thing1"            // 办理环节
	fieldResult = "phrase2"           // 办理结果
	fieldTime   = "time3"             // 时间
	fieldNote   = "thing4"            // 备注
	fieldRef    = "character_string5" // 通知编号: the dedupe reference, see ref
)

// Reminder template (deadline_reminder):
const (
	fieldRemWhat     = "thing1"            // 事项
	fieldRemDeadline = "date2"             // 截止日期
	fieldRemMissing  = "thing3"            // 未完成环节
	fieldRemRef      = "character_string4" // 通知编号
)

// WeChat's limits, in characters, per field type. A longer value makes
// the whole send fail with errcode 47003.
const (
	maxThing  = 20
	maxPhrase = 5
	maxString = 32
)

const (
	timeLayout = "2006-01-02 15:04"
	dateLayout = "2006-01-02"
)

// fit makes value acceptable for a field of kind (the field name without
// its number): whitespace is collapsed, a thing longer than 20 characters
// keeps 19 and ends in "…", a phrase keeps 5, a character_string keeps
// printable ASCII only and at most 32. Characters are counted as runes, as
// WeChat counts them. WeChat refuses empty values, so "" becomes "-".
func fit(kind, value string) string {
	v := strings.Join(strings.Fields(value), " ")
	switch kind {
	case "thing":
		v = cut(v, maxThing, "…")
	case "phrase":
		v = cut(strings.ReplaceAll(v, " ", ""), maxPhrase, "")
	case "character_string":
		v = cut(strings.Map(func(r rune) rune {
			if r > ' ' && r <= '~' {
				return r
			}
			return -1
		}, v), maxString, "")
	}
	if v == "" {
		return "-"
	}
	return v
}

// cut shortens v to n runes, the last of them tail when it had to cut.
func cut(v string, n int, tail string) string {
	if utf8.RuneCountInString(v) <= n {
		return v
	}
	r := []rune(v)
	return string(r[:n-utf8.RuneCountInString(tail)]) + tail
}

// kindOf is a field's type: "thing4" -> "thing".
func kindOf(field string) string { return strings.TrimRight(field, "0123456789") }

// ref is the short reference a message carries so a student (and support)
// can tell a rare duplicate from a new message: the outbox id.
func ref(id int64) string { return "LX" + strconv.FormatInt(id, 10) }

// shape fits every value of data to its field's type.
func shape(data map[string]string) map[string]string {
	for k, v := range data {
		data[k] = fit(kindOf(k), v)
	}
	return data
}

// stageData is the stage template's data for any event.
func stageData(r store.OutboxRow, b *domain.Batch, loc *time.Location) map[string]string {
	e := r.Event
	stage := e.StageName
	if stage == "" {
		stage = "研究生离校手续"
	}
	var result, note string
	switch r.Kind {
	case domain.EventStageCleared:
		result, note = "已通过", "点击查看离校进度"
	case domain.EventStageRejected:
		result, note = "被退回", orElse(e.Reason, "请查看退回原因")
	case domain.EventStageRevoked:
		result, note = "需重办", orElse(e.Reason, "请查看原因")
	case domain.EventFinalStageReady:
		result, note = "待办理", "其余环节均已办结，请前往办理"
	case domain.EventDepartureComplete:
		result, note = "已办结", "离校手续已全部办结"
	case domain.EventDeadlineReminder:
		stage, result = batchName(b), "未办结"
		note = "未完成：" + missingSummary(e.Reason, maxThing-4)
	default:
		result, note = "有更新", e.Title
	}
	return shape(map[string]string{fieldStage: stage, fieldResult: result,
		fieldTime: r.CreatedAt.In(loc).Format(timeLayout), fieldNote: note, fieldRef: ref(r.ID)})
}

// reminderData is the reminder template's data.
func reminderData(r store.OutboxRow, b *domain.Batch, loc *time.Location) map[string]string {
	deadline := r.CreatedAt.In(loc).Format(dateLayout)
	if b != nil && b.EndsOn != nil {
		deadline = b.EndsOn.Format(dateLayout)
	}
	return shape(map[string]string{fieldRemWhat: batchName(b), fieldRemDeadline: deadline,
		fieldRemMissing: missingSummary(r.Event.Reason, maxThing), fieldRemRef: ref(r.ID)})
}

func batchName(b *domain.Batch) string {
	if b == nil || b.Name == "" {
		return "研究生离校手续"
	}
	return b.Name
}

// missingSummary fits the "、"-joined stage names into n characters,
// naming as many as fit and counting the rest: "宿舍、财务等5项".
func missingSummary(joined string, n int) string {
	if joined == "" {
		return "-"
	}
	names := strings.Split(joined, "、")
	if utf8.RuneCountInString(joined) <= n {
		return joined
	}
	for k := len(names) - 1; k >= 1; k-- {
		s := strings.Join(names[:k], "、") + "等" + strconv.Itoa(len(names)) + "项"
		if utf8.RuneCountInString(s) <= n {
			return s
		}
	}
	return cut(strconv.Itoa(len(names))+"个环节未完成", n, "…")
}

func orElse(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}
