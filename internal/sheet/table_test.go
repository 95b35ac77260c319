package sheet

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/lixiao/lixiao/internal/domain"
)

func TestReadRows(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		data   []byte
		header []string
		rows   []TableRow
	}{
		{
			name:   "xlsx with gaps and short rows",
			file:   "a.xlsx",
			data:   xlsxFile(t, [][]any{{" 学号 ", "姓名", "备注"}, {"1", "甲"}, nil, {"", "", ""}, {"2", "乙", " x "}}),
			header: []string{"学号", "姓名", "备注"},
			rows:   []TableRow{{2, []string{"1", "甲", ""}}, {5, []string{"2", "乙", "x"}}},
		},
		{
			name:   "xlsx header below empty rows",
			file:   "A.XLSX",
			data:   xlsxFile(t, [][]any{nil, {"a"}, {"1"}}),
			header: []string{"a"},
			rows:   []TableRow{{3, []string{"1"}}},
		},
		{
			name:   "csv blank lines and a quoted field spanning lines",
			file:   "a.csv",
			data:   []byte("\ufeffa,b\r\n1,\"x\r\ny\"\r\n\r\n,\r\n2,z\n"),
			header: []string{"a", "b"},
			rows:   []TableRow{{2, []string{"1", "x\ny"}}, {5, []string{"2", "z"}}},
		},
		{
			name:   "csv in GBK as Excel on Chinese Windows saves it",
			file:   "a.csv",
			data:   []byte{0xd1, 0xa7, 0xba, 0xc5, '\n', '1', '\n'}, // 学号
			header: []string{"学号"},
			rows:   []TableRow{{2, []string{"1"}}},
		},
		{
			name:   "csv with fewer cells than the header",
			file:   "a.csv",
			data:   []byte("a,b,c\n1\n"),
			header: []string{"a", "b", "c"},
			rows:   []TableRow{{2, []string{"1", "", ""}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header, rows, err := ReadRows(tt.file, bytes.NewReader(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(header, tt.header) {
				t.Errorf("header = %q, want %q", header, tt.header)
			}
			if !reflect.DeepEqual(rows, tt.rows) {
				t.Errorf("rows = %+v, want %+v", rows, tt.rows)
			}
			_, plain, err := ReadTable(tt.file, bytes.NewReader(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if len(plain) != len(tt.rows) {
				t.Fatalf("ReadTable gave %d rows, want %d", len(plain), len(tt.rows))
			}
			for i := range plain {
				if !reflect.DeepEqual(plain[i], tt.rows[i].Cells) {
					t.Errorf("ReadTable row %d = %q, want %q", i, plain[i], tt.rows[i].Cells)
				}
			}
		})
	}
}

func TestReadRowsFileErrors(t *testing.T) {
	tests := []struct {
		name, file string
		data       []byte
		message    string
	}{
		{"xls", "名单.xls", []byte("x"), "仅支持 .xlsx 或 .csv 文件"},
		{"no extension", "名单", []byte("x"), "仅支持 .xlsx 或 .csv 文件"},
		{"empty csv", "a.csv", []byte("\n ,\n"), "文件为空：第一行应为表头"},
		{"corrupt xlsx", "a.xlsx", []byte("not a zip"), "无法读取 Excel 文件：文件可能已损坏、已加密或不是 .xlsx 格式"},
		{"bad quotes", "a.csv", []byte("a\n\"x\"y\"z\n"), "CSV 文件第 2 行格式错误（引号不匹配？）"},
		{"too many rows", "a.xlsx", xlsxTooLong(t), "文件超过 100000 行，请拆分后分批导入"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ReadRows(tt.file, bytes.NewReader(tt.data))
			e, ok := domain.AsError(err)
			if !ok || e.Code != domain.CodeInvalidArgument || e.Message != tt.message {
				t.Fatalf("err = %v, want invalid_argument %q", err, tt.message)
			}
		})
	}
}

func xlsxTooLong(t *testing.T) []byte {
	rows := make([][]any, MaxRows+1)
	rows[0] = []any{"a"}
	rows[MaxRows] = []any{"1"}
	return xlsxFile(t, rows)
}
