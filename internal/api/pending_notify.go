// TEMPORARY: handlers still being written. Each is removed from this file as it is implemented,
// and the file is deleted when empty.
package api

import "github.com/gin-gonic/gin"

func (s *Server) subscriptions(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) subscribe(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) notifications(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) outbox(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
func (s *Server) retryOutbox(c *gin.Context) {
	c.JSON(501, errorBody{Code: "internal", Message: "尚未实现"})
}
