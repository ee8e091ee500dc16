package survey

import (
	"errors"
	"fmt"
	"strings"
)

// Errors are typed so that a caller decides by kind, never by message:
// errors.Is with the sentinels below, errors.As with the types for the
// file, row and column. The messages say what is wrong in the file; they
// name no command-line flag (the command line adds its own hints).

var (
	// ErrEncoding is the kind of text that is not in the encoding it is
	// read in (ReadOptions.Encoding): errors.Is holds for an
	// *EncodingError.
	ErrEncoding = errors.New("text encoding")
	// ErrUnzipLimit is the kind of a workbook over the unzip limit
	// (ReadOptions.MaxUnzipBytes): errors.Is holds for an
	// *UnzipLimitError.
	ErrUnzipLimit = errors.New("unzip limit")
	// ErrDecimalComma is the Kind of a Problem about a number written with
	// a decimal comma ("1,5") in a file read without decimal commas
	// (ReadOptions.DecimalComma, Codebook.DecimalComma). errors.Is holds
	// for a *ProblemsError with such a problem.
	ErrDecimalComma = errors.New("decimal comma")
)

// ReadError locates a failure to read a data file.
type ReadError struct {
	File string // the file's name as given
	// Row is the row as a spreadsheet shows it (header row 1); 0 when the
	// error is not about one row.
	Row int
	// Column is the 1-based column; 0 when the error is not about one
	// cell. Header is that column's header, "" if none; Cell its
	// spreadsheet reference in a workbook ("C7"), "" in text.
	Column int
	Header string
	Cell   string
	Err    error
}

func (e *ReadError) Error() string {
	var b strings.Builder
	b.WriteString("read ")
	b.WriteString(e.File)
	switch {
	case e.Cell != "":
		b.WriteString(" cell " + e.Cell)
	case e.Row > 0:
		fmt.Fprintf(&b, " row %d", e.Row)
		if e.Column > 0 {
			fmt.Fprintf(&b, " column %d", e.Column)
		}
	}
	if e.Header != "" {
		fmt.Fprintf(&b, " (%s)", e.Header)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *ReadError) Unwrap() error { return e.Err }

// readErr returns err located in file (and row, if not 0), unless it is
// located in file already.
func readErr(file string, row int, err error) error {
	if namesFile(err, file) {
		return err
	}
	return &ReadError{File: file, Row: row, Err: err}
}

// namesFile reports whether err, or an error it wraps, is located in
// file: such an error needs no "read file:" of its own.
func namesFile(err error, file string) bool {
	var re *ReadError
	var de *DamagedFileError
	var ue *UnsupportedFormatError
	switch {
	case errors.As(err, &re):
		return re.File == file
	case errors.As(err, &de):
		return de.File == file
	case errors.As(err, &ue):
		return ue.File == file
	}
	return false
}

// EncodingError is text that is not valid in the encoding it is read in.
type EncodingError struct {
	Encoding string // the encoding read in, such as "UTF-8"
	// Mixed says that the text holds valid UTF-8 characters among bytes
	// that are not (a file edited in two encodings), so that no encoding
	// reads it whole.
	Mixed bool
}

func (e *EncodingError) Error() string {
	if e.Mixed {
		return "text mixes UTF-8 characters with bytes that are not UTF-8: set the encoding (utf-8 to find the bad row, or windows-1252)"
	}
	return fmt.Sprintf("invalid %s text: set the file's encoding (windows-1252, utf-16le, utf-16be) if it is not %s", e.Encoding, e.Encoding)
}

// Is makes errors.Is(err, ErrEncoding) true.
func (e *EncodingError) Is(target error) bool { return target == ErrEncoding }

// UnzipLimitError is a workbook that would unpack to more than the unzip
// limit (a zip bomb, or a workbook larger than allowed).
type UnzipLimitError struct {
	Limit int64 // bytes
	// Size is what the workbook would unpack to; 0 when only its
	// compressed size is known to be over the limit.
	Size uint64
	// Piped names the format of a file read from a pipe, which must fit
	// the limit in memory (a Parquet file); "" for a workbook.
	Piped string
}

func (e *UnzipLimitError) Error() string {
	if e.Piped != "" {
		return fmt.Sprintf("a %s file read from a pipe must fit the %s unzip limit; give its path instead", e.Piped, formatBytes(e.Limit))
	}
	if e.Size == 0 {
		return fmt.Sprintf("workbook larger than the %s unzip limit", formatBytes(e.Limit))
	}
	return fmt.Sprintf("workbook would unpack to %s, over the %s unzip limit", formatUnzipped(e.Size), formatBytes(e.Limit))
}

// Is makes errors.Is(err, ErrUnzipLimit) true.
func (e *UnzipLimitError) Is(target error) bool { return target == ErrUnzipLimit }

// Is makes errors.Is(err, kind) true when one of the problems has that
// Kind (ErrDecimalComma, …).
func (e *ProblemsError) Is(target error) bool {
	for _, p := range e.Problems {
		if p.Kind != nil && p.Kind == target {
			return true
		}
	}
	return false
}
