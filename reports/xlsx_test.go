package reports

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// openDeck writes r as a workbook and opens it again.
func openDeck(t *testing.T, r *Report) (*excelize.File, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, r); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, buf.Bytes()
}

// rowOf finds the row whose column A holds label.
func rowOf(t *testing.T, f *excelize.File, sheet, label string) int {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == label {
			return i + 1
		}
	}
	t.Fatalf("sheet %q has no row labelled %q", sheet, label)
	return 0
}

// numFmtOf is the number format code of a cell's style.
func numFmtOf(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt != nil {
		return *st.CustomNumFmt
	}
	return "builtin:" + strconv.Itoa(st.NumFmt)
}

func TestWriteXLSXSheets(t *testing.T) {
	f, _ := openDeck(t, sampleReport(t))
	// A section of several tables gets a sheet per table and one for its
	// pictures; a banner-only section is one sheet.
	want := []string{"Contents", "Summary", "Regional comparison", "Regional comparison (2)", "Westin segments who's who",
		"Westin segments who's who (2)", "Westin segments who's who (3)", "Crosstab trust", "Methodology"}
	got := f.GetSheetList()
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("GetSheetList() = %q, want %q", got, want)
	}
	// Every sheet but Contents is linked from Contents, in order.
	for i, name := range want[1:] {
		c := cell(1, 5+i)
		ok, target, err := f.GetCellHyperLink("Contents", c)
		if err != nil || !ok || target != quoteSheet(name)+"!A1" {
			t.Errorf("GetCellHyperLink(Contents, %s) = %v, %q, %v, want a link to '%s'!A1", c, ok, target, err, name)
		}
	}
	// Every sheet keeps its header in view.
	for _, name := range got {
		p, err := f.GetPanes(name)
		if err != nil || !p.Freeze || (p.XSplit == 0 && p.YSplit == 0) {
			t.Errorf("GetPanes(%s) = %+v, %v, want frozen panes", name, p, err)
		}
	}
	p, _ := f.GetPanes("Crosstab trust")
	if p.XSplit != 1 || p.YSplit != rowOf(t, f, "Crosstab trust", "Unweighted base")-2 {
		// The header ends two rows above the first base: the banner's
		// title comes between.
		t.Errorf("GetPanes(Crosstab trust) = %+v, want the label column and banner header frozen", p)
	}
	// Every sheet but Contents links back to it.
	for _, name := range got[1:] {
		ok, target, err := f.GetCellHyperLink(name, "A2")
		if name == "Summary" || name == "Methodology" {
			ok, target, err = f.GetCellHyperLink(name, "A3")
		}
		if err != nil || !ok || target != "'Contents'!A1" {
			t.Errorf("%s: no link back to Contents (%v, %q, %v)", name, ok, target, err)
		}
	}
	// Single-table and banner sheets print their header rows on every
	// page; every sheet prints landscape, fitted to the page's width.
	titles := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" {
			titles[dn.Scope] = dn.RefersTo
		}
	}
	for _, name := range []string{"Regional comparison (2)", "Westin segments who's who", "Crosstab trust"} {
		if titles[name] == "" {
			t.Errorf("%s: no print titles (%v)", name, titles)
		}
	}
	for _, name := range got {
		pl, err := f.GetPageLayout(name)
		if err != nil || pl.Orientation == nil || *pl.Orientation != "landscape" || pl.FitToWidth == nil || *pl.FitToWidth != 1 {
			t.Errorf("%s: page layout %+v, %v, want landscape fitted to one page wide", name, pl, err)
		}
	}
}

func TestWriteXLSXNumbers(t *testing.T) {
	f, _ := openDeck(t, sampleReport(t))
	const sheet = "Regional comparison"
	na := rowOf(t, f, sheet, "North America")
	mea := rowOf(t, f, sheet, "Middle East & Africa")
	oce := rowOf(t, f, sheet, "Oceania")
	asia := rowOf(t, f, sheet+" (2)", "Asia-Pacific vs Europe")
	// Columns: A region, B trust, C/D its interval, E comfort, F gap, G base.
	tests := []struct {
		cell, value, format string
	}{
		{cell(2, na), "0.412", "0.0%"},
		{cell(3, na), "0.391", "0.0%"},
		{cell(4, na), "0.433", "0.0%"},
		{cell(5, na), "0.538", "0.0%"},
		{cell(6, na), "-0.126", "0.000"},
		{cell(7, na), "1512", "#,##0"},
		{cell(2, mea), "0.529", `0.0%"*"`},
		{cell(5, mea), "0.604", `0.0%"*"`},
		{cell(6, mea), "-0.075", `0.000"*"`},
		{cell(4, asia), "2.1e-06", `[<0.001]"<0.001";0.000`},
	}
	for _, tc := range tests {
		sheet := sheet
		if tc.format == `[<0.001]"<0.001";0.000` {
			sheet += " (2)"
		}
		v, err := f.GetCellValue(sheet, tc.cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		want, _ := strconv.ParseFloat(tc.value, 64)
		if got, err := strconv.ParseFloat(v, 64); err != nil || got != want {
			t.Errorf("value of %s = %q, want the number %s", tc.cell, v, tc.value)
		}
		if typ, _ := f.GetCellType(sheet, tc.cell); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("type of %s = %v, want a number", tc.cell, typ)
		}
		if got := numFmtOf(t, f, sheet, tc.cell); got != tc.format {
			t.Errorf("number format of %s = %q, want %q", tc.cell, got, tc.format)
		}
	}
	// A suppressed cell holds the dash and no number.
	for _, c := range []string{cell(2, oce), cell(3, oce), cell(5, oce)} {
		v, _ := f.GetCellValue(sheet, c, excelize.Options{RawCellValue: true})
		want := "–"
		if c == cell(3, oce) {
			want = ""
		}
		if v != want {
			t.Errorf("suppressed %s = %q, want %q", c, v, want)
		}
	}
	if v, _ := f.GetCellValue(sheet, cell(7, oce)); v != "21" {
		t.Errorf("base of a suppressed row = %q, want 21", v)
	}
	// The formatted view matches what people read elsewhere.
	if v, _ := f.GetCellValue(sheet, cell(2, na)); v != "41.2%" {
		t.Errorf("formatted %s = %q, want 41.2%%", cell(2, na), v)
	}
}

func TestWriteXLSXBanner(t *testing.T) {
	f, _ := openDeck(t, sampleReport(t))
	const sheet = "Crosstab trust"
	// The section's heading, the link back to Contents, then its intro.
	if heading, intro := rowOf(t, f, sheet, "Crosstab: trust"), rowOf(t, f, sheet, sampleReport(t).Sections[2].Intro); intro != heading+2 {
		t.Errorf("section heading at row %d and intro at row %d, want the intro below the link back", heading, intro)
	}
	row := rowOf(t, f, sheet, "Trust completely")
	base := rowOf(t, f, sheet, "Unweighted base")
	dist := rowOf(t, f, sheet, "Distrust completely")
	// One header for the sheet's banners, then each banner's title and
	// bases.
	letters := base - 2
	tests := []struct {
		cell, raw, format string
	}{
		{cell(2, letters), "A", ""},
		{cell(8, letters), "D", ""},
		{cell(2, base), "5944", "#,##0"},
		{cell(2, row), "0.112", "0%"},
		{cell(8, row), "0.163", "0%"},
		{cell(9, row), "BC", ""},
		{cell(10, row), "0.14", `0%"*"`},
		{cell(10, dist), "–", ""},
		{cell(11, dist), "", ""},
	}
	for _, tc := range tests {
		v, _ := f.GetCellValue(sheet, tc.cell, excelize.Options{RawCellValue: true})
		if v != tc.raw {
			t.Errorf("%s = %q, want %q", tc.cell, v, tc.raw)
		}
		if tc.format != "" {
			if got := numFmtOf(t, f, sheet, tc.cell); got != tc.format {
				t.Errorf("number format of %s = %q, want %q", tc.cell, got, tc.format)
			}
		}
	}
	// Groups span their columns: Region covers B…E, two cells each.
	merges, err := f.GetMergeCells(sheet)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range merges {
		if m.GetCellValue() == "Region" {
			found = m.GetStartAxis() == cell(4, letters-2) && m.GetEndAxis() == cell(11, letters-2)
		}
	}
	if !found {
		t.Errorf("merged cells %v: want Region merged over %s:%s", merges, cell(4, letters-2), cell(11, letters-2))
	}
	legend := rowOf(t, f, sheet, DefaultBannerLegend)
	if legend <= dist {
		t.Errorf("legend at row %d, want it below the last banner row %d", legend, dist)
	}
}

// formulaReport puts formula-like text in every place a label can go.
func formulaReport() *Report {
	tab := NewTable("=T()", TextCol("=H()"), PercentCol("+P()"))
	tab.Notes = []string{"=N()"}
	tab.AddRow(Str("=HYPERLINK(\"http://x\",\"y\")"), Num(0.5).WithMark("=M()"))
	tab.AddRow(Str("@SUM(A1:A2)"), Num(0.25))
	return &Report{
		Title:    "=TITLE()",
		Subtitle: "-1+1",
		Findings: []Finding{{"=SUM(A1:A9)"}},
		Sections: []Section{{
			Name:   "=Sheet",
			Intro:  "=INTRO()",
			Tables: []*Table{tab},
			NativeCharts: []NativeChart{{
				Title: "=C()", Table: tab, SeriesCols: []int{1},
			}},
			Banners: []*Banner{{
				Title:          "=B()",
				Columns:        []BannerColumn{{Letter: "=A", Group: "=G", Label: "=L"}},
				Rows:           []BannerRow{{Label: "=R()", Cells: []BannerCell{{Pct: 0.5, Sig: "=S"}}}},
				UnweightedBase: []float64{10},
				Legend:         "=LEGEND()",
			}},
		}},
		Methodology: []KeyValue{{Key: "=K()", Value: "=V()"}},
		Files:       []string{"=F()"},
	}
}

func TestWriteXLSXNoFormulas(t *testing.T) {
	f, _ := openDeck(t, formulaReport())
	seen := map[string]bool{}
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				ref := cell(c+1, r+1)
				if fm, err := f.GetCellFormula(sheet, ref); err != nil || fm != "" {
					t.Errorf("GetCellFormula(%s, %s) = %q, %v, want no formula", sheet, ref, fm, err)
				}
				if typ, _ := f.GetCellType(sheet, ref); typ == excelize.CellTypeFormula {
					t.Errorf("GetCellType(%s, %s) = formula, want a value", sheet, ref)
				}
				seen[v] = true
			}
		}
	}
	for _, want := range []string{"=TITLE()", "=SUM(A1:A9)", "=H()", "=HYPERLINK(\"http://x\",\"y\")", "@SUM(A1:A2)",
		"=M()", "=N()", "=INTRO()", "=R()", "=S", "=L", "=G", "=K()", "=V()", "=F()", "=LEGEND()"} {
		if !seen[want] {
			t.Errorf("text %q not found as a cell value", want)
		}
	}
}

func TestWriteXLSXDeterministic(t *testing.T) {
	_, a := openDeck(t, sampleReport(t))
	time.Sleep(1100 * time.Millisecond) // cross a second boundary, zip's time resolution
	_, b := openDeck(t, sampleReport(t))
	if !bytes.Equal(a, b) {
		t.Error("WriteXLSX gave different bytes for the same report")
	}
	zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range zr.File {
		if e.Modified.After(time.Date(1981, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("zip entry %s modified %v, want the fixed zip epoch", e.Name, e.Modified)
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if props.Created != "2026-03-02T00:00:00Z" || props.Modified != props.Created || props.Title != "Privacy & Personalization Tracker 2026" {
		t.Errorf("GetDocProps() = %+v, want the report's title and date", props)
	}
	r := sampleReport(t)
	r.Date = time.Time{}
	f2, _ := openDeck(t, r)
	if props, _ := f2.GetDocProps(); props.Created != fixedStamp {
		t.Errorf("GetDocProps().Created without a date = %q, want %q", props.Created, fixedStamp)
	}
}

// zipEntry reads one part of the workbook.
func zipEntry(t *testing.T, b []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open(name)
	if err != nil {
		t.Fatalf("workbook part %s: %v", name, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestWriteXLSXChartsAndImages(t *testing.T) {
	f, b := openDeck(t, sampleReport(t))
	// The first chart draws trust and comfort from the regional table.
	chart := strings.ReplaceAll(zipEntry(t, b, "xl/charts/chart1.xml"), "&#39;", "'")
	na := rowOf(t, f, "Regional comparison", "North America")
	rows := fmt.Sprintf("$%d:$", na)
	for _, want := range []string{
		"'Regional comparison'!$A" + rows + "A$" + strconv.Itoa(na+5),
		"'Regional comparison'!$B" + rows + "B$" + strconv.Itoa(na+5),
		"'Regional comparison'!$E" + rows + "E$" + strconv.Itoa(na+5),
		"<barDir val=\"bar\"",
		// Cached values, so that previewers draw the chart: the
		// categories and the first value of the first series.
		"<v>North America</v>",
		"<v>0.412</v>",
	} {
		if !strings.Contains(chart, want) {
			t.Errorf("chart1.xml lacks %q", want)
		}
	}
	if chart := zipEntry(t, b, "xl/charts/chart2.xml"); !strings.Contains(chart, `<grouping val="percentStacked"`) {
		t.Error("chart2.xml is not a percent-stacked chart")
	}
	// The picture has a sheet of its own, below the heading.
	const sheet = "Westin segments who's who (3)"
	cells, err := f.GetPictureCells(sheet)
	if err != nil || len(cells) != 1 {
		t.Fatalf("GetPictureCells(%s) = %v, %v, want one picture", sheet, cells, err)
	}
	if _, row, _ := excelize.CellNameToCoordinates(cells[0]); row < 3 {
		t.Errorf("picture at row %d overlaps the heading", row)
	}
	pics, err := f.GetPictures(sheet, cells[0])
	if err != nil || len(pics) != 1 || pics[0].Format.AltText == "" {
		t.Errorf("GetPictures(%s) = %+v, %v, want one picture with alt text", cells[0], pics, err)
	}
}

func TestSheetName(t *testing.T) {
	tests := []struct {
		name string
		used []string
		want string
	}{
		{"Regional comparison", nil, "Regional comparison"},
		{"Westin: who/what?", nil, "Westin who what"},
		{"[Q1] *trust*", nil, "Q1 trust"},
		{"'quoted'", nil, "quoted"},
		{"", nil, "Section 3"},
		{":::", nil, "Section 3"},
		{"Summary", []string{"summary"}, "Summary (2)"},
		{"summary", []string{"summary", "summary (2)"}, "summary (3)"},
		{"A very long section name that goes on and on", nil, "A very long section name that g"},
		{"A very long section name that goes on and on", []string{"a very long section name that g"}, "A very long section name th (2)"},
		{"Trust 😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀", nil, "Trust 😀😀😀😀😀😀😀😀😀😀😀😀"},
	}
	for _, tc := range tests {
		used := map[string]bool{}
		for _, u := range tc.used {
			used[u] = true
		}
		if got := sheetName(tc.name, 3, used); got != tc.want {
			t.Errorf("sheetName(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// FuzzSheetName checks that any section name yields a sheet name Excel
// accepts and that repeated names stay distinct.
func FuzzSheetName(f *testing.F) {
	for _, s := range []string{"Regional comparison", "a:b", "''", "'x'", strings.Repeat("é", 40), "History", "Summary", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		used := map[string]bool{"summary": true}
		first := sheetName(name, 1, used)
		second := sheetName(name, 2, used)
		for _, got := range []string{first, second} {
			if got == "" || len(utf16.Encode([]rune(got))) > 31 ||
				strings.ContainsAny(got, `:\/?*[]`) || strings.HasPrefix(got, "'") || strings.HasSuffix(got, "'") {
				t.Fatalf("sheetName(%q) = %q, not a valid sheet name", name, got)
			}
		}
		if strings.EqualFold(first, second) || strings.EqualFold(first, "summary") {
			t.Fatalf("sheetName(%q) twice = %q, %q, want distinct names", name, first, second)
		}
		nf := excelize.NewFile()
		defer nf.Close()
		if _, err := nf.NewSheet(first); err != nil {
			t.Fatalf("excelize rejects sheetName(%q) = %q: %v", name, first, err)
		}
	})
}

func TestNumFormat(t *testing.T) {
	tests := []struct {
		kind   Kind
		digits int
		star   bool
		want   string
	}{
		{Percent, 0, false, "0.0%"},
		{Percent, 0, true, `0.0%"*"`},
		{Decimal, 0, false, "0"},
		{Decimal, 2, true, `0.00"*"`},
		{Integer, 0, false, "#,##0"},
		{PValue, 0, true, `[<0.001]"<0.001*";0.000"*"`},
	}
	for _, tc := range tests {
		if got := numFormat(tc.kind, tc.digits, tc.star); got != tc.want {
			t.Errorf("numFormat(%s, %d, %v) = %q, want %q", tc.kind, tc.digits, tc.star, got, tc.want)
		}
	}
}

func ExampleWriteXLSX() {
	t := NewTable("Trust by region", TextCol("Region"), PercentCol("Trust").WithCI())
	t.AddRow(Str("Europe"), NumCI(0.364, 0.345, 0.384))
	r := &Report{
		Title:    "Privacy tracker",
		Sections: []Section{{Name: "Regions", Tables: []*Table{t}}},
	}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, r); err != nil {
		fmt.Println(err)
		return
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	v, _ := f.GetCellValue("Regions", "B6")
	fmt.Println(f.GetSheetList())
	fmt.Println(v)
	// Output:
	// [Contents Summary Regions Methodology]
	// 36.4%
}

func TestWriteMinimalReports(t *testing.T) {
	empty := NewTable("Empty", TextCol("Label"), PercentCol("Share").WithCI())
	odd := NewTable("bad\x00bytes\xff", TextCol("a\x01b"), IntegerCol("n"))
	odd.AddRow(Str("\x7f\x1b[31m\xfe"), Num(1))
	tests := []struct {
		name string
		r    *Report
	}{
		{"nothing", &Report{}},
		{"title only", &Report{Title: "T"}},
		{"empty table and chart", &Report{Sections: []Section{{
			Name: "S", Tables: []*Table{empty},
			NativeCharts: []NativeChart{{Title: "C", Table: empty, SeriesCols: []int{1}}},
		}}}},
		{"control characters and invalid UTF-8", &Report{Title: "\x00", Sections: []Section{{Name: "\x02\xff", Tables: []*Table{odd}}}}},
		{"banner without bases", &Report{Sections: []Section{{Banners: []*Banner{{
			Columns: []BannerColumn{{Letter: "A", Group: "Total", Label: "Total"}},
			Rows:    []BannerRow{{Label: "Yes", Cells: []BannerCell{{Pct: 0.5}}}},
		}}}}}},
	}
	for _, tc := range tests {
		var x, h, m bytes.Buffer
		if err := WriteXLSX(&x, tc.r); err != nil {
			t.Errorf("%s: WriteXLSX() = %v", tc.name, err)
		}
		if err := WriteHTML(&h, tc.r); err != nil {
			t.Errorf("%s: WriteHTML() = %v", tc.name, err)
		}
		if err := WriteReportMarkdown(&m, tc.r); err != nil {
			t.Errorf("%s: WriteReportMarkdown() = %v", tc.name, err)
		}
		if _, err := excelize.OpenReader(&x); err != nil {
			t.Errorf("%s: reading the workbook back: %v", tc.name, err)
		}
	}
	for name, write := range map[string]func(io.Writer, *Report) error{
		"xlsx": WriteXLSX, "html": WriteHTML, "markdown": WriteReportMarkdown,
	} {
		if err := write(io.Discard, nil); !errors.Is(err, ErrInvalidReport) {
			t.Errorf("%s of a nil report = %v, want ErrInvalidReport", name, err)
		}
	}
}
