package service

import (
	"strings"

	"github.com/lixiao/lixiao/internal/cache"
	"github.com/lixiao/lixiao/internal/store"
)

type (
	storeSheet  = store.Sheet
	storeRecord = store.Record
)

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// cacheFresh returns an empty cache of the same kind as the harness's, for
// a simulated restart.
func (h *harness) cacheFresh() cache.Cache {
	if _, ok := h.cache.(*cache.Memory); ok {
		return cache.NewMemory()
	}
	return h.cache
}
