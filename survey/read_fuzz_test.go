package survey

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// checkTable drains a reader and checks the invariants every TableReader
// keeps whatever its input: rows as wide as the header, labels absent or
// as wide, row numbers rising past the header.
func checkTable(t *testing.T, tr TableReader) {
	t.Helper()
	width := len(tr.Header())
	if l := tr.Labels(); l != nil && len(l) != width {
		t.Fatalf("Labels() has %d cells, Header() %d", len(l), width)
	}
	last := 1
	for {
		rec, row, err := tr.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			if _, _, again := tr.Next(); again == nil {
				t.Fatalf("Next after error %v succeeded; want the error again", err)
			}
			return
		}
		if len(rec) != width {
			t.Fatalf("row %d has %d cells, header %d", row, len(rec), width)
		}
		if row <= last {
			t.Fatalf("row %d after row %d", row, last)
		}
		last = row
	}
}

// addFixtures adds the files in testdata/read whose names match pattern.
func addFixtures(f *testing.F, pattern string) {
	files, err := filepath.Glob(filepath.Join("testdata", "read", pattern))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint8(0))
	}
}

func FuzzCSVReader(f *testing.F) {
	addFixtures(f, "*.csv")
	addFixtures(f, "*.txt")
	for _, s := range []string{
		"a,b\n1,2\n",
		"a;b\r\n1,5;2\r\n",
		"a\tb\n\"x\ny\"\t2\n",
		"a|b\n1|2|3\n",
		"a,b\n\"unterminated\n",
		"\xEF\xBB\xBFa\n\n\n1\n",
		"a,b\r1,2\r",
		"M\xFCller,Caf\xE9\n1,2\n",
		"a,b\nA,B\n\"{\"\"ImportId\"\":\"\"QID1\"\"}\",\n1,2\n",
	} {
		f.Add([]byte(s), uint8(0))
	}
	f.Add(utf16Text("a\tb\r\n1\t2\r\n", binary.LittleEndian), uint8(0))
	f.Add(utf16Text("a,b\n1,2\n", binary.BigEndian), uint8(1))
	f.Add([]byte("q1,,\n,x,y\n1,2,3\n"), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, headerRows uint8) {
		opts := ReadOptions{HeaderRows: int(headerRows % 4), MaxCellBytes: 1 << 12}
		tr, err := NewCSVReader(bytes.NewReader(data), "fuzz.csv", opts)
		if err != nil {
			return
		}
		defer tr.Close()
		checkTable(t, tr)
	})
}

func FuzzXLSXReader(f *testing.F) {
	addFixtures(f, "*.xlsx")
	f.Add(makeWorkbook(f, sheetSpec{name: "S", rows: sampleSheet()}), uint8(0))
	f.Add(makeWorkbook(f, sheetSpec{name: "S", rows: [][]any{
		{"ResponseId", "Q1"}, {"Response ID", "How?"}, {`{"ImportId":"_recordId"}`, `{"ImportId":"QID1"}`}, {"R_1", 4},
	}}), uint8(0))
	f.Add(makeWorkbook(f, sheetSpec{name: "S", rows: [][]any{{"q", nil, nil}, {nil, "a", "b"}, {1, 2, 3}}}), uint8(2))
	f.Add(zipOf(f, "xl/workbook.xml", bytes.Repeat([]byte(" "), 1<<16), 100), uint8(0))
	f.Add([]byte(zipMagic), uint8(0))
	f.Add(makeWorkbook(f, sheetSpec{name: "S", rows: [][]any{{"d", "n"}, {time.Date(2024, 1, 5, 13, 30, 0, 0, time.UTC), 1}}}), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, headerRows uint8) {
		opts := ReadOptions{HeaderRows: int(headerRows % 4), MaxCellBytes: 1 << 12, MaxUnzipBytes: 1 << 20}
		tr, err := NewXLSXReader(bytes.NewReader(data), int64(len(data)), "fuzz.xlsx", opts)
		if err != nil {
			return
		}
		defer tr.Close()
		checkTable(t, tr)
	})
}

// FuzzFormatKind reads any number format without failing.
func FuzzFormatKind(f *testing.F) {
	for _, s := range []string{"yyyy-mm-dd", `dd.mm.yyyy "um" hh:mm`, "[h]:mm:ss", "0.0\\d", `"unclosed`, "[unclosed", "\\", "_", "General"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, format string) {
		if k := formatKind(format); k < kindNumber || k > kindTimeOnly {
			t.Fatalf("formatKind(%q) = %d, not a kind of number", format, k)
		}
	})
}

// FuzzQualtricsDetect checks isQualtricsImportRow against its definition
// and that NewCSVReader uses it on row 3: labels appear exactly when row
// 3, as encoding/csv reads it, is an import-id row.
func FuzzQualtricsDetect(f *testing.F) {
	f.Add(`{"ImportId":"QID1"}`, `{"ImportId":"QID2_1"}`)
	f.Add(`{"ImportId":"startDate","timeZone":"America/Denver"}`, "")
	f.Add(`{"ImportId":"QID1"}`, "4")
	f.Add(`{"ImportId":7}`, "")
	f.Add(` {"ImportId":"x"} `, `{"ImportId":"y","ImportId":"z"}`)
	f.Add("", "")
	f.Add("R_1", "Very")
	f.Fuzz(func(t *testing.T, a, b string) {
		row := []string{a, b}
		got := isQualtricsImportRow(row)
		if got {
			for _, c := range row {
				if c = strings.TrimSpace(c); c != "" && (c[0] != '{' || !json.Valid([]byte(c))) {
					t.Fatalf("isQualtricsImportRow(%q) = true, but %q is no JSON object", row, c)
				}
			}
		}

		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.WriteAll([][]string{{"a", "b"}, {"A", "B"}, row, {"1", "2"}})
		parsed, err := csv.NewReader(strings.NewReader(buf.String())).ReadAll()
		if err != nil || len(parsed) < 3 {
			return
		}
		want := isQualtricsImportRow(parsed[2])
		tr, err := NewCSVReader(&buf, "fuzz.csv", ReadOptions{Delimiter: ','})
		if err != nil {
			return // text a reader refuses, like NUL bytes or invalid UTF-8
		}
		defer tr.Close()
		if gotLabels := tr.Labels() != nil; gotLabels != want {
			t.Errorf("NewCSVReader with row 3 %q: labels %v, want %v", parsed[2], gotLabels, want)
		}
	})
}
