package pdftext

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// operand is one content-stream operand: a number, a name, a string, or an
// array of those (for TJ).
type operand struct {
	num   float64
	name  string
	str   []byte
	isStr bool
	arr   []operand
}

// showText interprets the text operators of one content stream, appending
// the decoded text to sb and runes drawn as .notdef to missing.
func showText(stream []byte, fonts map[string]pdfFont, sb *strings.Builder, missing *[]rune) error {
	var stack []operand
	var arrays [][]operand // open [ ... ] arrays, innermost last
	var font pdfFont
	y, lastY, started := 0.0, 0.0, false
	push := func(o operand) {
		if n := len(arrays); n > 0 {
			arrays[n-1] = append(arrays[n-1], o)
			return
		}
		stack = append(stack, o)
	}
	show := func(s []byte) {
		if started && math.Abs(y-lastY) > 0.01 {
			sb.WriteByte('\n')
		}
		started, lastY = true, y
		if !font.cid {
			for _, b := range s {
				sb.WriteRune(rune(b)) // WinAnsi equals Latin-1 for what Render draws
			}
			return
		}
		for i := 0; i+1 < len(s); i += 2 {
			code := int(s[i])<<8 | int(s[i+1])
			text, ok := font.uni[code]
			if !ok {
				text = "\uFFFD"
			}
			sb.WriteString(text)
			if g := 2 * code; font.glyphOf != nil && (g+1 >= len(font.glyphOf) || font.glyphOf[g]|font.glyphOf[g+1] == 0) {
				*missing = append(*missing, []rune(text)...)
			}
		}
	}
	for i := 0; i < len(stream); {
		c := stream[i]
		switch {
		case c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0:
			i++
		case c == '%':
			for i < len(stream) && stream[i] != '\n' && stream[i] != '\r' {
				i++
			}
		case c == '(':
			s, next, err := literal(stream, i)
			if err != nil {
				return err
			}
			push(operand{str: s, isStr: true})
			i = next
		case c == '<' && i+1 < len(stream) && stream[i+1] != '<':
			end := strings.IndexByte(string(stream[i:]), '>')
			if end < 0 {
				return fmt.Errorf("unterminated hex string at %d", i)
			}
			push(operand{str: hexBytes(string(stream[i+1 : i+end])), isStr: true})
			i += end + 1
		case c == '[':
			arrays = append(arrays, nil)
			i++
		case c == ']':
			if len(arrays) == 0 {
				return fmt.Errorf("unbalanced ] at %d", i)
			}
			a := arrays[len(arrays)-1]
			arrays = arrays[:len(arrays)-1]
			push(operand{arr: a})
			i++
		default:
			j := i + 1
			for j < len(stream) && !strings.ContainsRune(" \n\r\t\f\x00()<>[]/%", rune(stream[j])) {
				j++
			}
			word := string(stream[i:j])
			i = j
			switch {
			case word[0] == '/':
				push(operand{name: word[1:]})
			case strings.ContainsRune("+-.0123456789", rune(word[0])):
				n, err := strconv.ParseFloat(word, 64)
				if err != nil {
					return fmt.Errorf("bad number %q", word)
				}
				push(operand{num: n})
			default:
				arg := func(k int) operand { // k-th operand from the end, 1-based
					if len(stack) < k {
						return operand{}
					}
					return stack[len(stack)-k]
				}
				switch word {
				case "BT":
					y = 0
				case "Td", "TD":
					y += arg(1).num
				case "Tm":
					y = arg(1).num
				case "T*":
					y -= 1 // any change marks a new line
				case "Tf":
					f, ok := fonts[arg(2).name]
					if !ok {
						return fmt.Errorf("unknown font %q", arg(2).name)
					}
					font = f
				case "Tj", "'", "\"":
					show(arg(1).str)
				case "TJ":
					for _, o := range arg(1).arr {
						if o.isStr {
							show(o.str)
						}
					}
				}
				stack = stack[:0]
			}
		}
	}
	return nil
}

// literal reads a (...) string starting at stream[i], resolving escapes.
func literal(stream []byte, i int) ([]byte, int, error) {
	var out []byte
	depth := 0
	for j := i; j < len(stream); j++ {
		c := stream[j]
		switch c {
		case '(':
			if depth > 0 {
				out = append(out, c)
			}
			depth++
		case ')':
			depth--
			if depth == 0 {
				return out, j + 1, nil
			}
			out = append(out, c)
		case '\\':
			j++
			if j >= len(stream) {
				break
			}
			switch e := stream[j]; e {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case '\n':
			case '\r':
				if j+1 < len(stream) && stream[j+1] == '\n' {
					j++
				}
			default:
				if e >= '0' && e <= '7' {
					v, k := 0, 0
					for ; k < 3 && j+k < len(stream) && stream[j+k] >= '0' && stream[j+k] <= '7'; k++ {
						v = v*8 + int(stream[j+k]-'0')
					}
					out = append(out, byte(v))
					j += k - 1
				} else {
					out = append(out, e) // \( \) \\ and unknown escapes
				}
			}
		default:
			out = append(out, c)
		}
	}
	return nil, 0, fmt.Errorf("unterminated string at %d", i)
}

func hexBytes(h string) []byte {
	h = strings.Join(strings.Fields(h), "")
	if len(h)%2 == 1 {
		h += "0"
	}
	out := make([]byte, 0, len(h)/2)
	for k := 0; k+1 < len(h); k += 2 {
		v, _ := strconv.ParseUint(h[k:k+2], 16, 8)
		out = append(out, byte(v))
	}
	return out
}
