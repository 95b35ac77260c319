package api

import (
	"bytes"
	"errors"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/service"
	"github.com/lixiao/lixiao/internal/sheet"
)

// maxUploadBytes caps an uploaded spreadsheet; a 20,000-row roster is
// about 1 MiB as .xlsx.
const maxUploadBytes = 20 << 20

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// upload opens the multipart "file" of an import. ?partial=1 asks to apply
// the good rows even when some rows are bad.
func upload(c *gin.Context) (service.Upload, func(), error) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxUploadBytes+64<<10)
	fh, err := c.FormFile("file")
	switch {
	case isTooLarge(err):
		return service.Upload{}, nil, badBody("文件过大（上限 20 MiB）", err)
	case errors.Is(err, http.ErrMissingFile):
		return service.Upload{}, nil, badBody("请上传文件（表单字段名为 file）", err)
	case err != nil:
		return service.Upload{}, nil, badBody("请以 multipart/form-data 上传文件（表单字段名为 file）", err)
	case fh.Size > maxUploadBytes:
		return service.Upload{}, nil, badBody("文件过大（上限 20 MiB）", nil)
	}
	f, err := fh.Open()
	if err != nil {
		return service.Upload{}, nil, err
	}
	return service.Upload{Name: fh.Filename, Body: f, Partial: partialFlag(c.Query("partial"))}, func() { closeFile(f) }, nil
}

func closeFile(f multipart.File) { _ = f.Close() }

func partialFlag(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes":
		return true
	}
	return false
}

// rowsErrorBody is a refused upload: the error envelope plus every bad row,
// and for rosters the counts (both zero: nothing was applied).
type rowsErrorBody struct {
	Code    string           `json:"code"`
	Message string           `json:"message"`
	Created *int             `json:"created,omitempty"`
	Updated *int             `json:"updated,omitempty"`
	Errors  []sheet.RowError `json:"errors"`
}

// writeRowsError answers an upload refused for its rows with 400 and the
// rows, or falls back to the usual envelope.
func (s *Server) writeRowsError(c *gin.Context, err error, rows []sheet.RowError, roster bool) {
	e, ok := domain.AsError(err)
	if !ok || e.Code != domain.CodeInvalidArgument || len(rows) == 0 {
		writeError(c, s.log, err)
		return
	}
	body := rowsErrorBody{Code: string(e.Code), Message: e.Message, Errors: rows}
	if roster {
		zero := 0
		body.Created, body.Updated = &zero, &zero
	}
	c.AbortWithStatusJSON(http.StatusBadRequest, body)
}

func (s *Server) importStudents(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	up, done, err := upload(c)
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	defer done()
	res, err := s.svc.ImportStudents(c.Request.Context(), principal(c), id, up)
	if err != nil {
		s.writeRowsError(c, err, res.Errors, true)
		return
	}
	c.JSON(http.StatusOK, res)
}

// recordsImportResponse is a list upload's result: one result per applied
// row, and with ?partial=1 the rows that were skipped.
type recordsImportResponse struct {
	service.RecordsResult
	Errors []sheet.RowError `json:"errors"`
}

func (s *Server) importRecords(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	up, done, err := upload(c)
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	defer done()
	res, bad, err := s.svc.ImportRecords(c.Request.Context(), principal(c), id, c.Param("system"), up)
	if err != nil {
		s.writeRowsError(c, err, bad, false)
		return
	}
	if bad == nil {
		bad = []sheet.RowError{}
	}
	c.JSON(http.StatusOK, recordsImportResponse{RecordsResult: res, Errors: bad})
}

func (s *Server) rosterTemplate(c *gin.Context) {
	var buf bytes.Buffer
	if err := s.svc.RosterTemplate(principal(c), &buf); err != nil {
		writeError(c, s.log, err)
		return
	}
	attachment(c, "template.xlsx", "学生名单导入模板.xlsx", buf.Bytes())
}

func (s *Server) stats(c *gin.Context) {
	batch, err := queryID(c, "batch")
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	v, err := s.svc.Stats(c.Request.Context(), principal(c), batch)
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

func exportFilter(c *gin.Context) (service.ExportFilter, error) {
	batch, err := queryID(c, "batch")
	return service.ExportFilter{BatchID: batch, Stage: domain.StageCode(strings.TrimSpace(c.Query("stage"))),
		College: strings.TrimSpace(c.Query("college"))}, err
}

func (s *Server) exportPending(c *gin.Context) {
	f, err := exportFilter(c)
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	x, err := s.svc.ExportPending(c.Request.Context(), principal(c), f)
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	attachment(c, "pending.xlsx", x.Filename, x.Data)
}

func (s *Server) exportComplete(c *gin.Context) {
	f, err := exportFilter(c)
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	f.Stage = ""
	x, err := s.svc.ExportComplete(c.Request.Context(), principal(c), f)
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	attachment(c, "complete.xlsx", x.Filename, x.Data)
}

// attachment sends an .xlsx download named name (Chinese, RFC 5987) with an
// ASCII fallback for old clients. Exports hold personal data: no caching.
func attachment(c *gin.Context, fallback, name string, data []byte) {
	c.Header("Content-Disposition", `attachment; filename="`+fallback+`"; filename*=UTF-8''`+rfc5987(name))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, xlsxType, data)
}

// rfc5987 percent-encodes every byte that is not an attr-char of RFC 5987.
func rfc5987(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case 'a' <= ch && ch <= 'z', 'A' <= ch && ch <= 'Z', '0' <= ch && ch <= '9',
			strings.IndexByte("!#$&+-.^_`|~", ch) >= 0:
			b.WriteByte(ch)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[ch>>4])
			b.WriteByte(hex[ch&15])
		}
	}
	return b.String()
}
