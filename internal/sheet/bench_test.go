package sheet

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

// rosterRows generates n valid roster rows with a few supervisors.
func rosterRows(n int) [][]string {
	rows := [][]string{zhHeader}
	degrees := []string{"硕士", "博士"}
	types := []string{"毕业", "结业", "肄业", "退学"}
	campuses := []string{"A区", "B区", "虎溪校区"}
	for i := 0; i < n; i++ {
		rows = append(rows, []string{
			fmt.Sprintf("2024%06d", i), "学生" + fmt.Sprint(i), fmt.Sprintf("第%d学院", i%30),
			degrees[i%2], types[i%4], campuses[i%3], fmt.Sprintf("%05dX", i%100000),
			fmt.Sprintf("T%04d", i%500), []string{"是", "否"}[i%2], []string{"1", "0"}[i%3%2],
		})
	}
	return rows
}

// TestParseRoster20k checks that the benchmark's file parses completely, so
// the benchmark measures real work.
func TestParseRoster20k(t *testing.T) {
	data := xlsxFile(t, anyRows(rosterRows(20000)))
	start := time.Now()
	good, bad, err := ParseRoster("big.xlsx", bytes.NewReader(data), RosterOptions{IsSupervisor: func(string) bool { return true }})
	if err != nil || len(bad) != 0 || len(good) != 20000 {
		t.Fatalf("good=%d bad=%d err=%v", len(good), len(bad), err)
	}
	if last := good[19999]; last.Row != 20001 || last.Student.StudentNo != "2024019999" {
		t.Fatalf("last row = %+v", last)
	}
	t.Logf("parsed 20,000 rows (%d KB xlsx) in %v", len(data)/1024, time.Since(start))
}

func BenchmarkParseRoster20k(b *testing.B) {
	data := xlsxFile(b, anyRows(rosterRows(20000)))
	opt := RosterOptions{IsSupervisor: func(string) bool { return true }}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		good, _, err := ParseRoster("big.xlsx", bytes.NewReader(data), opt)
		if err != nil || len(good) != 20000 {
			b.Fatalf("good=%d err=%v", len(good), err)
		}
	}
}

func BenchmarkParseRoster20kCSV(b *testing.B) {
	data := csvFile(b, rosterRows(20000))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if good, _, err := ParseRoster("big.csv", bytes.NewReader(data), RosterOptions{}); err != nil || len(good) != 20000 {
			b.Fatalf("good=%d err=%v", len(good), err)
		}
	}
}

func BenchmarkWriteTable20k(b *testing.B) {
	rows := rosterRows(20000)
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := WriteTable(&buf, "待办名单", rows[0], rows[1:]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len())/1024, "KB/file")
}
