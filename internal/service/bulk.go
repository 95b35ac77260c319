package service

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/sheet"
)

// MaxBulkRows bounds one bulk clearance: a department's list for one day,
// not a whole roster, and small enough to answer within a request.
const MaxBulkRows = 2000

// BulkRow is one student of a bulk clearance and where it came from: the
// position in a JSON list (from 1) or the row number in the spreadsheet.
type BulkRow struct {
	Row       int
	StudentNo string
}

// BulkRequest is a bulk clearance of one stage.
type BulkRequest struct {
	BatchID int64 // 0: each student's newest batch
	Rows    []BulkRow
	Note    string
}

// BulkRowResult says what happened to one row.
type BulkRowResult struct {
	Row       int    `json:"row"`
	StudentNo string `json:"student_no"`
	Changed   bool   `json:"changed"`
	Status    string `json:"status,omitempty"`
	Code      string `json:"code,omitempty"`
	Message   string `json:"message,omitempty"`
}

// BulkResult is the outcome of every row, in input order.
type BulkResult struct {
	Changed   int             `json:"changed"`
	Unchanged int             `json:"unchanged"`
	Failed    int             `json:"failed"`
	Results   []BulkRowResult `json:"results"`
}

// BulkRowsOf numbers a JSON list of student numbers from 1.
func BulkRowsOf(studentNos []string) []BulkRow {
	out := make([]BulkRow, len(studentNos))
	for i, no := range studentNos {
		out[i] = BulkRow{Row: i + 1, StudentNo: no}
	}
	return out
}

// studentNoHeaders are the header cells that name the student-number column.
var studentNoHeaders = map[string]bool{"学号": true, "student_no": true, "学号(student_no)": true, "studentno": true}

// ReadBulkFile reads the student numbers of an uploaded .xlsx or .csv. The
// file needs a 学号 (student_no) column; other columns are ignored. Rows
// keep the numbers the user sees in Excel.
func ReadBulkFile(name string, r io.Reader) ([]BulkRow, error) {
	header, rows, err := sheet.ReadRows(name, r)
	if err != nil {
		return nil, err
	}
	col := -1
	for i, h := range header {
		h = strings.ToLower(strings.Join(strings.Fields(strings.NewReplacer("（", "(", "）", ")").Replace(h)), ""))
		if studentNoHeaders[h] {
			col = i
			break
		}
	}
	if col < 0 {
		return nil, domain.Errorf(domain.CodeInvalidArgument, "缺少列：学号(student_no)")
	}
	out := make([]BulkRow, 0, len(rows))
	for _, tr := range rows {
		if len(out) == MaxBulkRows {
			return nil, errTooManyRows
		}
		out = append(out, BulkRow{Row: tr.Row, StudentNo: tr.Cells[col]})
	}
	return out, nil
}

var errTooManyRows = domain.Errorf(domain.CodeInvalidArgument, "一次最多办理 %d 名学生，请分批提交", MaxBulkRows)

// BulkClear clears one stage for many students. Each student is its own
// transaction, so one bad row does not stop the others; the result says
// which rows changed and why the others did not.
func (s *Service) BulkClear(ctx context.Context, p Principal, code domain.StageCode, r BulkRequest) (BulkResult, error) {
	if _, err := stageRole(p, code); err != nil {
		return BulkResult{}, err
	}
	switch {
	case len(r.Rows) == 0:
		return BulkResult{}, domain.Errorf(domain.CodeInvalidArgument, "请提供至少一个学号")
	case len(r.Rows) > MaxBulkRows:
		return BulkResult{}, errTooManyRows
	}
	if r.BatchID != 0 {
		b, err := s.batch(ctx, r.BatchID)
		if err != nil {
			return BulkResult{}, err
		}
		if _, ok := b.Stage(code); !ok {
			return BulkResult{}, domain.Errorf(domain.CodeNotFound, "本批次没有环节 %s", code)
		}
	}
	out := BulkResult{Results: make([]BulkRowResult, 0, len(r.Rows))}
	seen := map[string]int{}
	for _, row := range r.Rows {
		res := s.bulkRow(ctx, p, code, r, row, seen)
		switch {
		case res.Changed:
			out.Changed++
		case res.Code == "":
			out.Unchanged++
		default:
			out.Failed++
		}
		out.Results = append(out.Results, res)
	}
	s.log.Info("bulk clear", "stage", code, "by", p.Actor("").ID, "changed", out.Changed,
		"unchanged", out.Unchanged, "failed", out.Failed)
	return out, nil
}

func (s *Service) bulkRow(ctx context.Context, p Principal, code domain.StageCode, r BulkRequest, row BulkRow,
	seen map[string]int) BulkRowResult {
	no := strings.TrimSpace(row.StudentNo)
	res := BulkRowResult{Row: row.Row, StudentNo: no}
	fail := func(err error) BulkRowResult {
		e, ok := domain.AsError(err)
		if !ok || domain.ErrorCode(err) == domain.CodeInternal {
			s.log.Error("bulk clear row", "stage", code, "row", row.Row, "err", err)
			res.Code, res.Message = string(domain.CodeInternal), "服务器内部错误，请稍后重试该行"
			return res
		}
		res.Code, res.Message = string(e.Code), e.Message
		return res
	}
	if no == "" {
		return fail(domain.Errorf(domain.CodeInvalidArgument, "学号为空"))
	}
	if first, dup := seen[no]; dup {
		res.Message = fmt.Sprintf("与第 %d 行重复，已按第 %d 行办理", first, first)
		return res
	}
	seen[no] = row.Row
	batchID, err := s.batchOf(ctx, no, r.BatchID)
	if err != nil {
		return fail(err)
	}
	status, changed, err := s.actOne(ctx, p, code, domain.ActionClear, batchID, no, domain.ChannelBulk, r.Note)
	res.Status, res.Changed = string(status), changed
	switch {
	case err != nil:
		return fail(err)
	case changed:
	case status == domain.StatusNotApplicable:
		res.Message = "该生无需办理此环节"
	default:
		res.Message = "已通过，无需重复办理"
	}
	return res
}
