package reports

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestPaper: every sheet of the deck is set up for the report's paper,
// landscape and fitted to the page's width (A4 by default, Letter when
// the codebook asks), the HTML prints on the same paper, and an unknown
// paper is refused.
func TestPaper(t *testing.T) {
	for _, tc := range []struct {
		paper Paper
		size  int
		css   string
	}{{"", 9, "size:A4 landscape"}, {PaperA4, 9, "size:A4 landscape"}, {PaperLetter, 1, "size:letter landscape"}} {
		r := sampleReport(t)
		r.Paper = tc.paper
		f, _ := openDeck(t, r)
		for _, name := range f.GetSheetList() {
			pl, err := f.GetPageLayout(name)
			if err != nil {
				t.Fatal(err)
			}
			if pl.Size == nil || *pl.Size != tc.size || pl.Orientation == nil || *pl.Orientation != "landscape" || pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
				t.Errorf("paper %q: sheet %s page layout = %+v, want paper size %d, landscape, 1 page wide", tc.paper, name, pl, tc.size)
			}
		}
		var html bytes.Buffer
		if err := WriteHTML(&html, r); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(html.String(), "@page{"+tc.css+";") {
			t.Errorf("paper %q: HTML print CSS lacks %q", tc.paper, tc.css)
		}
	}
	r := sampleReport(t)
	r.Paper = "a3"
	if err := WriteXLSX(&bytes.Buffer{}, r); !errors.Is(err, ErrInvalidReport) {
		t.Errorf("WriteXLSX(paper a3) = %v, want ErrInvalidReport", err)
	}
}
