// Package survey reads survey exports into memory through a codebook.
//
// A codebook (YAML, see Codebook) names the columns an analysis uses, maps
// raw headers from differently-labelled files onto logical names, declares
// the sample design and defines constructs (multi-item scales scored per
// respondent and turned into 0/1 flags). Readers turn CSV/TSV in any of the
// common encodings, XLSX workbooks, Qualtrics/SurveyMonkey exports and SPSS
// system files (.sav, .zsav) into rows of text (TableReader); Load stacks
// several files by logical column
// name into a Dataset of typed columns holding only what the codebook uses.
// Validate lists every problem in a study rather than stopping at the first.
//
// The SPSS reader (NewSAVReader) is written by hand, from the PSPP
// developers' description of the system file format: no maintained Go
// reader of .sav files exists, and trustgap builds without cgo. Its value
// labels name the levels of categorical columns and, where the codebook
// has no values:, a construct's answers (Construct.AnswerLabels); its
// variable labels name the items (ColumnInfo, Column.ValueLabels).
//
// The CSV splitter (csv_fast.go) is ported from Go's encoding/csv and keeps
// its BSD licence notice: it returns encoding/csv's records, field
// positions and errors, several times faster on exports whose lines hold
// no quotes; encoding/csv itself reads multi-byte delimiters.
//
// The XLSX sheet tokenizer (xlsx_sheet.go) is written by hand too:
// excelize, which still writes workbooks, unpacks and decodes a whole
// sheet, and encoding/xml is many times slower than the cells it reads.
// A goroutine inflates the sheet (klauspost/compress's flate, about 1.4
// times as fast as compress/flate here) into a few 256 KiB chunks that the
// tokenizer reads in place, so the two run on different cores. On a
// 200,000 × 20 sheet (BenchmarkReadXLSX, a quiet 2-core machine, 7 Dec
// 2026, three runs of ten reads): 0.115–0.118 s wall and 0.20 s CPU,
// against 0.024–0.025 s wall and 0.029 s CPU for the same data as CSV
// (4.8 times the wall time, 6.9 times the CPU); inflating the sheet alone
// takes 0.11 s of CPU (0.15 s with compress/flate), the floor of the
// read's wall time.
//
// Errors are typed: a *ReadError locates a failure in a file (row,
// column, cell), a *ProblemsError lists problems with their file, row and
// column, and sentinels name kinds (ErrEncoding, ErrUnzipLimit,
// ErrDecimalComma, ErrUnsupportedFormat, ErrDamagedFile) for errors.Is.
package survey
