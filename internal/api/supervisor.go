package api

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"
	"github.com/lixiao/lixiao/internal/service"
)

func (s *Server) supervisorStudents(c *gin.Context) {
	batch, err := queryID(c, "batch")
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	res, err := s.svc.SupervisorStudents(c.Request.Context(), principal(c), batch)
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

// confirmItems are the five items of the confirmation form; a missing item
// counts as not confirmed.
type confirmItems struct {
	Instruments bool `json:"instruments"`
	Equipment   bool `json:"equipment"`
	Funds       bool `json:"funds"`
	Project     bool `json:"project"`
	Classified  bool `json:"classified"`
}

type confirmRequest struct {
	Items   confirmItems `json:"items"`
	BatchID int64        `json:"batch_id"`
}

func (s *Server) supervisorConfirm(c *gin.Context) {
	var req confirmRequest
	if err := bindJSON(c, &req); err != nil {
		writeError(c, s.log, err)
		return
	}
	it := req.Items
	st, err := s.svc.ConfirmSupervisor(c.Request.Context(), principal(c), c.Param("student_no"), service.ConfirmRequest{
		BatchID: req.BatchID, Items: service.SupervisorItems{Instruments: it.Instruments, Equipment: it.Equipment,
			Funds: it.Funds, Project: it.Project, Classified: it.Classified}})
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, st)
}

// confirmationForm sends the pre-filled form as a download. The Chinese
// file name goes in filename* (RFC 5987); filename is an ASCII fallback.
func (s *Server) confirmationForm(c *gin.Context) {
	p := principal(c)
	pdf, name, err := s.svc.ConfirmationForm(c.Request.Context(), p)
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="confirmation-%s.pdf"; filename*=UTF-8''%s`,
		p.StudentNo, url.PathEscape(name)))
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, "application/pdf", pdf)
}
