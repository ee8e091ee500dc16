package analysis

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// diffCase is a random design with domain variables and two variables
// to estimate: y, coded (as a Compact load stores construct values), and
// yf, continuous and read as float64s.
type diffCase struct {
	name    string
	n       int
	spec    DesignSpec
	codes   [][]int32
	nLevels []int
	y       vec
	yv      []float64 // y's values
	yf      []float64
	ymax    float64 // the largest |value|, the scale of absolute tolerances
}

// randomDiffCase draws design shapes around every threshold of the
// engine: strata of one PSU (lonely) to many, PSUs of one respondent to
// a few hundred (on both sides of fusedMinRun and momentsMaxPSUSize),
// respondents grouped by PSU, dealt out in runs or shuffled, weights
// from 1e-3 to 1e3, finite population corrections including census
// strata, missing answers, and domain variables with an empty level, a
// level of one respondent and a level constant within PSUs.
func randomDiffCase(r *rand.Rand, k int) diffCase {
	sizes := [][2]int{{1, 1}, {1, 4}, {14, 18}, {30, 60}, {195, 205}}
	sz := sizes[r.IntN(len(sizes))]
	H := 1 + r.IntN(4)
	var psuSize []int
	var psuStratum []int32
	lonely := false
	for h := 0; h < H; h++ {
		np := 2 + r.IntN(5)
		if r.IntN(4) == 0 {
			np, lonely = 1, true
		}
		if sz[1] <= 4 && r.IntN(2) == 0 {
			np = 20 + r.IntN(40) // many small PSUs
		}
		for range np {
			psuSize = append(psuSize, sz[0]+r.IntN(sz[1]-sz[0]+1))
			psuStratum = append(psuStratum, int32(h))
		}
	}
	n := 0
	for _, s := range psuSize {
		n += s
	}
	// Respondents PSU by PSU, then reordered.
	st, psu := make([]int32, 0, n), make([]int32, 0, n)
	for p, s := range psuSize {
		for range s {
			st = append(st, psuStratum[p]*3+1) // codes need not be dense
			psu = append(psu, int32(p*7%1000))
		}
	}
	order := "grouped"
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	switch r.IntN(3) {
	case 1:
		order = "shuffled"
		r.Shuffle(n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
	case 2:
		order = "runs of 3"
		// Runs of 3 from the first half and the second in turn, so
		// that a PSU is split into several runs.
		runs := (n + 2) / 3
		half := (runs + 1) / 2
		perm = perm[:0]
		for q := 0; q < half; q++ {
			for _, run := range []int{q, q + half} {
				for i := run * 3; i < min(run*3+3, n) && run < runs; i++ {
					perm = append(perm, i)
				}
			}
		}
	}
	reorder32 := func(a []int32) []int32 {
		out := make([]int32, n)
		for i, j := range perm {
			out[i] = a[j]
		}
		return out
	}
	st, psu = reorder32(st), reorder32(psu)
	w := make([]float64, n)
	for i := range w {
		w[i] = math.Exp(math.Log(1e-3) + r.Float64()*math.Log(1e6))
	}
	spec := DesignSpec{Weights: w, Strata: st, PSU: psu}
	if lonely {
		spec.Lonely = []LonelyPSU{LonelyAdjust, LonelyRemove, LonelyCertainty, LonelyAverage}[r.IntN(4)]
	}
	if r.IntN(3) == 0 {
		// Population counts per stratum; some strata fully enumerated.
		count := map[int32]map[int32]bool{}
		for i := range st {
			if count[st[i]] == nil {
				count[st[i]] = map[int32]bool{}
			}
			count[st[i]][psu[i]] = true
		}
		pop := map[int32]float64{}
		for h, ps := range count {
			pop[h] = float64(len(ps) + r.IntN(3*len(ps)+1))
			if pop[h] <= 1 {
				pop[h] = 2 // a count, not a fraction
			}
		}
		spec.FPC = make([]float64, n)
		for i := range st {
			spec.FPC[i] = pop[st[i]]
		}
	}
	// Domain variables: one constant within PSUs (as a region that
	// stratifies the sample), then random ones; each has an empty level
	// and one of a single respondent.
	var codes [][]int32
	var nLevels []int
	for g := 0; g < 1+r.IntN(3); g++ {
		L := []int{1, 2, 3, 5, 12}[r.IntN(5)] + 2
		c := make([]int32, n)
		for i := range c {
			if g == 0 {
				c[i] = psu[i] % int32(L-2)
			} else {
				c[i] = int32(r.IntN(L-1)) - 1 // −1: in no level
			}
			if c[i] == int32(L-2) {
				c[i] = -1 // level L−2 empty
			}
		}
		c[r.IntN(n)] = int32(L - 1) // level L−1: one respondent
		codes, nLevels = append(codes, c), append(nLevels, L)
	}
	// y: coded, 1 to 9 values (both sides of maxCodedSlots), some far
	// from 0 relative to their spread; yf continuous.
	nv := []int{1, 2, 5, 6, 7, 9}[r.IntN(6)]
	base := []float64{0, 1, 1000}[r.IntN(3)]
	table := []float64{math.NaN()}
	for v := 0; v < nv; v++ {
		table = append(table, base+float64(v))
	}
	miss := []float64{0, 0.1, 0.5}[r.IntN(3)]
	cs := make([]uint8, n)
	yv := make([]float64, n)
	yf := make([]float64, n)
	ymax := 0.0
	for i := range cs {
		cs[i] = uint8(1 + r.IntN(nv))
		if r.Float64() < miss {
			cs[i] = 0
		}
		yv[i] = table[cs[i]]
		yf[i] = base + 10*r.NormFloat64()
		ymax = max(ymax, math.Abs(yf[i]), float64(nv)+base)
		if r.Float64() < miss {
			yf[i] = math.NaN()
		}
	}
	name := fmt.Sprintf("case %d: n %d, %d strata, %d PSUs of %d–%d, %s, lonely %v, fpc %v, groupings %v, %d values from %v, missing %v",
		k, n, H, len(psuSize), sz[0], sz[1], order, spec.Lonely, spec.FPC != nil, nLevels, nv, base, miss)
	y := codedVec(floats(yv), cs, table, true)
	y.key = &table // any object: for the shared sums
	return diffCase{name: name, n: n, spec: spec, codes: codes, nLevels: nLevels, y: y, yv: yv, yf: yf, ymax: ymax + 1}
}

// enginePaths are threshold settings that send the sums down each of the
// engine's paths.
var enginePaths = []struct {
	name string
	set  func(*thresholds)
}{
	{"default", nil},
	{"sumEach", func(th *thresholds) { th.fusedMinRun = math.MaxInt32 }},
	{"cross cells", func(th *thresholds) { th.fusedMinRun = 0 }},
	{"cross cells, no codes", func(th *thresholds) { th.fusedMinRun, th.maxCodedSlots = 0, 0 }},
	{"cross cells, codes, no moments", func(th *thresholds) { th.fusedMinRun, th.momentsMaxPSUSize = 0, 0 }},
	{"cross cells, moments always", func(th *thresholds) { th.fusedMinRun, th.momentsMaxPSUSize = 0, math.MaxInt32 }},
	{"too many cross keys", func(th *thresholds) { th.fusedMinRun, th.maxCrossKeys = 0, 1 }},
}

// The engine, on every path, and the exported estimators give the
// reference's estimates, SEs, bases, degrees of freedom and design
// effects, and the variances of differences of domain means, to 1e-9
// relative, on random design shapes.
func TestEngineMatchesReference(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(14, 1))
	cases := 150
	if testing.Short() {
		cases = 30
	}
	for k := range cases {
		c := randomDiffCase(r, k)
		checkEngineCase(t, c)
	}
}

func checkEngineCase(t *testing.T, c diffCase) {
	t.Helper()
	d, err := NewDesign(c.n, c.spec)
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	ref := newRefDesign(c.n, c.spec)
	// The reference, domain by domain in the engine's order: the total,
	// then each grouping's levels.
	type dom struct {
		in   func(i int) bool
		name string
	}
	doms := []dom{{func(int) bool { return true }, "total"}}
	for g, codes := range c.codes {
		for l := range c.nLevels[g] {
			doms = append(doms, dom{func(i int) bool { return codes[i] == int32(l) }, fmt.Sprintf("grouping %d level %d", g, l)})
		}
	}
	// Pairs of domains whose difference the banner tests: two levels of
	// one grouping, and a level against the total.
	pairs := [][2]int{{0, 1}}
	if len(doms) > 2 {
		pairs = append(pairs, [2]int{1, 2})
	}
	for _, v := range []struct {
		name string
		y    vec
		vals []float64
	}{{"coded y", c.y, c.yv}, {"float y", floats(c.yf), c.yf}} {
		want := make([]refEstimate, len(doms))
		for k, dm := range doms {
			want[k] = ref.mean(v.vals, dm.in)
		}
		wantPV := make([]float64, len(pairs))
		for k, p := range pairs {
			wantPV[k] = ref.diffVariance(v.vals, doms[p[0]].in, doms[p[1]].in)
		}
		for _, path := range enginePaths {
			e := testEngine(d, path.set)
			df := []int{d.DegF(nil)}
			for g, codes := range c.codes {
				df = append(df, e.levelDegF(codes, c.nLevels[g], nil)...)
			}
			what := fmt.Sprintf("%s, %s, %s", c.name, v.name, path.name)
			sums := e.sumVariances([]vec{v.y}, c.codes, c.nLevels, nil, nil)[0]
			compareRef(t, what, sums.estimates(d, df, 0.95), want, c.ymax)
			sums.release(e)
			// Moments keep the products of the pairs asked for only.
			sums = e.sumVariances([]vec{v.y}, c.codes, c.nLevels, nil, pairs)[0]
			_, pv := sums.variances(d, pairs)
			sums.release(e)
			for k := range pairs {
				if !refClose(math.Sqrt(pv[k]), math.Sqrt(wantPV[k]), c.ymax) {
					t.Errorf("%s: SE of domains %v's difference = %v, want %v", what, pairs[k], math.Sqrt(pv[k]), math.Sqrt(wantPV[k]))
				}
			}
			// Row sums (sumAllMulti: no moments) too, and the contrasts
			// of levels 0 and 1 of each grouping that Compare and Trust
			// read from rows or from moments with full products.
			rows := e.sumAllMulti([]vec{v.y}, c.codes, c.nLevels, nil)[0]
			compareRef(t, what+" (rows)", rows.estimates(d, df, 0.95), want, c.ymax)
			levels := e.sumLevels([]vec{v.y}, c.codes, c.nLevels, nil)[0]
			at := 1
			for g, codes := range c.codes {
				a := func(i int) bool { return codes[i] == 0 }
				b := func(i int) bool { return codes[i] == 1 }
				ra, rb := ref.mean(v.vals, a), ref.mean(v.vals, b)
				if ra.n == 0 || rb.n == 0 {
					at += c.nLevels[g]
					continue
				}
				wantSE := math.Sqrt(ref.diffVariance(v.vals, a, b))
				for _, src := range []struct {
					name string
					sums *allSums
				}{{"rows", rows}, {"levels", levels}} {
					got := src.sums.cellSums(d, g+1).contrast(func(c int) bool { return c == 0 }, func(c int) bool { return c == 1 }, false)
					if !refClose(got.Estimate, ra.est-rb.est, c.ymax) || !refClose(got.SE, wantSE, c.ymax) {
						t.Errorf("%s: grouping %d levels 0 − 1 from %s = %v ± %v, want %v ± %v", what, g, src.name, got.Estimate, got.SE, ra.est-rb.est, wantSE)
					}
				}
				at += c.nLevels[g]
			}
			rows.release(e)
			levels.release(e)
		}
		// Shared sums taken out of a pass over every grouping for the
		// last grouping alone.
		if v.y.key != nil && len(c.codes) > 1 {
			cache := NewCache()
			cache.th.fusedMinRun = 0
			e := newEngine(nil, d, cache)
			e.sumShared(true, []vec{v.y}, c.codes, c.nLevels, nil, nil, noFull)
			last := len(c.codes) - 1
			sub := e.sumShared(true, []vec{v.y}, c.codes[last:], c.nLevels[last:], nil, nil, noFull)[0]
			df := append([]int{d.DegF(nil)}, e.levelDegF(c.codes[last], c.nLevels[last], nil)...)
			subWant := append([]refEstimate{want[0]}, want[len(want)-c.nLevels[last]:]...)
			compareRef(t, fmt.Sprintf("%s, %s, shared subset", c.name, v.name), sub.estimates(d, df, 0.95), subWant, c.ymax)
		}
		// The exported estimators.
		mean := d.Mean(v.vals, nil, 0.95)
		compareRef(t, fmt.Sprintf("%s, %s, Design.Mean", c.name, v.name), []Estimate{mean}, want[:1], c.ymax)
		at := 1
		for g, codes := range c.codes {
			by := d.MeanBy(v.vals, codes, c.nLevels[g], 0.95)
			compareRef(t, fmt.Sprintf("%s, %s, Design.MeanBy grouping %d", c.name, v.name, g), by, want[at:at+len(by)], c.ymax)
			at += len(by)
		}
		if len(c.codes) > 0 {
			in := make([]bool, len(v.vals))
			for i, k := range c.codes[0] {
				in[i] = k == 0
			}
			dom := d.Mean(v.vals, in, 0.95)
			compareRef(t, fmt.Sprintf("%s, %s, Design.Mean in level 0 of grouping 0", c.name, v.name), []Estimate{dom}, want[1:2], c.ymax)
		}
	}
}

// refClose compares a figure with the reference's to 1e-9 relative, or
// 1e-12 of the data's scale for figures that should be 0 (a mean's SE
// cannot be told from 0 more finely in float64).
func refClose(got, want, scale float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	return math.Abs(got-want) <= 1e-9*math.Abs(want)+1e-12*scale
}

func compareRef(t *testing.T, what string, got []Estimate, want []refEstimate, scale float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d estimates, want %d", what, len(got), len(want))
	}
	for k, w := range want {
		g := got[k]
		if g.N != w.n || g.NDomain != w.nd || g.DF != w.df {
			t.Errorf("%s: domain %d n, n domain, df = %d, %d, %d; want %d, %d, %d", what, k, g.N, g.NDomain, g.DF, w.n, w.nd, w.df)
		}
		if !refClose(g.Estimate, w.est, scale) || !refClose(g.SE, w.se, scale) || !refClose(g.WeightedN, w.wn, 0) {
			t.Errorf("%s: domain %d = %v ± %v (Σw %v), want %v ± %v (Σw %v)", what, k, g.Estimate, g.SE, g.WeightedN, w.est, w.se, w.wn)
		}
		// The design effect divides two variances that vanish together
		// where y is constant: compared where the SE is well above 0.
		if w.se > 1e-6*scale && !refClose(g.Deff, w.deff, 0) && math.Abs(g.Deff-w.deff) > 1e-8*math.Abs(w.deff) {
			t.Errorf("%s: domain %d deff = %v, want %v", what, k, g.Deff, w.deff)
		}
	}
}
