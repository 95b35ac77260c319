package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/service"
)

const principalKey = "principal"

// authenticate resolves the bearer token; without a valid one the request
// ends with unauthenticated.
func (s *Server) authenticate(c *gin.Context) {
	h := c.GetHeader("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || token == "" {
		writeError(c, s.log, domain.Errorf(domain.CodeUnauthenticated, "请先登录"))
		return
	}
	p, err := s.svc.Authenticate(c.Request.Context(), strings.TrimSpace(token))
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.Set(principalKey, p)
	c.Next()
}

// require lets the request through when the caller holds any of roles.
func (s *Server) require(roles ...domain.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := principal(c)
		for _, r := range roles {
			if p.Has(r) {
				c.Next()
				return
			}
		}
		msg := "无权访问"
		if len(roles) == 1 && roles[0] == domain.RoleStudent {
			msg = "请先绑定学号"
		}
		writeError(c, s.log, domain.Errorf(domain.CodeForbidden, "%s", msg))
	}
}

func principal(c *gin.Context) service.Principal {
	p, _ := c.Get(principalKey)
	pp, _ := p.(service.Principal)
	return pp
}

type loginRequest struct {
	Code string `json:"code"`
}

type loginResponse struct {
	Token     string        `json:"token"`
	ExpiresAt time.Time     `json:"expires_at"`
	Roles     []domain.Role `json:"roles"`
	StudentNo string        `json:"student_no,omitempty"`
	StaffID   int64         `json:"staff_id,omitempty"`
}

func (s *Server) login(c *gin.Context) {
	var req loginRequest
	if err := bindJSON(c, &req); err != nil {
		writeError(c, s.log, err)
		return
	}
	l, err := s.svc.Login(c.Request.Context(), req.Code)
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	resp := loginResponse{Token: l.Token, ExpiresAt: l.ExpiresAt, Roles: l.Principal.Roles, StudentNo: l.Principal.StudentNo}
	if a := l.Principal.Account; a != nil {
		resp.StaffID = a.ID
	}
	c.JSON(http.StatusOK, resp)
}

func (s *Server) logout(c *gin.Context) {
	if err := s.svc.Logout(c.Request.Context(), principal(c)); err != nil {
		writeError(c, s.log, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) me(c *gin.Context) {
	m, err := s.svc.Me(c.Request.Context(), principal(c))
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, m)
}

type bindRequest struct {
	StudentNo string `json:"student_no"`
	Name      string `json:"name"`
	IDLast6   string `json:"id_last6"`
}

func (s *Server) bind(c *gin.Context) {
	var req bindRequest
	if err := bindJSON(c, &req); err != nil {
		writeError(c, s.log, err)
		return
	}
	st, err := s.svc.Bind(c.Request.Context(), principal(c), service.BindRequest{
		StudentNo: req.StudentNo, Name: req.Name, IDLast6: req.IDLast6})
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, service.StudentViewOf(st))
}
