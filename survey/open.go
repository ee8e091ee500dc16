package survey

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode/utf8"
)

// Default limits for ReadOptions fields left zero.
const (
	// DefaultMaxCellBytes caps one cell: 1 MiB, far above any survey answer
	// but small enough that a corrupt file cannot exhaust memory in a cell.
	DefaultMaxCellBytes = 1 << 20
	// DefaultMaxUnzipBytes caps the total uncompressed size of an XLSX
	// workbook: 512 MiB, room for Excel's maximum of 1,048,576 rows of a
	// typical survey while refusing zip bombs.
	DefaultMaxUnzipBytes = 512 << 20
	// DefaultMaxColumns caps the columns of a table: Excel's own maximum
	// (16,384, column XFD), so any export a spreadsheet can hold is read,
	// while a runaway header cannot make every later row huge.
	DefaultMaxColumns = 16384
	// DefaultMaxRecordBytes caps one CSV record (one row, all its cells):
	// 16 MiB, a thousand times a long row of a wide export, small enough
	// that a file without line breaks cannot exhaust memory.
	DefaultMaxRecordBytes = 16 << 20
)

// ErrLimit is wrapped by the error for input beyond a size limit of
// ReadOptions (a *LimitError says which).
var ErrLimit = errors.New("size limit exceeded")

// LimitError is input beyond one of ReadOptions' limits, inside a
// *ReadError that names the file and row: what was too large, how large
// it was (0 when not known: a record still not ended at the limit) and
// the limit. It wraps ErrLimit.
type LimitError struct {
	What  string // "columns" or "record bytes"
	Got   int64
	Limit int64
}

func (e *LimitError) Error() string {
	switch e.What {
	case "columns":
		return fmt.Sprintf("%d columns, more than the limit of %d", e.Got, e.Limit)
	default:
		return fmt.Sprintf("a row runs past %s without ending (the limit on one row's size): a line break missing, or a quote never closed", formatBytes(e.Limit))
	}
}

func (e *LimitError) Unwrap() error { return ErrLimit }

// ReadOptions controls how OpenTable, NewCSVReader and NewXLSXReader read a
// file. The zero value detects everything and applies the default limits.
type ReadOptions struct {
	// Sheet names the XLSX worksheet to read; "" means the first sheet.
	Sheet string
	// HeaderRows is the number of header rows. 0 detects: three for a
	// Qualtrics export (names, question texts, import ids), else one.
	// 1 forces one; 2 reads SurveyMonkey's two-row header (names, then
	// answer options); 3 forces the Qualtrics layout.
	HeaderRows int
	// Stdin is read when the path given to OpenTable is "-".
	Stdin io.Reader
	// Encoding forces the text encoding of CSV input: "utf-8", "utf-16le",
	// "utf-16be" or "windows-1252" (also "cp1252"; "latin1" and
	// "iso-8859-1" are read as windows-1252, as browsers do). "" detects.
	Encoding string
	// Delimiter forces the CSV field separator; 0 detects among ',', ';',
	// TAB and '|'.
	Delimiter rune
	// MaxCellBytes caps one cell's size in bytes of UTF-8; 0 means
	// DefaultMaxCellBytes.
	MaxCellBytes int
	// Progress, when not nil, is called with the number of bytes of each
	// read from a CSV file or standard input (an XLSX workbook is read at
	// random places): a progress bar for large files can add them up
	// against the file's size. It may be called from another goroutine
	// than the one reading records.
	Progress func(n int64)
	// DecimalComma reads numbers written with a decimal comma (1,5 for
	// 1.5; a single comma and no point) in any file: files separated by
	// ';' are read so anyway, being what spreadsheets write where the
	// comma is the decimal separator. Not for files whose numbers have
	// thousands separators (1,500).
	DecimalComma bool
	// MaxUnzipBytes caps the total uncompressed size of an XLSX workbook,
	// as declared in its zip directory, in bytes; 0 means
	// DefaultMaxUnzipBytes. The command line sets it with --max-unzip-mb.
	MaxUnzipBytes int64
	// MaxColumns caps the columns of a table; 0 means DefaultMaxColumns.
	MaxColumns int
	// MaxRecordBytes caps one CSV record's size in bytes of UTF-8 text;
	// 0 means DefaultMaxRecordBytes.
	MaxRecordBytes int64
}

// resolve fills in defaults and checks the options.
func (o ReadOptions) resolve() (ReadOptions, error) {
	if o.MaxCellBytes < 0 {
		return o, fmt.Errorf("read options: negative cell size limit %d", o.MaxCellBytes)
	}
	if o.MaxUnzipBytes < 0 {
		return o, fmt.Errorf("read options: negative unzip size limit %d", o.MaxUnzipBytes)
	}
	if o.MaxColumns < 0 || o.MaxRecordBytes < 0 {
		return o, fmt.Errorf("read options: negative column or record limit")
	}
	if o.MaxColumns == 0 {
		o.MaxColumns = DefaultMaxColumns
	}
	if o.MaxRecordBytes == 0 {
		o.MaxRecordBytes = DefaultMaxRecordBytes
	}
	if o.MaxCellBytes == 0 {
		o.MaxCellBytes = DefaultMaxCellBytes
	}
	if o.MaxUnzipBytes == 0 {
		o.MaxUnzipBytes = DefaultMaxUnzipBytes
	}
	if o.HeaderRows < 0 || o.HeaderRows > 3 {
		return o, fmt.Errorf("read options: %d header rows not supported (want 1, 2 for SurveyMonkey, 3 for Qualtrics, or 0 to detect)", o.HeaderRows)
	}
	if d := o.Delimiter; d != 0 && (d == '"' || d == '\r' || d == '\n' || d == utf8.RuneError || !utf8.ValidRune(d)) {
		return o, fmt.Errorf("read options: %q cannot be a CSV delimiter", d)
	}
	if _, _, err := parseEncoding(o.Encoding); err != nil {
		return o, err
	}
	return o, nil
}

// File signatures used to decide a file's format by content.
const (
	zipMagic = "PK\x03\x04"
	// emptyZipMagic starts a zip with no entries: a workbook it cannot be,
	// but it is still a zip and should be named as one.
	emptyZipMagic = "PK\x05\x06"
	// oleMagic starts legacy .xls workbooks and password-protected .xlsx
	// files, which Excel wraps in an OLE container.
	oleMagic = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
	// magicBytes is how much of a file's start decides its format.
	magicBytes = 64
)

// OpenTable opens a survey export for reading: path "-" reads opts.Stdin.
// The format is decided by content, not by name: a zip archive is read as
// an XLSX workbook (NewXLSXReader), an SPSS system file ($FL2, $FL3) with
// NewSAVReader, a Parquet file (PAR1) with NewParquetReader, a format
// recognised but not read (Stata, SAS, JSON, PDF, …) is refused with an
// *UnsupportedFormatError, and anything else is read as delimited text
// (NewCSVReader). A name that contradicts the content is an error rather
// than a guess: a .xlsx file that is not a zip, or a .csv/.tsv/.txt file
// that is. Legacy .xls and password-protected workbooks are refused with
// advice to save them as .xlsx or CSV.
//
// Cancelling ctx makes later reads from the file fail with ctx's error.
// The caller closes the returned reader.
func OpenTable(ctx context.Context, path string, opts ReadOptions) (TableReader, error) {
	opts, err := opts.resolve()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if path == "-" {
		if opts.Stdin == nil {
			return nil, errors.New("open -: no standard input to read")
		}
		return openStream(ctx, ctxReader{ctx: ctx, r: opts.Stdin, progress: opts.Progress}, "-", opts, nil)
	}

	info, err := os.Stat(path)
	if err != nil {
		return nil, pathError(path, err)
	}
	if info.IsDir() {
		return nil, fmt.Errorf("open %s: is a directory, not a data file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, pathError(path, err)
	}
	var t TableReader
	if info.Mode().IsRegular() {
		t, err = openFile(ctx, f, info.Size(), path, opts)
	} else {
		// Pipes and devices (e.g. the shell's <(...)) cannot be read at
		// random offsets; treat them like standard input.
		t, err = openStream(ctx, ctxReader{ctx: ctx, r: f, progress: opts.Progress}, path, opts, f)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return t, nil
}

// openFile opens a regular file, which an XLSX reader can read in place.
func openFile(ctx context.Context, f *os.File, size int64, path string, opts ReadOptions) (TableReader, error) {
	var magic [magicBytes]byte
	n, err := f.ReadAt(magic[:], 0)
	if err != nil && err != io.EOF {
		return nil, &ReadError{File: path, Err: err}
	}
	if err := checkKind(magic[:n], path); err != nil {
		return nil, err
	}
	if isZip(magic[:n]) {
		return newXLSXReader(ctx, f, size, path, opts, f)
	}
	if isSAV(magic[:n]) {
		return newSAVReader(ctx, ctxReader{ctx: ctx, r: f, progress: opts.Progress}, path, opts, f)
	}
	if isParquet(magic[:n]) {
		return newParquetReader(ctx, ctxReaderAt{ctx: ctx, r: f}, size, path, opts, f)
	}
	t, err := newCSVReader(ctxReader{ctx: ctx, r: f, progress: opts.Progress}, path, opts, f)
	if tb, ok := t.(*table); ok && tb.bytesPerRow > 0 {
		tb.rowsHint = int(float64(size)/tb.bytesPerRow) + 1
	}
	return t, err
}

// openStream opens a reader that can only be read forward.
func openStream(ctx context.Context, r io.Reader, name string, opts ReadOptions, closer io.Closer) (TableReader, error) {
	br := bufio.NewReaderSize(r, sniffBytes)
	magic, err := br.Peek(magicBytes)
	if err != nil && err != io.EOF {
		return nil, &ReadError{File: name, Err: err}
	}
	if err := checkKind(magic, name); err != nil {
		return nil, err
	}
	if isSAV(magic) {
		return newSAVReader(ctx, br, name, opts, closer)
	}
	if isParquet(magic) {
		// Parquet's footer is at its end: the file must be in memory.
		data, err := io.ReadAll(io.LimitReader(br, opts.MaxUnzipBytes+1))
		if err != nil {
			return nil, &ReadError{File: name, Err: err}
		}
		if int64(len(data)) > opts.MaxUnzipBytes {
			return nil, &ReadError{File: name, Err: &UnzipLimitError{Limit: opts.MaxUnzipBytes, Piped: "Parquet"}}
		}
		if closer != nil {
			if err := closer.Close(); err != nil {
				return nil, &ReadError{File: name, Err: err}
			}
		}
		return newParquetReader(ctx, bytes.NewReader(data), int64(len(data)), name, opts, nil)
	}
	if !isZip(magic) {
		return newCSVReader(br, name, opts, closer)
	}
	// A zip's directory is at its end, so the workbook is spooled to a
	// temporary file (never held in memory), removed when the reader is
	// closed; its compressed size cannot usefully exceed the unzip limit.
	spool, err := os.CreateTemp("", "trustgap-stdin-*.xlsx")
	if err != nil {
		return nil, &ReadError{File: name, Err: err}
	}
	sp := &spoolFile{f: spool}
	n, err := io.Copy(spool, io.LimitReader(br, opts.MaxUnzipBytes+1))
	if err != nil {
		sp.Close()
		return nil, &ReadError{File: name, Err: err}
	}
	if n > opts.MaxUnzipBytes {
		sp.Close()
		return nil, &ReadError{File: name, Err: &UnzipLimitError{Limit: opts.MaxUnzipBytes}}
	}
	if closer != nil {
		if err := closer.Close(); err != nil {
			sp.Close()
			return nil, &ReadError{File: name, Err: err}
		}
	}
	t, err := newXLSXReader(ctx, spool, n, name, opts, sp)
	if err != nil {
		sp.Close()
		return nil, err
	}
	return t, nil
}

// spoolFile is a temporary file that Close removes.
type spoolFile struct {
	f    *os.File
	once sync.Once
	err  error
}

func (s *spoolFile) Close() error {
	s.once.Do(func() {
		s.err = s.f.Close()
		if err := os.Remove(s.f.Name()); err != nil && s.err == nil {
			s.err = err
		}
	})
	return s.err
}

// pathError words a failed stat or open as "open PATH: REASON", keeping
// the cause (fs.ErrNotExist, fs.ErrPermission) for errors.Is.
func pathError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("open %s: %w", path, err)
}

func isZip(magic []byte) bool {
	return bytes.HasPrefix(magic, []byte(zipMagic)) || bytes.HasPrefix(magic, []byte(emptyZipMagic))
}

// checkKind refuses content that its name or nature says cannot be read.
func checkKind(magic []byte, name string) error {
	ext := strings.ToLower(filepath.Ext(name))
	if !isSAV(magic) && !isZip(magic) {
		if format, advice := sniffUnsupported(magic, ext); format != "" {
			return &UnsupportedFormatError{File: name, Format: format, Advice: advice}
		}
	}
	switch {
	case !isParquet(magic) && ext == ".parquet":
		return &ReadError{File: name, Err: errors.New("not a Parquet file (no PAR1 signature)")}
	case !isSAV(magic) && (ext == ".sav" || ext == ".zsav"):
		return &ReadError{File: name, Err: errors.New("not an SPSS system file (no $FL2 or $FL3 signature; if it is CSV text, rename it .csv)")}
	case bytes.HasPrefix(magic, []byte(oleMagic)):
		return &ReadError{File: name, Err: errors.New("a legacy .xls or password-protected workbook, which cannot be read: save it as .xlsx (without password) or CSV")}
	case isZip(magic) && (ext == ".csv" || ext == ".tsv" || ext == ".txt" || ext == ".tab"):
		return &ReadError{File: name, Err: fmt.Errorf("a zip archive, not %s text (an Excel workbook? rename it .xlsx)", strings.ToUpper(ext[1:]))}
	case !isZip(magic) && (ext == ".xlsx" || ext == ".xlsm"):
		return &ReadError{File: name, Err: errors.New("not an XLSX workbook (no zip signature; if it is CSV text, rename it .csv)")}
	}
	return nil
}

// ctxReader fails reads once ctx is done, so cancelling stops a long read
// at the next buffer refill without the reader itself polling.
type ctxReader struct {
	ctx      context.Context
	r        io.Reader
	progress func(n int64) // ReadOptions.Progress
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(p)
	if c.progress != nil && n > 0 {
		c.progress(int64(n))
	}
	return n, err
}

// ctxReaderAt fails reads once ctx is done (see ctxReader).
type ctxReaderAt struct {
	ctx context.Context
	r   io.ReaderAt
}

func (c ctxReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.ReadAt(p, off)
}

// formatBytes renders a size limit the way a user sets it.
func formatBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
