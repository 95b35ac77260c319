package api

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// The progress is sent compressed to clients that accept gzip, and the
// compressed form is the same document.
func TestProgress_Gzip(t *testing.T) {
	e := newPermEnv(t, "sqlite")
	get := func(acceptEncoding string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/me/progress", nil)
		req.Header.Set("Authorization", "Bearer "+e.tokens[callerStudent])
		if acceptEncoding != "" {
			req.Header.Set("Accept-Encoding", acceptEncoding)
		}
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("progress: %d %s", rec.Code, rec.Body)
		}
		return rec
	}
	plain := get("").Body.Bytes() // also fills the cache
	tests := []struct {
		accept string
		gzip   bool
	}{
		{"", false},
		{"gzip", true},
		{"br, gzip;q=0.8", true},
		{"GZIP", true},
		{"gzip;q=0", false},
		{"identity", false},
	}
	for _, tt := range tests {
		rec := get(tt.accept)
		body := rec.Body.Bytes()
		if got := rec.Header().Get("Content-Encoding") == "gzip"; got != tt.gzip {
			t.Fatalf("Accept-Encoding %q: gzip = %v, want %v", tt.accept, got, tt.gzip)
		}
		if rec.Header().Get("Vary") != "Accept-Encoding" {
			t.Fatalf("no Vary header")
		}
		if tt.gzip {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(body, plain) {
			t.Fatalf("Accept-Encoding %q: the document differs", tt.accept)
		}
	}
}
