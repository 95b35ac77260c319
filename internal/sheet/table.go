// Package sheet reads the spreadsheets administrators upload (rosters,
// integration lists, bulk clearances) and writes the ones they download
// (the roster template, pending and complete exports). Uploads may be .xlsx
// or .csv; every problem is reported in Chinese with the row number the user
// sees in Excel or WPS, so a 20,000-row roster can be fixed in one pass.
package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/lixiao/lixiao/internal/domain"
)

// MaxRows bounds the row numbers a file may use, so a crafted file that
// declares row 1,000,000 cannot keep a request busy. A roster is ~20,000 rows.
const MaxRows = 100000

// maxUnzipped bounds how much an uploaded .xlsx may inflate to (zip bombs).
const maxUnzipped = 256 << 20

// TableRow is one non-empty data row. Row is the row number the user sees
// (header = 1), which stays right when empty rows are skipped.
type TableRow struct {
	Row   int
	Cells []string
}

// ReadTable reads the first sheet of an .xlsx or a .csv file. Cells are
// trimmed of surrounding white space; rows shorter than the header are padded
// with "". Fully empty rows are skipped, so use ReadRows when the caller must
// report row numbers.
func ReadTable(name string, r io.Reader) (header []string, rows [][]string, err error) {
	header, trs, err := ReadRows(name, r)
	if err != nil {
		return nil, nil, err
	}
	rows = make([][]string, len(trs))
	for i, tr := range trs {
		rows[i] = tr.Cells
	}
	return header, rows, nil
}

// ReadRows is ReadTable keeping each row's spreadsheet row number. The header
// is the first non-empty row; a UTF-8 BOM on it is dropped.
func ReadRows(name string, r io.Reader) (header []string, rows []TableRow, err error) {
	var c collector
	switch strings.ToLower(filepath.Ext(strings.TrimSpace(name))) {
	case ".xlsx":
		err = readXLSX(r, &c)
	case ".csv":
		err = readCSV(r, &c)
	default:
		return nil, nil, domain.Errorf(domain.CodeInvalidArgument, "仅支持 .xlsx 或 .csv 文件")
	}
	if err != nil {
		return nil, nil, err
	}
	if c.header == nil {
		return nil, nil, domain.Errorf(domain.CodeInvalidArgument, "文件为空：第一行应为表头")
	}
	return c.header, c.rows, nil
}

// collector turns raw rows into a header and trimmed, numbered data rows.
type collector struct {
	header []string
	rows   []TableRow
}

func (c *collector) add(num int, cells []string) error {
	if num > MaxRows {
		return domain.Errorf(domain.CodeInvalidArgument, "文件超过 %d 行，请拆分后分批导入", MaxRows)
	}
	empty := true
	for i, s := range cells {
		cells[i] = clean(s)
		if cells[i] != "" {
			empty = false
		}
	}
	if empty {
		return nil
	}
	if c.header == nil {
		c.header = cells
		return nil
	}
	for len(cells) < len(c.header) {
		cells = append(cells, "")
	}
	c.rows = append(c.rows, TableRow{Row: num, Cells: cells})
	return nil
}

// clean trims white space (including full-width and no-break spaces), BOMs
// and zero-width spaces, which copy-pasting from web pages leaves behind.
func clean(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\ufeff' || r == '\u200b'
	})
}

func readXLSX(r io.Reader, c *collector) error {
	f, err := excelize.OpenReader(r, excelize.Options{
		UnzipSizeLimit: maxUnzipped,
		// Date cells come through as 2026-06-30 rather than 06-30-26.
		ShortDatePattern: "yyyy-mm-dd",
		LongTimePattern:  "hh:mm:ss",
	})
	if err != nil {
		return &domain.Error{Code: domain.CodeInvalidArgument,
			Message: "无法读取 Excel 文件：文件可能已损坏、已加密或不是 .xlsx 格式", Err: err}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return domain.Errorf(domain.CodeInvalidArgument, "Excel 文件中没有工作表")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return &domain.Error{Code: domain.CodeInvalidArgument, Message: "无法读取 Excel 工作表", Err: err}
	}
	defer rows.Close()
	// Rows yields every row number in turn, missing rows as empty ones, so
	// counting Next calls gives the row number the user sees.
	num := 0
	for rows.Next() {
		num++
		cells, err := rows.Columns()
		if err != nil {
			return xlsxRowError(num, err)
		}
		if err := c.add(num, cells); err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return xlsxRowError(num, err)
	}
	return nil
}

func xlsxRowError(num int, err error) error {
	if errors.Is(err, excelize.ErrMaxRows) {
		return domain.Errorf(domain.CodeInvalidArgument, "文件超过 %d 行，请拆分后分批导入", MaxRows)
	}
	return &domain.Error{Code: domain.CodeInvalidArgument,
		Message: fmt.Sprintf("无法读取 Excel 文件第 %d 行", num), Err: err}
}

func readCSV(r io.Reader, c *collector) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("sheet: read csv: %w", err)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		// Excel on Chinese Windows saves "CSV (逗号分隔)" as GBK.
		if data, err = simplifiedchinese.GB18030.NewDecoder().Bytes(data); err != nil {
			return &domain.Error{Code: domain.CodeInvalidArgument,
				Message: "CSV 文件编码无法识别，请另存为 UTF-8 编码或 .xlsx", Err: err}
		}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	// encoding/csv drops blank lines; they are still rows in Excel, so the
	// row number advances by the lines between records, and a quoted field
	// spanning lines is still one row.
	num, prevEnd := 0, 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			line := num + 1
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			return &domain.Error{Code: domain.CodeInvalidArgument,
				Message: fmt.Sprintf("CSV 文件第 %d 行格式错误（引号不匹配？）", line), Err: err}
		}
		start, _ := cr.FieldPos(0)
		num += 1 + max(start-prevEnd-1, 0)
		last := len(rec) - 1
		end, _ := cr.FieldPos(last)
		prevEnd = end + strings.Count(rec[last], "\n")
		if err := c.add(num, rec); err != nil {
			return err
		}
	}
}
