package domain

import (
	"reflect"
	"testing"
)

func TestRule6_LibraryMissing(t *testing.T) {
	const (
		books  = "尚有 2 本图书未归还"
		fine   = "超期欠款 10.01 元，超过 10 元，请先缴清"
		thesis = "尚未网上提交学位论文"
	)
	tests := []struct {
		name string
		rec  *LibraryRecord
		dep  DepartureType
		want []string
	}{
		{"nil record", nil, DepartureGraduated, []string{"图书馆尚未同步你的借阅数据，请稍后再试或到图书馆办理"}},
		{"all clear, graduated", &LibraryRecord{ThesisSubmitted: true}, DepartureGraduated, nil},
		{"fine exactly 10 yuan is allowed", &LibraryRecord{FineCents: 1000, ThesisSubmitted: true}, DepartureGraduated, nil},
		{"fine 10.01 yuan is not", &LibraryRecord{FineCents: 1001, ThesisSubmitted: true}, DepartureGraduated, []string{fine}},
		{"borrowed books", &LibraryRecord{Borrowed: 2, ThesisSubmitted: true}, DepartureGraduated, []string{books}},
		{"graduated without thesis", &LibraryRecord{}, DepartureGraduated, []string{thesis}},
		{"everything missing, in order", &LibraryRecord{Borrowed: 2, FineCents: 1001}, DepartureGraduated, []string{books, fine, thesis}},
		{"completed skips thesis", &LibraryRecord{}, DepartureCompleted, nil},
		{"incomplete skips thesis", &LibraryRecord{}, DepartureIncomplete, nil},
		{"withdrawn skips thesis", &LibraryRecord{}, DepartureWithdrawn, nil},
		{"withdrawn still returns books", &LibraryRecord{Borrowed: 2, FineCents: 1001}, DepartureWithdrawn, []string{books, fine}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LibraryMissing(tt.rec, tt.dep); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("LibraryMissing = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestYuan(t *testing.T) {
	tests := []struct {
		cents int64
		want  string
	}{
		{0, "0"}, {1000, "10"}, {1001, "10.01"}, {12345, "123.45"}, {5, "0.05"}, {-1050, "-10.50"},
	}
	for _, tt := range tests {
		if got := Yuan(tt.cents); got != tt.want {
			t.Errorf("Yuan(%d) = %q, want %q", tt.cents, got, tt.want)
		}
	}
}

func TestRule8_Complete(t *testing.T) {
	defs := handbookDefs()
	tests := []struct {
		name string
		defs []StageDef
		st   Statuses
		want bool
	}{
		{"fresh student", defs, statusesWith(nil), false},
		{"everything but grad_office", defs, allClearedExcept(StageGradOffice), false},
		{"grad_office rejected", defs, func() Statuses {
			st := allClearedExcept()
			st[StageGradOffice] = StatusRejected
			return st
		}(), false},
		{"grad_office cleared", defs, allClearedExcept(), true},
		{"grad_office not_applicable is not a cancelled card", defs, func() Statuses {
			st := allClearedExcept()
			st[StageGradOffice] = StatusNotApplicable
			return st
		}(), false},
		{"no completing stage configured", defs[:11], allClearedExcept(), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Complete(tt.defs, tt.st); got != tt.want {
				t.Errorf("Complete = %v, want %v", got, tt.want)
			}
		})
	}
}
