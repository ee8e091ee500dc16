package reports

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	_ "image/png" // registers the decoder DecodeConfig needs for chart sizes
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/rivo/uniseg"
	"github.com/xuri/excelize/v2"
)

// Fixed sheet names of the deck.
const (
	sheetContents    = "Contents"
	sheetSummary     = "Summary"
	sheetMethodology = "Methodology"
)

// fixedStamp dates a workbook whose report has no Date, so output depends
// only on the report. It is the zip format's epoch, which the archive's
// entries carry too.
const fixedStamp = "1980-01-01T00:00:00Z"

// Layout constants, in Excel's units: column widths in characters of the
// default font, row heights in points; a default row is 15 pt = 20 px.
const (
	rowPx        = 20
	chartWidth   = 720
	chartHeight  = 340
	maxColWidth  = 60.0
	minNumWidth  = 9.0
	headerMaxLen = 18 // headers wrap beyond this, so they don't widen columns
)

// paletteHex colours chart series in the deck and in HTML alike.
const paletteHex = "1F3A5F 2A9D8F E9A23B D1495B 6C757D 8AB6D6 7B5EA7 3E7C17"

// seriesColor is the colour (RRGGBB) of the i-th series.
func seriesColor(i int) string {
	p := strings.Fields(paletteHex)
	return p[i%len(p)]
}

// WriteXLSX writes r as an Excel workbook: a Contents sheet linking every
// sheet, Summary (the findings), one sheet per section with tables, charts
// or images, Crosstabs (every banner, with the heading and intro of
// sections that hold only banners) and Methodology.
//
// Numbers are stored as numbers with number formats (percentages as
// fractions formatted "0.0%", intervals in their own columns), never as
// text; low-base cells keep their value and show "*" through the number
// format; suppressed cells hold "–" and no value. Every label is stored
// as a string, so text starting with "=" never becomes a formula. Native
// charts reference the cells of their table and images are placed below
// the tables. The workbook's properties and zip entries carry fixed
// timestamps (Report.Date when set), so the same report gives the same
// bytes.
func WriteXLSX(w io.Writer, r *Report) error {
	if err := r.validate(); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	f := excelize.NewFile()
	defer f.Close()
	d := &deck{f: f, r: r, numStyles: map[numKey]int{}, tables: map[*Table]tablePos{}}
	d.build()
	if d.err != nil {
		return fmt.Errorf("write xlsx: %w", d.err)
	}
	var raw bytes.Buffer
	if err := f.Write(&raw); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if err := normalizeZip(w, raw.Bytes(), d.caches); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// chartCache is what a chart reference shows: numbers (NaN for none) or
// text.
type chartCache struct {
	ref  string
	nums []float64
	strs []string
}

// fillChartCaches writes each reference's cached values into a chart
// part, where excelize left the cache empty.
func fillChartCaches(data []byte, caches []chartCache) []byte {
	s := string(data)
	for _, c := range caches {
		var ref bytes.Buffer
		_ = xml.EscapeText(&ref, []byte(c.ref))
		f := "<f>" + ref.String() + "</f>"
		var b strings.Builder
		if c.strs != nil {
			b.WriteString(f + "<strCache><ptCount val=\"" + strconv.Itoa(len(c.strs)) + "\"></ptCount>")
			for i, v := range c.strs {
				var t bytes.Buffer
				_ = xml.EscapeText(&t, []byte(v))
				b.WriteString("<pt idx=\"" + strconv.Itoa(i) + "\"><v>" + t.String() + "</v></pt>")
			}
			b.WriteString("</strCache>")
			s = strings.ReplaceAll(s, "<strRef>"+f+"</strRef>", "<strRef>"+b.String()+"</strRef>")
			continue
		}
		b.WriteString(f + "<numCache><formatCode>General</formatCode><ptCount val=\"" + strconv.Itoa(len(c.nums)) + "\"></ptCount>")
		for i, v := range c.nums {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue // a suppressed cell: no point
			}
			b.WriteString("<pt idx=\"" + strconv.Itoa(i) + "\"><v>" + strconv.FormatFloat(v, 'g', -1, 64) + "</v></pt>")
		}
		b.WriteString("</numCache>")
		s = strings.ReplaceAll(s, f+"<numCache><formatCode></formatCode></numCache>", b.String())
	}
	return []byte(s)
}

// zipEpoch stamps every zip entry, matching fixedStamp.
func zipEpoch() time.Time { return time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC) }

// normalizeZip copies the workbook b to w so that equal reports give
// equal bytes: every entry gets the same timestamp, and the content-type
// list, which excelize fills from a map when a picture is added, is
// sorted. The content-type list goes first, where file-type sniffers
// look for it; the other entries keep excelize's (sorted) order.
//
// Chart parts get the cached values of the cells their series refer to
// (caches, by escaped reference), which excelize leaves empty: previewers
// and viewers that do not recalculate draw charts from the cache.
func normalizeZip(w io.Writer, b []byte, caches []chartCache) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return fmt.Errorf("repack workbook: %w", err)
	}
	const types = "[Content_Types].xml"
	files := make([]*zip.File, 0, len(zr.File))
	for _, e := range zr.File {
		if e.Name == types {
			files = append([]*zip.File{e}, files...)
		} else {
			files = append(files, e)
		}
	}
	zw := zip.NewWriter(w)
	for _, e := range files {
		if err := repackEntry(zw, e, caches); err != nil {
			return fmt.Errorf("repack workbook: %s: %w", e.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("repack workbook: %w", err)
	}
	return nil
}

func repackEntry(zw *zip.Writer, e *zip.File, caches []chartCache) error {
	rc, err := e.Open()
	if err != nil {
		return err
	}
	data, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		return err
	}
	if e.Name == "[Content_Types].xml" {
		if data, err = sortContentTypes(data); err != nil {
			return err
		}
	}
	if strings.HasPrefix(e.Name, "xl/charts/chart") && strings.HasSuffix(e.Name, ".xml") {
		data = fillChartCaches(data, caches)
	}
	hw, err := zw.CreateHeader(&zip.FileHeader{Name: e.Name, Method: zip.Deflate, Modified: zipEpoch()})
	if err != nil {
		return err
	}
	_, err = hw.Write(data)
	return err
}

// contentTypes is the package's [Content_Types].xml.
type contentTypes struct {
	XMLName  xml.Name `xml:"http://schemas.openxmlformats.org/package/2006/content-types Types"`
	Defaults []struct {
		Extension   string `xml:",attr"`
		ContentType string `xml:",attr"`
	} `xml:"Default"`
	Overrides []struct {
		PartName    string `xml:",attr"`
		ContentType string `xml:",attr"`
	} `xml:"Override"`
}

// sortContentTypes orders the Default entries by extension; Overrides
// already come in a fixed order.
func sortContentTypes(data []byte) ([]byte, error) {
	var ct contentTypes
	if err := xml.Unmarshal(data, &ct); err != nil {
		return nil, err
	}
	sort.Slice(ct.Defaults, func(i, j int) bool { return ct.Defaults[i].Extension < ct.Defaults[j].Extension })
	out, err := xml.Marshal(ct)
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), out...), nil
}

// deck holds the state of one workbook being written. Errors are sticky:
// after the first, every helper does nothing, and WriteXLSX reports it.
type deck struct {
	f         *excelize.File
	r         *Report
	err       error
	st        styles
	numStyles map[numKey]int
	tables    map[*Table]tablePos
	caches    []chartCache
}

func (d *deck) check(err error) {
	if d.err == nil && err != nil {
		d.err = err
	}
}

// tablePos records where a table landed, for charts that reference it.
type tablePos struct {
	sheet         string
	header, first int // header row and first data row
	last          int // last data row
	valueCol      []int
}

func (d *deck) build() {
	d.st = d.newStyles()
	p := d.sheetPlan()
	d.check(d.f.SetSheetName("Sheet1", p.sheets[0].name))
	for _, e := range p.sheets[1:] {
		_, err := d.f.NewSheet(e.name)
		d.check(err)
	}
	d.writeContents(p.sheets)
	d.writeSummary()
	for i, name := range p.sections {
		d.writeSection(name, p.pages[i])
	}
	d.writeMethodology()
	d.f.SetActiveSheet(0)
	stamp := fixedStamp
	if !d.r.Date.IsZero() {
		stamp = d.r.Date.UTC().Format(time.RFC3339)
	}
	d.check(d.f.SetDocProps(&excelize.DocProperties{
		Title:          d.r.Title,
		Subject:        d.r.Subtitle,
		Creator:        "trustgap",
		LastModifiedBy: "trustgap",
		Created:        stamp,
		Modified:       stamp,
	}))
	d.check(d.f.SetAppProps(&excelize.AppProperties{Application: "trustgap"}))
}

// sheetPlan is the deck's sheets in order, with what Contents says of
// each, and the sheet and content of every page of a section.
type sheetPlan struct {
	sheets   []contentsEntry
	sections []string   // sheet of each page
	pages    []*Section // what each page shows
}

type contentsEntry struct {
	name, desc string
}

// sheetPlan names every sheet: Contents, Summary, the sections' pages
// and Methodology.
//
// A section with one table (or only banners) is one sheet. A section of
// several tables gets a sheet per table, its banners one sheet and its
// pictures one more: sheets size their columns for one table, so that
// each prints at a legible scale when fitted to the page's width.
func (d *deck) sheetPlan() sheetPlan {
	used := map[string]bool{}
	for _, n := range []string{sheetContents, sheetSummary, sheetMethodology, "History"} {
		used[strings.ToLower(n)] = true
	}
	p := sheetPlan{sheets: []contentsEntry{{sheetContents, ""}, {sheetSummary, "Key findings"}}}
	add := func(i int, page *Section, desc string) {
		name := sheetName(page.Name, i+1, used)
		p.sections = append(p.sections, name)
		p.pages = append(p.pages, page)
		p.sheets = append(p.sheets, contentsEntry{name, desc})
	}
	for i := range d.r.Sections {
		sec := &d.r.Sections[i]
		chartTabs := sec.chartTables()
		units := len(sec.Tables) + len(chartTabs)
		if len(sec.Banners) > 0 {
			units++
		}
		desc := firstSentence(sec.Intro)
		if units <= 1 {
			if desc == "" && len(sec.Banners) > 0 {
				desc = "Banner tables with significance letters and bases"
			}
			add(i, sec, desc)
			continue
		}
		intro := sec.Intro
		take := func() string { s := intro; intro = ""; return s }
		if len(sec.Banners) > 0 {
			add(i, &Section{Name: sec.Name, Intro: take(), Banners: sec.Banners}, desc)
			desc = ""
		}
		chartsOf := func(t *Table) []NativeChart {
			var out []NativeChart
			for _, c := range sec.NativeCharts {
				if c.Table == t {
					out = append(out, c)
				}
			}
			return out
		}
		for _, t := range sec.Tables {
			add(i, &Section{Name: sec.Name, Intro: take(), Tables: []*Table{t}, NativeCharts: chartsOf(t)}, nonEmpty(desc, t.Title))
			desc = ""
		}
		for _, t := range chartTabs {
			add(i, &Section{Name: sec.Name, Intro: take(), NativeCharts: chartsOf(t.Table)}, nonEmpty(desc, t.title))
			desc = ""
		}
		if len(sec.Images) > 0 {
			add(i, &Section{Name: sec.Name, Images: sec.Images}, "Charts")
		}
	}
	p.sheets = append(p.sheets, contentsEntry{sheetMethodology, "Sample, weighting, estimation and sources"})
	return p
}

func nonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// sheetName makes name a valid, unused sheet name: the characters Excel
// forbids become spaces, leading and trailing apostrophes go, it is cut
// to 31 UTF-16 units and, if taken (Excel compares case-insensitively),
// numbered "Name (2)". An empty name becomes "Section n". used is updated.
func sheetName(name string, n int, used map[string]bool) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) || r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, name)
	name = strings.Trim(strings.Join(strings.Fields(name), " "), "' ")
	if name == "" {
		name = "Section " + strconv.Itoa(n)
	}
	base := cutUTF16(name, excelize.MaxSheetNameLength)
	cand := base
	for k := 2; used[strings.ToLower(cand)]; k++ {
		suffix := " (" + strconv.Itoa(k) + ")"
		cand = cutUTF16(base, excelize.MaxSheetNameLength-len(suffix)) + suffix
	}
	used[strings.ToLower(cand)] = true
	return cand
}

// cutUTF16 shortens s to at most n UTF-16 code units, Excel's measure,
// without splitting a character, and drops the apostrophes or spaces the
// cut may leave at the end.
func cutUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		units += len(utf16.Encode([]rune{r}))
		if units > n {
			return strings.TrimRight(s[:i], "' ")
		}
	}
	return s
}

// styles is the workbook's style set, created once.
type styles struct {
	title, subtitle, h1, h2, note, link    int
	header, headerNum, text, textWrap, key int
	suppressed, mark, legend               int
	groupHead, bannerLabel, letter         int
	baseLabel, base, bannerPct, bannerLow  int
	sig, findingNo                         int
	textBold, bannerMean, bannerMeanLow    int
	noteWrap, legendWrap                   int
}

// Colours of the deck.
const (
	navy      = "1F3A5F"
	ink       = "1F2933"
	grey      = "6B7280"
	rule      = "D0D7DE"
	groupFill = "E4EBF2"
	sigBlue   = "1D4ED8"
	accent    = "2A9D8F"
)

func (d *deck) style(s *excelize.Style) int {
	if d.err != nil {
		return 0
	}
	id, err := d.f.NewStyle(s)
	d.check(err)
	return id
}

func (d *deck) newStyles() styles {
	under := []excelize.Border{{Type: "bottom", Color: rule, Style: 1}}
	navyFill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{navy}}
	f := func(size float64, bold, italic bool, color string) *excelize.Font {
		return &excelize.Font{Size: size, Bold: bold, Italic: italic, Color: color, Family: "Calibri"}
	}
	top := &excelize.Alignment{Vertical: "top", WrapText: true}
	mid := &excelize.Alignment{Vertical: "center"}
	return styles{
		title:         d.style(&excelize.Style{Font: f(18, true, false, navy)}),
		subtitle:      d.style(&excelize.Style{Font: f(12, false, false, grey)}),
		h1:            d.style(&excelize.Style{Font: f(15, true, false, navy)}),
		h2:            d.style(&excelize.Style{Font: f(13, true, false, navy)}),
		note:          d.style(&excelize.Style{Font: f(9, false, true, grey)}),
		link:          d.style(&excelize.Style{Font: &excelize.Font{Size: 11, Color: "0563C1", Underline: "single", Family: "Calibri"}, Alignment: &excelize.Alignment{Vertical: "top"}}),
		header:        d.style(&excelize.Style{Font: f(10, true, false, "FFFFFF"), Fill: navyFill, Alignment: &excelize.Alignment{Horizontal: "left", Indent: 1, Vertical: "center", WrapText: true}}),
		headerNum:     d.style(&excelize.Style{Font: f(10, true, false, "FFFFFF"), Fill: navyFill, Alignment: &excelize.Alignment{Horizontal: "right", Indent: 1, Vertical: "center", WrapText: true}}),
		text:          d.style(&excelize.Style{Font: f(11, false, false, ink), Border: under, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}),
		textWrap:      d.style(&excelize.Style{Font: f(11, false, false, ink), Alignment: top}),
		key:           d.style(&excelize.Style{Font: f(11, true, false, ink), Alignment: top}),
		suppressed:    d.style(&excelize.Style{Font: f(11, false, false, grey), Border: under, Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center"}}),
		mark:          d.style(&excelize.Style{Font: f(9, true, false, sigBlue), Border: under, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center"}}),
		legend:        d.style(&excelize.Style{Font: f(9, false, true, grey)}),
		groupHead:     d.style(&excelize.Style{Font: f(10, true, false, "FFFFFF"), Fill: navyFill, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}, Border: []excelize.Border{{Type: "left", Color: "FFFFFF", Style: 2}}}),
		bannerLabel:   d.style(&excelize.Style{Font: f(10, true, false, ink), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{groupFill}}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}, Border: []excelize.Border{{Type: "left", Color: "FFFFFF", Style: 2}}}),
		letter:        d.style(&excelize.Style{Font: f(9, true, false, sigBlue), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{groupFill}}, Alignment: &excelize.Alignment{Horizontal: "center"}, Border: []excelize.Border{{Type: "bottom", Color: navy, Style: 1}, {Type: "left", Color: "FFFFFF", Style: 2}}}),
		baseLabel:     d.style(&excelize.Style{Font: f(9, false, true, grey), Border: under, Alignment: mid}),
		base:          d.style(&excelize.Style{Font: f(9, false, true, grey), Border: under, Alignment: mid, CustomNumFmt: ptr("#,##0")}),
		bannerPct:     d.style(&excelize.Style{Font: f(11, false, false, ink), Border: under, Alignment: mid, CustomNumFmt: ptr("0%")}),
		bannerLow:     d.style(&excelize.Style{Font: f(11, false, false, ink), Border: under, Alignment: mid, CustomNumFmt: ptr(`0%"*"`)}),
		sig:           d.style(&excelize.Style{Font: f(9, true, false, sigBlue), Border: under, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center"}}),
		noteWrap:      d.style(&excelize.Style{Font: f(9, false, true, grey), Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}),
		legendWrap:    d.style(&excelize.Style{Font: f(9, false, true, grey), Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}),
		textBold:      d.style(&excelize.Style{Font: f(11, true, false, ink), Border: under, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}),
		bannerMean:    d.style(&excelize.Style{Font: f(11, true, false, ink), Border: under, Alignment: mid, CustomNumFmt: ptr("0.00")}),
		bannerMeanLow: d.style(&excelize.Style{Font: f(11, true, false, ink), Border: under, Alignment: mid, CustomNumFmt: ptr(`0.00"*"`)}),
		findingNo:     d.style(&excelize.Style{Font: f(14, true, false, accent), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"}}),
	}
}

func ptr[T any](v T) *T { return &v }

// numKey identifies a number style; styles are made on first use and
// reused, in the deterministic order the report is written.
type numKey struct {
	kind   Kind
	digits int
	star   bool // low base
	ci     bool // interval bound: muted
	left   bool // a figure in prose (Methodology)
}

func (d *deck) numStyle(k numKey) int {
	if id, ok := d.numStyles[k]; ok {
		return id
	}
	font := &excelize.Font{Size: 11, Color: ink, Family: "Calibri"}
	if k.ci {
		font = &excelize.Font{Size: 9, Color: grey, Family: "Calibri"}
	}
	id := d.style(&excelize.Style{
		Font:         font,
		Border:       []excelize.Border{{Type: "bottom", Color: rule, Style: 1}},
		Alignment:    &excelize.Alignment{Horizontal: "right", Vertical: "center"},
		CustomNumFmt: ptr(numFormat(k.kind, k.digits, k.star)),
	})
	d.numStyles[k] = id
	return id
}

// numStyleLeft is a number style for a figure in prose (Methodology):
// left-aligned, no rule.
func (d *deck) numStyleLeft(k Kind) int {
	key := numKey{kind: k, digits: 1, left: true}
	if id, ok := d.numStyles[key]; ok {
		return id
	}
	id := d.style(&excelize.Style{
		Font:         &excelize.Font{Size: 11, Color: ink, Family: "Calibri"},
		Alignment:    &excelize.Alignment{Horizontal: "left", Vertical: "top"},
		CustomNumFmt: ptr(numFormat(k, 1, false)),
	})
	d.numStyles[key] = id
	return id
}

// numFormat is the Excel number format of a kind; star appends a literal
// "*" so a low-base cell stays a number yet shows its flag.
func numFormat(k Kind, digits int, star bool) string {
	suffix := ""
	if star {
		suffix = `"*"`
	}
	switch k {
	case Percent:
		return "0.0%" + suffix
	case Decimal:
		if digits == 0 {
			return "0" + suffix
		}
		return "0." + strings.Repeat("0", digits) + suffix
	case Integer:
		return "#,##0" + suffix
	case PValue:
		if star {
			return `[<0.001]"<0.001*";0.000"*"`
		}
		return `[<0.001]"<0.001";0.000`
	case Points:
		// Stored in points (sheetValue): a number format cannot scale.
		return `+0.0" pts"` + suffix + `;-0.0" pts"` + suffix + `;0.0" pts"` + suffix
	}
	return "General"
}

// sheetValue is the number a cell of kind k stores: percentage points as
// points (16.5), since no number format multiplies by 100 without adding a
// percent sign; everything else as it is (percentages as fractions).
func sheetValue(k Kind, x float64) float64 {
	if k == Points {
		return x * 100
	}
	return x
}

// sheet writes one worksheet, remembering what it needs to size columns
// and wrapped rows at the end.
type sheet struct {
	d      *deck
	name   string
	widths map[int]float64
	wraps  []wrapped
	row    int // next free row
	// images wait for the column widths (placeImages), so that they
	// span the sheet's printed width; imagesFirst says whether nothing
	// precedes them.
	images      []Image
	imagesFirst bool
}

type wrapped struct {
	row, col, span int
	text           string
	size           float64
}

func (d *deck) sheet(name string) *sheet {
	if d.err == nil {
		d.check(d.f.SetSheetView(name, 0, &excelize.ViewOptions{ShowGridLines: ptr(false)}))
		d.check(d.f.SetPageLayout(name, &excelize.PageLayoutOptions{Size: ptr(d.r.Paper.xlsxPaperSize()), Orientation: ptr("landscape"), FitToWidth: ptr(1), FitToHeight: ptr(0)}))
		d.check(d.f.SetPageMargins(name, &excelize.PageLayoutMarginsOptions{Left: ptr(marginSide), Right: ptr(marginSide),
			Top: ptr(marginTopBottom), Bottom: ptr(marginTopBottom), Header: ptr(marginHeader), Footer: ptr(marginHeader)}))
		d.check(d.f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: ptr(true)}))
	}
	return &sheet{d: d, name: name, widths: map[int]float64{}, row: 1}
}

func cell(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}

// maxRowHeight is the tallest row Excel allows, in points.
const maxRowHeight = 409

// str writes text as a string cell (never a formula) and, when fit is
// set, lets it widen its column.
func (s *sheet) str(col, row int, text string, style int, fit bool) {
	if s.d.err != nil {
		return
	}
	c := cell(col, row)
	s.d.check(s.d.f.SetCellStr(s.name, c, text))
	s.d.check(s.d.f.SetCellStyle(s.name, c, c, style))
	if fit {
		s.fit(col, textWidth(text))
	}
}

// num writes x as a number; NaN and infinities leave the cell empty but
// styled, since Excel has no such numbers.
func (s *sheet) num(col, row int, x float64, style int, shown string) {
	if s.d.err != nil {
		return
	}
	c := cell(col, row)
	if !math.IsNaN(x) && !math.IsInf(x, 0) {
		s.d.check(s.d.f.SetCellFloat(s.name, c, x, -1, 64))
	}
	s.d.check(s.d.f.SetCellStyle(s.name, c, c, style))
	s.fit(col, textWidth(shown)+1)
}

func (s *sheet) styleRange(c1, r1, c2, r2, style int) {
	if s.d.err == nil {
		s.d.check(s.d.f.SetCellStyle(s.name, cell(c1, r1), cell(c2, r2), style))
	}
}

func (s *sheet) fit(col int, w float64) {
	s.widths[col] = max(s.widths[col], w)
}

func textWidth(text string) float64 {
	return float64(uniseg.StringWidth(oneLine(text)))*1.1 + 2
}

// wrap records a cell of wrapped text in a font of size points spanning
// span columns, whose row height is set once the column widths are known:
// files carry row heights, and spreadsheets do not refit rows on opening.
func (s *sheet) wrap(row, col, span int, text string, size float64) {
	s.wraps = append(s.wraps, wrapped{row: row, col: col, span: span, text: text, size: size})
}

// finish sets column widths and the heights of rows holding wrapped text.
func (s *sheet) finish(fixed map[int]float64) {
	if s.d.err != nil {
		return
	}
	for col, w := range s.widths {
		s.widths[col] = min(w, maxColWidth)
	}
	for col, w := range fixed {
		s.widths[col] = w
	}
	for col, w := range s.widths {
		name, _ := excelize.ColumnNumberToName(col)
		s.d.check(s.d.f.SetColWidth(s.name, name, name, w))
	}
	heights := map[int]float64{}
	for _, wr := range s.wraps {
		width := 0.0
		for c := wr.col; c < wr.col+wr.span; c++ {
			w, ok := s.widths[c]
			if !ok {
				w = 9.14 // Excel's default column width
			}
			width += w
		}
		// Column widths count digits of the 11 pt default font; prose
		// averages about 0.88 of a digit, so 0.9 errs towards a spare
		// line rather than clipped text.
		perChar := 0.9 * wr.size / 11
		lines := 0
		for _, p := range strings.Split(wr.text, "\n") {
			lines += max(1, int(math.Ceil(float64(uniseg.StringWidth(p))*perChar/max(width-1.5, 1))))
		}
		heights[wr.row] = max(heights[wr.row], float64(lines)*(wr.size*1.32)+3)
	}
	for row, h := range heights {
		// Excel's tallest row is 409 points; a longer text (a
		// 2,000-character label) scrolls inside its cell instead.
		s.d.check(s.d.f.SetRowHeight(s.name, row, min(h, maxRowHeight)))
	}
}

// freeze keeps the first rows and cols in view while scrolling.
func (s *sheet) freeze(cols, rows int) {
	if s.d.err != nil {
		return
	}
	pane := "bottomRight"
	switch {
	case cols == 0:
		pane = "bottomLeft"
	case rows == 0:
		pane = "topRight"
	}
	s.d.check(s.d.f.SetPanes(s.name, &excelize.Panes{
		Freeze: true, XSplit: cols, YSplit: rows,
		TopLeftCell: cell(cols+1, rows+1), ActivePane: pane,
	}))
}

// titleBlock writes the sheet's title and, if any, a subtitle line.
func (s *sheet) titleBlock(title, sub string) {
	s.str(1, 1, title, s.d.st.title, false)
	s.d.check(s.d.f.SetRowHeight(s.name, 1, 28))
	s.row = 2
	if sub != "" {
		s.str(1, 2, sub, s.d.st.subtitle, false)
		s.row = 3
	}
	s.backLink(s.row)
	s.row += 2
}

// quoteSheet is a sheet name as formulas and links reference it.
func quoteSheet(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}

func (d *deck) writeContents(sheets []contentsEntry) {
	s := d.sheet(sheetContents)
	sub := d.r.Subtitle
	if !d.r.Date.IsZero() {
		sub = strings.TrimSpace(sub + "  ·  " + d.r.Date.Format(humanDate))
		sub = strings.TrimPrefix(sub, "·  ")
	}
	s.str(1, 1, d.r.Title, d.st.title, false)
	d.check(d.f.SetRowHeight(s.name, 1, 28))
	s.str(1, 2, sub, d.st.subtitle, false)
	s.str(1, 4, "Contents", d.st.header, false)
	s.str(2, 4, "", d.st.header, false)
	row := 5
	for _, e := range sheets[1:] {
		n, desc := e.name, e.desc
		s.str(1, row, n, d.st.link, false)
		if d.err == nil {
			d.check(d.f.SetCellHyperLink(s.name, cell(1, row), quoteSheet(n)+"!A1", "Location",
				excelize.HyperlinkOpts{Tooltip: ptr("Go to " + n)}))
		}
		s.str(2, row, desc, d.st.textWrap, false)
		s.wrap(row, 2, 1, desc, 11)
		row++
	}
	for _, l := range d.r.notMeasuredLines() {
		s.str(1, row, l, d.st.note, false)
		row++
	}
	s.freeze(0, 4)
	s.finish(map[int]float64{1: 34, 2: 90})
}

// firstSentence is the start of an intro, for the contents page.
func firstSentence(text string) string {
	ps := paragraphs(text)
	if len(ps) == 0 {
		return ""
	}
	p := oneLine(ps[0])
	if i := strings.Index(p, ". "); i > 0 {
		return p[:i+1]
	}
	return p
}

func (d *deck) writeSummary() {
	s := d.sheet(sheetSummary)
	s.titleBlock("Key findings", d.r.Title)
	for i, f := range d.r.Findings {
		s.str(1, s.row, strconv.Itoa(i+1), d.st.findingNo, false)
		s.str(2, s.row, f.Text, d.st.textWrap, false)
		s.wrap(s.row, 2, 1, f.Text, 11)
		s.row++
	}
	if len(d.r.Findings) == 0 {
		s.str(1, s.row, "No findings were recorded for this report.", d.st.note, false)
	}
	s.freeze(0, 3)
	s.finish(map[int]float64{1: 5, 2: 110})
}

func (d *deck) writeSection(name string, sec *Section) {
	s := d.sheet(name)
	s.str(1, 1, sec.Name, d.st.title, false)
	d.check(d.f.SetRowHeight(name, 1, 28))
	s.backLink(2)
	s.row = 3
	introRows := paragraphs(sec.Intro)
	span := 8
	for _, t := range sec.Tables {
		span = max(span, sheetCols(t))
	}
	for _, b := range sec.Banners {
		span = max(span, 1+2*len(b.Columns))
	}
	for _, p := range introRows {
		s.str(1, s.row, p, d.st.textWrap, false)
		if d.err == nil {
			d.check(d.f.MergeCell(name, cell(1, s.row), cell(span, s.row)))
		}
		s.wrap(s.row, 1, span, p, 11)
		s.row++
	}
	s.row++
	// Blocks print one to a page: a table, a banner, a chart never runs
	// over a page break and its header is at the top of its page.
	first := true
	block := func() {
		if !first {
			s.pageBreak()
		}
		first = false
	}
	var headerRows []int    // the header rows of each block, for freezing
	var bannerRuns [][2]int // first and last row of each banner, for breakBanners
	var titleRows [2]int    // the banners' header, printed on every page
	banners := len(sec.Banners) > 0
	if banners {
		if sharedColumns(sec.Banners) {
			// One header for every banner, frozen and printed on every
			// page: the columns are the same all the way down.
			h1, h2 := s.bannerHeader(sec.Banners[0])
			alone := len(sec.Tables) == 0 && len(sec.NativeCharts) == 0 && len(sec.Images) == 0
			if alone {
				s.freeze(1, h2)
				s.printTitles(h1, h2)
			}
			// Banners share pages while they fit: alone on their sheet,
			// the breaks are placed once the rows' heights and the
			// columns' widths are known (breakBanners); otherwise a page
			// of the banner's width holds about bannerPageRows rows.
			onPage := 0
			for i, b := range sec.Banners {
				n := bannerRowsEstimate(b)
				if !alone && i > 0 && onPage+n > bannerPageRows {
					s.pageBreak()
					onPage = 0
				}
				onPage += n
				start := s.row
				s.bannerBody(b, sec.Name)
				if alone {
					bannerRuns = append(bannerRuns, [2]int{start, s.row - 1})
					titleRows = [2]int{h1, h2}
				}
			}
			first = false
		} else {
			for _, b := range sec.Banners {
				block()
				headerRows = append(headerRows, s.banner(b, sec.Name))
			}
		}
	}
	for _, t := range sec.Tables {
		block()
		headerRows = append(headerRows, s.table(t, t.Title))
	}
	for _, t := range sec.chartTables() {
		block()
		headerRows = append(headerRows, s.table(t.Table, t.title))
	}
	for _, c := range sec.NativeCharts {
		block()
		s.chart(c)
	}
	s.images = sec.Images // placed once the column widths are known
	s.imagesFirst = first
	if !(banners && sharedColumns(sec.Banners)) {
		// A single table keeps its header in view and prints it on every
		// page; otherwise the title and the link back to Contents stay.
		if len(headerRows) == 1 && len(sec.NativeCharts) == 0 && len(sec.Images) == 0 {
			s.freeze(1, headerRows[0])
			s.printTitles(headerRows[0], headerRows[0])
		} else {
			s.freeze(0, 2)
		}
	}
	fixed := map[int]float64{}
	if banners {
		fixed[1] = 46
		widest := 0
		for _, b := range sec.Banners {
			widest = max(widest, len(b.Columns))
		}
		for k := range widest {
			fixed[2+2*k] = 7
			s.fit(3+2*k, 3.5)
		}
	} else if len(sec.Tables) == 0 && len(sec.chartTables()) == 0 {
		fixed[1] = 12
	}
	s.finish(fixed)
	s.breakBanners(bannerRuns, titleRows)
	s.placeImages(fixed)
}

// The page set-up every sheet has (sheet): margins in inches, set rather
// than left to the spreadsheet, so that breakBanners knows the printable
// area.
const (
	marginSide, marginTopBottom, marginHeader = 0.5, 0.6, 0.3
)

// paperPoints is the paper's landscape width and height in points.
func (p Paper) paperPoints() (w, h float64) {
	if p == PaperLetter {
		return 792, 612
	}
	return 842, 595
}

// breakBanners puts a page break before each banner of runs (first and
// last rows) that would not fit whole on the current printed page, for
// the sheet's paper once fitted to its width: the columns' widths give
// the print scale, the rows' heights (set by finish) what a page holds
// below the header repeated on every page (rows title[0]..title[1]).
// A banner taller than a page starts a page and runs over.
func (s *sheet) breakBanners(runs [][2]int, title [2]int) {
	if s.d.err != nil || len(runs) < 2 {
		return
	}
	pw, ph := s.d.r.Paper.paperPoints()
	pw -= 2 * marginSide * 72
	ph -= 2 * marginTopBottom * 72
	// Column widths count characters of 7 pixels plus 5 of padding; a
	// pixel is 0.75 points.
	last := 0
	for col := range s.widths {
		last = max(last, col)
	}
	width := 0.0
	for col := 1; col <= last; col++ {
		w, ok := s.widths[col]
		if !ok {
			w = 9.14
		}
		width += (w*7 + 5) * 0.75
	}
	scale := 1.0
	if width > pw {
		scale = math.Floor(100*pw/width) / 100 // spreadsheets scale by whole percents
	}
	// What a page holds, in the sheet's points, with a margin for the
	// spreadsheet's own rounding of heights.
	page := 0.95 * ph / scale
	height := func(r1, r2 int) float64 {
		h := 0.0
		for r := r1; r <= r2; r++ {
			x, err := s.d.f.GetRowHeight(s.name, r)
			if err != nil {
				s.d.check(err)
				return h
			}
			h += x
		}
		return h
	}
	header := height(title[0], title[1])
	used := height(1, runs[0][0]-1) // the first page: title, intro and header
	for i, r := range runs {
		h := height(r[0], r[1])
		if i > 0 && used+h > page {
			s.d.check(s.d.f.InsertPageBreak(s.name, cell(1, r[0])))
			used = header
		}
		used += h
	}
}

// bannerPageRows is about the number of rows a landscape page holds
// below a banner's repeated header once the sheet is fitted to the page's
// width (a banner of a dozen columns prints at about 60%).
const bannerPageRows = 44

// bannerRowsEstimate is the rows a banner takes: title, bases, rows,
// wrapped footnotes (about two lines each) and the gap after it.
func bannerRowsEstimate(b *Banner) int {
	return 1 + len(b.bases()) + len(b.Rows) + 2*len(b.footnotes()) + 2
}

// sharedColumns reports whether every banner has the same columns, so
// that one header serves them all.
func sharedColumns(bs []*Banner) bool {
	for _, b := range bs[1:] {
		if len(b.Columns) != len(bs[0].Columns) {
			return false
		}
		for k, c := range b.Columns {
			if c != bs[0].Columns[k] {
				return false
			}
		}
	}
	return true
}

// note writes a footnote across span columns, wrapped, so that a long
// note neither runs off the printed page nor widens it.
func (s *sheet) note(text string, span, style int, size float64) {
	s.str(1, s.row, text, style, false)
	if s.d.err == nil && span > 1 {
		s.d.check(s.d.f.MergeCell(s.name, cell(1, s.row), cell(span, s.row)))
	}
	s.wrap(s.row, 1, span, text, size)
	s.row++
}

// backLink writes a link back to the Contents sheet in column A of row.
func (s *sheet) backLink(row int) {
	s.str(1, row, "‹ Contents", s.d.st.link, false)
	if s.d.err == nil {
		s.d.check(s.d.f.SetCellHyperLink(s.name, cell(1, row), quoteSheet(sheetContents)+"!A1", "Location",
			excelize.HyperlinkOpts{Tooltip: ptr("Back to the contents")}))
	}
}

// printTitles repeats rows r1..r2 at the top of every printed page.
func (s *sheet) printTitles(r1, r2 int) {
	if s.d.err != nil || r1 <= 0 {
		return
	}
	s.d.check(s.d.f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("%s!$%d:$%d", quoteSheet(s.name), r1, r2), Scope: s.name,
	}))
}

// sheetCols is the number of sheet columns a table takes: each column,
// two more for an interval, one more for marks.
func sheetCols(t *Table) int {
	n := 0
	for j, c := range t.cols {
		n++
		if c.CI {
			n += 2
		}
		if t.colHasMark(j) {
			n++
		}
	}
	return n
}

// table writes t at the current row: title, header, rows, footnotes. It
// returns the header row.
func (s *sheet) table(t *Table, title string) int {
	d := s.d
	if title != "" {
		s.str(1, s.row, title, d.st.h2, false)
		s.row++
	}
	header := s.row
	pos := tablePos{sheet: s.name, header: header, first: header + 1, last: header + t.NumRows()}
	col := 1
	for j, c := range t.cols {
		hs := d.st.header
		if c.numeric() {
			hs = d.st.headerNum
		}
		pos.valueCol = append(pos.valueCol, col)
		s.str(col, header, c.Name, hs, false)
		s.headerFit(col, c.Name)
		s.wrap(header, col, 1, c.Name, 10)
		col++
		if c.CI {
			s.str(col, header, "CI low", d.st.headerNum, true)
			s.str(col+1, header, "CI high", d.st.headerNum, true)
			col += 2
		}
		if t.colHasMark(j) {
			s.str(col, header, "", d.st.header, false)
			col++
		}
	}
	for i := range t.NumRows() {
		row := header + 1 + i
		for j, c := range t.cols {
			x := pos.valueCol[j]
			v := t.Cell(i, j)
			switch {
			case c.Kind == Text:
				s.str(x, row, v.Text, d.st.text, true)
				s.wrap(row, x, 1, v.Text, 11)
			case v.Suppressed:
				s.str(x, row, suppressedMark, d.st.suppressed, false)
			default:
				s.num(x, row, sheetValue(c.Kind, v.Num), d.numStyle(numKey{kind: c.Kind, digits: c.Digits, star: v.LowBase}),
					parts(c, Cell{Num: v.Num, LowBase: v.LowBase}).join())
			}
			next := x + 1
			if c.CI {
				ci := d.numStyle(numKey{kind: c.Kind, digits: c.Digits, ci: true})
				lo, hi := math.NaN(), math.NaN()
				if v.HasCI && !v.Suppressed {
					lo, hi = v.Lo, v.Hi
				}
				s.num(next, row, sheetValue(c.Kind, lo), ci, formatNum(c.Kind, c.Digits, lo))
				s.num(next+1, row, sheetValue(c.Kind, hi), ci, formatNum(c.Kind, c.Digits, hi))
				next += 2
			}
			if t.colHasMark(j) {
				m := v.Mark
				if v.Suppressed {
					m = ""
				}
				s.str(next, row, m, d.st.mark, true)
			}
		}
	}
	s.row = header + t.NumRows() + 1
	for _, n := range t.Footnotes() {
		s.note(n, max(sheetCols(t), 4), d.st.noteWrap, 9)
	}
	s.row++
	d.tables[t] = pos
	return header
}

// headerFit widens a column for its header up to headerMaxLen characters;
// longer headers wrap.
func (s *sheet) headerFit(col int, name string) {
	w := textWidth(name)
	limit := float64(headerMaxLen)
	if col == 1 {
		limit = 30
	}
	s.fit(col, min(w, limit))
	s.fit(col, minNumWidth)
}

// pageBreak starts a new printed page at the current row, so a chart or
// image is never cut in two on paper.
func (s *sheet) pageBreak() {
	if s.d.err == nil && s.row > 3 {
		s.d.check(s.d.f.InsertPageBreak(s.name, cell(1, s.row)))
	}
}

// chart adds a native chart referencing its table's cells.
func (s *sheet) chart(c NativeChart) {
	d := s.d
	pos, ok := d.tables[c.Table]
	if !ok || d.err != nil || c.Table.NumRows() == 0 {
		return
	}
	ref := func(col, r1, r2 int) string {
		a, _ := excelize.CoordinatesToCellName(col, r1, true)
		if r1 == r2 {
			return quoteSheet(pos.sheet) + "!" + a
		}
		b, _ := excelize.CoordinatesToCellName(col, r2, true)
		return quoteSheet(pos.sheet) + "!" + a + ":" + b
	}
	ch := &excelize.Chart{
		Dimension: excelize.ChartDimension{Width: chartWidth, Height: chartHeight},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: c.Title, Font: &excelize.Font{Bold: true, Size: 12, Color: navy}}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		GapWidth:  ptr(uint(60)),
		Format:    excelize.GraphicOptions{AltText: c.Title},
	}
	if len(c.SeriesCols) == 1 {
		ch.Legend.Position = "none"
	}
	switch c.Type {
	case Column:
		ch.Type = excelize.Col
	case Bar:
		ch.Type = excelize.Bar
		// Bars list categories bottom-up unless reversed; tables read
		// top-down.
		ch.XAxis.ReverseOrder = true
	case StackedPercent:
		ch.Type = excelize.BarPercentStacked
		ch.XAxis.ReverseOrder = true
		ch.Overlap = ptr(100)
	}
	axisFont := excelize.Font{Size: 9, Color: ink}
	ch.XAxis.Font, ch.YAxis.Font = axisFont, axisFont
	ch.YAxis.MajorGridLines = true
	if c.PercentAxis || c.Type == StackedPercent {
		ch.YAxis.NumFmt = excelize.ChartNumFmt{CustomNumFmt: "0%"}
	}
	ch.PlotArea.ShowVal = true
	if c.Table.cols[c.SeriesCols[0]].Kind == Percent {
		ch.PlotArea.NumFmt = excelize.ChartNumFmt{CustomNumFmt: "0%"}
	}
	// Stacked segments carry their labels inside, in white.
	label := excelize.ChartDataLabel{Font: excelize.Font{Size: 9, Color: ink}}
	if c.Type == StackedPercent {
		label.Font.Color = "FFFFFF"
	}
	var cats []string
	for i := range c.Table.NumRows() {
		cats = append(cats, c.Table.Display(i, c.CategoryCol))
	}
	d.caches = append(d.caches, chartCache{ref: ref(pos.valueCol[c.CategoryCol], pos.first, pos.last), strs: cats})
	for _, k := range c.SeriesCols {
		var vals []float64
		for i := range c.Table.NumRows() {
			v := c.Table.Cell(i, k)
			x := sheetValue(c.Table.cols[k].Kind, v.Num)
			if v.Suppressed {
				x = math.NaN()
			}
			vals = append(vals, x)
		}
		d.caches = append(d.caches,
			chartCache{ref: ref(pos.valueCol[k], pos.header, pos.header), strs: []string{c.Table.cols[k].Name}},
			chartCache{ref: ref(pos.valueCol[k], pos.first, pos.last), nums: vals})
	}
	for i, k := range c.SeriesCols {
		ch.Series = append(ch.Series, excelize.ChartSeries{
			Name:       ref(pos.valueCol[k], pos.header, pos.header),
			Categories: ref(pos.valueCol[c.CategoryCol], pos.first, pos.last),
			Values:     ref(pos.valueCol[k], pos.first, pos.last),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{seriesColor(i)}},
			DataLabel:  label,
		})
	}
	s.pageBreak()
	d.check(d.f.AddChart(s.name, cell(1, s.row), ch))
	s.row += chartHeight/rowPx + 2
}

// Pictures span the sheet's printed width: at least imageMinPx, so that
// a narrow sheet prints its chart across the page.
const imageMinPx = 960

// usedWidthPx is the width of the sheet's columns in pixels, as Excel
// draws a column of w characters (w·7 + 5 px at the default font).
func (s *sheet) usedWidthPx() float64 {
	px := 0.0
	for _, w := range s.widths {
		px += math.Floor(w*7 + 5)
	}
	return px
}

// placeImages puts the section's pictures below everything else, one to
// a printed page, scaled to the sheet's printed width (fit to width makes
// that the page's width) from their full-resolution PNG.
func (s *sheet) placeImages(fixed map[int]float64) {
	d := s.d
	target := max(s.usedWidthPx(), imageMinPx)
	for i, im := range s.images {
		if d.err != nil {
			return
		}
		if i > 0 || !s.imagesFirst {
			s.pageBreak()
		}
		if im.Title != "" {
			s.str(1, s.row, im.Title, d.st.h2, false)
			s.row++
		}
		if len(im.PNG) == 0 {
			s.str(1, s.row, "This chart is available in the HTML report.", d.st.note, false)
			s.row += 2
			continue
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(im.PNG))
		if err != nil {
			d.check(fmt.Errorf("image %q: %w", im.Name, err))
			return
		}
		// At most about a page's height: fitted to width, a landscape
		// page is about 1.45 times as wide as it is high, less the title.
		scale := min(target/float64(cfg.Width), (target/1.6-120)/float64(cfg.Height))
		alt := im.AltText
		if alt == "" {
			alt = im.Title
		}
		d.check(d.f.AddPictureFromBytes(s.name, cell(1, s.row), &excelize.Picture{
			Extension: ".png",
			File:      im.PNG,
			Format: &excelize.GraphicOptions{
				AltText: alt, Name: im.Name, ScaleX: scale, ScaleY: scale,
				LockAspectRatio: true, Positioning: "oneCell",
			},
		}))
		s.row += int(math.Ceil(float64(cfg.Height)*scale/rowPx)) + 2
	}
}

func (s *sheet) banner(b *Banner, section string) int {
	s.bannerTitle(b, section)
	_, letterRow := s.bannerHeader(b)
	s.bannerRows(b)
	return letterRow
}

// bannerBody writes a banner under a header written once for several:
// title, bases, rows, notes.
func (s *sheet) bannerBody(b *Banner, section string) {
	s.bannerTitle(b, section)
	s.bannerRows(b)
}

func (s *sheet) bannerTitle(b *Banner, section string) {
	title := b.Title
	if title == "" {
		title = section
	}
	s.str(1, s.row, title, s.d.st.h2, false)
	// Bottom-aligned in a taller row: on a page that starts with it, the
	// title stands clear of the banner header printed above it.
	if s.d.err == nil {
		s.d.check(s.d.f.SetRowHeight(s.name, s.row, 26))
	}
	s.row++
}

// bannerHeader writes the group, label and letter rows at the current
// row and returns the first and last of them.
func (s *sheet) bannerHeader(b *Banner) (first, last int) {
	d := s.d
	groupRow, labelRow, letterRow := s.row, s.row+1, s.row+2
	s.styleRange(1, groupRow, 1, letterRow, d.st.bannerLabel)
	for _, g := range b.groups() {
		c1, c2 := 2+2*g.first, 1+2*(g.first+g.n)
		s.str(c1, groupRow, g.name, d.st.groupHead, false)
		s.styleRange(c1, groupRow, c2, groupRow, d.st.groupHead)
		if d.err == nil && c2 > c1 {
			d.check(d.f.MergeCell(s.name, cell(c1, groupRow), cell(c2, groupRow)))
		}
	}
	for k, c := range b.Columns {
		c1 := 2 + 2*k
		s.str(c1, labelRow, c.Label, d.st.bannerLabel, false)
		s.styleRange(c1, labelRow, c1+1, labelRow, d.st.bannerLabel)
		s.str(c1, letterRow, c.Letter, d.st.letter, false)
		s.styleRange(c1, letterRow, c1+1, letterRow, d.st.letter)
		if d.err == nil {
			d.check(d.f.MergeCell(s.name, cell(c1, labelRow), cell(c1+1, labelRow)))
			d.check(d.f.MergeCell(s.name, cell(c1, letterRow), cell(c1+1, letterRow)))
		}
		s.wrap(labelRow, c1, 2, c.Label, 10)
	}
	s.styleRange(1, letterRow, 1, letterRow, d.st.letter)
	s.row = letterRow + 1
	return groupRow, letterRow
}

// bannerRows writes the bases, the rows and the footnotes of b.
func (s *sheet) bannerRows(b *Banner) {
	d := s.d
	for _, base := range b.bases() {
		s.str(1, s.row, base.name, d.st.baseLabel, false)
		for k, v := range base.v {
			s.num(2+2*k, s.row, v, d.st.base, "")
			s.str(3+2*k, s.row, "", d.st.baseLabel, false)
		}
		s.row++
	}
	for _, r := range b.Rows {
		label := d.st.text
		if r.Net || r.Mean {
			label = d.st.textBold
		}
		s.str(1, s.row, r.Label, label, false)
		s.wrap(s.row, 1, 1, r.Label, 11)
		for k, c := range r.Cells {
			x := 2 + 2*k
			switch {
			case c.Suppressed:
				s.str(x, s.row, suppressedMark, d.st.suppressed, false)
				s.str(x+1, s.row, "", d.st.sig, false)
				continue
			case r.Mean && c.LowBase:
				s.num(x, s.row, c.Pct, d.st.bannerMeanLow, "")
			case r.Mean:
				s.num(x, s.row, c.Pct, d.st.bannerMean, "")
			case c.LowBase:
				s.num(x, s.row, c.Pct, d.st.bannerLow, "")
			default:
				s.num(x, s.row, c.Pct, d.st.bannerPct, "")
			}
			s.str(x+1, s.row, c.Sig, d.st.sig, false)
			s.fit(x+1, float64(len([]rune(c.Sig)))*1.1+1.5)
		}
		s.row++
	}
	for _, n := range b.footnotes() {
		s.note(n, 1+2*len(b.Columns), d.st.legendWrap, 9)
	}
	s.row += 2
}

func (d *deck) writeMethodology() {
	s := d.sheet(sheetMethodology)
	s.titleBlock("Methodology", d.r.Title)
	for _, kv := range d.r.methodology() {
		s.str(1, s.row, kv.Key, d.st.key, false)
		if kv.Kind != Text && !math.IsNaN(kv.Num) {
			s.num(2, s.row, sheetValue(kv.Kind, kv.Num), d.numStyleLeft(kv.Kind), "")
			s.row++
			continue
		}
		s.str(2, s.row, kv.Value, d.st.textWrap, false)
		s.wrap(s.row, 2, 1, kv.Value, 11)
		s.wrap(s.row, 1, 1, kv.Key, 11)
		s.row++
	}
	if len(d.r.Files) > 0 {
		s.row++
		s.str(1, s.row, "Sources", d.st.h2, false)
		s.row++
		for _, f := range d.r.Files {
			s.str(1, s.row, f, d.st.textWrap, false)
			s.d.check(d.f.MergeCell(s.name, cell(1, s.row), cell(2, s.row)))
			s.row++
		}
	}
	s.freeze(0, 3)
	s.finish(map[int]float64{1: 28, 2: 100})
}
