package survey

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"math"
	"strings"
)

// A small SPSS system file writer for tests: big-endian files (which no
// writer at hand produces), generated large files for benchmarks and
// seeds for fuzzing. It writes what the format describes, independently
// of the reader.

type savTestCol struct {
	name   string // long name; the short name is V1, V2, …
	width  int    // 0 numeric, else string width (≤ 255)
	label  string
	labels map[float64]string // numeric value labels
	miss   []float64          // discrete user-missing values
	lo, hi float64            // a missing range when lo < hi
	format int                // print format type; 0 means F (or A)
}

type savTestFile struct {
	order       binary.ByteOrder
	compression int // 0 none, 1 bytecode, 2 zlib
	blockSize   int // zlib: uncompressed bytes per block; 0 means 1000
	unknownN    bool
	cols        []savTestCol
	rows        [][]any // float64 (sysmis: system-missing) or string
	// n and gen, when gen is set, give n generated rows instead of rows
	// (bytecode compression only): gen fills row i.
	n   int
	gen func(i int, row []any)
}

func (f *savTestFile) bytes() []byte {
	var b bytes.Buffer
	o := f.order
	i32 := func(v int32) { binary.Write(&b, o, v) }
	f64 := func(v float64) { binary.Write(&b, o, v) }
	pad := func(s string, n int) { b.WriteString((s + strings.Repeat(" ", n))[:n]) }
	elems := 0
	for _, c := range f.cols {
		if c.width == 0 {
			elems++
		} else {
			elems += (c.width + 7) / 8
		}
	}
	if f.compression == 2 {
		b.WriteString(savMagic3)
	} else {
		b.WriteString(savMagic2)
	}
	pad("@(#) SPSS DATA FILE trustgap test writer", 60)
	i32(2)
	i32(int32(elems))
	i32(int32(f.compression))
	i32(0)
	if f.unknownN {
		i32(-1)
	} else if f.gen != nil {
		i32(int32(f.n))
	} else {
		i32(int32(len(f.rows)))
	}
	f64(100)
	pad("01 Jan 26", 9)
	pad("12:00:00", 8)
	pad("test file", 64)
	pad("", 3)
	elem := 0
	var longNames []string
	for k, c := range f.cols {
		short := fmt.Sprintf("V%d", k+1)
		longNames = append(longNames, short+"="+c.name)
		i32(2)
		i32(int32(c.width))
		if c.label != "" {
			i32(1)
		} else {
			i32(0)
		}
		nm := len(c.miss)
		if c.lo < c.hi {
			nm = -2 - len(c.miss)
		}
		i32(int32(nm))
		ft := c.format
		if ft == 0 {
			ft = 5
			if c.width > 0 {
				ft = 1
			}
		}
		fw := 8
		if c.width > 0 {
			fw = c.width
		}
		i32(int32(ft<<16 | fw<<8))
		i32(int32(ft<<16 | fw<<8))
		pad(short, 8)
		if c.label != "" {
			i32(int32(len(c.label)))
			b.WriteString(c.label)
			b.Write(make([]byte, (4-len(c.label)%4)%4))
		}
		if c.lo < c.hi {
			f64(c.lo)
			f64(c.hi)
		}
		for _, m := range c.miss {
			f64(m)
		}
		elem++
		for range (c.width+7)/8 - 1 {
			i32(2)
			i32(-1)
			i32(0)
			i32(0)
			i32(0)
			i32(0)
			pad("", 8)
			elem++
		}
	}
	// Value labels, by the variables' first elements.
	elem = 0
	for _, c := range f.cols {
		if len(c.labels) > 0 {
			i32(3)
			i32(int32(len(c.labels)))
			for x, l := range c.labels {
				f64(x)
				b.WriteByte(byte(len(l)))
				b.WriteString(l)
				b.Write(make([]byte, (8-(1+len(l))%8)%8))
			}
			i32(4)
			i32(1)
			i32(int32(elem + 1))
		}
		if c.width == 0 {
			elem++
		} else {
			elem += (c.width + 7) / 8
		}
	}
	ext := func(sub int32, data string) {
		i32(7)
		i32(sub)
		i32(1)
		i32(int32(len(data)))
		b.WriteString(data)
	}
	ext(13, strings.Join(longNames, "\t"))
	ext(20, "UTF-8")
	i32(999)
	i32(0)

	if f.gen != nil {
		// Generated rows, compressed a case at a time.
		e := &bcEmitter{f: f, out: &b}
		row := make([]any, len(f.cols))
		var raw bytes.Buffer
		for i := range f.n {
			f.gen(i, row)
			raw.Reset()
			f.appendRow(&raw, row)
			e.write(raw.Bytes())
		}
		e.end()
		return b.Bytes()
	}
	// Cases.
	var raw bytes.Buffer
	for _, r := range f.rows {
		f.appendRow(&raw, r)
	}
	if f.compression == 0 {
		b.Write(raw.Bytes())
		return b.Bytes()
	}
	code := f.bytecode(raw.Bytes())
	if f.compression == 1 {
		b.Write(code)
		return b.Bytes()
	}
	bs := f.blockSize
	if bs == 0 {
		bs = 1000
	}
	zheader := int64(b.Len())
	var blocks bytes.Buffer
	type entry struct {
		uofs, cofs int64
		usize, cs  int32
	}
	var entries []entry
	for start := 0; start < len(code); start += bs {
		end := min(start+bs, len(code))
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		zw.Write(code[start:end])
		zw.Close()
		entries = append(entries, entry{zheader + int64(start), zheader + 24 + int64(blocks.Len()), int32(end - start), int32(z.Len())})
		blocks.Write(z.Bytes())
	}
	trailer := zheader + 24 + int64(blocks.Len())
	binary.Write(&b, o, zheader)
	binary.Write(&b, o, trailer)
	binary.Write(&b, o, int64(24+24*len(entries)))
	b.Write(blocks.Bytes())
	binary.Write(&b, o, int64(-100))
	binary.Write(&b, o, int64(0))
	i32(int32(bs))
	i32(int32(len(entries)))
	for _, e := range entries {
		binary.Write(&b, o, e.uofs)
		binary.Write(&b, o, e.cofs)
		i32(e.usize)
		i32(e.cs)
	}
	return b.Bytes()
}

func (f *savTestFile) appendRow(raw *bytes.Buffer, r []any) {
	var b [8]byte
	for k, c := range f.cols {
		if c.width == 0 {
			f.order.PutUint64(b[:], math.Float64bits(r[k].(float64)))
			raw.Write(b[:])
			continue
		}
		n := (c.width + 7) / 8 * 8
		raw.WriteString((r[k].(string) + strings.Repeat(" ", n))[:n])
	}
}

// bcEmitter writes bytecode-compressed cases to out.
type bcEmitter struct {
	f     *savTestFile
	out   *bytes.Buffer
	isStr []bool
	cmds  []byte
	data  []byte
}

func (e *bcEmitter) put(c byte, d []byte) {
	e.cmds = append(e.cmds, c)
	e.data = append(e.data, d...)
	if len(e.cmds) == 8 {
		e.flush()
	}
}

func (e *bcEmitter) flush() {
	for len(e.cmds) < 8 {
		e.cmds = append(e.cmds, 0)
	}
	e.out.Write(e.cmds)
	e.out.Write(e.data)
	e.cmds, e.data = e.cmds[:0], e.data[:0]
}

// write compresses whole cases.
func (e *bcEmitter) write(raw []byte) {
	if e.isStr == nil {
		for _, c := range e.f.cols {
			if c.width == 0 {
				e.isStr = append(e.isStr, false)
			} else {
				for range (c.width + 7) / 8 {
					e.isStr = append(e.isStr, true)
				}
			}
		}
	}
	for i := 0; 8*i < len(raw); i++ {
		el := raw[8*i : 8*i+8]
		if e.isStr[i%len(e.isStr)] {
			if string(el) == "        " {
				e.put(254, nil)
			} else {
				e.put(253, el)
			}
			continue
		}
		x := math.Float64frombits(e.f.order.Uint64(el))
		switch {
		case x == -math.MaxFloat64:
			e.put(255, nil)
		case x == math.Trunc(x) && x >= -99 && x <= 151:
			e.put(byte(x+100), nil)
		default:
			e.put(253, el)
		}
	}
}

func (e *bcEmitter) end() {
	e.put(252, nil)
	if len(e.cmds) > 0 {
		e.flush()
	}
}

// bytecode compresses the raw cases (elements in the file's byte order).
func (f *savTestFile) bytecode(raw []byte) []byte {
	var out bytes.Buffer
	e := &bcEmitter{f: f, out: &out}
	e.write(raw)
	e.end()
	return out.Bytes()
}

// sysmis is SPSS's system-missing value.
var sysmis = -math.MaxFloat64
