package analysis

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// ChiSqStatistic is svychisq's statistic argument.
type ChiSqStatistic int

const (
	// StatF is the Rao-Scott second-order corrected F test (R's default).
	StatF ChiSqStatistic = iota
	// StatChisq is the first-order Rao-Scott correction: Pearson's X²
	// divided by the mean eigenvalue of Δ, referred to χ² on (r−1)(c−1)
	// degrees of freedom.
	StatChisq
	// StatWald is the design-based Wald test of the interaction cells
	// (Koch et al.), F on (r−1)(c−1) and ν degrees of freedom.
	StatWald
	// StatAdjWald is the Wald test adjusted for the number of PSUs
	// (Thomas and Rao): F·(ν − d + 1)/(d·ν) on d and ν − d + 1.
	StatAdjWald
	// StatLincom refers Pearson's X² to its asymptotic distribution, a
	// linear combination Σ δ_j χ²₁ of the eigenvalues δ_j of Δ, each
	// χ² divided by an independent χ²_ddf/ddf with ddf = d₀·ν (R's
	// pFsum(X², rep(1, d), δ, ddf = d₀ν, method = "integration",
	// lower.tail = FALSE)): see LincomP.
	StatLincom
	// StatSaddlepoint is lincom with R's saddlepoint approximation of the
	// p-value (svychisq(statistic = "saddlepoint")): see SaddlepointP.
	StatSaddlepoint
)

// ParseChiSqStatistic reads svychisq's names: F, Chisq, Wald, adjWald,
// lincom, saddlepoint.
func ParseChiSqStatistic(s string) (ChiSqStatistic, error) {
	switch s {
	case "", "F":
		return StatF, nil
	case "Chisq":
		return StatChisq, nil
	case "Wald":
		return StatWald, nil
	case "adjWald":
		return StatAdjWald, nil
	case "lincom":
		return StatLincom, nil
	case "saddlepoint":
		return StatSaddlepoint, nil
	}
	return StatF, fmt.Errorf("chi-square statistic: unknown %q (want F, Chisq, Wald, adjWald, lincom or saddlepoint)", s)
}

// String returns R's name.
func (s ChiSqStatistic) String() string {
	return [...]string{"F", "Chisq", "Wald", "adjWald", "lincom", "saddlepoint"}[s]
}

// ChiSqTest is one of svychisq's tests of independence. DDF is NaN for
// Chisq, which has none. For lincom and saddlepoint, Statistic is
// Pearson's X², NDF the number of eigenvalues of Δ and DDF d₀·ν (R
// reports neither).
type ChiSqTest struct {
	Method    string
	Statistic float64
	NDF, DDF  float64
	P         float64
}

// TestWith returns the table's test of independence with statistic s, as
// svychisq(~a + b, design, statistic = s): F and Chisq from the Rao-Scott
// result, Wald and adjWald from the covariance of the cells' weighted
// totals across PSUs. Levels answered by nobody who answered both
// variables are left out, as for F (R would keep them and fail on a
// singular matrix). Nil when the table has fewer than two such levels of
// either variable.
func (ct *Crosstab) TestWith(d *Design, s ChiSqStatistic) (*ChiSqTest, error) {
	return ct.TestWithContext(context.Background(), d, s)
}

// TestWithContext is TestWith stopped by ctx: on a calibrated design,
// Wald and adjWald residualize every cell's influence values, polling ctx
// between cells; once it is cancelled the error wraps ctx.Err().
func (ct *Crosstab) TestWithContext(ctx context.Context, d *Design, s ChiSqStatistic) (*ChiSqTest, error) {
	if ct.Test == nil {
		return nil, nil
	}
	r := ct.Test
	m := float64((r.Rows - 1) * (r.Cols - 1))
	switch s {
	case StatF:
		return &ChiSqTest{Method: "F", Statistic: r.F, NDF: r.NDF, DDF: r.DDF, P: r.P}, nil
	case StatChisq:
		// F = X²/tr(Δ), so mean(diag Δ) = X²/(F·m).
		meanDelta := r.Pearson / r.F / m
		x := r.Pearson / meanDelta
		return &ChiSqTest{Method: "Chisq", Statistic: r.Pearson, NDF: m, DDF: math.NaN(),
			P: distuv.ChiSquared{K: m}.Survival(x)}, nil
	case StatWald, StatAdjWald:
		return ct.tab.wald(ctx, d, s)
	case StatLincom:
		// NDF is the number of χ²s combined, DDF the denominator's d₀·ν.
		return &ChiSqTest{Method: "lincom", Statistic: r.Pearson, NDF: float64(len(r.Eigen)), DDF: r.DDF,
			P: LincomP(r.Pearson, r.Eigen, r.DDF)}, nil
	case StatSaddlepoint:
		return &ChiSqTest{Method: "saddlepoint", Statistic: r.Pearson, NDF: float64(len(r.Eigen)), DDF: r.DDF,
			P: SaddlepointP(r.Pearson, r.Eigen, r.DDF)}, nil
	}
	panic("analysis: unknown ChiSqStatistic")
}

// wald is svychisq's Wald and adjWald: Y = N̂_ij − N̂_i·N̂_·j/N̂ for the
// cells with i, j ≥ 2 (of the levels answered together), V = J·Cov·Jᵀ
// with J the derivative of Y in the cells' totals and Cov their
// covariance across PSUs, X = Yᵀ V⁻¹ Y.
func (t *table) wald(ctx context.Context, d *Design, s ChiSqStatistic) (*ChiSqTest, error) {
	na, nb, K0 := t.na, t.nb, t.na*t.nb
	tot := t.totals()
	rowW, colW := make([]float64, na), make([]float64, nb)
	var N float64
	for j := 0; j < nb; j++ {
		for i := 0; i < na; i++ {
			rowW[i] += tot[i+na*j]
			colW[j] += tot[i+na*j]
			N += tot[i+na*j]
		}
	}
	var rows, cols []int
	for i, w := range rowW {
		if w > 0 {
			rows = append(rows, i)
		}
	}
	for j, w := range colW {
		if w > 0 {
			cols = append(cols, j)
		}
	}
	nr, nc := len(rows), len(cols)
	if nr < 2 || nc < 2 {
		return nil, nil
	}
	// Cells' PSU totals, in the full layout.
	P := d.NumPSU()
	cells := make([][]float64, K0)
	for k := range cells {
		cells[k] = make([]float64, P)
		for p := 0; p < P; p++ {
			cells[k][p] = t.cell[p*K0+k]
		}
	}
	var cov [][]float64
	if d.cal != nil {
		var err error
		if cov, err = t.calibratedCellCov(ctx, d); err != nil {
			return nil, err
		}
	} else {
		// svytotal(~mm + mr + mc + one, na.rm = TRUE): the rows are those
		// that answered both.
		cov = d.covIn(cells, d.seenStrata(func(p int) bool {
			for _, w := range t.cell[p*K0 : (p+1)*K0] {
				if w > 0 {
					return true
				}
			}
			return false
		}))
	}
	// use: cells (rows[ii], cols[jj]) with ii, jj ≥ 1, rows fastest.
	var use [][2]int
	for jj := 1; jj < nc; jj++ {
		for ii := 1; ii < nr; ii++ {
			use = append(use, [2]int{rows[ii], cols[jj]})
		}
	}
	q := len(use)
	Y := mat.NewVecDense(q, nil)
	J := mat.NewDense(q, K0, nil)
	for u, c := range use {
		i, j := c[0], c[1]
		Y.SetVec(u, tot[i+na*j]-rowW[i]*colW[j]/N)
		// ∂Y/∂cell(k, l) = [k=i,l=j] − ([k=i]·N̂_·j + [l=j]·N̂_i·)/N̂ + N̂_i·N̂_·j/N̂².
		for l := 0; l < nb; l++ {
			for k := 0; k < na; k++ {
				g := rowW[i] * colW[j] / (N * N)
				if k == i {
					g -= colW[j] / N
				}
				if l == j {
					g -= rowW[i] / N
				}
				if k == i && l == j {
					g++
				}
				J.Set(u, k+na*l, g)
			}
		}
	}
	C := mat.NewDense(K0, K0, nil)
	for a := range cov {
		C.SetRow(a, cov[a])
	}
	var JC, V mat.Dense
	JC.Mul(J, C)
	V.Mul(&JC, J.T())
	var sol mat.VecDense
	if err := sol.SolveVec(&V, Y); err != nil {
		return nil, fmt.Errorf("%w: Wald test: singular covariance: %w", ErrChiSq, err)
	}
	x := mat.Dot(Y, &sol)
	nu := float64(d.NumPSU() - d.NumStrata())
	df := float64((nr - 1) * (nc - 1))
	out := &ChiSqTest{Method: s.String(), NDF: df}
	if s == StatWald {
		out.Statistic, out.DDF = x/df, nu
	} else {
		out.DDF = nu - df + 1
		out.Statistic = x * out.DDF / (df * nu)
	}
	out.P = math.NaN()
	if out.DDF > 0 {
		out.P = distuv.F{D1: out.NDF, D2: out.DDF}.Survival(out.Statistic)
	}
	return out, nil
}

// countSEs fills the weighted counts' SEs: the variance of a cell's
// weighted total is that of its PSU totals (svytotal of the cell's
// indicator; outside the column's domain the indicator's influence is 0
// either way).
func (ct *Crosstab) countSEs(d *Design, t *table) {
	na, nb, K := t.na, t.nb, t.na*t.nb
	P := d.NumPSU()
	ct.CountSE = make([][]float64, na)
	ct.TotalCounts = make([]float64, na)
	ct.TotalCountSE = make([]float64, na)
	x := make([]float64, P)
	row := make([]float64, P)
	// The rows of svytotal(~I(a == i), subset(design, b == j), na.rm =
	// TRUE) are column j's respondents who answered a (every column's for
	// the Total), in every cell of the column: lonelyFactor's strata.
	colStrata := make([]func(h int) bool, nb+1)
	for j := 0; j <= nb; j++ {
		colStrata[j] = allStrata
		if d.averaging() {
			colStrata[j] = d.seenStrata(func(p int) bool {
				for jj := 0; jj < nb; jj++ {
					if jj != j && j != nb {
						continue
					}
					for i := 0; i < na; i++ {
						if t.cell[p*K+i+na*jj] > 0 {
							return true
						}
					}
				}
				return false
			})
		}
	}
	for i := 0; i < na; i++ {
		ct.CountSE[i] = make([]float64, nb)
		clear(row)
		for j := 0; j < nb; j++ {
			for p := 0; p < P; p++ {
				x[p] = t.cell[p*K+i+na*j]
				row[p] += x[p]
			}
			ct.CountSE[i][j] = math.Sqrt(d.varianceIn(x, colStrata[j]))
			ct.TotalCounts[i] += ct.Counts[i][j]
		}
		ct.TotalCountSE[i] = math.Sqrt(d.varianceIn(row, colStrata[nb]))
	}
}
