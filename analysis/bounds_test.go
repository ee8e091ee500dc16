package analysis

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// boundsPanel is n respondents with weights in [0.8, 1.2] and two margins
// a (A, B) and b (X, Y) whose cells AX, AY, BX, BY hold the given shares
// of the respondents.
func boundsPanel(t *testing.T, n int, cells [4]float64) (*Design, []Margin) {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	w := make([]float64, n)
	a, b := make([]int32, n), make([]int32, n)
	for i := range w {
		w[i] = 0.8 + 0.4*r.Float64()
		u, acc := r.Float64(), 0.0
		for k, c := range cells {
			if acc += c; u < acc || k == len(cells)-1 {
				a[i], b[i] = int32(k/2), int32(k%2)
				break
			}
		}
	}
	d, err := NewDesign(n, DesignSpec{Weights: w})
	if err != nil {
		t.Fatal(err)
	}
	return d, []Margin{{Var: "a", Codes: a, Levels: []string{"A", "B"}}, {Var: "b", Codes: b, Levels: []string{"X", "Y"}}}
}

func TestCalibrateBoundedInfeasible(t *testing.T) {
	tests := []struct {
		name           string
		cells          [4]float64
		a, b           []float64 // target shares
		total          float64   // CalibrationOptions.Total
		margin, level  string
		proven         bool
		maxSteps       int
		reachedOverTgt bool // the nearest reachable total is above the target
	}{
		// 50% of the respondents at B weigh at least 25% of the total.
		{"one level", [4]float64{0.4, 0.1, 0.1, 0.4}, []float64{0.9, 0.1}, []float64{0.3, 0.7}, 0, "a", "B", true, 0, true},
		// A zero target: its respondents weigh at least 0.5 mean weights each.
		{"zero target", [4]float64{0.4, 0.1, 0.1, 0.4}, []float64{1, 0}, []float64{0.3, 0.7}, 0, "a", "B", true, 0, true},
		// 2000 respondents weigh at most 2 × 2000 × the mean weight.
		{"total", [4]float64{0.4, 0.1, 0.1, 0.4}, []float64{0.5, 0.5}, []float64{0.5, 0.5}, 5000, "", "", true, 0, false},
		// Every level's target is within its own reach, but A ≥ 0.7 needs
		// AX ≥ 0.7 − 2·0.1 = 0.5 while X ≤ 0.3: only the joint condition fails.
		{"joint", [4]float64{0.4, 0.1, 0.1, 0.4}, []float64{0.7, 0.3}, []float64{0.3, 0.7}, 0, "a", "B", false, 25, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, m := boundsPanel(t, 2000, tc.cells)
			m[0].Targets, m[1].Targets = tc.a, tc.b
			_, err := d.CalibrateBounded(m, [2]float64{0.5, 2}, CalibrationOptions{Total: tc.total})
			var be *BoundsError
			if !errors.As(err, &be) {
				t.Fatalf("CalibrateBounded = %v, want a *BoundsError", err)
			}
			if !errors.Is(err, ErrBoundsInfeasible) {
				t.Errorf("errors.Is(%v, ErrBoundsInfeasible) = false, want true", err)
			}
			if got := errors.Is(err, ErrNotConverged); got == tc.proven {
				t.Errorf("errors.Is(%v, ErrNotConverged) = %v, want %v", err, got, !tc.proven)
			}
			if be.Proven != tc.proven || be.Margin != tc.margin || be.Level != tc.level {
				t.Errorf("error = proven %v, %q %q, want %v, %q %q", be.Proven, be.Margin, be.Level, tc.proven, tc.margin, tc.level)
			}
			if be.Steps > tc.maxSteps {
				t.Errorf("steps = %d, want at most %d", be.Steps, tc.maxSteps)
			}
			// A step is a gradient, an objective and a line search that
			// succeeds at once while the iteration stalls.
			if maxPasses := 3*tc.maxSteps + 60; be.Passes > maxPasses {
				t.Errorf("passes over the respondents = %d, want at most %d", be.Passes, maxPasses)
			}
			if (be.Reached > be.Target) != tc.reachedOverTgt {
				t.Errorf("reached %v, target %v: want reached above target %v", be.Reached, be.Target, tc.reachedOverTgt)
			}
			if tc.proven {
				if be.Steps != 0 || be.Passes != 0 {
					t.Errorf("up-front check took %d steps, %d passes, want 0", be.Steps, be.Passes)
				}
				return
			}
			// The up-front check passed: every level's target was within reach.
			var sw float64
			for _, v := range d.Weights() {
				sw += v
			}
			for _, mm := range m {
				count := make([]int, len(mm.Levels))
				for _, c := range mm.Codes {
					count[c]++
				}
				for l, s := range mm.Targets {
					if _, ok := within(s*be.Total, count[l], 0.5*sw/2000, 2*sw/2000); !ok {
						t.Fatalf("%s %s: target %v out of its own reach: the case does not test the joint condition", mm.Var, mm.Levels[l], s)
					}
				}
			}
		})
	}
}

// Problems feasible by construction (the targets are the margins of
// weights within the bounds) converge, meet the margins and keep every
// weight within its bounds, however tight. (Trial 8 stalled the plain
// pseudo-inverse Newton iteration for 1000 steps: the nudge gets it out.)
func TestCalibrateBoundedFeasibleRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for trial := range 40 {
		n := 100 + r.IntN(400)
		L, U := 0.2+0.7*r.Float64(), 1.1+3*r.Float64()
		w := make([]float64, n)
		var sw float64
		for i := range w {
			w[i] = 0.3 + 2*r.Float64()
			sw += w[i]
		}
		wbar := sw / float64(n)
		ms := make([]Margin, 1+r.IntN(3))
		v := make([]float64, n)
		for i := range v {
			v[i] = w[i]
		}
		for k := range ms {
			nl := 2 + r.IntN(4)
			ms[k] = Margin{Var: fmt.Sprint("m", k), Codes: make([]int32, n), Levels: make([]string, nl), Targets: make([]float64, nl)}
			for l := range nl {
				ms[k].Levels[l] = fmt.Sprint(l)
			}
			eff := make([]float64, nl)
			for l := range eff {
				eff[l] = math.Exp(0.8 * r.NormFloat64())
			}
			for i := range v {
				ms[k].Codes[i] = int32(r.IntN(nl))
				v[i] *= eff[ms[k].Codes[i]]
			}
		}
		var sv float64
		for i := range v {
			v[i] = min(max(v[i], L*wbar), U*wbar)
			sv += v[i]
		}
		for k := range ms {
			for i, c := range ms[k].Codes {
				ms[k].Targets[c] += v[i] / sv
			}
		}
		d, err := NewDesign(n, DesignSpec{Weights: w})
		if err != nil {
			t.Fatal(err)
		}
		cd, err := d.CalibrateBounded(ms, [2]float64{L, U}, CalibrationOptions{Total: sv})
		if err != nil {
			t.Errorf("trial %d (n %d, bounds [%.3g, %.3g], %d margins): %v", trial, n, L, U, len(ms), err)
			continue
		}
		for _, wi := range cd.w {
			if wi < L*wbar*(1-1e-12) || wi > U*wbar*(1+1e-12) {
				t.Errorf("trial %d: weight %v outside [%v, %v]", trial, wi, L*wbar, U*wbar)
				break
			}
		}
		for _, m := range ms {
			sums := make([]float64, len(m.Levels))
			levelTotals(sums, m.Codes, cd.w)
			for l, s := range sums {
				if want := m.Targets[l] * sv; math.Abs(s-want) > 1e-10*sv {
					t.Errorf("trial %d: margin %s level %s total = %v, want %v", trial, m.Var, m.Levels[l], s, want)
				}
			}
		}
	}
}
