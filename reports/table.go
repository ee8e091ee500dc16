package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// Kind says how a column's values are shown.
type Kind int

const (
	// Text columns hold labels (region, segment, statistic name).
	Text Kind = iota
	// Percent columns hold fractions (0.531) shown as "53.1%".
	Percent
	// Decimal columns hold numbers shown with Col.Digits decimals.
	Decimal
	// Integer columns hold counts and bases, shown rounded with thousands
	// separators.
	Integer
	// PValue columns hold p-values, shown with three decimals and as
	// "<0.001" below that.
	PValue
	// Points columns hold differences of two shares as fractions (0.165),
	// shown as percentage points with a sign: "+16.5 pts".
	Points
)

// String names the kind for messages.
func (k Kind) String() string {
	switch k {
	case Text:
		return "text"
	case Percent:
		return "percent"
	case Decimal:
		return "decimal"
	case Integer:
		return "integer"
	case PValue:
		return "p-value"
	case Points:
		return "points"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Col describes one column of a Table. Build it with TextCol, PercentCol,
// DecimalCol, IntegerCol or PValueCol and refine it with WithCI/WithKey.
type Col struct {
	// Name is the header people read.
	Name string
	// Key is the machine name used as the CSV header; empty means one
	// derived from Name ("Trust (%)" → "trust").
	Key  string
	Kind Kind
	// Digits is the number of decimals of a Decimal column.
	Digits int
	// CI marks a column whose cells carry a confidence interval.
	CI bool
}

// TextCol is a label column.
func TextCol(name string) Col { return Col{Name: name, Kind: Text} }

// PercentCol is a column of fractions shown as percentages.
func PercentCol(name string) Col { return Col{Name: name, Kind: Percent} }

// DecimalCol is a column of numbers shown with digits decimals.
func DecimalCol(name string, digits int) Col {
	return Col{Name: name, Kind: Decimal, Digits: digits}
}

// IntegerCol is a column of counts or bases.
func IntegerCol(name string) Col { return Col{Name: name, Kind: Integer} }

// PValueCol is a column of p-values.
func PValueCol(name string) Col { return Col{Name: name, Kind: PValue} }

// PointsCol is a column of differences of shares, shown in percentage
// points.
func PointsCol(name string) Col { return Col{Name: name, Kind: Points} }

// WithCI returns c with confidence intervals enabled.
func (c Col) WithCI() Col { c.CI = true; return c }

// WithKey returns c with the machine name key.
func (c Col) WithKey(key string) Col { c.Key = key; return c }

// MachineKey is the CSV header of the column: Key, or a lower-case
// snake_case form of Name without parenthesised units.
func (c Col) MachineKey() string {
	if c.Key != "" {
		return c.Key
	}
	name := c.Name
	if i := strings.IndexByte(name, '('); i > 0 {
		name = name[:i]
	}
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
			under = false
			continue
		}
		under = true
	}
	if b.Len() == 0 {
		return "col"
	}
	return b.String()
}

// Cell is one value of a Table row. Text columns read Text; the other
// kinds read Num (NaN for missing) and, in a column with CI, Lo and Hi
// when HasCI is set.
type Cell struct {
	Text   string
	Num    float64
	Lo, Hi float64
	HasCI  bool
	// LowBase marks an estimate on a base below the table's LowBase
	// threshold: shown with "*".
	LowBase bool
	// Suppressed hides the value (shown as "–"), for bases below the
	// table's MinBase.
	Suppressed bool
	// Mark is a short annotation shown after the value: significance
	// letters ("AB") or an arrow ("▲").
	Mark string
}

// Str is a text cell.
func Str(s string) Cell { return Cell{Text: s, Num: math.NaN()} }

// Num is a numeric cell; NaN means missing.
func Num(x float64) Cell { return Cell{Num: x} }

// NumCI is a numeric cell with its confidence interval.
func NumCI(x, lo, hi float64) Cell { return Cell{Num: x, Lo: lo, Hi: hi, HasCI: true} }

// WithLowBase returns c flagged as resting on a low base.
func (c Cell) WithLowBase() Cell { c.LowBase = true; return c }

// WithSuppressed returns c flagged as suppressed.
func (c Cell) WithSuppressed() Cell { c.Suppressed = true; return c }

// WithMark returns c annotated with m.
func (c Cell) WithMark(m string) Cell { c.Mark = m; return c }

// flags are the per-cell annotations kept beside the frame: they are
// presentation, not values, and gota has no place for them.
type flags struct {
	lowBase, suppressed bool
	mark                string
}

// Table is a result table: typed columns, rows of values with optional
// confidence intervals, per-cell flags, a title and footnotes. Every output
// format renders a Table, so figures look the same everywhere.
//
// The values live in a gota DataFrame (Frame), the project's home for
// small result tables: one string series per Text column, one float series
// per numeric column (NaN for missing) and, for a column with CI, two more
// float series for the bounds. Frame column names are positional keys
// ("c0", "c0.lo", "c0.hi") because gota renames duplicate or empty names,
// and headers are free text; the headers, kinds and flags are kept beside
// the frame. AddRow appends to plain column buffers; the rows added since
// the frame was last read go into it in one step (one DataFrame built
// from the buffers, bound below the frame), so filling a table costs time
// linear in its rows, not a frame rebuilt per row. A gota error in that
// step is the table's Err, which every writer returns.
type Table struct {
	// Title is shown above the table.
	Title string
	// Notes are footnotes shown below it, after the generated ones for
	// low bases and suppression.
	Notes []string
	// LowBase is the base below which estimates are flagged "*"; it only
	// words the footnote (cells carry their own flag). Zero words it
	// without a number.
	LowBase int
	// MinBase is the base below which estimates are suppressed; it only
	// words the footnote.
	MinBase int

	cols  []Col
	frame dataframe.DataFrame
	flags [][]flags
	// pending holds, per frame column, the rows not yet in frame.
	pending []pendingCol
	err     error      // gota's error, if building the frame failed
	mu      sync.Mutex // guards frame, pending and err for readers
}

// pendingCol is one frame column's rows waiting to enter the frame: text
// for a Text column, num for the others.
type pendingCol struct {
	key    string
	text   []string
	num    []float64
	isText bool
}

// NewTable returns an empty table with the given columns. It panics if no
// column is given or a Decimal column has negative digits, which are
// programming errors.
func NewTable(title string, cols ...Col) *Table {
	if len(cols) == 0 {
		panic("reports: NewTable without columns")
	}
	t := &Table{Title: title, cols: append([]Col(nil), cols...)}
	for j, c := range cols {
		if c.Kind < Text || c.Kind > Points {
			panic(fmt.Sprintf("reports: column %q has invalid kind %d", c.Name, int(c.Kind)))
		}
		if c.Kind == Decimal && (c.Digits < 0 || c.Digits > 15) {
			panic(fmt.Sprintf("reports: column %q has %d digits", c.Name, c.Digits))
		}
		if c.Kind == Text {
			if c.CI {
				panic(fmt.Sprintf("reports: text column %q with CI", c.Name))
			}
			t.pending = append(t.pending, pendingCol{key: frameKey(j, ""), isText: true})
			continue
		}
		t.pending = append(t.pending, pendingCol{key: frameKey(j, "")})
		if c.CI {
			t.pending = append(t.pending, pendingCol{key: frameKey(j, ".lo")}, pendingCol{key: frameKey(j, ".hi")})
		}
	}
	t.flush() // an empty frame with the columns, for a table without rows
	return t
}

// flush moves the pending rows into the frame: one DataFrame built from
// the column buffers, bound below the rows already there. A gota error is
// kept as t.err.
func (t *Table) flush() {
	if t.err != nil || t.frame.Ncol() > 0 && t.pendingRows() == 0 {
		return
	}
	ss := make([]series.Series, len(t.pending))
	for k, p := range t.pending {
		if p.isText {
			ss[k] = series.New(p.text, series.String, p.key)
		} else {
			ss[k] = series.New(p.num, series.Float, p.key)
		}
	}
	add := dataframe.New(ss...)
	if err := add.Error(); err != nil {
		t.err = fmt.Errorf("reports: table %q: gota: %w", t.Title, err)
		return
	}
	if t.frame.Nrow() > 0 {
		add = t.frame.RBind(add)
		if err := add.Error(); err != nil {
			t.err = fmt.Errorf("reports: table %q: gota: %w", t.Title, err)
			return
		}
	}
	t.frame = add
	for k := range t.pending {
		t.pending[k].text, t.pending[k].num = nil, nil
	}
}

func (t *Table) pendingRows() int {
	if t.pending[0].isText {
		return len(t.pending[0].text)
	}
	return len(t.pending[0].num)
}

// Err returns the error gota reported when the table's rows were stored
// in its frame, if any. The writers return it. Tables are read by several
// writers at once (trustgap report), so the rows enter the frame under a
// lock.
func (t *Table) Err() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.flush()
	return t.err
}

func frameKey(j int, suffix string) string { return "c" + strconv.Itoa(j) + suffix }

// AddRow appends a row. It panics when the number of cells differs from
// the number of columns, when a numeric column gets text, or when a column
// without CI gets an interval: these are programming errors.
func (t *Table) AddRow(cells ...Cell) {
	if len(cells) != len(t.cols) {
		panic(fmt.Sprintf("reports: length mismatch: AddRow got %d cells for %d columns", len(cells), len(t.cols)))
	}
	// Checked whole before anything is stored, so that a panic leaves the
	// table as it was.
	for j, c := range cells {
		col := t.cols[j]
		if col.Kind == Text {
			continue
		}
		if c.Text != "" {
			panic(fmt.Sprintf("reports: text %q in %s column %q", c.Text, col.Kind, col.Name))
		}
		if c.HasCI && !col.CI {
			panic(fmt.Sprintf("reports: CI given for column %q without CI", col.Name))
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	fl := make([]flags, len(cells))
	k := 0
	for j, c := range cells {
		col := t.cols[j]
		fl[j] = flags{lowBase: c.LowBase, suppressed: c.Suppressed, mark: c.Mark}
		if col.Kind == Text {
			t.pending[k].text = append(t.pending[k].text, c.Text)
			k++
			continue
		}
		if c.Suppressed {
			// A suppressed cell keeps no value: no writer (workbook,
			// CSV, the frame) can publish what is not there.
			c.Num, c.Lo, c.Hi, c.HasCI = math.NaN(), math.NaN(), math.NaN(), false
		}
		t.pending[k].num = append(t.pending[k].num, c.Num)
		k++
		if col.CI {
			lo, hi := math.NaN(), math.NaN()
			if c.HasCI {
				lo, hi = c.Lo, c.Hi
			}
			t.pending[k].num = append(t.pending[k].num, lo)
			t.pending[k+1].num = append(t.pending[k+1].num, hi)
			k += 2
		}
	}
	t.flags = append(t.flags, fl)
}

// Cols returns a copy of the column descriptions.
func (t *Table) Cols() []Col { return append([]Col(nil), t.cols...) }

// NumRows is the number of rows.
func (t *Table) NumRows() int { return len(t.flags) }

// Frame returns the values as a gota DataFrame (see Table for its columns),
// or the table's Err. It is a copy: changing it does not change the table.
func (t *Table) Frame() (dataframe.DataFrame, error) {
	if err := t.Err(); err != nil {
		return dataframe.DataFrame{}, err
	}
	return t.frame.Copy(), nil
}

// Cell returns the cell at row i, column j. It panics when out of range,
// and when the table has an Err (which every writer checks first).
func (t *Table) Cell(i, j int) Cell {
	if i < 0 || i >= len(t.flags) || j < 0 || j >= len(t.cols) {
		panic(fmt.Sprintf("reports: cell (%d, %d) out of range of %d×%d table", i, j, len(t.flags), len(t.cols)))
	}
	if err := t.Err(); err != nil {
		panic(err)
	}
	f := t.flags[i][j]
	c := Cell{LowBase: f.lowBase, Suppressed: f.suppressed, Mark: f.mark}
	col := t.cols[j]
	k := t.frameIndex(j)
	if col.Kind == Text {
		// gota stores the text "NaN" as missing and prints missing as
		// "NaN", so String round-trips every text.
		c.Text = t.frame.Elem(i, k).String()
		c.Num = math.NaN()
		return c
	}
	c.Num = t.frame.Elem(i, k).Float()
	if col.CI {
		c.Lo = t.frame.Elem(i, k+1).Float()
		c.Hi = t.frame.Elem(i, k+2).Float()
		c.HasCI = !math.IsNaN(c.Lo) || !math.IsNaN(c.Hi)
	}
	return c
}

// frameIndex is the frame column holding the value of table column j.
func (t *Table) frameIndex(j int) int {
	k := 0
	for _, c := range t.cols[:j] {
		k++
		if c.CI {
			k += 2
		}
	}
	return k
}

// hasLowBase and hasSuppressed decide which generated footnotes a table
// needs.
func (t *Table) hasLowBase() bool {
	for _, row := range t.flags {
		for _, f := range row {
			if f.lowBase && !f.suppressed {
				return true
			}
		}
	}
	return false
}

func (t *Table) hasSuppressed() bool {
	for _, row := range t.flags {
		for _, f := range row {
			if f.suppressed {
				return true
			}
		}
	}
	return false
}

// colHasMark reports whether any cell of column j carries a mark.
func (t *Table) colHasMark(j int) bool {
	for _, row := range t.flags {
		if row[j].mark != "" {
			return true
		}
	}
	return false
}

// Footnotes returns the notes shown under the table: the low-base and
// suppression explanations when some cell needs them, then Notes.
func (t *Table) Footnotes() []string {
	var out []string
	if t.hasLowBase() {
		out = append(out, lowBaseNote(t.LowBase))
	}
	if t.hasSuppressed() {
		out = append(out, suppressedNote(t.MinBase))
	}
	return append(out, t.Notes...)
}

func lowBaseNote(n int) string {
	if n > 0 {
		return "* Base below " + strconv.Itoa(n) + ": interpret with caution."
	}
	return "* Low base: interpret with caution."
}

func suppressedNote(n int) string {
	if n > 0 {
		return "– Not shown: base below " + strconv.Itoa(n) + ", or hidden with such a cell so that it cannot be worked out from the total and the other cells."
	}
	return "– Not shown: base too small, or hidden with such a cell so that it cannot be worked out from the others."
}
