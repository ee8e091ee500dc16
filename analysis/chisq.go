package analysis

import (
	"context"
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// ChiSqResult is a design-based test of independence of two categorical
// variables.
type ChiSqResult struct {
	F   float64 // Rao-Scott second-order corrected statistic
	NDF float64 // numerator degrees of freedom d₀
	DDF float64 // denominator degrees of freedom d₀·ν
	P   float64 // P(F(NDF, DDF) > F)
	// Pearson is the uncorrected Pearson X² of the weighted table rescaled
	// to the domain's number of respondents, R's
	// chisq.test(svytable(~a+b, design, Ntotal=nrow(design)))$statistic.
	Pearson float64
	// Rows and Cols count the levels of a and b that entered the test.
	Rows, Cols int
	// Eigen holds the eigenvalues of Δ = (C'D⁻¹C/N)⁻¹ C'D⁻¹VD⁻¹C, the
	// generalized design effects that lincom's distribution combines.
	Eigen []float64
}

// ErrChiSq marks a table on which the test is undefined.
var ErrChiSq = errors.New("chi-square")

// table holds the per-PSU weighted counts of an a × b table and the
// domain bookkeeping that ChiSq and Crosstab need, from one pass.
type table struct {
	na, nb int
	cell   []float64 // cell[p*na*nb + i + na*j]: Σw with a=i, b=j in PSU p
	// colSeen[p*(nb+1) + j]: PSU p has a domain respondent with b=j (a
	// answered or not); j = nb marks b answered at all.
	colSeen []bool
	psuSeen []bool    // PSU p has a domain respondent
	count   []int     // respondents per cell, both answered
	sw2     []float64 // Σw² per cell, for Kish's effective base
	colND   []int     // respondents with b=j, a answered or not
	colW    []float64 // their summed weights
	nDomain int       // respondents in the domain
	// nu, when nuSet, is the test's ν instead of the domain's degf
	// (compare: degf of subset(design, !is.na(y)), see answeredDegF).
	nu    int
	nuSet bool
	// a and b, on a calibrated design, are the codes tabulated, whose
	// cells' influence values are residualized respondent by respondent.
	a, b []int32
	// tot and cov, when cell is nil, are the cells' totals and their
	// covariance across PSUs (allSums.binaryTableCov): what chisq reads.
	tot []float64
	cov [][]float64
}

// tabulate builds the table of a (rows) by b (columns) over respondents
// with in[i] true (nil: all). Codes must be in −1..na−1 and −1..nb−1;
// -1 is a missing answer.
func (d *Design) tabulate(a, b []int32, na, nb int, in []bool) *table {
	if len(a) != d.n || len(b) != d.n || (in != nil && len(in) != d.n) {
		panic("analysis: length mismatch")
	}
	if na < 1 || nb < 1 {
		panic("analysis: a table needs at least one level per variable")
	}
	P, K := d.NumPSU(), na*nb
	t := &table{
		a: a, b: b,
		na: na, nb: nb,
		cell:    make([]float64, P*K),
		colSeen: make([]bool, P*(nb+1)),
		psuSeen: make([]bool, P),
		count:   make([]int, K),
		colND:   make([]int, nb),
		colW:    make([]float64, nb),
		sw2:     make([]float64, K),
	}
	for i := range a {
		if in != nil && !in[i] {
			continue
		}
		ai, bi := a[i], b[i]
		if ai < -1 || int(ai) >= na || bi < -1 || int(bi) >= nb {
			panic("analysis: code out of range")
		}
		p := int(d.psu[i])
		t.nDomain++
		t.psuSeen[p] = true
		if bi < 0 {
			continue
		}
		t.colSeen[p*(nb+1)+int(bi)] = true
		t.colSeen[p*(nb+1)+nb] = true
		t.colND[bi]++
		t.colW[bi] += d.w[i]
		if ai < 0 {
			continue
		}
		k := int(ai) + na*int(bi)
		t.cell[p*K+k] += d.w[i]
		t.count[k]++
		t.sw2[k] += d.w[i] * d.w[i]
	}
	return t
}

// totals returns the weighted count of every cell.
func (t *table) totals() []float64 {
	if t.cell == nil && t.tot != nil {
		return t.tot
	}
	K := t.na * t.nb
	out := make([]float64, K)
	for p := 0; p < len(t.cell)/K; p++ {
		for k, v := range t.cell[p*K : (p+1)*K] {
			out[k] += v
		}
	}
	return out
}

// ChiSq tests the independence of a and b over the whole sample; see
// ChiSqIn.
func (d *Design) ChiSq(a, b []int32, na, nb int) (ChiSqResult, error) {
	return d.ChiSqIn(a, b, na, nb, nil)
}

// ChiSqIn is R's svychisq(~a+b, subset(design, in), statistic="F"): the
// Rao-Scott second-order corrected Pearson test of independence of a
// (codes 0..na−1) and b (0..nb−1) over respondents with in[i] true (nil:
// all); code −1 is a missing answer.
//
// With p̂ the K = r·c cell proportions of respondents answering both
// (svymean of the cell indicators, na.rm=TRUE), V their linearization
// covariance, D = diag(p̂), C the interaction columns of the saturated
// model's design matrix made orthogonal to the main effects (R's
// qr.resid(qr(X1), X12)) and N the number of respondents in the domain,
//
//	Δ = (Cᵀ D⁻¹ C / N)⁻¹ (Cᵀ D⁻¹ V D⁻¹ C),  d₀ = tr(Δ)² / tr(Δ²)
//	F = X² / tr(Δ) ~ F(d₀, d₀·ν)
//
// where X² is Pearson's statistic of the weighted table scaled to N and
// ν is the domain's degf counting every respondent, answered or not (R's
// nu). N cancels from F, so it matters only for Pearson.
//
// Only levels answered by at least one respondent who answered both
// variables enter the test (R would keep a level seen only beside a
// missing answer, which gives it an empty margin and an undefined
// statistic). The error wraps ErrChiSq when fewer than two levels of
// either variable remain. It panics on codes outside their ranges.
func (d *Design) ChiSqIn(a, b []int32, na, nb int, in []bool) (ChiSqResult, error) {
	if err := d.requireUncalibrated("the Rao-Scott test"); err != nil && in != nil {
		return ChiSqResult{}, err // a calibrated domain's ν is R's whole-design one: not offered
	}
	return d.tabulate(a, b, na, nb, in).chisq(d, in)
}

// chisq runs the Rao-Scott test on a tabulated table.
func (t *table) chisq(d *Design, in []bool) (ChiSqResult, error) {
	return t.chisqContext(context.Background(), d, in)
}

// chisqContext is chisq stopped by ctx (see calibratedCov).
func (t *table) chisqContext(ctx context.Context, d *Design, in []bool) (ChiSqResult, error) {
	na, nb, K0 := t.na, t.nb, t.na*t.nb
	// Keep the levels present among complete answers (weights are
	// positive, so a level is present when its margin is).
	rowW := make([]float64, na)
	colW := make([]float64, nb)
	tot := t.totals()
	for j := 0; j < nb; j++ {
		for i := 0; i < na; i++ {
			rowW[i] += tot[i+na*j]
			colW[j] += tot[i+na*j]
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
	res := ChiSqResult{Rows: nr, Cols: nc}
	if nr < 2 || nc < 2 {
		return res, fmt.Errorf("%w: needs two answered levels of each variable, got %d × %d", ErrChiSq, nr, nc)
	}
	K := nr * nc
	// Cell proportions and their influence totals by PSU.
	var W float64
	for _, v := range tot {
		W += v
	}
	p := make([]float64, K)
	src := make([]int, K) // reduced cell -> full cell
	for jj, j := range cols {
		for ii, i := range rows {
			k := ii + nr*jj
			src[k] = i + na*j
			p[k] = tot[src[k]] / W
		}
	}
	var V *mat.Dense
	if t.cov != nil {
		// The influence totals are B·cells, B[k][j] = ([j = src k] −
		// p_k)/W: V = B·cov·B'.
		b := mat.NewDense(K, K0, nil)
		for k := 0; k < K; k++ {
			for j := 0; j < K0; j++ {
				x := -p[k]
				if j == src[k] {
					x++
				}
				b.Set(k, j, x/W)
			}
		}
		cov := mat.NewDense(K0, K0, nil)
		for i := range K0 {
			cov.SetRow(i, t.cov[i])
		}
		var tmp mat.Dense
		tmp.Mul(b, cov)
		V = mat.NewDense(K, K, nil)
		V.Mul(&tmp, b.T())
	} else if d.cal != nil {
		var err error
		if V, err = t.calibratedCov(ctx, d, K, src, p, W); err != nil {
			return res, err
		}
	} else {
		V = t.psuCov(d, K, K0, src, p, W)
	}
	return t.raoScott(d, in, res, rows, cols, rowW, colW, tot, p, V, W)
}

// psuCov is the covariance of the cell proportions' influence totals,
// PSU by PSU (see chisq).
func (t *table) psuCov(d *Design, K, K0 int, src []int, p []float64, W float64) *mat.Dense {
	P := d.NumPSU()
	infl := make([][]float64, K)
	flat := make([]float64, K*P)
	for k := range infl {
		infl[k] = flat[k*P : (k+1)*P : (k+1)*P]
	}
	for q := 0; q < P; q++ {
		var wq float64 // complete answers in PSU q
		for _, v := range t.cell[q*K0 : (q+1)*K0] {
			wq += v
		}
		if wq == 0 {
			continue
		}
		for k := range infl {
			infl[k][q] = (t.cell[q*K0+src[k]] - p[k]*wq) / W
		}
	}
	V := mat.NewDense(K, K, nil)
	// svymean(mm, design, na.rm = TRUE): the rows are those that answered
	// both.
	answered := func(q int) bool {
		for _, v := range t.cell[q*K0 : (q+1)*K0] {
			if v > 0 {
				return true
			}
		}
		return false
	}
	for a, row := range d.covIn(infl, d.seenStrata(answered)) {
		V.SetRow(a, row)
	}
	return V
}

// raoScott finishes chisq from the cell proportions' covariance V.
func (t *table) raoScott(d *Design, in []bool, res ChiSqResult, rows, cols []int, rowW, colW, tot, p []float64, V *mat.Dense, W float64) (ChiSqResult, error) {
	na := t.na
	nr, nc := len(rows), len(cols)
	K := nr * nc
	C, err := interactionContrasts(nr, nc)
	if err != nil {
		return res, err
	}
	N := float64(t.nDomain)
	// iD C: rows of C divided by p (0 for empty cells, as R does).
	iDC := mat.DenseCopyOf(C)
	for k := 0; k < K; k++ {
		s := 0.0
		if p[k] != 0 {
			s = 1 / p[k]
		}
		for c := 0; c < iDC.RawMatrix().Cols; c++ {
			iDC.Set(k, c, iDC.At(k, c)*s)
		}
	}
	var denom, numr, tmp, delta mat.Dense
	denom.Mul(C.T(), iDC)
	denom.Scale(1/N, &denom)
	tmp.Mul(V, iDC)
	numr.Mul(iDC.T(), &tmp)
	if err := delta.Solve(&denom, &numr); err != nil {
		return res, fmt.Errorf("%w: singular design matrix: %w", ErrChiSq, err)
	}
	m := delta.RawMatrix().Rows
	var tr, tr2 float64
	for i := 0; i < m; i++ {
		tr += delta.At(i, i)
		for j := 0; j < m; j++ {
			tr2 += delta.At(i, j) * delta.At(j, i)
		}
	}
	// Pearson's X² of the table scaled to N.
	x2 := 0.0
	for _, j := range cols {
		for _, i := range rows {
			e := rowW[i] * colW[j] / W
			o := tot[i+na*j]
			x2 += (o - e) * (o - e) / e
		}
	}
	x2 *= N / W
	nu := d.NumPSU() - d.NumStrata()
	if in != nil {
		nu = d.degfSeen(func(q int) bool { return t.psuSeen[q] })
	}
	if t.nuSet {
		nu = t.nu
	}
	d0 := tr * tr / tr2
	var eig mat.Eigen
	if eig.Factorize(&delta, mat.EigenNone) {
		// Δ is similar to a symmetric matrix (denom and numr are
		// symmetric, denom positive definite): its eigenvalues are real.
		for _, v := range eig.Values(nil) {
			res.Eigen = append(res.Eigen, real(v))
		}
	}
	res.Pearson = x2
	res.F = x2 / tr
	res.NDF = d0
	res.DDF = d0 * float64(nu)
	res.P = math.NaN()
	if res.DDF > 0 && !math.IsNaN(res.F) {
		res.P = distuv.F{D1: res.NDF, D2: res.DDF}.Survival(res.F)
	}
	return res, nil
}

// interactionContrasts returns R's Cmat = qr.resid(qr(X1), X12[, -main]):
// the (r−1)(c−1) interaction columns of the saturated model on an r × c
// table (cells ordered with rows varying fastest, treatment contrasts),
// residualised on the main-effects matrix X1.
func interactionContrasts(nr, nc int) (*mat.Dense, error) {
	K := nr * nc
	X1 := mat.NewDense(K, nr+nc-1, nil)
	X12 := mat.NewDense(K, (nr-1)*(nc-1), nil)
	for j := 0; j < nc; j++ {
		for i := 0; i < nr; i++ {
			k := i + nr*j
			X1.Set(k, 0, 1)
			if i > 0 {
				X1.Set(k, i, 1)
			}
			if j > 0 {
				X1.Set(k, nr-1+j, 1)
			}
			if i > 0 && j > 0 {
				X12.Set(k, (i-1)+(nr-1)*(j-1), 1)
			}
		}
	}
	var qr mat.QR
	qr.Factorize(X1)
	var coef, fit mat.Dense
	if err := qr.SolveTo(&coef, false, X12); err != nil {
		return nil, fmt.Errorf("%w: main-effects matrix: %w", ErrChiSq, err)
	}
	fit.Mul(X1, &coef)
	var C mat.Dense
	C.Sub(X12, &fit)
	return &C, nil
}
