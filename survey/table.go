package survey

// TableReader yields a file's rows as text. Implementations exist for
// CSV/TSV (any delimiter and encoding, see OpenTable), XLSX, SPSS system
// files and Parquet; the last two number rows from 1 (SPSS case numbers)
// and declare column metadata (ColumnInfoReader).
type TableReader interface {
	// Name is the file name used in messages ("-" for standard input).
	Name() string
	// Header returns the column names (for Qualtrics exports, row 1).
	Header() []string
	// Labels returns per-column question texts when the export carries
	// them (Qualtrics row 2, SurveyMonkey's second header row), else nil.
	Labels() []string
	// Next returns the next data row and its row number as a spreadsheet
	// shows it (header row 1, so the first respondent of a plain CSV is
	// row 2; of a Qualtrics export row 4). It returns io.EOF after the
	// last row. The returned slice may be reused by the next call.
	Next() (record []string, row int, err error)
	// DecimalComma reports whether numbers may be written with a decimal
	// comma ("3,5"), as Dutch or German Excel does in the ;-separated CSV it
	// writes. It is true when the file is ;-separated or
	// ReadOptions.DecimalComma asks for it.
	DecimalComma() bool
	// Close releases the underlying file.
	Close() error
}

// IsWorkbook reports whether t reads an Excel workbook (XLSX), whose
// ReadOptions.Sheet picks the worksheet, rather than delimited text.
func IsWorkbook(t TableReader) bool {
	tb, ok := t.(*table)
	return ok && tb.xlsx
}
