package analysis

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"
)

// CIMethod selects the confidence interval for a proportion, as
// svyciprop's method argument.
type CIMethod int

const (
	// CILogit is svyciprop(method="logit"): the Wald interval on the logit
	// scale, expit(logit(p) ± t(df)·SE/(p(1−p))).
	CILogit CIMethod = iota
	// CIBeta is svyciprop(method="beta"), Korn and Graubard's interval.
	CIBeta
	// CIWald is p ± t(df)·SE (svyciprop(method="mean")).
	CIWald
	// CIXLogit is svyciprop(method="xlogit"): the interval of
	// svycontrast(p, log(p/(1−p))) mapped back by expit, which is the
	// logit interval's formula; at p = 0 or 1 it is null (R: NaN).
	CIXLogit
	// CIAsin is svyciprop(method="asin"): sin²(asin(√p) ± t(df)·SE/(2√(p(1−p)))),
	// with the arcsine-scale limits kept within [0, π/2] (R lets them
	// run past, and sin² folds them back inside the interval); at p = 0 or
	// 1 it is null (R: NaN).
	CIAsin
	// CILikelihood is svyciprop(method="likelihood"): the limits where
	// the profile of svyglm(y ~ 1, family = quasibinomial)'s deviance,
	// scaled by its dispersion, reaches t(df)²·λ (confint.svyglm's
	// rescaled likelihood ratio), found exactly where R interpolates a
	// spline through a grid; see PropCI.
	CILikelihood
)

// ParseCIMethod reads logit, beta, wald ("mean", R's name, is
// accepted), xlogit, asin or likelihood.
func ParseCIMethod(s string) (CIMethod, error) {
	switch s {
	case "", "logit":
		return CILogit, nil
	case "beta":
		return CIBeta, nil
	case "wald", "mean":
		return CIWald, nil
	case "xlogit":
		return CIXLogit, nil
	case "asin":
		return CIAsin, nil
	case "likelihood":
		return CILikelihood, nil
	}
	return CILogit, fmt.Errorf("ci method: unknown method %q (want logit, beta, wald (mean), xlogit, asin or likelihood)", s)
}

// String returns the method's name.
func (m CIMethod) String() string {
	switch m {
	case CILogit:
		return "logit"
	case CIBeta:
		return "beta"
	case CIWald:
		return "wald"
	case CIXLogit:
		return "xlogit"
	case CIAsin:
		return "asin"
	case CILikelihood:
		return "likelihood"
	}
	return "CIMethod(" + strconv.Itoa(int(m)) + ")"
}

// TQuantile returns the p quantile of Student's t with df degrees of
// freedom, NaN when df <= 0 (as R's qt).
func TQuantile(p float64, df int) float64 {
	if df <= 0 {
		return math.NaN()
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(p)
}

// MeanCI returns est ± t(df)·se at the given level (0.95 for 95%), R's
// confint(svymean(...), df=df). Both bounds are NaN when df <= 0.
func MeanCI(est, se float64, df int, level float64) (lo, hi float64) {
	q := TQuantile(0.5+level/2, df)
	return est - q*se, est + q*se
}

// PropCI returns the interval for the proportion e.Estimate with standard
// error e.SE, as svyciprop(~y, subset(design, in), method, level,
// na.rm=TRUE) does with its default df = degf(domain) = e.DF:
//
//   - logit: expit(logit(p) ± t(df)·SE/(p(1−p))), the Wald interval of the
//     intercept of svyglm(y ~ 1, family=quasibinomial), whose
//     linearization SE is SE(p)/(p(1−p));
//   - beta: Korn and Graubard: with n* = p(1−p)/SE² ·
//     (t_{α/2}(NDomain−1)/t_{α/2}(df))², where NDomain is nrow of the
//     domain's design (missing answers included, as R uses nrow(design)),
//     the bounds are qbeta(α/2, n*·p, n*(1−p)+1) and
//     qbeta(1−α/2, n*·p+1, n*(1−p));
//   - wald: p ± t(df)·SE;
//   - xlogit and asin: see CIXLogit and CIAsin;
//   - likelihood: the μ on either side of p where
//     KL(p‖μ) = p·log(p/μ) + (1−p)·log((1−p)/(1−μ)) = t(df)²·SE²·φ/(2p(1−p)),
//     φ = c·W/(N−1) and c = NDomain/W_domain (on a calibrated design,
//     whose subsets keep every row, φ = W·N/((N−1)·W_domain), R's
//     svyvar of the residuals there): svyglm's deviance profile
//     2cW·KL over its dispersion φ (svyvar of its Pearson residuals) set
//     to confint.svyglm's cutoff t²·λ, λ = SE²·cW/(p(1−p)) the design
//     variance of logit(p) over the model's; c is svyglm's rescaling of
//     the weights to mean 1 over the domain's rows, answered or not
//     (W_domain their weights, known to Estimates from Design.Mean,
//     MeanBy, Crosstab and the analyses; NaN for others). R interpolates the root in a spline
//     through nine profile points a side (about 1e-6 off, and NA where
//     the grid falls short); PropCI solves for it. NaN at p = 0 or 1
//     (R: an error or NaN) or N < 2.
//
// At p = 0 or 1 the SE is 0: the logit and wald intervals collapse to p
// and the beta interval is NaN, both as in R. Every bound is NaN when
// df <= 0 or p is NaN.
func PropCI(e Estimate, m CIMethod, level float64) (lo, hi float64) {
	p, se := e.Estimate, e.SE
	nan := math.NaN()
	if math.IsNaN(p) || e.DF <= 0 {
		return nan, nan
	}
	alpha := 1 - level
	switch m {
	case CIWald:
		return MeanCI(p, se, e.DF, level)
	case CIBeta:
		if p <= 0 || p >= 1 || se == 0 || e.NDomain < 2 {
			return nan, nan
		}
		neff := p * (1 - p) / (se * se)
		r := TQuantile(alpha/2, e.NDomain-1) / TQuantile(alpha/2, e.DF)
		neff *= r * r
		lo = distuv.Beta{Alpha: neff * p, Beta: neff*(1-p) + 1}.Quantile(alpha / 2)
		hi = distuv.Beta{Alpha: neff*p + 1, Beta: neff * (1 - p)}.Quantile(1 - alpha/2)
		return lo, hi
	case CIXLogit:
		if p <= 0 || p >= 1 {
			return nan, nan
		}
		l := math.Log(p / (1 - p))
		s := se / (p * (1 - p))
		q := TQuantile(0.5+level/2, e.DF)
		return expit(l - q*s), expit(l + q*s)
	case CIAsin:
		if p <= 0 || p >= 1 {
			return nan, nan
		}
		a := math.Asin(math.Sqrt(p))
		s := se / (2 * math.Sqrt(p*(1-p)))
		q := TQuantile(0.5+level/2, e.DF)
		l, h := max(a-q*s, 0), min(a+q*s, math.Pi/2)
		return math.Pow(math.Sin(l), 2), math.Pow(math.Sin(h), 2)
	case CILikelihood:
		if p <= 0 || p >= 1 || e.N < 2 || !(e.wDomain > 0) {
			return nan, nan
		}
		// R's dispersion is svyvar of svyglm's Pearson residuals, whose
		// weights are rescaled to mean 1 over the domain's design rows:
		// NDomain of them on an uncalibrated design, but on a calibrated
		// one the subset keeps every row (at weight 0) and drops none of
		// the missing answers, so only the N answers count.
		phi := float64(e.NDomain) / e.wDomain * e.WeightedN / float64(e.N-1)
		if e.calibrated {
			phi = e.WeightedN / e.wDomain * float64(e.N) / float64(e.N-1)
		}
		q := TQuantile(0.5+level/2, e.DF)
		k := q * q * se * se * phi / (2 * p * (1 - p))
		return klRoot(p, k, -1), klRoot(p, k, 1)
	case CILogit:
		if p <= 0 || p >= 1 {
			return p, p
		}
		l := math.Log(p / (1 - p))
		s := se / (p * (1 - p))
		q := TQuantile(0.5+level/2, e.DF)
		return expit(l - q*s), expit(l + q*s)
	}
	panic("analysis: unknown CIMethod")
}

func expit(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// klRoot returns the μ below p (side −1) or above it (side 1) where
// KL(p‖μ) = k, for 0 < p < 1 and k ≥ 0, by bisection on the logit scale
// (KL grows without bound either side of p).
func klRoot(p, k float64, side float64) float64 {
	kl := func(b float64) float64 {
		mu := expit(b)
		return p*math.Log(p/mu) + (1-p)*math.Log((1-p)/(1-mu))
	}
	b0 := math.Log(p / (1 - p))
	if !(k > 0) {
		return p
	}
	lo, hi := b0, b0+side
	for kl(hi) < k {
		lo, hi = hi, b0+2*(hi-b0)
		if math.Abs(hi-b0) > 1e3 {
			return expit(hi)
		}
	}
	for range 200 {
		m := (lo + hi) / 2
		if m == lo || m == hi {
			break
		}
		if kl(m) < k {
			lo = m
		} else {
			hi = m
		}
	}
	return expit((lo + hi) / 2)
}
