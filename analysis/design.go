package analysis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/mat"
)

// LonelyPSU says what to do with a stratum that has a single PSU, as R's
// options(survey.lonely.psu=...). Domains never create lonely PSUs: R's
// survey.adjust.domain.lonely stays FALSE.
type LonelyPSU int

const (
	// LonelyFail makes a single-PSU stratum an error (R's default "fail").
	LonelyFail LonelyPSU = iota
	// LonelyAdjust takes the lonely PSU's deviation from zero, the grand
	// mean of the influence values, scaled by the stratum's fpc factor
	// ("adjust").
	LonelyAdjust
	// LonelyRemove drops the stratum's contribution to the variance ("remove").
	LonelyRemove
	// LonelyCertainty treats the PSU as sampled with certainty, which also
	// contributes nothing ("certainty").
	LonelyCertainty
	// LonelyAverage ("average") drops the single-PSU strata's
	// contributions and multiplies the variance by nstrat/nokstrat, as R's
	// onestage: nstrat counts the strata that hold rows of the estimate
	// (those of its subset design: the domain's respondents who answered,
	// or every stratum on a calibrated design, whose subsets keep all rows)
	// and nokstrat those of them with more than one PSU. The factor is thus
	// one per estimate, not one per design: see Design.lonelyFactor.
	LonelyAverage
)

// ParseLonelyPSU reads the names R uses: fail, adjust, remove, certainty,
// average.
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
	case "average":
		return LonelyAverage, nil
	}
	return LonelyFail, fmt.Errorf("lonely psu: unknown option %q (want fail, adjust, remove, certainty or average)", s)
}

// String returns R's name of the option.
func (l LonelyPSU) String() string {
	switch l {
	case LonelyFail:
		return "fail"
	case LonelyAdjust:
		return "adjust"
	case LonelyRemove:
		return "remove"
	case LonelyCertainty:
		return "certainty"
	case LonelyAverage:
		return "average"
	}
	return "LonelyPSU(" + strconv.Itoa(int(l)) + ")"
}

// DesignSpec is the raw description of a sample design. Slices that are nil
// take R's defaults: weights 1, one stratum, every respondent its own PSU,
// no finite population correction.
type DesignSpec struct {
	Weights []float64 // sampling weights, finite and > 0
	Strata  []int32   // stratum code per respondent, >= 0
	PSU     []int32   // PSU code per respondent, nested in strata (nest=TRUE)
	// FPC per respondent, constant within a stratum: either every value is
	// a population count of PSUs (> 1, +Inf for an infinite population) or
	// every value is a sampling fraction in [0, 1) (0: infinite
	// population), as R's svydesign(fpc=) requires.
	FPC []float64

	// StrataNames[code] names a stratum in messages; optional.
	StrataNames []string
	Lonely      LonelyPSU
}

// Design is a validated single-stage stratified cluster design. It is
// immutable and safe for concurrent use: what analyses keep between calls
// lives in a Cache, not in the Design.
type Design struct {
	n       int
	w       []float64
	psu     []int32 // dense PSU index per respondent, 0..nPSU-1, grouped by stratum
	stratum []int32 // dense stratum index per respondent, while NewDesign builds the design
	// per PSU
	psuStratum []int32
	// per stratum h: its PSUs are psuStart[h] .. psuStart[h+1]-1
	psuStart []int
	scale    []float64 // (1-f_h)·n_h/(n_h-1), or the lonely-PSU rule's factor; 0: no contribution
	center   []bool    // false for a lonely PSU under "adjust": deviations from 0
	codes    []int32   // original stratum code per dense stratum
	names    []string  // spec.StrataNames, for messages
	lonely   LonelyPSU
	single   []int        // strata with one PSU that are not fully enumerated (SinglePSUStrata)
	cal      *calibration // set by Calibrate: variances take the raking out first
	// ctx, set on a call's copy by withContext, stops the raking
	// residuals of a calibrated design (rakeResidual) early; the
	// callers that set it return its error, never those figures.
	ctx context.Context
}

// withContext returns d with ctx polled by its calibration's
// residualization, ten sweeps over every respondent per estimate: a copy
// when d is calibrated, else d itself (nothing else polls it, and an
// uncalibrated design keeps its identity in a Cache).
func (d *Design) withContext(ctx context.Context) *Design {
	if d.cal == nil || ctx == nil {
		return d
	}
	c := *d
	c.ctx = ctx
	return &c
}

// ErrDesign marks problems with the design variables that come from the data.
var ErrDesign = errors.New("design")

// ErrLonelyPSU is the kind of a design with a stratum of a single PSU
// under LonelyFail (R's options(survey.lonely.psu = "fail")): errors.Is
// holds for a *LonelyPSUError, which is also an ErrDesign.
var ErrLonelyPSU = errors.New("stratum with one PSU")

// LonelyPSUError is a stratum with a single PSU, whose variance cannot be
// estimated without a LonelyPSU rule other than LonelyFail.
type LonelyPSUError struct {
	Stratum string // the stratum's name or code
}

func (e *LonelyPSUError) Error() string {
	return fmt.Sprintf("%v: stratum %s has only one PSU (its variance needs a lonely-PSU rule such as adjust, remove or certainty)", ErrDesign, e.Stratum)
}

// Is makes errors.Is true for ErrLonelyPSU and ErrDesign.
func (e *LonelyPSUError) Is(target error) bool { return target == ErrLonelyPSU || target == ErrDesign }

// censusFraction is R's onestrat threshold: a stratum whose finite
// population correction 1 − n/N is below it was fully enumerated and
// contributes no variance.
const censusFraction = 1e-7

// NewDesign checks spec and builds a Design over n respondents. It panics
// when a non-nil slice's length differs from n (programmer misuse) and
// returns an error wrapping ErrDesign for problems in the data: non-finite
// or non-positive weights, negative codes, an fpc that is missing, varies
// within a stratum, mixes population counts with sampling fractions or
// implies fewer population PSUs than were sampled, and (under LonelyFail)
// a stratum with a single PSU; that error names the stratum.
func NewDesign(n int, spec DesignSpec) (*Design, error) {
	return NewDesignContext(context.Background(), n, spec)
}

// NewDesignContext is NewDesign stopped by ctx: building a design of
// millions of respondents (numbering their strata and PSUs) polls ctx
// every 65,536 respondents, and once it is cancelled returns an error
// wrapping ctx.Err().
func NewDesignContext(ctx context.Context, n int, spec DesignSpec) (*Design, error) {
	for _, l := range []int{len(spec.Weights), len(spec.Strata), len(spec.PSU), len(spec.FPC)} {
		if l != 0 && l != n {
			panic("analysis: length mismatch")
		}
	}
	if n == 0 {
		return nil, fmt.Errorf("%w: no respondents", ErrDesign)
	}
	d := &Design{n: n, w: spec.Weights, lonely: spec.Lonely, names: spec.StrataNames}
	if d.lonely < LonelyFail || d.lonely > LonelyAverage {
		panic("analysis: unknown LonelyPSU value")
	}
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
	if err := stopped(ctx, "design"); err != nil {
		return nil, err
	}
	if err := d.denseStrata(ctx, spec.Strata); err != nil {
		return nil, err
	}
	if err := d.densePSUs(ctx, spec.PSU); err != nil {
		return nil, err
	}
	f, err := d.fpcFactors(spec.FPC)
	if err != nil {
		return nil, err
	}
	H := d.NumStrata()
	d.scale = make([]float64, H)
	d.center = make([]bool, H)
	for h := range d.scale {
		nh := d.psuStart[h+1] - d.psuStart[h]
		d.center[h] = true
		if nh > 1 {
			d.scale[h] = f[h] * float64(nh) / float64(nh-1)
		} else if f[h] >= censusFraction {
			// A fully enumerated stratum contributes nothing before R's
			// onestrat looks at its PSUs: never lonely.
			d.single = append(d.single, h)
			switch d.lonely {
			case LonelyFail:
				return nil, &LonelyPSUError{Stratum: d.stratumName(h)}
			case LonelyAdjust:
				// onestrat leaves a lonely PSU's total uncentred under
				// "adjust" and scales it by f alone.
				d.scale[h] = f[h]
				d.center[h] = false
			default:
				// remove and certainty centre the single PSU at its own
				// value: zero contribution; average leaves the stratum
				// out and scales the rest (lonelyFactor).
				d.scale[h] = 0
			}
		}
		if f[h] < censusFraction {
			d.scale[h] = 0
		}
	}
	d.stratum = nil // only building the design needs it: free a slice of N
	return d, nil
}

// lonelyFactor is options(survey.lonely.psu = "average")'s multiplier
// of the summed contributions of an estimate whose rows lie in the strata
// for which present(h) is true: R's onestage returns
//
//	Σ_{h ok} V_h · nstrat/nokstrat
//
// where nstrat counts the strata holding rows of x (the subset design's
// respondents after na.rm: a domain's strata, not the design's) and
// nokstrat those whose onestrat is not NA, i.e. all but the single-PSU
// strata that are not fully enumerated. A calibrated design's subsets keep
// every row (R's [.survey.design2 sets their weights to 0), so there
// every stratum counts. It is 1 under the other rules or with no lonely
// stratum, and +Inf when every stratum present is lonely, which makes
// the variance NaN as in R (0·Inf).
func (d *Design) lonelyFactor(present func(h int) bool) float64 {
	if d.lonely != LonelyAverage || len(d.single) == 0 {
		return 1
	}
	nstrat, nlonely := 0, 0
	k := 0 // d.single is sorted
	for h := 0; h < d.NumStrata(); h++ {
		isLonely := k < len(d.single) && d.single[k] == h
		if isLonely {
			k++
		}
		if d.cal == nil && !present(h) {
			continue
		}
		nstrat++
		if isLonely {
			nlonely++
		}
	}
	if nstrat == 0 {
		return 1 // no rows: the variance is 0
	}
	return float64(nstrat) / float64(nstrat-nlonely)
}

// averaging reports whether variances need lonelyFactor.
func (d *Design) averaging() bool { return d.lonely == LonelyAverage && len(d.single) > 0 }

// seenStrata turns PSU flags into lonelyFactor's present: a stratum is
// present when one of its PSUs is seen.
func (d *Design) seenStrata(seen func(p int) bool) func(h int) bool {
	return func(h int) bool {
		for p := d.psuStart[h]; p < d.psuStart[h+1]; p++ {
			if seen(p) {
				return true
			}
		}
		return false
	}
}

// rowStrata is lonelyFactor's present for the estimate whose rows are
// the respondents i with row(i) true (allStrata when no factor is needed).
func (d *Design) rowStrata(row func(i int) bool) func(h int) bool {
	if !d.averaging() {
		return allStrata
	}
	seen := make([]bool, d.NumPSU())
	for i := 0; i < d.n; i++ {
		if row(i) {
			seen[d.psu[i]] = true
		}
	}
	return d.seenStrata(func(p int) bool { return seen[p] })
}

// denseStrata numbers the strata 0..H-1 in order of their codes.
func (d *Design) denseStrata(ctx context.Context, strata []int32) error {
	d.stratum = make([]int32, d.n)
	if strata == nil {
		d.codes = []int32{0}
		return nil
	}
	m := map[int32]int32{}
	for i, s := range strata {
		if i&pollMask == 0 {
			if err := stopped(ctx, "design"); err != nil {
				return err
			}
		}
		if i > 0 && s == strata[i-1] {
			continue // data usually come sorted: skip the map on repeats
		}
		if s < 0 {
			return fmt.Errorf("%w: stratum code of respondent %d is %d; strata must be given for every respondent", ErrDesign, i+1, s)
		}
		if _, ok := m[s]; !ok {
			m[s] = 0
			d.codes = append(d.codes, s)
		}
	}
	slices.Sort(d.codes)
	for k, c := range d.codes {
		m[c] = int32(k)
	}
	var k int32
	for i, s := range strata {
		if i == 0 || s != strata[i-1] {
			k = m[s]
		}
		d.stratum[i] = k
	}
	return nil
}

// densePSUs numbers the PSUs so that each stratum's PSUs are contiguous,
// which lets the variance run over index ranges without scratch space.
func (d *Design) densePSUs(ctx context.Context, psu []int32) error {
	H := len(d.codes)
	type key struct{ s, p int32 }
	var first []key // PSU keys in order of first appearance
	local := make([]int32, d.n)
	if psu == nil {
		first = make([]key, d.n)
		for i := range first {
			first[i] = key{d.stratum[i], int32(i)}
			local[i] = int32(i)
		}
	} else {
		m := map[key]int32{}
		last, j := key{-1, -1}, int32(0) // respondents usually come by PSU
		for i, p := range psu {
			if i&pollMask == 0 {
				if err := stopped(ctx, "design"); err != nil {
					return err
				}
			}
			k := key{d.stratum[i], p}
			if k != last {
				if p < 0 {
					return fmt.Errorf("%w: PSU code of respondent %d is %d; PSUs must be given for every respondent", ErrDesign, i+1, p)
				}
				var ok bool
				if j, ok = m[k]; !ok {
					j = int32(len(first))
					m[k] = j
					first = append(first, k)
				}
				last = k
			}
			local[i] = j
		}
	}
	d.psuStart = make([]int, H+1)
	for _, k := range first {
		d.psuStart[k.s+1]++
	}
	for h := 0; h < H; h++ {
		d.psuStart[h+1] += d.psuStart[h]
	}
	next := append([]int(nil), d.psuStart[:H]...)
	remap := make([]int32, len(first))
	d.psuStratum = make([]int32, len(first))
	for j, k := range first {
		remap[j] = int32(next[k.s])
		d.psuStratum[next[k.s]] = k.s
		next[k.s]++
	}
	if err := stopped(ctx, "design"); err != nil {
		return err
	}
	d.psu = local
	for i, j := range local {
		d.psu[i] = remap[j]
	}
	return nil
}

// fpcFactors returns 1 − f_h = (N_h − n_h)/N_h per stratum, following
// R's as.fpc: values > 1 are population counts, otherwise sampling
// fractions, and the two kinds must not be mixed.
func (d *Design) fpcFactors(fpc []float64) ([]float64, error) {
	H := d.NumStrata()
	f := make([]float64, H)
	for h := range f {
		f[h] = 1
	}
	if fpc == nil {
		return f, nil
	}
	popsize := false
	allAtLeastOne := true
	for i, v := range fpc {
		if math.IsNaN(v) || v < 0 || math.IsInf(v, -1) {
			return nil, fmt.Errorf("%w: fpc of respondent %d is %v; it must be a population count (> 1) or a sampling fraction in [0, 1)", ErrDesign, i+1, v)
		}
		if v > 1 {
			popsize = true
		}
		if v < 1 {
			allAtLeastOne = false
		}
	}
	if popsize != allAtLeastOne {
		// R: "Must have all fpc>=1 or all fpc<=1"; all values equal to 1
		// could be either and R refuses them too.
		return nil, fmt.Errorf("%w: fpc mixes population counts (> 1) and sampling fractions (< 1), or is 1 everywhere", ErrDesign)
	}
	seen := make([]bool, H)
	val := make([]float64, H)
	for i, v := range fpc {
		h := d.stratum[i]
		if !seen[h] {
			seen[h], val[h] = true, v
		} else if val[h] != v {
			return nil, fmt.Errorf("%w: fpc varies within stratum %s (%v and %v at respondent %d)", ErrDesign, d.stratumName(int(h)), val[h], v, i+1)
		}
	}
	for h := range f {
		nh := float64(d.psuStart[h+1] - d.psuStart[h])
		pop := val[h]
		if !popsize {
			pop = nh / val[h] // +Inf for a fraction of 0
		}
		if math.IsInf(pop, 1) {
			continue
		}
		if pop < nh {
			return nil, fmt.Errorf("%w: fpc of stratum %s implies a population of %v PSUs, fewer than its %v sampled PSUs", ErrDesign, d.stratumName(h), pop, nh)
		}
		f[h] = (pop - nh) / pop
	}
	return f, nil
}

// stratumName names dense stratum h for messages: its StrataNames entry
// when there is one, else its code.
func (d *Design) stratumName(h int) string {
	c := d.codes[h]
	if int(c) < len(d.names) && d.names[c] != "" {
		return strconv.Quote(d.names[c])
	}
	return strconv.Itoa(int(c))
}

// N returns the number of respondents.
func (d *Design) N() int { return d.n }

// Weights returns the sampling weights; callers must not modify them.
func (d *Design) Weights() []float64 { return d.w }

// NumStrata returns the number of strata.
func (d *Design) NumStrata() int { return len(d.codes) }

// NumPSU returns the number of PSUs in the design.
func (d *Design) NumPSU() int { return len(d.psuStratum) }

// PSUIndex returns each respondent's PSU as an index in 0..NumPSU()-1, the
// index that PSU totals passed to VarianceFromPSUTotals and
// CovFromPSUTotals use; callers must not modify it.
func (d *Design) PSUIndex() []int32 { return d.psu }

// DegF returns R's degf() for the respondents where in[i] is true (nil: all):
// the number of PSUs with at least one such respondent minus the number of
// strata with at least one. Respondents with missing answers count, as
// svyciprop's default df = degf(design) is taken before na.rm.
func (d *Design) DegF(in []bool) int {
	if in == nil {
		return d.NumPSU() - d.NumStrata()
	}
	if len(in) != d.n {
		panic("analysis: length mismatch")
	}
	seen := make([]bool, d.NumPSU())
	for i, ok := range in {
		if ok {
			seen[d.psu[i]] = true
		}
	}
	return d.degfSeen(func(p int) bool { return seen[p] })
}

// degfSeen counts PSUs for which seen is true minus strata holding one.
func (d *Design) degfSeen(seen func(p int) bool) int {
	df := 0
	for h := 0; h < d.NumStrata(); h++ {
		np := 0
		for p := d.psuStart[h]; p < d.psuStart[h+1]; p++ {
			if seen(p) {
				np++
			}
		}
		if np > 0 {
			df += np - 1
		}
	}
	return df
}

// SumByPSU adds z up by PSU into dst (len NumPSU, zeroed first) and
// returns it; a nil dst is allocated. On a calibrated design it adds up
// z's residuals on the margins, as svyrecvar does.
func (d *Design) SumByPSU(z, dst []float64) []float64 {
	if len(z) != d.n {
		panic("analysis: length mismatch")
	}
	if d.cal != nil {
		// A calibrated design's totals are those of the residuals on
		// its margins (see Calibrate).
		z = slices.Clone(z)
		d.cal.rakeResidual(d.ctx, z, d.w)
	}
	if dst == nil {
		dst = make([]float64, d.NumPSU())
	} else {
		if len(dst) != d.NumPSU() {
			panic("analysis: length mismatch")
		}
		clear(dst)
	}
	for i, v := range z {
		if v != 0 {
			dst[d.psu[i]] += v
		}
	}
	return dst
}

// VarianceFromPSUTotals returns the linearization variance of an estimator
// whose influence values summed by PSU are t (len NumPSU):
//
//	V = Σ_h scale_h Σ_j (t_hj − t̄_h)²,  scale_h = (1 − n_h/N_h)·n_h/(n_h − 1)
//
// the with-replacement formula of R's svyrecvar for one stage. A stratum
// with one PSU follows the LonelyPSU rule, and a fully enumerated stratum
// (1 − n_h/N_h < 1e-7) contributes nothing, as in R's onestrat. Under
// LonelyAverage every stratum counts as holding rows of the estimate, as
// in svyrecvar on the whole design: a domain's variance needs the factor
// of its own strata (see LonelyAverage).
func (d *Design) VarianceFromPSUTotals(t []float64) float64 {
	return d.varianceIn(t, allStrata)
}

// allStrata is lonelyFactor's present for the whole design.
func allStrata(int) bool { return true }

// varianceIn is VarianceFromPSUTotals for an estimate whose rows lie in
// the strata for which present(h) is true (see lonelyFactor).
func (d *Design) varianceIn(t []float64, present func(h int) bool) float64 {
	if len(t) != d.NumPSU() {
		panic("analysis: length mismatch")
	}
	var v float64
	for h, s := range d.scale {
		if s == 0 {
			continue
		}
		lo, hi := d.psuStart[h], d.psuStart[h+1]
		var m float64
		if d.center[h] {
			for _, x := range t[lo:hi] {
				m += x
			}
			m /= float64(hi - lo)
		}
		var ss float64
		for _, x := range t[lo:hi] {
			ss += (x - m) * (x - m)
		}
		v += s * ss
	}
	if d.averaging() {
		v *= d.lonelyFactor(present)
	}
	return v
}

// Variance returns the linearization variance of an estimator with
// per-respondent influence values z.
func (d *Design) Variance(z []float64) float64 {
	return d.VarianceFromPSUTotals(d.SumByPSU(z, nil))
}

// Cov returns the k×k linearization covariance of k estimators with
// influence values z[0..k-1] (each of length N).
func (d *Design) Cov(z [][]float64) [][]float64 {
	t := make([][]float64, len(z))
	for j := range z {
		t[j] = d.SumByPSU(z[j], nil)
	}
	return d.CovFromPSUTotals(t)
}

// covContext is Cov stopped by ctx, polled before each estimator's pass
// (on a calibrated design, a residualization of N values per estimator).
func (d *Design) covContext(ctx context.Context, z [][]float64) ([][]float64, error) {
	d = d.withContext(ctx)
	t := make([][]float64, len(z))
	for j := range z {
		if err := stopped(ctx, "covariance"); err != nil {
			return nil, err
		}
		t[j] = d.SumByPSU(z[j], nil)
	}
	if err := stopped(ctx, "covariance"); err != nil {
		return nil, err
	}
	return d.CovFromPSUTotals(t), nil
}

// CovFromPSUTotals is Cov for influence values already summed by PSU:
// entry (a, b) is Σ_h scale_h Σ_j (t_a,hj − t̄_a,h)(t_b,hj − t̄_b,h).
// It forms the scaled deviations as a k × NumPSU matrix and takes its
// outer product with BLAS (Dsyrk), so many estimators cost one pass.
// Under LonelyAverage every stratum counts as present, as for
// VarianceFromPSUTotals.
func (d *Design) CovFromPSUTotals(t [][]float64) [][]float64 {
	return d.covIn(t, allStrata)
}

// covIn is CovFromPSUTotals for estimates whose rows lie in the strata for
// which present(h) is true: one R svyrecvar call, one lonelyFactor.
func (d *Design) covIn(t [][]float64, present func(h int) bool) [][]float64 {
	k, P := len(t), d.NumPSU()
	for j := range t {
		if len(t[j]) != P {
			panic("analysis: length mismatch")
		}
	}
	out := make([][]float64, k)
	flat := make([]float64, k*k)
	for a := range out {
		out[a] = flat[a*k : (a+1)*k : (a+1)*k]
	}
	if k == 0 || P == 0 {
		return out
	}
	dev := mat.NewDense(k, P, nil)
	raw := dev.RawMatrix()
	for j, tj := range t {
		row := raw.Data[j*raw.Stride : j*raw.Stride+P]
		for h, s := range d.scale {
			if s == 0 {
				continue // the row stays 0 there
			}
			lo, hi := d.psuStart[h], d.psuStart[h+1]
			var m float64
			if d.center[h] {
				for _, x := range tj[lo:hi] {
					m += x
				}
				m /= float64(hi - lo)
			}
			rs := math.Sqrt(s)
			for p := lo; p < hi; p++ {
				row[p] = rs * (tj[p] - m)
			}
		}
	}
	var c mat.SymDense
	c.SymOuterK(d.lonelyFactor(present), dev)
	for a := 0; a < k; a++ {
		for b := a; b < k; b++ {
			v := c.At(a, b)
			out[a][b], out[b][a] = v, v
		}
	}
	return out
}

// pollMask makes a pass over respondents poll its context once every
// 65,536 of them: often enough to stop within milliseconds, rarely enough
// to cost nothing.
const pollMask = 1<<16 - 1

// stopped is nil while ctx runs and, once it is cancelled, an error
// saying what stopped, wrapping ctx.Err() (errors.Is(err,
// context.Canceled) holds).
func stopped(ctx context.Context, what string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s stopped: %w", what, err)
	}
	return nil
}
