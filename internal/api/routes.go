package api

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/service"
)

// Checker reports whether a dependency answers, for /healthz.
type Checker func(ctx context.Context) error

// Deps are what the HTTP layer needs.
type Deps struct {
	Service *service.Service
	Log     *slog.Logger
	Metrics *Metrics
	// Database must answer for /healthz to be 200; Cache and WeChat are
	// reported but never fail it.
	Database, Cache, WeChat Checker
	// OfficialAccount serves the official account's callback; nil answers 404.
	OfficialAccount http.Handler
}

// Server holds the handlers. All routes are in this file.
type Server struct {
	svc  *service.Service
	log  *slog.Logger
	deps Deps
}

// New returns the HTTP handler of 离校通.
func New(d Deps) http.Handler {
	s := &Server{svc: d.Service, log: d.Log, deps: d}
	r := newEngine(d.Log, d.Metrics)
	s.routes(r)
	return r
}

func (s *Server) routes(r *gin.Engine) {
	r.GET("/healthz", s.health)
	r.GET("/livez", live)
	r.Any("/wechat/official-account/callback", s.officialAccount)

	v1 := r.Group("/api/v1")
	v1.POST("/auth/login", s.login)

	authed := v1.Group("", s.authenticate)
	authed.POST("/auth/logout", s.logout)
	authed.GET("/me", s.me)
	authed.POST("/me/binding", s.bind)

	student := authed.Group("/me", s.require(domain.RoleStudent))
	student.GET("/progress", s.myProgress)
	student.GET("/qrcode", s.qrcode)
	student.GET("/qrcode.png", s.qrcodePNG)
	student.POST("/stages/library/apply", s.libraryApply)
	student.GET("/confirmation-form.pdf", s.confirmationForm)
	student.GET("/subscriptions", s.subscriptions)
	student.POST("/subscriptions", s.subscribe)
	student.GET("/notifications", s.notifications)

	// Staff: redeem is open to any logged-in WeChat account.
	authed.POST("/staff/redeem", s.redeem)
	staff := authed.Group("/staff", s.require(domain.RoleStaff, domain.RoleAdmin))
	staff.POST("/scan", s.scan)
	staff.POST("/stages/:code/clear", s.clearStage)
	staff.POST("/stages/:code/reject", s.rejectStage)
	staff.POST("/stages/:code/revoke", s.revokeStage)
	staff.POST("/stages/:code/bulk-clear", s.bulkClear)
	staff.GET("/stages/:code/students", s.worklist)

	sup := authed.Group("/supervisor", s.require(domain.RoleSupervisor))
	sup.GET("/students", s.supervisorStudents)
	sup.POST("/students/:student_no/confirm", s.supervisorConfirm)

	admin := authed.Group("/admin", s.require(domain.RoleAdmin))
	admin.POST("/batches", s.createBatch)
	admin.GET("/batches", s.listBatches)
	admin.POST("/batches/:id/students/import", s.importStudents)
	admin.POST("/batches/:id/records/:system/import", s.importRecords)
	admin.GET("/students/template.xlsx", s.rosterTemplate)
	admin.DELETE("/students/:student_no/binding", s.unbindStudent)
	admin.POST("/staff", s.createAccount)
	admin.GET("/staff", s.listAccounts)
	admin.POST("/staff/:id/disable", s.disableAccount)
	admin.POST("/staff/:id/enable", s.enableAccount)
	admin.POST("/staff/:id/invite", s.resetInvite)
	admin.GET("/students/:student_no/progress", s.adminProgress)
	admin.GET("/stats", s.stats)
	admin.GET("/exports/pending.xlsx", s.exportPending)
	admin.GET("/exports/complete.xlsx", s.exportComplete)
	admin.GET("/audit", s.audit)
	admin.GET("/outbox", s.outbox)
	admin.POST("/outbox/:id/retry", s.retryOutbox)

	v1.POST("/integrations/:system/records", s.integrationRecords)
}
