package reports

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestDefuseCSV(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
		{"+1+1", "'+1+1"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tcmd", "'\tcmd"},
		{"\rcmd", "'\rcmd"},
		{"Europe", "Europe"},
		{"a=b", "a=b"},
		{"", ""},
		{"'quoted", "'quoted"},
	}
	for _, tc := range tests {
		if got := DefuseCSV(tc.in); got != tc.want {
			t.Errorf("DefuseCSV(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestWriteCSV(t *testing.T) {
	tests := []struct {
		name  string
		table func() *Table
		want  string
	}{
		{
			name: "fractions, intervals and full precision",
			table: func() *Table {
				tab := NewTable("ignored title", TextCol("Region"), PercentCol("Trust (%)").WithCI(), IntegerCol("Base (n)").WithKey("n"))
				tab.Notes = []string{"ignored note"}
				tab.AddRow(Str("Europe"), NumCI(0.5310000000000001, 0.518, 0.544), Num(1980.25))
				tab.AddRow(Str("Asia"), Num(0.55), Num(1e21))
				return tab
			},
			want: "region,trust,trust_ci_low,trust_ci_high,n\n" +
				"Europe,0.5310000000000001,0.518,0.544,1980.25\n" +
				"Asia,0.55,,,1e+21\n",
		},
		{
			name: "injection in text, numbers left alone",
			table: func() *Table {
				tab := NewTable("", TextCol("Label"), DecimalCol("Gap", 2))
				tab.AddRow(Str("=cmd|' /C calc'!A0"), Num(-0.126))
				tab.AddRow(Str("+SUM(1)"), Num(math.Inf(-1)))
				tab.AddRow(Str("-1"), Num(math.Inf(1)))
				tab.AddRow(Str("@x"), Num(math.NaN()))
				tab.AddRow(Str("\tx, \"quoted\""), Num(0))
				return tab
			},
			want: "label,gap\n" +
				"'=cmd|' /C calc'!A0,-0.126\n" +
				"'+SUM(1),-Inf\n" +
				"'-1,Inf\n" +
				"'@x,\n" +
				"\"'\tx, \"\"quoted\"\"\",0\n",
		},
		{
			name: "flags and marks get their own columns",
			table: func() *Table {
				tab := NewTable("", TextCol("Segment"), PercentCol("Share").WithCI(), PercentCol("Other"))
				tab.AddRow(Str("A"), NumCI(0.2, 0.1, 0.3).WithLowBase(), Num(0.1).WithMark("=B"))
				tab.AddRow(Str("B"), NumCI(0.2, 0.1, 0.3).WithSuppressed(), Num(0.2))
				tab.AddRow(Str("C"), NumCI(0.4, 0.3, 0.5), Num(0.3))
				return tab
			},
			want: "segment,share,share_ci_low,share_ci_high,share_flag,other,other_mark\n" +
				"A,0.2,0.1,0.3,low_base,0.1,'=B\n" +
				"B,,,,suppressed,0.2,\n" +
				"C,0.4,0.3,0.5,,0.3,\n",
		},
		{
			name: "header injection",
			table: func() *Table {
				tab := NewTable("", TextCol("x").WithKey("=1+1"))
				tab.AddRow(Str("y"))
				return tab
			},
			want: "'=1+1\ny\n",
		},
	}
	for _, tc := range tests {
		var b strings.Builder
		if err := WriteCSV(&b, tc.table()); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := b.String(); got != tc.want {
			t.Errorf("%s: WriteCSV() =\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
}

func TestWriteCSVError(t *testing.T) {
	tab := NewTable("", TextCol("a"))
	tab.AddRow(Str("x"))
	if err := WriteCSV(failWriter{}, tab); err == nil || !strings.HasPrefix(err.Error(), "write csv: ") {
		t.Errorf("WriteCSV(failing writer) = %v, want a write csv error", err)
	}
}

// FuzzWriteCSV checks that any label and number survive the CSV writer:
// the file parses back to one header and one record, numbers read back
// exactly, and no text field starts with a formula trigger.
func FuzzWriteCSV(f *testing.F) {
	f.Add("Europe", 0.531)
	f.Add("=1+2", -1.5)
	f.Add("a,b\n\"c\"", 1e-300)
	f.Add("\r\n", math.Inf(1))
	f.Add("@", math.NaN())
	f.Fuzz(func(t *testing.T, label string, x float64) {
		tab := NewTable("", TextCol("label"), DecimalCol("x", 2))
		tab.AddRow(Str(label), Num(x))
		var b strings.Builder
		if err := WriteCSV(&b, tab); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
		if err != nil {
			t.Fatalf("reading back %q: %v", b.String(), err)
		}
		if len(recs) != 2 || len(recs[1]) != 2 {
			t.Fatalf("WriteCSV(%q, %v) gave records %q, want a header and one record of 2 fields", label, x, recs)
		}
		if s := recs[1][0]; s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
			t.Errorf("WriteCSV(%q) text field = %q, starts with a formula trigger", label, s)
		}
		if want := normalizeCSVNewlines(DefuseCSV(label)); recs[1][0] != want {
			t.Errorf("WriteCSV(%q) text field = %q, want %q", label, recs[1][0], want)
		}
		switch {
		case math.IsNaN(x):
			if recs[1][1] != "" {
				t.Errorf("WriteCSV(NaN) number = %q, want empty", recs[1][1])
			}
		default:
			got, err := strconv.ParseFloat(recs[1][1], 64)
			if err != nil || got != x {
				t.Errorf("WriteCSV(%v) number = %q, want it to parse back exactly", x, recs[1][1])
			}
		}
	})
}

// normalizeCSVNewlines mirrors encoding/csv's reader, which turns \r\n
// inside quoted fields into \n.
func normalizeCSVNewlines(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

func ExampleWriteCSV() {
	t := NewTable("Trust by region", TextCol("Region"), PercentCol("Trust").WithCI(), IntegerCol("Base (n)"))
	t.AddRow(Str("Europe"), NumCI(0.364, 0.345, 0.384), Num(1980))
	t.AddRow(Str("=Asia"), NumCI(0.551, 0.527, 0.575), Num(1633))
	_ = WriteCSV(os.Stdout, t)
	// Output:
	// region,trust,trust_ci_low,trust_ci_high,base
	// Europe,0.364,0.345,0.384,1980
	// '=Asia,0.551,0.527,0.575,1633
}
