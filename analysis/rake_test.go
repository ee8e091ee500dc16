package analysis

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
)

type rakeGolden struct {
	Name     string
	Vars     []string
	Weighted bool
	Total    float64
	Targets  map[string]struct {
		Levels []string
		Share  []float64
	}
	Weights    []float64
	Efficiency float64
}

// TestRakeGolden compares the raked weights with survey::rake() run to
// convergence (testdata/rake/rake.R), each weight to goldenTol relative.
func TestRakeGolden(t *testing.T) {
	runRScripts(t, "glm", "make.R") // synth.csv first
	runRScripts(t, "rake", "rake.R")
	s := loadSynth(t)
	var golden []rakeGolden
	readGoldenJSON(t, "rake/rake.json", &golden)
	if len(golden) == 0 {
		t.Fatal("rake.json has no cases")
	}
	for _, g := range golden {
		t.Run(g.Name, func(t *testing.T) {
			var margins []Margin
			for _, v := range g.Vars {
				tg := g.Targets[v]
				margins = append(margins, Margin{Var: v, Codes: s.codes(t, v, tg.Levels), Levels: tg.Levels, Targets: tg.Share})
			}
			var w []float64
			if g.Weighted {
				w = s.num(t, "w")
			}
			got, diag, err := Rake(w, margins, RakeOptions{Total: g.Total})
			if err != nil {
				t.Fatalf("Rake(%s) error: %v", g.Name, err)
			}
			if len(got) != len(g.Weights) {
				t.Fatalf("Rake(%s) returned %d weights, want %d", g.Name, len(got), len(g.Weights))
			}
			for i := range got {
				if !relClose(got[i], g.Weights[i], goldenTol) {
					t.Errorf("Rake(%s) weight %d = %.12g, want %.12g", g.Name, i+1, got[i], g.Weights[i])
				}
			}
			if !relClose(diag.Efficiency, g.Efficiency, goldenTol) {
				t.Errorf("Rake(%s) efficiency = %.12g, want %.12g", g.Name, diag.Efficiency, g.Efficiency)
			}
			if !diag.Converged || diag.MaxMarginError > 1e-10 {
				t.Errorf("Rake(%s) converged, margin error = %v, %g, want true, <= 1e-10", g.Name, diag.Converged, diag.MaxMarginError)
			}
		})
	}
}

// TestRakeTrim checks the trimmed raking by its properties (R's rake()
// does not trim): margins met, every weight within the bounds.
func TestRakeTrim(t *testing.T) {
	s := loadSynth(t)
	levels := []string{"18-29", "30-44", "45-64", "65+"}
	margins := []Margin{
		{Var: "agegrp", Codes: s.codes(t, "agegrp", levels), Levels: levels, Targets: []float64{0.3, 0.3, 0.2, 0.2}},
		{Var: "sex", Codes: s.codes(t, "sex", []string{"F", "M"}), Levels: []string{"F", "M"}, Targets: []float64{0.6, 0.4}},
	}
	w := s.num(t, "w")
	free, freeDiag, err := Rake(w, margins, RakeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mean := 0.0
	for _, v := range free {
		mean += v / float64(len(free))
	}
	if freeDiag.MaxWeight/mean < 2.2 {
		t.Fatalf("untrimmed max weight ratio %v: the test needs one above the bound", freeDiag.MaxWeight/mean)
	}
	opt := RakeOptions{TrimLow: 0.3, TrimHigh: 2.2, Total: 1e6}
	got, diag, err := Rake(w, margins, opt)
	if err != nil {
		t.Fatalf("Rake(trim) error: %v", err)
	}
	wbar := opt.Total / float64(len(got))
	if diag.MinWeight < opt.TrimLow*wbar*(1-1e-12) || diag.MaxWeight > opt.TrimHigh*wbar*(1+1e-12) {
		t.Errorf("Rake(trim) weights in [%g, %g], want within [%g, %g]", diag.MinWeight, diag.MaxWeight, opt.TrimLow*wbar, opt.TrimHigh*wbar)
	}
	for _, m := range margins {
		sums := make([]float64, len(m.Levels))
		levelTotals(sums, m.Codes, got)
		for l, share := range m.Targets {
			if want := share * opt.Total; !relClose(sums[l], want, 1e-9) {
				t.Errorf("Rake(trim) total of %s=%s = %.10g, want %.10g", m.Var, m.Levels[l], sums[l], want)
			}
		}
	}
	if diag.Efficiency <= freeDiag.Efficiency {
		t.Errorf("Rake(trim) efficiency = %v, want above the untrimmed %v", diag.Efficiency, freeDiag.Efficiency)
	}
}

func TestRakeErrors(t *testing.T) {
	codes := []int32{0, 1, 0, 1, 0, 2}
	levels := []string{"a", "b", "c"}
	m := func(codes []int32, targets ...float64) []Margin {
		return []Margin{{Var: "v", Codes: codes, Levels: levels, Targets: targets}}
	}
	tests := []struct {
		name    string
		margins []Margin
		opt     RakeOptions
		want    string
	}{
		{"no margins", nil, RakeOptions{}, "no margins"},
		{"sum", m(codes, 0.5, 0.3, 0.3), RakeOptions{}, "sum to 1.1"},
		{"count", m(codes, 0.5, 0.5), RakeOptions{}, "2 targets for 3 levels"},
		{"negative", m(codes, 0.5, 0.6, -0.1), RakeOptions{}, "is -0.1"},
		{"missing", m([]int32{0, 1, -1, 1, 0, 2}, 0.4, 0.3, 0.3), RakeOptions{}, "respondent 3 has no value"},
		{"unknown", m([]int32{0, 1, 3, 1, 0, 2}, 0.4, 0.3, 0.3), RakeOptions{}, "level code 3"},
		{"empty level", m([]int32{0, 1, 0, 1, 0, 1}, 0.4, 0.3, 0.3), RakeOptions{}, `"c" has a target of 0.3 but no respondents`},
		{"zero target", m(codes, 0.5, 0.5, 0), RakeOptions{}, `"c" has a target of 0 but 1 respondents`},
		{"trim low", m(codes, 0.4, 0.3, 0.3), RakeOptions{TrimLow: 1.5}, "lower trimming bound"},
		{"trim high", m(codes, 0.4, 0.3, 0.3), RakeOptions{TrimHigh: 0.5}, "upper trimming bound"},
		{"total", m(codes, 0.4, 0.3, 0.3), RakeOptions{Total: -3}, "population total"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Rake([]float64{1, 2, 1, 2, 1, 2}, tt.margins, tt.opt)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Rake(%s) error = %v, want one containing %q", tt.name, err, tt.want)
			}
		})
	}
}

// TestRakeNotConverged: margins that cannot all hold (every respondent in
// level a of one margin is in level x of the other) exhaust MaxIter.
func TestRakeNotConverged(t *testing.T) {
	margins := []Margin{
		{Var: "u", Codes: []int32{0, 0, 1, 1}, Levels: []string{"a", "b"}, Targets: []float64{0.5, 0.5}},
		{Var: "v", Codes: []int32{0, 0, 0, 1}, Levels: []string{"x", "y"}, Targets: []float64{0.2, 0.8}},
	}
	w, diag, err := Rake(nil, margins, RakeOptions{MaxIter: 20})
	if !errors.Is(err, ErrNotConverged) {
		t.Fatalf("Rake(inconsistent) error = %v, want ErrNotConverged", err)
	}
	if len(w) != 4 || diag.Converged || diag.Iterations != 20 || !(diag.MaxMarginError > 0.1) {
		t.Errorf("Rake(inconsistent) = %d weights, %+v; want 4 weights and the diagnostics of 20 sweeps", len(w), diag)
	}
}

// ExampleRake rakes six respondents to a 50/50 sex split and a 30/70 age
// split of a population of 100 (the weights R's rake() gives).
func ExampleRake() {
	w := []float64{1, 1, 1, 1, 2, 2}
	margins := []Margin{
		{Var: "sex", Codes: []int32{0, 0, 0, 0, 1, 1}, Levels: []string{"F", "M"}, Targets: []float64{0.5, 0.5}},
		{Var: "age", Codes: []int32{0, 1, 1, 1, 0, 1}, Levels: []string{"young", "old"}, Targets: []float64{0.3, 0.7}},
	}
	raked, diag, err := Rake(w, margins, RakeOptions{Total: 100})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.2f\n", raked)
	fmt.Printf("converged after %d sweeps, efficiency %.3f\n", diag.Iterations, diag.Efficiency)
	// Output:
	// [9.44 13.52 13.52 13.52 20.56 29.44]
	// converged after 8 sweeps, efficiency 0.865
}

// FuzzRake: for any weights and codes Rake returns an error or weights
// that are positive and meet every margin.
func FuzzRake(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, uint8(30), uint8(60))
	f.Add([]byte{0, 0, 255, 255, 17, 3}, uint8(0), uint8(128))
	f.Add([]byte{9, 200, 31, 4, 77, 5, 6, 1, 1, 1, 1, 99, 42, 42, 42}, uint8(250), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, s1, s2 uint8) {
		n := len(data) / 3
		if n == 0 {
			return
		}
		w := make([]float64, n)
		a, b := make([]int32, n), make([]int32, n)
		for i := range w {
			w[i] = 0.1 + float64(data[3*i])
			a[i] = int32(data[3*i+1] % 2)
			b[i] = int32(data[3*i+2]%4) - 1 // -1 is a missing code
		}
		pa := float64(s1) / 255
		pb := float64(s2) / 255
		margins := []Margin{
			{Var: "a", Codes: a, Levels: []string{"x", "y"}, Targets: []float64{pa, 1 - pa}},
			{Var: "b", Codes: b, Levels: []string{"p", "q", "r"}, Targets: []float64{pb / 2, pb / 2, 1 - pb}},
		}
		got, diag, err := Rake(w, margins, RakeOptions{MaxIter: 50})
		if err != nil {
			return
		}
		for i, v := range got {
			if !(v > 0) || math.IsInf(v, 0) {
				t.Fatalf("Rake weight %d = %v, want positive and finite", i, v)
			}
		}
		if !diag.Converged || diag.MaxMarginError > 1e-10 {
			t.Fatalf("Rake returned no error with diagnostics %+v", diag)
		}
	})
}

// BenchmarkRake rakes 1M respondents to three margins (2, 4 and 5 levels).
func BenchmarkRake(b *testing.B) {
	const n = 1_000_000
	rnd := newUniform(3)
	w := make([]float64, n)
	sizes := []int{2, 4, 5}
	margins := make([]Margin, len(sizes))
	for k, size := range sizes {
		m := Margin{Var: fmt.Sprint("v", k), Codes: make([]int32, n)}
		for l := 0; l < size; l++ {
			m.Levels = append(m.Levels, fmt.Sprint(l))
			m.Targets = append(m.Targets, 1/float64(size))
		}
		margins[k] = m
	}
	for i := range w {
		w[i] = 0.5 + rnd()
		for k, size := range sizes {
			// Skewed levels, so raking has work to do.
			margins[k].Codes[i] = int32(float64(size) * rnd() * rnd())
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := Rake(w, margins, RakeOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
