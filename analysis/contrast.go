package analysis

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// DiffMeans estimates the difference ŷ₁ − ŷ₂ of the weighted means of y in
// domain 1 (in1[i] true) and domain 2 (in2[i] true), each over the
// domain's respondents who answered y (nil: every respondent). The SE comes
// from the joint linearization: the difference's influence value is
//
//	z_i = [i ∈ 1] w_i (y_i − ŷ₁)/Σ₁w − [i ∈ 2] w_i (y_i − ŷ₂)/Σ₂w
//
// so the covariance of the two means, which share PSUs, is accounted for.
// This is svycontrast(svyby(~y, ~group, design, svymean, covmat = TRUE),
// c(1, −1)), and for disjoint domains equals the slope of
// svyglm(y ~ [in domain 1]) fitted on their union; overlapping domains
// (e.g. one region against the total) are handled by the same formula.
//
// DF is the degf of the union of the two domains, respondents with a
// missing y included (see Design.DegF); the interval is estimate ± t(DF)·SE
// at level. N and WeightedN count the union's respondents who answered y,
// NDomain the union. With no respondent answering in either domain, the
// estimate and SE are NaN. It panics when a slice has the wrong length.
func (d *Design) DiffMeans(y []float64, in1, in2 []bool, level float64) Estimate {
	if len(y) != d.n || (in1 != nil && len(in1) != d.n) || (in2 != nil && len(in2) != d.n) {
		panic("analysis: length mismatch")
	}
	var union []bool
	if in1 != nil && in2 != nil {
		union = make([]bool, d.n)
	}
	var sw, swy [2]float64
	var cnt [2]int
	e := Estimate{Estimate: math.NaN(), SE: math.NaN(), Deff: math.NaN(), CILow: math.NaN(), CIHigh: math.NaN()}
	for i, v := range y {
		a, b := in1 == nil || in1[i], in2 == nil || in2[i]
		if !a && !b {
			continue
		}
		if union != nil {
			union[i] = true
		}
		e.NDomain++
		if math.IsNaN(v) {
			continue
		}
		e.N++
		e.WeightedN += d.w[i]
		if a {
			sw[0] += d.w[i]
			swy[0] += d.w[i] * v
			cnt[0]++
		}
		if b {
			sw[1] += d.w[i]
			swy[1] += d.w[i] * v
			cnt[1]++
		}
	}
	e.DF = d.DegF(union)
	if cnt[0] == 0 || cnt[1] == 0 {
		return e
	}
	m1, m2 := swy[0]/sw[0], swy[1]/sw[1]
	t := make([]float64, d.NumPSU())
	var zs []float64 // influence values, for a calibrated design
	if d.cal != nil {
		zs = make([]float64, d.n)
	}
	for i, v := range y {
		if math.IsNaN(v) {
			continue
		}
		var z float64
		if in1 == nil || in1[i] {
			z += d.w[i] * (v - m1) / sw[0]
		}
		if in2 == nil || in2[i] {
			z -= d.w[i] * (v - m2) / sw[1]
		}
		t[d.psu[i]] += z
		if zs != nil {
			zs[i] = z
		}
	}
	if zs != nil {
		t = d.influenceTotals(zs)
	}
	e.Estimate = m1 - m2
	// The rows: the union's answers (svyglm on the union's subset).
	rows := d.rowStrata(func(i int) bool { return !math.IsNaN(y[i]) && (in1 == nil || in1[i] || in2 == nil || in2[i]) })
	e.SE = math.Sqrt(d.varianceIn(t, rows))
	e.CILow, e.CIHigh = MeanCI(e.Estimate, e.SE, e.DF, level)
	return e
}

// TTestP returns the two-sided p-value of the t test of est = 0 with
// standard error se and df degrees of freedom, 2·P(T_df > |est/se|) (R's
// 2 * pt(-abs(est/se), df)), computed as the regularized incomplete beta
// I_{df/(df+t²)}(df/2, 1/2) so that small p-values keep their precision.
// It is NaN when df <= 0 or est/se is undefined.
func TTestP(est, se float64, df int) float64 {
	t := est / se
	if df <= 0 || math.IsNaN(t) {
		return math.NaN()
	}
	if math.IsInf(t, 0) {
		return 0
	}
	nu := float64(df)
	return mathext.RegIncBeta(nu/2, 0.5, nu/(nu+t*t))
}
