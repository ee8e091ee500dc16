package survey

import (
	"io"
	"reflect"
	"strings"
	"testing"
)

func sheetXML(rows string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` + rows + `</sheetData></worksheet>`
}

func readSheetRows(xml string, shared []string) ([]numberedRow, error) {
	s := &sheetRows{x: newXMLScanner(strings.NewReader(xml)), shared: shared, maxCell: 1 << 20}
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

func TestSharedStrings(t *testing.T) {
	xml := `<?xml version="1.0"?><sst xmlns="x" count="3"><si><t>a &amp; b</t></si><si/><si><r><t>ri</t></r><r><t>ch</t></r><rPh><t>skip</t></rPh></si></sst>`
	got, err := readSharedStrings(strings.NewReader(xml), 1<<20)
	if want := []string{"a & b", "", "rich"}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("readSharedStrings = %q, %v, want %q", got, err, want)
	}
}

func FuzzSheetRows(f *testing.F) {
	f.Add(sheetXML(`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>2</v></c></row>`))
	f.Add(sheetXML(`<row><c t="inlineStr"><is><t>&amp;&#1;_x0041_</t></is></c></row><!-- x --><row r="9"/>`))
	f.Add(`<row r="4"><c r="A4" a=">"><v><![CDATA[x]]></v></c>`)
	f.Fuzz(func(t *testing.T, xml string) {
		s := &sheetRows{x: newXMLScanner(strings.NewReader(xml)), shared: []string{"a"}, maxCell: 1 << 10}
		last := 0
		for range 10000 {
			cells, row, err := s.next()
			if err != nil {
				return
			}
			if row <= last || len(cells) > 16384 {
				t.Fatalf("row %d after %d with %d cells", row, last, len(cells))
			}
			last = row
		}
	})
}
