package reports

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// WriteHTML writes r as one self-contained HTML file: inline CSS, charts
// inlined as data URIs (PNG when the image has one, else SVG), no
// scripts and no external requests, so it can be mailed or archived as
// is. It has a table of contents, the key findings, every section with
// its tables, charts and banners, and the methodology. Tables carry a
// caption, header scopes and a pointer to the note explaining interval
// notation; numbers are right-aligned in tabular figures; a print
// stylesheet starts each section on a new page and lets wide tables
// shrink instead of being clipped. Native charts become plain CSS bar
// charts (horizontal for every chart type, which reads best on a page).
// All text goes through html/template, so labels cannot inject markup.
func WriteHTML(w io.Writer, r *Report) error {
	if err := r.validate(); err != nil {
		return fmt.Errorf("write html: %w", err)
	}
	tmpl, err := template.New("report").Parse(htmlTemplate)
	if err != nil {
		// The template is a constant, so this is a programming error
		// that every test run would catch.
		panic("reports: html template: " + err.Error())
	}
	bw := bufio.NewWriter(w)
	if err := tmpl.Execute(bw, newHTMLView(r)); err != nil {
		return fmt.Errorf("write html: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write html: %w", err)
	}
	return nil
}

// The view types hold what the template shows, already formatted, so the
// template only lays it out.
type (
	htmlView struct {
		Title, Subtitle string
		Date, DateISO   string
		Findings        []string
		NotMeasured     []string
		Notation        []string
		Sections        []htmlSection
		Methodology     []KeyValue
		Files           []string
		SeriesCSS       template.CSS
		PageCSS         template.CSS
	}
	htmlSection struct {
		ID, Name string
		Intro    []string
		Tables   []htmlTable
		Charts   []htmlChart
		Images   []htmlImage
		Banners  []htmlBanner
	}
	htmlTable struct {
		Caption string
		Head    []htmlHead
		Rows    [][]htmlCell
		Notes   []string
	}
	htmlHead struct {
		Text string
		Num  bool
	}
	htmlCell struct {
		Header, Num, Star, Dash bool
		Value, CI, Mark         string
	}
	htmlChart struct {
		Title   string
		Label   string // the values in words, for screen readers
		Stacked bool
		Legend  []htmlLegend
		Rows    []htmlBarRow
	}
	htmlLegend struct {
		Name, Class string
	}
	htmlBarRow struct {
		Label string
		Bars  []htmlBar
	}
	htmlBar struct {
		Class, Value string
		Style        template.CSS
		ShowValue    bool
	}
	htmlImage struct {
		Title, Alt string
		Src        template.URL
	}
	htmlBanner struct {
		Caption string
		Style   template.CSS // sizes columns to the widest letters
		Groups  []htmlGroup
		Cols    []BannerColumn
		Bases   []htmlBase
		Rows    []htmlBannerRow
		Notes   []string
	}
	htmlGroup struct {
		Name string
		Span int
	}
	htmlBase struct {
		Name   string
		Values []string
	}
	htmlBannerRow struct {
		Label     string
		Cells     []htmlBannerCell
		Net, Mean bool
	}
	htmlBannerCell struct {
		Value, Sig string
		Star, Dash bool
	}
)

func newHTMLView(r *Report) htmlView {
	v := htmlView{
		Title:       r.Title,
		Subtitle:    r.Subtitle,
		Notation:    []string{r.confNote(), lowBaseNote(0), suppressedNote(0)},
		Methodology: r.Methodology,
		Files:       r.Files,
		SeriesCSS:   seriesCSS(),
		PageCSS:     template.CSS("size:" + r.Paper.cssSize() + ";margin:14mm"),
	}
	if !r.Date.IsZero() {
		v.Date, v.DateISO = r.Date.Format(humanDate), r.Date.Format("2006-01-02")
	}
	v.NotMeasured = r.notMeasuredLines()
	for _, f := range r.Findings {
		v.Findings = append(v.Findings, f.Text)
	}
	ids := r.sectionIDs()
	for i := range r.Sections {
		s := &r.Sections[i]
		hs := htmlSection{ID: ids[i], Name: s.Name, Intro: paragraphs(s.Intro)}
		for _, t := range s.Tables {
			hs.Tables = append(hs.Tables, newHTMLTable(t, t.Title))
		}
		for _, t := range s.chartTables() {
			hs.Tables = append(hs.Tables, newHTMLTable(t.Table, t.title))
		}
		for _, c := range s.NativeCharts {
			hs.Charts = append(hs.Charts, newHTMLChart(c))
		}
		for _, im := range s.Images {
			hs.Images = append(hs.Images, newHTMLImage(im))
		}
		for _, b := range s.Banners {
			hs.Banners = append(hs.Banners, newHTMLBanner(b))
		}
		v.Sections = append(v.Sections, hs)
	}
	return v
}

func newHTMLTable(t *Table, caption string) htmlTable {
	ht := htmlTable{Caption: caption, Notes: t.Footnotes()}
	for _, c := range t.cols {
		ht.Head = append(ht.Head, htmlHead{Text: c.Name, Num: c.numeric()})
	}
	for i := range t.NumRows() {
		var row []htmlCell
		for j, c := range t.cols {
			p := parts(c, t.Cell(i, j))
			row = append(row, htmlCell{
				// A leading label column heads its row for screen readers.
				Header: j == 0 && c.Kind == Text,
				Num:    c.numeric(),
				Value:  p.value, Star: p.star, CI: p.ci, Mark: p.mark, Dash: p.dash,
			})
		}
		ht.Rows = append(ht.Rows, row)
	}
	return ht
}

// newHTMLChart turns a native chart into CSS bars: lengths relative to
// the largest value (negative values draw no bar), or shares of the row
// total for StackedPercent.
func newHTMLChart(c NativeChart) htmlChart {
	t := c.Table
	hc := htmlChart{Title: c.Title, Stacked: c.Type == StackedPercent}
	for i, k := range c.SeriesCols {
		hc.Legend = append(hc.Legend, htmlLegend{Name: t.cols[k].Name, Class: "s" + strconv.Itoa(i%8)})
	}
	value := func(i, k int) float64 {
		cl := t.Cell(i, k)
		if cl.Suppressed || math.IsNaN(cl.Num) || math.IsInf(cl.Num, 0) || cl.Num < 0 {
			return 0
		}
		return cl.Num
	}
	top := 0.0
	for i := range t.NumRows() {
		for _, k := range c.SeriesCols {
			top = max(top, value(i, k))
		}
	}
	var words []string
	for i := range t.NumRows() {
		label := parts(t.cols[c.CategoryCol], t.Cell(i, c.CategoryCol)).join()
		row := htmlBarRow{Label: label}
		total := 0.0
		for _, k := range c.SeriesCols {
			total += value(i, k)
		}
		var said []string
		for n, k := range c.SeriesCols {
			shown := parts(t.cols[k], t.Cell(i, k)).join()
			var width float64
			switch {
			case hc.Stacked && total > 0:
				width = value(i, k) / total * 100
			case !hc.Stacked && top > 0:
				// 85% leaves room for the value printed after the bar.
				width = value(i, k) / top * 85
			}
			row.Bars = append(row.Bars, htmlBar{
				Class:     "s" + strconv.Itoa(n%8),
				Value:     shown,
				Style:     template.CSS("width:" + strconv.FormatFloat(width, 'f', 2, 64) + "%"),
				ShowValue: !hc.Stacked || width >= 9,
			})
			said = append(said, t.cols[k].Name+" "+shown)
		}
		hc.Rows = append(hc.Rows, row)
		words = append(words, label+": "+strings.Join(said, ", "))
	}
	hc.Label = c.Title + ". " + strings.Join(words, "; ") + "."
	return hc
}

// newHTMLImage inlines an image as a data URI. An img element, unlike
// pasted SVG markup, keeps each chart's ids and styles to itself and runs
// no script an SVG might carry.
func newHTMLImage(im Image) htmlImage {
	alt := im.AltText
	if alt == "" {
		alt = im.Title
	}
	hi := htmlImage{Title: im.Title, Alt: alt}
	// PNG first: an SVG names its fonts, and a reader without them sees
	// clipped titles and colliding legends; the PNG was drawn with the
	// embedded fonts and looks the same everywhere.
	if len(im.PNG) > 0 {
		hi.Src = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(im.PNG))
	} else {
		hi.Src = template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(im.SVG))
	}
	return hi
}

func newHTMLBanner(b *Banner) htmlBanner {
	hb := htmlBanner{Caption: b.Title, Cols: b.Columns, Notes: b.footnotes()}
	letters := 2
	for _, r := range b.Rows {
		for _, c := range r.Cells {
			letters = max(letters, utf8.RuneCountInString(c.Sig))
		}
	}
	// Equal columns wide enough for "100%*" and the longest letters; a
	// wide banner scrolls rather than letters running into the next
	// column. Letters are set at 0.8em, about 0.6em each.
	sig := 0.5 + 0.6*float64(letters)
	hb.Style = template.CSS(fmt.Sprintf("--sigw:%.2fem;min-width:calc(17rem + %d * (3.4em + %.2fem))",
		sig, len(b.Columns), sig*0.8))
	for _, g := range b.groups() {
		hb.Groups = append(hb.Groups, htmlGroup{Name: g.name, Span: g.n})
	}
	for _, base := range b.bases() {
		hr := htmlBase{Name: base.name}
		for _, x := range base.v {
			hr.Values = append(hr.Values, formatNum(Integer, 0, x))
		}
		hb.Bases = append(hb.Bases, hr)
	}
	for _, r := range b.Rows {
		hr := htmlBannerRow{Label: r.Label, Net: r.Net, Mean: r.Mean}
		for _, c := range r.Cells {
			hc := htmlBannerCell{Value: bannerValue(r, BannerCell{Pct: c.Pct, Suppressed: c.Suppressed}), Dash: c.Suppressed}
			if !c.Suppressed {
				hc.Sig, hc.Star = c.Sig, c.LowBase
			}
			hr.Cells = append(hr.Cells, hc)
		}
		hb.Rows = append(hb.Rows, hr)
	}
	return hb
}

// seriesCSS colours the bar classes s0…s7 with the deck's palette.
func seriesCSS() template.CSS {
	var b strings.Builder
	for i, c := range strings.Fields(paletteHex) {
		fmt.Fprintf(&b, ".s%d{background:#%s}", i, c)
	}
	return template.CSS(b.String())
}
