package reports

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// golden compares got with testdata/name, rewriting the file under
// -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -update after checking the change):\n%s", path, firstDiff(got, want))
	}
}

// firstDiff shows the first differing line of two texts.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n got  " + gl + "\n want " + wl
		}
	}
	return "(identical lines, different bytes)"
}

func TestWriteReportMarkdownGolden(t *testing.T) {
	var a, b bytes.Buffer
	if err := WriteReportMarkdown(&a, sampleReport(t)); err != nil {
		t.Fatal(err)
	}
	if err := WriteReportMarkdown(&b, sampleReport(t)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("WriteReportMarkdown gave different bytes for the same report")
	}
	golden(t, "report.md", a.Bytes())
}

func TestWriteMarkdownTablesGolden(t *testing.T) {
	r := sampleReport(t)
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, r.Sections[0].Tables...); err != nil {
		t.Fatal(err)
	}
	golden(t, "tables.md", buf.Bytes())
}

func TestMarkdownEscape(t *testing.T) {
	tests := []struct {
		f        func(string) string
		in, want string
	}{
		{mdEscape, "a | b", `a \| b`},
		{mdEscape, "55.1% [52.7–57.5] (p < 0.001)", "55.1% [52.7–57.5] (p < 0.001)"},
		{mdEscape, "[click](javascript:alert(1))", `\[click\](javascript:alert(1))`},
		{mdEscape, "see [x][ref]", `see [x\][ref]`},
		{mdEscape, "[x]: http://evil", `\[x\]: http://evil`},
		{mdEscape, "note[^1]", `note\[^1]`},
		{mdEscape, "<script>alert(1)</script>", `\<script>alert(1)\</script>`},
		{mdEscape, "AT&T &amp; co", `AT&T \&amp; co`},
		{mdEscape, "snake_case *bold* `code` ~x~", `snake\_case \*bold\* \` + "`code\\`" + ` \~x\~`},
		{mdEscape, `back\slash`, `back\\slash`},
		{mdEscape, "two\nlines", "two lines"},
		{mdBlock, "# not a heading", `\# not a heading`},
		{mdBlock, "- not a list", `\- not a list`},
		{mdBlock, "1. not a list", `1\. not a list`},
		{mdBlock, "2026) not a list", `2026\) not a list`},
		{mdBlock, "> not a quote", `\> not a quote`},
		{mdBlock, "2026 was good", "2026 was good"},
	}
	for _, tc := range tests {
		if got := tc.f(tc.in); got != tc.want {
			t.Errorf("escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzMarkdownCell checks that no label can break a table row: escaped,
// it has no line break and no unescaped pipe, so a row keeps its cells.
func FuzzMarkdownCell(f *testing.F) {
	for _, s := range []string{"a|b", `a\|b`, "x\n|y", `\\|`, "[a](b)", "<b>", "&amp;", "\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := mdEscape(s)
		if strings.ContainsAny(got, "\r\n") {
			t.Fatalf("mdEscape(%q) = %q, contains a line break", s, got)
		}
		for i := 0; i < len(got); i++ {
			switch got[i] {
			case '\\':
				i++ // the escaped character is literal
			case '|':
				t.Fatalf("mdEscape(%q) = %q, has an unescaped pipe at %d", s, got, i)
			}
		}
	})
}

func TestReportValidation(t *testing.T) {
	tab := NewTable("", TextCol("a"), PercentCol("b"))
	tests := []struct {
		name   string
		mutate func(r *Report)
		want   string
	}{
		{"chart column out of range", func(r *Report) {
			r.Sections[0].NativeCharts = []NativeChart{{Title: "c", Table: tab, SeriesCols: []int{5}}}
		}, "out of range"},
		{"chart on text column", func(r *Report) {
			r.Sections[0].NativeCharts = []NativeChart{{Title: "c", Table: tab, SeriesCols: []int{0}}}
		}, "is text"},
		{"chart without table", func(r *Report) {
			r.Sections[0].NativeCharts = []NativeChart{{Title: "c"}}
		}, "no table"},
		{"short banner row", func(r *Report) {
			r.Sections[2].Banners[0].Rows[1].Cells = r.Sections[2].Banners[0].Rows[1].Cells[:3]
		}, "has 3 cells for 9 columns"},
		{"short base", func(r *Report) {
			r.Sections[2].Banners[0].EffectiveBase = []float64{1}
		}, "effective base has 1 values"},
		{"image path", func(r *Report) {
			r.Sections[1].Images[0].Name = "../etc/passwd"
		}, "image name"},
		{"image without data", func(r *Report) {
			r.Sections[1].Images[0].PNG, r.Sections[1].Images[0].SVG = nil, nil
		}, "neither PNG nor SVG"},
		{"nil table", func(r *Report) {
			r.Sections[0].Tables = append(r.Sections[0].Tables, nil)
		}, "table 3 is nil"},
	}
	writers := map[string]func(*bytes.Buffer, *Report) error{
		"xlsx":     func(b *bytes.Buffer, r *Report) error { return WriteXLSX(b, r) },
		"html":     func(b *bytes.Buffer, r *Report) error { return WriteHTML(b, r) },
		"markdown": func(b *bytes.Buffer, r *Report) error { return WriteReportMarkdown(b, r) },
	}
	for _, tc := range tests {
		for wname, write := range writers {
			r := sampleReport(t)
			tc.mutate(r)
			var buf bytes.Buffer
			err := write(&buf, r)
			if !errors.Is(err, ErrInvalidReport) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: write %s = %v, want ErrInvalidReport mentioning %q", tc.name, wname, err, tc.want)
			}
		}
	}
}

func ExampleWriteMarkdown() {
	t := NewTable("Trust by region", TextCol("Region"), PercentCol("Trust").WithCI())
	t.AddRow(Str("Europe | EU"), NumCI(0.364, 0.345, 0.384))
	t.AddRow(Str("Asia-Pacific"), NumCI(0.551, 0.527, 0.575).WithMark("▲"))
	_ = WriteMarkdown(os.Stdout, t)
	// Output:
	// **Trust by region**
	//
	// | Region | Trust |
	// | :-- | --: |
	// | Europe \| EU | 36.4% [34.5–38.4] |
	// | Asia-Pacific | 55.1% [52.7–57.5] ▲ |
}

func ExampleWriteReportMarkdown() {
	t := NewTable("Trust by region", TextCol("Region"), PercentCol("Trust").WithCI())
	t.AddRow(Str("Europe"), NumCI(0.364, 0.345, 0.384))
	r := &Report{
		Title:     "Privacy tracker",
		ConfLevel: 0.95,
		Findings:  []Finding{{"Trust is lowest in Europe: 36.4% [34.5–38.4]."}},
		Sections: []Section{{
			Name:   "Regions",
			Tables: []*Table{t},
			Images: []Image{{Name: "trust-by-region", Title: "Trust by region", AltText: "Bar chart of trust by region", PNG: []byte("…")}},
		}},
	}
	_ = WriteReportMarkdown(os.Stdout, r)
	// Output:
	// # Privacy tracker
	//
	// ## Key findings
	//
	// - Trust is lowest in Europe: 36.4% [34.5–38.4].
	//
	// ## Regions
	//
	// **Trust by region**
	//
	// | Region | Trust |
	// | :-- | --: |
	// | Europe | 36.4% [34.5–38.4] |
	//
	// ![Bar chart of trust by region](charts/trust-by-region.png)
	//
	// *Trust by region*
	//
	// ## Methodology
	//
	// - **Confidence intervals:** Figures in brackets are 95% confidence intervals: a figure such as 53.1% [51.8–54.4] means the estimate is 53.1% and the interval runs from 51.8% to 54.4%.
	// - **Symbols:** \* low base: interpret with caution. – not shown: base too small to report, or hidden with such a cell. pts: percentage points.
}
