// TEMPORARY: handlers still being written. Each is removed from this file as it is implemented,
// and the file is deleted when empty.
package api

import "github.com/gin-gonic/gin"

func (s *Server) importStudents(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) importRecords(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) rosterTemplate(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) stats(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) exportPending(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) exportComplete(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) integrationRecords(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
