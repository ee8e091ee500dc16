package analysis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
)

// Errors a model fit returns for data that do not identify the model. They
// are wrapped with the details; test with errors.Is.
var (
	// ErrNotConverged: an iterative fit (Logistic, Rake) stopped at its
	// iteration limit.
	ErrNotConverged = errors.New("did not converge")
	// ErrSeparation: some combination of predictors predicts the outcome
	// perfectly, so the maximum likelihood estimate does not exist.
	ErrSeparation = errors.New("separation")
	// ErrSingular: the predictors are collinear (or one is constant) among
	// the respondents in the fit.
	ErrSingular = errors.New("singular predictors")
)

// LogisticFit is a design-based logistic regression: the weighted maximum
// likelihood coefficients and their linearization (sandwich) covariance.
type LogisticFit struct {
	Coef, SE []float64   // log-odds coefficients, Coef[0] the intercept
	Cov      [][]float64 // covariance of Coef, SE = sqrt(diag(Cov))
	DF       int         // degrees of freedom for intervals: degf of the domain
	N        int         // respondents in the fit (domain, all variables answered)
	Iter     int         // Newton (IRLS) iterations
	Names    []string    // Names[0] = "(Intercept)", then the predictors' names
}

// OddsRatio returns exp(Coef[j]) and the interval exp(Coef[j] ± t·SE[j]),
// t the 1 − (1 − level)/2 quantile of Student's t with DF degrees of
// freedom (level 0.95 for 95%), as exp(confint(svyglm, ddf = degf)). The
// bounds are NaN when DF <= 0.
func (f *LogisticFit) OddsRatio(j int, level float64) (or, lo, hi float64) {
	b, se := f.Coef[j], f.SE[j]
	q := TQuantile(0.5+level/2, f.DF)
	return math.Exp(b), math.Exp(b - q*se), math.Exp(b + q*se)
}

// Dummies codes a categorical variable as 0/1 indicator columns for
// Logistic: one column per level except the first (the reference), named
// prefix + level name (R's "grpSouth"; prefix + level number when levels is
// nil). codes[i] indexes the levels; -1 is a missing answer and gives NaN in
// every column. It panics when levels is non-nil and not nLevels long or a
// code is outside -1..nLevels-1.
func Dummies(codes []int32, nLevels int, levels []string, prefix string) (cols [][]float64, names []string) {
	if levels != nil && len(levels) != nLevels {
		panic("analysis: length mismatch")
	}
	if nLevels < 1 {
		panic("analysis: dummies need at least one level")
	}
	k := nLevels - 1
	n := len(codes)
	backing := make([]float64, k*n) // one allocation for all columns
	cols = make([][]float64, k)
	for j := range cols {
		cols[j] = backing[j*n : (j+1)*n : (j+1)*n]
	}
	for i, c := range codes {
		switch {
		case c == -1:
			for j := range cols {
				cols[j][i] = math.NaN()
			}
		case c < -1 || int(c) >= nLevels:
			panic("analysis: level code out of range")
		case c > 0:
			cols[c-1][i] = 1
		}
	}
	names = make([]string, k)
	for j := range names {
		if levels != nil {
			names[j] = prefix + levels[j+1]
		} else {
			names[j] = prefix + strconv.Itoa(j+1)
		}
	}
	return cols, names
}

// Logistic fits the logistic regression of the 0/1 outcome y on the
// predictor columns X (X[j][i] is predictor j of respondent i) plus an
// intercept, over the respondents with in[i] true (nil: all) and y and every
// X[j] answered (not NaN). It is
//
//	svyglm(y ~ x1 + ..., design = subset(design, in), family = quasibinomial())
//
// with R's default na.action = na.omit.
//
// Coefficients maximise the weighted log-likelihood
// Σ w_i [y_i log μ_i + (1 − y_i) log(1 − μ_i)], μ_i = expit(x_i'β), by
// Newton's method (IRLS) with step halving. The covariance is the sandwich
// of survey:::svy.varcoef,
//
//	V = A⁻¹ · Cov(Σ_i u_i) · A⁻¹,  A = Σ w_i μ_i(1 − μ_i) x_i x_i',  u_i = w_i (y_i − μ_i) x_i,
//
// where Cov is the design's between-PSU covariance of the totals of u (R's
// svyrecvar of estfun·A⁻¹), with excluded respondents contributing u_i = 0
// while their PSUs stay in the design, as subsetting a survey design does.
// svyglm rescales the weights to mean 1 first; that multiplies A and u by
// the same constant c, so V = (A/c)⁻¹ Cov(c·u) (A/c)⁻¹ is unchanged, as are
// the coefficients. A and u are evaluated at the converged coefficients;
// R's glm.fit returns the working weights of its next-to-last iterate,
// which moves R's SEs by about 1e-7 relative (single covariances up to
// 1e-5) on our test data. The golden tests remove that by refitting in R
// from the converged coefficients (testdata/glm/glm.R).
//
// DF is DegF(in): the domain's PSUs minus its strata, counting respondents
// whose answers are missing, so that intervals use the same degrees of
// freedom as every other estimate of the domain. (svyglm's own residual df,
// degf − p + 1 after dropping incomplete rows, is not used.)
//
// When every predictor is 0/1 (categorical dummies), respondents are first
// collapsed into cells of equal covariate pattern within a PSU, carrying
// Σw and Σwy: the likelihood, A and the PSU totals of u are sums over
// respondents that only depend on these, so the fit is the same while each
// Newton iteration costs cells rather than respondents. Otherwise the fit
// runs over respondents.
//
// On a calibrated design (Design.Calibrate) each column of scores is
// residualized on the margins before its PSU totals, as svy.varcoef
// hands estfun·A⁻¹ to svyrecvar with the design's postStrata: svyglm on
// rake(…) or calibrate(…).
//
// Errors: an outcome other than 0/1 or a non-finite predictor (naming the
// respondent), fewer respondents than coefficients, collinear or constant
// predictors (ErrSingular), perfect prediction (ErrSeparation) and no
// convergence in 50 iterations (ErrNotConverged). It panics when a slice
// has the wrong length.
func (d *Design) Logistic(y []float64, X [][]float64, names []string, in []bool) (*LogisticFit, error) {
	return d.logisticContext(context.Background(), y, X, names, in, true)
}

// LogisticContext is Logistic stopped by ctx: it is polled every 65,536
// respondents (or cells) of each pass and between the iterations, and
// once it is cancelled the error wraps ctx.Err().
func (d *Design) LogisticContext(ctx context.Context, y []float64, X [][]float64, names []string, in []bool) (*LogisticFit, error) {
	return d.logisticContext(ctx, y, X, names, in, true)
}

// logistic is Logistic with the cell collapsing optional, so tests can
// check that both paths agree.
func (d *Design) logistic(y []float64, X [][]float64, names []string, in []bool, collapse bool) (*LogisticFit, error) {
	return d.logisticContext(context.Background(), y, X, names, in, collapse)
}

func (d *Design) logisticContext(ctx context.Context, y []float64, X [][]float64, names []string, in []bool, collapse bool) (*LogisticFit, error) {
	if len(y) != d.n || (in != nil && len(in) != d.n) || (names != nil && len(names) != len(X)) {
		panic("analysis: length mismatch")
	}
	for _, x := range X {
		if len(x) != d.n {
			panic("analysis: length mismatch")
		}
	}
	p := len(X) + 1
	fitNames := make([]string, p)
	fitNames[0] = "(Intercept)"
	for j := range X {
		if names != nil {
			fitNames[j+1] = names[j]
		} else {
			fitNames[j+1] = "x" + strconv.Itoa(j+1)
		}
	}

	use, bits, err := d.logisticRows(y, X, fitNames, in, collapse)
	if err != nil {
		return nil, err
	}
	if err := stopped(ctx, "logistic"); err != nil {
		return nil, err
	}
	var u *logitUnits
	if bits != nil && d.cal == nil { // a calibrated design's sandwich needs the respondents
		u = d.collapseUnits(y, len(X), func(i int) (uint64, bool) { return bits[i], use[i] })
	} else {
		u = d.rowUnits(y, X, use)
	}
	if err := stopped(ctx, "logistic"); err != nil {
		return nil, err
	}
	u.ctx = ctx
	return d.fitUnits(u, fitNames, in)
}

// fitUnits fits the model to its units; fitNames names the coefficients
// and in is the domain, for the degrees of freedom.
func (d *Design) fitUnits(u *logitUnits, fitNames []string, in []bool) (*LogisticFit, error) {
	p := u.p
	if u.n <= p {
		return nil, fmt.Errorf("logistic: %d respondents with every variable answered for %d coefficients", u.n, p)
	}
	beta, iter, err := u.fit(fitNames)
	if err != nil {
		return nil, err
	}
	cov, err := d.logitSandwich(u, beta, fitNames)
	if err != nil {
		return nil, err
	}
	se := make([]float64, p)
	scale := 0.0
	for j := range se {
		scale = max(scale, math.Abs(cov[j][j]))
	}
	for j := range se {
		v := cov[j][j]
		// A variance that is zero in exact arithmetic can come out as
		// -1e-13 of the others: zero, not NaN.
		if v < 0 && v > -1e-9*scale {
			v = 0
		}
		se[j] = math.Sqrt(v)
	}
	return &LogisticFit{Coef: beta, SE: se, Cov: cov, DF: d.DegF(in), N: u.n, Iter: iter, Names: fitNames}, nil
}

// logisticRows marks the respondents entering the fit and checks their
// values. When wantBits is set and every predictor value used is 0 or 1,
// bits[i] has bit j set when X[j][i] is 1; otherwise bits is nil. It reads
// column by column, the order X is stored in.
func (d *Design) logisticRows(y []float64, X [][]float64, names []string, in []bool, wantBits bool) (use []bool, bits []uint64, err error) {
	use = make([]bool, d.n)
	for i, v := range y {
		if (in != nil && !in[i]) || math.IsNaN(v) {
			continue
		}
		if v != 0 && v != 1 {
			return nil, nil, fmt.Errorf("logistic: outcome of respondent %d is %v; want 0 or 1", i+1, v)
		}
		use[i] = true
	}
	if wantBits && len(X) < 64 {
		bits = make([]uint64, d.n)
	}
	const one = 0x3FF0000000000000 // math.Float64bits(1)
	for j, x := range X {
		for i, v := range x {
			b := math.Float64bits(v)
			if b == 0 || b == one {
				if bits != nil {
					// bit 52 is set in 1 and clear in 0: no branch on the
					// value, which is a coin flip for a dummy.
					bits[i] |= (b >> 52 & 1) << uint(j)
				}
				continue
			}
			switch {
			case !use[i], v == 0: // unused, or −0
			case math.IsNaN(v):
				use[i] = false
			case math.IsInf(v, 0):
				return nil, nil, fmt.Errorf("logistic: predictor %q of respondent %d is %v", names[j+1], i+1, v)
			default:
				bits = nil
			}
		}
	}
	return use, bits, nil
}

// logitUnits are the observations of a logistic fit: respondents, or cells
// of respondents sharing covariate pattern and PSU. x is row-major with p
// values per unit, the first being the intercept's 1.
type logitUnits struct {
	p, n    int // coefficients; respondents represented
	x       []float64
	sw, swy []float64 // Σ w and Σ w·y per unit
	psu     []int32
	rows    []int // respondent of each unit, for rowUnits
	// ctx, when non-nil, stops the passes over the units: they return
	// early, partial, once it is cancelled, and fit and logitSandwich
	// then return its error.
	ctx context.Context
	// scores, when set, gives the PSU totals of the scores at beta and
	// the strata of the fit's rows, for units that are patterns of
	// predictors rather than (pattern, PSU) cells (fitLogitCells);
	// otherwise logitSandwich sums them unit by unit.
	scores func(beta []float64) (t [][]float64, rows func(h int) bool, err error)
}

// cancelled polls u.ctx at every 65,536th unit k.
func (u *logitUnits) cancelled(k int) bool {
	return k&pollMask == 0 && u.ctx != nil && u.ctx.Err() != nil
}

// stopped is the error of a fit whose context was cancelled, or nil.
func (u *logitUnits) stopped() error {
	if u.ctx == nil {
		return nil
	}
	return stopped(u.ctx, "logistic")
}

func (d *Design) rowUnits(y []float64, X [][]float64, use []bool) *logitUnits {
	p := len(X) + 1
	u := &logitUnits{p: p}
	for i, ok := range use {
		if !ok {
			continue
		}
		u.x = append(u.x, 1)
		for _, x := range X {
			u.x = append(u.x, x[i])
		}
		u.sw = append(u.sw, d.w[i])
		u.swy = append(u.swy, d.w[i]*y[i])
		u.psu = append(u.psu, d.psu[i])
		u.rows = append(u.rows, i)
		u.n++
	}
	return u
}

// collapseUnits sums respondents with the same 0/1 pattern of the nX
// predictors in the same PSU into one unit: pattern(i) returns respondent
// i's predictors as bits (bit j set when predictor j is 1) and whether i
// enters the fit. Units come in order of first appearance.
func (d *Design) collapseUnits(y []float64, nX int, pattern func(i int) (uint64, bool)) *logitUnits {
	p := nX + 1
	// Number the patterns that occur: through a table when 2^nX is small,
	// else a map.
	var pats []uint64
	var table []int32
	var tmap map[uint64]int32
	if nX <= 16 {
		table = make([]int32, 1<<uint(nX))
		for k := range table {
			table[k] = -1
		}
	} else {
		tmap = map[uint64]int32{}
	}
	id := func(b uint64) int32 {
		if table != nil {
			if table[b] < 0 {
				table[b] = int32(len(pats))
				pats = append(pats, b)
			}
			return table[b]
		}
		k, seen := tmap[b]
		if !seen {
			k = int32(len(pats))
			tmap[b] = k
			pats = append(pats, b)
		}
		return k
	}
	for i := 0; i < d.n; i++ {
		if b, ok := pattern(i); ok {
			id(b)
		}
	}

	u := &logitUnits{p: p}
	nPSU := d.NumPSU()
	newCell := func(pat int32, psu int32) int32 {
		c := int32(len(u.sw))
		u.x = append(u.x, 1)
		for j := 0; j < nX; j++ {
			u.x = append(u.x, float64(pats[pat]>>uint(j)&1))
		}
		u.sw = append(u.sw, 0)
		u.swy = append(u.swy, 0)
		u.psu = append(u.psu, psu)
		return c
	}
	add := func(c int32, i int) {
		u.sw[c] += d.w[i]
		u.swy[c] += d.w[i] * y[i]
		u.n++
	}
	// A dense (pattern, PSU) index when it is not much larger than the data;
	// a map otherwise.
	if cells := len(pats) * nPSU; cells <= max(4*d.n, 1<<16) {
		idx := make([]int32, cells)
		for k := range idx {
			idx[k] = -1
		}
		for i := 0; i < d.n; i++ {
			b, ok := pattern(i)
			if !ok {
				continue
			}
			k := int(id(b))*nPSU + int(d.psu[i])
			if idx[k] < 0 {
				idx[k] = newCell(int32(k/nPSU), d.psu[i])
			}
			add(idx[k], i)
		}
		return u
	}
	idx := map[int64]int32{}
	for i := 0; i < d.n; i++ {
		b, ok := pattern(i)
		if !ok {
			continue
		}
		pt := id(b)
		k := int64(pt)*int64(nPSU) + int64(d.psu[i])
		c, ok := idx[k]
		if !ok {
			c = newCell(pt, d.psu[i])
			idx[k] = c
		}
		add(c, i)
	}
	return u
}

const (
	logitMaxIter = 50
	// logitTol: converged when every Newton step |Δβ_j| <= logitTol·(1+|β_j|).
	// Newton converges quadratically, so the error left after such a step is
	// of order logitTol², far below the 1e-6 we promise.
	logitTol = 1e-8
	// logitSepEta: |x'β| beyond which a non-converging fit is reported as
	// separation (fitted probability within 3e-7 of 0 or 1).
	logitSepEta = 15
)

// log1pExp returns log(1 + e^x) without overflow.
func log1pExp(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

// deviance returns −2 × the weighted log-likelihood at beta and the
// largest |x'β|.
func (u *logitUnits) deviance(beta []float64) (dev, maxEta float64) {
	p := u.p
	for k := range u.sw {
		if u.cancelled(k) {
			break
		}
		row := u.x[k*p : (k+1)*p]
		var eta float64
		for j, b := range beta {
			eta += row[j] * b
		}
		// −log μ = log1pExp(−η), −log(1−μ) = log1pExp(η)
		dev += u.swy[k]*log1pExp(-eta) + (u.sw[k]-u.swy[k])*log1pExp(eta)
		maxEta = max(maxEta, math.Abs(eta))
	}
	return 2 * dev, maxEta
}

// information returns A = Σ sw μ(1−μ) x x' and the score Σ (swy − sw μ) x.
func (u *logitUnits) information(beta []float64) (a [][]float64, score []float64) {
	p := u.p
	a = make([][]float64, p)
	for j := range a {
		a[j] = make([]float64, p)
	}
	score = make([]float64, p)
	for k := range u.sw {
		if u.cancelled(k) {
			break
		}
		row := u.x[k*p : (k+1)*p]
		var eta float64
		for j, b := range beta {
			eta += row[j] * b
		}
		mu := expit(eta)
		wt := u.sw[k] * mu * (1 - mu)
		r := u.swy[k] - u.sw[k]*mu
		for j, xj := range row {
			if xj == 0 {
				continue
			}
			score[j] += r * xj
			wx := wt * xj
			aj := a[j]
			for l := j; l < p; l++ {
				aj[l] += wx * row[l]
			}
		}
	}
	for j := range a {
		for l := 0; l < j; l++ {
			a[j][l] = a[l][j]
		}
	}
	return a, score
}

// fit runs Newton's method from the intercept-only solution.
func (u *logitUnits) fit(names []string) (beta []float64, iter int, err error) {
	p := u.p
	var sw, swy float64
	for k := range u.sw {
		sw += u.sw[k]
		swy += u.swy[k]
	}
	if swy == 0 || swy == sw {
		return nil, 0, fmt.Errorf("logistic: %w: the outcome is %v for all %d respondents in the fit", ErrSeparation, math.Round(swy/sw), u.n)
	}
	beta = make([]float64, p)
	beta[0] = math.Log(swy / (sw - swy))
	dev, maxEta := u.deviance(beta)
	cand := make([]float64, p)
	var delta []float64
	for iter = 1; iter <= logitMaxIter; iter++ {
		a, score := u.information(beta)
		if err := u.stopped(); err != nil {
			return nil, iter, err
		}
		ainv, bad := invertSPD(a)
		if bad >= 0 {
			if maxEta > logitSepEta {
				return nil, iter, separationError(names, delta)
			}
			return nil, iter, fmt.Errorf("logistic: %w: %q is constant or a linear combination of the other predictors among the %d respondents in the fit", ErrSingular, names[bad], u.n)
		}
		delta = mulMV(ainv, score)
		// Step halving guards against the rare overshoot of a full step.
		step := 1.0
		var newDev, newMax float64
		for h := 0; ; h++ {
			for j := range cand {
				cand[j] = beta[j] + step*delta[j]
			}
			newDev, newMax = u.deviance(cand)
			if err := u.stopped(); err != nil {
				return nil, iter, err
			}
			if newDev <= dev+1e-10*(math.Abs(dev)+0.1) {
				break
			}
			if h == 30 {
				return nil, iter, fmt.Errorf("logistic: %w: step halving failed at iteration %d", ErrNotConverged, iter)
			}
			step /= 2
		}
		small := true
		for j := range beta {
			if math.Abs(cand[j]-beta[j]) > logitTol*(1+math.Abs(cand[j])) {
				small = false
			}
		}
		copy(beta, cand)
		dev, maxEta = newDev, newMax
		if small {
			return beta, iter, nil
		}
	}
	if maxEta > logitSepEta {
		return nil, logitMaxIter, separationError(names, delta)
	}
	return nil, logitMaxIter, fmt.Errorf("logistic: %w in %d iterations", ErrNotConverged, logitMaxIter)
}

// separationError names the coefficient that moved most in the last step:
// under separation it is the one running off to infinity.
func separationError(names []string, delta []float64) error {
	j := 0
	for k := range delta {
		if math.Abs(delta[k]) > math.Abs(delta[j]) {
			j = k
		}
	}
	return fmt.Errorf("logistic: %w: fitted probabilities of 0 or 1 (coefficient %q diverges); some category or predictor value predicts the outcome perfectly", ErrSeparation, names[j])
}

// logitSandwich returns A⁻¹ Cov(Σu) A⁻¹ at beta (see Logistic).
func (d *Design) logitSandwich(u *logitUnits, beta []float64, names []string) ([][]float64, error) {
	p := u.p
	a, _ := u.information(beta)
	if err := u.stopped(); err != nil {
		return nil, err
	}
	ainv, bad := invertSPD(a)
	if bad >= 0 {
		return nil, fmt.Errorf("logistic: %w: %q is constant or a linear combination of the other predictors among the %d respondents in the fit", ErrSingular, names[bad], u.n)
	}
	if u.scores != nil {
		t, rows, err := u.scores(beta)
		if err != nil {
			return nil, err
		}
		return mulMM(mulMM(ainv, d.covIn(t, rows)), ainv), nil
	}
	t := make([][]float64, p)
	var z [][]float64 // a calibrated design's scores by respondent, residualized below
	for j := range t {
		if d.cal != nil {
			z = append(z, make([]float64, d.n))
		} else {
			t[j] = make([]float64, d.NumPSU())
		}
	}
	for k := range u.sw {
		row := u.x[k*p : (k+1)*p]
		var eta float64
		for j, b := range beta {
			eta += row[j] * b
		}
		r := u.swy[k] - u.sw[k]*expit(eta)
		for j, xj := range row {
			if z != nil {
				z[j][u.rows[k]] = r * xj
			} else {
				t[j][u.psu[k]] += r * xj
			}
		}
	}
	for j := range z {
		if err := u.stopped(); err != nil {
			return nil, err
		}
		t[j] = d.influenceTotals(z[j])
	}
	// svyglm's rows: the respondents in the fit.
	rows := allStrata
	if d.averaging() {
		seen := make([]bool, d.NumPSU())
		for _, q := range u.psu {
			seen[q] = true
		}
		rows = d.seenStrata(func(q int) bool { return seen[q] })
	}
	meat := d.covIn(t, rows)
	return mulMM(mulMM(ainv, meat), ainv), nil
}

// cholRankTol: a column whose squared norm, after projecting out the columns
// before it, is below this fraction of its own squared norm counts as
// collinear (R's lm/glm use 1e-7 on norms via pivoted QR; the normal
// equations square the condition number, hence a looser 1e-12 on squares).
const cholRankTol = 1e-12

// invertSPD inverts the symmetric positive definite matrix a by Cholesky
// decomposition of its unit-diagonal rescaling. bad is -1 on success, else
// the first column found to be (numerically) a linear combination of the
// columns before it.
func invertSPD(a [][]float64) (inv [][]float64, bad int) {
	p := len(a)
	s := make([]float64, p) // 1/sqrt(a_jj)
	for j := range a {
		if !(a[j][j] > 0) || math.IsInf(a[j][j], 0) {
			return nil, j
		}
		s[j] = 1 / math.Sqrt(a[j][j])
	}
	l := make([][]float64, p)
	for j := range l {
		l[j] = make([]float64, p)
	}
	for j := 0; j < p; j++ {
		dj := 1.0 // unit diagonal after scaling
		for k := 0; k < j; k++ {
			dj -= l[j][k] * l[j][k]
		}
		if !(dj > cholRankTol) {
			return nil, j
		}
		l[j][j] = math.Sqrt(dj)
		for i := j + 1; i < p; i++ {
			v := a[i][j] * s[i] * s[j]
			for k := 0; k < j; k++ {
				v -= l[i][k] * l[j][k]
			}
			l[i][j] = v / l[j][j]
		}
	}
	// Invert L (lower triangular), then (LL')⁻¹ = L⁻ᵀL⁻¹.
	li := make([][]float64, p)
	for i := range li {
		li[i] = make([]float64, p)
		li[i][i] = 1 / l[i][i]
		for j := 0; j < i; j++ {
			var v float64
			for k := j; k < i; k++ {
				v -= l[i][k] * li[k][j]
			}
			li[i][j] = v / l[i][i]
		}
	}
	inv = make([][]float64, p)
	for i := range inv {
		inv[i] = make([]float64, p)
	}
	for i := 0; i < p; i++ {
		for j := 0; j <= i; j++ {
			var v float64
			for k := i; k < p; k++ {
				v += li[k][i] * li[k][j]
			}
			v *= s[i] * s[j] // undo the scaling
			inv[i][j], inv[j][i] = v, v
		}
	}
	return inv, -1
}

func mulMV(a [][]float64, v []float64) []float64 {
	out := make([]float64, len(a))
	for i, row := range a {
		for j, x := range row {
			out[i] += x * v[j]
		}
	}
	return out
}

func mulMM(a, b [][]float64) [][]float64 {
	out := make([][]float64, len(a))
	for i := range a {
		out[i] = make([]float64, len(b[0]))
		for k, aik := range a[i] {
			for j, bkj := range b[k] {
				out[i][j] += aik * bkj
			}
		}
	}
	return out
}
