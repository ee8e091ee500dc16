package survey

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

// failAfter returns its data, then err.
type failAfter struct {
	r   io.Reader
	err error
}

func (f *failAfter) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, f.err
	}
	return n, err
}

// csvTrace reads every record of a reader the way csvSource does and
// records what it saw: records, every field's position, and errors with
// their ParseError details.
func csvTrace(rr recordReader) []string {
	var out []string
	for k := 0; k < 1000; k++ {
		rec, err := rr.Read()
		if err == io.EOF {
			out = append(out, "EOF")
			return out
		}
		var pos []string
		if err == nil {
			for i := range rec {
				l, c := rr.FieldPos(i)
				pos = append(pos, fmt.Sprintf("%d:%d", l, c))
			}
		}
		line := fmt.Sprintf("%q %v", rec, pos)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line += fmt.Sprintf(" parse error start %d line %d col %d: %v", pe.StartLine, pe.Line, pe.Column, pe.Err)
			} else {
				line += " error " + err.Error()
			}
			out = append(out, line)
			return out
		}
		out = append(out, line)
	}
	return out
}

func compareFastCSV(t *testing.T, data []byte, comma byte, readErr error) {
	t.Helper()
	src := func() io.Reader {
		var r io.Reader = bytes.NewReader(data)
		if readErr != nil {
			r = &failAfter{r: r, err: readErr}
		}
		// A small buffer exercises lines longer than it.
		return bufio.NewReaderSize(r, 16)
	}
	std := csv.NewReader(src())
	std.Comma = rune(comma)
	std.FieldsPerRecord = -1
	std.ReuseRecord = true
	want := csvTrace(std)
	got := csvTrace(newFastCSV(src().(*bufio.Reader), comma))
	if !reflect.DeepEqual(got, want) {
		t.Errorf("fastCSV(%q, %q):\ngot  %q\nwant %q", data, comma, got, want)
	}
}

func TestFastCSVMatchesEncodingCSV(t *testing.T) {
	cases := []string{
		"a,b\n1,2\n",
		"a,b\r\n1,2\r\n",
		"a,b\n1,2",
		"a,b\n1,2\r",
		"\n\n a , b \n\n\n1,2\n\n",
		"a,\"b\nc\",d\ne,f,g\n",
		"\"a\"\"b\",c\n",
		"\"unterminated\n1,2\n",
		"a,b\"c,d\n",
		"a,\"b\"c,d\n",
		"\"a\",\"b\"\n\"\"\n",
		",,\n,\n",
		"\"x\r\ny\",z\r\n",
		"\"\"\"\",\"\"\n",
		"a,\"\n",
		"a,\"b\n\nc\"\n",
		strings.Repeat("x", 100) + "," + strings.Repeat("y", 50) + "\n\"" + strings.Repeat("z", 70) + "\"\n",
		"M\xFCller,\"Caf\xE9\"\n",
		// Delimiters at every offset of the eight-byte words splitPlain
		// reads, next to bytes one above and below them ("-" and "+" for
		// ",", which a carry-based zero test would mistake).
		"1,-2,-,+,,,--3,4,5-,6,+7,8,,,,,,,,,,,,,-,\n,,,,,,,,\n,a,bb,ccc,dddd,eeeee,ffffff,ggggggg,hhhhhhhh,\n",
		strings.Repeat("12,-", 40) + "\n" + strings.Repeat("ab;+", 40) + "\n",
	}
	for _, c := range cases {
		for _, comma := range []byte{',', ';', '\t', '|'} {
			compareFastCSV(t, []byte(c), comma, nil)
			compareFastCSV(t, []byte(strings.ReplaceAll(c, ",", string(comma))), comma, nil)
			compareFastCSV(t, []byte(c), comma, errors.New("disk on fire"))
		}
	}
}

func FuzzFastCSV(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "a;\"b\n\"\";c\"\r\n", "\"x", "a\"b,c\n", "\n\r\n,\"\",\n"} {
		f.Add([]byte(s), byte(','), false)
	}
	f.Fuzz(func(t *testing.T, data []byte, comma byte, fail bool) {
		switch comma {
		case '"', '\r', '\n', 0:
			return
		}
		if comma >= 0x80 {
			return // fastCSV is for single-byte delimiters
		}
		var err error
		if fail {
			err = errors.New("read failed")
		}
		compareFastCSV(t, data, comma, err)
	})
}
