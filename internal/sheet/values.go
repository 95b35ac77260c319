package sheet

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// shown is a cell value as quoted in a message, cut short so a pasted
// paragraph does not flood the error list.
func shown(v string) string {
	const limit = 32
	if utf8.RuneCountInString(v) <= limit {
		return v
	}
	return string([]rune(v)[:limit]) + "…"
}

// parseFlag reads 1|0|是|否|true|false (any case; Excel booleans arrive as
// TRUE/FALSE). ok is false for anything else, including "".
func parseFlag(v string) (val, ok bool) {
	switch strings.ToLower(v) {
	case "1", "是", "true":
		return true, true
	case "0", "否", "false":
		return false, true
	}
	return false, false
}

// flagString is a flag as the API's record fields carry it.
func flagString(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// maxCents keeps amounts far from int64 overflow: 10^13 cents is 100 billion yuan.
const maxCents = 1e13

// parseCount reads a non-negative whole number such as a count or an amount
// in cents. Thousands separators and an all-zero decimal part ("3.00", as a
// formatted Excel number shows) are accepted.
func parseCount(v string) (int64, bool) {
	v = strings.ReplaceAll(v, ",", "")
	if whole, frac, dot := strings.Cut(v, "."); dot {
		if strings.Trim(frac, "0") != "" {
			return 0, false
		}
		v = whole
	}
	if !allDigits(v) || len(v) > 13 {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n > maxCents {
		return 0, false
	}
	return n, true
}

// parseYuan reads a non-negative yuan amount with at most two decimals and
// returns it in cents, exactly: the digits are parsed as a decimal string,
// never through a float ("12.5" -> 1250, "0.5" -> 50, "1.234" -> not ok).
func parseYuan(v string) (int64, bool) {
	v = strings.TrimLeft(strings.ReplaceAll(v, ",", ""), "¥￥")
	if v == "" || v == "." {
		return 0, false
	}
	whole, frac, _ := strings.Cut(v, ".")
	frac = strings.TrimRight(frac, "0")
	if whole == "" {
		whole = "0" // ".5"
	}
	if !allDigits(whole) || len(whole) > 11 || len(frac) > 2 || (frac != "" && !allDigits(frac)) {
		return 0, false
	}
	cents, _ := strconv.ParseInt(whole+(frac + "00")[:2], 10, 64)
	return cents, true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// timeLayouts are the data-time forms accepted besides RFC 3339, read in the
// caller's zone. Single-digit layout fields also accept two digits, so
// "2006-1-2" covers "2026-06-30" and WPS's "2026/6/30".
var timeLayouts = []string{
	"2006-1-2 15:04:05",
	"2006-1-2 15:04",
	"2006-1-2",
	"2006/1/2 15:04:05",
	"2006/1/2 15:04",
	"2006/1/2",
	"2006年1月2日 15:04:05",
	"2006年1月2日",
}

func parseTime(v string, loc *time.Location) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, true
	}
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, v, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
