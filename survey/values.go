package survey

import (
	"context"
	"math"
	"slices"
	"strings"
)

// Compact storage of construct values (a compact load, see internal/leanload).
//
// A construct's items, score and flag take few distinct values (answers on
// a short scale, yes/no, a mean of a few such answers), so a Compact load
// keeps one byte per respondent and value, an index into a table of the
// distinct values, instead of a float64. A vector that turns out to hold
// more than maxSmallValues distinct values falls back to float64s.

// maxSmallValues is the number of distinct non-missing values a compact
// vector holds before it falls back to float64s; code 0 is NaN.
const maxSmallValues = 255

// smallVec is a float64 vector stored as byte codes into a table of its
// distinct values (code 0 is NaN), or as float64s once it has more than
// maxSmallValues distinct values.
type smallVec struct {
	codes []uint8
	table []float64        // table[0] is NaN
	index map[uint64]uint8 // value bits -> code, once the table is long
	num   []float64        // the values, after the fall-back
	slots [16]codeSlot     // recent values' codes, by slotOf their bits
	// derived marks a vector sharing its codes with another (see derive):
	// it is complete, and permuting its codes would permute the other's.
	derived bool
}

func newSmallVec(capacity int) *smallVec {
	return &smallVec{codes: make([]uint8, 0, capacity), table: []float64{math.NaN()}}
}

// codeSlot remembers the code of a value's bits.
type codeSlot struct {
	bits uint64
	code uint8
	ok   bool
}

// linearCodes is the table length up to which code looks values up by
// scanning the table rather than through index.
const linearCodes = 16

// add appends x.
func (v *smallVec) add(x float64) {
	b := math.Float64bits(x)
	if s := &v.slots[slotOf(b)]; s.bits == b && s.ok && v.num == nil {
		v.codes = append(v.codes, s.code)
		return
	}
	v.addNew(x)
}

// slotOf picks the slot of a value's bits in smallVec.slots.
func slotOf(b uint64) uint64 { return (b * 0x9E3779B97F4A7C15) >> (64 - 4) }

// addNew appends x when its slot does not know it.
func (v *smallVec) addNew(x float64) {
	if v.num != nil {
		v.num = append(v.num, x)
		return
	}
	b := math.Float64bits(x)
	if x != x { // NaN
		v.slots[slotOf(b)] = codeSlot{bits: b, code: 0, ok: true}
		v.codes = append(v.codes, 0)
		return
	}
	c, ok := v.lookup(b)
	if !ok {
		if len(v.table) > maxSmallValues {
			v.fallBack()
			v.num = append(v.num, x)
			return
		}
		c = uint8(len(v.table))
		v.table = append(v.table, x)
		if v.index != nil {
			v.index[b] = c
		} else if len(v.table) > linearCodes {
			v.index = make(map[uint64]uint8, 2*len(v.table))
			for k, t := range v.table[1:] {
				v.index[math.Float64bits(t)] = uint8(k + 1)
			}
		}
	}
	v.slots[slotOf(b)] = codeSlot{bits: b, code: c, ok: true}
	v.codes = append(v.codes, c)
}

func (v *smallVec) lookup(b uint64) (uint8, bool) {
	if v.index != nil {
		c, ok := v.index[b]
		return c, ok
	}
	for k := 1; k < len(v.table); k++ {
		if math.Float64bits(v.table[k]) == b {
			return uint8(k), true
		}
	}
	return 0, false
}

// derive returns the vector f(v): a flag from its score. While v holds
// codes, the result shares them with a table of its own (f of each
// distinct value), so a construct's flags cost no byte per respondent;
// grouping by PSU must then permute v alone (see derived). After v's
// fall-back to float64s, f is applied to each value.
func (v *smallVec) derive(f func(float64) float64) *smallVec {
	if v.num != nil {
		out := &smallVec{num: make([]float64, len(v.num))}
		for i, x := range v.num {
			out.num[i] = f(x)
		}
		return out
	}
	table := make([]float64, len(v.table))
	for k, x := range v.table {
		table[k] = f(x)
	}
	table[0] = math.NaN() // code 0 is a missing value, whatever f makes of NaN
	return &smallVec{codes: v.codes, table: table, derived: true}
}

// fallBack turns the codes into float64s.
func (v *smallVec) fallBack() {
	v.num = v.decode(make([]float64, 0, max(cap(v.codes), 2*len(v.codes))))
	v.codes, v.table, v.index = nil, nil, nil
}

// len returns the number of values.
func (v *smallVec) len() int {
	if v.num != nil {
		return len(v.num)
	}
	return len(v.codes)
}

// decode writes the values to dst, reusing its memory when it is long
// enough, and returns it.
func (v *smallVec) decode(dst []float64) []float64 {
	n := v.len()
	if cap(dst) < n {
		dst = make([]float64, n)
	}
	dst = dst[:n]
	if v.num != nil {
		copy(dst, v.num)
		return dst
	}
	t := v.table
	for i, c := range v.codes {
		dst[i] = t[c]
	}
	return dst
}

// Values is one numeric variable of a Dataset as estimators read it: a
// column's numbers, or a construct's scores or flags (Column.Values,
// Construct.Scores, Construct.Flags). However the load stored them (a
// float64 per respondent, or, in the commands' lean load, one byte per
// respondent indexing a table of values), they are read the same way: whole, in
// blocks, or as those codes for an estimator that adds up weights by code.
// Missing values are NaN. A Values holds the Dataset's own storage: it is
// read, never modified.
type Values struct {
	num   []float64
	small *smallVec
}

func valuesOf(num []float64, small *smallVec) Values {
	if num != nil || small == nil {
		return Values{num: num}
	}
	return Values{small: small}
}

// Values returns the column's numbers (none for a categorical column).
func (c *Column) Values() Values { return valuesOf(c.num, c.small) }

// Scores returns the construct's scores.
func (c *Construct) Scores() Values { return valuesOf(c.score, c.smallScore) }

// Flags returns the construct's flags: 1, 0, or NaN where the score is.
func (c *Construct) Flags() Values { return valuesOf(c.flag, c.smallFlag) }

// Numeric reports whether there are values: false for a categorical
// column.
func (v Values) Numeric() bool { return v.num != nil || v.small != nil }

// All returns every respondent's value: the Dataset's own slice when it
// holds float64s (not to be modified), else the values decoded into dst
// (reused when long enough, allocated otherwise); nil for a categorical
// column.
func (v Values) All(dst []float64) []float64 {
	switch {
	case v.small == nil:
		return v.num
	case v.small.num != nil: // a compact vector that fell back to float64s
		return v.small.num
	}
	return v.small.decode(dst)
}

// Read writes the values of respondents from..from+len(dst)−1 to dst, so
// that a large study is read in blocks without a float64 per respondent.
// It panics for a categorical column or a range outside the respondents.
func (v Values) Read(dst []float64, from int) {
	switch {
	case v.small != nil:
		v.small.decodeRange(dst, from)
	case v.num == nil:
		panic("survey: Read of a categorical column")
	default:
		copy(dst, v.num[from:from+len(dst)])
	}
}

// Codes returns the values as codes when the load stored them so (the
// lean load of trustgap's commands, see internal/leanload): one code per
// respondent and the value of each code (table[0] is NaN), so that an
// estimator can add up weights by code instead of decoding every value.
// ok is false when the values are not stored as codes (Load's float64s, a
// column built in memory, a categorical column, or more distinct values
// than codes). The slices are
// the Dataset's own: the caller must not modify them.
func (v Values) Codes() (codes []uint8, table []float64, ok bool) {
	if v.small == nil {
		return nil, nil, false
	}
	return v.small.codesOf()
}

func (v *smallVec) codesOf() ([]uint8, []float64, bool) {
	if v.num != nil {
		return nil, nil, false
	}
	return v.codes, v.table, true
}

// scoreIsItem reports whether construct ri's score is its only item's
// value itself: the mean or sum of one item, scored whenever it is
// answered. A Compact load then derives the score from the item instead of
// storing it.
func (l *loader) scoreIsItem(ri int) bool {
	r := l.rules[ri]
	return len(l.items[ri]) == 1 && !r.count && r.minItems <= 1
}

// flagOf is the flag of a score: 1 where the rule holds, 0 where not, NaN
// for a NaN score or a construct without a flag.
func (r *constructRule) flagOf(score float64) float64 {
	if r.flag == nil {
		return math.NaN()
	}
	return compareOp(r.flag.Op, score, r.flag.Num)
}

// scoreOne scores one respondent from the processed item values x (NaN
// when unanswered); see score. The flag is flagOf the score.
func (r *constructRule) scoreOne(x []float64) (score float64) {
	need := r.minItems
	if need == 0 {
		need = len(x)
	}
	answered, total, trues := 0, 0.0, 0
	for _, v := range x {
		if math.IsNaN(v) {
			continue
		}
		answered++
		total += v
		if v != 0 {
			trues++
		}
	}
	switch {
	case answered < need || answered == 0:
		score = math.NaN()
	case r.count:
		score = float64(trues)
	case r.sum:
		score = total
	default:
		score = total / float64(answered)
	}
	return score
}

// itemCache remembers the processed value of the answers an item has had
// (NaN for a missing answer), so that the common answers of a large file
// are looked up once per file, not once per cell. Answers with a problem
// are not remembered: each occurrence is reported.
type itemCache struct {
	one   [256]float64 // one-byte answers, when known
	known [256]bool
	// code[b] is the compact code of the one-byte answer b when codeKnown
	// (see converter.compactItem).
	code      [256]uint8
	codeKnown [256]bool
	empty     float64
	hasE      bool
	// emptyCode is the compact code of the empty answer when
	// emptyCodeKnown; a cachedAnswer's likewise.
	emptyCode      uint8
	emptyCodeKnown bool
	few            []cachedAnswer     // the first longer answers, searched in turn
	m              map[string]float64 // more longer answers
}

type cachedAnswer struct {
	s         string
	v         float64
	code      uint8
	codeKnown bool
}

// maxCachedAnswers bounds the longer answers an item remembers, of which
// the first fewAnswers are searched one by one.
const (
	maxCachedAnswers = 256
	fewAnswers       = 16
)

func (c *itemCache) reset() { *c = itemCache{} }

// setCode remembers code as raw's compact code when raw's value is cached
// (an answer with a problem is not, so that each occurrence is reported).
func (c *itemCache) setCode(raw string, code uint8) {
	switch len(raw) {
	case 0:
		if c.hasE {
			c.emptyCode, c.emptyCodeKnown = code, true
		}
	case 1:
		if c.known[raw[0]] {
			c.code[raw[0]], c.codeKnown[raw[0]] = code, true
		}
	default:
		for i := range c.few {
			if a := &c.few[i]; a.s == raw {
				a.code, a.codeKnown = code, true
				return
			}
		}
	}
}

// lookup returns raw's remembered value (ok) and, when known (hasCode),
// its compact code.
func (c *itemCache) lookup(raw string) (v float64, code uint8, hasCode, ok bool) {
	switch len(raw) {
	case 0:
		return c.empty, c.emptyCode, c.emptyCodeKnown, c.hasE
	case 1:
		b := raw[0]
		return c.one[b], c.code[b], c.codeKnown[b], c.known[b]
	}
	for i := range c.few {
		if a := &c.few[i]; a.s == raw {
			return a.v, a.code, a.codeKnown, true
		}
	}
	if c.m == nil {
		return 0, 0, false, false
	}
	v, ok = c.m[raw]
	return v, 0, false, ok
}

func (c *itemCache) get(raw string) (float64, bool) {
	v, _, _, ok := c.lookup(raw)
	return v, ok
}

func (c *itemCache) put(raw string, v float64) {
	switch len(raw) {
	case 0:
		c.empty, c.hasE = v, true
	case 1:
		c.one[raw[0]], c.known[raw[0]] = v, true
	default:
		// Clone: raw may share memory with the reader's whole record.
		switch {
		case len(c.few) < fewAnswers:
			c.few = append(c.few, cachedAnswer{s: strings.Clone(raw), v: v})
		case c.m == nil:
			c.m = map[string]float64{strings.Clone(raw): v}
		case len(c.m) < maxCachedAnswers:
			c.m[strings.Clone(raw)] = v
		}
	}
}

// sizeHint is the number of respondents to allocate columns for: the
// tables' own estimates (CSV files of known size).
func sizeHint(tables []TableReader) int {
	n := 0
	for _, t := range tables {
		if tb, ok := t.(*table); ok && tb.rowsHint > 0 {
			n += tb.rowsHint
		}
	}
	// A little over the estimate rather than a column's worth of copying
	// when it falls short.
	return n + n/32
}

// reserve allocates the columns the loader fills for n respondents:
// design, region and segment columns, construct items and scores. Columns
// whose type is decided by their values grow as they fill.
//
// Reserving zeroes memory, the size of the study for each column: on a
// busy machine that alone takes seconds for millions of respondents, so
// ctx is polled between columns, and once it is cancelled reserve stops
// (the read that follows returns its error).
func (l *loader) reserve(ctx context.Context, n int) {
	if n <= 0 {
		return
	}
	for _, b := range l.cols {
		if ctx.Err() != nil {
			return
		}
		switch {
		case b.skip:
		case b.strict != "":
			b.num = slices.Grow(b.num, n)
			if b.cat {
				b.codes = slices.Grow(b.codes, n)
			}
		case b.cat:
			b.codes = slices.Grow(b.codes, n)
		}
	}
	for ri := range l.rules {
		if ctx.Err() != nil {
			return
		}
		for _, it := range l.items[ri] {
			if it.small != nil {
				it.small.codes = slices.Grow(it.small.codes, n)
			} else {
				it.vals = slices.Grow(it.vals, n)
			}
		}
		if l.compact {
			if !l.scoreIsItem(ri) {
				l.scores[ri].codes = slices.Grow(l.scores[ri].codes, n)
			}
		}
	}
}

// decodeRange writes values from..from+len(dst)-1 to dst.
func (v *smallVec) decodeRange(dst []float64, from int) {
	if v.num != nil {
		copy(dst, v.num[from:from+len(dst)])
		return
	}
	t := v.table
	for i, c := range v.codes[from : from+len(dst)] {
		dst[i] = t[c]
	}
}
