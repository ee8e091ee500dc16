package reports

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
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

// TestBannerPageBreaks: a sheet of banners breaks pages only before a
// banner's title, never inside one, and only where the next banner would
// not fit on the page: on A4 and on Letter, each printed page (the
// header repeated on top) holds its banners whole, and pages hold two
// banners where they fit.
func TestBannerPageBreaks(t *testing.T) {
	base := sampleReport(t).Sections[2].Banners[0]
	for _, paper := range []Paper{PaperA4, PaperLetter} {
		r := sampleReport(t)
		r.Paper = paper
		var banners []*Banner
		for k := range 9 {
			b := *base
			b.Title = fmt.Sprintf("Q%d. A question", k+1)
			b.Rows = b.Rows[:2+k%3] // banners of different lengths
			banners = append(banners, &b)
		}
		r.Sections = []Section{{Name: "Crosstabs", Intro: "Banners.", Banners: banners}}
		f, raw := openDeck(t, r)
		sheet, part := "", ""
		for i, name := range f.GetSheetList() {
			if strings.HasPrefix(name, "Crosstabs") {
				sheet, part = name, fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1)
			}
		}
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		titleRow := map[int]bool{}
		var starts []int
		for i, row := range rows {
			if len(row) > 0 && strings.HasPrefix(row[0], "Q") && strings.HasSuffix(row[0], "A question") {
				titleRow[i+1] = true
				starts = append(starts, i+1)
			}
		}
		if len(starts) != len(banners) {
			t.Fatalf("%s: %d banner titles, want %d", paper, len(starts), len(banners))
		}
		xml := zipEntry(t, raw, part)
		var breaks []int
		for _, m := range regexp.MustCompile(`<brk id="(\d+)"`).FindAllStringSubmatch(xml, -1) {
			n, _ := strconv.Atoi(m[1])
			breaks = append(breaks, n+1) // a break after row id: the page starts at id+1
		}
		if len(breaks) == 0 || len(breaks) >= len(banners)-1 {
			t.Errorf("%s: %d page breaks for %d banners, want some pages holding two", paper, len(breaks), len(banners))
		}
		for _, b := range breaks {
			if !titleRow[b] {
				t.Errorf("%s: a page starts at row %d, not at a banner's title (%v)", paper, b, starts)
			}
		}
		// Every page's rows fit the printable height at the print scale.
		height := func(r1, r2 int) float64 {
			h := 0.0
			for r := r1; r <= r2; r++ {
				x, _ := f.GetRowHeight(sheet, r)
				h += x
			}
			return h
		}
		_, ph := paper.paperPoints()
		ph -= 2 * marginTopBottom * 72
		pages := append(append([]int{1}, breaks...), len(rows)+1)
		for k := 0; k+1 < len(pages); k++ {
			h := height(pages[k], pages[k+1]-1)
			if k > 0 {
				h += height(5, 7) // the header printed above
			}
			// The sample banner's sheet is narrow enough to print at 100%.
			if h > ph+1 {
				t.Errorf("%s: page %d (rows %d–%d) is %.0f points high, the paper holds %.0f", paper, k+1, pages[k], pages[k+1]-1, h, ph)
			}
		}
	}
}
