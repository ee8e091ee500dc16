package survey

import (
	"bytes"
	"errors"
	"fmt"
)

// ErrUnsupportedFormat is the kind of a file trustgap recognises but
// cannot read (Stata, SAS, JSON, PDF, …): errors.Is(err,
// ErrUnsupportedFormat) holds for an *UnsupportedFormatError.
var ErrUnsupportedFormat = errors.New("unsupported format")

// UnsupportedFormatError says what a file that cannot be read looks like.
type UnsupportedFormatError struct {
	File   string // the file's name as given
	Format string // what its content looks like, such as "a Stata .dta data file"
	Advice string // what to do instead; may be empty
}

func (e *UnsupportedFormatError) Error() string {
	s := fmt.Sprintf("read %s: unsupported format: %s", e.File, e.Format)
	if e.Advice != "" {
		s += ": " + e.Advice
	}
	return s
}

// Is makes errors.Is(err, ErrUnsupportedFormat) true.
func (e *UnsupportedFormatError) Is(target error) bool { return target == ErrUnsupportedFormat }

// ErrDamagedFile is the kind of a binary data file (SPSS, Parquet) whose
// structure is broken or truncated: errors.Is(err, ErrDamagedFile) holds
// for a *DamagedFileError.
var ErrDamagedFile = errors.New("damaged file")

// DamagedFileError locates a structural problem in a binary data file.
type DamagedFileError struct {
	File   string // the file's name as given
	Format string // "SPSS", "Parquet"
	Offset int64  // byte offset where the problem was found; -1 if unknown
	Case   int    // 1-based case (row) being read; 0 in the dictionary
	Msg    string
	Err    error // underlying cause, such as io.ErrUnexpectedEOF; may be nil
}

func (e *DamagedFileError) Error() string {
	where := ""
	switch {
	case e.Case > 0:
		where = fmt.Sprintf(" case %d", e.Case)
	case e.Offset >= 0:
		where = fmt.Sprintf(" at byte %d", e.Offset)
	}
	s := fmt.Sprintf("read %s%s: damaged %s file: %s", e.File, where, e.Format, e.Msg)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is makes errors.Is(err, ErrDamagedFile) true.
func (e *DamagedFileError) Is(target error) bool { return target == ErrDamagedFile }

func (e *DamagedFileError) Unwrap() error { return e.Err }

// Content signatures of formats read (SPSS, Parquet) or recognised to be
// refused.
const (
	savMagic2   = "$FL2"
	savMagic3   = "$FL3" // zlib-compressed .zsav
	parquetMagc = "PAR1"
)

// sniffUnsupported names the format of content that is neither text nor a
// format read, from its first bytes; "" when it looks like nothing known.
// JSON is named when it starts like an array or object of JSON objects
// ({" or [{"), which no CSV header does, or when its extension says so.
func sniffUnsupported(magic []byte, ext string) (format, advice string) {
	has := func(p string) bool { return bytes.HasPrefix(magic, []byte(p)) }
	const export = "export it as SPSS .sav, CSV or XLSX"
	switch {
	case has("<stata_dta>"):
		return "a Stata .dta data file (version 117 or later)", "in Stata, export it with `export delimited` or `savespss`; or " + export
	case len(magic) >= 4 && magic[0] >= 0x6e && magic[0] <= 0x73 && (magic[1] == 1 || magic[1] == 2) && magic[2] == 1 && magic[3] == 0:
		return "a Stata .dta data file (version 110 to 115)", "in Stata, export it with `export delimited`; or " + export
	case has("\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xc2\xea\x81\x60"):
		return "a SAS data set (.sas7bdat)", "in SAS, export it with PROC EXPORT; or " + export
	case has("HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!"):
		return "a SAS transport file (.xpt)", export
	case has("$FL"):
		return "an SPSS system file of an unknown version", "save it again in SPSS or PSPP as .sav"
	case has("$(#) SPSS PORT") || (ext == ".por" && len(magic) > 0):
		return "an SPSS portable file (.por)", "open it in SPSS or PSPP and save it as .sav"
	case has("%PDF"):
		return "a PDF document", "a report is not data: export the survey's data as CSV, XLSX or SPSS .sav"
	case has("\x1f\x8b"):
		return "a gzip-compressed file", "uncompress it first (gunzip)"
	case has("BZh"):
		return "a bzip2-compressed file", "uncompress it first (bunzip2)"
	case has("\xfd7zXZ\x00"):
		return "an xz-compressed file", "uncompress it first (unxz)"
	case has("\x28\xb5\x2f\xfd"):
		return "a zstd-compressed file", "uncompress it first (unzstd)"
	case has("7z\xbc\xaf\x27\x1c"):
		return "a 7-Zip archive", "unpack it first"
	case has("Rar!"):
		return "a RAR archive", "unpack it first"
	case has("SQLite format 3\x00"):
		return "an SQLite database", "export the table as CSV"
	case has("\x89HDF\r\n\x1a\n"):
		return "an HDF5 file", "export the data as CSV"
	case has("RDX2\n") || has("RDX3\n") || has("RDA2\n") || has("RDA3\n"):
		return "an R data file (.RData)", "in R, write it with haven::write_sav or write.csv"
	case has("ARROW1"):
		return "an Arrow IPC (Feather) file", "write it as Parquet or CSV"
	case has("Obj\x01"):
		return "an Avro file", "export it as Parquet or CSV"
	case has("ORC"):
		return "an ORC file", "export it as Parquet or CSV"
	case has("\x89PNG") || has("\xff\xd8\xff") || has("GIF8"):
		return "an image", "export the survey's data as CSV, XLSX or SPSS .sav"
	case has("{\"") || has("[{\"") || has("[\n") || has("[\r\n"):
		return "JSON", "export the survey as CSV (Qualtrics and SurveyMonkey both offer it)"
	case has("{\\rtf"):
		return "an RTF document", "export the survey's data as CSV, XLSX or SPSS .sav"
	}
	switch ext {
	case ".json", ".ndjson", ".jsonl":
		t := bytes.TrimLeft(magic, " \t\r\n\xef\xbb\xbf")
		if len(t) > 0 && (t[0] == '{' || t[0] == '[') {
			return "JSON", "export the survey as CSV (Qualtrics and SurveyMonkey both offer it)"
		}
	case ".xml":
		return "XML", "export the survey as CSV or XLSX"
	case ".rds":
		return "an R .rds file", "in R, write it with haven::write_sav or write.csv"
	}
	return "", ""
}
