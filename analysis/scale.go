package analysis

import (
	"context"
	"math"
	"slices"
	"strings"

	"github.com/trustgap/trustgap/internal/pool"
	"github.com/trustgap/trustgap/survey"
)

// Helpers that let the analyses run on large datasets (see
// internal/leanload): they work on codes and reused buffers
// rather than a new vector per statistic.

// binaryCodes codes a 0/1 variable y for ChiSq into dst (allocated when
// nil): -1 where y is NaN, 1 where it is not 0, else 0.
func binaryCodes(y []float64, dst []int32) []int32 {
	if dst == nil {
		dst = make([]int32, len(y))
	}
	for i, x := range y {
		switch {
		case math.IsNaN(x):
			dst[i] = -1
		case x != 0:
			dst[i] = 1
		default:
			dst[i] = 0
		}
	}
	return dst
}

// chiSqCodes runs the Rao-Scott test of domain variable v against a 0/1
// variable coded by binaryCodes, reporting a failure in Test.Note.
func (s *study) chiSqCodes(v domainVar, yName string, b []int32) Test {
	return s.chiSqTable(v, yName, s.d.tabulate(v.codes, b, len(v.levels), 2, nil))
}

// chiSqTable is chiSqCodes on the table tabulate made of v and the codes.
func (s *study) chiSqTable(v domainVar, yName string, tab *table) Test {
	t := Test{Name: "rao_scott", Variables: []string{strings.ReplaceAll(v.name, crossSep, "*"), yName}}
	res, err := tab.chisqContext(s.e.ctx, s.d, nil)
	if err != nil {
		nan := Num(math.NaN())
		t.F, t.NDF, t.DDF, t.P = nan, nan, nan, nan
		t.Note = err.Error()
		return t
	}
	t.F, t.NDF, t.DDF, t.P = Num(res.F), Num(res.NDF), Num(res.DDF), Num(res.P)
	return t
}

// blockRows is how many respondents a vec yields at a time.
const blockRows = 4096

// vec is a per-respondent vector that the one-pass estimators read block
// by block, so that values stored compactly (internal/leanload)
// or derived from others need no float64 per respondent: full holds the
// values, or fill writes those of respondents from..from+len(dst)−1 to
// dst. coded, when set, gives the same values as codes (see
// sumCoded).
type vec struct {
	full  []float64
	fill  func(dst []float64, from int)
	coded *coded
	// key, when set, names the variable for the sums a Cache shares (the same key,
	// the same values): a construct's flag.
	key any
}

func floats(y []float64) vec { return vec{full: y} }

// block returns the values of respondents from..from+n−1, in full or in
// buf (whose capacity is at least n unless full is set).
func (v vec) block(from, n int, buf []float64) []float64 {
	if v.full != nil {
		return v.full[from : from+n]
	}
	buf = buf[:n]
	v.fill(buf, from)
	return buf
}

// materialize returns the n values of v as a slice: full itself, or new.
func (v vec) materialize(n int) []float64 {
	if v.full != nil {
		return v.full
	}
	out := make([]float64, n)
	for lo := 0; lo < n; lo += blockRows {
		v.fill(out[lo:min(lo+blockRows, n)], lo)
	}
	return out
}

// blocks calls f with every block of v's n values and the index of its
// first respondent.
func (v vec) blocks(n int, f func(from int, y []float64)) {
	var buf []float64
	if v.full == nil {
		buf = make([]float64, blockRows)
	}
	for lo := 0; lo < n; lo += blockRows {
		hi := min(lo+blockRows, n)
		if v.full != nil {
			f(lo, v.full[lo:hi])
			continue
		}
		b := buf[:hi-lo]
		v.fill(b, lo)
		f(lo, b)
	}
}

// valuesVec reads v without decoding it all at once: as codes when the
// load stored it so (see sumCoded), else its own float64s.
func valuesVec(v survey.Values) vec {
	if codes, table, ok := v.Codes(); ok {
		return codedVec(vec{fill: v.Read}, codes, table, true)
	}
	return floats(v.All(nil))
}

// flagVec, scoreVec and numVec are the valuesVec of a construct's flags or
// scores or an item's values.
func flagVec(c *survey.Construct) vec {
	y := valuesVec(c.Flags())
	y.key = flagKey{c}
	return y
}

// flagKey is the vec.key of a construct's flag.
type flagKey struct{ c *survey.Construct }

func scoreVec(c *survey.Construct) vec { return valuesVec(c.Scores()) }

func numVec(col *survey.Column) vec { return valuesVec(col.Values()) }

// binaryCodesVec is binaryCodes of a vec.
func binaryCodesVec(y vec, n int) []int32 {
	out := make([]int32, n)
	y.blocks(n, func(from int, b []float64) { binaryCodes(b, out[from:from+len(b)]) })
	return out
}

// meanAll is MeanBy for the total (everyone one group) and each grouping
// in codes (codes[v][i] in 0..nLevels[v]−1, or −1), from one pass over the
// data: element 0 of the result is the total, then each grouping's levels
// in order; df gives each one's degrees of freedom in the same order (see
// study.domainDF). The total equals Mean(y, nil, level) up to rounding (it
// shifts by the first answer, as MeanBy does, instead of passing twice).
func (e engine) meanAll(y vec, codes [][]int32, nLevels []int, keys []any, df []int, level float64) []Estimate {
	sums := e.sumVariances([]vec{y}, codes, nLevels, keys, nil)[0]
	defer sums.release(e)
	return sums.estimates(e.Design, df, level)
}

// allSums are MeanBy's sums for the total (groupings[0], one group) and
// each grouping of meanAll.
type allSums struct {
	groupings []groupSums
	cells     *[]sumCell // every grouping's cells, from the cache's pool
	// byStratum, when set, holds each stratum's row of cells added up
	// (stratum h's at h·size…), which sumCoded keeps as it writes the
	// cells, so that variances need one pass over them instead of two.
	byStratum []sumCell
	// moments, when set, replace the cells (nil then): see psuMoments.
	moments *psuMoments
}

// psuMoments are, stratum by stratum, the sums over its PSUs of the
// products of each PSU's sums (Σw, Σw·(y − shift)) of each group, and of
// two groups for each pair in of: with byStratum, all that variances
// needs, in memory that grows with strata × domains instead of PSUs ×
// domains, and without a second pass over a row per PSU. A PSU's
// influence total x = (Σw·(y − shift) − δ·Σw)/W is linear in its sums, so
// Σx² and Σx·x' over a stratum follow from these products once δ and W
// are known. Expanding the squares costs digits where a group's PSU
// totals are large beside their deviations (about two with 40
// respondents per PSU, see momentsMaxPSUSize): variances agree with the
// two-pass computation from the rows to about 1e-13 (tested to 1e-11 with
// PSUs of 200 and strata far from the mean).
type psuMoments struct {
	of    [][2]int
	cells []cellMoment // stratum h's group g at h·size + g
	pairs []pairMoment // stratum h's pair k at h·len(of) + k
	// full[k−1], when set, holds for grouping k (k ≥ 1) of L levels each
	// stratum's Σ z·z' over its PSUs, z = (Σw, Σw·(y − shift)) of every
	// level in turn: stratum h's 2L × 2L matrix at h·4L². From it come
	// the covariances that compare's contrasts and Rao-Scott tables need
	// (levelCov).
	full [][]float64
}

// nestedFullProducts returns grouping g's full products (see full) when
// each PSU has sums in one of its levels at most: the products of two
// levels are 0, and a level's own are its cells' moments.
func (mo *psuMoments) nestedFullProducts(g *groupSums, H int) []float64 {
	L, size := len(g.gs), g.stride
	M2 := 2 * L
	m := make([]float64, H*M2*M2)
	for h := range H {
		mh := m[h*M2*M2 : (h+1)*M2*M2]
		for l, c := range mo.cells[h*size+g.off : h*size+g.off+L] {
			mh[2*l*M2+2*l] = c.ww
			mh[2*l*M2+2*l+1] = c.wd
			mh[(2*l+1)*M2+2*l] = c.wd
			mh[(2*l+1)*M2+2*l+1] = c.dd
		}
	}
	return m
}

// cellMoment holds Σ sw², Σ sw·swd and Σ swd² over a stratum's PSUs.
type cellMoment struct{ ww, wd, dd float64 }

// pairMoment holds Σ sw_a·sw_b, Σ sw_a·swd_b, Σ swd_a·sw_b and
// Σ swd_a·swd_b over a stratum's PSUs.
type pairMoment struct{ ww, wd, dw, dd float64 }

// release returns the sums' cells to the cache's pool; a is not used
// after.
func (a *allSums) release(e engine) {
	if a.cells != nil {
		e.c.st.cells.Put(a.cells)
		a.cells, a.groupings = nil, nil
	}
}

// groupSums are the sums of one grouping (or the total). The cells of all
// the groupings of an allSums are laid out PSU by PSU, each PSU's row
// holding the total and then every grouping's levels, so that a pass over
// PSUs in order writes them in order.
type groupSums struct {
	codes       []int32   // nil for the total
	cells       []sumCell // every grouping's: see cell
	off, stride int       // level l of PSU p is cells[p·stride + off + l]
	gs          []domainGroup
}

// cell returns the sums of PSU p and level l.
func (g *groupSums) cell(p, l int) *sumCell { return &g.cells[p*g.stride+g.off+l] }

// sumCell is one (PSU, group) pair's Σw and Σw·(y − shift): 16 bytes, so
// that millions of respondents in hundreds of thousands of PSUs keep the
// cells of a statistic small.
type sumCell struct {
	sw, swd float64
}

// estimates finishes the sums into meanAll's estimates, df as meanAll's.
func (a *allSums) estimates(d *Design, df []int, level float64) []Estimate {
	v, _ := a.variances(d, nil)
	out := make([]Estimate, 0, len(v))
	s := d.maxScale()
	for _, g := range a.groupings {
		for l := range g.gs {
			st, pos := &g.gs[l], g.off+l
			out = append(out, finishGroup(st, level, df[pos], v[pos], st.roundingNoise(d, s)))
		}
	}
	return out
}

// roundingNoise bounds the variance of the group's mean that rounding
// alone could leave (see Design.roundingNoise) without the terms' scale
// PSU by PSU: each PSU total (Σ_p w(y − c) − (ŷ − c)·Σ_p w)/Σw has terms
// of magnitude at most, summed over the PSUs, Σw|y − c| + |ŷ − c|·Σw ≤
// √(Σw·Σw(y − c)²) + |ŷ − c|·Σw, and the sum of their squares is at most
// the square of that sum, times the largest stratum scale s.
func (st *domainGroup) roundingNoise(d *Design, s float64) float64 {
	if st.sw <= 0 {
		return 0
	}
	mag := (math.Sqrt(st.sw*max(st.swd2, 0)) + math.Abs(st.swd)) / st.sw
	e := roundingSlack * math.Sqrt(float64(st.n)+4) * 0x1p-52 * mag
	return s * e * e
}

// sumAllMulti passes over the data once for several variables, adding
// each respondent to the total and to its level of each grouping (through
// cross cells, one pass follows the respondents' PSUs and domains for all
// of them). Each group's deviations are taken from its first answer, as
// in MeanBy.
func (e engine) sumAllMulti(ys []vec, codes [][]int32, nLevels []int, keys []any) []*allSums {
	return e.sumAllFor(ys, codes, nLevels, keys, false, nil, noFull)
}

// sumLevels is sumVariances for sums also read by cellSums and
// binaryTable: moments keep every grouping's full products (see
// psuMoments.full).
func (e engine) sumLevels(ys []vec, codes [][]int32, nLevels []int, keys []any) []*allSums {
	return e.sumAllFor(ys, codes, nLevels, keys, true, nil, allFull)
}

// sumVariances is sumAllMulti for sums that are only read by estimates
// and variances(d, pairs): those of coded variables of data grouped by
// PSU, in PSUs of momentsMaxPSUSize respondents or fewer on average, keep
// psuMoments instead of a row of cells per PSU (cellSums and binaryTable
// cannot read them).
func (e engine) sumVariances(ys []vec, codes [][]int32, nLevels []int, keys []any, pairs [][2]int) []*allSums {
	return e.sumAllFor(ys, codes, nLevels, keys, true, pairs, noFull)
}

// fullProducts says which groupings' full products (psuMoments.full) a
// pass keeps.
type fullProducts int

const (
	noFull     fullProducts = iota
	allFull                 // every grouping's
	nestedFull              // those of groupings whose level is the same over each PSU run (which cost nothing more)
)

// sumAllFor is sumAllMulti, with moments as sumVariances (and full
// products as full says, sumLevels keeping them all).
func (e engine) sumAllFor(ys []vec, codes [][]int32, nLevels []int, keys []any, moments bool, pairs [][2]int, full fullProducts) []*allSums {
	d := e.Design
	for _, y := range ys {
		if y.full != nil && len(y.full) != d.n {
			panic("analysis: length mismatch")
		}
	}
	for _, c := range codes {
		if len(c) != d.n {
			panic("analysis: length mismatch")
		}
	}
	out := make([]*allSums, len(ys))
	cc := e.useCross(codes, nLevels, keys)
	if cc == nil {
		for v, y := range ys {
			out[v] = e.newAllSums(codes, nLevels, true)
			d.sumEach(e.ctx, y, out[v].groupings)
			out[v].addUpCells()
		}
		return out
	}
	// Coded variables in one pass (which sets every group's sums), the
	// others in another.
	var cy, fy []vec
	var fg [][]groupSums
	var cs []*allSums
	H := d.NumStrata()
	// A grouping nested in PSUs has one level with sums in each PSU: its
	// full products are the moments of its levels (nestedFullProducts),
	// which cost nothing more in the pass.
	var nested []bool
	if full != noFull {
		nested = cc.nested(len(nLevels))
	}
	for v, y := range ys {
		switch {
		case y.summedByCode(e.c.th.maxCodedSlots) && moments && cc.fillsRows(d) && d.n <= e.c.th.momentsMaxPSUSize*d.NumPSU():
			mo := &psuMoments{of: pairs, cells: make([]cellMoment, H*cc.size), pairs: make([]pairMoment, H*len(pairs))}
			if full != noFull {
				for k, L := range nLevels {
					var m []float64
					if full == allFull && !nested[k] {
						m = make([]float64, H*4*L*L) // added up PSU by PSU
					}
					mo.full = append(mo.full, m)
				}
			}
			out[v] = &allSums{groupings: layoutGroups(codes, nLevels, nil), moments: mo}
		case y.summedByCode(e.c.th.maxCodedSlots):
			out[v] = e.newAllSums(codes, nLevels, !cc.fillsRows(d))
		default:
			out[v] = e.newAllSums(codes, nLevels, true)
			fy, fg = append(fy, y), append(fg, out[v].groupings)
			continue
		}
		out[v].byStratum = make([]sumCell, H*cc.size)
		cy, cs = append(cy, y), append(cs, out[v])
	}
	if len(cy) > 0 {
		d.sumCoded(e.ctx, cy, cc, cs)
		// Moments whose variances rounding would spoil: read again into
		// rows.
		for j, a := range cs {
			if a.moments == nil || a.momentsPrecise(d, pairs) {
				continue
			}
			v := slices.Index(out, a)
			out[v] = e.newAllSums(codes, nLevels, !cc.fillsRows(d))
			out[v].byStratum = make([]sumCell, H*cc.size)
			d.sumCoded(e.ctx, cy[j:j+1], cc, out[v:v+1])
			cs[j] = out[v]
		}
	}
	for _, a := range cs {
		for k, isNested := range nested {
			if mo := a.moments; mo != nil && isNested {
				mo.full[k] = mo.nestedFullProducts(&a.groupings[k+1], H)
			}
		}
	}
	if len(fy) > 0 {
		d.sumCross(e.ctx, fy, cc, fg)
		for v, y := range ys {
			if !y.summedByCode(e.c.th.maxCodedSlots) {
				out[v].addUpCells()
			}
		}
	}
	return out
}

// addUpCells sets each group's Σw and Σw·(y − shift) from its cells, row
// by row.
func (a *allSums) addUpCells() {
	gr := a.groupings
	size := gr[0].stride
	for row := gr[0].cells; len(row) >= size; row = row[size:] {
		for k := range gr {
			g := &gr[k]
			for l, c := range row[g.off : g.off+len(g.gs)] {
				g.gs[l].sw += c.sw
				g.gs[l].swd += c.swd
			}
		}
	}
}

// newAllSums lays out sums for the total and the groupings, empty when
// zero is set (else the caller sets every cell). The
// cells are P × (1 + Σ levels): tens of megabytes for a large study, so
// they are reused across statistics (see allSums.release) rather than left
// to the garbage collector.
func (e engine) newAllSums(codes [][]int32, nLevels []int, zero bool) *allSums {
	P := e.NumPSU()
	size := 1
	for _, l := range nLevels {
		size += l
	}
	buf, _ := e.c.st.cells.Get().(*[]sumCell)
	if buf == nil || cap(*buf) < P*size {
		buf = new([]sumCell)
		*buf = make([]sumCell, P*size)
	} else {
		*buf = (*buf)[:P*size]
		if zero {
			clear(*buf)
		}
	}
	return &allSums{groupings: layoutGroups(codes, nLevels, *buf), cells: buf}
}

// layoutGroups lays out the total and the groupings over a PSU's row of
// cells (nil: sums without cells).
func layoutGroups(codes [][]int32, nLevels []int, cells []sumCell) []groupSums {
	size := 1
	for _, l := range nLevels {
		size += l
	}
	gr := make([]groupSums, 1+len(codes))
	gr[0] = groupSums{cells: cells, stride: size, gs: make([]domainGroup, 1)}
	off := 1
	for v, c := range codes {
		gr[v+1] = groupSums{codes: c, cells: cells, off: off, stride: size, gs: make([]domainGroup, nLevels[v])}
		off += nLevels[v]
	}
	return gr
}

// sumEach is sumAllMulti's pass adding each respondent to the total and to its
// level of each grouping in turn.
//
// It stops, its sums partial, once ctx is cancelled (checked block by
// block).
func (d *Design) sumEach(ctx context.Context, y vec, gr []groupSums) {
	w, psu := d.w, d.psu
	tot, ts := &gr[0], &gr[0].gs[0]
	vars := gr[1:]
	var buf []float64
	if y.full == nil {
		buf = make([]float64, blockRows)
	}
	for from := 0; from < d.n; from += blockRows {
		if ctx.Err() != nil {
			return
		}
		yb := y.block(from, min(blockRows, d.n-from), buf)
		for j, v := range yb {
			i := from + j
			p := int(psu[i])
			nan := v != v
			wi := w[i]
			// The total.
			ts.nd++
			if !nan {
				if !ts.started {
					ts.shift, ts.started = v, true
				}
				dv := v - ts.shift
				wd := wi * dv
				c := tot.cell(p, 0)
				c.sw += wi
				c.swd += wd
				ts.swd2 += wd * dv
				ts.n++
			}
			for k := range vars {
				g := &vars[k]
				code := g.codes[i]
				if code < 0 {
					if code != -1 {
						panic("analysis: group code out of range")
					}
					continue
				}
				G := len(g.gs)
				if int(code) >= G {
					panic("analysis: group code out of range")
				}
				st := &g.gs[code]
				st.nd++
				if nan {
					continue
				}
				if !st.started {
					st.shift, st.started = v, true
				}
				dv := v - st.shift
				wd := wi * dv
				c := g.cell(p, int(code))
				c.sw += wi
				c.swd += wd
				st.swd2 += wd * dv
				st.n++
			}
		}
	}
}

// variances returns the variance of each group's mean (groups at their
// positions in a PSU's row: the total, then every grouping's levels) and,
// for each pair of groups in pairs, of the difference of their means:
// VarianceFromPSUTotals of the PSU totals of the influence values
// w(y − ŷ)/Σw, and of their differences, computed stratum by stratum from
// the cells (the totals' means, then their deviations) without storing
// the totals. A group without answers gets 0.
func (a *allSums) variances(d *Design, pairs [][2]int) (v, pv []float64) {
	gr := a.groupings
	size := gr[0].stride
	delta, inv := make([]float64, size), make([]float64, size)
	for _, g := range gr {
		for l := range g.gs {
			if st := &g.gs[l]; st.sw > 0 {
				delta[g.off+l], inv[g.off+l] = st.swd/st.sw, 1/st.sw
			}
		}
	}
	v, pv = make([]float64, size), make([]float64, len(pairs))
	if d.averaging() {
		defer a.averageVariances(d, pairs, v, pv)
	}
	if a.moments != nil {
		a.momentVariances(d, pairs, delta, inv, v, pv, nil, nil)
		return v, pv
	}
	m, dev, ss, sp := make([]float64, size), make([]float64, size), make([]float64, size), make([]float64, len(pairs))
	cells := gr[0].cells
	for h, s := range d.scale {
		if s == 0 {
			continue
		}
		lo, hi := d.psuStart[h], d.psuStart[h+1]
		clear(m)
		if d.center[h] {
			if a.byStratum != nil {
				for g, c := range a.byStratum[h*size : (h+1)*size] {
					m[g] = (c.swd - delta[g]*c.sw) * inv[g]
				}
			} else {
				for p := lo; p < hi; p++ {
					for g, c := range cells[p*size : (p+1)*size] {
						m[g] += (c.swd - delta[g]*c.sw) * inv[g]
					}
				}
			}
			for g := range m {
				m[g] /= float64(hi - lo)
			}
		}
		clear(ss)
		clear(sp)
		for p := lo; p < hi; p++ {
			for g, c := range cells[p*size : (p+1)*size] {
				x := (c.swd-delta[g]*c.sw)*inv[g] - m[g]
				dev[g] = x
				ss[g] += x * x
			}
			for k, ab := range pairs {
				x := dev[ab[0]] - dev[ab[1]]
				sp[k] += x * x
			}
		}
		for g := range v {
			v[g] += s * ss[g]
		}
		for k := range pv {
			pv[k] += s * sp[k]
		}
	}
	return v, pv
}

// averageVariances applies lonelyFactor to variances' results: each
// group's rows are its respondents who answered (svyby's subset after
// na.rm), a pair's those of either group.
func (a *allSums) averageVariances(d *Design, pairs [][2]int, v, pv []float64) {
	for g := range v {
		v[g] *= d.lonelyFactor(a.groupStrata(d, g, -1))
	}
	for k, ab := range pairs {
		pv[k] *= d.lonelyFactor(a.groupStrata(d, ab[0], ab[1]))
	}
}

// groupStrata is lonelyFactor's present for the respondents who answered
// in group g or (when g2 ≥ 0) g2: the strata where their Σw is positive.
func (a *allSums) groupStrata(d *Design, g, g2 int) func(h int) bool {
	return a.cellStrata(d, func(c []sumCell) bool { return c[g].sw > 0 || (g2 >= 0 && c[g2].sw > 0) })
}

// cellStrata is lonelyFactor's present for the strata where has is true
// of a PSU's row of cells (or, kept by stratum, of the stratum's).
func (a *allSums) cellStrata(d *Design, has func(row []sumCell) bool) func(h int) bool {
	size := a.groupings[0].stride
	return func(h int) bool {
		if a.byStratum != nil {
			return has(a.byStratum[h*size : (h+1)*size])
		}
		cells := a.groupings[0].cells
		for p := d.psuStart[h]; p < d.psuStart[h+1]; p++ {
			if has(cells[p*size : (p+1)*size]) {
				return true
			}
		}
		return false
	}
}

// momentVariances is variances from psuMoments: in each stratum of n
// PSUs, Σ(x − x̄)² = Σx² − (Σx)²/n (Σx² alone when the stratum is not
// centred), Σx² expanded from the products of the sums, and for a pair
// the same of x_a − x_b. A sum of squares within the rounding error of
// its expanded terms (noise, or below 0) is 0: expanding the squares
// costs a relative 1e-16 of the terms, so that where the influence totals
// are all 0 (a domain in one PSU, or answering alike) the noise would
// otherwise leave an SE of about 1e-8 of the values' scale instead of 0.
//
// ev and epv, when not nil, get bounds on the rounding error of v and pv.
func (a *allSums) momentVariances(d *Design, pairs [][2]int, delta, inv, v, pv, ev, epv []float64) {
	mo := a.moments
	if len(pairs) != len(mo.of) {
		panic("analysis: variances of pairs other than those summed")
	}
	for k := range pairs {
		if pairs[k] != mo.of[k] {
			panic("analysis: variances of pairs other than those summed")
		}
	}
	size := len(v)
	sx, sxx, mag := make([]float64, size), make([]float64, size), make([]float64, size)
	for h, s := range d.scale {
		if s == 0 {
			continue
		}
		n := float64(d.psuStart[h+1] - d.psuStart[h])
		str, mc := a.byStratum[h*size:(h+1)*size], mo.cells[h*size:(h+1)*size]
		for g := range v {
			dl := delta[g]
			sx[g] = (str[g].swd - dl*str[g].sw) * inv[g]
			sxx[g] = (mc[g].dd - 2*dl*mc[g].wd + dl*dl*mc[g].ww) * inv[g] * inv[g]
			mag[g] = (mc[g].dd + 2*math.Abs(dl*mc[g].wd) + dl*dl*mc[g].ww) * inv[g] * inv[g]
			ss := sxx[g]
			if d.center[h] {
				ss -= sx[g] * sx[g] / n
			}
			v[g] += s * aboveNoise(ss, mag[g], n)
			if ev != nil {
				ev[g] += s * noiseOf(mag[g], n)
			}
		}
		for k, ab := range pairs {
			ga, gb, m := ab[0], ab[1], mo.pairs[h*len(pairs)+k]
			sxy := (m.dd - delta[gb]*m.dw - delta[ga]*m.wd + delta[ga]*delta[gb]*m.ww) * inv[ga] * inv[gb]
			ss := sxx[ga] + sxx[gb] - 2*sxy
			if d.center[h] {
				dx := sx[ga] - sx[gb]
				ss -= dx * dx / n
			}
			pv[k] += s * aboveNoise(ss, 2*(mag[ga]+mag[gb]), n)
			if epv != nil {
				epv[k] += s * noiseOf(2*(mag[ga]+mag[gb]), n)
			}
		}
	}
}

// aboveNoise returns a stratum's sum of squares ss, expanded from terms
// of total magnitude mag over n PSUs, or 0 where ss is within their
// rounding error.
func aboveNoise(ss, mag, n float64) float64 {
	if ss <= noiseOf(mag, n) {
		return 0
	}
	return ss
}

// noiseOf bounds the rounding error of a sum of squares expanded from terms
// of total magnitude mag, each summed over n PSUs: rounding errors of n
// terms add up as √n in practice (n in the worst case, far rarer).
func noiseOf(mag, n float64) float64 {
	const eps = 0x1p-52
	return 4 * math.Sqrt(n+4) * eps * mag
}

// momentsPrecise reports whether the variances a's moments give (of each
// group's mean and of the differences in pairs) are within 1e-9 of their
// value, or, where they come out 0, within (1e-9·scale)² of it, scale
// being the group's mean and shift: expanding the squares loses the
// digits of the PSU totals' size over their deviations, which is too many
// where weights span orders of magnitude and a domain hangs on a few
// respondents. Sums that are not precise are read again into rows.
func (a *allSums) momentsPrecise(d *Design, pairs [][2]int) bool {
	gr := a.groupings
	size := gr[0].stride
	delta, inv := make([]float64, size), make([]float64, size)
	scale := make([]float64, size)
	for _, g := range gr {
		for l := range g.gs {
			if st := &g.gs[l]; st.sw > 0 {
				delta[g.off+l], inv[g.off+l] = st.swd/st.sw, 1/st.sw
				scale[g.off+l] = math.Abs(st.shift) + math.Abs(st.swd/st.sw) + 1
			}
		}
	}
	v, pv := make([]float64, size), make([]float64, len(pairs))
	ev, epv := make([]float64, size), make([]float64, len(pairs))
	a.momentVariances(d, pairs, delta, inv, v, pv, ev, epv)
	precise := func(v, ev, scale float64) bool {
		if v == 0 {
			return ev <= 1e-18*scale*scale
		}
		return ev <= 1e-9*v
	}
	for g := range v {
		if !precise(v[g], ev[g], scale[g]) {
			return false
		}
	}
	for k, ab := range pairs {
		if !precise(pv[k], epv[k], max(scale[ab[0]], scale[ab[1]])) {
			return false
		}
	}
	return true
}

// cellSums returns grouping k's sums (k ≥ 1; 0 is the total) as
// study.sumCells gives them: Σw and Σw·y of the respondents answering, by
// PSU and level; for sums kept as moments (sumLevels), by level with
// their covariance across PSUs instead.
func (a *allSums) cellSums(d *Design, k int) *cellSums {
	if a.moments == nil {
		return interleavedCells(d, k, a)
	}
	g := &a.groupings[k]
	L := len(g.gs)
	// The covariance of (Σw, Σw·(y − shift)): turned into that of Σw·y it
	// would lose the digits of shift², which contrast need not.
	cs := &cellSums{d: d, nCells: L, cell: make([]wsum, L), n: make([]int, L), shift: make([]float64, L)}
	cs.cov, cs.covNoise = a.levelCovShifted(d, k)
	if d.averaging() {
		H := d.NumStrata()
		cs.present = make([]bool, H*L)
		for h := range H {
			for l := range L {
				cs.present[h*L+l] = a.byStratum[h*g.stride+g.off+l].sw > 0
			}
		}
	}
	for l := range g.gs {
		st := &g.gs[l]
		cs.cell[l] = wsum{st.sw, st.swd + st.shift*st.sw}
		cs.n[l] = st.n
		cs.shift[l] = st.shift
	}
	return cs
}

// levelCov returns the design covariance, across PSUs, of grouping k's
// (Σw, Σw·y) of every level ([2l] and [2l + 1] for level l): for each
// stratum, scale·(Σ z·z' − (Σz)(Σz)'/n) (without the second term when
// the stratum is not centred), from the moments' full products, then
// Σw·(y − shift) turned into Σw·y.
func (a *allSums) levelCov(d *Design, k int) [][]float64 {
	cz, _ := a.levelCovShifted(d, k)
	g := &a.groupings[k]
	if d.averaging() {
		// One svyrecvar of the answers in every level (binaryTableCov's
		// subset(design, !is.na(y))).
		f := d.lonelyFactor(func(h int) bool {
			for _, c := range a.byStratum[h*g.stride+g.off : h*g.stride+g.off+len(g.gs)] {
				if c.sw > 0 {
					return true
				}
			}
			return false
		})
		for _, row := range cz {
			for j := range row {
				row[j] *= f
			}
		}
	}
	// Σw·y = Σw·(y − shift) + shift·Σw: row and column 2l + 1 gain shift
	// times 2l.
	for l := range g.gs {
		sh := g.gs[l].shift
		if sh == 0 {
			continue
		}
		for j := range cz {
			cz[2*l+1][j] += sh * cz[2*l][j]
		}
		for i := range cz {
			cz[i][2*l+1] += sh * cz[i][2*l]
		}
	}
	return cz
}

// levelCovShifted is levelCov of (Σw, Σw·(y − shift)), each level with
// its own shift.
func (a *allSums) levelCovShifted(d *Design, k int) (cov, noise [][]float64) {
	mo, g := a.moments, &a.groupings[k]
	if mo == nil || len(mo.full) < k || mo.full[k-1] == nil {
		panic("analysis: level covariance of sums without full moments")
	}
	L, size := len(g.gs), g.stride
	M2 := 2 * L
	cz, ez := make([]float64, M2*M2), make([]float64, M2*M2)
	sum := make([]float64, M2)
	for h, s := range d.scale {
		if s == 0 {
			continue
		}
		n := float64(d.psuStart[h+1] - d.psuStart[h])
		for l, c := range a.byStratum[h*size+g.off : h*size+g.off+L] {
			sum[2*l], sum[2*l+1] = c.sw, c.swd
		}
		m := mo.full[k-1][h*M2*M2 : (h+1)*M2*M2]
		for i := range M2 {
			for j := range M2 {
				x := m[i*M2+j]
				// The entry's terms: |Σ z_i z_j| ≤ √(Σz_i² Σz_j²).
				mag := math.Sqrt(m[i*M2+i] * m[j*M2+j])
				if d.center[h] {
					x -= sum[i] * sum[j] / n
					mag += math.Abs(sum[i] * sum[j] / n)
				}
				cz[i*M2+j] += s * x
				ez[i*M2+j] += s * noiseOf(mag, n)
			}
		}
	}
	cov, noise = make([][]float64, M2), make([][]float64, M2)
	for i := range cov {
		cov[i] = cz[i*M2 : (i+1)*M2 : (i+1)*M2]
		noise[i] = ez[i*M2 : (i+1)*M2 : (i+1)*M2]
	}
	return cov, noise
}

// pairCells is cellSums of two variables' sums a and b (the same y among
// two sets of respondents) in one: cell 2l is level l's in a, 2l + 1 in b.
func pairCells(d *Design, a, b *allSums, k int) *cellSums {
	return interleavedCells(d, k, a, b)
}

// interleavedCells lays out grouping k's sums of each of sums: cell
// l·len(sums) + j is level l's in sums[j].
func interleavedCells(d *Design, k int, sums ...*allSums) *cellSums {
	for _, a := range sums {
		a.mustHaveCells()
	}
	G, P, J := len(sums[0].groupings[k].gs), d.NumPSU(), len(sums)
	cs := &cellSums{d: d, nCells: G * J, psu: make([]wsum, P*G*J), cell: make([]wsum, G*J), n: make([]int, G*J)}
	for j, a := range sums {
		g := &a.groupings[k]
		for l := range g.gs {
			st := &g.gs[l]
			cs.cell[l*J+j] = wsum{st.sw, st.swd + st.shift*st.sw}
			cs.n[l*J+j] = st.n
		}
		for p := 0; p < P; p++ {
			for l := range g.gs {
				c := g.cell(p, l)
				cs.psu[(p*G+l)*J+j] = wsum{c.sw, c.swd + g.gs[l].shift*c.sw}
			}
		}
	}
	return cs
}

// mustHaveCells panics for sums kept as psuMoments, which have no cells
// by PSU to read.
func (a *allSums) mustHaveCells() {
	if a.moments != nil {
		panic("analysis: PSU cells of sums kept as moments")
	}
}

// binaryTable returns the table Design.tabulate makes of grouping k (rows)
// by a 0/1 variable (columns) over the whole sample, as far as chisq reads
// it: Σw of y = 0 and of y = 1 by PSU and level. Σw·y is Σw·(y − shift) +
// shift·Σw; a share computed as 0 or 1 up to rounding is set to exactly
// that, so that an empty column stays empty.
func (a *allSums) binaryTable(d *Design, k int) *table {
	if a.moments != nil {
		return a.binaryTableCov(d, k)
	}
	g := &a.groupings[k]
	na, P := len(g.gs), d.NumPSU()
	K := 2 * na
	t := &table{na: na, nb: 2, cell: make([]float64, P*K), nDomain: d.N()}
	for p := 0; p < P; p++ {
		for l := range g.gs {
			c := g.cell(p, l)
			wy := c.swd + g.gs[l].shift*c.sw
			switch eps := 1e-12 * c.sw; {
			case wy < eps:
				wy = 0
			case c.sw-wy < eps:
				wy = c.sw
			}
			t.cell[p*K+l] = c.sw - wy
			t.cell[p*K+l+na] = wy
		}
	}
	return t
}

// binaryTableCov is binaryTable of sums kept as moments: the table's
// totals (a share of 0 or 1 up to rounding made exact, as binaryTable
// does PSU by PSU) and the covariance of its cells across PSUs, from
// levelCov: cell l (y = 0) is Σw − Σw·y, cell l + na (y = 1) is Σw·y.
func (a *allSums) binaryTableCov(d *Design, k int) *table {
	g := &a.groupings[k]
	na := len(g.gs)
	K := 2 * na
	t := &table{na: na, nb: 2, nDomain: d.N(), tot: make([]float64, K)}
	for l := range g.gs {
		st := &g.gs[l]
		wy := st.swd + st.shift*st.sw
		switch eps := 1e-12 * st.sw; {
		case wy < eps:
			wy = 0
		case st.sw-wy < eps:
			wy = st.sw
		}
		t.tot[l], t.tot[l+na] = st.sw-wy, wy
	}
	lc := a.levelCov(d, k)
	// Each cell as a combination of levelCov's entries: cell l is
	// [2l] − [2l + 1], cell l + na is [2l + 1].
	type term struct {
		i    int
		coef float64
	}
	terms := func(c int) []term {
		l := c % na
		if c < na {
			return []term{{2 * l, 1}, {2*l + 1, -1}}
		}
		return []term{{2*l + 1, 1}}
	}
	t.cov = make([][]float64, K)
	for c := range K {
		t.cov[c] = make([]float64, K)
		for e := range K {
			for _, a := range terms(c) {
				for _, b := range terms(e) {
					t.cov[c][e] += a.coef * b.coef * lc[a.i][b.i]
				}
			}
		}
	}
	return t
}

// rowSpec asks for the rows of one statistic (see study.rows).
type rowSpec struct {
	stat string
	y    vec
	prop bool
}

// rowsOf returns the rows of each statistic, reading rowsChunk
// statistics in one pass over the data (sumAllMulti) and running the
// passes on the available cores. The vecs must not share buffers. A
// private release runs in order: its noise is drawn from one stream.
func (s *study) rowsOf(specs []rowSpec) ([][]Row, error) {
	if s.d.cal != nil && s.opts.Privacy == nil {
		return s.calibratedRows(specs)
	}
	out := make([][]Row, len(specs))
	if s.opts.Privacy != nil {
		for k, sp := range specs {
			out[k] = s.rows(sp.stat, sp.y, sp.prop)
		}
		return out, nil
	}
	df := s.domainDF() // computed once, before any worker reads it
	codes, nLevels, keys := s.groupings()
	level := s.opts.level()
	per := s.d.multiChunk(nLevels)
	chunks := (len(specs) + per - 1) / per
	err := s.e.forEach(chunks, func(k int) {
		lo, hi := k*per, min((k+1)*per, len(specs))
		ys := make([]vec, 0, hi-lo)
		for _, sp := range specs[lo:hi] {
			ys = append(ys, sp.y)
		}
		for j, sums := range s.e.sumShared(s.shared(), ys, codes, nLevels, keys, nil, noFull) {
			sp := specs[lo+j]
			out[lo+j] = s.rowsFrom(sp.stat, sums.estimates(s.d, df, level), sp.prop)
			sums.release(s.e)
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// multiChunk is how many variables one sumAllMulti pass should read: up
// to maxMultiVars, as long as their PSU cells (P × (1 + Σ levels) × 16
// bytes each) stay within multiCellBytes, so that memory grows with PSUs ×
// domains × workers, not with the number of statistics.
func (d *Design) multiChunk(nLevels []int) int {
	size := 1
	for _, l := range nLevels {
		size += l
	}
	per := multiCellBytes / max(d.NumPSU()*size*16, 1)
	return min(max(per, 1), maxMultiVars)
}

const (
	maxMultiVars   = 8
	multiCellBytes = 48 << 20
)

// forEach calls f(k) for k in 0..n−1 on the available cores when the
// sample has at least the parallelRows threshold's respondents, else in
// order. A panic in f is returned as a *pool.PanicError.
// Once e's context is cancelled no further k is started, and the error
// (e.err) says so even if every k ran: their passes may have stopped
// early.
func (e engine) forEach(n int, f func(k int)) error {
	if err := forEachCtx(e.ctx, n, e.n, e.c.th.parallelRows, f); err != nil {
		if e.ctx.Err() != nil {
			return e.err()
		}
		return err
	}
	return e.err()
}

// forEach calls f(k) for k in 0..n−1 through internal/pool: on the
// available cores when there are at least parallelRows respondents, else
// in order. A panic in f is returned as a *pool.PanicError.
func forEach(n, respondents, parallelRows int, f func(k int)) error {
	return forEachCtx(context.Background(), n, respondents, parallelRows, f)
}

// forEachCtx is forEach handing out no further k once ctx is cancelled.
func forEachCtx(ctx context.Context, n, respondents, parallelRows int, f func(k int)) error {
	workers := pool.Workers()
	if respondents < parallelRows {
		workers = 1
	}
	return pool.ForEach(ctx, n, workers, func(_ context.Context, k int) error {
		f(k)
		return nil
	})
}
