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

// Column is one variable. A numeric column has Num (NaN = missing) and no
// Levels; a categorical column has Codes (-1 = missing) indexing Levels,
// which are sorted in first-seen order unless the codebook orders them.
type Column struct {
	Name  string // logical name
	Raw   string // header in the first file that had it
	Label string // question text, when the export carries one
	// ValueLabels names a numeric column's values ("1" = "Strongly
	// disagree") as its file declares them (SPSS value labels), ordered
	// by value; categorical columns use them as level names instead.
	ValueLabels []ValueLabel
	// Num holds a numeric column's values after a plain load; read them
	// with Values, which also reads those a Compact load stores as codes
	// (Num nil then).
	Num    []float64
	Codes  []int32
	Levels []string

	small *smallVec // a construct item's values after a Compact load (see Values)
}

// IsNumeric reports whether the column holds numbers (Values().Numeric()).
func (c *Column) IsNumeric() bool { return c.Num != nil || c.small != nil }

// Construct is a scored multi-item scale.
type Construct struct {
	Name  string
	Items []*Column // after value mapping and reverse coding; numeric
	// Score (per respondent; NaN when fewer than min_items answered) and
	// Flag (1, 0, or NaN where Score is NaN) after a plain load; read them
	// with Scores and Flags, which also read a Compact load's codes.
	Score []float64
	Flag  []float64
	Def   ConstructDef

	// score and flag hold Score and Flag after a Compact load, which
	// leaves those nil (see Scores and Flags).
	score, flag *smallVec
}
