package survey

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

// readResult is everything a TableReader yields, for comparisons.
type readResult struct {
	Header       []string      `json:"header"`
	Labels       []string      `json:"labels"`
	DecimalComma bool          `json:"decimalComma"`
	Rows         []numberedRow `json:"rows"`
}

type numberedRow struct {
	Row   int      `json:"row"`
	Cells []string `json:"cells"`
}

func (r readResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "header %q labels %q decimalComma %v", r.Header, r.Labels, r.DecimalComma)
	for _, row := range r.Rows {
		fmt.Fprintf(&b, "\n  row %d %q", row.Row, row.Cells)
	}
	return b.String()
}

func (r readResult) equal(o readResult) bool {
	if !slices.Equal(r.Header, o.Header) || !slices.Equal(r.Labels, o.Labels) ||
		r.DecimalComma != o.DecimalComma || len(r.Rows) != len(o.Rows) {
		return false
	}
	for i := range r.Rows {
		if r.Rows[i].Row != o.Rows[i].Row || !slices.Equal(r.Rows[i].Cells, o.Rows[i].Cells) {
			return false
		}
	}
	return true
}

// readAll drains t, copying rows since Next may reuse its slice.
func readAll(t TableReader) (readResult, error) {
	res := readResult{Header: t.Header(), Labels: t.Labels(), DecimalComma: t.DecimalComma()}
	for {
		rec, row, err := t.Next()
		if err == io.EOF {
			return res, nil
		}
		if err != nil {
			return res, err
		}
		res.Rows = append(res.Rows, numberedRow{row, slices.Clone(rec)})
	}
}

// readCSV runs NewCSVReader on data and drains it.
func readCSV(data []byte, opts ReadOptions) (readResult, error) {
	tr, err := NewCSVReader(bytes.NewReader(data), "t.csv", opts)
	if err != nil {
		return readResult{}, err
	}
	defer tr.Close()
	return readAll(tr)
}

// utf16Text encodes s as UTF-16 with a byte order mark, independently of
// the x/text decoder under test.
func utf16Text(s string, order binary.AppendByteOrder) []byte {
	units := append([]uint16{0xFEFF}, utf16.Encode([]rune(s))...)
	b := make([]byte, 0, 2*len(units))
	for _, u := range units {
		b = order.AppendUint16(b, u)
	}
	return b
}

// sampleHeader and sampleRows are the small table every format encodes.
var (
	sampleHeader = []string{"id", "name", "city", "score"}
	sampleRows   = []numberedRow{
		{2, []string{"1", "Müller", "Zürich", "3.5"}},
		{3, []string{"2", "Café", "", "4"}},
		{4, []string{"3", "O'Brien", "Paris", "2.25"}},
	}
)

func sample() readResult {
	return readResult{Header: sampleHeader, Rows: sampleRows}
}

func TestNewCSVReader(t *testing.T) {
	const plain = "id,name,city,score\n1,Müller,Zürich,3.5\n2,Café,,4\n3,O'Brien,Paris,2.25\n"
	withDecimalComma := readResult{Header: sampleHeader, DecimalComma: true, Rows: []numberedRow{
		{2, []string{"1", "Müller", "Zürich", "3,5"}},
		{3, []string{"2", "Café", "", "4"}},
		{4, []string{"3", "O'Brien", "Paris", "2,25"}},
	}}
	tests := []struct {
		name string
		data []byte
		opts ReadOptions
		want readResult
	}{
		{"plain", []byte(plain), ReadOptions{}, sample()},
		{"no final newline", []byte(strings.TrimSuffix(plain, "\n")), ReadOptions{}, sample()},
		{"UTF-8 BOM", []byte("\xEF\xBB\xBF" + plain), ReadOptions{}, sample()},
		{"CRLF", []byte(strings.ReplaceAll(plain, "\n", "\r\n")), ReadOptions{}, sample()},
		{"CR only (old Mac Excel)", []byte(strings.ReplaceAll(plain, "\n", "\r")), ReadOptions{}, sample()},
		{"pipe", []byte(strings.ReplaceAll(plain, ",", "|")), ReadOptions{}, sample()},
		{"tab", []byte(strings.ReplaceAll(plain, ",", "\t")), ReadOptions{}, sample()},
		{
			"semicolon, decimal comma, Windows-1252",
			[]byte("id;name;city;score\r\n1;M\xFCller;Z\xFCrich;3,5\r\n2;Caf\xE9;;4\r\n3;O'Brien;Paris;2,25\r\n"),
			ReadOptions{}, withDecimalComma,
		},
		{
			"Windows-1252 forced although the prefix is ASCII",
			[]byte("id;name;city;score\r\n1;M\xFCller;Z\xFCrich;3,5\r\n2;Caf\xE9;;4\r\n3;O'Brien;Paris;2,25\r\n"),
			ReadOptions{Encoding: "cp1252"}, withDecimalComma,
		},
		{
			"UTF-16LE BOM, tab, CRLF (Excel Unicode text)",
			utf16Text(strings.ReplaceAll(strings.ReplaceAll(plain, ",", "\t"), "\n", "\r\n"), binary.LittleEndian),
			ReadOptions{}, sample(),
		},
		{"UTF-16BE BOM", utf16Text(plain, binary.BigEndian), ReadOptions{}, sample()},
		{
			"quoted delimiter, quote and line break",
			[]byte("id,name,city,score\n1,Müller,Zürich,3.5\n2,\"Café, \"\"Le Bon\"\"\nParis\",,4\n3,O'Brien,Paris,2.25\n"),
			ReadOptions{},
			readResult{Header: sampleHeader, Rows: []numberedRow{
				sampleRows[0],
				{3, []string{"2", "Café, \"Le Bon\"\nParis", "", "4"}},
				sampleRows[2], // row 4 although on line 5: records count, not lines
			}},
		},
		{
			"quoted CRLF line break in the last cell",
			[]byte("id,name,city,score\r\n1,Müller,Zürich,\"3.5\r\nor so\"\r\n2,Café,,4\r\n"),
			ReadOptions{},
			readResult{Header: sampleHeader, Rows: []numberedRow{
				{2, []string{"1", "Müller", "Zürich", "3.5\nor so"}},
				{3, []string{"2", "Café", "", "4"}},
			}},
		},
		{
			"blank line and empty row count as rows",
			[]byte("id,name,city,score\n1,Müller,Zürich,3.5\n\n,,,\n2,Café,,4\n"),
			ReadOptions{},
			readResult{Header: sampleHeader, Rows: []numberedRow{
				{2, []string{"1", "Müller", "Zürich", "3.5"}},
				{5, []string{"2", "Café", "", "4"}},
			}},
		},
		{
			"Cyrillic",
			[]byte("ид,имя,город\n1,Иван,Москва\n2,Мария,Санкт-Петербург\n"),
			ReadOptions{},
			readResult{Header: []string{"ид", "имя", "город"}, Rows: []numberedRow{
				{2, []string{"1", "Иван", "Москва"}},
				{3, []string{"2", "Мария", "Санкт-Петербург"}},
			}},
		},
		{
			"commas in header and decimal commas: ; still wins",
			[]byte("id;score, 1-5;city\n1;3,5;Köln\n2;4,5;Bonn\n"),
			ReadOptions{},
			readResult{Header: []string{"id", "score, 1-5", "city"}, DecimalComma: true, Rows: []numberedRow{
				{2, []string{"1", "3,5", "Köln"}},
				{3, []string{"2", "4,5", "Bonn"}},
			}},
		},
		{
			"tab, decimal commas asked for",
			[]byte("id\tname\tcity\tscore\n1\tMüller\tZürich\t3,5\n2\tCafé\t\t4\n3\tO'Brien\tParis\t2,25\n"),
			ReadOptions{DecimalComma: true},
			readResult{Header: sampleHeader, DecimalComma: true, Rows: []numberedRow{
				{2, []string{"1", "Müller", "Zürich", "3,5"}},
				{3, []string{"2", "Café", "", "4"}},
				{4, []string{"3", "O'Brien", "Paris", "2,25"}},
			}},
		},
		{
			"one column",
			[]byte("id\n1\n2\n"),
			ReadOptions{},
			readResult{Header: []string{"id"}, Rows: []numberedRow{{2, []string{"1"}}, {3, []string{"2"}}}},
		},
		{
			"forced delimiter",
			[]byte("a;b,c\n1;2,3\n4;5,6\n"),
			ReadOptions{Delimiter: ','},
			readResult{Header: []string{"a;b", "c"}, Rows: []numberedRow{{2, []string{"1;2", "3"}}, {3, []string{"4;5", "6"}}}},
		},
		{"header only", []byte("id,name,city,score\r\n"), ReadOptions{}, readResult{Header: sampleHeader}},
		{
			"Qualtrics",
			[]byte("StartDate,ResponseId,Q1,Q2_1\r\n" +
				"Start Date,Response ID,\"How concerned are you, overall?\",Trust - Banks\r\n" +
				"\"{\"\"ImportId\"\":\"\"startDate\"\",\"\"timeZone\"\":\"\"America/Denver\"\"}\",\"{\"\"ImportId\"\":\"\"_recordId\"\"}\",\"{\"\"ImportId\"\":\"\"QID1\"\"}\",\"{\"\"ImportId\"\":\"\"QID2_1\"\"}\"\r\n" +
				"2024-01-05 10:00:00,R_1,Very,4\r\n" +
				"2024-01-05 10:02:00,R_2,Not at all,2\r\n"),
			ReadOptions{},
			readResult{
				Header: []string{"StartDate", "ResponseId", "Q1", "Q2_1"},
				Labels: []string{"Start Date", "Response ID", "How concerned are you, overall?", "Trust - Banks"},
				Rows: []numberedRow{
					{4, []string{"2024-01-05 10:00:00", "R_1", "Very", "4"}},
					{5, []string{"2024-01-05 10:02:00", "R_2", "Not at all", "2"}},
				},
			},
		},
		{
			"Qualtrics layout forced off",
			[]byte("Q1\nHow?\n\"{\"\"ImportId\"\":\"\"QID1\"\"}\"\n3\n"),
			ReadOptions{HeaderRows: 1},
			readResult{Header: []string{"Q1"}, Rows: []numberedRow{
				{2, []string{"How?"}}, {3, []string{`{"ImportId":"QID1"}`}}, {4, []string{"3"}},
			}},
		},
		{
			"Qualtrics layout forced on",
			[]byte("Q1\nHow?\nanything\n3\n"),
			ReadOptions{HeaderRows: 3},
			readResult{Header: []string{"Q1"}, Labels: []string{"How?"}, Rows: []numberedRow{{4, []string{"3"}}}},
		},
		{
			"two data rows only: no Qualtrics",
			[]byte("a,b\n1,2\n3,4\n"),
			ReadOptions{},
			readResult{Header: []string{"a", "b"}, Rows: []numberedRow{{2, []string{"1", "2"}}, {3, []string{"3", "4"}}}},
		},
		{
			"SurveyMonkey",
			[]byte("Respondent ID,Which devices do you use?,,,Age\n" +
				",Phone,Laptop,Tablet,Response\n" +
				"101,Phone,,Tablet,25-34\n" +
				"102,,Laptop,,35-44\n"),
			ReadOptions{HeaderRows: 2},
			readResult{
				Header: []string{"Respondent ID", "Which devices do you use?", "Which devices do you use?_Laptop", "Which devices do you use?_Tablet", "Age"},
				Labels: []string{"", "Phone", "Laptop", "Tablet", "Response"},
				Rows: []numberedRow{
					{3, []string{"101", "Phone", "", "Tablet", "25-34"}},
					{4, []string{"102", "", "Laptop", "", "35-44"}},
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readCSV(tt.data, tt.opts)
			if err != nil {
				t.Fatalf("read %q: %v", tt.data, err)
			}
			if !got.equal(tt.want) {
				t.Errorf("read %q =\n%v\nwant\n%v", tt.data, got, tt.want)
			}
		})
	}
}

func TestNewCSVReaderErrors(t *testing.T) {
	asciiPrefix := strings.Repeat("x,y\n", sniffBytes/4+10) // longer than the encoding sniff
	tests := []struct {
		name string
		data []byte
		opts ReadOptions
		want []string // substrings of the error
	}{
		{"empty file", nil, ReadOptions{}, []string{"read t.csv: empty file"}},
		{"only a BOM", []byte("\xEF\xBB\xBF"), ReadOptions{}, []string{"read t.csv: empty file"}},
		{"only blank lines", []byte("\r\n\r\n"), ReadOptions{}, []string{"read t.csv: empty file"}},
		{"ragged row, too few", []byte("a,b,c\n1,2,3\n4,5\n"), ReadOptions{}, []string{"read t.csv row 3: 2 fields, want 3"}},
		{"ragged row, too many", []byte("a,b,c\n1,2,3\n\n4,5,6,7\n"), ReadOptions{}, []string{"read t.csv row 4: 4 fields, want 3"}},
		{"ragged label row", []byte("a,b\nA\n1,2\n"), ReadOptions{HeaderRows: 2}, []string{"read t.csv row 2: 1 fields, want 2"}},
		{"unterminated quote", []byte("a,b\n1,2\n3,\"four\n5,6\n"), ReadOptions{}, []string{"read t.csv row 3", "quoted cell is not closed"}},
		{"bare quote", []byte("a,b\n1,2 \"inch\"\n"), ReadOptions{}, []string{"read t.csv row 2", "must be quoted"}},
		{"NUL bytes", []byte("a,b\n1,\x00\x00\x002\n"), ReadOptions{}, []string{"read t.csv: binary data (NUL bytes)"}},
		{"UTF-8 with a stray byte", []byte("name\nMüller\nM\xFCller\n"), ReadOptions{}, []string{"read t.csv: text mixes UTF-8 characters with bytes that are not UTF-8"}},
		{"UTF-8 with a stray byte, encoding set", []byte("name\nMüller\nM\xFCller\n"), ReadOptions{Encoding: "utf-8"}, []string{"read t.csv row 3: invalid UTF-8"}},
		{"UTF-16 without BOM", utf16Text("a,b\n1,2\n", binary.LittleEndian)[2:], ReadOptions{}, []string{"binary data", "byte order mark"}},
		{
			"10 MB cell",
			[]byte("id,name,comment,score\n1,Ann,short,3\n2,Bob," + strings.Repeat("z", 10<<20) + ",4\n"),
			ReadOptions{},
			[]string{"read t.csv row 3 column 3 (comment): cell of 10 MiB exceeds the 1 MiB cell size limit"},
		},
		{
			"record without end",
			[]byte("id\n1\n" + strings.Repeat("z", 1<<20)),
			ReadOptions{MaxCellBytes: 1000},
			[]string{"read t.csv row 3: a record runs past", "1000 bytes cell size limit"},
		},
		{
			"header only holds a huge cell",
			[]byte(strings.Repeat("h", 2000) + "\n1\n"),
			ReadOptions{MaxCellBytes: 1000},
			[]string{"read t.csv row 1 column 1: cell of 2000 bytes exceeds"},
		},
		{
			// After UTF-8 text (not just ASCII: see TestLateWindows1252).
			"invalid UTF-8 after the sniffed prefix",
			[]byte("x,y\nZ\xC3\xBCrich,0\n" + asciiPrefix + "M\xFCller,1\n"),
			ReadOptions{},
			[]string{fmt.Sprintf("read t.csv row %d: invalid UTF-8", sniffBytes/4+13), "windows-1252"},
		},
		{"two header rows wanted", []byte("a,b\n"), ReadOptions{HeaderRows: 2}, []string{"read t.csv: file ends within its 2 header rows (after row 1)"}},
		{"header rows option", []byte("a\n1\n"), ReadOptions{HeaderRows: 4}, []string{"read t.csv: read options: 4 header rows not supported"}},
		{"encoding option", []byte("a\n1\n"), ReadOptions{Encoding: "ebcdic"}, []string{`unknown encoding "ebcdic"`}},
		{"delimiter option", []byte("a\n1\n"), ReadOptions{Delimiter: '"'}, []string{`'"' cannot be a CSV delimiter`}},
		{"negative limit", []byte("a\n1\n"), ReadOptions{MaxCellBytes: -1}, []string{"negative cell size limit"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readCSV(tt.data, tt.opts)
			if err == nil {
				t.Fatalf("read %.60q: no error, want %q", tt.data, tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("read %.60q error = %q, want it to contain %q", tt.data, err, w)
				}
			}
		})
	}
}

// TestCSVReaderStickyError checks that Next keeps failing after an error
// instead of resuming with misaligned rows.
func TestCSVReaderStickyError(t *testing.T) {
	tr, err := NewCSVReader(strings.NewReader("a,b\n1\n2,3\n"), "t.csv", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err1 := tr.Next()
	_, _, err2 := tr.Next()
	if err1 == nil || err2 == nil || err1.Error() != err2.Error() {
		t.Errorf("Next after a ragged row = %v, then %v; want the same error twice", err1, err2)
	}
}

// TestCSVReaderReusesRecord checks the promise that lets the loader read
// millions of rows without a slice per row, and that rows stay intact.
func TestCSVReaderReusesRecord(t *testing.T) {
	tr, err := NewCSVReader(strings.NewReader("a,b\n1,2\n3,4\n5,6\n7,8\n"), "t.csv", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Rows 2 and 3 were read ahead to look for Qualtrics' header rows and
	// are copies; rows 4 and 5 come straight from encoding/csv.
	for range 2 {
		tr.Next()
	}
	r1, _, _ := tr.Next()
	first := slices.Clone(r1)
	r2, _, _ := tr.Next()
	if &r1[0] != &r2[0] {
		t.Errorf("Next allocated a new record for each row; want it reused")
	}
	if !slices.Equal(first, []string{"5", "6"}) || !slices.Equal(r2, []string{"7", "8"}) {
		t.Errorf("rows 4, 5 = %q, %q; want [5 6], [7 8]", first, r2)
	}
}

func TestSniffDelimiter(t *testing.T) {
	tests := []struct {
		text     string
		complete bool
		want     rune
	}{
		{"a,b\n1,2\n", true, ','},
		{"a;b\n1,5;2,5\n", true, ';'},
		{"a\tb\tc\n1\t2\t3\n", true, '\t'},
		{"a|b\n1|2\n", true, '|'},
		{"a\n1\n", true, ','},
		{"", true, ','},
		{`"x;y",b` + "\n" + `"1;2",3` + "\n", true, ','},         // ; only inside quotes
		{"a,b;c\n1,2;3\n4,5;6\n", true, ','},                     // tie: the earlier candidate
		{"a,x;b;c\n1,5;2;3\n4;5;6\n", true, ';'},                 // consistent beats a comma on some lines
		{"a,b,c\n1,2,3\n" + "4,5", false, ','},                   // cut-off last line ignored
		{"a;b\n\n\n1;2\n", true, ';'},                            // blank lines are not records
		{"a,b,c,d\n\"multi\nline\",2,3,4\n5,6,7,8\n", true, ','}, // quoted line break
	}
	for _, tt := range tests {
		if got := sniffDelimiter([]byte(tt.text), tt.complete); got != tt.want {
			t.Errorf("sniffDelimiter(%q, %v) = %q, want %q", tt.text, tt.complete, got, tt.want)
		}
	}
}

func TestDetectEncoding(t *testing.T) {
	tests := []struct {
		data     string
		complete bool
		want     textEncoding
		bom      int
		err      bool
	}{
		{"a,b\n", true, encUTF8, 0, false},
		{"\xEF\xBB\xBFa,b\n", true, encUTF8, 3, false},
		{"\xFF\xFEa\x00", true, encUTF16LE, 0, false},
		{"\xFE\xFF\x00a", true, encUTF16BE, 0, false},
		{"M\xFCller", true, encWindows1252, 0, false},
		{"Müller", true, encUTF8, 0, false},
		{"Mü"[:2], false, encUTF8, 0, false}, // ü cut in half by the prefix
		{"Mü"[:2], true, encWindows1252, 0, false},
		{"a\x00b", true, encUTF8, 0, true},
		{"Müller, M\xFCller", true, encUTF8, 0, true}, // UTF-8 with a stray byte
		{"\xC3", true, encWindows1252, 0, false},      // Ã alone: not UTF-8
	}
	for _, tt := range tests {
		enc, bom, err := detectEncoding([]byte(tt.data), tt.complete)
		if enc != tt.want || bom != tt.bom || (err != nil) != tt.err {
			t.Errorf("detectEncoding(%q, %v) = %v, %d, %v; want %v, %d, error %v", tt.data, tt.complete, enc, bom, err, tt.want, tt.bom, tt.err)
		}
	}
}

func TestParseEncoding(t *testing.T) {
	tests := []struct {
		name string
		want textEncoding
		auto bool
		err  bool
	}{
		{"", encUTF8, true, false},
		{"UTF-8", encUTF8, false, false},
		{"utf-16le", encUTF16LE, false, false},
		{"UTF_16BE", encUTF16BE, false, false},
		{"Windows-1252", encWindows1252, false, false},
		{"latin1", encWindows1252, false, false},
		{"ISO-8859-1", encWindows1252, false, false},
		{"shift-jis", encUTF8, false, true},
	}
	for _, tt := range tests {
		enc, auto, err := parseEncoding(tt.name)
		if enc != tt.want || auto != tt.auto || (err != nil) != tt.err {
			t.Errorf("parseEncoding(%q) = %v, %v, %v; want %v, %v, error %v", tt.name, enc, auto, err, tt.want, tt.auto, tt.err)
		}
	}
}

func TestIsQualtricsImportRow(t *testing.T) {
	tests := []struct {
		rec  []string
		want bool
	}{
		{[]string{`{"ImportId":"QID1"}`, `{"ImportId":"QID2_1"}`}, true},
		{[]string{`{"ImportId":"startDate","timeZone":"America/Denver"}`, "", ` {"ImportId":"QID1"} `}, true},
		{[]string{`{"ImportId":"QID1"}`, "3"}, false},
		{[]string{`{"importId":"QID1"}`}, false}, // Qualtrics spells it ImportId
		{[]string{`{"ImportId":1}`}, false},
		{[]string{`{"ImportId":"QID1"`}, false},
		{[]string{`{"Other":"x","note":"ImportId"}`}, false},
		{[]string{"", ""}, false},
		{nil, false},
	}
	for _, tt := range tests {
		if got := isQualtricsImportRow(tt.rec); got != tt.want {
			t.Errorf("isQualtricsImportRow(%q) = %v, want %v", tt.rec, got, tt.want)
		}
	}
}

func TestSurveyMonkeyNames(t *testing.T) {
	tests := []struct {
		top, sub, want []string
	}{
		{[]string{"id", "Q1", "", ""}, []string{"", "A", "B", "C"}, []string{"id", "Q1", "Q1_B", "Q1_C"}},
		{[]string{"", "Q1"}, []string{"x", "y"}, []string{"x", "Q1"}},
		{[]string{"Q1", ""}, []string{"A", ""}, []string{"Q1", ""}},
		{[]string{"Q1", "  ", "Q2"}, []string{"a", "b", "c"}, []string{"Q1", "Q1_b", "Q2"}},
	}
	for _, tt := range tests {
		if got := surveyMonkeyNames(tt.top, tt.sub); !slices.Equal(got, tt.want) {
			t.Errorf("surveyMonkeyNames(%q, %q) = %q, want %q", tt.top, tt.sub, got, tt.want)
		}
	}
}

// TestRecordGuard checks the guard's record boundaries directly: line
// breaks inside quotes must not reset the count, those outside must.
func TestRecordGuard(t *testing.T) {
	tests := []struct {
		name   string
		chunks []string
		limit  int64
		fail   bool
	}{
		{"short records", []string{"aaaa\nbbbb\n", "cccc\n"}, 6, false},
		{"long record", []string{"aaaa", "bbbb"}, 6, true},
		{"quoted line breaks are one record", []string{"\"aa\nbb\ncc\n"}, 6, true},
		{"quotes closed before the break", []string{"\"aa\"\"b\"\nxx\n"}, 6, false},
		{"quote state carried across reads", []string{"\"aaa", "\nbbbbbb\n"}, 8, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := &recordGuard{r: &chunkReader{chunks: tt.chunks}, limit: tt.limit, maxCell: 1}
			_, err := io.ReadAll(g)
			if (err != nil) != tt.fail {
				t.Errorf("read %q with limit %d: error %v, want failure %v", tt.chunks, tt.limit, err, tt.fail)
			}
		})
	}
}

// TestUTF8Checker checks that characters cut by read boundaries pass and
// that invalid bytes fail after the valid text before them.
func TestUTF8Checker(t *testing.T) {
	tests := []struct {
		chunks []string
		want   string
		fail   bool
	}{
		{[]string{"M\xC3", "\xBCller"}, "Müller", false},
		{[]string{"\xF0", "\x9F\x98", "\x80!"}, "😀!", false},
		{[]string{"ab\xFFcd"}, "ab", true},
		{[]string{"ab", "c\xFC", "d"}, "abc", true},
		{[]string{"a\xC3"}, "a", true}, // cut off by the end of the text
		{[]string{""}, "", false},
	}
	for _, tt := range tests {
		got, err := io.ReadAll(&utf8Checker{r: &chunkReader{chunks: slices.Clone(tt.chunks)}})
		if string(got) != tt.want || (err != nil) != tt.fail {
			t.Errorf("read %q through utf8Checker = %q, %v; want %q, failure %v", tt.chunks, got, err, tt.want, tt.fail)
		}
	}
}

// chunkReader returns its chunks one Read at a time.
type chunkReader struct{ chunks []string }

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.chunks[0])
	c.chunks[0] = c.chunks[0][n:]
	if c.chunks[0] == "" {
		c.chunks = c.chunks[1:]
	}
	return n, nil
}

// TestCSVReaderReadError checks that an error from the underlying reader
// reaches the caller of Next, wrapped with the file and row.
func TestCSVReaderReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	r := io.MultiReader(strings.NewReader("a,b\n1,2\n"), errReader{boom})
	tr, err := NewCSVReader(r, "t.csv", ReadOptions{})
	if err == nil {
		_, err = readAll(tr)
	}
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "read t.csv") {
		t.Errorf("read failing input: error %v, want one wrapping %v and naming t.csv", err, boom)
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func BenchmarkCSVReader(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("id,region,q1,q2,q3,q4,q5,weight\n")
	for i := range 100000 {
		fmt.Fprintf(&buf, "%d,Europe,%d,%d,%d,%d,%d,%.4f\n", i, i%5+1, i%4+1, i%3+1, i%5+1, i%2+1, 1+float64(i%7)/10)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		tr, err := NewCSVReader(bytes.NewReader(data), "bench.csv", ReadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, _, err := tr.Next(); err != nil {
				if err != io.EOF {
					b.Fatal(err)
				}
				break
			}
		}
	}
}

// TestLateWindows1252 reads a Windows-1252 file whose first accented
// letter comes after the sniffed prefix: the text before it is ASCII, so
// the reader switches to Windows-1252 there instead of failing.
func TestLateWindows1252(t *testing.T) {
	var b strings.Builder
	b.WriteString("region;w\r\n")
	for b.Len() < 2*sniffBytes {
		b.WriteString("Nord;1\r\n")
	}
	b.WriteString("S\xfcd;2\r\n") // "Süd" in Windows-1252
	tr, err := NewCSVReader(strings.NewReader(b.String()), "late.csv", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var last []string
	for {
		rec, _, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		last = append(last[:0], rec...)
	}
	if len(last) != 2 || last[0] != "Süd" || last[1] != "2" {
		t.Errorf("last record = %q, want [Süd 2]", last)
	}
	// After UTF-8 text, an invalid byte is still an error.
	bad := "region;w\r\nZürich;1\r\n" + strings.Repeat("Nord;1\r\n", 2*sniffBytes/8) + "S\xfcd;2\r\n"
	tr, err = NewCSVReader(strings.NewReader(bad), "bad.csv", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var rerr error
	for rerr == nil {
		_, _, rerr = tr.Next()
	}
	var re *ReadError
	if !errors.Is(rerr, ErrEncoding) || !errors.As(rerr, &re) || re.File != "bad.csv" || re.Row != 2*sniffBytes/8+3 {
		t.Errorf("mixed UTF-8 and Windows-1252: error %v, want an ErrEncoding *ReadError in bad.csv row %d", rerr, 2*sniffBytes/8+3)
	}
}
