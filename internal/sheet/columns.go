package sheet

import (
	"strings"

	"github.com/lixiao/lixiao/internal/domain"
)

// column is one known column: its API code and the Chinese header admins use.
type column struct {
	key     string // canonical code, e.g. "student_no"
	label   string // Chinese header, e.g. "学号"
	aliases []string
}

// title names the column in messages: 学号(student_no).
func (c column) title() string { return c.label + "(" + c.key + ")" }

// columns maps each known column to its index in the header (absent: not in
// the map). A header cell may be the code, the Chinese header, an alias, or
// "中文(code)" as the error messages print it; matching ignores case, spaces
// and full-width parentheses.
type columns map[string]int

func mapHeader(header []string, known []column) (columns, error) {
	byName := make(map[string]column, len(known)*3)
	for _, c := range known {
		byName[normHeader(c.key)] = c
		byName[normHeader(c.label)] = c
		for _, a := range c.aliases {
			byName[normHeader(a)] = c
		}
	}
	idx := columns{}
	for i, h := range header {
		c, ok := matchHeader(normHeader(h), byName)
		if !ok {
			continue // unknown columns are ignored
		}
		if _, dup := idx[c.key]; dup {
			return nil, domain.Errorf(domain.CodeInvalidArgument, "列重复：%s", c.title())
		}
		idx[c.key] = i
	}
	return idx, nil
}

func matchHeader(h string, byName map[string]column) (column, bool) {
	if c, ok := byName[h]; ok {
		return c, true
	}
	// "学号(student_no)" or "超期欠款(分)(fine_cents)".
	if strings.HasSuffix(h, ")") {
		if open := strings.LastIndex(h, "("); open > 0 {
			if c, ok := byName[h[:open]]; ok {
				return c, true
			}
			if c, ok := byName[h[open+1:len(h)-1]]; ok {
				return c, true
			}
		}
	}
	return column{}, false
}

func normHeader(s string) string {
	s = strings.NewReplacer("（", "(", "）", ")").Replace(clean(s))
	s = strings.Join(strings.Fields(s), "")
	return strings.ToLower(s)
}

// require reports every missing column in one message.
func (idx columns) require(cols ...column) error {
	var missing []string
	for _, c := range cols {
		if _, ok := idx[c.key]; !ok {
			missing = append(missing, c.title())
		}
	}
	if len(missing) > 0 {
		return domain.Errorf(domain.CodeInvalidArgument, "缺少列：%s", strings.Join(missing, "、"))
	}
	return nil
}

// get returns the cell of column key in cells, "" when the column is absent.
func (idx columns) get(cells []string, key string) string {
	i, ok := idx[key]
	if !ok || i >= len(cells) {
		return ""
	}
	return cells[i]
}

// has reports whether the file has column key.
func (idx columns) has(key string) bool {
	_, ok := idx[key]
	return ok
}
