package survey

// The SPSS system file reader is written by hand: no maintained Go reader
// of .sav files exists, and trustgap builds without cgo (so not ReadStat).
// It follows the PSPP developers' description of the format ("System File
// Format" in the GNU PSPP Developers Guide); no code is taken from PSPP or
// ReadStat.

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
)

// maxSavDictBytes caps the dictionary (everything before the data) of an
// SPSS file: files with thousands of variables and labels take a few MiB,
// and the cap keeps a hostile length field from exhausting memory.
const maxSavDictBytes = 64 << 20

// maxSavCaseElems caps a case's 8-byte elements (a million: 8 MiB a case).
const maxSavCaseElems = 1 << 20

// spssEpochOffset is the number of seconds from SPSS's epoch, the start of
// the Gregorian calendar (1582-10-14), to the Unix epoch.
const spssEpochOffset = 12219379200

// ColumnInfo is what a file declares about one of its columns beyond the
// name: SPSS files carry variable and value labels, user-missing values,
// formats and measurement levels. Readers of plain text declare nothing.
type ColumnInfo struct {
	// Label is the variable label (the question text), or "".
	Label string
	// Numeric is true for numeric variables (dates included), false for
	// text.
	Numeric bool
	// Format is the print format as SPSS writes it: "F8.2", "A300",
	// "DATE11", "DATETIME20".
	Format string
	// Measure is "nominal", "ordinal", "scale" or "" when not declared.
	Measure string
	// ValueLabels names values, keyed by the value as the reader's rows
	// write it ("1", "yes"), ordered by value: numerically for numbers,
	// as declared for text.
	ValueLabels []ValueLabel
	// Missing describes the declared user-missing values, such as
	// "98, 99" or "-9 thru -1"; those values are read as missing (empty
	// cells). "" when there are none.
	Missing string
}

// ValueLabel names one value of a column.
type ValueLabel struct {
	Value string // as the reader's rows write it
	Label string
}

// ColumnInfoReader is a TableReader whose file declares metadata for its
// columns (the SPSS reader).
type ColumnInfoReader interface {
	TableReader
	// ColumnInfo returns one entry per Header column.
	ColumnInfo() []ColumnInfo
}

// ColumnInfos returns t's column metadata, or nil when its file declares
// none.
func ColumnInfos(t TableReader) []ColumnInfo {
	if c, ok := t.(ColumnInfoReader); ok {
		return c.ColumnInfo()
	}
	return nil
}

// savVar is one variable of the dictionary.
type savVar struct {
	short   string // the 8-byte name of the variable record, upper case
	name    string // long name (extension 13), else short
	label   string
	width   int // 0 numeric; else the string's width in bytes
	elem    int // first 8-byte element of the case
	nelem   int // elements it occupies (all segments of a very long string)
	segs    []savSeg
	fmtType int // print format type
	fmtW    int
	fmtD    int
	measure int

	// user-missing values: numeric discrete values and an optional range;
	// text values as stored (trailing spaces trimmed).
	missNum         []float64
	hasRange        bool
	rangeLo, rangeH float64
	missStr         []string

	// numeric value labels by value, text ones by raw (undecoded,
	// trimmed) value in the order declared.
	numLabels map[float64]string
	strLabels []savStrLabel
}

type savStrLabel struct{ raw, label string }

// savSeg is one segment of a string variable: elements and usable bytes.
type savSeg struct{ elem, nelem, bytes int }

// savReader reads an SPSS system file's cases as rows of text.
type savReader struct {
	name  string
	src   *countReader
	order binary.ByteOrder
	dec   *encoding.Decoder // nil for UTF-8
	utf8  bool

	compression int32
	bias        float64
	ncases      int64 // -1 when unknown
	caseElems   int   // nominal case size in 8-byte elements

	vars   []*savVar
	header []string
	labels []string
	info   []ColumnInfo

	// data
	data    io.Reader // the stream of cases (after zlib, if any)
	bdata   *bufio.Reader
	cmd     [8]byte // bytecode commands of the current block
	cmdPos  int
	elemStr []bool   // elemStr[i]: element i belongs to a string variable
	cas     []byte   // the current case, numbers as little-endian float64 bits
	rec     []string // the row returned by Next
	text    []byte   // the row's text, converted to one string
	ends    []int
	caseNo  int
	done    bool
	err     error
	closer  io.Closer
	sysmis  uint64
	ctx     context.Context
	zstart  int64 // zlib: where the blocks start and the trailer begins
	ztrail  int64
	zr      io.ReadCloser
	zlibOn  bool
	maxCell int
}

// countReader counts the bytes read through it and reads bytes one at a
// time without over-reading (flate.Reader), so zlib streams can follow
// one another.
type countReader struct {
	r *bufio.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.n++
	}
	return b, err
}

// NewSAVReader reads an SPSS system file (.sav, or .zsav with zlib
// compression) from r as a table: the header is the variables' names
// (long names where the file has them), Labels their variable labels, and
// each case a row, numbered from 1 as SPSS numbers cases. Numbers are
// written as Go writes float64 ("1", "0.25"); system-missing values and
// declared user-missing values are empty cells; dates and times are ISO
// text ("2024-01-05", "2024-01-05 13:30:00", "13:30:00"); text is
// converted to UTF-8 from the file's character encoding (extension 20,
// else the code page of extension 3; opts.Encoding overrides both). The
// file is read as a stream: one case in memory at a time. ColumnInfo
// gives the variable and value labels, formats and missing values.
//
// Close does not close r.
func NewSAVReader(r io.Reader, name string, opts ReadOptions) (TableReader, error) {
	opts, err := opts.resolve()
	if err != nil {
		return nil, &ReadError{File: name, Err: err}
	}
	return newSAVReader(context.Background(), r, name, opts, nil)
}

func newSAVReader(ctx context.Context, r io.Reader, name string, opts ReadOptions, closer io.Closer) (*savReader, error) {
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < 1<<16 {
		br = bufio.NewReaderSize(r, 1<<16)
	}
	s := &savReader{name: name, src: &countReader{r: br}, ctx: ctx, maxCell: opts.MaxCellBytes}
	if err := s.readDictionary(opts); err != nil {
		return nil, err
	}
	if opts.MaxColumns > 0 && len(s.vars) > opts.MaxColumns {
		return nil, &ReadError{File: name, Err: &LimitError{What: "columns", Got: int64(len(s.vars)), Limit: int64(opts.MaxColumns)}}
	}
	if err := s.startData(); err != nil {
		return nil, err
	}
	s.closer = closer
	return s, nil
}

func (s *savReader) damaged(msg string, err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	if err != nil && s.ctx.Err() != nil {
		return &ReadError{File: s.name, Err: s.ctx.Err()}
	}
	return &DamagedFileError{File: s.name, Format: "SPSS", Offset: s.src.n, Case: s.caseNo, Msg: msg, Err: err}
}

// dictionary reading: every read is counted against maxSavDictBytes.

func (s *savReader) bytes(n int, what string) ([]byte, error) {
	if n < 0 || s.src.n+int64(n) > maxSavDictBytes {
		return nil, s.damaged(fmt.Sprintf("%s of %d bytes: the dictionary would exceed %s", what, n, formatBytes(maxSavDictBytes)), nil)
	}
	if n <= 1<<16 {
		b := make([]byte, n)
		if _, err := io.ReadFull(s.src, b); err != nil {
			return nil, s.damaged("file ends within the dictionary ("+what+")", err)
		}
		return b, nil
	}
	// Grow with what the file holds rather than trust the length.
	b, err := io.ReadAll(io.LimitReader(s.src, int64(n)))
	if err == nil && len(b) < n {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return nil, s.damaged("file ends within the dictionary ("+what+")", err)
	}
	return b, nil
}

func (s *savReader) int32(what string) (int32, error) {
	var b [4]byte
	if _, err := io.ReadFull(s.src, b[:]); err != nil {
		return 0, s.damaged("file ends within the dictionary ("+what+")", err)
	}
	return int32(s.order.Uint32(b[:])), nil
}

func (s *savReader) float(b []byte) float64 { return math.Float64frombits(s.order.Uint64(b)) }

func (s *savReader) readDictionary(opts ReadOptions) error {
	hdr := make([]byte, 176)
	if _, err := io.ReadFull(s.src, hdr); err != nil {
		return s.damaged("file ends within the file header", err)
	}
	switch string(hdr[:4]) {
	case savMagic2, savMagic3:
	default:
		return &UnsupportedFormatError{File: s.name, Format: "not an SPSS system file"}
	}
	// The layout code (2 or 3) tells the byte order.
	switch {
	case binary.LittleEndian.Uint32(hdr[64:]) == 2 || binary.LittleEndian.Uint32(hdr[64:]) == 3:
		s.order = binary.LittleEndian
	case binary.BigEndian.Uint32(hdr[64:]) == 2 || binary.BigEndian.Uint32(hdr[64:]) == 3:
		s.order = binary.BigEndian
	default:
		return s.damaged("unknown layout code in the file header (neither byte order gives 2 or 3)", nil)
	}
	s.compression = int32(s.order.Uint32(hdr[72:]))
	s.ncases = int64(int32(s.order.Uint32(hdr[80:])))
	s.bias = s.float(hdr[84:])
	switch {
	case s.compression == 2 && string(hdr[:4]) != savMagic3, s.compression < 0 || s.compression > 2:
		return s.damaged(fmt.Sprintf("unknown compression %d", s.compression), nil)
	}
	if s.compression != 0 && s.bias != 100 && (s.bias < 1 || s.bias > 250 || s.bias != math.Trunc(s.bias)) {
		return s.damaged(fmt.Sprintf("compression bias %v", s.bias), nil)
	}
	s.sysmis = math.Float64bits(-math.MaxFloat64)

	var (
		elems       int                 // 8-byte elements so far
		byElem      = map[int]*savVar{} // first element -> variable
		elemVar     []*savVar           // element -> variable (nil for continuations)
		encName     string
		codePage    int32
		longNames   []byte
		veryLong    []byte
		longLabels  []byte
		longMissing []byte
		display     []int32
	)
	type pendingLabels struct {
		vals   [][]byte
		labels [][]byte
	}
	var rawLabelSets []struct {
		pl   pendingLabels
		vars []int32
	}
	for {
		rt, err := s.int32("record type")
		if err != nil {
			return err
		}
		switch rt {
		case 2:
			b, err := s.bytes(28, "variable record")
			if err != nil {
				return err
			}
			typ := int32(s.order.Uint32(b[0:]))
			hasLabel := s.order.Uint32(b[4:])
			nMiss := int32(s.order.Uint32(b[8:]))
			print := s.order.Uint32(b[12:])
			short := strings.TrimRight(string(b[20:28]), " ")
			if hasLabel > 1 {
				return s.damaged(fmt.Sprintf("variable %s: label flag %d", short, hasLabel), nil)
			}
			var label []byte
			if hasLabel == 1 {
				n, err := s.int32("variable label length")
				if err != nil {
					return err
				}
				if n < 0 || n > 65536 {
					return s.damaged(fmt.Sprintf("variable %s: label of %d bytes", short, n), nil)
				}
				if label, err = s.bytes(int(n+3)/4*4, "variable label"); err != nil {
					return err
				}
				label = label[:n]
			}
			if nMiss < -3 || nMiss > 3 || nMiss == -1 {
				return s.damaged(fmt.Sprintf("variable %s: %d missing values", short, nMiss), nil)
			}
			nm := int(nMiss)
			if nm < 0 {
				nm = -nm
			}
			miss, err := s.bytes(8*nm, "missing values")
			if err != nil {
				return err
			}
			if elems >= maxSavCaseElems {
				return s.damaged(fmt.Sprintf("more than %d variables", maxSavCaseElems), nil)
			}
			if typ == -1 {
				// A continuation of the previous long string.
				if len(elemVar) == 0 || len(s.vars) == 0 || s.vars[len(s.vars)-1].width == 0 {
					return s.damaged("string continuation record without a string variable", nil)
				}
				elemVar = append(elemVar, nil)
				elems++
				continue
			}
			if typ < 0 || typ > 255 {
				return s.damaged(fmt.Sprintf("variable %s: type %d", short, typ), nil)
			}
			v := &savVar{short: strings.ToUpper(short), width: int(typ), elem: elems,
				fmtType: int(print>>16) & 0xff, fmtW: int(print>>8) & 0xff, fmtD: int(print) & 0xff}
			v.label = string(label)
			if nMiss != 0 {
				if v.width == 0 {
					vals := make([]float64, nm)
					for i := range vals {
						vals[i] = s.float(miss[8*i:])
					}
					if nMiss < 0 {
						v.hasRange, v.rangeLo, v.rangeH = true, vals[0], vals[1]
						vals = vals[2:]
					}
					v.missNum = vals
				} else if nMiss > 0 {
					for i := 0; i < nm; i++ {
						v.missStr = append(v.missStr, strings.TrimRight(string(miss[8*i:8*i+8]), " "))
					}
				}
			}
			s.vars = append(s.vars, v)
			byElem[elems] = v
			elemVar = append(elemVar, v)
			elems++
		case 3:
			n, err := s.int32("value label count")
			if err != nil {
				return err
			}
			if n < 0 {
				return s.damaged(fmt.Sprintf("%d value labels", n), nil)
			}
			var pl pendingLabels
			for i := int32(0); i < n; i++ {
				b, err := s.bytes(9, "value label")
				if err != nil {
					return err
				}
				l := int(b[8])
				lb, err := s.bytes((l+1+7)/8*8-1, "value label")
				if err != nil {
					return err
				}
				pl.vals = append(pl.vals, b[:8])
				pl.labels = append(pl.labels, lb[:l])
			}
			if rt, err := s.int32("record type"); err != nil {
				return err
			} else if rt != 4 {
				return s.damaged(fmt.Sprintf("value labels followed by record type %d, not 4", rt), nil)
			}
			nv, err := s.int32("value label variable count")
			if err != nil {
				return err
			}
			if nv < 0 || int64(nv)*4 > maxSavDictBytes {
				return s.damaged(fmt.Sprintf("value labels for %d variables", nv), nil)
			}
			b, err := s.bytes(int(nv)*4, "value label variables")
			if err != nil {
				return err
			}
			idx := make([]int32, nv)
			for i := range idx {
				idx[i] = int32(s.order.Uint32(b[4*i:]))
			}
			rawLabelSets = append(rawLabelSets, struct {
				pl   pendingLabels
				vars []int32
			}{pl, idx})
		case 4:
			return s.damaged("variable index record without value labels", nil)
		case 6:
			n, err := s.int32("document line count")
			if err != nil {
				return err
			}
			if n < 0 || int64(n)*80 > maxSavDictBytes {
				return s.damaged(fmt.Sprintf("%d document lines", n), nil)
			}
			if _, err := s.bytes(int(n)*80, "document"); err != nil {
				return err
			}
		case 7:
			b, err := s.bytes(12, "extension record")
			if err != nil {
				return err
			}
			sub := int32(s.order.Uint32(b[0:]))
			size, count := int64(int32(s.order.Uint32(b[4:]))), int64(int32(s.order.Uint32(b[8:])))
			if size < 0 || count < 0 || size*count > maxSavDictBytes {
				return s.damaged(fmt.Sprintf("extension record %d of %d × %d bytes", sub, size, count), nil)
			}
			data, err := s.bytes(int(size*count), fmt.Sprintf("extension record %d", sub))
			if err != nil {
				return err
			}
			switch sub {
			case 3:
				if size == 4 && count >= 8 {
					codePage = int32(s.order.Uint32(data[28:]))
				}
			case 4:
				if size == 8 && count >= 1 {
					s.sysmis = math.Float64bits(s.float(data))
				}
			case 11:
				if size == 4 {
					display = make([]int32, count)
					for i := range display {
						display[i] = int32(s.order.Uint32(data[4*i:]))
					}
				}
			case 13:
				longNames = data
			case 14:
				veryLong = data
			case 20:
				encName = strings.TrimRight(string(data), "\x00 ")
			case 21:
				longLabels = data
			case 22:
				longMissing = data
			}
		case 999:
			if _, err := s.int32("dictionary end"); err != nil {
				return err
			}
			goto done
		default:
			return s.damaged(fmt.Sprintf("unknown record type %d", rt), nil)
		}
	}
done:
	if len(s.vars) == 0 {
		return s.damaged("no variables", nil)
	}
	s.caseElems = elems
	if err := s.pickEncoding(opts.Encoding, encName, codePage); err != nil {
		return err
	}

	// Element counts per variable (continuations included).
	for i, v := range s.vars {
		end := elems
		if i+1 < len(s.vars) {
			end = s.vars[i+1].elem
		}
		v.nelem = end - v.elem
		if v.width > 0 && v.nelem != (v.width+7)/8 {
			return s.damaged(fmt.Sprintf("string variable %s of width %d has %d elements", v.short, v.width, v.nelem), nil)
		}
		if v.width == 0 && v.nelem != 1 {
			return s.damaged(fmt.Sprintf("numeric variable %s followed by a continuation", v.short), nil)
		}
		v.segs = []savSeg{{elem: v.elem, nelem: v.nelem, bytes: v.width}}
	}

	// Display parameters: one entry per variable (segments included), of
	// three values (measure, width, alignment) or two.
	if n := len(s.vars); n > 0 && len(display) > 0 {
		per := 0
		switch len(display) {
		case 3 * n:
			per = 3
		case 2 * n:
			per = 2
		}
		if per > 0 {
			for i, v := range s.vars {
				v.measure = int(display[i*per])
			}
		}
	}

	// Very long strings: a variable of width w > 255 is stored as
	// (w+251)/252 variables of width 255 (the last one shorter), named in
	// extension 14 by the first one's short name; its data is 255 bytes
	// of each segment but the last, then the rest.
	if veryLong != nil {
		byShort := map[string]int{}
		for i, v := range s.vars {
			byShort[v.short] = i
		}
		drop := map[*savVar]bool{}
		for _, pair := range strings.Split(string(veryLong), "\t") {
			pair = strings.Trim(pair, "\x00 ")
			k, val, ok := strings.Cut(pair, "=")
			if !ok {
				continue
			}
			i, found := byShort[strings.ToUpper(k)]
			w, err := strconv.Atoi(strings.TrimRight(val, "\x00 "))
			if !found || err != nil || w <= 255 || w > 32767 {
				return s.damaged(fmt.Sprintf("very long string record names %q", pair), nil)
			}
			n := (w + 251) / 252
			if i+n > len(s.vars) {
				return s.damaged(fmt.Sprintf("very long string %s of width %d needs %d segments", k, w, n), nil)
			}
			v := s.vars[i]
			if drop[v] {
				return s.damaged(fmt.Sprintf("very long string %s within another", k), nil)
			}
			var segs []savSeg
			total := 0
			for j := 0; j < n; j++ {
				sg := s.vars[i+j]
				if sg.width == 0 || (j < n-1 && sg.width != 255) {
					return s.damaged(fmt.Sprintf("very long string %s: segment %d has width %d", k, j+1, sg.width), nil)
				}
				used := 255
				if j == n-1 {
					used = w - 252*(n-1)
					if used > sg.width {
						return s.damaged(fmt.Sprintf("very long string %s: last segment of width %d, want at least %d", k, sg.width, used), nil)
					}
				}
				segs = append(segs, savSeg{elem: sg.elem, nelem: sg.nelem, bytes: used})
				total += sg.nelem
				if j > 0 {
					drop[sg] = true
				}
			}
			v.segs, v.nelem, v.width = segs, total, w
		}
		if len(drop) > 0 {
			s.vars = slices.DeleteFunc(s.vars, func(v *savVar) bool { return drop[v] })
		}
	}

	// Names: long names from extension 13, else the short name in the case
	// written (SPSS stores short names in upper case; lower case reads
	// better, as haven and PSPP show them).
	for _, v := range s.vars {
		v.name = strings.ToLower(v.short)
	}
	if longNames != nil {
		byShort := map[string]*savVar{}
		for _, v := range s.vars {
			byShort[v.short] = v
		}
		for _, pair := range strings.Split(string(longNames), "\t") {
			k, val, ok := strings.Cut(pair, "=")
			if v := byShort[strings.ToUpper(k)]; ok && v != nil && val != "" {
				v.name = s.decode([]byte(val))
			}
		}
	}
	byName := map[string]*savVar{}
	for _, v := range s.vars {
		byName[strings.ToUpper(v.name)] = v
		byName[v.short] = v
	}

	// Value labels (records 3 and 4), attached by element index.
	for _, set := range rawLabelSets {
		for _, ix := range set.vars {
			v := byElem[int(ix)-1]
			if v == nil || ix < 1 {
				return s.damaged(fmt.Sprintf("value labels for element %d, which starts no variable", ix), nil)
			}
			for i, raw := range set.pl.vals {
				label := s.decode(set.pl.labels[i])
				if v.width == 0 {
					if v.numLabels == nil {
						v.numLabels = map[float64]string{}
					}
					v.numLabels[s.float(raw)] = label
				} else {
					v.addStrLabel(strings.TrimRight(string(raw), " "), label)
				}
			}
		}
	}
	if longLabels != nil {
		if err := s.parseLongLabels(longLabels, byName); err != nil {
			return err
		}
	}
	if longMissing != nil {
		if err := s.parseLongMissing(longMissing, byName); err != nil {
			return err
		}
	}

	// Everything in the case is now known: which elements are text.
	s.elemStr = make([]bool, elems)
	for _, v := range s.vars {
		if v.width > 0 {
			for _, sg := range v.segs {
				for e := sg.elem; e < sg.elem+sg.nelem; e++ {
					s.elemStr[e] = true
				}
			}
		}
	}
	// Header, labels, metadata; a name used twice is an error, as in CSV.
	seen := map[string]bool{}
	anyLabel := false
	for _, v := range s.vars {
		if seen[v.name] {
			return s.damaged(fmt.Sprintf("variable name %q used twice", v.name), nil)
		}
		seen[v.name] = true
		v.label = s.decode([]byte(v.label))
		anyLabel = anyLabel || v.label != ""
		s.header = append(s.header, v.name)
		s.labels = append(s.labels, v.label)
		s.info = append(s.info, s.columnInfo(v))
	}
	if !anyLabel {
		s.labels = nil
	}
	return nil
}

func (v *savVar) addStrLabel(raw, label string) {
	for i := range v.strLabels {
		if v.strLabels[i].raw == raw {
			v.strLabels[i].label = label
			return
		}
	}
	v.strLabels = append(v.strLabels, savStrLabel{raw, label})
}

// lenString reads an int32 length and that many bytes from b at *p.
func (s *savReader) lenString(b []byte, p *int) ([]byte, bool) {
	if *p+4 > len(b) {
		return nil, false
	}
	n := int(int32(s.order.Uint32(b[*p:])))
	*p += 4
	if n < 0 || n > len(b)-*p {
		return nil, false
	}
	v := b[*p : *p+n]
	*p += n
	return v, true
}

// parseLongLabels reads extension 21: value labels of strings wider than 8.
func (s *savReader) parseLongLabels(b []byte, byName map[string]*savVar) error {
	bad := func() error { return s.damaged("long string value labels record (21) is malformed", nil) }
	for p := 0; p < len(b); {
		name, ok := s.lenString(b, &p)
		if !ok || p+8 > len(b) {
			return bad()
		}
		n := int(int32(s.order.Uint32(b[p+4:])))
		p += 8
		if n < 0 {
			return bad()
		}
		v := byName[strings.ToUpper(s.decode(name))]
		for i := 0; i < n; i++ {
			val, ok1 := s.lenString(b, &p)
			lab, ok2 := s.lenString(b, &p)
			if !ok1 || !ok2 {
				return bad()
			}
			if v != nil && v.width > 0 {
				v.addStrLabel(strings.TrimRight(string(val), " "), s.decode(lab))
			}
		}
	}
	return nil
}

// parseLongMissing reads extension 22: missing values of long strings.
// The format gives one value length for a variable's values; PSPP (to
// 1.6 at least) writes a length before each value, which is read too.
func (s *savReader) parseLongMissing(b []byte, byName map[string]*savVar) error {
	miss, ok := s.longMissing(b, false)
	if !ok {
		miss, ok = s.longMissing(b, true)
	}
	if !ok {
		return s.damaged("long string missing values record (22) is malformed", nil)
	}
	for name, vals := range miss {
		if v := byName[strings.ToUpper(name)]; v != nil && v.width > 0 {
			v.missStr = append(v.missStr, vals...)
		}
	}
	return nil
}

func (s *savReader) longMissing(b []byte, eachLen bool) (map[string][]string, bool) {
	out := map[string][]string{}
	for p := 0; p < len(b); {
		name, ok := s.lenString(b, &p)
		if !ok || p+1 > len(b) {
			return nil, false
		}
		n := int(b[p])
		p++
		if n > 3 {
			return nil, false
		}
		key := s.decode(name)
		if !eachLen {
			if p+4 > len(b) {
				return nil, false
			}
			vlen := int(int32(s.order.Uint32(b[p:])))
			p += 4
			if vlen < 0 || vlen > 255 || n*vlen > len(b)-p {
				return nil, false
			}
			for i := 0; i < n; i++ {
				out[key] = append(out[key], strings.TrimRight(string(b[p:p+vlen]), " "))
				p += vlen
			}
			continue
		}
		for i := 0; i < n; i++ {
			val, ok := s.lenString(b, &p)
			if !ok || len(val) > 255 {
				return nil, false
			}
			out[key] = append(out[key], strings.TrimRight(string(val), " "))
		}
	}
	return out, true
}

// pickEncoding chooses the text encoding: forced, else extension 20's
// name, else extension 3's code page, else Windows-1252 (what SPSS wrote
// before it recorded encodings).
func (s *savReader) pickEncoding(forced, name string, codePage int32) error {
	s.utf8 = true
	if forced != "" {
		enc, _, err := parseEncoding(forced)
		if err != nil {
			return err
		}
		if enc == encUTF8 {
			return nil
		}
		s.utf8, s.dec = false, enc.decoder()
		return nil
	}
	var e encoding.Encoding
	if name != "" {
		if strings.EqualFold(name, "UTF-8") || strings.EqualFold(name, "UTF8") {
			return nil
		}
		var err error
		if e, err = htmlindex.Get(name); err != nil {
			if e, err = ianaindex.IANA.Encoding(name); err != nil || e == nil {
				return &UnsupportedFormatError{File: s.name, Format: fmt.Sprintf("an SPSS file in the unknown character encoding %q", name), Advice: "save it as UTF-8 (SET UNICODE=ON in SPSS)"}
			}
		}
	} else {
		switch {
		case codePage == 65001:
			return nil
		case codePage == 2 || codePage == 20127:
			// 7-bit ASCII: decoding as Windows-1252 is harmless.
			name = "windows-1252"
		case codePage == 3 || codePage == 0 || codePage == -1:
			name = "windows-1252"
		case codePage == 1:
			return &UnsupportedFormatError{File: s.name, Format: "an SPSS file in EBCDIC", Advice: "save it again in SPSS on a PC"}
		case codePage >= 28591 && codePage <= 28606:
			name = fmt.Sprintf("iso-8859-%d", codePage-28590)
		case codePage >= 1250 && codePage <= 1258, codePage == 874:
			name = fmt.Sprintf("windows-%d", codePage)
		case codePage == 932:
			name = "shift_jis"
		case codePage == 936:
			name = "gbk"
		case codePage == 949:
			name = "euc-kr"
		case codePage == 950:
			name = "big5"
		default:
			name = "windows-1252"
		}
		var err error
		if e, err = htmlindex.Get(name); err != nil {
			e, _ = htmlindex.Get("windows-1252")
		}
	}
	if e == nil {
		return nil
	}
	s.utf8, s.dec = false, e.NewDecoder()
	return nil
}

// decode turns text of the file's encoding into UTF-8. Invalid UTF-8 in a
// UTF-8 file becomes U+FFFD rather than an error: a survey answer is
// better read slightly wrong than not at all, and the bytes are kept as
// far as possible.
func (s *savReader) decode(b []byte) string {
	if s.utf8 || isASCII(b) {
		if utf8.Valid(b) {
			return string(b)
		}
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	out, err := s.dec.Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(out)
}

// SPSS print format types used below.
const (
	fmtA        = 1
	fmtAHEX     = 2
	fmtDATE     = 20
	fmtTIME     = 21
	fmtDATETIME = 22
	fmtADATE    = 23
	fmtJDATE    = 24
	fmtDTIME    = 25
	fmtMOYR     = 28
	fmtQYR      = 29
	fmtWKYR     = 30
	fmtEDATE    = 38
	fmtSDATE    = 39
	fmtMTIME    = 40
	fmtYMDHMS   = 41
)

var savFormatNames = map[int]string{1: "A", 2: "AHEX", 3: "COMMA", 4: "DOLLAR", 5: "F", 6: "IB", 7: "PIBHEX", 8: "P",
	9: "PIB", 10: "PK", 11: "RB", 12: "RBHEX", 15: "Z", 16: "N", 17: "E", 20: "DATE", 21: "TIME", 22: "DATETIME",
	23: "ADATE", 24: "JDATE", 25: "DTIME", 26: "WKDAY", 27: "MONTH", 28: "MOYR", 29: "QYR", 30: "WKYR", 31: "PCT",
	32: "DOT", 33: "CCA", 34: "CCB", 35: "CCC", 36: "CCD", 37: "CCE", 38: "EDATE", 39: "SDATE", 40: "MTIME", 41: "YMDHMS"}

// dateKind says how a numeric variable's values are written: as numbers,
// dates, date-times or times of day (durations).
func (v *savVar) dateKind() cellKind {
	switch v.fmtType {
	case fmtDATE, fmtADATE, fmtJDATE, fmtEDATE, fmtSDATE, fmtMOYR, fmtQYR, fmtWKYR:
		return kindDate
	case fmtDATETIME, fmtYMDHMS:
		return kindDateTime
	case fmtTIME, fmtDTIME, fmtMTIME:
		return kindTimeOnly
	}
	return kindNumber
}

// kindDateTime is a date-time column of an SPSS file, written with its
// time of day unless midnight (as the XLSX reader writes kindDate).
const kindDateTime cellKind = 100

func (s *savReader) columnInfo(v *savVar) ColumnInfo {
	ci := ColumnInfo{Label: v.label, Numeric: v.width == 0}
	if n, ok := savFormatNames[v.fmtType]; ok {
		if v.width > 0 {
			ci.Format = fmt.Sprintf("A%d", v.width)
		} else if v.dateKind() == kindNumber {
			ci.Format = fmt.Sprintf("%s%d.%d", n, v.fmtW, v.fmtD)
		} else {
			ci.Format = fmt.Sprintf("%s%d", n, v.fmtW)
		}
	}
	switch v.measure {
	case 1:
		ci.Measure = "nominal"
	case 2:
		ci.Measure = "ordinal"
	case 3:
		ci.Measure = "scale"
	}
	if v.width == 0 {
		keys := make([]float64, 0, len(v.numLabels))
		for x := range v.numLabels {
			keys = append(keys, x)
		}
		sort.Float64s(keys)
		for _, x := range keys {
			if math.IsNaN(x) || math.Float64bits(x) == s.sysmis {
				continue
			}
			ci.ValueLabels = append(ci.ValueLabels, ValueLabel{Value: string(appendSavNum(nil, x, v.dateKind())), Label: v.numLabels[x]})
		}
		var miss []string
		for _, x := range v.missNum {
			miss = append(miss, string(appendSavNum(nil, x, v.dateKind())))
		}
		if v.hasRange {
			lo, hi := "lowest", "highest"
			if v.rangeLo > -math.MaxFloat64/2 {
				lo = string(appendSavNum(nil, v.rangeLo, v.dateKind()))
			}
			if v.rangeH < math.MaxFloat64/2 {
				hi = string(appendSavNum(nil, v.rangeH, v.dateKind()))
			}
			miss = append([]string{lo + " thru " + hi}, miss...)
		}
		ci.Missing = strings.Join(miss, ", ")
	} else {
		for _, l := range v.strLabels {
			ci.ValueLabels = append(ci.ValueLabels, ValueLabel{Value: s.decode([]byte(l.raw)), Label: l.label})
		}
		var miss []string
		for _, m := range v.missStr {
			miss = append(miss, strconv.Quote(s.decode([]byte(m))))
		}
		ci.Missing = strings.Join(miss, ", ")
	}
	return ci
}

// appendSavNum writes a number as the rows give it.
func appendSavNum(dst []byte, x float64, k cellKind) []byte {
	if k != kindNumber && !math.IsInf(x, 0) && math.Abs(x) < 1e13 {
		sec := math.Round(x)
		switch k {
		case kindTimeOnly:
			if sec < 0 {
				dst = append(dst, '-')
				sec = -sec
			}
			h, m, ss := int64(sec)/3600, int64(sec)/60%60, int64(sec)%60
			if h < 10 {
				dst = append(dst, '0')
			}
			dst = strconv.AppendInt(dst, h, 10)
			dst = append(dst, ':', byte('0'+m/10), byte('0'+m%10), ':', byte('0'+ss/10), byte('0'+ss%10))
			return dst
		case kindDate, kindDateTime:
			t := time.Unix(int64(sec)-spssEpochOffset, 0).UTC()
			if k == kindDate || (t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0) {
				return t.AppendFormat(dst, "2006-01-02")
			}
			return t.AppendFormat(dst, "2006-01-02 15:04:05")
		}
	}
	if x >= 0 && x < 100 && x == float64(int(x)) {
		// Answer codes: most of a survey's numbers.
		n := int(x)
		if n < 10 {
			return append(dst, byte('0'+n))
		}
		return append(dst, byte('0'+n/10), byte('0'+n%10))
	}
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return strconv.AppendInt(dst, int64(x), 10)
	}
	if a := math.Abs(x); a >= 1e-4 && a < 1e21 {
		return strconv.AppendFloat(dst, x, 'f', -1, 64)
	}
	return strconv.AppendFloat(dst, x, 'g', -1, 64)
}

// startData prepares to read cases after the dictionary.
func (s *savReader) startData() error {
	s.cas = make([]byte, 8*s.caseElems)
	s.rec = make([]string, len(s.vars))
	s.ends = make([]int, len(s.vars))
	s.cmdPos = 8
	switch s.compression {
	case 0, 1:
		s.data = s.src
		s.bdata = s.src.r
	case 2:
		// zlib header: its own offset, the trailer's offset and length.
		var b [24]byte
		at := s.src.n
		if _, err := io.ReadFull(s.src, b[:]); err != nil {
			return s.damaged("file ends within the zlib header", err)
		}
		zh := int64(s.order.Uint64(b[0:]))
		s.ztrail = int64(s.order.Uint64(b[8:]))
		if zh != at || s.ztrail < s.src.n {
			return s.damaged(fmt.Sprintf("zlib header at byte %d says it is at %d, trailer at %d", at, zh, s.ztrail), nil)
		}
		s.zstart = s.src.n
		s.zlibOn = true
		s.bdata = bufio.NewReaderSize(zlibBlocks{s}, 1<<16)
		s.data = s.bdata
	}
	return nil
}

// zlibBlocks reads the zlib streams of a .zsav one after another, up to
// the trailer, as one stream of bytecode.
type zlibBlocks struct{ s *savReader }

func (z zlibBlocks) Read(p []byte) (int, error) {
	s := z.s
	for {
		if s.zr == nil {
			if s.src.n >= s.ztrail {
				return 0, io.EOF
			}
			zr, err := zlib.NewReader(s.src)
			if err != nil {
				return 0, s.damaged("zlib block", err)
			}
			s.zr = zr
		}
		n, err := s.zr.Read(p)
		if err == io.EOF {
			s.zr.Close()
			s.zr = nil
			if s.src.n > s.ztrail {
				return n, s.damaged("zlib blocks run into the trailer", nil)
			}
			if n > 0 {
				return n, nil
			}
			continue
		}
		if err != nil {
			return n, s.damaged("zlib block", err)
		}
		return n, nil
	}
}

// Header implements TableReader.
func (s *savReader) Header() []string { return s.header }

// Labels implements TableReader: the variable labels.
func (s *savReader) Labels() []string { return s.labels }

// ColumnInfo implements ColumnInfoReader.
func (s *savReader) ColumnInfo() []ColumnInfo { return s.info }

func (s *savReader) Name() string       { return s.name }
func (s *savReader) DecimalComma() bool { return false }

func (s *savReader) Close() error {
	if s.zr != nil {
		s.zr.Close()
	}
	if s.closer != nil {
		return s.closer.Close()
	}
	return nil
}

// Next implements TableReader: the next case, numbered from 1.
func (s *savReader) Next() ([]string, int, error) {
	if s.err != nil {
		return nil, 0, s.err
	}
	if s.done || (s.ncases >= 0 && int64(s.caseNo) >= s.ncases) {
		return nil, 0, io.EOF
	}
	s.caseNo++
	if s.caseNo&0x3FFF == 0 {
		if err := s.ctx.Err(); err != nil {
			s.err = &ReadError{File: s.name, Err: err}
			return nil, 0, s.err
		}
	}
	var err error
	if s.compression == 0 {
		err = s.readRaw()
	} else {
		err = s.readBytecode()
	}
	if err != nil {
		s.caseNo--
		if err == io.EOF {
			if s.ncases >= 0 && int64(s.caseNo) < s.ncases {
				s.err = s.damaged(fmt.Sprintf("the data end after %d of the %d cases the header declares", s.caseNo, s.ncases), io.ErrUnexpectedEOF)
				return nil, 0, s.err
			}
			s.done = true
			return nil, 0, io.EOF
		}
		s.err = err
		return nil, 0, err
	}
	if err := s.format(); err != nil {
		s.err = err
		return nil, 0, err
	}
	return s.rec, s.caseNo, nil
}

// readRaw reads an uncompressed case; io.EOF at a clean end.
func (s *savReader) readRaw() error {
	n, err := io.ReadFull(s.data, s.cas)
	if err == io.EOF && n == 0 {
		return io.EOF
	}
	if err != nil {
		return s.damaged("file ends within a case", err)
	}
	if s.order == binary.BigEndian {
		for e, str := range s.elemStr {
			if !str {
				b := s.cas[8*e : 8*e+8]
				binary.LittleEndian.PutUint64(b, binary.BigEndian.Uint64(b))
			}
		}
	}
	return nil
}

// readBytecode decompresses one case; io.EOF at a clean end.
func (s *savReader) readBytecode() error {
	br := s.bdata
	for e := 0; e < s.caseElems; {
		if s.cmdPos == 8 {
			if _, err := io.ReadFull(br, s.cmd[:]); err != nil {
				if err == io.EOF && e == 0 {
					return io.EOF
				}
				return s.damaged("file ends within a case", err)
			}
			s.cmdPos = 0
		}
		c := s.cmd[s.cmdPos]
		s.cmdPos++
		b := s.cas[8*e : 8*e+8]
		switch c {
		case 0:
			continue // padding
		case 252:
			if e == 0 {
				return io.EOF
			}
			return s.damaged("end of data within a case", nil)
		case 253:
			if _, err := io.ReadFull(br, b); err != nil {
				return s.damaged("file ends within a case", err)
			}
			if !s.elemStr[e] && s.order == binary.BigEndian {
				binary.LittleEndian.PutUint64(b, binary.BigEndian.Uint64(b))
			}
		case 254:
			if !s.elemStr[e] {
				return s.damaged("spaces (code 254) for a number", nil)
			}
			copy(b, "        ")
		case 255:
			if s.elemStr[e] {
				return s.damaged("system-missing (code 255) for text", nil)
			}
			binary.LittleEndian.PutUint64(b, s.sysmis)
		default:
			if s.elemStr[e] {
				return s.damaged(fmt.Sprintf("number (code %d) for text", c), nil)
			}
			binary.LittleEndian.PutUint64(b, math.Float64bits(float64(c)-s.bias))
		}
		e++
	}
	return nil
}

// format writes the current case as text into s.rec.
func (s *savReader) format() error {
	t := s.text[:0]
	for i, v := range s.vars {
		if v.width == 0 {
			bits := binary.LittleEndian.Uint64(s.cas[8*v.elem:])
			x := math.Float64frombits(bits)
			if bits == s.sysmis || math.IsNaN(x) || v.isMissing(x) {
				s.ends[i] = len(t)
				continue
			}
			t = appendSavNum(t, x, v.dateKind())
			s.ends[i] = len(t)
			continue
		}
		start := len(t)
		for _, sg := range v.segs {
			t = append(t, s.cas[8*sg.elem:8*sg.elem+sg.bytes]...)
		}
		if len(t)-start > v.width {
			t = t[:start+v.width]
		}
		for len(t) > start && (t[len(t)-1] == ' ' || t[len(t)-1] == 0) {
			t = t[:len(t)-1]
		}
		if len(v.missStr) > 0 && slices.Contains(v.missStr, string(t[start:])) {
			t = t[:start]
		} else if !s.utf8 || !utf8.Valid(t[start:]) {
			if !isASCII(t[start:]) {
				d := s.decode(t[start:])
				t = append(t[:start], d...)
			}
		}
		if len(t)-start > s.maxCell {
			return s.damaged(fmt.Sprintf("text of %s in %s exceeds the %s cell size limit", formatBytes(int64(len(t)-start)), v.name, formatBytes(int64(s.maxCell))), nil)
		}
		s.ends[i] = len(t)
	}
	s.text = t
	row := string(t)
	start := 0
	for i, end := range s.ends {
		s.rec[i] = row[start:end]
		start = end
	}
	return nil
}

// isMissing reports whether x is a declared user-missing value.
func (v *savVar) isMissing(x float64) bool {
	if v.hasRange && x >= v.rangeLo && x <= v.rangeH {
		return true
	}
	for _, m := range v.missNum {
		if x == m {
			return true
		}
	}
	return false
}

// isSAV reports whether content starts like an SPSS system file.
func isSAV(magic []byte) bool {
	return bytes.HasPrefix(magic, []byte(savMagic2)) || bytes.HasPrefix(magic, []byte(savMagic3))
}
