package analysis

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The golden values of design_test.go, estimate_test.go, ci_test.go,
// chisq_test.go and crosstab_test.go come from testdata/core/core.R, which
// exports R survey's api data and a synthetic sample to CSV beside it and
// writes R's answers to testdata/core/core.json. With -update the tests
// re-run the script first; R is otherwise not needed.

// coreTol is the relative tolerance of the comparisons with R: the
// estimators reproduce R's formulas, so only rounding, the 15 significant
// digits core.json keeps and gonum's t and beta quantiles (accurate to
// ~1e-11) separate the two; every case agreed to 1e-12 with survey 4.1.1.
const coreTol = 1e-10

// coreIRLSTol is the relative tolerance for svyciprop's logit intervals
// as R prints them: R fits them by IRLS stopped at glm's epsilon = 1e-8,
// which leaves them up to ~1e-7 from the exact interval. core.R also
// refits to convergence, and that value is compared at coreTol.
const coreIRLSTol = 1e-6

// coreClose reports whether got matches R's want within tol relative
// error, or 1e-12 absolute for values that are zero in R. Two NaNs match:
// R's NA or NaN is null in core.json.
func coreClose(got, want, tol float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	diff := math.Abs(got - want)
	return diff <= tol*math.Abs(want) || diff <= 1e-12
}

// coreFile is one CSV of testdata/core read with encoding/csv: columns by
// name, as strings, "NA" for a missing value.
type coreFile struct {
	n    int
	cols map[string][]string
}

func coreLoad(t testing.TB, name string) *coreFile {
	t.Helper()
	path := filepath.Join("testdata", "core", name)
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	recs, err := csv.NewReader(fh).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	f := &coreFile{n: len(recs) - 1, cols: map[string][]string{}}
	for j, name := range recs[0] {
		col := make([]string, f.n)
		for i := range col {
			col[i] = recs[i+1][j]
		}
		f.cols[name] = col
	}
	return f
}

func (f *coreFile) col(t testing.TB, name string) []string {
	t.Helper()
	c, ok := f.cols[name]
	if !ok {
		t.Fatalf("no column %q", name)
	}
	return c
}

func coreMissing(s string) bool { return s == "NA" || s == "" }

// num reads a numeric column: NaN for missing, "Inf" for R's Inf.
func (f *coreFile) num(t testing.TB, name string) []float64 {
	t.Helper()
	out := make([]float64, f.n)
	for i, s := range f.col(t, name) {
		if coreMissing(s) {
			out[i] = math.NaN()
			continue
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("column %s row %d: %v", name, i+2, err)
		}
		out[i] = v
	}
	return out
}

// codes reads a categorical column as codes into levels (sorted distinct
// values when levels is nil, as R's factor), -1 for missing.
func (f *coreFile) codes(t testing.TB, name string, levels []string) ([]int32, []string) {
	t.Helper()
	col := f.col(t, name)
	if levels == nil {
		for _, s := range col {
			if !coreMissing(s) && !slices.Contains(levels, s) {
				levels = append(levels, s)
			}
		}
		slices.Sort(levels)
	}
	out := make([]int32, f.n)
	for i, s := range col {
		out[i] = -1
		if !coreMissing(s) {
			k := slices.Index(levels, s)
			if k < 0 {
				t.Fatalf("column %s row %d: %q is not among the levels %q", name, i+2, s, levels)
			}
			out[i] = int32(k)
		}
	}
	return out, levels
}

// indicator is 1 where the column equals value, 0 elsewhere, NaN missing.
func (f *coreFile) indicator(t testing.TB, name, value string) []float64 {
	t.Helper()
	out := make([]float64, f.n)
	for i, s := range f.col(t, name) {
		switch {
		case coreMissing(s):
			out[i] = math.NaN()
		case s == value:
			out[i] = 1
		}
	}
	return out
}

// in is the domain var == level.
func (f *coreFile) in(t testing.TB, dom *coreDomain) []bool {
	t.Helper()
	if dom == nil {
		return nil
	}
	out := make([]bool, f.n)
	for i, s := range f.col(t, dom.Var) {
		out[i] = s == dom.Level
	}
	return out
}

// coreSpec is a design as core.R declares it: column names, "" for none.
type coreSpec struct {
	Data    string `json:"data"`
	PSU     string `json:"psu"`
	Strata  string `json:"strata"`
	Weights string `json:"weights"`
	FPC     string `json:"fpc"`
	Lonely  string `json:"lonely"`
}

type coreDomain struct {
	Var   string `json:"var"`
	Level string `json:"level"`
}

// coreDesign builds the Design of spec, with the strata named after their
// CSV values.
func coreDesign(t testing.TB, spec coreSpec) (*coreFile, *Design, error) {
	t.Helper()
	f := coreLoad(t, spec.Data)
	var ds DesignSpec
	if spec.Weights != "" {
		ds.Weights = f.num(t, spec.Weights)
	}
	if spec.Strata != "" {
		ds.Strata, ds.StrataNames = f.codes(t, spec.Strata, nil)
	}
	if spec.PSU != "" {
		ds.PSU, _ = f.codes(t, spec.PSU, nil)
	}
	if spec.FPC != "" {
		ds.FPC = f.num(t, spec.FPC)
	}
	var err error
	if ds.Lonely, err = ParseLonelyPSU(spec.Lonely); err != nil {
		t.Fatal(err)
	}
	d, err := NewDesign(f.n, ds)
	return f, d, err
}

// coreCase is one record of core.json; which fields are set depends on
// Kind (mean, total, ratio, prop, meanby, chisq, crosstab, fail).
type coreCase struct {
	ID        string      `json:"id"`
	Design    coreSpec    `json:"design"`
	Kind      string      `json:"kind"`
	Y         string      `json:"y"`
	X         string      `json:"x"`
	Value     *string     `json:"value"`
	By        string      `json:"by"`
	A         string      `json:"a"`
	B         string      `json:"b"`
	Domain    *coreDomain `json:"domain"`
	Level     float64     `json:"level"`
	N         int         `json:"n"`
	NDomain   int         `json:"n_domain"`
	WeightedN Num         `json:"weighted_n"`
	DF        int         `json:"df"`
	Estimate  Num         `json:"estimate"`
	SE        Num         `json:"se"`
	Deff      Num         `json:"deff"`
	CI        []Num       `json:"ci"`
	CIMethods map[string][]Num
	Groups    []coreGroup `json:"groups"`
	F         Num         `json:"f"`
	NDF       Num         `json:"ndf"`
	DDF       Num         `json:"ddf"`
	P         Num         `json:"p"`
	Pearson   Num         `json:"pearson"`
	ALevels   []string    `json:"a_levels"`
	BLevels   []string    `json:"b_levels"`
	Counts    [][]Num     `json:"counts"`
	Columns   []coreColumn
	Total     coreColumn `json:"total"`
	Error     string     `json:"error"`
}

type coreGroup struct {
	Level    string `json:"level"`
	Estimate Num    `json:"estimate"`
	SE       Num    `json:"se"`
	Deff     Num    `json:"deff"`
	DF       int    `json:"df"`
	N        int    `json:"n"`
	CI       []Num  `json:"ci"`
}

type coreColumn struct {
	Level      string `json:"level"`
	N          int    `json:"n"`
	NDomain    int    `json:"n_domain"`
	WeightedN  Num    `json:"weighted_n"`
	EffectiveN Num    `json:"effective_n"`
	DF         int    `json:"df"`
	Cells      []struct {
		Estimate Num   `json:"estimate"`
		SE       Num   `json:"se"`
		Deff     Num   `json:"deff"`
		CI       []Num `json:"ci"`
		CIExact  []Num `json:"ci_exact"`
	} `json:"cells"`
}

// coreCases returns the cases of core.json, after re-running core.R when
// the tests run with -update.
func coreCases(t *testing.T) []coreCase {
	t.Helper()
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		rscript, err := exec.LookPath("Rscript")
		if err != nil {
			t.Fatalf("-update needs Rscript: %v", err)
		}
		cmd := exec.Command(rscript, "core.R")
		cmd.Dir = filepath.Join("testdata", "core")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("Rscript core.R: %v\n%s", err, out)
		}
	}
	b, err := os.ReadFile(filepath.Join("testdata", "core", "core.json"))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Cases []coreCase `json:"cases"`
	}
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatalf("core.json: %v", err)
	}
	return file.Cases
}

// TestGolden compares every case of core.json with this package. The
// checks of each kind live beside the code they test (goldenMean in
// estimate_test.go, goldenProp in ci_test.go, goldenChiSq in
// chisq_test.go, goldenCrosstab in crosstab_test.go).
func TestGolden(t *testing.T) {
	checks := map[string]func(*testing.T, coreCase){
		"mean": goldenEstimate, "total": goldenEstimate, "ratio": goldenEstimate,
		"prop": goldenProp, "meanby": goldenMeanBy,
		"chisq": goldenChiSq, "crosstab": goldenCrosstab, "fail": goldenLonelyFail,
	}
	seen := map[string]int{}
	for _, c := range coreCases(t) {
		check, ok := checks[c.Kind]
		if !ok {
			t.Fatalf("core.json case %s has unknown kind %q", c.ID, c.Kind)
		}
		seen[c.Kind]++
		t.Run(c.ID, func(t *testing.T) { check(t, c) })
	}
	for kind := range checks {
		if seen[kind] == 0 {
			t.Errorf("core.json has no %s case", kind)
		}
	}
}

// checkNum reports a mismatch of one statistic beyond coreTol in the
// house format.
func checkNum(t *testing.T, what string, got float64, want Num) {
	t.Helper()
	checkNumTol(t, what, got, want, coreTol)
}

func checkNumTol(t *testing.T, what string, got float64, want Num, tol float64) {
	t.Helper()
	if !coreClose(got, float64(want), tol) {
		t.Errorf("%s = %.15g, want %.15g (R)", what, got, float64(want))
	}
}

func checkInt(t *testing.T, what string, got, want int) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %d, want %d (R)", what, got, want)
	}
}

// goldenLonelyFail checks that a single-PSU stratum under "fail" is an
// error naming the stratum, like R's.
func goldenLonelyFail(t *testing.T, c coreCase) {
	_, _, err := coreDesign(t, c.Design)
	if !errors.Is(err, ErrDesign) {
		t.Fatalf("NewDesign(%s) error = %v, want an ErrDesign like R's %q", c.Design.Data, err, c.Error)
	}
	// R: "Stratum (S6) has only one PSU at stage 1".
	name := c.Error[strings.Index(c.Error, "(")+1 : strings.Index(c.Error, ")")]
	if !strings.Contains(err.Error(), strconv.Quote(name)) {
		t.Errorf("NewDesign error = %q, want it to name stratum %q like R's %q", err, name, c.Error)
	}
}

func TestNewDesignErrors(t *testing.T) {
	tests := []struct {
		name string
		spec DesignSpec
		want string // substring of the error
	}{
		{"zero weight", DesignSpec{Weights: []float64{1, 0, 1, 1}}, "weight of respondent 2 is 0"},
		{"NaN weight", DesignSpec{Weights: []float64{1, 1, math.NaN(), 1}}, "weight of respondent 3 is NaN"},
		{"negative stratum", DesignSpec{Strata: []int32{0, 0, -1, 1}}, "stratum code of respondent 3"},
		{"negative first stratum", DesignSpec{Strata: []int32{-1, -1, 0, 1}}, "stratum code of respondent 1"},
		{"negative psu", DesignSpec{PSU: []int32{0, -1, 2, 3}}, "PSU code of respondent 2"},
		{"lonely", DesignSpec{Strata: []int32{0, 0, 1, 1}, PSU: []int32{0, 1, 0, 0}, StrataNames: []string{"North", "South"}}, `stratum "South" has only one PSU`},
		{"lonely unnamed", DesignSpec{Strata: []int32{3, 3, 7, 7}, PSU: []int32{0, 1, 0, 0}}, "stratum 7 has only one PSU"},
		{"fpc varies", DesignSpec{Strata: []int32{0, 0, 1, 1}, FPC: []float64{10, 11, 10, 10}}, "fpc varies within stratum 0"},
		{"fpc mixed", DesignSpec{FPC: []float64{100, 100, 0.5, 0.5}}, "mixes population counts"},
		{"fpc all one", DesignSpec{FPC: []float64{1, 1, 1, 1}}, "mixes population counts"},
		{"fpc too small", DesignSpec{FPC: []float64{3, 3, 3, 3}}, "population of 3 PSUs, fewer than its 4"},
		{"fpc NaN", DesignSpec{FPC: []float64{10, math.NaN(), 10, 10}}, "fpc of respondent 2 is NaN"},
		{"fpc negative", DesignSpec{FPC: []float64{-1, -1, -1, -1}}, "fpc of respondent 1 is -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewDesign(4, tt.spec)
			if err == nil || !errors.Is(err, ErrDesign) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewDesign(4, %s) error = %v, want an ErrDesign containing %q", tt.name, err, tt.want)
			}
			var le *LonelyPSUError
			if lonely := strings.HasPrefix(tt.name, "lonely"); errors.Is(err, ErrLonelyPSU) != lonely || errors.As(err, &le) != lonely {
				t.Errorf("NewDesign(4, %s) error = %v: errors.Is ErrLonelyPSU = %v, want %v", tt.name, err, errors.Is(err, ErrLonelyPSU), lonely)
			}
		})
	}
}

func TestNewDesignPanicsOnLengthMismatch(t *testing.T) {
	defer func() {
		if r := recover(); r != "analysis: length mismatch" {
			t.Errorf("NewDesign(3, 2 weights) panic = %v, want analysis: length mismatch", r)
		}
	}()
	NewDesign(3, DesignSpec{Weights: []float64{1, 2}})
}

// TestVarianceFormula checks VarianceFromPSUTotals against the formula
// worked by hand on a small design: two strata, PSU totals given.
func TestVarianceFormula(t *testing.T) {
	// Stratum 0: PSUs a, b, c; stratum 1: PSUs d, e; one respondent each,
	// so the influence values are the PSU totals.
	strata := []int32{0, 0, 0, 1, 1}
	psu := []int32{0, 1, 2, 0, 1}
	z := []float64{1, 2, 6, -1, 3}
	// Stratum 0: mean 3, Σdev² = 4+1+9 = 14, n/(n−1) = 3/2 -> 21.
	// Stratum 1: mean 1, Σdev² = 4+4 = 8, n/(n−1) = 2 -> 16.
	tests := []struct {
		name string
		fpc  []float64
		want float64
	}{
		{"with replacement", nil, 21 + 16},
		// Population 6 and 4 PSUs: (1−3/6)·21 + (1−2/4)·16.
		{"fpc counts", []float64{6, 6, 6, 4, 4}, 0.5*21 + 0.5*16},
		{"fpc fractions", []float64{0.5, 0.5, 0.5, 0.5, 0.5}, 0.5*21 + 0.5*16},
		{"census stratum", []float64{3, 3, 3, math.Inf(1), math.Inf(1)}, 16},
		{"infinite as fraction 0", []float64{0, 0, 0, 0, 0}, 21 + 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := NewDesign(5, DesignSpec{Strata: strata, PSU: psu, FPC: tt.fpc})
			if err != nil {
				t.Fatal(err)
			}
			if got := d.Variance(z); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("Variance(%v) = %v, want %v", z, got, tt.want)
			}
		})
	}
}

// TestLonelyVariance checks the lonely-PSU rules on a hand-worked design:
// stratum 1 has a single PSU with influence total 3.
func TestLonelyVariance(t *testing.T) {
	strata := []int32{0, 0, 0, 1}
	psu := []int32{0, 1, 2, 0}
	z := []float64{1, 2, 6, 3}
	tests := []struct {
		lonely LonelyPSU
		fpc    []float64
		want   float64
	}{
		{LonelyAdjust, nil, 21 + 9},                            // deviation from 0, scale 1
		{LonelyAdjust, []float64{6, 6, 6, 4}, 0.5*21 + 0.75*9}, // scale f = 1 − 1/4
		{LonelyRemove, nil, 21},
		{LonelyCertainty, nil, 21},
	}
	for _, tt := range tests {
		d, err := NewDesign(4, DesignSpec{Strata: strata, PSU: psu, FPC: tt.fpc, Lonely: tt.lonely})
		if err != nil {
			t.Fatal(err)
		}
		if got := d.Variance(z); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("Variance(%v) under %v, fpc %v = %v, want %v", z, tt.lonely, tt.fpc, got, tt.want)
		}
	}
}

func TestCovMatchesVariance(t *testing.T) {
	f, d, err := coreDesign(t, coreSpec{Data: "synth.csv", PSU: "psu", Strata: "stratum", Weights: "w", FPC: "fpc", Lonely: "fail"})
	if err != nil {
		t.Fatal(err)
	}
	z1, z2 := f.num(t, "x"), f.num(t, "y")
	for i := range z1 {
		z1[i], z2[i] = zeroNaN(z1[i]), zeroNaN(z2[i])
	}
	sum := make([]float64, len(z1))
	for i := range sum {
		sum[i] = z1[i] + z2[i]
	}
	c := d.Cov([][]float64{z1, z2})
	for _, tt := range []struct {
		what      string
		got, want float64
	}{
		{"Cov[0][0]", c[0][0], d.Variance(z1)},
		{"Cov[1][1]", c[1][1], d.Variance(z2)},
		{"Cov[0][1]", c[0][1], c[1][0]},
		{"Cov[0][0]+2Cov[0][1]+Cov[1][1]", c[0][0] + 2*c[0][1] + c[1][1], d.Variance(sum)},
	} {
		if math.Abs(tt.got-tt.want) > 1e-9*math.Abs(tt.want) {
			t.Errorf("%s = %v, want %v", tt.what, tt.got, tt.want)
		}
	}
}

func zeroNaN(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return v
}

func TestDegF(t *testing.T) {
	d, err := NewDesign(6, DesignSpec{Strata: []int32{0, 0, 0, 1, 1, 1}, PSU: []int32{0, 1, 1, 0, 1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   []bool
		want int
	}{
		{nil, 5 - 2},
		{[]bool{true, true, true, true, true, true}, 3},
		{[]bool{true, false, true, false, false, false}, 1},   // 2 PSUs in stratum 0
		{[]bool{true, false, false, false, false, true}, 0},   // 1 PSU in each stratum
		{[]bool{false, false, false, false, false, false}, 0}, // empty domain
		{[]bool{false, true, true, true, true, true}, 2},      // PSU 0 of stratum 0 unseen
	}
	for _, tt := range tests {
		if got := d.DegF(tt.in); got != tt.want {
			t.Errorf("DegF(%v) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestParseLonelyPSU(t *testing.T) {
	tests := []struct {
		in      string
		want    LonelyPSU
		wantErr bool
	}{
		{"", LonelyFail, false},
		{"fail", LonelyFail, false},
		{"adjust", LonelyAdjust, false},
		{"remove", LonelyRemove, false},
		{"certainty", LonelyCertainty, false},
		{"average", LonelyAverage, false},
		{"Adjust", LonelyFail, true},
	}
	for _, tt := range tests {
		got, err := ParseLonelyPSU(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseLonelyPSU(%q) = %v, %v, want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err == nil && tt.in != "" && got.String() != tt.in {
			t.Errorf("ParseLonelyPSU(%q).String() = %q, want %q", tt.in, got.String(), tt.in)
		}
	}
}

func FuzzParseLonelyPSU(f *testing.F) {
	for _, s := range []string{"", "fail", "adjust", "remove", "certainty", "average", "ADJUST"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLonelyPSU(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "lonely psu: ") {
				t.Errorf("ParseLonelyPSU(%q) error %q lacks its prefix", s, err)
			}
			return
		}
		if back, err := ParseLonelyPSU(l.String()); err != nil || back != l {
			t.Errorf("ParseLonelyPSU(%q).String() = %q does not parse back: %v, %v", s, l.String(), back, err)
		}
	})
}

// FuzzNewDesign reads a design from bytes (one respondent per 4 bytes:
// weight, stratum, PSU, fpc class) and checks that NewDesign either
// rejects it with ErrDesign or yields a design whose variances are
// non-negative and whose DegF stays within its bounds.
func FuzzNewDesign(f *testing.F) {
	f.Add([]byte{1, 0, 0, 0, 2, 0, 1, 0, 3, 1, 0, 0, 4, 1, 1, 0}, uint8(0))
	f.Add([]byte{1, 0, 0, 1, 2, 0, 1, 1, 3, 1, 0, 1, 4, 1, 0, 1}, uint8(1))
	f.Add([]byte{0, 0, 0, 0}, uint8(2))
	f.Add([]byte{5, 2, 3, 2, 9, 2, 3, 2, 7, 1, 1, 3}, uint8(3))
	f.Add([]byte{1, 0, 0, 0, 2, 0, 1, 0, 3, 1, 0, 0}, uint8(4))
	f.Add([]byte{1, 0, 0, 0, 3, 1, 0, 0}, uint8(4))
	f.Fuzz(func(t *testing.T, data []byte, lonely uint8) {
		n := len(data) / 4
		if n == 0 {
			return
		}
		spec := DesignSpec{Lonely: LonelyPSU(lonely % 5)}
		spec.Weights = make([]float64, n)
		spec.Strata = make([]int32, n)
		spec.PSU = make([]int32, n)
		spec.FPC = make([]float64, n)
		z := make([]float64, n)
		for i := 0; i < n; i++ {
			b := data[4*i : 4*i+4]
			spec.Weights[i] = float64(b[0]) / 8
			spec.Strata[i] = int32(b[1] % 4)
			spec.PSU[i] = int32(b[2] % 5)
			spec.FPC[i] = []float64{math.Inf(1), 10, 0.5, 3}[b[3]%4]
			z[i] = float64(int8(b[0] ^ b[2]))
		}
		d, err := NewDesign(n, spec)
		if err != nil {
			if !errors.Is(err, ErrDesign) {
				t.Fatalf("NewDesign error %v is not an ErrDesign", err)
			}
			return
		}
		// Under average with every stratum lonely R's variance is NaN
		// (0 · nstrat/0), and so is trustgap's.
		allLonely := math.IsInf(d.lonelyFactor(allStrata), 1)
		if v := d.Variance(z); v < 0 || (math.IsNaN(v) != allLonely) {
			t.Errorf("Variance = %v, want >= 0 (NaN only when every stratum is lonely under average)", v)
		}
		if df := d.DegF(nil); df < 0 || df > n {
			t.Errorf("DegF(nil) = %d, want 0..%d", df, n)
		}
	})
}
