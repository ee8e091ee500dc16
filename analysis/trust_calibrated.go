package analysis

import (
	"context"
	"math"
)

// Effects on a calibrated design: the shares come from calibratedRows,
// and the effect and odds ratio of each domain from the respondents'
// influence values, residualized on the margins (Design.influenceTotals)
// before the between-PSU variance, as svyrecvar does for rake()'s
// postStrata. The engine's PSU cell sums cannot carry the raking, whose
// residuals are unweighted level means over every respondent.

// effectCalibrated is effect on a calibrated design; y and f are the
// outcome's and the factor's flags, among(g) the outcome among
// respondents whose factor is g.
func (s *study) effectCalibrated(factor, outcome string, names effectNames, y, f vec, among func(g float64) vec, level float64) (*EffectResult, error) {
	all, err := s.rowsOf([]rowSpec{{names.with, among(1), true}, {names.without, among(0), true}})
	if err != nil {
		return nil, err
	}
	res := &EffectResult{Factor: factor, Outcome: outcome}
	for _, r := range all {
		res.Estimates = append(res.Estimates, r...)
	}
	yv, fv := y.materialize(s.ds.N), f.materialize(s.ds.N)
	dfs := s.domainDF()
	buf := make([]bool, s.ds.N)
	d := s.d.withContext(s.e.ctx)
	for k, dr := range s.doms {
		if err := s.e.err(); err != nil {
			return nil, err
		}
		in := s.member(k, buf)
		e := d.flagContrast(yv, fv, in, false)
		e.DF = dfs[k]
		e.CILow, e.CIHigh = MeanCI(e.Estimate, e.SE, e.DF, level)
		ef := s.row("effect", dr.dom, e, true)
		ef.Points = true // a difference of shares
		res.Estimates = append(res.Estimates, ef)

		_, g := s.d.flagContrastSums(yv, fv, in)
		lo := d.flagContrast(yv, fv, in, true)
		o := OddsRatio{Statistic: "odds_ratio", Domain: dr.dom, N: lo.N, DF: dfs[k], LowBase: s.lowBase(lo.N),
			LogOR: Num(lo.Estimate), LogORSE: Num(lo.SE), Estimate: Num(math.Exp(lo.Estimate))}
		a, b := MeanCI(lo.Estimate, lo.SE, o.DF, level)
		o.CILow, o.CIHigh = Num(math.Exp(a)), Num(math.Exp(b))
		if math.IsNaN(lo.Estimate) {
			o.Note = oddsRatioWhy(g)
		}
		res.OddsRatios = append(res.OddsRatios, o)
	}
	res.Adjusted = adjustedOddsRatio(s, y, f, factor, level)
	if err := s.e.err(); err != nil {
		return nil, err
	}
	return res, nil
}

// flagContrastSums returns the Σw, Σwy and respondents of the outcome y
// among the respondents of domain in (nil: all) with factor f = 1 (g[0])
// and f = 0 (g[1]), both answered; n is their number.
func (d *Design) flagContrastSums(y, f []float64, in []bool) (n int, g [2]groupSum) {
	for i, yi := range y {
		if (in != nil && !in[i]) || math.IsNaN(yi) || math.IsNaN(f[i]) {
			continue
		}
		k := 1
		if f[i] == 1 {
			k = 0
		}
		g[k].w += d.w[i]
		g[k].wy += d.w[i] * yi
		g[k].n++
		n++
	}
	return n, g
}

// flagContrast is cellSums.contrast on a calibrated design: the outcome
// y's share among respondents of domain in (nil: all) with factor f = 1
// minus that with f = 0 (logit false), or the log odds ratio between them
// (logit true), with the SE of the influence values
//
//	z_i = [f_i = 1] w_i (y_i − m₁)/s₁ − [f_i = 0] w_i (y_i − m₀)/s₀,
//
// s_g = Σ_g w (difference) or Σ_g w · m_g(1 − m_g) (log odds ratio),
// residualized on the margins. The difference is svycontrast(svyby(~y,
// ~f, rake(…), svymean, covmat = TRUE), c(1, −1)) and the log odds ratio
// the slope of svyglm(y ~ f, rake(…), family = quasibinomial()) in the
// domain, whose sandwich is the same influence. DF is left for the
// caller; the estimate and SE are NaN when a group is empty or (log odds
// ratio) all of one outcome.
func (d *Design) flagContrast(y, f []float64, in []bool, logit bool) Estimate {
	n, g := d.flagContrastSums(y, f, in)
	e := Estimate{N: n, WeightedN: g[0].w + g[1].w, Estimate: math.NaN(), SE: math.NaN(), Deff: math.NaN(),
		CILow: math.NaN(), CIHigh: math.NaN()}
	if g[0].n == 0 || g[1].n == 0 {
		return e
	}
	m := [2]float64{g[0].wy / g[0].w, g[1].wy / g[1].w}
	sc := [2]float64{g[0].w, g[1].w}
	if logit {
		sc = [2]float64{g[0].w * m[0] * (1 - m[0]), g[1].w * m[1] * (1 - m[1])}
		e.Estimate = math.Log(m[0]/(1-m[0])) - math.Log(m[1]/(1-m[1]))
	} else {
		e.Estimate = m[0] - m[1]
	}
	if sc[0] == 0 || sc[1] == 0 {
		e.Estimate = math.NaN()
		return e
	}
	z := make([]float64, d.n)
	for i, yi := range y {
		if (in != nil && !in[i]) || math.IsNaN(yi) || math.IsNaN(f[i]) {
			continue
		}
		if f[i] == 1 {
			z[i] = d.w[i] * (yi - m[0]) / sc[0]
		} else {
			z[i] = -d.w[i] * (yi - m[1]) / sc[1]
		}
	}
	e.SE = math.Sqrt(d.VarianceFromPSUTotals(d.influenceTotals(z)))
	return e
}

// calibratedScoreTotals returns the PSU totals of the p score columns
// u_ij = w_i (y_i − μ_i) x_ij of a logistic model on a calibrated design,
// each column residualized on the margins first, as svy.varcoef hands
// estfun·A⁻¹ to svyrecvar with the design's postStrata (the residuals are
// linear, so A⁻¹ may come after). each calls emit once per respondent in
// the model with its w_i (y_i − μ_i) and the columns other than the
// intercept where its x is 1 (a 0/1 design matrix).
func (d *Design) calibratedScoreTotals(ctx context.Context, p int, each func(emit func(i int, r float64, ones []int))) ([][]float64, error) {
	d = d.withContext(ctx)
	z := make([][]float64, p)
	for j := range z {
		z[j] = make([]float64, d.n)
	}
	each(func(i int, r float64, ones []int) {
		z[0][i] = r
		for _, j := range ones {
			z[j][i] = r
		}
	})
	t := make([][]float64, p)
	for j := range z {
		if err := stopped(ctx, "logistic"); err != nil {
			return nil, err
		}
		t[j] = d.influenceTotals(z[j])
	}
	if err := stopped(ctx, "logistic"); err != nil {
		return nil, err
	}
	return t, nil
}
