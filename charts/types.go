package charts

import (
	"errors"
	"fmt"
	"math"
)

// ErrNoData is wrapped by the error a chart returns when it has nothing
// to draw: no rows, or no columns.
var ErrNoData = errors.New("no data")

// Interval is a proportion and its confidence interval as fractions;
// charts show them as percentages. Est must lie in [0, 1]; bounds past
// it (a Wald interval near 0% or 100%) are drawn clipped to the scale.
// Est NaN means no estimate; Lo or Hi NaN means the estimate has no
// interval (no whisker is drawn).
type Interval struct{ Est, Lo, Hi float64 }

// GapRow is one row of the say-do gap chart: the share concerned about
// privacy and the share taking protective action, for one region.
type GapRow struct {
	Region            string
	Concern, Protects Interval
	// LowBase marks a base below the report's minimum.
	LowBase bool
	// Total marks the whole-sample row, drawn last below a rule.
	Total bool
}

// EffectRow is one group of the trust effect chart: the share comfortable
// with personalisation among respondents who trust companies with their
// data and among those who do not.
type EffectRow struct {
	Region                string
	Trusting, NonTrusting Interval
	LowBase               bool
	Total                 bool
}

// HeatCell is one cell of a heat map. Value NaN means no estimate; N is
// the unweighted base, shown in low-base cells.
type HeatCell struct {
	Value   float64
	N       int
	LowBase bool
}

// Heatmap is a table of proportions: Cells[i][j] is row Rows[i] (a
// region) by column Cols[j] (a segment level). RowTitle and ColTitle name
// the two variables for the axis labels.
type Heatmap struct {
	Rows, Cols         []string
	RowTitle, ColTitle string
	Cells              [][]HeatCell
}

// StackRow is one 100% bar: the shares of each series, summing to 1.
type StackRow struct {
	Label   string
	Shares  []float64
	LowBase bool
	Total   bool
}

// BarRow is one bar with its interval.
type BarRow struct {
	Label   string
	Value   Interval
	LowBase bool
}

// Options are the texts every chart takes; the zero value gives each
// chart's defaults.
type Options struct {
	// Title replaces the chart's default title.
	Title string
	// Subtitle is set under the title, e.g. the question wording.
	Subtitle string
	// ValueLabel replaces the value axis label; include the unit.
	ValueLabel string
	// Series replaces the legend names, in the chart's series order.
	Series []string
	// Notes are added after the chart's own footnotes, e.g. the source.
	Notes []string
	// MinBase is the base below which rows are flagged LowBase, quoted in
	// the footnote; 0 words the footnote without a number.
	MinBase int
	// Level is the confidence level of the intervals, quoted in the
	// footnote; 0 means 0.95.
	Level float64
	// NoiseIntervals says the whiskers are the 95% noise intervals of a
	// differentially private release, not confidence intervals.
	NoiseIntervals bool
	// KeepOrder keeps rows in their input order where a chart would sort
	// them by value (noisy values would rank by chance).
	KeepOrder bool
}

func (o Options) title(def string) string {
	if o.Title != "" {
		return o.Title
	}
	return def
}

func (o Options) valueLabel(def string) string {
	if o.ValueLabel != "" {
		return o.ValueLabel
	}
	return def
}

// series returns the legend names: o.Series if given, else def.
func (o Options) series(def ...string) ([]string, error) {
	if o.Series == nil {
		return def, nil
	}
	if len(o.Series) != len(def) {
		return nil, fmt.Errorf("%d series names, want %d", len(o.Series), len(def))
	}
	return o.Series, nil
}

// ciNote is the footnote explaining whiskers.
func (o Options) ciNote() string {
	if o.NoiseIntervals {
		return "Whiskers show 95% noise intervals of a differentially private release, not confidence intervals."
	}
	lv := o.Level
	if lv == 0 {
		lv = 0.95
	}
	return fmt.Sprintf("Whiskers show %s%% confidence intervals.", trimFloat(lv*100))
}

// lowBaseNote is the footnote explaining starred, pale marks.
func (o Options) lowBaseNote(how string) string {
	if o.MinBase > 0 {
		return fmt.Sprintf("* Base below %d respondents (%s); interpret with caution.", o.MinBase, how)
	}
	return fmt.Sprintf("* Low base (%s); interpret with caution.", how)
}

// lowBaseTag is the short tag for low-base heat-map cells.
func (o Options) lowBaseTag() string {
	if o.MinBase > 0 {
		return fmt.Sprintf("n<%d", o.MinBase)
	}
	return "low base"
}

// checkInterval reports a data problem with v: an estimate outside
// [0, 1], an infinite bound, a reversed interval, or an estimate outside
// its own interval. NaN parts are allowed, and so are bounds past [0, 1]
// (a Wald interval near 0% or 100%), which clip draws to the scale.
func checkInterval(v Interval) error {
	const tol = 1e-9 // rounding in upstream arithmetic
	if math.IsInf(v.Est, 0) || v.Est < -tol || v.Est > 1+tol {
		return fmt.Errorf("estimate %v outside [0, 1]", v.Est)
	}
	if math.IsInf(v.Lo, 0) || math.IsInf(v.Hi, 0) {
		return fmt.Errorf("interval [%v, %v] is infinite", v.Lo, v.Hi)
	}
	if !math.IsNaN(v.Lo) && !math.IsNaN(v.Hi) && v.Lo > v.Hi+tol {
		return fmt.Errorf("interval [%v, %v] is reversed", v.Lo, v.Hi)
	}
	if !math.IsNaN(v.Est) {
		if !math.IsNaN(v.Lo) && v.Est < v.Lo-tol || !math.IsNaN(v.Hi) && v.Est > v.Hi+tol {
			return fmt.Errorf("estimate %v outside its interval [%v, %v]", v.Est, v.Lo, v.Hi)
		}
	}
	return nil
}

// clip limits v's bounds to [0, 1], the extent of a percentage scale.
// NaN bounds stay NaN.
func (v Interval) clip() Interval {
	if v.Lo < 0 {
		v.Lo = 0
	}
	if v.Hi > 1 {
		v.Hi = 1
	}
	return v
}

// finite reports whether x is a usable number.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
