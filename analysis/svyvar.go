package analysis

import (
	"fmt"
	"math"
)

// CovMatrix returns the design-based covariance matrix of the variables x
// (x[j][i] is variable j of respondent i) over the respondents with in[i]
// true (nil: all) who answered every variable (complete cases, m of them):
//
//	S_jl = Σ w_i (x_ij − x̄_j)(x_il − x̄_l) / Σ w_i · n/(n − 1),  x̄_j = Σ w_i x_ij / Σ w_i
//
// the sums over the complete cases. This is svyvar(~x1 + x2 + ...,
// subset(design, in), na.rm = TRUE), including its choice of n: the number
// of respondents in the domain, answered or not, because svyvar counts them
// before na.rm drops the incomplete ones (with complete data n = m, the
// usual weighted sample covariance). Standard errors of S are not computed.
//
// It returns an error for an infinite value or fewer than 2 complete cases
// and panics when a slice has the wrong length or x is empty.
func (d *Design) CovMatrix(x [][]float64, in []bool) ([][]float64, error) {
	if len(x) == 0 {
		panic("analysis: CovMatrix of no variables")
	}
	if err := d.requireUncalibrated("svyvar"); err != nil {
		return nil, err
	}
	if in != nil && len(in) != d.n {
		panic("analysis: length mismatch")
	}
	for _, c := range x {
		if len(c) != d.n {
			panic("analysis: length mismatch")
		}
	}
	p := len(x)
	complete := make([]bool, d.n)
	nDomain, m := 0, 0
	var sw float64
rows:
	for i := 0; i < d.n; i++ {
		if in != nil && !in[i] {
			continue
		}
		nDomain++
		for j, c := range x {
			if math.IsNaN(c[i]) {
				continue rows
			}
			if math.IsInf(c[i], 0) {
				return nil, fmt.Errorf("svyvar: variable %d of respondent %d is %v", j+1, i+1, c[i])
			}
		}
		complete[i] = true
		sw += d.w[i]
		m++
	}
	if m < 2 {
		return nil, fmt.Errorf("svyvar: %d respondents answered every variable; need at least 2", m)
	}
	mean := make([]float64, p)
	for j, c := range x {
		for i, ok := range complete {
			if ok {
				mean[j] += d.w[i] * c[i]
			}
		}
		mean[j] /= sw
	}
	s := make([][]float64, p)
	for j := range s {
		s[j] = make([]float64, p)
	}
	dev := make([]float64, p)
	for i, ok := range complete {
		if !ok {
			continue
		}
		for j, c := range x {
			dev[j] = c[i] - mean[j]
		}
		for j := range dev {
			wd := d.w[i] * dev[j]
			for l := j; l < p; l++ {
				s[j][l] += wd * dev[l]
			}
		}
	}
	scale := float64(nDomain) / float64(nDomain-1) / sw
	for j := range s {
		for l := j; l < p; l++ {
			s[j][l] *= scale
			s[l][j] = s[j][l]
		}
	}
	return s, nil
}

// Correlation returns the design-weighted Pearson correlation of x and y
// over the respondents with in[i] true (nil: all) who answered both:
// S_xy/√(S_xx·S_yy) of CovMatrix, i.e. cov2cor(svyvar(~x + y,
// subset(design, in), na.rm = TRUE)) (the n/(n−1) factor cancels). It
// reads the data once, keeping the weighted sums of the deviations from
// the first complete case (corrMoments, as Paradox's correlation keeps
// them for every domain). It returns an error for an infinite value, fewer
// than 2 complete cases, or x or y without variance, and panics when a
// slice has the wrong length.
func (d *Design) Correlation(x, y []float64, in []bool) (float64, error) {
	if err := d.requireUncalibrated("svyvar"); err != nil {
		return math.NaN(), fmt.Errorf("correlation: %w", err)
	}
	if len(x) != d.n || len(y) != d.n || (in != nil && len(in) != d.n) {
		panic("analysis: length mismatch")
	}
	var m corrMoments
	for i, xi := range x {
		yi := y[i]
		if (in != nil && !in[i]) || math.IsNaN(xi) || math.IsNaN(yi) {
			continue
		}
		for j, v := range [2]float64{xi, yi} {
			if math.IsInf(v, 0) {
				return math.NaN(), fmt.Errorf("correlation: svyvar: variable %d of respondent %d is %v", j+1, i+1, v)
			}
		}
		m.add(xi, yi, d.w[i])
	}
	return m.correlation()
}

// corrMoments are the weighted sums behind a correlation over one
// domain's complete cases: Σw and Σw·dx, Σw·dy, Σw·dx², Σw·dy², Σw·dx·dy
// of the deviations dx = x − c_x, dy = y − c_y from the first complete
// case, so that the sums of squares stay accurate when the means are
// large relative to the spread.
type corrMoments struct {
	n                         int
	inf, started              bool
	cx, cy                    float64 // shift
	sw, sx, sy, sxx, syy, sxy float64
}

// add adds a complete case; an infinite value makes the correlation
// undefined.
func (m *corrMoments) add(x, y, w float64) {
	m.n++
	if math.IsInf(x, 0) || math.IsInf(y, 0) {
		m.inf = true
		return
	}
	if !m.started {
		m.cx, m.cy, m.started = x, y, true
	}
	dx, dy := x-m.cx, y-m.cy
	m.sw += w
	m.sx += w * dx
	m.sy += w * dy
	m.sxx += w * dx * dx
	m.syy += w * dy * dy
	m.sxy += w * dx * dy
}

// correlation is S_xy/√(S_xx·S_yy), or NaN and why it is undefined.
func (m *corrMoments) correlation() (float64, error) {
	switch {
	case m.inf:
		return math.NaN(), fmt.Errorf("correlation: an infinite value")
	case m.n < 2:
		return math.NaN(), fmt.Errorf("correlation: svyvar: %d respondents answered every variable; need at least 2", m.n)
	}
	sxx := m.sxx - m.sx*m.sx/m.sw
	syy := m.syy - m.sy*m.sy/m.sw
	sxy := m.sxy - m.sx*m.sy/m.sw
	for _, v := range []struct {
		name string
		s    float64
	}{{"x", sxx}, {"y", syy}} {
		if !(v.s > 0) {
			return math.NaN(), fmt.Errorf("correlation: %s has no variance among the respondents who answered both", v.name)
		}
	}
	return max(-1, min(1, sxy/math.Sqrt(sxx*syy))), nil // rounding must not leave [−1, 1]
}
