package survey

// Dataset is a study in memory: the columns the codebook uses, typed, with
// every construct scored. It holds no column the codebook does not name
// (plus any LoadOptions.Extra columns).
type Dataset struct {
	N     int      // respondents
	Files []string // files read, in order
	Title string   // codebook title

	// Design variables; nil where the codebook declares none.
	Weights []float64 // nil means every weight 1
	Strata  *Column   // categorical
	PSU     *Column   // categorical
	FPC     []float64
	ID      *Column

	Region   *Column   // categorical; nil when the codebook names no region
	Segments []*Column // categorical, in codebook order; Column.Name is the name as written in the codebook

	// Columns holds every loaded column by logical name (design, region,
	// segments, extras, and constructs' items as given with
	// LoadOptions.KeepRawItems).
	Columns map[string]*Column
	// Constructs holds the scored constructs in codebook order.
	Constructs []*Construct
	// PII lists the columns of the files, read or not, whose values look
	// like personal data (see PIIScanner), for a warning.
	PII []PIIColumn
	// Warnings are the other things that may be wrong but do not stop an
	// analysis (a respondent whose weight is a large share of the total).
	Warnings []Warning

	// order[i], when set, is the position in the files of the respondent
	// stored at i (a load grouped by PSU, see internal/leanload, stores them PSU by PSU).
	order []int32
}

// FileRow returns the position in the files (0-based, counting the rows
// of the files in the order they were read) of the respondent stored at
// position i.
func (d *Dataset) FileRow(i int) int {
	if d.order == nil {
		return i
	}
	return int(d.order[i])
}

// InFileOrder returns x, one value per respondent in the Dataset's order
// (a raked weight, a score), in the order of the files' rows, as anything
// written back beside them must be: x itself when the two orders are the
// same, else a new slice. It panics when len(x) != N.
func (d *Dataset) InFileOrder(x []float64) []float64 {
	if len(x) != d.N {
		panic("survey: InFileOrder: length mismatch")
	}
	if d.order == nil {
		return x
	}
	out := make([]float64, len(x))
	for i, j := range d.order {
		out[j] = x[i]
	}
	return out
}

// Construct returns the named construct, or nil.
func (d *Dataset) Construct(name string) *Construct {
	for _, c := range d.Constructs {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Column is one variable. A numeric column's values are read with Values
// (NaN = missing) and it has no Levels; a categorical column has Codes
// (-1 = missing) indexing Levels, which are sorted in first-seen order
// unless the codebook orders them. NewNumericColumn makes a numeric column
// for a Dataset built in memory.
type Column struct {
	Name  string // logical name
	Raw   string // header in the first file that had it
	Label string // question text, when the export carries one
	// ValueLabels names a numeric column's values ("1" = "Strongly
	// disagree") as its file declares them (SPSS value labels), ordered
	// by value; categorical columns use them as level names instead.
	ValueLabels []ValueLabel
	Codes       []int32
	Levels      []string

	// A numeric column's values are in num, or in small after a compact
	// load (see internal/leanload); Values reads either.
	num   []float64
	small *smallVec
}

// NewNumericColumn returns a numeric column named name holding x, one
// value per respondent (NaN = missing), for a Dataset built in memory
// rather than by Load. The column keeps x, which must not change while
// the column is in use.
func NewNumericColumn(name string, x []float64) *Column {
	return &Column{Name: name, num: x}
}

// NewConstruct returns a construct for a Dataset built in memory rather
// than by Load: its processed items (numeric columns), and per respondent
// its score (NaN: not scored) and flag (1, 0, or NaN where the score is
// NaN or def has no flag). It keeps the slices, which must not change
// while the construct is in use. It panics when score and flag differ in
// length.
func NewConstruct(name string, def ConstructDef, items []*Column, score, flag []float64) *Construct {
	if len(score) != len(flag) {
		panic("survey: NewConstruct with scores and flags of different lengths")
	}
	return &Construct{Name: name, Def: def, Items: items, score: score, flag: flag}
}

// IsNumeric reports whether the column holds numbers (Values().Numeric()).
func (c *Column) IsNumeric() bool { return c.num != nil || c.small != nil }

// Construct is a scored multi-item scale: its processed items, and per
// respondent a score and a flag, read with Scores and Flags. NewConstruct
// makes one for a Dataset built in memory.
type Construct struct {
	Name  string
	Items []*Column // after value mapping and reverse coding; numeric
	Def   ConstructDef

	// score (per respondent; NaN when fewer than min_items answered) and
	// flag (1, 0, or NaN where score is NaN), or smallScore and smallFlag
	// after a compact load (see internal/leanload): Scores and Flags read
	// either.
	score, flag           []float64
	smallScore, smallFlag *smallVec
}
