package survey

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// sheetSpec is one worksheet for makeWorkbook: rows from row 1, a nil row
// left out of the sheet.
type sheetSpec struct {
	name  string
	rows  [][]any
	style func(f *excelize.File, sheet string) // optional cell formats
}

// makeWorkbook writes an XLSX workbook with excelize.
func makeWorkbook(t testing.TB, sheets ...sheetSpec) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		var err error
		if i == 0 {
			err = f.SetSheetName("Sheet1", s.name)
		} else {
			_, err = f.NewSheet(s.name)
		}
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			if row == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(s.name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
		if s.style != nil {
			s.style(f, s.name)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readXLSX(data []byte, opts ReadOptions) (readResult, error) {
	tr, err := NewXLSXReader(bytes.NewReader(data), int64(len(data)), "t.xlsx", opts)
	if err != nil {
		return readResult{}, err
	}
	defer tr.Close()
	return readAll(tr)
}

// sampleSheet is the sample table as worksheet rows, numbers as numbers.
func sampleSheet() [][]any {
	return [][]any{
		{"id", "name", "city", "score"},
		{1, "Müller", "Zürich", 3.5},
		{2, "Café", nil, 4},
		{3, "O'Brien", "Paris", 2.25},
	}
}

func TestNewXLSXReader(t *testing.T) {
	notes := sheetSpec{name: "Notes", rows: [][]any{{"exported by"}, {"hand"}}}
	responses := sheetSpec{name: "Responses", rows: sampleSheet()}
	twoSheets := makeWorkbook(t, notes, responses)

	tests := []struct {
		name string
		data []byte
		opts ReadOptions
		want readResult
	}{
		{"second sheet by name", twoSheets, ReadOptions{Sheet: "Responses"}, sample()},
		{
			"decimal commas asked for (text cells)", twoSheets, ReadOptions{Sheet: "Responses", DecimalComma: true},
			readResult{Header: sampleHeader, Rows: sampleRows, DecimalComma: true},
		},
		{"sheet name ignoring case", twoSheets, ReadOptions{Sheet: "responses"}, sample()},
		{
			"first sheet by default", twoSheets, ReadOptions{},
			readResult{Header: []string{"exported by"}, Rows: []numberedRow{{2, []string{"hand"}}}},
		},
		{
			"numbers as stored, not as formatted",
			makeWorkbook(t, sheetSpec{
				name: "Data",
				rows: [][]any{
					{"id", "share", "weight", "consent", "date"},
					{1, 0.5, 1.23456789, true, time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC)},
				},
				style: func(f *excelize.File, sheet string) {
					percent, _ := f.NewStyle(&excelize.Style{NumFmt: 9}) // 0%
					oneDecimal := "0.0"
					rounded, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &oneDecimal})
					f.SetCellStyle(sheet, "B2", "B2", percent)
					f.SetCellStyle(sheet, "C2", "C2", rounded)
				},
			}),
			ReadOptions{},
			readResult{
				Header: []string{"id", "share", "weight", "consent", "date"},
				Rows:   []numberedRow{{2, []string{"1", "0.5", "1.23456789", "1", "2024-01-05"}}},
			},
		},
		{
			"dates and times as ISO text, whatever their format",
			makeWorkbook(t, sheetSpec{
				name: "Data",
				rows: [][]any{
					{"id", "day", "stamp", "clock", "custom", "german", "n"},
					{1, nil, time.Date(2024, 1, 5, 13, 30, 0, 0, time.UTC), 0.5625, 45296, 45296.25, 45296},
					{2, time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 6, 0, 0, 0, 0, time.UTC), 0.25, "n/a", 45297, 7},
				},
				style: func(f *excelize.File, sheet string) {
					clock, _ := f.NewStyle(&excelize.Style{NumFmt: 21}) // h:mm:ss
					iso, german := "yyyy-mm-dd", `dd.mm.yyyy "um" hh:mm`
					custom, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &iso})
					de, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &german})
					f.SetCellStyle(sheet, "D2", "D3", clock)
					f.SetCellStyle(sheet, "E2", "E3", custom)
					f.SetCellStyle(sheet, "F2", "F3", de)
				},
			}),
			ReadOptions{},
			readResult{
				Header: []string{"id", "day", "stamp", "clock", "custom", "german", "n"},
				Rows: []numberedRow{
					{2, []string{"1", "", "2024-01-05 13:30:00", "13:30:00", "2024-01-05", "2024-01-05 06:00:00", "45296"}},
					{3, []string{"2", "2023-12-31", "2024-01-06", "06:00:00", "n/a", "2024-01-06", "7"}},
				},
			},
		},
		{
			"the 1904 date system",
			makeWorkbook(t, sheetSpec{
				name: "Data",
				rows: [][]any{{"day"}, {1}},
				style: func(f *excelize.File, sheet string) {
					yes := true
					if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
						t.Fatal(err)
					}
					day, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
					f.SetCellStyle(sheet, "A2", "A2", day)
				},
			}),
			ReadOptions{},
			readResult{Header: []string{"day"}, Rows: []numberedRow{{2, []string{"1904-01-02"}}}},
		},
		{
			"sheet row numbers, gaps and short rows",
			makeWorkbook(t, sheetSpec{name: "S", rows: [][]any{
				nil,
				{"a", "b", "c"},
				{1, 2, 3},
				nil,
				{4},
				{"", "", ""},
				{nil, nil, 9},
			}}),
			ReadOptions{},
			readResult{Header: []string{"a", "b", "c"}, Rows: []numberedRow{
				{3, []string{"1", "2", "3"}},
				{5, []string{"4", "", ""}},
				{7, []string{"", "", "9"}},
			}},
		},
		{
			"empty header cells at the end are not columns",
			makeWorkbook(t, sheetSpec{name: "S", rows: [][]any{{"a", "b", ""}, {1, 2}}}),
			ReadOptions{},
			readResult{Header: []string{"a", "b"}, Rows: []numberedRow{{2, []string{"1", "2"}}}},
		},
		{
			"Cyrillic",
			makeWorkbook(t, sheetSpec{name: "Опрос", rows: [][]any{{"имя", "город"}, {"Иван", "Москва"}}}),
			ReadOptions{},
			readResult{Header: []string{"имя", "город"}, Rows: []numberedRow{{2, []string{"Иван", "Москва"}}}},
		},
		{
			"Qualtrics",
			makeWorkbook(t, sheetSpec{name: "Sheet0", rows: [][]any{
				{"ResponseId", "Q1", "Q2"},
				{"Response ID", "How concerned are you?", "Trust"},
				{`{"ImportId":"_recordId"}`, `{"ImportId":"QID1"}`, `{"ImportId":"QID2"}`},
				{"R_1", 4, 2},
				{"R_2", 5},
			}}),
			ReadOptions{},
			readResult{
				Header: []string{"ResponseId", "Q1", "Q2"},
				Labels: []string{"Response ID", "How concerned are you?", "Trust"},
				Rows:   []numberedRow{{4, []string{"R_1", "4", "2"}}, {5, []string{"R_2", "5", ""}}},
			},
		},
		{
			"SurveyMonkey, options wider than questions",
			makeWorkbook(t, sheetSpec{name: "Sheet", rows: [][]any{
				{"Respondent ID", "Devices"},
				{nil, "Phone", "Laptop"},
				{101, "Phone", "Laptop"},
			}}),
			ReadOptions{HeaderRows: 2},
			readResult{
				Header: []string{"Respondent ID", "Devices", "Devices_Laptop"},
				Labels: []string{"", "Phone", "Laptop"},
				Rows:   []numberedRow{{3, []string{"101", "Phone", "Laptop"}}},
			},
		},
		{
			"header only",
			makeWorkbook(t, sheetSpec{name: "S", rows: [][]any{{"a", "b"}}}),
			ReadOptions{},
			readResult{Header: []string{"a", "b"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readXLSX(tt.data, tt.opts)
			if err != nil {
				t.Fatalf("read workbook: %v", err)
			}
			if !got.equal(tt.want) {
				t.Errorf("read workbook =\n%v\nwant\n%v", got, tt.want)
			}
		})
	}
}

// zipOf builds a zip archive holding one file, optionally declaring a
// false uncompressed size, as a hostile file would.
func zipOf(t testing.TB, name string, content []byte, declared uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	if declared == 0 {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(content)
	} else {
		var comp bytes.Buffer
		fw, _ := flate.NewWriter(&comp, flate.BestCompression)
		fw.Write(content)
		fw.Close()
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name:               name,
			Method:             zip.Deflate,
			CRC32:              crc32.ChecksumIEEE(content),
			CompressedSize64:   uint64(comp.Len()),
			UncompressedSize64: declared,
		})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(comp.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestNewXLSXReaderErrors(t *testing.T) {
	bomb := bytes.Repeat([]byte(" "), 4<<20) // compresses to a few KiB
	workbook := makeWorkbook(t, sheetSpec{name: "Notes", rows: [][]any{{"x"}}}, sheetSpec{name: "Responses", rows: sampleSheet()})
	tests := []struct {
		name string
		data []byte
		opts ReadOptions
		want []string
	}{
		{"not a zip", []byte("id,name\n1,Ann\n"), ReadOptions{}, []string{"read t.xlsx: not an XLSX workbook"}},
		{"zip without a workbook", zipOf(t, "hello.txt", []byte("hi"), 0), ReadOptions{}, []string{"read t.xlsx: a zip archive but not an XLSX workbook (no xl/workbook.xml)"}},
		{"binary workbook", zipOf(t, "xl/workbook.bin", []byte("hi"), 0), ReadOptions{}, []string{"read t.xlsx: an Excel binary workbook (.xlsb)"}},
		{"workbook part only", zipOf(t, "xl/workbook.xml", []byte("<workbook/>"), 0), ReadOptions{}, []string{"read t.xlsx: not an XLSX workbook"}},
		{
			"zip bomb",
			zipOf(t, "xl/workbook.xml", bomb, 0),
			ReadOptions{MaxUnzipBytes: 1 << 20},
			[]string{"read t.xlsx: workbook would unpack to 4 MiB, over the 1 MiB unzip limit"},
		},
		{
			"zip bomb declaring a small size",
			zipOf(t, "xl/workbook.xml", bomb, 100),
			ReadOptions{MaxUnzipBytes: 1 << 20},
			[]string{"read t.xlsx: workbook part xl/workbook.xml is damaged"},
		},
		{"missing sheet", workbook, ReadOptions{Sheet: "Data"}, []string{`read t.xlsx: no sheet "Data"; the workbook has "Notes", "Responses"`}},
		{"empty sheet", makeWorkbook(t, sheetSpec{name: "S"}), ReadOptions{}, []string{`read t.xlsx: sheet "S" is empty`}},
		{
			"value beyond the header",
			makeWorkbook(t, sheetSpec{name: "S", rows: [][]any{{"a", "b"}, {1, 2}, {3, 4, "stray"}}}),
			ReadOptions{},
			[]string{"read t.xlsx cell C3: value in a column with no header"},
		},
		{
			"cell over the limit",
			makeWorkbook(t, sheetSpec{name: "S", rows: [][]any{{"a", "comment"}, {1, strings.Repeat("z", 2000)}}}),
			ReadOptions{MaxCellBytes: 1000},
			[]string{"read t.xlsx cell B2 (comment): cell of 2000 bytes exceeds the 1000 bytes cell size limit"},
		},
		{
			// 300 bytes read, but 1,500 as stored (&amp;): refused whole
			// rather than cut where the sheet's reads happen to end.
			"cell over the limit as stored",
			makeWorkbook(t, sheetSpec{name: "S", rows: [][]any{{"a", "comment"}, {1, strings.Repeat("&", 300)}}}),
			ReadOptions{MaxCellBytes: 1000},
			[]string{"read t.xlsx cell B2 (comment): cell of 1500 bytes exceeds the 1000 bytes cell size limit"},
		},
		{"bad options", workbook, ReadOptions{MaxUnzipBytes: -1}, []string{"read t.xlsx: read options: negative unzip size limit"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readXLSX(tt.data, tt.opts)
			if err == nil {
				t.Fatalf("read workbook: no error, want %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("read workbook error = %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

func TestPickSheet(t *testing.T) {
	tests := []struct {
		sheets []string
		want   string
		got    string
		err    bool
	}{
		{[]string{"A", "B"}, "", "A", false},
		{[]string{"A", "B"}, "B", "B", false},
		{[]string{"data", "Data"}, "Data", "Data", false}, // exact match first
		{[]string{"A", "Data"}, "DATA", "Data", false},
		{[]string{"A"}, "B", "", true},
		{nil, "", "", true},
	}
	for _, tt := range tests {
		got, err := pickSheet(tt.sheets, tt.want)
		if got != tt.got || (err != nil) != tt.err {
			t.Errorf("pickSheet(%q, %q) = %q, %v; want %q, error %v", tt.sheets, tt.want, got, err, tt.got, tt.err)
		}
	}
}

// formatKind tells date and time formats from number formats.
func TestFormatKind(t *testing.T) {
	for _, tc := range []struct {
		format string
		want   cellKind
	}{
		{"yyyy-mm-dd", kindDate},
		{"dd/mm/yyyy hh:mm", kindDate},
		{"mmm", kindDate},
		{"h:mm AM/PM", kindTimeOnly},
		{"[h]:mm:ss", kindTimeOnly},
		{"0.00", kindNumber},
		{"#,##0 \"days\"", kindNumber},
		{"[Red]0.0;[Blue]-0.0", kindNumber},
		{"0.0\\d", kindNumber},
		{"General", kindNumber},
		{"0%", kindNumber},
	} {
		if got := formatKind(tc.format); got != tc.want {
			t.Errorf("formatKind(%q) = %d, want %d", tc.format, got, tc.want)
		}
	}
}
