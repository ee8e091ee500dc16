package analysis

import (
	"math"
	"math/rand/v2"
	"testing"
)

// benchData builds a design of n respondents shaped like a large online
// panel: 5 strata, PSUs of 40 respondents, weights from 0.3 to 3, a 1–5
// answer with 3% missing and a 5-level grouping variable with 1% missing.
func benchData(tb testing.TB, n int) (*Design, []float64, []int32) {
	tb.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	spec := DesignSpec{
		Weights: make([]float64, n),
		Strata:  make([]int32, n),
		PSU:     make([]int32, n),
	}
	y := make([]float64, n)
	g := make([]int32, n)
	for i := 0; i < n; i++ {
		spec.PSU[i] = int32(i / 40)
		spec.Strata[i] = int32(i / 40 % 5)
		spec.Weights[i] = 0.3 + 2.7*r.Float64()
		y[i] = float64(1 + r.IntN(5))
		if r.Float64() < 0.03 {
			y[i] = math.NaN()
		}
		g[i] = int32(r.IntN(5))
		if r.Float64() < 0.01 {
			g[i] = -1
		}
	}
	d, err := NewDesign(n, spec)
	if err != nil {
		tb.Fatal(err)
	}
	return d, y, g
}

const benchN = 1_000_000

func BenchmarkNewDesign(b *testing.B) {
	d, _, _ := benchData(b, benchN)
	spec := DesignSpec{Weights: d.Weights(), Strata: make([]int32, benchN), PSU: make([]int32, benchN)}
	for i := range spec.PSU {
		spec.PSU[i] = int32(i / 40)
		spec.Strata[i] = int32(i / 40 % 5)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewDesign(benchN, spec); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMean(b *testing.B) {
	d, y, _ := benchData(b, benchN)
	b.ReportAllocs()
	for b.Loop() {
		d.Mean(y, nil, 0.95)
	}
}

func BenchmarkMeanDomain(b *testing.B) {
	d, y, g := benchData(b, benchN)
	in := make([]bool, len(g))
	for i, c := range g {
		in[i] = c == 2
	}
	b.ReportAllocs()
	for b.Loop() {
		d.Mean(y, in, 0.95)
	}
}

// BenchmarkMeanBy estimates five domains in one pass; compare with five
// BenchmarkMeanDomain runs.
func BenchmarkMeanBy(b *testing.B) {
	d, y, g := benchData(b, benchN)
	b.ReportAllocs()
	for b.Loop() {
		d.MeanBy(y, g, 5, 0.95)
	}
}

func BenchmarkChiSq(b *testing.B) {
	d, y, g := benchData(b, benchN)
	a := make([]int32, len(y))
	for i, v := range y {
		a[i] = -1
		if !math.IsNaN(v) {
			a[i] = int32(v) - 1
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.ChiSq(a, g, 5, 5); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCrosstab(b *testing.B) {
	d, y, g := benchData(b, benchN)
	a := make([]int32, len(y))
	for i, v := range y {
		a[i] = -1
		if !math.IsNaN(v) {
			a[i] = int32(v) - 1
		}
	}
	levels := []string{"1", "2", "3", "4", "5"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Crosstab(a, g, levels, levels, 0.95); err != nil {
			b.Fatal(err)
		}
	}
}
