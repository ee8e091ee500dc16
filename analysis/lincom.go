package analysis

import (
	"math"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat/distuv"
)

// LincomP returns svychisq(statistic = "lincom")'s p-value of Pearson's
// X² = x, the exact tail of its asymptotic distribution: the probability
// that
//
//	Σ_j δ_j χ²₁,j − (x/ddf)·χ²_ddf > 0
//
// for independent χ²s, i.e. P(Σ δ_j χ²₁,j / (χ²_ddf/ddf) > x), ddf = d₀·ν.
// R's pFsum(x, rep(1, d), δ, ddf, method = "integration", lower.tail =
// FALSE) asks CompQuadForm::davies for it, which takes degrees of freedom
// as integers (as.integer: ⌊ddf⌋ for the denominator while its weight
// keeps x/ddf) and stops at an absolute error of 1e-7; without
// CompQuadForm, R falls back to a saddlepoint approximation (survey's
// saddle, again with ⌊ddf⌋). LincomP integrates Imhof's formula with the
// real ddf to about 1e-12: the exact value R's two routes approximate
// (see lincomP for the integer variant). Eigenvalues of 0 add nothing.
// NaN when x or an eigenvalue is NaN, there is none, or ddf is not finite
// and positive (R switches to another approximation for an infinite ddf,
// which d₀·ν never is).
func LincomP(x float64, delta []float64, ddf float64) float64 {
	return lincomP(x, delta, ddf, ddf)
}

// lincomP is LincomP with k degrees of freedom for the denominator's χ²
// and weight x/ddf: k = ⌊ddf⌋ is what CompQuadForm::davies computes in R.
func lincomP(x float64, delta []float64, ddf, k float64) float64 {
	if math.IsNaN(x) || len(delta) == 0 || !(ddf > 0) || math.IsInf(ddf, 1) {
		return math.NaN()
	}
	var lam, h []float64
	for _, v := range delta {
		if math.IsNaN(v) {
			return math.NaN()
		}
		if v != 0 {
			lam, h = append(lam, v), append(h, 1)
		}
	}
	if k > 0 {
		lam, h = append(lam, -x/ddf), append(h, k)
	}
	return imhofSurvival(lam, h)
}

// imhofSurvival returns P(Σ_j λ_j χ²_{h_j} > 0) for central χ²s by
// Imhof's (1961) inversion of the characteristic function:
//
//	P = ½ + (1/π) ∫₀^∞ sin θ(u) / (u ρ(u)) du,
//	θ(u) = ½ Σ h_j atan(λ_j u),  ρ(u) = Π (1 + λ_j² u²)^{h_j/4}.
//
// The integral runs up to U where Davies' bound on the rest,
// 2/(π H U^{H/2} Π|λ_j|^{h_j/2}) with H = Σ h_j, is below 1e-14, over
// panels that double in width (θ stays bounded and the integrand decays
// as a power of u), each refined until two Gauss-Legendre sums agree.
func imhofSurvival(lam, h []float64) float64 {
	if len(lam) == 0 {
		return 0
	}
	H, logProd, lmax := 0.0, 0.0, 0.0
	for j, l := range lam {
		H += h[j]
		logProd += h[j] / 2 * math.Log(math.Abs(l))
		lmax = math.Max(lmax, math.Abs(l))
	}
	const tail = 1e-14
	U := math.Exp(2 / H * (math.Log(2/(math.Pi*H*tail)) - logProd))
	f := func(u float64) float64 {
		if u == 0 {
			return 0
		}
		var theta, logRho float64
		for j, l := range lam {
			theta += h[j] * math.Atan(l*u)
			logRho += h[j] / 4 * math.Log1p(l*l*u*u)
		}
		theta /= 2
		return math.Sin(theta) / (u * math.Exp(logRho))
	}
	var integral float64
	for a, b := 0.0, 1/lmax; a < U; a, b = b, 2*b {
		integral += adaptLegendre(f, a, min(b, U), 0)
	}
	return math.Min(math.Max(0.5+integral/math.Pi, 0), 1)
}

// adaptLegendre integrates f over [a, b] with a 20-point Gauss-Legendre
// rule, halving the interval until the whole and the halves agree to
// 1e-15 absolute or 1e-13 relative.
func adaptLegendre(f func(float64) float64, a, b float64, depth int) float64 {
	const n = 20
	whole := quad.Fixed(f, a, b, n, quad.Legendre{}, 0)
	m := (a + b) / 2
	halves := quad.Fixed(f, a, m, n, quad.Legendre{}, 0) + quad.Fixed(f, m, b, n, quad.Legendre{}, 0)
	if math.Abs(whole-halves) <= 1e-15+1e-13*math.Abs(halves) || depth >= 30 {
		return halves
	}
	return adaptLegendre(f, a, m, depth+1) + adaptLegendre(f, m, b, depth+1)
}

// SaddlepointP is svychisq(statistic = "saddlepoint")'s p-value of
// Pearson's X² = x: R's pFsum(x, rep(1, d), δ, ddf, method =
// "saddlepoint", lower.tail = FALSE), the Lugannani-Rice saddlepoint
// approximation (survey's saddle) of the tail LincomP computes exactly,
// taken as R takes it: the denominator as ⌊ddf⌋ copies of −x/ddf (R's
// rep() truncates; one copy for ddf ≤ 1), the eigenvalues scaled by their largest, and where
// the saddlepoint falls within 1e-4 of 0 the Satterthwaite F
// approximation pf(x/(ndf·scale), ndf, ddf) instead (R's NA from saddle).
// R finds the saddlepoint by uniroot to 1e-8; SaddlepointP solves for it
// to machine precision (the p-value is stationary in it to first order).
// NaN as LincomP.
func SaddlepointP(x float64, delta []float64, ddf float64) float64 {
	if math.IsNaN(x) || len(delta) == 0 || !(ddf > 0) || math.IsInf(ddf, 1) {
		return math.NaN()
	}
	for _, v := range delta {
		if math.IsNaN(v) {
			return math.NaN()
		}
	}
	// Satterthwaite, R's starting value and fallback.
	var m1, m2 float64
	for _, a := range delta {
		m1 += a
		m2 += a * a
	}
	k := float64(len(delta))
	m1, m2 = m1/k, m2/k
	tr2 := m2 / (m1 * m1)
	scale, ndf := m1*tr2, k/tr2
	sat := distuv.F{D1: ndf, D2: ddf}.Survival(x / ndf / scale)
	lam := append([]float64(nil), delta...)
	copies := 1 // rep(a, df) only when some df > 1, and it truncates
	if ddf > 1 {
		copies = int(math.Trunc(ddf))
	}
	for range copies {
		lam = append(lam, -x/ddf)
	}
	if s, ok := saddle(lam); ok {
		return s
	}
	return sat
}

// saddle is survey's saddle(0, λ): P(Σ λ_j χ²₁ > 0) by the Lugannani-Rice
// formula at the root ζ̂ of K'(ζ) = Σ λ_j/(1 − 2ζλ_j) = 0, λ scaled by its
// largest value; not ok where |ζ̂| < 1e-4 (R's NA) or there is no bracket.
func saddle(lam []float64) (float64, bool) {
	d := lam[0]
	for _, l := range lam {
		d = math.Max(d, l)
	}
	if !(d > 0) {
		return 0, false
	}
	lmin, lmax := math.Inf(-1), math.Inf(1)
	for i := range lam {
		lam[i] /= d
		l := lam[i]
		if l < 0 {
			lmin = math.Max(lmin, 1/(2*l))
		} else if l > 0 {
			lmax = math.Min(lmax, 1/(2*l))
		}
	}
	if math.IsInf(lmin, -1) {
		return 0, false // all positive: R brackets differently; never so here
	}
	lmin, lmax = lmin*0.99999, lmax*0.99999
	kp := func(z float64) float64 {
		var s float64
		for _, l := range lam {
			s += l / (1 - 2*z*l)
		}
		return s
	}
	lo, hi := lmin, lmax
	if kp(lo) > 0 || kp(hi) < 0 {
		return 0, false
	}
	for range 300 {
		m := (lo + hi) / 2
		if m == lo || m == hi {
			break
		}
		if kp(m) < 0 {
			lo = m
		} else {
			hi = m
		}
	}
	z := (lo + hi) / 2
	if math.Abs(z) < 1e-4 {
		return 0, false
	}
	var k0, kpp float64
	for _, l := range lam {
		k0 -= math.Log(1-2*z*l) / 2
		kpp += 2 * l * l / ((1 - 2*z*l) * (1 - 2*z*l))
	}
	w := math.Copysign(math.Sqrt(2*(-k0)), z)
	v := z * math.Sqrt(kpp)
	return 0.5 * math.Erfc((w+math.Log(v/w)/w)/math.Sqrt2), true // pnorm(…, lower.tail = FALSE)
}
