package analysis

// deffRounding is the design effect below which a variance is taken for
// rounding of PSU totals that are exactly zero: a domain whose answers all
// sit in one PSU, or a statistic that calibration fixes. Its influence
// totals cancel to about 1e-17 of their terms (less once moments are
// expanded), which leaves a deff of 1e-16 or so where R's exact value is
// 0 and its effective base n/deff infinite (null in JSON). A genuine
// deff is never within many orders of magnitude of it.
const deffRounding = 1e-9

// zeroRounding returns the variance v and its design effect as R's
// deff = "replace" (v over the SRS variance s2/(n−1), see deffReplace),
// both 0 when the design effect is at rounding level.
func zeroRounding(v, s2 float64, n int) (float64, float64) {
	deff := deffReplace(v, s2, n)
	if deff < deffRounding {
		return 0, 0
	}
	return v, deff
}
