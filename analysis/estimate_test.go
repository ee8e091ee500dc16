package analysis

import (
	"math"
	"testing"
)

// goldenEstimate checks Mean, Total and Ratio (estimate, SE, deff, DF,
// bases and the t interval) against R's svymean, svytotal and svyratio in
// the case's domain, to coreTol.
func goldenEstimate(t *testing.T, c coreCase) {
	f, d, err := coreDesign(t, c.Design)
	if err != nil {
		t.Fatal(err)
	}
	y := f.num(t, c.Y)
	in := f.in(t, c.Domain)
	if c.N == 0 {
		// R's svymean of a domain with no answers is 0 with SE 0, an
		// artefact of averaging over zero rows; Mean says NaN.
		if e := d.Mean(y, in, c.Level); !math.IsNaN(e.Estimate) || e.NDomain != c.NDomain || e.DF != c.DF {
			t.Errorf("Mean(no answers) = %v, NDomain %d, DF %d; want NaN, %d, %d", e.Estimate, e.NDomain, e.DF, c.NDomain, c.DF)
		}
		return
	}
	var e Estimate
	switch c.Kind {
	case "mean":
		e = d.Mean(y, in, c.Level)
	case "total":
		e = d.Total(y, in, c.Level)
	case "ratio":
		e = d.Ratio(y, f.num(t, c.X), in, c.Level)
	}
	checkEstimate(t, c.Kind, e, c)
	if got := d.DegF(in); got != c.DF {
		t.Errorf("DegF = %d, want %d (R)", got, c.DF)
	}
}

// checkEstimate compares the fields every kind of case shares.
func checkEstimate(t *testing.T, fn string, e Estimate, c coreCase) {
	t.Helper()
	checkNum(t, fn+" Estimate", e.Estimate, c.Estimate)
	checkNum(t, fn+" SE", e.SE, c.SE)
	checkNum(t, fn+" Deff", e.Deff, c.Deff)
	checkNum(t, fn+" WeightedN", e.WeightedN, c.WeightedN)
	checkNum(t, fn+" CILow", e.CILow, c.CI[0])
	checkNum(t, fn+" CIHigh", e.CIHigh, c.CI[1])
	checkInt(t, fn+" DF", e.DF, c.DF)
	checkInt(t, fn+" N", e.N, c.N)
	checkInt(t, fn+" NDomain", e.NDomain, c.NDomain)
}

// goldenMeanBy checks MeanBy against svyby(~y, ~by, svymean, na.rm=TRUE,
// deff="replace"), each group's DF against degf(subset(design, by == g))
// and its interval against ± qt(degf)·SE.
func goldenMeanBy(t *testing.T, c coreCase) {
	f, d, err := coreDesign(t, c.Design)
	if err != nil {
		t.Fatal(err)
	}
	var y []float64
	if c.Value != nil {
		y = f.indicator(t, c.Y, *c.Value)
	} else {
		y = f.num(t, c.Y)
	}
	groups, levels := f.codes(t, c.By, nil)
	got := d.MeanBy(y, groups, len(levels), c.Level)
	if len(c.Groups) != len(levels) {
		t.Fatalf("R has %d groups, the CSV %d levels", len(c.Groups), len(levels))
	}
	for g, want := range c.Groups {
		if levels[g] != want.Level {
			t.Fatalf("level %d = %q, want %q (R)", g, levels[g], want.Level)
		}
		e := got[g]
		fn := "MeanBy[" + want.Level + "]"
		checkNum(t, fn+" Estimate", e.Estimate, want.Estimate)
		checkNum(t, fn+" SE", e.SE, want.SE)
		checkNum(t, fn+" Deff", e.Deff, want.Deff)
		checkNum(t, fn+" CILow", e.CILow, want.CI[0])
		checkNum(t, fn+" CIHigh", e.CIHigh, want.CI[1])
		checkInt(t, fn+" DF", e.DF, want.DF)
		checkInt(t, fn+" N", e.N, want.N)
	}
}

// TestPublishedMean checks the figure printed in the survey package's
// documentation: svymean(~api00, dstrat) is 662.29 with SE 9.4089.
func TestPublishedMean(t *testing.T) {
	f, d, err := coreDesign(t, coreSpec{Data: "apistrat.csv", Strata: "stype", Weights: "pw", FPC: "fpc", Lonely: "fail"})
	if err != nil {
		t.Fatal(err)
	}
	e := d.Mean(f.num(t, "api00"), nil, 0.95)
	if got := math.Round(e.Estimate*100) / 100; got != 662.29 {
		t.Errorf("Mean(api00, dstrat) = %.2f, want 662.29", e.Estimate)
	}
	if got := math.Round(e.SE*1e4) / 1e4; got != 9.4089 {
		t.Errorf("Mean(api00, dstrat) SE = %.4f, want 9.4089", e.SE)
	}
}

// TestMeanByMatchesMean checks that the single-pass MeanBy equals Mean on
// each domain, including a domain nobody is in and excluded respondents.
func TestMeanByMatchesMean(t *testing.T) {
	f, d, err := coreDesign(t, coreSpec{Data: "lonely.csv", PSU: "psu", Strata: "stratum", Weights: "w", FPC: "fpc", Lonely: "adjust"})
	if err != nil {
		t.Fatal(err)
	}
	y := f.num(t, "y")
	// Shift y far from 0 so that MeanBy's shifted sums are exercised.
	for i := range y {
		y[i] = 1e6 + y[i]
	}
	groups, levels := f.codes(t, "region", nil)
	G := len(levels) + 1 // the last group is empty
	for i := range groups {
		if i%7 == 0 {
			groups[i] = -1
		}
	}
	by := d.MeanBy(y, groups, G, 0.9)
	for g := 0; g < G; g++ {
		in := make([]bool, len(groups))
		for i, c := range groups {
			in[i] = int(c) == g
		}
		want := d.Mean(y, in, 0.9)
		got := by[g]
		for _, tt := range []struct {
			what      string
			got, want float64
		}{
			{"Estimate", got.Estimate, want.Estimate},
			{"SE", got.SE, want.SE},
			{"Deff", got.Deff, want.Deff},
			{"CILow", got.CILow, want.CILow},
			{"WeightedN", got.WeightedN, want.WeightedN},
		} {
			same := math.IsNaN(tt.got) && math.IsNaN(tt.want) || math.Abs(tt.got-tt.want) <= 1e-9*math.Abs(tt.want)
			if !same {
				t.Errorf("MeanBy[%d].%s = %.15g, want %.15g (Mean)", g, tt.what, tt.got, tt.want)
			}
		}
		if got.N != want.N || got.NDomain != want.NDomain || got.DF != want.DF {
			t.Errorf("MeanBy[%d] N, NDomain, DF = %d, %d, %d, want %d, %d, %d (Mean)", g, got.N, got.NDomain, got.DF, want.N, want.NDomain, want.DF)
		}
	}
}

// TestMeanSRS checks Mean against the textbook formula on a simple random
// sample: SE² = s²/n with s² the sample variance, deff 1. A respondent
// with a missing answer stays a PSU with a zero total, as in R (na.rm
// keeps the design's PSU count), which scales the variance by
// (n+1)/n · (n−1)/n.
func TestMeanSRS(t *testing.T) {
	tests := []struct {
		y              []float64
		mean, se, deff float64
	}{
		{[]float64{1, 2, 3, 4}, 2.5, math.Sqrt(5.0 / 3 / 4), 1},
		{[]float64{0, 0, 1, 1, 1}, 0.6, math.Sqrt(0.3 / 5), 1},
		{[]float64{0, 0, 1, math.NaN(), 1, 1}, 0.6, math.Sqrt(0.3 / 5 * 0.96), 0.96},
		{[]float64{7, 7, 7}, 7, 0, math.NaN()},
	}
	for _, tt := range tests {
		d, err := NewDesign(len(tt.y), DesignSpec{})
		if err != nil {
			t.Fatal(err)
		}
		e := d.Mean(tt.y, nil, 0.95)
		if math.Abs(e.Estimate-tt.mean) > 1e-12 || math.Abs(e.SE-tt.se) > 1e-12 {
			t.Errorf("Mean(%v) = %v (SE %v), want %v (SE %v)", tt.y, e.Estimate, e.SE, tt.mean, tt.se)
		}
		if !(math.Abs(e.Deff-tt.deff) < 1e-12 || math.IsNaN(e.Deff) && math.IsNaN(tt.deff)) {
			t.Errorf("Mean(%v).Deff = %v, want %v", tt.y, e.Deff, tt.deff)
		}
	}
}

// TestEstimatesWithoutAnswers checks that a domain without answers gives
// NaN statistics (0 for a total) and keeps its counts and DF.
func TestEstimatesWithoutAnswers(t *testing.T) {
	d, err := NewDesign(4, DesignSpec{PSU: []int32{0, 0, 1, 1}})
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	y := []float64{nan, nan, 1, 2}
	in := []bool{true, true, false, false}
	tests := []struct {
		name string
		e    Estimate
		est  float64
	}{
		{"Mean", d.Mean(y, in, 0.95), nan},
		{"Ratio", d.Ratio(y, y, in, 0.95), nan},
		{"Total", d.Total(y, in, 0.95), 0},
		{"MeanBy", d.MeanBy(y, []int32{0, 0, 1, 1}, 2, 0.95)[0], nan},
	}
	for _, tt := range tests {
		if !(tt.e.Estimate == tt.est || math.IsNaN(tt.e.Estimate) && math.IsNaN(tt.est)) || tt.e.N != 0 || tt.e.NDomain != 2 || tt.e.DF != 0 {
			t.Errorf("%s(no answers) = %v, N %d, NDomain %d, DF %d; want %v, 0, 2, 0", tt.name, tt.e.Estimate, tt.e.N, tt.e.NDomain, tt.e.DF, tt.est)
		}
	}
}

func TestKishEfficiency(t *testing.T) {
	d, err := NewDesign(4, DesignSpec{Weights: []float64{1, 1, 2, 4}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   []bool
		want float64
	}{
		{nil, 64.0 / (4 * 22)},
		{[]bool{true, true, false, false}, 1},
		{[]bool{false, false, true, true}, 36.0 / (2 * 20)},
	}
	for _, tt := range tests {
		if got := d.KishEfficiency(tt.in); math.Abs(got-tt.want) > 1e-15 {
			t.Errorf("KishEfficiency(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if got := d.KishEfficiency(make([]bool, 4)); !math.IsNaN(got) {
		t.Errorf("KishEfficiency(nobody) = %v, want NaN", got)
	}
}

func TestEffectiveN(t *testing.T) {
	e := Estimate{N: 300, Deff: 1.5}
	if got := e.EffectiveN(); got != 200 {
		t.Errorf("Estimate{N: 300, Deff: 1.5}.EffectiveN() = %v, want 200", got)
	}
}

// TestMeanAllocs keeps Mean allocation-light: a fixed number of
// allocations (the engine's sums by PSU, the domain's codes), however many
// respondents.
func TestMeanAllocs(t *testing.T) {
	allocs := func(n int, domain bool) float64 {
		d, y, _ := benchData(t, n)
		var in []bool
		if domain {
			in = make([]bool, len(y))
			for i := range in {
				in[i] = i%3 == 0
			}
		}
		return testing.AllocsPerRun(20, func() { d.Mean(y, in, 0.95) })
	}
	for _, domain := range []bool{false, true} {
		small, large := allocs(5000, domain), allocs(50000, domain)
		if large > small || large > 24 {
			t.Errorf("Mean allocations (domain %v) = %v at 5000 respondents, %v at 50000, want at most 24 and no more for more respondents", domain, small, large)
		}
	}
}

func TestMeanByPanicsOnBadCode(t *testing.T) {
	d, err := NewDesign(2, DesignSpec{})
	if err != nil {
		t.Fatal(err)
	}
	for _, groups := range [][]int32{{0, 2}, {-2, 0}} {
		func() {
			defer func() {
				if r := recover(); r != "analysis: group code out of range" {
					t.Errorf("MeanBy(groups %v, 2 groups) panic = %v, want analysis: group code out of range", groups, r)
				}
			}()
			d.MeanBy([]float64{1, 2}, groups, 2, 0.95)
		}()
	}
}

// MeanBy's estimates carry their domains' weights, so that the likelihood
// interval of a group's share is that of Prop in the group's domain, not
// NaN.
func TestMeanByLikelihoodCI(t *testing.T) {
	d, y, _ := benchData(t, 3000)
	yb := make([]float64, len(y))
	groups := make([]int32, len(y))
	for i, v := range y {
		switch {
		case math.IsNaN(v):
			yb[i] = v
		case v > 3:
			yb[i] = 1
		}
		groups[i] = int32(i % 3)
	}
	by := d.MeanBy(yb, groups, 3, 0.95)
	in := make([]bool, len(y))
	for g, e := range by {
		for i := range in {
			in[i] = groups[i] == int32(g)
		}
		want := d.Prop(yb, in, CILikelihood, 0.95)
		lo, hi := PropCI(e, CILikelihood, 0.95)
		if e.Estimate <= 0.1 || e.Estimate >= 0.9 {
			t.Fatalf("MeanBy group %d share = %v, want a share well inside (0, 1) for this test", g, e.Estimate)
		}
		if math.IsNaN(lo) || math.Abs(lo-want.CILow) > 1e-12 || math.Abs(hi-want.CIHigh) > 1e-12 {
			t.Errorf("PropCI(MeanBy group %d, likelihood) = [%v, %v], want Prop's [%v, %v]", g, lo, hi, want.CILow, want.CIHigh)
		}
	}
}
