package sheet

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/xuri/excelize/v2"
)

// xlsxFile builds a real .xlsx whose first sheet holds rows; a nil row leaves
// that row empty. Values keep their Go type, so ints become numeric cells.
func xlsxFile(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		if r == nil {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// csvFile encodes rows as CSV bytes.
func csvFile(t testing.TB, rows [][]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// anyRows turns string rows into xlsx rows of string cells.
func anyRows(rows [][]string) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		if r == nil {
			continue
		}
		out[i] = make([]any, len(r))
		for j, v := range r {
			out[i][j] = v
		}
	}
	return out
}

// file builds rows in the format the name's extension asks for.
func file(t testing.TB, name string, rows [][]string) []byte {
	t.Helper()
	if name[len(name)-4:] == ".csv" {
		return csvFile(t, rows)
	}
	return xlsxFile(t, anyRows(rows))
}
