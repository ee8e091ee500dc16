package reports

import (
	"io"
	"math"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestTableRoundTrip(t *testing.T) {
	tab := NewTable("t", TextCol("Label"), PercentCol("Share").WithCI(), IntegerCol("Base"))
	rows := [][]Cell{
		{Str("Europe"), NumCI(0.531, 0.518, 0.544), Num(1234)},
		{Str("NaN"), Num(math.NaN()), Num(12).WithLowBase()},
		{Str(""), NumCI(0.2, 0.1, 0.3).WithSuppressed(), Num(math.Inf(1))},
		{Str("a_b c"), Num(0.5).WithMark("AB"), Num(-0)},
	}
	for _, r := range rows {
		tab.AddRow(r...)
	}
	if got := tab.NumRows(); got != len(rows) {
		t.Fatalf("NumRows() = %d, want %d", got, len(rows))
	}
	// A suppressed cell keeps no value.
	rows[2][1] = Cell{Num: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), Suppressed: true}
	for i, r := range rows {
		for j, want := range r {
			got := tab.Cell(i, j)
			if !sameCell(got, want) {
				t.Errorf("Cell(%d, %d) = %+v, want %+v", i, j, got, want)
			}
		}
	}
	// The frame holds values only: one column per value, two per interval.
	f, err := tab.Frame()
	if err != nil {
		t.Fatalf("Frame() error = %v", err)
	}
	if r, c := f.Dims(); r != 4 || c != 5 {
		t.Errorf("Frame().Dims() = %d, %d, want 4, 5", r, c)
	}
	if got, want := f.Names(), []string{"c0", "c1", "c1.lo", "c1.hi", "c2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Frame().Names() = %v, want %v", got, want)
	}
	if got := f.Elem(0, 3).Float(); got != 0.544 {
		t.Errorf("Frame().Elem(0, 3) = %v, want 0.544", got)
	}
	for k := 1; k <= 3; k++ {
		if got := f.Elem(2, k).Float(); !math.IsNaN(got) {
			t.Errorf("Frame().Elem(2, %d) = %v, want NaN (suppressed)", k, got)
		}
	}
}

// sameCell compares cells treating NaN as equal to NaN and ignoring the
// bounds of a cell without an interval.
func sameCell(a, b Cell) bool {
	eq := func(x, y float64) bool { return x == y || (math.IsNaN(x) && math.IsNaN(y)) }
	if a.Text != b.Text || !eq(a.Num, b.Num) || a.HasCI != b.HasCI ||
		a.LowBase != b.LowBase || a.Suppressed != b.Suppressed || a.Mark != b.Mark {
		return false
	}
	return !a.HasCI || (eq(a.Lo, b.Lo) && eq(a.Hi, b.Hi))
}

func TestTableMisusePanics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
		want string
	}{
		{"no columns", func() { NewTable("t") }, "without columns"},
		{"negative digits", func() { NewTable("t", DecimalCol("x", -1)) }, "digits"},
		{"text with CI", func() { NewTable("t", TextCol("x").WithCI()) }, "text column"},
		{"bad kind", func() { NewTable("t", Col{Name: "x", Kind: Kind(9)}) }, "invalid kind"},
		{"too few cells", func() { NewTable("t", TextCol("a"), IntegerCol("b")).AddRow(Str("x")) }, "length mismatch"},
		{"text in number column", func() { NewTable("t", IntegerCol("b")).AddRow(Str("x")) }, "text"},
		{"CI without CI column", func() { NewTable("t", PercentCol("b")).AddRow(NumCI(0.5, 0.4, 0.6)) }, "without CI"},
		{"cell out of range", func() { NewTable("t", PercentCol("b")).Cell(0, 0) }, "out of range"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, "reports: ") || !strings.Contains(msg, tc.want) {
					t.Errorf("panic = %q, want a reports: panic mentioning %q", msg, tc.want)
				}
			}()
			tc.f()
		})
	}
}

func TestDisplay(t *testing.T) {
	tests := []struct {
		col  Col
		cell Cell
		want string
	}{
		{PercentCol("p"), Num(0.531), "53.1%"},
		{PercentCol("p").WithCI(), NumCI(0.531, 0.518, 0.544), "53.1% [51.8–54.4]"},
		{PercentCol("p").WithCI(), NumCI(0.12, 0.05, 0.2).WithLowBase(), "12.0%* [5.0–20.0]"},
		{PercentCol("p").WithCI(), NumCI(0.12, 0.05, 0.2).WithSuppressed().WithMark("A"), "–"},
		{PercentCol("p"), Num(0.5).WithMark("BC"), "50.0% BC"},
		{PercentCol("p"), Num(-0.0001), "0.0%"},
		{PercentCol("p"), Num(math.NaN()), ""},
		{DecimalCol("d", 2).WithCI(), NumCI(-0.12, -0.31, 0.07), "-0.12 [-0.31, 0.07]"},
		{DecimalCol("d", 0), Num(2.5), "2"},
		{DecimalCol("d", 3), Num(math.Inf(-1)), "-∞"},
		{IntegerCol("n"), Num(1234567.4), "1,234,567"},
		{IntegerCol("n"), Num(-1234), "-1,234"},
		{IntegerCol("n"), Num(999), "999"},
		{PValueCol("p"), Num(0.0004), "<0.001"},
		{PValueCol("p"), Num(0.0426), "0.043"},
		{PValueCol("p"), Num(1), "1.000"},
		{TextCol("t"), Str("Europe").WithMark("▲"), "Europe ▲"},
	}
	for _, tc := range tests {
		tab := NewTable("", tc.col)
		tab.AddRow(tc.cell)
		if got := tab.Display(0, 0); got != tc.want {
			t.Errorf("Display(%s %+v) = %q, want %q", tc.col.Kind, tc.cell, got, tc.want)
		}
	}
}

func TestMachineKey(t *testing.T) {
	tests := []struct {
		col  Col
		want string
	}{
		{PercentCol("Trust (%)"), "trust"},
		{PercentCol("Comfortable with personalisation"), "comfortable_with_personalisation"},
		{IntegerCol("Base (n)").WithKey("n"), "n"},
		{TextCol("Région / pays"), "région_pays"},
		{TextCol("(%)"), "col"},
		{TextCol("  "), "col"},
	}
	for _, tc := range tests {
		if got := tc.col.MachineKey(); got != tc.want {
			t.Errorf("MachineKey(%q) = %q, want %q", tc.col.Name, got, tc.want)
		}
	}
}

func TestFootnotes(t *testing.T) {
	tests := []struct {
		name  string
		cells []Cell
		low   int
		min   int
		want  []string
	}{
		{"none", []Cell{Num(0.5)}, 100, 30, []string{"note"}},
		{"low base", []Cell{Num(0.5).WithLowBase()}, 100, 30, []string{"* Base below 100: interpret with caution.", "note"}},
		{"suppressed only", []Cell{Num(0.5).WithLowBase().WithSuppressed()}, 100, 30, []string{"– Not shown: base below 30, or hidden with such a cell so that it cannot be worked out from the total and the other cells.", "note"}},
		{"no thresholds", []Cell{Num(0.5).WithLowBase(), Num(0.1).WithSuppressed()}, 0, 0,
			[]string{"* Low base: interpret with caution.", "– Not shown: base too small, or hidden with such a cell so that it cannot be worked out from the others.", "note"}},
	}
	for _, tc := range tests {
		tab := NewTable("", PercentCol("p"))
		tab.LowBase, tab.MinBase, tab.Notes = tc.low, tc.min, []string{"note"}
		for _, c := range tc.cells {
			tab.AddRow(c)
		}
		if got := tab.Footnotes(); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: Footnotes() = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestWriteText(t *testing.T) {
	tab := NewTable("Trust by region", TextCol("Region"), PercentCol("Trust").WithCI(), IntegerCol("Base"))
	tab.LowBase = 100
	tab.AddRow(Str("Europe"), NumCI(0.531, 0.518, 0.544), Num(1980))
	tab.AddRow(Str("東アジア"), NumCI(0.42, 0.33, 0.51).WithLowBase(), Num(88))
	tab.AddRow(Str("Bad\x1b[31m\nlabel"), Num(math.NaN()), Num(5))
	var b strings.Builder
	if err := WriteText(&b, tab, tab); err != nil {
		t.Fatal(err)
	}
	one := "Trust by region\n" +
		"Region                      Trust   Base\n" +
		"-------------  ------------------  -----\n" +
		"Europe          53.1% [51.8–54.4]  1,980\n" +
		"東アジア       42.0%* [33.0–51.0]     88\n" +
		"Bad[31m label                          5\n" +
		"* Base below 100: interpret with caution.\n"
	if got, want := b.String(), one+"\n"+one; got != want {
		t.Errorf("WriteText() =\n%s\nwant\n%s", got, want)
	}
}

func TestWriteTextError(t *testing.T) {
	tab := NewTable("t", TextCol("a"))
	tab.AddRow(Str("x"))
	err := WriteText(failWriter{}, tab)
	if err == nil || !strings.HasPrefix(err.Error(), "write text table: ") {
		t.Errorf("WriteText(failing writer) = %v, want a write text table error", err)
	}
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

func ExampleNewTable() {
	t := NewTable("Trust in companies, by region",
		TextCol("Region"),
		PercentCol("Trust").WithCI(),
		IntegerCol("Base"))
	t.LowBase = 100
	t.AddRow(Str("Europe"), NumCI(0.364, 0.345, 0.384), Num(1980))
	t.AddRow(Str("Asia-Pacific"), NumCI(0.551, 0.527, 0.575), Num(1633))
	t.AddRow(Str("Middle East & Africa"), NumCI(0.529, 0.431, 0.626).WithLowBase(), Num(88))
	_ = WriteText(os.Stdout, t)
	// Output:
	// Trust in companies, by region
	// Region                             Trust   Base
	// --------------------  ------------------  -----
	// Europe                 36.4% [34.5–38.4]  1,980
	// Asia-Pacific           55.1% [52.7–57.5]  1,633
	// Middle East & Africa  52.9%* [43.1–62.6]     88
	// * Base below 100: interpret with caution.
}

// TestTableInterleaved adds rows after reading some: the frame takes the
// new rows in, whatever the order of reads and writes, and a table
// without rows has an empty frame with its columns.
func TestTableInterleaved(t *testing.T) {
	tab := NewTable("t", TextCol("label"), PercentCol("share").WithCI())
	f, err := tab.Frame()
	if r, c := f.Dims(); err != nil || r != 0 || c != 4 {
		t.Fatalf("empty table: Frame() = %d×%d, %v, want 0×4, nil", r, c, err)
	}
	for i := range 50 {
		tab.AddRow(Str(strconv.Itoa(i)), NumCI(float64(i)/100, 0, 1))
		if i%7 == 0 {
			if got := tab.Cell(i, 0).Text; got != strconv.Itoa(i) {
				t.Fatalf("Cell(%d, 0) = %q, want %q", i, got, strconv.Itoa(i))
			}
		}
	}
	for i := range 50 {
		if got := tab.Cell(i, 1); got.Num != float64(i)/100 || got.Lo != 0 || got.Hi != 1 {
			t.Errorf("Cell(%d, 1) = %+v, want %v [0, 1]", i, got, float64(i)/100)
		}
	}
	if f, err := tab.Frame(); err != nil || f.Nrow() != 50 {
		t.Errorf("Frame() = %d rows, %v; want 50, nil", f.Nrow(), err)
	}
	if err := tab.Err(); err != nil {
		t.Errorf("Err() = %v, want nil", err)
	}
}

// BenchmarkTableAddRow fills a table of n rows and reads one cell: linear
// in n (it was quadratic when each row rebuilt the frame).
func BenchmarkTableAddRow(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for range b.N {
				tab := NewTable("t", TextCol("label"), PercentCol("share").WithCI(), IntegerCol("n"))
				for i := range n {
					tab.AddRow(Str("row"), NumCI(0.5, 0.4, 0.6), Num(float64(i)))
				}
				_ = tab.Cell(n-1, 2)
			}
		})
	}
}

// TestTableGotaError: when gota cannot store the rows (simulated here by
// column buffers of different lengths, which the API cannot produce), the
// error is returned by Err, Frame and every writer, never panicked.
func TestTableGotaError(t *testing.T) {
	tab := NewTable("broken", TextCol("label"), IntegerCol("n"))
	tab.AddRow(Str("a"), Num(1))
	tab.pending[1].num = append(tab.pending[1].num, 2) // one value too many
	if err := tab.Err(); err == nil || !strings.Contains(err.Error(), "gota") {
		t.Fatalf("Err() = %v, want gota's error", err)
	}
	if _, err := tab.Frame(); err == nil {
		t.Errorf("Frame() error = nil, want gota's error")
	}
	writers := map[string]func() error{
		"csv":      func() error { return WriteCSV(io.Discard, tab) },
		"markdown": func() error { return WriteMarkdown(io.Discard, tab) },
		"text":     func() error { return WriteText(io.Discard, tab) },
		"report markdown": func() error {
			return WriteReportMarkdown(io.Discard, &Report{Title: "r", Sections: []Section{{Name: "s", Tables: []*Table{tab}}}})
		},
	}
	for name, write := range writers {
		if err := write(); err == nil || !strings.Contains(err.Error(), "gota") {
			t.Errorf("%s writer = %v, want gota's error", name, err)
		}
	}
}
