package survey

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/xuri/excelize/v2"
)

// xlsxMemoryPartBytes is the size above which excelize unpacks a worksheet
// or the shared strings to a temporary file rather than to memory.
const xlsxMemoryPartBytes = 64 << 20

// NewXLSXReader reads a worksheet of the XLSX workbook in r, which holds
// size bytes: the first sheet, or the one named opts.Sheet (matched
// exactly, else ignoring case). Row 1 is the header, or the first
// non-empty row; Qualtrics' three header rows are detected as in
// NewCSVReader, and opts.HeaderRows applies likewise. Row numbers are the
// sheet's. Rows whose cells are all empty are skipped; short rows are
// padded with empty cells; a value right of the last header column is an
// error.
//
// Cells are read unformatted, so numbers come out as stored: 0.5, not the
// "50%" a percent format shows, and all the digits a format would round
// away. Dates are therefore Excel serial day numbers, booleans 1 and 0.
//
// Before unpacking anything, the workbook's zip directory must declare no
// more than opts.MaxUnzipBytes in total, which refuses zip bombs at once;
// every part is then checked against its declared size and checksum.
// Worksheets over 64 MiB unpack to a temporary file, removed by Close,
// and are read as a stream.
//
// Close does not close r.
func NewXLSXReader(r io.ReaderAt, size int64, name string, opts ReadOptions) (TableReader, error) {
	opts, err := opts.resolve()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return newXLSXReader(context.Background(), r, size, name, opts, nil)
}

// newXLSXReader is NewXLSXReader for resolved options; closer, if not
// nil, is closed by the reader's Close.
func newXLSXReader(ctx context.Context, r io.ReaderAt, size int64, name string, opts ReadOptions, closer io.Closer) (TableReader, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("read %s: not an XLSX workbook: %w", name, err)
	}
	if err := checkWorkbookParts(zr); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if err := checkWorkbookZip(ctx, zr, opts.MaxUnzipBytes); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	f, err := excelize.OpenReader(io.NewSectionReader(r, 0, size), excelize.Options{
		UnzipSizeLimit:    opts.MaxUnzipBytes,
		UnzipXMLSizeLimit: min(opts.MaxUnzipBytes, xlsxMemoryPartBytes),
	})
	if err != nil {
		if f != nil {
			f.Close()
		}
		return nil, fmt.Errorf("read %s: not an XLSX workbook: %w", name, err)
	}
	src := &xlsxSource{f: f, raw: excelize.Options{RawCellValue: true}}
	t, err := openSheet(ctx, src, name, opts)
	if err != nil {
		src.close()
		return nil, err
	}
	src.closer = closer
	return t, nil
}

// openSheet starts reading the chosen sheet and its header.
func openSheet(ctx context.Context, src *xlsxSource, name string, opts ReadOptions) (*table, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	sheet, err := pickSheet(src.f.GetSheetList(), opts.Sheet)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if src.rows, err = src.f.Rows(sheet); err != nil {
		return nil, fmt.Errorf("read %s sheet %q: %w", name, sheet, err)
	}
	t := &table{name: name, src: src, xlsx: true, sheet: sheet, maxCell: opts.MaxCellBytes, decimalComma: opts.DecimalComma}
	if err := t.readHeader(opts.HeaderRows); err != nil {
		return nil, err
	}
	return t, nil
}

// pickSheet returns the sheet named want ("" for the first), matched
// exactly or else ignoring case.
func pickSheet(sheets []string, want string) (string, error) {
	if len(sheets) == 0 {
		return "", errors.New("workbook has no sheets")
	}
	if want == "" {
		return sheets[0], nil
	}
	for _, s := range sheets {
		if s == want {
			return s, nil
		}
	}
	for _, s := range sheets {
		if strings.EqualFold(s, want) {
			return s, nil
		}
	}
	quoted := make([]string, len(sheets))
	for i, s := range sheets {
		quoted[i] = fmt.Sprintf("%q", s)
	}
	return "", fmt.Errorf("no sheet %q; the workbook has %s", want, strings.Join(quoted, ", "))
}

// checkWorkbookParts names what a zip archive is when it is not an XLSX
// workbook, which excelize would only report as a failed read.
func checkWorkbookParts(zr *zip.Reader) error {
	has := func(name string) bool {
		for _, f := range zr.File {
			if strings.EqualFold(strings.ReplaceAll(f.Name, "\\", "/"), name) {
				return true
			}
		}
		return false
	}
	switch {
	case has("xl/workbook.xml"):
		return nil
	case has("xl/workbook.bin"):
		return errors.New("an Excel binary workbook (.xlsb), which cannot be read: save it as .xlsx or CSV")
	case has("content.xml") && has("mimetype"):
		return errors.New("an OpenDocument file (.ods), which cannot be read: save it as .xlsx or CSV")
	}
	return errors.New("a zip archive but not an XLSX workbook (no xl/workbook.xml)")
}

// checkWorkbookZip refuses a workbook whose zip directory declares more
// than limit bytes in all, before anything is unpacked: this stops a zip
// bomb at once. It then unpacks each part to nowhere, letting archive/zip
// check it against its declared size and checksum, because excelize
// ignores a truncated or corrupt part and would read fewer rows.
func checkWorkbookZip(ctx context.Context, zr *zip.Reader, limit int64) error {
	var total uint64
	for _, f := range zr.File {
		total = addSat(total, f.UncompressedSize64)
	}
	if total > uint64(limit) {
		return fmt.Errorf("workbook would unpack to %s, over the %s unzip limit (raise it with --max-unzip-mb)", formatUnzipped(total), formatBytes(limit))
	}
	for _, f := range zr.File {
		if err := ctx.Err(); err != nil {
			return err
		}
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("workbook part %s: %w", f.Name, err)
		}
		_, err = io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return fmt.Errorf("workbook part %s is damaged: %w", f.Name, err)
		}
	}
	return nil
}

// addSat adds without wrapping around: hostile zip directories may
// declare sizes near 2^64.
func addSat(a, b uint64) uint64 {
	if a > math.MaxUint64-b {
		return math.MaxUint64
	}
	return a + b
}

func formatUnzipped(n uint64) string {
	if n > math.MaxInt64 {
		return "more than 8 EiB"
	}
	return formatBytes(int64(n))
}

// xlsxSource yields a worksheet's rows with their sheet row numbers.
type xlsxSource struct {
	f      *excelize.File
	rows   *excelize.Rows
	raw    excelize.Options
	closer io.Closer
	row    int
}

func (s *xlsxSource) next() ([]string, int, error) {
	// excelize's Next steps through every row number, yielding no cells
	// for rows absent from the sheet, so counting calls gives the row.
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return nil, s.row + 1, err
		}
		return nil, 0, io.EOF
	}
	s.row++
	cells, err := s.rows.Columns(s.raw)
	if err != nil {
		return nil, s.row, err
	}
	return cells, s.row, nil
}

func (s *xlsxSource) setWidth(int) {}

func (s *xlsxSource) close() error {
	if s.rows != nil {
		// Rows.Close reports the iteration error Next already returned,
		// or closing a read-only temporary file: nothing to add.
		_ = s.rows.Close()
	}
	err := s.f.Close() // removes excelize's temporary files
	if s.closer != nil {
		err = errors.Join(err, s.closer.Close())
	}
	if err != nil {
		return fmt.Errorf("close workbook: %w", err)
	}
	return nil
}
