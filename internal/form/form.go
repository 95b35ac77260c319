// Package form renders the printable paper forms of the departure process,
// pre-filled with the student's data.
package form

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
)

// Confirmation holds what is printed on the supervisor confirmation form
// (研究生导师准许学生离校确认书), which the supervisor signs to say the
// student owes them nothing and may leave.
type Confirmation struct {
	University    string // printed before the title, e.g. "重庆大学"; may be empty
	StudentName   string
	StudentNo     string
	College       string // e.g. "计算机学院"; empty leaves a blank to fill by hand
	Doctor        bool   // 博士 (true) or 硕士 (false)
	DepartureType string // graduated | completed | incomplete | withdrawn
}

// ErrInvalid reports a Confirmation that cannot be printed as given: an
// unknown departure type, a missing or overlong field, a control character.
var ErrInvalid = errors.New("form: invalid confirmation")

// ErrUnsupportedChar reports a character the embedded fonts cannot draw
// (e.g. a rare name character outside the font). Callers can tell the user
// to write that field by hand instead of printing an empty box.
var ErrUnsupportedChar = errors.New("form: character not in font")

// departureWords maps the API's departure types to the form's wording.
var departureWords = map[string]string{
	"graduated":  "毕业",
	"completed":  "结业",
	"incomplete": "肄业",
	"withdrawn":  "退学",
}

// settledItems are the matters the supervisor confirms, as the form lists them.
var settledItems = []string{"仪器归还", "公共设备归还", "公款归还", "课题移交", "涉密资料移交"}

const (
	pageMargin = 25.0 // mm, left and right
	bodySize   = 14.0 // pt
	bodyLineH  = 10.0 // mm
)

// Render writes the confirmation form as a one-page A4 PDF to w.
func Render(w io.Writer, c Confirmation) error {
	c, err := c.checked()
	if err != nil {
		return err
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetTitle(title(c.University), true)
	pdf.SetCreator("离校通", true)
	// fpdf may append padding to slices of the font it parses, so each
	// document gets its own copy of the shared asset.
	pdf.AddUTF8FontFromBytes(cjkFamily, "", bytes.Clone(cjkTTF))
	pdf.AddPage()
	draw(&page{pdf: pdf, left: pageMargin, right: 210 - pageMargin}, c)
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("form: render confirmation: %w", err)
	}
	return nil
}

func title(university string) string {
	return university + "研究生导师准许学生离校确认书"
}

// draw lays out the form as the handbook prints it.
func draw(p *page, c Confirmation) {
	body := para{size: bodySize, lineH: bodyLineH}
	indented := body
	indented.indent = 2 * bodySize * 25.4 / 72

	y := p.paragraph(32, words(title(c.University)), para{size: 20, lineH: 12, align: alignCenter, bold: true})

	college := []token{{text: c.College, field: true, minW: 35}}
	if c.College == "" {
		college = append(college, words("学院")...)
	}
	y = p.paragraph(y+12, append(college, words("研究生教务秘书：")...), body)

	degree := "硕士"
	if c.Doctor {
		degree = "博士"
	}
	var first []token
	first = append(first, words(degree+"研究生")...)
	first = append(first, token{text: c.StudentName, field: true, minW: 30})
	first = append(first, words("，学号：")...)
	first = append(first, token{text: c.StudentNo, field: true, minW: 30})
	first = append(first, words("，已经"+departureWords[c.DepartureType]+"。")...)
	y = p.paragraph(y+4, first, indented)

	y = p.paragraph(y+2, words("该生已完清包括"+strings.Join(settledItems, "、")+
		"等与导师相关的所有手续，可以离校，特此确认。"), indented)

	small := para{size: 12, lineH: 9, indent: indented.indent}
	y = p.paragraph(y+6, words("请导师逐项核对："), small)
	var boxes []token
	for _, item := range settledItems {
		boxes = append(boxes, token{text: item, box: true})
	}
	y = p.paragraph(y, boxes, small)

	sign := para{size: bodySize, lineH: bodyLineH, align: alignRight}
	p.right -= 10
	y = p.paragraph(y+22, append(words("导师签字："), token{field: true, minW: 45}), sign)
	p.paragraph(y+6, words("年　　　月　　　日"), sign)
}

// checked trims the fields and rejects what the form cannot show.
func (c Confirmation) checked() (Confirmation, error) {
	c.University = strings.TrimSpace(c.University)
	c.StudentName = strings.TrimSpace(c.StudentName)
	c.StudentNo = strings.TrimSpace(c.StudentNo)
	c.College = strings.TrimSpace(c.College)
	if _, ok := departureWords[c.DepartureType]; !ok {
		return c, fmt.Errorf("%w: unknown departure type %q", ErrInvalid, c.DepartureType)
	}
	fields := []struct {
		name     string
		value    string
		required bool
		maxRunes int
	}{
		{"university", c.University, false, 30},
		{"student name", c.StudentName, true, 30},
		{"student number", c.StudentNo, true, 30},
		{"college", c.College, false, 30},
	}
	cover, err := cjkCover()
	if err != nil {
		return c, fmt.Errorf("form: read embedded font: %w", err)
	}
	for _, f := range fields {
		if f.required && f.value == "" {
			return c, fmt.Errorf("%w: %s is empty", ErrInvalid, f.name)
		}
		if n := utf8.RuneCountInString(f.value); n > f.maxRunes {
			return c, fmt.Errorf("%w: %s has %d characters, at most %d fit", ErrInvalid, f.name, n, f.maxRunes)
		}
		for _, r := range f.value {
			switch {
			case r == utf8.RuneError || unicode.IsControl(r):
				return c, fmt.Errorf("%w: %s contains %U", ErrInvalid, f.name, r)
			case !latin(r) && !cover[r]:
				return c, fmt.Errorf("%w: %s contains %q (%U)", ErrUnsupportedChar, f.name, r, r)
			}
		}
	}
	return c, nil
}
