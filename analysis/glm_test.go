package analysis

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The golden values of glm_test.go, svyvar_test.go, contrast_test.go,
// alpha_test.go and rake_test.go come from the R scripts beside them in
// testdata/ (glm/make.R writes the shared synthetic survey synth.csv). With
// -update the tests re-run those scripts before comparing; R is otherwise
// not needed. The flag is looked up rather than declared here because the
// package's other golden tests honour it too and it may be declared once.

// synthUpdate reports whether the test binary was run with -update.
func synthUpdate() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// runRScripts re-runs the R scripts that write the golden files of one
// testdata directory, in order, from that directory, when -update is set.
func runRScripts(t *testing.T, dir string, scripts ...string) {
	t.Helper()
	if !synthUpdate() {
		return
	}
	rscript, err := exec.LookPath("Rscript")
	if err != nil {
		t.Fatalf("-update needs Rscript: %v", err)
	}
	for _, s := range scripts {
		cmd := exec.Command(rscript, s)
		cmd.Dir = filepath.Join("testdata", dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("Rscript %s in testdata/%s: %v\n%s", s, dir, err, out)
		}
	}
}

// synthData is testdata/glm/synth.csv, read with encoding/csv: columns by
// name, as strings, "" for a missing answer.
type synthData struct {
	n    int
	cols map[string][]string
}

func loadSynth(t testing.TB) *synthData {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "glm", "synth.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("testdata/glm/synth.csv: %v", err)
	}
	s := &synthData{n: len(recs) - 1, cols: map[string][]string{}}
	for j, name := range recs[0] {
		col := make([]string, s.n)
		for i := range col {
			col[i] = recs[i+1][j]
		}
		s.cols[name] = col
	}
	return s
}

func (s *synthData) col(t testing.TB, name string) []string {
	t.Helper()
	c, ok := s.cols[name]
	if !ok {
		t.Fatalf("synth.csv has no column %q", name)
	}
	return c
}

// num reads a numeric column, NaN for "".
func (s *synthData) num(t testing.TB, name string) []float64 {
	t.Helper()
	c := s.col(t, name)
	out := make([]float64, s.n)
	for i, v := range c {
		if v == "" {
			out[i] = math.NaN()
			continue
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("synth.csv row %d column %s: %v", i+2, name, err)
		}
		out[i] = f
	}
	return out
}

// codes reads a categorical column as indices into levels, -1 for "".
func (s *synthData) codes(t testing.TB, name string, levels []string) []int32 {
	t.Helper()
	c := s.col(t, name)
	out := make([]int32, s.n)
	for i, v := range c {
		out[i] = -1
		for k, l := range levels {
			if v == l {
				out[i] = int32(k)
			}
		}
		if v != "" && out[i] < 0 {
			t.Fatalf("synth.csv row %d column %s: unknown level %q", i+2, name, v)
		}
	}
	return out
}

// is returns the indicator of a numeric column equal to v.
func (s *synthData) is(t testing.TB, name string, v float64) []bool {
	x := s.num(t, name)
	out := make([]bool, len(x))
	for i := range x {
		out[i] = x[i] == v
	}
	return out
}

// design is svydesign(ids=~psu, strata=~stratum, weights=~w[, fpc=~fpc], nest=TRUE).
func (s *synthData) design(t testing.TB, fpc bool) *Design {
	t.Helper()
	toInt := func(x []float64) []int32 {
		out := make([]int32, len(x))
		for i, v := range x {
			out[i] = int32(v)
		}
		return out
	}
	spec := DesignSpec{Weights: s.num(t, "w"), Strata: toInt(s.num(t, "stratum")), PSU: toInt(s.num(t, "psu"))}
	if fpc {
		spec.FPC = s.num(t, "fpc")
	}
	d, err := NewDesign(s.n, spec)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func readGoldenJSON(t testing.TB, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", path))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("testdata/%s: %v", path, err)
	}
}

// relClose reports whether |got − want| <= tol·|want|: a relative
// tolerance, with an absolute floor of 1e-300 so that want = 0 needs got = 0.
func relClose(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*math.Abs(want)+1e-300
}

// goldenTol is the agreement with R the golden tests require: 1e-8
// relative, two orders tighter than the 1e-6 promised. (R writes 15
// significant digits; we agree to about 1e-11.)
const goldenTol = 1e-8

var synthRegions = []string{"North", "South", "West"}

type glmGolden struct {
	Name, Formula, Domain string
	Names                 []string
	Coef, SE              []float64
	Cov                   [][]float64
	DF, N                 int
	OR                    []float64 `json:"or"`
	ORLo                  []float64 `json:"or_lo"`
	ORHi                  []float64 `json:"or_hi"`
	Level                 float64
}

// TestLogisticGolden compares coefficients, SEs, the covariance matrix,
// degrees of freedom and odds-ratio intervals with svyglm(quasibinomial)
// (testdata/glm/glm.R), to goldenTol.
func TestLogisticGolden(t *testing.T) {
	runRScripts(t, "glm", "make.R", "glm.R")
	s := loadSynth(t)
	var golden []glmGolden
	readGoldenJSON(t, "glm/glm.json", &golden)
	dummies, dnames := Dummies(s.codes(t, "grp", synthRegions), 3, synthRegions, "grp")
	x1 := s.num(t, "x1")
	X := append([][]float64{x1}, dummies...)
	names := append([]string{"x1"}, dnames...)
	stratum := s.num(t, "stratum")
	dom := s.is(t, "dom", 1)
	domStrata := make([]bool, s.n)
	for i := range domStrata {
		domStrata[i] = dom[i] && stratum[i] >= 3
	}
	cases := map[string]struct {
		X     [][]float64
		names []string
		in    []bool
		fpc   bool
	}{
		"whole":         {X, names, nil, false},
		"domain":        {X, names, dom, false},
		"domain_strata": {X, names, domStrata, false},
		"continuous":    {append(X[:3:3], s.num(t, "s1")), append(names[:3:3], "s1"), nil, false},
		"fpc":           {X, names, nil, true},
	}
	if len(golden) != len(cases) {
		t.Fatalf("glm.json has %d fits, want %d", len(golden), len(cases))
	}
	for _, g := range golden {
		c, ok := cases[g.Name]
		if !ok {
			t.Fatalf("glm.json: unknown fit %q", g.Name)
		}
		t.Run(g.Name, func(t *testing.T) {
			fit, err := s.design(t, c.fpc).Logistic(s.num(t, "y"), c.X, c.names, c.in)
			if err != nil {
				t.Fatalf("Logistic(%s) error: %v", g.Formula, err)
			}
			if strings.Join(fit.Names, ",") != strings.Join(g.Names, ",") {
				t.Fatalf("Logistic(%s).Names = %q, want %q", g.Formula, fit.Names, g.Names)
			}
			if fit.DF != g.DF || fit.N != g.N {
				t.Errorf("Logistic(%s) DF, N = %d, %d, want %d, %d", g.Formula, fit.DF, fit.N, g.DF, g.N)
			}
			for j, name := range g.Names {
				or, lo, hi := fit.OddsRatio(j, g.Level)
				for _, v := range []struct {
					what      string
					got, want float64
				}{
					{"Coef", fit.Coef[j], g.Coef[j]},
					{"SE", fit.SE[j], g.SE[j]},
					{"OR", or, g.OR[j]},
					{"OR low", lo, g.ORLo[j]},
					{"OR high", hi, g.ORHi[j]},
				} {
					if !relClose(v.got, v.want, goldenTol) {
						t.Errorf("Logistic(%s) %s[%s] = %.12g, want %.12g", g.Formula, v.what, name, v.got, v.want)
					}
				}
				for k := range g.Names {
					if !relClose(fit.Cov[j][k], g.Cov[j][k], goldenTol) {
						t.Errorf("Logistic(%s) Cov[%d][%d] = %.12g, want %.12g", g.Formula, j, k, fit.Cov[j][k], g.Cov[j][k])
					}
				}
			}
		})
	}
}

// TestLogisticCollapsed checks that collapsing respondents into (pattern,
// PSU) cells gives the row-wise fit.
func TestLogisticCollapsed(t *testing.T) {
	s := loadSynth(t)
	d := s.design(t, true)
	dummies, dnames := Dummies(s.codes(t, "grp", synthRegions), 3, synthRegions, "grp")
	X := append([][]float64{s.num(t, "x1")}, dummies...)
	names := append([]string{"x1"}, dnames...)
	y := s.num(t, "y")
	for _, in := range [][]bool{nil, s.is(t, "dom", 0)} {
		cells, err := d.logistic(y, X, names, in, true)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := d.logistic(y, X, names, in, false)
		if err != nil {
			t.Fatal(err)
		}
		if cells.N != rows.N || cells.DF != rows.DF {
			t.Errorf("collapsed N, DF = %d, %d, want %d, %d", cells.N, cells.DF, rows.N, rows.DF)
		}
		for j := range rows.Coef {
			if !relClose(cells.Coef[j], rows.Coef[j], 1e-10) || !relClose(cells.SE[j], rows.SE[j], 1e-10) {
				t.Errorf("collapsed coef, SE[%s] = %.14g, %.14g, want %.14g, %.14g", rows.Names[j], cells.Coef[j], cells.SE[j], rows.Coef[j], rows.SE[j])
			}
		}
	}
}

func TestLogisticErrors(t *testing.T) {
	// 4 PSUs of 6 respondents in 2 strata; x separates y in "separated".
	n := 24
	psu := make([]int32, n)
	str := make([]int32, n)
	for i := range psu {
		psu[i] = int32(i / 6)
		str[i] = int32(i / 12)
	}
	d, err := NewDesign(n, DesignSpec{Strata: str, PSU: psu})
	if err != nil {
		t.Fatal(err)
	}
	alt := func(i int) float64 { return float64(i % 2) }
	gen := func(f func(i int) float64) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = f(i)
		}
		return v
	}
	yOK := gen(func(i int) float64 { return float64((i / 2) % 2) })
	tests := []struct {
		name string
		y    []float64
		X    [][]float64
		want error  // errors.Is target, nil for any error
		msg  string // substring of the message
	}{
		{"outcome 2", gen(func(i int) float64 { return float64(i % 3) }), [][]float64{gen(alt)}, nil, "respondent 3 is 2"},
		{"constant outcome", gen(func(int) float64 { return 1 }), [][]float64{gen(alt)}, ErrSeparation, "outcome is 1"},
		{"separated", gen(alt), [][]float64{gen(alt)}, ErrSeparation, `"x1" diverges`},
		{"quasi-separated", gen(func(i int) float64 { return float64(i%2) * float64(i%3%2) }), [][]float64{gen(alt)}, ErrSeparation, "diverges"},
		{"constant predictor", yOK, [][]float64{gen(func(int) float64 { return 2 })}, ErrSingular, `"x1"`},
		{"collinear", yOK, [][]float64{gen(alt), gen(func(i int) float64 { return 1 - alt(i) })}, ErrSingular, `"x2"`},
		{"infinite predictor", yOK, [][]float64{gen(func(i int) float64 { return math.Inf(1) })}, nil, "respondent 1 is +Inf"},
		{"too few", gen(func(i int) float64 {
			if i < 2 {
				return float64(i)
			}
			return math.NaN()
		}), [][]float64{gen(alt)}, nil, "2 respondents"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := d.Logistic(tt.y, tt.X, nil, nil)
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Logistic(%s) error = %v, want %v containing %q", tt.name, err, tt.want, tt.msg)
			}
		})
	}
}

func TestDummies(t *testing.T) {
	cols, names := Dummies([]int32{0, 2, -1, 1}, 3, []string{"a", "b", "c"}, "g")
	nan := math.NaN()
	want := [][]float64{{0, 0, nan, 1}, {0, 1, nan, 0}}
	if strings.Join(names, ",") != "gb,gc" {
		t.Errorf("Dummies names = %q, want [gb gc]", names)
	}
	for j := range want {
		for i := range want[j] {
			g, w := cols[j][i], want[j][i]
			if g != w && !(math.IsNaN(g) && math.IsNaN(w)) {
				t.Errorf("Dummies col %d row %d = %v, want %v", j, i, g, w)
			}
		}
	}
	if _, names := Dummies([]int32{0, 1}, 2, nil, "x"); len(names) != 1 || names[0] != "x1" {
		t.Errorf("Dummies(levels nil) names = %q, want [x1]", names)
	}
}

// ExampleDesign_Logistic fits the odds of a yes by group in a stratified
// cluster sample; R's svyglm(y ~ group, family = quasibinomial()) with
// exp(coef ± qt(0.975, degf) · SE) prints the same.
func ExampleDesign_Logistic() {
	// 2 strata × 3 PSUs × 8 respondents.
	var w, y []float64
	var strata, psu, group []int32
	for i := 0; i < 48; i++ {
		strata = append(strata, int32(i/24))
		psu = append(psu, int32(i/8))
		w = append(w, 1+float64(i%5))
		g := int32(i % 3)
		group = append(group, g)
		// Group 1 says yes more often than 0, group 2 less.
		yes := (i*7+int(g)*3)%10 < []int{5, 7, 3}[g]
		y = append(y, map[bool]float64{false: 0, true: 1}[yes])
	}
	d, err := NewDesign(len(y), DesignSpec{Weights: w, Strata: strata, PSU: psu})
	if err != nil {
		fmt.Println(err)
		return
	}
	X, names := Dummies(group, 3, []string{"A", "B", "C"}, "group")
	fit, err := d.Logistic(y, X, names, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for j := 1; j < len(fit.Coef); j++ {
		or, lo, hi := fit.OddsRatio(j, 0.95)
		fmt.Printf("%s: OR %.2f (%.2f to %.2f), df %d\n", fit.Names[j], or, lo, hi, fit.DF)
	}
	// Output:
	// groupB: OR 2.60 (0.96 to 7.03), df 4
	// groupC: OR 0.27 (0.05 to 1.44), df 4
}

// newUniform returns a deterministic xorshift generator of uniform [0, 1)
// numbers for synthetic test data.
func newUniform(seed uint64) func() float64 {
	return func() float64 {
		seed ^= seed << 13
		seed ^= seed >> 7
		seed ^= seed << 17
		return float64(seed>>11) / (1 << 53)
	}
}

// TestLogisticCollapsedMany covers the collapsing with more than 16
// predictors and more cells than the dense index takes (both looked up
// through maps): it must still equal the row-wise fit.
func TestLogisticCollapsedMany(t *testing.T) {
	const n, p = 3000, 18
	rnd := newUniform(7)
	psu := make([]int32, n)
	strata := make([]int32, n)
	y := make([]float64, n)
	X := make([][]float64, p)
	for j := range X {
		X[j] = make([]float64, n)
	}
	for i := range y {
		psu[i] = int32(i / 50)
		strata[i] = psu[i] / 6
		eta := -0.3
		for j := range X {
			X[j][i] = math.Floor(rnd() * 2)
			eta += 0.1 * float64(j%3-1) * X[j][i]
		}
		if rnd() < expit(eta) {
			y[i] = 1
		}
	}
	d, err := NewDesign(n, DesignSpec{Strata: strata, PSU: psu})
	if err != nil {
		t.Fatal(err)
	}
	cells, err := d.logistic(y, X, nil, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := d.logistic(y, X, nil, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	for j := range rows.Coef {
		if !relClose(cells.Coef[j], rows.Coef[j], 1e-10) || !relClose(cells.SE[j], rows.SE[j], 1e-10) {
			t.Errorf("collapsed coef, SE[%s] = %.14g, %.14g, want %.14g, %.14g", rows.Names[j], cells.Coef[j], cells.SE[j], rows.Coef[j], rows.SE[j])
		}
	}
}

// BenchmarkLogistic fits y ~ binary + 4-level factor on 1M respondents in
// 2,000 PSUs (the collapsed path).
func BenchmarkLogistic(b *testing.B) {
	const n = 1_000_000
	w := make([]float64, n)
	y := make([]float64, n)
	x := make([]float64, n)
	strata := make([]int32, n)
	psu := make([]int32, n)
	codes := make([]int32, n)
	rnd := newUniform(1)
	for i := range y {
		psu[i] = int32(i / 500)
		strata[i] = psu[i] / 40
		w[i] = 0.5 + rnd()
		x[i] = math.Floor(rnd() * 2)
		codes[i] = int32(rnd() * 4)
		if rnd() < 0.02 {
			codes[i] = -1
		}
		eta := -0.5 + 0.8*x[i] + 0.3*float64(codes[i])
		if rnd() < expit(eta) {
			y[i] = 1
		}
	}
	d, err := NewDesign(n, DesignSpec{Weights: w, Strata: strata, PSU: psu})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		dum, names := Dummies(codes, 4, nil, "g")
		if _, err := d.Logistic(y, append([][]float64{x}, dum...), append([]string{"x"}, names...), nil); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzLogistic: on any data Logistic returns an error or finite estimates,
// and the collapsed and row-wise fits agree.
func FuzzLogistic(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31})
	f.Add([]byte{1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 9, 9, 9, 9, 255, 128, 64, 32, 16, 8, 4, 2})
	f.Add([]byte{3, 7, 200, 3, 7, 201, 3, 7, 202, 5, 5, 5, 99, 1, 0, 17, 17, 17, 250, 6, 6, 6, 6, 6})
	// Outcome independent of both predictors: every coefficient is zero up
	// to rounding, where a relative tolerance compares noise with noise.
	f.Add([]byte{0, 1, 1, 1, 8, 1, 9, 1, 0, 2, 1, 2, 8, 2, 9, 2, 0, 3, 1, 3, 8, 3, 9, 3, 0, 4, 1, 4, 8, 4, 9, 4})
	f.Fuzz(func(t *testing.T, data []byte) {
		n := len(data) / 2
		if n < 4 {
			return
		}
		y := make([]float64, n)
		x1, x2 := make([]float64, n), make([]float64, n)
		psu := make([]int32, n)
		for i := range y {
			b, c := data[2*i], data[2*i+1]
			y[i] = float64(b & 1)
			if b&6 == 6 {
				y[i] = math.NaN()
			}
			x1[i] = float64(b >> 3 & 1)
			x2[i] = float64(c%5) - 1 // -1 to 3: the row-wise path
			psu[i] = int32(i % 4)
		}
		d, err := NewDesign(n, DesignSpec{PSU: psu})
		if err != nil {
			t.Fatal(err)
		}
		for _, X := range [][][]float64{{x1}, {x1, x2}} {
			cells, err1 := d.logistic(y, X, nil, nil, true)
			rows, err2 := d.logistic(y, X, nil, nil, false)
			if (err1 == nil) != (err2 == nil) {
				t.Fatalf("collapsed error %v, row-wise error %v", err1, err2)
			}
			if err1 != nil {
				continue
			}
			for j := range rows.Coef {
				if math.IsNaN(cells.Coef[j]) || math.IsInf(cells.Coef[j], 0) || math.IsNaN(cells.SE[j]) || math.IsInf(cells.SE[j], 0) {
					t.Fatalf("Logistic coef, SE[%d] = %v, %v, want finite", j, cells.Coef[j], cells.SE[j])
				}
				// Relative agreement, with an absolute floor: coefficients
				// that are zero up to rounding (1e-17 against -3e-17) agree.
				if math.Abs(cells.Coef[j]-rows.Coef[j]) > 1e-6*math.Abs(rows.Coef[j])+1e-9 {
					t.Fatalf("collapsed coef[%d] = %v, row-wise %v", j, cells.Coef[j], rows.Coef[j])
				}
			}
		}
	})
}
