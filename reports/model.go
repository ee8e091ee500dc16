package reports

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Report is the neutral model of a client deliverable. It holds only
// aggregates: headline findings, sections of tables, charts and banner
// crosstabs, and the methodology. WriteXLSX, WriteHTML and
// WriteReportMarkdown render the same Report.
type Report struct {
	Title    string
	Subtitle string
	// Date is shown under the title when set, and stamps the workbook's
	// created/modified properties; zero stamps a fixed date so the same
	// report always gives the same bytes.
	Date time.Time
	// ConfLevel (e.g. 0.95) words the explanation of bracketed
	// intervals; zero leaves the level out.
	ConfLevel float64
	// NoiseIntervals says the brackets are the noise intervals of a
	// differentially private release, not confidence intervals.
	NoiseIntervals bool
	// Findings are headline sentences with their numbers and intervals.
	Findings    []Finding
	Sections    []Section
	Methodology []KeyValue
	// NotMeasured lists the report's sections this study cannot have,
	// each with the reason ("Trust & comfort": "the codebook has no trust
	// construct"); every format says so in one line where the section
	// would be listed.
	NotMeasured []KeyValue
	// Files names the inputs the figures come from.
	Files []string
	// Paper is the paper the deck's sheets and the HTML's printout are
	// set up for; empty is PaperA4.
	Paper Paper
}

// Paper is a paper size for printing, always in landscape.
type Paper string

// The papers a report is set up for. A4 is the default: the ISO 216
// paper of most of the world. A sheet must name one: an .xlsx without a
// paper size is a Letter sheet (ECMA-376's default for pageSetup
// paperSize, which LibreOffice applies whatever the locale), so leaving
// it out does not mean "the reader's paper"; a US client's codebook says
// report: paper: letter. Either way each sheet is fitted to the page's
// width, so it prints whole, only a little smaller, on the other paper.
const (
	PaperA4     Paper = "a4"
	PaperLetter Paper = "letter"
)

// xlsxPaperSize is the paper's SpreadsheetML paperSize code.
func (p Paper) xlsxPaperSize() int {
	if p == PaperLetter {
		return 1
	}
	return 9
}

// cssSize is the paper for CSS @page size.
func (p Paper) cssSize() string {
	if p == PaperLetter {
		return "letter landscape"
	}
	return "A4 landscape"
}

// Finding is one headline sentence, e.g. "Trust is lower in Europe
// (41.2% [39.0–43.4]) than in Asia (55.0% [52.7–57.3])."
type Finding struct {
	Text string
}

// KeyValue is one methodology entry ("Weighting": "raked to age × region").
type KeyValue struct {
	Key, Value string
	// Kind, when not Text, marks a figure: Num holds it and Value is its
	// display, so the deck stores a number, not text.
	Kind Kind
	Num  float64
}

// NumKeyValue is a methodology entry holding a figure of kind k.
func NumKeyValue(key string, x float64, k Kind) KeyValue {
	return KeyValue{Key: key, Value: formatNum(k, 1, x), Kind: k, Num: x}
}

// Section is one chapter of the report and one sheet of the deck.
type Section struct {
	// ID is the HTML anchor; empty derives one from Name.
	ID string
	// Name is the heading and the sheet name. Excel allows 31 characters
	// and none of : \ / ? * [ ]; longer or unsafe names are shortened and
	// cleaned for the sheet.
	Name  string
	Intro string
	// Tables are shown in order.
	Tables []*Table
	// NativeCharts are drawn from table cells: as native charts in the
	// deck, as bar charts in HTML. A chart whose Table is not among
	// Tables also gets its table shown.
	NativeCharts []NativeChart
	// Images are pre-rendered charts.
	Images []Image
	// Banners are crosstabs, gathered on the deck's Crosstabs sheet and
	// shown in the section elsewhere.
	Banners []*Banner
}

// Image is a rendered chart. HTML uses SVG when present, else PNG; the
// deck uses PNG; Markdown links charts/<Name>.png, which the caller
// writes.
type Image struct {
	// Name is the file stem: letters, digits, '-', '_' and '.'.
	Name    string
	Title   string
	AltText string
	PNG     []byte
	SVG     []byte
}

// ChartType is the kind of a NativeChart.
type ChartType int

const (
	// Column draws vertical bars, one cluster per category.
	Column ChartType = iota
	// Bar draws horizontal bars, one cluster per category.
	Bar
	// StackedPercent draws one horizontal bar per category whose series
	// add up to 100%.
	StackedPercent
)

// NativeChart is a chart drawn from a Table's cells, so the deck's chart
// stays linked to its numbers.
type NativeChart struct {
	Title string
	Type  ChartType
	Table *Table
	// CategoryCol is the column of category labels (usually Text).
	CategoryCol int
	// SeriesCols are the numeric columns drawn as series.
	SeriesCols []int
	// PercentAxis formats the value axis as percentages.
	PercentAxis bool
}

// DefaultBannerLegend explains significance letters when Banner.Legend is
// empty.
const DefaultBannerLegend = "Letters mark a column significantly higher than the lettered column at 95% (design-based t test)."

// Banner is a market-research crosstab: rows (answers or items) by banner
// columns (Total, then breaks such as region and generation), each cell a
// percentage with the letters of the columns it is significantly higher
// than, and the bases of each column.
type Banner struct {
	Title   string
	Columns []BannerColumn
	Rows    []BannerRow
	// The bases have one entry per column, or none to leave the row out.
	UnweightedBase, WeightedBase, EffectiveBase []float64
	// Legend explains the letters; empty means DefaultBannerLegend.
	Legend string
	// MinBase is the unweighted base below which cells are suppressed and
	// LowBase the one below which they are flagged "*". Cells carry their
	// own flags; these only word the footnotes.
	MinBase int
	LowBase int
	// Notes are footnotes shown after the generated ones and before the
	// legend (what a reversed item shows, what the mean is of).
	Notes []string
}

// BannerColumn is one column of a banner.
type BannerColumn struct {
	// Letter identifies the column in significance marks (A, B, C…).
	Letter string
	// Group is the break the column belongs to ("Total", "Region").
	Group string
	Label string
}

// BannerRow is one row of a banner.
type BannerRow struct {
	Label string
	Cells []BannerCell
	// Mean marks a row of means (shown with two decimals) rather than
	// percentages; Net a row of a net (top-2 or bottom-2 box), shown
	// bold.
	Mean, Net bool
}

// BannerCell is a percentage (as a fraction) and the letters of the
// columns it is significantly higher than.
type BannerCell struct {
	Pct                 float64
	Sig                 string
	LowBase, Suppressed bool
}

// legend is the banner's legend or the default one.
func (b *Banner) legend() string {
	if b.Legend != "" {
		return b.Legend
	}
	return DefaultBannerLegend
}

// footnotes are the banner's low-base and suppression notes, when some
// cell needs them, then the legend.
func (b *Banner) footnotes() []string {
	var low, sup bool
	for _, r := range b.Rows {
		for _, c := range r.Cells {
			low = low || (c.LowBase && !c.Suppressed)
			sup = sup || c.Suppressed
		}
	}
	var out []string
	if low {
		out = append(out, lowBaseNote(b.LowBase))
	}
	if sup {
		out = append(out, suppressedNote(b.MinBase))
	}
	out = append(out, b.Notes...)
	return append(out, b.legend())
}

// groups splits the columns into runs of equal Group, for the group
// header row.
func (b *Banner) groups() []bannerGroup {
	var out []bannerGroup
	for i, c := range b.Columns {
		if len(out) > 0 && out[len(out)-1].name == c.Group {
			out[len(out)-1].n++
			continue
		}
		out = append(out, bannerGroup{name: c.Group, first: i, n: 1})
	}
	return out
}

type bannerGroup struct {
	name     string
	first, n int
}

// bannerValue shows a cell of row r: a percentage, or a mean with two
// decimals in a mean row.
func bannerValue(r BannerRow, c BannerCell) string {
	switch {
	case c.Suppressed:
		return suppressedMark
	case math.IsNaN(c.Pct):
		return ""
	}
	s := fixed(c.Pct*100, 0) + "%"
	if r.Mean {
		s = fixed(c.Pct, 2)
	}
	if c.LowBase {
		s += lowBaseMark
	}
	return s
}

// ErrInvalidReport is wrapped by the error the writers return for an
// inconsistent Report (a chart column out of range, a short banner row).
var ErrInvalidReport = errors.New("invalid report")

// validate checks the cross-references a writer relies on, so every
// writer fails the same way on the same inconsistent model.
func (r *Report) validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrInvalidReport}, args...)...)
	}
	if r == nil {
		return bad("nil report")
	}
	if r.Paper != "" && r.Paper != PaperA4 && r.Paper != PaperLetter {
		return bad("paper %q: want %q or %q", r.Paper, PaperA4, PaperLetter)
	}
	names := map[string]bool{}
	for si, s := range r.Sections {
		where := "section " + strconv.Itoa(si+1) + " (" + strconv.Quote(s.Name) + ")"
		for ti, t := range s.Tables {
			if t == nil {
				return bad("%s: table %d is nil", where, ti+1)
			}
			if err := t.Err(); err != nil {
				return err
			}
		}
		for ci, c := range s.NativeCharts {
			if c.Table == nil {
				return bad("%s: chart %q has no table", where, c.Title)
			}
			if err := c.Table.Err(); err != nil {
				return err
			}
			if c.Type < Column || c.Type > StackedPercent {
				return bad("%s: chart %q has invalid type %d", where, c.Title, int(c.Type))
			}
			n := len(c.Table.cols)
			if c.CategoryCol < 0 || c.CategoryCol >= n {
				return bad("%s: chart %d: category column %d out of range [0, %d)", where, ci+1, c.CategoryCol, n)
			}
			if len(c.SeriesCols) == 0 {
				return bad("%s: chart %q has no series", where, c.Title)
			}
			for _, k := range c.SeriesCols {
				if k < 0 || k >= n {
					return bad("%s: chart %q: series column %d out of range [0, %d)", where, c.Title, k, n)
				}
				if !c.Table.cols[k].numeric() {
					return bad("%s: chart %q: series column %q is text", where, c.Title, c.Table.cols[k].Name)
				}
			}
		}
		for _, im := range s.Images {
			if !validImageName(im.Name) {
				return bad("%s: image name %q: want letters, digits, '-', '_' or '.'", where, im.Name)
			}
			if names[im.Name] {
				return bad("%s: image name %q used twice", where, im.Name)
			}
			names[im.Name] = true
			if len(im.PNG) == 0 && len(im.SVG) == 0 {
				return bad("%s: image %q has neither PNG nor SVG", where, im.Name)
			}
		}
		for bi, b := range s.Banners {
			if b == nil {
				return bad("%s: banner %d is nil", where, bi+1)
			}
			n := len(b.Columns)
			if n == 0 {
				return bad("%s: banner %q has no columns", where, b.Title)
			}
			for _, row := range b.Rows {
				if len(row.Cells) != n {
					return bad("%s: banner %q: row %q has %d cells for %d columns", where, b.Title, row.Label, len(row.Cells), n)
				}
			}
			for _, base := range []struct {
				name string
				v    []float64
			}{{"unweighted", b.UnweightedBase}, {"weighted", b.WeightedBase}, {"effective", b.EffectiveBase}} {
				if len(base.v) != 0 && len(base.v) != n {
					return bad("%s: banner %q: %s base has %d values for %d columns", where, b.Title, base.name, len(base.v), n)
				}
			}
		}
	}
	return nil
}

func validImageName(s string) bool {
	if s == "" || s == "." || s == ".." || strings.HasPrefix(s, ".") {
		return false
	}
	for _, r := range s {
		if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// confNote explains the bracket notation.
func (r *Report) confNote() string {
	if r.NoiseIntervals {
		return "Figures in brackets are 95% noise intervals of a differentially private release: a figure such as 53.1% [51.8–54.4] means the released share is 53.1% and the added noise leaves it within 51.8% to 54.4% 95 times in 100. They are not confidence intervals: sampling error is not released. † marks a share whose noise is large against it."
	}
	if r.ConfLevel > 0 && r.ConfLevel < 1 {
		return "Figures in brackets are " + strconv.FormatFloat(r.ConfLevel*100, 'f', -1, 64) +
			"% confidence intervals: a figure such as 53.1% [51.8–54.4] means the estimate is 53.1% and the interval runs from 51.8% to 54.4%."
	}
	return "Figures in brackets are confidence intervals: a figure such as 53.1% [51.8–54.4] means the estimate is 53.1% and the interval runs from 51.8% to 54.4%."
}

// slug is a lower-case ASCII identifier for anchors.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	return b.String()
}

// sectionIDs gives each section a unique anchor, from ID or Name.
func (r *Report) sectionIDs() []string {
	used := map[string]bool{"contents": true, "findings": true, "methodology": true, "notation": true}
	ids := make([]string, len(r.Sections))
	for i, s := range r.Sections {
		base := slug(s.ID)
		if base == "" {
			base = slug(s.Name)
		}
		if base == "" {
			base = "section"
		}
		id := base
		for n := 2; used[id]; n++ {
			id = base + "-" + strconv.Itoa(n)
		}
		used[id] = true
		ids[i] = id
	}
	return ids
}

// chartTables are the tables of a section's native charts that the
// section does not already show, titled by their chart when the table has
// no title, so a chart's numbers are always visible.
func (s *Section) chartTables() []titledTable {
	shown := map[*Table]bool{}
	for _, t := range s.Tables {
		shown[t] = true
	}
	var out []titledTable
	for _, c := range s.NativeCharts {
		if !shown[c.Table] {
			shown[c.Table] = true
			title := c.Table.Title
			if title == "" {
				title = c.Title
			}
			out = append(out, titledTable{c.Table, title})
		}
	}
	return out
}

type titledTable struct {
	*Table
	title string
}

// notMeasuredLines are the one-line notes of sections the study cannot
// have: "Trust & comfort: not measured in this study (the codebook has no
// trust construct)".
func (r *Report) notMeasuredLines() []string {
	var out []string
	for _, kv := range r.NotMeasured {
		out = append(out, kv.Key+": not measured in this study ("+kv.Value+").")
	}
	return out
}

// humanDate is the layout of Report.Date in documents.
const humanDate = "2 January 2006"

// headerLabel is the column's label qualified by its group, for formats
// without a group header row.
func (c BannerColumn) headerLabel() string {
	if c.Group == "" || c.Group == c.Label || strings.EqualFold(c.Group, "total") {
		return c.Label
	}
	return c.Group + ": " + c.Label
}

type namedBase struct {
	name string
	v    []float64
}

// bases are the banner's base rows that are present, in the order decks
// show them.
func (b *Banner) bases() []namedBase {
	var out []namedBase
	for _, nb := range []namedBase{
		{"Unweighted base", b.UnweightedBase},
		{"Weighted base", b.WeightedBase},
		{"Effective base", b.EffectiveBase},
	} {
		if len(nb.v) > 0 {
			out = append(out, nb)
		}
	}
	return out
}

// methodology is r.Methodology followed by the notation every format
// explains.
func (r *Report) methodology() []KeyValue {
	out := append([]KeyValue(nil), r.Methodology...)
	key, symbols := "Confidence intervals", "* low base: interpret with caution. – not shown: base too small to report, or hidden with such a cell. pts: percentage points."
	if r.NoiseIntervals {
		key, symbols = "Brackets", "† unreliable: noise SD above 30% of the share. – not shown: noisy base too small, or hidden with such a cell. pts: percentage points."
	}
	return append(out,
		KeyValue{Key: key, Value: r.confNote()},
		KeyValue{Key: "Symbols", Value: symbols})
}
