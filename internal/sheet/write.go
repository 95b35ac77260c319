package sheet

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Column widths in Excel character units.
const (
	minColWidth = 8
	maxColWidth = 60
)

// numFmtText is Excel's built-in "@" (text) format: digits such as student
// numbers stay text when a user edits the cell.
const numFmtText = 49

// WriteTable writes a simple sheet (title as sheet name, bold frozen header, text cells, sensible column widths). Used for the pending / complete exports. Must open in Excel and WPS: plain xlsx via excelize, strings as strings, no formulas.
// Rows are streamed, so a 20,000-row export stays cheap. The sheet name is
// made valid for Excel (at most 31 characters, none of []:*?/\).
func WriteTable(w io.Writer, sheetName string, header []string, rows [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	name := SheetName(sheetName)
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return fmt.Errorf("sheet: name sheet: %w", err)
	}
	headStyle, err := f.NewStyle(headerStyle())
	if err != nil {
		return fmt.Errorf("sheet: header style: %w", err)
	}
	textStyle, err := f.NewStyle(&excelize.Style{NumFmt: numFmtText})
	if err != nil {
		return fmt.Errorf("sheet: text style: %w", err)
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("sheet: stream writer: %w", err)
	}
	for i, width := range columnWidths(header, rows) {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return fmt.Errorf("sheet: column width: %w", err)
		}
	}
	if len(header) > 0 {
		if err := sw.SetPanes(frozenHeader()); err != nil {
			return fmt.Errorf("sheet: freeze header: %w", err)
		}
	}
	if err := sw.SetRow("A1", textCells(header, headStyle)); err != nil {
		return fmt.Errorf("sheet: header row: %w", err)
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, textCells(row, textStyle)); err != nil {
			return fmt.Errorf("sheet: row %d: %w", i+2, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("sheet: flush: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("sheet: write xlsx: %w", err)
	}
	return nil
}

// textCells makes every value a string cell: never a number or a formula,
// even for "0012" or "=1+1".
func textCells(values []string, style int) []any {
	cells := make([]any, len(values))
	for i, v := range values {
		cells[i] = excelize.Cell{StyleID: style, Value: v}
	}
	return cells
}

func headerStyle() *excelize.Style {
	return &excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Alignment: &excelize.Alignment{Vertical: "center"},
		NumFmt:    numFmtText,
	}
}

func frozenHeader() *excelize.Panes {
	return &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}
}

// columnWidths fits each column to its widest cell, counting CJK characters
// as two, within [minColWidth, maxColWidth].
func columnWidths(header []string, rows [][]string) []float64 {
	n := len(header)
	for _, r := range rows {
		n = max(n, len(r))
	}
	widths := make([]float64, n)
	measure := func(cells []string) {
		for i, s := range cells {
			widths[i] = max(widths[i], displayWidth(s))
		}
	}
	measure(header)
	for _, r := range rows {
		measure(r)
	}
	for i, w := range widths {
		widths[i] = min(max(w+2, minColWidth), maxColWidth)
	}
	return widths
}

func displayWidth(s string) float64 {
	w := 0.0
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		if r >= 0x1100 {
			w += 2 // wide enough for CJK and full-width forms
		} else {
			w++
		}
	}
	return w
}

// SheetName makes title a valid Excel sheet name: the characters []:*?/\
// become "_", quotes at either end are dropped, it is cut to 31 characters,
// and an empty result becomes "Sheet1".
func SheetName(title string) string {
	s := strings.NewReplacer("[", "_", "]", "_", ":", "_", "*", "_", "?", "_", "/", "_", "\\", "_").
		Replace(strings.TrimSpace(title))
	s = strings.Trim(s, "'")
	if r := []rune(s); len(r) > 31 {
		s = strings.TrimRight(string(r[:31]), "'")
	}
	if s == "" || strings.EqualFold(s, "History") {
		// Excel reserves "History".
		return "Sheet1"
	}
	return s
}
