package reports

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var (
	update    = flag.Bool("update", false, "rewrite golden files in testdata")
	sampleDir = flag.String("sample-dir", "", "also write the sample report as report.xlsx/.html/.md into this directory, for looking at")
)

// regionRow is one line of the sample's regional table.
type regionRow struct {
	name          string
	trust, lo, hi float64
	comfort       float64
	gap           float64
	base          float64
	low, hidden   bool
}

// sampleReport is a realistic report: findings with intervals, a
// regional section with CIs, low bases and a suppressed cell, a segment
// section with a native chart and an image, a banner crosstab, and
// methodology. Numbers are invented but coherent.
func sampleReport(t testing.TB) *Report {
	t.Helper()
	regions := []regionRow{
		{"North America", 0.412, 0.391, 0.433, 0.538, -0.126, 1512, false, false},
		{"Europe", 0.364, 0.345, 0.384, 0.447, -0.083, 1980, false, false},
		{"Asia-Pacific", 0.551, 0.527, 0.575, 0.612, -0.061, 1633, false, false},
		{"Latin America", 0.488, 0.452, 0.524, 0.571, -0.083, 731, false, false},
		{"Middle East & Africa", 0.529, 0.431, 0.626, 0.604, -0.075, 88, true, false},
		{"Oceania", math.NaN(), 0, 0, math.NaN(), math.NaN(), 21, false, true},
	}
	byRegion := NewTable("Trust in companies to protect personal data, by region",
		TextCol("Region"),
		PercentCol("Trust companies").WithCI(),
		PercentCol("Comfortable with personalisation"),
		DecimalCol("Privacy gap (pts)", 3).WithKey("gap"),
		IntegerCol("Base (n)").WithKey("base"))
	byRegion.LowBase, byRegion.MinBase = 100, 30
	byRegion.Notes = []string{"Weighted estimates; intervals are design-based (Taylor linearisation)."}
	for _, r := range regions {
		trust := NumCI(r.trust, r.lo, r.hi)
		comfort, gap := Num(r.comfort), Num(r.gap)
		if r.low {
			trust, comfort, gap = trust.WithLowBase(), comfort.WithLowBase(), gap.WithLowBase()
		}
		if r.hidden {
			trust, comfort, gap = trust.WithSuppressed(), comfort.WithSuppressed(), gap.WithSuppressed()
		}
		byRegion.AddRow(Str(r.name), trust, comfort, gap, Num(r.base))
	}

	tests := NewTable("Regional differences in trust",
		TextCol("Comparison"), DecimalCol("Difference (pts)", 1), DecimalCol("t", 2), PValueCol("p"))
	tests.AddRow(Str("Asia-Pacific vs Europe"), Num(18.7), Num(11.94), Num(0.0000021))
	tests.AddRow(Str("North America vs Europe"), Num(4.8), Num(3.31), Num(0.0011).WithMark("▲"))
	tests.AddRow(Str("Latin America vs North America"), Num(7.6), Num(1.84), Num(0.066))

	segments := NewTable("Westin privacy segments",
		TextCol("Segment"), PercentCol("Share").WithCI(), PercentCol("Trust companies"), PercentCol("Use personalised offers"))
	segments.AddRow(Str("Privacy fundamentalists"), NumCI(0.271, 0.258, 0.284), Num(0.238), Num(0.412))
	segments.AddRow(Str("Privacy pragmatists"), NumCI(0.552, 0.538, 0.566), Num(0.455), Num(0.633))
	segments.AddRow(Str("Privacy unconcerned"), NumCI(0.177, 0.166, 0.188), Num(0.702), Num(0.781))

	mix := NewTable("", TextCol("Segment"), PercentCol("Share data for discounts"), PercentCol("Undecided"), PercentCol("Refuse"))
	mix.AddRow(Str("Fundamentalists"), Num(0.18), Num(0.21), Num(0.61))
	mix.AddRow(Str("Pragmatists"), Num(0.46), Num(0.31), Num(0.23))
	mix.AddRow(Str("Unconcerned"), Num(0.71), Num(0.19), Num(0.10))

	banner := &Banner{
		Title: "Q12. How much do you trust companies to protect your personal data?",
		Columns: []BannerColumn{
			{Letter: "A", Group: "Total", Label: "Total"},
			{Letter: "B", Group: "Region", Label: "North America"},
			{Letter: "C", Group: "Region", Label: "Europe"},
			{Letter: "D", Group: "Region", Label: "Asia-Pacific"},
			{Letter: "E", Group: "Region", Label: "Middle East & Africa"},
			{Letter: "F", Group: "Generation", Label: "Gen Z"},
			{Letter: "G", Group: "Generation", Label: "Millennials"},
			{Letter: "H", Group: "Generation", Label: "Gen X"},
			{Letter: "I", Group: "Generation", Label: "Boomers+"},
		},
		Rows: []BannerRow{
			{Label: "Trust completely", Cells: []BannerCell{{Pct: 0.112}, {Pct: 0.124, Sig: "C"}, {Pct: 0.081}, {Pct: 0.163, Sig: "BC"}, {Pct: 0.14, LowBase: true}, {Pct: 0.151, Sig: "HI"}, {Pct: 0.138, Sig: "I"}, {Pct: 0.097}, {Pct: 0.072}}},
			{Label: "Trust somewhat", Cells: []BannerCell{{Pct: 0.335}, {Pct: 0.288}, {Pct: 0.283}, {Pct: 0.388, Sig: "BC"}, {Pct: 0.39, LowBase: true}, {Pct: 0.36}, {Pct: 0.351}, {Pct: 0.33}, {Pct: 0.297}}},
			{Label: "Neither", Cells: []BannerCell{{Pct: 0.214}, {Pct: 0.22}, {Pct: 0.231}, {Pct: 0.19}, {Pct: 0.2, LowBase: true}, {Pct: 0.219}, {Pct: 0.207}, {Pct: 0.214}, {Pct: 0.221}}},
			{Label: "Distrust somewhat", Cells: []BannerCell{{Pct: 0.204}, {Pct: 0.223, Sig: "D"}, {Pct: 0.245, Sig: "D"}, {Pct: 0.161}, {Pct: 0.17, LowBase: true}, {Pct: 0.171}, {Pct: 0.19}, {Pct: 0.219, Sig: "F"}, {Pct: 0.236, Sig: "FG"}}},
			{Label: "Distrust completely", Cells: []BannerCell{{Pct: 0.135}, {Pct: 0.145, Sig: "D"}, {Pct: 0.16, Sig: "D"}, {Pct: 0.098}, {Suppressed: true}, {Pct: 0.099}, {Pct: 0.114}, {Pct: 0.14, Sig: "FG"}, {Pct: 0.174, Sig: "FGH"}}},
		},
		UnweightedBase: []float64{5944, 1512, 1980, 1633, 88, 1021, 1790, 1604, 1529},
		WeightedBase:   []float64{5944, 1688.2, 1702.9, 2221.4, 105.3, 1105.6, 1873.4, 1580.1, 1385},
		EffectiveBase:  []float64{4711.6, 1302.4, 1655.1, 1270.9, 61.2, 840.3, 1488.6, 1321.7, 1260.2},
		MinBase:        30,
		LowBase:        100,
	}

	return &Report{
		Title:     "Privacy & Personalization Tracker 2026",
		Subtitle:  "Trust, comfort and the privacy paradox across six regions",
		Date:      time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
		ConfLevel: 0.95,
		Findings: []Finding{
			{"Only 41.2% [39.1–43.4] of North Americans trust companies with their data, yet 53.8% are comfortable with personalised offers: a 12.6-point privacy gap."},
			{"Trust is highest in Asia-Pacific (55.1% [52.7–57.5]) and lowest in Europe (36.4% [34.5–38.4]), a difference of 18.7 points (p < 0.001)."},
			{"Privacy pragmatists are the majority at 55.2% [53.8–56.6]; fundamentalists make up 27.1% [25.8–28.4]."},
			{"=SUM(A1:A9) is kept as text, never run as a formula."},
		},
		Sections: []Section{
			{
				ID:     "regions",
				Name:   "Regional comparison",
				Intro:  "Trust in companies to protect personal data varies by almost 20 points across regions. Comfort with personalisation exceeds trust everywhere: the privacy paradox.\n\nBases below 100 are flagged; bases below 30 are not reported.",
				Tables: []*Table{byRegion, tests},
				NativeCharts: []NativeChart{{
					Title: "Trust vs comfort by region", Type: Bar, Table: byRegion,
					CategoryCol: 0, SeriesCols: []int{1, 2}, PercentAxis: true,
				}},
			},
			{
				ID:     "segments",
				Name:   "Westin segments: who's who?",
				Intro:  "Respondents are classified into Westin's three privacy segments from their answers to the three core privacy-concern items.",
				Tables: []*Table{segments},
				NativeCharts: []NativeChart{{
					Title: "Willingness to share data for discounts", Type: StackedPercent, Table: mix,
					CategoryCol: 0, SeriesCols: []int{1, 2, 3}, PercentAxis: true,
				}},
				Images: []Image{{
					Name: "segment-share", Title: "Share of each Westin segment",
					AltText: "Bar chart: pragmatists 55%, fundamentalists 27%, unconcerned 18%.",
					PNG:     samplePNG(t, []float64{0.271, 0.552, 0.177}),
					SVG:     sampleSVG([]float64{0.271, 0.552, 0.177}),
				}},
			},
			{
				Name:    "Crosstab: trust",
				Intro:   "Banner tables of trust by region and generation, with column-proportion tests.",
				Banners: []*Banner{banner},
			},
		},
		Methodology: []KeyValue{
			{Key: "Sample", Value: "5,944 online interviews in six regions, fielded 12–26 January 2026."},
			{Key: "Weighting", Value: "Raked to region × age × gender targets; design effect 1.26."},
			{Key: "Estimation", Value: "Design-based estimates matching R's survey package (Taylor linearisation, logit intervals for proportions)."},
		},
		Files: []string{"embedded:responses.csv", "embedded:codebook.yaml"},
	}
}

// samplePNG draws a plain bar chart, standing in for package charts'
// output, at a resolution that the deck must scale down.
func samplePNG(t testing.TB, values []float64) []byte {
	t.Helper()
	const w, h = 1200, 600
	img := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.White, color.RGBA{0x1F, 0x3A, 0x5F, 0xFF}})
	barW := w / (2*len(values) + 1)
	for i, v := range values {
		x0 := barW * (2*i + 1)
		top := h - int(v*float64(h-40)/0.6) - 20
		draw.Draw(img, image.Rect(x0, top, x0+barW, h-20), image.NewUniform(img.Palette[1]), image.Point{}, draw.Src)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sampleSVG is a minimal SVG bar chart, standing in for package charts'
// output.
func sampleSVG(values []float64) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?>` + "\n" + `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="300" viewBox="0 0 600 300">`)
	b.WriteString(`<rect width="600" height="300" fill="#fff"/>`)
	labels := []string{"Fundamentalists", "Pragmatists", "Unconcerned"}
	for i, v := range values {
		x := 60 + i*180
		hgt := v / 0.6 * 220
		fmt.Fprintf(&b, `<rect x="%d" y="%.1f" width="120" height="%.1f" fill="#1F3A5F"/>`, x, 260-hgt, hgt)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" font-family="sans-serif" font-size="14" text-anchor="middle">%.0f%%</text>`, x+60, 252-hgt, v*100)
		fmt.Fprintf(&b, `<text x="%d" y="284" font-family="sans-serif" font-size="13" text-anchor="middle">%s</text>`, x+60, labels[i%len(labels)])
	}
	b.WriteString(`</svg>`)
	return []byte(b.String())
}

// TestWriteSample writes the sample report for looking at when
// -sample-dir is given, and otherwise checks that all three writers
// accept it.
func TestWriteSample(t *testing.T) {
	r := sampleReport(t)
	writers := []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"report.xlsx", func(b *bytes.Buffer) error { return WriteXLSX(b, r) }},
		{"report.html", func(b *bytes.Buffer) error { return WriteHTML(b, r) }},
		{"report.md", func(b *bytes.Buffer) error { return WriteReportMarkdown(b, r) }},
	}
	for _, w := range writers {
		var buf bytes.Buffer
		if err := w.write(&buf); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		if buf.Len() == 0 {
			t.Errorf("%s: empty output", w.name)
		}
		if *sampleDir == "" {
			continue
		}
		if err := os.MkdirAll(*sampleDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(*sampleDir, w.name), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if *sampleDir != "" {
		dir := filepath.Join(*sampleDir, "charts")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, s := range r.Sections {
			for _, im := range s.Images {
				if err := os.WriteFile(filepath.Join(dir, im.Name+".png"), im.PNG, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}
