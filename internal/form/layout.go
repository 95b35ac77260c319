package form

import (
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// The embedded CJK font has no Latin letters or digits, so text is drawn in
// runs: Latin-1 runes (student numbers, foreign names) in the PDF core font
// Helvetica, everything else in the embedded CJK font.
const (
	cjkFamily   = "droidsans"
	latinFamily = "Helvetica"
)

// latin reports whether r is drawn with the core font. Core fonts use
// WinAnsi (cp1252), which equals Latin-1 in these ranges.
func latin(r rune) bool {
	return (r >= 0x20 && r <= 0x7e) || (r >= 0xa0 && r <= 0xff)
}

// noLineStart holds punctuation that Chinese typesetting keeps off the start
// of a line; such a token is glued to the one before it.
const noLineStart = "，。、；：！？）》」』”’,.;:!?)"

type alignment int

const (
	alignLeft alignment = iota
	alignCenter
	alignRight
)

// token is the unit of line breaking: one CJK character, one Latin word, a
// filled-in blank or a checkbox item.
type token struct {
	text  string
	field bool    // a blank of the paper form, filled in and underlined
	minW  float64 // minimum width of a field, mm
	box   bool    // an empty checkbox drawn before the text
	glue  bool    // may not start a line
}

// words splits running text into breakable tokens.
func words(s string) []token {
	var out []token
	var word strings.Builder
	flush := func() {
		if word.Len() > 0 {
			out = append(out, token{text: word.String()})
			word.Reset()
		}
	}
	for _, r := range s {
		switch {
		case latin(r):
			word.WriteRune(r)
			if r == ' ' {
				flush()
			}
		default:
			flush()
			out = append(out, token{text: string(r)})
		}
	}
	flush()
	for i := range out {
		// Chinese typesetting keeps closing punctuation off a line's start.
		if i > 0 && strings.ContainsRune(noLineStart, []rune(out[i].text)[0]) {
			out[i].glue = true
		}
	}
	return out
}

// para describes how a paragraph is set: font size in points, line height
// and first-line indent in mm.
type para struct {
	size   float64
	lineH  float64
	indent float64
	align  alignment
	bold   bool
}

// page draws on one fpdf page between two horizontal margins.
type page struct {
	pdf         *fpdf.Fpdf
	left, right float64
	size        float64 // current font size, pt
}

// em is the current font size in mm.
func (p *page) em() float64 { return p.size * 25.4 / 72 }

// run is a piece of text drawn with one font.
type run struct {
	latin bool
	text  string
}

// runs splits s into pieces drawn with one font each.
func runs(s string) []run {
	var out []run
	for _, r := range s {
		l := latin(r)
		if n := len(out); n > 0 && out[n-1].latin == l {
			out[n-1].text += string(r)
			continue
		}
		out = append(out, run{l, string(r)})
	}
	return out
}

// face selects the font for one run and returns the text in the bytes
// that font expects.
func (p *page) face(isLatin bool, text string) string {
	if !isLatin {
		p.pdf.SetFont(cjkFamily, "", p.size)
		return text
	}
	p.pdf.SetFont(latinFamily, "", p.size)
	b := make([]byte, 0, len(text))
	for _, r := range text {
		b = append(b, byte(r))
	}
	return string(b)
}

func (p *page) textWidth(s string) float64 {
	w := 0.0
	for _, r := range runs(s) {
		w += p.pdf.GetStringWidth(p.face(r.latin, r.text))
	}
	return w
}

func (p *page) drawText(x, baseline float64, s string) {
	for _, r := range runs(s) {
		t := p.face(r.latin, r.text)
		p.pdf.Text(x, baseline, t)
		x += p.pdf.GetStringWidth(t)
	}
}

func (p *page) tokenWidth(t token) float64 {
	w := p.textWidth(t.text)
	switch {
	case t.field:
		w = max(w+p.em(), t.minW)
	case t.box:
		w += 1.2*p.em() + p.em()
	}
	return w
}

func (p *page) drawToken(x, baseline, w float64, t token) {
	em := p.em()
	switch {
	case t.field:
		tw := p.textWidth(t.text)
		p.drawText(x+(w-tw)/2, baseline, t.text)
		p.pdf.SetLineWidth(0.25)
		p.pdf.Line(x, baseline+0.18*em, x+w, baseline+0.18*em)
	case t.box:
		p.pdf.SetLineWidth(0.3)
		p.pdf.Rect(x+0.05*em, baseline-0.8*em, 0.85*em, 0.85*em, "D")
		p.drawText(x+1.2*em, baseline, t.text)
	default:
		p.drawText(x, baseline, t.text)
	}
}

// paragraph sets toks from y down, breaking lines at token boundaries, and
// returns the y below the last line.
func (p *page) paragraph(y float64, toks []token, o para) float64 {
	p.size = o.size
	if o.bold {
		// The CJK font has no bold face: stroke the outlines as well.
		p.pdf.SetTextRenderingMode(2)
		p.pdf.SetLineWidth(0.03 * p.em())
		defer p.pdf.SetTextRenderingMode(0)
	}
	type placed struct {
		tok token
		w   float64
	}
	var lines [][]placed
	var line []placed
	lineW, avail := 0.0, p.right-p.left-o.indent
	for i := 0; i < len(toks); {
		// A cluster is a token plus the glued tokens after it.
		j := i + 1
		for j < len(toks) && toks[j].glue {
			j++
		}
		var cl []placed
		clW := 0.0
		for _, t := range toks[i:j] {
			w := p.tokenWidth(t)
			cl = append(cl, placed{t, w})
			clW += w
		}
		if len(line) > 0 && lineW+clW > avail {
			lines = append(lines, line)
			line, lineW, avail = nil, 0, p.right-p.left
		}
		line = append(line, cl...)
		lineW += clW
		i = j
	}
	if len(line) > 0 {
		lines = append(lines, line)
	}
	for n, l := range lines {
		x, w := p.left, 0.0
		if n == 0 {
			x += o.indent
		}
		for _, pl := range l {
			w += pl.w
		}
		switch o.align {
		case alignCenter:
			x += (p.right - x - w) / 2
		case alignRight:
			x = p.right - w
		}
		baseline := y + o.lineH/2 + 0.38*p.em()
		for _, pl := range l {
			p.drawToken(x, baseline, pl.w, pl.tok)
			x += pl.w
		}
		y += o.lineH
	}
	return y
}
