package analysis

import (
	"context"
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
// fails (wrapping ErrNotConverged) when the bounds leave no solution.
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
	}
	wbar := sum / float64(n)
	lo, hi := bounds[0]*wbar, bounds[1]*wbar
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
	for diag.Iterations = 1; diag.Iterations <= 1000; diag.Iterations++ {
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
		step := pinvSolve(H, grad)
		// Near the solution the objective's decrease falls below the
		// rounding of its n-term sum, which depends on the respondents'
		// order: a step within that rounding of f0 is taken, or the
		// line search halves it to nothing and Newton stalls.
		f0 := objective(eta)
		tol := 1e-13 * math.Abs(f0)
		next := make([]float64, r.p)
		t := 1.0
		for range 60 {
			if err := stopped(ctx, "calibrate"); err != nil {
				return nil, err
			}
			for j := range eta {
				next[j] = eta[j] - t*step[j]
			}
			if objective(next) <= f0+tol {
				break
			}
			t /= 2
		}
		copy(eta, next)
	}
	if !diag.Converged {
		return nil, fmt.Errorf("calibrate: %w after %d Newton steps: largest relative margin error %.3g (the bounds may leave no solution)", ErrNotConverged, diag.Iterations, diag.MaxMarginError)
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

// pinvSolve returns H⁺·g through the eigendecomposition of the symmetric
// H, dropping eigenvalues below 1e-12 of the largest (a margin level
// whose respondents all sit at a bound has no curvature).
func pinvSolve(H *mat.SymDense, g []float64) []float64 {
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
			continue
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
