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
// S_xy/√(S_xx·S_yy) from CovMatrix, i.e. cov2cor(svyvar(~x + y,
// subset(design, in), na.rm = TRUE)) (the n/(n−1) factor cancels). It
// returns CovMatrix's errors and an error when x or y does not vary.
func (d *Design) Correlation(x, y []float64, in []bool) (float64, error) {
	s, err := d.CovMatrix([][]float64{x, y}, in)
	if err != nil {
		return math.NaN(), fmt.Errorf("correlation: %w", err)
	}
	for j, name := range []string{"x", "y"} {
		if !(s[j][j] > 0) {
			return math.NaN(), fmt.Errorf("correlation: %s has no variance among the respondents who answered both", name)
		}
	}
	r := s[0][1] / math.Sqrt(s[0][0]*s[1][1])
	return max(-1, min(1, r)), nil // rounding must not leave [−1, 1]
}
