package survey

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestReadErrorMessage(t *testing.T) {
	cause := errors.New("broken")
	tests := []struct {
		err  *ReadError
		want string
	}{
		{&ReadError{File: "a.csv", Err: cause}, "read a.csv: broken"},
		{&ReadError{File: "a.csv", Row: 7, Err: cause}, "read a.csv row 7: broken"},
		{&ReadError{File: "a.csv", Row: 7, Column: 3, Header: "q1", Err: cause}, "read a.csv row 7 column 3 (q1): broken"},
		{&ReadError{File: "a.xlsx", Row: 7, Column: 3, Header: "q1", Cell: "C7", Err: cause}, "read a.xlsx cell C7 (q1): broken"},
		{&ReadError{File: "a.xlsx", Row: 7, Column: 3, Cell: "C7", Err: cause}, "read a.xlsx cell C7: broken"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("ReadError%+v.Error() = %q, want %q", *tt.err, got, tt.want)
		}
		if !errors.Is(tt.err, cause) {
			t.Errorf("errors.Is(%v, cause) = false, want true", tt.err)
		}
	}
}

func TestErrorKinds(t *testing.T) {
	tests := []struct {
		name string
		err  error
		kind error
	}{
		{"encoding", &ReadError{File: "a.csv", Row: 3, Err: &EncodingError{Encoding: "UTF-8"}}, ErrEncoding},
		{"mixed encoding", &EncodingError{Encoding: "UTF-8", Mixed: true}, ErrEncoding},
		{"unzip", &ReadError{File: "a.xlsx", Err: &UnzipLimitError{Limit: 1 << 20, Size: 4 << 20}}, ErrUnzipLimit},
		{"decimal comma", &ProblemsError{Problems: []Problem{{Msg: "x"}, {Msg: "y", Kind: ErrDecimalComma}}}, ErrDecimalComma},
		{"wrapped problems", fmt.Errorf("load: %w", &ProblemsError{Problems: []Problem{{Kind: ErrDecimalComma}}}), ErrDecimalComma},
	}
	kinds := []error{ErrEncoding, ErrUnzipLimit, ErrDecimalComma}
	for _, tt := range tests {
		for _, k := range kinds {
			if got, want := errors.Is(tt.err, k), k == tt.kind; got != want {
				t.Errorf("%s: errors.Is(%v, %v) = %v, want %v", tt.name, tt.err, k, got, want)
			}
		}
	}
	if errors.Is(&ProblemsError{Problems: []Problem{{Msg: "x"}}}, ErrDecimalComma) {
		t.Errorf("errors.Is(problems without a kind, ErrDecimalComma) = true, want false")
	}
}

// No library message names a command-line flag: the CLI adds its hints.
func TestErrorsNameNoFlag(t *testing.T) {
	for _, err := range []error{
		&EncodingError{Encoding: "UTF-8"}, &EncodingError{Encoding: "UTF-8", Mixed: true},
		&UnzipLimitError{Limit: 1 << 20}, &UnzipLimitError{Limit: 1 << 20, Size: 1 << 30},
	} {
		if strings.Contains(err.Error(), "--") {
			t.Errorf("%T.Error() = %q, names a flag", err, err)
		}
	}
}

// failingTable is a TableReader whose Next fails with err.
type failingTable struct {
	*memTable
	err error
}

func (f *failingTable) Next() ([]string, int, error) { return nil, 0, f.err }

// Load locates a reader's error in its file once: a reader's own
// *ReadError (or other located error) is returned as it is, any other
// error wrapped in a *ReadError naming the file.
func TestLoadLocatesReaderErrors(t *testing.T) {
	cb := mustCodebook(t, `design: {weight: wt}`)
	plain := errors.New("disk on fire")
	located := &ReadError{File: "a.csv", Row: 9, Err: plain}
	damaged := &DamagedFileError{File: "a.csv", Format: "SPSS", Offset: -1, Msg: "truncated", Err: io.ErrUnexpectedEOF}
	other := &ReadError{File: "b.csv", Row: 9, Err: plain} // another file's: located again
	tests := []struct {
		err  error
		want string
	}{
		{plain, "read a.csv: disk on fire"},
		{located, "read a.csv row 9: disk on fire"},
		{damaged, damaged.Error()},
		{other, "read a.csv: read b.csv row 9: disk on fire"},
	}
	for _, tt := range tests {
		m := newMemTable(t, "a.csv", "wt\n1\n")
		_, err := Load(context.Background(), cb, []TableReader{&failingTable{m, tt.err}}, LoadOptions{})
		if err == nil || err.Error() != tt.want {
			t.Errorf("Load(reader failing with %v) = %v, want %q", tt.err, err, tt.want)
		}
		var re *ReadError
		if tt.err != damaged && (!errors.As(err, &re) || re.File != "a.csv") {
			t.Errorf("Load(reader failing with %v): errors.As *ReadError = %v, want one for a.csv", tt.err, re)
		}
		if !errors.Is(err, plain) && !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("Load(reader failing with %v) = %v, want the cause kept for errors.Is", tt.err, err)
		}
	}
}
