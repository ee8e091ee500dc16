package analysis

import (
	"context"
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Bounded raking: R's
//
//	calibrate(design, list(~a, ~b), list(pop_a, pop_b), calfun = "raking",
//	          bounds = c(L, U) * mean(weights(design)), bounds.const = TRUE)
//
// The calibrated weights are w_i = w0_i·g_i with g_i = exp(c_iᵀη) clipped
// to [L·w̄/w0_i, U·w̄/w0_i] (w̄ the mean input weight), c_i the row of the
// model matrix (intercept and each margin's treatment dummies), and η
// solving Σ w_i c_i = T, the population totals. R's Newton iteration often
// stops short with bounds; here η minimizes the convex dual
// Σ w0_i G(c_iᵀη) − ηᵀT (G' the clipped exponential) by Newton steps with
// a pseudo-inverse and backtracking, so that the margins hold to 1e-10
// whenever the bounds allow them, and every weight is within its bounds.
//
// Standard errors are calibrate()'s: svyrecvar's greg_calibration takes
// the influence values x to x − w·cᵀβ with β = (Σ w0 c cᵀ)⁻¹ Σ c x/g, the
// residuals of a regression of x/(g√w0) on c√w0 (qr.resid(qr(mm·whalf),
// x/(g·whalf))·g·whalf).

// ErrBoundsInfeasible marks bounded raking whose bounds leave no weights
// that meet the margins (or under which the raking stopped making
// progress towards them): wider bounds are the remedy.
var ErrBoundsInfeasible = errors.New("the bounds are too tight for the margins")

// BoundsError is CalibrateBounded's error when the bounds are too tight
// for the margins. It is ErrBoundsInfeasible, and ErrNotConverged too
// when found by a lack of progress rather than proven.
//
// Two checks find it. Before any step: the weights of a level's Count
// respondents add up to between Count·low and Count·high (low, high the
// bounds times the mean input weight), so a level's target outside that
// range cannot be met (Proven; Steps 0). With several margins the joint
// condition is a linear program that check does not decide: the Newton
// iteration then stops when no step length lowers the dual objective, or
// when the largest margin error has not fallen by 1% over
// boundsPatience steps, twice: after the first stall it also steps along
// the gradient where the Hessian has no curvature (a feasible problem
// stalls there when a level's respondents all sit at a bound), which
// is what lets a feasible problem through.
type BoundsError struct {
	Bounds [2]float64 // as given, multiples of the mean input weight
	// Margin and Level name the level furthest from its target (relative
	// to it); Margin is "" when the population total itself lies outside
	// n·low…n·high.
	Margin, Level string
	Count         int     // respondents at that level
	Target        float64 // the level's target total
	// Reached is the level's total at the end: the nearest total the
	// bounds allow (up-front check) or the total of the weights where the
	// iteration stopped.
	Reached float64
	// Total is the population total the targets are shares of.
	Total float64
	// MaxMarginError is the largest relative margin error when stopped.
	MaxMarginError float64
	Proven         bool
	Steps          int // Newton steps taken (0: the up-front check)
	Passes         int // passes over the respondents (gradients and line-search objectives)
}

func (e *BoundsError) Error() string {
	head := fmt.Sprintf("calibrate: bounds [%g, %g] × the mean weight are too tight for the margins", e.Bounds[0], e.Bounds[1])
	if e.Margin == "" {
		side := "at most"
		if e.Reached > e.Target {
			side = "at least"
		}
		return fmt.Sprintf("%s: the population total %.6g is out of reach (the %d respondents weigh %s %.6g within the bounds); widen the bounds", head, e.Target, e.Count, side, e.Reached)
	}
	pct := func(x float64) string { return fmt.Sprintf("%.4g%%", 100*x/e.Total) }
	var how string
	switch {
	case !e.Proven:
		how = fmt.Sprintf("raking stopped after %d steps without progress, at %s", e.Steps, pct(e.Reached))
	case e.Reached < e.Target:
		how = fmt.Sprintf("its %d respondents reach at most %s of it within the bounds", e.Count, pct(e.Reached))
	default:
		how = fmt.Sprintf("its %d respondents weigh at least %s of it within the bounds", e.Count, pct(e.Reached))
	}
	return fmt.Sprintf("%s: margin %q level %q is furthest from its target, %s of the total (%s); widen the bounds",
		head, e.Margin, e.Level, pct(e.Target), how)
}

func (e *BoundsError) Unwrap() []error {
	if e.Proven {
		return []error{ErrBoundsInfeasible}
	}
	return []error{ErrBoundsInfeasible, ErrNotConverged}
}

// boundsPatience is how many Newton steps bounded raking may take without
// lowering its largest margin error by 1% before it gives up.
const boundsPatience = 8

// greg is a bounded calibration's variance: the model rows and the
// inverse of Σ w0 c cᵀ.
type greg struct {
	codes [][]int32 // per margin: level per respondent
	cols  [][]int   // per margin and level: its column in c, −1 for a reference level
	p     int       // columns of c
	g     []float64 // final over input weights
	inv   *mat.Dense
}

// row fills c with respondent i's model row.
func (r *greg) row(i int, c []float64) {
	clear(c)
	c[0] = 1
	for k, codes := range r.codes {
		if j := r.cols[k][codes[i]]; j >= 0 {
			c[j] = 1
		}
	}
}

// residual replaces z by its calibration residuals (w: final weights).
func (r *greg) residual(z, w []float64) {
	s := make([]float64, r.p)
	c := make([]float64, r.p)
	for i, x := range z {
		if x == 0 {
			continue
		}
		r.row(i, c)
		for j, v := range c {
			s[j] += v * x / r.g[i]
		}
	}
	beta := make([]float64, r.p)
	for a := range beta {
		for b := range s {
			beta[a] += r.inv.At(a, b) * s[b]
		}
	}
	for i := range z {
		r.row(i, c)
		var fit float64
		for j, v := range c {
			fit += v * beta[j]
		}
		z[i] -= w[i] * fit
	}
}

// CalibrateBounded returns the design calibrated to margins by bounded
// raking, weights within [bounds[0], bounds[1]] times the mean input
// weight (0 < bounds[0] < 1 < bounds[1]); see the section above. It
// fails with a *BoundsError (ErrBoundsInfeasible) when the bounds leave
// no solution: at once when a level's target is out of its respondents'
// reach, within a few dozen Newton steps otherwise.
func (d *Design) CalibrateBounded(margins []Margin, bounds [2]float64, opt CalibrationOptions) (*Design, error) {
	if d.cal != nil {
		return nil, fmt.Errorf("%w: the design is calibrated already", ErrCalibrated)
	}
	if !(bounds[0] > 0 && bounds[0] < 1 && bounds[1] > 1) || math.IsInf(bounds[1], 0) {
		return nil, fmt.Errorf("calibrate: bounds [%v, %v] must have 0 < low < 1 < high", bounds[0], bounds[1])
	}
	ctx := opt.Context
	if ctx == nil {
		ctx = context.Background()
	}
	n := d.n
	w0 := d.w
	var sum float64
	for _, v := range w0 {
		sum += v
	}
	total := sum
	if opt.Total > 0 {
		total = opt.Total
	}
	r := &greg{p: 1}
	T := []float64{total}
	var levels []boundedLevels
	for _, m := range margins {
		if len(m.Codes) != n {
			panic("analysis: length mismatch")
		}
		shares, err := m.targets(total)
		if err != nil {
			return nil, err
		}
		count := make([]int, len(m.Levels))
		for i, c := range m.Codes {
			if c < 0 || int(c) >= len(m.Levels) {
				return nil, fmt.Errorf("calibrate: margin %q: respondent %d has no level", m.Var, i+1)
			}
			count[c]++
		}
		cols := make([]int, len(m.Levels))
		first := true
		for l := range m.Levels {
			switch {
			case count[l] == 0 && shares[l] > 0:
				return nil, fmt.Errorf("calibrate: margin %q: level %q has a target of %v but no respondents", m.Var, m.Levels[l], m.Targets[l])
			case count[l] == 0:
				cols[l] = -1
			case first:
				cols[l] = -1 // the reference level
				first = false
			default:
				cols[l] = r.p
				r.p++
				T = append(T, shares[l])
			}
		}
		r.codes = append(r.codes, m.Codes)
		r.cols = append(r.cols, cols)
		levels = append(levels, boundedLevels{m: m, target: shares, count: count})
	}
	wbar := sum / float64(n)
	lo, hi := bounds[0]*wbar, bounds[1]*wbar
	bad := &BoundsError{Bounds: bounds, Total: total, Proven: true}
	if reach, ok := within(total, n, lo, hi); !ok {
		bad.Count, bad.Target, bad.Reached = n, total, reach
		return nil, bad
	}
	worst := 0.0
	for _, lv := range levels {
		for l, t := range lv.target {
			reach, ok := within(t, lv.count[l], lo, hi)
			if gap := math.Abs(reach-t) / t; !ok && !(gap <= worst) {
				worst = gap
				bad.Margin, bad.Level, bad.Count, bad.Target, bad.Reached = lv.m.Var, lv.m.Levels[l], lv.count[l], t, reach
			}
		}
	}
	if bad.Margin != "" {
		bad.MaxMarginError = worst
		return nil, bad
	}
	eta := make([]float64, r.p)
	c := make([]float64, r.p)
	// weight of respondent i at η, and whether it is inside its bounds.
	weight := func(i int, eta []float64) (float64, bool) {
		r.row(i, c)
		var u float64
		for j, v := range c {
			u += v * eta[j]
		}
		w := w0[i] * math.Exp(u)
		switch {
		case w < lo:
			return lo, false
		case w > hi:
			return hi, false
		}
		return w, true
	}
	// The dual objective Σ w0 G(cᵀη) − ηᵀT, G the antiderivative of the
	// clipped exponential (linear beyond the bounds).
	objective := func(eta []float64) float64 {
		var f float64
		for i := 0; i < n; i++ {
			r.row(i, c)
			var u float64
			for j, v := range c {
				u += v * eta[j]
			}
			a, b := math.Log(lo/w0[i]), math.Log(hi/w0[i])
			switch {
			case u < a:
				f += lo*(u-a) + lo
			case u > b:
				f += hi*(u-b) + hi
			default:
				f += w0[i] * math.Exp(u)
			}
		}
		for j, t := range T {
			f -= eta[j] * t
		}
		return f
	}
	var diag RakeDiagnostics
	w := make([]float64, n)
	grad := make([]float64, r.p)
	H := mat.NewSymDense(r.p, nil)
	passes := 0
	var history []float64 // the largest margin error at each step
	// nudge, once Newton stalls, moves η along the gradient where H has
	// no curvature (levels whose respondents all sit at a bound), which
	// the pseudo-inverse leaves alone; the iteration fails only when it
	// stalls again.
	nudge := false
	// stall is the error of an iteration that stopped short: the level
	// furthest from its target at the weights w.
	stall := func() error {
		e := &BoundsError{Bounds: bounds, Total: total, MaxMarginError: diag.MaxMarginError, Steps: diag.Iterations, Passes: passes}
		worst := -1.0
		for _, lv := range levels {
			sums := make([]float64, len(lv.target))
			levelTotals(sums, lv.m.Codes, w)
			for l, t := range lv.target {
				// A zero target with respondents failed the check above.
				if gap := math.Abs(sums[l]-t) / t; t > 0 && gap > worst {
					worst = gap
					e.Margin, e.Level, e.Count, e.Target, e.Reached = lv.m.Var, lv.m.Levels[l], lv.count[l], t, sums[l]
				}
			}
		}
		return e
	}
	for diag.Iterations = 1; diag.Iterations <= 1000; diag.Iterations++ {
		passes++
		copy(grad, T)
		for j := range grad {
			grad[j] = -grad[j]
		}
		H.Zero()
		for i := 0; i < n; i++ {
			if i&pollMask == 0 {
				if err := stopped(ctx, "calibrate"); err != nil {
					return nil, err
				}
			}
			wi, inside := weight(i, eta)
			w[i] = wi
			for j, v := range c {
				grad[j] += v * wi
			}
			if inside {
				for a := range c {
					if c[a] == 0 {
						continue
					}
					for b := a; b < r.p; b++ {
						if c[b] != 0 {
							H.SetSym(a, b, H.At(a, b)+wi)
						}
					}
				}
			}
		}
		diag.MaxMarginError = 0
		for j, t := range T {
			if t > 0 {
				diag.MaxMarginError = max(diag.MaxMarginError, math.Abs(grad[j])/t)
			}
		}
		if diag.MaxMarginError <= 1e-12 {
			diag.Converged = true
			break
		}
		history = append(history, diag.MaxMarginError)
		if k := len(history) - 1; k >= boundsPatience && !(history[k] < 0.99*history[k-boundsPatience]) {
			if nudge {
				return nil, stall()
			}
			nudge, history = true, history[:0]
		}
		step := pinvSolve(H, grad, nudge)
		// Near the solution the objective's decrease falls below the
		// rounding of its n-term sum, which depends on the respondents'
		// order: a step within that rounding of f0 is taken, or the
		// line search halves it to nothing and Newton stalls.
		f0 := objective(eta)
		passes++
		tol := 1e-13 * math.Abs(f0)
		next := make([]float64, r.p)
		t, moved := 1.0, false
		for range 60 {
			if err := stopped(ctx, "calibrate"); err != nil {
				return nil, err
			}
			for j := range eta {
				next[j] = eta[j] - t*step[j]
			}
			passes++
			if objective(next) <= f0+tol {
				moved = true
				break
			}
			t /= 2
		}
		if !moved {
			// Every step length raised the objective: the next Newton
			// step would be this one again.
			if nudge {
				return nil, stall()
			}
			nudge, history = true, history[:0]
			continue
		}
		copy(eta, next)
	}
	if !diag.Converged {
		diag.Iterations--
		return nil, stall()
	}
	r.g = make([]float64, n)
	for i := range w {
		r.g[i] = w[i] / w0[i]
	}
	// Σ w0 c cᵀ, inverted once for every variance.
	A := mat.NewSymDense(r.p, nil)
	for i := 0; i < n; i++ {
		r.row(i, c)
		for a := range c {
			for b := a; b < r.p; b++ {
				if c[a] != 0 && c[b] != 0 {
					A.SetSym(a, b, A.At(a, b)+w0[i])
				}
			}
		}
	}
	r.inv = mat.NewDense(r.p, r.p, nil)
	if err := r.inv.Inverse(A); err != nil {
		return nil, fmt.Errorf("calibrate: %w: the margins' model matrix is singular: %w", ErrSingular, err)
	}
	diag.MinWeight, diag.MaxWeight = math.Inf(1), math.Inf(-1)
	for _, v := range w {
		diag.MinWeight, diag.MaxWeight = min(diag.MinWeight, v), max(diag.MaxWeight, v)
	}
	diag.Efficiency = kish(w)
	cl := &calibration{info: Calibration{Margins: append([]Margin(nil), margins...), Diagnostics: diag,
		InputEfficiency: kish(w0), Bounds: bounds}, greg: r}
	for _, v := range w {
		cl.info.Total += v
	}
	out := *d
	out.w = w
	out.cal = cl
	return &out, nil
}

// boundedLevels is a margin of bounded raking with its levels' target
// totals and respondent counts.
type boundedLevels struct {
	m      Margin
	target []float64
	count  []int
}

// within reports whether count weights in [lo, hi] can add up to target
// (to 1e-12 relative, the convergence tolerance), and the nearest total
// they can reach.
func within(target float64, count int, lo, hi float64) (float64, bool) {
	a, b := float64(count)*lo, float64(count)*hi
	switch {
	case target > b*(1+1e-12):
		return b, false
	case target < a*(1-1e-12):
		return a, false
	}
	return target, true
}

// pinvSolve returns H⁺·g through the eigendecomposition of the symmetric
// H, dropping eigenvalues below 1e-12 of the largest (a margin level
// whose respondents all sit at a bound has no curvature).
//
// With nudge, those directions get g's component divided by 1e-6 of the
// largest eigenvalue instead: a gradient step the line search scales.
func pinvSolve(H *mat.SymDense, g []float64, nudge bool) []float64 {
	var eig mat.EigenSym
	p := len(g)
	if !eig.Factorize(H, true) {
		return make([]float64, p)
	}
	vals := eig.Values(nil)
	var V mat.Dense
	eig.VectorsTo(&V)
	top := 0.0
	for _, v := range vals {
		top = max(top, math.Abs(v))
	}
	out := make([]float64, p)
	for k, lam := range vals {
		if math.Abs(lam) <= 1e-12*top {
			if !nudge {
				continue
			}
			lam = 1e-6 * top
		}
		var proj float64
		for j := range g {
			proj += V.At(j, k) * g[j]
		}
		for j := range out {
			out[j] += V.At(j, k) * proj / lam
		}
	}
	return out
}
