package analysis

import (
	"context"
	"math"
)

// Coded variables: a faster pass for values stored as codes.
//
// A Compact load keeps construct items, scores and flags as one byte per
// respondent indexing a table of values (survey.Values.Codes), and
// the variables derived from them (a top-2 box, a flag among the
// concerned) take as few values. For those, sumCoded adds each
// respondent's weight to its (cross cell, value) slot and turns a PSU
// run's slots into Σw and Σw·(y − s0) once per cell, so that no value is
// decoded, compared with NaN or squared per respondent.

// coded gives a vec's values as slots: respondent i's value is
// values[slot[c]] with c its code, where slot[c] = len(values) marks a
// missing value.
type coded struct {
	// codes returns the codes of respondents from..from+len(dst)−1, in
	// dst or in storage of its own.
	codes  func(dst []uint8, from int) []uint8
	slot   *[256]uint8
	values []float64 // distinct, not NaN
}

// missing is the slot of a missing value.
func (c *coded) missing() uint8 { return uint8(len(c.values)) }

// value returns the value of slot s, NaN for the missing slot.
func (c *coded) value(s uint8) float64 {
	if int(s) < len(c.values) {
		return c.values[s]
	}
	return math.NaN()
}

// newCoded makes the coded form of codes into table (table[c] the value
// of code c, NaN for missing): the distinct values of table get one slot
// each, in order of first appearance. It returns nil when the table has
// more than 255 distinct values or more than 256 codes.
func newCoded(codes func(dst []uint8, from int) []uint8, table []float64) *coded {
	if len(table) > 256 {
		return nil
	}
	c := &coded{codes: codes, slot: new([256]uint8)}
	for k, x := range table {
		s := -1
		if x == x {
			for j, v := range c.values {
				if math.Float64bits(v) == math.Float64bits(x) {
					s = j
					break
				}
			}
			if s < 0 {
				if len(c.values) == 255 {
					return nil
				}
				s = len(c.values)
				c.values = append(c.values, x)
			}
		}
		c.slot[k] = uint8(s) // −1 for now: missing
	}
	for k, x := range table {
		if x != x {
			c.slot[k] = c.missing()
		}
	}
	for k := len(table); k < 256; k++ {
		c.slot[k] = c.missing() // codes past the table do not occur
	}
	return c
}

// storedCodes returns a codes function reading a dataset's codes.
func storedCodes(all []uint8) func(dst []uint8, from int) []uint8 {
	return func(dst []uint8, from int) []uint8 { return all[from : from+len(dst)] }
}

// codedVec is the vec of a Compact load's codes (survey.Values.Codes)
// when ok, else fallback.
func codedVec(fallback vec, codes []uint8, table []float64, ok bool) vec {
	if ok {
		fallback.coded = newCoded(storedCodes(codes), table)
	}
	return fallback
}

// mapValues derives f(y) from y. A coded y gives a coded result with the
// same codes.
func mapValues(y vec, f func(float64) float64) vec {
	out := vec{fill: func(dst []float64, from int) {
		b := y.block(from, len(dst), dst)
		for i, x := range b { // b may be dst itself
			dst[i] = f(x)
		}
	}}
	if y.coded != nil {
		table := make([]float64, 256)
		for c := range table {
			table[c] = f(y.coded.value(y.coded.slot[c]))
		}
		out.coded = newCoded(y.coded.codes, table)
	}
	return out
}

// zipValues derives op(a, b) from a and b, value by value. When both are
// coded and their slots combine into at most 256 codes, so is the result:
// its code is a's slot + (a's slots)·(b's slot).
func zipValues(a, b vec, op func(x, y float64) float64) vec {
	var ba, bb []float64
	out := vec{fill: func(dst []float64, from int) {
		if len(ba) < len(dst) {
			ba, bb = make([]float64, len(dst)), make([]float64, len(dst))
		}
		x, y := a.block(from, len(dst), ba), b.block(from, len(dst), bb)
		for i := range dst {
			dst[i] = op(x[i], y[i])
		}
	}}
	if a.coded == nil || b.coded == nil {
		return out
	}
	ca, cb := a.coded, b.coded
	na, nb := len(ca.values)+1, len(cb.values)+1
	if na*nb > 256 {
		return out
	}
	table := make([]float64, na*nb)
	for j := range table {
		table[j] = op(ca.value(uint8(j%na)), cb.value(uint8(j/na)))
	}
	var bufA, bufB []uint8
	codes := func(dst []uint8, from int) []uint8 {
		if len(bufA) < len(dst) {
			bufA, bufB = make([]uint8, len(dst)), make([]uint8, len(dst))
		}
		xa, xb := ca.codes(bufA[:len(dst)], from), cb.codes(bufB[:len(dst)], from)
		for i := range dst {
			dst[i] = ca.slot[xa[i]] + uint8(na)*cb.slot[xb[i]]
		}
		return dst
	}
	out.coded = newCoded(codes, table)
	return out
}

// firstAnswer returns the value of the first respondent with one (0 when
// none has), the shift of sumCoded's linear sums as of sumCross's.
func (c *coded) firstAnswer(n int) float64 {
	buf := make([]uint8, blockRows)
	miss := c.missing()
	for lo := 0; lo < n; lo += blockRows {
		for _, code := range c.codes(buf[:min(blockRows, n-lo)], lo) {
			if s := c.slot[code]; s != miss {
				return c.values[s]
			}
		}
	}
	return 0
}

// summedByCode reports whether sumAllMulti reads y through sumCoded: a
// coded variable of fewer than maxSlots slots (see
// thresholds.maxCodedSlots).
func (y vec) summedByCode(maxSlots int) bool {
	return y.coded != nil && len(y.coded.values) < maxSlots
}

// sumCoded is sumCross for coded variables of at most maxCodedSlots
// slots, outs[v] laid out for ys[v]; it also sets each group's Σw,
// Σw·(y − shift), sum of squares and counts, and each stratum's row of
// sums (allSums.byStratum). Every group's shift is the variable's first
// answer s0.
//
// PSU run by PSU run (cc knows the runs and the cells each touches), each
// respondent adds its weight to the slot of its cross cell and value. When
// the run ends, each touched cell's slots give its Σw and Σw·(y − s0),
// added to the run's row of group sums (the total, then every grouping's
// levels, as a PSU's row of cells is laid out): to its level of each
// grouping that varies within the run, while the groups whose level is the
// same for the whole run (the total, a region that stratifies the sample)
// get the run's sums once. The row then goes to the PSU's cells at once,
// or, for sums kept as psuMoments, into its stratum's products.
// The slots' weights and counts over every run give each group's count and
// sum of squares, Σ W·(value − s0)²: no value is decoded, compared with NaN
// or squared per respondent. Weights are positive (NewDesign), so a cell
// without weight had no answer.
//
// It stops, its sums partial, once ctx is cancelled (checked between PSU
// runs, at most every blockRows respondents).
func (d *Design) sumCoded(ctx context.Context, ys []vec, cc *crossCells, outs []*allSums) {
	grs := make([][]groupSums, len(outs))
	for v, a := range outs {
		grs[v] = a.groupings
	}
	K, C, V := len(grs[0])-1, cc.n, len(ys)
	size := grs[0][0].stride
	if size != cc.size {
		panic("analysis: cross cells of other groupings")
	}
	// gidx[c·(K+1)…]: cross cell c's groups, as positions in a PSU's row;
	// size (a position past the row) for a grouping the cell has no level
	// of, so that the cells' sums go to their groups without a branch.
	gidx := cc.pos
	cs := make([]*coded, V)
	S := 0 // slots per cell: the most of any variable
	s0 := make([]float64, V)
	for v, y := range ys {
		cs[v] = y.coded
		S = max(S, len(cs[v].values)+1)
		s0[v] = cs[v].firstAnswer(d.n)
	}
	run := make([]float64, V*C*S) // the current run's Σw by variable, cell and slot
	all := make([]float64, V*C*S) // every run's
	count := make([]int32, V*C*S) // respondents by variable, cell and slot
	row := make([]sumCell, size+1)
	// Pairs of moments (the same for every variable: one sumAllFor call)
	// whose two groups are levels of one grouping constant over a run
	// have a zero product there: active lists the others, for the run's
	// set of varying groupings (mask).
	var pairs [][2]int
	if mo := outs[0].moments; mo != nil {
		pairs = mo.of
	}
	var nz []int                    // levels with sums in a PSU (psuMoments.full)
	grouping := make([]int, size+1) // the grouping of each position in a row
	for k, g := range grs[0] {
		for l := range g.gs {
			grouping[g.off+l] = k
		}
	}
	active, activeMask := []int(nil), uint64(1)<<63 // no run has that mask
	activePairs := func(vary []uint8) []int {
		if len(pairs) == 0 {
			return nil
		}
		var mask uint64
		for _, j := range vary {
			mask |= 1 << (j % 63)
		}
		if mask != activeMask {
			active, activeMask = active[:0], mask
			for k, ab := range pairs {
				ga := grouping[ab[0]]
				if ga != grouping[ab[1]] || mask&(1<<(ga%63)) != 0 {
					active = append(active, k)
				}
			}
		}
		return active
	}
	// Data grouped by PSU have one run per PSU, which then sets its row
	// (the cells need not be cleared first).
	once := cc.fillsRows(d)
	// flush ends PSU p's run: its cells touched, the groups whose level
	// is the same in all of them (fixed: they get the run's sums once)
	// and the groupings whose level varies (each cell's sums go to its
	// level of them).
	flush := func(p int, touched []uint16, fixed []int32, vary []uint8) {
		act := activePairs(vary)
		h := int(d.psuStratum[p])
		for v, cv := range cs {
			vals, sh := cv.values, s0[v]
			var tsw, tswd float64
			rv, av := run[v*C*S:(v+1)*C*S], all[v*C*S:(v+1)*C*S]
			two := len(vals) == 2 && S == 3 // a 0/1 variable, the common case
			var d0, d1 float64
			if two {
				d0, d1 = vals[0]-sh, vals[1]-sh
			}
			for _, c16 := range touched {
				c := int(c16)
				r, a := rv[c*S:(c+1)*S], av[c*S:(c+1)*S]
				var sw, swd float64
				if two { // unrolled
					x0, x1 := r[0], r[1]
					r[0], r[1], r[2] = 0, 0, 0
					a[0] += x0
					a[1] += x1
					sw, swd = x0+x1, x0*d0+x1*d1
				} else {
					for l, val := range vals {
						x := r[l]
						sw += x
						swd += x * (val - sh)
						a[l] += x
						r[l] = 0
					}
					r[len(vals)] = 0 // missing
				}
				tsw += sw
				tswd += swd
				gs := gidx[c*(K+1) : (c+1)*(K+1)]
				for _, j := range vary {
					g := gs[j]
					row[g].sw += sw
					row[g].swd += swd
				}
			}
			for _, g := range fixed {
				row[g].sw += tsw
				row[g].swd += tswd
			}
			out := outs[v]
			str := out.byStratum[h*size : (h+1)*size]
			if mo := out.moments; mo != nil {
				// Products instead of the PSU's row (once is set).
				mc := mo.cells[h*size : (h+1)*size]
				for g, x := range row[:size] {
					str[g].sw += x.sw
					str[g].swd += x.swd
					m := &mc[g]
					m.ww += x.sw * x.sw
					m.wd += x.sw * x.swd
					m.dd += x.swd * x.swd
				}
				for k, full := range mo.full {
					if full == nil {
						continue // not kept (nestedFull)
					}
					// Grouping k+1's levels with sums in this PSU (weights
					// are positive: the others' sums are 0).
					g := &grs[v][k+1]
					L := len(g.gs)
					lv := row[g.off : g.off+L]
					nz = nz[:0]
					for l, x := range lv {
						if x.sw != 0 {
							nz = append(nz, l)
						}
					}
					m, M2 := full[h*4*L*L:(h+1)*4*L*L], 2*L
					for _, a := range nz {
						za, ra := lv[a], m[2*a*M2:(2*a+2)*M2]
						for _, b := range nz {
							zb := lv[b]
							ra[2*b] += za.sw * zb.sw
							ra[2*b+1] += za.sw * zb.swd
							ra[M2+2*b] += za.swd * zb.sw
							ra[M2+2*b+1] += za.swd * zb.swd
						}
					}
				}
				mp := mo.pairs[h*len(pairs) : (h+1)*len(pairs)]
				for _, k := range act {
					ab := pairs[k]
					a, b, m := row[ab[0]], row[ab[1]], &mp[k]
					m.ww += a.sw * b.sw
					m.wd += a.sw * b.swd
					m.dw += a.swd * b.sw
					m.dd += a.swd * b.swd
				}
				clear(row)
				continue
			}
			dst := grs[v][0].cells[p*size : (p+1)*size]
			for g, x := range row[:size] {
				str[g].sw += x.sw
				str[g].swd += x.swd
				if once {
					dst[g] = x
				} else {
					dst[g].sw += x.sw
					dst[g].swd += x.swd
				}
			}
			clear(row)
		}
	}
	w, cell := d.w, cc.cell
	buf := make([]uint8, blockRows)
	// PSU run by PSU run (whose cells cc knows), one variable at a time,
	// so that the loop over a run's respondents keeps the variable's
	// tables at hand.
	unchecked := 0 // respondents since ctx was last checked
	for r := range cc.runs[:len(cc.runs)-1] {
		run0, run1 := cc.runs[r], cc.runs[r+1]
		if unchecked += int(run0.to - run0.from); unchecked >= blockRows {
			if ctx.Err() != nil {
				return
			}
			unchecked = 0
		}
		for v, cv := range cs {
			slot := cv.slot
			rv, cnt := run[v*C*S:(v+1)*C*S], count[v*C*S:(v+1)*C*S]
			for a := int(run0.from); a < int(run0.to); a += blockRows {
				b := min(a+blockRows, int(run0.to))
				cells, ws := cell[a:b], w[a:b]
				for j, code := range cv.codes(buf[:b-a], a) {
					k := int(cells[j])*S + int(slot[code])
					rv[k] += ws[j]
					cnt[k]++
				}
			}
		}
		flush(int(run0.psu), cc.runCells[run0.cells:run1.cells], cc.runFixed[run0.fixed:run1.fixed], cc.runVary[run0.vary:run1.vary])
	}
	nd := cc.nd
	for v, gr := range grs {
		vals := cs[v].values
		group := func(g int) *domainGroup {
			for k := K; k >= 1; k-- {
				if g >= gr[k].off {
					return &gr[k].gs[g-gr[k].off]
				}
			}
			return &gr[0].gs[0]
		}
		for c := 0; c < C; c++ {
			off := (v*C + c) * S
			for _, g := range gidx[c*(K+1) : (c+1)*(K+1)] {
				if int(g) == size {
					continue
				}
				st := group(int(g))
				st.nd += nd[c]
				for l, val := range vals {
					if count[off+l] == 0 {
						continue
					}
					st.shift, st.started = s0[v], true
					dv := val - s0[v]
					st.swd2 += all[off+l] * dv * dv
					st.n += int(count[off+l])
				}
			}
		}
		// Each group's Σw and Σw·(y − s0): its strata's, added up.
		for str := outs[v].byStratum; len(str) >= size; str = str[size:] {
			for g, x := range str[:size] {
				st := group(g)
				st.sw += x.sw
				st.swd += x.swd
			}
		}
	}
}

// fillsRows reports whether sumCoded sets every PSU's row of cells, so
// that they need not be cleared first: when each PSU is one run.
func (cc *crossCells) fillsRows(d *Design) bool { return len(cc.runs)-1 == d.NumPSU() }

// moveShifts moves the PSU cells' Σw·(y − s0) to Σw·(y − shift), each
// group's with its own shift.
func moveShifts(gr []groupSums, s0 float64) {
	size := gr[0].stride
	moves := make([]float64, size)
	moved := false
	for _, g := range gr {
		for l := range g.gs {
			moves[g.off+l] = g.gs[l].shift - s0
			moved = moved || moves[g.off+l] != 0
		}
	}
	if !moved {
		return
	}
	for row := gr[0].cells; len(row) >= size; row = row[size:] {
		for g, m := range moves {
			row[g].swd -= m * row[g].sw
		}
	}
}
