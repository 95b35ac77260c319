package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/service"
)

type createAccountRequest struct {
	Name    string `json:"name"`
	Role    string `json:"role"`
	Stage   string `json:"stage"`
	Campus  string `json:"campus"`
	College string `json:"college"`
	StaffNo string `json:"staff_no"`
}

func (s *Server) createAccount(c *gin.Context) {
	var req createAccountRequest
	if err := bindJSON(c, &req); err != nil {
		writeError(c, s.log, err)
		return
	}
	inv, err := s.svc.CreateAccount(c.Request.Context(), principal(c), service.AccountRequest{Name: req.Name,
		Role: domain.Role(req.Role), Stage: domain.StageCode(req.Stage), Campus: domain.Campus(req.Campus),
		College: req.College, StaffNo: req.StaffNo})
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, inv)
}

type accountList struct {
	Items []service.AccountItem `json:"items"`
}

func (s *Server) listAccounts(c *gin.Context) {
	as, err := s.svc.Accounts(c.Request.Context(), principal(c))
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, accountList{Items: as})
}

func (s *Server) setAccountDisabled(c *gin.Context, disabled bool) {
	id, err := pathID(c, "id")
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	a, err := s.svc.SetAccountDisabled(c.Request.Context(), principal(c), id, disabled)
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, a)
}

func (s *Server) disableAccount(c *gin.Context) { s.setAccountDisabled(c, true) }
func (s *Server) enableAccount(c *gin.Context)  { s.setAccountDisabled(c, false) }

func (s *Server) resetInvite(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	inv, err := s.svc.ResetInvite(c.Request.Context(), principal(c), id)
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, inv)
}

type createBatchRequest struct {
	Name     string `json:"name"`
	StartsOn string `json:"starts_on"`
	EndsOn   string `json:"ends_on"`
}

func (s *Server) createBatch(c *gin.Context) {
	var req createBatchRequest
	if err := bindJSON(c, &req); err != nil {
		writeError(c, s.log, err)
		return
	}
	b, err := s.svc.CreateBatch(c.Request.Context(), principal(c), service.BatchRequest{Name: req.Name,
		StartsOn: req.StartsOn, EndsOn: req.EndsOn})
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.JSON(http.StatusCreated, b)
}

type batchList struct {
	Items []service.BatchView `json:"items"`
}

func (s *Server) listBatches(c *gin.Context) {
	bs, err := s.svc.Batches(c.Request.Context(), principal(c))
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, batchList{Items: bs})
}

type auditList struct {
	Items []service.AuditItem `json:"items"`
}

func (s *Server) audit(c *gin.Context) {
	batch, err := queryID(c, "batch")
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	limit, err := queryID(c, "limit")
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	items, err := s.svc.Audit(c.Request.Context(), principal(c), service.AuditQuery{StudentNo: c.Query("student_no"),
		BatchID: batch, Stage: domain.StageCode(c.Query("stage")), Limit: int(min(limit, 1<<20))})
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, auditList{Items: items})
}

func (s *Server) adminProgress(c *gin.Context) {
	batch, err := queryID(c, "batch")
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	body, err := s.svc.StudentProgress(c.Request.Context(), principal(c), c.Param("student_no"), batch)
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}

func (s *Server) unbindStudent(c *gin.Context) {
	if err := s.svc.Unbind(c.Request.Context(), principal(c), c.Param("student_no")); err != nil {
		writeError(c, s.log, err)
		return
	}
	c.Status(http.StatusNoContent)
}
