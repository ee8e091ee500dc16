package survey

import (
	"archive/zip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

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
// away; booleans are 1 and 0. A column whose first number (below the
// first row, within the sheet's first 1,000 rows) has a date or time
// format gives its numbers as ISO text, as a CSV export writes them:
// "2024-01-05", "2024-01-05 13:30:00" or "13:30:00" (Excel keeps them as
// serial day numbers).
//
// Before unpacking anything, the workbook's zip directory must declare no
// more than opts.MaxUnzipBytes in total, which refuses zip bombs at once;
// every part is then checked against its declared size and checksum (the
// worksheet as it is read: a damaged sheet fails at its end). The
// worksheet's XML is streamed from the zip through a small tokenizer
// (xlsx_sheet.go), inflated ahead in a goroutine of its own
// (xlsx_inflate.go), so memory holds a few chunks of the sheet, one row
// and the shared strings, whatever the sheet's size; formulas give their
// cached values. A value longer than opts.MaxCellBytes as stored (before
// its entities are decoded) is refused.
//
// Close does not close r.
func NewXLSXReader(r io.ReaderAt, size int64, name string, opts ReadOptions) (TableReader, error) {
	opts, err := opts.resolve()
	if err != nil {
		return nil, &ReadError{File: name, Err: err}
	}
	return newXLSXReader(context.Background(), r, size, name, opts, nil)
}

// newXLSXReader is NewXLSXReader for resolved options; closer, if not
// nil, is closed by the reader's Close.
func newXLSXReader(ctx context.Context, r io.ReaderAt, size int64, name string, opts ReadOptions, closer io.Closer) (TableReader, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, &ReadError{File: name, Err: fmt.Errorf("not an XLSX workbook: %w", err)}
	}
	zr.RegisterDecompressor(zip.Deflate, newInflater)
	if err := checkWorkbookParts(zr); err != nil {
		return nil, &ReadError{File: name, Err: err}
	}
	if err := checkUnzipTotal(zr, opts.MaxUnzipBytes); err != nil {
		return nil, &ReadError{File: name, Err: err}
	}
	info, err := readWorkbookInfo(zr)
	if err != nil {
		return nil, &ReadError{File: name, Err: err}
	}
	t, err := openSheet(ctx, zr, info, name, opts)
	if err != nil {
		return nil, err
	}
	t.src.(*xlsxSource).closer = closer
	return t, nil
}

// openSheet starts reading the chosen sheet and its header: the shared
// strings in memory, the sheet's XML streamed from the zip.
func openSheet(ctx context.Context, zr *zip.Reader, info *workbookInfo, name string, opts ReadOptions) (*table, error) {
	if err := ctx.Err(); err != nil {
		return nil, &ReadError{File: name, Err: err}
	}
	sheet, err := pickSheet(info.sheets, opts.Sheet)
	if err != nil {
		return nil, &ReadError{File: name, Err: err}
	}
	part := info.parts[sheet]
	if part == nil {
		return nil, &ReadError{File: name, Err: fmt.Errorf("not an XLSX workbook: sheet %q has no worksheet part", sheet)}
	}
	// The sheet itself is checked as it streams (archive/zip compares its
	// size and checksum at the end), the other parts now.
	if err := verifyParts(ctx, zr, part); err != nil {
		return nil, &ReadError{File: name, Err: err}
	}
	var shared []string
	if info.shared != nil {
		rc, err := info.shared.Open()
		if err != nil {
			return nil, &ReadError{File: name, Err: fmt.Errorf("workbook part %s: %w", info.shared.Name, err)}
		}
		shared, err = readSharedStrings(ctxReader{ctx: ctx, r: rc}, opts.MaxCellBytes)
		rc.Close()
		if err != nil {
			return nil, &ReadError{File: name, Err: fmt.Errorf("workbook part %s is damaged: %w", info.shared.Name, err)}
		}
	}
	rc, err := part.Open()
	if err != nil {
		return nil, &ReadError{File: name, Err: fmt.Errorf("workbook part %s: %w", part.Name, err)}
	}
	src := &xlsxSource{part: part.Name, rc: rc, date1904: info.date1904}
	src.inflate = startInflate(ctx, ctxReader{ctx: ctx, r: rc}, part.UncompressedSize64)
	src.rows = &sheetRows{x: newChunkScanner(src.inflate), shared: shared, maxCell: opts.MaxCellBytes}
	src.kind = dateColumns(part, info.styleKind)
	t := &table{name: name, src: src, xlsx: true, sheet: sheet, maxCell: opts.MaxCellBytes, maxColumns: opts.MaxColumns, decimalComma: opts.DecimalComma}
	if err := t.readHeader(opts.HeaderRows); err != nil {
		src.close()
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
	has := func(name string) bool { return zipEntry(zr, name) != nil }
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

// checkUnzipTotal refuses a workbook whose zip directory declares more
// than limit bytes in all, before anything is unpacked: this stops a zip
// bomb at once (a part that unpacks to more than it declares is an error
// of archive/zip when read).
func checkUnzipTotal(zr *zip.Reader, limit int64) error {
	var total uint64
	for _, f := range zr.File {
		total = addSat(total, f.UncompressedSize64)
	}
	if total > uint64(limit) {
		return &UnzipLimitError{Limit: limit, Size: total}
	}
	return nil
}

// verifyParts unpacks each part but skip to nowhere, letting archive/zip
// check it against its declared size and checksum: a truncated or
// corrupt part is refused rather than read as fewer rows.
func verifyParts(ctx context.Context, zr *zip.Reader, skip *zip.File) error {
	for _, f := range zr.File {
		if err := ctx.Err(); err != nil {
			return err
		}
		if f == skip || strings.HasSuffix(f.Name, "/") {
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
	part    string // the worksheet's part name, for messages
	rc      io.ReadCloser
	inflate *inflateAhead // reads rc ahead for rows
	drained bool          // the part has been read to its end
	rows    *sheetRows
	closer  io.Closer

	// kind[c] is what column c's numbers are (see dateColumns); date1904
	// is the workbook's date system.
	kind     []cellKind
	date1904 bool
}

// cellKind is what a column's numbers are.
type cellKind int8

const (
	kindNumber   cellKind = iota
	kindDate              // a day, maybe with a time of day
	kindTimeOnly          // a time of day
)

func (s *xlsxSource) next() ([]string, int, error) {
	cells, row, err := s.rows.next()
	if err == io.EOF && !s.drained {
		// The sheet's data ends before its part does: the rest is read
		// too, so that archive/zip checks the part's size and checksum.
		s.drained = true
		err = s.inflate.drain()
		if err == nil {
			err = io.EOF
		}
	}
	if err != nil {
		if err == io.EOF {
			return nil, 0, io.EOF
		}
		if errors.Is(err, errXML) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, row, fmt.Errorf("workbook part %s: %w", s.part, err) // not damaged
		}
		return nil, row, fmt.Errorf("workbook part %s is damaged: %w", s.part, err)
	}
	if len(s.kind) > 0 {
		s.formatDates(cells)
	}
	return cells, row, nil
}

// formatDates writes the numbers of date and time columns as ISO text.
func (s *xlsxSource) formatDates(cells []string) {
	for c, v := range cells[:min(len(cells), len(s.kind))] {
		k := s.kind[c]
		if k != kindDate && k != kindTimeOnly || v == "" {
			continue
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			continue // text
		}
		t, err := excelize.ExcelDateToTime(x, s.date1904)
		if err != nil {
			continue // out of Excel's range: left as stored
		}
		t = t.Round(time.Second)
		switch {
		case k == kindTimeOnly:
			cells[c] = t.Format("15:04:05")
		case t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0:
			cells[c] = t.Format("2006-01-02")
		default:
			cells[c] = t.Format("2006-01-02 15:04:05")
		}
	}
}

// dateColumnRows is how many of a sheet's first rows dateColumns reads.
const dateColumnRows = 1000

// dateColumns returns what each column of the sheet's numbers are, from
// the number format of its first number below the first row: the
// worksheet's XML is read as a stream up to dateColumnRows rows (excelize
// would unpack the whole sheet to give one cell's style). Nil when the
// sheet has no date or time column, or cannot be found.
func dateColumns(part *zip.File, styleKind func(int) cellKind) []cellKind {
	rc, err := part.Open()
	if err != nil {
		return nil
	}
	defer rc.Close()
	styles := map[int]int{} // column → style index of its first number
	// The sheet's own tokenizer, not encoding/xml, which costs as much
	// for these rows as the fast path does for a 20,000-row sheet.
	x := newXMLScanner(rc)
	rows, firstRow := 0, 0
	var col, style int
	inCell, number := false, false
	for rows <= dateColumnRows {
		if _, err := x.text(nil, false, 0); err != nil {
			break
		}
		if err := x.readTag(); err != nil || len(x.tag) == 0 {
			break
		}
		t := x.tag
		if t[0] == '?' || t[0] == '!' {
			continue
		}
		name, end, empty := tagName(t)
		switch string(name) {
		case "row":
			if !end {
				rows++
			}
		case "c":
			if end {
				inCell = false
				continue
			}
			inCell, number, col, style = !empty, true, -1, 0
			if r, ok := attr(t, "r"); ok {
				if c, row, ok := cellRef(r); ok {
					col = c
					if firstRow == 0 {
						firstRow = row
					}
					number = row > firstRow
				}
			}
			if v, ok := attr(t, "s"); ok {
				style, _ = strconv.Atoi(string(v))
			}
			if v, ok := attr(t, "t"); ok {
				number = number && string(v) == "n"
			}
		case "v":
			if !end && inCell && number && col >= 0 {
				if _, seen := styles[col]; !seen {
					styles[col] = style
				}
			}
		}
	}
	var kind []cellKind
	byStyle := map[int]cellKind{}
	for c, st := range styles {
		k, ok := byStyle[st]
		if !ok {
			k = styleKind(st)
			byStyle[st] = k
		}
		if k == kindNumber {
			continue
		}
		for len(kind) <= c {
			kind = append(kind, kindNumber)
		}
		kind[c] = k
	}
	return kind
}

// cellRef reads a cell reference like "AB12": its column (0-based) and
// row (1-based).
func cellRef(ref []byte) (col, row int, ok bool) {
	col, ok = cellColumn(ref)
	if !ok {
		return 0, 0, false
	}
	i := 0
	for i < len(ref) && (ref[i]|0x20) >= 'a' && (ref[i]|0x20) <= 'z' {
		i++
	}
	if i == len(ref) || len(ref)-i > 7 {
		return 0, 0, false
	}
	for _, c := range ref[i:] {
		if c < '0' || c > '9' {
			return 0, 0, false
		}
		row = row*10 + int(c-'0')
	}
	return col, row, row >= 1 && row <= 1<<20
}

// zipEntry returns the part named name (case and slashes as Excel may
// vary them), or nil.
func zipEntry(zr *zip.Reader, name string) *zip.File {
	for _, f := range zr.File {
		if strings.EqualFold(strings.ReplaceAll(f.Name, "\\", "/"), name) {
			return f
		}
	}
	return nil
}

// decodePart unmarshals the XML part named name into v.
func decodePart(zr *zip.Reader, name string, v any) error {
	f := zipEntry(zr, name)
	if f == nil {
		return fmt.Errorf("no %s", name)
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(rc).Decode(v)
}

// formatKind reads a custom number format: with a year or day it is a
// date, with hours or seconds (and no day) a time; months alone ("mmm")
// are a date. Quoted text, escaped characters and [bracketed] parts
// (colours, conditions, elapsed hours) are skipped first. Written by
// hand: excelize formats values but does not say which formats are dates.
func formatKind(f string) cellKind {
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		switch c := f[i]; c {
		case '"':
			j := strings.IndexByte(f[i+1:], '"')
			if j < 0 {
				i = len(f)
			} else {
				i += j + 1
			}
		case '\\', '_', '*':
			i++ // the next character is literal, or padding
		case '[':
			j := strings.IndexByte(f[i:], ']')
			if j < 0 {
				i = len(f)
			} else {
				i += j
			}
		default:
			b.WriteByte(c | 0x20) // lower-case ASCII letters
		}
	}
	g := b.String()
	if strings.Contains(g, "general") {
		return kindNumber
	}
	switch {
	case strings.ContainsAny(g, "yd"):
		return kindDate
	case strings.ContainsAny(g, "hs"):
		return kindTimeOnly
	case strings.Contains(g, "m"):
		return kindDate
	}
	return kindNumber
}

func (s *xlsxSource) setWidth(int) {}

func (s *xlsxSource) close() error {
	s.inflate.close() // before rc, which it reads
	err := s.rc.Close()
	if s.closer != nil {
		err = errors.Join(err, s.closer.Close())
	}
	if err != nil {
		return fmt.Errorf("close workbook: %w", err)
	}
	return nil
}
