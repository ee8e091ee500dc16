package analysis

import "math"

// RestTest is a banner column against the rest of the sample: the
// respondents with another level of the same domain variable (those with
// the variable missing are in neither group), as Compare's Comparison.
// Difference is the column's mean minus the rest's, SE its linearization
// SE (Design.DiffMeans' formula: the slope of svyglm(y ~ I(var == level),
// design) and its SE), P the two-sided t test on DF = degf(design), the
// whole design's degrees of freedom since the two groups together span the
// sample (Compare's convention). Direction is "+" or "-" when P is below
// 1 − Level, else "". This is the test behind ▲/▼ against Total: the Total
// holds the column itself, so the column is set against everyone else
// rather than against a figure it is part of.
//
// Tested is false for the Total column and for a column not tested (no
// answers in it or in the rest, or a base below Options.MinBase); the
// other fields are then zero.
type RestTest struct {
	Tested     bool
	Difference float64
	SE         float64
	P          float64
	DF         int
	Direction  string
}

// restTest finishes a column's contrast with the rest into its test.
func restTest(diff, v float64, df int, level float64) RestTest {
	se := math.Sqrt(v)
	rt := RestTest{Tested: true, Difference: diff, SE: se, DF: df, P: TTestP(diff, se, df)}
	if rt.P < 1-level {
		rt.Direction = "+"
		if diff < 0 {
			rt.Direction = "-"
		}
	}
	return rt
}

// restContrast is level c of a grouping (at position pos of a PSU's row)
// against the grouping's other levels: the influence total of PSU p is
//
//	z_p = Σ_l α_l·Σw(y − shift_l) + β_l·Σw
//
// over the grouping's levels l (its cells of PSU p), with, for the level
// itself, α = 1/W_c and β = −(m_c − shift_c)/W_c and, for every other
// level, α = −1/W_R and β = −(shift_l − m_R)/W_R (W and m the groups'
// weight totals and means): the influence of m_c − m_R, as in
// cellSums.contrast, written on the shifted sums so that no digits go
// to the shifts.
type restContrast struct {
	pos, off    int
	alpha, beta []float64
	diff        float64
}

// restContrasts lists the contrast of every level of every grouping with
// the grouping's other levels; a level with no answers, or whose rest has
// none, has none.
func (a *allSums) restContrasts() []restContrast {
	var out []restContrast
	for _, g := range a.groupings[1:] {
		L := len(g.gs)
		for c := range g.gs {
			st := &g.gs[c]
			// The rest's sums added up from its own levels rather than
			// as the grouping's less the column's, which would lose the
			// digits of a small rest beside a large column.
			var wr, swr float64
			for l := range g.gs {
				if l != c {
					wr += g.gs[l].sw
					swr += g.gs[l].swd + g.gs[l].shift*g.gs[l].sw
				}
			}
			if st.sw <= 0 || wr <= 0 {
				continue
			}
			mr := swr / wr
			dc := st.swd / st.sw
			rc := restContrast{pos: g.off + c, off: g.off, alpha: make([]float64, L), beta: make([]float64, L),
				diff: st.shift + dc - mr}
			for l := range g.gs {
				if l == c {
					rc.alpha[l], rc.beta[l] = 1/st.sw, -dc/st.sw
					continue
				}
				rc.alpha[l], rc.beta[l] = -1/wr, -(g.gs[l].shift-mr)/wr
			}
			out = append(out, rc)
		}
	}
	return out
}

// restVariances returns the variance of each contrast of restContrasts:
// VarianceFromPSUTotals of its influence totals z_p, stratum by stratum,
// from the PSUs' cells or, for sums kept as psuMoments, from their
// products (pairs must be those the sums were made with, and hold every
// two levels of each grouping, as the banner's do).
func (a *allSums) restVariances(d *Design, rc []restContrast, pairs [][2]int) []float64 {
	v := make([]float64, len(rc))
	if len(rc) == 0 {
		return v
	}
	size := a.groupings[0].stride
	if d.averaging() {
		// A level against the rest of its grouping: the rows are those
		// answering in any of the grouping's levels.
		defer func() {
			for k := range rc {
				r := &rc[k]
				v[k] *= d.lonelyFactor(a.cellStrata(d, func(row []sumCell) bool {
					for _, c := range row[r.off : r.off+len(r.alpha)] {
						if c.sw > 0 {
							return true
						}
					}
					return false
				}))
			}
		}()
	}
	if a.moments != nil {
		a.restMomentVariances(d, rc, pairs, v)
		return v
	}
	cells := a.groupings[0].cells
	sz, szz := make([]float64, len(rc)), make([]float64, len(rc))
	zOf := func(k int, row []sumCell) float64 {
		r := &rc[k]
		var z float64
		for l, c := range row[r.off : r.off+len(r.alpha)] {
			z += r.alpha[l]*c.swd + r.beta[l]*c.sw
		}
		return z
	}
	for h, s := range d.scale {
		if s == 0 {
			continue
		}
		lo, hi := d.psuStart[h], d.psuStart[h+1]
		clear(sz)
		clear(szz)
		// Two passes, as variances: the stratum's mean, then the
		// deviations from it.
		if d.center[h] {
			for p := lo; p < hi; p++ {
				row := cells[p*size : (p+1)*size]
				for k := range rc {
					sz[k] += zOf(k, row)
				}
			}
			for k := range sz {
				sz[k] /= float64(hi - lo)
			}
		}
		for p := lo; p < hi; p++ {
			row := cells[p*size : (p+1)*size]
			for k := range rc {
				x := zOf(k, row) - sz[k]
				szz[k] += x * x
			}
		}
		for k := range v {
			v[k] += s * szz[k]
		}
	}
	return v
}

// restMomentVariances is restVariances from psuMoments: Σz² expanded from
// the products of the levels' sums (each level's own from its cell
// moments, two levels' from the pair moments), Σz from the stratum's sums;
// a result within the rounding error of its terms is 0, as in
// momentVariances.
func (a *allSums) restMomentVariances(d *Design, rc []restContrast, pairs [][2]int, v []float64) {
	mo := a.moments
	size := a.groupings[0].stride
	pairIdx := make(map[[2]int]int, len(pairs))
	for k, ab := range pairs {
		pairIdx[ab] = k
	}
	for _, r := range rc {
		for i := range r.alpha {
			for j := i + 1; j < len(r.alpha); j++ {
				if _, ok := pairIdx[[2]int{r.off + i, r.off + j}]; !ok {
					panic("analysis: rest contrast of levels not summed as a pair")
				}
			}
		}
	}
	for h, s := range d.scale {
		if s == 0 {
			continue
		}
		n := float64(d.psuStart[h+1] - d.psuStart[h])
		str, mc := a.byStratum[h*size:(h+1)*size], mo.cells[h*size:(h+1)*size]
		pm := mo.pairs[h*len(pairs) : (h+1)*len(pairs)]
		for k := range rc {
			r := &rc[k]
			var sx, sxx, mag float64
			for i, ai := range r.alpha {
				bi := r.beta[i]
				gi := r.off + i
				sx += ai*str[gi].swd + bi*str[gi].sw
				c := mc[gi]
				sxx += ai*ai*c.dd + 2*ai*bi*c.wd + bi*bi*c.ww
				mag += math.Abs(ai)*math.Sqrt(c.dd) + math.Abs(bi)*math.Sqrt(c.ww)
				for j := i + 1; j < len(r.alpha); j++ {
					aj, bj := r.alpha[j], r.beta[j]
					m := pm[pairIdx[[2]int{gi, r.off + j}]]
					// m.wd = Σ sw_i·swd_j, m.dw = Σ swd_i·sw_j.
					sxx += 2 * (ai*aj*m.dd + ai*bj*m.dw + bi*aj*m.wd + bi*bj*m.ww)
				}
			}
			ss := sxx
			if d.center[h] {
				ss -= sx * sx / n
			}
			v[k] += s * aboveNoise(ss, mag*mag, n)
		}
	}
}

// restMembers returns, for each column of a banner but the Total, the
// respondents in the other levels of its grouping (nil for the Total):
// the rest the column is tested against on a calibrated design. mem[c]
// is column c's membership, colGroup[c] its grouping (0 for the Total).
func restMembers(mem [][]bool, colGroup []int) [][]bool {
	rest := make([][]bool, len(mem))
	for c := range mem {
		if colGroup[c] == 0 {
			continue
		}
		rest[c] = make([]bool, len(mem[c]))
		for o := range mem {
			if o != c && colGroup[o] == colGroup[c] {
				for i, in := range mem[o] {
					rest[c][i] = rest[c][i] || in
				}
			}
		}
	}
	return rest
}

// calibratedRestTests sets each column's test against the rest of its
// group on a calibrated design: DiffMeans of the column (mem[c]) against
// rest[c] (restMembers), whose influence values are residualized on the
// margins.
func calibratedRestTests(d *Design, row BannerRow, y []float64, mem, rest [][]bool, cols []BannerColumn, df int, level float64, minBase int) {
	for c := range row.Cells {
		if rest[c] == nil || cols[c].Base.N < minBase || row.Cells[c].N == 0 {
			continue
		}
		e := d.DiffMeans(y, mem[c], rest[c], level)
		if math.IsNaN(e.Estimate) || math.IsNaN(e.SE) {
			continue
		}
		row.Cells[c].Rest = restTest(e.Estimate, e.SE*e.SE, df, level)
	}
}
