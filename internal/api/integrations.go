package api

import (
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
)

// maxPushBytes caps a signed push: 5,000 records fit in well under 1 MiB.
const maxPushBytes = 5 << 20

// integrationRecords takes a signed push from the finance, library, loan or
// hospital system. The raw body is read in full before anything parses it,
// because the signature covers those exact bytes.
func (s *Server) integrationRecords(c *gin.Context) {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxPushBytes))
	if err != nil {
		if isTooLarge(err) {
			writeError(c, s.log, badBody("请求体过大（上限 5 MiB），请分批推送", err))
			return
		}
		writeError(c, s.log, badBody("无法读取请求体", err))
		return
	}
	res, err := s.svc.PushRecords(c.Request.Context(), c.Param("system"), c.Request.Header, body)
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, res)
}
