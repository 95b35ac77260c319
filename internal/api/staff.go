package api

import (
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/service"
)

// maxBulkUpload caps an uploaded bulk-clearance spreadsheet; 2,000 student
// numbers fit in far less.
const maxBulkUpload = 8 << 20

type redeemRequest struct {
	InviteCode string `json:"invite_code"`
}

func (s *Server) redeem(c *gin.Context) {
	var req redeemRequest
	if err := bindJSON(c, &req); err != nil {
		writeError(c, s.log, err)
		return
	}
	a, err := s.svc.Redeem(c.Request.Context(), principal(c), req.InviteCode)
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, a)
}

type scanRequest struct {
	QRToken string `json:"qr_token"`
}

func (s *Server) scan(c *gin.Context) {
	var req scanRequest
	if err := bindJSON(c, &req); err != nil {
		writeError(c, s.log, err)
		return
	}
	v, err := s.svc.Scan(c.Request.Context(), principal(c), req.QRToken)
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, v)
}

// stageActionRequest is the body of clear (with note), reject and revoke
// (with reason). batch_id is optional: the student's newest batch.
type stageActionRequest struct {
	StudentNo string `json:"student_no"`
	Note      string `json:"note"`
	Reason    string `json:"reason"`
	BatchID   int64  `json:"batch_id"`
}

// stageAction binds a stage action's body and runs it. Clear takes a note,
// reject and revoke a reason; the other field is refused so a typo does
// not silently drop what staff wrote.
func (s *Server) stageAction(c *gin.Context, a domain.Action) {
	var req stageActionRequest
	if err := bindJSON(c, &req); err != nil {
		writeError(c, s.log, err)
		return
	}
	r := service.StageRequest{StudentNo: req.StudentNo, BatchID: req.BatchID, Reason: req.Reason}
	code := domain.StageCode(c.Param("code"))
	ctx, p := c.Request.Context(), principal(c)
	var (
		st  service.StageView
		err error
	)
	switch {
	case a == domain.ActionClear && req.Reason != "":
		err = badBody("请求格式错误：通过时请用 note 字段填写备注", nil)
	case a != domain.ActionClear && req.Note != "":
		err = badBody("请求格式错误：退回或撤销时请用 reason 字段填写原因", nil)
	case a == domain.ActionClear:
		r.Reason = req.Note
		st, err = s.svc.ClearStage(ctx, p, code, r)
	case a == domain.ActionReject:
		st, err = s.svc.RejectStage(ctx, p, code, r)
	default:
		st, err = s.svc.RevokeStage(ctx, p, code, r)
	}
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, st)
}

func (s *Server) clearStage(c *gin.Context)  { s.stageAction(c, domain.ActionClear) }
func (s *Server) rejectStage(c *gin.Context) { s.stageAction(c, domain.ActionReject) }
func (s *Server) revokeStage(c *gin.Context) { s.stageAction(c, domain.ActionRevoke) }

type bulkClearRequest struct {
	StudentNos []string `json:"student_nos"`
	BatchID    int64    `json:"batch_id"`
	Note       string   `json:"note"`
}

// bulkClear takes a JSON list of student numbers, or a multipart upload
// whose "file" is an .xlsx or .csv with a 学号 column (batch_id and note
// may come as form fields, or batch as a query parameter).
func (s *Server) bulkClear(c *gin.Context) {
	var req service.BulkRequest
	if strings.HasPrefix(c.ContentType(), "multipart/") {
		r, err := s.bulkUpload(c)
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		req = r
	} else {
		var body bulkClearRequest
		if err := bindJSON(c, &body); err != nil {
			writeError(c, s.log, err)
			return
		}
		if len(body.StudentNos) > service.MaxBulkRows {
			writeError(c, s.log, domain.Errorf(domain.CodeInvalidArgument, "一次最多办理 %d 名学生，请分批提交", service.MaxBulkRows))
			return
		}
		req = service.BulkRequest{BatchID: body.BatchID, Note: body.Note, Rows: service.BulkRowsOf(body.StudentNos)}
	}
	res, err := s.svc.BulkClear(c.Request.Context(), principal(c), domain.StageCode(c.Param("code")), req)
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

// bulkUpload reads the multipart form of a bulk clearance.
func (s *Server) bulkUpload(c *gin.Context) (service.BulkRequest, error) {
	var req service.BulkRequest
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBulkUpload)
	fh, err := c.FormFile("file")
	if err != nil {
		if isTooLarge(err) {
			return req, badBody("文件过大（上限 8 MiB）", err)
		}
		return req, badBody("请以 file 字段上传 .xlsx 或 .csv 文件", err)
	}
	if req.BatchID, err = queryID(c, "batch"); err != nil {
		return req, err
	}
	if v := c.PostForm("batch_id"); v != "" && req.BatchID == 0 {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return req, domain.Errorf(domain.CodeInvalidArgument, "参数 batch_id 应为正整数")
		}
		req.BatchID = id
	}
	req.Note = c.PostForm("note")
	f, err := fh.Open()
	if err != nil {
		return req, badBody("无法读取上传的文件", err)
	}
	defer f.Close()
	req.Rows, err = service.ReadBulkFile(filepath.Base(fh.Filename), f)
	return req, err
}

func (s *Server) worklist(c *gin.Context) {
	var q service.WorklistQuery
	var err error
	if q.BatchID, err = queryID(c, "batch"); err != nil {
		writeError(c, s.log, err)
		return
	}
	page, err := queryID(c, "page")
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	size, err := queryID(c, "page_size")
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	if size > 10000 {
		size = 10000 // the service refuses anything above its own limit
	}
	q.Page, q.PageSize = int(min(page, 1<<30)), int(size)
	q.Status = domain.Status(c.Query("status"))
	q.College = c.Query("college")
	q.Campus = domain.Campus(c.Query("campus"))
	res, err := s.svc.Worklist(c.Request.Context(), principal(c), domain.StageCode(c.Param("code")), q)
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, res)
}
