package analysis

import "math"

// Standard errors at rounding level. A domain whose answers all sit in one
// PSU, or a statistic that calibration fixes (the total of a margin), has
// PSU totals of its influence values that are exactly 0; computed, they
// are the rounding of their terms, about 1e-16 of the terms' magnitude,
// and leave an SE of that order where R's exact value is 0 (and its
// effective base n/deff infinite, null in JSON). R itself prints the same
// noise (svymean gives 5.6e-17 for such a domain). trustgap's convention:
// a variance no larger than the one the rounding of the PSU totals alone
// could leave is 0, and so is its design effect. The test is relative to
// the magnitude of each PSU total's terms (Σ|w·(y − ŷ)| and the like), not
// to the design effect: a domain whose PSU means differ by 1e-5 of its
// values has a deff near 1e-11 and a genuine SE, R's, which is kept.

// roundingSlack is how many units in the last place, times √(n+4) for n
// terms (rounding errors add up as √n in practice), a PSU total may be off
// by rounding alone; generous, since a genuine SE sits orders of
// magnitude above it (an SE of 1e-10 of the values' scale would need PSU
// means alike to 10 digits).
const roundingSlack = 64

// roundingNoise is the variance the rounding of PSU totals alone could
// leave: the design's between-PSU sum of squares (VarianceFromPSUTotals'
// stratum scales, and lonely-PSU averaging's factor for the strata
// present) of the largest rounding error of each PSU total, whose terms
// have absolute values summing to mag[p] over n terms in all.
func (d *Design) roundingNoise(mag []float64, n int, present func(h int) bool) float64 {
	e := roundingSlack * math.Sqrt(float64(n)+4) * 0x1p-52
	var v float64
	for h, s := range d.scale {
		if s == 0 {
			continue
		}
		for _, m := range mag[d.psuStart[h]:d.psuStart[h+1]] {
			v += s * (e * m) * (e * m)
		}
	}
	if d.averaging() {
		v *= d.lonelyFactor(present)
	}
	return v
}

// maxScale is the largest of the design's stratum scales (for a noise
// bound from one magnitude for all PSUs), times lonely-PSU averaging's
// largest factor (every stratum present).
func (d *Design) maxScale() float64 {
	var s float64
	for _, x := range d.scale {
		s = max(s, x)
	}
	if d.averaging() {
		s *= d.lonelyFactor(allStrata)
	}
	return s
}

// zeroRounding returns the variance v and its design effect as R's
// deff = "replace" (v over the SRS variance s2/(n−1), see deffReplace),
// both 0 when v is within noise, the variance rounding alone could leave
// (see roundingNoise); the design effect stays undefined (NaN) where R's
// is: fewer than 2 answers, or no spread at all.
func zeroRounding(v, noise, s2 float64, n int) (float64, float64) {
	if !(v <= noise) { // NaN stays NaN
		return v, deffReplace(v, s2, n)
	}
	if n < 2 || s2 == 0 {
		return 0, math.NaN()
	}
	return 0, 0
}
