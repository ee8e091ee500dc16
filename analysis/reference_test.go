package analysis

import (
	"math"
)

// The reference estimator: a plain transcription of R's svymean on a
// domain and svyrecvar for one stage, against which the engine's paths
// (sumEach, sumCross, sumCoded into PSU cells or into psuMoments, shared
// subsets, Design.Mean and MeanBy) are checked by
// TestEngineMatchesReference. It reads the raw DesignSpec, not the
// Design, so that it shares none of the engine's bookkeeping: no dense
// PSU numbering, no shifts, no moments, no caches.

// refEstimate is the reference's figures for one domain.
type refEstimate struct {
	est, se, wn, deff float64
	n, nd, df         int
}

// refDesign is a DesignSpec read plainly: each respondent's stratum and
// PSU, each stratum's PSUs and its factor 1 − n_h/N_h.
type refDesign struct {
	n       int
	w       []float64
	stratum []int32
	psu     []int32
	psus    map[int32]map[int32]bool // stratum → its PSUs
	f       map[int32]float64        // stratum → 1 − n_h/N_h
	lonely  LonelyPSU
}

func newRefDesign(n int, spec DesignSpec) *refDesign {
	r := &refDesign{n: n, w: spec.Weights, stratum: spec.Strata, psu: spec.PSU, lonely: spec.Lonely,
		psus: map[int32]map[int32]bool{}, f: map[int32]float64{}}
	if r.w == nil {
		r.w = make([]float64, n)
		for i := range r.w {
			r.w[i] = 1
		}
	}
	if r.stratum == nil {
		r.stratum = make([]int32, n)
	}
	if r.psu == nil {
		r.psu = make([]int32, n)
		for i := range r.psu {
			r.psu[i] = int32(i)
		}
	}
	popsize := false
	for _, v := range spec.FPC {
		popsize = popsize || v > 1
	}
	for i := 0; i < n; i++ {
		h := r.stratum[i]
		if r.psus[h] == nil {
			r.psus[h] = map[int32]bool{}
		}
		r.psus[h][r.psu[i]] = true
	}
	for i := 0; i < n; i++ {
		h := r.stratum[i]
		if _, ok := r.f[h]; ok {
			continue
		}
		r.f[h] = 1
		if spec.FPC != nil {
			nh := float64(len(r.psus[h]))
			pop := spec.FPC[i]
			if !popsize {
				pop = nh / spec.FPC[i]
			}
			if !math.IsInf(pop, 1) {
				r.f[h] = (pop - nh) / pop
			}
		}
	}
	return r
}

// variance is svyrecvar for one stage of influence values z: in each
// stratum, (1 − f_h)·n_h/(n_h − 1)·Σ (t_hj − t̄_h)² over its PSU totals
// t_hj; a stratum with a single PSU per survey.lonely.psu (adjust: its
// total about 0, scaled by 1 − f_h; remove, certainty: nothing); a
// stratum with 1 − f_h below 1e-7 nothing (onestrat).
func (r *refDesign) variance(z []float64) float64 {
	type key struct{ h, p int32 }
	t := map[key]float64{}
	for i, x := range z {
		t[key{r.stratum[i], r.psu[i]}] += x
	}
	var v float64
	for h, ps := range r.psus {
		nh := float64(len(ps))
		if r.f[h] < 1e-7 {
			continue
		}
		if len(ps) == 1 {
			if r.lonely == LonelyAdjust {
				for p := range ps {
					v += r.f[h] * t[key{h, p}] * t[key{h, p}]
				}
			}
			continue
		}
		var mean float64
		for p := range ps {
			mean += t[key{h, p}]
		}
		mean /= nh
		var ss float64
		for p := range ps {
			d := t[key{h, p}] - mean
			ss += d * d
		}
		v += r.f[h] * nh / (nh - 1) * ss
	}
	return v
}

// mean is svymean(~y, subset(design, in), na.rm = TRUE, deff = "replace")
// with degf(subset(design, in)) as DF: influence w_i(y_i − ŷ)/Σw for the
// domain's respondents who answered, 0 for everyone else.
func (r *refDesign) mean(y []float64, in func(i int) bool) refEstimate {
	var e refEstimate
	var sw, swy float64
	type key struct{ h, p int32 }
	seen := map[key]bool{}
	strata := map[int32]bool{}
	for i := 0; i < r.n; i++ {
		if !in(i) {
			continue
		}
		e.nd++
		seen[key{r.stratum[i], r.psu[i]}] = true
		strata[r.stratum[i]] = true
		if math.IsNaN(y[i]) {
			continue
		}
		e.n++
		sw += r.w[i]
		swy += r.w[i] * y[i]
	}
	e.df = len(seen) - len(strata)
	e.wn = sw
	if e.n == 0 {
		e.est, e.se, e.deff = math.NaN(), math.NaN(), math.NaN()
		return e
	}
	e.est = swy / sw
	z := make([]float64, r.n)
	var s2 float64
	for i := 0; i < r.n; i++ {
		if in(i) && !math.IsNaN(y[i]) {
			z[i] = r.w[i] * (y[i] - e.est) / sw
			s2 += r.w[i] * (y[i] - e.est) * (y[i] - e.est)
		}
	}
	rows := func(i int) bool { return in(i) && !math.IsNaN(y[i]) }
	f := r.averageFactor(rows)
	v := r.variance(z) * f
	e.se = math.Sqrt(v)
	e.deff = math.NaN()
	if e.n >= 2 {
		e.deff = v / (s2 / sw / float64(e.n-1))
	}
	mag := make([]float64, r.n)
	for i := 0; i < r.n; i++ {
		if in(i) && !math.IsNaN(y[i]) {
			mag[i] = r.w[i] * (math.Abs(y[i]) + math.Abs(e.est)) / sw
		}
	}
	if v <= r.noise(mag, e.n)*f {
		// trustgap's convention (rounding.go), not R's: a variance no
		// larger than the rounding of the PSU totals could leave is 0.
		e.se, e.deff = 0, 0
	}
	return e
}

// noise is the variance rounding alone could leave in PSU totals whose
// terms have absolute values mag (rounding.go): the design's scales times
// Σ (e·Σ_p mag)², e = roundingSlack·√(n+4) ulps.
func (r *refDesign) noise(mag []float64, n int) float64 {
	type key struct{ h, p int32 }
	t := map[key]float64{}
	for i, x := range mag {
		t[key{r.stratum[i], r.psu[i]}] += x
	}
	e := roundingSlack * math.Sqrt(float64(n)+4) * 0x1p-52
	var v float64
	for h, ps := range r.psus {
		nh := float64(len(ps))
		if r.f[h] < 1e-7 || (len(ps) == 1 && r.lonely != LonelyAdjust) {
			continue
		}
		s := r.f[h]
		if len(ps) > 1 {
			s *= nh / (nh - 1)
		}
		for p := range ps {
			v += s * (e * t[key{h, p}]) * (e * t[key{h, p}])
		}
	}
	return v
}

// diffVariance is the variance of the difference of the means of y in
// domains a and b: the influence of a minus that of b.
func (r *refDesign) diffVariance(y []float64, a, b func(i int) bool) float64 {
	ea, eb := r.mean(y, a), r.mean(y, b)
	z := make([]float64, r.n)
	for i := 0; i < r.n; i++ {
		if math.IsNaN(y[i]) {
			continue
		}
		if a(i) && ea.n > 0 {
			z[i] += r.w[i] * (y[i] - ea.est) / ea.wn
		}
		if b(i) && eb.n > 0 {
			z[i] -= r.w[i] * (y[i] - eb.est) / eb.wn
		}
	}
	return r.variance(z) * r.averageFactor(func(i int) bool { return !math.IsNaN(y[i]) && (a(i) || b(i)) })
}

// averageFactor is R's onestage factor under survey.lonely.psu =
// "average" for an estimate whose rows (the subset design's) are the
// respondents with rows(i): the number of strata holding a row over the
// number of those not lonely (variance already leaves lonely strata out,
// as remove does). 1 under the other rules.
func (r *refDesign) averageFactor(rows func(i int) bool) float64 {
	if r.lonely != LonelyAverage {
		return 1
	}
	strata := map[int32]bool{}
	for i := 0; i < r.n; i++ {
		if rows(i) {
			strata[r.stratum[i]] = true
		}
	}
	ok := 0
	for h := range strata {
		if len(r.psus[h]) > 1 || r.f[h] < 1e-7 {
			ok++
		}
	}
	if len(strata) == 0 {
		return 1
	}
	return float64(len(strata)) / float64(ok)
}
