package analysis

import (
	"context"
	"fmt"
	"math"
)

// Margin is one raking dimension: a categorical variable and the population
// share of each of its levels.
type Margin struct {
	Var     string    // variable name, for messages
	Codes   []int32   // level index per respondent; every respondent needs one
	Levels  []string  // level names
	Targets []float64 // population share per level, summing to 1
}

// RakeOptions tune Rake. The zero value gives the defaults.
type RakeOptions struct {
	// Tol is the convergence tolerance on the largest relative margin error
	// |Σ_{i in level} w_i − T·share| / (T·share) over every level of every
	// margin (default 1e-10).
	Tol float64
	// MaxIter caps the sweeps over all margins (default 100).
	MaxIter int
	// TrimLow and TrimHigh, when not 0, bound every weight to
	// [TrimLow·w̄, TrimHigh·w̄], w̄ = T/n the mean raked weight (the mean
	// input weight when Total is 0): e.g. 0.2 and 5. Weights are clipped after
	// every sweep and raking continues, so on convergence the margins hold
	// and the weights are within bounds. TrimLow must be < 1 < TrimHigh.
	TrimLow, TrimHigh float64
	// Total is the population size T the weights are raked to; 0 keeps the
	// sum of the input weights.
	Total float64
	// Context, when non-nil, stops raking: it is polled before every
	// margin of every sweep, and once it is cancelled Rake returns an
	// error wrapping ctx.Err().
	Context context.Context
}

// RakeDiagnostics describe a raking run.
type RakeDiagnostics struct {
	Iterations     int     // sweeps over all margins
	MaxMarginError float64 // largest relative margin error at the end
	Efficiency     float64 // Kish efficiency (Σw)²/(n·Σw²) of the raked weights
	MinWeight      float64
	MaxWeight      float64
	Converged      bool
}

// Rake adjusts the weights w (nil: all 1) by iterative proportional fitting
// so that, for every margin and level l, the weights of the respondents at
// that level add up to T·Targets[l] (T = opt.Total, or Σw when 0): each sweep
// multiplies the weights of each level of each margin in turn by
// target/current total, as survey::rake() (one postStratify per margin);
// the fixed point is R's raked weights, which it reaches with
// control = list(maxit = 1000, epsilon = 1e-12). Targets are divided by
// their sum (which must be 1 within 1e-6) so that all margins agree on T.
//
// The raked weights are meant to be used as fixed sampling weights (a new
// DesignSpec.Weights): standard errors then ignore the raking, which is
// conservative for variables related to the margins (R's rake() design
// would carry the calibration into svymean's variance; we do not).
//
// It returns the weights, diagnostics and an error for data problems: a
// respondent without a level (code -1) or with an unknown code, targets that
// do not match the levels or do not sum to 1, a level with a positive
// target and no respondents, or with a zero target and respondents (their
// weight would have to be 0), and bad options. When the margins are not met
// within opt.Tol after opt.MaxIter sweeps it returns the last weights and
// their diagnostics with an error wrapping ErrNotConverged (R only warns).
// It panics when a margin's Codes are not as long as w.
func Rake(w []float64, margins []Margin, opt RakeOptions) ([]float64, RakeDiagnostics, error) {
	var diag RakeDiagnostics
	if len(margins) == 0 {
		return nil, diag, fmt.Errorf("rake: no margins")
	}
	n := len(w)
	if w == nil {
		n = len(margins[0].Codes)
	}
	for _, m := range margins {
		if len(m.Codes) != n {
			panic("analysis: length mismatch")
		}
	}
	if n == 0 {
		return nil, diag, fmt.Errorf("rake: no respondents")
	}
	if opt.Tol == 0 {
		opt.Tol = 1e-10
	}
	if opt.MaxIter == 0 {
		opt.MaxIter = 100
	}
	if err := opt.check(); err != nil {
		return nil, diag, err
	}
	ctx := opt.Context
	if ctx == nil {
		ctx = context.Background()
	}
	out := make([]float64, n)
	var sum float64
	for i := range out {
		out[i] = 1
		if w != nil {
			out[i] = w[i]
		}
		if v := out[i]; !(v > 0) || math.IsInf(v, 0) {
			return nil, diag, fmt.Errorf("rake: weight of respondent %d is %v; weights must be finite and positive", i+1, v)
		}
		sum += out[i]
	}
	total := sum
	if opt.Total != 0 {
		total = opt.Total
		for i := range out {
			out[i] *= total / sum
		}
	}
	targets := make([][]float64, len(margins))
	for k, m := range margins {
		t, err := m.targets(total)
		if err != nil {
			return nil, diag, err
		}
		targets[k] = t
	}
	// Level totals of the input weights reveal empty levels and bad codes.
	sums := make([][]float64, len(margins))
	for k, m := range margins {
		sums[k] = make([]float64, len(m.Levels))
		count := make([]int, len(m.Levels))
		for i, c := range m.Codes {
			if c < 0 {
				return nil, diag, fmt.Errorf("rake: margin %q: respondent %d has no value", m.Var, i+1)
			}
			if int(c) >= len(m.Levels) {
				return nil, diag, fmt.Errorf("rake: margin %q: respondent %d has level code %d, but there are %d levels", m.Var, i+1, c, len(m.Levels))
			}
			sums[k][c] += out[i]
			count[c]++
		}
		for l, t := range targets[k] {
			switch {
			case t > 0 && count[l] == 0:
				return nil, diag, fmt.Errorf("rake: margin %q: level %q has a target of %v but no respondents", m.Var, m.Levels[l], m.Targets[l])
			case t == 0 && count[l] > 0:
				return nil, diag, fmt.Errorf("rake: margin %q: level %q has a target of 0 but %d respondents; merge or drop it", m.Var, m.Levels[l], count[l])
			}
		}
	}

	lo, hi := opt.TrimLow*total/float64(n), opt.TrimHigh*total/float64(n)
	factor := make([]float64, 0, 16)
	for diag.Iterations < opt.MaxIter {
		diag.Iterations++
		for k, m := range margins {
			if err := stopped(ctx, "rake"); err != nil {
				return nil, RakeDiagnostics{}, err
			}
			if k > 0 { // margin 0's totals are those of the last error check
				levelTotals(sums[k], m.Codes, out)
			}
			factor = factor[:0]
			for l, t := range targets[k] {
				f := 0.0
				if t > 0 {
					f = t / sums[k][l]
				}
				factor = append(factor, f)
			}
			for i, c := range m.Codes {
				out[i] *= factor[c]
			}
		}
		if opt.TrimLow > 0 || opt.TrimHigh > 0 {
			for i, v := range out {
				if opt.TrimLow > 0 && v < lo {
					out[i] = lo
				} else if opt.TrimHigh > 0 && v > hi {
					out[i] = hi
				}
			}
		}
		diag.MaxMarginError = 0
		for k, m := range margins {
			levelTotals(sums[k], m.Codes, out)
			for l, t := range targets[k] {
				if t > 0 {
					diag.MaxMarginError = max(diag.MaxMarginError, math.Abs(sums[k][l]-t)/t)
				}
			}
		}
		if diag.MaxMarginError <= opt.Tol {
			diag.Converged = true
			break
		}
	}
	diag.MinWeight, diag.MaxWeight = math.Inf(1), math.Inf(-1)
	var s, s2 float64
	for _, v := range out {
		diag.MinWeight = min(diag.MinWeight, v)
		diag.MaxWeight = max(diag.MaxWeight, v)
		s += v
		s2 += v * v
	}
	diag.Efficiency = s * s / (float64(n) * s2)
	if !diag.Converged {
		return out, diag, fmt.Errorf("rake: %w after %d sweeps: largest relative margin error %.3g exceeds %.3g", ErrNotConverged, diag.Iterations, diag.MaxMarginError, opt.Tol)
	}
	return out, diag, nil
}

func (opt RakeOptions) check() error {
	switch {
	case !(opt.Tol > 0):
		return fmt.Errorf("rake: tolerance %v must be positive", opt.Tol)
	case opt.MaxIter < 0:
		return fmt.Errorf("rake: iteration limit %d must be positive", opt.MaxIter)
	case opt.TrimLow < 0 || opt.TrimLow >= 1 || math.IsNaN(opt.TrimLow):
		return fmt.Errorf("rake: lower trimming bound %v must be in [0, 1) (a multiple of the mean weight)", opt.TrimLow)
	case opt.TrimHigh != 0 && !(opt.TrimHigh > 1):
		return fmt.Errorf("rake: upper trimming bound %v must be above 1 (a multiple of the mean weight) or 0", opt.TrimHigh)
	case opt.Total < 0 || math.IsNaN(opt.Total) || math.IsInf(opt.Total, 0):
		return fmt.Errorf("rake: population total %v must be positive, or 0 for the sum of the weights", opt.Total)
	}
	return nil
}

// targets checks the margin's shares and returns them as totals for T.
func (m Margin) targets(total float64) ([]float64, error) {
	if len(m.Targets) != len(m.Levels) {
		return nil, fmt.Errorf("rake: margin %q has %d targets for %d levels", m.Var, len(m.Targets), len(m.Levels))
	}
	var sum float64
	for l, t := range m.Targets {
		if !(t >= 0) || math.IsInf(t, 0) {
			return nil, fmt.Errorf("rake: margin %q: target of level %q is %v", m.Var, m.Levels[l], t)
		}
		sum += t
	}
	if math.Abs(sum-1) > 1e-6 {
		return nil, fmt.Errorf("rake: margin %q: targets sum to %v, not 1", m.Var, sum)
	}
	out := make([]float64, len(m.Targets))
	for l, t := range m.Targets {
		out[l] = t / sum * total
	}
	return out, nil
}

// levelTotals sets sums[l] to the total weight of the respondents at level l.
func levelTotals(sums []float64, codes []int32, w []float64) {
	clear(sums)
	for i, c := range codes {
		sums[c] += w[i]
	}
}
