package form

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// render renders c and reads the text back out of the PDF.
func render(t *testing.T, c Confirmation) ([]byte, extracted) {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, c); err != nil {
		t.Fatalf("Render(%+v): %v", c, err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("output is not a PDF: %q", buf.Bytes()[:min(buf.Len(), 16)])
	}
	got, err := extractText(buf.Bytes())
	if err != nil {
		t.Fatalf("extract text: %v", err)
	}
	if len(got.missing) > 0 {
		t.Fatalf("runes drawn without a glyph (empty boxes): %q", string(got.missing))
	}
	return buf.Bytes(), got
}

func TestRenderFillsTheForm(t *testing.T) {
	tests := []struct {
		name string
		in   Confirmation
		want []string // in the text with line breaks removed
		deny []string
	}{
		{
			name: "doctor graduated",
			in: Confirmation{University: "重庆大学", StudentName: "张三丰", StudentNo: "20210001",
				College: "计算机学院", Doctor: true, DepartureType: "graduated"},
			want: []string{"重庆大学研究生导师准许学生离校确认书", "计算机学院研究生教务秘书：",
				"博士研究生张三丰，学号：20210001，已经毕业。"},
			deny: []string{"硕士"},
		},
		{
			name: "master completed, no university or college",
			in:   Confirmation{StudentName: "李四", StudentNo: "202108021234", DepartureType: "completed"},
			want: []string{"研究生导师准许学生离校确认书", "学院研究生教务秘书：",
				"硕士研究生李四，学号：202108021234，已经结业。"},
			deny: []string{"博士", "大学"},
		},
		{
			name: "doctor incomplete",
			in:   Confirmation{University: "重庆大学", StudentName: "欧阳娜娜", StudentNo: "20190107", Doctor: true, DepartureType: "incomplete"},
			want: []string{"博士研究生欧阳娜娜，学号：20190107，已经肄业。"},
		},
		{
			name: "master withdrawn, Latin name with spaces",
			in:   Confirmation{University: "重庆大学", StudentName: "John Smith", StudentNo: "L2022-0007", DepartureType: "withdrawn"},
			want: []string{"硕士研究生John Smith，学号：L2022-0007，已经退学。"},
		},
		{
			name: "surrounding spaces trimmed",
			in:   Confirmation{StudentName: "  王五 ", StudentNo: " 20230001\t", DepartureType: "graduated"},
			want: []string{"硕士研究生王五，学号：20230001，已经毕业。"},
		},
	}
	common := []string{
		"该生已完清包括仪器归还、公共设备归还、公款归还、课题移交、涉密资料移交等与导师相关的所有手续，可以离校，特此确认。",
		"可以离校，特此确认", "仪器归还", "导师签字：", "年　　　月　　　日",
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pdf, got := render(t, tc.in)
			flat := strings.ReplaceAll(got.text, "\n", "")
			for _, w := range append(tc.want, common...) {
				if !strings.Contains(flat, w) {
					t.Errorf("text lacks %q; got:\n%s", w, got.text)
				}
			}
			for _, d := range tc.deny {
				if strings.Contains(flat, d) {
					t.Errorf("text has %q; got:\n%s", d, got.text)
				}
			}
			if n := strings.Count(flat, "仪器归还"); n != 2 {
				t.Errorf("仪器归还 appears %d times, want 2 (sentence and checklist)", n)
			}
			if len(pdf) > 100<<10 {
				t.Errorf("PDF is %d bytes; the font should be subset", len(pdf))
			}
			crossCheck(t, pdf, tc.want)
		})
	}
}

// crossCheck compares with poppler's pdftotext when it happens to be
// installed, so the extractor above cannot pass by reading its own mistakes.
// The test does not depend on it.
func crossCheck(t *testing.T, pdf []byte, want []string) {
	t.Helper()
	path, err := exec.LookPath("pdftotext")
	if err != nil {
		return
	}
	cmd := exec.Command(path, "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	flat := strings.Join(strings.Fields(string(out)), "")
	for _, w := range want {
		if w = strings.Join(strings.Fields(w), ""); !strings.Contains(flat, w) {
			t.Errorf("pdftotext text lacks %q; got:\n%s", w, out)
		}
	}
}

// Names are where a missing glyph would hurt: render common surnames and
// rarer given-name characters (including CJK Extension A) and check each one
// has a real glyph in the PDF.
func TestRenderNameCharacters(t *testing.T) {
	chars := []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧阳司上官诸葛皇甫令狐慕容尉迟长孙宇文" +
		"喆堃赟珺玥犇淼昇琍婷彧翀鑫焱垚昕晗璟瑄祎祺琛翊芃沄" + "\u4dae\u3400" + "·")
	for len(chars) > 0 {
		n := min(len(chars), 30)
		name := string(chars[:n])
		chars = chars[n:]
		_, got := render(t, Confirmation{StudentName: name, StudentNo: "1", DepartureType: "graduated"})
		if !strings.Contains(got.text, name) {
			t.Errorf("text lacks name %q; got:\n%s", name, got.text)
		}
	}
}

func TestRenderRejects(t *testing.T) {
	ok := Confirmation{StudentName: "张三丰", StudentNo: "20210001", DepartureType: "graduated"}
	tests := []struct {
		name   string
		change func(*Confirmation)
		want   error
	}{
		{"unknown departure type", func(c *Confirmation) { c.DepartureType = "expelled" }, ErrInvalid},
		{"empty departure type", func(c *Confirmation) { c.DepartureType = "" }, ErrInvalid},
		{"empty name", func(c *Confirmation) { c.StudentName = "  " }, ErrInvalid},
		{"empty number", func(c *Confirmation) { c.StudentNo = "" }, ErrInvalid},
		{"control character", func(c *Confirmation) { c.StudentName = "张\n三" }, ErrInvalid},
		{"invalid UTF-8", func(c *Confirmation) { c.StudentNo = "2021\xff" }, ErrInvalid},
		{"overlong college", func(c *Confirmation) { c.College = strings.Repeat("学", 31) }, ErrInvalid},
		{"character beyond the BMP", func(c *Confirmation) { c.StudentName = "\U00020BB7" }, ErrUnsupportedChar},
		{"character not in the font", func(c *Confirmation) { c.StudentName = "김민준" }, ErrUnsupportedChar},
		{"Latin beyond Latin-1", func(c *Confirmation) { c.StudentName = "Łukasz" }, ErrUnsupportedChar},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.change(&c)
			var buf bytes.Buffer
			err := Render(&buf, c)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Render error = %v, want %v", err, tc.want)
			}
			if buf.Len() != 0 {
				t.Errorf("Render wrote %d bytes despite the error", buf.Len())
			}
		})
	}
}

// Render is called from concurrent HTTP handlers; the shared font asset must
// stay untouched (run with -race).
func TestRenderConcurrent(t *testing.T) {
	before := sha256.Sum256(cjkTTF)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Go(func() {
			var buf bytes.Buffer
			c := Confirmation{StudentName: "赵六", StudentNo: strings.Repeat("1", i+1), Doctor: i%2 == 0, DepartureType: "graduated"}
			if err := Render(&buf, c); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if sha256.Sum256(cjkTTF) != before {
		t.Fatal("rendering modified the embedded font")
	}
}

func TestEmbeddedFontIsTrueType(t *testing.T) {
	if _, err := tableOffset(cjkTTF, "glyf"); err != nil {
		t.Fatalf("embedded font: %v (fpdf needs glyf outlines, not CFF)", err)
	}
	cover, err := cjkCover()
	if err != nil {
		t.Fatal(err)
	}
	if len(cover) < 20000 {
		t.Fatalf("font covers %d runes; expected the full CJK set", len(cover))
	}
}

func BenchmarkRender(b *testing.B) {
	c := Confirmation{University: "重庆大学", StudentName: "张三丰", StudentNo: "20210001", Doctor: true, DepartureType: "graduated"}
	for b.Loop() {
		var buf bytes.Buffer
		if err := Render(&buf, c); err != nil {
			b.Fatal(err)
		}
	}
}
