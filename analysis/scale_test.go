package analysis

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trustgap/trustgap/internal/leanload"
	"github.com/trustgap/trustgap/survey"
)

// closeTo reports whether got and want agree to rel (relative, or
// absolute below 1), NaN matching NaN.
func closeTo(got, want, rel float64) bool {
	if math.IsNaN(got) || math.IsNaN(want) {
		return math.IsNaN(got) && math.IsNaN(want)
	}
	return math.Abs(got-want) <= rel*math.Max(1, math.Abs(want))
}

func sameEstimate(t *testing.T, what string, got, want Estimate) {
	t.Helper()
	for _, f := range []struct {
		name      string
		got, want float64
	}{
		{"Estimate", got.Estimate, want.Estimate}, {"SE", got.SE, want.SE}, {"WeightedN", got.WeightedN, want.WeightedN},
		{"Deff", got.Deff, want.Deff}, {"CILow", got.CILow, want.CILow}, {"CIHigh", got.CIHigh, want.CIHigh},
	} {
		if !closeTo(f.got, f.want, 1e-12) {
			t.Errorf("%s %s = %v, want %v", what, f.name, f.got, f.want)
		}
	}
	if got.N != want.N || got.NDomain != want.NDomain || got.DF != want.DF {
		t.Errorf("%s N, NDomain, DF = %d, %d, %d, want %d, %d, %d", what, got.N, got.NDomain, got.DF, want.N, want.NDomain, want.DF)
	}
}

// meanAll gives Mean's and MeanBy's estimates from one pass, for plain and
// block-read vecs.
func TestMeanAll(t *testing.T) {
	ds := loadStudy(t)
	s, err := newStudy(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	codes := [][]int32{s.vars[0].codes, s.vars[1].codes, s.vars[2].codes}
	nLevels := []int{len(s.vars[0].levels), len(s.vars[1].levels), len(s.vars[2].levels)}
	for _, c := range []*survey.Construct{ds.Construct("concern"), ds.Construct("trust")} {
		for _, y := range [][]float64{c.Flags().All(nil), c.Scores().All(nil)} {
			blocky := vec{fill: func(dst []float64, from int) { copy(dst, y[from:]) }}
			for _, v := range []vec{floats(y), blocky} {
				got := testEngine(s.d, nil).meanAll(v, codes, nLevels, nil, s.domainDF(), 0.9)
				// fusedMinRun 0: through cross cells, one flush per PSU run
				fused := testEngine(s.d, func(th *thresholds) { th.fusedMinRun = 0 }).meanAll(v, codes, nLevels, nil, s.domainDF(), 0.9)
				want := []Estimate{s.d.Mean(y, nil, 0.9)}
				for k := range codes {
					want = append(want, s.d.MeanBy(y, codes[k], nLevels[k], 0.9)...)
				}
				if len(got) != len(want) {
					t.Fatalf("meanAll: %d estimates, want %d", len(got), len(want))
				}
				for k := range got {
					sameEstimate(t, fmt.Sprintf("%s domain %d", c.Name, k), got[k], want[k])
					sameEstimate(t, fmt.Sprintf("%s domain %d (cross cells)", c.Name, k), fused[k], want[k])
				}
			}
		}
	}
}

// domainDF reads each domain variable once for what DegF gives per domain.
func TestDomainDF(t *testing.T) {
	ds := loadStudy(t)
	s, err := newStudy(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := s.domainDF()
	buf := make([]bool, ds.N)
	for k := range s.doms {
		if want := s.d.DegF(s.member(k, buf)); got[k] != want {
			t.Errorf("domainDF[%d] (%v) = %d, want %d", k, s.doms[k].dom, got[k], want)
		}
	}
}

// The one-pass correlation is Design.Correlation in every domain.
func TestCorrelationOnePass(t *testing.T) {
	ds := loadStudy(t)
	s, err := newStudy(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	x, y := ds.Construct("concern").Scores().All(nil), ds.Construct("sharing").Scores().All(nil)
	// A constant score in one domain: undefined there.
	yc := append([]float64(nil), y...)
	for i, c := range s.vars[0].codes {
		if c == 0 {
			yc[i] = 2
		}
	}
	for _, yy := range [][]float64{y, yc} {
		got := s.correlation("x", floats(x), "y", floats(yy))
		buf := make([]bool, ds.N)
		for k := range s.doms {
			in := s.member(k, buf)
			want, err := s.d.Correlation(x, yy, in)
			if err != nil {
				want = math.NaN()
			}
			if g := float64(got.Domains[k].Estimate); !closeTo(g, want, 1e-12) {
				t.Errorf("correlation in %v = %v, want %v", s.doms[k].dom, g, want)
			}
		}
	}
}

// fitLogitCells fits what Logistic fits on the dummies it stands for,
// including respondents without a covariate that has no column.
func TestLogisticDummies(t *testing.T) {
	ds := loadStudy(t)
	d, err := StudyDesign(ds, LonelyFail)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	y := append([]float64(nil), ds.Construct("comfort").Flags().All(nil)...)
	f := append([]float64(nil), ds.Construct("trust").Flags().All(nil)...)
	region := &survey.Column{Name: "region", Codes: append([]int32(nil), ds.Region.Codes...), Levels: ds.Region.Levels}
	gen := ds.Segments[0]
	// A covariate whose only level among the respondents is the
	// reference: no column, and its missing answers keep respondents in.
	only := &survey.Column{Name: "only", Codes: make([]int32, ds.N), Levels: []string{"a", "b"}}
	for i := range only.Codes {
		if r.IntN(10) == 0 {
			only.Codes[i] = -1
		}
		if r.IntN(20) == 0 {
			region.Codes[i] = -1
		}
	}
	cats := []*survey.Column{region, gen, only}
	names := []string{"trust"}
	var dummies [][]int32
	X := [][]float64{f}
	for _, c := range cats {
		var dm []int32
		cols, _ := Dummies(c.Codes, len(c.Levels), nil, "")
		for j := 1; j < len(c.Levels); j++ {
			used := false
			for i := range c.Codes {
				if c.Codes[i] == int32(j) && answered(y[i], f[i]) {
					used = true
				}
			}
			if used && c != only {
				dm = append(dm, int32(j))
				names = append(names, c.Name+c.Levels[j])
				X = append(X, cols[j-1])
			}
		}
		dummies = append(dummies, dm)
	}
	cl, err := d.newLogitCells(floats(y), floats(f), cats)
	if err != nil {
		t.Fatal(err)
	}
	got, err := d.fitLogitCells(cl, dummies, names)
	if err != nil {
		t.Fatal(err)
	}
	want, err := d.Logistic(y, X, names, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.N != want.N || got.DF != want.DF || len(got.Coef) != len(want.Coef) {
		t.Fatalf("N, DF, coefficients = %d, %d, %d, want %d, %d, %d", got.N, got.DF, len(got.Coef), want.N, want.DF, len(want.Coef))
	}
	for j := range got.Coef {
		if !closeTo(got.Coef[j], want.Coef[j], 1e-9) || !closeTo(got.SE[j], want.SE[j], 1e-9) {
			t.Errorf("%s: coef %v SE %v, want %v %v", got.Names[j], got.Coef[j], got.SE[j], want.Coef[j], want.SE[j])
		}
	}
}

// jsonNumbersClose compares two results through their JSON: the same
// shape and strings, numbers within rel.
func jsonNumbersClose(t *testing.T, what string, got, want any, rel float64) {
	t.Helper()
	var g, w any
	for _, p := range []struct {
		v   any
		dst *any
	}{{got, &g}, {want, &w}} {
		b, err := json.Marshal(p.v)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, p.dst); err != nil {
			t.Fatal(err)
		}
	}
	var walk func(path string, a, b any)
	walk = func(path string, a, b any) {
		switch a := a.(type) {
		case map[string]any:
			bm, ok := b.(map[string]any)
			if !ok || len(a) != len(bm) {
				t.Errorf("%s%s: %v, want %v", what, path, a, b)
				return
			}
			for k := range a {
				walk(path+"."+k, a[k], bm[k])
			}
		case []any:
			bs, ok := b.([]any)
			if !ok || len(a) != len(bs) {
				t.Errorf("%s%s: %d elements, want %v", what, path, len(a), b)
				return
			}
			for i := range a {
				walk(fmt.Sprintf("%s[%d]", path, i), a[i], bs[i])
			}
		case float64:
			bf, ok := b.(float64)
			if !ok || !closeTo(a, bf, rel) {
				t.Errorf("%s%s = %v, want %v", what, path, a, b)
			}
		default:
			if a != b {
				t.Errorf("%s%s = %v, want %v", what, path, a, b)
			}
		}
	}
	walk("", g, w)
}

// loadStudyWith loads the test study with opts.
func loadStudyWith(t testing.TB, opts survey.LoadOptions, lean leanload.Options) *survey.Dataset {
	t.Helper()
	dir := filepath.Join("testdata", "study")
	cb, err := survey.LoadCodebook(filepath.Join(dir, "codebook.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "study.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr, err := survey.NewCSVReader(f, "study.csv", survey.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := survey.Load(leanload.With(context.Background(), lean), cb, []survey.TableReader{tr}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// The analyses give the same results on a dataset loaded Compact and
// grouped by PSU as on a plain one, also when they run in parallel.
func TestAnalysesOnLeanLoad(t *testing.T) {
	plain := loadStudyWith(t, survey.LoadOptions{}, leanload.Options{})
	lean := loadStudyWith(t, survey.LoadOptions{}, leanload.All)
	for _, ds := range []*survey.Dataset{plain, lean} {
		if _, _, coded := ds.Construct("concern").Flags().Codes(); ds == lean && (!coded || ds.ID != nil) {
			t.Fatal("lean load kept float64 flags or the id")
		}
	}
	type run struct {
		name string
		f    func(ds *survey.Dataset, o Options) (any, error)
	}
	for _, r := range []run{
		{"paradox", func(ds *survey.Dataset, o Options) (any, error) { return Paradox(ds, o) }},
		{"paradox by region", func(ds *survey.Dataset, o Options) (any, error) { o.By = []string{"region"}; return Paradox(ds, o) }},
		{"trust", func(ds *survey.Dataset, o Options) (any, error) { return Trust(ds, o) }},
		{"effect", func(ds *survey.Dataset, o Options) (any, error) { return Effect(ds, "concern", "sharing", o) }},
		{"describe", func(ds *survey.Dataset, o Options) (any, error) { return Describe(ds, o) }},
		{"compare", func(ds *survey.Dataset, o Options) (any, error) { return Compare(ds, o, nil) }},
		{"segments", func(ds *survey.Dataset, o Options) (any, error) { return Segments(ds, o) }},
		{"reliability", func(ds *survey.Dataset, o Options) (any, error) { return Reliability(ds) }},
		{"grid", func(ds *survey.Dataset, o Options) (any, error) { return ParadoxRateGrid(ds, "region", "gender", o) }},
		{"banner", func(ds *survey.Dataset, o Options) (any, error) {
			res, err := Banner(ds, DefaultBannerVariables(ds), o)
			if err != nil {
				return nil, err
			}
			// Estimates hold NaN, which JSON has not: as Num.
			type cell struct {
				E           []Num
				N, ND, DF   int
				Sig, Letter string
			}
			var out [][]cell
			// The columns' bases first, as a row of their own.
			var bases []cell
			for _, c := range res.Columns {
				bases = append(bases, cell{E: []Num{Num(c.Base.WeightedN), Num(c.Base.EffectiveN)}, N: c.Base.N, Letter: c.Letter})
			}
			out = append(out, bases)
			for _, r := range res.Rows {
				var row []cell
				for c, x := range r.Cells {
					row = append(row, cell{[]Num{Num(x.Estimate.Estimate), Num(x.SE), Num(x.CILow), Num(x.CIHigh), Num(x.WeightedN), Num(x.Deff)},
						x.N, x.NDomain, x.DF, x.Sig, res.Columns[c].Letter})
				}
				out = append(out, row)
			}
			return out, nil
		}},
	} {
		// The plain load sums grouping by grouping, the lean one through
		// cross cells; both run the parallel paths on the small study.
		want, err := r.f(plain, Options{Cache: testCache(func(th *thresholds) { th.parallelRows, th.fusedMinRun = 0, math.MaxInt32 })})
		if err != nil {
			t.Fatalf("%s (plain): %v", r.name, err)
		}
		got, err := r.f(lean, Options{Cache: testCache(func(th *thresholds) { th.parallelRows, th.fusedMinRun = 0, 0 })})
		if err != nil {
			t.Fatalf("%s (lean): %v", r.name, err)
		}
		jsonNumbersClose(t, r.name, got, want, 1e-9)
	}
	// Sequentially too.
	got, err := Paradox(lean, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Paradox(plain, Options{})
	jsonNumbersClose(t, "paradox (sequential)", got, want, 1e-9)
}

// multiChunk reads up to maxMultiVars variables per pass while their PSU
// cells stay within multiCellBytes, and always at least one.
func TestMultiChunk(t *testing.T) {
	for _, tt := range []struct {
		psus    int
		nLevels []int
		want    int
	}{
		{10, []int{5, 4, 3}, maxMultiVars},
		{100_000, []int{5, 4, 3}, 2}, // 48 MiB over 100,000 × 13 cells of 16 bytes
		{250_000, []int{5, 4, 3}, 1},
		{400_000, []int{9}, 1},
	} {
		psu := make([]int32, tt.psus)
		for i := range psu {
			psu[i] = int32(i)
		}
		d, err := NewDesign(tt.psus, DesignSpec{PSU: psu})
		if err != nil {
			t.Fatal(err)
		}
		if got := d.multiChunk(tt.nLevels); got != tt.want {
			t.Errorf("multiChunk(%d PSUs, levels %v) = %d, want %d", tt.psus, tt.nLevels, got, tt.want)
		}
	}
}

// fitLogitCells fits what Logistic fits when the covariates' cells are too
// many for a table (their keys then go through a map) and when the model
// has more than 64 predictors; factors and outcomes other than 0/1 are
// errors.
func TestLogitCellsLargeModels(t *testing.T) {
	const n = 12000
	r := rand.New(rand.NewPCG(11, 12))
	w := make([]float64, n)
	strata, psu := make([]int32, n), make([]int32, n)
	for i := range w {
		w[i] = 0.5 + r.Float64()
		psu[i] = int32(i / 40)
		strata[i] = psu[i] % 6
	}
	d, err := NewDesign(n, DesignSpec{Weights: w, Strata: strata, PSU: psu})
	if err != nil {
		t.Fatal(err)
	}
	newCat := func(name string, levels int) *survey.Column {
		c := &survey.Column{Name: name, Codes: make([]int32, n), Levels: make([]string, levels)}
		for l := range c.Levels {
			c.Levels[l] = fmt.Sprint(l)
		}
		for i := range c.Codes {
			c.Codes[i] = int32(r.IntN(levels))
			if r.IntN(50) == 0 {
				c.Codes[i] = -1
			}
		}
		return c
	}
	for _, tc := range []struct {
		name string
		cats []*survey.Column
	}{
		{"8 covariates (4·4^8 keys)", func() []*survey.Column {
			var cs []*survey.Column
			for k := range 8 {
				cs = append(cs, newCat(fmt.Sprint("c", k), 3))
			}
			return cs
		}()},
		{"70 levels (70 predictors)", []*survey.Column{newCat("many", 70)}},
	} {
		y, f := make([]float64, n), make([]float64, n)
		for i := range y {
			f[i] = float64(r.IntN(2))
			lin := -0.3 + 0.8*f[i]
			for _, c := range tc.cats {
				lin += 0.02 * float64(c.Codes[i]%5)
			}
			if r.Float64() < 1/(1+math.Exp(-lin)) {
				y[i] = 1
			}
			if r.IntN(30) == 0 {
				y[i] = math.NaN()
			}
		}
		names := []string{"f"}
		dummies := make([][]int32, len(tc.cats))
		X := [][]float64{f}
		for k, c := range tc.cats {
			cols, _ := Dummies(c.Codes, len(c.Levels), nil, "")
			for j := 1; j < len(c.Levels); j++ {
				dummies[k] = append(dummies[k], int32(j))
				names = append(names, c.Name+c.Levels[j])
				X = append(X, cols[j-1])
			}
		}
		cl, err := d.newLogitCells(floats(y), floats(f), tc.cats)
		if err != nil {
			t.Fatal(err)
		}
		got, err := d.fitLogitCells(cl, dummies, names)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		want, err := d.Logistic(y, X, names, nil)
		if err != nil {
			t.Fatalf("%s: Logistic: %v", tc.name, err)
		}
		if got.N != want.N || len(got.Coef) != len(want.Coef) {
			t.Fatalf("%s: N, coefficients = %d, %d, want %d, %d", tc.name, got.N, len(got.Coef), want.N, len(want.Coef))
		}
		for j := range got.Coef {
			if !closeTo(got.Coef[j], want.Coef[j], 1e-8) || !closeTo(got.SE[j], want.SE[j], 1e-8) {
				t.Errorf("%s: %s: coef %v SE %v, want %v %v", tc.name, got.Names[j], got.Coef[j], got.SE[j], want.Coef[j], want.SE[j])
			}
		}
	}
	// Values other than 0/1.
	y, f := make([]float64, n), make([]float64, n)
	f[7] = 2
	if _, err := d.newLogitCells(floats(y), floats(f), nil); err == nil || !strings.Contains(err.Error(), "factor of respondent 8 is 2") {
		t.Errorf("factor 2: error %v, want one naming respondent 8", err)
	}
	f[7], y[9] = 0, 0.5
	if _, err := d.newLogitCells(floats(y), floats(f), nil); err == nil || !strings.Contains(err.Error(), "outcome of respondent 10 is 0.5") {
		t.Errorf("outcome 0.5: error %v, want one naming respondent 10", err)
	}
}
