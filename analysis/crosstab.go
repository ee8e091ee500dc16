package analysis

import (
	"context"
	"math"
)

// CrosstabBase describes the respondents behind a crosstab column.
type CrosstabBase struct {
	N          int     // unweighted: respondents answering both variables
	WeightedN  float64 // their summed weights
	EffectiveN float64 // Kish's effective base (Σw)²/Σw²; NaN for an empty column
}

// Crosstab is a weighted a × b table: a's levels are the rows and b's
// the columns, as in a market-research banner.
type Crosstab struct {
	ALevels, BLevels []string
	// Counts[i][j] is the weighted count of respondents with a = i and
	// b = j, R's svytable(~a+b, design).
	Counts [][]float64
	// Pct[i][j] is the share (a fraction) of a = i among the respondents
	// of column j who answered a: svymean(~a, subset(design, b == j),
	// na.rm=TRUE), with the logit interval of svyciprop and the column
	// domain's degf (respondents with a missing a included). Use
	// PropCI(Pct[i][j], m, level) for another interval.
	Pct [][]Estimate
	// Bases[j] is column j's base.
	Bases []CrosstabBase
	// TotalPct[i] is the share of a = i among everyone who answered both
	// variables (so the total column is the weighted sum of the others):
	// svymean(~a, subset(design, !is.na(b)), na.rm=TRUE), logit interval.
	TotalPct  []Estimate
	TotalBase CrosstabBase
	// Test is the Rao-Scott test of independence (Design.ChiSq), nil when
	// fewer than two levels of a or b were answered together.
	Test *ChiSqResult
	// CountSE[i][j] is the SE of Counts[i][j], svytotal of the cell's
	// indicator in column j's domain; TotalCounts[i] and TotalCountSE[i]
	// are row i's weighted count over the columns and its SE.
	CountSE      [][]float64
	TotalCounts  []float64
	TotalCountSE []float64

	tab *table // for the other statistics (Crosstab.Test)
}

// Crosstab tabulates a (codes 0..len(aLevels)−1, −1 missing) by b (codes
// 0..len(bLevels)−1) over the whole sample in one pass over the data, with
// column percentages, their SEs and logit intervals at level, column bases
// and the Rao-Scott test. Levels nobody chose keep their row or column:
// an empty column's shares are NaN. It panics on codes out of range or
// slices of the wrong length; the error is reserved for the test's matrix
// algebra failing.
func (d *Design) Crosstab(a, b []int32, aLevels, bLevels []string, level float64) (*Crosstab, error) {
	return d.CrosstabContext(context.Background(), a, b, aLevels, bLevels, level)
}

// CrosstabContext is Crosstab stopped by ctx: it is polled between the
// passes over the respondents (on a calibrated design, one a cell), and
// once it is cancelled the error wraps ctx.Err().
func (d *Design) CrosstabContext(ctx context.Context, a, b []int32, aLevels, bLevels []string, level float64) (*Crosstab, error) {
	na, nb := len(aLevels), len(bLevels)
	t := d.tabulate(a, b, na, nb, nil)
	if err := stopped(ctx, "crosstab"); err != nil {
		return nil, err
	}
	ct := &Crosstab{
		ALevels: aLevels, BLevels: bLevels,
		Counts:   make([][]float64, na),
		Pct:      make([][]Estimate, na),
		Bases:    make([]CrosstabBase, nb),
		TotalPct: make([]Estimate, na),
	}
	tot := t.totals()
	for i := range ct.Counts {
		ct.Counts[i] = make([]float64, nb)
		ct.Pct[i] = make([]Estimate, nb)
		for j := range ct.Counts[i] {
			ct.Counts[i][j] = tot[i+na*j]
		}
	}
	P, K := d.NumPSU(), na*nb
	wcol := make([]float64, P) // Σw in column j (or all columns) per PSU
	wcell := make([]float64, P)
	// share fills the Estimates of one column: cols lists the b codes it
	// spans, seen marks its domain's PSUs, nd counts its respondents.
	share := func(cols []int, seen func(p int) bool, nd int, dst func(i int, e Estimate)) CrosstabBase {
		var base CrosstabBase
		var sw2 float64
		clear(wcol)
		for p := 0; p < P; p++ {
			for _, j := range cols {
				for i := 0; i < na; i++ {
					wcol[p] += t.cell[p*K+i+na*j]
				}
			}
		}
		for _, j := range cols {
			for i := 0; i < na; i++ {
				base.N += t.count[i+na*j]
				base.WeightedN += tot[i+na*j]
				sw2 += t.sw2[i+na*j]
			}
		}
		base.EffectiveN = base.WeightedN * base.WeightedN / sw2
		df := d.degfSeen(seen)
		W := base.WeightedN
		for i := 0; i < na; i++ {
			if base.N == 0 {
				dst(i, undefined(0, nd, 0, df))
				continue
			}
			var wi float64
			for _, j := range cols {
				wi += tot[i+na*j]
			}
			pi := wi / W
			clear(wcell)
			for p := 0; p < P; p++ {
				for _, j := range cols {
					wcell[p] += t.cell[p*K+i+na*j]
				}
				wcell[p] -= pi * wcol[p]
			}
			// svyby(~a, ~b, svymean, na.rm = TRUE): the column's rows are
			// its respondents who answered a.
			v := d.varianceIn(wcell, d.seenStrata(func(p int) bool { return wcol[p] > 0 })) / (W * W)
			e := Estimate{Estimate: pi, SE: math.Sqrt(v), N: base.N, NDomain: nd, WeightedN: W, DF: df}
			if t.colW != nil && d.cal == nil {
				for _, j := range cols {
					e.wDomain += t.colW[j] // the column's respondents, a answered or not
				}
			}
			// Σw(y−p)² of a 0/1 indicator is W·p(1−p).
			e.Deff = deffReplace(v, pi*(1-pi), base.N)
			e.CILow, e.CIHigh = PropCI(e, CILogit, level)
			dst(i, e)
		}
		return base
	}
	all := make([]int, nb)
	ndAll := 0
	for j := range all {
		all[j] = j
		ndAll += t.colND[j]
		ct.Bases[j] = share([]int{j}, func(p int) bool { return t.colSeen[p*(nb+1)+j] }, t.colND[j],
			func(i int, e Estimate) { ct.Pct[i][j] = e })
	}
	ct.TotalBase = share(all, func(p int) bool { return t.colSeen[p*(nb+1)+nb] }, ndAll,
		func(i int, e Estimate) { ct.TotalPct[i] = e })
	ct.tab = t
	ct.countSEs(d, t)
	if d.cal != nil {
		if err := d.calibrateCrosstab(ctx, ct, a, b, level); err != nil {
			return nil, err
		}
	}
	res, err := t.chisqContext(ctx, d, nil)
	switch {
	case err == nil:
		ct.Test = &res
	case ctx.Err() != nil:
		return nil, stopped(ctx, "crosstab")
	case res.Rows < 2 || res.Cols < 2:
		// The test is undefined; the table itself stands.
	default:
		return nil, err
	}
	return ct, nil
}
