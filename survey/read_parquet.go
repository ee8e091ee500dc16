package survey

import (
	"bufio"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// parquetBatch is how many rows the Parquet reader decodes at a time.
const parquetBatch = 256

// parquetReader reads a Parquet file's rows, row group by row group, as
// text through github.com/parquet-go/parquet-go.
type parquetReader struct {
	name   string
	ctx    context.Context
	file   *parquet.File
	groups []parquet.RowGroup
	group  int
	rows   parquet.Rows

	header []string
	conv   []parquetConv
	info   []ColumnInfo

	buf    []parquet.Row
	n, pos int
	rowNo  int

	rec     []string
	text    []byte
	ends    []int
	maxCell int
	err     error
	closer  io.Closer
}

// parquetConv says how a leaf column's values are written as text.
type parquetConv struct {
	kind     parquet.Kind
	date     bool          // INT32 days since 1970-01-01
	stamp    time.Duration // INT64 timestamp unit; 0 if not a timestamp
	timeOfDy time.Duration // INT32/INT64 time of day unit; 0 if none
	scale    int           // decimal scale; -1 if not a decimal
	unsigned bool
	uuid     bool
	text     bool // BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY read as text
}

// NewParquetReader reads a Parquet file (size bytes in r) as a table: the
// header is its columns' names (a nested group's columns as
// "group.field"), rows are numbered from 1. Numbers are written as Go
// writes them, strings as stored, nulls as empty cells, DATE and
// TIMESTAMP columns as ISO text ("2024-01-05", "2024-01-05 13:30:00",
// UTC), TIME as "13:30:00", DECIMAL with its scale, booleans as 1 and 0
// (as the XLSX reader gives them). Dictionary-encoded string columns read
// as their strings; their ColumnInfo says nominal. Row groups are read
// one after another, a few hundred rows at a time. Files with repeated
// (list or map) columns are refused: a survey table has one value per
// respondent and column.
//
// Close does not close r.
func NewParquetReader(r io.ReaderAt, size int64, name string, opts ReadOptions) (TableReader, error) {
	opts, err := opts.resolve()
	if err != nil {
		return nil, &ReadError{File: name, Err: err}
	}
	return newParquetReader(context.Background(), r, size, name, opts, nil)
}

func newParquetReader(ctx context.Context, r io.ReaderAt, size int64, name string, opts ReadOptions, closer io.Closer) (_ *parquetReader, err error) {
	defer func() {
		// A damaged file can make the library panic; report it as damage.
		if p := recover(); p != nil {
			err = &DamagedFileError{File: name, Format: "Parquet", Offset: -1, Msg: fmt.Sprint(p)}
		}
	}()
	f, err := parquet.OpenFile(r, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		if ctx.Err() != nil {
			return nil, &ReadError{File: name, Err: ctx.Err()}
		}
		return nil, &DamagedFileError{File: name, Format: "Parquet", Offset: -1, Msg: "cannot read its footer", Err: err}
	}
	if err := checkParquetSizes(f, r, size, opts.MaxUnzipBytes); err != nil {
		if ctx.Err() != nil {
			return nil, &ReadError{File: name, Err: ctx.Err()}
		}
		return nil, &DamagedFileError{File: name, Format: "Parquet", Offset: -1, Msg: err.Error()}
	}
	p := &parquetReader{name: name, ctx: ctx, file: f, groups: f.RowGroups(), maxCell: opts.MaxCellBytes}
	schema := f.Schema()
	dict := dictionaryColumns(f)
	paths := schema.Columns()
	if len(paths) == 0 {
		return nil, &DamagedFileError{File: name, Format: "Parquet", Offset: -1, Msg: "no columns"}
	}
	seen := map[string]bool{}
	for i, path := range paths {
		leaf, ok := schema.Lookup(path...)
		colName := strings.Join(path, ".")
		if !ok {
			return nil, &DamagedFileError{File: name, Format: "Parquet", Offset: -1, Msg: fmt.Sprintf("column %q not in the schema", colName)}
		}
		if leaf.MaxRepetitionLevel > 0 {
			return nil, &UnsupportedFormatError{File: name, Format: fmt.Sprintf("a Parquet file with a repeated (list or map) column %q", colName),
				Advice: "write one column per answer, one row per respondent"}
		}
		if leaf.ColumnIndex != i {
			return nil, &DamagedFileError{File: name, Format: "Parquet", Offset: -1, Msg: fmt.Sprintf("column %q out of order", colName)}
		}
		if seen[colName] {
			return nil, &DamagedFileError{File: name, Format: "Parquet", Offset: -1, Msg: fmt.Sprintf("column %q twice", colName)}
		}
		seen[colName] = true
		c, ci := parquetColumn(leaf.Node.Type())
		if dict[i] && c.text {
			ci.Measure = "nominal"
			ci.Format += " (dictionary)"
		}
		p.header = append(p.header, colName)
		p.conv = append(p.conv, c)
		p.info = append(p.info, ci)
	}
	p.rec = make([]string, len(p.header))
	p.ends = make([]int, len(p.header))
	p.buf = make([]parquet.Row, parquetBatch)
	p.closer = closer
	return p, nil
}

// maxParquetPageValues caps the values one page may declare: real pages
// hold thousands, and a run-length encoding can declare billions in a few
// bytes, which the decoder would allocate.
const maxParquetPageValues = 1 << 24

// checkParquetSizes refuses a file whose declared sizes would make the
// decoder allocate far more than the file holds (the Parquet form of a
// zip bomb): every column chunk must lie in the file, all of them
// together unpack to at most limit bytes, and each page header (read
// ahead, without the data) must fit its chunk and declare a sane number
// of values.
func checkParquetSizes(f *parquet.File, r io.ReaderAt, size, limit int64) error {
	md := f.Metadata()
	var total int64
	section := io.NewSectionReader(r, 0, size)
	rbuf := bufio.NewReaderSize(section, 4096)
	var proto thrift.CompactProtocol
	dec := thrift.NewDecoder(proto.NewReader(rbuf))
	for g, rg := range md.RowGroups {
		if rg.NumRows < 0 || rg.NumRows > maxParquetRows {
			return fmt.Errorf("row group %d declares %d rows", g+1, rg.NumRows)
		}
		for c, cc := range rg.Columns {
			m := cc.MetaData
			start := m.DataPageOffset
			if m.DictionaryPageOffset > 0 && m.DictionaryPageOffset < start {
				start = m.DictionaryPageOffset
			}
			if start < 4 || m.TotalCompressedSize < 0 || m.TotalUncompressedSize < 0 || start > size || m.TotalCompressedSize > size-start {
				return fmt.Errorf("row group %d column %d lies outside the file", g+1, c+1)
			}
			if total += m.TotalUncompressedSize; total > limit {
				return fmt.Errorf("the data would unpack to more than the %s unzip limit", formatBytes(limit))
			}
			if total > max(maxParquetRatio*size, 16<<20) {
				return fmt.Errorf("the data would unpack to more than %d times the file's size", maxParquetRatio)
			}
			end := start + m.TotalCompressedSize
			for off := start; off < end; {
				section.Seek(off, io.SeekStart)
				rbuf.Reset(section)
				var h format.PageHeader
				if err := dec.Decode(&h); err != nil {
					return fmt.Errorf("row group %d column %d: page header at byte %d: %v", g+1, c+1, off, err)
				}
				pos, _ := section.Seek(0, io.SeekCurrent)
				pos -= int64(rbuf.Buffered())
				n := int64(h.CompressedPageSize)
				if n < 0 || h.UncompressedPageSize < 0 || int64(h.UncompressedPageSize) > max(m.TotalUncompressedSize, 64) || int64(h.UncompressedPageSize) > maxParquetRatio*n+1<<16 || n > end-pos {
					return fmt.Errorf("row group %d column %d: page at byte %d does not fit its column chunk", g+1, c+1, off)
				}
				for _, v := range []int32{h.DataPageHeader.V.NumValues, h.DictionaryPageHeader.V.NumValues, h.DataPageHeaderV2.V.NumValues, h.DataPageHeaderV2.V.NumRows} {
					if v < 0 || v > maxParquetPageValues {
						return fmt.Errorf("row group %d column %d: page at byte %d declares %d values", g+1, c+1, off, v)
					}
				}
				off = pos + n
			}
		}
	}
	return nil
}

// maxParquetRatio caps how many times its compressed size a file's data
// may unpack to: compression of survey data gains ten or twenty times.
const maxParquetRatio = 200

// maxParquetRows caps the rows a row group may declare.
const maxParquetRows = 1 << 31

// dictionaryColumns reports which columns the first row group stores
// dictionary-encoded.
func dictionaryColumns(f *parquet.File) map[int]bool {
	out := map[int]bool{}
	md := f.Metadata()
	if len(md.RowGroups) == 0 {
		return out
	}
	for i, c := range md.RowGroups[0].Columns {
		for _, e := range c.MetaData.Encoding {
			if e == format.RLEDictionary || e == format.PlainDictionary {
				out[i] = true
			}
		}
	}
	return out
}

func parquetColumn(t parquet.Type) (parquetConv, ColumnInfo) {
	c := parquetConv{kind: t.Kind(), scale: -1}
	ci := ColumnInfo{Numeric: true, Format: t.String()}
	unit := func(u format.TimeUnit) time.Duration {
		switch u.Value.(type) {
		case *format.MilliSeconds:
			return time.Millisecond
		case *format.MicroSeconds:
			return time.Microsecond
		case *format.NanoSeconds:
			return time.Nanosecond
		}
		return time.Millisecond
	}
	if lt := t.LogicalType(); lt != nil && lt.Value != nil {
		switch v := lt.Value.(type) {
		case *format.DateType:
			c.date = true
		case *format.TimestampType:
			c.stamp = unit(v.Unit)
		case *format.TimeType:
			c.timeOfDy = unit(v.Unit)
		case *format.DecimalType:
			c.scale = int(v.Scale)
		case *format.IntType:
			c.unsigned = !v.IsSigned
		case *format.UUIDType:
			c.uuid = true
		}
	} else if ct := t.ConvertedType(); ct != nil {
		switch *ct {
		case deprecated.Date:
			c.date = true
		case deprecated.TimestampMillis:
			c.stamp = time.Millisecond
		case deprecated.TimestampMicros:
			c.stamp = time.Microsecond
		case deprecated.TimeMillis:
			c.timeOfDy = time.Millisecond
		case deprecated.TimeMicros:
			c.timeOfDy = time.Microsecond
		case deprecated.Uint8, deprecated.Uint16, deprecated.Uint32, deprecated.Uint64:
			c.unsigned = true
		}
	}
	switch c.kind {
	case parquet.ByteArray, parquet.FixedLenByteArray:
		if c.scale < 0 && !c.uuid {
			c.text = true
			ci.Numeric = false
		}
	}
	return c, ci
}

func (p *parquetReader) Name() string             { return p.name }
func (p *parquetReader) Header() []string         { return p.header }
func (p *parquetReader) Labels() []string         { return nil }
func (p *parquetReader) DecimalComma() bool       { return false }
func (p *parquetReader) ColumnInfo() []ColumnInfo { return p.info }

func (p *parquetReader) Close() error {
	var err error
	if p.rows != nil {
		err = p.rows.Close()
		p.rows = nil
	}
	if p.closer != nil {
		err = errors.Join(err, p.closer.Close())
	}
	return err
}

// Next implements TableReader.
func (p *parquetReader) Next() (rec []string, row int, err error) {
	if p.err != nil {
		return nil, 0, p.err
	}
	defer func() {
		if r := recover(); r != nil {
			p.err = &DamagedFileError{File: p.name, Format: "Parquet", Offset: -1, Case: p.rowNo, Msg: fmt.Sprint(r)}
			rec, row, err = nil, 0, p.err
		}
	}()
	for p.pos == p.n {
		if err := p.fill(); err != nil {
			if err != io.EOF {
				p.err = err
			}
			return nil, 0, err
		}
	}
	r := p.buf[p.pos]
	p.pos++
	p.rowNo++
	if err := p.format(r); err != nil {
		p.err = err
		return nil, 0, err
	}
	return p.rec, p.rowNo, nil
}

// fill decodes the next batch of rows, moving on to the next row group
// when one is done.
func (p *parquetReader) fill() error {
	if err := p.ctx.Err(); err != nil {
		return &ReadError{File: p.name, Err: err}
	}
	for {
		if p.rows == nil {
			if p.group == len(p.groups) {
				return io.EOF
			}
			p.rows = p.groups[p.group].Rows()
			p.group++
		}
		n, err := p.rows.ReadRows(p.buf)
		if n > 0 {
			p.n, p.pos = n, 0
			if err != nil && err != io.EOF {
				// Keep the rows read; the error comes back next time.
				p.n = n
			}
			return nil
		}
		if err == io.EOF || err == nil {
			p.rows.Close()
			p.rows = nil
			continue
		}
		if p.ctx.Err() != nil {
			return &ReadError{File: p.name, Err: p.ctx.Err()}
		}
		return &DamagedFileError{File: p.name, Format: "Parquet", Offset: -1, Case: p.rowNo + 1, Msg: "cannot decode the data", Err: err}
	}
}

// format writes a row's values as text into p.rec, in one string.
func (p *parquetReader) format(r parquet.Row) error {
	t := p.text[:0]
	filled := 0
	for i := range p.ends {
		p.ends[i] = -1
	}
	// Values come in column order, one per leaf column (none repeat).
	for _, v := range r {
		col := v.Column()
		if col < 0 || col >= len(p.conv) || p.ends[col] >= 0 {
			return &DamagedFileError{File: p.name, Format: "Parquet", Offset: -1, Case: p.rowNo, Msg: fmt.Sprintf("value for column %d", col)}
		}
		// Columns without a value in this row keep their place.
		for filled < col {
			p.ends[filled] = len(t)
			filled++
		}
		start := len(t)
		if !v.IsNull() {
			t = p.conv[col].appendValue(t, v)
		}
		if len(t)-start > p.maxCell {
			return &DamagedFileError{File: p.name, Format: "Parquet", Offset: -1, Case: p.rowNo,
				Msg: fmt.Sprintf("value of %s in %s exceeds the %s cell size limit", formatBytes(int64(len(t)-start)), p.header[col], formatBytes(int64(p.maxCell)))}
		}
		p.ends[col] = len(t)
		filled = col + 1
	}
	for filled < len(p.ends) {
		p.ends[filled] = len(t)
		filled++
	}
	p.text = t
	s := string(t)
	start := 0
	for i, end := range p.ends {
		p.rec[i] = s[start:end]
		start = end
	}
	return nil
}

func (c *parquetConv) appendValue(t []byte, v parquet.Value) []byte {
	switch c.kind {
	case parquet.Boolean:
		if v.Boolean() {
			return append(t, '1')
		}
		return append(t, '0')
	case parquet.Int32:
		x := v.Int32()
		switch {
		case c.date:
			return time.Unix(int64(x)*86400, 0).UTC().AppendFormat(t, "2006-01-02")
		case c.timeOfDy > 0:
			return appendTimeOfDay(t, int64(x)*int64(c.timeOfDy))
		case c.scale >= 0:
			return appendDecimal(t, big.NewInt(int64(x)), c.scale)
		case c.unsigned:
			return strconv.AppendUint(t, uint64(uint32(x)), 10)
		}
		return strconv.AppendInt(t, int64(x), 10)
	case parquet.Int64:
		x := v.Int64()
		switch {
		case c.stamp > 0:
			return appendStamp(t, time.Unix(0, 0).Add(time.Duration(x)*c.stamp))
		case c.timeOfDy > 0:
			return appendTimeOfDay(t, x*int64(c.timeOfDy))
		case c.scale >= 0:
			return appendDecimal(t, big.NewInt(x), c.scale)
		case c.unsigned:
			return strconv.AppendUint(t, uint64(x), 10)
		}
		return strconv.AppendInt(t, x, 10)
	case parquet.Int96:
		// Impala's timestamps: nanoseconds of the day, then the Julian day.
		i := v.Int96()
		nanos := int64(uint64(i[1])<<32 | uint64(i[0]))
		days := int64(i[2]) - 2440588
		return appendStamp(t, time.Unix(days*86400, nanos))
	case parquet.Float:
		return appendParquetFloat(t, float64(v.Float()), 32)
	case parquet.Double:
		return appendParquetFloat(t, v.Double(), 64)
	}
	b := v.ByteArray()
	switch {
	case c.scale >= 0:
		return appendDecimal(t, twosComplement(b), c.scale)
	case c.uuid && len(b) == 16:
		var u [36]byte
		hex.Encode(u[0:8], b[0:4])
		u[8] = '-'
		hex.Encode(u[9:13], b[4:6])
		u[13] = '-'
		hex.Encode(u[14:18], b[6:8])
		u[18] = '-'
		hex.Encode(u[19:23], b[8:10])
		u[23] = '-'
		hex.Encode(u[24:], b[10:])
		return append(t, u[:]...)
	}
	if utf8.Valid(b) {
		return append(t, b...)
	}
	return append(t, strings.ToValidUTF8(string(b), "\uFFFD")...)
}

func appendParquetFloat(t []byte, x float64, bits int) []byte {
	switch {
	case math.IsNaN(x):
		return t // NaN is missing, as in the other readers
	case x == math.Trunc(x) && math.Abs(x) < 1e15:
		return strconv.AppendInt(t, int64(x), 10)
	}
	if a := math.Abs(x); a >= 1e-4 && a < 1e21 {
		return strconv.AppendFloat(t, x, 'f', -1, bits)
	}
	return strconv.AppendFloat(t, x, 'g', -1, bits)
}

// appendStamp writes a timestamp in UTC, its date alone at midnight.
func appendStamp(t []byte, ts time.Time) []byte {
	ts = ts.UTC().Round(time.Second)
	if ts.Hour() == 0 && ts.Minute() == 0 && ts.Second() == 0 {
		return ts.AppendFormat(t, "2006-01-02")
	}
	return ts.AppendFormat(t, "2006-01-02 15:04:05")
}

func appendTimeOfDay(t []byte, nanos int64) []byte {
	sec := (nanos + int64(time.Second)/2) / int64(time.Second)
	return appendSavNum(t, float64(sec), kindTimeOnly)
}

// twosComplement reads a big-endian two's complement integer.
func twosComplement(b []byte) *big.Int {
	x := new(big.Int).SetBytes(b)
	if len(b) > 0 && b[0]&0x80 != 0 {
		x.Sub(x, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return x
}

// appendDecimal writes the integer x scaled down by 10^scale exactly,
// without trailing zeros after the point.
func appendDecimal(t []byte, x *big.Int, scale int) []byte {
	s := x.String()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if neg {
		t = append(t, '-')
	}
	if scale == 0 {
		return append(t, s...)
	}
	for len(s) <= scale {
		s = "0" + s
	}
	whole, frac := s[:len(s)-scale], strings.TrimRight(s[len(s)-scale:], "0")
	t = append(t, whole...)
	if frac != "" {
		t = append(append(t, '.'), frac...)
	}
	return t
}

// isParquet reports whether content starts like a Parquet file.
func isParquet(magic []byte) bool {
	return len(magic) >= 4 && string(magic[:4]) == parquetMagc
}
