package form

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
)

// cjkTTF is shipped inside the binary so the form prints the same on any
// machine, with no system fonts installed. See fonts/NOTICE for its licence.
//
//go:embed fonts/DroidSansFallbackFull.ttf
var cjkTTF []byte

// cjkCover lists the runes the embedded font has a glyph for. It is computed
// once because the font is a constant asset; Render consults it to refuse
// text that would print as empty boxes.
var cjkCover = sync.OnceValues(func() (map[rune]bool, error) {
	return cmapRunes(cjkTTF)
})

// cmapRunes returns the runes that the font's Windows Unicode BMP cmap
// (platform 3, encoding 1, format 4) maps to a real glyph. That is the same
// subtable fpdf reads, so the answer matches what fpdf will draw.
func cmapRunes(ttf []byte) (map[rune]bool, error) {
	u16 := func(off int) (int, error) {
		if off < 0 || off+2 > len(ttf) {
			return 0, errors.New("truncated font")
		}
		return int(binary.BigEndian.Uint16(ttf[off:])), nil
	}
	cmap, err := tableOffset(ttf, "cmap")
	if err != nil {
		return nil, err
	}
	n, err := u16(cmap + 2)
	if err != nil {
		return nil, err
	}
	sub := -1
	for i := range n {
		rec := cmap + 4 + 8*i
		if rec+8 > len(ttf) {
			return nil, errors.New("truncated cmap")
		}
		pid, _ := u16(rec)
		eid, _ := u16(rec + 2)
		if pid == 3 && eid == 1 {
			sub = cmap + int(binary.BigEndian.Uint32(ttf[rec+4:]))
		}
	}
	if sub < 0 {
		return nil, errors.New("font has no Unicode BMP cmap")
	}
	if f, err := u16(sub); err != nil || f != 4 {
		return nil, fmt.Errorf("cmap subtable format %d, want 4", f)
	}
	segX2, err := u16(sub + 6)
	if err != nil {
		return nil, err
	}
	ends := sub + 14
	starts := ends + segX2 + 2
	deltas := starts + segX2
	ranges := deltas + segX2
	out := make(map[rune]bool, 1<<15)
	for s := 0; s < segX2; s += 2 {
		end, err1 := u16(ends + s)
		start, err2 := u16(starts + s)
		delta, err3 := u16(deltas + s)
		ro, err4 := u16(ranges + s)
		if err := errors.Join(err1, err2, err3, err4); err != nil {
			return nil, err
		}
		for c := start; c <= end && c != 0xFFFF; c++ {
			gid := 0
			if ro == 0 {
				gid = (c + delta) & 0xFFFF
			} else {
				g, err := u16(ranges + s + ro + 2*(c-start))
				if err != nil {
					return nil, err
				}
				if g != 0 {
					gid = (g + delta) & 0xFFFF
				}
			}
			if gid != 0 {
				out[rune(c)] = true
			}
		}
	}
	return out, nil
}

// tableOffset finds a table in the sfnt table directory.
func tableOffset(ttf []byte, tag string) (int, error) {
	if len(ttf) < 12 {
		return 0, errors.New("truncated font")
	}
	if binary.BigEndian.Uint32(ttf) != 0x00010000 {
		return 0, errors.New("not a TrueType (glyf) font")
	}
	n := int(binary.BigEndian.Uint16(ttf[4:]))
	for i := range n {
		rec := 12 + 16*i
		if rec+16 > len(ttf) {
			break
		}
		if string(ttf[rec:rec+4]) == tag {
			return int(binary.BigEndian.Uint32(ttf[rec+8:])), nil
		}
	}
	return 0, fmt.Errorf("font has no %q table", tag)
}
