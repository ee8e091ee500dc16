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
// Errors are typed: a *ReadError locates a failure in a file (row,
// column, cell), a *ProblemsError lists problems with their file, row and
// column, and sentinels name kinds (ErrEncoding, ErrUnzipLimit,
// ErrDecimalComma, ErrUnsupportedFormat, ErrDamagedFile) for errors.Is.
package survey
