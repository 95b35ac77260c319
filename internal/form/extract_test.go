package form

import "github.com/lixiao/lixiao/internal/form/pdftext"

// extracted is the text of a rendered form, as the tests read it back.
type extracted struct {
	text    string
	missing []rune
}

func extractText(data []byte) (extracted, error) {
	t, err := pdftext.Extract(data)
	return extracted{text: t.Text, missing: t.Missing}, err
}
