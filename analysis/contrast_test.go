package analysis

import (
	"math"
	"testing"
)

// TestDiffMeansGolden compares DiffMeans with svyby(covmat=TRUE) +
// svycontrast, and TTestP with 2*pt(-|t|, df) (testdata/contrast/contrast.R),
// to goldenTol relative (p-values down to 1e-209 included).
func TestDiffMeansGolden(t *testing.T) {
	runRScripts(t, "glm", "make.R") // synth.csv first
	runRScripts(t, "contrast", "contrast.R")
	s := loadSynth(t)
	d := s.design(t, false)
	var golden struct {
		Contrasts []struct {
			Name, Outcome string
			Estimate, SE  float64
			DF            int
			CILow         float64 `json:"ci_low"`
			CIHigh        float64 `json:"ci_high"`
			Level, P      float64
		}
		TTest []struct {
			T, P float64
			DF   int
		}
	}
	readGoldenJSON(t, "contrast/contrast.json", &golden)
	grp := s.codes(t, "grp", synthRegions)
	dom := s.num(t, "dom")
	stratum, psu := s.num(t, "stratum"), s.num(t, "psu")
	domains := map[string][2][]bool{}
	mk := func(f func(i int) (bool, bool)) [2][]bool {
		a, b := make([]bool, s.n), make([]bool, s.n)
		for i := range a {
			a[i], b[i] = f(i)
		}
		return [2][]bool{a, b}
	}
	domains["north_south_s1"] = mk(func(i int) (bool, bool) { return grp[i] == 0, grp[i] == 1 })
	domains["dom_y"] = mk(func(i int) (bool, bool) { return dom[i] == 1, dom[i] == 0 })
	domains["north_rest_y"] = mk(func(i int) (bool, bool) { return grp[i] == 0, grp[i] > 0 })
	domains["strata_s2"] = mk(func(i int) (bool, bool) { return stratum[i] == 1, stratum[i] == 2 && psu[i] <= 4 })
	if len(golden.Contrasts) != len(domains) {
		t.Fatalf("contrast.json has %d contrasts, want %d", len(golden.Contrasts), len(domains))
	}
	for _, g := range golden.Contrasts {
		in, ok := domains[g.Name]
		if !ok {
			t.Fatalf("contrast.json: unknown contrast %q", g.Name)
		}
		e := d.DiffMeans(s.num(t, g.Outcome), in[0], in[1], g.Level)
		for _, v := range []struct {
			what      string
			got, want float64
		}{
			{"Estimate", e.Estimate, g.Estimate},
			{"SE", e.SE, g.SE},
			{"CILow", e.CILow, g.CILow},
			{"CIHigh", e.CIHigh, g.CIHigh},
			{"p", TTestP(e.Estimate, e.SE, e.DF), g.P},
		} {
			if !relClose(v.got, v.want, goldenTol) {
				t.Errorf("DiffMeans(%s).%s = %.12g, want %.12g", g.Name, v.what, v.got, v.want)
			}
		}
		if e.DF != g.DF {
			t.Errorf("DiffMeans(%s).DF = %d, want %d", g.Name, e.DF, g.DF)
		}
	}
	if len(golden.TTest) == 0 {
		t.Fatal("contrast.json has no t tests")
	}
	for _, g := range golden.TTest {
		if p := TTestP(g.T, 1, g.DF); !relClose(p, g.P, goldenTol) {
			t.Errorf("TTestP(%v, 1, %d) = %.12g, want %.12g", g.T, g.DF, p, g.P)
		}
	}
}

// TestDiffMeansProperties checks DiffMeans against Mean: the estimate is the
// difference of the domain means, the SE of a domain against an empty
// complement is NaN, and overlapping domains (a domain against everyone)
// follow the joint influence formula.
func TestDiffMeansProperties(t *testing.T) {
	s := loadSynth(t)
	d := s.design(t, true)
	y := s.num(t, "s3")
	north := make([]bool, s.n)
	for i, c := range s.codes(t, "grp", synthRegions) {
		north[i] = c == 0
	}
	m1, m0 := d.Mean(y, north, 0.95), d.Mean(y, nil, 0.95)
	e := d.DiffMeans(y, north, nil, 0.95)
	if !relClose(e.Estimate, m1.Estimate-m0.Estimate, 1e-12) {
		t.Errorf("DiffMeans(north, all).Estimate = %.15g, want %.15g", e.Estimate, m1.Estimate-m0.Estimate)
	}
	if e.DF != d.DegF(nil) || e.NDomain != s.n || e.N != m0.N {
		t.Errorf("DiffMeans(north, all) DF, NDomain, N = %d, %d, %d, want %d, %d, %d", e.DF, e.NDomain, e.N, d.DegF(nil), s.n, m0.N)
	}
	// Var(ŷ₁ − ŷ) = Var(ŷ₁) + Var(ŷ) − 2 Cov, Cov from the summed influence.
	z1, z0 := make([]float64, s.n), make([]float64, s.n)
	var sw1, sw0 float64
	for i, v := range y {
		if !math.IsNaN(v) {
			sw0 += d.Weights()[i]
			if north[i] {
				sw1 += d.Weights()[i]
			}
		}
	}
	for i, v := range y {
		if math.IsNaN(v) {
			continue
		}
		z0[i] = d.Weights()[i] * (v - m0.Estimate) / sw0
		if north[i] {
			z1[i] = d.Weights()[i] * (v - m1.Estimate) / sw1
		}
	}
	c := d.Cov([][]float64{z1, z0})
	if want := math.Sqrt(c[0][0] + c[1][1] - 2*c[0][1]); !relClose(e.SE, want, 1e-12) {
		t.Errorf("DiffMeans(north, all).SE = %.15g, want %.15g", e.SE, want)
	}
	if !relClose(math.Sqrt(c[0][0]), m1.SE, 1e-12) {
		t.Errorf("SE of the north mean from Cov = %.15g, want Mean's %.15g", math.Sqrt(c[0][0]), m1.SE)
	}
	none := make([]bool, s.n)
	if e := d.DiffMeans(y, north, none, 0.95); !math.IsNaN(e.Estimate) || !math.IsNaN(e.SE) {
		t.Errorf("DiffMeans(north, none) = %v ± %v, want NaN", e.Estimate, e.SE)
	}
}

func TestTTestPEdges(t *testing.T) {
	tests := []struct {
		est, se float64
		df      int
		want    float64
	}{
		{1, 0, 10, 0},
		{0, 0, 10, math.NaN()},
		{1, 1, 0, math.NaN()},
		{0, 1, 3, 1},
		{math.NaN(), 1, 3, math.NaN()},
	}
	for _, tt := range tests {
		got := TTestP(tt.est, tt.se, tt.df)
		if got != tt.want && !(math.IsNaN(got) && math.IsNaN(tt.want)) {
			t.Errorf("TTestP(%v, %v, %d) = %v, want %v", tt.est, tt.se, tt.df, got, tt.want)
		}
	}
}
