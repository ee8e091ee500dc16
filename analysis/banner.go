package analysis

import (
	"fmt"
	"math"
	"strconv"

	"github.com/trustgap/trustgap/survey"
)

// BannerVariable is one row of a banner: a 0/1 variable (NaN = not
// answered) whose weighted share is shown in every column. Make one with
// FlagVariable, ItemVariable or NumericVariable.
type BannerVariable struct {
	Label string
	src   vec
}

// BannerColumn is one column of a banner: the total or one level of a
// domain variable, lettered A, B, C… for significance marks.
type BannerColumn struct {
	Letter string
	Group  string // "Total", "region" or a segment name
	Domain Domain
	Base   CrosstabBase // everyone in the column, answered or not
}

// BannerCell is a column's share with the letters of the columns of the
// same group it is significantly higher than, and its test against the
// rest of the sample (▲/▼ against Total; not for the Total itself).
type BannerCell struct {
	Estimate
	Sig  string
	Rest RestTest
}

// BannerRow is one variable across the banner's columns.
type BannerRow struct {
	Label string
	Cells []BannerCell
}

// BannerResult is a market-research banner table.
type BannerResult struct {
	Columns []BannerColumn
	Rows    []BannerRow
	Level   float64
}

// Banner tabulates each variable's weighted share in the total and every
// domain of Options.By (region and segments by default), as
// svyciprop(~y, subset(design, domain)) with the interval of Options.CI,
// and marks significance the way market researchers read it: a cell gets
// the letter of every other column of the same group (two regions, two
// generations; never the Total, which overlaps them) whose share it
// exceeds, by a design-based t test of the difference of the two domain
// means at 1 − Options.Level (Design.DiffMeans: joint linearization, df =
// degf of the two domains together). Each column other than the Total is
// also tested against the rest of the sample (BannerCell.Rest, see
// RestTest: svyglm(y ~ I(var == level), design)), from the same sums.
// Cells whose column base is below Options.MinBase take part in no test.
//
// Each variable is read once (the weighted sums of every column by PSU,
// from which come the means and the PSU totals of their influence
// values), so the work grows with respondents × variables and the memory
// with PSUs × columns.
func Banner(ds *survey.Dataset, vars []BannerVariable, opts Options) (*BannerResult, error) {
	opts.calibrationOK = true // a calibrated design takes calibratedBannerRow
	s, err := newStudy(ds, opts)
	if err != nil {
		return nil, err
	}
	level, minBase := opts.level(), opts.minBase()
	d := s.d
	nd := len(s.doms)
	// offset[v] is the column index of level 0 of domain variable v.
	offset := make([]int, len(s.vars))
	k := 1
	for v := range s.vars {
		offset[v] = k
		k += len(s.vars[v].levels)
	}
	res := &BannerResult{Level: level, Columns: make([]BannerColumn, nd)}
	// Column bases and PSU presence (for degf of pairs).
	present := make([][]bool, nd)
	var sw, sw2 = make([]float64, nd), make([]float64, nd)
	for c := range present {
		present[c] = make([]bool, d.NumPSU())
	}
	cols := make([]int, 0, 1+len(s.vars))
	members := func(i int) []int {
		cols = append(cols[:0], 0)
		for v, dv := range s.vars {
			if c := dv.codes[i]; c >= 0 {
				cols = append(cols, offset[v]+int(c))
			}
		}
		return cols
	}
	codes, nLevels, keys := s.groupings()
	if cc := s.e.useCross(codes, nLevels, keys); cc != nil {
		// By cross cell (whose columns are its positions in a row of
		// sums), and PSU run by PSU run for presence.
		cw, cw2 := make([]float64, cc.n), make([]float64, cc.n)
		for i, c := range cc.cell {
			w := d.w[i]
			cw[c] += w
			cw2[c] += w * w
		}
		K := len(s.vars)
		for c := range cc.n {
			for _, g := range cc.pos[c*(K+1) : (c+1)*(K+1)] {
				if int(g) < nd {
					res.Columns[g].Base.N += cc.nd[c]
					sw[g] += cw[c]
					sw2[g] += cw2[c]
				}
			}
		}
		for r := range cc.runs[:len(cc.runs)-1] {
			run0, run1 := cc.runs[r], cc.runs[r+1]
			for _, c := range cc.runCells[run0.cells:run1.cells] {
				for _, g := range cc.pos[int(c)*(K+1) : (int(c)+1)*(K+1)] {
					if int(g) < nd {
						present[g][run0.psu] = true
					}
				}
			}
		}
	} else {
		for i := 0; i < ds.N; i++ {
			w := d.w[i]
			for _, c := range members(i) {
				res.Columns[c].Base.N++
				sw[c] += w
				sw2[c] += w * w
				present[c][d.psu[i]] = true
			}
		}
	}
	for c, ref := range s.doms {
		col := &res.Columns[c]
		col.Letter = columnLetter(c)
		col.Domain = ref.dom
		col.Group = "Total"
		if ref.v >= 0 {
			col.Group = s.vars[ref.v].name
		}
		col.Base.WeightedN = sw[c]
		col.Base.EffectiveN = sw[c] * sw[c] / sw2[c]
	}
	// The pairs tested: columns of one group. Column c is position c of
	// a PSU's row of sums (the total, then every grouping's levels). The
	// degf of each column and pair are the same for every row.
	var pairs [][2]int
	var pairDF []int
	for v, dv := range s.vars {
		for a := offset[v]; a < offset[v]+len(dv.levels); a++ {
			for b := a + 1; b < offset[v]+len(dv.levels); b++ {
				pairs = append(pairs, [2]int{a, b})
				pairDF = append(pairDF, d.degfSeen(func(p int) bool { return present[a][p] || present[b][p] }))
			}
		}
	}
	dfCol := make([]int, nd)
	for c := range dfCol {
		dfCol[c] = d.degfSeen(func(p int) bool { return present[c][p] })
	}

	// Column c is level colLevel[c] of grouping colGroup[c] of sumVariances
	// (grouping 0 is the total).
	colGroup, colLevel := make([]int, nd), make([]int, nd)
	for v, dv := range s.vars {
		for l := range dv.levels {
			colGroup[offset[v]+l], colLevel[offset[v]+l] = v+1, l
		}
	}
	dfAll := d.DegF(nil) // of each column against the rest (Compare's)
	// One row per variable, in parallel when the sample is large.
	yOf := func(bv BannerVariable) vec {
		if bv.src.fill == nil && len(bv.src.full) != ds.N {
			panic("analysis: length mismatch")
		}
		return bv.src
	}
	bannerRow := func(bv BannerVariable, sums *allSums) BannerRow {
		mean := make([]float64, nd)
		n := make([]int, nd)
		row := BannerRow{Label: bv.Label, Cells: make([]BannerCell, nd)}
		vc, vp := sums.variances(d, pairs)
		rc := sums.restContrasts()
		rv := sums.restVariances(d, rc, pairs)
		for c := range row.Cells {
			g := &sums.groupings[colGroup[c]]
			st := &g.gs[colLevel[c]]
			n[c] = st.n
			e := Estimate{Estimate: math.NaN(), SE: math.NaN(), Deff: math.NaN(), CILow: math.NaN(), CIHigh: math.NaN(),
				N: n[c], NDomain: res.Columns[c].Base.N, WeightedN: st.sw, DF: dfCol[c],
				wDomain: res.Columns[c].Base.WeightedN} // the column's weight, answered or not (see PropCI)
			if n[c] > 0 {
				mean[c] = st.shift + st.swd/st.sw
				e.Estimate = mean[c]
				e.SE = math.Sqrt(vc[c])
				e.CILow, e.CIHigh = PropCI(e, opts.CI, level)
			}
			row.Cells[c].Estimate = e
		}
		// Pairwise tests within each group.
		for k, ab := range pairs {
			a, b := ab[0], ab[1]
			if n[a] == 0 || n[b] == 0 || res.Columns[a].Base.N < minBase || res.Columns[b].Base.N < minBase {
				continue
			}
			est := mean[a] - mean[b]
			if TTestP(est, math.Sqrt(vp[k]), pairDF[k]) >= 1-level {
				continue
			}
			if est > 0 {
				row.Cells[a].Sig += res.Columns[b].Letter
			} else {
				row.Cells[b].Sig += res.Columns[a].Letter
			}
		}
		for k, r := range rc {
			if res.Columns[r.pos].Base.N >= minBase {
				row.Cells[r.pos].Rest = restTest(r.diff, rv[k], dfAll, level)
			}
		}
		return row
	}
	res.Rows = make([]BannerRow, len(vars))
	if d.cal != nil {
		mem := make([][]bool, nd)
		for c := range mem {
			if g := colGroup[c]; g > 0 {
				mem[c] = make([]bool, ds.N)
				for i, x := range s.vars[g-1].codes {
					mem[c][i] = x == int32(colLevel[c])
				}
			}
		}
		rest := restMembers(mem, colGroup)
		for k, bv := range vars {
			y := yOf(bv).materialize(ds.N)
			res.Rows[k] = calibratedBannerRow(d, bv.Label, y, mem, res.Columns, pairs, pairDF, dfCol, opts.CI, level, minBase)
			calibratedRestTests(d, res.Rows[k], y, mem, rest, res.Columns, dfAll, level, minBase)
		}
		return res, nil
	}
	// Variables are read several at a time: one pass over the
	// respondents' PSUs and domains for all of them (sumAllMulti).
	bannerChunk := d.multiChunk(nLevels)
	chunks := (len(vars) + bannerChunk - 1) / bannerChunk
	err = s.e.forEach(chunks, func(k int) {
		lo, hi := k*bannerChunk, min((k+1)*bannerChunk, len(vars))
		ys := make([]vec, 0, hi-lo)
		for _, bv := range vars[lo:hi] {
			ys = append(ys, yOf(bv))
		}
		// With shared sums, the full products of the groupings
		// nested in PSUs too (bannerFull), for Compare to read.
		for j, sums := range s.e.sumShared(s.shared(), ys, codes, nLevels, keys, pairs, bannerFull(s.shared())) {
			res.Rows[lo+j] = bannerRow(vars[lo+j], sums)
			sums.release(s.e)
		}
	})
	if err != nil {
		return nil, err
	}
	if err := s.e.err(); err != nil {
		return nil, err
	}
	return res, nil
}

// bannerFull is the full products the banner keeps: with shared sums,
// those of the groupings nested in PSUs (a region that stratifies the
// sample), which cost nothing more, so that Compare's
// comparisons by them need no pass of their own.
func bannerFull(shared bool) fullProducts {
	if !shared {
		return noFull
	}
	return nestedFull
}

// columnLetter names column c: A…Z, then AA, AB, …
func columnLetter(c int) string {
	s := ""
	for c++; c > 0; c = (c - 1) / 26 {
		s = string(rune('A'+(c-1)%26)) + s
	}
	return s
}

// DefaultBannerVariables lists the rows of the study's standard banner:
// every construct flag, then every item — 0/1 items (count scores) as the
// share answering yes, items on a scale as the top-2-box share (the two
// highest scale points, after reverse coding).
//
// A single-item construct whose flag is its item's top-2 box (comfort_name
// with flag ">= 4" on a 1–5 scale) gives one row, not two identical ones:
// the flag's, labelled with the item's question.
func DefaultBannerVariables(ds *survey.Dataset) []BannerVariable {
	var out []BannerVariable
	for _, c := range ds.Constructs {
		if c.Def.Flag != "" {
			label := c.Name + " (" + c.Def.Flag + ")"
			if flagIsTop2(c) && c.Items[0].Label != "" {
				label += ": " + c.Items[0].Label
			}
			out = append(out, BannerVariable{Label: label, src: flagVec(c)})
		}
	}
	for _, c := range ds.Constructs {
		if flagIsTop2(c) {
			continue
		}
		for _, it := range c.Items {
			label := it.Name
			if it.Label != "" {
				label = it.Name + ": " + it.Label
			}
			switch {
			case c.Def.Score == "count":
				out = append(out, BannerVariable{Label: label + " (yes)", src: numVec(it)})
			case len(c.Def.Scale) == 2:
				hi := c.Def.Scale[1]
				cut := hi - 1
				top2 := func(v float64) float64 {
					switch {
					case math.IsNaN(v):
						return math.NaN()
					case v >= cut:
						return 1
					}
					return 0
				}
				out = append(out, BannerVariable{Label: fmt.Sprintf("%s (top-2 box: %s–%s)", label, fmtScale(cut), fmtScale(hi)), src: mapValues(numVec(it), top2)})
			}
		}
	}
	return out
}

func fmtScale(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// flagIsTop2 reports whether a construct's flag is the top-2 box of its
// only item: the score is the item itself (mean or sum of one item, scored
// whenever it is answered) and the flag rule holds exactly for the item's
// two highest scale points among every value the item can take (the
// whole numbers of the scale and the values of its values: mapping).
func flagIsTop2(c *survey.Construct) bool {
	d := c.Def
	if len(c.Items) != 1 || d.Score == "count" || d.Flag == "" || len(d.Scale) != 2 || d.MinItems > 1 {
		return false
	}
	cond, err := survey.ParseFlag(d.Flag)
	if err != nil {
		return false
	}
	lo, hi := d.Scale[0], d.Scale[1]
	if hi-lo > 100 {
		return false
	}
	vals := make([]float64, 0, int(hi-lo)+1+len(d.Values))
	for v := math.Ceil(lo); v <= hi; v++ {
		vals = append(vals, v)
	}
	for _, v := range d.Values {
		vals = append(vals, v)
	}
	for _, v := range vals {
		if cond.Holds(v) != (v >= hi-1) {
			return false
		}
	}
	return true
}

// calibratedBannerRow is a banner row on a calibrated design: each
// column's share from Mean in its domain (mem[c], nil for the total) and
// each pair's difference from DiffMeans, whose influence values are
// residualized on the margins (the PSU sums of the fast path cannot carry
// the raking). Degrees of freedom are the columns' and pairs' as on an
// uncalibrated design.
func calibratedBannerRow(d *Design, label string, y []float64, mem [][]bool, cols []BannerColumn, pairs [][2]int, pairDF, dfCol []int, ci CIMethod, level float64, minBase int) BannerRow {
	row := BannerRow{Label: label, Cells: make([]BannerCell, len(cols))}
	for c := range row.Cells {
		e := d.Mean(y, mem[c], level)
		e.NDomain, e.DF = cols[c].Base.N, dfCol[c]
		if e.N > 0 {
			e.CILow, e.CIHigh = PropCI(e, ci, level)
		}
		row.Cells[c].Estimate = e
	}
	for k, ab := range pairs {
		a, b := ab[0], ab[1]
		if row.Cells[a].N == 0 || row.Cells[b].N == 0 || cols[a].Base.N < minBase || cols[b].Base.N < minBase {
			continue
		}
		e := d.DiffMeans(y, mem[a], mem[b], level)
		if TTestP(e.Estimate, e.SE, pairDF[k]) >= 1-level {
			continue
		}
		if e.Estimate > 0 {
			row.Cells[a].Sig += cols[b].Letter
		} else {
			row.Cells[b].Sig += cols[a].Letter
		}
	}
	return row
}
