// Package pdftext is a small text extractor for the PDFs internal/form
// writes, so tests (of form and of the packages serving the form) can read a
// form back without a PDF library or poppler. It knows only what fpdf emits:
// direct /Length values, Flate streams, Type0 fonts with a ToUnicode CMap and
// a CIDToGIDMap, and WinAnsi core fonts. Only tests import it.
package pdftext

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// pdfObj is one indirect object: its dictionary text and decoded stream.
type pdfObj struct {
	dict   string
	stream []byte
}

// pdfFont decodes the string operands shown with one font.
type pdfFont struct {
	cid     bool           // two-byte codes (Type0) rather than one byte
	uni     map[int]string // code -> text, from ToUnicode
	glyphOf []byte         // CIDToGIDMap: two bytes per CID
}

// Text is what a document yields: its text, with a newline wherever the
// baseline changes, and the runes whose code maps to glyph 0 (.notdef),
// i.e. would print as an empty box.
type Text struct {
	Text    string
	Missing []rune
}

var (
	objHead = regexp.MustCompile(`(?m)^(\d+) 0 obj`)
	length  = regexp.MustCompile(`/Length (\d+)`)
	ref     = regexp.MustCompile(`(\d+) 0 R`)
	fontRef = regexp.MustCompile(`/(F[0-9a-zA-Z]+) (\d+) 0 R`)
	bfRange = regexp.MustCompile(`<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>`)
	bfChar  = regexp.MustCompile(`<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>`)
)

// parseObjects scans the file object by object, skipping stream bodies by
// their length so binary data is never mistaken for syntax.
func parseObjects(data []byte) (map[int]pdfObj, error) {
	objs := map[int]pdfObj{}
	for pos := 0; ; {
		loc := objHead.FindSubmatchIndex(data[pos:])
		if loc == nil {
			return objs, nil
		}
		num, _ := strconv.Atoi(string(data[pos+loc[2] : pos+loc[3]]))
		start := pos + loc[1]
		end := bytes.Index(data[start:], []byte("endobj"))
		si := bytes.Index(data[start:], []byte("stream\n"))
		if end < 0 {
			return nil, fmt.Errorf("object %d: no endobj", num)
		}
		if si < 0 || si > end {
			objs[num] = pdfObj{dict: string(data[start : start+end])}
			pos = start + end
			continue
		}
		dict := string(data[start : start+si])
		m := length.FindStringSubmatch(dict)
		if m == nil {
			return nil, fmt.Errorf("object %d: stream without direct /Length", num)
		}
		n, _ := strconv.Atoi(m[1])
		body := start + si + len("stream\n")
		if body+n > len(data) {
			return nil, fmt.Errorf("object %d: stream runs past the file", num)
		}
		raw := data[body : body+n]
		if strings.Contains(dict, "/FlateDecode") {
			zr, err := zlib.NewReader(bytes.NewReader(raw))
			if err != nil {
				return nil, fmt.Errorf("object %d: %w", num, err)
			}
			if raw, err = io.ReadAll(zr); err != nil {
				return nil, fmt.Errorf("object %d: %w", num, err)
			}
		}
		objs[num] = pdfObj{dict: dict, stream: raw}
		pos = body + n
	}
}

func refTo(objs map[int]pdfObj, dict, key string) (pdfObj, bool) {
	i := strings.Index(dict, key+" ")
	if i < 0 {
		return pdfObj{}, false
	}
	m := ref.FindStringSubmatch(dict[i:])
	if m == nil {
		return pdfObj{}, false
	}
	n, _ := strconv.Atoi(m[1])
	o, ok := objs[n]
	return o, ok
}

func loadFont(objs map[int]pdfObj, o pdfObj) (pdfFont, error) {
	if !strings.Contains(o.dict, "/Type0") {
		return pdfFont{}, nil
	}
	f := pdfFont{cid: true, uni: map[int]string{}}
	cmap, ok := refTo(objs, o.dict, "/ToUnicode")
	if !ok {
		return f, fmt.Errorf("Type0 font without ToUnicode: %s", o.dict)
	}
	text := string(cmap.stream)
	if i := strings.Index(text, "beginbfrange"); i >= 0 {
		for _, m := range bfRange.FindAllStringSubmatch(text[i:strings.Index(text, "endbfrange")], -1) {
			lo, _ := strconv.ParseInt(m[1], 16, 32)
			hi, _ := strconv.ParseInt(m[2], 16, 32)
			dst, _ := strconv.ParseInt(m[3], 16, 32)
			for c := lo; c <= hi; c++ {
				f.uni[int(c)] = string(rune(dst + c - lo))
			}
		}
	}
	if i := strings.Index(text, "beginbfchar"); i >= 0 {
		for _, m := range bfChar.FindAllStringSubmatch(text[i:strings.Index(text, "endbfchar")], -1) {
			c, _ := strconv.ParseInt(m[1], 16, 32)
			d, _ := strconv.ParseInt(m[2], 16, 32)
			f.uni[int(c)] = string(rune(d))
		}
	}
	desc, ok := refTo(objs, strings.ReplaceAll(o.dict, "[", ""), "/DescendantFonts")
	if !ok {
		return f, fmt.Errorf("Type0 font without descendant: %s", o.dict)
	}
	if gm, ok := refTo(objs, desc.dict, "/CIDToGIDMap"); ok {
		f.glyphOf = gm.stream
	}
	return f, nil
}

// Extract reads the text of every page content stream in data.
func Extract(data []byte) (Text, error) {
	objs, err := parseObjects(data)
	if err != nil {
		return Text{}, err
	}
	fonts := map[string]pdfFont{}
	var pages []pdfObj
	for _, o := range objs {
		if i := strings.Index(o.dict, "/Font <<"); i >= 0 {
			for _, m := range fontRef.FindAllStringSubmatch(o.dict[i:], -1) {
				n, _ := strconv.Atoi(m[2])
				if fonts[m[1]], err = loadFont(objs, objs[n]); err != nil {
					return Text{}, err
				}
			}
		}
		if strings.Contains(o.dict, "/Type /Page\n") || strings.HasSuffix(strings.TrimSpace(o.dict), "/Type /Page") {
			pages = append(pages, o)
		}
	}
	var out Text
	var sb strings.Builder
	for _, pg := range pages {
		content, ok := refTo(objs, pg.dict, "/Contents")
		if !ok {
			return out, fmt.Errorf("page without contents: %s", pg.dict)
		}
		if err := showText(content.stream, fonts, &sb, &out.Missing); err != nil {
			return out, err
		}
	}
	out.Text = sb.String()
	return out, nil
}
