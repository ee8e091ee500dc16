package analysis

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// codedCase is a synthetic design with three groupings (one constant
// within PSUs, as a region stratifying the sample is) and coded variables.
type codedCase struct {
	d       *Design
	codes   [][]int32
	nLevels []int
}

// newCodedCase builds n respondents in PSUs of about 30; grouped puts each
// PSU's respondents together (one run per PSU), else they are dealt out
// in runs of 8 so that a PSU has several runs.
func newCodedCase(t *testing.T, n int, grouped bool) codedCase {
	t.Helper()
	r := rand.New(rand.NewPCG(7, uint64(n)))
	psus := n / 30
	w := make([]float64, n)
	st := make([]int32, n)
	psu := make([]int32, n)
	g1, g2, g3 := make([]int32, n), make([]int32, n), make([]int32, n)
	for i := range w {
		p := int32(i * psus / n)
		if !grouped {
			p = int32((i / 8) % psus)
		}
		psu[i], st[i] = p, p%4
		w[i] = 0.2 + 3*r.Float64()
		g1[i] = p % 4
		g2[i] = int32(r.IntN(5)) - 1 // −1: missing
		g3[i] = int32(r.IntN(3))
	}
	d, err := NewDesign(n, DesignSpec{Weights: w, Strata: st, PSU: psu})
	if err != nil {
		t.Fatal(err)
	}
	return codedCase{d: d, codes: [][]int32{g1, g2, g3}, nLevels: []int{4, 4, 3}}
}

// randomFlag draws a coded 0/1 variable of n respondents, NaN for some.
func randomFlag(r *rand.Rand, n int) vec {
	tab := []float64{math.NaN(), 0, 1}
	codes := randomCodes(r, n, tab)
	y := make([]float64, n)
	for i, c := range codes {
		y[i] = tab[c]
	}
	return codedVec(floats(y), codes, tab, true)
}

// randomCodes draws n codes below len(table).
func randomCodes(r *rand.Rand, n int, table []float64) []uint8 {
	c := make([]uint8, n)
	for i := range c {
		c[i] = uint8(r.IntN(len(table)))
	}
	return c
}

// Through codes (sumCoded) a variable's estimates are those of its
// values read as float64s (sumCross and sumEach), for grouped and
// scattered PSUs, tables with repeated values and NaN codes, derived
// variables and several variables per pass.
func TestSumCoded(t *testing.T) {
	nan := math.NaN()
	r := rand.New(rand.NewPCG(1, 2))
	tables := [][]float64{
		{nan, 0, 1},               // a flag
		{nan, 1, 2, 3, 4, 5},      // a 1–5 item
		{nan, 0, 1, 1, 0, nan, 1}, // a flag derived from a score: repeats, NaN codes
		{nan, 2.5e9, 2.5e9 + 1},   // far from 0: the shift matters
	}
	for _, grouped := range []bool{true, false} {
		cs := newCodedCase(t, 6000, grouped)
		d := cs.d
		var ys, plain []vec
		for _, tab := range tables {
			codes := randomCodes(r, d.n, tab)
			y := make([]float64, d.n)
			for i, c := range codes {
				y[i] = tab[c]
			}
			ys = append(ys, codedVec(vec{full: y}, codes, tab, true))
			plain = append(plain, floats(y))
		}
		// Derived: a top-2 box and the first flag among the item's 5s.
		top2 := func(x float64) float64 {
			if math.IsNaN(x) {
				return x
			}
			return math.Floor(x / 4)
		}
		among := func(x, c float64) float64 {
			if c == 5 {
				return x
			}
			return nan
		}
		ys = append(ys, mapValues(ys[1], top2), zipValues(ys[0], ys[1], among))
		plain = append(plain, floats(mapValues(plain[1], top2).materialize(d.n)), floats(zipValues(plain[0], plain[1], among).materialize(d.n)))
		// An item's full distribution, as a banner shows it: each answer,
		// the bottom-2 net and the mean on reversed codes, all derived
		// from the item's codes.
		derived := []func(float64) float64{func(x float64) float64 { return 6 - x }}
		for a := 1.0; a <= 5; a++ {
			derived = append(derived, func(x float64) float64 {
				if math.IsNaN(x) {
					return x
				}
				return b2f(x == a)
			})
		}
		derived = append(derived, func(x float64) float64 {
			if math.IsNaN(x) {
				return x
			}
			return b2f(x <= 2)
		})
		for _, f := range derived {
			ys = append(ys, mapValues(ys[1], f))
			plain = append(plain, floats(mapValues(plain[1], f).materialize(d.n)))
		}
		df := make([]int, 1+4+4+3)
		// The three groupings, and none (the total sample only).
		for _, groupings := range []int{3, 0} {
			codes, nLevels := cs.codes[:groupings], cs.nLevels[:groupings]
			for _, fused := range []int{0, math.MaxInt32} {
				// fusedMinRun 0: cross cells and codes; MaxInt32: sumEach
				got := testEngine(d, func(th *thresholds) { th.fusedMinRun = fused }).sumAllMulti(ys, codes, nLevels, nil)
				want := testEngine(d, func(th *thresholds) { th.fusedMinRun = math.MaxInt32 }).sumAllMulti(plain, codes, nLevels, nil)
				for v := range ys {
					ge, we := got[v].estimates(d, df, 0.95), want[v].estimates(d, df, 0.95)
					if len(ge) != 1+sum(nLevels) {
						t.Fatalf("%d groupings: %d estimates, want %d", groupings, len(ge), 1+sum(nLevels))
					}
					for k := range we {
						sameEstimate(t, fmt.Sprintf("grouped %v, %d groupings, fusedMinRun %d, variable %d, group %d", grouped, groupings, fused, v, k), ge[k], we[k])
					}
					got[v].release(testEngine(d, nil))
					want[v].release(testEngine(d, nil))
				}
			}
		}
	}
}

// The coded forms of derived variables hold the values their fill
// computes, respondent by respondent.
func TestCodedValues(t *testing.T) {
	nan := math.NaN()
	r := rand.New(rand.NewPCG(5, 6))
	const n = 3 * blockRows / 2
	ta, tb := []float64{nan, 1, 2, 3, 2}, []float64{nan, 0, 1}
	a := codedVec(vec{}, randomCodes(r, n, ta), ta, true)
	b := codedVec(vec{}, randomCodes(r, n, tb), tb, true)
	a.fill = func(dst []float64, from int) {
		for i, c := range a.coded.codes(make([]uint8, len(dst)), from) {
			dst[i] = ta[c]
		}
	}
	b.fill = func(dst []float64, from int) {
		for i, c := range b.coded.codes(make([]uint8, len(dst)), from) {
			dst[i] = tb[c]
		}
	}
	for name, y := range map[string]vec{
		"a":      a,
		"1 − b":  mapValues(b, func(x float64) float64 { return 1 - x }),
		"a − b":  zipValues(a, b, func(x, y float64) float64 { return x - y }),
		"a if b": zipValues(a, b, func(x, y float64) float64 { return map[bool]float64{true: x, false: nan}[y == 1] }),
	} {
		if y.coded == nil {
			t.Fatalf("%s: not coded", name)
		}
		want := y.materialize(n)
		buf := make([]uint8, 100)
		for lo := 0; lo < n; lo += len(buf) {
			m := min(len(buf), n-lo)
			for j, c := range y.coded.codes(buf[:m], lo) {
				got := y.coded.value(y.coded.slot[c])
				if w := want[lo+j]; !(got == w || math.IsNaN(got) && math.IsNaN(w)) {
					t.Fatalf("%s: respondent %d = %v, want %v", name, lo+j, got, w)
				}
			}
		}
	}
	// Too many combined values: the derived variable is not coded.
	wide := make([]float64, 200)
	for i := range wide {
		wide[i] = float64(i)
	}
	wide[0] = nan
	x := codedVec(vec{}, randomCodes(r, n, wide), wide, true)
	if z := zipValues(x, b, func(x, y float64) float64 { return x + y }); z.coded != nil {
		t.Errorf("zipValues of 200 × 3 values: coded, want not")
	}
}

// The sums' cellSums and binaryTable are what sumCells and tabulate make
// of the same variable.
func TestSumsAsCellsAndTable(t *testing.T) {
	nan := math.NaN()
	r := rand.New(rand.NewPCG(9, 10))
	cs := newCodedCase(t, 5000, true)
	d := cs.d
	tab := []float64{nan, 0, 1}
	codes := randomCodes(r, d.n, tab)
	y := make([]float64, d.n)
	for i, c := range codes {
		y[i] = tab[c]
	}
	s := &study{d: d}
	for _, v := range []vec{codedVec(vec{full: y}, codes, tab, true), floats(y)} {
		sums := testEngine(d, func(th *thresholds) { th.fusedMinRun = 0 }).sumAllMulti([]vec{v}, cs.codes, cs.nLevels, nil)[0]
		for k, g := range cs.codes {
			got := sums.cellSums(d, k+1)
			want := s.sumCells(y, cs.nLevels[k], func(i int) int { return int(g[i]) })
			for j := range want.psu {
				if !closeTo(got.psu[j].w, want.psu[j].w, 1e-12) || !closeTo(got.psu[j].wy, want.psu[j].wy, 1e-12) {
					t.Fatalf("grouping %d: cellSums psu[%d] = %v, want %v", k, j, got.psu[j], want.psu[j])
				}
			}
			for l := range want.cell {
				if !closeTo(got.cell[l].w, want.cell[l].w, 1e-12) || !closeTo(got.cell[l].wy, want.cell[l].wy, 1e-12) || got.n[l] != want.n[l] {
					t.Errorf("grouping %d: cellSums level %d = %v, %d, want %v, %d", k, l, got.cell[l], got.n[l], want.cell[l], want.n[l])
				}
			}
			tb := sums.binaryTable(d, k+1)
			wt := d.tabulate(g, binaryCodes(y, nil), cs.nLevels[k], 2, nil)
			for j := range wt.cell {
				if !closeTo(tb.cell[j], wt.cell[j], 1e-12) {
					t.Fatalf("grouping %d: binaryTable cell %d = %v, want %v", k, j, tb.cell[j], wt.cell[j])
				}
			}
			gr, err1 := tb.chisq(d, nil)
			wr, err2 := wt.chisq(d, nil)
			if (err1 == nil) != (err2 == nil) || !closeTo(gr.F, wr.F, 1e-10) || !closeTo(gr.P, wr.P, 1e-10) {
				t.Errorf("grouping %d: chisq = %+v (%v), want %+v (%v)", k, gr, err1, wr, err2)
			}
		}
		sums.release(testEngine(d, nil))
	}
}

// itemCov of coded items, from counts by answer pattern, is itemCov of
// their values, errors included.
func TestItemCovByPattern(t *testing.T) {
	nan := math.NaN()
	r := rand.New(rand.NewPCG(11, 12))
	const n = 5000
	scale := []float64{nan, 1, 2, 3, 4, 5}
	yesNo := []float64{nan, 0, 1}
	one := []float64{nan, 3}
	tests := []struct {
		name   string
		tables [][]float64
		keep   float64 // share of respondents answering at all
	}{
		{"scale items", [][]float64{scale, scale, scale, scale}, 1},
		{"mixed", [][]float64{scale, yesNo, yesNo}, 1},
		{"a constant item", [][]float64{scale, one}, 1},
		{"one complete case", [][]float64{scale, scale}, 0.0002},
	}
	for _, tt := range tests {
		var coded, plain []vec
		for _, tab := range tt.tables {
			codes := randomCodes(r, n, tab)
			for i := range codes {
				if r.Float64() >= tt.keep {
					codes[i] = 0
				}
			}
			y := make([]float64, n)
			for i, c := range codes {
				y[i] = tab[c]
			}
			coded = append(coded, codedVec(vec{full: y}, codes, tab, true))
			plain = append(plain, floats(y))
		}
		if patternCounts(coded, n) == nil {
			t.Fatalf("%s: no pattern counts", tt.name)
		}
		got, gotN, gotErr := itemCov(coded, n)
		want, wantN, wantErr := itemCov(plain, n)
		if gotN != wantN || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
			t.Errorf("%s: itemCov = %d cases, %v; want %d, %v", tt.name, gotN, gotErr, wantN, wantErr)
		}
		for j := range want {
			for l := range want[j] {
				if !closeTo(got[j][l], want[j][l], 1e-12) {
					t.Errorf("%s: cov[%d][%d] = %v, want %v", tt.name, j, l, got[j][l], want[j][l])
				}
			}
		}
	}
}

// The sums' variances are VarianceFromPSUTotals of each group's influence
// totals and of the difference of two groups', with and without centring
// (a lonely PSU under "adjust") and with a finite population, from the
// PSU cells and from moments (sumVariances of a coded y). Grouping q is
// constant within PSUs, so that its levels' products are zero there
// (sumCoded skips them).
func TestSumsVariances(t *testing.T) {
	nan := math.NaN()
	r := rand.New(rand.NewPCG(13, 14))
	const n = 1200
	st, psu, fpc, g, q := make([]int32, n), make([]int32, n), make([]float64, n), make([]int32, n), make([]int32, n)
	for i := range st {
		p := int32(i / 30) // 40 PSUs; stratum 3 has one
		psu[i], st[i] = p, min(p/13, 3)
		fpc[i] = 60
		g[i] = int32(r.IntN(4)) - 1
		q[i] = (p / 2) % 3
	}
	tab := []float64{nan, 0, 1, 2}
	codes := randomCodes(r, n, tab)
	y := make([]float64, n)
	for i, c := range codes {
		y[i] = tab[c]
	}
	// Positions in a PSU's row: 0 the total, 1–3 g's levels, 4–6 q's.
	groupings, nLevels := [][]int32{g, q}, []int{3, 3}
	member := func(k, i int) bool {
		switch {
		case k == 0:
			return true
		case k <= 3:
			return g[i] == int32(k-1)
		}
		return q[i] == int32(k-4)
	}
	pairs := [][2]int{{1, 2}, {1, 3}, {2, 3}, {0, 2}, {4, 5}, {4, 6}, {5, 6}, {2, 5}, {0, 6}}
	for _, lonely := range []LonelyPSU{LonelyAdjust, LonelyRemove, LonelyCertainty} {
		d, err := NewDesign(n, DesignSpec{Strata: st, PSU: psu, FPC: fpc, Lonely: lonely})
		if err != nil {
			t.Fatal(err)
		}
		sums := d.sumAll(floats(y), groupings, nLevels)
		v, pv := sums.variances(d, pairs)
		mom := testEngine(d, nil).sumVariances([]vec{codedVec(floats(y), codes, tab, true)}, groupings, nLevels, nil, pairs)[0]
		if mom.moments == nil || mom.groupings[0].cells != nil {
			t.Fatalf("lonely %v: sumVariances kept cells, want moments only", lonely)
		}
		mv, mpv := mom.variances(d, pairs)
		// The influence totals, one group at a time.
		infl := make([][]float64, 7)
		for k := range infl {
			gr := sums.groupings[0]
			grp := gr.gs[0]
			switch {
			case k >= 4:
				gr = sums.groupings[2]
				grp = gr.gs[k-4]
			case k >= 1:
				gr = sums.groupings[1]
				grp = gr.gs[k-1]
			}
			mean := grp.shift + grp.swd/grp.sw
			z := make([]float64, n)
			for i := range z {
				if member(k, i) && !math.IsNaN(y[i]) {
					z[i] = d.w[i] * (y[i] - mean) / grp.sw
				}
			}
			infl[k] = d.SumByPSU(z, nil)
			want := d.VarianceFromPSUTotals(infl[k])
			if !closeTo(v[k], want, 1e-10) {
				t.Errorf("lonely %v: variance of group %d = %v, want %v", lonely, k, v[k], want)
			}
			if !closeTo(mv[k], want, 1e-10) {
				t.Errorf("lonely %v: variance of group %d from moments = %v, want %v", lonely, k, mv[k], want)
			}
		}
		for k, ab := range pairs {
			diff := make([]float64, d.NumPSU())
			for p := range diff {
				diff[p] = infl[ab[0]][p] - infl[ab[1]][p]
			}
			want := d.VarianceFromPSUTotals(diff)
			if !closeTo(pv[k], want, 1e-10) {
				t.Errorf("lonely %v: variance of groups %v's difference = %v, want %v", lonely, ab, pv[k], want)
			}
			if !closeTo(mpv[k], want, 1e-10) {
				t.Errorf("lonely %v: variance of groups %v's difference from moments = %v, want %v", lonely, ab, mpv[k], want)
			}
		}
		sums.release(testEngine(d, nil))
	}
}

// sumAll is sumAllMulti of one variable with the default thresholds, the
// tests' shorthand.
func (d *Design) sumAll(y vec, codes [][]int32, nLevels []int) *allSums {
	return testEngine(d, nil).sumAllMulti([]vec{y}, codes, nLevels, nil)[0]
}

// testEngine returns d's engine with a cache of its own, whose thresholds
// set (when not nil) changes.
func testEngine(d *Design, set func(*thresholds)) engine {
	return newEngine(nil, d, testCache(set))
}

// testCache is a cache like a call's own (keeping no sums) whose
// thresholds set (when not nil) changes, for Options.Cache: tests choose
// the engine's paths with it, and run in parallel.
func testCache(set func(*thresholds)) *Cache {
	c := newCallCache()
	if set != nil {
		set(&c.th)
	}
	return c
}

func sum(xs []int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}

// Moments lose few digits where they lose most: PSUs of 200 (the most
// sumVariances keeps moments for), large unequal weights and strata whose
// shares (0.03 … 0.97) are far from the mean, so that each PSU's total is
// large beside its deviation from the stratum's. Larger PSUs keep rows.
func TestMomentsPrecision(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	momentsMaxPSUSize := defaultThresholds().momentsMaxPSUSize
	for _, size := range []int{momentsMaxPSUSize, momentsMaxPSUSize + 1} {
		const psus = 60
		n := psus * size
		w, st, psu, g := make([]float64, n), make([]int32, n), make([]int32, n), make([]int32, n)
		tab := []float64{math.NaN(), 0, 1}
		codes := make([]uint8, n)
		share := []float64{0.03, 0.5, 0.97}
		for i := range w {
			p := int32(i / size)
			psu[i], st[i] = p, p%3
			w[i] = 100 + 9900*r.Float64()
			g[i] = int32(r.IntN(2))
			codes[i] = 1
			if r.Float64() < share[st[i]] {
				codes[i] = 2
			}
		}
		y := make([]float64, n)
		for i, c := range codes {
			y[i] = tab[c]
		}
		d, err := NewDesign(n, DesignSpec{Weights: w, Strata: st, PSU: psu})
		if err != nil {
			t.Fatal(err)
		}
		pairs := [][2]int{{1, 2}, {0, 1}}
		rows := d.sumAll(floats(y), [][]int32{g}, []int{2})
		mom := testEngine(d, nil).sumVariances([]vec{codedVec(floats(y), codes, tab, true)}, [][]int32{g}, []int{2}, nil, pairs)[0]
		if got, want := mom.moments != nil, size <= momentsMaxPSUSize; got != want {
			t.Fatalf("PSUs of %d: moments kept = %v, want %v", size, got, want)
		}
		v, pv := rows.variances(d, pairs)
		mv, mpv := mom.variances(d, pairs)
		for k := range v {
			if !closeTo(mv[k], v[k], 1e-11) {
				t.Errorf("PSUs of %d: variance of group %d from moments = %v, want %v", size, k, mv[k], v[k])
			}
		}
		for k := range pv {
			if !closeTo(mpv[k], pv[k], 1e-11) {
				t.Errorf("PSUs of %d: variance of pair %v from moments = %v, want %v", size, pairs[k], mpv[k], pv[k])
			}
		}
		rows.release(testEngine(d, nil))
		mom.release(testEngine(d, nil))
	}
}

// Sums kept as moments with every grouping's full products (sumLevels)
// give compare's contrasts and Rao-Scott tables as the PSU cells do.
func TestLevelsFromMoments(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	cs := newCodedCase(t, 6000, true)
	d := cs.d
	yc := randomFlag(r, d.n)
	mom := testEngine(d, nil).sumLevels([]vec{yc}, cs.codes, cs.nLevels, nil)[0]
	rows := testEngine(d, nil).sumAllMulti([]vec{yc}, cs.codes, cs.nLevels, nil)[0]
	if mom.moments == nil || rows.moments != nil {
		t.Fatal("sumLevels kept no moments, or sumAllMulti did")
	}
	for k := 1; k <= len(cs.codes); k++ {
		mc, rc := mom.cellSums(d, k), rows.cellSums(d, k)
		for c := range cs.nLevels[k-1] {
			in := func(x int) bool { return x == c }
			rest := func(x int) bool { return x != c }
			for _, logit := range []bool{false, true} {
				got, want := mc.contrast(in, rest, logit), rc.contrast(in, rest, logit)
				if !closeTo(got.Estimate, want.Estimate, 1e-12) || !closeTo(got.SE, want.SE, 1e-10) || got.N != want.N {
					t.Errorf("grouping %d level %d (logit %v): contrast %v ± %v (n %d), want %v ± %v (n %d)", k, c, logit, got.Estimate, got.SE, got.N, want.Estimate, want.SE, want.N)
				}
			}
		}
		got, gerr := mom.binaryTable(d, k).chisq(d, nil)
		want, werr := rows.binaryTable(d, k).chisq(d, nil)
		if (gerr != nil) != (werr != nil) {
			t.Fatalf("grouping %d: chisq errors %v, want %v", k, gerr, werr)
		}
		for _, f := range [][2]float64{{got.F, want.F}, {got.NDF, want.NDF}, {got.DDF, want.DDF}, {got.P, want.P}, {got.Pearson, want.Pearson}} {
			if !closeTo(f[0], f[1], 1e-9) {
				t.Errorf("grouping %d: chisq %+v, want %+v", k, got, want)
				break
			}
		}
	}
	rows.release(testEngine(d, nil))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
