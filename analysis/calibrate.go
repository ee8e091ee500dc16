package analysis

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// Calibrated designs: a design raked to population margins inside the
// design, as R's
//
//	rake(design, list(~a, ~b), list(pop_a, pop_b),
//	     control = list(maxit = 1000, epsilon = 1e-13))
//
// The weights are the raked ones, and every standard error accounts for
// the raking: before the influence values are summed by PSU, svyrecvar
// takes out their "raking" part, ten sweeps over the margins of
//
//	x ← x − w · ave(x / w, margin)
//
// (ave: the unweighted mean over every respondent of the design at each
// level of the margin). This is rake()'s variance, not calibrate()'s (a
// weighted regression on the margins, 2–5% apart), and with one margin it
// is not postStratify()'s either (which averages with the old weights).
//
// Estimators that sum influence values per respondent honour it (Mean,
// Prop, Total, Ratio, DiffMeans, MeanBy, Variance, Cov and SumByPSU), and
// so do Describe, Crosstab, Paradox, Segments, Compare, Effect and Trust
// and Logistic (each column of the scores residualized, as svy.varcoef
// hands them to svyrecvar: svyglm on rake(…)); the other analyses refuse
// a calibrated design (ErrCalibrated) rather than give standard errors
// that ignore the raking.

// ErrCalibrated marks an analysis that cannot yet carry a calibration
// into its standard errors.
var ErrCalibrated = errors.New("calibrated design")

// CalibrationOptions tune Design.Calibrate. The zero value is R's rake()
// as the package doc states.
type CalibrationOptions struct {
	// Total is the population size the margins' shares are multiplied
	// by; 0 means the sum of the design's weights.
	Total float64
	// Context, when non-nil, stops the raking (see RakeOptions.Context):
	// Calibrate then returns an error wrapping ctx.Err().
	Context context.Context
}

// Calibration describes how a design was calibrated, for the
// Methodology: its margins, the convergence of the raking and the
// weighting efficiency.
type Calibration struct {
	Margins     []Margin
	Diagnostics RakeDiagnostics
	// InputEfficiency is the Kish efficiency of the weights before
	// calibration.
	InputEfficiency float64
	// Total is the population size the weights sum to.
	Total float64
	// Bounds, for bounded raking (CalibrateBounded), are the limits of
	// the weights as multiples of the mean input weight; zero otherwise.
	Bounds [2]float64
}

// calibration is what a calibrated Design keeps for its variances.
type calibration struct {
	greg   *greg // bounded raking: calibrate()'s variance instead of rake()'s
	info   Calibration
	codes  [][]int32   // per margin: level of each respondent
	counts [][]float64 // per margin: respondents at each level
}

// rakeSweeps is how many times svyrecvar sweeps over the margins of a
// "raking" post-stratification (for (iterations in 1:10)).
const rakeSweeps = 10

// Calibrate returns the design raked to margins: weights by iterative
// proportional fitting until every margin is met to 1e-12 relative (R
// stops when a sweep changes the margins' joint table by less than
// 1e-13 of the total weight; both are within rounding of the same fixed
// point), and standard errors as rake()'s (see the package's calibrated
// designs). Margins need a level for every respondent. Errors are those
// of Rake (wrapping ErrNotConverged when 1000 sweeps do not meet the
// margins).
func (d *Design) Calibrate(margins []Margin, opt CalibrationOptions) (*Design, error) {
	if d.cal != nil {
		return nil, fmt.Errorf("%w: the design is calibrated already", ErrCalibrated)
	}
	w, diag, err := Rake(d.w, margins, RakeOptions{Tol: 1e-12, MaxIter: 1000, Total: opt.Total, Context: opt.Context})
	if err != nil {
		return nil, err
	}
	c := &calibration{info: Calibration{Margins: slices.Clone(margins), Diagnostics: diag, InputEfficiency: kish(d.w)}}
	for _, v := range w {
		c.info.Total += v
	}
	for _, m := range margins {
		counts := make([]float64, len(m.Levels))
		for _, l := range m.Codes {
			counts[l]++
		}
		c.codes = append(c.codes, m.Codes)
		c.counts = append(c.counts, counts)
	}
	out := *d
	out.w = w
	out.cal = c
	return &out, nil
}

// Calibrated reports whether the design was calibrated, and how.
func (d *Design) Calibrated() (*Calibration, bool) {
	if d.cal == nil {
		return nil, false
	}
	info := d.cal.info
	return &info, true
}

// requireUncalibrated is the error of an analysis that cannot carry a
// calibration into its standard errors.
func (d *Design) requireUncalibrated(what string) error {
	if d.cal == nil {
		return nil
	}
	return fmt.Errorf("%w: %s does not yet take the calibration into its standard errors; "+
		"estimate, describe, paradox, segments, crosstab, compare, trust and effect do, or analyse the raked weights as fixed sampling weights", ErrCalibrated, what)
}

// kish is Kish's efficiency (Σw)²/(n·Σw²).
func kish(w []float64) float64 {
	var s, s2 float64
	for _, v := range w {
		s += v
		s2 += v * v
	}
	return s * s / (float64(len(w)) * s2)
}

// rakeResidual replaces influence values z (len N, one per respondent) by
// their residuals on the margins, as svyrecvar does for a raked design:
// rakeSweeps sweeps, each taking out of u = z/w, margin by margin, its
// unweighted mean at each level over every respondent, then z = w·u.
//
// A cancelled ctx (nil: none) ends the sweeps early, leaving z partial:
// see Design.withContext.
func (c *calibration) rakeResidual(ctx context.Context, z, w []float64) {
	if c.greg != nil {
		c.greg.residual(z, w)
		return
	}
	for i := range z {
		z[i] /= w[i]
	}
	var mean []float64
	for range rakeSweeps {
		if ctx != nil && ctx.Err() != nil {
			return
		}
		for k, codes := range c.codes {
			mean = append(mean[:0], make([]float64, len(c.counts[k]))...)
			for i, l := range codes {
				mean[l] += z[i]
			}
			for l, n := range c.counts[k] {
				mean[l] /= n
			}
			for i, l := range codes {
				z[i] -= mean[l]
			}
		}
	}
	for i := range z {
		z[i] *= w[i]
	}
}

// residualMagnitude adds to mag, by PSU, the scale of the rounding that
// residualizing influence values on the margins leaves in each
// respondent's: w_i·top per subtraction, top the largest |z/w| before
// (each sweep subtracts, margin by margin, means no larger), over every
// respondent of the design, since the residuals reach them all.
func (c *calibration) residualMagnitude(mag []float64, top float64, w []float64, psu []int32) {
	k := top * float64(2*rakeSweeps*max(len(c.info.Margins), 1))
	for i, p := range psu {
		mag[p] += w[i] * k
	}
}

// influenceTotals sums influence values z by PSU into a new slice,
// residualized on the margins first when the design is calibrated (z is
// then overwritten).
func (d *Design) influenceTotals(z []float64) []float64 {
	if d.cal != nil {
		d.cal.rakeResidual(d.ctx, z, d.w)
	}
	t := make([]float64, d.NumPSU())
	for i, v := range z {
		if v != 0 {
			t[d.psu[i]] += v
		}
	}
	return t
}

// meanByDomains is MeanBy on a calibrated design: Mean in each domain,
// whose influence values are residualized respondent by respondent.
func (d *Design) meanByDomains(y []float64, groups []int32, nGroups int, level float64) []Estimate {
	out := make([]Estimate, nGroups)
	in := make([]bool, d.n)
	for g := range out {
		for i, c := range groups {
			in[i] = c == int32(g)
		}
		out[g] = d.calibratedMean(y, in, level)
	}
	return out
}

// calibratedRows is study.rowsOf on a calibrated design: each statistic's
// estimate in every domain from Mean, whose influence values are
// residualized respondent by respondent (the engine's PSU sums cannot
// carry the raking's unweighted level means).
func (s *study) calibratedRows(specs []rowSpec) ([][]Row, error) {
	out := make([][]Row, len(specs))
	buf := make([]bool, s.ds.N)
	level := s.opts.level()
	d := s.d.withContext(s.e.ctx)
	for k, sp := range specs {
		y := sp.y.materialize(s.ds.N)
		est := make([]Estimate, len(s.doms))
		for j := range s.doms {
			// One Mean residualizes N influence values on the margins:
			// the context is polled before each.
			if err := s.e.err(); err != nil {
				return nil, err
			}
			est[j] = d.Mean(y, s.member(j, buf), level)
		}
		out[k] = s.rowsFrom(sp.stat, est, sp.prop)
	}
	if err := s.e.err(); err != nil {
		return nil, err
	}
	return out, nil
}
