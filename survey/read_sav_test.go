package survey

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// readAllSAV opens a .sav file through OpenTable and returns its header,
// labels, metadata and rows.
func readAllSAV(t *testing.T, path string, opts ReadOptions) ([]string, []string, []ColumnInfo, [][]string) {
	t.Helper()
	tr, err := OpenTable(context.Background(), path, opts)
	if err != nil {
		t.Fatalf("OpenTable(%s): %v", path, err)
	}
	defer tr.Close()
	var rows [][]string
	for want := 1; ; want++ {
		rec, row, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: Next: %v", path, err)
		}
		if row != want {
			t.Errorf("%s: row = %d, want case number %d", path, row, want)
		}
		rows = append(rows, append([]string(nil), rec...))
	}
	return tr.Header(), tr.Labels(), ColumnInfos(tr), rows
}

// The haven fixtures (make_haven.R) hold the same study, written with each
// compression. Expected values are R's data as make_haven.R builds it (and
// as readstat prints it), with declared user-missing values empty.
func TestSAVHaven(t *testing.T) {
	wantHeader := []string{"id", "country", "q1", "q2", "weight_variable_with_a_long_name", "name", "born", "stamp", "dur"}
	wantLabels := []string{"", "Country of residence", "I worry about how companies use my data", "", "", "First name", "", "", ""}
	wantRows := [][]string{
		{"1", "2", "1", "3", "0.5", "Anna", "1980-01-05", "2024-01-05 13:30:00", "01:00:00"},
		{"2", "1", "5", "", "1.25", "Björn", "1999-12-31", "2024-01-06", "01:30:30"},
		{"3", "3", "4", "2", "1", "", "", "2024-02-29 23:59:59", ""},
		{"4", "1", "", "5", "1.5", "Zoë “Z”", "2001-02-03", "", "00:00:00"},
		{"5", "2", "2", "8", "0.75", "Li", "1960-07-04", "2023-12-31 12:00:00", "23:59:59"},
		{"6", "", "3", "1", "1", "x", "1975-11-11", "2024-03-01 08:15:30", "00:01:00"},
	}
	for _, name := range []string{"haven_byte.sav", "haven_none.sav", "haven.zsav"} {
		t.Run(name, func(t *testing.T) {
			h, l, info, rows := readAllSAV(t, filepath.Join("testdata", "sav", name), ReadOptions{})
			if !reflect.DeepEqual(h, wantHeader) {
				t.Errorf("Header() = %q, want %q", h, wantHeader)
			}
			if !reflect.DeepEqual(l, wantLabels) {
				t.Errorf("Labels() = %q, want %q", l, wantLabels)
			}
			if !reflect.DeepEqual(rows, wantRows) {
				t.Errorf("rows =\n%q\nwant\n%q", rows, wantRows)
			}
			country := []ValueLabel{{"1", "Germany"}, {"2", "Great Britain"}, {"3", "United States"}}
			if !reflect.DeepEqual(info[1].ValueLabels, country) {
				t.Errorf("ColumnInfo()[country].ValueLabels = %v, want %v", info[1].ValueLabels, country)
			}
			for i, want := range []struct{ missing, format string }{
				{"", "F8.2"}, {"", "F8.2"}, {"99", "F8.2"}, {"-9 thru -1", "F8.2"}, {"", "F8.2"},
				{"", "A12"}, {"", "DATE11"}, {"", "DATETIME20"}, {"", "TIME8"},
			} {
				if info[i].Missing != want.missing || info[i].Format != want.format {
					t.Errorf("ColumnInfo()[%s] missing, format = %q, %q, want %q, %q", h[i], info[i].Missing, info[i].Format, want.missing, want.format)
				}
			}
		})
	}
}

// The PSPP fixtures (make_pspp.sps): a windows-1252 file, very long
// strings, long string value labels and missing values, missing ranges.
// Expected values are PSPP's own CSV export of the files (SAVE
// TRANSLATE), with declared user-missing values empty.
func TestSAVPSPP(t *testing.T) {
	t.Run("latin1", func(t *testing.T) {
		h, l, info, rows := readAllSAV(t, filepath.Join("testdata", "sav", "pspp_latin1.sav"), ReadOptions{})
		want := [][]string{
			{"1", "5", "1200.5", "Köln"},
			{"2", "1", "", "Zürich"},
			{"3", "", "0", "Málaga"},
			{"1", "", "2500", "Øresund"},
		}
		if !reflect.DeepEqual(rows, want) {
			t.Errorf("rows = %q, want %q", rows, want)
		}
		if wantH := []string{"region", "satisfaction_with_the_service", "income", "city"}; !reflect.DeepEqual(h, wantH) {
			t.Errorf("Header() = %q, want %q", h, wantH)
		}
		if l[0] != "Région (NUTS-1)" || l[1] != "Zufriedenheit – overall" {
			t.Errorf("Labels() = %q, want the windows-1252 labels decoded", l)
		}
		if wantVL := []ValueLabel{{"1", "Nord"}, {"2", "Süd"}, {"3", "Île"}}; !reflect.DeepEqual(info[0].ValueLabels, wantVL) {
			t.Errorf("region value labels = %v, want %v", info[0].ValueLabels, wantVL)
		}
		if info[1].Missing != "98, 99" || info[2].Missing != "lowest thru -1" {
			t.Errorf("Missing = %q, %q, want \"98, 99\", \"lowest thru -1\"", info[1].Missing, info[2].Missing)
		}
	})
	long := "a comment that is long enough: " + strings.Repeat("0123456789", 26) + "012345678" // 300 bytes, as PSPP stored it
	for _, name := range []string{"pspp_long.sav", "pspp_long.zsav"} {
		t.Run(name, func(t *testing.T) {
			h, l, info, rows := readAllSAV(t, filepath.Join("testdata", "sav", name), ReadOptions{})
			want := [][]string{
				{"1", "1", "1", "short", "yes"},
				{"2", "", "", long, "no"},
				{"3", "", "", "", ""},
				{"4", "3", "0", "ünïcödé ✓", ""},
			}
			if !reflect.DeepEqual(rows, want) {
				t.Errorf("rows =\n%q\nwant\n%q", rows, want)
			}
			if wantH := []string{"respondent_identifier", "q_range", "q_range_one", "comment", "code"}; !reflect.DeepEqual(h, wantH) {
				t.Errorf("Header() = %q, want %q", h, wantH)
			}
			if l[3] != "Any other comments?" || l[4] != "Answer code (long string)" {
				t.Errorf("Labels() = %q", l)
			}
			if info[3].Format != "A300" {
				t.Errorf("comment format = %q, want A300", info[3].Format)
			}
			wantVL := []ValueLabel{{"yes", "Yes, I agree"}, {"refused", "Refused to answer"}, {"no", "No"}}
			if !reflect.DeepEqual(info[4].ValueLabels, wantVL) {
				t.Errorf("code value labels = %v, want %v", info[4].ValueLabels, wantVL)
			}
			for i, m := range []string{"", "5 thru 8", "40 thru highest, 9", "", `"refused", "dontknow"`} {
				if info[i].Missing != m {
					t.Errorf("%s Missing = %q, want %q", h[i], info[i].Missing, m)
				}
			}
		})
	}
}

func sampleSAV() savTestFile {
	return savTestFile{
		cols: []savTestCol{
			{name: "respondent", label: "Respondent id"},
			{name: "country", label: "Country", labels: map[float64]string{1: "Germany", 2: "Great Britain", 3: "United States"}},
			{name: "q1", label: "I worry about my data", labels: map[float64]string{1: "Strongly disagree", 5: "Strongly agree", 9: "Don't know"}, miss: []float64{9}},
			{name: "q2", lo: -9, hi: -1},
			{name: "wt"},
			{name: "note", width: 12},
			{name: "essay", width: 30},
			{name: "day", format: fmtDATE},
		},
		rows: [][]any{
			{1.0, 1.0, 5.0, 3.0, 0.75, "hello", "a longer text of many words", 12535257600.0},
			{2.0, 3.0, 9.0, -4.0, 1e-7, "", "", sysmis},
			{3.0, 2.0, sysmis, 2.5, 1234567.125, "x y", "ß", 13165977600.0},
			{4.0, 2.0, 1.0, 200.0, -3.0, "        ", "z", 0.0},
		},
	}
}

var sampleSAVRows = [][]string{
	{"1", "1", "5", "3", "0.75", "hello", "a longer text of many words", "1980-01-05"},
	{"2", "3", "", "", "1e-07", "", "", ""},
	{"3", "2", "", "2.5", "1234567.125", "x y", "ß", "1999-12-31"},
	{"4", "2", "1", "200", "-3", "", "z", "1582-10-14"},
}

// Files from the test writer in both byte orders and every compression
// read the same, and zlib data split into many blocks as well.
func TestSAVByteOrdersAndCompression(t *testing.T) {
	for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		for _, comp := range []int{0, 1, 2} {
			for _, unknownN := range []bool{false, true} {
				f := sampleSAV()
				f.order, f.compression, f.unknownN, f.blockSize = order, comp, unknownN, 40
				tr, err := NewSAVReader(bytes.NewReader(f.bytes()), "t.sav", ReadOptions{})
				if err != nil {
					t.Fatalf("%v compression %d: NewSAVReader: %v", order, comp, err)
				}
				var rows [][]string
				for {
					rec, _, err := tr.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						t.Fatalf("%v compression %d: Next: %v", order, comp, err)
					}
					rows = append(rows, append([]string(nil), rec...))
				}
				if !reflect.DeepEqual(rows, sampleSAVRows) {
					t.Errorf("%v compression %d unknown n %v: rows =\n%q\nwant\n%q", order, comp, unknownN, rows, sampleSAVRows)
				}
				if h := tr.Header(); h[0] != "respondent" || h[7] != "day" {
					t.Errorf("%v compression %d: Header() = %q", order, comp, h)
				}
			}
		}
	}
}

// Every truncation of a file is an error of kind ErrDamagedFile (the
// header declares the number of cases), never a panic or a short read;
// only the end-of-data code after the last case may go missing unnoticed.
func TestSAVTruncated(t *testing.T) {
	for _, comp := range []int{0, 1, 2} {
		f := sampleSAV()
		f.order, f.compression = binary.LittleEndian, comp
		data := f.bytes()
		for n := 0; n < len(data); n++ {
			tr, err := NewSAVReader(bytes.NewReader(data[:n]), "t.sav", ReadOptions{})
			cases := 0
			for err == nil {
				if _, _, err = tr.Next(); err == nil {
					cases++
				}
			}
			if err == io.EOF {
				if cases != len(f.rows) {
					t.Fatalf("compression %d: %d of %d bytes read as %d cases without error", comp, n, len(data), cases)
				}
				continue
			}
			if n >= 4 && !errors.Is(err, ErrDamagedFile) {
				t.Fatalf("compression %d, %d bytes: error %v, want ErrDamagedFile", comp, n, err)
			}
		}
	}
}

// Hostile length fields are refused before anything is allocated.
func TestSAVHostile(t *testing.T) {
	f := sampleSAV()
	f.order = binary.LittleEndian
	base := f.bytes()
	// The first variable record's label length sits after the 176-byte
	// header and the record's 32 bytes.
	huge := bytes.Clone(base)
	binary.LittleEndian.PutUint32(huge[176+32:], 1<<30)
	// An extension record claiming a gigabyte.
	ext := append(bytes.Clone(base[:176]), []byte{7, 0, 0, 0, 13, 0, 0, 0, 0, 0, 0, 64, 0, 0, 0, 64}...)
	// A value label record claiming 2^31-1 labels.
	lab := append(bytes.Clone(base[:176]), []byte{3, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f}...)
	for name, data := range map[string][]byte{"label length": huge, "extension size": ext, "label count": lab} {
		_, err := NewSAVReader(bytes.NewReader(data), "t.sav", ReadOptions{})
		var de *DamagedFileError
		if !errors.As(err, &de) {
			t.Errorf("%s: error = %v, want *DamagedFileError", name, err)
		}
	}
}

// The column limit applies to SPSS variables as to CSV columns.
func TestSAVColumnLimit(t *testing.T) {
	f := sampleSAV()
	f.order = binary.LittleEndian
	_, err := NewSAVReader(bytes.NewReader(f.bytes()), "t.sav", ReadOptions{MaxColumns: 3})
	var le *LimitError
	if !errors.As(err, &le) || le.Got != 8 || le.Limit != 3 {
		t.Errorf("NewSAVReader(8 variables, limit 3) error = %v, want a *LimitError", err)
	}
}

// A .sav file is recognised by content whatever its name; a file named
// .sav that is not one is refused.
func TestSAVDetection(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join("testdata", "sav", "haven_byte.sav"))
	if err != nil {
		t.Fatal(err)
	}
	odd := filepath.Join(dir, "export.dat")
	os.WriteFile(odd, data, 0o644)
	tr, err := OpenTable(context.Background(), odd, ReadOptions{})
	if err != nil {
		t.Fatalf("OpenTable(.dat holding a .sav): %v", err)
	}
	if h := tr.Header(); len(h) != 9 || h[1] != "country" {
		t.Errorf("Header() = %q, want the SPSS variables", h)
	}
	tr.Close()

	// Standard input.
	tr, err = OpenTable(context.Background(), "-", ReadOptions{Stdin: bytes.NewReader(data)})
	if err != nil {
		t.Fatalf("OpenTable(-): %v", err)
	}
	if _, _, info, _ := func() ([]string, []string, []ColumnInfo, int) { return nil, nil, ColumnInfos(tr), 0 }(); len(info) != 9 {
		t.Errorf("ColumnInfos(stdin) has %d entries, want 9", len(info))
	}
	tr.Close()

	fake := filepath.Join(dir, "fake.sav")
	os.WriteFile(fake, []byte("a,b\n1,2\n"), 0o644)
	if _, err := OpenTable(context.Background(), fake, ReadOptions{}); err == nil || !strings.Contains(err.Error(), "not an SPSS system file") {
		t.Errorf("OpenTable(CSV named .sav) error = %v, want \"not an SPSS system file\"", err)
	}
}

// Formats that cannot be read are named.
func TestUnsupportedFormats(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, content, want string
	}{
		{"s.dta", "<stata_dta><header><release>118</release>", "Stata"},
		{"old.dta", "\x72\x02\x01\x00\x05\x00\x01\x00", "Stata"},
		{"r.pdf", "%PDF-1.7\n%....", "PDF"},
		{"d.json", "  [{\"a\": 1}]", "JSON"},
		{"d.txt", "{\"responses\": []}", "JSON"},
		{"d.csv.gz", "\x1f\x8b\x08\x00\x00\x00", "gzip"},
		{"s.sas7bdat", "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xc2\xea\x81\x60\xb3\x14\x11\xcf", "SAS"},
		{"p.por", "ASCII SPSS PORT FILE", "portable"},
		{"x.sqlite", "SQLite format 3\x00....", "SQLite"},
	} {
		p := filepath.Join(dir, tc.name)
		os.WriteFile(p, []byte(tc.content), 0o644)
		_, err := OpenTable(context.Background(), p, ReadOptions{})
		var ue *UnsupportedFormatError
		if !errors.As(err, &ue) || !errors.Is(err, ErrUnsupportedFormat) || !strings.Contains(ue.Format, tc.want) {
			t.Errorf("OpenTable(%s) error = %v, want an *UnsupportedFormatError naming %s", tc.name, err, tc.want)
		}
	}
}

// Loading an SPSS file: labelled region and segment columns take their
// value labels as levels in code order; items keep their numbers, with
// their variable labels as item labels and their value labels; declared
// user-missing values are missing without a codebook missing: entry.
func TestLoadSAVLabels(t *testing.T) {
	cb := mustCodebook(t, `
title: SPSS
design: {id: id, weight: weight_variable_with_a_long_name}
region: country
constructs:
  concern: {items: [q1], scale: [1, 5], flag: ">= 4"}
`)
	tr, err := OpenTable(context.Background(), filepath.Join("testdata", "sav", "haven_byte.sav"), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	ds, err := Load(context.Background(), cb, []TableReader{tr}, LoadOptions{KeepRawItems: true})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if want := []string{"Germany", "Great Britain", "United States"}; !reflect.DeepEqual(ds.Region.Levels, want) {
		t.Errorf("Region.Levels = %q, want %q", ds.Region.Levels, want)
	}
	if got, want := levelNames(ds.Region), []string{"Great Britain", "Germany", "United States", "Germany", "Great Britain", ""}; !reflect.DeepEqual(got, want) {
		t.Errorf("Region = %q, want %q", got, want)
	}
	if ds.Region.Label != "Country of residence" {
		t.Errorf("Region.Label = %q, want the variable label", ds.Region.Label)
	}
	item := ds.Construct("concern").Items[0]
	if item.Label != "I worry about how companies use my data" {
		t.Errorf("item label = %q, want the variable label", item.Label)
	}
	if want := []ValueLabel{{"1", "Strongly disagree"}, {"5", "Strongly agree"}, {"99", "Don't know"}}; !reflect.DeepEqual(item.ValueLabels, want) {
		t.Errorf("item ValueLabels = %v, want %v", item.ValueLabels, want)
	}
	want := []float64{1, 5, 4, math.NaN(), 2, 3} // 99 is user-missing
	if !eqFloats(item.num, want) {
		t.Errorf("item values = %v, want %v", item.num, want)
	}
	if w := []float64{0.5, 1.25, 1, 1.5, 0.75, 1}; !eqFloats(ds.Weights, w) {
		t.Errorf("Weights = %v, want %v", ds.Weights, w)
	}
}

// An item used as a category (crosstab rows) shows its value labels as
// answer names, in code order, unlabelled codes between them.
func TestLoadSAVAnswerLabels(t *testing.T) {
	cb := mustCodebook(t, "title: SPSS\n")
	tr, err := OpenTable(context.Background(), filepath.Join("testdata", "sav", "haven.zsav"), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	ds, err := Load(context.Background(), cb, []TableReader{tr}, LoadOptions{Extra: []string{"q1"}, Categorical: []string{"q1"}})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	q1 := ds.Columns["q1"]
	if want := []string{"Strongly disagree", "2", "3", "4", "Strongly agree"}; !reflect.DeepEqual(q1.Levels, want) {
		t.Errorf("q1 levels = %q, want %q (99, Don't know, is user-missing)", q1.Levels, want)
	}
	if got, want := levelNames(q1), []string{"Strongly disagree", "Strongly agree", "4", "", "2", "3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("q1 = %q, want %q", got, want)
	}
}

func levelNames(c *Column) []string {
	out := make([]string, len(c.Codes))
	for i, k := range c.Codes {
		if k >= 0 {
			out[i] = c.Levels[k]
		}
	}
	return out
}

// Value labels name levels in code order; values without a label keep
// their text after the labelled ones; values sharing a label merge.
func TestApplyValueLabels(t *testing.T) {
	for _, tc := range []struct {
		levels []string
		codes  []int32
		labels []ValueLabel
		want   []string // per respondent
		levs   []string
	}{
		{[]string{"1", "2", "3"}, []int32{2, 0, 1, -1}, []ValueLabel{{"1", "a"}, {"2", "b"}, {"3", "c"}}, []string{"c", "a", "b", ""}, []string{"a", "b", "c"}},
		{[]string{"1", "7"}, []int32{1, 0}, []ValueLabel{{"1", "one"}}, []string{"7", "one"}, []string{"one", "7"}},
		{[]string{"3", "5", "1", "2"}, []int32{0, 1, 2, 3}, []ValueLabel{{"1", "Disagree"}, {"5", "Agree"}}, []string{"3", "Agree", "Disagree", "2"}, []string{"Disagree", "2", "3", "Agree"}},
		{[]string{"b", "z", "a"}, []int32{0, 1, 2}, []ValueLabel{{"a", "Alpha"}, {"b", "Beta"}}, []string{"Beta", "z", "Alpha"}, []string{"Alpha", "Beta", "z"}},
		{[]string{"1", "2", "3"}, []int32{0, 1, 2}, []ValueLabel{{"1", "x"}, {"2", "x"}, {"3", "y"}}, []string{"x", "x", "y"}, []string{"x", "y"}},
		{[]string{"b", "a"}, []int32{0, 1}, []ValueLabel{{"a", "Alpha"}, {"b", "Beta"}}, []string{"Beta", "Alpha"}, []string{"Alpha", "Beta"}},
		{[]string{"1"}, []int32{0}, nil, []string{"1"}, []string{"1"}},
	} {
		c := &Column{Levels: append([]string(nil), tc.levels...), Codes: append([]int32(nil), tc.codes...)}
		applyValueLabels(c, tc.labels)
		if got := levelNames(c); !reflect.DeepEqual(got, tc.want) || !reflect.DeepEqual(c.Levels, tc.levs) {
			t.Errorf("applyValueLabels(%q, %v) = %q levels %q, want %q levels %q", tc.levels, tc.labels, got, c.Levels, tc.want, tc.levs)
		}
	}
}

func FuzzSAVReader(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "sav", "*sav"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		for comp := range 3 {
			s := sampleSAV()
			s.order, s.compression, s.blockSize = order, comp, 64
			f.Add(s.bytes())
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := NewSAVReader(bytes.NewReader(data), "fuzz.sav", ReadOptions{})
		if err != nil {
			return
		}
		width := len(tr.Header())
		if l := tr.Labels(); l != nil && len(l) != width {
			t.Fatalf("Labels() has %d cells, Header() %d", len(l), width)
		}
		if info := ColumnInfos(tr); len(info) != width {
			t.Fatalf("ColumnInfo() has %d entries, Header() %d", len(info), width)
		}
		for last := 0; ; {
			rec, row, err := tr.Next()
			if err != nil {
				if _, _, again := tr.Next(); again == nil {
					t.Fatalf("Next after %v succeeded", err)
				}
				break
			}
			if len(rec) != width || row != last+1 {
				t.Fatalf("row %d after %d has %d cells, header %d", row, last, len(rec), width)
			}
			last = row
		}
	})
}
