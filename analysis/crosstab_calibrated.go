package analysis

import (
	"context"
	"math"

	"gonum.org/v1/gonum/mat"
)

// A crosstab on a calibrated design: the shares, the counts' SEs and the
// tests from influence values residualized respondent by respondent (the
// PSU cell sums cannot carry the calibration).

// calibrateCrosstab replaces ct's column shares, their intervals and the
// counts' SEs by their values on the calibrated design: svymean of each
// row's indicator in each column's domain (and among everyone who
// answered b), svytotal of each cell's indicator in its column.
func (d *Design) calibrateCrosstab(ctx context.Context, ct *Crosstab, a, b []int32, level float64) error {
	d = d.withContext(ctx)
	na, nb := len(ct.ALevels), len(ct.BLevels)
	ind := make([]float64, d.n)
	cell := make([]float64, d.n)
	in := make([]bool, d.n)
	answeredB := make([]bool, d.n)
	for i, c := range b {
		answeredB[i] = c >= 0
	}
	for i := 0; i < na; i++ {
		for r, c := range a {
			switch {
			case c < 0:
				ind[r] = math.NaN()
			case int(c) == i:
				ind[r] = 1
			default:
				ind[r] = 0
			}
		}
		for j := 0; j < nb; j++ {
			if err := stopped(ctx, "crosstab"); err != nil {
				return err
			}
			for r, c := range b {
				in[r] = int(c) == j
				cell[r] = 0
				if in[r] && a[r] >= 0 && int(a[r]) == i {
					cell[r] = 1
				}
			}
			if ct.Bases[j].N > 0 {
				e := d.Mean(ind, in, level)
				e.CILow, e.CIHigh = PropCI(e, CILogit, level)
				ct.Pct[i][j] = e
			}
			ct.CountSE[i][j] = d.Total(cell, nil, level).SE
		}
		if ct.TotalBase.N > 0 {
			e := d.Mean(ind, answeredB, level)
			e.CILow, e.CIHigh = PropCI(e, CILogit, level)
			ct.TotalPct[i] = e
		}
		for r := range cell {
			cell[r] = 0
			if answeredB[r] && a[r] >= 0 && int(a[r]) == i {
				cell[r] = 1
			}
		}
		ct.TotalCountSE[i] = d.Total(cell, nil, level).SE
	}
	return stopped(ctx, "crosstab")
}

// calibratedCov is psuCov on a calibrated design: the cell proportions'
// influence values w(1[cell] − p_k)/W of the respondents who answered
// both variables, residualized, summed by PSU, their covariance.
func (t *table) calibratedCov(ctx context.Context, d *Design, K int, src []int, p []float64, W float64) (*mat.Dense, error) {
	z := make([][]float64, K)
	for k := range z {
		z[k] = make([]float64, d.n)
	}
	for i := range t.a {
		if i&pollMask == 0 {
			if err := stopped(ctx, "covariance"); err != nil {
				return nil, err
			}
		}
		ai, bi := t.a[i], t.b[i]
		if ai < 0 || bi < 0 {
			continue
		}
		c := int(ai) + t.na*int(bi)
		for k := range z {
			x := -p[k]
			if src[k] == c {
				x++
			}
			z[k][i] = d.w[i] * x / W
		}
	}
	cov, err := d.covContext(ctx, z)
	if err != nil {
		return nil, err
	}
	V := mat.NewDense(K, K, nil)
	for a, row := range cov {
		V.SetRow(a, row)
	}
	return V, nil
}

// calibratedCellCov is the covariance of the cells' weighted totals
// (influence w·1[cell]) on a calibrated design.
func (t *table) calibratedCellCov(ctx context.Context, d *Design) ([][]float64, error) {
	K := t.na * t.nb
	z := make([][]float64, K)
	for k := range z {
		z[k] = make([]float64, d.n)
	}
	for i := range t.a {
		if t.a[i] >= 0 && t.b[i] >= 0 {
			z[int(t.a[i])+t.na*int(t.b[i])][i] = d.w[i]
		}
	}
	return d.covContext(ctx, z)
}

// compareCalibrated is Compare on a calibrated design: each level against
// the rest by DiffMeans and each 0/1 statistic's Rao-Scott test from
// residualized influence values. The test's ν is the whole design's, as
// svychisq counts every cluster of a calibrated design's subset (which
// keeps its rows at weight 0).
func (s *study) compareCalibrated(stats []compareStat, res *CompareResult) (*CompareResult, error) {
	level := s.opts.level()
	df := s.d.DegF(nil)
	d := s.d.withContext(s.e.ctx)
	in1 := make([]bool, s.ds.N)
	in2 := make([]bool, s.ds.N)
	for _, st := range stats {
		y := st.y.materialize(s.ds.N)
		for _, v := range s.vars {
			for c := range v.levels {
				var n1, n2 int
				var w1, wy1, w2, wy2 float64
				for i, k := range v.codes {
					in1[i], in2[i] = k == int32(c), k >= 0 && k != int32(c)
					if math.IsNaN(y[i]) {
						continue
					}
					switch {
					case in1[i]:
						n1++
						w1 += s.d.w[i]
						wy1 += s.d.w[i] * y[i]
					case in2[i]:
						n2++
						w2 += s.d.w[i]
						wy2 += s.d.w[i] * y[i]
					}
				}
				if err := s.e.err(); err != nil {
					return nil, err
				}
				e := d.DiffMeans(y, in1, in2, level)
				res.Comparisons = append(res.Comparisons, s.comparison(st, v, c, e, wy1/w1, wy2/w2, n1, n2, df, level))
			}
			if st.binary {
				res.Tests = append(res.Tests, s.chiSqTable(v, st.name, s.d.tabulate(v.codes, binaryCodes(y, nil), len(v.levels), 2, nil)))
			}
		}
	}
	if err := s.e.err(); err != nil {
		return nil, err // a test stopped by the context carries it in its note
	}
	return res, nil
}
