package analysis

import (
	"context"
	"math"
)

// Estimate is one design-based estimate with its linearization SE.
type Estimate struct {
	Estimate  float64
	SE        float64
	N         int     // respondents that entered the estimate (unweighted base)
	NDomain   int     // respondents in the domain, answered or not (R's nrow(subset design))
	WeightedN float64 // summed weights of the N respondents (weighted base)
	DF        int     // degrees of freedom: degf() of the domain (see Design.DegF)
	Deff      float64 // design effect as R's deff="replace"; NaN when undefined
	CILow     float64
	CIHigh    float64
	// wDomain is the summed weight of the domain's respondents, answered
	// or not, where the Estimate's maker knows it (Design.Mean, Crosstab,
	// the analyses); the likelihood interval needs it (see PropCI), and
	// whether the design is calibrated (R's subsets then keep every row).
	wDomain    float64
	calibrated bool
}

// EffectiveN returns the effective base n/deff (NaN when deff is undefined).
func (e Estimate) EffectiveN() float64 {
	return float64(e.N) / e.Deff
}

// undefined returns an Estimate whose statistics are all NaN.
func undefined(n, nd int, sw float64, df int) Estimate {
	nan := math.NaN()
	return Estimate{Estimate: nan, SE: nan, N: n, NDomain: nd, WeightedN: sw, DF: df, Deff: nan, CILow: nan, CIHigh: nan}
}

// Mean estimates the weighted mean of y over respondents with in[i] true
// (nil: everyone) and y[i] not NaN:
//
//	ŷ = Σ w_i y_i / Σ w_i,  influence z_i = w_i (y_i − ŷ) / Σ w_i
//
// which is svymean(~y, subset(design, in), na.rm=TRUE). Deff is
// svymean's deff="replace": V / (s²/n) with s² = Σw(y−ŷ)²/Σw · n/(n−1)
// (svyvar), NaN for n < 2. DF is the degf of the domain in, respondents
// with a missing y included, as svyciprop's default df = degf(design) is
// taken before na.rm removes them. A proportion is the mean of a 0/1
// variable. The interval is ŷ ± t(DF)·SE at level (0.95 for 95%); use
// PropCI or Prop for proportions. With no respondent answering, Estimate,
// SE and the interval are NaN.
//
// Mean is MeanBy with one domain, and goes through the same engine as
// the analyses; on a calibrated design (Calibrate) it residualizes each
// respondent's influence value on the margins, as svyrecvar does for a
// calibrated design, and it is then the building block of the analyses'
// calibrated figures.
func (d *Design) Mean(y []float64, in []bool, level float64) Estimate {
	if len(y) != d.n || (in != nil && len(in) != d.n) {
		panic("analysis: length mismatch")
	}
	if d.cal != nil {
		return d.calibratedMean(y, in, level)
	}
	var e Estimate
	if in == nil {
		e = d.meanAll(y, nil, 0, level)[0]
	} else {
		groups := make([]int32, d.n)
		for i, ok := range in {
			if !ok {
				groups[i] = -1
			}
		}
		e = d.meanAll(y, groups, 1, level)[1]
	}
	return e // with the domain's weights, answered or not, from meanAll
}

// calibratedMean is Mean on a calibrated design: the influence values
// z_i = w_i (y_i − ŷ) / Σw of the domain's respondents, residualized on
// the calibration margins (influenceTotals) before their PSU totals. It
// reads the data twice.
func (d *Design) calibratedMean(y []float64, in []bool, level float64) Estimate {
	var seen []bool // PSUs holding a domain respondent, for DF
	if in != nil {
		seen = make([]bool, d.NumPSU())
	}
	var sw, swy, wd float64
	n, nd := 0, 0
	for i, v := range y {
		if in != nil {
			if !in[i] {
				continue
			}
			seen[d.psu[i]] = true
		}
		nd++
		wd += d.w[i]
		if math.IsNaN(v) {
			continue
		}
		sw += d.w[i]
		swy += d.w[i] * v
		n++
	}
	df := d.NumPSU() - d.NumStrata()
	if in != nil {
		df = d.degfSeen(func(p int) bool { return seen[p] })
	}
	if n == 0 {
		return undefined(0, nd, 0, df)
	}
	mean := swy / sw
	buf := make([]float64, 2*d.NumPSU())         // one allocation: PSU totals and their terms' magnitudes
	t, mag := buf[:d.NumPSU()], buf[d.NumPSU():] // mag: Σ w(|y|+|ŷ|) by PSU, for roundingNoise
	var z []float64                              // influence values, for a calibrated design
	if d.cal != nil {
		z = make([]float64, d.n)
	}
	var sdev2 float64 // Σ w (y−ŷ)², for the design effect
	var top float64   // the largest |y|+|ŷ|
	for i, v := range y {
		if math.IsNaN(v) || (in != nil && !in[i]) {
			continue
		}
		dv := d.w[i] * (v - mean)
		t[d.psu[i]] += dv
		sdev2 += dv * (v - mean)
		a := math.Abs(v) + math.Abs(mean)
		mag[d.psu[i]] += d.w[i] * a
		top = max(top, a)
		if z != nil {
			z[i] = dv
		}
	}
	terms := n
	if z != nil {
		d.cal.residualMagnitude(mag, top, d.w, d.psu)
		terms = d.n
		t = d.influenceTotals(z)
	}
	rows := d.rowStrata(func(i int) bool { return !math.IsNaN(y[i]) && (in == nil || in[i]) })
	v, deff := zeroRounding(d.varianceIn(t, rows)/(sw*sw), d.roundingNoise(mag, terms, rows)/(sw*sw), sdev2/sw, n)
	e := Estimate{Estimate: mean, SE: math.Sqrt(v), N: n, NDomain: nd, WeightedN: sw, DF: df, Deff: deff,
		wDomain: wd, calibrated: true}
	e.CILow, e.CIHigh = MeanCI(mean, e.SE, df, level)
	return e
}

// Prop is Mean of a 0/1 variable with the interval of PropCI(e, m, level).
func (d *Design) Prop(y []float64, in []bool, m CIMethod, level float64) Estimate {
	e := d.Mean(y, in, level)
	e.CILow, e.CIHigh = PropCI(e, m, level)
	return e
}

// deffReplace is svymean's deff="replace": the design variance v over the
// variance of a mean under simple random sampling with replacement of the
// same n, svyvar(y)/n, where svyvar = s2·n/(n−1) and s2 = Σw(y−ŷ)²/Σw.
func deffReplace(v, s2 float64, n int) float64 {
	if n < 2 {
		return math.NaN()
	}
	return v / (s2 / float64(n-1))
}

// domainGroup holds one domain's sums from MeanBy's single pass.
type domainGroup struct {
	shift, sw, swd, swd2 float64
	n, nd                int
	started              bool
}

// MeanBy estimates the mean of y in each of nGroups domains at once:
// groups[i] in 0..nGroups-1 puts respondent i in that domain and -1
// leaves it out. Element g of the result equals
// Mean(y, in_g, level) with in_g[i] = groups[i] == g (svyby(~y, ~g,
// design, svymean, na.rm=TRUE, deff="replace")), up to rounding.
//
// It is the analyses' own engine (the one Describe, Paradox and the
// banner use, see engine) with one grouping, as is Mean: it reads the
// data once, and the groups once more for their degrees of freedom, and
// its memory grows with
// NumPSU × nGroups, not with the respondents: per (PSU, domain) it keeps
// Σw and Σw(y − c_g),
// where the shift c_g is the domain's first answer, so that
//
//	ŷ_g = c_g + Σw(y−c_g)/Σw,  t_pg = (Σ_p w(y−c_g) − (ŷ_g−c_g) Σ_p w) / Σw
//
// stays accurate when the mean is large relative to the spread. It panics
// when a code is outside −1..nGroups−1.
func (d *Design) MeanBy(y []float64, groups []int32, nGroups int, level float64) []Estimate {
	if len(y) != d.n || len(groups) != d.n {
		panic("analysis: length mismatch")
	}
	if d.cal != nil {
		return d.meanByDomains(y, groups, nGroups, level)
	}
	return d.meanAll(y, groups, nGroups, level)[1:]
}

// meanAll is the engine's estimates of the mean of y in the total
// (element 0) and, with groups, in each of the nGroups domains: the one
// path of Mean and MeanBy on an uncalibrated design. It goes respondent
// by respondent (sumEach): cross cells pay for themselves over several
// variables or calls sharing a Cache, not for one variable once.
func (d *Design) meanAll(y []float64, groups []int32, nGroups int, level float64) []Estimate {
	e := newEngine(context.Background(), d, nil)
	e.c.th.fusedMinRun = math.MaxInt32
	var codes [][]int32
	var nLevels []int
	if groups != nil {
		codes, nLevels = [][]int32{groups}, []int{nGroups}
	}
	sums := e.sumAllMulti([]vec{floats(y)}, codes, nLevels, nil)[0] // checks the codes
	defer sums.release(e)
	df := []int{d.DegF(nil)}
	if groups != nil {
		df = append(df, e.levelDegF(groups, nGroups, nil)...)
	}
	out := sums.estimates(d, df, level)
	// Each domain's weight, answered or not, for the likelihood interval
	// (see PropCI).
	for i, w := range d.w {
		out[0].wDomain += w
		if groups != nil && groups[i] >= 0 {
			out[1+groups[i]].wDomain += w
		}
	}
	return out
}

// finishGroup is the estimate of one group whose mean has variance v,
// 0 when within noise, the variance rounding alone could leave.
func finishGroup(st *domainGroup, level float64, df int, v, noise float64) Estimate {
	if st.n == 0 {
		return undefined(0, st.nd, 0, df)
	}
	delta := st.swd / st.sw
	mean := st.shift + delta
	sdev2 := math.Max(st.swd2-st.swd*delta, 0)
	v, deff := zeroRounding(v, noise, sdev2/st.sw, st.n)
	e := Estimate{Estimate: mean, SE: math.Sqrt(v), N: st.n, NDomain: st.nd, WeightedN: st.sw, DF: df, Deff: deff}
	e.CILow, e.CIHigh = MeanCI(mean, e.SE, df, level)
	return e
}

// Total estimates Σ w_i y_i over respondents with in[i] true (nil:
// everyone) and y[i] not NaN (svytotal(~y, subset(design, in),
// na.rm=TRUE)); influence z_i = w_i y_i. Deff is svytotal's
// deff="replace": V / (s²·(Σw)²/n) = V(n−1) / (Σw(y−ȳ)²·Σw), with ȳ the
// weighted mean. The interval is estimate ± t(DF)·SE, DF the degf of the
// domain. With no respondent answering the total is 0 with SE 0.
func (d *Design) Total(y []float64, in []bool, level float64) Estimate {
	if len(y) != d.n || (in != nil && len(in) != d.n) {
		panic("analysis: length mismatch")
	}
	t := make([]float64, d.NumPSU())
	var seen []bool
	if in != nil {
		seen = make([]bool, d.NumPSU())
	}
	var sw, tot float64
	n, nd := 0, 0
	for i, v := range y {
		if in != nil {
			if !in[i] {
				continue
			}
			seen[d.psu[i]] = true
		}
		nd++
		if math.IsNaN(v) {
			continue
		}
		sw += d.w[i]
		tot += d.w[i] * v
		t[d.psu[i]] += d.w[i] * v
		n++
	}
	mag := make([]float64, d.NumPSU()) // Σ w|y| by PSU, for roundingNoise
	var top float64
	for i, v := range y {
		if !math.IsNaN(v) && (in == nil || in[i]) {
			mag[d.psu[i]] += d.w[i] * math.Abs(v)
			top = max(top, math.Abs(v))
		}
	}
	terms := n
	if d.cal != nil {
		z := make([]float64, d.n)
		for i, v := range y {
			if !math.IsNaN(v) && (in == nil || in[i]) {
				z[i] = d.w[i] * v
			}
		}
		d.cal.residualMagnitude(mag, top, d.w, d.psu)
		terms = d.n
		t = d.influenceTotals(z)
	}
	df := d.NumPSU() - d.NumStrata()
	if in != nil {
		df = d.degfSeen(func(p int) bool { return seen[p] })
	}
	e := Estimate{Estimate: tot, N: n, NDomain: nd, WeightedN: sw, DF: df, Deff: math.NaN()}
	rows := d.rowStrata(func(i int) bool { return !math.IsNaN(y[i]) && (in == nil || in[i]) })
	v := d.varianceIn(t, rows)
	if n > 0 {
		mean := tot / sw
		var sdev2 float64
		for i, x := range y {
			if math.IsNaN(x) || (in != nil && !in[i]) {
				continue
			}
			sdev2 += d.w[i] * (x - mean) * (x - mean)
		}
		v, e.Deff = zeroRounding(v, d.roundingNoise(mag, terms, rows), sdev2*sw, n)
	}
	e.SE = math.Sqrt(v)
	e.CILow, e.CIHigh = MeanCI(tot, e.SE, df, level)
	return e
}

// Ratio estimates R = Σ w y / Σ w x over respondents with in[i] true
// (nil: everyone) and both y and x answered (svyratio(~y, ~x,
// subset(design, in), na.rm=TRUE)); influence z_i = w_i r_i with
// r_i = (y_i − R x_i)/Σ w x. Deff is svyratio's deff="replace", the total
// of r's: V(n−1) / (Σw(r−r̄)²·Σw). The interval is R ± t(DF)·SE, DF the
// degf of the domain. With no respondent answering or Σ w x = 0 the
// statistics are NaN.
func (d *Design) Ratio(y, x []float64, in []bool, level float64) Estimate {
	if len(y) != d.n || len(x) != d.n || (in != nil && len(in) != d.n) {
		panic("analysis: length mismatch")
	}
	var seen []bool
	if in != nil {
		seen = make([]bool, d.NumPSU())
	}
	var sy, sx, sw float64
	n, nd := 0, 0
	for i := range y {
		if in != nil {
			if !in[i] {
				continue
			}
			seen[d.psu[i]] = true
		}
		nd++
		if math.IsNaN(y[i]) || math.IsNaN(x[i]) {
			continue
		}
		sy += d.w[i] * y[i]
		sx += d.w[i] * x[i]
		sw += d.w[i]
		n++
	}
	df := d.NumPSU() - d.NumStrata()
	if in != nil {
		df = d.degfSeen(func(p int) bool { return seen[p] })
	}
	if n == 0 || sx == 0 {
		return undefined(n, nd, sw, df)
	}
	r := sy / sx
	t := make([]float64, d.NumPSU())
	var swr, swr2 float64
	for i := range y {
		if math.IsNaN(y[i]) || math.IsNaN(x[i]) || (in != nil && !in[i]) {
			continue
		}
		ri := (y[i] - r*x[i]) / sx
		t[d.psu[i]] += d.w[i] * ri
		swr += d.w[i] * ri
		swr2 += d.w[i] * ri * ri
	}
	if d.cal != nil {
		z := make([]float64, d.n)
		for i := range y {
			if !math.IsNaN(y[i]) && !math.IsNaN(x[i]) && (in == nil || in[i]) {
				z[i] = d.w[i] * (y[i] - r*x[i]) / sx
			}
		}
		t = d.influenceTotals(z)
	}
	v := d.varianceIn(t, d.rowStrata(func(i int) bool { return !math.IsNaN(y[i]) && !math.IsNaN(x[i]) && (in == nil || in[i]) }))
	e := Estimate{Estimate: r, SE: math.Sqrt(v), N: n, NDomain: nd, WeightedN: sw, DF: df}
	e.Deff = deffReplace(v, (swr2-swr*swr/sw)*sw, n)
	e.CILow, e.CIHigh = MeanCI(r, e.SE, df, level)
	return e
}

// KishEfficiency returns the weighting efficiency (Σw)²/(n·Σw²) of the
// respondents with in[i] true (nil: all), in (0, 1]; NaN when there are
// none. n times it is Kish's effective sample size.
func (d *Design) KishEfficiency(in []bool) float64 {
	if in != nil && len(in) != d.n {
		panic("analysis: length mismatch")
	}
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
