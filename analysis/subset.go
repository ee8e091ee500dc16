package analysis

// answeredDegF is degf(subset(design, !is.na(y))): the PSUs holding a
// respondent who answered y, less the strata holding one. compare's
// Rao-Scott test of a domain variable against a 0/1 statistic is
// svychisq(~region + y, subset(design, !is.na(y))), whose denominator
// degrees of freedom count only those PSUs: a region where nobody is in
// the statistic's base drops out of the table and out of ν alike.
func (d *Design) answeredDegF(y vec) int {
	seen := make([]bool, d.NumPSU())
	y.blocks(d.n, func(from int, b []float64) {
		for j, v := range b {
			if v == v {
				seen[d.psu[from+j]] = true
			}
		}
	})
	return d.degfSeen(func(p int) bool { return seen[p] })
}
