// Package analysis holds trustgap's design-based estimators and the
// analyses built on them (privacy paradox, trust and comfort, Westin
// segments, region comparison, reliability).
//
// The estimators reproduce R's survey package (Lumley) for single-stage
// designs declared as
//
//	svydesign(ids=~psu, strata=~strata, weights=~w, fpc=~fpc, nest=TRUE)
//
// Standard errors come from Taylor linearization: every estimator builds an
// influence (estimating-function) value per respondent, and the variance is
// the with-replacement between-PSU variance of those values within strata
// (R's svyrecvar for one stage). Respondents outside a domain or with a
// missing answer get influence 0 but their PSUs stay in the design, which is
// what R does for subset(design, ...) and na.rm=TRUE.
//
// Missing values are NaN in every float64 slice this package reads.
package analysis

import (
	"errors"
	"fmt"
	"math"
)

// LonelyPSU says what to do with a stratum that has a single PSU, as R's
// options(survey.lonely.psu=...).
type LonelyPSU int

const (
	// LonelyFail makes a single-PSU stratum an error (R's default "fail").
	LonelyFail LonelyPSU = iota
	// LonelyAdjust centres the lonely PSU at the grand mean ("adjust").
	LonelyAdjust
	// LonelyRemove drops the stratum's contribution to the variance ("remove").
	LonelyRemove
	// LonelyCertainty treats the PSU as sampled with certainty ("certainty").
	LonelyCertainty
)

// ParseLonelyPSU reads the names R uses: fail, adjust, remove, certainty.
func ParseLonelyPSU(s string) (LonelyPSU, error) {
	switch s {
	case "", "fail":
		return LonelyFail, nil
	case "adjust":
		return LonelyAdjust, nil
	case "remove":
		return LonelyRemove, nil
	case "certainty":
		return LonelyCertainty, nil
	}
	return LonelyFail, fmt.Errorf("lonely-psu: unknown option %q (want fail, adjust, remove or certainty)", s)
}

// String returns R's name of the option.
func (l LonelyPSU) String() string {
	return [...]string{"fail", "adjust", "remove", "certainty"}[l]
}

// DesignSpec is the raw description of a sample design. Slices that are nil
// take R's defaults: weights 1, one stratum, every respondent its own PSU,
// no finite population correction.
type DesignSpec struct {
	Weights []float64 // sampling weights, finite and > 0
	Strata  []int32   // stratum code per respondent, >= 0
	PSU     []int32   // PSU code per respondent, nested in strata (nest=TRUE)
	FPC     []float64 // per respondent: population size (> 1) or sampling fraction (<= 1), constant within a stratum

	// StrataNames[code] names a stratum in messages; optional.
	StrataNames []string
	Lonely      LonelyPSU
}

// Design is a validated single-stage stratified cluster design. It is
// immutable and safe for concurrent use.
type Design struct {
	n       int
	w       []float64
	psu     []int32 // dense PSU index per respondent, 0..nPSU-1
	stratum []int32 // dense stratum index per respondent
	// per PSU
	psuStratum []int32
	// per stratum
	nPSU   []int
	scale  []float64 // (1-f_h) * n_h/(n_h-1), or the lonely-PSU rule's factor
	center []bool    // false for a lonely PSU under "adjust": deviations from 0, the grand mean
	names  []string
	lonely LonelyPSU
}

// ErrDesign marks problems with the design variables that come from the data.
var ErrDesign = errors.New("design")

// NewDesign checks spec and builds a Design over n respondents. It panics
// when a non-nil slice's length differs from n (programmer misuse) and
// returns an error for problems in the data: non-finite or non-positive
// weights, an fpc that varies within a stratum or is smaller than the
// number of PSUs, and (under LonelyFail) a stratum with a single PSU.
func NewDesign(n int, spec DesignSpec) (*Design, error) {
	for _, l := range []int{len(spec.Weights), len(spec.Strata), len(spec.PSU), len(spec.FPC)} {
		if l != 0 && l != n {
			panic("analysis: length mismatch")
		}
	}
	d := &Design{n: n, w: spec.Weights, lonely: spec.Lonely, names: spec.StrataNames}
	if d.w == nil {
		d.w = make([]float64, n)
		for i := range d.w {
			d.w[i] = 1
		}
	}
	for i, w := range d.w {
		if math.IsNaN(w) || math.IsInf(w, 0) || w <= 0 {
			return nil, fmt.Errorf("%w: weight of respondent %d is %v; weights must be finite and positive", ErrDesign, i+1, w)
		}
	}
	// Dense strata.
	d.stratum = make([]int32, n)
	var strataCodes []int32 // dense -> original code
	if spec.Strata != nil {
		m := map[int32]int32{}
		for i, s := range spec.Strata {
			k, ok := m[s]
			if !ok {
				k = int32(len(strataCodes))
				m[s] = k
				strataCodes = append(strataCodes, s)
			}
			d.stratum[i] = k
		}
	} else {
		strataCodes = []int32{0}
	}
	nStrata := len(strataCodes)
	// Dense PSUs nested in strata.
	d.psu = make([]int32, n)
	if spec.PSU != nil {
		type key struct{ s, p int32 }
		m := map[key]int32{}
		for i := 0; i < n; i++ {
			k := key{d.stratum[i], spec.PSU[i]}
			j, ok := m[k]
			if !ok {
				j = int32(len(d.psuStratum))
				m[k] = j
				d.psuStratum = append(d.psuStratum, d.stratum[i])
			}
			d.psu[i] = j
		}
	} else {
		d.psuStratum = make([]int32, n)
		for i := 0; i < n; i++ {
			d.psu[i] = int32(i)
			d.psuStratum[i] = d.stratum[i]
		}
	}
	d.nPSU = make([]int, nStrata)
	for _, s := range d.psuStratum {
		d.nPSU[s]++
	}
	if d.names == nil || len(d.names) == 0 {
		d.names = nil
	}
	// Finite population correction per stratum.
	f := make([]float64, nStrata)
	for h := range f {
		f[h] = 1
	}
	if spec.FPC != nil {
		seen := make([]bool, nStrata)
		val := make([]float64, nStrata)
		for i, v := range spec.FPC {
			h := d.stratum[i]
			if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
				return nil, fmt.Errorf("%w: fpc of respondent %d is %v; it must be a population size (> 1) or a sampling fraction (<= 1)", ErrDesign, i+1, v)
			}
			if !seen[h] {
				seen[h], val[h] = true, v
			} else if val[h] != v {
				return nil, fmt.Errorf("%w: fpc varies within stratum %s (%v and %v)", ErrDesign, d.stratumName(strataCodes, int(h)), val[h], v)
			}
		}
		for h := range f {
			pop := val[h]
			if pop <= 1 {
				pop = float64(d.nPSU[h]) / pop
			}
			if pop < float64(d.nPSU[h]) {
				return nil, fmt.Errorf("%w: fpc of stratum %s implies a population (%v) smaller than its %d sampled PSUs", ErrDesign, d.stratumName(strataCodes, h), val[h], d.nPSU[h])
			}
			f[h] = (pop - float64(d.nPSU[h])) / pop
		}
	}
	d.scale = make([]float64, nStrata)
	d.center = make([]bool, nStrata)
	for h := range d.scale {
		nh := d.nPSU[h]
		d.center[h] = true
		if nh > 1 {
			d.scale[h] = f[h] * float64(nh) / float64(nh-1)
			continue
		}
		switch d.lonely {
		case LonelyFail:
			return nil, fmt.Errorf("%w: stratum %s has only one PSU (use --lonely-psu adjust, remove or certainty)", ErrDesign, d.stratumName(strataCodes, h))
		case LonelyAdjust:
			d.scale[h] = f[h]
			d.center[h] = false
		default: // remove, certainty: no contribution
			d.scale[h] = 0
		}
	}
	// Keep names in dense order for later messages.
	if spec.StrataNames != nil {
		names := make([]string, nStrata)
		for h, c := range strataCodes {
			if int(c) < len(spec.StrataNames) {
				names[h] = spec.StrataNames[c]
			}
		}
		d.names = names
	}
	return d, nil
}

func (d *Design) stratumName(codes []int32, h int) string {
	c := codes[h]
	if d.names != nil && int(c) < len(d.names) && d.names[c] != "" {
		return fmt.Sprintf("%q", d.names[c])
	}
	return fmt.Sprintf("%d", c)
}

// N returns the number of respondents.
func (d *Design) N() int { return d.n }

// Weights returns the sampling weights; callers must not modify them.
func (d *Design) Weights() []float64 { return d.w }

// NumStrata and NumPSU give the design's size.
func (d *Design) NumStrata() int { return len(d.nPSU) }

// NumPSU returns the number of PSUs in the design.
func (d *Design) NumPSU() int { return len(d.psuStratum) }

// DegF returns R's degf() for the respondents where in[i] is true (nil: all):
// the number of PSUs with at least one such respondent minus the number of
// strata with at least one.
func (d *Design) DegF(in []bool) int {
	if in == nil {
		return d.NumPSU() - d.NumStrata()
	}
	if len(in) != d.n {
		panic("analysis: length mismatch")
	}
	psuSeen := make([]bool, d.NumPSU())
	strSeen := make([]bool, d.NumStrata())
	np, ns := 0, 0
	for i, ok := range in {
		if !ok {
			continue
		}
		if p := d.psu[i]; !psuSeen[p] {
			psuSeen[p] = true
			np++
		}
		if s := d.stratum[i]; !strSeen[s] {
			strSeen[s] = true
			ns++
		}
	}
	return np - ns
}

// psuTotals adds z up by PSU.
func (d *Design) psuTotals(z []float64) []float64 {
	if len(z) != d.n {
		panic("analysis: length mismatch")
	}
	t := make([]float64, d.NumPSU())
	for i, v := range z {
		if v != 0 {
			t[d.psu[i]] += v
		}
	}
	return t
}

// VarianceFromPSUTotals returns the linearization variance of an estimator
// whose influence values summed by PSU are t (len NumPSU):
//
//	V = Σ_h scale_h Σ_j (t_hj − mean_h(t))²,  scale_h = (1 − f_h)·n_h/(n_h − 1)
//
// the with-replacement formula of R's svyrecvar for one stage.
func (d *Design) VarianceFromPSUTotals(t []float64) float64 {
	return d.CovFromPSUTotals([][]float64{t})[0][0]
}

// Variance returns the linearization variance of an estimator with
// per-respondent influence values z.
func (d *Design) Variance(z []float64) float64 {
	return d.VarianceFromPSUTotals(d.psuTotals(z))
}

// Cov returns the k×k linearization covariance of k estimators with
// influence values z[0..k-1] (each of length N).
func (d *Design) Cov(z [][]float64) [][]float64 {
	t := make([][]float64, len(z))
	for j := range z {
		t[j] = d.psuTotals(z[j])
	}
	return d.CovFromPSUTotals(t)
}

// CovFromPSUTotals is Cov for influence values already summed by PSU.
func (d *Design) CovFromPSUTotals(t [][]float64) [][]float64 {
	k := len(t)
	H := d.NumStrata()
	// stratum means of PSU totals
	means := make([][]float64, k)
	for j := range t {
		if len(t[j]) != d.NumPSU() {
			panic("analysis: length mismatch")
		}
		m := make([]float64, H)
		for p, v := range t[j] {
			m[d.psuStratum[p]] += v
		}
		for h := range m {
			if d.center[h] {
				m[h] /= float64(d.nPSU[h])
			} else {
				m[h] = 0
			}
		}
		means[j] = m
	}
	out := make([][]float64, k)
	for a := range out {
		out[a] = make([]float64, k)
	}
	dev := make([]float64, k)
	for p := 0; p < d.NumPSU(); p++ {
		h := d.psuStratum[p]
		s := d.scale[h]
		if s == 0 {
			continue
		}
		for j := 0; j < k; j++ {
			dev[j] = t[j][p] - means[j][h]
		}
		for a := 0; a < k; a++ {
			if dev[a] == 0 {
				continue
			}
			for b := a; b < k; b++ {
				out[a][b] += s * dev[a] * dev[b]
			}
		}
	}
	for a := 0; a < k; a++ {
		for b := 0; b < a; b++ {
			out[a][b] = out[b][a]
		}
	}
	return out
}
