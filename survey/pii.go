package survey

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"unicode"
	"unicode/utf8"
)

// PIIKind is a kind of direct identifier a column may hold.
type PIIKind uint8

// The kinds, most specific first: a column is reported under the first
// kind it meets.
const (
	PIIEmail PIIKind = iota + 1
	PIIPhone
	PIIIP
	PIIAddress
	PIIName
	PIIFreeText
)

// String names the kind in the plural, as messages use it.
func (k PIIKind) String() string {
	switch k {
	case PIIEmail:
		return "e-mail addresses"
	case PIIPhone:
		return "phone numbers"
	case PIIIP:
		return "IP addresses"
	case PIIAddress:
		return "postal addresses"
	case PIIName:
		return "person names"
	case PIIFreeText:
		return "free text"
	}
	return "personal data"
}

// PIIColumn is a column of one file whose values look like personal data.
// It never holds a value.
type PIIColumn struct {
	File   string  // the file, as TableReader.Name gives it
	Column string  // the header as the file writes it
	Index  int     // 0-based position in the header
	Kind   PIIKind // what the values look like
	Count  int     // values scanned that look like Kind
	Values int     // non-empty values scanned
	// Sampled is true when the file was longer than the scanner reads in
	// full (see PIIScanner): Count and Values are then of the rows scanned.
	Sampled bool
}

// String formats the finding as
// `data.csv: column "email": 300 of 300 values look like e-mail addresses`.
func (c PIIColumn) String() string {
	var b strings.Builder
	if c.File != "" {
		b.WriteString(c.File)
		b.WriteString(": ")
	}
	scanned := "values"
	if c.Sampled {
		scanned = "values scanned"
	}
	fmt.Fprintf(&b, "column %q: %d of %d %s look like %s", shortValue(c.Column), c.Count, c.Values, scanned, c.Kind)
	return b.String()
}

// Rows the PII scanner reads in full; beyond them it reads one row in
// piiSampleEvery, so that scanning stays a small part of reading millions
// of rows.
const (
	piiFullRows    = 100_000
	piiSampleEvery = 64
	// piiCacheSize bounds the per-column memo of classified values (answer
	// labels repeat; distinct values past the bound are classified anew).
	piiCacheSize = 512
	// piiDistinctCap bounds the distinct name or text values remembered per
	// column; past it the column counts as mostly distinct.
	piiDistinctCap = 4096
)

// PIIScanner looks for personal data in every column of one table, record
// by record. It reads the first 100,000 records in full and one in 64
// after them. Its findings count values and never keep one beyond the
// column's bounded memo. The zero value is not usable; see NewPIIScanner.
//
// The rules, per column, over the non-empty values scanned:
//   - e-mail addresses: any value containing local@domain.tld;
//   - phone numbers: at least half the values are phone numbers, written
//     with +, spaces, dashes, dots, slashes or brackets (7 to 15 digits,
//     dates excluded), or as bare digits of a phone number's length: + or
//     00 and a country code, a national number starting with 0, a North
//     American number with or without its 1, or a common country code and
//     9 to 12 more digits;
//   - IP addresses: at least half the values are IPv4 or IPv6 addresses;
//   - postal addresses: at least half the values are a house number and a
//     street word (Street, Rd, Straße, rue …) or a UK postcode;
//   - person names: at least half the values are 2 to 4 capitalised words
//     without words of answer labels ("Strongly Agree") and they are
//     mostly distinct, or the header says name (first_name, Nachname …)
//     and the values are capitalised words, at least 5 different;
//   - free text: at least a fifth of the values (and at least 5) have 4 or
//     more words and they are mostly distinct (answer labels repeat).
type PIIScanner struct {
	file   string
	header []string
	cols   []piiCol
	rows   int
}

type piiCol struct {
	values   int
	counts   [piiWord + 1]int
	memo     map[string]uint8
	distinct [piiWord + 1]map[string]struct{}
	many     [piiWord + 1]bool // distinct values beyond piiDistinctCap
	nameHint bool
}

// NewPIIScanner returns a scanner for a table with this header.
func NewPIIScanner(file string, header []string) *PIIScanner {
	s := &PIIScanner{file: file, header: header, cols: make([]piiCol, len(header))}
	for i, h := range header {
		s.cols[i].nameHint = nameHeader(h)
	}
	return s
}

// Add scans one record (cells in header order; extra cells are ignored).
func (s *PIIScanner) Add(rec []string) {
	s.rows++
	if s.rows > piiFullRows && s.rows%piiSampleEvery != 0 {
		return
	}
	for i := range min(len(rec), len(s.cols)) {
		s.cols[i].add(rec[i])
	}
}

func (c *piiCol) add(raw string) {
	v := strings.TrimSpace(raw)
	if v == "" {
		return
	}
	c.values++
	var mask uint8
	if numberLike(v) {
		// Most cells are codes and numbers: only a phone number or an IP
		// address can be written so, and short ones are neither. No memo:
		// numbers are mostly distinct.
		if len(v) < 7 {
			return
		}
		if looksLikeIP(v) {
			mask = 1 << PIIIP
		} else if looksLikePhone(v) || looksLikeBarePhone(v) {
			mask = 1 << PIIPhone
		}
		c.tally(v, mask)
		return
	}
	mask, ok := c.memo[v]
	if !ok {
		mask = classifyPII(v)
		if c.nameHint && looksLikeNameWords(v) {
			mask |= 1 << piiWord
		}
		if c.memo == nil {
			c.memo = map[string]uint8{}
		}
		if len(c.memo) < piiCacheSize {
			c.memo[v] = mask
		}
	}
	c.tally(v, mask)
}

// tally counts a value under the kinds of its mask.
func (c *piiCol) tally(v string, mask uint8) {
	if mask == 0 {
		return
	}
	for k := PIIEmail; k <= piiWord; k++ {
		if mask&(1<<k) == 0 {
			continue
		}
		c.counts[k]++
		if k == PIIName || k == PIIFreeText || k == piiWord {
			if c.distinct[k] == nil {
				c.distinct[k] = map[string]struct{}{}
			}
			if len(c.distinct[k]) < piiDistinctCap {
				c.distinct[k][v] = struct{}{}
			} else if _, seen := c.distinct[k][v]; !seen {
				c.many[k] = true
			}
		}
	}
}

// Columns returns the columns that look like personal data, in header
// order, each under its most specific kind.
func (s *PIIScanner) Columns() []PIIColumn {
	var out []PIIColumn
	for i := range s.cols {
		if k, n := s.cols[i].kind(); k != 0 {
			out = append(out, PIIColumn{File: s.file, Column: s.header[i], Index: i, Kind: k, Count: n,
				Values: s.cols[i].values, Sampled: s.rows > piiFullRows})
		}
	}
	return out
}

// kind applies the column rules of PIIScanner.
func (c *piiCol) kind() (PIIKind, int) {
	total := c.values
	if total == 0 {
		return 0, 0
	}
	half := func(k PIIKind) bool { return 2*c.counts[k] >= total }
	distinct := func(k PIIKind) int {
		if c.many[k] {
			return piiDistinctCap + 1
		}
		return len(c.distinct[k])
	}
	mostlyDistinct := func(k PIIKind) bool {
		n, d := c.counts[k], distinct(k)
		return d >= 5 && 2*d >= n
	}
	switch {
	case c.counts[PIIEmail] > 0:
		return PIIEmail, c.counts[PIIEmail]
	case half(PIIPhone):
		return PIIPhone, c.counts[PIIPhone]
	case half(PIIIP):
		return PIIIP, c.counts[PIIIP]
	case half(PIIAddress):
		return PIIAddress, c.counts[PIIAddress]
	case half(PIIName) && mostlyDistinct(PIIName):
		return PIIName, c.counts[PIIName]
	case c.nameHint && 2*c.counts[piiWord] >= total && c.counts[piiWord] > 0 && distinct(piiWord) >= 5:
		return PIIName, c.counts[piiWord]
	case 5*c.counts[PIIFreeText] >= total && c.counts[PIIFreeText] >= 5 && mostlyDistinct(PIIFreeText):
		return PIIFreeText, c.counts[PIIFreeText]
	}
	return 0, 0
}

// piiWord is the bit of a value of one to four capitalised words, tallied
// only in columns whose header says name (a first name alone).
const piiWord = PIIFreeText + 1

// numberLike reports whether s holds only digits and the signs, points,
// commas and separators numbers and phone numbers are written with.
func numberLike(s string) bool {
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b >= '0' && b <= '9', b == '.', b == ',', b == '-', b == '+', b == ' ', b == '(', b == ')', b == '/':
		default:
			return false
		}
	}
	return true
}

// classifyPII returns a bit mask of the kinds one trimmed value looks like
// (bit 1<<kind).
func classifyPII(v string) uint8 {
	var mask uint8
	set := func(k PIIKind) { mask |= 1 << k }
	if strings.IndexByte(v, '@') >= 0 && containsEmail(v) {
		set(PIIEmail)
	}
	if looksLikeIP(v) {
		set(PIIIP)
	} else if looksLikePhone(v) || looksLikeBarePhone(v) {
		set(PIIPhone)
	}
	if looksLikeAddress(v) {
		set(PIIAddress)
	}
	if looksLikeName(v) && !hasLabelWord(v) {
		set(PIIName)
	}
	if looksLikeFreeText(v) {
		set(PIIFreeText)
	}
	return mask
}

// ScanPII reads a table to its end (without closing it) and returns its
// columns that look like personal data; see PIIScanner.
func ScanPII(ctx context.Context, t TableReader) ([]PIIColumn, error) {
	s := NewPIIScanner(t.Name(), t.Header())
	for n := 0; ; n++ {
		if n&0xFFF == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		rec, _, err := t.Next()
		if err == io.EOF {
			return s.Columns(), nil
		}
		if err != nil {
			return nil, err
		}
		s.Add(rec)
	}
}

// LooksLikePII says which kind of direct identifier a single value is
// unambiguously (an e-mail address, a phone number, an IP address), or 0.
// Messages that would quote a cell use it to hide the cell.
func LooksLikePII(v string) PIIKind {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return 0
	case strings.IndexByte(v, '@') >= 0 && containsEmail(v):
		return PIIEmail
	case looksLikeIP(v):
		return PIIIP
	case (looksLikePhone(v) && !looksLikeGroupedNumber(v)) || looksLikeBarePhone(v):
		return PIIPhone
	}
	return 0
}

// containsEmail reports whether any whitespace- or punctuation-separated
// token of s is an e-mail address.
func containsEmail(s string) bool {
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;<>()[]\"'", r)
	}) {
		tok = strings.TrimRight(tok, ".:!?")
		tok = strings.TrimPrefix(tok, "mailto:")
		if looksLikeEmail(tok) {
			return true
		}
	}
	return false
}

// countryCodes are calling codes of two digits in use (ITU E.164), for
// bare numbers written with their country code but no +.
var countryCodes = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range strings.Fields("20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98") {
		m[c] = true
	}
	return m
}()

// looksLikeBarePhone matches a phone number written as digits only, with
// an optional leading +: the lengths real numbers have, so that ordinary
// codes, counts and ids (up to 9 digits, or sequential ids of 10 starting
// with 1) are not taken for one.
func looksLikeBarePhone(s string) bool {
	plus := strings.HasPrefix(s, "+")
	d := strings.TrimPrefix(s, "+")
	n := len(d)
	if n < 8 || n > 17 {
		return false
	}
	for i := 0; i < n; i++ {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	nanp := func(x string) bool { // NXX NXX XXXX
		return len(x) == 10 && x[0] >= '2' && x[3] >= '2'
	}
	switch {
	case plus:
		return d[0] != '0' && n >= 8 && n <= 15
	case strings.HasPrefix(d, "00"):
		return n >= 10 && n <= 17 && d[2] != '0'
	case d[0] == '0':
		return n >= 10 && n <= 12 && d[1] != '0'
	case nanp(d):
		return true
	case d[0] == '1' && n == 11:
		return nanp(d[1:])
	case d[0] == '7' && n == 11:
		return true
	case n >= 11 && n <= 14:
		return countryCodes[d[:2]]
	}
	return false
}

// looksLikeIP matches an IPv4 address in dotted-quad form or an IPv6
// address.
func looksLikeIP(s string) bool {
	if len(s) < 7 || len(s) > 45 {
		return false
	}
	if strings.Count(s, ".") != 3 && !strings.Contains(s, ":") {
		return false
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return false
	}
	if a.Is4() {
		// Version numbers such as 1.0.0.2 parse too; require an address
		// with some larger octet, as real ones nearly always have.
		b := a.As4()
		return b[0] >= 10 || b[1] >= 10 || b[2] >= 10 || b[3] >= 10
	}
	return a.Is6() && strings.Count(s, ":") >= 2
}

// streetWords are words of street names in the languages of the surveys
// trustgap sees; a value with one of them and a house number is an
// address.
var streetWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("street st road rd avenue ave lane ln drive dr boulevard blvd way court ct place pl terrace close crescent square sq highway hwy " +
		"straße strasse str weg platz allee gasse ring damm chaussee ufer " +
		"rue avenue chemin impasse via viale piazza calle avenida plaza carrer rua") {
		m[w] = true
	}
	return m
}()

// looksLikeAddress matches a street address (a number and a street word)
// or a full UK postcode (SW1A 1AA).
func looksLikeAddress(s string) bool {
	if len(s) > 200 {
		return false
	}
	words := strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == ',' })
	hasNumber, hasStreet := false, false
	for _, w := range words {
		lw := strings.ToLower(strings.TrimRight(w, "."))
		if streetWords[lw] {
			hasStreet = true
		}
		for _, suffix := range []string{"straße", "strasse", "str.", "weg", "platz", "allee", "gasse"} {
			if len(lw) > len(suffix)+2 && strings.HasSuffix(lw, suffix) {
				hasStreet = true
			}
		}
		if w != "" && w[0] >= '0' && w[0] <= '9' && len(w) <= 6 {
			hasNumber = true
		}
	}
	if hasNumber && hasStreet && len(words) >= 2 {
		return true
	}
	return isUKPostcode(s)
}

// isUKPostcode matches A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA and
// AA9A 9AA, with or without the space, in either case.
func isUKPostcode(s string) bool {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	if len(s) < 5 || len(s) > 7 {
		return false
	}
	inward, outward := s[len(s)-3:], s[:len(s)-3]
	if !isDigit(inward[0]) || !isUpper(inward[1]) || !isUpper(inward[2]) {
		return false
	}
	if !isUpper(outward[0]) {
		return false
	}
	rest := outward[1:]
	if len(rest) > 0 && isUpper(rest[0]) {
		rest = rest[1:]
	}
	switch len(rest) {
	case 1:
		return isDigit(rest[0])
	case 2:
		return isDigit(rest[0]) && (isDigit(rest[1]) || isUpper(rest[1]))
	}
	return false
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }
func isUpper(b byte) bool { return b >= 'A' && b <= 'Z' }

// labelWords are words of answer labels and places, which person names
// rarely contain: "Strongly Agree" and "United States" are not names.
var labelWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("agree disagree strongly somewhat very not neither nor much more less likely unlikely " +
		"satisfied dissatisfied important unimportant concerned comfortable uncomfortable trust never always sometimes often rarely " +
		"don't know prefer say yes no other none all some male female man woman non-binary united states kingdom new north south east west " +
		"great britain republic city county state of the and or in to for with at by a an is are was good bad poor fair excellent " +
		"high low medium middle upper lower school college university degree employed unemployed retired student full part time " +
		"acceptable unacceptable neutral applicable extremely slightly moderately completely totally fairly quite rather " +
		"generation boomer boomers millennial millennials gen silent urban rural suburban") {
		m[w] = true
	}
	return m
}()

func hasLabelWord(s string) bool {
	for _, w := range strings.Fields(s) {
		if labelWords[strings.ToLower(strings.Trim(w, ".,"))] {
			return true
		}
	}
	return false
}

// nameHeader reports whether a header says the column holds names.
func nameHeader(h string) bool {
	h = strings.ToLower(strings.TrimSpace(h))
	h = strings.NewReplacer("_", " ", "-", " ", ".", " ").Replace(h)
	for _, w := range []string{"first name", "firstname", "last name", "lastname", "surname", "given name", "family name",
		"full name", "fullname", "vorname", "nachname", "prénom", "prenom", "nom", "name", "respondent name", "contact"} {
		if h == w || strings.HasSuffix(h, " "+w) || strings.HasPrefix(h, w+" ") {
			return true
		}
	}
	return false
}

// looksLikeNameWords matches one to four capitalised words of letters (a
// first or last name on its own), for columns whose header says name.
func looksLikeNameWords(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 4 {
		return false
	}
	for _, w := range words {
		r, size := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) {
			return false
		}
		for _, r := range w[size:] {
			if !unicode.IsLetter(r) && r != '-' && r != '\'' && r != '’' && r != '.' && r != ',' {
				return false
			}
		}
	}
	return !hasLabelWord(s)
}
