package survey

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// textEncoding is a character encoding the CSV reader decodes.
type textEncoding int

const (
	encUTF8 textEncoding = iota
	encUTF16LE
	encUTF16BE
	encWindows1252
)

func (e textEncoding) String() string {
	switch e {
	case encUTF16LE:
		return "utf-16le"
	case encUTF16BE:
		return "utf-16be"
	case encWindows1252:
		return "windows-1252"
	}
	return "utf-8"
}

// decoder returns the decoder turning e into UTF-8, or nil for UTF-8,
// which needs none. The UTF-16 decoders honour and strip a byte order mark.
func (e textEncoding) decoder() *encoding.Decoder {
	switch e {
	case encUTF16LE:
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
	case encUTF16BE:
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder()
	case encWindows1252:
		return charmap.Windows1252.NewDecoder()
	}
	return nil
}

// parseEncoding maps ReadOptions.Encoding to an encoding; auto is true for
// "", meaning detect. Latin-1 labels mean Windows-1252, as in browsers (the
// WHATWG Encoding Standard): files labelled Latin-1 are almost always
// Windows-1252, which only differs in the unused C1 control range.
func parseEncoding(name string) (enc textEncoding, auto bool, err error) {
	key := strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.ToLower(name))
	switch key {
	case "":
		return encUTF8, true, nil
	case "utf8":
		return encUTF8, false, nil
	case "utf16le":
		return encUTF16LE, false, nil
	case "utf16be":
		return encUTF16BE, false, nil
	case "windows1252", "cp1252", "latin1", "iso88591":
		return encWindows1252, false, nil
	}
	return encUTF8, false, fmt.Errorf("read options: unknown encoding %q (want utf-8, utf-16le, utf-16be or windows-1252)", name)
}

// binarySniffBytes is how much of a file is searched for NUL bytes: text
// never has them, while binary formats almost always have one early.
const binarySniffBytes = 1024

// detectEncoding chooses the encoding of a text file from its first bytes
// and returns the length of a UTF-8 byte order mark to skip (UTF-16 marks
// are stripped by the decoder). complete says prefix is the whole file.
//
// A UTF-16 BOM means UTF-16 (what Excel writes as "Unicode text"); else a
// NUL byte in the first KB means a binary file, refused; else valid UTF-8
// means UTF-8 and anything else Windows-1252, the encoding Excel on
// Windows uses for "CSV" in western locales, unless it also holds UTF-8
// characters: mixed text is refused rather than garbled.
func detectEncoding(prefix []byte, complete bool) (enc textEncoding, bomLen int, err error) {
	switch {
	case bytes.HasPrefix(prefix, []byte{0xEF, 0xBB, 0xBF}):
		return encUTF8, 3, nil
	case bytes.HasPrefix(prefix, []byte{0xFF, 0xFE}):
		return encUTF16LE, 0, nil
	case bytes.HasPrefix(prefix, []byte{0xFE, 0xFF}):
		return encUTF16BE, 0, nil
	}
	if bytes.IndexByte(prefix[:min(len(prefix), binarySniffBytes)], 0) >= 0 {
		return encUTF8, 0, fmt.Errorf("binary data (NUL bytes) in the first %d bytes: not a CSV text file (UTF-16 text needs a byte order mark, or set the encoding)", binarySniffBytes)
	}
	if validUTF8Prefix(prefix, complete) {
		return encUTF8, 0, nil
	}
	if hasUTF8Multibyte(prefix) {
		// Windows-1252 text almost never forms valid UTF-8 sequences, so
		// this is UTF-8 with stray bytes; decoding it as Windows-1252
		// would garble every accented letter without a word.
		return encUTF8, 0, &EncodingError{Encoding: "UTF-8", Mixed: true}
	}
	return encWindows1252, 0, nil
}

// hasUTF8Multibyte reports whether b holds a valid UTF-8 character of
// more than one byte.
func hasUTF8Multibyte(b []byte) bool {
	for len(b) > 0 {
		if b[0] < utf8.RuneSelf {
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		if r != utf8.RuneError || size > 1 {
			return true
		}
		b = b[size:]
	}
	return false
}

// validUTF8Prefix reports whether b is valid UTF-8, ignoring a character
// cut off at the end when b is only the start of a longer stream.
func validUTF8Prefix(b []byte, complete bool) bool {
	if !complete {
		for i := 1; i <= utf8.UTFMax && i <= len(b); i++ {
			if utf8.RuneStart(b[len(b)-i]) {
				b = b[:len(b)-i]
				break
			}
		}
	}
	return utf8.Valid(b)
}
