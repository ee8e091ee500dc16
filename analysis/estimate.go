package analysis

import (
	"math"
)

// Estimate is one design-based estimate with its linearization SE.
type Estimate struct {
	Estimate  float64
	SE        float64
	N         int     // respondents that entered the estimate (unweighted base)
	NDomain   int     // respondents in the domain, answered or not (R's nrow(subset design))
	WeightedN float64 // their summed weights (weighted base)
	DF        int     // degrees of freedom: degf() of the domain (see Design.DegF)
	Deff      float64 // design effect, svymean(..., deff="replace"); NaN when undefined
	CILow     float64
	CIHigh    float64
}

// EffectiveN returns the effective base n/deff (NaN when deff is undefined).
func (e Estimate) EffectiveN() float64 {
	return float64(e.N) / e.Deff
}

// Mean estimates the weighted mean of y over respondents with in[i] true
// (nil: everyone) and y[i] not NaN:
//
//	ŷ = Σ w_i y_i / Σ w_i,  influence z_i = w_i (y_i − ŷ) / Σ w_i
//
// which is svymean(~y, subset(design, in), na.rm=TRUE). DF is the degf of
// the domain in (respondents with a missing y included), as svyciprop's
// default df = degf(design) is taken before na.rm removes them.
// A proportion is the mean of a 0/1 variable. The interval is
// estimate ± t(DF)·SE at level; use PropCI for proportions.
// With no respondent answering, Estimate and SE are NaN.
func (d *Design) Mean(y []float64, in []bool, level float64) Estimate {
	if len(y) != d.n || (in != nil && len(in) != d.n) {
		panic("analysis: length mismatch")
	}
	var sw, swy float64
	n, nd := 0, 0
	for i, v := range y {
		if in != nil && !in[i] {
			continue
		}
		nd++
		if math.IsNaN(v) {
			continue
		}
		sw += d.w[i]
		swy += d.w[i] * v
		n++
	}
	e := Estimate{N: n, NDomain: nd, WeightedN: sw, DF: d.DegF(in), Estimate: math.NaN(), SE: math.NaN(), Deff: math.NaN(), CILow: math.NaN(), CIHigh: math.NaN()}
	if n == 0 {
		return e
	}
	mean := swy / sw
	t := make([]float64, d.NumPSU())
	var sdev2 float64 // Σ w (y-ŷ)², for the design effect
	for i, v := range y {
		if math.IsNaN(v) || (in != nil && !in[i]) {
			continue
		}
		dv := v - mean
		t[d.psu[i]] += d.w[i] * dv / sw
		sdev2 += d.w[i] * dv * dv
	}
	v := d.VarianceFromPSUTotals(t)
	e.Estimate = mean
	e.SE = math.Sqrt(v)
	e.Deff = deffReplace(v, sdev2, sw, n)
	e.CILow, e.CIHigh = MeanCI(mean, e.SE, e.DF, level)
	return e
}

// deffReplace is svymean's deff="replace": the design variance over the
// variance under simple random sampling with replacement of the same n,
// svyvar(y)/n with svyvar = Σw(y−ŷ)²/Σw · n/(n−1).
func deffReplace(v, sdev2, sw float64, n int) float64 {
	if n < 2 {
		return math.NaN()
	}
	vsrs := sdev2 / sw * float64(n) / float64(n-1) / float64(n)
	return v / vsrs
}

// Total estimates Σ w_i y_i over respondents with in[i] true and y[i] not
// NaN (svytotal(~y, subset(design, in), na.rm=TRUE)); influence z_i = w_i y_i.
// The interval is estimate ± t(DF)·SE.
func (d *Design) Total(y []float64, in []bool, level float64) Estimate {
	if len(y) != d.n || (in != nil && len(in) != d.n) {
		panic("analysis: length mismatch")
	}
	t := make([]float64, d.NumPSU())
	var sw, tot float64
	n := 0
	for i, v := range y {
		if math.IsNaN(v) || (in != nil && !in[i]) {
			continue
		}
		sw += d.w[i]
		tot += d.w[i] * v
		t[d.psu[i]] += d.w[i] * v
		n++
	}
	e := Estimate{Estimate: tot, N: n, WeightedN: sw, DF: d.DegF(in), Deff: math.NaN()}
	e.SE = math.Sqrt(d.VarianceFromPSUTotals(t))
	e.CILow, e.CIHigh = MeanCI(tot, e.SE, e.DF, level)
	return e
}

// Ratio estimates R = Σ w y / Σ w x over respondents with in[i] true and
// both y and x answered (svyratio); influence z_i = w_i (y_i − R x_i)/Σ w x.
// The interval is estimate ± t(DF)·SE.
func (d *Design) Ratio(y, x []float64, in []bool, level float64) Estimate {
	if len(y) != d.n || len(x) != d.n || (in != nil && len(in) != d.n) {
		panic("analysis: length mismatch")
	}
	var sy, sx, sw float64
	n := 0
	for i := range y {
		if math.IsNaN(y[i]) || math.IsNaN(x[i]) || (in != nil && !in[i]) {
			continue
		}
		sy += d.w[i] * y[i]
		sx += d.w[i] * x[i]
		sw += d.w[i]
		n++
	}
	e := Estimate{N: n, WeightedN: sw, DF: d.DegF(in), Estimate: math.NaN(), SE: math.NaN(), Deff: math.NaN(), CILow: math.NaN(), CIHigh: math.NaN()}
	if n == 0 || sx == 0 {
		return e
	}
	r := sy / sx
	t := make([]float64, d.NumPSU())
	for i := range y {
		if math.IsNaN(y[i]) || math.IsNaN(x[i]) || (in != nil && !in[i]) {
			continue
		}
		t[d.psu[i]] += d.w[i] * (y[i] - r*x[i]) / sx
	}
	e.Estimate = r
	e.SE = math.Sqrt(d.VarianceFromPSUTotals(t))
	e.CILow, e.CIHigh = MeanCI(r, e.SE, e.DF, level)
	return e
}

// KishEfficiency returns the weighting efficiency (Σw)²/(n·Σw²) of the
// respondents with in[i] true (nil: all), in (0, 1].
func (d *Design) KishEfficiency(in []bool) float64 {
	var s, s2 float64
	n := 0
	for i, w := range d.w {
		if in != nil && !in[i] {
			continue
		}
		s += w
		s2 += w * w
		n++
	}
	if n == 0 {
		return math.NaN()
	}
	return s * s / (float64(n) * s2)
}
