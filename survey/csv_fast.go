// This file is derived from Go's encoding/csv (src/encoding/csv/reader.go,
// Copyright 2011 The Go Authors), whose licence, Go's LICENSE, follows;
// the rest of trustgap is under the LICENSE file at the repository root.
//
// Copyright 2009 The Go Authors.
//
// Redistribution and use in source and binary forms, with or without
// modification, are permitted provided that the following conditions are
// met:
//
//    * Redistributions of source code must retain the above copyright
// notice, this list of conditions and the following disclaimer.
//    * Redistributions in binary form must reproduce the above
// copyright notice, this list of conditions and the following disclaimer
// in the documentation and/or other materials provided with the
// distribution.
//    * Neither the name of Google LLC nor the names of its
// contributors may be used to endorse or promote products derived from
// this software without specific prior written permission.
//
// THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS
// "AS IS" AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT
// LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR
// A PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT
// OWNER OR CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL,
// SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT
// LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE,
// DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY
// THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT
// (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
// OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.

package survey

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"io"
	"math/bits"
)

// recordReader is what csvSource needs of a CSV parser: encoding/csv's
// Reader, or fastCSV for single-byte delimiters.
type recordReader interface {
	Read() ([]string, error)
	FieldPos(field int) (line, column int)
}

// fastCSV reads records exactly as an encoding/csv Reader with Comma set
// to a single-byte delimiter and the other options at their defaults but
// FieldsPerRecord = -1 and ReuseRecord: the same records, the same field
// positions, the same *csv.ParseError on malformed quotes. It is several
// times faster on survey exports, whose lines mostly hold no quote at
// all: such a line is split at its delimiters in one pass, and copied
// into its record's string once.
type fastCSV struct {
	r       *bufio.Reader
	comma   byte
	numLine int

	rawBuffer    []byte
	recordBuffer []byte
	fieldIndexes []int
	fieldLines   []int // line on which each field starts (quoted records)
	fieldCols    []int // and its column
	record       []string
	// plain is set when the last record came from a line without quotes:
	// its fields all start on line numLine, at columns FieldPos works out
	// from the fields' lengths, which saves keeping two positions per cell.
	plain bool
}

func newFastCSV(r *bufio.Reader, comma byte) *fastCSV {
	return &fastCSV{r: r, comma: comma}
}

// FieldPos returns the line and column at which field starts in the record
// Read returned last, as csv.Reader.FieldPos does.
func (r *fastCSV) FieldPos(field int) (line, column int) {
	if r.plain {
		if field < 0 || field >= len(r.record) {
			panic("out of range index passed to FieldPos")
		}
		column = 1
		for _, f := range r.record[:field] {
			column += len(f) + 1
		}
		return r.numLine, column
	}
	if field < 0 || field >= len(r.fieldLines) {
		panic("out of range index passed to FieldPos")
	}
	return r.fieldLines[field], r.fieldCols[field]
}

// readLine is csv.Reader.readLine: the next line with its "\n", "\r\n"
// made "\n", a final "\r" dropped.
func (r *fastCSV) readLine() ([]byte, error) {
	line, err := r.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		r.rawBuffer = append(r.rawBuffer[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = r.r.ReadSlice('\n')
			r.rawBuffer = append(r.rawBuffer, line...)
		}
		line = r.rawBuffer
	}
	readSize := len(line)
	if readSize > 0 && err == io.EOF {
		err = nil
		if line[readSize-1] == '\r' {
			line = line[:readSize-1]
		}
	}
	r.numLine++
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n'
		line = line[:n-1]
	}
	return line, err
}

func lengthNL(b []byte) int {
	if len(b) > 0 && b[len(b)-1] == '\n' {
		return 1
	}
	return 0
}

// Read returns the next record, reusing the slice of the last one (not
// its strings); see csv.Reader.Read.
func (r *fastCSV) Read() ([]string, error) {
	var line []byte
	var errRead error
	for errRead == nil {
		line, errRead = r.readLine()
		if errRead == nil && len(line) == lengthNL(line) {
			line = nil
			continue // skip empty lines
		}
		break
	}
	if errRead == io.EOF {
		return nil, errRead
	}
	r.fieldLines, r.fieldCols = r.fieldLines[:0], r.fieldCols[:0]
	body := line[:len(line)-lengthNL(line)]
	r.plain = bytes.IndexByte(body, '"') < 0
	if r.plain {
		return r.splitPlain(body, errRead)
	}
	return r.readQuoted(line, errRead)
}

// splitPlain splits a line without quotes at its delimiters: every field
// is unquoted, so the record is the line itself.
func (r *fastCSV) splitPlain(body []byte, errRead error) ([]string, error) {
	str := string(body)
	rec := r.record[:0]
	start := 0
	// Eight bytes at a time: a byte equal to the delimiter becomes zero
	// after the XOR, and the sum below sets the high bit of exactly the
	// zero bytes (no carry crosses bytes), so each delimiter is found
	// without a branch per byte. Survey fields are a few bytes long.
	const lo7, hi = 0x7F7F7F7F7F7F7F7F, 0x8080808080808080
	pat := uint64(r.comma) * 0x0101010101010101
	i := 0
	for ; i+8 <= len(body); i += 8 {
		x := binary.LittleEndian.Uint64(body[i:]) ^ pat
		m := ^((x & lo7) + lo7 | x | lo7) & hi
		for m != 0 {
			j := i + bits.TrailingZeros64(m)>>3
			rec = append(rec, str[start:j])
			start = j + 1
			m &= m - 1
		}
	}
	for ; i < len(body); i++ {
		if body[i] == r.comma {
			rec = append(rec, str[start:i])
			start = i + 1
		}
	}
	rec = append(rec, str[start:])
	r.record = rec
	return rec, errRead
}

// readQuoted is csv.Reader.readRecord for a record with quotes.
func (r *fastCSV) readQuoted(line []byte, errRead error) ([]string, error) {
	var err error
	const quoteLen = 1
	const commaLen = 1
	recLine := r.numLine
	r.recordBuffer = r.recordBuffer[:0]
	r.fieldIndexes = r.fieldIndexes[:0]
	posLine, posCol := r.numLine, 1
	addField := func(line, col int) {
		r.fieldIndexes = append(r.fieldIndexes, len(r.recordBuffer))
		r.fieldLines = append(r.fieldLines, line)
		r.fieldCols = append(r.fieldCols, col)
	}
parseField:
	for {
		if len(line) == 0 || line[0] != '"' {
			// Non-quoted field.
			i := bytes.IndexByte(line, r.comma)
			field := line
			if i >= 0 {
				field = field[:i]
			} else {
				field = field[:len(field)-lengthNL(field)]
			}
			if j := bytes.IndexByte(field, '"'); j >= 0 {
				err = &csv.ParseError{StartLine: recLine, Line: r.numLine, Column: posCol + j, Err: csv.ErrBareQuote}
				break parseField
			}
			r.recordBuffer = append(r.recordBuffer, field...)
			addField(posLine, posCol)
			if i >= 0 {
				line = line[i+commaLen:]
				posCol += i + commaLen
				continue parseField
			}
			break parseField
		}
		// Quoted field.
		fieldLine, fieldCol := posLine, posCol
		line = line[quoteLen:]
		posCol += quoteLen
		for {
			i := bytes.IndexByte(line, '"')
			switch {
			case i >= 0:
				// Hit the next quote.
				r.recordBuffer = append(r.recordBuffer, line[:i]...)
				line = line[i+quoteLen:]
				posCol += i + quoteLen
				switch {
				case len(line) > 0 && line[0] == '"':
					// `""`: a quote.
					r.recordBuffer = append(r.recordBuffer, '"')
					line = line[quoteLen:]
					posCol += quoteLen
				case len(line) > 0 && line[0] == r.comma:
					// `",`: end of field.
					line = line[commaLen:]
					posCol += commaLen
					addField(fieldLine, fieldCol)
					continue parseField
				case lengthNL(line) == len(line):
					// `"\n`: end of line.
					addField(fieldLine, fieldCol)
					break parseField
				default:
					// `"*`: a quote that is not escaped.
					err = &csv.ParseError{StartLine: recLine, Line: r.numLine, Column: posCol - quoteLen, Err: csv.ErrQuote}
					break parseField
				}
			case len(line) > 0:
				// Hit the end of the line: the field goes on.
				r.recordBuffer = append(r.recordBuffer, line...)
				if errRead != nil {
					break parseField
				}
				posCol += len(line)
				line, errRead = r.readLine()
				if len(line) > 0 {
					posLine++
					posCol = 1
				}
				if errRead == io.EOF {
					errRead = nil
				}
			default:
				// Abrupt end of file (EOF or error).
				if errRead == nil {
					err = &csv.ParseError{StartLine: recLine, Line: posLine, Column: posCol, Err: csv.ErrQuote}
					break parseField
				}
				addField(fieldLine, fieldCol)
				break parseField
			}
		}
	}
	if err == nil {
		err = errRead
	}
	str := string(r.recordBuffer)
	rec := r.record[:0]
	pre := 0
	for _, idx := range r.fieldIndexes {
		rec = append(rec, str[pre:idx])
		pre = idx
	}
	r.record = rec
	return rec, err
}
