package survey

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

const (
	// sniffBytes is how much of a text file decides its encoding and
	// delimiter: enough for dozens of lines of a wide survey, cheap to
	// buffer. It is also the read buffer size.
	sniffBytes = 64 << 10
	// sniffLines is how many lines are compared to choose the delimiter.
	sniffLines = 50
	// delimiterCandidates are the separators spreadsheets write, in order
	// of preference when the evidence is tied.
	delimiterCandidates = ",;\t|"
)

// NewCSVReader reads delimited text from r; name is used in messages.
//
// The encoding is UTF-8 (with or without byte order mark), UTF-16 LE or
// BE with a byte order mark (Excel's "Unicode text"), or Windows-1252 when
// the first 64 KiB are not valid UTF-8; opts.Encoding overrides the guess.
// The delimiter is the one of ',', ';', TAB and '|' that occurs, outside
// quotes, as often on the first 50 lines as on the header; opts.Delimiter
// overrides it. Quoted cells may hold delimiters, quotes ("") and line
// breaks; lines may end in LF or CRLF.
//
// Every row must have as many fields as the header, or Next returns an
// error naming the row. Rows whose cells are all empty are skipped. Row
// numbers are those a spreadsheet shows: records count, not lines, so a
// cell holding a line break does not shift the rows after it, while a
// blank line does, as it is a row in a spreadsheet.
//
// A Qualtrics export (third row of {"ImportId":...} cells) is detected:
// Header is row 1, Labels row 2, and data start at row 4. With
// opts.HeaderRows 2, row 2 holds SurveyMonkey's answer options (see
// ReadOptions). A header without data rows is not an error here: Next
// returns io.EOF at once.
//
// Close does not close r.
func NewCSVReader(r io.Reader, name string, opts ReadOptions) (TableReader, error) {
	opts, err := opts.resolve()
	if err != nil {
		return nil, &ReadError{File: name, Err: err}
	}
	return newCSVReader(r, name, opts, nil)
}

// newCSVReader is NewCSVReader for resolved options; closer, if not nil,
// is closed by the reader's Close.
func newCSVReader(r io.Reader, name string, opts ReadOptions, closer io.Closer) (TableReader, error) {
	raw, ok := r.(*bufio.Reader)
	if !ok || raw.Size() < sniffBytes {
		raw = bufio.NewReaderSize(r, sniffBytes)
	}
	prefix, complete := peekPrefix(raw)
	bytesPerRow := 0.0
	if lines := bytes.Count(prefix, []byte{'\n'}); lines > 1 {
		// Rows are about as long as the lines of the prefix: how many a
		// file of known size holds (a hint for allocating columns).
		bytesPerRow = float64(len(prefix)) / float64(lines)
	}
	enc, auto, err := parseEncoding(opts.Encoding)
	if err != nil {
		return nil, &ReadError{File: name, Err: err}
	}
	bom := 0
	switch {
	case auto:
		if enc, bom, err = detectEncoding(prefix, complete); err != nil {
			return nil, &ReadError{File: name, Err: err}
		}
	case enc == encUTF8 && bytes.HasPrefix(prefix, []byte("\xEF\xBB\xBF")):
		bom = 3
	}
	if _, err := raw.Discard(bom); err != nil {
		return nil, &ReadError{File: name, Err: err}
	}

	var decoded io.Reader = raw
	if dec := enc.decoder(); dec != nil {
		decoded = transform.NewReader(raw, dec)
	} else {
		// Decoders always yield UTF-8; undecoded text may still turn out
		// not to be UTF-8 after the prefix the guess was based on.
		// A detected (not forced) UTF-8 file without BOM whose text was
		// plain ASCII up to the first invalid byte is a Windows-1252 file
		// whose first accented letter came after the sniffed prefix.
		decoded = &utf8Checker{r: raw, fallback: auto && bom == 0, ascii: true}
	}
	if crOnly(prefix, enc) {
		decoded = crToLF{decoded}
	}
	// The guard sits on the decoded text, so its limit is in the same
	// bytes as the cell limit. Until the header's width is known it lets
	// a record be as long as 64 cells of the maximum size.
	guard := &recordGuard{r: decoded, limit: min(64*(int64(opts.MaxCellBytes)+3), opts.MaxRecordBytes), maxCell: opts.MaxCellBytes, maxRecord: opts.MaxRecordBytes}
	text := bufio.NewReaderSize(guard, sniffBytes)

	delim := opts.Delimiter
	if delim == 0 {
		delim = sniffDelimiter(peekPrefix(text))
	}

	var cr recordReader
	if delim < utf8.RuneSelf {
		cr = newFastCSV(text, byte(delim))
	} else {
		c := csv.NewReader(text)
		c.Comma = delim
		c.FieldsPerRecord = -1 // checked by table, with a better message
		c.ReuseRecord = true
		cr = c
	}
	src := &csvSource{cr: cr, guard: guard, closer: closer}
	t := &table{
		name:         name,
		src:          src,
		maxCell:      opts.MaxCellBytes,
		maxColumns:   opts.MaxColumns,
		decimalComma: delim == ';' || opts.DecimalComma,
		bytesPerRow:  bytesPerRow,
	}
	if err := t.readHeader(opts.HeaderRows); err != nil {
		return nil, err
	}
	return t, nil
}

// peekPrefix returns the first bytes buffered in br without consuming
// them; complete reports that they are the whole stream. A read error is
// left for the reads that follow, which report it with its row: every
// reader below br fails again when read again.
func peekPrefix(br *bufio.Reader) (prefix []byte, complete bool) {
	b, err := br.Peek(br.Size())
	return b, err == io.EOF
}

// sniffDelimiter chooses the delimiter of delimited text from its first
// lines: for each candidate occurring on the first non-blank line, count
// the lines on which it occurs (outside quotes) exactly as often as there;
// the candidate with most such lines wins, ties going to the one occurring
// more often, then to the earlier in delimiterCandidates. Text with none
// of them is one column, read with ','.
func sniffDelimiter(prefix []byte, complete bool) rune {
	type counts [len(delimiterCandidates)]int
	var lines []counts
	var cur counts
	filled, quoted := false, false // filled: the line is not blank
scan:
	for _, c := range prefix {
		switch {
		case c == '"':
			quoted, filled = !quoted, true
		case quoted:
		case c == '\n':
			if filled {
				lines = append(lines, cur)
				if len(lines) == sniffLines {
					break scan
				}
			}
			cur, filled = counts{}, false
		case c == '\r':
		default:
			filled = true
			if k := strings.IndexByte(delimiterCandidates, c); k >= 0 {
				cur[k]++
			}
		}
	}
	// A last line cut off by the prefix would count wrong; use it only if
	// it is complete or all there is.
	if filled && len(lines) < sniffLines && (complete || len(lines) == 0) {
		lines = append(lines, cur)
	}
	best, bestAgree, bestN := ',', 0, 0
	if len(lines) == 0 {
		return best
	}
	for k, d := range delimiterCandidates {
		n := lines[0][k]
		if n == 0 {
			continue
		}
		agree := 0
		for _, l := range lines {
			if l[k] == n {
				agree++
			}
		}
		if agree > bestAgree || agree == bestAgree && n > bestN {
			best, bestAgree, bestN = d, agree, n
		}
	}
	return best
}

// csvSource yields the records of a csv.Reader (or fastCSV) with
// spreadsheet row numbers.
type csvSource struct {
	cr      recordReader
	guard   *recordGuard
	closer  io.Closer
	row     int // spreadsheet row of the last record
	endLine int // text line on which the last record ended
}

func (s *csvSource) next() ([]string, int, error) {
	rec, err := s.cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil, 0, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, s.row + pe.StartLine - s.endLine, describeParseError(pe)
		}
		return nil, s.row + 1, err
	}
	// encoding/csv skips blank lines, which are rows in a spreadsheet, and
	// a quoted cell may span lines, which a spreadsheet shows as one row:
	// so a record's row is the previous record's plus the lines between
	// the end of that record and the start of this one.
	if f, ok := s.cr.(*fastCSV); ok && f.plain {
		// A line without quotes: one line, no newline in any cell (and
		// FieldPos would add up the cells' lengths for columns unused here).
		s.row += f.numLine - s.endLine
		s.endLine = f.numLine
		return rec, s.row, nil
	}
	start, _ := s.cr.FieldPos(0)
	s.row += start - s.endLine
	last, _ := s.cr.FieldPos(len(rec) - 1)
	s.endLine = last + strings.Count(rec[len(rec)-1], "\n")
	return rec, s.row, nil
}

func (s *csvSource) setWidth(n int) {
	// A longer record must hold a cell over the limit (3 bytes allow for
	// a cell's quotes and delimiter); the slack covers the guard counting
	// a whole read buffer when it cannot place a record boundary in it.
	s.guard.limit = min(int64(max(n, 1))*(int64(s.guard.maxCell)+3)+2*sniffBytes, s.guard.maxRecord)
}

func (s *csvSource) close() error {
	if s.closer == nil {
		return nil
	}
	return s.closer.Close()
}

// describeParseError rewords encoding/csv's messages, whose "line" and
// "column" are text lines and bytes, not spreadsheet rows and columns.
func describeParseError(pe *csv.ParseError) error {
	hint := ""
	if errors.Is(pe.Err, csv.ErrQuote) {
		hint = " (a quoted cell is not closed, or a quote inside it is not doubled)"
	} else if errors.Is(pe.Err, csv.ErrBareQuote) {
		hint = " (a cell containing quotes must be quoted, its quotes doubled)"
	}
	return fmt.Errorf("text line %d, byte %d: %w%s", pe.Line, pe.Column, pe.Err, hint)
}

// recordGuard caps the size of one CSV record before encoding/csv buffers
// it whole, so a file with no record end cannot exhaust memory. It finds
// record ends as line breaks preceded by an even number of quotes, which
// is exact for well-formed CSV and needs only fast byte counts.
type recordGuard struct {
	r       io.Reader
	limit   int64 // bytes a record may have
	maxCell int   // for the message
	// maxRecord is ReadOptions.MaxRecordBytes: limit never exceeds it.
	maxRecord int64
	run       int64 // bytes since the last record end
	quoted    bool  // an odd number of quotes since the last record end
}

func (g *recordGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	b := p[:n]
	if nl := bytes.LastIndexByte(b, '\n'); nl >= 0 && g.quoted == (bytes.Count(b[:nl], []byte{'"'})%2 == 1) {
		// Even quotes up to the last line break: a record ends there.
		g.run = int64(n - nl - 1)
		g.quoted = bytes.Count(b[nl+1:], []byte{'"'})%2 == 1
	} else {
		// Earlier line breaks in b may end records too; counting all of b
		// overestimates by less than one buffer, which the limit allows.
		g.run += int64(n)
		g.quoted = g.quoted != (bytes.Count(b, []byte{'"'})%2 == 1)
	}
	if g.run > g.limit {
		if g.limit >= g.maxRecord {
			return n, &LimitError{What: "record bytes", Limit: g.maxRecord}
		}
		return n, fmt.Errorf("a record runs past %s without ending: a cell exceeds the %s cell size limit, or a quote is never closed", formatBytes(g.limit), formatBytes(int64(g.maxCell)))
	}
	return n, err
}

// crOnly reports whether text ends its lines in CR alone, as old Mac
// Excel wrote "CSV (Macintosh)": the prefix has a CR but no LF.
func crOnly(prefix []byte, enc textEncoding) bool {
	if enc == encUTF16LE || enc == encUTF16BE {
		// The bytes 0x0D and 0x0A occur inside other UTF-16 characters;
		// Excel never wrote UTF-16 with CR line ends.
		return false
	}
	return bytes.IndexByte(prefix, '\r') >= 0 && bytes.IndexByte(prefix, '\n') < 0
}

// crToLF turns CR line ends into LF, which encoding/csv needs. It is used
// only for text without any LF, so no CRLF pair is doubled.
type crToLF struct{ r io.Reader }

func (c crToLF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := bytes.IndexByte(p[:n], '\r'); i >= 0; {
		p[i] = '\n'
		j := bytes.IndexByte(p[i+1:n], '\r')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return n, err
}

// utf8Checker passes on UTF-8 text and fails at the first invalid byte,
// after passing on the bytes before it, so encoding/csv reports the error
// while reading the record that holds it. Checking whole buffers is much
// faster than checking each cell.
type utf8Checker struct {
	r     io.Reader
	carry [utf8.UTFMax]byte // a character cut off by the last read
	nc    int
	err   error // failure to return once the valid bytes are passed on

	// fallback allows switching to Windows-1252 at the first invalid byte
	// while everything before it was ASCII (so identical in both
	// encodings); ascii tracks that, and switched says it happened.
	fallback, ascii, switched bool
}

func (u *utf8Checker) Read(p []byte) (int, error) {
	if u.switched {
		return u.r.Read(p)
	}
	if u.err != nil {
		return 0, u.err
	}
	if len(p) < utf8.UTFMax {
		// Too small to hold a carried character; bufio never asks this.
		return 0, io.ErrShortBuffer
	}
	n := copy(p, u.carry[:u.nc])
	u.nc = 0
	m, err := u.r.Read(p[n:])
	n += m
	b := p[:n]
	if utf8.Valid(b) {
		if u.ascii && !isASCII(b) {
			u.ascii = false
		}
		return n, err
	}
	// A character cut off at the end of the buffer is held back for the
	// next read, unless the stream ends there.
	if start := lastRuneStart(b); err == nil && !utf8.FullRune(b[start:]) && utf8.Valid(b[:start]) {
		u.nc = copy(u.carry[:], b[start:])
		if u.ascii && !isASCII(b[:start]) {
			u.ascii = false
		}
		return start, nil
	}
	i := 0
	for i < len(b) {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		i += size
	}
	if u.fallback && u.ascii && isASCII(b[:i]) {
		// Decode the rest, from the invalid byte on, as Windows-1252.
		rest := append([]byte(nil), b[i:]...)
		u.r = transform.NewReader(io.MultiReader(bytes.NewReader(rest), u.r), charmap.Windows1252.NewDecoder())
		u.switched = true
		return i, nil
	}
	u.err = &EncodingError{Encoding: "UTF-8"}
	return i, nil
}

// isASCII reports whether b holds 7-bit bytes only. It tests eight bytes
// at a time: every byte of a large file passes through it.
func isASCII(b []byte) bool {
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b)&0x8080808080808080 != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// lastRuneStart returns the index of the start of the last character in
// b, looking back no further than a character can be long.
func lastRuneStart(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			return i
		}
	}
	return len(b)
}
