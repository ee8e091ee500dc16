package analysis

import (
	"errors"
	"math"
	"testing"
)

// goldenChiSq checks ChiSqIn against svychisq(~a+b, design) (statistic
// "F") and Pearson against chisq.test(svytable(..., Ntotal=nrow(design))),
// to coreTol.
func goldenChiSq(t *testing.T, c coreCase) {
	f, d, err := coreDesign(t, c.Design)
	if err != nil {
		t.Fatal(err)
	}
	a, al := f.codes(t, c.A, nil)
	b, bl := f.codes(t, c.B, nil)
	got, err := d.ChiSqIn(a, b, len(al), len(bl), f.in(t, c.Domain))
	if err != nil {
		t.Fatal(err)
	}
	checkChiSq(t, got, c)
	checkNum(t, "ChiSq Pearson", got.Pearson, c.Pearson)
}

func checkChiSq(t *testing.T, got ChiSqResult, c coreCase) {
	t.Helper()
	checkNum(t, "ChiSq F", got.F, c.F)
	checkNum(t, "ChiSq NDF", got.NDF, c.NDF)
	checkNum(t, "ChiSq DDF", got.DDF, c.DDF)
	checkNum(t, "ChiSq P", got.P, c.P)
}

// TestPublishedChiSq checks the figures printed in svychisq's
// documentation: svychisq(~sch.wide+stype, dclus1) gives F = 5.1934,
// ndf = 1.495, ddf = 20.925, p-value = 0.02175.
func TestPublishedChiSq(t *testing.T) {
	f, d, err := coreDesign(t, coreSpec{Data: "apiclus1.csv", PSU: "dnum", Weights: "pw", FPC: "fpc", Lonely: "fail"})
	if err != nil {
		t.Fatal(err)
	}
	a, al := f.codes(t, "sch.wide", nil)
	b, bl := f.codes(t, "stype", nil)
	got, err := d.ChiSq(a, b, len(al), len(bl))
	if err != nil {
		t.Fatal(err)
	}
	round := func(x, digits float64) float64 { return math.Round(x*digits) / digits }
	for _, tt := range []struct {
		what      string
		got, want float64
	}{
		{"F", round(got.F, 1e4), 5.1934},
		{"NDF", round(got.NDF, 1e3), 1.495},
		{"DDF", round(got.DDF, 1e3), 20.925},
		{"P", round(got.P, 1e5), 0.02175},
	} {
		if tt.got != tt.want {
			t.Errorf("ChiSq(sch.wide, stype; dclus1).%s = %v, want %v", tt.what, tt.got, tt.want)
		}
	}
}

// TestChiSqIndependent checks that a table with proportional columns
// gives F = 0 and P = 1.
func TestChiSqIndependent(t *testing.T) {
	// Each cell holds two respondents, but PSUs 2 and 3 mix them
	// differently, so the design effect matrix is not zero.
	a := []int32{0, 0, 1, 1, 0, 1, 1, 0}
	b := []int32{0, 1, 0, 1, 0, 1, 0, 1}
	d, err := NewDesign(len(a), DesignSpec{PSU: []int32{0, 0, 1, 1, 2, 2, 3, 3}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := d.ChiSq(a, b, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got.F != 0 || got.P != 1 || got.Pearson != 0 {
		t.Errorf("ChiSq(independent) = F %v, P %v, Pearson %v; want 0, 1, 0", got.F, got.P, got.Pearson)
	}
}

func TestChiSqErrors(t *testing.T) {
	d, err := NewDesign(6, DesignSpec{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		a, b   []int32
		na, nb int
	}{
		{"one row", []int32{0, 0, 0, 0, 0, 0}, []int32{0, 1, 0, 1, 0, 1}, 2, 2},
		{"one column answered", []int32{0, 1, 0, 1, 0, 1}, []int32{0, 0, -1, -1, 0, 0}, 2, 2},
		// Level 1 of a only appears next to a missing b: it drops out.
		{"level beside missing", []int32{0, 1, 0, 0, 0, 0}, []int32{0, -1, 1, 1, 0, 1}, 2, 2},
		{"nobody", []int32{-1, -1, -1, -1, -1, -1}, []int32{0, 1, 0, 1, 0, 1}, 2, 2},
	}
	for _, tt := range tests {
		if _, err := d.ChiSq(tt.a, tt.b, tt.na, tt.nb); !errors.Is(err, ErrChiSq) {
			t.Errorf("ChiSq(%s) error = %v, want ErrChiSq", tt.name, err)
		}
	}
}

func TestChiSqPanicsOnBadCode(t *testing.T) {
	d, err := NewDesign(2, DesignSpec{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if r := recover(); r != "analysis: code out of range" {
			t.Errorf("ChiSq(code 2 of 2 levels) panic = %v, want analysis: code out of range", r)
		}
	}()
	d.ChiSq([]int32{0, 2}, []int32{0, 1}, 2, 2)
}
