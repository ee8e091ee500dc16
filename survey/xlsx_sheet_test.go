package survey

import (
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func sheetXML(rows string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` + rows + `</sheetData></worksheet>`
}

func readSheetRows(xml string, shared []string) ([]numberedRow, error) {
	return readSheetRowsWith(strings.NewReader(xml), shared, 1<<20, false)
}

// readSheetRowsWith reads all rows from r, through the fast path or,
// with plain, a tag at a time. A *testChunks is read in place, as the
// reader reads a worksheet inflated ahead.
func readSheetRowsWith(r io.Reader, shared []string, maxCell int, plain bool) ([]numberedRow, error) {
	x := newXMLScanner(r)
	if c, ok := r.(*testChunks); ok {
		x = newChunkScanner(c)
	}
	s := &sheetRows{x: x, shared: shared, maxCell: maxCell, plain: plain}
	var out []numberedRow
	for {
		cells, row, err := s.next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, numberedRow{row, append([]string(nil), cells...)})
	}
}

// The tokenizer reads what Excel, LibreOffice and other writers put in a
// worksheet: shared, inline and formula strings, booleans, errors,
// entities, rich text, phonetic runs, CDATA, comments, namespace
// prefixes, '>' inside attribute values, missing cell and row references.
func TestSheetRows(t *testing.T) {
	shared := []string{"zero", "one & two"}
	for _, tc := range []struct {
		name, xml string
		want      []numberedRow
	}{
		{"types", `<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="b"><v>1</v></c><c r="C1" t="e"><v>#N/A</v></c><c r="D1" t="str"><f>A1&amp;"x"</f><v>one &amp; twox</v></c><c r="E1"><v>2.5</v></c></row>`,
			[]numberedRow{{1, []string{"one & two", "1", "#N/A", "one & twox", "2.5"}}}},
		{"inline and rich text, phonetics skipped", `<row r="2"><c r="B2" t="inlineStr"><is><r><t>Zü</t></r><r><rPr><b/></rPr><t xml:space="preserve">rich </t></r><rPh sb="0" eb="1"><t>ふり</t></rPh></is></c></row>`,
			[]numberedRow{{2, []string{"", "Zürich "}}}},
		{"entities and escapes", `<row r="3"><c r="A3" t="inlineStr"><is><t>&lt;a&gt; &#233;&#x4E2D; _x000D_end &quot;q&quot; &apos;</t></is></c></row>`,
			[]numberedRow{{3, []string{"<a> é中 \rend \"q\" '"}}}},
		{"the common cells read at once", `<row r="8"><c r="A8" t="inlineStr"><is><t>a &amp; b</t></is></c><c r="B8"><v>-1.5</v></c><c r="C8" t="s"><v>0</v></c><c r="D8" t="b"><v>0</v></c></row>`,
			[]numberedRow{{8, []string{"a & b", "-1.5", "zero", "0"}}}},
		{"no references", `<row><c><v>1</v></c><c><v>2</v></c></row><row><c t="s"><v>0</v></c></row>`,
			[]numberedRow{{1, []string{"1", "2"}}, {2, []string{"zero"}}}},
		{"prefixes, comments, CDATA, > in attributes", `<x:row r="4" x14ac:dyDescent="0.25"><!-- a > comment --><x:c r="A4" note="a>b" t="inlineStr"><x:is><x:t><![CDATA[<raw> & ]]></x:t></x:is></x:c></x:row>`,
			[]numberedRow{{4, []string{"<raw> & "}}}},
		{"empty rows and cells", `<row r="5"/><row r="6"><c r="C6" s="1"/></row><row r="7"><c r="A7"><v></v></c></row>`,
			[]numberedRow{{6, []string{"", "", ""}}, {7, []string{""}}}},
	} {
		got, err := readSheetRows(sheetXML(tc.xml), shared)
		if err != nil {
			t.Errorf("%s: error %v", tc.name, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: rows = %v, want %v", tc.name, got, tc.want)
		}
	}
	for _, bad := range []string{
		`<row r="2"><c r="A2"><v>1</v></c></row><row r="1"></row>`, // rows going back
		`<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>2</v></c></row>`,
		`<row r="1"><c r="A1" t="s"><v>7</v></c></row>`, // no such shared string
		`<row r="1"><c r="A1"><v>1</v>`,                 // truncated
		`<row r="x"></row>`,
	} {
		if _, err := readSheetRows(sheetXML(bad), shared); err == nil {
			t.Errorf("%q: no error, want one", bad)
		}
	}
}

func TestCellRef(t *testing.T) {
	for _, tc := range []struct {
		ref      string
		col, row int
		ok       bool
	}{
		{"A1", 0, 1, true}, {"ab12", 27, 12, true}, {"XFD1048576", 16383, 1048576, true},
		{"A0", 0, 0, false}, {"A", 0, 0, false}, {"1", 0, 0, false}, {"A1x", 0, 0, false},
		{"A1048577", 0, 0, false}, {"XFE1", 0, 0, false},
	} {
		col, row, ok := cellRef([]byte(tc.ref))
		if ok != tc.ok || ok && (col != tc.col || row != tc.row) {
			t.Errorf("cellRef(%q) = %d, %d, %v, want %d, %d, %v", tc.ref, col, row, ok, tc.col, tc.row, tc.ok)
		}
	}
}

func TestSharedStrings(t *testing.T) {
	xml := `<?xml version="1.0"?><sst xmlns="x" count="3"><si><t>a &amp; b</t></si><si/><si><r><t>ri</t></r><r><t>ch</t></r><rPh><t>skip</t></rPh></si></sst>`
	got, err := readSharedStrings(strings.NewReader(xml), 1<<20)
	if want := []string{"a & b", "", "rich"}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("readSharedStrings = %q, %v, want %q", got, err, want)
	}
}

// FuzzSheetRows reads any text as a worksheet: rows in increasing order,
// the fast path reading what the tag-at-a-time path reads, whether the
// text comes from a reader or in chunks read in place (their lengths
// drawn from chunks).
func FuzzSheetRows(f *testing.F) {
	f.Add(sheetXML(`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>2</v></c></row>`), uint16(3))
	f.Add(sheetXML(`<row><c t="inlineStr"><is><t>&amp;&#1;_x0041_</t></is></c></row><!-- x --><row r="9"/>`), uint16(1))
	f.Add(`<row r="4"><c r="A4" a=">"><v><![CDATA[x]]></v></c>`, uint16(0))
	f.Add(sheetXML(`<row r="1"><c r="A1" note="`+strings.Repeat("n", chunkHead+10)+`"><v>1</v></c></row>`), uint16(5000))
	f.Fuzz(func(t *testing.T, xml string, chunks uint16) {
		s := &sheetRows{x: newXMLScanner(strings.NewReader(xml)), shared: []string{"a"}, maxCell: 1 << 10}
		last := 0
		var fast []numberedRow
		for range 10000 {
			cells, row, err := s.next()
			if err != nil {
				break
			}
			if row <= last || len(cells) > 16384 {
				t.Fatalf("row %d after %d with %d cells", row, last, len(cells))
			}
			last = row
			fast = append(fast, numberedRow{row, append([]string(nil), cells...)})
		}
		if len(fast) >= 10000 {
			return
		}
		_, ferr := readSheetRowsWith(strings.NewReader(xml), []string{"a"}, 1<<10, false)
		plain, perr := readSheetRowsWith(strings.NewReader(xml), []string{"a"}, 1<<10, true)
		if (ferr == nil) != (perr == nil) || !reflect.DeepEqual(fast, plain) && len(fast)+len(plain) > 0 {
			t.Fatalf("fast path: %v, %v; plain: %v, %v", fast, ferr, plain, perr)
		}
		src := newTestChunks(t, xml, rand.New(rand.NewPCG(uint64(chunks), 1)), 1+int(chunks)%6000)
		inPlace, cerr := readSheetRowsWith(src, []string{"a"}, 1<<10, false)
		inPlace, plain = overLimit(inPlace, 1<<10), overLimit(plain, 1<<10)
		if (cerr == nil) != (perr == nil) || !reflect.DeepEqual(inPlace, plain) && len(inPlace)+len(plain) > 0 {
			t.Fatalf("in chunks: %v, %v; plain: %v, %v", inPlace, cerr, plain, perr)
		}
	})
}

// randChunkReader returns at most a few bytes per Read, so that cells
// straddle the scanner's window and its fast path must leave them to
// the tag-at-a-time path.
type randChunkReader struct {
	s   string
	rng *rand.Rand
	max int
}

func (c *randChunkReader) Read(p []byte) (int, error) {
	if c.s == "" {
		return 0, io.EOF
	}
	n := min(len(p), len(c.s), 1+c.rng.IntN(c.max))
	copy(p, c.s[:n])
	c.s = c.s[n:]
	return n, nil
}

// testChunks is a chunkSource handing out s in chunks of 1 to max bytes
// (the length of each drawn from rng). A chunk given back is overwritten
// at once, so that a scanner still reading it reads garbage; one given
// back twice, or never handed out, fails the test.
type testChunks struct {
	t   testing.TB
	s   string
	rng *rand.Rand
	max int
	out map[*byte]bool // chunks handed out and not given back
}

func newTestChunks(t testing.TB, s string, rng *rand.Rand, max int) *testChunks {
	return &testChunks{t: t, s: s, rng: rng, max: max, out: map[*byte]bool{}}
}

func (c *testChunks) Read([]byte) (int, error) { panic("testChunks is read by chunks") }

func (c *testChunks) next() ([]byte, error) {
	if c.s == "" {
		return nil, io.EOF
	}
	n := min(len(c.s), 1+c.rng.IntN(c.max))
	b := make([]byte, chunkHead+n)
	copy(b[chunkHead:], c.s[:n])
	c.s = c.s[n:]
	c.out[&b[0]] = true
	return b, nil
}

func (c *testChunks) recycle(b []byte) {
	b = b[:cap(b)]
	if !c.out[&b[0]] {
		c.t.Fatalf("chunk given back that is not out")
	}
	delete(c.out, &b[0])
	for i := range b {
		b[i] = '<'
	}
}

// randomSheet writes a worksheet of random cells in the forms writers
// use and a few they should not: numbers, shared strings (some out of
// range, blank, signed or padded), inline and rich strings, booleans,
// errors, formulas, entities, _xHHHH_ escapes, odd attribute order,
// quotes and spacing, missing references, comments and whitespace
// between cells, values over the size limit, and now and then a broken
// cell or row.
func randomSheet(rng *rand.Rand, nShared int) string {
	var b strings.Builder
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	row := 0
	for range 1 + rng.IntN(30) {
		row += 1 + rng.IntN(2)
		if rng.IntN(40) == 0 {
			row-- // rows going back: an error both paths must give
		}
		ref := fmt.Sprintf(` r="%d"`, row)
		if rng.IntN(8) == 0 {
			ref = ""
		}
		if rng.IntN(15) == 0 {
			fmt.Fprintf(&b, "<row%s/>", ref)
			continue
		}
		fmt.Fprintf(&b, `<row%s spans="1:20">`, ref)
		col := 0
		for range rng.IntN(12) {
			col += 1 + rng.IntN(3)
			if rng.IntN(60) == 0 {
				col -= 2 // columns going back
			}
			var attrs []string
			if rng.IntN(6) != 0 {
				attrs = append(attrs, fmt.Sprintf(`r=%s%s%d%s`, pick(`"`, `'`), colName(max(col, 1)), row, pick(`"`, `'`)))
			}
			typ := pick("", "", "", "s", "s", "n", "inlineStr", "str", "b", "e", "verylongtypename-xyz")
			if typ != "" {
				attrs = append(attrs, `t="`+typ+`"`)
			}
			if rng.IntN(3) == 0 {
				attrs = append(attrs, fmt.Sprintf(`s="%d"`, rng.IntN(5)))
			}
			if rng.IntN(10) == 0 {
				// The long note makes a tag that straddles chunks with
				// more than chunkHead bytes of it in the first.
				attrs = append(attrs, pick(`x14:a="1>2"`, `note='a"b'`, `r ="A1"`, `foo`, `t = "s"`, `note="`+strings.Repeat("n", chunkHead+100)+`"`))
			}
			rng.Shuffle(len(attrs), func(i, j int) { attrs[i], attrs[j] = attrs[j], attrs[i] })
			sep := pick(" ", " ", " ", "\n  ", "\t")
			tag := "c"
			if len(attrs) > 0 {
				tag += sep + strings.Join(attrs, sep)
			}
			val := pick("1", "0", "-2.5", "3E-7", "12345678901234567890", "", " 1 ", "+1",
				fmt.Sprint(rng.IntN(nShared+2)), "007", "a &amp; b", "&lt;x&gt;", "&#233;", "_x000D_", "x_y",
				"#N/A", "true", strings.Repeat("z", 40))
			switch rng.IntN(12) {
			case 0:
				fmt.Fprintf(&b, "<%s/>", tag)
			case 1:
				fmt.Fprintf(&b, "<%s></c>", tag)
			case 2:
				fmt.Fprintf(&b, "<%s><is><t>%s</t></is></c>", tag, val)
			case 3:
				fmt.Fprintf(&b, `<%s><is><r><t>%s</t></r><r><t xml:space="preserve"> %s</t></r><rPh><t>p</t></rPh></is></c>`, tag, val, val)
			case 4:
				fmt.Fprintf(&b, "<%s><f>SUM(A1:B1)</f><v>%s</v></c>", tag, val)
			case 5:
				fmt.Fprintf(&b, "<%s><v><![CDATA[%s]]></v></c>", tag, val)
			case 6:
				fmt.Fprintf(&b, "<%s>\n<v>%s</v>\n</c>", tag, val)
			case 7:
				if rng.IntN(4) == 0 {
					fmt.Fprintf(&b, "<%s><v>%s", tag, val) // a cell not closed
					break
				}
				fmt.Fprintf(&b, "<x:%s><x:v>%s</x:v></x:c>", tag, val)
			default:
				fmt.Fprintf(&b, "<%s><v>%s</v></c>", tag, val)
			}
			switch rng.IntN(20) {
			case 0:
				b.WriteString("<!-- > -->")
			case 1:
				b.WriteString("\n ")
			}
		}
		b.WriteString(pick("</row>", "</row>", "</row>", "</row >", "</x:row>"))
	}
	return sheetXML(b.String())
}

// overLimit replaces the cells longer than limit with "(over)".
func overLimit(rows []numberedRow, limit int) []numberedRow {
	for _, r := range rows {
		for k, c := range r.Cells {
			if len(c) > limit {
				r.Cells[k] = "(over)"
			}
		}
	}
	return rows
}

func colName(n int) string {
	s := ""
	for ; n > 0; n = (n - 1) / 26 {
		s = string(rune('A'+(n-1)%26)) + s
	}
	return s
}

// The fast path (scanCell) reads every generated sheet as the plain,
// tag-at-a-time path does: the same rows, and an error where it errs,
// whether the sheet comes whole or a few bytes at a time, from a reader
// or in chunks read in place.
func TestSheetRowsFastMatchesPlain(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 6))
	shared := []string{"zero", "one", "two", "three", "four", "five", "six", "seven"}
	fastCells := 0
	for i := range 3000 {
		xml := randomSheet(rng, len(shared))
		maxCell := []int{1 << 20, 16}[i%2]
		chunk := []int{1 << 30, 7, 64}[i%3]
		seed := rng.Uint64()
		fast, ferr := readSheetRowsWith(&randChunkReader{xml, rand.New(rand.NewPCG(seed, 1)), chunk}, shared, maxCell, false)
		plain, perr := readSheetRowsWith(&randChunkReader{xml, rand.New(rand.NewPCG(seed, 1)), chunk}, shared, maxCell, true)
		if (ferr == nil) != (perr == nil) || !reflect.DeepEqual(fast, plain) && len(fast)+len(plain) > 0 {
			t.Fatalf("sheet %d (maxCell %d, chunks of %d):\n%s\nfast rows = %v, %v\nwant plain %v, %v", i, maxCell, chunk, xml, fast, ferr, plain, perr)
		}
		src := newTestChunks(t, xml, rand.New(rand.NewPCG(seed, 2)), []int{1 << 30, 7, 5000}[i%3])
		inPlace, cerr := readSheetRowsWith(src, shared, maxCell, false)
		// Where a value over maxCell is cut depends on where the reads
		// end; the table refuses such a cell whatever its length.
		inPlace, plain = overLimit(inPlace, maxCell), overLimit(plain, maxCell)
		if (cerr == nil) != (perr == nil) || !reflect.DeepEqual(inPlace, plain) && len(inPlace)+len(plain) > 0 {
			t.Fatalf("sheet %d (maxCell %d, chunks read in place):\n%s\nrows = %v, %v\nwant plain %v, %v", i, maxCell, xml, inPlace, cerr, plain, perr)
		}
		if cerr == nil && len(src.out) > 1 {
			t.Fatalf("sheet %d: %d chunks held at the end, want at most the last", i, len(src.out))
		}
		for _, r := range fast {
			fastCells += len(r.Cells)
		}
	}
	if fastCells == 0 {
		t.Fatal("no cells read: the generated sheets test nothing")
	}
}
