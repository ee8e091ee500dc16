package analysis

// Cross cells: a faster sumAllMulti for data stored PSU by PSU.
//
// sumAllMulti adds every respondent to the total and to its level of each
// grouping (region, generation, gender…): 1 + K cell updates per
// respondent. When the respondents of a PSU are stored together
// (internal/leanload), the same sums come from one update per
// respondent: each respondent belongs to one cross cell (its combination of
// levels), a PSU's respondents are summed by cross cell, and at the end of
// the PSU each touched cross cell is added to the total and to its level of
// each grouping. The per-respondent work no longer grows with the number of
// groupings.

import "context"

// crossCells codes each respondent by its combination of levels of a set
// of groupings.
type crossCells struct {
	cell   []uint16 // respondent → cross cell
	levels []int32  // levels[c*K+k]: level of grouping k in cross cell c, or -1
	n      int      // number of cross cells

	// The same for every variable, for sumCoded.
	nd  []int   // respondents by cell
	pos []int32 // pos[c·(K+1)+j]: cell c's group j (total, then grouping j−1) in a PSU's row of cells; size for none
	// size is the length of a PSU's row: the total and every grouping's
	// levels (see newAllSums).
	size int
	// The runs of one PSU with the cells each touches and the groups
	// whose level does not vary across them (the total, a region that
	// stratifies the sample): runCells[runs[r].cells : runs[r+1].cells],
	// runFixed[runs[r].fixed : runs[r+1].fixed] (row positions) and
	// runVary[runs[r].vary : runs[r+1].vary] (groupings that vary).
	runs     []crossRun
	runCells []uint16
	runFixed []int32
	runVary  []uint8
}

// crossRun is a maximal run of respondents from..to−1 in PSU psu; cells,
// fixed and vary index crossCells' lists.
type crossRun struct {
	psu, from, to, cells, fixed, vary int32
}

// cellsOfRuns fills what sumCoded reads for every variable: the cells'
// counts, their groups' positions in a row of nLevels' groupings, and the
// runs of the respondents' PSUs.
func (cc *crossCells) cellsOfRuns(psu []int32, nLevels []int) {
	K := len(nLevels)
	off := make([]int32, K)
	cc.size = 1
	for k, l := range nLevels {
		off[k] = int32(cc.size)
		cc.size += l
	}
	cc.pos = make([]int32, 0, cc.n*(K+1))
	for c := 0; c < cc.n; c++ {
		cc.pos = append(cc.pos, 0)
		for k, l := range cc.levels[c*K : c*K+K] {
			g := int32(cc.size)
			if l >= 0 {
				g = off[k] + l
			}
			cc.pos = append(cc.pos, g)
		}
	}
	cc.nd = make([]int, cc.n)
	seen := make([]bool, cc.n)
	for a := 0; a < len(psu); {
		p := psu[a]
		b := a + 1
		for b < len(psu) && psu[b] == p {
			b++
		}
		cc.runs = append(cc.runs, crossRun{psu: p, from: int32(a), to: int32(b),
			cells: int32(len(cc.runCells)), fixed: int32(len(cc.runFixed)), vary: int32(len(cc.runVary))})
		start := len(cc.runCells)
		for _, c := range cc.cell[a:b] {
			cc.nd[c]++
			if !seen[c] {
				seen[c] = true
				cc.runCells = append(cc.runCells, c)
			}
		}
		cells := cc.runCells[start:]
		for _, c := range cells {
			seen[c] = false
		}
		cc.runFixed = append(cc.runFixed, 0)
		for j := 1; j <= K; j++ {
			g := cc.pos[int(cells[0])*(K+1)+j]
			same := true
			for _, c := range cells[1:] {
				same = same && cc.pos[int(c)*(K+1)+j] == g
			}
			switch {
			case !same:
				cc.runVary = append(cc.runVary, uint8(j))
			case int(g) != cc.size:
				cc.runFixed = append(cc.runFixed, g)
			}
		}
		a = b
	}
	cc.runs = append(cc.runs, crossRun{psu: -1, from: int32(len(psu)), to: int32(len(psu)),
		cells: int32(len(cc.runCells)), fixed: int32(len(cc.runFixed)), vary: int32(len(cc.runVary))})
}

// nested reports, for each of the K groupings, whether its level is the
// same for all the respondents of every run (a region that stratifies
// the sample, PSUs being nested in strata).
func (cc *crossCells) nested(K int) []bool {
	out := make([]bool, K)
	for k := range out {
		out[k] = true
	}
	for _, j := range cc.runVary {
		out[j-1] = false
	}
	return out
}

// psuRuns returns the number of maximal runs of consecutive respondents
// in the same PSU.
func (e engine) psuRuns() int {
	st := e.c.st
	st.mu.Lock()
	runs, ok := st.runs[e.Design]
	st.mu.Unlock()
	if ok {
		return runs
	}
	prev := int32(-1)
	for _, p := range e.psu {
		if p != prev {
			runs++
			prev = p
		}
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.runs == nil {
		st.runs = map[*Design]int{}
	}
	st.runs[e.Design] = runs
	return runs
}

// useCross reports whether the engine should use cross cells for these
// groupings (keys[k] names grouping k's column, nil for codes made for the
// call), and returns them.
func (e engine) useCross(codes [][]int32, nLevels []int, keys []any) *crossCells {
	// n < fusedMinRun·runs, asked without overflow and, where n alone
	// answers it, without counting the runs.
	if f := e.c.th.fusedMinRun; e.n == 0 || e.n < f || e.n/e.psuRuns() < f {
		return nil
	}
	return e.crossCellsOf(codes, nLevels, keys)
}

// crossCellsOf returns the cross cells of the groupings, from the cache
// when they have keys and were built before; nil when they would have too
// many keys.
func (e engine) crossCellsOf(codes [][]int32, nLevels []int, keys []any) *crossCells {
	nkeys := 1
	for _, g := range nLevels {
		nkeys *= g + 1
		if nkeys > e.c.th.maxCrossKeys {
			return nil
		}
	}
	for _, c := range codes {
		if len(c) != e.n {
			panic("analysis: length mismatch")
		}
	}
	keep := cacheable(keys, len(codes))
	if keep {
		if cc := e.c.lookupCross(e.Design, keys, codes, nLevels); cc != nil {
			return cc
		}
	}
	cc := buildCrossCells(e.Design, codes, nLevels, nkeys)
	if keep {
		e.c.keepCross(e.Design, keys, codes, nLevels, cc)
	}
	return cc
}

// buildCrossCells codes every respondent by its combination of levels.
func buildCrossCells(d *Design, codes [][]int32, nLevels []int, keys int) *crossCells {
	dense := make([]int32, keys)
	for i := range dense {
		dense[i] = -1
	}
	cc := &crossCells{cell: make([]uint16, d.n)}
	for i := range cc.cell {
		key, mult := 0, 1
		for k, c := range codes {
			code := c[i]
			if code < -1 || int(code) >= nLevels[k] {
				panic("analysis: group code out of range")
			}
			key += int(code+1) * mult
			mult *= nLevels[k] + 1
		}
		c := dense[key]
		if c < 0 {
			c = int32(cc.n)
			dense[key] = c
			cc.n++
			for _, codes := range codes {
				cc.levels = append(cc.levels, codes[i])
			}
		}
		cc.cell[i] = uint16(c)
	}
	cc.cellsOfRuns(d.psu, nLevels)
	return cc
}

// crossAcc is one variable's sums in one cross cell: Σw, Σw·(y − s0) with
// s0 the variable's first answer, Σw·(y − shift)² with shift the cell's
// first answer, and the number answering.
type crossAcc struct {
	sw, swd, swd2 float64
	n             int
}

// sumCross is sumAllMulti's pass through cross cells; grs[v] is laid out
// as in sumAllMulti (grs[v][0] the total) with empty sums, for variable ys[v].
// The PSU cells' linear sums take their deviations from one shift s0 per
// variable, so that a PSU run adds two numbers per grouping; each group's
// sum of squares, where a shift far from the group's mean would lose
// precision, is kept by cross cell about the cell's own first answer and
// moved to the group's shift once, at the end. The respondents' PSU runs
// and cross cells are followed once for all the variables.
//
// It stops, its sums partial, once ctx is cancelled (checked block by
// block).
func (d *Design) sumCross(ctx context.Context, ys []vec, cc *crossCells, grs [][]groupSums) {
	K, C, V := len(grs[0])-1, cc.n, len(ys)
	run := make([]crossAcc, V*C) // the current PSU run, [v*C+c]
	all := make([]crossAcc, V*C) // every run
	shift := make([]float64, V*C)
	started := make([]bool, V*C)
	runND := make([]int, C) // respondents of the run by cell, answered or not
	allND := make([]int, C)
	s0 := make([]float64, V)
	haveS0 := make([]bool, V)
	touched := make([]int32, 0, C)
	w, psu, cell := d.w, d.psu, cc.cell
	flush := func(p int) {
		for _, c := range touched {
			allND[c] += runND[c]
			runND[c] = 0
			lv := cc.levels[int(c)*K : int(c)*K+K]
			for v := 0; v < V; v++ {
				a := &run[v*C+int(c)]
				if a.n == 0 {
					continue
				}
				b := &all[v*C+int(c)]
				b.sw += a.sw
				b.swd += a.swd
				b.swd2 += a.swd2
				b.n += a.n
				gr := grs[v]
				t := gr[0].cell(p, 0)
				t.sw += a.sw
				t.swd += a.swd
				for k, l := range lv {
					if l >= 0 {
						g := &gr[k+1]
						x := g.cell(p, int(l))
						x.sw += a.sw
						x.swd += a.swd
					}
				}
				*a = crossAcc{}
			}
		}
		touched = touched[:0]
	}
	bufs := make([][]float64, V)
	blk := make([][]float64, V)
	for v, y := range ys {
		if y.full == nil {
			bufs[v] = make([]float64, blockRows)
		}
	}
	cur := -1
	for lo := 0; lo < d.n; lo += blockRows {
		if ctx.Err() != nil {
			return
		}
		m := min(blockRows, d.n-lo)
		for v, y := range ys {
			blk[v] = y.block(lo, m, bufs[v])
		}
		for r := 0; r < m; r++ {
			i := lo + r
			if p := int(psu[i]); p != cur {
				if cur >= 0 {
					flush(cur)
				}
				cur = p
			}
			c := int(cell[i])
			if runND[c] == 0 {
				touched = append(touched, int32(c))
			}
			runND[c]++
			wi := w[i]
			for v := range blk {
				x := blk[v][r]
				if x != x {
					continue
				}
				k := v*C + c
				if !started[k] {
					shift[k], started[k] = x, true
					if !haveS0[v] {
						s0[v], haveS0[v] = x, true
					}
				}
				dc := x - shift[k]
				a := &run[k]
				a.sw += wi
				a.swd += wi * (x - s0[v])
				a.swd2 += wi * dc * dc
				a.n++
			}
		}
	}
	if cur >= 0 {
		flush(cur)
	}
	for v, gr := range grs {
		// Each group's counts and sum of squares, about the shift of its
		// first cell with answers; then its PSU cells' linear sums moved
		// from s0 to that shift.
		addGroup := func(st *domainGroup, c int) {
			st.nd += allND[c]
			a := &all[v*C+c]
			if a.n == 0 {
				return
			}
			sc := shift[v*C+c]
			if !st.started {
				st.shift, st.started = sc, true
			}
			// About the cell's shift the linear sum is Σw(y − s0) − (sc − s0)Σw;
			// about the group's, Σw(y−g)² = Σw(y−sc)² + 2(sc−g)Σw(y−sc) + (sc−g)²Σw.
			swdc := a.swd - (sc-s0[v])*a.sw
			delta := sc - st.shift
			st.swd2 += a.swd2 + delta*(2*swdc+delta*a.sw)
			st.n += a.n
		}
		for c := 0; c < C; c++ {
			addGroup(&gr[0].gs[0], c)
			for k, l := range cc.levels[c*K : c*K+K] {
				if l >= 0 {
					addGroup(&gr[k+1].gs[l], c)
				}
			}
		}
		moveShifts(gr, s0[v])
	}
}
