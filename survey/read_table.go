package survey

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// rowSource yields a file's raw records: the CSV or XLSX specifics below
// the header logic that table shares between them.
type rowSource interface {
	// next returns the next record, which may be reused by the following
	// call, and its spreadsheet row number; io.EOF at the end. On error
	// the row is the best known number of the offending row.
	next() (rec []string, row int, err error)
	// setWidth tells the source how many columns the header has.
	setWidth(n int)
	close() error
}

// table is the TableReader both readers return. It turns raw records into
// the header, labels and data rows: it detects Qualtrics' three header
// rows, builds SurveyMonkey's two-row names, skips rows whose cells are
// all empty (Excel leaves such rows behind; row numbers still count them)
// and checks every row's width and cell sizes.
type table struct {
	name   string
	src    rowSource
	xlsx   bool   // cells are named like C5; short rows are padded
	sheet  string // the worksheet read, for messages
	header []string
	labels []string
	width  int

	decimalComma bool
	maxCell      int
	maxColumns   int // 0: no limit

	pending []pendingRow // rows read while detecting the header
	buf     []string     // reused to pad short XLSX rows
	err     error        // sticky: once reading failed it keeps failing

	// bytesPerRow estimates a CSV row's length from the start of the
	// text; rowsHint, when positive, estimates the rows of a file of known
	// size (see sizeHint).
	bytesPerRow float64
	rowsHint    int
}

type pendingRow struct {
	rec []string
	row int
}

func (t *table) Name() string       { return t.name }
func (t *table) Header() []string   { return t.header }
func (t *table) Labels() []string   { return t.labels }
func (t *table) DecimalComma() bool { return t.decimalComma }
func (t *table) Close() error       { return t.src.close() }

// readHeader reads the header rows: one, or as many as headerRows says,
// or (headerRows 0) three when row 3 holds Qualtrics' import ids. Rows
// read ahead that turn out to be data are kept for Next. On error it does
// not close the source.
func (t *table) readHeader(headerRows int) error {
	rec, row, err := t.nextFilled()
	if err == io.EOF {
		if t.sheet != "" {
			return &ReadError{File: t.name, Err: fmt.Errorf("sheet %q is empty", t.sheet)}
		}
		return &ReadError{File: t.name, Err: errors.New("empty file")}
	}
	if err != nil {
		return err
	}
	t.header = slices.Clone(rec)
	headerRow := row

	var extra [][]string // header rows after the first, as read
	var extraRows []int
	want := headerRows
	if want == 0 {
		want = 3 // detecting Qualtrics needs a look at row 3
	}
	for len(extra) < want-1 {
		rec, row, err := t.nextFilled()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		extra = append(extra, slices.Clone(rec))
		extraRows = append(extraRows, row)
	}

	switch {
	case headerRows == 0 && len(extra) == 2 && isQualtricsImportRow(extra[1]),
		headerRows == 3 && len(extra) == 2:
		t.labels = extra[0]
	case headerRows == 0 || headerRows == 1:
		for i := range extra {
			t.pending = append(t.pending, pendingRow{extra[i], extraRows[i]})
		}
	case headerRows == 2 && len(extra) == 1:
		t.labels = extra[0]
	default:
		return &ReadError{File: t.name, Err: fmt.Errorf("file ends within its %d header rows (after row %d)", headerRows, headerRow)}
	}

	if t.xlsx {
		// XLSX rows end at their last non-empty cell, so the header's
		// width is the widest header row.
		t.header = trimEmptyTail(t.header)
		t.width = len(t.header)
		if headerRows == 2 {
			t.labels = trimEmptyTail(t.labels)
			t.width = max(t.width, len(t.labels))
		}
		t.header = padTo(t.header, t.width)
	} else {
		t.width = len(t.header)
	}
	t.src.setWidth(t.width)
	if t.labels != nil {
		labels, err := t.fit(t.labels, extraRows[0])
		if err != nil {
			return err
		}
		t.labels = slices.Clone(labels)
	}
	if headerRows == 2 {
		t.header = surveyMonkeyNames(t.header, t.labels)
	}
	return nil
}

// Next implements TableReader.
func (t *table) Next() ([]string, int, error) {
	if t.err != nil {
		return nil, 0, t.err
	}
	var rec []string
	var row int
	if len(t.pending) > 0 {
		rec, row = t.pending[0].rec, t.pending[0].row
		t.pending = t.pending[1:]
	} else {
		var err error
		rec, row, err = t.nextFilled()
		if err != nil {
			t.err = err
			return nil, 0, err
		}
	}
	rec, err := t.fit(rec, row)
	if err != nil {
		t.err = err
		return nil, 0, err
	}
	return rec, row, nil
}

// nextFilled returns the next record with a non-empty cell, its cells
// checked for size and encoding.
func (t *table) nextFilled() ([]string, int, error) {
	for {
		rec, row, err := t.src.next()
		if err == io.EOF {
			return nil, 0, io.EOF
		}
		if err != nil {
			return nil, 0, readErr(t.name, row, err)
		}
		if t.maxColumns > 0 && len(rec) > t.maxColumns {
			return nil, 0, &ReadError{File: t.name, Row: row, Err: &LimitError{What: "columns", Got: int64(len(rec)), Limit: int64(t.maxColumns)}}
		}
		if allEmpty(rec) {
			continue
		}
		if err := t.checkCells(rec, row); err != nil {
			return nil, 0, err
		}
		return rec, row, nil
	}
}

func (t *table) checkCells(rec []string, row int) error {
	for i, c := range rec {
		if len(c) > t.maxCell {
			return t.cellError(i, row, fmt.Errorf("cell of %s exceeds the %s cell size limit", formatBytes(int64(len(c))), formatBytes(int64(t.maxCell))))
		}
	}
	return nil
}

// fit checks a row against the header's width. A CSV row must match it
// exactly: a missing or extra delimiter would shift every later cell into
// the wrong column. An XLSX row omits trailing empty cells, so it is
// padded; a value beyond the last header column is an error, since it
// belongs to no column.
func (t *table) fit(rec []string, row int) ([]string, error) {
	if !t.xlsx {
		if len(rec) != t.width {
			return nil, &ReadError{File: t.name, Row: row, Err: fmt.Errorf("%d fields, want %d as in the header", len(rec), t.width)}
		}
		return rec, nil
	}
	if len(rec) > t.width {
		for i := t.width; i < len(rec); i++ {
			if rec[i] != "" {
				return nil, t.cellError(i, row, errors.New("value in a column with no header"))
			}
		}
		return rec[:t.width], nil
	}
	if len(rec) < t.width {
		t.buf = append(append(t.buf[:0], rec...), make([]string, t.width-len(rec))...)
		return t.buf, nil
	}
	return rec, nil
}

// cellError locates err in a cell: "row 5 column 3 (q1)" in a CSV file,
// "cell C5 (q1)" in a workbook.
func (t *table) cellError(col, row int, err error) *ReadError {
	e := &ReadError{File: t.name, Row: row, Column: col + 1, Err: err}
	if t.xlsx {
		e.Cell, _ = excelize.CoordinatesToCellName(col+1, row)
	}
	if col < len(t.header) {
		e.Header = t.header[col]
	}
	return e
}

func allEmpty(rec []string) bool {
	for _, c := range rec {
		if c != "" {
			return false
		}
	}
	return true
}

func trimEmptyTail(rec []string) []string {
	n := len(rec)
	for n > 0 && rec[n-1] == "" {
		n--
	}
	return rec[:n]
}

func padTo(rec []string, n int) []string {
	if len(rec) >= n {
		return rec
	}
	return append(rec, make([]string, n-len(rec))...)
}

// surveyMonkeyNames names the columns of a SurveyMonkey export from its
// two header rows. Row 1 names a question once, above its first column,
// and leaves the cells above its other answer options empty; row 2 names
// the options. An empty row-1 cell therefore becomes "<question>_<option>"
// after the nearest question to its left, or the option alone if there is
// none.
func surveyMonkeyNames(top, sub []string) []string {
	names := make([]string, len(top))
	question := ""
	for i, n := range top {
		switch {
		case strings.TrimSpace(n) != "":
			question = n
			names[i] = n
		case question == "" || sub[i] == "":
			names[i] = sub[i]
		default:
			names[i] = question + "_" + sub[i]
		}
	}
	return names
}

// isQualtricsImportRow reports whether rec is the third header row of a
// Qualtrics export, in which every cell is a JSON object naming the
// question's import id, like {"ImportId":"QID1"} or
// {"ImportId":"startDate","timeZone":"America/Denver"}. At least one cell
// must be such an object and none may be anything else but empty.
func isQualtricsImportRow(rec []string) bool {
	found := false
	for _, c := range rec {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		// The cheap test first: most rows are answers, not JSON.
		if c[0] != '{' || !strings.Contains(c, `"ImportId"`) {
			return false
		}
		var v struct {
			ImportID *string `json:"ImportId"`
		}
		if err := json.Unmarshal([]byte(c), &v); err != nil || v.ImportID == nil {
			return false
		}
		found = true
	}
	return found
}
