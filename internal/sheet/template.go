package sheet

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Sheet names of the roster template.
const (
	templateSheet = "学生名单"
	helpSheet     = "说明"
	// templateRows is how far down the drop-down lists and text format reach.
	templateRows = 50000
)

// templateExample is the template's example row, in rosterColumns order.
// Its id_last6 starts with 0 to show that the column keeps leading zeros.
var templateExample = []string{"2024000001", "张三", "计算机学院", "硕士", "毕业", "A区", "012345", "10086", "是", "否"}

// templateHelp explains each column on the 说明 sheet, in rosterColumns order:
// required, allowed values.
var templateHelp = [][2]string{
	{"必填", "1–20 位字母或数字，同一文件内不能重复"},
	{"必填", "与身份证一致，学生绑定时需核对"},
	{"必填", "学院全称"},
	{"必填", "硕士 或 博士（也可填 master、doctor）"},
	{"必填", "毕业、结业、肄业 或 退学（也可填 graduated、completed、incomplete、withdrawn）"},
	{"必填", "A区、B区 或 虎溪校区（也可填 A、B、虎溪、huxi）"},
	{"必填", "身份证号码最后 6 位，末位可为 X；该列已设为文本格式，请勿改为数字，以免丢失开头的 0"},
	{"选填", "导师的教职工号，须先在系统中建立导师账号"},
	{"选填", "是 或 否（也可填 1、0），不填视为否"},
	{"选填", "是否有国家助学贷款：是 或 否（也可填 1、0），不填视为否"},
}

// templateLists are the drop-down choices offered on the 学生名单 sheet.
var templateLists = map[string][]string{
	"degree":         {"硕士", "博士"},
	"departure_type": {"毕业", "结业", "肄业", "退学"},
	"campus":         {"A区", "B区", "虎溪校区"},
	"party_member":   {"是", "否"},
	"has_loan":       {"是", "否"},
}

// RosterTemplate writes the import template: the Chinese headers ParseRoster
// accepts, one example row that parses, drop-down lists for the coded
// columns, text format ("@") on the student_no, id_last6 and
// supervisor_staff_no columns so Excel keeps leading zeros, and a second
// sheet "说明" explaining the allowed values.
func RosterTemplate(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", templateSheet); err != nil {
		return fmt.Errorf("sheet: template: %w", err)
	}
	if err := fillRosterSheet(f); err != nil {
		return fmt.Errorf("sheet: template: %w", err)
	}
	if err := fillHelpSheet(f); err != nil {
		return fmt.Errorf("sheet: template help: %w", err)
	}
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("sheet: write template: %w", err)
	}
	return nil
}

func fillRosterSheet(f *excelize.File) error {
	head, err := f.NewStyle(headerStyle())
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: numFmtText})
	if err != nil {
		return err
	}
	for i, c := range rosterColumns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		width := max(displayWidth(c.label), displayWidth(templateExample[i])) + 4
		if err := f.SetColWidth(templateSheet, col, col, width); err != nil {
			return err
		}
		if c.key == colStudentNo.key || c.key == colIDLast6.key || c.key == colSupervisor.key {
			if err := f.SetColStyle(templateSheet, col, text); err != nil {
				return err
			}
		}
		if err := f.SetCellStr(templateSheet, col+"1", c.label); err != nil {
			return err
		}
		if err := f.SetCellStr(templateSheet, col+"2", templateExample[i]); err != nil {
			return err
		}
		if list, ok := templateLists[c.key]; ok {
			dv := excelize.NewDataValidation(true)
			dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, templateRows)
			if err := dv.SetDropList(list); err != nil {
				return err
			}
			// A warning, not a stop: the English codes are valid too.
			dv.SetError(excelize.DataValidationErrorStyleWarning, c.label, "建议从下拉列表中选择")
			if err := f.AddDataValidation(templateSheet, dv); err != nil {
				return err
			}
		}
	}
	if err := f.SetCellStyle(templateSheet, "A1", "J1", head); err != nil {
		return err
	}
	return f.SetPanes(templateSheet, frozenHeader())
}

func fillHelpSheet(f *excelize.File) error {
	if _, err := f.NewSheet(helpSheet); err != nil {
		return err
	}
	head, err := f.NewStyle(headerStyle())
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	rows := [][]any{{"列名", "英文列名", "是否必填", "填写说明"}}
	for i, c := range rosterColumns {
		rows = append(rows, []any{c.label, c.key, templateHelp[i][0], templateHelp[i][1]})
	}
	rows = append(rows, []any{}, []any{"注意",
		"第一行为表头，列的顺序可以调整，中文或英文列名均可；多余的列会被忽略。第 2 行是示例，导入前请删除或替换。支持 .xlsx 和 .csv（UTF-8 或 GBK 编码）。默认情况下，任何一行有错误时整个文件都不会导入，请按提示的行号修改后重新上传。"})
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(helpSheet, cell, &r); err != nil {
			return err
		}
	}
	for col, width := range map[string]float64{"A": 14, "B": 22, "C": 10, "D": 80} {
		if err := f.SetColWidth(helpSheet, col, col, width); err != nil {
			return err
		}
	}
	last := fmt.Sprintf("D%d", len(rows))
	if err := f.SetCellStyle(helpSheet, "A2", last, wrap); err != nil {
		return err
	}
	return f.SetCellStyle(helpSheet, "A1", "D1", head)
}
