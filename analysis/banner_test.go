package analysis

import (
	"math"
	"strings"
	"testing"
)

// TestBannerAgreesWithDiffMeans checks every banner cell against the
// R-verified estimators: each share against Design.Prop on the column's
// domain, and each significance letter against the design-based t test of
// Design.DiffMeans (df = degf of the two domains).
func TestBannerAgreesWithDiffMeans(t *testing.T) {
	ds := loadStudy(t)
	d, err := StudyDesign(ds, LonelyFail)
	if err != nil {
		t.Fatal(err)
	}
	vars := DefaultBannerVariables(ds)
	if len(vars) == 0 {
		t.Fatal("DefaultBannerVariables = none, want construct flags and items")
	}
	opts := Options{Design: d, MinBase: 1}
	res, err := Banner(ds, vars, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Columns[0].Letter != "A" || res.Columns[0].Group != "Total" || res.Columns[0].Base.N != ds.N {
		t.Fatalf("Banner column 0 = %+v, want the total lettered A", res.Columns[0])
	}
	member := func(c int) []bool {
		col := res.Columns[c]
		if col.Domain.IsTotal() {
			return nil
		}
		var codes []int32
		var levels []string
		if col.Domain.Var == "region" {
			codes, levels = ds.Region.Codes, ds.Region.Levels
		}
		for _, s := range ds.Segments {
			if s.Name == col.Domain.Var {
				codes, levels = s.Codes, s.Levels
			}
		}
		in := make([]bool, ds.N)
		for i, k := range codes {
			in[i] = k >= 0 && levels[k] == col.Domain.Level
		}
		return in
	}
	tested, letters := 0, 0
	for r, bv := range vars[:4] {
		row := res.Rows[r]
		for c := range res.Columns {
			want := d.Prop(bv.Y, member(c), CILogit, 0.95)
			got := row.Cells[c].Estimate
			if !close6(got.Estimate, want.Estimate) || !close6(got.SE, want.SE) || !close6(got.CILow, want.CILow) || got.DF != want.DF || got.N != want.N {
				t.Errorf("Banner %s column %s = %+v, want %+v", bv.Label, res.Columns[c].Domain, got, want)
			}
			for c2 := range res.Columns {
				if c2 == c || res.Columns[c2].Group != res.Columns[c].Group || res.Columns[c].Group == "Total" {
					continue
				}
				e := d.DiffMeans(bv.Y, member(c), member(c2), 0.95)
				higher := e.Estimate > 0 && TTestP(e.Estimate, e.SE, e.DF) < 0.05
				has := strings.Contains(row.Cells[c].Sig, res.Columns[c2].Letter)
				if higher != has {
					t.Errorf("Banner %s: column %s sig %q, letter %s present = %v, want %v (diff %v, p %v)", bv.Label,
						res.Columns[c].Letter, row.Cells[c].Sig, res.Columns[c2].Letter, has, higher, e.Estimate, TTestP(e.Estimate, e.SE, e.DF))
				}
				tested++
				if has {
					letters++
				}
			}
		}
	}
	if tested == 0 || letters == 0 {
		t.Errorf("Banner: %d pairs tested, %d significant; want some of each", tested, letters)
	}
}

func close6(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b))
}

func TestColumnLetter(t *testing.T) {
	for _, tt := range []struct {
		c    int
		want string
	}{{0, "A"}, {1, "B"}, {25, "Z"}, {26, "AA"}, {27, "AB"}, {51, "AZ"}, {52, "BA"}} {
		if got := columnLetter(tt.c); got != tt.want {
			t.Errorf("columnLetter(%d) = %q, want %q", tt.c, got, tt.want)
		}
	}
}
