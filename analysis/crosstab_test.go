package analysis

import (
	"math"
	"strconv"
	"testing"
)

// goldenCrosstab checks Crosstab against R: counts from svytable, column
// shares from svymean(~a, subset(design, b == j), na.rm=TRUE,
// deff="replace") with svyciprop's logit interval, bases and degf of each
// column and of the total column (b answered), and the Rao-Scott test.
func goldenCrosstab(t *testing.T, c coreCase) {
	f, d, err := coreDesign(t, c.Design)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := f.codes(t, c.A, c.ALevels)
	b, _ := f.codes(t, c.B, c.BLevels)
	ct, err := d.Crosstab(a, b, c.ALevels, c.BLevels, c.Level)
	if err != nil {
		t.Fatal(err)
	}
	for i := range c.ALevels {
		for j := range c.BLevels {
			checkNum(t, "Counts["+strconv.Itoa(i)+"]["+strconv.Itoa(j)+"]", ct.Counts[i][j], c.Counts[i][j])
		}
	}
	checkColumn := func(name string, base CrosstabBase, pct func(i int) Estimate, want coreColumn) {
		checkInt(t, name+" base N", base.N, want.N)
		checkNum(t, name+" base WeightedN", base.WeightedN, want.WeightedN)
		checkNum(t, name+" base EffectiveN", base.EffectiveN, want.EffectiveN)
		for i, cell := range want.Cells {
			e := pct(i)
			cn := name + " " + c.ALevels[i]
			checkNum(t, cn+" Estimate", e.Estimate, cell.Estimate)
			checkNum(t, cn+" SE", e.SE, cell.SE)
			checkNum(t, cn+" Deff", e.Deff, cell.Deff)
			checkNum(t, cn+" CILow", e.CILow, cell.CIExact[0])
			checkNum(t, cn+" CIHigh", e.CIHigh, cell.CIExact[1])
			checkNumTol(t, cn+" CILow (svyciprop)", e.CILow, cell.CI[0], coreIRLSTol)
			checkNumTol(t, cn+" CIHigh (svyciprop)", e.CIHigh, cell.CI[1], coreIRLSTol)
			checkInt(t, cn+" DF", e.DF, want.DF)
			checkInt(t, cn+" N", e.N, want.N)
			checkInt(t, cn+" NDomain", e.NDomain, want.NDomain)
		}
	}
	for j, col := range c.Columns {
		checkColumn("column "+col.Level, ct.Bases[j], func(i int) Estimate { return ct.Pct[i][j] }, col)
	}
	checkColumn("total", ct.TotalBase, func(i int) Estimate { return ct.TotalPct[i] }, c.Total)
	if ct.Test == nil {
		t.Fatal("Crosstab.Test = nil, want R's svychisq")
	}
	checkChiSq(t, *ct.Test, c)
}

// TestCrosstabSmall checks a hand-worked table: weights 1, 2 and 3,
// with missing answers on both sides and an empty column.
func TestCrosstabSmall(t *testing.T) {
	a := []int32{0, 1, 0, 1, -1, 0, 1}
	b := []int32{0, 0, 1, 1, 0, -1, 1}
	w := []float64{1, 2, 3, 1, 2, 3, 2}
	d, err := NewDesign(len(a), DesignSpec{Weights: w})
	if err != nil {
		t.Fatal(err)
	}
	ct, err := d.Crosstab(a, b, []string{"yes", "no"}, []string{"x", "y", "empty"}, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	wantCounts := [][]float64{{1, 3, 0}, {2, 3, 0}}
	for i := range wantCounts {
		for j := range wantCounts[i] {
			if ct.Counts[i][j] != wantCounts[i][j] {
				t.Errorf("Counts[%d][%d] = %v, want %v", i, j, ct.Counts[i][j], wantCounts[i][j])
			}
		}
	}
	wantPct := [][]float64{{1.0 / 3, 0.5, math.NaN()}, {2.0 / 3, 0.5, math.NaN()}}
	for i := range wantPct {
		for j := range wantPct[i] {
			got, want := ct.Pct[i][j].Estimate, wantPct[i][j]
			if !(math.Abs(got-want) < 1e-15 || math.IsNaN(got) && math.IsNaN(want)) {
				t.Errorf("Pct[%d][%d] = %v, want %v", i, j, got, want)
			}
		}
	}
	wantBases := []CrosstabBase{{N: 2, WeightedN: 3, EffectiveN: 9.0 / 5}, {N: 3, WeightedN: 6, EffectiveN: 36.0 / 14}, {}}
	for j, want := range wantBases {
		got := ct.Bases[j]
		if got.N != want.N || got.WeightedN != want.WeightedN || !(math.Abs(got.EffectiveN-want.EffectiveN) < 1e-12 || math.IsNaN(got.EffectiveN) && want.N == 0) {
			t.Errorf("Bases[%d] = %+v, want %+v", j, got, want)
		}
	}
	if got := ct.TotalPct[0].Estimate; math.Abs(got-4.0/9) > 1e-15 {
		t.Errorf("TotalPct[0] = %v, want 4/9", got)
	}
	if ct.TotalBase.N != 5 || ct.TotalBase.WeightedN != 9 {
		t.Errorf("TotalBase = %+v, want N 5, WeightedN 9", ct.TotalBase)
	}
	if ct.Test == nil {
		t.Error("Test = nil, want a test of the 2 × 2 answered table")
	}
}

// TestCrosstabNoTest checks that a table with one answered column keeps
// its shares and has no test.
func TestCrosstabNoTest(t *testing.T) {
	d, err := NewDesign(4, DesignSpec{})
	if err != nil {
		t.Fatal(err)
	}
	ct, err := d.Crosstab([]int32{0, 1, 1, 0}, []int32{0, 0, 0, -1}, []string{"a", "b"}, []string{"c", "d"}, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if ct.Test != nil {
		t.Errorf("Test = %+v, want nil", *ct.Test)
	}
	if got := ct.Pct[1][0].Estimate; math.Abs(got-2.0/3) > 1e-15 {
		t.Errorf("Pct[1][0] = %v, want 2/3", got)
	}
}
