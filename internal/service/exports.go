package service

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/sheet"
	"github.com/lixiao/lixiao/internal/store"
)

// ExportFilter narrows an export. Zero values match everything; BatchID 0
// is the newest batch.
type ExportFilter struct {
	BatchID int64
	Stage   domain.StageCode // pending export only: students not done at this stage
	College string
}

// Export is a generated spreadsheet.
type Export struct {
	Filename string // Chinese, for Content-Disposition
	Rows     int    // data rows, header excluded
	Data     []byte
}

// Columns of the exports; the last pending column counts the stages named
// before it.
var (
	pendingHeader  = []string{"学号", "姓名", "学院", "校区", "离校类型", "未完成环节", "未完成数"}
	completeHeader = []string{"学号", "姓名", "学院", "校区", "离校类型", "办结时间"}
)

// ExportPending lists, one row per student, who still has stages to do and
// which (Chinese stage names, in the handbook's order), for the graduate
// school to chase. With f.Stage only students not done at that stage.
func (s *Service) ExportPending(ctx context.Context, p Principal, f ExportFilter) (Export, error) {
	b, students, err := s.exportData(ctx, p, f)
	if err != nil {
		return Export{}, err
	}
	if f.Stage != "" {
		if _, ok := b.Stage(f.Stage); !ok {
			return Export{}, domain.Errorf(domain.CodeNotFound, "批次「%s」没有环节 %s", b.Name, clipText(string(f.Stage)))
		}
	}
	var rows [][]string
	for _, st := range students {
		if f.Stage != "" && st.statuses[f.Stage].Done() {
			continue
		}
		missing := domain.Missing(b.Stages, st.statuses)
		if len(missing) == 0 {
			continue
		}
		names := make([]string, len(missing))
		for i, code := range missing {
			d, _ := b.Stage(code)
			names[i] = d.Name
		}
		rows = append(rows, append(studentCells(st.Student), strings.Join(names, "、"), strconv.Itoa(len(missing))))
	}
	parts := []string{"未办结名单", b.Name}
	if f.Stage != "" {
		d, _ := b.Stage(f.Stage)
		parts = append(parts, d.Name)
	}
	return writeExport(parts, f.College, pendingHeader, rows)
}

// ExportComplete lists the students whose departure is complete (rule 8),
// with when the final stage was cleared.
func (s *Service) ExportComplete(ctx context.Context, p Principal, f ExportFilter) (Export, error) {
	f.Stage = ""
	b, students, err := s.exportData(ctx, p, f)
	if err != nil {
		return Export{}, err
	}
	var rows [][]string
	for _, st := range students {
		if !domain.Complete(b.Stages, st.statuses) {
			continue
		}
		rows = append(rows, append(studentCells(st.Student), st.completedAt.In(chinaTime).Format("2006-01-02 15:04")))
	}
	return writeExport([]string{"已办结名单", b.Name}, f.College, completeHeader, rows)
}

// exportStudent is a student with every stage's status, and when the
// stage that completes the departure last changed.
type exportStudent struct {
	domain.Student
	statuses    domain.Statuses
	completedAt time.Time
}

func studentCells(st domain.Student) []string {
	return []string{st.StudentNo, st.Name, st.College, st.Campus.Label(), st.DepartureType.Label()}
}

// exportData loads a batch's students (one college, or all, in
// student-number order) and every clearance, streamed in one query.
func (s *Service) exportData(ctx context.Context, p Principal, f ExportFilter) (domain.Batch, []exportStudent, error) {
	if !p.Has(domain.RoleAdmin) {
		return domain.Batch{}, nil, errAdminOnly
	}
	b, err := s.newestBatch(ctx, f.BatchID)
	if err != nil {
		return b, nil, err
	}
	sts, err := s.store.Students(ctx, store.StudentFilter{BatchID: b.ID, College: f.College})
	if err != nil {
		return b, nil, err
	}
	out := make([]exportStudent, len(sts))
	index := make(map[string]*exportStudent, len(sts))
	for i, st := range sts {
		out[i] = exportStudent{Student: st, statuses: domain.StatusesOf(b, st, nil)}
		index[st.StudentNo] = &out[i]
	}
	var final domain.StageCode
	for _, d := range b.Stages {
		if d.Completes {
			final = d.Code
		}
	}
	err = s.store.AllClearances(ctx, b.ID, func(c domain.Clearance) error {
		if es := index[c.StudentNo]; es != nil {
			es.statuses[c.Stage] = c.Status
			if c.Stage == final {
				es.completedAt = c.UpdatedAt
			}
		}
		return nil
	})
	return b, out, err
}

// writeExport renders the table and names the file after what it holds.
func writeExport(parts []string, college string, header []string, rows [][]string) (Export, error) {
	if college != "" {
		parts = append(parts, college)
	}
	title := strings.Join(parts, "-")
	var buf bytes.Buffer
	if err := sheet.WriteTable(&buf, parts[0], header, rows); err != nil {
		return Export{}, err
	}
	return Export{Filename: safeFilename(title) + ".xlsx", Rows: len(rows), Data: buf.Bytes()}, nil
}

// safeFilename drops the characters no operating system accepts in a name.
func safeFilename(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r < 0x20, strings.ContainsRune(`/\:*?"<>|`, r):
			return '_'
		}
		return r
	}, s)
}
