package reports

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/trustgap/trustgap/analysis"
)

// TestBannerArrows: every banner of the deck carries ▲/▼ exactly where
// the engine's test of the column against the rest of the sample
// (analysis.RestTest) is significant: on the default study the Crosstabs
// have arrows up and down, cells tested and not significant have none, the
// Total column never has one, and a suppressed cell shows no mark; every
// banner, in every format, carries the legend on the test, the level and
// multiple comparisons.
func TestBannerArrows(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole report")
	}
	ds := defaultStudy(t)
	sr, err := BuildStudyReport(context.Background(), ds, StudyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var banners []*Banner
	var cross *Section
	for k, s := range sr.Report.Sections {
		banners = append(banners, s.Banners...)
		if s.Name == "Crosstabs" {
			cross = &sr.Report.Sections[k]
		}
	}
	if cross == nil || len(banners) < 2 {
		t.Fatalf("report has %d banners and Crosstabs %v, want the Crosstabs and Regions & segments banners", len(banners), cross != nil)
	}
	// The engine's tests, as the report asks for them.
	d, err := analysis.StudyDesign(ds, analysis.LonelyFail)
	if err != nil {
		t.Fatal(err)
	}
	var vars []analysis.BannerVariable
	for _, blk := range bannerBlocks(ds) {
		for _, r := range blk.rows {
			vars = append(vars, r.v)
		}
	}
	res, err := analysis.Banner(ds, vars, analysis.Options{Design: d, MinBase: analysis.DefaultMinBase, Level: 0.95})
	if err != nil {
		t.Fatal(err)
	}
	k := 0
	var up, down, quiet, suppressed int
	for _, bn := range cross.Banners {
		for _, row := range bn.Rows {
			want := res.Rows[k]
			k++
			for c, cell := range row.Cells {
				rt := want.Cells[c].Rest
				has := map[string]bool{"▲": strings.Contains(cell.Sig, "▲"), "▼": strings.Contains(cell.Sig, "▼")}
				switch {
				case cell.Suppressed:
					if cell.Sig != "" {
						t.Errorf("%s / %s column %s suppressed with marks %q", bn.Title, row.Label, bn.Columns[c].Letter, cell.Sig)
					}
					suppressed++
				case c == 0:
					if has["▲"] || has["▼"] || rt.Tested {
						t.Errorf("%s / %s: Total marked %q (tested %v), want no arrow", bn.Title, row.Label, cell.Sig, rt.Tested)
					}
				case rt.Direction == "+":
					if !has["▲"] || has["▼"] {
						t.Errorf("%s / %s column %s = %q, want ▲ (difference %+.4f, p %.4f)", bn.Title, row.Label, bn.Columns[c].Letter, cell.Sig, rt.Difference, rt.P)
					}
					up++
				case rt.Direction == "-":
					if !has["▼"] || has["▲"] {
						t.Errorf("%s / %s column %s = %q, want ▼ (difference %+.4f, p %.4f)", bn.Title, row.Label, bn.Columns[c].Letter, cell.Sig, rt.Difference, rt.P)
					}
					down++
				default:
					if has["▲"] || has["▼"] {
						t.Errorf("%s / %s column %s = %q, want no arrow (p %.4f, tested %v)", bn.Title, row.Label, bn.Columns[c].Letter, cell.Sig, rt.P, rt.Tested)
					}
					if rt.Tested {
						quiet++
					}
				}
			}
		}
	}
	if k != len(res.Rows) {
		t.Errorf("Crosstabs show %d rows, the banner has %d", k, len(res.Rows))
	}
	if up == 0 || down == 0 || quiet == 0 {
		t.Errorf("Crosstabs: %d ▲, %d ▼, %d cells tested without an arrow; want some of each", up, down, quiet)
	}
	legend := bannerLegend(0.95, analysis.DefaultMinBase)
	for _, w := range []string{"▲/▼", "higher/lower than Total", "rest of the sample", "95% level", "no adjustment for multiple comparisons"} {
		if !strings.Contains(legend, w) {
			t.Errorf("banner legend %q does not say %q", legend, w)
		}
	}
	for _, bn := range banners {
		notes := bn.footnotes()
		if notes[len(notes)-1] != legend {
			t.Errorf("banner %q ends with %q, want the legend", bn.Title, notes[len(notes)-1])
		}
	}
	// Each format prints the legend once per banner.
	var md, html bytes.Buffer
	if err := WriteReportMarkdown(&md, sr.Report); err != nil {
		t.Fatal(err)
	}
	if err := WriteHTML(&html, sr.Report); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"markdown": md.String(), "html": html.String()} {
		if n := strings.Count(out, "significantly higher/lower than Total."); n != len(banners) {
			t.Errorf("%s has the legend %d times for %d banners", name, n, len(banners))
		}
	}
}
