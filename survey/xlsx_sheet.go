package survey

// A small purpose-built reader of worksheet XML, written by hand: a
// general XML decoder (encoding/xml, or excelize, which unpacks and
// decodes a whole sheet) is many times slower than the data it reads. It
// understands exactly what a worksheet's cells need: rows (<row r>),
// cells (<c r t s>), values (<v>), inline strings (<is><t>), the five
// predefined entities and character references, CDATA, comments and
// processing instructions; formulas (<f>) are skipped, their cached
// values kept. excelize still writes workbooks; the small parts
// (workbook, relationships, styles) are decoded with encoding/xml.

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// xmlScanner reads an XML stream as tags and text, allocation-free,
// scanning a window of the stream for '<' and '>'.
type xmlScanner struct {
	r        io.Reader
	buf      []byte // the window: buf[pos:end] is unread
	pos, end int
	eof      bool
	err      error  // a read error other than io.EOF
	tag      []byte // the current tag's content between < and >; valid until the next read

	// chunks, when not nil, is the stream instead of r, read in place:
	// the window is then a chunk (chunk true) or, while a tag longer
	// than chunkHead straddles two chunks, a buffer of the scanner's own.
	chunks chunkSource
	chunk  bool
}

func newXMLScanner(r io.Reader) xmlScanner {
	return xmlScanner{r: r, buf: make([]byte, 256<<10)}
}

// newChunkScanner reads the stream of src, chunk by chunk.
func newChunkScanner(src chunkSource) xmlScanner {
	return xmlScanner{chunks: src}
}

// maxXMLTag caps one tag (a cell's or row's attributes).
const maxXMLTag = 1 << 20

// errXML is malformed worksheet XML.
var errXML = errors.New("malformed worksheet XML")

// fill moves the unread bytes to the window's start and reads more,
// growing the window when it is full; false when nothing more comes.
func (x *xmlScanner) fill() bool {
	if x.eof || x.err != nil {
		return false
	}
	if x.chunks != nil {
		return x.fillChunk()
	}
	if x.pos > 0 {
		copy(x.buf, x.buf[x.pos:x.end])
		x.end -= x.pos
		x.pos = 0
	}
	if x.end == len(x.buf) {
		if len(x.buf) >= maxXMLTag {
			x.err = fmt.Errorf("%w: a tag longer than %s", errXML, formatBytes(maxXMLTag))
			return false
		}
		x.buf = append(x.buf, make([]byte, len(x.buf))...)
	}
	for {
		n, err := x.r.Read(x.buf[x.end:])
		x.end += n
		if err == io.EOF {
			x.eof = true
		} else if err != nil {
			x.err = err
		}
		if n > 0 || x.eof || x.err != nil {
			return n > 0
		}
	}
}

// fillChunk takes the next chunk as the window, the unread bytes of
// the current one moved in front of it.
func (x *xmlScanner) fillChunk() bool {
	b, err := x.chunks.next()
	if err != nil {
		if err == io.EOF {
			x.eof = true
		} else {
			x.err = err
		}
		return false
	}
	tail := x.buf[x.pos:x.end]
	if len(tail) <= chunkHead {
		start := chunkHead - len(tail)
		copy(b[start:], tail)
		x.release()
		x.buf, x.pos, x.end, x.chunk = b, start, len(b), true
		return true
	}
	// A long tag: joined in a buffer of its own, as fill would grow its
	// window, up to the same limit.
	if len(tail) >= maxXMLTag {
		x.chunks.recycle(b)
		x.err = fmt.Errorf("%w: a tag longer than %s", errXML, formatBytes(maxXMLTag))
		return false
	}
	nb := make([]byte, 0, len(tail)+len(b)-chunkHead)
	nb = append(append(nb, tail...), b[chunkHead:]...)
	x.chunks.recycle(b)
	x.release()
	x.buf, x.pos, x.end = nb, 0, len(nb)
	return true
}

// release gives the current chunk back to its source.
func (x *xmlScanner) release() {
	if x.chunk {
		x.chunks.recycle(x.buf)
		x.chunk = false
	}
	x.buf, x.pos, x.end = nil, 0, 0
}

// text returns the text up to the next tag (the '<' consumed), appended
// to dst when keep, else discarded; io.EOF at the end of the stream.
// Once dst holds more than limit bytes no more is kept: where such a
// value is cut depends on how the stream's reads fall, so the caller
// must refuse it whole.
func (x *xmlScanner) text(dst []byte, keep bool, limit int) ([]byte, error) {
	trailing := false // text other than spaces seen: at the end, the stream is cut
	for {
		w := x.buf[x.pos:x.end]
		if i := bytes.IndexByte(w, '<'); i >= 0 {
			if keep {
				dst = x.keep(dst, w[:i], limit)
			}
			x.pos += i + 1
			return dst, nil
		}
		if keep {
			dst = x.keep(dst, w, limit)
		}
		trailing = trailing || len(bytes.TrimSpace(w)) > 0
		x.pos = x.end
		if !x.fill() {
			if x.err != nil {
				return dst, x.err
			}
			if trailing {
				return dst, io.ErrUnexpectedEOF
			}
			return dst, io.EOF
		}
	}
}

// keep appends b to dst unless dst is over limit already.
func (x *xmlScanner) keep(dst, b []byte, limit int) []byte {
	if len(dst) > limit {
		return dst
	}
	return append(dst, b...)
}

// readTag reads a tag after its '<' into x.tag: up to the '>' that is
// outside quotes, or the end of a comment or CDATA section. One pass over
// the bytes: this is the reader's inner loop.
func (x *xmlScanner) readTag() error {
	// The byte after '<' decides the kind of tag: when the window ends at
	// the '<', read on before looking (else a comment split there would be
	// scanned as a tag, quotes and all).
	if x.pos == x.end && !x.fill() {
		if x.err != nil {
			return x.err
		}
		return io.ErrUnexpectedEOF
	}
	if x.buf[x.pos] == '!' {
		return x.readSpecial()
	}
	i := x.pos
	var q byte
	for {
		for ; i < x.end; i++ {
			c := x.buf[i]
			if q != 0 {
				if c == q {
					q = 0
				}
				continue
			}
			switch c {
			case '>':
				x.tag = x.buf[x.pos:i]
				x.pos = i + 1
				return nil
			case '"', '\'':
				q = c
			}
		}
		off := i - x.pos
		if !x.fill() {
			if x.err != nil {
				return x.err
			}
			return io.ErrUnexpectedEOF
		}
		i = x.pos + off
	}
}

// readSpecial reads a comment, CDATA section or declaration (<!...>).
func (x *xmlScanner) readSpecial() error {
	from := 0
	for {
		w := x.buf[x.pos:x.end]
		j := bytes.IndexByte(w[from:], '>')
		if j < 0 {
			from = len(w)
			if !x.fill() {
				if x.err != nil {
					return x.err
				}
				return io.ErrUnexpectedEOF
			}
			continue
		}
		j += from
		t := w[:j+1]
		if bytes.HasPrefix(t, []byte("!--")) && !bytes.HasSuffix(t, []byte("-->")) ||
			bytes.HasPrefix(t, []byte("![CDATA[")) && !bytes.HasSuffix(t, []byte("]]>")) {
			from = j + 1
			continue
		}
		x.tag = w[:j]
		x.pos += j + 1
		return nil
	}
}

// tagName returns the local name of tag t (prefix dropped), whether it
// closes an element (</x>) and whether it is empty (<x/>).
func tagName(t []byte) (name []byte, end, empty bool) {
	if len(t) > 0 && t[0] == '/' {
		end = true
		t = t[1:]
	}
	if len(t) > 0 && t[len(t)-1] == '/' {
		empty = true
		t = t[:len(t)-1]
	}
	i := 0
	for i < len(t) && t[i] != ' ' && t[i] != '\t' && t[i] != '\n' && t[i] != '\r' {
		i++
	}
	name = t[:i]
	if j := bytes.IndexByte(name, ':'); j >= 0 {
		name = name[j+1:]
	}
	return name, end, empty
}

// cellAttrs returns a cell tag's r and t attributes in one pass.
func cellAttrs(t []byte) (r, typ []byte, ok bool) {
	i := 1 // after the name "c"
	for i < len(t) {
		for i < len(t) && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r' || t[i] == '/') {
			i++
		}
		start := i
		for i < len(t) && t[i] != '=' {
			i++
		}
		name := t[start:i]
		i++
		if i >= len(t) || (t[i] != '"' && t[i] != '\'') {
			return r, typ, i > len(t)
		}
		q := t[i]
		i++
		vs := i
		for i < len(t) && t[i] != q {
			i++
		}
		if i >= len(t) {
			return nil, nil, false
		}
		switch string(bytes.TrimSpace(name)) {
		case "r":
			r = t[vs:i]
		case "t":
			typ = t[vs:i]
		}
		i++
	}
	return r, typ, true
}

// attr returns the raw value of attribute key (local name) in tag t.
func attr(t []byte, key string) ([]byte, bool) {
	i := 0
	for i < len(t) && t[i] != ' ' && t[i] != '\t' && t[i] != '\n' && t[i] != '\r' {
		i++
	}
	for i < len(t) {
		for i < len(t) && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r' || t[i] == '/') {
			i++
		}
		start := i
		for i < len(t) && t[i] != '=' && t[i] != ' ' {
			i++
		}
		name := t[start:i]
		for i < len(t) && (t[i] == ' ' || t[i] == '=') {
			i++
		}
		if i >= len(t) || (t[i] != '"' && t[i] != '\'') {
			return nil, false
		}
		q := t[i]
		i++
		vs := i
		for i < len(t) && t[i] != q {
			i++
		}
		if i >= len(t) {
			return nil, false
		}
		val := t[vs:i]
		i++
		if j := bytes.IndexByte(name, ':'); j >= 0 {
			name = name[j+1:]
		}
		if string(name) == key {
			return val, true
		}
	}
	return nil, false
}

// unescape decodes entities and character references in s, and the
// _xHHHH_ escapes Office writes for control characters, appending to dst.
func unescape(dst, s []byte) []byte {
	if bytes.IndexByte(s, '&') < 0 && bytes.Index(s, []byte("_x")) < 0 {
		return append(dst, s...)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '&':
			j := bytes.IndexByte(s[i:], ';')
			if j < 0 {
				dst = append(dst, c)
				continue
			}
			ent := s[i+1 : i+j]
			switch string(ent) {
			case "lt":
				dst = append(dst, '<')
			case "gt":
				dst = append(dst, '>')
			case "amp":
				dst = append(dst, '&')
			case "quot":
				dst = append(dst, '"')
			case "apos":
				dst = append(dst, '\'')
			default:
				var n uint64
				var err error = errXML
				if len(ent) > 1 && ent[0] == '#' {
					if ent[1] == 'x' || ent[1] == 'X' {
						n, err = strconv.ParseUint(string(ent[2:]), 16, 32)
					} else {
						n, err = strconv.ParseUint(string(ent[1:]), 10, 32)
					}
				}
				if err != nil || !utf8.ValidRune(rune(n)) {
					dst = append(dst, s[i:i+j+1]...)
				} else {
					dst = utf8.AppendRune(dst, rune(n))
				}
			}
			i += j
		case c == '_' && i+6 < len(s) && s[i+1] == 'x' && s[i+6] == '_':
			n, err := strconv.ParseUint(string(s[i+2:i+6]), 16, 16)
			if err != nil {
				dst = append(dst, c)
				continue
			}
			dst = utf8.AppendRune(dst, rune(n))
			i += 6
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// cellColumn reads the column of a cell reference like "AB12" (0-based).
func cellColumn(ref []byte) (int, bool) {
	col := 0
	i := 0
	for ; i < len(ref); i++ {
		c := ref[i] | 0x20
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
		if col > 16384 {
			return 0, false
		}
	}
	if i == 0 {
		return 0, false
	}
	return col - 1, true
}

// sheetRows reads a worksheet's rows from its XML, one at a time.
type sheetRows struct {
	x       xmlScanner
	shared  []string
	maxCell int

	row     int      // the current row's number
	cells   []string // the current row
	rowText []byte   // the text of the current row's cells
	pend    []pendingCell
	fixed   []string // the current row's fixed strings (see pendingCell)
	val     []byte   // the current cell's value
	text    []byte   // unescaped value
	done    bool

	// plain reads every cell a tag at a time: the reference that
	// scanCell, the fast path, is tested against.
	plain bool
}

// next returns the next row that has cells, with its sheet row number.
func (s *sheetRows) next() ([]string, int, error) {
	if s.done {
		return nil, 0, io.EOF
	}
	s.rowText, s.pend, s.fixed = s.rowText[:0], s.pend[:0], s.fixed[:0]
	inRow := false
	var (
		col            = -1
		typ            []byte
		inV, inT, inIS bool
		inRPh, inF     bool
		cellOpen       bool
		typBuf         [16]byte
	)
	for {
		var err error
		keep := (inV || (inIS && inT)) && !inRPh && !inF
		s.val, err = s.x.text(s.val, keep, s.maxCell)
		if err == io.EOF {
			s.done = true
			if inRow || cellOpen {
				return nil, 0, io.ErrUnexpectedEOF
			}
			return nil, 0, io.EOF
		}
		if err != nil {
			return nil, 0, err
		}
		// Between cells, the common ones are read whole by scanCell, one
		// pass over their bytes; anything else goes on below, a tag at a
		// time. s.plain turns this off: the tag-at-a-time path is the
		// reference the fast one is tested against.
		if !inRow && !s.plain && !cellOpen {
			// A row's start tag with its number first, read at once.
			if n, r, empty, ok := scanRowTag(s.x.buf[s.x.pos:s.x.end]); ok && r > s.row {
				s.x.pos += n
				s.row, col, inRow = r, -1, !empty
				continue
			}
		}
		if inRow && !s.plain && !cellOpen && !inV && !inIS && !inT && !inRPh && !inF {
			n, c, rowEnd, afterLT, err := s.scanCells(s.x.buf[s.x.pos:s.x.end], col)
			s.x.pos += n
			col = c
			if err != nil {
				return nil, s.row, err
			}
			if rowEnd {
				return s.buildRow(), s.row, nil
			}
			if !afterLT {
				continue // not at a '<': text() finds the next tag
			}
		}
		if err := s.x.readTag(); err != nil {
			return nil, 0, err
		}
		t := s.x.tag
		if len(t) == 0 {
			return nil, 0, errXML
		}
		if t[0] == '?' || t[0] == '!' {
			if bytes.HasPrefix(t, []byte("![CDATA[")) && keep {
				s.val = append(s.val, t[8:len(t)-2]...)
			}
			continue
		}
		name, end, empty := tagName(t)
		switch string(name) {
		case "row":
			if end {
				if inRow {
					return s.buildRow(), s.row, nil
				}
				continue
			}
			next := s.row + 1
			if r, ok := attr(t, "r"); ok {
				n, ok := smallUint(r)
				if !ok {
					var err error
					if n, err = strconv.Atoi(string(r)); err != nil {
						n = 0
					}
				}
				if n < 1 || n > 1<<20 {
					return nil, s.row + 1, fmt.Errorf("%w: row number %q", errXML, r)
				}
				next = n
			}
			if next <= s.row {
				return nil, next, fmt.Errorf("%w: row %d after row %d", errXML, next, s.row)
			}
			s.row = next
			col = -1
			if empty {
				continue // a row without cells
			}
			inRow = true
		case "c":
			if end {
				if cellOpen {
					if err := s.finishCell(col, typ); err != nil {
						return nil, s.row, err
					}
				}
				cellOpen = false
				continue
			}
			if !inRow {
				return nil, s.row, fmt.Errorf("%w: cell outside a row", errXML)
			}
			c := col + 1
			ref, tv, ok := cellAttrs(t)
			if !ok {
				return nil, s.row, fmt.Errorf("%w: cell tag %q", errXML, t)
			}
			if ref != nil {
				var ok2 bool
				if c, ok2 = cellColumn(ref); !ok2 {
					return nil, s.row, fmt.Errorf("%w: cell reference %q", errXML, ref)
				}
			}
			if c <= col {
				return nil, s.row, fmt.Errorf("%w: cell in column %d after column %d", errXML, c+1, col+1)
			}
			col = c
			typ = typBuf[:0]
			if len(tv) <= len(typBuf) {
				typ = append(typ, tv...)
			}
			s.val = s.val[:0]
			if empty {
				if err := s.finishCell(col, typ); err != nil {
					return nil, s.row, err
				}
				continue
			}
			// The common cell, <v>value</v></c> with nothing between,
			// is read at once: most of a sheet is such cells.
			// So is an inline string, <is><t>text</t></is></c>.
			w := s.x.buf[s.x.pos:s.x.end]
			openTag, closeTag := "<v>", "</v></c>"
			if bytes.HasPrefix(w, []byte("<is><t>")) {
				openTag, closeTag = "<is><t>", "</t></is></c>"
			}
			if bytes.HasPrefix(w, []byte(openTag)) {
				rest := w[len(openTag):]
				if k := bytes.IndexByte(rest, '<'); k >= 0 && k <= s.maxCell && bytes.HasPrefix(rest[k:], []byte(closeTag)) {
					s.val = append(s.val[:0], rest[:k]...)
					s.x.pos += len(openTag) + k + len(closeTag)
					if err := s.finishCell(col, typ); err != nil {
						return nil, s.row, err
					}
					continue
				}
			}
			cellOpen = true
		case "v":
			inV = !end && !empty
		case "is":
			inIS = !end && !empty
		case "t":
			inT = !end && !empty
		case "rPh":
			inRPh = !end && !empty
		case "f":
			inF = !end && !empty
		case "sheetData":
			if end {
				s.done = true
				if inRow || cellOpen {
					return nil, s.row, fmt.Errorf("%w: row %d not closed", errXML, s.row)
				}
				return nil, 0, io.EOF
			}
		}
	}
}

// scanCells reads the cells at w, just after a '<', with scanCell for
// as long as it can, and the row's end tag after them: the bytes read,
// the last cell's column, whether the row ended, and whether what was
// read ends with a '<' (the next tag's, for readTag) rather than before
// some other byte (for text).
func (s *sheetRows) scanCells(w []byte, col int) (n, c int, rowEnd, afterLT bool, err error) {
	c = col
	for {
		k, cc, ok, err := s.scanCell(w[n:], c)
		if err != nil || !ok {
			return n, c, false, true, err
		}
		n, c = n+k, cc
		if n >= len(w) || w[n] != '<' {
			return n, c, false, false, nil
		}
		n++
		if len(w)-n >= 5 && string(w[n:n+5]) == "/row>" {
			return n + 5, c, true, false, nil
		}
	}
}

// scanCell reads a whole cell at w, just after its '<', in one pass: the
// tag c with its attributes (r and t used, the rest skipped), then
// nothing ("/>"), an empty content ("></c>"), "<v>value</v></c>" or
// "<is><t>text</t></is></c>" with a value free of '<' and no longer than
// maxCell. It returns the bytes read and the cell's column (col is the
// previous cell's), ok false for anything else or a cell not wholly in
// w, which the tag-at-a-time path then reads: what it accepts and how it
// reads it must stay what that path does with the same bytes.
func (s *sheetRows) scanCell(w []byte, col int) (n, c int, ok bool, err error) {
	if len(w) < 2 || w[0] != 'c' {
		return 0, 0, false, nil
	}
	var ref, typ []byte
	i := 1
	if b := w[1]; b != ' ' && b != '>' && b != '/' && b != '\t' && b != '\n' && b != '\r' {
		return 0, 0, false, nil // another tag, such as <col>
	}
	empty := false
	refCol := -1 // ref's column, when read below
	if len(w) > 5 && string(w[1:5]) == ` r="` {
		// The reference most writers put first, its column read as it
		// is scanned.
		j, n := 5, 0
		for ; j < len(w) && w[j]-'A' < 26 && n <= 16384; j++ {
			n = n*26 + int(w[j]-'A'+1)
		}
		k := j
		for ; k < len(w) && w[k]-'0' < 10; k++ {
		}
		if j > 5 && n <= 16384 && k < len(w) && w[k] == '"' {
			ref, refCol, i = w[5:k], n-1, k+1
		}
	}
attrs:
	for {
		for i < len(w) && (w[i] == ' ' || w[i] == '\t' || w[i] == '\n' || w[i] == '\r') {
			i++
		}
		if i >= len(w) {
			return 0, 0, false, nil
		}
		switch w[i] {
		case '>':
			i++
			break attrs
		case '/':
			if i+1 < len(w) && w[i+1] == '>' {
				i += 2
				empty = true
				break attrs
			}
			return 0, 0, false, nil
		}
		start := i
		for i < len(w) {
			b := w[i]
			if b == '=' || b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '>' || b == '/' || b == '<' || b == '"' || b == '\'' {
				break
			}
			i++
		}
		if i == start || i+1 >= len(w) || w[i] != '=' || (w[i+1] != '"' && w[i+1] != '\'') {
			return 0, 0, false, nil
		}
		name := w[start:i]
		q := w[i+1]
		i += 2
		vs := i
		for i < len(w) && w[i] != q {
			i++
		}
		if i >= len(w) {
			return 0, 0, false, nil
		}
		if len(name) == 1 {
			switch name[0] {
			case 'r':
				ref, refCol = w[vs:i], -1
			case 't':
				typ = w[vs:i]
			}
		}
		i++
	}
	c = col + 1
	if refCol >= 0 {
		c = refCol
	} else if ref != nil {
		var ok2 bool
		if c, ok2 = cellColumn(ref); !ok2 {
			return 0, 0, false, nil // the other path names the error
		}
	}
	if c <= col || len(typ) > 16 {
		return 0, 0, false, nil
	}
	var val []byte
	plain := true // the value has no '&' or '_' to unescape
	if !empty {
		rest := w[i:]
		var closeTag string
		switch {
		case len(rest) >= 4 && string(rest[:4]) == "</c>":
			i += 4
			goto done
		case len(rest) >= 3 && string(rest[:3]) == "<v>":
			i += 3
			closeTag = "</v></c>"
		case len(rest) >= 7 && string(rest[:7]) == "<is><t>":
			i += 7
			closeTag = "</t></is></c>"
		default:
			return 0, 0, false, nil
		}
		vs := i
		for ; i < len(w); i++ {
			b := w[i]
			if b == '<' {
				break
			}
			if b == '&' || b == '_' {
				plain = false
			}
		}
		if i-vs > s.maxCell || !hasCloseTag(w[i:], closeTag) {
			return 0, 0, false, nil
		}
		val = w[vs:i]
		i += len(closeTag)
	}
done:
	switch {
	case len(typ) == 1 && typ[0] == 's' && plain:
		// A shared string's index, read without the general parse.
		k, digits := 0, true
		for _, b := range val {
			if b < '0' || b > '9' || k > len(s.shared) {
				digits = false
				break
			}
			k = k*10 + int(b-'0')
		}
		if !digits || len(val) == 0 || k >= len(s.shared) {
			break // blanks, signs and errors: finishCell
		}
		s.pend = append(s.pend, pendingCell{col: c, start: len(s.fixed), end: -1})
		s.fixed = append(s.fixed, s.shared[k])
		return i, c, true, nil
	case plain && (len(typ) != 1 || typ[0] != 's' && typ[0] != 'b'):
		// Numbers, inline strings and the rest are their own text (as in
		// finishCell), here with nothing to unescape.
		start := len(s.rowText)
		if len(val) == 1 {
			s.rowText = append(s.rowText, val[0]) // no call for a digit
		} else {
			s.rowText = append(s.rowText, val...)
		}
		s.pend = append(s.pend, pendingCell{col: c, start: start, end: len(s.rowText)})
		return i, c, true, nil
	}
	s.val = append(s.val[:0], val...)
	if err := s.finishCell(c, typ); err != nil {
		return 0, 0, false, err
	}
	return i, c, true, nil
}

// hasCloseTag reports whether w starts with tag, one of scanCell's two
// closing sequences, compared eight bytes at a time.
func hasCloseTag(w []byte, tag string) bool {
	if len(w) < len(tag) {
		return false
	}
	const v8 = "</v></c>"
	if len(tag) == len(v8) {
		return binary.LittleEndian.Uint64(w) == binary.LittleEndian.Uint64([]byte(v8))
	}
	const t13 = "</t></is></c>"
	return binary.LittleEndian.Uint64(w) == binary.LittleEndian.Uint64([]byte(t13)) &&
		binary.LittleEndian.Uint64(w[5:]) == binary.LittleEndian.Uint64([]byte(t13[5:]))
}

// scanRowTag reads a row's start tag at w, just after its '<', when its
// first attribute is its number, r="N": the bytes read, N, and whether
// the row is empty (<row .../>). ok false for anything else, or a tag
// not wholly in w, which the tag-at-a-time path then reads.
func scanRowTag(w []byte) (n, row int, empty, ok bool) {
	if len(w) < 8 || string(w[:7]) != `row r="` {
		return 0, 0, false, false
	}
	i := 7
	for i < len(w) && w[i] != '"' {
		i++
	}
	if i >= len(w) {
		return 0, 0, false, false
	}
	row, ok = smallUint(w[7:i])
	if !ok || row < 1 || row > 1<<20 {
		return 0, 0, false, false
	}
	var q byte
	for i++; i < len(w); i++ {
		c := w[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == '>':
			return i + 1, row, w[i-1] == '/', true
		}
	}
	return 0, 0, false, false
}

// smallUint reads 1 to 9 decimal digits without allocating; ok false
// for anything else.
func smallUint(b []byte) (n int, ok bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// finishCell stores the current cell's value as the row's column col.
func (s *sheetRows) finishCell(col int, typ []byte) error {
	c := pendingCell{col: col}
	switch string(typ) {
	case "s", "b":
		s.text = unescape(s.text[:0], s.val)
		t := bytes.TrimSpace(s.text)
		c.start, c.end = len(s.fixed), -1
		str := ""
		if string(typ) == "b" {
			switch string(t) {
			case "1", "true":
				str = "1"
			case "0", "false":
				str = "0"
			default:
				str = string(s.text)
				if len(s.val) > s.maxCell {
					str = string(s.val) // as in the default case below
				}
			}
		} else if len(t) > 0 {
			k, err := strconv.Atoi(string(t))
			if err != nil || k < 0 || k >= len(s.shared) {
				return fmt.Errorf("%w: shared string %q out of range", errXML, s.text)
			}
			str = s.shared[k]
		}
		s.fixed = append(s.fixed, str)
	default:
		c.start = len(s.rowText)
		if len(s.val) > s.maxCell {
			// Over the limit as stored, and maybe cut (see text): kept
			// as it stands, which the table refuses, since unescaped it
			// might be under the limit.
			s.rowText = append(s.rowText, s.val...)
		} else {
			s.rowText = unescape(s.rowText, s.val)
		}
		c.end = len(s.rowText)
	}
	s.pend = append(s.pend, c)
	return nil
}

// pendingCell is a cell of the current row: its own text, the range
// start:end of rowText (made one string for the whole row), or with end
// -1 a fixed string, fixed[start]. It holds no pointer, so that the
// cell's entry is written without the garbage collector's barrier.
type pendingCell struct {
	col, start, end int
}

// buildRow turns the row's cells into s.cells with one allocation.
func (s *sheetRows) buildRow() []string {
	text := string(s.rowText)
	s.cells = s.cells[:0]
	for _, c := range s.pend {
		for len(s.cells) < c.col {
			s.cells = append(s.cells, "")
		}
		if c.end < 0 {
			s.cells = append(s.cells, s.fixed[c.start])
		} else {
			s.cells = append(s.cells, text[c.start:c.end])
		}
	}
	return s.cells
}

// readSharedStrings reads xl/sharedStrings.xml: each <si>'s text, the
// runs of rich text joined, phonetic guides (<rPh>) left out.
func readSharedStrings(r io.Reader, maxCell int) ([]string, error) {
	x := newXMLScanner(r)
	var out []string
	var val, text []byte
	inSI, inT, inRPh := false, false, false
	for {
		var err error
		val, err = x.text(val, inSI && inT && !inRPh, maxCell)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if err := x.readTag(); err != nil {
			return nil, err
		}
		t := x.tag
		if len(t) == 0 {
			return nil, errXML
		}
		if t[0] == '?' || t[0] == '!' {
			if bytes.HasPrefix(t, []byte("![CDATA[")) && inSI && inT && !inRPh {
				val = append(val, t[8:len(t)-2]...)
			}
			continue
		}
		name, end, empty := tagName(t)
		switch string(name) {
		case "si":
			switch {
			case empty:
				out = append(out, "")
			case end:
				if len(val) > maxCell {
					text = append(text[:0], val...) // over the limit: see finishCell
				} else {
					text = unescape(text[:0], val)
				}
				out = append(out, string(text))
				inSI = false
			default:
				inSI = true
				val = val[:0]
			}
		case "t":
			inT = !end && !empty
		case "rPh":
			inRPh = !end && !empty
		}
	}
}

// workbookInfo is what the reader needs of the workbook's small parts.
type workbookInfo struct {
	sheets   []string
	parts    map[string]*zip.File // sheet name -> worksheet part
	date1904 bool
	xfFmt    []int          // cell style index -> number format id
	custom   map[int]string // custom number formats by id
	shared   *zip.File
}

// readWorkbookInfo decodes the workbook, its relationships and styles.
func readWorkbookInfo(zr *zip.Reader) (*workbookInfo, error) {
	var wb struct {
		Pr struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
			Type   string `xml:"Type,attr"`
		} `xml:"Relationship"`
	}
	if err := decodePart(zr, "xl/workbook.xml", &wb); err != nil {
		if errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrChecksum) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("workbook part xl/workbook.xml is damaged: %w", err)
		}
		return nil, fmt.Errorf("not an XLSX workbook: %w", err)
	}
	if len(wb.Sheets) == 0 {
		return nil, errors.New("not an XLSX workbook: it lists no sheets")
	}
	if err := decodePart(zr, "xl/_rels/workbook.xml.rels", &rels); err != nil {
		return nil, fmt.Errorf("not an XLSX workbook: %w", err)
	}
	target := func(t string) string {
		if len(t) > 0 && t[0] == '/' {
			return t[1:]
		}
		return "xl/" + t
	}
	info := &workbookInfo{parts: map[string]*zip.File{}, custom: map[int]string{}}
	info.date1904 = wb.Pr.Date1904 == "1" || wb.Pr.Date1904 == "true"
	for _, s := range wb.Sheets {
		info.sheets = append(info.sheets, s.Name)
		for _, r := range rels.Rels {
			if r.ID == s.ID {
				info.parts[s.Name] = zipEntry(zr, target(r.Target))
			}
		}
	}
	stylesPath, sharedPath := "xl/styles.xml", "xl/sharedStrings.xml"
	for _, r := range rels.Rels {
		switch {
		case len(r.Type) >= 7 && r.Type[len(r.Type)-7:] == "/styles":
			stylesPath = target(r.Target)
		case len(r.Type) >= 14 && r.Type[len(r.Type)-14:] == "/sharedStrings":
			sharedPath = target(r.Target)
		}
	}
	info.shared = zipEntry(zr, sharedPath)
	var styles struct {
		NumFmts []struct {
			ID   int    `xml:"numFmtId,attr"`
			Code string `xml:"formatCode,attr"`
		} `xml:"numFmts>numFmt"`
		Xfs []struct {
			NumFmt int `xml:"numFmtId,attr"`
		} `xml:"cellXfs>xf"`
	}
	if zipEntry(zr, stylesPath) != nil {
		if err := decodePart(zr, stylesPath, &styles); err == nil {
			for _, f := range styles.NumFmts {
				info.custom[f.ID] = f.Code
			}
			for _, x := range styles.Xfs {
				info.xfFmt = append(info.xfFmt, x.NumFmt)
			}
		}
	}
	return info, nil
}

// styleKind tells from a cell style's number format whether numbers in
// it are dates or times.
func (w *workbookInfo) styleKind(idx int) cellKind {
	if idx < 0 || idx >= len(w.xfFmt) {
		return kindNumber
	}
	n := w.xfFmt[idx]
	if code, ok := w.custom[n]; ok {
		return formatKind(code)
	}
	switch {
	case n >= 14 && n <= 17, n == 22, n >= 27 && n <= 31, n >= 34 && n <= 36, n >= 50 && n <= 58:
		return kindDate
	case n >= 18 && n <= 21, n == 32, n == 33, n >= 45 && n <= 47:
		return kindTimeOnly
	}
	return kindNumber
}
