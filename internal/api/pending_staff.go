// TEMPORARY: handlers still being written. Each is removed from this file as it is implemented,
// and the file is deleted when empty.
package api

import "github.com/gin-gonic/gin"

func (s *Server) confirmationForm(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) redeem(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) scan(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) clearStage(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) rejectStage(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) revokeStage(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) bulkClear(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) worklist(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) supervisorStudents(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) supervisorConfirm(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) createBatch(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) listBatches(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) unbindStudent(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) createAccount(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) listAccounts(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) disableAccount(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) enableAccount(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) resetInvite(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) adminProgress(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) audit(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
